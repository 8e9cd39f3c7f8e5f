//! Friends' reactions on the mirror: reactions float up and fade, comments appear as bubbles
//! that fade. Sized to read from two metres. Comments are plain text, never markup.

use std::time::Duration;

use bevy::prelude::*;

use crate::{
    session::PrivacyWipe,
    ui::{
        contrast::ink_on,
        theme::{COMMENT_BG, COMMENT_INK, COMMENT_NAME, REACTIONS, t, text, verbatim},
    },
};

pub fn plugin(app: &mut App) {
    app.add_message::<FriendReaction>().add_systems(Update, (spawn_reactions, animate, clear_on_wipe));
}

/// Something a friend sent.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum FriendReaction {
    Reaction(String),
    Comment { name: String, text: String },
}

const REACTION_LIFE: Duration = Duration::from_millis(2800);
const COMMENT_LIFE: Duration = Duration::from_secs(7);

/// An overlay item: how long it has lived, how long it lives, how fast it rises (px/s).
#[derive(Component)]
struct Floating {
    age: Timer,
    rise: f32,
}

/// The glyph (in the UI font) and word for each reaction, with its colour.
pub fn reaction_look(emoji: &str) -> (&'static str, Color) {
    match emoji {
        "❤️" => ("reaction-love", REACTIONS[0]),
        "🔥" => ("reaction-hot", REACTIONS[1]),
        "👍" => ("reaction-yes", REACTIONS[2]),
        "👎" => ("reaction-no", REACTIONS[3]),
        "😍" => ("reaction-wow", REACTIONS[4]),
        _ => ("reaction-other", REACTIONS[5]),
    }
}

/// Marks floating reactions (not comments), to cap how many float at once.
#[derive(Component)]
struct ReactionPill;

/// More than this many at once would hide the mirror; further reactions wait for room.
const MAX_FLOATING_REACTIONS: usize = 12;

fn spawn_reactions(
    mut commands: Commands,
    mut incoming: MessageReader<FriendReaction>,
    mut count: Local<u32>,
    floating: Query<(), With<ReactionPill>>,
) {
    let mut room = MAX_FLOATING_REACTIONS.saturating_sub(floating.iter().count());
    for reaction in incoming.read() {
        *count = count.wrapping_add(1);
        match reaction {
            FriendReaction::Reaction(_) if room == 0 => {}
            FriendReaction::Reaction(emoji) => {
                room -= 1;
                let (label, color) = reaction_look(emoji);
                // Spread them over the right half so a burst does not stack in one place.
                let right = 60.0 + ((*count * 97) % 300) as f32;
                commands.spawn((
                    Name::new("Reaction"),
                    ReactionPill,
                    Floating { age: Timer::new(REACTION_LIFE, TimerMode::Once), rise: 140.0 },
                    // Above the QR panel, rising over the mirror's upper right.
                    Node {
                        position_type: PositionType::Absolute,
                        right: px(right),
                        bottom: px(1000),
                        padding: UiRect::axes(px(30), px(14)),
                        border_radius: BorderRadius::all(px(40)),
                        ..default()
                    },
                    BackgroundColor(color),
                    GlobalZIndex(8),
                    Pickable::IGNORE,
                    children![text(t(label), 60.0, ink_on(color))],
                ));
            }
            FriendReaction::Comment { name, text: body } => {
                let top = 420.0 + ((*count * 131) % 400) as f32;
                commands.spawn((
                    Name::new("Comment"),
                    Floating { age: Timer::new(COMMENT_LIFE, TimerMode::Once), rise: 6.0 },
                    Node {
                        position_type: PositionType::Absolute,
                        left: px(40),
                        top: px(top),
                        max_width: px(620),
                        flex_direction: FlexDirection::Column,
                        padding: UiRect::axes(px(28), px(18)),
                        border_radius: BorderRadius::all(px(28)),
                        ..default()
                    },
                    BackgroundColor(COMMENT_BG),
                    GlobalZIndex(8),
                    Pickable::IGNORE,
                    children![
                        text(verbatim(name.clone()), 30.0, COMMENT_NAME),
                        text(verbatim(body.clone()), 42.0, COMMENT_INK),
                    ],
                ));
            }
        }
    }
}

/// Rises and fades each item; despawns it at the end of its life.
fn animate(
    mut commands: Commands,
    time: Res<Time>,
    mut items: Query<(Entity, &mut Floating, &mut Node, &mut BackgroundColor, &Children)>,
    mut texts: Query<&mut TextColor>,
) {
    for (entity, mut item, mut node, mut background, children) in &mut items {
        item.age.tick(time.delta());
        if item.age.is_finished() {
            commands.entity(entity).despawn();
            continue;
        }
        let rise = item.rise * time.delta_secs();
        match (node.bottom, node.top) {
            (Val::Px(bottom), _) => node.bottom = px(bottom + rise),
            (_, Val::Px(top)) => node.top = px(top - rise),
            _ => {}
        }
        // Fully visible for the first 60% of its life, then fades out.
        let alpha = (1.0 - (item.age.fraction() - 0.6).max(0.0) / 0.4).clamp(0.0, 1.0);
        background.0.set_alpha(alpha * 0.92);
        for child in children.iter() {
            if let Ok(mut color) = texts.get_mut(child) {
                color.0.set_alpha(alpha);
            }
        }
    }
}

fn clear_on_wipe(mut commands: Commands, mut wipes: MessageReader<PrivacyWipe>, items: Query<Entity, With<Floating>>) {
    if wipes.read().count() == 0 {
        return;
    }
    for entity in &items {
        commands.entity(entity).despawn();
    }
}

#[cfg(test)]
mod tests {
    use bevy::time::TimeUpdateStrategy;

    use super::*;

    const STEP: Duration = Duration::from_millis(100);

    fn app() -> App {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(TimeUpdateStrategy::ManualDuration(STEP))
            .add_message::<PrivacyWipe>()
            .add_plugins(plugin);
        app.update();
        app
    }

    fn count<T: Component>(app: &mut App) -> usize {
        app.world_mut().query_filtered::<(), With<T>>().iter(app.world()).count()
    }

    fn comments(app: &mut App) -> usize {
        count::<Floating>(app) - count::<ReactionPill>(app)
    }

    /// Steps the app until `span` of its time has passed.
    fn run_for(app: &mut App, span: Duration) {
        for _ in 0..span.as_millis().div_ceil(STEP.as_millis()) {
            app.update();
        }
    }

    #[test]
    fn at_most_twelve_reactions_float_at_once_and_room_frees_as_they_end() {
        let mut app = app();
        for _ in 0..40 {
            app.world_mut().write_message(FriendReaction::Reaction("❤️".into()));
        }
        app.update();
        assert_eq!(count::<ReactionPill>(&mut app), 12, "a burst of 40 shows 12");
        app.world_mut().write_message(FriendReaction::Reaction("🔥".into()));
        app.update();
        assert_eq!(count::<ReactionPill>(&mut app), 12, "no room until some end");
        run_for(&mut app, REACTION_LIFE);
        assert_eq!(count::<ReactionPill>(&mut app), 0, "each floats for {REACTION_LIFE:?}");
        app.world_mut().write_message(FriendReaction::Reaction("🔥".into()));
        app.update();
        assert_eq!(count::<ReactionPill>(&mut app), 1);
    }

    #[test]
    fn a_comment_stays_seven_seconds_fading_at_the_end_and_a_wipe_clears_everything() {
        let mut app = app();
        let comment = FriendReaction::Comment { name: "Ana".into(), text: "That colour suits you!".into() };
        app.world_mut().write_message(comment.clone());
        app.update();
        let alpha = |app: &mut App| {
            let mut q = app.world_mut().query_filtered::<&BackgroundColor, (With<Floating>, Without<ReactionPill>)>();
            q.iter(app.world()).next().map(|b| b.0.alpha())
        };
        run_for(&mut app, Duration::from_secs(4));
        assert_eq!(alpha(&mut app), Some(0.92), "fully shown for the first 60 % of its life");
        run_for(&mut app, Duration::from_millis(2800));
        let fading = alpha(&mut app).unwrap_or_default();
        assert!(fading > 0.0 && fading < 0.5, "fading out near the end: {fading}");
        run_for(&mut app, Duration::from_millis(300));
        assert_eq!(comments(&mut app), 0, "gone after {COMMENT_LIFE:?}");

        app.world_mut().write_message(comment);
        app.world_mut().write_message(FriendReaction::Reaction("👍".into()));
        app.update();
        assert_eq!(count::<Floating>(&mut app), 2);
        app.world_mut().write_message(PrivacyWipe);
        app.update();
        app.update();
        assert_eq!(count::<Floating>(&mut app), 0, "the session end takes friends' messages off the mirror");
    }
}
