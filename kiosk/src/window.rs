//! The kiosk window: borderless full screen (or a window for development), hidden cursor,
//! continuous updates and a one-frame swap chain for the lowest camera-to-glass latency.

use std::num::NonZero;

use bevy::{
    app::PluginGroupBuilder,
    prelude::*,
    window::{CursorOptions, ExitCondition, MonitorSelection, PresentMode, WindowMode, WindowResolution},
    winit::WinitSettings,
};
use protocol::config::{KioskConfig, WindowMode as ConfigWindowMode};

/// Bevy's default plugins, configured for a kiosk.
pub fn default_plugins(config: &KioskConfig) -> PluginGroupBuilder {
    let display = &config.display;
    let fullscreen = display.mode == ConfigWindowMode::Fullscreen;
    let window = Window {
        title: format!("Mirror · {}", config.kiosk.id),
        mode: if fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
        } else {
            WindowMode::Windowed
        },
        resolution: WindowResolution::new(display.windowed_width, display.windowed_height),
        present_mode: PresentMode::AutoVsync,
        desired_maximum_frame_latency: NonZero::new(1),
        ..default()
    };
    DefaultPlugins.set(WindowPlugin {
        primary_window: Some(window),
        primary_cursor_options: Some(CursorOptions { visible: !fullscreen, ..default() }),
        exit_condition: ExitCondition::OnPrimaryClosed,
        // A shopper must not be able to close the mirror; systemd stops it with a signal.
        close_when_requested: !fullscreen,
    })
}

/// Keeps the app updating every frame even without input, so the mirror never freezes.
pub fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings::continuous());
}
