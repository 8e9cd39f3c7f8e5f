//! Relay fan-out on loopback: S kiosks each push a 15 fps stream of share-sized frames to the
//! relay binary, V viewers per session read and acknowledge. Prints frames delivered per second,
//! capture-to-viewer latency percentiles, the relay process's CPU (per 1,000 viewers too) and its
//! memory per viewer.
//!
//! The relay runs in its own process group pinned to CPU 0 (`taskset`), the kiosk and viewer
//! clients in this process pinned to CPU 1, so the relay's figures are its own and "fits in one
//! core" means what it says. On a 1-core machine both share it.
//!
//! Run: `cargo bench -p relay --bench fanout` (defaults: 100 sessions × 20 viewers = 2,000, 10 s),
//! or `cargo bench -p relay --bench fanout -- SESSIONS VIEWERS SECONDS`.

use std::{
    io::{BufRead, BufReader},
    os::unix::process::CommandExt,
    process::{Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use futures_util::{SinkExt, StreamExt};
use protocol::share::{CreateShare, CreatedShare, ViewerToRelay};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

const FRAME_BYTES: usize = 16 * 1024; // a 405x720 q70 share frame (see the camera benchmark)
const FPS: u64 = 15;

fn now_nanos() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or_default()
}

fn frame() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend_from_slice(&now_nanos().to_le_bytes());
    jpeg.resize(FRAME_BYTES, 0x5A);
    jpeg
}

/// The relay process's user + system CPU time.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// The relay process's resident memory.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p) as usize] as f64 / 1e6
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let numbers: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (sessions, viewers, seconds) = (
        numbers.first().copied().unwrap_or(100),
        numbers.get(1).copied().unwrap_or(20),
        numbers.get(2).copied().unwrap_or(10),
    );

    let dir = std::env::temp_dir().join(format!("relay-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let keys: String = (0..sessions).map(|i| format!("k{i} = \"bench-key-0123456789-{i}\"\n")).collect();
    let config = format!(
        "listen = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1\"\n[kiosk_keys]\n{keys}[limits]\nmax_viewers_per_session = {viewers}\nmax_sessions = {sessions}\n"
    );
    let config_path = dir.join("relay.toml");
    let _ = std::fs::write(&config_path, config);
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    if two_cores {
        let pinned = Command::new("taskset").args(["-a", "-p", "-c", "1", &std::process::id().to_string()]).output();
        if !pinned.is_ok_and(|o| o.status.success()) {
            eprintln!("fanout: cannot pin the clients to CPU 1 (taskset); figures include their load");
        }
    }
    let (program, pin): (&str, &[&str]) = if two_cores {
        ("taskset", &["-c", "0", env!("CARGO_BIN_EXE_relay")])
    } else {
        (env!("CARGO_BIN_EXE_relay"), &[])
    };
    let Ok(mut relay) = Command::new(program)
        .args(pin)
        .process_group(0)
        .arg("--config")
        .arg(&config_path)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
    else {
        panic!("cannot start the relay")
    };
    let mut line = String::new();
    if let Some(stdout) = relay.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    let addr = line.trim().trim_start_matches("listening on ").to_string();
    // The workspace may build reqwest with rustls and no crypto provider: name one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();

    let rss_before = testkit::rss_kib(relay.id()).unwrap_or(0);
    let running = Arc::new(AtomicBool::new(true));
    let measuring = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<u64>::new()));
    let (sent, delivered) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut tasks = Vec::new();
    for s in 0..sessions {
        let created = http
            .post(format!("http://{addr}/api/v1/sessions"))
            .bearer_auth(format!("bench-key-0123456789-{s}"))
            .json(&CreateShare { kiosk_id: format!("k{s}") })
            .send()
            .await;
        let Ok(Ok(share)) = (match created {
            Ok(r) => Ok(r.json::<CreatedShare>().await),
            Err(e) => Err(e),
        }) else {
            panic!("cannot create session {s}")
        };
        let Ok(mut request) = format!("ws://{addr}/api/v1/sessions/{}/stream", share.session_id).into_client_request()
        else {
            panic!("url")
        };
        let Ok(auth) = HeaderValue::from_str(&format!("Bearer {}", share.kiosk_token)) else { panic!("token") };
        request.headers_mut().insert("authorization", auth);
        let Ok((mut kiosk, _)) = connect_async(request).await else { panic!("kiosk {s}") };
        let (running_k, sent_k, measuring_k) = (Arc::clone(&running), Arc::clone(&sent), Arc::clone(&measuring));
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(1000 / FPS));
            while running_k.load(Ordering::Relaxed) {
                tick.tick().await;
                if kiosk.send(Message::Binary(frame().into())).await.is_err() {
                    break;
                }
                if measuring_k.load(Ordering::Relaxed) {
                    sent_k.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
        let viewer_url = format!("{}/ws", share.viewer_url.replace("http://127.0.0.1", &format!("ws://{addr}")));
        for _ in 0..viewers {
            let Ok((viewer, _)) = connect_async(viewer_url.as_str()).await else { panic!("viewer") };
            let (mut tx, mut rx) = viewer.split();
            let (running_v, measuring_v, latencies_v, delivered_v) =
                (Arc::clone(&running), Arc::clone(&measuring), Arc::clone(&latencies), Arc::clone(&delivered));
            let ack = serde_json::to_string(&ViewerToRelay::Ack).unwrap_or_default();
            tasks.push(tokio::spawn(async move {
                while running_v.load(Ordering::Relaxed) {
                    let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(1), rx.next()).await else {
                        continue;
                    };
                    if let Message::Binary(data) = message {
                        if measuring_v.load(Ordering::Relaxed) && data.len() >= 10 {
                            let mut stamp = [0u8; 8];
                            stamp.copy_from_slice(&data[2..10]);
                            latencies_v
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push(now_nanos().saturating_sub(u64::from_le_bytes(stamp)));
                            delivered_v.fetch_add(1, Ordering::Relaxed);
                        }
                        if tx.send(Message::Text(ack.clone().into())).await.is_err() {
                            break;
                        }
                    }
                }
            }));
        }
    }

    tokio::time::sleep(Duration::from_secs(2)).await; // warm-up
    measuring.store(true, Ordering::Relaxed);
    let (started, cpu_before) = (Instant::now(), cpu_time(relay.id()));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let (elapsed, cpu) = (started.elapsed().as_secs_f64(), cpu_time(relay.id()).saturating_sub(cpu_before));
    let rss_after = testkit::rss_kib(relay.id()).unwrap_or(0);
    running.store(false, Ordering::Relaxed);
    let _ = relay.kill();
    let _ = relay.wait();
    let _ = std::fs::remove_dir_all(&dir);
    for task in tasks {
        task.abort();
    }

    let mut latencies = latencies.lock().unwrap_or_else(|p| p.into_inner()).clone();
    latencies.sort_unstable();
    let (sent, delivered) = (sent.load(Ordering::Relaxed) as f64, delivered.load(Ordering::Relaxed) as f64);
    let offered = sent * viewers as f64;
    println!(
        "relay fan-out on loopback: {sessions} sessions × {viewers} viewers, {} KiB frames at {FPS} fps, {seconds} s",
        FRAME_BYTES / 1024
    );
    println!(
        "| frames in/s | delivered/s | per viewer fps | delivered of offered | p50 ms | p95 ms | p99 ms | relay CPU (1 core = 100%) | relay CPU per 1,000 viewers | relay memory per viewer |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let relay_cpu = 100.0 * cpu.as_secs_f64() / elapsed;
    let total_viewers = (sessions * viewers) as f64;
    println!(
        "| {:.0} | {:.0} | {:.1} | {:.0}% | {:.1} | {:.1} | {:.1} | {:.0}% | {:.0}% | {:.1} KiB |",
        sent / elapsed,
        delivered / elapsed,
        delivered / elapsed / (sessions * viewers) as f64,
        100.0 * delivered / offered.max(1.0),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        relay_cpu,
        relay_cpu * 1000.0 / total_viewers,
        rss_after.saturating_sub(rss_before) as f64 / total_viewers,
    );
    println!(
        "relay: {} on CPU 0 alone; RSS {:.1} MiB idle, {:.1} MiB with {total_viewers} viewers",
        if two_cores { "pinned" } else { "not pinned (one core)" },
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
}
