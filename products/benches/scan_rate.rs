//! Does the mirror keep its frame rate while the camera scans for tags? A synthetic 1080p camera
//! at 30 fps runs through the real capture pipeline (YUYV → RGBA) into the mirror's frame slot;
//! a 60 Hz loop stands in for the render loop (takes the newest frame and copies it into a
//! texture-sized buffer, as the mirror's upload does). Each phase runs the same capture with the
//! [`TagScanner`] off, at the chosen rate (`scanning.camera_scan_hz`, default 4) and faster, and
//! prints the frames the mirror showed per second, the worst gaps, and the scanner's cost.
//! `cargo bench -p products --bench scan_rate`.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use camera::{CameraShared, CaptureHandle, CaptureSettings, FormatRequest, synthetic::SyntheticSource};
use products::scan::TagScanner;
use protocol::config::{PixelFormat, ScanningSection};

const PHASE: Duration = Duration::from_secs(6);

struct MirrorFigures {
    fps: f64,
    p99_gap_ms: f64,
    max_gap_ms: f64,
}

/// The stand-in render loop: 60 Hz, shows the newest frame when there is one.
fn run_mirror(camera: &CameraShared, duration: Duration) -> MirrorFigures {
    let mut texture = vec![0u8; 1920 * 1080 * 4];
    let mut gaps = Vec::new();
    let mut shown = 0u64;
    let mut last_shown: Option<Instant> = None;
    let started = Instant::now();
    let mut next_tick = started;
    while started.elapsed() < duration {
        if let Some(frame) = camera.slot.take() {
            let n = frame.rgba.len().min(texture.len());
            texture[..n].copy_from_slice(&frame.rgba[..n]);
            let now = Instant::now();
            if let Some(previous) = last_shown {
                gaps.push(now.duration_since(previous).as_secs_f64() * 1000.0);
            }
            last_shown = Some(now);
            shown += 1;
        }
        next_tick += Duration::from_micros(16_667);
        if let Some(wait) = next_tick.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
    gaps.sort_by(f64::total_cmp);
    let p99 = gaps.get(gaps.len() * 99 / 100).copied().unwrap_or(0.0);
    MirrorFigures {
        fps: shown as f64 / started.elapsed().as_secs_f64(),
        p99_gap_ms: p99,
        max_gap_ms: gaps.last().copied().unwrap_or(0.0),
    }
}

fn main() {
    let request = FormatRequest { formats: vec![PixelFormat::Yuyv], width: 1920, height: 1080, fps: 30 };
    let settings = CaptureSettings {
        error_threshold: 3,
        reconnect_initial: Duration::from_millis(50),
        reconnect_max: Duration::from_secs(1),
    };
    let factory: camera::SourceFactory = Box::new(move || Box::new(SyntheticSource::new(request.clone(), None)));
    let Ok(capture) = CaptureHandle::spawn(factory, settings) else {
        eprintln!("cannot start the synthetic capture");
        return;
    };
    let camera: Arc<CameraShared> = Arc::clone(capture.shared());
    let _ = run_mirror(&camera, Duration::from_secs(2)); // warm up
    let chosen = ScanningSection::default().camera_scan_hz;
    println!(
        "synthetic camera 1920×1080 YUYV at 30 fps; {} cores; {} s per phase; no code in view (the costliest search)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        PHASE.as_secs()
    );
    println!("| tag scanning | mirror fps | p99 gap ms | max gap ms | scans/s | ms per scan | core used by scanning |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for rate in [None, Some(chosen), Some(15), Some(30)] {
        let scanner = rate.map(|hz| TagScanner::start(Arc::clone(&camera), hz));
        let scanner = match scanner.transpose() {
            Ok(scanner) => scanner,
            Err(e) => {
                eprintln!("cannot start the scanner: {e}");
                return;
            }
        };
        let started = Instant::now();
        let mirror = run_mirror(&camera, PHASE);
        let elapsed = started.elapsed().as_secs_f64();
        let (scans, ms_per_scan, share) = match &scanner {
            Some(scanner) => {
                let stats = scanner.stats();
                let busy = stats.busy.as_secs_f64();
                (stats.frames as f64 / elapsed, busy * 1000.0 / stats.frames.max(1) as f64, busy / elapsed * 100.0)
            }
            None => (0.0, 0.0, 0.0),
        };
        let label = match rate {
            None => "off (baseline)".to_string(),
            Some(hz) if hz == chosen => format!("{hz} Hz (chosen default)"),
            Some(hz) => format!("{hz} Hz"),
        };
        println!(
            "| {label} | {:.1} | {:.1} | {:.1} | {scans:.1} | {ms_per_scan:.1} | {share:.0} % |",
            mirror.fps, mirror.p99_gap_ms, mirror.max_gap_ms
        );
    }
}
