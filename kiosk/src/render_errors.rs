//! Render-error plugin: what the kiosk does when the GPU or its driver fails, per error class.
//!
//! | wgpu error | what happens | why |
//! |---|---|---|
//! | `DeviceLost` (GPU reset, driver restart, eGPU unplugged) | a new device is created in-process (`RenderErrorPolicy::Recover`), at most [`MAX_RECOVERIES`] times in [`RECOVERY_WINDOW`] | the cause is outside the app and usually over; the mirror is back without a restart |
//! | the same, more often | clean exit with [`RENDER_FAILURE_EXIT_CODE`] | a device that keeps getting lost needs a fresh process (or a person) |
//! | `OutOfMemory` | clean exit with [`RENDER_FAILURE_EXIT_CODE`] | a fresh process frees what leaked; retrying in place would fail again |
//! | `Validation`, `Internal` | clean exit with [`RENDER_FAILURE_EXIT_CODE`] | a bug in how the GPU is used: ignoring it risks a flashing screen in front of a shopper |
//!
//! A clean exit is what systemd's `Restart=on-failure` (hardware/systemd) restarts; it ends the
//! session like any exit, the telemetry link says goodbye, and the lifecycle plugin keeps its run
//! marker so the next process reports `after_crash`.

use std::time::{Duration, Instant};

use bevy::{
    prelude::*,
    render::{
        error_handler::{ErrorType, RenderError, RenderErrorHandler, RenderErrorPolicy},
        settings::RenderCreation,
    },
};

/// Device losses recovered in place within [`RECOVERY_WINDOW`] before the kiosk exits instead.
pub const MAX_RECOVERIES: usize = 3;
pub const RECOVERY_WINDOW: Duration = Duration::from_secs(600);
/// Exit status after a render failure (EX_SOFTWARE); systemd restarts the kiosk.
pub const RENDER_FAILURE_EXIT_CODE: u8 = 70;

pub fn plugin(app: &mut App) {
    app.init_resource::<RenderRecoveries>().insert_resource(RenderErrorHandler(handle));
}

/// When the device was last recovered.
#[derive(Resource, Default)]
struct RenderRecoveries(Vec<Instant>);

/// What to do about one render error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// Create a new device and carry on.
    Recover,
    /// Stop rendering and exit for systemd to restart the kiosk.
    Exit,
}

/// The policy of the module table: `recent` is how many recoveries happened within the window.
pub fn respond(error: ErrorType, recent: usize) -> Response {
    match error {
        ErrorType::DeviceLost if recent < MAX_RECOVERIES => Response::Recover,
        _ => Response::Exit,
    }
}

fn handle(error: &RenderError, main_world: &mut World, _render_world: &mut World) -> RenderErrorPolicy {
    let now = Instant::now();
    let mut recoveries = main_world.get_resource_or_init::<RenderRecoveries>();
    recoveries.0.retain(|at| now.duration_since(*at) < RECOVERY_WINDOW);
    match respond(error.ty, recoveries.0.len()) {
        Response::Recover => {
            recoveries.0.push(now);
            warn!("render: {:?} ({}); creating a new GPU device", error.ty, error.description);
            RenderErrorPolicy::Recover(RenderCreation::Automatic(Box::default()))
        }
        Response::Exit => {
            error!(
                "render: {:?} ({}); exiting with status {RENDER_FAILURE_EXIT_CODE} for the service manager to restart the kiosk",
                error.ty, error.description
            );
            main_world.write_message(AppExit::from_code(RENDER_FAILURE_EXIT_CODE));
            RenderErrorPolicy::StopRendering
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_device_is_recovered_a_few_times_then_the_kiosk_restarts() {
        assert_eq!(respond(ErrorType::DeviceLost, 0), Response::Recover);
        assert_eq!(respond(ErrorType::DeviceLost, MAX_RECOVERIES - 1), Response::Recover);
        assert_eq!(respond(ErrorType::DeviceLost, MAX_RECOVERIES), Response::Exit);
    }

    #[test]
    fn memory_and_usage_errors_restart_the_kiosk() {
        for error in [ErrorType::OutOfMemory, ErrorType::Validation, ErrorType::Internal] {
            assert_eq!(respond(error, 0), Response::Exit, "{error:?}");
        }
    }
}
