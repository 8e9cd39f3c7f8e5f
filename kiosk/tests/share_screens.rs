//! Live sharing end to end: the real kiosk under Xvfb with its in-process relay on 127.0.0.1, a
//! friend's viewer socket found through the QR code on the screen, and pixel assertions on the
//! consent screen, the QR screen and the LIVE screen with a friend's reaction on it.

mod support;

use std::{
    net::TcpListener,
    thread,
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use image::RgbImage;
use protocol::share::{RelayToViewer, ViewerToRelay};
use support::*;
use tokio_tungstenite::tungstenite::Message;

/// sRGB of the consent screen's "Start sharing" button, the LIVE badge and the "Love" reaction,
/// blended over whatever is behind them.
const START_GREEN: [u8; 3] = [33, 100, 55];
const LIVE_RED: [u8; 3] = [219, 26, 31];
const LOVE_PINK: [u8; 3] = [204, 36, 84];

fn count_near(image: &RgbImage, rgb: [u8; 3], tolerance: i16, rows: std::ops::Range<u32>) -> usize {
    image
        .enumerate_pixels()
        .filter(|(_, y, p)| {
            rows.contains(y) && (0..3).all(|c| (i16::from(p[c]) - i16::from(rgb[c])).abs() <= tolerance)
        })
        .count()
}

/// What the friend saw: frames (decoded), and whether the end arrived and how long after the
/// shopper pressed "Stop sharing".
struct Friend {
    frames: Vec<RgbImage>,
    ended: bool,
    after_stop: Option<Duration>,
}

/// A friend on a phone: opens the viewer link, acknowledges frames, sends a reaction every 400 ms
/// and one comment, until the share ends. Meanwhile it follows the kiosk's log for the moment the
/// shopper's press on the button labelled `stop` lands (checked every 20 ms).
async fn friend(viewer_url: &str, stop: &str) -> Friend {
    let pressed = format!("automation: pressed {stop:?}");
    let ws_url = format!("{}/ws", viewer_url.replacen("http://", "ws://", 1));
    let connected = tokio_tungstenite::connect_async(ws_url.as_str()).await;
    let Ok((socket, _)) = connected else { panic!("viewer cannot connect to {ws_url}: {connected:?}") };
    let (mut tx, mut rx) = socket.split();
    let json = |m: &ViewerToRelay| Message::Text(serde_json::to_string(m).unwrap_or_default().into());
    let mut seen = Friend { frames: Vec::new(), ended: false, after_stop: None };
    let mut react = tokio::time::interval(Duration::from_millis(400));
    let mut follow_log = tokio::time::interval(Duration::from_millis(20));
    let mut stop_pressed: Option<Instant> = None;
    let mut sent_comment = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        tokio::select! {
            _ = follow_log.tick(), if stop_pressed.is_none() => {
                let log = std::fs::read_to_string(run_kiosk_log()).unwrap_or_default();
                if log.contains(&pressed) {
                    stop_pressed = Some(Instant::now());
                }
            }
            _ = react.tick() => {
                let _ = tx.send(json(&ViewerToRelay::React { emoji: "❤️".into() })).await;
                if !sent_comment {
                    sent_comment = true;
                    let _ = tx.send(json(&ViewerToRelay::Comment { name: "Ana".into(), text: "That colour suits you!".into() })).await;
                }
            }
            message = rx.next() => match message {
                Some(Ok(Message::Binary(jpeg))) => {
                    if seen.frames.len() < 3 && let Ok(image) = image::load_from_memory(&jpeg) {
                        seen.frames.push(image.to_rgb8());
                    }
                    let _ = tx.send(json(&ViewerToRelay::Ack)).await;
                }
                Some(Ok(Message::Text(text))) => {
                    if serde_json::from_str::<RelayToViewer>(&text).ok() == Some(RelayToViewer::Ended) {
                        seen.ended = true;
                        seen.after_stop = stop_pressed.map(|pressed| pressed.elapsed());
                        return seen;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return seen,
            },
            _ = tokio::time::sleep_until(deadline) => return seen,
        }
    }
}

#[test]
fn consent_qr_live_badge_and_a_friends_reaction() {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
    let Ok(port) = port else { panic!("no free port") };
    let dir = out_dir("share");
    let shot = |name: &str| dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(shot("share-qr"));
    let capture = |name: &str| format!("--at=+0.5:screenshot={}", shot(name).display());
    let args = vec![
        format!("--set=share.embedded_listen=\"127.0.0.1:{port}\""),
        format!("--set=share.embedded_public_url=\"http://127.0.0.1:{port}\""),
        "--at=2:touch".into(),
        "--at=+0:press=Share".into(),
        "--at=+0:wait=Start sharing".into(),
        capture("share-consent"),
        "--at=+0:press=Start sharing".into(),
        "--at=+0:wait=Scan to watch live".into(),
        capture("share-qr"),
        // The friend scans the code; with them watching, their reactions float up the mirror.
        "--at=+0:wait=● LIVE · 1 watching".into(),
        "--at=+2:wait=● LIVE · 1 watching".into(),
        capture("share-live"),
        "--at=+0:press=Stop sharing".into(),
        "--at=+0:wait=Share".into(),
        "--at=+1:exit".into(),
    ];
    let kiosk = thread::spawn(move || drop(run_kiosk(&args, Duration::from_secs(150))));

    // A friend scans the code on the screen.
    assert!(wait_for_file(&shot("share-qr"), Duration::from_secs(90)), "no QR screenshot");
    let qr_screen = load(&shot("share-qr"));
    let viewer_url = decode_qr(&qr_screen);
    let Some(viewer_url) = viewer_url else { panic!("the QR code on screen does not decode") };
    let prefix = format!("http://127.0.0.1:{port}/v/");
    assert!(viewer_url.starts_with(&prefix) && viewer_url.len() == prefix.len() + 32, "QR carries {viewer_url}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let Ok(runtime) = runtime else { panic!("no runtime") };
    let seen = runtime.block_on(friend(&viewer_url, "Stop sharing"));
    assert!(kiosk.join().is_ok(), "the kiosk run failed");

    // The friend saw the mirror: portrait, mirrored like the glass (the mark on the right).
    let Some(frame) = seen.frames.first() else { panic!("the friend got no frames") };
    assert_eq!(frame.dimensions(), (406, 720), "shared frames are portrait, 720 px long");
    let (count, x) = mark(frame);
    assert!(count > 200 && x > 404.0 * 0.6, "shared frames are mirrored like the mirror ({count} px at x = {x})");
    // "Stop sharing" reached the friend within a second of the press.
    assert!(seen.ended, "the friend was never told the share ended");
    let Some(after_stop) = seen.after_stop else { panic!("the share ended before the shopper pressed the button") };
    assert!(after_stop < Duration::from_secs(1), "the end reached the friend {after_stop:?} after the press");

    let consent = load(&shot("share-consent"));
    assert!(count_near(&consent, START_GREEN, 12, 0..HEIGHT) > 10_000, "consent screen with its Start button");
    assert!(count_near(&consent, LIVE_RED, 20, 0..HEIGHT) < 500, "no LIVE badge before consent");
    assert!(count_near(&qr_screen, LIVE_RED, 20, 0..400) > 10_000, "LIVE badge as soon as the link exists");
    let live = load(&shot("share-live"));
    assert!(count_near(&live, LIVE_RED, 20, 0..400) > 10_000, "LIVE badge while a friend watches");
    assert!(count_near(&live, LOVE_PINK, 30, 0..HEIGHT) > 3_000, "the friend's reaction floats on the mirror");
}

#[test]
fn ending_the_session_ends_the_friends_view_and_the_link() {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
    let Ok(port) = port else { panic!("no free port") };
    // Not a screen for the docs: a folder of its own, whatever KIOSK_SCREENSHOT_OUT says.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let qr = dir.path().join("share-qr.png");
    let args = vec![
        format!("--set=share.embedded_listen=\"127.0.0.1:{port}\""),
        format!("--set=share.embedded_public_url=\"http://127.0.0.1:{port}\""),
        "--at=2:touch".into(),
        "--at=+0:press=Share".into(),
        "--at=+0:press=Start sharing".into(),
        "--at=+0:wait=Scan to watch live".into(),
        format!("--at=+0.5:screenshot={}", qr.display()),
        "--at=+0:wait=● LIVE · 1 watching".into(),
        // The shopper ends the session without stopping the share first.
        "--at=+1:press=End session".into(),
        "--at=+0:wait=Touch to start".into(),
        // The relay stays up a while so the test can ask it about the link.
        "--at=+5:exit".into(),
    ];
    let kiosk = thread::spawn(move || drop(run_kiosk(&args, Duration::from_secs(150))));
    assert!(wait_for_file(&qr, Duration::from_secs(90)), "no QR screenshot");
    let Some(viewer_url) = decode_qr(&load(&qr)) else { panic!("the QR code on screen does not decode") };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let Ok(runtime) = runtime else { panic!("no runtime") };
    let (seen, link_status) = runtime.block_on(async {
        let seen = friend(&viewer_url, "End session").await;
        let _ = rustls::crypto::ring::default_provider().install_default();
        let status = reqwest::get(&viewer_url).await.map(|r| r.status().as_u16());
        (seen, status)
    });
    assert!(kiosk.join().is_ok(), "the kiosk run failed");
    assert!(!seen.frames.is_empty(), "the friend watched before the end");
    assert!(seen.ended, "the friend was never told the share ended");
    let Some(after_end) = seen.after_stop else { panic!("the share ended before the shopper ended the session") };
    assert!(after_end < Duration::from_secs(1), "the end reached the friend {after_end:?} after the press");
    assert_eq!(link_status.ok(), Some(410), "the viewer link answers 410 Gone once the session ended");
}
