//! What provisioning writes, worked out before anything is written:
//!
//! ```text
//! {out}/kiosks/{kiosk}/kiosk.toml     the kiosk's config, with its MQTT password and relay key (0600)
//! {out}/kiosks/{kiosk}/client.key     with --ca-cert/--ca-key: the kiosk's TLS key (0600) …
//! {out}/kiosks/{kiosk}/client.crt     … its certificate (CN = kiosk id) signed by the chain's CA,
//! {out}/kiosks/{kiosk}/ca.crt         … and the CA, to verify the broker (no broker password then)
//! {out}/broker/passwd                 Mosquitto password file, hashed (0600)
//! {out}/broker/acl                    Mosquitto ACL: each kiosk its own topics and its store's requests
//! {out}/broker/operators/{name}.password   operator logins (fleet tool, staff pages) (0600)
//! {out}/relays/{region}/relay.toml    each region's share relay config with its kiosks' keys (0600)
//! ```
//!
//! Secrets already in `{out}` are kept, and a file is written only when its content changes, so
//! a re-run with the same inventory changes nothing. Kiosks no longer in the inventory lose their
//! bundle and their broker login.

use std::{
    collections::BTreeMap,
    io::Write,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use protocol::config::{ConfigOrigin, KioskConfig};

use crate::{
    inventory::{Kiosk, Regions},
    mosquitto,
};

/// One file to have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub content: Vec<u8>,
    /// Written 0600 and never shown in a dry run's diff.
    pub secret: bool,
}

/// The chain's certificate authority, for kiosks that log in with client certificates.
pub struct ChainCa {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pem: String,
}

impl ChainCa {
    /// Loads the CA certificate and its key (PEM).
    pub fn load(cert: &Path, key: &Path) -> Result<Self> {
        let pem = std::fs::read_to_string(cert).with_context(|| format!("--ca-cert {}", cert.display()))?;
        let key_pem = std::fs::read_to_string(key).with_context(|| format!("--ca-key {}", key.display()))?;
        let key = rcgen::KeyPair::from_pem(&key_pem).with_context(|| format!("--ca-key {}", key.display()))?;
        let issuer =
            rcgen::Issuer::from_ca_cert_pem(&pem, key).with_context(|| format!("--ca-cert {}", cert.display()))?;
        Ok(Self { issuer, pem })
    }

    /// A client certificate for `kiosk` (its common name, so the broker's
    /// `use_identity_as_username` makes it the kiosk's username).
    fn client_certificate(&self, kiosk: &str, key: &rcgen::KeyPair) -> Result<String> {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(rcgen::DnType::CommonName, kiosk);
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        Ok(params.signed_by(key, &self.issuer)?.pem())
    }
}

/// Where the installed kiosk finds its TLS files (hardware/install-kiosk.sh puts them there).
const INSTALLED: &str = "/etc/smart-mirror";

/// Everything `{out}` should hold.
#[derive(Debug, Default)]
pub struct Plan {
    /// By path relative to `{out}`.
    pub files: BTreeMap<PathBuf, Wanted>,
    /// Kiosk bundles (kiosks gone from the inventory) and stale files in kept bundles (e.g. a
    /// certificate after a switch to passwords) to delete, relative to `{out}`.
    pub removed: Vec<PathBuf>,
}

/// What applying a plan does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Same,
}

fn new_secret() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

/// A secret from an existing kiosk config, if it is there and long enough to keep.
fn existing_secret(config: &Option<toml::Table>, section: &str, key: &str) -> Option<String> {
    config.as_ref()?.get(section)?.get(key)?.as_str().filter(|s| s.len() >= 16).map(str::to_string)
}

/// How a kiosk logs in to the broker.
enum Login<'a> {
    Password(&'a str),
    Certificate,
}

fn kiosk_config(kiosk: &Kiosk, regions: &Regions, login: Login<'_>, relay_key: &str) -> Result<String> {
    let region = regions.regions.get(&kiosk.region).with_context(|| format!("region {}", kiosk.region))?;
    let mut table = toml::Table::new();
    let section = |pairs: &[(&str, &str)]| -> toml::Value {
        toml::Value::Table(pairs.iter().map(|(k, v)| (k.to_string(), toml::Value::from(*v))).collect())
    };
    table.insert(
        "kiosk".into(),
        section(&[
            ("id", &kiosk.id),
            ("store", &kiosk.store),
            ("room", &kiosk.room),
            ("time_zone", &kiosk.time_zone),
            ("opening_hours", &kiosk.opening_hours),
        ]),
    );
    table.insert("hardware".into(), section(&[("profile", &kiosk.profile)]));
    // The udev rule (hardware/udev) names the profile's camera this way, whatever its number.
    table.insert("camera".into(), section(&[("source", "device"), ("device_path", "/dev/mirror-camera")]));
    let (cert, key, ca) =
        (format!("{INSTALLED}/client.crt"), format!("{INSTALLED}/client.key"), format!("{INSTALLED}/ca.crt"));
    let telemetry = match login {
        Login::Password(password) => {
            section(&[("broker_url", &region.broker_url), ("username", &kiosk.id), ("password", password)])
        }
        Login::Certificate => section(&[
            ("broker_url", &region.broker_url),
            ("client_cert_file", &cert),
            ("client_key_file", &key),
            ("ca_file", &ca),
        ]),
    };
    table.insert("telemetry".into(), telemetry);
    table.insert("share".into(), section(&[("relay_url", &region.relay_url), ("kiosk_key", relay_key)]));
    let text = format!(
        "# Written by `provision` from the chain's inventory. Change the inventory and provision again;\n\
         # edits here are overwritten.\n\n{}",
        toml::to_string(&table)?
    );
    // The kiosk must accept what we write: check with its own loader.
    KioskConfig::from_toml(&text, ConfigOrigin::Defaults, &[]).with_context(|| {
        format!("kiosk {} (inventory line {}): the generated config is invalid", kiosk.id, kiosk.line)
    })?;
    Ok(text)
}

/// A region's share relay configuration: where it listens, its public URL and every kiosk key.
fn relay_config(region: &crate::inventory::Region, keys: BTreeMap<String, String>) -> Result<Wanted> {
    let mut table = toml::Table::new();
    table.insert("listen".into(), toml::Value::from(region.relay_listen.as_str()));
    table.insert("public_url".into(), toml::Value::from(region.relay_url.as_str()));
    table.insert(
        "kiosk_keys".into(),
        toml::Value::Table(keys.into_iter().map(|(k, v)| (k, toml::Value::from(v))).collect()),
    );
    let text = format!(
        "# Written by `provision`: this region's share relay (relay --config FILE). Limits: see\n\
         # relay/relay.example.toml.\n\n{}",
        toml::to_string(&table)?
    );
    Ok(Wanted { content: text.into_bytes(), secret: true })
}

/// Works out every file for `kiosks`, keeping the secrets already in `out`.
pub fn plan(
    kiosks: &[Kiosk],
    regions: &Regions,
    operators: &[String],
    ca: Option<&ChainCa>,
    out: &Path,
) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut users = Vec::new();
    let mut relay_keys: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for kiosk in kiosks {
        let dir = PathBuf::from("kiosks").join(&kiosk.id);
        let path = dir.join("kiosk.toml");
        let existing = std::fs::read_to_string(out.join(&path)).ok().and_then(|t| t.parse::<toml::Table>().ok());
        let relay_key = existing_secret(&existing, "share", "kiosk_key").unwrap_or_else(new_secret);
        relay_keys.entry(kiosk.region.as_str()).or_default().insert(kiosk.id.clone(), relay_key.clone());
        let config = match ca {
            None => {
                let password = existing_secret(&existing, "telemetry", "password").unwrap_or_else(new_secret);
                users.push((kiosk.id.clone(), password.clone()));
                kiosk_config(kiosk, regions, Login::Password(&password), &relay_key)?
            }
            Some(ca) => {
                let (key_path, cert_path) = (dir.join("client.key"), dir.join("client.crt"));
                let old_key = std::fs::read_to_string(out.join(&key_path)).ok();
                let key = match old_key.as_deref().map(rcgen::KeyPair::from_pem) {
                    Some(Ok(key)) => key,
                    _ => rcgen::KeyPair::generate()?,
                };
                // A certificate is kept as long as its key is (certificates carry a serial
                // number and dates: a new one on every run would never be idempotent).
                let old_cert = std::fs::read_to_string(out.join(&cert_path)).ok().filter(|_| old_key.is_some());
                let cert = match old_cert {
                    Some(cert) => cert,
                    None => ca.client_certificate(&kiosk.id, &key)?,
                };
                plan.files.insert(key_path, Wanted { content: key.serialize_pem().into_bytes(), secret: true });
                plan.files.insert(cert_path, Wanted { content: cert.into_bytes(), secret: false });
                plan.files.insert(dir.join("ca.crt"), Wanted { content: ca.pem.clone().into_bytes(), secret: false });
                kiosk_config(kiosk, regions, Login::Certificate, &relay_key)?
            }
        };
        plan.files.insert(path, Wanted { content: config.into_bytes(), secret: true });
    }
    for operator in operators {
        if kiosks.iter().any(|k| &k.id == operator) {
            bail!("operator {operator:?} has the same name as a kiosk");
        }
        let path = PathBuf::from("broker/operators").join(format!("{operator}.password"));
        let password = std::fs::read_to_string(out.join(&path))
            .ok()
            .map(|p| p.trim().to_string())
            .filter(|p| p.len() >= 16)
            .unwrap_or_else(new_secret);
        plan.files.insert(path, Wanted { content: format!("{password}\n").into_bytes(), secret: true });
        users.push((operator.clone(), password));
    }
    for (name, keys) in relay_keys {
        let region = regions.regions.get(name).with_context(|| format!("region {name}"))?;
        plan.files.insert(PathBuf::from("relays").join(name).join("relay.toml"), relay_config(region, keys)?);
    }
    let existing_passwd = std::fs::read_to_string(out.join("broker/passwd")).unwrap_or_default();
    let passwd = mosquitto::password_file(&users, &existing_passwd);
    plan.files.insert("broker/passwd".into(), Wanted { content: passwd.into_bytes(), secret: true });
    let pairs: Vec<(&str, &str)> = kiosks.iter().map(|k| (k.id.as_str(), k.store.as_str())).collect();
    let operator_names: Vec<&str> = operators.iter().map(String::as_str).collect();
    let acl = protocol::topics::mosquitto_acl(&pairs, &operator_names);
    plan.files.insert("broker/acl".into(), Wanted { content: acl.into_bytes(), secret: false });

    if let Ok(entries) = std::fs::read_dir(out.join("kiosks")) {
        let mut gone: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|name| !kiosks.iter().any(|k| &k.id == name))
            .map(|name| PathBuf::from("kiosks").join(name))
            .collect();
        for kiosk in kiosks {
            let dir = PathBuf::from("kiosks").join(&kiosk.id);
            let Ok(entries) = std::fs::read_dir(out.join(&dir)) else { continue };
            gone.extend(
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| dir.join(e.file_name()))
                    .filter(|path| !plan.files.contains_key(path)),
            );
        }
        gone.sort();
        plan.removed = gone;
    }
    Ok(plan)
}

/// How each planned file differs from what `out` holds.
pub fn compare(plan: &Plan, out: &Path) -> Vec<(PathBuf, Change)> {
    plan.files
        .iter()
        .map(|(path, wanted)| {
            let change = match std::fs::read(out.join(path)) {
                Ok(current) if current == wanted.content => Change::Same,
                Ok(_) => Change::Update,
                Err(_) => Change::Create,
            };
            (path.clone(), change)
        })
        .collect()
}

/// Lines of `text` with secret values replaced, for showing.
fn masked(text: &str) -> String {
    text.lines()
        .map(|line| {
            let key = line.split('=').next().unwrap_or_default().trim();
            if matches!(key, "password" | "kiosk_key") { format!("{key} = <secret>") } else { line.to_string() }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A readable diff of one planned change (secrets masked; hashes and secret files summarised).
pub fn describe(path: &Path, wanted: &Wanted, out: &Path) -> String {
    let current = std::fs::read_to_string(out.join(path)).unwrap_or_default();
    let new = String::from_utf8_lossy(&wanted.content);
    if path.ends_with("passwd") {
        let users = |text: &str| -> Vec<String> {
            text.lines().filter_map(|l| l.split(':').next()).map(str::to_string).collect()
        };
        let (before, after) = (users(&current), users(&new));
        let added: Vec<&String> = after.iter().filter(|u| !before.contains(u)).collect();
        let dropped: Vec<&String> = before.iter().filter(|u| !after.contains(u)).collect();
        return format!("    logins added: {added:?}, removed: {dropped:?}\n");
    }
    if path.extension().is_some_and(|e| e == "password") {
        return "    (a generated secret)\n".into();
    }
    let (current, new) = if wanted.secret { (masked(&current), masked(&new)) } else { (current, new.to_string()) };
    similar::TextDiff::from_lines(&current, &new)
        .unified_diff()
        .context_radius(1)
        .to_string()
        .lines()
        .filter(|l| !l.starts_with("@@"))
        .map(|l| format!("    {l}\n"))
        .collect()
}

/// Writes next to `path` and renames into place, with the right mode from the start.
fn write_file(path: &Path, content: &[u8], secret: bool) -> Result<()> {
    let parent = path.parent().context("no parent directory")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let mode = if secret { 0o600 } else { 0o644 };
    let temp = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&temp)
        .with_context(|| format!("writing {}", temp.display()))?;
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    file.write_all(content)?;
    file.sync_all()?;
    std::fs::rename(&temp, path).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// Applies `plan` to `out`, calling `progress` after each file.
pub fn apply(plan: &Plan, changes: &[(PathBuf, Change)], out: &Path, mut progress: impl FnMut()) -> Result<()> {
    for (path, change) in changes {
        if *change != Change::Same
            && let Some(wanted) = plan.files.get(path)
        {
            write_file(&out.join(path), &wanted.content, wanted.secret)?;
        }
        progress();
    }
    for gone in &plan.removed {
        let path = out.join(gone);
        let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        removed.with_context(|| format!("removing {}", gone.display()))?;
    }
    Ok(())
}
