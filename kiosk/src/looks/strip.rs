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
    ui::theme::{
        BUTTON, COUNTDOWN_BG, INK, INK_DIM, Label, Metrics, Phrase, accent, button, message_button, sheet, t, text,
        verbatim,
    },
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
pub fn picks_line(picks: u32) -> Phrase {
    t("looks-friends-picked").count("count", picks)
}

/// A look's caption: what was worn in it, or "Look" when nothing was identified.
pub fn caption(look: &Look) -> Label {
    if look.label.is_empty() { t("looks-untitled").into() } else { verbatim(look.label.clone()) }
}

/// A look's thumbnail in the strip (a 9:16 portrait), and its card: wide enough for its buttons.
const THUMB: Vec2 = Vec2::new(180.0, 320.0);
const CARD_WIDTH: f32 = 270.0;

/// Whether the share is live and what friends see, for the strip's "Show friends".
#[derive(bevy::ecs::system::SystemParam)]
struct Sharing<'w> {
    friends: Option<Res<'w, FriendsLooks>>,
    phase: Option<Res<'w, SharePhase>>,
}

impl Sharing<'_> {
    fn changed(&self) -> bool {
        self.friends.as_ref().is_some_and(|f| f.is_changed()) || self.phase.as_ref().is_some_and(|p| p.is_changed())
    }

    fn live(&self) -> bool {
        self.phase.as_ref().is_some_and(|p| matches!(**p, SharePhase::Live { .. }))
    }

    /// Whether friends see `look`, and their picks.
    fn shown(&self, look: u64) -> Option<u32> {
        self.friends.as_ref().filter(|f| f.shown.contains(&look)).map(|f| f.picks_of(look))
    }
}

#[allow(clippy::too_many_arguments)]
fn rebuild_strip(
    mut commands: Commands,
    sharing: Sharing,
    panel: Res<LooksPanel>,
    looks: Res<Looks>,
    capture: Res<Capture>,
    settings: Res<Settings>,
    metrics: Res<Metrics>,
    blank: Res<MirrorBlank>,
    motion: Res<Motion>,
    existing: Query<Entity, With<StripRoot>>,
) {
    if !(panel.is_changed() || looks.is_changed() || capture.is_changed() || motion.is_changed() || sharing.changed()) {
        return;
    }
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
            column_gap: px(18),
            ..default()
        })
        .id();
    let max = settings.looks.max_looks;
    let title =
        commands.spawn(text(t("looks-title").count("count", looks.taken.len()).count("max", max), 44.0, INK)).id();
    commands.entity(header).add_child(title);
    if panel.ticked.len() >= 2 {
        let label = t("looks-compare-these").count("count", panel.ticked.len());
        let compare = message_button(&mut commands, label, &metrics, accent(), LooksAction::Compare);
        commands.entity(header).add_child(compare);
    }
    let close = commands
        .spawn(button(t("close"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut panel: ResMut<LooksPanel>| panel.open = false)
        .id();
    commands.entity(header).add_child(close);
    // One row of looks; a drag scrolls it sideways when they do not all fit.
    let cards = commands
        .spawn((
            Node {
                width: percent(100),
                flex_direction: FlexDirection::Row,
                column_gap: px(18),
                overflow: Overflow::scroll_x(),
                ..default()
            },
            ScrollPosition::default(),
        ))
        .observe(|drag: On<Pointer<Drag>>, mut rows: Query<&mut ScrollPosition>| {
            if let Ok(mut scroll) = rows.get_mut(drag.entity) {
                scroll.0.x = (scroll.0.x - drag.event.delta.x).max(0.0);
            }
        })
        .id();
    if looks.taken.is_empty() {
        let note = commands.spawn(text(t("looks-empty-hint"), 30.0, INK_DIM)).id();
        commands.entity(cards).add_child(note);
    }
    for look in &looks.taken {
        let card = spawn_card(&mut commands, look, &panel, &sharing, &metrics, &blank);
        commands.entity(cards).add_child(card);
    }
    let actions = commands.spawn(Node { column_gap: px(18), align_items: AlignItems::Center, ..default() }).id();
    let take = if looks.taken.len() < max as usize {
        message_button(&mut commands, t("looks-take"), &metrics, accent(), TakeLook)
    } else {
        commands.spawn(text(t("looks-full").count("max", max), 30.0, INK_DIM)).id()
    };
    let twirl = if motion.has_twirl {
        message_button(&mut commands, t("looks-play-twirl"), &metrics, BUTTON, MotionAction::Play)
    } else {
        message_button(&mut commands, t("looks-record-twirl"), &metrics, BUTTON, MotionAction::RecordTwirl)
    };
    let back = message_button(&mut commands, t("looks-see-back"), &metrics, BUTTON, MotionAction::SeeYourBack);
    commands.entity(actions).add_children(&[take, twirl, back]);
    // The actions above the looks: the share's QR panel covers the sheet's lower right corner.
    commands.entity(root).add_children(&[header, actions, cards]);
}

/// One look in the strip: its picture and items, Compare, Delete and, while sharing, whether
/// friends see it (with their picks).
fn spawn_card(
    commands: &mut Commands,
    look: &Look,
    panel: &LooksPanel,
    sharing: &Sharing,
    metrics: &Metrics,
    blank: &MirrorBlank,
) -> Entity {
    let card = commands
        .spawn((
            Node {
                width: px(CARD_WIDTH),
                flex_shrink: 0.0,
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(8),
                ..default()
            },
            Name::new(format!("Look {}", look.id)),
        ))
        .id();
    let picture = commands.spawn(picture(look, THUMB.x, THUMB.y, blank)).id();
    let caption =
        commands.spawn((text(caption(look), 24.0, INK), Node { max_width: px(CARD_WIDTH), ..default() })).id();
    let id = look.id;
    let ticked = panel.ticked.contains(&id);
    let (tick_label, tick_color) =
        if ticked { (t("looks-compare-ticked"), accent()) } else { (t("looks-compare"), BUTTON) };
    let tick = message_button(commands, tick_label, metrics, tick_color, LooksAction::Tick(id));
    let delete = message_button(commands, t("looks-delete"), metrics, BUTTON, DeleteLook(id));
    commands.entity(card).add_children(&[picture, caption, tick, delete]);
    if !sharing.live() {
        return card;
    }
    match sharing.shown(id) {
        Some(picks) => {
            let shown = message_button(commands, t("looks-shown"), metrics, accent(), HideFromFriends(id));
            let line = text(picks_line(picks), 24.0, accent());
            let line = commands.spawn((line, Node { max_width: px(CARD_WIDTH), ..default() })).id();
            commands.entity(card).add_children(&[shown, line]);
        }
        None => {
            let (items, jpeg) = (look.items.clone(), look.card.clone());
            let show = commands
                .spawn(button(t("looks-show-friends"), metrics, BUTTON))
                .observe(move |_: On<Pointer<Click>>, mut shows: MessageWriter<ShowToFriends>| {
                    shows.write(ShowToFriends { look: id, items: items.clone(), jpeg: jpeg.clone() });
                })
                .id();
            commands.entity(card).add_child(show);
        }
    }
    card
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
            BackgroundColor(COUNTDOWN_BG),
            children![text(verbatim(number.to_string()), 260.0, INK)],
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
