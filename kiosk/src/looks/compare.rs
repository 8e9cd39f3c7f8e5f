//! The comparison: the ticked looks side by side at the mirror's full height, each with its
//! items and, when shown to friends, their picks; a tap on one shows it big; "Back" returns
//! (big → side by side → strip).

use bevy::prelude::*;

use super::{
    Capture, Look, Looks, LooksAction, LooksPanel, LooksView,
    motion::{Motion, MotionMode},
    strip::{caption, picks_line, picture},
};
use crate::{
    mirror::MirrorBlank,
    share::friends_looks::FriendsLooks,
    ui::theme::{BUTTON, INK, Metrics, accent, button, sheet, t, text},
};

/// Room the pictures may take inside the panel (layout pixels, a 1080×1920 design).
const WIDTH: f32 = 956.0;
const HEIGHT: f32 = 1180.0;
const GAP: f32 = 18.0;

#[derive(Component)]
pub(super) struct ComparisonRoot;

#[allow(clippy::too_many_arguments)]
pub(super) fn rebuild_comparison(
    mut commands: Commands,
    panel: Res<LooksPanel>,
    looks: Res<Looks>,
    capture: Res<Capture>,
    metrics: Res<Metrics>,
    blank: Res<MirrorBlank>,
    motion: Res<Motion>,
    friends: Option<Res<FriendsLooks>>,
    existing: Query<Entity, With<ComparisonRoot>>,
) {
    let picks_changed = friends.as_ref().is_some_and(|f| f.is_changed());
    if !(panel.is_changed() || looks.is_changed() || capture.is_changed() || motion.is_changed() || picks_changed) {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if !panel.open || *capture != Capture::Idle || motion.mode != MotionMode::Off {
        return;
    }
    let shown: Vec<&Look> = match panel.view {
        LooksView::Strip => return,
        LooksView::SideBySide => {
            panel.ticked.iter().filter_map(|id| looks.taken.iter().find(|l| l.id == *id)).collect()
        }
        LooksView::Big(id) => looks.taken.iter().filter(|l| l.id == id).collect(),
    };
    let root = commands.spawn((Name::new("Looks side by side"), ComparisonRoot, sheet(200.0, 20.0))).id();
    let back = commands
        .spawn(button(t("back"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut actions: MessageWriter<LooksAction>| {
            actions.write(LooksAction::Back);
        })
        .id();
    let row = commands.spawn(Node { column_gap: px(GAP), justify_content: JustifyContent::Center, ..default() }).id();
    // Portrait pictures as tall as the panel allows, as many as were ticked across its width.
    let count = shown.len().max(1) as f32;
    let width = ((WIDTH - GAP * (count - 1.0)) / count).min(HEIGHT * 9.0 / 16.0);
    let height = width * 16.0 / 9.0;
    for look in shown {
        let column = commands
            .spawn(Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(10),
                ..default()
            })
            .id();
        let id = look.id;
        let picture = commands
            .spawn((Button, picture(look, width, height, &blank)))
            .observe(move |_: On<Pointer<Click>>, mut actions: MessageWriter<LooksAction>| {
                actions.write(LooksAction::ShowBig(id));
            })
            .id();
        let caption = commands.spawn((text(caption(look), 28.0, INK), Node { max_width: px(width), ..default() })).id();
        commands.entity(column).add_children(&[picture, caption]);
        if let Some(friends) = friends.as_ref().filter(|f| f.shown.contains(&id)) {
            let picks = commands.spawn(text(picks_line(friends.picks_of(id)), 28.0, accent())).id();
            commands.entity(column).add_child(picks);
        }
        commands.entity(row).add_child(column);
    }
    let top = commands.spawn(Node { width: percent(100), justify_content: JustifyContent::Center, ..default() }).id();
    commands.entity(top).add_child(back);
    commands.entity(root).add_children(&[top, row]);
}
