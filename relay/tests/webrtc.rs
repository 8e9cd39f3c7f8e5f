//! Live video over WebRTC through a real Janus, all real: Janus runs in a network namespace the
//! test creates (it gathers no candidate on loopback) joined by a veth pair; the relay, the
//! kiosk's publisher (`media`: libvpx VP8 over str0m, signalled by WHIP to the relay) and
//! headless Chromium on the viewer page stay on this side. The page plays the stream (VP8 at
//! 406×720, read from `getStats`), a second viewer gets a keyframe at once (Janus relays its
//! PLI to the publisher), and ending the share closes Janus's room within a second. With no
//! Janus answering, the page shows the JPEG stream instead.

mod support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::SinkExt;
use media::publisher::{FrameSlot, PendingPublisher, PublisherSettings, RgbaFrame};
use relay::{
    config::Limits,
    sfu::{IceServer, SfuConfig},
};
use support::*;
use testkit::{
    cdp::Browser,
    janus::{ADMIN_KEY, API_SECRET, Janus},
};
use tokio_tungstenite::tungstenite::Message;

const SIZE: (u32, u32) = (406, 720);

/// A moving test picture at the share size, 15 times a second, until `stop`.
fn feed(slot: Arc<FrameSlot>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let (w, h) = SIZE;
        let mut n = 0u32;
        while !stop.load(Ordering::Relaxed) {
            let mut rgba = vec![255u8; (w * h * 4) as usize];
            for (i, pixel) in rgba.chunks_exact_mut(4).enumerate() {
                let (x, y) = (i as u32 % w, i as u32 / w);
                pixel[0] = ((x + n * 4) % 256) as u8;
                pixel[1] = ((y + n * 2) % 256) as u8;
                pixel[2] = if (x / 40 + y / 40 + n / 8) % 2 == 0 { 40 } else { 220 };
            }
            slot.put(RgbaFrame { width: w, height: h, stride: w * 4, data: rgba.into(), captured: Instant::now() });
            n += 1;
            std::thread::sleep(Duration::from_millis(66));
        }
    })
}

/// The relay's media server: the test's Janus.
fn sfu(janus: &Janus, ice_servers: Vec<IceServer>) -> SfuConfig {
    SfuConfig {
        janus: vec![janus.api_url()],
        api_secret: API_SECRET.into(),
        admin_key: Some(ADMIN_KEY.into()),
        max_bitrate: 600_000,
        ice_servers,
    }
}

/// Whether Janus holds a room, off the async workers.
async fn janus_has_a_room(janus: &Arc<Janus>) -> bool {
    let janus = Arc::clone(janus);
    let asked = tokio::task::spawn_blocking(move || janus.has_a_room()).await;
    asked.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("Janus API: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_look_plays_over_webrtc_through_janus_and_stops_when_the_share_ends() {
    let janus = Arc::new(Janus::start().unwrap_or_else(|e| panic!("{e}")));
    let mut config = config(Limits::default());
    // A TURN server for phones (none listens there: the host candidates carry the media).
    let turn = IceServer {
        url: format!("turn:{}:3478?transport=udp", janus.host_ip),
        username: "mirror".into(),
        credential: "turn-secret".into(),
    };
    config.sfu = Some(sfu(&janus, vec![turn]));
    let relay = start_with(config).await;
    let created = relay.create(KIOSK, KEY).await;
    let mut kiosk =
        relay.kiosk_stream(&created.session_id, &created.kiosk_token).await.unwrap_or_else(|s| panic!("{s}"));
    // One JPEG frame, so the page has something before the video starts.
    kiosk.send(Message::Binary(fake_jpeg(1, 2000).into())).await.unwrap_or_else(|e| panic!("{e}"));

    // The kiosk publishes: its offer to the relay's WHIP endpoint, the answer back.
    // Keyframes only when asked (the kiosk's default is one every 2 s): a second viewer that
    // plays within the page's 4 s shows that the publisher answered its keyframe request.
    let settings = PublisherSettings {
        width: SIZE.0,
        height: SIZE.1,
        fps: 15,
        bitrate_bps: 600_000,
        keyframe_interval: Duration::from_secs(600),
    };
    let pending = PendingPublisher::new(settings).unwrap_or_else(|e| panic!("{e}"));
    let whip = relay.url(&format!("/api/v1/sessions/{}/whip", created.session_id));
    let response = relay
        .http
        .post(&whip)
        .bearer_auth(&created.kiosk_token)
        .header("content-type", "application/sdp")
        .body(pending.offer().to_owned())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        response.status(),
        201,
        "WHIP: {}\nJanus:\n{}",
        response.text().await.unwrap_or_default(),
        janus.log_text()
    );
    let answer = response.text().await.unwrap_or_default();
    let slot = Arc::new(FrameSlot::default());
    let publisher = pending.start(&answer, Arc::clone(&slot)).unwrap_or_else(|e| panic!("{e}"));
    let stop = Arc::new(AtomicBool::new(false));
    let feeder = feed(slot, Arc::clone(&stop));

    let mut first = Browser::launch().await;
    first.open(&created.viewer_url).await;
    let playing = first.wait_until("document.body.dataset.video === 'webrtc'", Duration::from_secs(30)).await;
    assert!(playing, "the page never played WebRTC: {}\nJanus:\n{}", first.video_stats().await, janus.log_text());
    let enough = first.wait_for_video_frames(30, Duration::from_secs(20)).await;
    let stats = first.video_stats().await;
    assert!(enough, "fewer than 30 frames decoded: {stats}");
    assert_eq!((stats["width"].as_u64(), stats["height"].as_u64()), (Some(406), Some(720)), "{stats}");
    assert_eq!(stats["codec"], "video/VP8", "{stats}");
    assert!(publisher.stats().connected.load(Ordering::Relaxed));
    // The TURN server named in the WHEP answer's Link header is the page's.
    let servers = first.eval("window.viewerPeer.getConfiguration().iceServers").await;
    let url = format!("turn:{}:3478?transport=udp", janus.host_ip);
    let expected = serde_json::json!([{ "urls": [url], "username": "mirror", "credential": "turn-secret" }]);
    assert_eq!(servers, expected);

    // A second friend: Janus asks the publisher for a keyframe, and the page shows video at once.
    let asked_before = publisher.stats().keyframes_requested.load(Ordering::Relaxed);
    let mut second = Browser::launch().await;
    second.open(&created.viewer_url).await;
    let playing = second.wait_until("document.body.dataset.video === 'webrtc'", Duration::from_secs(30)).await;
    let stats = second.video_stats().await;
    assert!(playing, "the second viewer never played: {stats}");
    assert!(stats["keyframes"].as_u64() >= Some(1), "{stats}");
    let asked_after = publisher.stats().keyframes_requested.load(Ordering::Relaxed);
    assert!(asked_after > asked_before, "no keyframe request for the second viewer ({asked_before} → {asked_after})");

    assert_eq!(
        (
            relay.metric("relay_media_rooms").await,
            relay.metric("relay_media_publishers").await,
            relay.metric("relay_media_viewers").await
        ),
        (1, 1, 2),
        "one room, the kiosk publishing, two phones watching"
    );
    // The share ends: the room (and every stream in it) is gone within a second.
    assert!(janus_has_a_room(&janus).await, "the room exists while sharing");
    let ending = Instant::now();
    let ended = relay.http.delete(relay.url(&format!("/api/v1/sessions/{}", created.session_id)));
    let ended = ended.bearer_auth(&created.kiosk_token).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(ended.status().is_success(), "{}", ended.status());
    while janus_has_a_room(&janus).await {
        assert!(ending.elapsed() < Duration::from_secs(1), "Janus still has the room after {:?}", ending.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let closed = ending.elapsed();
    assert_eq!(relay.metric("relay_media_rooms").await, 0, "the relay forgot the room");
    assert!(first.wait_until("window.viewerPeer === null", Duration::from_secs(2)).await, "the page hung up");
    stop.store(true, Ordering::Relaxed);
    let _ = feeder.join();
    let _ = publisher.stop();
    println!("room closed {closed:?} after the share ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_media_server_answering_the_page_shows_the_jpeg_stream() {
    // Janus is configured but nobody listens there: a port on this machine that refuses.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"));
    drop(listener);
    let mut config = config(Limits::default());
    let unreachable = format!("http://127.0.0.1:{port}/janus");
    config.sfu = Some(SfuConfig {
        janus: vec![unreachable],
        api_secret: API_SECRET.into(),
        admin_key: None,
        max_bitrate: 600_000,
        ice_servers: Vec::new(),
    });
    let relay = start_with(config).await;
    let created = relay.create(KIOSK, KEY).await;
    let mut kiosk =
        relay.kiosk_stream(&created.session_id, &created.kiosk_token).await.unwrap_or_else(|s| panic!("{s}"));

    // The kiosk's WHIP attempt is refused (503) and it keeps sending JPEG frames.
    let whip = relay.url(&format!("/api/v1/sessions/{}/whip", created.session_id));
    let response = relay.http.post(&whip).bearer_auth(&created.kiosk_token).body("v=0\r\n").send().await;
    assert_eq!(response.map(|r| r.status().as_u16()).ok(), Some(503));
    let frames = tokio::spawn(async move {
        for seq in 1..=200u64 {
            if kiosk.send(Message::Binary(jpeg_of_the_look(seq).into())).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(66)).await;
        }
    });
    let mut browser = Browser::launch().await;
    let opened = Instant::now();
    browser.open(&created.viewer_url).await;
    let shown = browser
        .wait_until(
            "!document.getElementById('frame').hidden && document.body.dataset.video === 'jpeg'",
            Duration::from_secs(5),
        )
        .await;
    let waited = opened.elapsed();
    assert!(shown, "no JPEG frame on the page within 5 s");
    // And it keeps coming: the page acknowledges each frame and gets the next.
    let first_seen = relay.metric("relay_frames_out_total").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(relay.metric("relay_frames_out_total").await > first_seen, "the JPEG stream goes on");
    frames.abort();
    println!("JPEG shown {waited:?} after opening, WebRTC refused");
}

/// A real little JPEG (the page's <img> must decode it).
fn jpeg_of_the_look(seq: u64) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(90, 160, |x, y| image::Rgb([(x * 2 + seq as u32) as u8, (y + seq as u32) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap_or_else(|e| panic!("{e}"));
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signalling_gets_a_reason_and_the_relay_and_janus_carry_on() {
    let janus = Janus::start().unwrap_or_else(|e| panic!("{e}"));
    let mut config = config(Limits::default());
    config.sfu = Some(sfu(&janus, Vec::new()));
    let relay = start_with(config).await;
    let created = relay.create(KIOSK, KEY).await;
    let whip = relay.url(&format!("/api/v1/sessions/{}/whip", created.session_id));
    let whep = format!("{}/whep", created.viewer_url);
    let send = |request: reqwest::RequestBuilder| async move {
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    };
    let http = &relay.http;
    let cases = [
        (send(http.post(&whip).body("v=0\r\n")).await, 401, "credentials"),
        (send(http.post(&whip).bearer_auth("wrong").body("v=0\r\n")).await, 401, "credentials"),
        (
            send(http.post(relay.url("/api/v1/sessions/nope/whip")).bearer_auth(&created.kiosk_token).body("v=0"))
                .await,
            404,
            "no such share",
        ),
        (send(http.post(&whip).bearer_auth(&created.kiosk_token).body("not an SDP")).await, 400, "must be an SDP"),
        (
            send(http.post(&whip).bearer_auth(&created.kiosk_token).body("v=0\r\n".repeat(20_000))).await,
            400,
            "at most 65536 bytes",
        ),
        // Janus reads it and says no; its reason comes back.
        (
            send(http.post(&whip).bearer_auth(&created.kiosk_token).body("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n")).await,
            502,
            "media server refused",
        ),
        // Nothing is published: a phone is told so (and shows the JPEG stream).
        (send(http.post(&whep)).await, 503, ""),
        (send(http.patch(format!("{whep}/no-such-peer")).body("v=0\r\n")).await, 404, ""),
        (send(http.post(relay.url("/v/no-such-token/whep"))).await, 404, "no such share"),
    ];
    for ((status, body), expected, reason) in cases {
        assert_eq!(status, expected, "{body}");
        assert!(body.contains(reason), "{expected}: {body:?} should say {reason:?}");
    }
    // Still serving, and Janus still takes a good offer.
    let settings = PublisherSettings {
        width: SIZE.0,
        height: SIZE.1,
        fps: 15,
        bitrate_bps: 600_000,
        keyframe_interval: Duration::from_secs(2),
    };
    let pending = PendingPublisher::new(settings).unwrap_or_else(|e| panic!("{e}"));
    let (status, answer) =
        send(http.post(&whip).bearer_auth(&created.kiosk_token).body(pending.offer().to_owned())).await;
    assert_eq!(status, 201, "{answer}");
    assert!(answer.starts_with("v=0"), "{answer}");
}
