//! The "camera unavailable" screen: opaque over the mirror while the camera is lost, gone by
//! itself when frames flow again.

use bevy::prelude::*;

use crate::{
    camera::{Availability, CameraHealth},
    i18n::Localized,
    ui::theme::{INK, INK_DIM, UNAVAILABLE_BG, screen, t, text, verbatim},
};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, show_while_unavailable);
}

#[derive(Component)]
struct UnavailableScreen;

#[derive(Component)]
struct Reason;

fn show_while_unavailable(
    mut commands: Commands,
    health: Res<CameraHealth>,
    screens: Query<Entity, With<UnavailableScreen>>,
    mut reasons: Query<&mut Localized, With<Reason>>,
) {
    if !health.is_changed() {
        return;
    }
    match (&health.availability, screens.single()) {
        (Availability::Unavailable { reason }, Err(_)) => {
            commands.spawn((
                Name::new("Camera unavailable"),
                UnavailableScreen,
                screen(1, UNAVAILABLE_BG),
                children![
                    text(t("camera-unavailable-title"), 84.0, INK),
                    text(t("camera-unavailable-body"), 36.0, INK_DIM),
                    (Reason, text(verbatim(reason.clone()), 24.0, INK_DIM)),
                ],
            ));
        }
        (Availability::Unavailable { reason }, Ok(_)) => {
            for mut shown in &mut reasons {
                shown.set_if_neq(Localized(verbatim(reason.clone())));
            }
        }
        (Availability::Live, Ok(entity)) => commands.entity(entity).despawn(),
        _ => {}
    }
}
