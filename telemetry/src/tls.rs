//! TLS client configurations (rustls with ring) shared by everything on the kiosk that dials out:
//! the MQTT link, the share worker, screenshot uploads. Trusts the system's roots plus an optional
//! PEM file of extra authorities (a chain's private CA), and can present a client certificate.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

/// A client certificate and its key, as PEM files.
#[derive(Debug, Clone, Copy)]
pub struct ClientIdentity<'a> {
    pub cert_file: &'a str,
    pub key_file: &'a str,
}

/// Builds a client configuration. `ca_key` and friends name the configuration keys in errors, e.g.
/// "telemetry.ca_file /etc/ca.pem: not a PEM certificate".
pub fn client_config(
    ca_file: &str,
    ca_key: &str,
    identity: Option<ClientIdentity<'_>>,
) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if !ca_file.is_empty() {
        for cert in read_certs(ca_file, ca_key)? {
            roots.add(cert).map_err(|e| format!("{ca_key} {ca_file}: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some(identity) => {
            let chain = read_certs(identity.cert_file, "client certificate")?;
            let key = PrivateKeyDer::from_pem_file(identity.key_file)
                .map_err(|e| format!("client key {}: not a PEM private key: {e}", identity.key_file))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("client certificate {}: {e}", identity.cert_file))?
        }
    };
    Ok(Arc::new(config))
}

fn read_certs(path: &str, key: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("cannot read {key} {path}: {e}"))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{key} {path}: not a PEM certificate: {e}"))?;
    if certs.is_empty() {
        return Err(format!("{key} {path}: no certificate in the file"));
    }
    Ok(certs)
}
