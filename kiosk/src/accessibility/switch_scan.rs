//! Switch scanning, for a shopper who operates the mirror with one switch (or a switch interface
//! that types Space or Enter): while it is on, the focus highlight steps through every control
//! by itself, one every `accessibility.scan_interval_s`, in the order Tab takes; the switch
//! presses the highlighted one ([`crate::ui::keyboard`] turns Space and Enter into a press). A
//! press holds the highlight where it is for another full interval, so a shopper who pressed
//! late is not carried past the control they wanted.

use std::time::Duration;

use bevy::{
    input::{ButtonState, keyboard::KeyboardInput},
    input_focus::{
        FocusCause, InputFocus, InputFocusVisible,
        tab_navigation::{NavAction, TabNavigation},
    },
    prelude::*,
};

use super::AccessModes;
use crate::{session::KioskPhase, settings::Settings};

pub fn plugin(app: &mut App) {
    app.init_resource::<ScanDwell>().add_systems(Update, step.run_if(in_state(KioskPhase::Active)));
}

/// How long the highlight has stayed on the current control.
#[derive(Resource, Debug, Default)]
struct ScanDwell(Duration);

#[allow(clippy::too_many_arguments)]
fn step(
    modes: Res<AccessModes>,
    settings: Res<Settings>,
    time: Res<Time>,
    mut keys: MessageReader<KeyboardInput>,
    nav: TabNavigation,
    mut focus: ResMut<InputFocus>,
    mut visible: ResMut<InputFocusVisible>,
    mut dwell: ResMut<ScanDwell>,
) {
    let pressed = keys.read().any(|k| k.state == ButtonState::Pressed);
    if !modes.switch_scan || pressed {
        dwell.0 = Duration::ZERO;
        return;
    }
    dwell.0 += time.delta();
    if dwell.0.as_secs_f32() < settings.accessibility.scan_interval_s {
        return;
    }
    dwell.0 = Duration::ZERO;
    if let Ok(next) = nav.navigate(&focus, NavAction::Next) {
        focus.set(next, FocusCause::Navigated);
        visible.0 = true;
    }
}
