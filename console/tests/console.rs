//! The console against SQLite and against a real PostgreSQL cluster the test starts, fed by a
//! real Mosquitto with real telemetry from the telemetry crate's link (two kiosks in two
//! stores): events are stored once by id, a skipped sequence number shows as missing, an outbox
//! that dropped events says so, presence follows the kiosks, each user sees only their stores
//! (pages, live fragment and JSON API), sign-ins are audited and the audit log refuses changes.
//! Then real headless Chromium signs in and watches the fleet page update itself.

use std::time::Duration;

use console::{auth, db::Database, ingest::IngestSettings};
use protocol::{
    telemetry::{EVENT_SCHEMA_VERSION, EventEnvelope, EventId, UsageEvent, now_ms},
    topics::KioskTopics,
};
use testkit::{Mosquitto, Watcher, WatcherOptions, cdp::Browser, postgres::Postgres};

mod common;

use common::*;

async fn exercise(url: String, name: &str) {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    auth::put_user(&db, "ada", PASSWORD, "admin", "*").await.unwrap_or_else(|e| panic!("{e}"));
    auth::put_user(&db, "anna", PASSWORD, "associate", "store-a").await.unwrap_or_else(|e| panic!("{e}"));
    assert!(auth::put_user(&db, "bob", "short", "admin", "*").await.is_err(), "a short password is refused");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let ingest = IngestSettings::anonymous(broker.url(), &format!("console-test-{name}"));
    tokio::spawn(console::serve(db, ingest, console::Options::default(), listener));

    let dirs = tempfile_dir(name);
    let a = link(&broker, "kiosk-a1", "store-a", &dirs.join("a"));
    let b = link(&broker, "kiosk-b1", "store-b", &dirs.join("b"));
    let at = now_ms();
    let seqs = a.record([(UsageEvent::SessionStarted, at, None), (UsageEvent::ShareStarted, at + 1, None)]);
    let first_seq = seqs.ok().and_then(|s| s.first().copied()).unwrap_or_else(|| panic!("recording failed"));
    assert!(b.record([(UsageEvent::SessionStarted, at, None)]).is_ok());
    a.health(health("kiosk-a1", 30.0, 0));
    b.health(health("kiosk-b1", 30.0, 3));

    // Unsigned: pages go to the sign-in, the API answers 401; a wrong password is refused.
    let mut ada = Client::new(&base);
    assert_eq!(ada.get("/").await.0, 303);
    assert_eq!(ada.get("/").await.2.as_deref(), Some("/signin"));
    assert_eq!(ada.get("/api/v1/kiosks").await.0, 401);
    assert_eq!(ada.sign_in("ada", "not the password").await, 401);
    assert_eq!(ada.sign_in("ada", PASSWORD).await, 303);

    eventually("both kiosks' events and health", async || {
        let kiosks = ada.kiosks().await;
        let events = |id| kiosk(&kiosks, id).and_then(|k| k["events"].as_i64());
        let heard = |id| kiosk(&kiosks, id).is_some_and(|k| k["health"].is_object() && k["presence"] == "online");
        events("kiosk-a1") == Some(2) && events("kiosk-b1") == Some(1) && heard("kiosk-a1") && heard("kiosk-b1")
    })
    .await;
    let kiosks = ada.kiosks().await;
    let b_row = kiosk(&kiosks, "kiosk-b1").cloned().unwrap_or_default();
    assert_eq!(
        (b_row["store"].as_str(), b_row["gaps"].as_i64(), b_row["outbox_dropped"].as_i64()),
        (Some("store-b"), Some(0), Some(3))
    );

    // The same event twice (a redelivery), then one that skips four sequence numbers.
    let topics = KioskTopics::new("kiosk-a1");
    let watcher =
        Watcher::start(broker.port, &[&topics.events], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let envelope = |seq: u64, id: EventId| EventEnvelope {
        v: EVENT_SCHEMA_VERSION,
        id,
        seq,
        kiosk: ident("kiosk-a1"),
        at_ms: at + 10,
        session: None,
        event: UsageEvent::LooksCompared { looks: 2 },
    };
    let again = envelope(100, EventId::new());
    let skipped = envelope(105, EventId::new());
    for message in [&again, &again, &skipped] {
        let published = watcher.publish(&topics.events, serde_json::to_vec(message).unwrap_or_default(), false);
        assert!(published.is_ok());
    }
    assert!(watcher.publish(&topics.events, "{not json", false).is_ok(), "malformed: logged and dropped");
    eventually("the two new events, the duplicate dropped", async || {
        ada.kiosks().await.iter().any(|k| k["id"] == "kiosk-a1" && k["events"] == 4)
    })
    .await;
    // Two from the link, then 100 and 105 by hand: everything between never came.
    let a_row = kiosk(&ada.kiosks().await, "kiosk-a1").cloned().unwrap_or_default();
    let missing = (105 - first_seq + 1 - 4) as i64;
    assert_eq!(a_row["gaps"].as_i64(), Some(missing), "{a_row}");

    // An associate of store A sees store A only: the page, the live fragment, the API.
    let mut anna = Client::new(&base);
    assert_eq!(anna.sign_in("anna", PASSWORD).await, 303);
    let ids: Vec<String> = anna.kiosks().await.iter().filter_map(|k| k["id"].as_str().map(String::from)).collect();
    assert_eq!(ids, ["kiosk-a1"]);
    for path in ["/", "/fragments/fleet", "/?state=online"] {
        let (status, html, _) = anna.get(path).await;
        assert!(
            status == 200 && html.contains("kiosk-a1") && !html.contains("kiosk-b1") && !html.contains("store-b"),
            "{path}: {html:.400}"
        );
    }
    assert_eq!(anna.get("/api/v1/audit").await.0, 403, "only an admin reads the audit log");
    assert_eq!(ada.get("/?state=asleep").await.0, 400);

    // Presence: a kiosk that shuts down says offline.
    drop(b);
    eventually("kiosk-b1 offline", async || {
        kiosk(&ada.kiosks().await, "kiosk-b1").is_some_and(|k| k["presence"] == "offline")
    })
    .await;

    // The audit log: every sign-in, refused ones too, and no way to change it.
    let (status, audit, _) = ada.get("/api/v1/audit").await;
    let audit: Vec<serde_json::Value> = serde_json::from_str(&audit).unwrap_or_default();
    let actions: Vec<(String, String)> = audit
        .iter()
        .map(|e| (e["user"].as_str().unwrap_or("").into(), e["action"].as_str().unwrap_or("").into()))
        .collect();
    assert_eq!(status, 200);
    for wanted in [("anna", "sign_in"), ("ada", "sign_in"), ("ada", "sign_in_refused")] {
        assert!(actions.contains(&(wanted.0.into(), wanted.1.into())), "{wanted:?} in {actions:?}");
    }
    let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(db.execute_raw("DELETE FROM audit").await.is_err(), "the audit log refuses deletes");
    assert!(db.execute_raw("UPDATE audit SET user_name = 'x'").await.is_err(), "and updates");

    // Real Chromium: sign in on the page, see the fleet, watch it follow a kiosk going degraded.
    let mut browser = Browser::launch().await;
    browser.open(&format!("{base}/signin")).await;
    assert!(browser.wait_until("!!document.getElementById('password')", Duration::from_secs(10)).await);
    browser
        .eval(&format!(
            "document.getElementById('name').value = 'ada'; document.getElementById('password').value = {PASSWORD:?}; document.querySelector('form.card').submit(); true"
        ))
        .await;
    let rows = "document.querySelectorAll('tr[data-kiosk]').length === 2";
    assert!(browser.wait_until(rows, Duration::from_secs(10)).await, "the fleet page lists both kiosks");
    let degraded = "document.querySelector('[data-count=degraded] b').textContent";
    assert_eq!(browser.eval(degraded).await.as_str(), Some("0"));
    a.health(health("kiosk-a1", 6.0, 0));
    let live = format!(
        "{degraded} === '1' && document.querySelector('tr[data-kiosk=kiosk-a1] .problem').textContent === 'low frame rate'"
    );
    assert!(browser.wait_until(&live, Duration::from_secs(10)).await, "the page follows the kiosk without a reload");
    drop(a);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_console_on_sqlite() {
    let dir = tempfile_dir("sqlite-db");
    let _ = std::fs::create_dir_all(&dir);
    exercise(format!("sqlite://{}", dir.join("console.db").display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_office_console_on_postgresql() {
    let postgres = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
    exercise(postgres.url(), "postgres").await;
    drop(postgres);
}
