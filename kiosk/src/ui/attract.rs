//! The attract screen: brand, "Touch to start" and the privacy promise over the dimmed mirror.

use bevy::prelude::*;

use crate::{
    session::KioskPhase,
    settings::Settings,
    ui::{
        brand::BrandLogo,
        contrast::ink_on,
        theme::{INK, INK_DIM, PROMPT_MIN_ALPHA, accent, screen, t, text, verbatim},
    },
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(KioskPhase::Attract), spawn)
        .add_systems(Update, pulse.run_if(in_state(KioskPhase::Attract)));
}

#[derive(Component)]
struct TouchPrompt;

fn spawn(mut commands: Commands, settings: Res<Settings>, logo: Res<BrandLogo>) {
    let logo = logo.0.clone();
    commands.spawn((Name::new("Attract"), DespawnOnExit(KioskPhase::Attract), screen(2, Color::NONE))).with_children(
        |screen| {
            if let Some(logo) = logo {
                screen.spawn((
                    Name::new("Logo"),
                    ImageNode::new(logo),
                    Node { width: px(280), height: px(280), ..default() },
                ));
            }
            screen.spawn(text(verbatim(settings.kiosk.brand.clone()), 96.0, INK));
            screen.spawn(text(t("attract-subtitle"), 44.0, INK_DIM));
            screen.spawn(Node { height: px(520), ..default() });
            screen.spawn((
                TouchPrompt,
                Node { padding: UiRect::axes(px(64), px(28)), border_radius: BorderRadius::all(px(60)), ..default() },
                BackgroundColor(accent()),
                children![text(t("attract-start"), 64.0, ink_on(accent()))],
            ));
            screen.spawn(text(t("attract-privacy"), 30.0, INK_DIM));
        },
    );
}

/// A gentle breathing of the prompt so the screen reads as alive from across the room.
fn pulse(time: Res<Time>, mut prompts: Query<&mut BackgroundColor, With<TouchPrompt>>) {
    let alpha = PROMPT_MIN_ALPHA + (1.0 - PROMPT_MIN_ALPHA) * 0.5 * (1.0 + (time.elapsed_secs() * 2.0).sin());
    for mut background in &mut prompts {
        background.0 = accent().with_alpha(alpha);
    }
}
