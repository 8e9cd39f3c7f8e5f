//! UI plugin: the screens a shopper sees over the mirror, one module each.
//!
//! Z-order of the full-screen roots: mirror −1, light frame 0, camera-unavailable 1, attract and
//! toolbar 2, products panel 3, request banner and "Still there?" 4, toast 5, share QR 6, LIVE
//! badge 7, reactions 8, maintenance 10, diagnostics 20, identify 40, brightness 50. Layers that
//! only show something (light frame, toast, badges, reactions, diagnostics, identify, brightness)
//! are `Pickable::IGNORE`, so touches reach the controls under them.

mod attract;
pub mod brand;
mod camera_status;
pub mod contrast;
mod fonts;
pub mod keyboard;
pub mod language_menu;
mod maintenance;
mod still_there;
pub mod theme;
mod toolbar;

use std::collections::HashSet;

use bevy::{prelude::*, window::PrimaryWindow};

use crate::settings::Settings;

pub fn plugin(app: &mut App) {
    app.insert_resource(ClearColor(Color::BLACK))
        .init_resource::<HandledFeatures>()
        .add_message::<FeatureRequested>()
        .add_message::<ShowToast>()
        .add_message::<EndSessionPressed>()
        .add_systems(PreStartup, insert_metrics)
        .add_systems(Startup, spawn_camera)
        .add_systems(Update, scale_to_window)
        .add_plugins((
            attract::plugin,
            toolbar::plugin,
            still_there::plugin,
            camera_status::plugin,
            maintenance::plugin,
            fonts::plugin,
            brand::plugin,
            keyboard::plugin,
            language_menu::plugin,
        ));
}

/// A toolbar button was pressed (its label, e.g. "Share").
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureRequested(pub &'static str);

impl FeatureRequested {
    /// The toolbar features that open a sheet over the mirror; one sheet shows at a time, so
    /// each sheet closes when another is asked for.
    pub const SHEETS: [&'static str; 6] = ["Scan item", "Looks", "Take it home", "Lights", "Language", "Accessibility"];

    /// A sheet other than `mine` was asked for.
    pub fn opens_another_sheet(&self, mine: &str) -> bool {
        self.0 != mine && Self::SHEETS.contains(&self.0)
    }

    /// Whether sheet `mine` is open after `requests`: its button toggles it, another sheet's
    /// closes it.
    pub fn sheet_open_after<'a>(
        requests: impl IntoIterator<Item = &'a FeatureRequested>,
        mine: &str,
        open: bool,
    ) -> bool {
        requests.into_iter().fold(open, |open, request| {
            if request.0 == mine { !open } else { open && !request.opens_another_sheet(mine) }
        })
    }
}

/// Features whose plugins answer [`FeatureRequested`]; the toolbar shows buttons for these only.
#[derive(Resource, Debug, Default)]
pub struct HandledFeatures(pub HashSet<&'static str>);

/// The shopper pressed "End session" on the toolbar; the take-home plugin decides whether to offer
/// "Take it home" first (then ends on the second press) or to end now.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndSessionPressed;

/// A short message at the bottom of the screen, in the shopper's language.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ShowToast(pub i18n::Phrase);

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
