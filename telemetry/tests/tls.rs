//! The link over TLS (`mqtts://`) to a real Mosquitto that requires client certificates signed by
//! the chain's CA, and the refusal of a broker whose certificate nothing trusts.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use protocol::{
    mqtt_url::BrokerUrl,
    telemetry::{EventEnvelope, Ident, UsageEvent, now_ms},
    topics::KioskTopics,
};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use telemetry::{
    link::{BrokerSettings, Identity, Link, Target},
    outbox::{Outbox, OutboxLimits},
    tls::{ClientIdentity, client_config},
};
use testkit::{BrokerSetup, Mosquitto, TlsFiles, Watcher, WatcherOptions};

/// A private CA, a server certificate for `localhost` and a client certificate for `kiosk`.
struct Pki {
    ca: PathBuf,
    server: TlsFiles,
    client_cert: PathBuf,
    client_key: PathBuf,
}

fn write(dir: &Path, name: &str, pem: String) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn pki(dir: &Path, kiosk: &str) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| panic!("{e}"));
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "Test chain CA");
    let ca_key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap_or_else(|e| panic!("{e}"));
    let server_key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
    let server = CertificateParams::new(vec!["localhost".to_string()])
        .and_then(|p| p.signed_by(&server_key, &ca))
        .unwrap_or_else(|e| panic!("{e}"));
    let client_key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| panic!("{e}"));
    client_params.distinguished_name.push(DnType::CommonName, kiosk);
    let client = client_params.signed_by(&client_key, &ca).unwrap_or_else(|e| panic!("{e}"));
    Pki {
        ca: write(dir, "ca.pem", ca.pem()),
        server: TlsFiles {
            ca: write(dir, "ca-for-broker.pem", ca.pem()),
            cert: write(dir, "server.pem", server.pem()),
            key: write(dir, "server.key", server_key.serialize_pem()),
        },
        client_cert: write(dir, "client.pem", client.pem()),
        client_key: write(dir, "client.key", client_key.serialize_pem()),
    }
}

fn link(port: u16, kiosk: &str, tls: std::sync::Arc<rustls::ClientConfig>, dir: &Path) -> Link {
    let (outbox, _) = Outbox::open(dir, OutboxLimits::with_max_bytes(1 << 20)).unwrap_or_else(|e| panic!("{e}"));
    let settings = BrokerSettings {
        url: BrokerUrl::parse(&format!("mqtts://localhost:{port}")).unwrap_or_else(|e| panic!("{e}")),
        username: String::new(),
        password: String::new(),
        tls: Some(tls),
        keep_alive: Duration::from_secs(5),
        reconnect_initial: Duration::from_millis(200),
        reconnect_max: Duration::from_secs(1),
    };
    let identity = Identity {
        kiosk: Ident::new(kiosk).unwrap_or_else(|e| panic!("{e}")),
        store: Ident::new("store-1").unwrap_or_else(|e| panic!("{e}")),
        version: "test".into(),
    };
    Link::start(identity, Target::Broker(settings), outbox).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn events_flow_over_tls_with_a_client_certificate() {
    let certs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pki = pki(certs.path(), "k-tls");
    let broker = Mosquitto::start_with(&BrokerSetup { tls: Some(pki.server.clone()), ..BrokerSetup::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let tls_port = broker.tls_port.unwrap_or_else(|| panic!("no TLS listener"));
    let topics = KioskTopics::new("k-tls");
    let watcher =
        Watcher::start(broker.port, &[&topics.events], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let identity = ClientIdentity {
        cert_file: pki.client_cert.to_str().unwrap_or_default(),
        key_file: pki.client_key.to_str().unwrap_or_default(),
    };
    let config = client_config(pki.ca.to_str().unwrap_or_default(), "telemetry.ca_file", Some(identity))
        .unwrap_or_else(|e| panic!("{e}"));
    let outbox = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = link(tls_port, "k-tls", config, outbox.path());
    link.record([(UsageEvent::SessionStarted, now_ms(), None)]).unwrap_or_else(|e| panic!("{e}"));
    let arrived = watcher.wait_until(Duration::from_secs(10), |m| {
        m.iter().filter_map(|r| serde_json::from_slice::<EventEnvelope>(&r.payload).ok()).any(|e| e.seq == 1)
    });
    assert!(arrived, "no event over TLS; broker log:\n{}", broker.log());
}

#[test]
fn a_broker_certificate_nobody_trusts_is_refused() {
    let certs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pki = pki(certs.path(), "k-tls");
    let broker = Mosquitto::start_with(&BrokerSetup { tls: Some(pki.server.clone()), ..BrokerSetup::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let tls_port = broker.tls_port.unwrap_or_else(|| panic!("no TLS listener"));
    let identity = ClientIdentity {
        cert_file: pki.client_cert.to_str().unwrap_or_default(),
        key_file: pki.client_key.to_str().unwrap_or_default(),
    };
    // The system's roots only: the chain's private CA is not among them.
    let config = client_config("", "telemetry.ca_file", Some(identity)).unwrap_or_else(|e| panic!("{e}"));
    let outbox = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = link(tls_port, "k-untrusting", config, outbox.path());
    link.record([(UsageEvent::SessionStarted, now_ms(), None)]).unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        assert!(!link.is_connected(), "connected to a broker whose certificate nothing trusts");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(link.stats().depth, 1, "the event waits on disk");
}
