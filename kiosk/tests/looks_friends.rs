//! "Show friends" end to end: the real kiosk under Xvfb shares through its in-process relay, two
//! friends watch in real headless Chromium. The look the shopper shows reaches both pages as a card
//! with its item and price; both friends pick "This one" and the mirror shows the tally beside the
//! look; the look the shopper did not show never reaches the relay; ending the session removes the
//! card from both pages and the look from the relay within a second.

mod support;

use std::{
    net::TcpListener,
    thread,
    time::{Duration, Instant},
};

use support::{texts::Texts, *};
use testkit::cdp::Browser;

/// The Oxford shirt, white, M, in the demo catalog.
const SHIRT: &str = "4006381000031";

async fn metric(port: u16, line_start: &str) -> Option<u64> {
    let body = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await.ok()?.text().await.ok()?;
    body.lines().find_map(|l| l.strip_prefix(line_start)).and_then(|v| v.trim().parse().ok())
}

async fn status(url: &str) -> u16 {
    reqwest::get(url).await.map(|r| r.status().as_u16()).unwrap_or(0)
}

const CARDS: &str = "document.querySelectorAll('#looks .card').length";

#[test]
fn a_shown_look_reaches_two_friends_their_picks_reach_the_mirror_and_the_end_removes_it() {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
    let Ok(port) = port else { panic!("no free port") };
    let dir = out_dir("looks-friends");
    let drawn = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let texts = |name: &str| drawn.path().join(format!("{name}.json"));
    let args = vec![
        format!("--set=share.embedded_listen=\"127.0.0.1:{port}\""),
        format!("--set=share.embedded_public_url=\"http://127.0.0.1:{port}\""),
        "--set=looks.countdown_s=0".into(),
        format!("--set=catalog.bundled=\"{}/../assets/catalog\"", env!("CARGO_MANIFEST_DIR")),
        "--at=2:touch".into(),
        format!("--at=+0:scan={SHIRT}"),
        "--at=+0:wait=Oxford shirt".into(),
        "--at=+0:press=Looks".into(),
        "--at=+0:press=Take a look".into(),
        "--at=+0:wait=Your looks · 1 of 8".into(),
        "--at=+0.3:press=Take a look".into(),
        "--at=+0:wait=Your looks · 2 of 8".into(),
        "--at=+0:press=Share".into(),
        "--at=+0:press=Start sharing".into(),
        "--at=+0:wait=Scan to watch live".into(),
        format!("--at=+0:texts={}", texts("sharing").display()),
        "--at=+0:wait=● LIVE · 2 watching".into(),
        // One of the two looks, shown; the other stays on the mirror.
        "--at=+0:press=Show friends".into(),
        "--at=+0:wait=✔ Shown".into(),
        "--at=+0:wait=♥ 2 friends picked this".into(),
        format!("--at=+0.3:screenshot={}", dir.join("looks-friends.png").display()),
        format!("--at=+0:texts={}", texts("picked").display()),
        // The test checks the relay, then says so in a comment.
        "--at=+0:wait=relay checked".into(),
        "--at=+0:press=End session".into(),
        // With an item in the room the first press offers "Take it home" (the share stopped at
        // once); the second ends the session.
        "--at=+0:wait=Before you go".into(),
        "--at=+0:press=End session".into(),
        "--at=+0:wait=Touch to start".into(),
        // The relay stays up a while so the test can ask it about the looks.
        "--at=+4:exit".into(),
    ];
    let kiosk = thread::spawn(move || drop(run_kiosk(&args, Duration::from_secs(200))));
    assert!(wait_for_file(&texts("sharing"), Duration::from_secs(120)), "the share never started");
    let prefix = format!("http://127.0.0.1:{port}/v/");
    let sharing = Texts::load(&texts("sharing"));
    let viewer_url = sharing.all().into_iter().find(|t| t.starts_with(&prefix)).map(String::from);
    let Some(viewer_url) = viewer_url else { panic!("no viewer link on screen") };

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let Ok(runtime) = runtime else { panic!("no runtime") };
    runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut friends = [Browser::launch().await, Browser::launch().await];
        for friend in &mut friends {
            friend.open(&viewer_url).await;
        }
        // The shown look arrives on both pages as one card with its item and price.
        for friend in &mut friends {
            assert!(friend.wait_until(&format!("{CARDS} === 1"), Duration::from_secs(60)).await, "no look card");
            let card = friend.eval("document.querySelector('#looks .card ul').textContent").await;
            assert_eq!(card.as_str(), Some("Oxford shirt€49.95"), "the card lists the item and its price");
            let loaded = "document.querySelector('#looks .card img').naturalWidth > 100";
            assert!(friend.wait_until(loaded, Duration::from_secs(10)).await, "the look's picture shows");
        }
        let shown = friends[0].eval("Number(document.querySelector('#looks .card').dataset.look)").await;
        let Some(shown) = shown.as_u64() else { panic!("the card names no look: {shown:?}") };
        let unshown = if shown == 1 { 2 } else { 1 };
        let _ = friends[0].screenshot("#looks").await.save(dir.join("viewer-looks.png"));

        // Both friends pick it; the mirror shows the tally (the kiosk waits for it).
        for friend in &mut friends {
            friend.eval("document.querySelector('#looks .card button').click(); true").await;
        }
        for friend in &mut friends {
            let two = "document.querySelector('#looks .card .picks').textContent === '2 picks'";
            assert!(friend.wait_until(two, Duration::from_secs(10)).await, "both pages show both picks");
        }
        assert!(wait_for_file(&texts("picked"), Duration::from_secs(60)), "the mirror never showed the picks");

        // At the relay: the shown look only. The other never left the kiosk.
        assert_eq!(metric(port, "relay_looks_shown ").await, Some(1));
        assert_eq!(metric(port, "relay_rejected_total{reason=\"look\"} ").await, Some(0));
        assert_eq!(status(&format!("{viewer_url}/looks/{shown}")).await, 200);
        assert_eq!(status(&format!("{viewer_url}/looks/{unshown}")).await, 404, "an unshown look is not on the relay");

        // The session ends: the look leaves the relay and both pages within a second.
        friends[0]
            .eval("document.getElementById('name').value = 'Ana'; document.getElementById('text').value = 'relay checked'; document.getElementById('comment').requestSubmit(); true")
            .await;
        let pressed = "automation: pressed \"End session\"";
        let deadline = Instant::now() + Duration::from_secs(60);
        while !std::fs::read_to_string(run_kiosk_log()).unwrap_or_default().contains(pressed) {
            assert!(Instant::now() < deadline, "the session was never ended");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let ended = Instant::now();
        while metric(port, "relay_looks_shown ").await != Some(0) {
            assert!(ended.elapsed() < Duration::from_secs(1), "the relay still holds the look {:?} after the end", ended.elapsed());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for friend in &mut friends {
            let gone = format!("{CARDS} === 0 && document.getElementById('ended').classList.contains('show')");
            let left = Duration::from_secs(1).saturating_sub(ended.elapsed());
            assert!(friend.wait_until(&gone, left).await, "a page still shows the look {:?} after the end", ended.elapsed());
        }
        assert_eq!(status(&format!("{viewer_url}/looks/{shown}")).await, 410, "the look's link is gone");
    });
    assert!(kiosk.join().is_ok(), "the kiosk run failed");

    let picked = Texts::load(&texts("picked"));
    assert!(picked.has("♥ 2 friends picked this") && picked.has("Oxford shirt"), "{:?}", picked.all());
    assert!(picked.has("Show friends"), "the other look is still not shown: {:?}", picked.all());
}
