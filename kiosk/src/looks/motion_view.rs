//! What the twirl and the delayed mirror look like: the clip's frame full screen over the live
//! mirror (under every control), and a bar of controls above the toolbar: "● Recording" with
//! Stop; the replay's Pause/Play, scrub bar, Record again, Delete twirl and Done; "See your back" with
//! Back to live. The picture is a camera picture: hidden whenever the mirror is blanked ([`LookPicture`]).

use std::time::Duration;

use bevy::{
    asset::RenderAssetUsages,
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
};
use camera::convert::decode_mjpeg;

use super::{
    LookPicture,
    motion::{Clips, Motion, MotionAction, MotionMode, Playhead},
};
use crate::{
    i18n::Localized,
    mirror::MirrorBlank,
    settings::Settings,
    ui::theme::{BUTTON, BUTTON_END, INK, INK_DIM, Metrics, PANEL, Phrase, accent, message_button, t, text, verbatim},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<MotionPicture>().add_systems(
        Update,
        (rebuild_controls, show_due_frame, update_progress).chain().after(super::motion::MotionUpdate),
    );
}

/// The image the clip's frames are decoded into, and which frame it holds.
#[derive(Resource, Default)]
struct MotionPicture {
    image: Option<Handle<Image>>,
    shown_seq: Option<u64>,
    rgba: Vec<u8>,
}

#[derive(Component)]
struct MotionRoot;

#[derive(Component)]
struct MotionFrameNode;

#[derive(Component)]
struct ScrubFill;

#[derive(Component)]
struct ProgressText;

#[derive(Component)]
struct PauseButton;

fn seconds(d: Duration) -> f64 {
    f64::from(d.as_secs_f32())
}

fn recording_progress(position: Duration, most: Duration) -> Phrase {
    t("twirl-recording-progress").decimal("position", seconds(position), 1).decimal("length", seconds(most), 1)
}

#[allow(clippy::too_many_arguments)]
fn rebuild_controls(
    mut commands: Commands,
    motion: Res<Motion>,
    settings: Res<Settings>,
    metrics: Res<Metrics>,
    existing: Query<Entity, With<MotionRoot>>,
    mut picture: ResMut<MotionPicture>,
    mut images: ResMut<Assets<Image>>,
) {
    if !motion.is_changed() {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if motion.mode == MotionMode::Off {
        if let Some(image) = picture.image.take() {
            images.remove(&image);
        }
        *picture = MotionPicture::default();
        return;
    }
    // The clip's frame: full screen, over the mirror and under every control.
    let image = picture.image.get_or_insert_with(|| images.add(Image::default())).clone();
    picture.shown_seq = None;
    commands.spawn((
        Name::new("Twirl picture"),
        MotionRoot,
        MotionFrameNode,
        LookPicture,
        ImageNode::new(image),
        Node { position_type: PositionType::Absolute, width: percent(100), height: percent(100), ..default() },
        GlobalZIndex(0),
        Visibility::Hidden,
        Pickable::IGNORE,
    ));
    let bar = commands
        .spawn((
            Name::new("Twirl controls"),
            bevy::input_focus::tab_navigation::TabGroup::new(0),
            MotionRoot,
            Node {
                position_type: PositionType::Absolute,
                bottom: px(300),
                left: px(30),
                right: px(30),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(18),
                padding: UiRect::all(px(28)),
                border_radius: BorderRadius::all(px(36)),
                ..default()
            },
            BackgroundColor(PANEL),
            GlobalZIndex(4),
        ))
        .id();
    let row = commands.spawn(Node { column_gap: px(18), align_items: AlignItems::Center, ..default() }).id();
    let action = |label: &'static str, color: Color, action: MotionAction, commands: &mut Commands| {
        message_button(commands, t(label), &metrics, color, action)
    };
    match motion.mode {
        MotionMode::Recording => {
            let most = Duration::from_secs(u64::from(settings.looks.twirl_s));
            let title = commands.spawn(text(t("twirl-recording-title"), 36.0, INK)).id();
            let progress =
                commands.spawn((ProgressText, text(recording_progress(Duration::ZERO, most), 30.0, INK_DIM))).id();
            let stop = action("twirl-stop", BUTTON_END, MotionAction::StopRecording, &mut commands);
            commands.entity(row).add_children(&[progress, stop]);
            commands.entity(bar).add_children(&[title, row]);
        }
        MotionMode::Replay => {
            let title = commands.spawn(Node { column_gap: px(24), align_items: AlignItems::Center, ..default() }).id();
            let name = commands.spawn(text(t("twirl-replay-title"), 36.0, INK)).id();
            let progress = commands.spawn((ProgressText, text(verbatim(""), 30.0, INK_DIM))).id();
            commands.entity(title).add_children(&[name, progress]);
            let scrub = scrub_bar(&mut commands);
            let pause = action("twirl-pause", BUTTON, MotionAction::TogglePause, &mut commands);
            commands.entity(pause).insert(PauseButton);
            let again = action("twirl-record-again", BUTTON, MotionAction::RecordTwirl, &mut commands);
            let delete = action("twirl-delete", BUTTON, MotionAction::DeleteTwirl, &mut commands);
            let done = action("twirl-done", accent(), MotionAction::Close, &mut commands);
            commands.entity(row).add_children(&[pause, again, delete, done]);
            commands.entity(bar).add_children(&[title, scrub, row]);
        }
        MotionMode::Delayed => {
            let delay = settings.looks.back_delay_s;
            let title = commands.spawn(text(t("back-title").count("delay", delay), 36.0, INK)).id();
            let hint = commands.spawn((ProgressText, text(t("back-hint").count("delay", delay), 30.0, INK_DIM))).id();
            let back = action("back-to-live", accent(), MotionAction::Close, &mut commands);
            commands.entity(row).add_children(&[back]);
            commands.entity(bar).add_children(&[title, hint, row]);
        }
        MotionMode::Off => {}
    }
}

/// Seeks the twirl to where `position` (window, logical pixels) falls on the scrub bar `bar`.
fn seek_at(
    position: Vec2,
    bar: Entity,
    nodes: &Query<(&ComputedNode, &UiGlobalTransform)>,
    actions: &mut MessageWriter<MotionAction>,
) {
    let Ok((node, transform)) = nodes.get(bar) else { return };
    let width = node.size().x;
    let left = transform.translation.x - width / 2.0;
    if width > 0.0 {
        let x = position.x / node.inverse_scale_factor();
        actions.write(MotionAction::Seek(((x - left) / width).clamp(0.0, 1.0)));
    }
}

/// The scrub bar: a tap or a drag anywhere on it seeks there.
fn scrub_bar(commands: &mut Commands) -> Entity {
    commands
        .spawn((
            Name::new("Scrub bar"),
            Button,
            Node { width: px(900), height: px(64), padding: UiRect::vertical(px(24)), ..default() },
        ))
        .with_child((
            Node { width: percent(100), height: percent(100), border_radius: BorderRadius::all(px(8)), ..default() },
            BackgroundColor(Color::srgba(1.0, 1.0, 1.0, 0.25)),
            Pickable::IGNORE,
            children![(
                ScrubFill,
                Node { width: percent(0), height: percent(100), border_radius: BorderRadius::all(px(8)), ..default() },
                BackgroundColor(accent()),
                Pickable::IGNORE,
            )],
        ))
        .observe(
            |press: On<Pointer<Press>>,
             nodes: Query<(&ComputedNode, &UiGlobalTransform)>,
             mut actions: MessageWriter<MotionAction>| {
                seek_at(press.pointer_location.position, press.entity, &nodes, &mut actions);
            },
        )
        .observe(
            |drag: On<Pointer<Drag>>,
             nodes: Query<(&ComputedNode, &UiGlobalTransform)>,
             mut actions: MessageWriter<MotionAction>| {
                seek_at(drag.pointer_location.position, drag.entity, &nodes, &mut actions);
            },
        )
        .id()
}

/// Decodes the frame due now into the picture (only when it changed) and shows or hides it.
fn show_due_frame(
    time: Res<Time>,
    settings: Res<Settings>,
    motion: Res<Motion>,
    clips: Res<Clips>,
    playhead: Res<Playhead>,
    blank: Res<MirrorBlank>,
    mut picture: ResMut<MotionPicture>,
    mut images: ResMut<Assets<Image>>,
    mut nodes: Query<&mut Visibility, With<MotionFrameNode>>,
) {
    let delay = Duration::from_secs(u64::from(settings.looks.back_delay_s));
    let due = match motion.mode {
        MotionMode::Replay => clips.twirl_at(playhead.position),
        MotionMode::Delayed => clips.behind_at(time.elapsed(), delay),
        MotionMode::Off | MotionMode::Recording => None,
    };
    let wanted = if due.is_some() && blank.0 == 0 { Visibility::Inherited } else { Visibility::Hidden };
    for mut visibility in &mut nodes {
        visibility.set_if_neq(wanted);
    }
    let (Some(due), Some(handle)) = (due, picture.image.clone()) else { return };
    if picture.shown_seq == Some(due.frame.seq) {
        return;
    }
    let mut rgba = std::mem::take(&mut picture.rgba);
    match decode_mjpeg(&due.frame.jpeg, &mut rgba) {
        Ok((width, height)) => {
            let image = Image::new(
                Extent3d { width, height, depth_or_array_layers: 1 },
                TextureDimension::D2,
                rgba,
                TextureFormat::Rgba8UnormSrgb,
                RenderAssetUsages::RENDER_WORLD,
            );
            let _ = images.insert(&handle, image);
            picture.shown_seq = Some(due.frame.seq);
        }
        Err(e) => {
            warn!("looks: twirl frame {} not decoded: {e}", due.frame.seq);
            picture.rgba = rgba;
        }
    }
}

/// The scrub bar's fill, the time, and Pause/Play.
fn update_progress(
    motion: Res<Motion>,
    clips: Res<Clips>,
    playhead: Res<Playhead>,
    settings: Res<Settings>,
    mut fills: Query<&mut Node, With<ScrubFill>>,
    mut texts: Query<&mut Localized, With<ProgressText>>,
    mut labels: Query<(&mut Localized, &ChildOf), Without<ProgressText>>,
    pause_buttons: Query<(), With<PauseButton>>,
) {
    let length = clips.twirl_length();
    let line = match motion.mode {
        MotionMode::Recording => {
            let most = Duration::from_secs(u64::from(settings.looks.twirl_s));
            recording_progress(playhead.position, most)
        }
        MotionMode::Replay => {
            t("twirl-progress").decimal("position", seconds(playhead.position), 1).decimal("length", seconds(length), 1)
        }
        MotionMode::Delayed if clips.behind.is_empty() => return,
        MotionMode::Delayed => t("back-turn-slowly"),
        MotionMode::Off => return,
    };
    let line = Localized::phrase(line);
    for mut shown in &mut texts {
        shown.set_if_neq(line.clone());
    }
    if motion.mode != MotionMode::Replay {
        return;
    }
    let fraction = if length.is_zero() { 0.0 } else { playhead.position.as_secs_f32() / length.as_secs_f32() };
    for mut fill in &mut fills {
        fill.width = percent(100.0 * fraction);
    }
    let wanted = Localized::phrase(t(if playhead.paused { "twirl-play" } else { "twirl-pause" }));
    for (mut label, parent) in &mut labels {
        if pause_buttons.contains(parent.parent()) {
            label.set_if_neq(wanted.clone());
        }
    }
}
