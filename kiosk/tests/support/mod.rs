//! Shared by the screenshot tests: run the real kiosk under Xvfb + lavapipe and read its
//! screenshots.
#![allow(dead_code)] // each test binary uses a different subset

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use image::RgbImage;

pub const WIDTH: u32 = 1080;
pub const HEIGHT: u32 = 1920;
/// sRGB of the camera-unavailable screen's background (`theme::UNAVAILABLE_BG`).
pub const UNAVAILABLE_RGB: [u8; 3] = [28, 33, 51];

pub fn out_dir(run: &str) -> PathBuf {
    let dir = match std::env::var_os("KIOSK_SCREENSHOT_OUT") {
        // Relative to the workspace root, where the README's command runs.
        Some(dir) => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens").join(run),
    };
    let created = std::fs::create_dir_all(&dir);
    assert!(created.is_ok(), "cannot create {}: {created:?}", dir.display());
    dir
}

/// Software rendering takes both cores: one kiosk at a time keeps the timings honest.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the kiosk full-size under Xvfb with the synthetic camera and the given extra arguments;
/// fails the test on a non-zero exit or after `limit`.
pub fn run_kiosk(extra: &[String], limit: Duration) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let xvfb = Command::new("xvfb-run").arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status();
    assert!(xvfb.is_ok(), "xvfb-run is missing: run the README's test command (scripts/test.sh), which installs it");
    let mut args: Vec<String> = ["-a", "-s", &format!("-screen 0 {WIDTH}x{HEIGHT}x24"), env!("CARGO_BIN_EXE_kiosk")]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(
        [
            "--camera=synthetic",
            "--windowed",
            &format!("--set=display.windowed_width={WIDTH}"),
            &format!("--set=display.windowed_height={HEIGHT}"),
            "--set=camera.reconnect_max_ms=1000",
            // The in-process share relay stays on loopback, on a port the system picks.
            "--set=share.embedded_listen=\"127.0.0.1:0\"",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    args.extend_from_slice(extra);
    let log_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("kiosk-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).and_then(|f| Ok((f.try_clone()?, f)));
    let Ok((stdout, stderr)) = log else { panic!("cannot create {}", log_path.display()) };
    let child = Command::new("xvfb-run")
        .args(&args)
        .env("RUST_LOG", "info,wgpu=error,naga=error")
        .stdout(stdout)
        .stderr(stderr)
        .spawn();
    let Ok(mut child) = child else { panic!("cannot start xvfb-run: {child:?}") };
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                panic!("the kiosk did not finish within {limit:?}; its log:\n{}", read_log(&log_path));
            }
        }
    };
    assert!(status.success(), "kiosk exited with {status}; its log:\n{}", read_log(&log_path));
}

pub fn read_log(path: &Path) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(60).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

pub fn load(path: &Path) -> RgbImage {
    let image = image::open(path);
    let Ok(image) = image else { panic!("cannot read screenshot {}: {image:?}", path.display()) };
    let image = image.to_rgb8();
    assert_eq!(image.dimensions(), (WIDTH, HEIGHT), "{} must be the full portrait screen", path.display());
    image
}

/// Pixels of the synthetic scene's green mark: (count, mean x).
pub fn mark(image: &RgbImage) -> (usize, f32) {
    let (mut count, mut sum) = (0usize, 0f64);
    for (x, _, p) in image.enumerate_pixels() {
        if p[1] > 170 && p[0] < 90 && p[2] < 130 {
            count += 1;
            sum += f64::from(x);
        }
    }
    (count, if count == 0 { f32::NAN } else { (sum / count as f64) as f32 })
}

pub fn fraction_near(image: &RgbImage, rgb: [u8; 3]) -> f32 {
    let near = image.pixels().filter(|p| (0..3).all(|c| (i16::from(p[c]) - i16::from(rgb[c])).abs() <= 6)).count();
    near as f32 / image.pixels().len() as f32
}

pub fn mean_luma(image: &RgbImage) -> f32 {
    image.pixels().map(|p| 0.2126 * f32::from(p[0]) + 0.7152 * f32::from(p[1]) + 0.0722 * f32::from(p[2])).sum::<f32>()
        / image.pixels().len() as f32
}

pub fn mean_abs_difference(a: &RgbImage, b: &RgbImage) -> f32 {
    a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| (i16::from(*x) - i16::from(*y)).unsigned_abs() as f32).sum::<f32>()
        / a.as_raw().len() as f32
}

/// The camera picture reaches every edge: no letterbox or pillarbox bars.
pub fn assert_fills_screen(image: &RgbImage, name: &str) {
    let dark = |x: u32, y: u32| image.get_pixel(x, y).0.iter().all(|c| *c < 20);
    for y in (300..1600).step_by(100) {
        assert!(!dark(2, y) && !dark(WIDTH - 3, y), "{name}: black bar at the side (y = {y})");
    }
    for x in (100..1000).step_by(100) {
        assert!(!dark(x, 2) && !dark(x, HEIGHT - 3), "{name}: black bar at the top or bottom (x = {x})");
    }
}
