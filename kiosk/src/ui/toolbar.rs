//! The shopper's toolbar while a session is active: the feature buttons in the lower reach zone
//! and "End session" at the top, plus the badge saying when the picture is synthetic.
//!
//! A button shows only for a feature whose plugin answers it ([`HandledFeatures`]). Rows are
//! mirrored for right-to-left languages ([`MirrorInRtl`]).

use std::time::Duration;

use bevy::{input_focus::tab_navigation::TabGroup, prelude::*};

use crate::{
    camera::CameraFeed,
    session::KioskPhase,
    ui::{
        EndSessionPressed, FeatureRequested, HandledFeatures, ShowToast,
        theme::{
            BUTTON, BUTTON_END, INK, Metrics, MirrorInRtl, PANEL, SHEET_BOTTOM, Sheet, TOP_MARGIN, button, t, text,
            toolbar_button,
        },
    },
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(KioskPhase::Active), spawn_toolbar)
        .add_systems(Startup, spawn_source_badge)
        .add_systems(Update, (show_toasts, expire_toasts).chain())
        .add_systems(PostUpdate, keep_sheets_above_toolbar.after(bevy::ui::UiSystems::Layout));
}

/// The features the toolbar can offer, left to right (right to left in Arabic), with the icon
/// and the phrase each button shows. Only those whose plugin answers them ([`HandledFeatures`]) get a button:
/// the mirror never shows one that does nothing.
const FEATURES: [(&str, &str, &str); 6] = [
    ("Share", "↗", "toolbar-share"),
    ("Scan item", "▥", "toolbar-scan"),
    ("Looks", "◫", "toolbar-looks"),
    ("Take it home", "⌂", "toolbar-take-home"),
    ("Lights", "☀", "toolbar-lights"),
    ("Language", "⚑", "toolbar-language"),
];

/// "Accessibility" has a place of its own beside "End session": the row holds six buttons at the
/// smallest touch size, and a shopper who needs it finds it in the same spot on every screen.
const ACCESSIBILITY: (&str, &str, &str) = ("Accessibility", "♿", "toolbar-accessibility");

#[derive(Component)]
struct Toast(Timer);

#[derive(Component)]
struct ToolbarRow;

/// Sheets end above the toolbar's top row (a language's labels may wrap it in two; a press on a
/// covered button would reach the sheet) and, where the top of the screen is out of reach, start
/// within it.
fn keep_sheets_above_toolbar(
    rows: Query<&ComputedNode, With<ToolbarRow>>,
    metrics: Res<Metrics>,
    mut sheets: Query<(&mut Node, &Sheet)>,
) {
    let Ok(row) = rows.single() else { return };
    // The row sits 80 design px above the bottom (root padding and its margin); 30 px of air,
    // and the lowered "End session" above it when the top is out of reach.
    let lowered = if metrics.lower_controls() { metrics.touch_target + 24.0 } else { 0.0 };
    let bottom = px((80.0 + row.size.y * row.inverse_scale_factor + 30.0 + lowered).max(SHEET_BOTTOM));
    let reach = metrics.reach_top();
    for (mut sheet, designed) in &mut sheets {
        if sheet.bottom != bottom {
            sheet.bottom = bottom;
        }
        // With "End session" lowered the top edge is free: the sheet moves up into it, as far as
        // the shopper can reach, and keeps its height.
        let top = px((designed.0 - lowered).max(reach));
        if sheet.top != top {
            sheet.top = top;
        }
    }
}

fn spawn_toolbar(mut commands: Commands, metrics: Res<Metrics>, handled: Res<HandledFeatures>) {
    // Where the top of the screen is out of reach, "End session" sits just above the row.
    let justify = if metrics.lower_controls() { JustifyContent::FlexEnd } else { JustifyContent::SpaceBetween };
    let root = commands
        .spawn((
            Name::new("Toolbar"),
            DespawnOnExit(KioskPhase::Active),
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                justify_content: justify,
                row_gap: px(24),
                padding: UiRect::all(px(TOP_MARGIN)),
                ..default()
            },
            GlobalZIndex(2),
            // The full-screen root only lays out; touches reach what is under it.
            Pickable::IGNORE,
            TabGroup::new(1),
        ))
        .id();
    let end_button = commands
        .spawn(button(t("toolbar-end"), &metrics, BUTTON_END))
        .observe(|_: On<Pointer<Click>>, mut end: MessageWriter<EndSessionPressed>| {
            end.write(EndSessionPressed);
        })
        .id();
    // At the top right with Accessibility at the top left; lowered, both at the left above the
    // row (the share's QR panel takes the right).
    let access = handled.0.contains(ACCESSIBILITY.0).then(|| feature_button(&mut commands, ACCESSIBILITY, &metrics));
    let (side, top_row) = match (metrics.lower_controls(), access) {
        (true, access) => (JustifyContent::FlexStart, [Some(end_button), access]),
        (false, Some(access)) => (JustifyContent::SpaceBetween, [Some(access), Some(end_button)]),
        (false, None) => (JustifyContent::FlexEnd, [Some(end_button), None]),
    };
    let end = commands
        .spawn((
            Node {
                width: percent(100),
                justify_content: side,
                align_items: AlignItems::End,
                column_gap: px(24),
                ..default()
            },
            MirrorInRtl,
        ))
        .add_children(&top_row.into_iter().flatten().collect::<Vec<_>>())
        .id();
    // The lower reach zone: the bottom fifth of the screen, where a standing shopper's hand is.
    let bar = commands
        .spawn((
            Name::new("Toolbar row"),
            ToolbarRow,
            Node {
                width: percent(100),
                flex_wrap: FlexWrap::Wrap,
                justify_content: JustifyContent::SpaceEvenly,
                row_gap: px(24),
                margin: UiRect::bottom(px(40)),
                ..default()
            },
            MirrorInRtl,
        ))
        .id();
    for feature in FEATURES.into_iter().filter(|(f, ..)| handled.0.contains(f)) {
        let b = feature_button(&mut commands, feature, &metrics);
        commands.entity(bar).add_child(b);
    }
    commands.entity(root).add_children(&[end, bar]);
}

/// A feature's button: its icon over its label; a press asks for the feature.
fn feature_button(
    commands: &mut Commands,
    (feature, icon, label): (&'static str, &'static str, &'static str),
    metrics: &Metrics,
) -> Entity {
    commands
        .spawn(toolbar_button(icon, t(label), metrics, BUTTON))
        .observe(move |_: On<Pointer<Click>>, mut requests: MessageWriter<FeatureRequested>| {
            requests.write(FeatureRequested(feature));
        })
        .id()
}

fn show_toasts(mut commands: Commands, mut toasts: MessageReader<ShowToast>, existing: Query<Entity, With<Toast>>) {
    let Some(ShowToast(message)) = toasts.read().last() else { return };
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    commands.spawn((
        Name::new("Toast"),
        Toast(Timer::new(Duration::from_secs(3), TimerMode::Once)),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(380),
            width: percent(100),
            justify_content: JustifyContent::Center,
            ..default()
        },
        GlobalZIndex(5),
        Pickable::IGNORE,
        children![(
            Node { padding: UiRect::axes(px(40), px(20)), border_radius: BorderRadius::all(px(24)), ..default() },
            BackgroundColor(PANEL),
            Pickable::IGNORE,
            children![(text(message.clone(), 36.0, INK), Pickable::IGNORE)],
        )],
    ));
}

fn expire_toasts(mut commands: Commands, time: Res<Time>, mut toasts: Query<(Entity, &mut Toast)>) {
    for (entity, mut toast) in &mut toasts {
        if toast.0.tick(time.delta()).is_finished() {
            commands.entity(entity).despawn();
        }
    }
}

/// Says, in every phase, when the picture does not come from a real camera.
fn spawn_source_badge(mut commands: Commands, feed: Option<Res<CameraFeed>>, settings: Res<crate::settings::Settings>) {
    let label = match (&feed, settings.camera.source) {
        (Some(feed), _) if feed.synthetic_fallback => "badge-demo-camera",
        (_, protocol::config::CameraSourceKind::Synthetic) => "badge-synthetic-camera",
        _ => return,
    };
    commands.spawn((
        Name::new("Source badge"),
        Node {
            position_type: PositionType::Absolute,
            left: px(32),
            bottom: px(12),
            padding: UiRect::axes(px(16), px(6)),
            border_radius: BorderRadius::all(px(12)),
            ..default()
        },
        BackgroundColor(PANEL),
        GlobalZIndex(3),
        Pickable::IGNORE,
        children![text(t(label), 22.0, INK)],
    ));
}
