//! "Still there?": a countdown after inactivity; any touch continues the session, otherwise it
//! ends and everything it made is wiped.

use bevy::prelude::*;

use crate::{
    session::{KioskPhase, Session},
    ui::theme::{ACCENT, INK, INK_DIM, Metrics, button, card, screen, text},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(KioskPhase::StillThere), spawn)
        .add_systems(Update, update_countdown.run_if(in_state(KioskPhase::StillThere)));
}

#[derive(Component)]
struct Countdown;

fn spawn(mut commands: Commands, metrics: Res<Metrics>) {
    commands.spawn((
        Name::new("Still there"),
        DespawnOnExit(KioskPhase::StillThere),
        screen(4, Color::srgba(0.0, 0.0, 0.0, 0.45)),
        children![(
            card(),
            children![
                text("Still there?", 80.0, INK),
                (Countdown, text("", 120.0, ACCENT)),
                text(
                    "Touch anywhere to keep going.\nOtherwise this session ends and\neverything from it is cleared.",
                    34.0,
                    INK_DIM
                ),
                button("I'm still here", &metrics, Color::srgba(0.2, 0.45, 0.25, 0.9)),
            ],
        )],
    ));
}

fn update_countdown(time: Res<Time<Real>>, session: Res<Session>, mut countdowns: Query<&mut Text, With<Countdown>>) {
    let remaining = session.machine.countdown_remaining(time.elapsed()).unwrap_or_default();
    let label = format!("{}", remaining.as_secs_f32().ceil() as u32);
    for mut text in &mut countdowns {
        if text.0 != label {
            text.0.clone_from(&label);
        }
    }
}
