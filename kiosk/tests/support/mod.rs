//! Shared by the screenshot tests: run the real kiosk under Xvfb + lavapipe and read its
//! screenshots.
#![allow(dead_code)] // each test binary uses a different subset

pub mod counter;
pub mod texts;

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
        // A fresh folder each run, so nothing from a previous run passes for this one's.
        None => {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens").join(run);
            let _ = std::fs::remove_dir_all(&dir);
            dir
        }
    };
    let created = std::fs::create_dir_all(&dir);
    assert!(created.is_ok(), "cannot create {}: {created:?}", dir.display());
    dir
}

/// Software rendering takes both cores: one kiosk at a time keeps the timings honest.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the kiosk full-size under Xvfb with the synthetic camera and the given extra arguments;
/// fails the test on a non-zero exit or after `limit`. Returns the kiosk's whole log.
pub fn run_kiosk(extra: &[String], limit: Duration) -> String {
    let (status, log) = run_kiosk_status(extra, limit);
    assert!(status.success(), "kiosk exited with {status}; its log:\n{}", tail(&log));
    log
}

/// Where [`run_kiosk`] writes the running kiosk's log (for tests that follow it live).
pub fn run_kiosk_log() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("kiosk-{}.log", std::process::id()))
}

/// Runs the kiosk like [`run_kiosk`] and returns how it exited with its whole log.
pub fn run_kiosk_status(extra: &[String], limit: Duration) -> (std::process::ExitStatus, String) {
    let _turn = one_at_a_time();
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
    let log_path = run_kiosk_log();
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
    (status, std::fs::read_to_string(&log_path).unwrap_or_default())
}

/// The text of the first QR code found in a screenshot.
pub fn decode_qr(image: &RgbImage) -> Option<String> {
    let gray = image::DynamicImage::ImageRgb8(image.clone()).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    prepared.detect_grids().into_iter().find_map(|grid| grid.decode().ok().map(|(_, content)| content))
}

/// Waits until `path` exists (a screenshot or a texts dump the kiosk writes); false after `timeout`.
pub fn wait_for_file(path: &Path, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while !path.exists() {
        if Instant::now() > deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(100));
    }
    true
}

pub fn read_log(path: &Path) -> String {
    tail(&std::fs::read_to_string(path).unwrap_or_default())
}

/// The last 60 lines of a log.
pub fn tail(log: &str) -> String {
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

/// Pixels within `tolerance` of `rgb` (every channel) in `region` (x0, y0, x1, y1, exclusive).
pub fn pixels_near(image: &RgbImage, rgb: [u8; 3], tolerance: u8, region: (u32, u32, u32, u32)) -> usize {
    let (x0, y0, x1, y1) = region;
    image
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            *x >= x0 && *x < x1 && *y >= y0 && *y < y1 && p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= tolerance)
        })
        .count()
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

/// Mean absolute difference per channel between region `ra` of `a` and region `rb` of `b`, each
/// (x, y, width, height); the regions have `ra`'s size.
pub fn region_difference(a: &RgbImage, ra: (u32, u32, u32, u32), b: &RgbImage, rb: (u32, u32, u32, u32)) -> f32 {
    let mut sum = 0u64;
    for dy in 0..ra.3 {
        for dx in 0..ra.2 {
            let (p, q) = (a.get_pixel(ra.0 + dx, ra.1 + dy).0, b.get_pixel(rb.0 + dx, rb.1 + dy).0);
            sum += p.iter().zip(q).map(|(u, v)| u64::from(u.abs_diff(v))).sum::<u64>();
        }
    }
    sum as f32 / (ra.2 * ra.3 * 3).max(1) as f32
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

/// An X server of our own, so a test can hold the kiosk's own process (to kill it with -9).
pub struct Display {
    xvfb: std::process::Child,
    pub name: String,
}

impl Display {
    /// Starts Xvfb with a `width`×`height` screen on a free display number.
    pub fn start(width: u32, height: u32) -> Self {
        use std::io::BufRead;
        let child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", &format!("{width}x{height}x24")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut xvfb) = child else { panic!("cannot start Xvfb (scripts/test.sh installs it): {child:?}") };
        let mut line = String::new();
        if let Some(stdout) = xvfb.stdout.take() {
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        }
        let number = line.trim();
        assert!(!number.is_empty(), "Xvfb did not report its display number");
        Self { xvfb, name: format!(":{number}") }
    }
}

impl Display {
    /// Sends `signal` to the X server: "STOP" freezes the display, so the kiosk's app loop blocks
    /// on it while its other threads (capture, telemetry) keep running.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill").arg(format!("-{signal}")).arg(self.xvfb.id().to_string()).status();
        assert!(sent.as_ref().is_ok_and(|s| s.success()), "kill -{signal} failed: {sent:?}");
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// A kiosk process on a [`Display`], killed when dropped. Its log goes to `log`.
pub struct Kiosk {
    pub child: std::process::Child,
    pub log: PathBuf,
}

impl Kiosk {
    /// Starts the kiosk windowed at the display's size with the synthetic camera.
    pub fn spawn(display: &Display, size: (u32, u32), extra: &[String], log: PathBuf, rust_log: &str) -> Self {
        Self::spawn_with_env(display, size, extra, log, rust_log, &[])
    }

    /// [`Kiosk::spawn`] with extra environment variables.
    pub fn spawn_with_env(
        display: &Display,
        size: (u32, u32),
        extra: &[String],
        log: PathBuf,
        rust_log: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let file = std::fs::File::create(&log).and_then(|f| Ok((f.try_clone()?, f)));
        let Ok((stdout, stderr)) = file else { panic!("cannot create {}", log.display()) };
        let mut args: Vec<String> = vec![
            "--camera=synthetic".into(),
            "--windowed".into(),
            format!("--set=display.windowed_width={}", size.0),
            format!("--set=display.windowed_height={}", size.1),
            "--set=share.embedded_listen=\"127.0.0.1:0\"".into(),
        ];
        args.extend_from_slice(extra);
        let child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .args(&args)
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", rust_log)
            .envs(env.iter().copied())
            .stdout(stdout)
            .stderr(stderr)
            .spawn();
        let Ok(child) = child else { panic!("cannot start the kiosk: {child:?}") };
        Self { child, log }
    }

    /// SIGKILL: no cleanup, no goodbye, as in a crash or a pulled plug (minus the page cache).
    pub fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as `systemctl stop` and a reboot send it; waits up to `limit` for the exit.
    pub fn terminate(&mut self, limit: Duration) -> std::process::ExitStatus {
        self.signal("TERM");
        let deadline = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status,
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
                other => {
                    panic!("the kiosk did not exit within {limit:?} of SIGTERM ({other:?}); log:\n{}", self.log_text())
                }
            }
        }
    }

    /// Sends `signal` (e.g. "STOP", "CONT") to the kiosk.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill").arg(format!("-{signal}")).arg(self.child.id().to_string()).status();
        assert!(sent.as_ref().is_ok_and(|s| s.success()), "kill -{signal} failed: {sent:?}");
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// Serialises kiosks across the tests of one binary (software rendering takes both cores).
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
