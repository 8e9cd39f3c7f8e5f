//! Diagnostics overlay (F3 or `--diagnostics`): render fps, camera fps, frame age from capture
//! to upload, and dropped frames.

use bevy::{
    diagnostic::{DiagnosticsStore, FrameTimeDiagnosticsPlugin},
    prelude::*,
};

use crate::{
    camera::{Availability, CameraFeed, CameraHealth},
    mirror::MirrorStats,
    settings::Settings,
    ui::theme::{INK, PANEL},
};

pub fn plugin(app: &mut App) {
    if !app.is_plugin_added::<FrameTimeDiagnosticsPlugin>() {
        app.add_plugins(FrameTimeDiagnosticsPlugin::default());
    }
    app.add_message::<ToggleDiagnostics>()
        .add_systems(Startup, spawn_overlay)
        .add_systems(Update, (toggle, refresh).chain());
}

/// Show or hide the overlay.
#[derive(Message, Debug, Clone, Copy)]
pub struct ToggleDiagnostics;

#[derive(Component)]
struct Overlay;

fn spawn_overlay(mut commands: Commands, settings: Res<Settings>) {
    commands.spawn((
        Name::new("Diagnostics"),
        Overlay,
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            top: px(24),
            padding: UiRect::all(px(16)),
            ..default()
        },
        BackgroundColor(PANEL),
        GlobalZIndex(20),
        Pickable::IGNORE,
        if settings.diagnostics.visible { Visibility::Inherited } else { Visibility::Hidden },
        Text::new(""),
        TextFont::from_font_size(26.0),
        TextColor(INK),
    ));
}

fn toggle(
    keys: Res<ButtonInput<KeyCode>>,
    mut requests: MessageReader<ToggleDiagnostics>,
    mut overlays: Query<&mut Visibility, With<Overlay>>,
) {
    let flips = requests.read().count() + usize::from(keys.just_pressed(KeyCode::F3));
    if flips % 2 == 1 {
        for mut visibility in &mut overlays {
            *visibility = match *visibility {
                Visibility::Hidden => Visibility::Inherited,
                _ => Visibility::Hidden,
            };
        }
    }
}

fn refresh(
    store: Res<DiagnosticsStore>,
    health: Res<CameraHealth>,
    feed: Option<Res<CameraFeed>>,
    stats: Res<MirrorStats>,
    mut overlays: Query<(&mut Text, &Visibility), With<Overlay>>,
) {
    let render_fps = store.get(&FrameTimeDiagnosticsPlugin::FPS).and_then(|d| d.smoothed()).unwrap_or(0.0);
    let camera = match &health.availability {
        Availability::Live => "live".to_string(),
        Availability::Starting => "starting".to_string(),
        Availability::Unavailable { reason } => format!("unavailable: {reason}"),
    };
    let (failed, reopens) = feed.map(|f| (f.shared.failed_reads(), f.shared.reopen_attempts())).unwrap_or((0, 0));
    let label = format!(
        "render  {render_fps:5.1} fps\ncamera  {:5.1} fps  ({camera})\nframe age  {:4.0} ms  capture to upload\nshown  {}  dropped  {}  ({} not shown, {failed} failed reads)\ncamera reopened  {reopens}x",
        health.fps,
        stats.last_frame_age.as_secs_f32() * 1000.0,
        stats.frames_shown,
        stats.frames_skipped + failed,
        stats.frames_skipped,
    );
    for (mut text, visibility) in &mut overlays {
        if *visibility != Visibility::Hidden && text.0 != label {
            text.0.clone_from(&label);
        }
    }
}
