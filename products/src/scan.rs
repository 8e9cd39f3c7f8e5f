//! Camera tag scanning on its own thread. While a [`TagScanner`] lives, the camera copies frames
//! into its scan tap at the chosen rate (never more); the scanner turns each copy into luma,
//! looks for a tag ([`read_tag`]) and reports each code once while it stays in view. Frames are
//! only ever held in memory and dropped after the search; dropping the scanner closes the tap.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use camera::{CameraShared, Frame};

use crate::tags::{TagCode, read_tag};

/// A code seen again within this time after it was last seen counts as the same showing.
const SAME_SHOWING: Duration = Duration::from_secs(3);

/// What the scanner did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScanStats {
    pub frames: u64,
    pub codes: u64,
    /// Time spent converting and searching, in total.
    pub busy: Duration,
}

/// Owns the scanning thread.
pub struct TagScanner {
    camera: Arc<CameraShared>,
    stop: Arc<AtomicBool>,
    /// Behind a mutex so the handle can be shared (a Bevy resource must be `Sync`).
    codes: Mutex<mpsc::Receiver<TagCode>>,
    stats: Arc<Mutex<ScanStats>>,
    thread: Option<JoinHandle<()>>,
}

impl TagScanner {
    /// Opens the camera's scan tap at `rate_hz` frames per second and starts searching them.
    pub fn start(camera: Arc<CameraShared>, rate_hz: u32) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Mutex::new(ScanStats::default()));
        let (sender, codes) = mpsc::channel();
        camera.scan_tap.open(rate_hz.max(1));
        let thread = std::thread::Builder::new().name("tag-scanner".into()).spawn({
            let (camera, stop, stats) = (Arc::clone(&camera), Arc::clone(&stop), Arc::clone(&stats));
            move || scan_loop(&camera, &stop, &stats, &sender)
        });
        let thread = match thread {
            Ok(thread) => thread,
            Err(e) => {
                camera.scan_tap.close();
                return Err(e);
            }
        };
        Ok(Self { camera, stop, codes: Mutex::new(codes), stats, thread: Some(thread) })
    }

    /// The next code read, if any.
    pub fn try_recv(&self) -> Option<TagCode> {
        self.codes.lock().ok()?.try_recv().ok()
    }

    /// Waits up to `timeout` for the next code.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<TagCode> {
        self.codes.lock().ok()?.recv_timeout(timeout).ok()
    }

    pub fn stats(&self) -> ScanStats {
        *self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for TagScanner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.camera.scan_tap.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn scan_loop(camera: &CameraShared, stop: &AtomicBool, stats: &Mutex<ScanStats>, codes: &mpsc::Sender<TagCode>) {
    let mut luma = Vec::new();
    let mut last_seen: Option<(TagCode, Instant)> = None;
    while !stop.load(Ordering::Relaxed) {
        let Some(frame) = camera.scan_tap.wait_take(Duration::from_millis(100)) else { continue };
        let started = Instant::now();
        to_luma(&frame, &mut luma);
        let found = read_tag(&luma, frame.width, frame.height);
        drop(frame);
        let busy = started.elapsed();
        let mut report = None;
        if let Some(code) = found {
            let repeat = last_seen.as_ref().is_some_and(|(seen, at)| *seen == code && at.elapsed() < SAME_SHOWING);
            if !repeat {
                report = Some(code.clone());
            }
            last_seen = Some((code, Instant::now()));
        }
        {
            let mut stats = stats.lock().unwrap_or_else(|p| p.into_inner());
            stats.frames += 1;
            stats.busy += busy;
            stats.codes += u64::from(report.is_some());
        }
        if let Some(code) = report
            && codes.send(code).is_err()
        {
            return;
        }
    }
}

/// BT.601 luma of an RGBA frame, into `out`.
fn to_luma(frame: &Frame, out: &mut Vec<u8>) {
    out.clear();
    out.extend(frame.rgba.chunks_exact(4).map(|p| {
        let y = 66 * u32::from(p[0]) + 129 * u32::from(p[1]) + 25 * u32::from(p[2]) + 128;
        ((y >> 8) + 16).min(255) as u8
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use camera::{CaptureHandle, CaptureSettings, FormatRequest, synthetic::SyntheticSource};
    use protocol::config::PixelFormat;

    fn capture_with_tag(code: &str) -> (CaptureHandle, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let background = dir.path().join("room.png");
        let tag = crate::tags::draw_tag(code, rxing::BarcodeFormat::EAN_13, 3, 120).unwrap_or_else(|e| panic!("{e}"));
        let mut room = image::GrayImage::from_pixel(1280, 720, image::Luma([120]));
        image::imageops::overlay(&mut room, &tag, 900, 250);
        room.save(&background).unwrap_or_else(|e| panic!("{e}"));
        let request = FormatRequest { formats: vec![PixelFormat::Yuyv], width: 1280, height: 720, fps: 30 };
        let settings = CaptureSettings {
            error_threshold: 3,
            reconnect_initial: Duration::from_millis(50),
            reconnect_max: Duration::from_millis(200),
        };
        let factory: camera::SourceFactory =
            Box::new(move || Box::new(SyntheticSource::new(request.clone(), Some(background.clone()))));
        (CaptureHandle::spawn(factory, settings).unwrap_or_else(|e| panic!("{e}")), dir)
    }

    #[test]
    fn a_tag_held_to_the_camera_is_reported_once_and_the_tap_closes_with_the_scanner() {
        let (capture, _dir) = capture_with_tag("4006381333931");
        let camera = Arc::clone(capture.shared());
        assert!(!camera.scan_tap.is_open(), "no frames are copied for scanning until a scanner starts");
        let started = std::time::Instant::now();
        let scanner = TagScanner::start(Arc::clone(&camera), 5).unwrap_or_else(|e| panic!("{e}"));
        assert!(camera.scan_tap.is_open());
        let code = scanner.recv_timeout(Duration::from_secs(10));
        assert_eq!(code, protocol::barcode::Gtin::parse("4006381333931").ok().map(TagCode::Gtin));
        std::thread::sleep(Duration::from_millis(1200));
        assert!(scanner.try_recv().is_none(), "the same tag in view is one showing");
        // At most 5 scans a second however long that took on a loaded machine, not every one of
        // the camera's 30 frames a second.
        let (stats, elapsed) = (scanner.stats(), started.elapsed().as_secs_f64());
        let most = (elapsed * 5.0).ceil() as u64 + 1;
        assert!((2..=most).contains(&stats.frames), "≤ 5 scans a second over {elapsed:.1} s: {stats:?}");
        drop(scanner);
        assert!(!camera.scan_tap.is_open(), "dropping the scanner closes the tap");
        assert!(camera.scan_tap.take().is_none(), "no frame is left behind in the tap");
    }
}
