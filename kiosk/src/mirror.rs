//! Mirror plugin: shows the newest camera frame full screen, mirrored and cropped to fill the
//! portrait screen without distortion.
//!
//! One `Image` (RGBA8 sRGB, `RenderAssetUsages::RENDER_WORLD`) lives for the whole run. When a
//! new frame is in the slot, its buffer is *moved* into the image (no copy) and Bevy moves it on
//! to the render world, reusing the GPU texture while the size stays the same. Mirroring and
//! cropping cost nothing on the CPU: the UI node draws the texture with `flip_x` and a crop
//! `rect`. The mirror never waits for the camera: without a new frame it keeps the last one.

use std::time::{Duration, Instant};

use bevy::{
    asset::RenderAssetUsages,
    diagnostic::FrameCount,
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
    window::PrimaryWindow,
};
use camera::crop::cover_crop;

use crate::{
    camera::CameraFeed,
    session::{KioskPhase, PrivacyWipe},
    settings::Settings,
};

pub fn plugin(app: &mut App) {
    app.init_resource::<MirrorStats>()
        .init_resource::<MirrorBlank>()
        .init_resource::<ScreenshotSlot>()
        .add_systems(Startup, spawn_mirror)
        .add_systems(Update, (wipe_on_session_end, show_newest_frame, fit_to_screen, dim_by_phase).chain());
}

/// Brightness of the mirror on the attract screen (it runs dimmed behind "Touch to start").
use crate::ui::theme::ATTRACT_DIM;

/// The mirror's texture.
#[derive(Resource)]
pub struct MirrorTexture(pub Handle<Image>);

/// Marks the full-screen node that shows the mirror.
#[derive(Component)]
pub struct MirrorView;

/// While above zero the mirror shows nothing: the number of screenshots under way that must not
/// contain camera pixels (scripted screenshots of a real camera, every remote screenshot).
#[derive(Resource, Debug, Default)]
pub struct MirrorBlank(pub u32);

/// At most one screenshot of the window a frame, shared by everyone who takes them (scripts,
/// remote commands): Bevy drops a second screenshot of the same target in the same frame, and
/// its observer never runs, so its upload would never be acknowledged and its blank never lifted.
#[derive(Resource, Debug, Default)]
pub struct ScreenshotSlot {
    taken_in: Option<u32>,
}

impl ScreenshotSlot {
    /// Claims this frame's screenshot; false if someone already did (try again next frame).
    pub fn take(&mut self, frame: FrameCount) -> bool {
        if self.taken_in == Some(frame.0) {
            return false;
        }
        self.taken_in = Some(frame.0);
        true
    }
}

/// What the mirror has shown, for the diagnostics overlay, health and the watchdog.
#[derive(Resource, Debug, Default)]
pub struct MirrorStats {
    pub frames_shown: u64,
    /// Capture → upload of the newest frame shown.
    pub last_frame_age: Duration,
    /// When the newest frame was shown (the watchdog checks frames keep coming).
    pub last_shown_at: Option<Instant>,
    /// Frames the capture thread delivered that the mirror never showed (it was busier).
    pub frames_skipped: u64,
    last_seq: Option<u64>,
}

fn black_image(width: u32, height: u32) -> Image {
    Image::new_fill(
        Extent3d { width, height, depth_or_array_layers: 1 },
        TextureDimension::D2,
        &[0, 0, 0, 255],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    )
}

fn spawn_mirror(mut commands: Commands, mut images: ResMut<Assets<Image>>, settings: Res<Settings>) {
    let handle = images.add(black_image(settings.camera.width, settings.camera.height));
    commands.insert_resource(MirrorTexture(handle.clone()));
    commands.spawn((
        Name::new("Mirror"),
        MirrorView,
        Node { position_type: PositionType::Absolute, width: percent(100), height: percent(100), ..default() },
        ImageNode { image: handle, flip_x: settings.camera.mirror, image_mode: NodeImageMode::Stretch, ..default() },
        // Behind every other UI root, whatever the spawn order.
        GlobalZIndex(-1),
    ));
}

fn show_newest_frame(
    feed: Option<Res<CameraFeed>>,
    texture: Res<MirrorTexture>,
    mut images: ResMut<Assets<Image>>,
    mut stats: ResMut<MirrorStats>,
    time: Res<Time<Real>>,
) {
    let Some(frame) = feed.and_then(|feed| feed.shared.slot.take()) else { return };
    let Some(mut image) = images.get_mut(&texture.0) else { return };
    let size = Extent3d { width: frame.width, height: frame.height, depth_or_array_layers: 1 };
    if image.texture_descriptor.size != size {
        *image = black_image(frame.width, frame.height);
    }
    image.data = Some(frame.rgba);
    stats.frames_shown += 1;
    if stats.frames_shown == 1 {
        // How long a (re)start takes until the shopper sees themselves (README: Running for weeks).
        info!("mirror: first camera frame on screen {:.2} s after the app started", time.elapsed_secs_f64());
    }
    stats.last_shown_at = Some(Instant::now());
    stats.last_frame_age = Instant::now().saturating_duration_since(frame.captured_at);
    if let Some(last) = stats.last_seq {
        stats.frames_skipped += frame.seq.saturating_sub(last + 1);
    }
    stats.last_seq = Some(frame.seq);
}

/// Crops the frame to the screen's aspect ratio ("cover").
fn fit_to_screen(
    windows: Query<&Window, With<PrimaryWindow>>,
    texture: Res<MirrorTexture>,
    images: Res<Assets<Image>>,
    mut views: Query<&mut ImageNode, With<MirrorView>>,
) {
    let (Ok(window), Some(image)) = (windows.single(), images.get(&texture.0)) else { return };
    let size = image.texture_descriptor.size;
    let crop = cover_crop(size.width, size.height, window.width(), window.height());
    let rect = Rect::new(crop.x, crop.y, crop.x + crop.width, crop.y + crop.height);
    for mut view in &mut views {
        if view.rect != Some(rect) {
            view.rect = Some(rect);
        }
    }
}

fn dim_by_phase(
    phase: Res<State<KioskPhase>>,
    blank: Res<MirrorBlank>,
    mut views: Query<(&mut ImageNode, &mut Visibility), With<MirrorView>>,
) {
    if !phase.is_changed() && !blank.is_changed() {
        return;
    }
    for (mut view, mut visibility) in &mut views {
        view.color = match phase.get() {
            KioskPhase::Attract => Color::srgb(ATTRACT_DIM, ATTRACT_DIM, ATTRACT_DIM),
            _ => Color::WHITE,
        };
        // Out of service shows no camera image at all.
        let hidden = blank.0 > 0 || *phase.get() == KioskPhase::Maintenance;
        *visibility = if hidden { Visibility::Hidden } else { Visibility::Inherited };
    }
}

/// Drops the frame waiting in the slot and blanks the texture.
fn wipe_on_session_end(
    mut wipes: MessageReader<PrivacyWipe>,
    feed: Option<Res<CameraFeed>>,
    texture: Res<MirrorTexture>,
    mut images: ResMut<Assets<Image>>,
    mut stats: ResMut<MirrorStats>,
) {
    if wipes.read().count() == 0 {
        return;
    }
    if let Some(feed) = feed {
        feed.shared.slot.clear();
    }
    if let Some(mut image) = images.get_mut(&texture.0) {
        let size = image.texture_descriptor.size;
        *image = black_image(size.width, size.height);
    }
    stats.last_seq = None;
    debug!("mirror wiped");
}

#[cfg(test)]
mod tests {
    use bevy::state::app::StatesPlugin;
    use protocol::config::{CameraSection, CameraSourceKind, KioskConfig};

    use super::*;

    #[test]
    fn one_screenshot_a_frame() {
        let mut slot = ScreenshotSlot::default();
        assert!(slot.take(FrameCount(7)));
        assert!(!slot.take(FrameCount(7)), "a second screenshot in the same frame would be dropped by Bevy");
        assert!(slot.take(FrameCount(8)));
    }

    fn app() -> App {
        let camera = CameraSection {
            source: CameraSourceKind::Synthetic,
            width: 64,
            height: 36,
            fps: 60,
            ..CameraSection::default()
        };
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin, AssetPlugin::default(), ImagePlugin::default()))
            .insert_resource(Settings::new(KioskConfig { camera, ..KioskConfig::default() }))
            .init_state::<KioskPhase>()
            .add_message::<PrivacyWipe>()
            .add_message::<crate::telemetry::Usage>()
            .add_plugins((crate::camera::plugin, plugin));
        app
    }

    fn texture_pixels(app: &App) -> Option<Vec<u8>> {
        let handle = &app.world().resource::<MirrorTexture>().0;
        app.world().resource::<Assets<Image>>().get(handle).and_then(|i| i.data.clone())
    }

    fn update_until(app: &mut App, what: &str, mut done: impl FnMut(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(app) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            app.update();
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn camera_frames_reach_the_texture_and_a_wipe_blanks_it() {
        let mut app = app();
        update_until(&mut app, "frames shown", |app| app.world().resource::<MirrorStats>().frames_shown >= 3);
        let pixels = texture_pixels(&app).unwrap_or_default();
        assert_eq!(pixels.len(), 64 * 36 * 4);
        assert!(pixels.chunks_exact(4).any(|p| p[0] > 100), "the scene must be in the texture");

        // Stop new frames landing between the wipe and the check by wiping in the same update.
        app.world_mut().remove_resource::<CameraFeed>();
        app.world_mut().write_message(PrivacyWipe);
        app.update();
        let pixels = texture_pixels(&app).unwrap_or_default();
        assert_eq!(pixels.len(), 64 * 36 * 4);
        assert!(pixels.chunks_exact(4).all(|p| p == [0, 0, 0, 255]), "the wipe must blank the mirror");
    }

    #[test]
    fn the_view_is_mirrored_per_config_and_dimmed_in_attract() {
        let mut app = app();
        app.update();
        app.update();
        let mut views = app.world_mut().query_filtered::<&ImageNode, With<MirrorView>>();
        let view = views.single(app.world());
        let Ok(view) = view else { panic!("one mirror view") };
        assert!(view.flip_x);
        assert_eq!(view.color, Color::srgb(ATTRACT_DIM, ATTRACT_DIM, ATTRACT_DIM));
    }
}
