//! Watchdog plugin: talks to systemd when the kiosk runs as a `Type=notify` service
//! (`hardware/systemd/smart-mirror-kiosk.service`). `READY=1` after the first frame, then
//! `WATCHDOG=1` from the app loop only while frames flow ([`WatchdogGate`]): if the loop hangs or
//! the mirror is stuck while the camera is live, systemd sees silence and restarts the kiosk.
//! Outside systemd (`NOTIFY_SOCKET` unset) it does nothing.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use protocol::watchdog::{Liveness, WatchdogGate};
use sd_notify::NotifyState;

use crate::{
    camera::{Availability, CameraHealth},
    mirror::MirrorStats,
};

/// A live camera's mirror frame older than this counts as stopped.
const STALL: Duration = Duration::from_secs(5);
/// The first frame must come within this.
const STARTUP: Duration = Duration::from_secs(60);

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, arm).add_systems(Last, notify);
}

#[derive(Resource)]
struct Watchdog {
    gate: Option<WatchdogGate>,
    ready_sent: bool,
}

/// systemd's watchdog period, from `WATCHDOG_USEC`. systemd sets `WATCHDOG_PID` to the service's
/// main process, which is the compositor (cage) when the kiosk runs under it: the kiosk accepts
/// its own pid or its parent's (the unit sets `NotifyAccess=all`).
fn watchdog_period() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    let ours = match std::env::var("WATCHDOG_PID").ok().map(|p| p.parse::<u32>()) {
        None => true,
        Some(Ok(pid)) => pid == std::process::id() || pid == std::os::unix::process::parent_id(),
        Some(Err(_)) => false,
    };
    (ours && usec > 0).then(|| Duration::from_micros(usec))
}

fn arm(mut commands: Commands) {
    let gate = watchdog_period().map(|period| {
        info!("systemd watchdog: notifying every {:.1} s while frames flow", period.as_secs_f64() / 2.0);
        WatchdogGate::new(period, STALL, STARTUP, Instant::now())
    });
    commands.insert_resource(Watchdog { gate, ready_sent: false });
}

fn notify(watchdog: Option<ResMut<Watchdog>>, camera: Res<CameraHealth>, mirror: Option<Res<MirrorStats>>) {
    let Some(mut watchdog) = watchdog else { return };
    if !watchdog.ready_sent {
        watchdog.ready_sent = true;
        if let Err(e) = sd_notify::notify(false, &[NotifyState::Ready]) {
            warn!("systemd: cannot send READY=1: {e}");
        }
    }
    let Some(gate) = watchdog.gate.as_mut() else { return };
    let now = Instant::now();
    let shown = mirror.and_then(|m| m.last_shown_at);
    let liveness = match (&camera.availability, shown) {
        (Availability::Unavailable { .. }, _) => Liveness::CameraUnavailable,
        (_, Some(at)) => Liveness::Live { frame_age: now.saturating_duration_since(at) },
        (_, None) => Liveness::Starting,
    };
    if gate.should_notify(liveness, now)
        && let Err(e) = sd_notify::notify(false, &[NotifyState::Watchdog])
    {
        warn!("systemd: cannot send WATCHDOG=1: {e}");
    }
}
