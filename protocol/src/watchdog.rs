//! When the kiosk may tell systemd it is alive (`WATCHDOG=1`). The unit sets `WatchdogSec`; if the
//! kiosk stops notifying, systemd kills and restarts it. It notifies only while frames flow: the
//! app's loop runs (this is asked from it, every frame) and, with the camera live, the mirror got
//! a new camera frame recently. A camera the app knows is unavailable is handled on screen and
//! does not stop the notifications; a mirror stuck on an old frame while the camera is live does.

use std::time::{Duration, Instant};

/// What the mirror is doing, as the watchdog needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// The camera is live and the mirror's newest frame is this old.
    Live { frame_age: Duration },
    /// The camera is unavailable and the app says so on screen.
    CameraUnavailable,
    /// Waiting for the first frame since start.
    Starting,
}

/// Decides, once per app frame, whether to send `WATCHDOG=1` now.
#[derive(Debug, Clone)]
pub struct WatchdogGate {
    /// Notify this often (half of systemd's `WatchdogSec`).
    every: Duration,
    /// A live camera's frame older than this means frames stopped flowing.
    stall: Duration,
    /// How long `Starting` may last.
    startup: Duration,
    started: Instant,
    last_notify: Option<Instant>,
}

impl WatchdogGate {
    /// For systemd's watchdog timeout `watchdog`.
    pub fn new(watchdog: Duration, stall: Duration, startup: Duration, now: Instant) -> Self {
        Self { every: watchdog / 2, stall, startup, started: now, last_notify: None }
    }

    /// Whether frames are flowing, for `liveness` at `now`.
    pub fn healthy(&self, liveness: Liveness, now: Instant) -> bool {
        match liveness {
            Liveness::Live { frame_age } => frame_age < self.stall,
            Liveness::CameraUnavailable => true,
            Liveness::Starting => now.duration_since(self.started) < self.startup,
        }
    }

    /// True when a notification is due now and frames are flowing.
    pub fn should_notify(&mut self, liveness: Liveness, now: Instant) -> bool {
        if !self.healthy(liveness, now) {
            return false;
        }
        let due = self.last_notify.is_none_or(|last| now.duration_since(last) >= self.every);
        if due {
            self.last_notify = Some(now);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn gate(now: Instant) -> WatchdogGate {
        WatchdogGate::new(Duration::from_secs(30), Duration::from_secs(5), Duration::from_secs(60), now)
    }

    /// Calls the gate every 100 ms of `span` and counts notifications.
    fn notifications(
        gate: &mut WatchdogGate,
        from: Instant,
        span: Duration,
        liveness: impl Fn(Duration) -> Liveness,
    ) -> u32 {
        let mut count = 0;
        let mut t = Duration::ZERO;
        while t < span {
            count += u32::from(gate.should_notify(liveness(t), from + t));
            t += 100 * MS;
        }
        count
    }

    #[test]
    fn flowing_frames_notify_every_half_timeout() {
        let start = Instant::now();
        let mut gate = gate(start);
        let sent = notifications(&mut gate, start, Duration::from_secs(60), |_| Liveness::Live { frame_age: 40 * MS });
        assert_eq!(sent, 4, "at 0, 15, 30 and 45 s");
    }

    #[test]
    fn no_notify_while_frames_have_stopped() {
        let start = Instant::now();
        let mut gate = gate(start);
        assert!(gate.should_notify(Liveness::Live { frame_age: 30 * MS }, start));
        // The mirror's frame ages from 0 on: stuck from second 0, stalled from second 5.
        let sent = notifications(&mut gate, start + Duration::from_secs(1), Duration::from_secs(120), |t| {
            Liveness::Live { frame_age: t }
        });
        assert_eq!(sent, 0, "frames stopped: systemd must see silence and restart the kiosk");
        // Frames flow again: notifications resume at once.
        assert!(gate.should_notify(Liveness::Live { frame_age: 30 * MS }, start + Duration::from_secs(200)));
    }

    #[test]
    fn a_known_camera_outage_keeps_the_kiosk_alive_but_a_stuck_start_does_not() {
        let start = Instant::now();
        let mut gate = gate(start);
        assert_eq!(notifications(&mut gate, start, Duration::from_secs(45), |_| Liveness::CameraUnavailable), 3);
        let mut starting = self::gate(start);
        assert!(starting.should_notify(Liveness::Starting, start + Duration::from_secs(10)));
        assert!(!starting.should_notify(Liveness::Starting, start + Duration::from_secs(61)), "no first frame in 60 s");
    }
}
