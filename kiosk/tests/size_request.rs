//! End to end, all real: Mosquitto on a free port, the kiosk under Xvfb downloading its catalog
//! from a local HTTP server, the store's console (SQLite) and headless Chromium as the
//! associate's phone. The shopper scans a shirt and asks for size M; the request appears on the
//! console's board under the fitting room; the associate Anna, signed in, taps "I'm bringing it"
//! and the mirror shows "Anna is bringing …"; "Handed over" closes it on both sides. The usage
//! events tell the same story.

mod support;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use axum::{
    extract::Path as UrlPath,
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use console::{auth, db::Database, ingest::IngestSettings};
use protocol::{
    command::{AckStatus, CommandAck},
    telemetry::{EventEnvelope, UsageEvent, now_ms},
    topics::KioskTopics,
};
use support::{
    texts::{INK_RGB, Texts, glyph_pixels},
    *,
};
use testkit::{Mosquitto, Watcher, WatcherOptions, cdp::Browser};

const SIZE: (u32, u32) = (540, 960);
const SHIRT_M_WHITE: &str = "4006381000031";

fn catalog_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog")
}

/// Serves the demo catalog with an ETag, as a chain's catalog server would.
async fn catalog_server() -> std::net::SocketAddr {
    async fn catalog(headers: HeaderMap) -> axum::response::Response {
        let etag = "\"demo-1\"";
        if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag) {
            return StatusCode::NOT_MODIFIED.into_response();
        }
        match std::fs::read(catalog_dir().join("catalog.json")) {
            Ok(body) => ([(header::ETAG, etag)], body).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    }
    async fn image(UrlPath(name): UrlPath<String>) -> axum::response::Response {
        match std::fs::read(catalog_dir().join("images").join(name.replace('/', ""))) {
            Ok(body) => body.into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    }
    let app = axum::Router::new().route("/catalog.json", get(catalog)).route("/images/{name}", get(image));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

const PASSWORD: &str = "correct horse battery";

/// Starts the store's console (a SQLite file in `work`) following `broker`, with the
/// associate Anna of store berlin-01; its address.
async fn console_for_the_store(broker: &Mosquitto, work: &Path, client_id: &str) -> String {
    let db = Database::connect(&format!("sqlite://{}", work.join("console.db").display())).await;
    let db = db.unwrap_or_else(|e| panic!("{e}"));
    auth::put_user(&db, "Anna", PASSWORD, "associate", "berlin-01").await.unwrap_or_else(|e| panic!("{e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let ingest = IngestSettings::anonymous(broker.url(), client_id);
    tokio::spawn(console::serve(db, ingest, console::Options::default(), listener));
    base
}

/// Anna's session cookie, signed in over HTTP as a phone's browser would.
async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let body = format!("name=Anna&password={}", PASSWORD.replace(' ', "+"));
    let response =
        http.post(format!("{base}/signin")).header("content-type", "application/x-www-form-urlencoded").body(body);
    let response = response.send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 303, "Anna signs in");
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

fn events(watcher: &Watcher, topic: &str) -> Vec<UsageEvent> {
    watcher
        .on(topic)
        .iter()
        .filter_map(|r| serde_json::from_slice::<EventEnvelope>(&r.payload).ok())
        .map(|e| e.event)
        .collect()
}

async fn wait_for_log(kiosk: &Kiosk, needle: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if kiosk.log_text().contains(needle) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// The shopper scans the shirt once the catalog is in (the empty "Your items" list shows only
/// then), asks for M and confirms: each step waits for its screen.
fn ask_for_the_shirt() -> Vec<String> {
    [
        "--at=2:touch".to_string(),
        "--at=+0:press=Scan item".into(),
        "--at=+0:wait=Nothing identified yet.".into(),
        format!("--at=+0:scan={SHIRT_M_WHITE}"),
        "--at=+0:press=Ask for M".into(),
        "--at=+0:press=Yes, please bring it".into(),
    ]
    .to_vec()
}

/// Waits for a file the kiosk's script writes (`texts=` comes after its screenshot).
async fn wait_for_file(kiosk: &Kiosk, path: &Path, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared; log:\n{}", path.display(), kiosk.log_text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The screenshot the script took when the banner showed `line`, once its texts are written;
/// checks the line's glyphs are in the pixels.
/// The screenshot, and the band of rows the banner's line sits in (the banner sits at the top,
/// or lower where the top of the screen is out of reach).
async fn banner_shown(kiosk: &Kiosk, shot: &Path, texts: &Path, line: &str) -> (image::RgbImage, (u32, u32)) {
    wait_for_file(kiosk, texts, Duration::from_secs(30)).await;
    let image = screenshot(shot);
    let drawn = Texts::load(texts);
    let text = drawn.get(line);
    let glyphs = glyph_pixels(&image, text, INK_RGB);
    assert!(glyphs > 100, "the banner {line:?} is drawn ({glyphs} glyph px)");
    (image, (text.y.saturating_sub(20), text.y + text.h + 20))
}

fn screenshot(path: &Path) -> image::RgbImage {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_rgb8();
    assert_eq!(image.dimensions(), SIZE, "{}", path.display());
    image
}

/// Pixels of the "accepted" banner's green (`theme::GOOD` over the mirror) in its rows, left.
fn banner_green((image, (top, bottom)): &(image::RgbImage, (u32, u32))) -> usize {
    image
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            let [r, g, b] = p.0;
            *x >= 20 && *x < 355 && *y >= *top && *y < *bottom && (70..160).contains(&g) && g > r + 40 && g > b + 20
        })
        .count()
}

#[test]
fn a_size_request_reaches_the_console_s_board_and_the_acceptance_shows_on_the_mirror() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("room-3");
    let analytics = WatcherOptions { client_id: "analytics".into(), persistent: true, ..WatcherOptions::default() };
    let fleet =
        Watcher::start(broker.port, &[&topics.events, &topics.cmd_ack], analytics).unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let catalog = catalog_server().await;
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store_server = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let console = console_for_the_store(&broker, store_server.path(), "console-berlin-01").await;
        let shots = out_dir("size-request");
        for name in ["request-waiting.png", "request-accepted.png"] {
            let _ = std::fs::remove_file(shots.join(name));
        }
        // What the kiosk drew, beside the screenshots (not in docs/screens when regenerating).
        let drawn = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let display = Display::start(SIZE.0, SIZE.1);
        let args: Vec<String> = [
            "--set=kiosk.id=room-3".to_string(),
            "--set=kiosk.store=berlin-01".into(),
            "--set=kiosk.room=\"Room 3\"".into(),
            format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
            format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
            format!("--set=catalog.url=\"http://{catalog}/catalog.json\""),
        ]
        .into_iter()
        .chain(ask_for_the_shirt())
        .chain([
            // The staff side takes its time: the script waits for the acceptance as long as it needs.
            "--wait-limit=120".into(),
            "--at=+0:wait=waiting for an associate".into(),
            format!("--at=+0.5:screenshot={}", shots.join("request-waiting.png").display()),
            format!("--at=+0:texts={}", drawn.path().join("waiting.json").display()),
            "--at=+0:wait=is bringing".into(),
            format!("--at=+0.5:screenshot={}", shots.join("request-accepted.png").display()),
            format!("--at=+0:texts={}", drawn.path().join("accepted.json").display()),
        ])
        .collect();
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("size-request-{}.log", std::process::id()));
        let kiosk = Kiosk::spawn(&display, SIZE, &args, log, "info,wgpu=error,naga=error");

        // The catalog came from the server (not a bundled copy: none is configured).
        assert!(
            wait_for_log(&kiosk, "catalog: 38 products in use (Server)", Duration::from_secs(60)).await,
            "the kiosk did not download the catalog:\n{}",
            kiosk.log_text()
        );

        // Anna signs in on her phone and opens the board.
        let mut browser = Browser::launch().await;
        browser.open(&format!("{console}/signin")).await;
        assert!(browser.wait_until("!!document.getElementById('password')", Duration::from_secs(10)).await);
        let fill = format!(
            "document.getElementById('name').value = 'Anna'; document.getElementById('password').value = {PASSWORD:?}; document.querySelector('form.card').submit(); true"
        );
        browser.eval(&fill).await;
        assert!(browser.wait_until("location.pathname === '/'", Duration::from_secs(10)).await, "signed in");
        browser.eval(&format!("location.href = '{console}/requests'; true")).await;
        let listed = browser.wait_until("document.querySelector('.request form') !== null", Duration::from_secs(90)).await;
        assert!(listed, "the request never reached the board; kiosk log:\n{}", kiosk.log_text());
        let room = browser.eval("document.querySelector('#live h3').textContent").await;
        assert_eq!(room.as_str(), Some("Room 3"), "requests are listed by fitting room");
        let what = browser.eval("document.querySelector('.request .what').textContent").await;
        assert_eq!(what.as_str(), Some("Oxford shirt · size M · white"));

        // Waiting: the mirror's banner says so, on the dark panel, not green.
        let line = "Asked for Oxford shirt in M (white) · waiting for an associate";
        let waiting = banner_shown(&kiosk, &shots.join("request-waiting.png"), &drawn.path().join("waiting.json"), line).await;
        let green = banner_green(&waiting);
        assert!(green < 500, "no acceptance shown before anyone accepted ({green} green px)");

        browser.eval("document.querySelector('.request form button').click(); true").await;
        assert!(
            wait_for_log(&kiosk, "accepted by Anna", Duration::from_secs(20)).await,
            "the kiosk never heard of the acceptance:\n{}",
            kiosk.log_text()
        );
        let shown = browser.wait_until("document.body.textContent.includes('Anna is bringing it')", Duration::from_secs(10)).await;
        assert!(shown, "the board shows who is bringing it");
        let line = "✔ Anna is bringing Oxford shirt in M (white)";
        let accepted = banner_shown(&kiosk, &shots.join("request-accepted.png"), &drawn.path().join("accepted.json"), line).await;
        let green = banner_green(&accepted);
        assert!(green > 5_000, "the mirror shows the acceptance banner ({green} green px)");

        // The catalog refresh command: a conditional request, answered "not modified".
        let refresh = format!(
            r#"{{"v":1,"id":"cat-2","expires_at_ms":{},"action":{{"type":"refresh_catalog"}}}}"#,
            now_ms() + 60_000
        );
        fleet.publish(&topics.cmd, refresh, false).unwrap_or_else(|e| panic!("{e}"));

        browser.eval("document.querySelector('.request form button').click(); true").await;
        assert!(
            wait_for_log(&kiosk, "fulfilled after", Duration::from_secs(20)).await,
            "the kiosk never heard it was done:\n{}",
            kiosk.log_text()
        );
        let cleared = browser.wait_until("document.getElementById('none') !== null", Duration::from_secs(10)).await;
        assert!(cleared, "the board empties once the item is handed over");

        let refresh_ack = || {
            fleet
                .on(&topics.cmd_ack)
                .iter()
                .filter_map(|r| serde_json::from_slice::<CommandAck>(&r.payload).ok())
                .find(|a| a.id.as_ref().is_some_and(|i| i.as_str() == "cat-2"))
        };
        fleet.wait_until(Duration::from_secs(20), |_| refresh_ack().is_some());
        let ack = refresh_ack().unwrap_or_else(|| panic!("no ack for refresh_catalog"));
        assert_eq!(ack.status, AckStatus::Done, "{ack:?}");
        assert!(ack.result.as_ref().is_some_and(|r| r.to_string().contains("not modified")), "{ack:?}");

        // Usage events: the scan, the suggestions shown, the request and its fulfilment.
        let complete = fleet.wait_until(Duration::from_secs(20), |_| {
            events(&fleet, &topics.events).iter().any(|e| matches!(e, UsageEvent::SizeRequestFulfilled { .. }))
        });
        let seen = events(&fleet, &topics.events);
        assert!(complete, "no size_request_fulfilled event: {seen:?}");
        let requested = seen.iter().find_map(|e| match e {
            UsageEvent::SizeRequested { request, sku } => Some((request.clone(), sku.clone())),
            _ => None,
        });
        let fulfilled = seen.iter().find_map(|e| match e {
            UsageEvent::SizeRequestFulfilled { request, sku, .. } => Some((request.clone(), sku.clone())),
            _ => None,
        });
        assert_eq!(requested, fulfilled, "the same request and SKU: {seen:?}");
        assert!(seen.iter().any(|e| matches!(e, UsageEvent::ItemScanned { method: protocol::telemetry::ScanMethod::Scanner, .. })));
        assert!(seen.iter().filter(|e| matches!(e, UsageEvent::SuggestionShown { .. })).count() >= 2, "{seen:?}");
    });
}

/// The board's open requests (the console's API, as Anna): (room, product) pairs.
async fn board(http: &reqwest::Client, console: &str, cookie: &str) -> Vec<(String, String)> {
    let url = format!("{console}/api/v1/requests?store=berlin-01");
    let Ok(response) = http.get(url).header("cookie", cookie).send().await else { return Vec::new() };
    let listing: serde_json::Value = response.json().await.unwrap_or_default();
    let rooms = listing["rooms"].as_array().cloned().unwrap_or_default();
    rooms
        .iter()
        .flat_map(|room| {
            let name = room["room"].as_str().unwrap_or_default().to_string();
            room["requests"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |entry| (name.clone(), entry["request"]["product"].as_str().unwrap_or_default().to_string()))
        })
        .collect()
}

#[test]
fn a_request_left_open_by_a_killed_kiosk_is_withdrawn_when_it_restarts() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store_server = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let console = console_for_the_store(&broker, store_server.path(), "console-restart").await;
        // The workspace builds reqwest with rustls and no crypto provider: name one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
        let http = http.unwrap_or_else(|e| panic!("{e}"));
        let cookie = sign_in(&http, &console).await;
        let display = Display::start(SIZE.0, SIZE.1);
        let base: Vec<String> = vec![
            "--set=kiosk.id=room-5".to_string(),
            "--set=kiosk.store=berlin-01".into(),
            "--set=kiosk.room=\"Room 5\"".into(),
            format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
            format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
            format!("--set=catalog.bundled=\"{}\"", catalog_dir().display()),
        ];
        let mut first_args = base.clone();
        first_args.extend(ask_for_the_shirt());
        let log =
            |n: u32| Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("restart-{n}-{}.log", std::process::id()));
        let mut first = Kiosk::spawn(&display, SIZE, &first_args, log(1), "info,wgpu=error,naga=error");
        let deadline = Instant::now() + Duration::from_secs(90);
        while board(&http, &console, &cookie).await.is_empty() {
            assert!(Instant::now() < deadline, "the request never reached the staff; log:\n{}", first.log_text());
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(board(&http, &console, &cookie).await, [("Room 5".to_string(), "Oxford shirt".to_string())]);

        // A crash mid-session: nothing withdraws the request, the associate would still walk over.
        first.kill_9();
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(board(&http, &console, &cookie).await.len(), 1, "killed: still listed (control)");

        // The restarted kiosk withdraws what the previous run left open.
        let second = Kiosk::spawn(&display, SIZE, &base, log(2), "info,wgpu=error,naga=error");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !board(&http, &console, &cookie).await.is_empty() {
            assert!(Instant::now() < deadline, "the staff still see the request; log:\n{}", second.log_text());
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            second.log_text().contains("withdrawing 1 size request(s) the previous run left open"),
            "{}",
            second.log_text()
        );
        assert!(!data.path().join("open-requests.json").exists(), "the list is forgotten once withdrawn");
    });
}
