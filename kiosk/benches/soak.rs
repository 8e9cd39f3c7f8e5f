//! Soak: the release kiosk under its own Xvfb with the synthetic camera and a scripted shopper,
//! for as long as asked. Every cycle a shopper starts a session, scans an item from the demo
//! catalog, shares the look with the in-process relay (consent, stream, stop) and ends the
//! session (the privacy wipe). Prints RSS every minute with the render and camera frame rates
//! the kiosk reports in its health, then the RSS growth from minute 5 to the end, and exits 1
//! when that growth is over 2 % per hour.
//!
//! The kiosk runs with `MALLOC_ARENA_MAX=2`, as the systemd unit starts it: with glibc's default
//! (up to 8 malloc arenas per core for Bevy's task pools, lavapipe's and tokio's threads) RSS grew
//! by ~10 MiB a minute under this shopper and stayed flat with 2 (README: Running for weeks).
//!
//! Run: `cargo bench -p kiosk --bench soak` (60 minutes, 540×960), or
//! `cargo bench -p kiosk --bench soak -- MINUTES [WIDTH HEIGHT]`.

use std::{
    io::BufRead,
    path::Path,
    process::{Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

/// Seconds per shopper cycle, and what happens when within it.
const CYCLE_S: f64 = 40.0;
const CYCLE: [(f64, &str); 6] = [
    (0.0, "touch"),
    (4.0, "scan=4006381000031"),
    (10.0, "share"),
    (13.0, "share-accept"),
    (28.0, "share-stop"),
    (34.0, "end-session"),
];
/// RSS growth allowed, per hour, from minute 5 on.
const MAX_GROWTH_PER_HOUR: f64 = 0.02;

/// The latest `render_fps` and `camera_fps` the kiosk logged in a health report.
fn latest_fps(log: &Path) -> (f64, f64) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let Some(json) = text.lines().rev().find_map(|l| l.split_once("telemetry health (local spool): ").map(|(_, j)| j))
    else {
        return (0.0, 0.0);
    };
    let health: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    (health["render_fps"].as_f64().unwrap_or(0.0), health["camera_fps"].as_f64().unwrap_or(0.0))
}

fn main() -> ExitCode {
    let numbers: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let minutes = numbers.first().copied().unwrap_or(60).max(6);
    let (width, height) = (numbers.get(1).copied().unwrap_or(540), numbers.get(2).copied().unwrap_or(960));

    let Ok(mut xvfb) = Command::new("Xvfb")
        .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", &format!("{width}x{height}x24")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        eprintln!("soak: cannot start Xvfb (scripts/test.sh installs it)");
        return ExitCode::FAILURE;
    };
    let mut display = String::new();
    if let Some(stdout) = xvfb.stdout.take() {
        let _ = std::io::BufReader::new(stdout).read_line(&mut display);
    }
    let display = format!(":{}", display.trim());

    let dir = std::env::temp_dir().join(format!("kiosk-soak-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let log = dir.join("kiosk.log");
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
    let mut args: Vec<String> = vec![
        "--camera=synthetic".into(),
        "--windowed".into(),
        format!("--set=display.windowed_width={width}"),
        format!("--set=display.windowed_height={height}"),
        "--set=share.embedded_listen=\"127.0.0.1:0\"".into(),
        format!("--set=catalog.bundled=\"{}\"", catalog.display()),
        format!("--set=telemetry.data_dir=\"{}\"", dir.display()),
        "--set=telemetry.health_interval_s=10".into(),
        "--set=session.inactivity_timeout_s=600".into(),
    ];
    let cycles = (f64::from(minutes) * 60.0 / CYCLE_S).ceil() as u32;
    for cycle in 0..cycles {
        for (offset, action) in CYCLE {
            args.push(format!("--at={:.1}:{action}", 5.0 + f64::from(cycle) * CYCLE_S + offset));
        }
    }
    let Ok(file) = std::fs::File::create(&log).and_then(|f| Ok((f.try_clone()?, f))) else {
        eprintln!("soak: cannot create {}", log.display());
        return ExitCode::FAILURE;
    };
    let Ok(mut kiosk) = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(&args)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_LOG", "info,wgpu=error,naga=error")
        .env("MALLOC_ARENA_MAX", "2")
        .stdout(file.0)
        .stderr(file.1)
        .spawn()
    else {
        eprintln!("soak: cannot start the kiosk");
        return ExitCode::FAILURE;
    };
    let pid = kiosk.id();
    println!(
        "soak: release kiosk pid {pid}, {width}x{height}, {minutes} min, a shopper every {CYCLE_S} s; log {}",
        log.display()
    );

    let started = Instant::now();
    let mut samples: Vec<(u32, u64)> = Vec::new();
    for minute in 1..=minutes {
        let due = started + Duration::from_secs(u64::from(minute) * 60);
        while Instant::now() < due {
            if !matches!(kiosk.try_wait(), Ok(None)) {
                eprintln!("soak: the kiosk exited at minute {minute}; log {}", log.display());
                let _ = xvfb.kill();
                return ExitCode::FAILURE;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let rss = testkit::rss_kib(pid).unwrap_or(0);
        let (render, camera) = latest_fps(&log);
        println!(
            "minute {minute:>3}: RSS {:>7.1} MiB, render {render:>5.1} fps, camera {camera:>5.1} fps",
            rss as f64 / 1024.0
        );
        samples.push((minute, rss));
    }
    let sessions = std::fs::read_to_string(&log).unwrap_or_default().matches("session ended").count();
    let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
    let _ = kiosk.wait();
    let _ = xvfb.kill();
    let _ = xvfb.wait();

    // Growth: a least-squares line through the samples from minute 5 on, per hour, relative to
    // the RSS at minute 5 (a straight line is robust to the allocator's ups and downs).
    let tail: Vec<(f64, f64)> =
        samples.iter().filter(|(m, _)| *m >= 5).map(|(m, rss)| (f64::from(*m), *rss as f64)).collect();
    let n = tail.len() as f64;
    let (mean_x, mean_y) = (tail.iter().map(|p| p.0).sum::<f64>() / n, tail.iter().map(|p| p.1).sum::<f64>() / n);
    let slope_per_minute = tail.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum::<f64>()
        / tail.iter().map(|(x, _)| (x - mean_x).powi(2)).sum::<f64>().max(f64::EPSILON);
    let at_five = tail.first().map_or(1.0, |p| p.1.max(1.0));
    let growth_per_hour = slope_per_minute * 60.0 / at_five;
    let last = tail.last().map_or(0.0, |p| p.1);
    println!(
        "soak: {minutes} min, {sessions} sessions; RSS {:.1} MiB at minute 5, {:.1} MiB at the end; growth {:+.2} %/h (limit {:.0} %/h)",
        at_five / 1024.0,
        last / 1024.0,
        growth_per_hour * 100.0,
        MAX_GROWTH_PER_HOUR * 100.0
    );
    if growth_per_hour > MAX_GROWTH_PER_HOUR {
        eprintln!("soak: RSS grows faster than {:.0} % per hour", MAX_GROWTH_PER_HOUR * 100.0);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
