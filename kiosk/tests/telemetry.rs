//! The real kiosk (under Xvfb, synthetic camera) against a real Mosquitto on a free port: retained
//! status and the Will after `kill -9`, usage events with ids and sequence numbers, health, every
//! command acked (bad and expired ones rejected), screenshots without camera pixels, desired
//! configuration, no event lost across `kill -9`, and a flood of garbage commands survived.

mod support;

use std::{
    collections::{BTreeMap, BTreeSet},
    net::SocketAddr,
    path::Path,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use protocol::{
    command::{AckStatus, CommandAck, ReportedConfig},
    session::EndReason,
    telemetry::{CameraState, EventEnvelope, Health, KioskStatus, Presence, StartKind, UsageEvent, now_ms},
    topics::KioskTopics,
};
use support::{Display, Kiosk, mark, one_at_a_time};
use testkit::{Mosquitto, Received, Watcher, WatcherOptions};

const SIZE: (u32, u32) = (540, 960);

fn parse<T: serde::de::DeserializeOwned>(messages: &[Received], topic: &str) -> Vec<T> {
    messages.iter().filter(|m| m.topic == topic).filter_map(|m| serde_json::from_slice(&m.payload).ok()).collect()
}

fn kiosk_args(broker: &Mosquitto, kiosk: &str, data_dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        format!("--set=kiosk.id={kiosk}"),
        format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
        format!("--set=telemetry.data_dir=\"{}\"", data_dir.display()),
        "--set=telemetry.health_interval_s=1".to_string(),
        "--set=telemetry.reconnect_max_ms=1000".to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn log_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}.log", std::process::id()))
}

/// Sends a command and waits for its ack.
fn command(fleet: &Watcher, topics: &KioskTopics, id: &str, action: &str, expires_at_ms: u64) -> CommandAck {
    let payload = format!(r#"{{"v":1,"id":"{id}","expires_at_ms":{expires_at_ms},"action":{action}}}"#);
    fleet.publish(&topics.cmd, payload, false).unwrap_or_else(|e| panic!("{e}"));
    let mut ack = None;
    fleet.wait_until(Duration::from_secs(20), |messages| {
        ack = parse::<CommandAck>(messages, &topics.cmd_ack)
            .into_iter()
            .find(|a| a.id.as_ref().is_some_and(|i| i.as_str() == id));
        ack.is_some()
    });
    ack.unwrap_or_else(|| panic!("no ack for {id} ({action}) within 20 s"))
}

/// An HTTP endpoint on loopback that keeps every body POSTed to it.
fn upload_server() -> (SocketAddr, Arc<Mutex<Vec<Vec<u8>>>>) {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let store = bodies.clone();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::bind("127.0.0.1:0").await else { return };
            let _ = addr_tx.send(listener.local_addr().ok());
            let app = axum::Router::new().route(
                "/shots",
                axum::routing::post(move |body: axum::body::Bytes| {
                    let store = store.clone();
                    async move {
                        store.lock().unwrap_or_else(|p| p.into_inner()).push(body.to_vec());
                        axum::http::StatusCode::CREATED
                    }
                }),
            );
            let _ = axum::serve(listener, app).await;
        });
    });
    let addr = addr_rx.recv_timeout(Duration::from_secs(5)).ok().flatten();
    (addr.unwrap_or_else(|| panic!("upload server did not start")), bodies)
}

#[test]
fn a_kiosk_reports_and_obeys_over_mqtt() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-it");
    let fleet = Watcher::start(broker.port, &["mirror/v1/kiosks/k-it/#"], WatcherOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let (upload, uploads) = upload_server();
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shots = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scripted_shot = shots.path().join("scripted.png");
    let display = Display::start(SIZE.0, SIZE.1);
    let url = format!("--set=remote.screenshot_upload_url=\"http://{upload}/shots\"");
    let at_shot = format!("--at=4:screenshot={}", scripted_shot.display());
    let periodic_dir = format!("--screenshot-dir={}", shots.path().display());
    let mut kiosk = Kiosk::spawn(
        &display,
        SIZE,
        &kiosk_args(
            &broker,
            "k-it",
            data.path(),
            &[&url, "--at=2:touch", &at_shot, "--screenshot-every=0.5", &periodic_dir],
        ),
        log_path("kiosk-it"),
        "info,wgpu=error,naga=error",
    );
    let log = |kiosk: &Kiosk| support::read_log(&kiosk.log);

    // Online, retained.
    let online = fleet.wait_until(Duration::from_secs(60), |m| {
        parse::<KioskStatus>(m, &topics.status).iter().any(|s| s.state == Presence::Online)
    });
    assert!(online, "no online status; kiosk log:\n{}", log(&kiosk));
    let late =
        Watcher::start(broker.port, &[&topics.status], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(late.wait_until(Duration::from_secs(5), |m| m.iter().any(|r| r.retain)), "the status is retained");

    // Usage events and health.
    let started = fleet.wait_until(Duration::from_secs(30), |m| {
        parse::<EventEnvelope>(m, &topics.events).iter().any(|e| e.event == UsageEvent::SessionStarted)
    });
    assert!(started, "no session_started event; kiosk log:\n{}", log(&kiosk));
    let healthy = fleet.wait_until(Duration::from_secs(15), |m| {
        parse::<Health>(m, &topics.health).iter().any(|h| h.camera == CameraState::Live && h.render_fps > 0.0)
    });
    assert!(healthy, "no health report with a live camera");
    let health = parse::<Health>(&fleet.received(), &topics.health).pop();
    let health = health.unwrap_or_else(|| panic!("no health"));
    assert!(health.memory_mb > 10.0 && health.camera_fps > 0.0 && health.frame_age_ms.is_some(), "{health:?}");
    assert_eq!((health.outbox_dropped, health.outbox_corrupt), (0, 0));

    // A remote screenshot during the session: uploaded over HTTP, with the mirror blanked. The
    // local screenshots just before and just after it (synthetic camera: not blanked) show the
    // camera's mark, so the camera was live around the remote one: its missing mark is the blank.
    while !scripted_shot.exists() {
        assert!(kiosk.is_running(), "kiosk exited; log:\n{}", log(&kiosk));
        std::thread::sleep(Duration::from_millis(100));
    }
    let future = now_ms() + 60_000;
    let ack = command(&fleet, &topics, "shot-1", r#"{"type":"screenshot"}"#, future);
    assert_eq!(ack.status, AckStatus::Done, "{ack:?}");
    let png = uploads.lock().unwrap_or_else(|p| p.into_inner()).pop().unwrap_or_else(|| panic!("nothing uploaded"));
    let remote = image::load_from_memory(&png).unwrap_or_else(|e| panic!("upload is not an image: {e}")).to_rgb8();
    let saved = remote.save(support::out_dir("telemetry").join("remote-screenshot.png"));
    assert!(saved.is_ok(), "{saved:?}");
    let scripted = image::open(&scripted_shot).unwrap_or_else(|e| panic!("{e}")).to_rgb8();
    assert!(mark(&scripted).0 > 200, "control before: the camera's mark is visible in an unblanked screenshot");
    let after = fresh_periodic_screenshot(&shots.path().join("latest.png"), std::time::SystemTime::now());
    assert!(mark(&after).0 > 200, "control after: the camera was still live right after the remote shot");
    assert_eq!(mark(&remote).0, 0, "a remote screenshot contains camera pixels");
    assert_eq!(ack.result.as_ref().and_then(|r| r["bytes"].as_u64()), Some(png.len() as u64));

    // Commands: each acked with its result.
    let ack = command(&fleet, &topics, "end-1", r#"{"type":"end_session"}"#, future);
    assert_eq!(ack.status, AckStatus::Done);
    let ended = fleet.wait_until(Duration::from_secs(10), |m| {
        parse::<EventEnvelope>(m, &topics.events)
            .iter()
            .any(|e| matches!(e.event, UsageEvent::SessionEnded { reason: EndReason::Remote, .. }))
    });
    assert!(ended, "no session_ended (remote) event");
    // The retained status was written once, on connect: a session's start and end do not touch it.
    let statuses = parse::<KioskStatus>(&fleet.received(), &topics.status);
    assert_eq!(statuses.len(), 1, "one retained status before any maintenance change: {statuses:?}");
    for (id, action) in [
        ("bright-1", r#"{"type":"set_brightness","percent":40}"#),
        ("light-1", r#"{"type":"set_lighting","scene":"sunset"}"#),
        ("identify-1", r#"{"type":"identify","seconds":2}"#),
        ("reload-1", r#"{"type":"reload_config"}"#),
        ("maint-1", r#"{"type":"maintenance","on":true}"#),
    ] {
        let ack = command(&fleet, &topics, id, action, future);
        assert_eq!(ack.status, AckStatus::Done, "{ack:?}");
    }
    let maintenance = fleet.wait_until(Duration::from_secs(10), |m| {
        parse::<KioskStatus>(m, &topics.status).last().is_some_and(|s| s.maintenance)
    });
    assert!(maintenance, "the retained status shows maintenance");
    let catalog = command(&fleet, &topics, "cat-1", r#"{"type":"refresh_catalog"}"#, future);
    assert_eq!(catalog.status, AckStatus::Failed, "no catalog is configured: {catalog:?}");

    // Expired and malformed commands are rejected with the reason; the kiosk carries on.
    let expired = command(&fleet, &topics, "old-1", r#"{"type":"end_session"}"#, now_ms() - 1000);
    assert_eq!(expired.status, AckStatus::Rejected);
    assert!(expired.reason.as_deref().is_some_and(|r| r.starts_with("expired")), "{expired:?}");
    let unknown = command(&fleet, &topics, "fmt-1", r#"{"type":"format_disk"}"#, future);
    assert_eq!(unknown.status, AckStatus::Rejected);
    let range = command(&fleet, &topics, "dim-1", r#"{"type":"set_brightness","percent":0}"#, future);
    assert_eq!(range.reason.as_deref(), Some("action.percent: 0 is outside 10..=100"));
    let extra = command(&fleet, &topics, "extra-1", r#"{"type":"end_session","now":true}"#, future);
    assert_eq!(extra.status, AckStatus::Rejected, "{extra:?}");
    assert!(extra.reason.as_deref().is_some_and(|r| r.contains("unknown field `now`")), "{extra:?}");

    // An oversized command (300 KiB, under the broker's max_packet_size) is refused with the
    // reason, and the kiosk keeps its connection: no Will, no reconnect.
    let padding = "x".repeat(300 * 1024);
    let big = format!(
        r#"{{"v":1,"id":"big-1","expires_at_ms":{future},"action":{{"type":"identify","seconds":1,"pad":"{padding}"}}}}"#
    );
    fleet.publish(&topics.cmd, big, false).unwrap_or_else(|e| panic!("{e}"));
    // Too big to be read, so its id is unknown: the rejection names the size.
    let refused = fleet.wait_until(Duration::from_secs(20), |m| {
        parse::<CommandAck>(m, &topics.cmd_ack).iter().any(|a| {
            a.id.is_none()
                && a.status == AckStatus::Rejected
                && a.reason.as_deref().is_some_and(|r| r.contains("over the 4096-byte limit"))
        })
    });
    assert!(refused, "no rejection of the 300 KiB command");
    let after_big = command(&fleet, &topics, "after-big", r#"{"type":"identify","seconds":1}"#, future);
    assert_eq!(after_big.status, AckStatus::Done);
    assert!(!log(&kiosk).contains("connection lost"), "the oversized command cut the kiosk off:\n{}", log(&kiosk));

    // Desired configuration: a valid one applies, an invalid one is refused naming the key.
    let desired = |revision: &str, set: &str| {
        let payload = format!(r#"{{"v":1,"revision":"{revision}","set":{set}}}"#);
        fleet.publish(&topics.config, payload, true).unwrap_or_else(|e| panic!("{e}"));
        let mut report = None;
        fleet.wait_until(Duration::from_secs(15), |m| {
            report = parse::<ReportedConfig>(m, &topics.config_reported)
                .into_iter()
                .find(|r| r.revision.as_ref().is_some_and(|i| i.as_str() == revision));
            report.is_some()
        });
        report.unwrap_or_else(|| panic!("no report for {revision}"))
    };
    let good = desired("r1", r#"{"session.inactivity_timeout_s":120}"#);
    assert!(good.applied && good.needs_restart.is_empty(), "{good:?}");
    let bad = desired("r2", r#"{"camera.fps":0}"#);
    assert!(!bad.applied && bad.error.as_deref().is_some_and(|e| e.contains("camera.fps")), "{bad:?}");
    let restart = desired("r3", r#"{"camera.fps":15}"#);
    assert_eq!(restart.needs_restart, vec!["camera".to_string()]);

    // Event envelopes: unique ids, sequence numbers 1, 2, 3 …
    let events = parse::<EventEnvelope>(&fleet.received(), &topics.events);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "{events:#?}");
    let ids: BTreeSet<_> = events.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), events.len());
    assert!(events.iter().all(|e| e.kiosk.as_str() == "k-it" && e.v == 2));
    // Sessions: kiosk_started belongs to none; the session's events share one random id.
    let started = events.iter().find(|e| matches!(e.event, UsageEvent::KioskStarted { .. }));
    assert!(started.is_some_and(|e| e.session.is_none()), "{started:?}");
    let session = events.iter().find(|e| e.event == UsageEvent::SessionStarted).and_then(|e| e.session);
    assert!(session.is_some(), "session_started carries its session: {events:#?}");
    let in_session: Vec<&str> = events.iter().filter(|e| e.session == session).map(|e| e.event.kind()).collect();
    assert!(in_session.first() == Some(&"session_started"), "{in_session:?}");
    let ended = events.iter().find(|e| matches!(e.event, UsageEvent::SessionEnded { .. }));
    assert!(ended.is_none_or(|e| e.session == session), "its end carries the same id: {ended:?}");

    // kill -9: the broker publishes the Will (and never before: a start must not look like a loss).
    let statuses = parse::<KioskStatus>(&fleet.received(), &topics.status);
    assert!(statuses.iter().all(|s| s.state == Presence::Online), "{statuses:?}");
    assert!(kiosk.is_running(), "the kiosk survived every command; log:\n{}", log(&kiosk));
    kiosk.kill_9();
    let lost = fleet.wait_until(Duration::from_secs(15), |m| {
        parse::<KioskStatus>(m, &topics.status).last().is_some_and(|s| s.state == Presence::Lost)
    });
    assert!(lost, "no 'lost' status (the Will) after kill -9");
}

#[test]
fn sigterm_says_offline_and_the_next_start_tells_clean_from_crash() {
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-term");
    let fleet = Watcher::start(broker.port, &["mirror/v1/kiosks/k-term/#"], WatcherOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let display = Display::start(SIZE.0, SIZE.1);
    let spawn = |name: &str, extra: &[&str]| {
        Kiosk::spawn(
            &display,
            SIZE,
            &kiosk_args(&broker, "k-term", data.path(), extra),
            log_path(name),
            "info,wgpu=error,naga=error",
        )
    };
    let health_since = |from: usize, start: StartKind| {
        fleet.wait_until(Duration::from_secs(60), |m| {
            parse::<Health>(&m[from.min(m.len())..], &topics.health).iter().any(|h| h.start == start)
        })
    };

    // A session is under way when systemd stops the kiosk.
    let mut kiosk = spawn("term-1", &["--at=2:touch"]);
    let started = fleet.wait_until(Duration::from_secs(60), |m| {
        parse::<EventEnvelope>(m, &topics.events).iter().any(|e| e.event == UsageEvent::SessionStarted)
    });
    assert!(started, "no session started; log:\n{}", kiosk.log_text());
    assert!(health_since(0, StartKind::Clean), "the first start is a clean one");
    let status = kiosk.terminate(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "a planned stop exits 0; log:\n{}", kiosk.log_text());
    let offline = fleet.wait_until(Duration::from_secs(10), |m| {
        parse::<KioskStatus>(m, &topics.status).last().is_some_and(|s| s.state == Presence::Offline)
    });
    assert!(
        offline,
        "SIGTERM must leave the retained status offline: {:?}",
        parse::<KioskStatus>(&fleet.received(), &topics.status)
    );
    let late =
        Watcher::start(broker.port, &[&topics.status], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        late.wait_until(Duration::from_secs(5), |m| parse::<KioskStatus>(m, &topics.status)
            .iter()
            .any(|s| s.state == Presence::Offline)),
        "the retained status a newcomer reads is offline, not lost"
    );
    let ended = parse::<EventEnvelope>(&fleet.received(), &topics.events)
        .into_iter()
        .any(|e| matches!(e.event, UsageEvent::SessionEnded { reason: EndReason::Shutdown, .. }));
    assert!(ended, "the session's end (reason shutdown) reached the broker before the exit");

    // After a clean stop the next start is clean; after kill -9 it is not.
    let mut kiosk = spawn("term-2", &[]);
    let mark = fleet.received().len();
    assert!(health_since(mark, StartKind::Clean), "after SIGTERM the next start is clean; log:\n{}", kiosk.log_text());
    kiosk.kill_9();
    let mark = fleet.received().len();
    let kiosk = spawn("term-3", &[]);
    assert!(
        health_since(mark, StartKind::AfterCrash),
        "after kill -9 the next start says so; log:\n{}",
        kiosk.log_text()
    );
    let counted = fleet.wait_until(Duration::from_secs(10), |m| {
        parse::<EventEnvelope>(m, &topics.events)
            .iter()
            .any(|e| e.event == UsageEvent::KioskStarted { start: StartKind::AfterCrash })
    });
    assert!(counted, "a kiosk_started (after_crash) usage event");
}

/// Every sequence number the kiosk logged as written to the outbox.
fn recorded_seqs(log: &str) -> BTreeSet<u64> {
    log.lines()
        .filter_map(|line| line.split_once("as #[").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once(']').map(|(list, _)| list))
        .flat_map(|list| list.split(", ").filter_map(|n| n.trim().parse().ok()).collect::<Vec<_>>())
        .collect()
}

#[test]
fn a_broker_outage_and_kill_9_mid_stream_lose_no_event() {
    let _turn = one_at_a_time();
    let mut broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-kill");
    let analytics =
        WatcherOptions { client_id: "analytics-kill".into(), persistent: true, ..WatcherOptions::default() };
    let watcher = Watcher::start(broker.port, &[&topics.events], analytics).unwrap_or_else(|e| panic!("{e}"));
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let display = Display::start(SIZE.0, SIZE.1);
    // A session starts and ends every 0.3 s: two events each time.
    let script: Vec<String> = (0..200)
        .flat_map(|i| {
            let t = 1.0 + f64::from(i) * 0.3;
            [format!("--at={t:.2}:touch"), format!("--at={:.2}:end-session", t + 0.15)]
        })
        .collect();
    let script: Vec<&str> = script.iter().map(String::as_str).collect();
    let rust_log = "info,wgpu=error,naga=error,kiosk::telemetry=debug";
    let mut first = Kiosk::spawn(
        &display,
        SIZE,
        &kiosk_args(&broker, "k-kill", data.path(), &script),
        log_path("kill-1"),
        rust_log,
    );
    let streaming = watcher.wait_until(Duration::from_secs(60), |m| m.len() >= 10);
    assert!(streaming, "events did not flow; log:\n{}", support::read_log(&first.log));

    // The broker goes away for 10.5 s while sessions go on.
    broker.stop().unwrap_or_else(|e| panic!("{e}"));
    let before_outage = recorded_seqs(&first.log_text()).len();
    std::thread::sleep(Duration::from_millis(10_500));
    let during_outage = recorded_seqs(&first.log_text()).len() - before_outage;
    assert!(during_outage >= 10, "events kept being recorded during the outage: {during_outage}");
    broker.restart().unwrap_or_else(|e| panic!("{e}"));
    let caught_up = watcher.wait_until(Duration::from_secs(30), |m| m.len() >= before_outage + during_outage);
    assert!(caught_up, "the outage's events did not arrive; log:\n{}", support::read_log(&first.log));

    // Then the kiosk is killed mid-stream.
    first.kill_9();
    let recorded_before = recorded_seqs(&first.log_text());
    assert!(recorded_before.len() >= 30, "{recorded_before:?}");

    let mut second = Kiosk::spawn(
        &display,
        SIZE,
        &kiosk_args(&broker, "k-kill", data.path(), &script[..20]),
        log_path("kill-2"),
        rust_log,
    );
    let seen = |m: &[Received]| -> BTreeMap<u64, BTreeSet<String>> {
        let mut by_seq: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
        for envelope in parse::<EventEnvelope>(m, &topics.events) {
            by_seq.entry(envelope.seq).or_default().insert(envelope.id.0.to_string());
        }
        by_seq
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let recorded_after = recorded_seqs(&second.log_text());
        let by_seq = seen(&watcher.received());
        let missing: Vec<&u64> =
            recorded_before.iter().chain(&recorded_after).filter(|s| !by_seq.contains_key(s)).collect();
        if recorded_after.len() >= 10 && missing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "events missing after the restart: {missing:?} (recorded before the kill: {}..={}, after: {:?}); log:\n{}",
            recorded_before.first().unwrap_or(&0),
            recorded_before.last().unwrap_or(&0),
            recorded_after,
            support::read_log(&second.log)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    second.kill_9();
    let recorded_after = recorded_seqs(&second.log_text());
    let by_seq = seen(&watcher.received());
    let max = by_seq.keys().max().copied().unwrap_or(0);
    let missing: Vec<u64> = (1..=max).filter(|s| !by_seq.contains_key(s)).collect();
    assert!(missing.is_empty(), "sequence gaps: {missing:?}");
    assert!(recorded_after.iter().all(|s| s > recorded_before.iter().max().unwrap_or(&0)), "numbering continues");
    assert!(by_seq.values().all(|ids| ids.len() == 1), "a re-sent event keeps its id");
    println!(
        "{during_outage} events recorded during a 10.5 s broker outage; {} before kill -9, {} after the restart, all {} delivered",
        recorded_before.len(),
        recorded_after.len(),
        by_seq.len()
    );
}

#[test]
fn garbage_on_the_command_topic_never_takes_the_kiosk_down() {
    use rand::{Rng, SeedableRng};
    let _turn = one_at_a_time();
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-fuzz");
    let fleet = Watcher::start(broker.port, &["mirror/v1/kiosks/k-fuzz/#"], WatcherOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let display = Display::start(SIZE.0, SIZE.1);
    let mut kiosk = Kiosk::spawn(
        &display,
        SIZE,
        &kiosk_args(&broker, "k-fuzz", data.path(), &[]),
        log_path("fuzz"),
        "info,wgpu=error,naga=error",
    );
    let online = fleet.wait_until(Duration::from_secs(60), |m| !parse::<KioskStatus>(m, &topics.status).is_empty());
    assert!(online, "kiosk never came online; log:\n{}", support::read_log(&kiosk.log));

    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    let words = ["v", "id", "expires_at_ms", "action", "type", "on", "seconds", "percent", "maintenance", "identify"];
    let mut sent = 0;
    for i in 0..3000 {
        let payload: Vec<u8> = if i % 2 == 0 {
            (0..rng.random_range(0..300)).map(|_| rng.random()).collect()
        } else {
            // Command-shaped JSON with random keys and values.
            let mut object = serde_json::Map::new();
            for _ in 0..rng.random_range(0..6) {
                let key = words[rng.random_range(0..words.len())].to_string();
                let value = match rng.random_range(0..5) {
                    0 => serde_json::json!(rng.random::<i64>()),
                    1 => serde_json::json!(words[rng.random_range(0..words.len())]),
                    2 => {
                        serde_json::json!({"type": words[rng.random_range(0..words.len())], "on": rng.random::<bool>()})
                    }
                    3 => serde_json::json!([1, "x", null]),
                    _ => serde_json::json!(null),
                };
                object.insert(key, value);
            }
            serde_json::to_vec(&object).unwrap_or_default()
        };
        fleet.publish(&topics.cmd, payload, false).unwrap_or_else(|e| panic!("{e}"));
        sent += 1;
        if i % 250 == 249 {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // Still alive and still obeying.
    let ack = command(&fleet, &topics, "after-flood", r#"{"type":"identify","seconds":1}"#, now_ms() + 60_000);
    assert_eq!(ack.status, AckStatus::Done);
    assert!(kiosk.is_running(), "the kiosk died; log:\n{}", support::read_log(&kiosk.log));
    let log = kiosk.log_text();
    let rejected_acks = parse::<CommandAck>(&fleet.received(), &topics.cmd_ack)
        .iter()
        .filter(|a| a.status == AckStatus::Rejected)
        .count();
    let rejected_logged = log.matches("telemetry: command rejected").count();
    let ignored_logged = log.matches("telemetry: command ignored").count();
    assert_eq!(rejected_logged + ignored_logged, sent, "every bad command is answered or logged");
    assert_eq!(rejected_acks, rejected_logged, "every logged rejection was also acked");
    println!(
        "{sent} garbage commands: {rejected_acks} rejected with a reason, {ignored_logged} ignored over the rate limit"
    );
}

/// The first periodic screenshot written after `since` (waits for it, up to 10 s).
fn fresh_periodic_screenshot(path: &std::path::Path, since: std::time::SystemTime) -> image::RgbImage {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let written = std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|at| at > since);
        if written && let Ok(image) = image::open(path) {
            return image.to_rgb8();
        }
        assert!(Instant::now() < deadline, "no screenshot at {} after the remote one", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}
