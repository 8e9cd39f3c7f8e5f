//! The "camera unavailable" screen: opaque over the mirror while the camera is lost, gone by
//! itself when frames flow again.

use bevy::prelude::*;

use crate::{
    camera::{Availability, CameraHealth},
    ui::theme::{INK, INK_DIM, UNAVAILABLE_BG, screen, text},
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
    mut reasons: Query<&mut Text, With<Reason>>,
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
                    text("Camera unavailable", 84.0, INK),
                    text(
                        "The mirror will be back by itself in a moment.\nIf it isn't, please ask a store associate.",
                        36.0,
                        INK_DIM
                    ),
                    (Reason, text(reason.clone(), 24.0, INK_DIM)),
                ],
            ));
        }
        (Availability::Unavailable { reason }, Ok(_)) => {
            for mut text in &mut reasons {
                if text.0 != *reason {
                    text.0.clone_from(reason);
                }
            }
        }
        (Availability::Live, Ok(entity)) => commands.entity(entity).despawn(),
        _ => {}
    }
}
