//! Screenshot tests: the real kiosk binary under Xvfb with Mesa's software Vulkan (lavapipe),
//! the synthetic camera, and pixel assertions on what a shopper would see.
//!
//! Needs `xvfb-run` and `mesa-vulkan-drivers` (the README's test command installs them). Set
//! `KIOSK_SCREENSHOT_OUT=docs/screens` to keep the screenshots (the README's are made that way).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use image::RgbImage;

const WIDTH: u32 = 1080;
const HEIGHT: u32 = 1920;
/// sRGB of the camera-unavailable screen's background (`theme::UNAVAILABLE_BG`).
const UNAVAILABLE_RGB: [u8; 3] = [28, 33, 51];

fn out_dir(run: &str) -> PathBuf {
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
fn run_kiosk(extra: &[String], limit: Duration) {
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

fn read_log(path: &Path) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(60).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

fn load(path: &Path) -> RgbImage {
    let image = image::open(path);
    let Ok(image) = image else { panic!("cannot read screenshot {}: {image:?}", path.display()) };
    let image = image.to_rgb8();
    assert_eq!(image.dimensions(), (WIDTH, HEIGHT), "{} must be the full portrait screen", path.display());
    image
}

/// Pixels of the synthetic scene's green mark: (count, mean x).
fn mark(image: &RgbImage) -> (usize, f32) {
    let (mut count, mut sum) = (0usize, 0f64);
    for (x, _, p) in image.enumerate_pixels() {
        if p[1] > 170 && p[0] < 90 && p[2] < 130 {
            count += 1;
            sum += f64::from(x);
        }
    }
    (count, if count == 0 { f32::NAN } else { (sum / count as f64) as f32 })
}

fn fraction_near(image: &RgbImage, rgb: [u8; 3]) -> f32 {
    let near = image.pixels().filter(|p| (0..3).all(|c| (i16::from(p[c]) - i16::from(rgb[c])).abs() <= 6)).count();
    near as f32 / image.pixels().len() as f32
}

fn mean_luma(image: &RgbImage) -> f32 {
    image.pixels().map(|p| 0.2126 * f32::from(p[0]) + 0.7152 * f32::from(p[1]) + 0.0722 * f32::from(p[2])).sum::<f32>()
        / image.pixels().len() as f32
}

fn mean_abs_difference(a: &RgbImage, b: &RgbImage) -> f32 {
    a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| (i16::from(*x) - i16::from(*y)).unsigned_abs() as f32).sum::<f32>()
        / a.as_raw().len() as f32
}

/// The camera picture reaches every edge: no letterbox or pillarbox bars.
fn assert_fills_screen(image: &RgbImage, name: &str) {
    let dark = |x: u32, y: u32| image.get_pixel(x, y).0.iter().all(|c| *c < 20);
    for y in (300..1600).step_by(100) {
        assert!(!dark(2, y) && !dark(WIDTH - 3, y), "{name}: black bar at the side (y = {y})");
    }
    for x in (100..1000).step_by(100) {
        assert!(!dark(x, 2) && !dark(x, HEIGHT - 3), "{name}: black bar at the top or bottom (x = {x})");
    }
}

#[test]
fn attract_active_camera_lost_and_recovered() {
    let dir = out_dir("lifecycle");
    let shot = |name: &str| dir.join(format!("{name}.png"));
    let at = |secs: f32, action: String| format!("--at={secs}:{action}");
    run_kiosk(
        &[
            // The synthetic camera unplugs 13 s after start and comes back 7 s later.
            "--set=camera.faults.disconnect_after_s=13.0".into(),
            "--set=camera.faults.disconnect_for_s=7.0".into(),
            at(7.0, format!("screenshot={}", shot("attract").display())),
            at(8.0, "touch".into()),
            at(11.0, format!("screenshot={}", shot("active").display())),
            at(17.0, format!("screenshot={}", shot("camera-unavailable").display())),
            at(24.0, format!("screenshot={}", shot("camera-recovered").display())),
            at(25.0, "exit".into()),
        ],
        Duration::from_secs(150),
    );

    let attract = load(&shot("attract"));
    let active = load(&shot("active"));
    let unavailable = load(&shot("camera-unavailable"));
    let recovered = load(&shot("camera-recovered"));

    // Mirrored: the mark the camera sees on its left appears on the right of the screen.
    let (count, x) = mark(&active);
    assert!(count > 2_000, "active: the scene's mark must be visible ({count} px)");
    assert!(x > WIDTH as f32 * 0.6, "active: mirrored mark must be on the right, centroid x = {x}");
    assert_fills_screen(&active, "active");

    // Attract differs from active: dimmed mirror with the prompt over it.
    assert!(mean_abs_difference(&attract, &active) > 15.0, "attract and active screens must differ");
    assert!(mean_luma(&attract) < mean_luma(&active), "the attract screen dims the mirror");
    assert!(fraction_near(&attract, UNAVAILABLE_RGB) < 0.05);

    // Camera lost: the unavailable screen covers the mirror; no camera pixels show.
    assert!(fraction_near(&unavailable, UNAVAILABLE_RGB) > 0.6, "camera-unavailable screen must cover the mirror");
    assert!(mark(&unavailable).0 < 50, "no camera picture while the camera is unavailable");

    // Camera back: the screen went away by itself and the mirror is live again.
    assert!(fraction_near(&recovered, UNAVAILABLE_RGB) < 0.05, "camera-unavailable screen must go away");
    let (count, x) = mark(&recovered);
    assert!(count > 2_000 && x > WIDTH as f32 * 0.6, "recovered: mirrored mark back ({count} px at x = {x})");
    assert_fills_screen(&recovered, "recovered");
}

#[test]
fn mirroring_off_shows_the_mark_where_the_camera_sees_it() {
    let dir = out_dir("unmirrored");
    let shot = dir.join("active-unmirrored.png");
    run_kiosk(
        &[
            "--set=camera.mirror=false".into(),
            "--at=4:touch".into(),
            format!("--at=7:screenshot={}", shot.display()),
            "--at=8:exit".into(),
        ],
        Duration::from_secs(120),
    );
    let image = load(&shot);
    let (count, x) = mark(&image);
    assert!(count > 2_000 && x < WIDTH as f32 * 0.4, "unmirrored mark must be on the left ({count} px at x = {x})");
    assert_fills_screen(&image, "unmirrored");
}
