//! UI plugin: the screens a shopper sees over the mirror, one module each.
//!
//! Z-order of the full-screen roots: mirror −1, camera-unavailable 1, attract and toolbar 2,
//! "Still there?" 4, toast 5, maintenance 10, diagnostics 20.

mod attract;
mod camera_status;
mod maintenance;
mod still_there;
pub mod theme;
mod toolbar;

use bevy::{prelude::*, window::PrimaryWindow};

use crate::settings::Settings;

pub fn plugin(app: &mut App) {
    app.insert_resource(ClearColor(Color::BLACK))
        .add_systems(PreStartup, insert_metrics)
        .add_systems(Startup, spawn_camera)
        .add_systems(Update, scale_to_window)
        .add_plugins((
            attract::plugin,
            toolbar::plugin,
            still_there::plugin,
            camera_status::plugin,
            maintenance::plugin,
        ));
}

fn insert_metrics(mut commands: Commands, settings: Res<Settings>) {
    commands.insert_resource(theme::Metrics::for_display(&settings.display));
}

/// The one render camera; every UI root, the mirror included, draws through it.
fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("UI camera"), Camera2d));
}

/// Maps the 1080-wide design onto the window.
fn scale_to_window(windows: Query<&Window, With<PrimaryWindow>>, mut scale: ResMut<UiScale>) {
    let Ok(window) = windows.single() else { return };
    let wanted = window.width() / theme::DESIGN_WIDTH;
    if wanted > 0.0 && (scale.0 - wanted).abs() > f32::EPSILON {
        scale.0 = wanted;
    }
}
