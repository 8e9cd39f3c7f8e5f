//! Short clips of the mirror for a twirl and the delayed mirror, kept small in memory: a thread
//! takes the frames the camera copies into its motion tap (only while a twirl records or the
//! delayed mirror is on), crops and mirrors them like the mirror and encodes each as a JPEG
//! (about 60 KiB at 608×1080 instead of 2.6 MiB of RGBA), so 8 s at 15 fps fit in a few MiB.
//! Replay decodes one frame at a time ([`crate::convert::decode_mjpeg`]).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread::{self, JoinHandle},
    time::Duration,
};

use crate::{
    capture::CameraShared,
    share_encoder::{ShareEncoder, ShareFormat},
};

/// Frames a second a clip records.
pub const CLIP_FPS: u32 = 15;

/// One encoded frame of a clip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipFrame {
    /// The camera frame it was made from.
    pub seq: u64,
    pub jpeg: Vec<u8>,
}

/// The clip format for screens of `aspect` (width, height): the mirror's crop at the camera's
/// resolution (never upscaled), mirrored like the mirror.
pub fn clip_format(aspect: (f32, f32), mirror: bool) -> ShareFormat {
    ShareFormat { long_edge: 1920, quality: 80, mirror, aspect }
}

/// The encoding thread; dropping it stops the thread.
pub struct ClipRecorder {
    frames: Mutex<mpsc::Receiver<ClipFrame>>,
    running: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ClipRecorder {
    /// Starts encoding whatever the camera copies into `shared.motion_tap`.
    pub fn spawn(shared: Arc<CameraShared>, format: ShareFormat) -> std::io::Result<Self> {
        let (sender, frames) = mpsc::channel();
        let running = Arc::new(AtomicBool::new(true));
        let thread = thread::Builder::new().name("clip-encoder".into()).spawn({
            let running = Arc::clone(&running);
            move || {
                let mut encoder = ShareEncoder::new(format);
                while running.load(Ordering::Relaxed) {
                    let Some(frame) = shared.motion_tap.wait_take(Duration::from_millis(100)) else { continue };
                    match encoder.encode(&frame) {
                        Ok(jpeg) => {
                            if sender.send(ClipFrame { seq: frame.seq, jpeg }).is_err() {
                                return;
                            }
                        }
                        Err(e) => tracing::warn!("clip frame not encoded: {e}"),
                    }
                }
            }
        })?;
        Ok(Self { frames: Mutex::new(frames), running, thread: Some(thread) })
    }

    /// Frames encoded since the last call, oldest first.
    pub fn drain(&self) -> Vec<ClipFrame> {
        self.frames.lock().unwrap_or_else(|p| p.into_inner()).try_iter().collect()
    }
}

impl Drop for ClipRecorder {
    fn drop(&mut self) {
        self.running.store(false, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::{
        CaptureHandle, CaptureSettings, FormatRequest, SourceFactory, convert::decode_mjpeg, synthetic::SyntheticSource,
    };
    use protocol::config::PixelFormat;

    #[test]
    fn frames_are_recorded_only_while_the_tap_is_open_and_decode_at_the_crop_size() {
        let request = FormatRequest { formats: vec![PixelFormat::Yuyv], width: 320, height: 180, fps: 60 };
        let source: SourceFactory = Box::new(move || Box::new(SyntheticSource::new(request.clone(), None)));
        let settings = CaptureSettings {
            error_threshold: 3,
            reconnect_initial: Duration::from_millis(20),
            reconnect_max: Duration::from_millis(80),
        };
        let capture = CaptureHandle::spawn(source, settings).unwrap_or_else(|e| panic!("{e}"));
        let recorder = ClipRecorder::spawn(Arc::clone(capture.shared()), clip_format((9.0, 16.0), true))
            .unwrap_or_else(|e| panic!("{e}"));
        thread::sleep(Duration::from_millis(300));
        assert!(recorder.drain().is_empty(), "nothing is recorded while the tap is closed");

        capture.shared().motion_tap.open(CLIP_FPS);
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut frames = Vec::new();
        while frames.len() < 5 && Instant::now() < deadline {
            frames.extend(recorder.drain());
            thread::sleep(Duration::from_millis(20));
        }
        capture.shared().motion_tap.close();
        assert!(frames.len() >= 5, "recorded {} frames", frames.len());
        assert!(frames.windows(2).all(|w| w[0].seq < w[1].seq), "in order");
        // 60 fps in, about 15 out: consecutive clip frames are several camera frames apart.
        let spacing = (frames[4].seq - frames[0].seq) as f32 / 4.0;
        assert!(spacing >= 3.0, "clip frames {spacing} camera frames apart");
        let mut rgba = Vec::new();
        let size = decode_mjpeg(&frames[0].jpeg, &mut rgba);
        // The portrait crop of a 320×180 frame (101.25×180) to the nearest even sides: 102×180.
        assert_eq!(size, Ok((102, 180)));
    }
}
