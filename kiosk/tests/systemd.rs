//! The kiosk as a systemd `Type=notify` service: it says `READY=1` once it draws and then
//! `WATCHDOG=1` every half watchdog period while frames flow, and nothing while its loop hangs
//! (so systemd restarts it). The test plays systemd's part with a real notification socket.

mod support;

use std::{
    os::unix::net::UnixDatagram,
    time::{Duration, Instant},
};

use support::*;

#[test]
fn the_kiosk_tells_systemd_it_is_ready_and_alive() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap_or_else(|e| panic!("{e}"));
    socket.set_read_timeout(Some(Duration::from_millis(500))).unwrap_or_else(|e| panic!("{e}"));
    let display = Display::start(540, 960);
    let log = dir.path().join("kiosk.log");
    let socket_env = socket_path.to_string_lossy().to_string();
    let mut kiosk = Kiosk::spawn_with_env(
        &display,
        (540, 960),
        &[format!("--set=telemetry.data_dir=\"{}\"", dir.path().display())],
        log,
        "info,wgpu=error,naga=error",
        // A 2 s watchdog: notifications are due every second.
        &[("NOTIFY_SOCKET", socket_env.as_str()), ("WATCHDOG_USEC", "2000000")],
    );
    let mut messages: Vec<(Instant, String)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut buffer = [0u8; 256];
    while Instant::now() < deadline && messages.iter().filter(|(_, m)| m.contains("WATCHDOG=1")).count() < 4 {
        if let Ok(n) = socket.recv(&mut buffer) {
            messages.push((Instant::now(), String::from_utf8_lossy(&buffer[..n]).trim().to_string()));
        }
    }
    assert!(kiosk.is_running(), "the kiosk is still up");
    let texts: Vec<&str> = messages.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(texts.first().copied(), Some("READY=1"), "{texts:?}\n{}", kiosk.log_text());
    let pets: Vec<Instant> = messages.iter().filter(|(_, m)| m == "WATCHDOG=1").map(|(at, _)| *at).collect();
    assert!(pets.len() >= 4, "{texts:?}");
    // Every gap is under the 2 s watchdog (else systemd would restart a healthy kiosk) and none
    // is a burst (one a second, not one a frame).
    for pair in pets.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(800) && gap < Duration::from_secs(2),
            "one notification a second: {gap:?}"
        );
    }

    // The app loop hangs while the process lives: the display freezes, so drawing blocks, while
    // the capture and telemetry threads carry on. Notifications come from the loop, so they stop:
    // silence is what makes systemd restart a hung kiosk.
    display.signal("STOP");
    let hang = Instant::now() + Duration::from_secs(4);
    let mut during_hang = Vec::new();
    while Instant::now() < hang {
        if let Ok(n) = socket.recv(&mut buffer) {
            during_hang.push((Instant::now(), String::from_utf8_lossy(&buffer[..n]).trim().to_string()));
        }
    }
    // The loop may finish the frame it was in before it blocks: the last second is all silent.
    let late: Vec<_> =
        during_hang.iter().filter(|(at, m)| m == "WATCHDOG=1" && *at > hang - Duration::from_secs(2)).collect();
    assert!(late.is_empty(), "notified while the loop hung: {during_hang:?}");
    assert!(kiosk.is_running(), "the kiosk is alive, only its loop is stuck");
    display.signal("CONT");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut resumed = false;
    while !resumed && Instant::now() < deadline {
        if let Ok(n) = socket.recv(&mut buffer) {
            resumed = String::from_utf8_lossy(&buffer[..n]).trim() == "WATCHDOG=1";
        }
    }
    assert!(resumed, "notifications resume once the loop runs; log:\n{}", kiosk.log_text());
}
