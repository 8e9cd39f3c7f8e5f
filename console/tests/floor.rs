//! The shop floor and its alerts, on SQLite and a real PostgreSQL cluster, over a real Mosquitto,
//! with kiosks made of the telemetry crate's link:
//!
//! - A size request reaches the console's board (pushed, not polled); an associate of another
//!   store cannot see it; it raises `size_request_unanswered` once nobody accepted it in time;
//!   "I'm bringing it" (on a board in the associate's language) reaches the kiosk as the associate's name, clears the alert, and "Handed
//!   over" takes it off the board.
//! - Events that never arrived raise `telemetry_loss`; a store manager's acknowledgement marks
//!   them seen and the alert clears.
//! - A maintenance window silences a store: its kiosk going offline raises nothing, while the
//!   same in another store raises `offline`; so does a store that is closed now by its opening
//!   hours.
//! - A scope of `region:eu-central` sees the stores the inventory puts there, and no others.

mod common;

use std::time::Duration;

use common::*;
use console::{alerts::AlertSettings, auth, db::Database, ingest::IngestSettings};
use protocol::{
    requests::{REQUEST_SCHEMA, SizeRequest, StaffReply, ToStaff},
    telemetry::{EVENT_SCHEMA_VERSION, EventEnvelope, EventId, UsageEvent, now_ms},
    topics::KioskTopics,
};
use telemetry::link::Inbound;
use testkit::{Mosquitto, Watcher, WatcherOptions, postgres::Postgres};

const FORM: &str = "application/x-www-form-urlencoded";

async fn open_alerts(client: &Client) -> Vec<(String, String)> {
    let alerts = client.json("/api/v1/alerts").await;
    let alerts = alerts.as_array().cloned().unwrap_or_default();
    alerts
        .iter()
        .filter(|a| a["cleared_ms"].is_null())
        .map(|a| (a["kiosk"].as_str().unwrap_or("").to_owned(), a["rule"].as_str().unwrap_or("").to_owned()))
        .collect()
}

fn has(alerts: &[(String, String)], kiosk: &str, rule: &str) -> bool {
    alerts.iter().any(|(k, r)| k == kiosk && r == rule)
}

/// Opening hours that exclude now: one rule, today's weekday, an hour that is not this one.
fn closed_now() -> String {
    let now = now_ms() as i64;
    let days = now.div_euclid(86_400_000);
    let weekday = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][(days + 3).rem_euclid(7) as usize];
    let hour = (now.rem_euclid(86_400_000) / 3_600_000 + 2) % 23;
    format!("{weekday} {hour:02}:00-{:02}:00", hour + 1)
}

async fn exercise(url: String, name: &str) {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    for (user, role, scope) in [
        ("anna", "associate", "store-a"),
        ("bob", "associate", "store-b"),
        ("mia", "store_manager", "store-a,store-b,store-c"),
        ("rita", "analyst", "region:eu-central"),
        ("ops", "fleet_operator", "*"),
    ] {
        auth::put_user(&db, user, PASSWORD, role, scope).await.unwrap_or_else(|e| panic!("{e}"));
    }
    let inventory = format!(
        "store,kiosk_id,room,profile,time_zone,opening_hours,region\n\
         store-a,a1,Room 1,elo,UTC,,eu-central\nstore-b,b1,Room 1,elo,UTC,,eu-central\nstore-c,c1,Room 1,elo,UTC,{},eu-west\n",
        closed_now()
    );
    let stores = console::stores::from_inventory(&inventory).unwrap_or_else(|e| panic!("{e}"));
    console::stores::put(&db, &stores).await.unwrap_or_else(|e| panic!("{e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let alerts = AlertSettings {
        after: Duration::from_millis(500),
        every: Duration::from_millis(100),
        smtp: None,
        mail_from: "console@store.example".into(),
        mail_to: Vec::new(),
        webhook: None,
        request_after: Duration::from_secs(1),
    };
    let options = console::Options { alerts: Some(alerts), ..Default::default() };
    tokio::spawn(console::serve(
        db,
        IngestSettings::anonymous(broker.url(), &format!("floor-{name}")),
        options,
        listener,
    ));

    let dirs = tempfile_dir(&format!("floor-{name}"));
    let a1 = link(&broker, "a1", "store-a", &dirs.join("a1"));
    let b1 = link(&broker, "b1", "store-b", &dirs.join("b1"));
    let c1 = link(&broker, "c1", "store-c", &dirs.join("c1"));
    let mut clients = Vec::new();
    for user in ["anna", "bob", "mia", "rita", "ops"] {
        let mut client = Client::new(&base);
        assert_eq!(client.sign_in(user, PASSWORD).await, 303, "{user} signs in");
        clients.push(client);
    }
    let [anna, bob, mia, rita, ops] = &clients[..] else { panic!("five users") };
    eventually("three kiosks online", async || {
        ops.kiosks().await.iter().filter(|k| k["presence"] == "online").count() == 3
    })
    .await;

    // A size request, answered from the board; an event before and after it.
    let event = || [(UsageEvent::SessionStarted, now_ms(), None)];
    a1.record(event()).unwrap_or_else(|e| panic!("{e}"));
    let request = SizeRequest {
        id: ident("req-1"),
        kiosk: ident("a1"),
        room: "Room 1".into(),
        sku: ident("tee-white-m"),
        product: "Organic tee".into(),
        size: "M".into(),
        colour: "White".into(),
        at_ms: now_ms(),
    };
    a1.send_to_staff(&ToStaff::Opened { v: REQUEST_SCHEMA, request }).unwrap_or_else(|e| panic!("{e}"));
    a1.record(event()).unwrap_or_else(|e| panic!("{e}"));
    eventually("the request on store A's board", async || {
        anna.json("/api/v1/requests?store=store-a").await["rooms"][0]["requests"][0]["request"]["id"] == "req-1"
    })
    .await;
    assert_eq!(bob.get("/api/v1/requests?store=store-a").await.0, 404, "store B's associate sees nothing of A");
    eventually("both of a1's events stored", async || {
        ops.kiosks().await.iter().any(|k| k["id"] == "a1" && k["events"] == 2)
    })
    .await;
    let gaps = ops.kiosks().await.iter().find(|k| k["id"] == "a1").map(|k| k["gaps"].clone());
    assert_eq!(gaps, Some(serde_json::json!(0)), "the request's number between the events is not a lost event");
    let (_, page, _) = anna.get("/requests").await;
    assert!(page.contains("Organic tee · size M · White") && page.contains("I’m bringing it"), "{page:.400}");
    // The board and the sign-in come in the associate's phone's language.
    for (asked, html, title, accept) in [
        ("de-DE,de;q=0.9", r#"lang="de" dir="ltr""#, "Größenwünsche", "Ich bringe es"),
        ("ar", r#"lang="ar" dir="rtl""#, "طلبات المقاسات", "سأحضره"),
        ("fi", r#"lang="en" dir="ltr""#, "Size requests", "I’m bringing it"),
    ] {
        let (status, page, language) = anna.get_in("/requests", asked, "content-language").await;
        assert_eq!(status, 200, "{asked}");
        assert!(page.contains(html) && page.contains(&format!("<title>{title} · ")), "{asked}: {page:.300}");
        assert!(page.contains(accept), "{asked}: {page}");
        assert_eq!(language.as_deref(), html.split('"').nth(1), "{asked}");
        let (_, fragment, _) = anna.get_in("/fragments/requests?store=store-a", asked, "content-language").await;
        assert!(fragment.contains(accept) && !fragment.contains("<html"), "{asked}: {fragment}");
    }
    let (_, sign_in, _) = Client::new(&base).get_in("/signin", "de", "vary").await;
    assert!(sign_in.contains("<h2>Anmelden</h2>") && sign_in.contains("Passwort"), "{sign_in}");
    eventually("an unanswered request raises an alert", async || {
        has(&open_alerts(mia).await, "a1", "size_request_unanswered")
    })
    .await;
    if let (Ok(dir), "postgres") = (std::env::var("KIOSK_SCREENSHOT_OUT"), name) {
        save_board(&base, &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir)).await;
    }
    let (status, _, _) = anna.post("/requests/store-a/req-1/accept", FORM, String::new()).await;
    assert_eq!(status, 303);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let accepted = loop {
        match a1.recv_timeout(Duration::from_millis(100)) {
            Some(Inbound::StaffReply { reply: StaffReply::Accepted { by, .. }, .. }) => break by,
            _ => assert!(tokio::time::Instant::now() < deadline, "the kiosk never heard the acceptance"),
        }
    };
    assert_eq!(accepted, "anna", "the mirror says who is coming");
    eventually("the request alert clears", async || !has(&open_alerts(mia).await, "a1", "size_request_unanswered"))
        .await;
    assert_eq!(anna.post("/requests/store-a/req-1/done", FORM, String::new()).await.0, 303);
    eventually("the board is empty", async || {
        anna.json("/api/v1/requests?store=store-a").await["rooms"].as_array().is_some_and(|r| r.is_empty())
    })
    .await;
    assert_eq!(bob.post("/requests/store-a/req-1/done", FORM, String::new()).await.0, 404);
    // Too late (a colleague closed it): back to the board, which says why.
    let (status, _, location) = anna.post("/requests/store-a/req-1/accept", FORM, String::new()).await;
    assert_eq!(status, 303);
    let location = location.unwrap_or_default();
    let (_, page, _) = anna.get(&location).await;
    assert!(page.contains(r#"not sent: no open request &quot;req-1&quot; in store-a"#), "{location}: {page}");

    // Events that never arrived: seq 1, then 5.
    let events = KioskTopics::new("b1").events;
    let watcher = Watcher::start(broker.port, &[&events], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    for seq in [1, 5] {
        let envelope = EventEnvelope {
            v: EVENT_SCHEMA_VERSION,
            id: EventId::new(),
            seq,
            kiosk: ident("b1"),
            at_ms: now_ms(),
            session: None,
            event: UsageEvent::SessionStarted,
        };
        let payload = serde_json::to_vec(&envelope).unwrap_or_default();
        watcher.publish(&events, payload, false).unwrap_or_else(|e| panic!("{e}"));
    }
    eventually("missing events raise telemetry_loss", async || has(&open_alerts(mia).await, "b1", "telemetry_loss"))
        .await;
    let alerts = mia.json("/api/v1/alerts").await;
    let loss =
        alerts.as_array().into_iter().flatten().find(|a| a["rule"] == "telemetry_loss" && a["cleared_ms"].is_null());
    let id = loss.and_then(|a| a["id"].as_i64()).unwrap_or_default();
    assert!(loss.is_some_and(|a| a["detail"] == "3 events never arrived, 0 dropped by its outbox"), "{alerts}");
    assert_eq!(mia.post(&format!("/alerts/{id}/ack"), FORM, String::new()).await.0, 303);
    eventually("an acknowledged loss clears", async || !has(&open_alerts(mia).await, "b1", "telemetry_loss")).await;

    // A maintenance window for store A; a closed store C; then every kiosk goes away.
    let form = "store=store-a&kiosk=&from=&hours=1&reason=refit+of+the+fitting+rooms";
    assert_eq!(mia.post("/maintenance-windows", FORM, form.into()).await.0, 303);
    assert_eq!(bob.post("/maintenance-windows", FORM, form.into()).await.0, 403, "associates add no windows");
    let (_, page, _) = mia.get("/alerts").await;
    assert!(page.contains("refit of the fitting rooms"), "the window is listed");
    drop((a1, b1, c1));
    eventually("store B's kiosk raises offline", async || has(&open_alerts(ops).await, "b1", "offline")).await;
    let open = open_alerts(ops).await;
    assert!(!has(&open, "a1", "offline"), "the window silences store A: {open:?}");
    assert!(!has(&open, "c1", "offline"), "store C is closed now: {open:?}");
    let kiosks = ops.kiosks().await;
    assert!(
        ["a1", "c1"].iter().all(|id| kiosks.iter().any(|k| k["id"] == *id && k["presence"] == "offline")),
        "{kiosks:?}"
    );

    // A region's analyst sees its stores only.
    let seen: Vec<String> = rita.kiosks().await.iter().map(|k| k["id"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(seen, ["a1", "b1"], "region eu-central is stores A and B");
    let _ = std::fs::remove_dir_all(&dirs);
}

/// The board as an associate's phone shows it, and the alerts page, at both widths.
/// Chromium in `language` with mia signed in.
async fn signed_in_browser(base: &str, language: &str) -> testkit::cdp::Browser {
    let mut browser = testkit::cdp::Browser::launch_in(language).await;
    browser.open(&format!("{base}/signin")).await;
    assert!(browser.wait_until("!!document.getElementById('password')", Duration::from_secs(10)).await);
    let fill = format!(
        "document.getElementById('name').value = 'mia'; document.getElementById('password').value = {PASSWORD:?}; document.querySelector('form.card').submit(); true"
    );
    browser.eval(&fill).await;
    assert!(browser.wait_until("location.pathname === '/'", Duration::from_secs(10)).await);
    browser
}

async fn save_board(base: &str, dir: &std::path::Path) {
    let shots = [
        ("en", "/requests?store=store-a", "console-requests", "!!document.querySelector('.request')"),
        ("en", "/alerts", "console-alerts-rules", "!!document.getElementById('windows')"),
        ("ar", "/requests?store=store-a", "console-requests-ar", "!!document.querySelector('.request')"),
    ];
    for (language, path, name, ready) in shots {
        let mut browser = signed_in_browser(base, language).await;
        browser.open(&format!("{base}{path}")).await;
        assert!(browser.wait_until(ready, Duration::from_secs(10)).await, "{path}");
        browser.save_desktop_and_phone(dir, name).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_floor_and_its_alerts_on_sqlite() {
    let dir = tempfile_dir("floor-sqlite-db");
    let _ = std::fs::create_dir_all(&dir);
    exercise(format!("sqlite://{}", dir.join("console.db").display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_floor_and_its_alerts_on_postgresql() {
    let postgres = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
    exercise(postgres.url(), "postgres").await;
    drop(postgres);
}
