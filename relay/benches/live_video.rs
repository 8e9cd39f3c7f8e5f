//! Live video, WebRTC against the JPEG stream, in one run: the synthetic camera's frames, scaled
//! to the share size (406×720) at 15 fps, go both ways at once from the same pictures: as JPEG
//! over the relay's socket to a viewer that acknowledges each frame (as the page does), and as
//! VP8 by WHIP through a real Janus (in a network namespace) to headless Chromium on the viewer
//! page. Printed: bytes per second per viewer for each path, the VP8 encoder's time per frame
//! (beside the JPEG encoder's), and capture-to-decoded-frame latency (p50/p95) read back in the
//! browser from a pixel clock drawn into every frame (24 black or white squares: the capture
//! time's low 24 bits in milliseconds).
//!
//! `cargo bench -p relay --bench live_video` (root: it makes a network namespace; Janus and
//! Chromium installed, as `scripts/test.sh` does). `LIVE_VIDEO_SECONDS` (default 15) per path.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use camera::{
    FormatRequest, FrameSource, convert,
    share_encoder::{ShareEncoder, ShareFormat},
    slot::Frame,
    synthetic::SyntheticSource,
};
use futures_util::{SinkExt, StreamExt};
use media::publisher::{FrameSlot, PendingPublisher, PublisherSettings, RgbaFrame};
use protocol::{
    config::PixelFormat,
    share::{CreateShare, CreatedShare},
};
use relay::{
    config::{Limits, RelayConfig},
    sfu::SfuConfig,
};
use testkit::{
    cdp::Browser,
    janus::{ADMIN_KEY, API_SECRET, Janus},
};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

const FPS: u32 = 15;
const CLOCK_BITS: u32 = 24;
const CLOCK_SQUARE: u32 = 16;

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// Draws the low 24 bits of `ms` as squares along the picture's top (white = 1), most
/// significant first.
fn draw_clock(rgba: &mut [u8], width: u32, ms: u64) {
    for bit in 0..CLOCK_BITS {
        let on = (ms >> (CLOCK_BITS - 1 - bit)) & 1 == 1;
        let value = if on { 255 } else { 0 };
        for y in 0..CLOCK_SQUARE {
            for x in bit * CLOCK_SQUARE..(bit + 1) * CLOCK_SQUARE {
                let i = ((y * width + x) * 4) as usize;
                rgba[i..i + 3].fill(value);
            }
        }
    }
}

/// The page's side of the clock: every decoded frame's latency, from the squares' centres.
const CLOCK_READER: &str = r#"(() => {
  window.latencies = [];
  const video = document.getElementById("video");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const read = () => {
    if (video.videoWidth > 0) {
      canvas.width = video.videoWidth; canvas.height = 16;
      context.drawImage(video, 0, 0, video.videoWidth, 16, 0, 0, video.videoWidth, 16);
      const data = context.getImageData(0, 0, canvas.width, 16).data;
      let value = 0;
      for (let bit = 0; bit < 24; bit++) {
        const i = (8 * canvas.width + bit * 16 + 8) * 4;
        value = value * 2 + (data[i] + data[i + 1] + data[i + 2] > 3 * 128 ? 1 : 0);
      }
      const now = Date.now() % 16777216;
      window.latencies.push((now - value + 16777216) % 16777216);
    }
    video.requestVideoFrameCallback(read);
  };
  video.requestVideoFrameCallback(read);
  return true;
})()"#;

const INBOUND_BYTES: &str = r#"(async () => {
  if (!window.viewerPeer) return null;
  const stats = await window.viewerPeer.getStats();
  let bytes = null;
  stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") bytes = s.bytesReceived; });
  return bytes;
})()"#;

/// The synthetic camera at 1280×720, scaled to the share size and clocked, 15 times a second:
/// each picture to the publisher's slot and, as JPEG, to `jpegs`. Returns the JPEG encoder's
/// total time (µs) and frame count.
fn produce(
    slot: Arc<FrameSlot>,
    jpegs: tokio::sync::watch::Sender<Option<Vec<u8>>>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(u64, u64)> {
    std::thread::spawn(move || {
        let request = FormatRequest { formats: vec![PixelFormat::Rgb], width: 1280, height: 720, fps: FPS };
        let mut source = SyntheticSource::new(request, None);
        if let Err(e) = source.open() {
            panic!("synthetic camera: {e}");
        }
        let format = ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (9.0, 16.0) };
        let mut encoder = ShareEncoder::new(format);
        let (mut jpeg_us, mut frames) = (0u64, 0u64);
        let mut rgba = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let (width, height) = match source.read() {
                Ok(raw) => convert::to_rgba(&raw, &mut rgba).unwrap_or_else(|e| panic!("{e}")),
                Err(e) => panic!("synthetic camera: {e}"),
            };
            let frame =
                Frame { seq: frames, captured_at: Instant::now(), width, height, rgba: std::mem::take(&mut rgba) };
            let (w, h) = encoder.scale(&frame).unwrap_or_else(|e| panic!("{e}"));
            rgba = frame.rgba;
            draw_clock(encoder.picture_mut(), w, unix_ms());
            let picture: Arc<[u8]> = encoder.picture().into();
            slot.put(RgbaFrame { width: w, height: h, stride: w * 4, data: picture, captured: frame.captured_at });
            let started = Instant::now();
            let jpeg = encoder.jpeg().unwrap_or_else(|e| panic!("{e}"));
            jpeg_us += started.elapsed().as_micros() as u64;
            frames += 1;
            jpegs.send_replace(Some(jpeg));
        }
        (jpeg_us, frames)
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: u64 = std::env::var("LIVE_VIDEO_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    let janus = Janus::start().unwrap_or_else(|e| panic!("Janus (root, apt-get install janus): {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let config = RelayConfig {
        listen: address,
        public_url: format!("http://{address}"),
        kiosk_keys: [("bench".to_string(), "bench-key-0123456789".to_string())].into_iter().collect(),
        limits: Limits::default(),
        take_home_store: None,
        theme: Default::default(),
        sfu: Some(SfuConfig {
            janus: vec![janus.api_url()],
            api_secret: API_SECRET.into(),
            admin_key: Some(ADMIN_KEY.into()),
            max_bitrate: 600_000,
            ice_servers: Vec::new(),
        }),
    };
    tokio::spawn(relay::serve(listener, config, std::future::pending()));
    let http = reqwest::Client::new();
    let base = format!("http://{address}");
    let created = http
        .post(format!("{base}/api/v1/sessions"))
        .bearer_auth("bench-key-0123456789")
        .json(&CreateShare { kiosk_id: "bench".into() })
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let share: CreatedShare = created.json().await.unwrap_or_else(|e| panic!("{e}"));

    // The kiosk side: the JPEG socket and the WHIP publisher, fed the same pictures.
    let stream = format!("ws://{address}/api/v1/sessions/{}/stream", share.session_id);
    let mut request = stream.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    let auth = HeaderValue::from_str(&format!("Bearer {}", share.kiosk_token)).unwrap_or_else(|e| panic!("{e}"));
    request.headers_mut().insert("authorization", auth);
    let (mut kiosk, _) = tokio_tungstenite::connect_async(request).await.unwrap_or_else(|e| panic!("{e}"));
    let slot = Arc::new(FrameSlot::default());
    let (jpeg_tx, mut jpeg_rx) = tokio::sync::watch::channel(None);
    let stop = Arc::new(AtomicBool::new(false));
    let producer = produce(Arc::clone(&slot), jpeg_tx, Arc::clone(&stop));
    tokio::spawn(async move {
        while jpeg_rx.changed().await.is_ok() {
            let jpeg = jpeg_rx.borrow_and_update().clone();
            if let Some(jpeg) = jpeg
                && kiosk.send(Message::Binary(jpeg.into())).await.is_err()
            {
                return;
            }
        }
    });
    let settings = PublisherSettings {
        width: 406,
        height: 720,
        fps: FPS,
        bitrate_bps: 600_000,
        keyframe_interval: Duration::from_secs(2),
    };
    let pending = PendingPublisher::new(settings).unwrap_or_else(|e| panic!("{e}"));
    let answer = http
        .post(format!("{base}/api/v1/sessions/{}/whip", share.session_id))
        .bearer_auth(&share.kiosk_token)
        .body(pending.offer().to_owned())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 201, "WHIP");
    let answer = answer.text().await.unwrap_or_default();
    let publisher = pending.start(&answer, Arc::clone(&slot)).unwrap_or_else(|e| panic!("{e}"));

    // The JPEG viewer: acknowledges every frame, as the page does, and counts the bytes.
    let jpeg_bytes = Arc::new(AtomicU64::new(0));
    let viewer = format!("{}/ws", share.viewer_url.replacen("http://", "ws://", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(viewer).await.unwrap_or_else(|e| panic!("{e}"));
    let counting = Arc::new(Mutex::new(None::<Instant>));
    {
        let (jpeg_bytes, counting) = (Arc::clone(&jpeg_bytes), Arc::clone(&counting));
        tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Binary(jpeg) = message {
                    if counting.lock().map(|c| c.is_some()).unwrap_or(false) {
                        jpeg_bytes.fetch_add(jpeg.len() as u64, Ordering::Relaxed);
                    }
                    let _ = socket.send(Message::Text(r#"{"type":"ack"}"#.into())).await;
                }
            }
        });
    }

    // The WebRTC viewer: the real page in Chromium.
    let mut browser = Browser::launch().await;
    browser.open(&share.viewer_url).await;
    assert!(browser.wait_until("document.body.dataset.video === 'webrtc'", Duration::from_secs(30)).await, "no WebRTC");
    browser.eval(CLOCK_READER).await;
    tokio::time::sleep(Duration::from_secs(2)).await; // past the first keyframe's burst

    let bytes_at = |value: serde_json::Value| value.as_u64().unwrap_or_default();
    let webrtc_start = bytes_at(browser.eval(INBOUND_BYTES).await);
    let (encoded_us, encoded_frames) =
        (publisher.stats().encode_us.load(Ordering::Relaxed), publisher.stats().frames_sent.load(Ordering::Relaxed));
    browser.eval("window.latencies = []; true").await;
    if let Ok(mut counting) = counting.lock() {
        *counting = Some(Instant::now());
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let elapsed = started.elapsed().as_secs_f64();
    let webrtc_bytes = bytes_at(browser.eval(INBOUND_BYTES).await).saturating_sub(webrtc_start);
    let jpeg_total = jpeg_bytes.load(Ordering::Relaxed);
    let latencies = browser.eval("window.latencies").await;
    let mut latencies: Vec<f64> = latencies
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).filter(|&ms| ms < 10_000.0).collect())
        .unwrap_or_default();
    latencies.sort_by(f64::total_cmp);
    let vp8_us = publisher.stats().encode_us.load(Ordering::Relaxed) - encoded_us;
    let vp8_frames = (publisher.stats().frames_sent.load(Ordering::Relaxed) - encoded_frames).max(1);
    stop.store(true, Ordering::Relaxed);
    let (jpeg_us, jpeg_frames) = producer.join().unwrap_or_else(|_| panic!("the producer panicked"));
    let _ = publisher.stop();

    let (webrtc_rate, jpeg_rate) = (webrtc_bytes as f64 / elapsed, jpeg_total as f64 / elapsed);
    println!("live video: 406x720 at {FPS} fps from the synthetic camera, {elapsed:.1} s per path, one viewer each");
    println!("| path                     | bytes/s per viewer | kbit/s | vs JPEG |");
    println!("|--------------------------|--------------------|--------|---------|");
    println!("| JPEG q70 over WebSocket  | {jpeg_rate:>18.0} | {:>6.0} |   1.00x |", jpeg_rate * 8.0 / 1000.0);
    println!(
        "| VP8 over WebRTC (Janus)  | {webrtc_rate:>18.0} | {:>6.0} | {:>6.2}x |",
        webrtc_rate * 8.0 / 1000.0,
        webrtc_rate / jpeg_rate.max(1.0)
    );
    println!(
        "encoder per frame: VP8 (libvpx, incl. RGBA→I420) {:.2} ms over {vp8_frames} frames; JPEG (mozjpeg) {:.2} ms over {jpeg_frames} frames",
        vp8_us as f64 / vp8_frames as f64 / 1000.0,
        jpeg_us as f64 / jpeg_frames.max(1) as f64 / 1000.0
    );
    println!(
        "capture to decoded frame (WebRTC, pixel clock, {} frames): p50 {:.0} ms, p95 {:.0} ms",
        latencies.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95)
    );
}
