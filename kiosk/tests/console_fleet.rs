//! The console steering real kiosks, in real headless Chromium: three kiosks (Xvfb, synthetic
//! camera) in two stores report to a real Mosquitto; a fleet operator signs in, filters the
//! fleet to one store, sends "maintenance on" to the kiosks shown and watches every ack arrive
//! on the command's page; the other store's kiosk is untouched. A screenshot asked for on a
//! kiosk's page is uploaded by the kiosk and shown there. Then a rollout of a value the kiosks
//! refuse stops at its canary: the canary names the key and no wave is sent.
//!
//! With `KIOSK_SCREENSHOT_OUT` set, the console's pages are saved at desktop and phone width.

mod support;

use std::{
    path::Path,
    time::{Duration, Instant},
};

use console::{auth, db::Database, ingest::IngestSettings};
use support::*;
use testkit::{Mosquitto, cdp::Browser};

const SIZE: (u32, u32) = (360, 640);
const PASSWORD: &str = "correct horse battery";
const TOKEN: &str = "screenshot-upload-token";

async fn kiosks(http: &reqwest::Client, base: &str, cookie: &str) -> Vec<serde_json::Value> {
    let Ok(response) = http.get(format!("{base}/api/v1/kiosks")).header("cookie", cookie).send().await else {
        return Vec::new();
    };
    serde_json::from_str(&response.text().await.unwrap_or_default()).unwrap_or_default()
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let body = format!("name=ops&password={}", PASSWORD.replace(' ', "+"));
    let response =
        http.post(format!("{base}/signin")).header("content-type", "application/x-www-form-urlencoded").body(body);
    let response = response.send().await.unwrap_or_else(|e| panic!("{e}"));
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Saves the page at desktop and phone width when screenshots are asked for.
async fn save_pages(browser: &mut Browser, name: &str) {
    if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
        browser.save_desktop_and_phone(&dir, &format!("console-{name}")).await;
    }
}

#[test]
fn the_console_steers_real_kiosks_and_a_refused_rollout_stops_at_its_canary() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let base = runtime.block_on(async {
        let db = Database::connect(&format!("sqlite://{}", work.path().join("console.db").display())).await;
        let db = db.unwrap_or_else(|e| panic!("{e}"));
        auth::put_user(&db, "ops", PASSWORD, "fleet_operator", "*").await.unwrap_or_else(|e| panic!("{e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        let options = console::Options { screenshot_token: Some(TOKEN.into()), ..Default::default() };
        tokio::spawn(console::serve(db, IngestSettings::anonymous(broker.url(), "console-fleet"), options, listener));
        base
    });

    let display = Display::start(SIZE.0, SIZE.1);
    let mut running = Vec::new();
    for (kiosk, store) in [("room-1", "berlin-01"), ("room-2", "berlin-01"), ("room-9", "hamburg-02")] {
        let args = [
            format!("--set=kiosk.id={kiosk}"),
            format!("--set=kiosk.store={store}"),
            format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
            format!("--set=telemetry.data_dir=\"{}\"", work.path().join(kiosk).display()),
            format!("--set=remote.screenshot_upload_url=\"{base}/uploads/screenshot\""),
            format!("--set=remote.screenshot_upload_token=\"{TOKEN}\""),
        ];
        let log =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("console-fleet-{kiosk}-{}.log", std::process::id()));
        running.push(Kiosk::spawn(&display, SIZE, &args, log, "info,wgpu=error,naga=error"));
    }

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let http = http.unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let cookie = sign_in(&http, &base).await;
        let deadline = Instant::now() + Duration::from_secs(120);
        while kiosks(&http, &base, &cookie).await.iter().filter(|k| k["presence"] == "online").count() < 3 {
            let logs: Vec<String> = running.iter().map(|k| tail(&k.log_text())).collect();
            assert!(Instant::now() < deadline, "the console never saw three kiosks online; logs:\n{}", logs.join("\n"));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        let mut browser = Browser::launch().await;
        browser.open(&format!("{base}/signin")).await;
        browser.desktop_size(1280, 800).await;
        assert!(browser.wait_until("!!document.getElementById('password')", Duration::from_secs(10)).await);
        save_pages(&mut browser, "signin").await;
        let fill = format!(
            "document.getElementById('name').value = 'ops'; document.getElementById('password').value = {PASSWORD:?}; document.querySelector('form.card').submit(); true"
        );
        browser.eval(&fill).await;
        assert!(browser.wait_until("document.querySelectorAll('tr[data-kiosk]').length === 3", Duration::from_secs(10)).await);
        save_pages(&mut browser, "fleet").await;

        // One store, the kiosks it shows, maintenance on: review, send, every ack.
        browser.eval(&format!("location.href = '{base}/?store=berlin-01'; true")).await;
        assert!(browser.wait_until("document.querySelectorAll('tr[data-kiosk]').length === 2", Duration::from_secs(10)).await);
        browser.eval("document.getElementById('action').value = 'maintenance_on'; document.querySelector('form[action=\"/commands/new\"]').submit(); true").await;
        assert!(browser.wait_until("document.getElementById('send')?.textContent === 'Send to 2 kiosk(s)'", Duration::from_secs(10)).await);
        save_pages(&mut browser, "command-confirm").await;
        browser.eval("document.getElementById('send').click(); true").await;
        let all_acked = "document.getElementById('progress')?.dataset.done === '2' && document.querySelectorAll('#targets td.done').length === 2";
        let acked = browser.wait_until(all_acked, Duration::from_secs(30)).await;
        let page = browser.eval("document.querySelector('main').innerText").await;
        let path = browser.eval("location.pathname").await;
        let api = http.get(format!("{base}/api/v1{}", path.as_str().unwrap_or_default())).header("cookie", &cookie).send().await;
        let api = api.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        assert!(acked, "the command page shows both acks: {page}\nAPI: {api}");
        let text = browser.eval("document.getElementById('progress').textContent").await;
        assert_eq!(text.as_str(), Some("2 of 2 answered · 2 done"));
        save_pages(&mut browser, "command").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let fleet = kiosks(&http, &base, &cookie).await;
            let maintenance = |id: &str| fleet.iter().any(|k| k["id"] == id && k["maintenance"] == true);
            if maintenance("room-1") && maintenance("room-2") {
                assert!(!maintenance("room-9"), "the other store's kiosk is untouched");
                break;
            }
            assert!(Instant::now() < deadline, "the kiosks' statuses never said maintenance: {fleet:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // A kiosk's page: a screenshot, taken with the mirror blanked and uploaded by the kiosk.
        browser.eval(&format!("location.href = '{base}/kiosks/room-1'; true")).await;
        assert!(browser.wait_until("!!document.getElementById('kiosk-state')", Duration::from_secs(10)).await);
        browser.eval("document.getElementById('action').value = 'screenshot'; document.querySelector('form.act').submit(); true").await;
        assert!(browser.wait_until("!!document.getElementById('send')", Duration::from_secs(10)).await);
        browser.eval("document.getElementById('send').click(); true").await;
        assert!(browser.wait_until("document.getElementById('progress')?.dataset.done === '1'", Duration::from_secs(30)).await, "the screenshot's ack");
        browser.eval(&format!("location.href = '{base}/kiosks/room-1'; true")).await;
        let shown = "[...document.images].some((i) => i.src.includes('/kiosks/room-1/screenshot.png') && i.complete && i.naturalWidth === 360)";
        assert!(browser.wait_until(shown, Duration::from_secs(10)).await, "the kiosk page shows the uploaded screenshot");
        save_pages(&mut browser, "kiosk").await;

        // A rollout every kiosk refuses (below the 5 s minimum): the canary stops it.
        browser.eval(&format!("location.href = '{base}/rollouts'; true")).await;
        let form = browser.wait_until("!!document.getElementById('settings')", Duration::from_secs(10)).await;
        assert!(form, "the rollout form: {}", browser.eval("document.body.innerText").await);
        browser
            .eval("document.getElementById('settings').value = 'session.inactivity_timeout_s=1'; document.getElementById('soak_s').value = '1'; document.getElementById('start').click(); true")
            .await;
        let stopped = "document.getElementById('rollout-state')?.dataset.state === 'stopped'";
        assert!(browser.wait_until(stopped, Duration::from_secs(60)).await, "the rollout stops at its canary");
        let reason = browser.eval("document.getElementById('reason').textContent").await;
        let reason = reason.as_str().unwrap_or_default();
        assert!(reason.contains("room-1 rejected") && reason.contains("session.inactivity_timeout_s"), "{reason}");
        let waiting = browser.eval("document.querySelectorAll('#targets td.waiting').length").await;
        assert_eq!(waiting.as_i64(), Some(2), "no wave was sent");
        save_pages(&mut browser, "rollout").await;
        let fleet = kiosks(&http, &base, &cookie).await;
        for id in ["room-2", "room-9"] {
            let desired = fleet.iter().find(|k| k["id"] == id).map(|k| k["desired"].clone());
            assert_eq!(desired, Some(serde_json::Value::Null), "{id} never got the document");
        }
        browser.eval(&format!("location.href = '{base}/rollouts'; true")).await;
        assert!(browser.wait_until("document.querySelectorAll('#rollouts td.stopped').length === 1", Duration::from_secs(10)).await);
        save_pages(&mut browser, "rollouts").await;
        browser.eval(&format!("location.href = '{base}/commands'; true")).await;
        assert!(browser.wait_until("!!document.getElementById('commands')", Duration::from_secs(10)).await);
        save_pages(&mut browser, "commands").await;
        browser.eval(&format!("location.href = '{base}/alerts'; true")).await;
        assert!(browser.wait_until("!!document.getElementById('alerts')", Duration::from_secs(10)).await);
        save_pages(&mut browser, "alerts").await;
    });
    for kiosk in &mut running {
        assert!(kiosk.is_running(), "a kiosk exited; log:\n{}", tail(&kiosk.log_text()));
    }
}
