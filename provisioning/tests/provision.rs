//! The `provision` binary on generated inventories: 2,000 kiosks, re-runs that change nothing,
//! one changed row, a dry run, a bad inventory that writes nothing, and real Mosquitto started
//! with the generated password and ACL files.

use std::{
    os::unix::fs::PermissionsExt,
    path::Path,
    time::{Duration, Instant},
};

use protocol::{
    config::{ConfigOrigin, KioskConfig},
    topics::KioskTopics,
};
use rumqttc::{Client, ConnectionError, Event, MqttOptions, Packet, QoS};
use support::{HEADER, Workspace, inventory, row};
use testkit::{BrokerSetup, Mosquitto, Watcher, WatcherOptions};

mod support;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn two_thousand_kiosks_then_a_rerun_changes_nothing_and_one_row_changes_one_bundle() {
    let ws = Workspace::new();
    let (ok, stdout, stderr) = ws.provision(&inventory(2000), &[]);
    assert!(ok, "{stderr}");
    let summary = stdout.lines().last().unwrap_or_default().to_string();
    println!("first run: {summary}");
    assert!(summary.starts_with("provisioned 2000 kiosks in "), "{summary}");
    assert!(summary.contains("2004 files created, 0 changed, 0 unchanged"), "{summary}");

    let kiosk = ws.out().join("kiosks/kiosk-0042/kiosk.toml");
    assert_eq!(mode(&kiosk), 0o600, "kiosk configs hold secrets");
    assert_eq!(mode(&ws.out().join("broker/passwd")), 0o600);
    assert_eq!(mode(&ws.out().join("broker/operators/fleet.password")), 0o600);
    let text = std::fs::read_to_string(&kiosk).unwrap_or_default();
    let config = KioskConfig::from_toml(&text, ConfigOrigin::Defaults, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((config.kiosk.id.as_str(), config.kiosk.store.as_str()), ("kiosk-0042", "store-002"));
    assert_eq!((config.kiosk.room.as_str(), config.hardware.profile.as_str()), ("Room 3", "elo-43-portrait"));
    assert_eq!(config.telemetry.username, "kiosk-0042");
    assert_eq!(config.camera.device_path, "/dev/mirror-camera", "the udev rule's stable name");
    assert!(config.telemetry.password.len() >= 32 && config.share.kiosk_key.len() >= 32);
    let passwd = std::fs::read_to_string(ws.out().join("broker/passwd")).unwrap_or_default();
    assert_eq!(passwd.lines().count(), 2001, "2,000 kiosks and the fleet operator");
    // The region's relay knows every kiosk's key.
    let relay = ws.out().join("relays/eu-central/relay.toml");
    assert_eq!(mode(&relay), 0o600);
    let relay = relay::config::RelayConfig::load(&relay).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relay.kiosk_keys.len(), 2000);
    assert_eq!(relay.kiosk_keys.get("kiosk-0042"), Some(&config.share.kiosk_key));
    assert_eq!(relay.public_url, "https://share.eu.chain.example");
    let before = (modified(&kiosk), modified(&ws.out().join("broker/passwd")));

    // The same inventory again: nothing changes, not even a timestamp.
    let (ok, stdout, _) = ws.provision(&inventory(2000), &[]);
    let summary = stdout.lines().last().unwrap_or_default().to_string();
    println!("re-run: {summary}");
    assert!(ok && summary.contains("0 files created, 0 changed, 2004 unchanged, 0 kiosks removed"), "{summary}");
    assert_eq!(before, (modified(&kiosk), modified(&ws.out().join("broker/passwd"))));

    // Kiosk 42 moves to another room: a dry run shows it, secrets masked; then only its bundle changes.
    let mut moved = inventory(2000);
    moved = moved.replace(&row(42, "Room 3", "eu-central"), &row(42, "Room 9", "eu-central"));
    let (ok, stdout, _) = ws.provision(&moved, &["--dry-run"]);
    assert!(ok, "{stdout}");
    assert!(stdout.contains("change kiosks/kiosk-0042/kiosk.toml"), "{stdout}");
    assert!(stdout.contains("-room = \"Room 3\"") && stdout.contains("+room = \"Room 9\""), "{stdout}");
    assert!(!stdout.contains(&config.telemetry.password), "a dry run never shows a secret");
    assert_eq!(modified(&kiosk), before.0, "a dry run writes nothing");
    let (ok, stdout, _) = ws.provision(&moved, &[]);
    let changed: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with("changed ") || l.starts_with("created ")).collect();
    assert!(ok);
    assert_eq!(changed, ["changed kiosks/kiosk-0042/kiosk.toml"], "{stdout}");

    // Kiosk 43 moves to another store: its bundle and the broker's ACL change, nothing else.
    let relocated = moved.replace(
        &row(43, "Room 4", "eu-central"),
        &row(43, "Room 4", "eu-central").replacen("store-002", "store-099", 1),
    );
    let (ok, stdout, _) = ws.provision(&relocated, &[]);
    let changed: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with("changed ") || l.starts_with("created ")).collect();
    assert!(ok);
    assert_eq!(changed, ["changed broker/acl", "changed kiosks/kiosk-0043/kiosk.toml"], "{stdout}");
    let after = KioskConfig::from_toml(
        &std::fs::read_to_string(ws.out().join("kiosks/kiosk-0043/kiosk.toml")).unwrap_or_default(),
        ConfigOrigin::Defaults,
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.kiosk.store, "store-099");
}

#[test]
fn a_bad_inventory_reports_line_and_column_and_writes_nothing() {
    let ws = Workspace::new();
    let bad = format!(
        "{HEADER}{}{}{}{}",
        row(1, "Room 1", "eu-central"),
        row(1, "Room 2", "eu-central"),
        "store-1,kiosk-9,Room 9,crt-14-inch,Europe/Berlin,,eu-central\n",
        "store-1,kiosk-8,Room 8,elo-43-portrait,Europe/Paris-ish,,atlantis\n",
    );
    let (ok, stdout, stderr) = ws.provision(&bad, &[]);
    assert!(!ok, "{stdout}");
    for expected in [
        "line 3, column 2 (kiosk_id): kiosk id \"kiosk-0001\" is already used on line 2",
        "line 4, column 4 (profile): unknown hardware profile \"crt-14-inch\"",
        "line 5, column 5 (time_zone): \"Europe/Paris-ish\" is not an IANA time zone",
        "line 5, column 7 (region): unknown region \"atlantis\"",
        "4 problem(s) in the inventory; nothing was written",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    assert!(!ws.out().exists(), "nothing is written for a bad inventory");
}

/// Connects as `user`; `Ok` once the broker accepted, `Err` with the refusal otherwise.
fn connect(port: u16, user: &str, password: &str) -> Result<(Client, rumqttc::Connection), String> {
    let mut options = MqttOptions::new(format!("{user}-{}", rand_id()), "127.0.0.1", port);
    options.set_credentials(user, password).set_keep_alive(Duration::from_secs(5));
    let (client, mut connection) = Client::new(options, 16);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        match connection.recv_timeout(Duration::from_millis(500)) {
            Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) => return Ok((client, connection)),
            Ok(Err(ConnectionError::ConnectionRefused(code))) => return Err(format!("{code:?}")),
            Ok(Err(e)) => return Err(e.to_string()),
            _ => {}
        }
    }
    Err("no answer".into())
}

fn rand_id() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

fn password_of(out: &Path, kiosk: &str) -> String {
    let text = std::fs::read_to_string(out.join(format!("kiosks/{kiosk}/kiosk.toml"))).unwrap_or_default();
    KioskConfig::from_toml(&text, ConfigOrigin::Defaults, &[]).map(|c| c.telemetry.password).unwrap_or_default()
}

/// Publishes on `topic` and drives the connection until the publish went out.
fn publish(client: &Client, connection: &mut rumqttc::Connection, topic: &str) {
    let _ = client.publish(topic, QoS::AtLeastOnce, false, b"{}".to_vec());
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Ok(Event::Incoming(Packet::PubAck(_)))) = connection.recv_timeout(Duration::from_millis(200)) {
            return;
        }
    }
}

/// What a deployment does with the broker files: install them where the broker (which drops to
/// its own user) can read them — like `install -m 0640 -g mosquitto` into /etc/mosquitto.
fn deploy(out: &Path, broker_dir: &Path) {
    std::fs::set_permissions(broker_dir, std::fs::Permissions::from_mode(0o755)).unwrap_or_else(|e| panic!("{e}"));
    for name in ["passwd", "acl"] {
        let target = broker_dir.join(name);
        std::fs::copy(out.join("broker").join(name), &target).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn mosquitto_with_the_generated_files_confines_kiosks_and_forgets_removed_ones() {
    let ws = Workspace::new();
    let two = format!("{HEADER}{}{}", row(1, "Room 1", "local"), row(2, "Room 2", "local"));
    let (ok, _, stderr) = ws.provision(&two, &[]);
    assert!(ok, "{stderr}");
    let out = ws.out();
    let installed = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    deploy(&out, installed.path());
    let broker = Mosquitto::start_with(&BrokerSetup {
        password_file: Some(installed.path().join("passwd")),
        acl_file: Some(installed.path().join("acl")),
        ..BrokerSetup::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let operator_password =
        std::fs::read_to_string(out.join("broker/operators/fleet.password")).unwrap_or_default().trim().to_string();
    let fleet = Watcher::start(
        broker.port,
        &["mirror/v1/#"],
        WatcherOptions {
            client_id: "fleet".into(),
            credentials: Some(("fleet".into(), operator_password)),
            ..WatcherOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(300));

    assert!(connect(broker.port, "kiosk-0001", "wrong password").is_err(), "a wrong password is refused");
    let (client, mut connection) =
        connect(broker.port, "kiosk-0001", &password_of(&out, "kiosk-0001")).unwrap_or_else(|e| panic!("refused: {e}"));
    let own = KioskTopics::new("kiosk-0001");
    let other = KioskTopics::new("kiosk-0002");
    publish(&client, &mut connection, &own.events);
    publish(&client, &mut connection, &other.events);
    publish(&client, &mut connection, "mirror/v1/stores/store-000/requests");
    publish(&client, &mut connection, "mirror/v1/stores/store-999/requests");
    let arrived = fleet.wait_until(Duration::from_secs(5), |m| m.iter().any(|r| r.topic == own.events));
    assert!(arrived, "the kiosk publishes in its own topics; broker log:\n{}", broker.log());
    std::thread::sleep(Duration::from_millis(500));
    let topics: Vec<String> = fleet.received().into_iter().map(|r| r.topic).collect();
    assert!(topics.contains(&"mirror/v1/stores/store-000/requests".to_string()), "its store's requests: {topics:?}");
    assert!(!topics.contains(&other.events), "another kiosk's topic is refused: {topics:?}");
    assert!(!topics.iter().any(|t| t.contains("store-999")), "another store's requests are refused: {topics:?}");

    // kiosk-0001 leaves the inventory; after provisioning and a broker reload it is refused.
    let old_password = password_of(&out, "kiosk-0001");
    let one = format!("{HEADER}{}", row(2, "Room 2", "local"));
    let (ok, stdout, _) = ws.provision(&one, &[]);
    assert!(ok && stdout.contains("removed kiosks/kiosk-0001/"), "{stdout}");
    deploy(&out, installed.path());
    broker.reload().unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(500));
    let refused = connect(broker.port, "kiosk-0001", &old_password);
    assert!(refused.is_err(), "a removed kiosk must be refused after the reload");
    assert!(connect(broker.port, "kiosk-0002", &password_of(&out, "kiosk-0002")).is_ok(), "the others still connect");
}

#[test]
fn with_the_chains_ca_kiosks_get_client_certificates_that_the_broker_accepts() {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let ws = Workspace::new();
    let pki = ws.dir.path().join("pki");
    std::fs::create_dir_all(&pki).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, pem: String| {
        let path = pki.join(name);
        std::fs::write(&path, pem).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| panic!("{e}"));
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "Chain CA");
    let ca_key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
    let ca_key_pem = ca_key.serialize_pem();
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap_or_else(|e| panic!("{e}"));
    let server_key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
    let server = CertificateParams::new(vec!["localhost".to_string()])
        .and_then(|p| p.signed_by(&server_key, &ca))
        .unwrap_or_else(|e| panic!("{e}"));
    let (ca_cert, ca_key_file) = (write("ca.crt", ca.pem()), write("ca.key", ca_key_pem));
    let tls = testkit::TlsFiles {
        ca: ca_cert.clone(),
        cert: write("server.crt", server.pem()),
        key: write("server.key", server_key.serialize_pem()),
    };

    let inventory = format!("{HEADER}{}{}", row(1, "Room 1", "local"), row(2, "Room 2", "local"));
    let ca_args =
        ["--ca-cert", ca_cert.to_str().unwrap_or_default(), "--ca-key", ca_key_file.to_str().unwrap_or_default()];
    let (ok, stdout, stderr) = ws.provision(&inventory, &ca_args);
    assert!(ok, "{stderr}");
    let out = ws.out();
    let bundle = out.join("kiosks/kiosk-0001");
    assert_eq!(mode(&bundle.join("client.key")), 0o600);
    let config = KioskConfig::from_toml(
        &std::fs::read_to_string(bundle.join("kiosk.toml")).unwrap_or_default(),
        ConfigOrigin::Defaults,
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.telemetry.client_cert_file, "/etc/smart-mirror/client.crt");
    assert!(config.telemetry.password.is_empty(), "no broker password with certificates");
    let passwd = std::fs::read_to_string(out.join("broker/passwd")).unwrap_or_default();
    assert_eq!(
        passwd.lines().map(|l| l.split(':').next().unwrap_or_default()).collect::<Vec<_>>(),
        ["fleet"],
        "{stdout}"
    );
    let (_, again, _) = ws.provision(&inventory, &ca_args);
    assert!(again.contains("0 files created, 0 changed"), "certificates are kept: {again}");

    // Mosquitto requiring client certificates from the chain's CA takes the kiosk's.
    let installed = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    deploy(&out, installed.path());
    let broker = Mosquitto::start_with(&BrokerSetup {
        password_file: Some(installed.path().join("passwd")),
        acl_file: Some(installed.path().join("acl")),
        tls: Some(tls),
        ..BrokerSetup::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let (cert_file, key_file) = (bundle.join("client.crt"), bundle.join("client.key"));
    let identity = telemetry::tls::ClientIdentity {
        cert_file: cert_file.to_str().unwrap_or_default(),
        key_file: key_file.to_str().unwrap_or_default(),
    };
    let client_tls =
        telemetry::tls::client_config(bundle.join("ca.crt").to_str().unwrap_or_default(), "ca", Some(identity))
            .unwrap_or_else(|e| panic!("{e}"));
    let port = broker.tls_port.unwrap_or_default();
    let settings = telemetry::link::BrokerSettings {
        url: protocol::mqtt_url::BrokerUrl::parse(&format!("mqtts://localhost:{port}"))
            .unwrap_or_else(|e| panic!("{e}")),
        username: String::new(),
        password: String::new(),
        tls: Some(client_tls),
        keep_alive: Duration::from_secs(5),
        reconnect_initial: Duration::from_millis(100),
        reconnect_max: Duration::from_secs(1),
    };
    let kiosk = protocol::telemetry::Ident::new("kiosk-0001").unwrap_or_else(|e| panic!("{e}"));
    let connected = telemetry::link::probe(&kiosk, &settings, Duration::from_secs(5));
    assert!(connected.is_ok(), "the provisioned certificate is accepted: {connected:?}\n{}", broker.log());
}
