//! The kiosk app: one Bevy plugin per feature. Plugins talk through messages and resources:
//!
//! | plugin | owns | publishes |
//! |---|---|---|
//! | [`camera`] | the capture thread | `CameraFeed`, `CameraHealth`, `CameraAvailabilityChanged` |
//! | [`mirror`] | the mirror texture and view | `MirrorStats` |
//! | [`session`] | the session state machine | `KioskPhase` state, `PrivacyWipe`, `SessionStarted`/`SessionEnded` |
//! | [`ui`] | screens, toolbar, toasts, the UI font | `FeatureRequested`, `ShowToast`, `EndSessionRequested` |
//! | [`share`] | live sharing: consent, QR, LIVE badge, friends' reactions; the relay worker | `SharePhase`, `ShareCounts` |
//! | [`diagnostics`] | the F3 overlay | |
//! | [`automation`] | `--at` actions and periodic screenshots | |

pub mod automation;
pub mod camera;
pub mod cli;
pub mod diagnostics;
pub mod list_cameras;
pub mod mirror;
pub mod session;
pub mod settings;
pub mod share;
pub mod ui;
pub mod window;

use std::process::ExitCode;

use bevy::prelude::*;
use protocol::config::KioskConfig;

use crate::{automation::Script, settings::Settings};

/// Builds the full kiosk app for `config` and runs it until it exits.
pub fn run(config: KioskConfig, script: Script) -> ExitCode {
    let mut app = App::new();
    app.add_plugins(window::default_plugins(&config)).insert_resource(Settings::new(config)).add_plugins((
        window::plugin,
        camera::plugin,
        mirror::plugin,
        session::plugin,
        ui::plugin,
        share::plugin,
        diagnostics::plugin,
        automation::plugin(script),
    ));
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
