//! The shopper's share over WebRTC, end to end and all real: the kiosk under Xvfb with the
//! synthetic camera shares through its in-process relay, which places the share's room on a real
//! Janus (started by the test in a network namespace joined by a veth pair: Janus gathers no
//! candidate on loopback). The kiosk publishes VP8 by WHIP; two friends open the link from the
//! mirror's screen in headless Chromium and play the synthetic camera at 406×720 (`getStats`),
//! the second one at once (its keyframe request reaches the kiosk); ending the session closes the
//! room, and with it every stream, within a second.

mod support;

use std::{
    net::TcpListener,
    thread,
    time::{Duration, Instant, SystemTime},
};

use support::{texts::Texts, *};
use testkit::{
    cdp::Browser,
    janus::{ADMIN_KEY, API_SECRET, Janus},
};

/// The middle of the playing video, drawn into a canvas: (r, g, b) mean.
const VIDEO_MEAN: &str = r#"(() => {
  const video = document.getElementById("video");
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  const context = canvas.getContext("2d");
  context.drawImage(video, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let r = 0, g = 0, b = 0;
  for (let i = 0; i < data.length; i += 4) { r += data[i]; g += data[i + 1]; b += data[i + 2]; }
  const n = data.length / 4;
  return [r / n, g / n, b / n];
})()"#;

/// `kiosk doctor`'s media row (result and detail) for a kiosk using `janus` with `secret`.
fn doctor_media_row(janus: &Janus, secret: &str) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("doctor")
        .arg("--set=camera.source=\"synthetic\"")
        .arg(format!("--set=share.embedded_janus=[\"{}\"]", janus.api_url()))
        .arg(format!("--set=share.embedded_janus_api_secret=\"{secret}\""))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let row = stdout.lines().find(|l| l.starts_with("media ")).map(|l| l["media".len()..].trim().to_owned());
    row.unwrap_or_else(|| panic!("no media row:\n{stdout}"))
}

/// When the kiosk's log says it pressed `label` (the line's UTC timestamp).
fn logged_press(log: &str, label: &str) -> Option<SystemTime> {
    let line = log.lines().find(|l| l.contains(&format!("automation: pressed {label:?}")))?;
    let stamp = line
        .split(['\u{1b}', ' '])
        .find_map(|word| chrono::DateTime::parse_from_rfc3339(word.trim_start_matches("[2m")).ok())?;
    Some(SystemTime::from(stamp))
}

#[test]
fn the_share_plays_over_webrtc_from_the_synthetic_camera_and_stops_when_the_session_ends() {
    let janus = Janus::start().unwrap_or_else(|e| panic!("{e}"));
    // `kiosk doctor` checks the media server the kiosk's relay will use, and names a wrong secret.
    let healthy = doctor_media_row(&janus, API_SECRET);
    assert!(healthy.starts_with("PASS") && healthy.contains("Janus 1.1.2 (VideoRoom)"), "{healthy}");
    let wrong = doctor_media_row(&janus, "not-the-secret");
    assert!(wrong.starts_with("FAIL") && wrong.contains("refused share.embedded_janus_api_secret"), "{wrong}");
    // The relay listens on this side of the veth: the phones' browser reaches it there.
    let port = TcpListener::bind((janus.host_ip, 0)).and_then(|l| l.local_addr()).map(|a| a.port());
    let port = port.unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sharing = work.path().join("sharing.json");
    let checked = work.path().join("video-checked");
    let args = vec![
        format!("--set=share.embedded_listen=\"{}:{port}\"", janus.host_ip),
        format!("--set=share.embedded_public_url=\"http://{}:{port}\"", janus.host_ip),
        format!("--set=share.embedded_janus=[\"{}\"]", janus.api_url()),
        format!("--set=share.embedded_janus_api_secret=\"{API_SECRET}\""),
        format!("--set=share.embedded_janus_admin_key=\"{ADMIN_KEY}\""),
        "--wait-limit=120".into(),
        "--at=2:touch".into(),
        "--at=+0:press=Share".into(),
        "--at=+0:press=Start sharing".into(),
        "--at=+0:wait=Scan to watch live".into(),
        format!("--at=+0:texts={}", sharing.display()),
        // The test watches both friends' video, then says so with a file.
        format!("--at=+0:wait-file={}", checked.display()),
        "--at=+0:press=End session".into(),
        "--at=+0:wait=Touch to start".into(),
        "--at=+2:exit".into(),
    ];
    let kiosk = thread::spawn(move || run_kiosk(&args, Duration::from_secs(200)));
    assert!(wait_for_file(&sharing, Duration::from_secs(120)), "the share never started");
    let prefix = format!("http://{}:{port}/v/", janus.host_ip);
    let viewer_url = Texts::load(&sharing).all().into_iter().find(|t| t.starts_with(&prefix)).map(String::from);
    let Some(viewer_url) = viewer_url else { panic!("no viewer link on screen") };

    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let closed = runtime.block_on(async {
        let mut friends = [Browser::launch().await, Browser::launch().await];
        for (n, friend) in friends.iter_mut().enumerate() {
            friend.open(&viewer_url).await;
            let playing = friend.wait_until("document.body.dataset.video === 'webrtc'", Duration::from_secs(30)).await;
            let stats = friend.video_stats().await;
            assert!(playing, "friend {n} never played WebRTC: {stats}\nJanus:\n{}", janus.log_text());
        }
        for (n, friend) in friends.iter_mut().enumerate() {
            let decoded = friend.wait_for_video_frames(30, Duration::from_secs(20)).await;
            let stats = friend.video_stats().await;
            assert!(decoded, "friend {n}: fewer than 30 frames decoded: {stats}");
            assert_eq!(
                (stats["width"].as_u64(), stats["height"].as_u64()),
                (Some(406), Some(720)),
                "friend {n}: {stats}"
            );
            assert_eq!(stats["codec"], "video/VP8", "friend {n}: {stats}");
            // The synthetic fitting room, not a black or grey test card.
            let mean = friend.eval(VIDEO_MEAN).await;
            let channel = |c: usize| mean[c].as_f64().unwrap_or_default();
            assert!(
                (channel(0) - channel(2)).abs() > 3.0 || (channel(1) - channel(2)).abs() > 3.0,
                "friend {n}: {mean}"
            );
            assert!((30.0..230.0).contains(&channel(1)), "friend {n}: the picture is lit: {mean}");
        }
        if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
            friends[0].phone_size(390, 844).await;
            let _ = friends[0].screenshot("body").await.save(dir.join("viewer-webrtc-phone.png"));
        }
        assert!(janus.has_a_room().unwrap_or_else(|e| panic!("Janus API: {e}")), "the share's room is on Janus");

        // The shopper ends the session: the room, and every stream in it, is gone.
        std::fs::write(&checked, b"").unwrap_or_else(|e| panic!("{e}"));
        let ending = Instant::now();
        while janus.has_a_room().unwrap_or_else(|e| panic!("Janus API: {e}")) {
            assert!(
                ending.elapsed() < Duration::from_secs(10),
                "Janus still has the room after {:?}",
                ending.elapsed()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let closed = SystemTime::now();
        for friend in &mut friends {
            assert!(
                friend.wait_until("window.viewerPeer === null", Duration::from_secs(2)).await,
                "a page kept its stream"
            );
        }
        closed
    });
    let log = kiosk.join().unwrap_or_else(|_| panic!("the kiosk thread panicked"));
    assert!(log.contains("live video: publishing VP8 406×720"), "{log}");
    // Within a second of the press on "End session" (the kiosk's clock is this machine's).
    let pressed = logged_press(&log, "End session").unwrap_or_else(|| panic!("no press logged:\n{log}"));
    let took = closed.duration_since(pressed).unwrap_or_else(|e| panic!("the room closed before the press? {e}"));
    assert!(took < Duration::from_secs(1), "the room closed {took:?} after the shopper ended the session");
    println!("the room closed {took:?} after the shopper pressed End session");
}
