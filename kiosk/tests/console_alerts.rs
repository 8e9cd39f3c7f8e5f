//! The console's alerting end to end: the real kiosk (Xvfb, synthetic camera) reports to a real
//! Mosquitto, the console follows it, and a store manager watches in real headless Chromium;
//! `kill -9` of the kiosk makes the broker publish its Will, the fleet page shows it "lost"
//! without a reload, the console raises one `offline` alert once it has lasted the configured
//! time, the alert's email reaches a real SMTP server (Debian's python3-aiosmtpd, saving to a
//! Maildir), and the manager acknowledges it on the Alerts page.

mod support;

use std::{
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use console::{alerts::AlertSettings, auth, db::Database, ingest::IngestSettings};
use support::*;
use testkit::{Mosquitto, cdp::Browser, free_port};

const SIZE: (u32, u32) = (540, 960);
const PASSWORD: &str = "correct horse battery";

/// aiosmtpd on a free loopback port, every message saved into `maildir`.
struct SmtpSink {
    port: u16,
    child: Child,
}

impl SmtpSink {
    fn start(maildir: &Path) -> SmtpSink {
        let port = free_port().unwrap_or_else(|e| panic!("{e}"));
        // Debian's own Python, where python3-aiosmtpd installs (not a pyenv one first on PATH).
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("python3 -m aiosmtpd: {e} (the README's test command installs python3-aiosmtpd)")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd never listened on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink { port, child }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every message the sink saved (Maildir `new/`).
fn mails(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
}

#[test]
fn a_kiosk_killed_with_9_turns_lost_and_its_alert_email_arrives() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let maildir = work.path().join("mail");
    let sink = SmtpSink::start(&maildir);
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let base = runtime.block_on(async {
        let db = Database::connect(&format!("sqlite://{}", work.path().join("console.db").display())).await;
        let db = db.unwrap_or_else(|e| panic!("{e}"));
        auth::put_user(&db, "mia", PASSWORD, "store_manager", "berlin-01").await.unwrap_or_else(|e| panic!("{e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        let ingest = IngestSettings::anonymous(broker.url(), "console-alerts");
        let alerts = AlertSettings {
            after: Duration::from_secs(3),
            every: Duration::from_millis(250),
            smtp: Some(format!("127.0.0.1:{}", sink.port)),
            mail_from: "console@store.example".into(),
            mail_to: vec!["it@chain.example".into()],
            webhook: None,
            request_after: Duration::from_secs(300),
        };
        tokio::spawn(console::serve(
            db,
            ingest,
            console::Options { alerts: Some(alerts), ..Default::default() },
            listener,
        ));
        base
    });

    let display = Display::start(SIZE.0, SIZE.1);
    let args = [
        "--set=kiosk.id=room-7".to_string(),
        "--set=kiosk.store=berlin-01".into(),
        format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
        format!("--set=telemetry.data_dir=\"{}\"", work.path().join("kiosk").display()),
        "--set=telemetry.health_interval_s=1".into(),
    ];
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("console-alerts-{}.log", std::process::id()));
    let mut kiosk = Kiosk::spawn(&display, SIZE, &args, log, "info,wgpu=error,naga=error");

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let http = http.unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let cookie = sign_in(&http, &base).await;
        let presence = async || -> Option<String> {
            let response = http.get(format!("{base}/api/v1/kiosks")).header("cookie", &cookie).send().await.ok()?;
            let kiosks: Vec<serde_json::Value> = serde_json::from_str(&response.text().await.ok()?).ok()?;
            kiosks.iter().find(|k| k["id"] == "room-7").and_then(|k| k["presence"].as_str().map(String::from))
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while presence().await.as_deref() != Some("online") {
            assert!(Instant::now() < deadline, "the console never saw room-7 online; kiosk log:\n{}", kiosk.log_text());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(mails(&maildir).is_empty(), "no alert while the kiosk is fine");
        let mut browser = Browser::launch().await;
        browser.open(&format!("{base}/signin")).await;
        assert!(browser.wait_until("!!document.getElementById('password')", Duration::from_secs(10)).await);
        let fill = format!(
            "document.getElementById('name').value = 'mia'; document.getElementById('password').value = {PASSWORD:?}; document.querySelector('form.card').submit(); true"
        );
        browser.eval(&fill).await;
        let online = "document.querySelector('[data-count=online] b')?.textContent === '1'";
        assert!(browser.wait_until(online, Duration::from_secs(10)).await, "the fleet page shows room-7 online");

        kiosk.kill_9();
        let killed = Instant::now();
        while presence().await.as_deref() != Some("lost") {
            assert!(killed.elapsed() < Duration::from_secs(40), "room-7 never turned lost after kill -9");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let lost_after = killed.elapsed();
        assert!(mails(&maildir).is_empty(), "the alert waits its 3 s before it is raised");
        let lost = "document.querySelector('[data-count=lost] b')?.textContent === '1' && document.querySelector('tr[data-kiosk=room-7] .state').textContent.startsWith('lost')";
        assert!(browser.wait_until(lost, Duration::from_secs(10)).await, "the fleet page follows the Will without a reload");
        while mails(&maildir).is_empty() {
            assert!(killed.elapsed() < Duration::from_secs(60), "no alert email reached the SMTP server");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mail = mails(&maildir).remove(0);
        assert!(mail.contains("Subject: [mirror] berlin-01 room-7: offline raised"), "{mail}");
        assert!(mail.contains("To: it@chain.example") && mail.contains("Will"), "{mail}");
        println!("lost {lost_after:?} after kill -9; email {:?} after", killed.elapsed());

        // One alert, acknowledged by the store manager on the page.
        let alerts = http.get(format!("{base}/api/v1/alerts")).header("cookie", &cookie).send().await;
        let alerts = alerts.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        let alerts: Vec<serde_json::Value> = serde_json::from_str(&alerts).unwrap_or_default();
        let open: Vec<&serde_json::Value> = alerts.iter().filter(|a| a["cleared_ms"].is_null()).collect();
        assert_eq!(open.len(), 1, "{alerts:?}");
        assert_eq!((open[0]["kiosk"].as_str(), open[0]["rule"].as_str()), (Some("room-7"), Some("offline")));
        browser.eval(&format!("location.href = '{base}/alerts'; true")).await;
        let button = "document.querySelector('tr.open button')";
        assert!(browser.wait_until(&format!("!!{button}"), Duration::from_secs(10)).await, "the alert on the page");
        browser.eval(&format!("{button}.click(); true")).await;
        let acked = "document.querySelector('tr.open')?.textContent.includes('acknowledged by mia')";
        assert!(browser.wait_until(acked, Duration::from_secs(10)).await, "acknowledged on the page");
        assert_eq!(mails(&maildir).len(), 1, "one email for one alert");
    });
    drop(sink);
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let response = http
        .post(format!("{base}/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("name=mia&password={}", PASSWORD.replace(' ', "+")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}
