//! Camera plugin: starts the capture thread for the configured source and tracks whether the
//! camera is delivering. It publishes [`CameraFeed`] (the frame slot the mirror reads) and
//! [`CameraHealth`], and writes [`CameraAvailabilityChanged`] when the camera is lost or back.
//!
//! The camera counts as unavailable when the capture thread says so (consecutive errors, open
//! failures) or when no new frame arrived for `camera.stall_timeout_ms` (a hung device).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use bevy::prelude::*;
use camera::{
    CameraShared, CameraStatus, CaptureHandle, CaptureSettings, FormatRequest, FrameSource, SourceFactory,
    device::{CameraLocator, DeviceSource, camera_present},
    faults::{FaultInjector, FaultPlan},
    synthetic::SyntheticSource,
};
use protocol::{
    config::{CameraSection, CameraSourceKind},
    telemetry::UsageEvent,
};

use crate::{settings::Settings, telemetry::Usage};

pub fn plugin(app: &mut App) {
    app.add_message::<CameraAvailabilityChanged>()
        .init_resource::<CameraHealth>()
        .add_systems(PreStartup, start_capture)
        .add_systems(First, track_health);
}

/// The running capture: its shared slot and status.
#[derive(Resource)]
pub struct CameraFeed {
    pub shared: Arc<CameraShared>,
    /// Whether the synthetic scene stands in because no camera was found (demo).
    pub synthetic_fallback: bool,
    /// Whether the picture comes from a real camera (then nothing of it may be saved: scripted
    /// screenshots blank the mirror).
    pub from_camera: bool,
    _capture: CaptureHandle,
}

impl CameraFeed {
    /// The capture pipeline on the synthetic scene (160×90 at 30 fps), for tests; `from_camera`
    /// labels it a device: a fake webcam.
    #[cfg(test)]
    pub fn synthetic_for_tests(from_camera: bool) -> Self {
        let request =
            FormatRequest { formats: vec![protocol::config::PixelFormat::Yuyv], width: 160, height: 90, fps: 30 };
        let source: SourceFactory = Box::new(move || Box::new(SyntheticSource::new(request.clone(), None)));
        let settings = CaptureSettings {
            error_threshold: 3,
            reconnect_initial: Duration::from_millis(50),
            reconnect_max: Duration::from_millis(200),
        };
        Self::start(source, settings, from_camera, false).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the capture thread around `source`.
    pub fn start(
        source: SourceFactory,
        settings: CaptureSettings,
        from_camera: bool,
        synthetic_fallback: bool,
    ) -> std::io::Result<Self> {
        let capture = CaptureHandle::spawn(source, settings)?;
        Ok(CameraFeed { shared: Arc::clone(capture.shared()), synthetic_fallback, from_camera, _capture: capture })
    }
}

/// Whether frames are flowing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Starting,
    Live,
    Unavailable { reason: String },
}

/// Camera health as the rest of the app sees it.
#[derive(Resource, Debug)]
pub struct CameraHealth {
    pub availability: Availability,
    /// Frames per second delivered by the capture thread, over the last second.
    pub fps: f32,
    last_published: u64,
    last_progress: Instant,
    fps_window: (Instant, u64),
    /// When a live camera was lost, until it is back.
    lost_at: Option<Instant>,
}

impl Default for CameraHealth {
    fn default() -> Self {
        let now = Instant::now();
        Self {
            availability: Availability::Starting,
            fps: 0.0,
            last_published: 0,
            last_progress: now,
            fps_window: (now, 0),
            lost_at: None,
        }
    }
}

/// The camera was lost (`available == false`) or came back.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct CameraAvailabilityChanged {
    pub available: bool,
    pub reason: Option<String>,
}

/// Chooses the source for the configuration, whether it is a real camera, and whether it is the
/// synthetic stand-in for a missing camera. `device-or-synthetic` uses the camera only if the
/// system reports one at start.
fn build_source(camera: &CameraSection) -> (SourceFactory, bool, bool) {
    let request = FormatRequest::from(camera);
    let (locator, background) = (CameraLocator::from_config(camera), camera.synthetic_background.clone());
    let use_device = match camera.source {
        CameraSourceKind::Device => true,
        CameraSourceKind::Synthetic => false,
        CameraSourceKind::DeviceOrSynthetic => locator.resolve().is_ok_and(camera_present),
    };
    let fallback = camera.source == CameraSourceKind::DeviceOrSynthetic && !use_device;
    if fallback {
        warn!("no camera at {locator}: the demo uses the synthetic fitting-room scene");
    }
    let plan = FaultPlan::from(&camera.faults);
    if !plan.is_empty() {
        warn!("camera fault injection is on: {plan:?}");
    }
    let factory: SourceFactory = Box::new(move || {
        let source: Box<dyn FrameSource> = if use_device {
            Box::new(DeviceSource::new(locator, request))
        } else {
            Box::new(SyntheticSource::new(request, background))
        };
        if plan.is_empty() { source } else { Box::new(FaultInjector::new(source, plan)) }
    });
    (factory, use_device, fallback)
}

fn start_capture(mut commands: Commands, settings: Res<Settings>) {
    let (source, from_camera, synthetic_fallback) = build_source(&settings.camera);
    match CameraFeed::start(source, CaptureSettings::from(&settings.camera), from_camera, synthetic_fallback) {
        Ok(feed) => commands.insert_resource(feed),
        // Without a thread there is no camera; the health tracker shows it as unavailable.
        Err(e) => error!("cannot start the camera capture thread: {e}"),
    }
}

fn track_health(
    feed: Option<Res<CameraFeed>>,
    settings: Res<Settings>,
    mut health: ResMut<CameraHealth>,
    mut changes: MessageWriter<CameraAvailabilityChanged>,
    mut usage: MessageWriter<Usage>,
) {
    let now = Instant::now();
    let next = match &feed {
        None => Availability::Unavailable { reason: "camera capture could not start".into() },
        Some(feed) => {
            let published = feed.shared.slot.published();
            if published != health.last_published {
                health.last_published = published;
                health.last_progress = now;
            }
            let stalled = now.duration_since(health.last_progress) > settings.camera.stall_timeout();
            match feed.shared.status() {
                CameraStatus::Unavailable { reason } => Availability::Unavailable { reason },
                CameraStatus::Streaming { .. } if stalled => {
                    Availability::Unavailable { reason: "the camera stopped sending frames".into() }
                }
                CameraStatus::Streaming { .. } if published > 0 => Availability::Live,
                CameraStatus::Starting | CameraStatus::Streaming { .. } => Availability::Starting,
            }
        }
    };
    let window = now.duration_since(health.fps_window.0);
    if window >= Duration::from_secs(1) {
        health.fps = (health.last_published - health.fps_window.1) as f32 / window.as_secs_f32();
        health.fps_window = (now, health.last_published);
    }
    if next != health.availability {
        match (&health.availability, &next) {
            (Availability::Live, Availability::Unavailable { reason }) => {
                changes.write(CameraAvailabilityChanged { available: false, reason: Some(reason.clone()) });
                health.lost_at = Some(now);
                usage.write(Usage(UsageEvent::CameraLost));
            }
            (Availability::Unavailable { .. }, Availability::Live) => {
                changes.write(CameraAvailabilityChanged { available: true, reason: None });
                if let Some(lost_at) = health.lost_at.take() {
                    let outage_ms = now.duration_since(lost_at).as_millis().min(u128::from(u64::MAX)) as u64;
                    usage.write(Usage(UsageEvent::CameraRecovered { outage_ms }));
                }
            }
            _ => {}
        }
        health.availability = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::config::KioskConfig;

    /// Every availability change the app announced, and the usage events it wrote, in order.
    #[derive(Resource, Default)]
    struct Announced(Vec<bool>, Vec<UsageEvent>);

    fn app_with(camera: CameraSection) -> App {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(Settings::new(KioskConfig { camera, ..KioskConfig::default() }))
            .init_resource::<Announced>()
            .add_message::<Usage>()
            .add_plugins(plugin)
            .add_systems(
                Update,
                |mut changes: MessageReader<CameraAvailabilityChanged>,
                 mut usage: MessageReader<Usage>,
                 mut announced: ResMut<Announced>| {
                    announced.0.extend(changes.read().map(|c| c.available));
                    announced.1.extend(usage.read().map(|u| u.0.clone()));
                },
            );
        app
    }

    fn run_until(app: &mut App, what: &str, mut done: impl FnMut(&mut App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(app) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            app.update();
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Steps the app until `done`, and returns how long before that moment the last new frame
    /// had arrived: for a lost camera, how long the mirror went without a picture before it said
    /// so (an upper bound, by up to one 10 ms step).
    fn without_frames_until(app: &mut App, what: &str, mut done: impl FnMut(&mut App) -> bool) -> Duration {
        let shared = Arc::clone(&app.world().resource::<CameraFeed>().shared);
        let (mut published, mut new_frame_at) = (shared.slot.published(), Instant::now());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            app.update();
            if shared.slot.published() != published {
                (published, new_frame_at) = (shared.slot.published(), Instant::now());
            }
            if done(app) {
                return new_frame_at.elapsed();
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn availability(app: &App) -> Availability {
        app.world().resource::<CameraHealth>().availability.clone()
    }

    #[test]
    fn synthetic_camera_goes_live_then_unavailable_on_disconnect_then_recovers() {
        let mut camera =
            CameraSection { source: CameraSourceKind::Synthetic, width: 160, height: 90, ..CameraSection::default() };
        camera.faults.disconnect_after_s = Some(0.5);
        camera.faults.disconnect_for_s = 1.0;
        let mut app = app_with(camera);
        run_until(&mut app, "live", |app| availability(app) == Availability::Live);
        let dark = without_frames_until(&mut app, "unavailable", |app| {
            matches!(availability(app), Availability::Unavailable { .. })
        });
        assert!(dark < Duration::from_secs(1), "camera loss must show within 1 s of the last frame, took {dark:?}");
        run_until(&mut app, "live again", |app| availability(app) == Availability::Live);
        app.update();
        let announced = app.world().resource::<Announced>();
        assert_eq!(announced.0, [false, true], "lost, then recovered");
        match announced.1.as_slice() {
            [UsageEvent::CameraLost, UsageEvent::CameraRecovered { outage_ms }] => {
                assert!((500..3000).contains(outage_ms), "the outage lasted about 1 s: {outage_ms} ms");
            }
            other => panic!("expected camera lost then recovered, got {other:?}"),
        }
    }

    #[test]
    fn a_stalled_camera_counts_as_unavailable() {
        let mut camera =
            CameraSection { source: CameraSourceKind::Synthetic, width: 160, height: 90, ..CameraSection::default() };
        // The default stall timeout (800 ms): a hung device shows within a second too.
        camera.faults.stall_after_s = Some(0.3);
        camera.faults.stall_for_s = 2.0;
        let mut app = app_with(camera);
        run_until(&mut app, "live", |app| availability(app) == Availability::Live);
        let dark = without_frames_until(
            &mut app,
            "stall detected",
            |app| matches!(availability(app), Availability::Unavailable { reason } if reason.contains("stopped")),
        );
        assert!(dark < Duration::from_secs(1), "a stall must show within 1 s of the last frame, took {dark:?}");
        run_until(&mut app, "live after the stall", |app| availability(app) == Availability::Live);
    }

    #[test]
    fn a_missing_device_is_unavailable_and_names_it() {
        let camera = CameraSection { source: CameraSourceKind::Device, device_index: 63, ..CameraSection::default() };
        let mut app = app_with(camera);
        run_until(
            &mut app,
            "unavailable",
            |app| matches!(availability(app), Availability::Unavailable { reason } if reason.contains("/dev/video63")),
        );
        let feed = app.world().resource::<CameraFeed>();
        assert!(!feed.synthetic_fallback && feed.from_camera, "a device's picture counts as a camera's");
    }

    #[test]
    fn device_or_synthetic_falls_back_when_no_camera_is_present() {
        let camera = CameraSection {
            source: CameraSourceKind::DeviceOrSynthetic,
            device_index: 63,
            width: 160,
            height: 90,
            ..CameraSection::default()
        };
        let mut app = app_with(camera);
        run_until(&mut app, "live", |app| availability(app) == Availability::Live);
        let feed = app.world().resource::<CameraFeed>();
        assert!(feed.synthetic_fallback && !feed.from_camera, "the stand-in scene is not a camera's picture");
    }
}
