//! Remote plugin: carries out [`RemoteCommand`]s and desired configurations from the fleet, and
//! owns what they change on screen: brightness (a dimming layer) and the identify flash
//! (`set_lighting` is the lights plugin's). Every command ends in exactly one [`CommandFinished`].
//!
//! - end session / maintenance → the session plugin's messages (maintenance shows "Out of service"
//!   and ignores touches);
//! - reload config / desired config → the file is read again with the command-line overrides and
//!   the desired values on top, validated, and only then replaces [`Settings`]; a bad one is
//!   refused with the key at fault and the last good configuration stays;
//! - screenshot → the mirror is blanked first, so no camera pixel is ever in it; the PNG goes to
//!   `remote.screenshot_upload_url` over HTTPS from a background thread, never over MQTT;
//! - restart → the app exits with [`RESTART_EXIT_CODE`] and systemd starts it again.
//!
//! `refresh_catalog` is answered by the products plugin, which owns the catalog.

use std::{
    sync::{Mutex, mpsc},
    time::{Duration, Instant},
};

use bevy::{
    diagnostic::FrameCount,
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
};
use protocol::{
    command::{AckStatus, Action, DesiredConfig, ReportedConfig},
    config::KioskConfig,
    telemetry::{ErrorCode, Ident, SCHEMA_VERSION, UsageEvent, now_ms},
};

use crate::{
    mirror::{MirrorBlank, MirrorView, ScreenshotSlot},
    session::{EndSessionRequested, SetMaintenance},
    settings::{ConfigSource, Settings},
    telemetry::{CommandFinished, ConfigReported, DesiredConfigReceived, RemoteCommand, Usage},
};

/// Exit status that asks the service manager for a restart (EX_TEMPFAIL).
pub const RESTART_EXIT_CODE: u8 = 75;

pub fn plugin(app: &mut App) {
    app.init_resource::<DisplayEffects>()
        .init_resource::<DesiredOverrides>()
        .init_resource::<PendingScreenshots>()
        .add_systems(Startup, spawn_effect_layers)
        .add_systems(
            Update,
            (handle_commands, apply_desired_config, take_screenshots, finish_uploads, show_effects).chain(),
        );
}

/// What remote commands set on the screen.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct DisplayEffects {
    /// 10–100.
    pub brightness_percent: u8,
    pub identify_until: Option<Instant>,
}

impl Default for DisplayEffects {
    fn default() -> Self {
        Self { brightness_percent: 100, identify_until: None }
    }
}

/// The desired configuration last received, applied on top of the file by every reload.
#[derive(Resource, Debug, Default)]
struct DesiredOverrides(Option<DesiredConfig>);

/// A finished upload: the command id and the ack's result or the reason it failed.
type UploadOutcome = (Ident, Result<serde_json::Value, String>);

/// Screenshots asked for and uploads under way.
#[derive(Resource)]
struct PendingScreenshots {
    /// Waiting for the mirror to be hidden on screen: (command id, frames waited).
    waiting: Vec<(Ident, u32)>,
    /// Upload threads report here.
    sender: mpsc::Sender<UploadOutcome>,
    results: Mutex<mpsc::Receiver<UploadOutcome>>,
}

impl Default for PendingScreenshots {
    fn default() -> Self {
        let (sender, results) = mpsc::channel();
        Self { waiting: Vec::new(), sender, results: Mutex::new(results) }
    }
}

#[allow(clippy::too_many_arguments)]
fn handle_commands(
    mut commands: MessageReader<RemoteCommand>,
    mut finished: MessageWriter<CommandFinished>,
    mut end: MessageWriter<EndSessionRequested>,
    mut maintenance: MessageWriter<SetMaintenance>,
    mut effects: ResMut<DisplayEffects>,
    mut screenshots: ResMut<PendingScreenshots>,
    mut blank: ResMut<MirrorBlank>,
    mut exit: MessageWriter<AppExit>,
    mut reload: ReloadParams,
    desired: Res<DesiredOverrides>,
) {
    for RemoteCommand(command) in commands.read() {
        let id = command.id.clone();
        let name = command.action.name();
        let done = |result: Option<serde_json::Value>| CommandFinished {
            id: id.clone(),
            action: name,
            status: AckStatus::Done,
            reason: None,
            result,
        };
        let outcome = match &command.action {
            Action::EndSession {} => {
                end.write(EndSessionRequested::Remote);
                Some(done(None))
            }
            Action::Maintenance { on } => {
                maintenance.write(SetMaintenance(*on));
                Some(done(None))
            }
            Action::ReloadConfig {} => Some(match reload.reload(desired.0.as_ref()) {
                Ok(result) => done(Some(result)),
                Err(reason) => failed(&id, name, reason),
            }),
            // The products plugin owns the catalog and answers when the refresh ends.
            Action::RefreshCatalog {} => None,
            Action::Identify { seconds } => {
                effects.identify_until = Some(Instant::now() + Duration::from_secs(u64::from(*seconds)));
                Some(done(None))
            }
            Action::SetBrightness { percent } => {
                effects.brightness_percent = *percent;
                Some(done(None))
            }
            // The lights plugin owns the lights and answers once the hardware took the scene.
            Action::SetLighting { .. } => None,
            Action::Screenshot {} => {
                if reload.settings.remote.screenshot_upload_url.is_empty() {
                    Some(failed(&id, name, "remote.screenshot_upload_url is not configured".into()))
                } else {
                    blank.0 += 1;
                    screenshots.waiting.push((id.clone(), 0));
                    None
                }
            }
            Action::Restart {} => {
                exit.write(AppExit::from_code(RESTART_EXIT_CODE));
                Some(done(None))
            }
        };
        if let Some(outcome) = outcome {
            finished.write(outcome);
        }
    }
}

fn failed(id: &Ident, action: &'static str, reason: String) -> CommandFinished {
    CommandFinished { id: id.clone(), action, status: AckStatus::Failed, reason: Some(reason), result: None }
}

/// What a configuration reload needs.
#[derive(bevy::ecs::system::SystemParam)]
struct ReloadParams<'w> {
    settings: ResMut<'w, Settings>,
    source: Res<'w, ConfigSource>,
}

impl ReloadParams<'_> {
    /// Loads file + command line + desired values; replaces the settings only if valid.
    fn reload(&mut self, desired: Option<&DesiredConfig>) -> Result<serde_json::Value, String> {
        let next = load(&self.source, desired)?;
        let needs_restart = restart_needed(&self.settings, &next);
        *self.settings = Settings::new(next);
        Ok(serde_json::json!({ "needs_restart": needs_restart }))
    }
}

fn load(source: &ConfigSource, desired: Option<&DesiredConfig>) -> Result<KioskConfig, String> {
    let mut overrides = source.overrides.clone();
    if let Some(desired) = desired {
        overrides.extend(desired.as_overrides()?);
    }
    KioskConfig::load(source.path.as_deref(), &overrides).map_err(|e| e.to_string())
}

/// Sections and keys that changed but are only read at start.
fn restart_needed(old: &KioskConfig, new: &KioskConfig) -> Vec<String> {
    let checks = [
        ("kiosk.id", old.kiosk.id != new.kiosk.id),
        ("kiosk.store", old.kiosk.store != new.kiosk.store),
        ("display", old.display != new.display),
        ("camera", old.camera != new.camera),
        ("share", old.share != new.share),
        ("telemetry", old.telemetry != new.telemetry),
    ];
    checks.into_iter().filter(|(_, changed)| *changed).map(|(key, _)| key.to_string()).collect()
}

fn apply_desired_config(
    mut received: MessageReader<DesiredConfigReceived>,
    mut reload: ReloadParams,
    mut desired_store: ResMut<DesiredOverrides>,
    mut reports: MessageWriter<ConfigReported>,
    mut usage: MessageWriter<Usage>,
) {
    for DesiredConfigReceived(desired) in received.read() {
        let kiosk = Ident::new(&reload.settings.kiosk.id);
        let outcome = load(&reload.source, Some(desired));
        let (applied, error, needs_restart) = match outcome {
            Ok(next) => {
                let needs_restart = restart_needed(&reload.settings, &next);
                *reload.settings = Settings::new(next);
                desired_store.0 = Some(desired.clone());
                info!("desired configuration {} applied", desired.revision);
                (true, None, needs_restart)
            }
            Err(e) => {
                warn!("desired configuration {} refused, keeping the last good one: {e}", desired.revision);
                usage.write(Usage(UsageEvent::Error { code: ErrorCode::ConfigRejected }));
                (false, Some(e), Vec::new())
            }
        };
        let Ok(kiosk) = kiosk else { continue };
        reports.write(ConfigReported(ReportedConfig {
            v: SCHEMA_VERSION,
            kiosk,
            revision: Some(desired.revision.clone()),
            applied,
            error,
            needs_restart,
            at_ms: now_ms(),
        }));
    }
}

/// Spawns each screenshot once the mirror is hidden on screen (so the frame it captures has no
/// camera pixels), then hands the image to an upload thread.
fn take_screenshots(
    mut commands: Commands,
    mut pending: ResMut<PendingScreenshots>,
    views: Query<&Visibility, With<MirrorView>>,
    settings: Res<Settings>,
    (mut slot, frame): (ResMut<ScreenshotSlot>, Res<FrameCount>),
) {
    if pending.waiting.is_empty() {
        return;
    }
    let mirror_hidden = views.iter().all(|v| *v == Visibility::Hidden);
    let sender = pending.sender.clone();
    let waiting = std::mem::take(&mut pending.waiting);
    for (id, frames) in waiting {
        // One whole frame with the mirror hidden before the capture.
        if !mirror_hidden || frames < 1 {
            pending.waiting.push((id, frames + 1));
            continue;
        }
        if !slot.take(*frame) {
            pending.waiting.push((id, frames));
            continue;
        }
        let upload = Upload {
            url: settings.remote.screenshot_upload_url.clone(),
            token: settings.remote.screenshot_upload_token.clone(),
            kiosk: settings.kiosk.id.clone(),
            ca_file: settings.telemetry.ca_file.clone(),
        };
        let sender = sender.clone();
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>, mut blank: ResMut<MirrorBlank>| {
                blank.0 = blank.0.saturating_sub(1);
                let image = captured.image.clone();
                let (id, upload, sender) = (id.clone(), upload.clone(), sender.clone());
                std::thread::spawn(move || {
                    let _ = sender.send((id, upload.send(image)));
                });
            },
        );
    }
}

fn finish_uploads(
    pending: Res<PendingScreenshots>,
    mut finished: MessageWriter<CommandFinished>,
    mut usage: MessageWriter<Usage>,
) {
    let Ok(results) = pending.results.lock() else { return };
    while let Ok((id, result)) = results.try_recv() {
        finished.write(match result {
            Ok(result) => CommandFinished {
                id,
                action: "screenshot",
                status: AckStatus::Done,
                reason: None,
                result: Some(result),
            },
            Err(reason) => {
                usage.write(Usage(UsageEvent::Error { code: ErrorCode::ScreenshotFailed }));
                failed(&id, "screenshot", reason)
            }
        });
    }
}

/// Where and how a screenshot goes.
#[derive(Debug, Clone)]
struct Upload {
    url: String,
    token: String,
    kiosk: String,
    ca_file: String,
}

impl Upload {
    /// Encodes the PNG and POSTs it; blocking (runs on its own thread).
    fn send(&self, image: Image) -> Result<serde_json::Value, String> {
        let rgb = image.try_into_dynamic().map_err(|e| format!("screenshot: {e}"))?.to_rgb8();
        let (width, height) = rgb.dimensions();
        let mut png = Vec::new();
        rgb.write_to(&mut std::io::Cursor::new(&mut png), ::image::ImageFormat::Png).map_err(|e| e.to_string())?;
        let bytes = png.len();
        let tls = telemetry::tls::client_config(&self.ca_file, "telemetry.ca_file", None)?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        let status = runtime.block_on(async {
            let client = reqwest::Client::builder()
                .use_preconfigured_tls((*tls).clone())
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| e.to_string())?;
            let mut request =
                client.post(&self.url).header("content-type", "image/png").header("x-kiosk-id", &self.kiosk).body(png);
            if !self.token.is_empty() {
                request = request.bearer_auth(&self.token);
            }
            let response = request.send().await.map_err(|e| format!("upload to {}: {e}", self.url))?;
            Ok::<_, String>(response.status())
        })?;
        if !status.is_success() {
            return Err(format!("upload to {} answered {status}", self.url));
        }
        Ok(serde_json::json!({ "bytes": bytes, "width": width, "height": height, "http_status": status.as_u16() }))
    }
}

#[derive(Component)]
struct DimLayer;

#[derive(Component)]
struct IdentifyLayer;

type IdentifyParts = (&'static mut Visibility, &'static mut BackgroundColor);
type OnlyIdentify = (With<IdentifyLayer>, Without<DimLayer>);

fn spawn_effect_layers(mut commands: Commands, settings: Res<Settings>) {
    let full =
        || Node { position_type: PositionType::Absolute, width: percent(100), height: percent(100), ..default() };
    commands.spawn((
        Name::new("Identify"),
        IdentifyLayer,
        Node { justify_content: JustifyContent::Center, align_items: AlignItems::Center, ..full() },
        BackgroundColor(Color::WHITE),
        GlobalZIndex(40),
        Visibility::Hidden,
        Pickable::IGNORE,
        children![(
            Text::new(format!("{}\n{}", settings.kiosk.id, settings.kiosk.store)),
            TextFont::from_font_size(96.0),
            TextColor(Color::BLACK),
            TextLayout::justify(Justify::Center),
        )],
    ));
    // Above everything: dims the whole picture, as a backlight would. Touches go through these
    // layers to the controls under them.
    commands.spawn((
        Name::new("Brightness"),
        DimLayer,
        full(),
        BackgroundColor(Color::NONE),
        GlobalZIndex(50),
        Pickable::IGNORE,
    ));
}

fn show_effects(
    time: Res<Time<Real>>,
    effects: Res<DisplayEffects>,
    mut dim: Query<&mut BackgroundColor, With<DimLayer>>,
    mut identify: Query<IdentifyParts, OnlyIdentify>,
) {
    let now = Instant::now();
    let identifying = effects.identify_until.is_some_and(|until| now < until);
    if let Ok((mut visibility, mut background)) = identify.single_mut() {
        let wanted = if identifying { Visibility::Inherited } else { Visibility::Hidden };
        visibility.set_if_neq(wanted);
        if identifying {
            // Flash twice a second between white and the brand accent.
            let on = (time.elapsed().as_millis() / 500).is_multiple_of(2);
            background.0 = if on { Color::WHITE } else { Color::srgb(1.0, 0.8, 0.1) };
        }
    }
    if !effects.is_changed() {
        return;
    }
    if let Ok(mut color) = dim.single_mut() {
        color.0 = Color::BLACK.with_alpha(1.0 - f32::from(effects.brightness_percent.clamp(10, 100)) / 100.0);
    }
}
