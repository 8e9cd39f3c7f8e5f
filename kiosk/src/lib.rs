//! The kiosk app: one Bevy plugin per feature. Plugins talk through messages and resources:
//!
//! | plugin | owns | publishes |
//! |---|---|---|
//! | [`camera`] | the capture thread | `CameraFeed`, `CameraHealth`, `CameraAvailabilityChanged` |
//! | [`mirror`] | the mirror texture and view | `MirrorStats` |
//! | [`session`] | the session state machine | `KioskPhase` state, `PrivacyWipe`, `SessionStarted`/`SessionEnded` |
//! | [`ui`] | screens, toolbar, toasts, the language menu, the fonts for every script | `FeatureRequested`, `ShowToast`, `EndSessionRequested` |
//! | [`i18n`] | the shopper's language; every text's words in it; rows mirrored for Arabic | `UiLanguage`, `UiStrings`, `Localized` |
//! | [`share`] | live sharing: consent, QR, LIVE badge, friends' reactions; the relay worker | `SharePhase`, `ShareCounts` |
//! | [`looks`] | the shopper's looks: stills, compare, twirl, See your back, Show friends | `Looks`, `LooksPanel`, `Capture`, `Motion` |
//! | [`takehome`] | "Take it home": the sealed bundle, its QR code | `TakeHome` |
//! | [`products`] | the catalog, identified items, the products panel, fit feedback, size requests | `Shelf`, `InRoom`, `Panel`, `ItemIdentified`, `FitVerdicts` |
//! | [`telemetry`] | the MQTT link and outbox | `RemoteCommand`, `DesiredConfigReceived`; reads `Usage`, `CommandFinished` |
//! | [`remote`] | remote commands, desired config, brightness, identify | `CommandFinished`, `ConfigReported` |
//! | [`lights`] | the fitting room's light: scenes, the `[lighting]` controller's worker, the on-screen frame | `Lighting` |
//! | [`speech`] | self-voicing: the focused control, sheets, the warning, spoken in the UI language | `SelfVoicing` |
//! | [`diagnostics`] | the F3 overlay | |
//! | [`lifecycle`] | the run marker, SIGTERM | `HowStarted`; writes `EndSessionRequested::Shutdown`, `AppExit` |
//! | [`render_errors`] | the GPU error policy (recover a lost device, else exit for systemd) | writes `AppExit` |
//! | [`watchdog`] | systemd `READY=1` / `WATCHDOG=1` while frames flow | |
//! | [`automation`] | `--at` actions and periodic screenshots | |

pub mod accessibility;
pub mod automation;
pub mod camera;
pub mod cli;
pub mod diagnostics;
pub mod doctor;
pub mod i18n;
pub mod lifecycle;
pub mod lights;
pub mod list_cameras;
pub mod looks;
pub mod mirror;
pub mod products;
pub mod remote;
pub mod render_errors;
pub mod session;
pub mod settings;
pub mod share;
pub mod speech;
pub mod takehome;
pub mod telemetry;
pub mod ui;
pub mod watchdog;
pub mod window;

use std::process::ExitCode;

use bevy::prelude::*;
use protocol::config::KioskConfig;

use crate::{
    automation::Script,
    settings::{ConfigSource, Settings},
};

/// Builds the full kiosk app for `config` (read from `source`) and runs it until it exits.
pub fn run(config: KioskConfig, source: ConfigSource, script: Script) -> ExitCode {
    let mut app = App::new();
    app.add_plugins(window::default_plugins(&config))
        .insert_resource(Settings::new(config))
        .insert_resource(source)
        .add_plugins((
            window::plugin,
            camera::plugin,
            mirror::plugin,
            session::plugin,
            ui::plugin,
            share::plugin,
            products::plugin,
            telemetry::plugin,
            remote::plugin,
            diagnostics::plugin,
            watchdog::plugin,
            lifecycle::plugin,
            render_errors::plugin,
            automation::plugin(script),
        ))
        .add_plugins((
            looks::plugin,
            takehome::plugin,
            i18n::plugin,
            lights::plugin,
            speech::plugin,
            accessibility::plugin,
        ));
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
