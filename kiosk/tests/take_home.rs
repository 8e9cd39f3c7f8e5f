//! "Take it home" end to end: the real kiosk under Xvfb (its in-process relay on 127.0.0.1) and
//! a phone in real headless Chromium. The shopper scans the Oxford shirt, says it is too small,
//! takes a look, opens "Take it home", ticks the look and makes the link; the QR code on the
//! screenshot carries the link with its key; the phone's page shows the item with its size, fit
//! and "Buy online" link and the look; the relay holds ciphertext only; "Delete now" ends it (410).

mod support;

use std::{net::TcpListener, time::Duration};

use support::{texts::Texts, *};
use testkit::cdp::Browser;

#[test]
fn the_shopper_takes_the_room_home_on_a_phone_and_deletes_it() {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
    let Ok(port) = port else { panic!("no free port") };
    let dir = out_dir("take-home");
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (qr_shot, sheet) = (dir.join("take-home-qr.png"), data.path().join("sheet.json"));
    // The test waits for this screenshot: one left by an earlier run must not pass for it.
    let _ = std::fs::remove_file(&qr_shot);
    let catalog = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
    let args: Vec<String> = vec![
        format!("--set=share.embedded_listen=\"127.0.0.1:{port}\""),
        format!("--set=share.embedded_public_url=\"http://127.0.0.1:{port}\""),
        format!("--set=catalog.bundled=\"{}\"", catalog.display()),
        format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
        "--set=looks.countdown_s=0".into(),
        "--at=2:touch".into(),
        "--at=+0:scan=4006381000031".into(),
        "--at=+0:press=Too small".into(),
        "--at=+0:wait=Ask for L in white · 2 here".into(),
        "--at=+0:press=Looks".into(),
        "--at=+0:press=Take a look".into(),
        "--at=+0:wait=Your looks · 1 of 8".into(),
        "--at=+0:press=Close".into(),
        "--at=+0:press=Take it home".into(),
        "--at=+0:wait=Make my link".into(),
        format!("--at=+0:texts={}", sheet.display()),
        format!("--at=+0.3:screenshot={}", dir.join("take-home-preview.png").display()),
        "--at=+0:press=Include".into(),
        "--at=+0:wait=✔ Include".into(),
        "--at=+0:press=Make my link".into(),
        "--at=+0:wait=Scan with your phone's camera".into(),
        format!("--at=+0.5:screenshot={}", qr_shot.display()),
        // The in-process relay lives as long as the kiosk: it stays up while the phone opens the link.
        "--at=+90:exit".into(),
    ];
    let display = Display::start(WIDTH, HEIGHT);
    let _turn = one_at_a_time();
    let log = data.path().join("kiosk.log");
    let kiosk = Kiosk::spawn(&display, (WIDTH, HEIGHT), &args, log, "info,wgpu=error,naga=error");
    assert!(wait_for_file(&qr_shot, Duration::from_secs(120)), "no QR code; log:\n{}", tail(&kiosk.log_text()));
    let preview = Texts::load(&sheet);
    assert!(preview.has("Oxford shirt · M · white · Too small"), "what will be sent: {:?}", preview.all());
    assert!(preview.has("Include") && preview.has("Not now"), "looks off by default, decline beside accept");
    let link = decode_qr(&load(&qr_shot));
    let Some(link) = link else { panic!("the QR code does not decode; log:\n{}", tail(&kiosk.log_text())) };
    let prefix = format!("http://127.0.0.1:{port}/h/");
    assert!(link.starts_with(&prefix) && link.contains('#'), "the QR code carries {link}");
    let (url, fragment) = link.split_once('#').unwrap_or_default();
    assert_eq!(fragment.len(), 43, "the key rides in the fragment");
    assert!(!kiosk.log_text().contains(fragment), "the key is never logged");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let Ok(runtime) = runtime else { panic!("no runtime") };
    runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        // At the relay: ciphertext only.
        let held = reqwest::get(format!("{url}/bundle")).await;
        let Ok(held) = held else { panic!("{held:?}") };
        let sealed = held.bytes().await.unwrap_or_default();
        assert!(sealed.len() > 1000 && !sealed.windows(6).any(|w| w == b"Oxford"), "the relay holds ciphertext only");

        let mut phone = Browser::launch().await;
        phone.open(&link).await;
        phone.phone_size(390, 844).await;
        assert!(phone.wait_until("document.querySelectorAll('.item').length === 1", Duration::from_secs(15)).await);
        let what = phone.eval("document.querySelector('.item h2').textContent + ' | ' + document.querySelector('.item .what').textContent").await;
        assert_eq!(what.as_str(), Some("Oxford shirt | M · white · €49.95"));
        let fit = phone.eval("document.querySelector('.item .fit').textContent").await;
        assert_eq!(fit.as_str(), Some("Too small"));
        let buy = phone.eval("document.querySelector('.item a').href").await;
        assert_eq!(buy.as_str(), Some("https://shop.example.com/p/oxford-shirt?sku=oxford-shirt-white-M"));
        let pictures = "document.querySelector('.item img').naturalWidth > 0 && document.querySelector('#looks img').naturalWidth > 100";
        assert!(phone.wait_until(pictures, Duration::from_secs(10)).await, "the item's picture and the look show");
        let shot = phone.screenshot("body").await;
        let _ = shot.save(dir.join("take-home-phone.png"));
        phone.eval("document.getElementById('delete').click(); true").await;
        let deleted = "document.getElementById('status').textContent.startsWith('Deleted')";
        assert!(phone.wait_until(deleted, Duration::from_secs(5)).await);
        let status = reqwest::get(url).await.map(|r| r.status().as_u16());
        assert_eq!(status.ok(), Some(410), "deleted: the link answers 410");
    });
    let text = kiosk.log_text();
    drop(kiosk);
    assert!(text.contains("take home: sealed 1 items and 1 looks"), "{}", tail(&text));
    let spool = std::fs::read_to_string(data.path().join("telemetry-spool.jsonl")).unwrap_or_default();
    assert!(spool.contains(r#""type":"take_home_sent","items":1,"looks":1,"expiry_h":24"#), "spool:\n{spool}");
}

#[test]
fn the_first_end_session_with_items_offers_take_it_home_once_and_stops_nothing_later() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let texts = |name: &str| data.path().join(format!("{name}.json"));
    let catalog = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
    let args: Vec<String> = vec![
        format!("--set=catalog.bundled=\"{}\"", catalog.display()),
        format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
        // Nothing in the room: End session ends at once.
        "--at=2:touch".into(),
        "--at=+0:press=End session".into(),
        "--at=+0:wait=Touch to start".into(),
        // An item in the room: the first press offers, the offer's own button ends.
        "--at=+0.5:touch".into(),
        "--at=+0:scan=4006381000031".into(),
        "--at=+0:wait=How does it fit?".into(),
        "--at=+0:press=End session".into(),
        "--at=+0:wait=Before you go".into(),
        // The panel closes with the press (the kiosk exits 3 if it never does).
        "--at=+0:gone=How does it fit?".into(),
        format!("--at=+0:texts={}", texts("offer").display()),
        format!("--at=+0.3:screenshot={}", out_dir("take-home-offer").join("take-home-offer.png").display()),
        "--at=+0:press=Take it home".into(),
        "--at=+0:wait=Make my link".into(),
        "--at=+0:press=Not now".into(),
        // Offered once: the next press ends.
        "--at=+0:press=End session".into(),
        "--at=+0:wait=Touch to start".into(),
        format!("--at=+0:texts={}", texts("ended").display()),
        "--at=+0:exit".into(),
    ];
    let log = run_kiosk(&args, Duration::from_secs(120));
    let offer = Texts::load(&texts("offer"));
    let buttons: Vec<&str> = offer.0.iter().filter(|t| t.button.is_some()).map(|t| t.text.as_str()).collect();
    assert!(
        buttons.contains(&"Take it home") && buttons.iter().filter(|b| **b == "End session").count() == 2,
        "{buttons:?}"
    );
    assert!(!offer.has("How does it fit?"), "the products panel closed with the press");
    assert!(Texts::load(&texts("ended")).has("Touch to start"));
    assert_eq!(
        log.matches("session ended").count(),
        2,
        "two sessions, each ended by one press after the offer:\n{}",
        tail(&log)
    );
}
