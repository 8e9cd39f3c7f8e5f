//! Lifecycle plugin: how this process started and how it stops.
//!
//! Start: a marker file (`running` in the data directory, `telemetry.data_dir`) exists while the
//! kiosk runs. Found at start, it means the previous process never exited as planned (a crash,
//! `kill -9`, a power cut), so [`HowStarted`] is [`StartKind::AfterCrash`]; health reports it
//! and a `kiosk_started` usage event counts it. The marker holds nothing but the process id.
//!
//! Stop: SIGTERM (what `systemctl stop`, a reboot and an update send) ends the session like any
//! other end (streams stop, the session is wiped, open size requests are withdrawn) and exits
//! with status 0 on the next frame. Dropping the app then drops the telemetry link, which sends
//! what the outbox holds and leaves the retained status `offline`, not the Will's `lost`. Every
//! planned exit (SIGTERM, Ctrl-C, a remote restart) removes the marker; an exit after a render
//! failure ([`crate::render_errors`]) keeps it, so the next start reports `after_crash`.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use bevy::prelude::*;
use protocol::telemetry::{StartKind, UsageEvent};

use crate::{session::EndSessionRequested, settings::Settings, telemetry::Usage};

pub fn plugin(app: &mut App) {
    let terminate = Arc::new(AtomicBool::new(false));
    if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGTERM, terminate.clone()) {
        error!("lifecycle: cannot handle SIGTERM ({e}): a stop will look like a crash to the fleet");
    }
    app.insert_resource(Terminate(terminate))
        .add_systems(PreStartup, mark_running)
        .add_systems(Startup, announce_start)
        .add_systems(First, stop_on_sigterm)
        .add_systems(Last, unmark_on_exit);
}

/// How this process started.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct HowStarted(pub StartKind);

/// Set by the SIGTERM handler.
#[derive(Resource)]
struct Terminate(Arc<AtomicBool>);

/// The marker file; `None` when the data directory cannot be written (then every start counts
/// as clean, and the log says why).
#[derive(Resource)]
struct RunMarker(Option<PathBuf>);

fn mark_running(mut commands: Commands, settings: Res<Settings>) {
    let dir = crate::telemetry::data_dir(&settings.telemetry);
    let marker = dir.join("running");
    let start = if marker.exists() { StartKind::AfterCrash } else { StartKind::Clean };
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&marker, std::process::id().to_string()));
    let marker = match written {
        Ok(()) => Some(marker),
        Err(e) => {
            warn!(
                "lifecycle: cannot write {}: {e}; crashes will not be told apart from clean starts",
                marker.display()
            );
            None
        }
    };
    match start {
        StartKind::Clean => info!("lifecycle: clean start"),
        StartKind::AfterCrash => warn!("lifecycle: started after a crash (the previous run did not exit cleanly)"),
    }
    commands.insert_resource(HowStarted(start));
    commands.insert_resource(RunMarker(marker));
}

fn announce_start(how: Res<HowStarted>, mut usage: MessageWriter<Usage>) {
    usage.write(Usage(UsageEvent::KioskStarted { start: how.0 }));
}

/// SIGTERM: end the session this frame, exit the next (so the session's end is recorded and its
/// withdrawals reach the outbox first).
fn stop_on_sigterm(
    terminate: Res<Terminate>,
    mut stopping: Local<bool>,
    mut end: MessageWriter<EndSessionRequested>,
    mut exit: MessageWriter<AppExit>,
) {
    if *stopping {
        exit.write(AppExit::Success);
    } else if terminate.0.load(Ordering::Relaxed) {
        info!("lifecycle: SIGTERM: ending the session and stopping");
        end.write(EndSessionRequested::Shutdown);
        *stopping = true;
    }
}

fn unmark_on_exit(mut exits: MessageReader<AppExit>, marker: Option<Res<RunMarker>>) {
    let exits: Vec<&AppExit> = exits.read().collect();
    if exits.is_empty() {
        return;
    }
    let render_failure = AppExit::from_code(crate::render_errors::RENDER_FAILURE_EXIT_CODE);
    if exits.contains(&&render_failure) {
        return;
    }
    if let Some(path) = marker.as_ref().and_then(|m| m.0.as_ref())
        && let Err(e) = std::fs::remove_file(path)
    {
        warn!("lifecycle: cannot remove {}: {e}; the next start will count as after a crash", path.display());
    }
    if let Err(e) = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]) {
        debug!("systemd: cannot send STOPPING=1: {e}");
    }
}
