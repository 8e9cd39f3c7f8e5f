//! "Still there?": a countdown after inactivity; any touch continues the session, otherwise it
//! ends and everything it made is wiped.

use bevy::{
    input_focus::{AutoFocus, tab_navigation::TabGroup},
    prelude::*,
};

use crate::{
    i18n::Localized,
    session::{KioskPhase, Session},
    ui::theme::{GO, INK, INK_DIM, Metrics, SCRIM, button, card, screen, t, text, verbatim},
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
        screen(4, SCRIM),
        // Keys stay in the question, on its answer.
        TabGroup::modal(),
        children![(
            card(),
            children![
                text(t("still-there-title"), 80.0, INK),
                (Countdown, text(verbatim(""), 120.0, INK)),
                text(t("still-there-body"), 34.0, INK_DIM),
                (button(t("still-there-continue"), &metrics, GO), AutoFocus),
            ],
        )],
    ));
}

fn update_countdown(
    time: Res<Time<Real>>,
    session: Res<Session>,
    mut countdowns: Query<&mut Localized, With<Countdown>>,
) {
    let remaining = session.machine.countdown_remaining(time.elapsed()).unwrap_or_default();
    let label = Localized::phrase(t("still-there-seconds").count("seconds", remaining.as_secs_f32().ceil() as i64));
    for mut countdown in &mut countdowns {
        countdown.set_if_neq(label.clone());
    }
}
