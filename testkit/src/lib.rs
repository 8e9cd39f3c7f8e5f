//! Test support shared by the workspace's integration tests: a real Mosquitto broker started on a
//! free loopback port with a generated configuration ([`Mosquitto`]), and an MQTT client that
//! records everything it receives ([`Watcher`]), and [`cdp`], a headless-Chromium driver for web
//! pages. Only tests depend on this crate.

pub mod cdp;
pub mod janus;
pub mod postgres;
pub mod seaweedfs;
pub mod zigbee;

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use rumqttc::{Client, Event, MqttOptions, Packet, QoS};

/// Where Debian installs the broker.
const MOSQUITTO: &str = "/usr/sbin/mosquitto";

/// The test brokers' `max_packet_size`: the kiosk's incoming limit, as docs/mqtt.md asks of a
/// chain's broker.
pub const MAX_PACKET_SIZE: usize = protocol::topics::MAX_PACKET_BYTES;

/// How to set a broker up.
#[derive(Debug, Clone, Default)]
pub struct BrokerSetup {
    /// Username/password pairs; empty: anonymous clients allowed.
    pub users: Vec<(String, String)>,
    /// Contents of an ACL file in Mosquitto's format; `None`: no ACL.
    pub acl: Option<String>,
    /// Use these files in place (e.g. provisioning's output), so a [`Mosquitto::reload`] picks
    /// up their new contents. They take the place of `users` and `acl`.
    pub password_file: Option<PathBuf>,
    pub acl_file: Option<PathBuf>,
    /// Keep sessions and queued messages across restarts (in the broker's directory).
    pub persistence: bool,
    /// Also listen for TLS on [`Mosquitto::tls_port`], requiring a client certificate signed by
    /// `ca` (its common name becomes the username).
    pub tls: Option<TlsFiles>,
    /// Leave Mosquitto's `set_tcp_nodelay` at its default (off), as a broker set up without
    /// docs/mqtt.md would be; the test broker turns it on otherwise.
    pub tcp_nodelay_off: bool,
}

/// PEM files for a TLS listener.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A Mosquitto process on 127.0.0.1, killed when dropped.
pub struct Mosquitto {
    pub port: u16,
    pub tls_port: Option<u16>,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Mosquitto {
    /// Starts a broker with anonymous access and persistence.
    pub fn start() -> Result<Self> {
        Self::start_with(&BrokerSetup { persistence: true, ..BrokerSetup::default() })
    }

    pub fn start_with(setup: &BrokerSetup) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let tls_port = setup.tls.as_ref().map(|_| free_port()).transpose()?;
        let mut conf = String::new();
        if setup.tls.is_some() {
            conf += "per_listener_settings true\n";
        }
        // Run as root (tests are), Mosquitto would otherwise switch to user `mosquitto`, which
        // cannot write the log or the persistence file into this 0700 directory: persistent
        // sessions would then not survive `restart()`. `user` is ignored when not run as root.
        conf += &format!(
            "user root\nlistener {port} 127.0.0.1\nmax_packet_size {MAX_PACKET_SIZE}\nmax_queued_messages 100000\nset_tcp_nodelay {}\nlog_dest file {}\n",
            !setup.tcp_nodelay_off,
            dir.path().join("mosquitto.log").display()
        );
        if setup.persistence {
            conf += &format!("persistence true\npersistence_location {}/\nautosave_interval 1\n", dir.path().display());
        }
        if let Some(passwords) = &setup.password_file {
            conf += &format!("allow_anonymous false\npassword_file {}\n", passwords.display());
        } else if setup.users.is_empty() {
            conf += "allow_anonymous true\n";
        } else {
            let passwords = dir.path().join("passwords");
            std::fs::write(&passwords, "")?;
            for (user, password) in &setup.users {
                let status =
                    Command::new("mosquitto_passwd").arg("-b").arg(&passwords).arg(user).arg(password).status()?;
                if !status.success() {
                    bail!("mosquitto_passwd failed for {user}");
                }
            }
            conf += &format!("allow_anonymous false\npassword_file {}\n", passwords.display());
        }
        if let Some(acl_file) = &setup.acl_file {
            conf += &format!("acl_file {}\n", acl_file.display());
        } else if let Some(acl) = &setup.acl {
            let acl_path = dir.path().join("acl");
            std::fs::write(&acl_path, acl)?;
            conf += &format!("acl_file {}\n", acl_path.display());
        }
        if let (Some(tls), Some(tls_port)) = (&setup.tls, tls_port) {
            conf += &format!(
                "listener {tls_port} 127.0.0.1\ncafile {}\ncertfile {}\nkeyfile {}\nrequire_certificate true\nuse_identity_as_username true\n",
                tls.ca.display(),
                tls.cert.display(),
                tls.key.display()
            );
        }
        std::fs::write(dir.path().join("mosquitto.conf"), conf)?;
        let mut broker = Self { port, tls_port, dir, child: None };
        broker.launch()?;
        Ok(broker)
    }

    fn launch(&mut self) -> Result<()> {
        if !Path::new(MOSQUITTO).exists() {
            bail!("{MOSQUITTO} is missing: install the Debian package `mosquitto` (scripts/test.sh does)");
        }
        let child = Command::new(MOSQUITTO)
            .arg("-c")
            .arg(self.dir.path().join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting mosquitto")?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if Instant::now() > deadline {
                bail!("mosquitto did not listen on {} within 10 s; log: {}", self.port, self.log());
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }

    /// Stops the broker cleanly (SIGTERM: it saves its persistence file) and waits for it.
    pub fn stop(&mut self) -> Result<()> {
        if let Some(mut child) = self.child.take() {
            Command::new("kill").arg("-TERM").arg(child.id().to_string()).status()?;
            child.wait()?;
        }
        Ok(())
    }

    /// SIGHUP: the broker reads its password and ACL files again (connected clients that are no
    /// longer allowed are not disconnected; new connections are checked).
    pub fn reload(&self) -> Result<()> {
        if let Some(child) = &self.child {
            Command::new("kill").arg("-HUP").arg(child.id().to_string()).status()?;
        }
        Ok(())
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) -> Result<()> {
        self.stop()?;
        self.launch()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("mosquitto.log")).unwrap_or_default()
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A loopback port nobody listens on right now.
/// A process's resident memory (`VmRSS`), in KiB; None once it is gone.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One message a [`Watcher`] received.
#[derive(Debug, Clone)]
pub struct Received {
    pub topic: String,
    pub payload: Vec<u8>,
    pub retain: bool,
}

/// An MQTT client on its own thread that records every message on its subscriptions. With a
/// `client_id` it keeps a persistent session, so the broker queues QoS 1 messages for it while it
/// is disconnected (and across broker restarts, with persistence on).
pub struct Watcher {
    client: Client,
    received: Arc<Mutex<Vec<Received>>>,
}

/// Credentials and session of a [`Watcher`].
#[derive(Debug, Clone, Default)]
pub struct WatcherOptions {
    pub client_id: String,
    pub credentials: Option<(String, String)>,
    /// Keep the session (and queued messages) on the broker across disconnects.
    pub persistent: bool,
}

impl Watcher {
    /// Connects to `port` and subscribes to `filters` at QoS 1.
    pub fn start(port: u16, filters: &[&str], options: WatcherOptions) -> Result<Self> {
        let client_id =
            if options.client_id.is_empty() { format!("watcher-{}", free_port()?) } else { options.client_id };
        let mut mqtt = MqttOptions::new(client_id, "127.0.0.1", port);
        mqtt.set_keep_alive(Duration::from_secs(5))
            .set_clean_session(!options.persistent)
            .set_max_packet_size(1 << 20, 1 << 20);
        if let Some((user, password)) = options.credentials {
            mqtt.set_credentials(user, password);
        }
        let (client, mut connection) = Client::new(mqtt, 256);
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        let subscriptions: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
        let expected_subacks = subscriptions.len();
        let resubscriber = client.clone();
        let (connected_tx, connected_rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut subacks = 0;
            for event in connection.iter() {
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        for filter in &subscriptions {
                            let _ = resubscriber.try_subscribe(filter.clone(), QoS::AtLeastOnce);
                        }
                    }
                    Ok(Event::Incoming(Packet::SubAck(ack))) => {
                        subacks += ack.return_codes.len();
                        if subacks == expected_subacks {
                            let _ = connected_tx.send(());
                        }
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        lock(&sink).push(Received { topic: p.topic, payload: p.payload.to_vec(), retain: p.retain });
                    }
                    Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => break,
                    Ok(_) => {}
                    Err(_) => thread::sleep(Duration::from_millis(100)),
                }
            }
        });
        connected_rx.recv_timeout(Duration::from_secs(10)).context("watcher: not subscribed within 10 s")?;
        Ok(Self { client, received })
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }

    /// Received messages on `topic`.
    pub fn on(&self, topic: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.topic == topic).collect()
    }

    /// Waits until `done` holds for what was received, or `timeout` passes.
    pub fn wait_until(&self, timeout: Duration, mut done: impl FnMut(&[Received]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if done(&self.received()) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(25));
        }
    }

    /// Publishes at QoS 1.
    pub fn publish(&self, topic: &str, payload: impl Into<Vec<u8>>, retain: bool) -> Result<()> {
        self.client.publish(topic, QoS::AtLeastOnce, retain, payload)?;
        Ok(())
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.client.try_disconnect();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
