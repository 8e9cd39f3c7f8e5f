//! The capture thread: reads a [`FrameSource`], converts every frame to RGBA and publishes it to
//! a [`FrameSlot`]. It counts consecutive errors, declares the camera lost after
//! `error_threshold` of them, and reopens with exponential backoff until the camera is back.
//! Consumers read [`CameraShared`]: the slot, the status and counters. Copies of frames go to a
//! [`FrameTap`] only while a feature holds it open: live sharing (after the shopper agreed) and
//! tag scanning (while the products panel is open).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

use protocol::config::CameraSection;

use crate::{
    convert::to_rgba,
    negotiate::CameraMode,
    slot::{Frame, FrameSlot},
    source::{FrameSource, SourceFactory},
};

/// Error and reconnect policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureSettings {
    pub error_threshold: u32,
    pub reconnect_initial: Duration,
    pub reconnect_max: Duration,
}

impl From<&CameraSection> for CaptureSettings {
    fn from(c: &CameraSection) -> Self {
        Self {
            error_threshold: c.error_threshold,
            reconnect_initial: Duration::from_millis(c.reconnect_initial_ms),
            reconnect_max: Duration::from_millis(c.reconnect_max_ms),
        }
    }
}

/// What the camera is doing, as last reported by the capture thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraStatus {
    /// Capture started, first open in progress.
    Starting,
    /// Frames are flowing in `mode`.
    Streaming { device: String, mode: CameraMode },
    /// The camera is missing or failing; the thread retries in the background.
    Unavailable { reason: String },
}

/// State shared between the capture thread and its consumers.
#[derive(Debug)]
pub struct CameraShared {
    /// The mirror's frames.
    pub slot: FrameSlot,
    /// Copies for live sharing, only while the shopper shares.
    pub share_tap: FrameTap,
    /// Copies searched for a tag's barcode, only while the products panel is open.
    pub scan_tap: FrameTap,
    /// Copies for the shopper's looks, only from the end of a countdown to the picture taken.
    pub looks_tap: FrameTap,
    /// Copies for a twirl or the delayed mirror, only while one records or is on.
    pub motion_tap: FrameTap,
    status: Mutex<CameraStatus>,
    failed_reads: AtomicU64,
    reopen_attempts: AtomicU64,
}

impl CameraShared {
    fn new() -> Self {
        Self {
            slot: FrameSlot::new(),
            share_tap: FrameTap::default(),
            scan_tap: FrameTap::default(),
            looks_tap: FrameTap::default(),
            motion_tap: FrameTap::default(),
            status: Mutex::new(CameraStatus::Starting),
            failed_reads: AtomicU64::new(0),
            reopen_attempts: AtomicU64::new(0),
        }
    }

    pub fn status(&self) -> CameraStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_status(&self, status: CameraStatus) {
        let mut current = self.status.lock().unwrap_or_else(|p| p.into_inner());
        if *current != status {
            match &status {
                CameraStatus::Unavailable { reason } => tracing::warn!("camera unavailable: {reason}"),
                CameraStatus::Streaming { device, mode } => tracing::info!("camera streaming: {device}, {mode}"),
                CameraStatus::Starting => {}
            }
            *current = status;
        }
    }

    /// Reads that failed (dropped, corrupt or lost frames) since capture started.
    pub fn failed_reads(&self) -> u64 {
        self.failed_reads.load(Ordering::Relaxed)
    }

    /// Times the camera was (re)opened after the first attempt.
    pub fn reopen_attempts(&self) -> u64 {
        self.reopen_attempts.load(Ordering::Relaxed)
    }
}

/// A latest-frame slot that receives copies of camera frames at a limited rate, only while open.
#[derive(Debug, Default)]
pub struct FrameTap {
    slot: FrameSlot,
    /// Milliseconds between copies; 0 while closed.
    interval_ms: AtomicU64,
}

impl FrameTap {
    /// Starts copying frames into the tap, at most `fps` per second.
    pub fn open(&self, fps: u32) {
        self.interval_ms.store(u64::from(1000 / fps.max(1)).max(1), Ordering::Relaxed);
    }

    /// Stops the copies and drops any frame waiting in the tap.
    pub fn close(&self) {
        self.interval_ms.store(0, Ordering::Relaxed);
        self.slot.clear();
    }

    pub fn is_open(&self) -> bool {
        self.interval_ms.load(Ordering::Relaxed) > 0
    }

    /// Copies `frame` in if the tap is open and its interval has passed since `last`.
    fn offer(&self, frame: &Frame, last: &mut Option<Instant>) {
        let interval = self.interval_ms.load(Ordering::Relaxed);
        if interval > 0 && last.is_none_or(|t| frame.captured_at.duration_since(t) >= Duration::from_millis(interval)) {
            *last = Some(frame.captured_at);
            self.slot.publish(frame.clone());
        }
    }

    /// Waits up to `timeout` for a frame copied since the last take.
    pub fn wait_take(&self, timeout: Duration) -> Option<Frame> {
        self.slot.wait_take(timeout)
    }

    pub fn take(&self) -> Option<Frame> {
        self.slot.take()
    }

    /// Frames copied in so far.
    pub fn published(&self) -> u64 {
        self.slot.published()
    }
}

/// Owns the capture thread; dropping it stops the thread.
pub struct CaptureHandle {
    shared: Arc<CameraShared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl CaptureHandle {
    /// Starts a capture thread that builds its source with `make_source` and reads it.
    pub fn spawn(make_source: SourceFactory, settings: CaptureSettings) -> std::io::Result<Self> {
        let shared = Arc::new(CameraShared::new());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = thread::Builder::new().name("camera-capture".into()).spawn({
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            move || {
                let source = make_source();
                tracing::info!("camera source: {}", source.name());
                capture_loop(source, settings, &shared, &stop)
            }
        })?;
        Ok(Self { shared, stop, thread: Some(thread) })
    }

    pub fn shared(&self) -> &Arc<CameraShared> {
        &self.shared
    }
}

impl Drop for CaptureHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let Some(thread) = self.thread.take() else { return };
        // A hung camera can block a read indefinitely; wait a bounded time, then let it go.
        let deadline = Instant::now() + Duration::from_secs(1);
        while !thread.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        if thread.is_finished() {
            let _ = thread.join();
        } else {
            tracing::warn!("camera capture thread is blocked in a read; leaving it behind");
        }
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + total;
    while !stop.load(Ordering::Relaxed) {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else { return };
        thread::sleep(left.min(Duration::from_millis(20)));
    }
}

fn capture_loop(mut source: Box<dyn FrameSource>, settings: CaptureSettings, shared: &CameraShared, stop: &AtomicBool) {
    let mut backoff = settings.reconnect_initial;
    let mut next_seq = 0u64;
    let mut first_open = true;
    while !stop.load(Ordering::Relaxed) {
        if !first_open {
            shared.reopen_attempts.fetch_add(1, Ordering::Relaxed);
        }
        first_open = false;
        let mode = match source.open() {
            Ok(mode) => mode,
            Err(e) => {
                shared.set_status(CameraStatus::Unavailable { reason: e.to_string() });
                sleep_unless_stopped(backoff, stop);
                backoff = (backoff * 2).min(settings.reconnect_max);
                continue;
            }
        };
        shared.set_status(CameraStatus::Streaming { device: source.name(), mode });
        backoff = settings.reconnect_initial;
        let mut consecutive_errors = 0u32;
        let mut rgba = Vec::new();
        let (mut last_share, mut last_scan, mut last_look, mut last_motion): (
            Option<Instant>,
            Option<Instant>,
            Option<Instant>,
            Option<Instant>,
        ) = (None, None, None, None);
        while !stop.load(Ordering::Relaxed) {
            let result = source.read().and_then(|raw| {
                let captured_at = Instant::now();
                to_rgba(&raw, &mut rgba).map(|size| (size, captured_at))
            });
            match result {
                Ok(((width, height), captured_at)) => {
                    consecutive_errors = 0;
                    // Hand the buffer over without a copy; the next frame converts into a new one.
                    let frame = Frame { seq: next_seq, captured_at, width, height, rgba: std::mem::take(&mut rgba) };
                    next_seq += 1;
                    shared.share_tap.offer(&frame, &mut last_share);
                    shared.scan_tap.offer(&frame, &mut last_scan);
                    shared.looks_tap.offer(&frame, &mut last_look);
                    shared.motion_tap.offer(&frame, &mut last_motion);
                    shared.slot.publish(frame);
                }
                Err(e) => {
                    consecutive_errors += 1;
                    shared.failed_reads.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("camera read failed ({consecutive_errors} in a row): {e}");
                    if consecutive_errors >= settings.error_threshold {
                        shared.set_status(CameraStatus::Unavailable { reason: e.to_string() });
                        break;
                    }
                }
            }
        }
        source.close();
    }
    source.close();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        faults::{FaultInjector, FaultPlan},
        negotiate::FormatRequest,
        synthetic::SyntheticSource,
    };
    use protocol::config::PixelFormat;

    fn settings() -> CaptureSettings {
        CaptureSettings {
            error_threshold: 3,
            reconnect_initial: Duration::from_millis(20),
            reconnect_max: Duration::from_millis(80),
        }
    }

    fn synthetic() -> SyntheticSource {
        SyntheticSource::new(FormatRequest { formats: vec![PixelFormat::Yuyv], width: 64, height: 36, fps: 100 }, None)
    }

    fn wait_for(what: &str, timeout: Duration, mut condition: impl FnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !condition() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn frames_flow_with_increasing_sequence_numbers() {
        let handle = CaptureHandle::spawn(Box::new(|| Box::new(synthetic())), settings());
        let Ok(handle) = handle else { panic!("spawn failed") };
        let shared = Arc::clone(handle.shared());
        let mut seqs = Vec::new();
        while seqs.len() < 5 {
            if let Some(frame) = shared.slot.wait_take(Duration::from_secs(5)) {
                assert_eq!((frame.width, frame.height, frame.rgba.len()), (64, 36, 64 * 36 * 4));
                seqs.push(frame.seq);
            }
        }
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        assert!(matches!(shared.status(), CameraStatus::Streaming { mode, .. } if mode.format == PixelFormat::Yuyv));
    }

    #[test]
    fn disconnect_is_reported_and_capture_resumes_by_itself() {
        let plan = FaultPlan {
            disconnect: Some((Duration::from_millis(200), Duration::from_millis(400))),
            ..FaultPlan::default()
        };
        let handle =
            CaptureHandle::spawn(Box::new(move || Box::new(FaultInjector::new(synthetic(), plan))), settings());
        let Ok(handle) = handle else { panic!("spawn failed") };
        let shared = Arc::clone(handle.shared());
        wait_for("streaming", Duration::from_secs(5), || matches!(shared.status(), CameraStatus::Streaming { .. }));
        wait_for("unavailable", Duration::from_secs(5), || matches!(shared.status(), CameraStatus::Unavailable { .. }));
        let lost_at = shared.slot.published();
        wait_for("streaming again", Duration::from_secs(5), || {
            matches!(shared.status(), CameraStatus::Streaming { .. })
        });
        wait_for("new frames", Duration::from_secs(5), || shared.slot.published() > lost_at + 3);
        assert!(shared.failed_reads() >= 3);
        assert!(shared.reopen_attempts() >= 1);
    }

    #[test]
    fn sporadic_drops_below_the_threshold_do_not_lose_the_camera() {
        let plan = FaultPlan { drop_every: 2, ..FaultPlan::default() };
        let handle =
            CaptureHandle::spawn(Box::new(move || Box::new(FaultInjector::new(synthetic(), plan))), settings());
        let Ok(handle) = handle else { panic!("spawn failed") };
        let shared = Arc::clone(handle.shared());
        wait_for("20 frames", Duration::from_secs(5), || shared.slot.published() >= 20);
        assert!(matches!(shared.status(), CameraStatus::Streaming { .. }));
        assert_eq!(shared.reopen_attempts(), 0);
        assert!(shared.failed_reads() >= 15);
    }

    #[test]
    fn a_tap_gets_frames_only_while_open_and_at_its_rate() {
        let handle = CaptureHandle::spawn(Box::new(|| Box::new(synthetic())), settings());
        let Ok(handle) = handle else { panic!("spawn failed") };
        let shared = Arc::clone(handle.shared());
        wait_for("frames", Duration::from_secs(5), || shared.slot.published() >= 5);
        assert_eq!(shared.share_tap.published(), 0, "nothing is copied for sharing unless it was opened");
        shared.share_tap.open(20);
        let started = Instant::now();
        wait_for("tapped frames", Duration::from_secs(5), || shared.share_tap.published() >= 5);
        let (mirror, tapped) = (shared.slot.published(), shared.share_tap.published());
        assert!(tapped < mirror, "the tap runs at its own, lower rate ({tapped} of {mirror})");
        assert!(started.elapsed() >= Duration::from_millis(150), "20 fps: 5 copies take at least 200 ms");
        shared.share_tap.close();
        let closed_at = shared.share_tap.published();
        assert!(shared.share_tap.take().is_none(), "closing drops the waiting copy");
        thread::sleep(Duration::from_millis(100));
        assert_eq!(shared.share_tap.published(), closed_at);
        assert_eq!(shared.scan_tap.published(), 0, "each tap is opened on its own");
    }

    #[test]
    fn dropping_the_handle_stops_the_thread() {
        let handle = CaptureHandle::spawn(Box::new(|| Box::new(synthetic())), settings());
        let Ok(handle) = handle else { panic!("spawn failed") };
        let shared = Arc::clone(handle.shared());
        wait_for("a frame", Duration::from_secs(5), || shared.slot.published() > 0);
        drop(handle);
        let after = shared.slot.published();
        thread::sleep(Duration::from_millis(100));
        assert_eq!(shared.slot.published(), after, "no frames after the handle is dropped");
    }
}
