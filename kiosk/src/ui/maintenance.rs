//! "Out of service": shown in maintenance; the session machine ignores touches meanwhile.

use bevy::prelude::*;

use crate::{
    session::KioskPhase,
    ui::theme::{INK, INK_DIM, MAINTENANCE_BG, screen, t, text},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(KioskPhase::Maintenance), spawn);
}

fn spawn(mut commands: Commands) {
    commands.spawn((
        Name::new("Out of service"),
        DespawnOnExit(KioskPhase::Maintenance),
        screen(10, MAINTENANCE_BG),
        children![text(t("maintenance-title"), 96.0, INK), text(t("maintenance-body"), 36.0, INK_DIM),],
    ));
}
