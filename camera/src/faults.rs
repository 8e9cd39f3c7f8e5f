//! A fault-injecting wrapper around any frame source, for tests and recovery demos: dropped
//! frames, a stall (a read that hangs), and a disconnect that later reconnects. The schedule
//! counts from when the wrapper is made, i.e. from capture start.

use std::{
    thread,
    time::{Duration, Instant},
};

use protocol::config::FaultSection;

use crate::{
    negotiate::CameraMode,
    source::{CameraError, FrameSource, RawFrame},
};

/// When to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultPlan {
    /// Fail every Nth read with [`CameraError::Dropped`] (0: never).
    pub drop_every: u32,
    /// (start, length) of a stall: the first read inside the window blocks until it ends.
    pub stall: Option<(Duration, Duration)>,
    /// (start, length) of an unplugged camera: reads and opens fail inside the window.
    pub disconnect: Option<(Duration, Duration)>,
}

impl FaultPlan {
    pub fn is_empty(&self) -> bool {
        *self == FaultPlan::default()
    }
}

impl From<&FaultSection> for FaultPlan {
    fn from(f: &FaultSection) -> Self {
        let window = |start: Option<f32>, length: f32| {
            start.map(|s| (Duration::from_secs_f32(s.max(0.0)), Duration::from_secs_f32(length.max(0.0))))
        };
        Self {
            drop_every: f.drop_every,
            stall: window(f.stall_after_s, f.stall_for_s),
            disconnect: window(f.disconnect_after_s, f.disconnect_for_s),
        }
    }
}

/// Wraps a source and applies a [`FaultPlan`] to it.
pub struct FaultInjector<S> {
    inner: S,
    plan: FaultPlan,
    started: Instant,
    reads: u64,
    stalled: bool,
    /// Pause before a failing read returns, as a real device's error path takes time.
    error_delay: Duration,
}

impl<S: FrameSource> FaultInjector<S> {
    pub fn new(inner: S, plan: FaultPlan) -> Self {
        Self { inner, plan, started: Instant::now(), reads: 0, stalled: false, error_delay: Duration::from_millis(30) }
    }

    fn in_window(&self, window: Option<(Duration, Duration)>) -> Option<Duration> {
        let (start, length) = window?;
        let now = self.started.elapsed();
        (now >= start && now < start + length).then(|| start + length - now)
    }
}

impl<S: FrameSource> FrameSource for FaultInjector<S> {
    fn name(&self) -> String {
        format!("{} (fault injection)", self.inner.name())
    }

    fn open(&mut self) -> Result<CameraMode, CameraError> {
        if self.in_window(self.plan.disconnect).is_some() {
            return Err(CameraError::Open { device: self.name(), reason: "no such device (unplugged)".into() });
        }
        self.inner.open()
    }

    fn read(&mut self) -> Result<RawFrame<'_>, CameraError> {
        if self.in_window(self.plan.disconnect).is_some() {
            thread::sleep(self.error_delay);
            return Err(CameraError::Disconnected);
        }
        if let Some(remaining) = self.in_window(self.plan.stall).filter(|_| !self.stalled) {
            self.stalled = true;
            thread::sleep(remaining);
        }
        self.reads += 1;
        if self.plan.drop_every > 0 && self.reads.is_multiple_of(u64::from(self.plan.drop_every)) {
            return Err(CameraError::Dropped);
        }
        self.inner.read()
    }

    fn close(&mut self) {
        self.inner.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{negotiate::FormatRequest, synthetic::SyntheticSource};
    use protocol::config::PixelFormat;

    fn synthetic() -> SyntheticSource {
        SyntheticSource::new(FormatRequest { formats: vec![PixelFormat::Rgb], width: 64, height: 36, fps: 200 }, None)
    }

    #[test]
    fn drops_every_nth_frame() {
        let mut source = FaultInjector::new(synthetic(), FaultPlan { drop_every: 3, ..FaultPlan::default() });
        assert!(source.open().is_ok());
        let results: Vec<bool> = (0..9).map(|_| source.read().is_ok()).collect();
        assert_eq!(results, [true, true, false, true, true, false, true, true, false]);
    }

    #[test]
    fn disconnect_window_fails_reads_and_opens_then_recovers() {
        let plan = FaultPlan {
            disconnect: Some((Duration::from_millis(50), Duration::from_millis(150))),
            ..FaultPlan::default()
        };
        let mut source = FaultInjector::new(synthetic(), plan);
        assert!(source.open().is_ok());
        assert!(source.read().is_ok());
        thread::sleep(Duration::from_millis(60));
        assert_eq!(source.read().err(), Some(CameraError::Disconnected));
        source.close();
        assert!(matches!(source.open(), Err(CameraError::Open { .. })));
        thread::sleep(Duration::from_millis(160));
        assert!(source.open().is_ok());
        assert!(source.read().is_ok());
    }

    #[test]
    fn stall_blocks_one_read_until_the_window_ends() {
        let plan = FaultPlan { stall: Some((Duration::ZERO, Duration::from_millis(120))), ..FaultPlan::default() };
        let mut source = FaultInjector::new(synthetic(), plan);
        assert!(source.open().is_ok());
        let before = Instant::now();
        assert!(source.read().is_ok());
        assert!(before.elapsed() >= Duration::from_millis(100), "the read must hang through the stall");
        let before = Instant::now();
        assert!(source.read().is_ok());
        assert!(before.elapsed() < Duration::from_millis(100), "only one read stalls");
    }

    #[test]
    fn config_section_maps_to_a_plan() {
        let section = FaultSection {
            drop_every: 2,
            stall_after_s: None,
            stall_for_s: 1.0,
            disconnect_after_s: Some(4.0),
            disconnect_for_s: 6.0,
        };
        let plan = FaultPlan::from(&section);
        assert_eq!(plan.disconnect, Some((Duration::from_secs(4), Duration::from_secs(6))));
        assert_eq!((plan.drop_every, plan.stall), (2, None));
        assert!(FaultPlan::from(&FaultSection::default()).is_empty());
    }
}
