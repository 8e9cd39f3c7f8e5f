//! What the looks plugin draws: the strip of this session's looks with "Take a look" and
//! "Delete", the big 3-2-1 while counting down (the strip steps aside so the shopper sees
//! themselves), and the flash when the picture is taken. The looks are camera pictures: whenever
//! the mirror is blanked for a screenshot ([`MirrorBlank`]) they are hidden too.

use std::time::Duration;

use bevy::prelude::*;

use super::{
    Capture, DeleteLook, Look, Looks, LooksAction, LooksPanel, LooksView, TakeLook,
    motion::{Motion, MotionAction, MotionMode},
};
use crate::{
    mirror::MirrorBlank,
    settings::Settings,
    share::{
        SharePhase,
        friends_looks::{FriendsLooks, HideFromFriends, ShowToFriends},
    },
    ui::theme::{ACCENT, BUTTON, INK, INK_DIM, Metrics, SELECTED, button, sheet, text},
};

/// How long the flash takes to fade.
const FLASH: Duration = Duration::from_millis(400);

pub fn plugin(app: &mut App) {
    app.init_resource::<MirrorBlank>().add_systems(
        Update,
        (
            rebuild_strip,
            super::compare::rebuild_comparison,
            hide_pictures_while_blank,
            show_countdown,
            flash_on_new_look,
            fade_flash,
        )
            .chain()
            .after(super::wipe_looks),
    );
}

#[derive(Component)]
struct StripRoot;

/// A look's picture on screen.
#[derive(Component)]
pub struct LookPicture;

/// `look`'s picture at `width × height`, hidden from the start while the mirror is blanked.
pub fn picture(look: &Look, width: f32, height: f32, blank: &MirrorBlank) -> impl Bundle {
    (
        LookPicture,
        ImageNode::new(look.image.clone()),
        Node { width: px(width), height: px(height), border_radius: BorderRadius::all(px(16)), ..default() },
        if blank.0 > 0 { Visibility::Hidden } else { Visibility::Inherited },
    )
}

#[derive(Component)]
struct CountdownNumber;

#[derive(Component)]
struct Flash(Timer);

/// Friends' picks of a look, as the mirror shows them beside it.
pub fn picks_line(picks: u32) -> String {
    match picks {
        1 => "♥ 1 friend picked this".to_string(),
        n => format!("♥ {n} friends picked this"),
    }
}

#[allow(clippy::too_many_arguments)]
fn rebuild_strip(
    mut commands: Commands,
    friends: Option<Res<FriendsLooks>>,
    phase: Option<Res<SharePhase>>,
    panel: Res<LooksPanel>,
    looks: Res<Looks>,
    capture: Res<Capture>,
    settings: Res<Settings>,
    metrics: Res<Metrics>,
    blank: Res<MirrorBlank>,
    motion: Res<Motion>,
    existing: Query<Entity, With<StripRoot>>,
) {
    let sharing_changed = friends.as_ref().is_some_and(|f| f.is_changed()) || phase.as_ref().is_some_and(|p| p.is_changed());
    if !(panel.is_changed() || looks.is_changed() || capture.is_changed() || motion.is_changed() || sharing_changed) {
        return;
    }
    let sharing = phase.as_ref().is_some_and(|p| matches!(**p, SharePhase::Live { .. }));
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    let busy = *capture != Capture::Idle || motion.mode != MotionMode::Off;
    if !panel.open || busy || panel.view != LooksView::Strip {
        return;
    }
    let root = commands.spawn((Name::new("Looks strip"), StripRoot, sheet(350.0, 24.0))).id();
    let header = commands
        .spawn(Node {
            width: percent(100),
            align_items: AlignItems::Center,
            justify_content: JustifyContent::SpaceBetween,
            ..default()
        })
        .id();
    let max = settings.looks.max_looks;
    let title = commands.spawn(text(format!("Your looks · {} of {max}", looks.taken.len()), 44.0, INK)).id();
    let close = commands
        .spawn(button("Close", &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut panel: ResMut<LooksPanel>| panel.open = false)
        .id();
    commands.entity(header).add_children(&[title, close]);
    let cards = commands
        .spawn(Node {
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(18),
            row_gap: px(18),
            ..default()
        })
        .id();
    if looks.taken.is_empty() {
        let hint = "Take a look at each outfit you try: they stay on this mirror until your session ends.";
        let note = commands.spawn(text(hint, 30.0, INK_DIM)).id();
        commands.entity(cards).add_child(note);
    }
    for look in &looks.taken {
        let card = commands
            .spawn((
                Node {
                    width: px(220),
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: px(8),
                    ..default()
                },
                Name::new(format!("Look {}", look.id)),
            ))
            .id();
        let picture = commands.spawn(picture(look, 200.0, 356.0, &blank)).id();
        let label = if look.label.is_empty() { "Look".to_string() } else { look.label.clone() };
        let caption = commands.spawn(text(label, 24.0, INK)).id();
        let id = look.id;
        let ticked = panel.ticked.contains(&id);
        let tick = commands
            .spawn(button(
                if ticked { "✔ Compare" } else { "Compare" },
                &metrics,
                if ticked { SELECTED } else { BUTTON },
            ))
            .observe(move |_: On<Pointer<Click>>, mut actions: MessageWriter<LooksAction>| {
                actions.write(LooksAction::Tick(id));
            })
            .id();
        let delete = commands
            .spawn(button("Delete", &metrics, BUTTON))
            .observe(move |_: On<Pointer<Click>>, mut deletes: MessageWriter<DeleteLook>| {
                deletes.write(DeleteLook(id));
            })
            .id();
        commands.entity(card).add_children(&[picture, caption, tick, delete]);
        if sharing {
            let shown = friends.as_ref().is_some_and(|f| f.shown.contains(&id));
            let show = if shown {
                commands
                    .spawn(button("✔ Friends see it", &metrics, SELECTED))
                    .observe(move |_: On<Pointer<Click>>, mut hides: MessageWriter<HideFromFriends>| {
                        hides.write(HideFromFriends(id));
                    })
                    .id()
            } else {
                let (items, jpeg) = (look.items.clone(), look.card.clone());
                commands
                    .spawn(button("Show friends", &metrics, BUTTON))
                    .observe(move |_: On<Pointer<Click>>, mut shows: MessageWriter<ShowToFriends>| {
                        shows.write(ShowToFriends { look: id, items: items.clone(), jpeg: jpeg.clone() });
                    })
                    .id()
            };
            commands.entity(card).add_child(show);
            if shown {
                let picks = friends.as_ref().map_or(0, |f| f.picks_of(id));
                let line = commands.spawn(text(picks_line(picks), 24.0, ACCENT)).id();
                commands.entity(card).add_child(line);
            }
        }
        commands.entity(cards).add_child(card);
    }
    let actions = commands.spawn(Node { column_gap: px(18), align_items: AlignItems::Center, ..default() }).id();
    let take = if looks.taken.len() < max as usize {
        commands
            .spawn(button("Take a look", &metrics, ACCENT))
            .observe(|_: On<Pointer<Click>>, mut takes: MessageWriter<TakeLook>| {
                takes.write(TakeLook);
            })
            .id()
    } else {
        commands.spawn(text(format!("{max} looks: delete one to take another"), 30.0, INK_DIM)).id()
    };
    commands.entity(actions).add_child(take);
    let motion_action = |label: &str, action: MotionAction, commands: &mut Commands| {
        commands
            .spawn(button(label, &metrics, BUTTON))
            .observe(move |_: On<Pointer<Click>>, mut actions: MessageWriter<MotionAction>| {
                actions.write(action);
            })
            .id()
    };
    let twirl = if motion.has_twirl {
        vec![
            motion_action("Play your twirl", MotionAction::Play, &mut commands),
            motion_action("Delete twirl", MotionAction::DeleteTwirl, &mut commands),
        ]
    } else {
        vec![motion_action("Record a twirl", MotionAction::RecordTwirl, &mut commands)]
    };
    let back = motion_action("See your back", MotionAction::SeeYourBack, &mut commands);
    let motion_row = commands.spawn(Node { column_gap: px(18), align_items: AlignItems::Center, ..default() }).id();
    commands.entity(motion_row).add_children(&twirl).add_child(back);
    if panel.ticked.len() >= 2 {
        let compare = commands
            .spawn(button(&format!("Compare {} looks", panel.ticked.len()), &metrics, SELECTED))
            .observe(|_: On<Pointer<Click>>, mut actions: MessageWriter<LooksAction>| {
                actions.write(LooksAction::Compare);
            })
            .id();
        commands.entity(actions).add_child(compare);
    }
    commands.entity(root).add_children(&[header, cards, actions, motion_row]);
}

/// A screenshot that blanks the mirror (scripted with a real camera, every remote one) must not
/// show the shopper in their looks either.
fn hide_pictures_while_blank(blank: Res<MirrorBlank>, mut pictures: Query<&mut Visibility, With<LookPicture>>) {
    let wanted = if blank.0 > 0 { Visibility::Hidden } else { Visibility::Inherited };
    for mut visibility in &mut pictures {
        visibility.set_if_neq(wanted);
    }
}

/// The big number while counting down, over the middle of the mirror.
fn show_countdown(
    mut commands: Commands,
    capture: Res<Capture>,
    existing: Query<Entity, With<CountdownNumber>>,
    mut shown: Local<Option<u32>>,
) {
    let number = capture.shown_number();
    if number == *shown {
        return;
    }
    *shown = number;
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    let Some(number) = number else { return };
    commands.spawn((
        Name::new("Look countdown"),
        CountdownNumber,
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            top: percent(30),
            justify_content: JustifyContent::Center,
            ..default()
        },
        GlobalZIndex(6),
        Pickable::IGNORE,
        children![(
            Node {
                width: px(360),
                height: px(360),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                border_radius: BorderRadius::all(px(180)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.55)),
            children![text(number.to_string(), 260.0, INK)],
        )],
    ));
}

fn flash_on_new_look(mut commands: Commands, looks: Res<Looks>, mut count: Local<usize>) {
    let now = looks.taken.len();
    if now > *count {
        commands.spawn((
            Name::new("Look flash"),
            Flash(Timer::new(FLASH, TimerMode::Once)),
            Node { position_type: PositionType::Absolute, width: percent(100), height: percent(100), ..default() },
            BackgroundColor(Color::srgba(1.0, 1.0, 1.0, 0.85)),
            GlobalZIndex(9),
            Pickable::IGNORE,
        ));
    }
    *count = now;
}

fn fade_flash(mut commands: Commands, time: Res<Time>, mut flashes: Query<(Entity, &mut Flash, &mut BackgroundColor)>) {
    for (entity, mut flash, mut background) in &mut flashes {
        flash.0.tick(time.delta());
        if flash.0.is_finished() {
            commands.entity(entity).despawn();
        } else {
            background.0.set_alpha(0.85 * (1.0 - flash.0.fraction()));
        }
    }
}
