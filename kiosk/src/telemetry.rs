//! Telemetry plugin: owns the MQTT [`Link`] and its outbox. Features write [`Usage`] messages; this
//! plugin writes them to the outbox at the end of the frame, publishes [`Health`] on a timer and
//! keeps the retained status's maintenance flag current. Commands and desired configurations that
//! arrive are handed on as [`RemoteCommand`] and [`DesiredConfigReceived`]; their outcomes come back
//! as [`CommandFinished`] and [`ConfigReported`] and are published. Size requests for the store's
//! staff ([`ToStaffMessage`]) go through the same outbox; staff replies come back as
//! [`StaffReplyReceived`].
//!
//! Without a usable broker configuration or outbox directory the kiosk still runs: the problem is
//! logged with the key at fault and telemetry stays off.

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use bevy::{
    diagnostic::{DiagnosticsStore, FrameTimeDiagnosticsPlugin},
    prelude::*,
};
use protocol::{
    command::{AckStatus, Command, CommandAck, DesiredConfig, ReportedConfig},
    config::{KioskConfig, LightingController, TelemetrySection},
    lighting::LightsState,
    mqtt_url::BrokerUrl,
    requests::{StaffReply, ToStaff},
    telemetry::{CameraState, Health, Ident, SCHEMA_VERSION, SessionId, UsageEvent, now_ms},
};
use telemetry::{
    link::{BrokerSettings, Identity, Inbound, Link, Target},
    outbox::{Outbox, OutboxLimits},
    process::ProcessMonitor,
    tls::{ClientIdentity, client_config},
};

use crate::{
    camera::{Availability, CameraHealth},
    lifecycle::HowStarted,
    mirror::MirrorStats,
    session::KioskPhase,
    settings::Settings,
    share::SharePhase,
};

pub fn plugin(app: &mut App) {
    app.add_message::<Usage>()
        .add_message::<RemoteCommand>()
        .add_message::<CommandFinished>()
        .add_message::<DesiredConfigReceived>()
        .add_message::<ConfigReported>()
        .add_message::<ToStaffMessage>()
        .add_message::<StaffReplyReceived>()
        .add_message::<ClearStaffReply>()
        .add_systems(PreStartup, start_link)
        .add_systems(PreUpdate, receive_remote.run_if(resource_exists::<TelemetryLink>))
        .add_systems(
            Last,
            (record_usage, send_to_staff, publish_outcomes, publish_health, report_maintenance)
                .run_if(resource_exists::<TelemetryLink>),
        );
}

/// Something worth counting happened; any plugin writes these.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Usage(pub UsageEvent);

/// A validated, unexpired command for the plugin that owns the action.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct RemoteCommand(pub Command);

/// How a [`RemoteCommand`] ended; published as its ack.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct CommandFinished {
    pub id: Ident,
    pub action: &'static str,
    pub status: AckStatus,
    pub reason: Option<String>,
    pub result: Option<serde_json::Value>,
}

/// The fleet's desired configuration arrived (or changed).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct DesiredConfigReceived(pub DesiredConfig);

/// What became of a desired configuration; published retained.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ConfigReported(pub ReportedConfig);

/// A message for the store's staff (a size request, reminder or cancellation).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ToStaffMessage(pub ToStaff);

/// An associate answered one of this kiosk's requests; `topic` is where the retained reply lies.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct StaffReplyReceived {
    pub reply: StaffReply,
    pub topic: String,
}

/// The kiosk has dealt with the retained reply on this topic: clear it on the broker.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ClearStaffReply(pub String);

/// The running link, with what health needs.
#[derive(Resource)]
pub struct TelemetryLink {
    link: Link,
    process: ProcessMonitor,
    next_health: Instant,
    started: Instant,
}

/// Where the outbox and spool live: `telemetry.data_dir`, else systemd's `$STATE_DIRECTORY`,
/// else `~/.local/state/smart-mirror`.
pub fn data_dir(section: &TelemetrySection) -> PathBuf {
    if !section.data_dir.is_empty() {
        return PathBuf::from(&section.data_dir);
    }
    if let Some(state) = std::env::var_os("STATE_DIRECTORY").filter(|s| !s.is_empty()) {
        return PathBuf::from(state);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".local/state/smart-mirror")
}

/// Builds the link's target from configuration; errors name the key.
pub(crate) fn target(config: &KioskConfig) -> Result<Target, String> {
    let t = &config.telemetry;
    if t.broker_url.is_empty() {
        return Ok(Target::Spool(data_dir(t).join("telemetry-spool.jsonl")));
    }
    let url = BrokerUrl::parse(&t.broker_url).map_err(|e| format!("telemetry.broker_url: {e}"))?;
    let identity = (!t.client_cert_file.is_empty())
        .then_some(ClientIdentity { cert_file: &t.client_cert_file, key_file: &t.client_key_file });
    let tls = if url.tls { Some(client_config(&t.ca_file, "telemetry.ca_file", identity)?) } else { None };
    let username =
        if t.username.is_empty() && !t.password.is_empty() { config.kiosk.id.clone() } else { t.username.clone() };
    Ok(Target::Broker(BrokerSettings {
        url,
        username,
        password: t.password.clone(),
        tls,
        keep_alive: Duration::from_secs(u64::from(t.keep_alive_s)),
        reconnect_initial: Duration::from_millis(t.reconnect_initial_ms),
        reconnect_max: Duration::from_millis(t.reconnect_max_ms),
    }))
}

fn start_link(mut commands: Commands, settings: Res<Settings>) {
    let config: &KioskConfig = &settings;
    let started = (|| -> Result<Link, String> {
        let identity = Identity {
            kiosk: Ident::new(&config.kiosk.id).map_err(|e| format!("kiosk.id: {e}"))?,
            store: Ident::new(&config.kiosk.store).map_err(|e| format!("kiosk.store: {e}"))?,
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let target = target(config)?;
        let dir = data_dir(&config.telemetry).join("outbox");
        let limits = OutboxLimits::with_max_bytes(u64::from(config.telemetry.outbox_max_mb) << 20);
        let (outbox, report) = Outbox::open(&dir, limits).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
        info!("telemetry: outbox {} holds {} unsent events", dir.display(), report.pending);
        for name in &report.set_aside {
            warn!("telemetry: damaged outbox data set aside as {}/corrupt/{name}", dir.display());
        }
        Link::start(identity, target, outbox).map_err(|e| format!("cannot start the MQTT link: {e}"))
    })();
    match started {
        Ok(link) => {
            let now = Instant::now();
            commands.insert_resource(TelemetryLink {
                link,
                process: ProcessMonitor::new(),
                next_health: now + Duration::from_secs(2),
                started: now,
            });
        }
        Err(e) => error!("telemetry is off: {e}"),
    }
}

/// The shopper's session the kiosk is recording for, and how many more frames it lasts once
/// ended (what the end sets off, a share's `share_ended`, lands in the same or the next frame).
#[derive(Default)]
struct CurrentSession {
    id: Option<SessionId>,
    frames_after_end: Option<u8>,
}

/// Records the frame's usage events, each with the shopper's session it happened in: a random
/// id drawn at `session_started` and dropped a frame after `session_ended`, so analytics can
/// group a session's events and nothing links one shopper's sessions.
fn record_usage(telemetry: Res<TelemetryLink>, mut usage: MessageReader<Usage>, mut session: Local<CurrentSession>) {
    match session.frames_after_end {
        Some(0) => *session = CurrentSession::default(),
        Some(n) => session.frames_after_end = Some(n - 1),
        None => {}
    }
    let at = now_ms();
    let mut events: Vec<(UsageEvent, u64, Option<SessionId>)> = Vec::new();
    for Usage(event) in usage.read() {
        if matches!(event, UsageEvent::SessionStarted) {
            *session = CurrentSession { id: Some(SessionId::random()), frames_after_end: None };
        }
        events.push((event.clone(), at, session.id));
        if matches!(event, UsageEvent::SessionEnded { .. }) {
            session.frames_after_end = Some(1);
        }
    }
    if events.is_empty() {
        return;
    }
    let kinds: Vec<&str> = events.iter().map(|(e, ..)| e.kind()).collect();
    match telemetry.link.record(events) {
        Ok(seqs) => debug!("telemetry: recorded {kinds:?} as #{seqs:?}"),
        Err(e) => error!("telemetry: cannot write {kinds:?} to the outbox: {e}"),
    }
}

fn send_to_staff(
    telemetry: Res<TelemetryLink>,
    mut messages: MessageReader<ToStaffMessage>,
    mut clears: MessageReader<ClearStaffReply>,
) {
    for ToStaffMessage(message) in messages.read() {
        match telemetry.link.send_to_staff(message) {
            Ok(seq) => info!("size request message #{seq} is in the outbox: {message:?}"),
            Err(e) => error!("cannot write a size request message to the outbox: {e}"),
        }
    }
    for ClearStaffReply(topic) in clears.read() {
        telemetry.link.clear_retained(topic.clone());
    }
}

fn receive_remote(
    telemetry: Res<TelemetryLink>,
    mut commands: MessageWriter<RemoteCommand>,
    mut desired: MessageWriter<DesiredConfigReceived>,
    mut replies: MessageWriter<StaffReplyReceived>,
) {
    while let Some(inbound) = telemetry.link.try_recv() {
        match inbound {
            Inbound::Command(command) => {
                commands.write(RemoteCommand(command));
            }
            Inbound::DesiredConfig(config) => {
                desired.write(DesiredConfigReceived(config));
            }
            Inbound::StaffReply { reply, topic } => {
                replies.write(StaffReplyReceived { reply, topic });
            }
        }
    }
}

fn publish_outcomes(
    telemetry: Res<TelemetryLink>,
    mut finished: MessageReader<CommandFinished>,
    mut reports: MessageReader<ConfigReported>,
) {
    let kiosk = telemetry.link.identity().kiosk.clone();
    for outcome in finished.read() {
        match &outcome.reason {
            Some(reason) => warn!(id = %outcome.id, "remote {}: {:?}: {reason}", outcome.action, outcome.status),
            None => info!(id = %outcome.id, "remote {}: {:?}", outcome.action, outcome.status),
        }
        telemetry.link.ack(CommandAck {
            v: SCHEMA_VERSION,
            id: Some(outcome.id.clone()),
            kiosk: kiosk.clone(),
            action: Some(outcome.action.to_string()),
            status: outcome.status,
            reason: outcome.reason.clone(),
            result: outcome.result.clone(),
            at_ms: now_ms(),
        });
    }
    for report in reports.read() {
        telemetry.link.report_config(report.0.clone());
    }
}

#[allow(clippy::too_many_arguments)]
fn publish_health(
    mut telemetry: ResMut<TelemetryLink>,
    settings: Res<Settings>,
    store: Res<DiagnosticsStore>,
    camera: Res<CameraHealth>,
    mirror: Option<Res<MirrorStats>>,
    phase: Res<State<KioskPhase>>,
    share: Option<Res<SharePhase>>,
    how_started: Res<HowStarted>,
    lighting: Option<Res<crate::lights::Lighting>>,
) {
    let now = Instant::now();
    if now < telemetry.next_health {
        return;
    }
    telemetry.next_health = now + Duration::from_secs_f32(settings.telemetry.health_interval_s);
    let process = telemetry.process.sample();
    let outbox = telemetry.link.stats();
    let render_fps = store.get(&FrameTimeDiagnosticsPlugin::FPS).and_then(|d| d.smoothed()).unwrap_or(0.0) as f32;
    let camera_state = match camera.availability {
        Availability::Live => CameraState::Live,
        Availability::Starting => CameraState::Starting,
        Availability::Unavailable { .. } => CameraState::Unavailable,
    };
    let frame_age_ms = mirror
        .filter(|m| m.frames_shown > 0 && camera_state == CameraState::Live)
        .map(|m| m.last_frame_age.as_millis().min(u128::from(u32::MAX)) as u32);
    let health = Health {
        v: SCHEMA_VERSION,
        kiosk: telemetry.link.identity().kiosk.clone(),
        at_ms: now_ms(),
        version: telemetry.link.identity().version.clone(),
        uptime_s: telemetry.started.elapsed().as_secs(),
        start: how_started.0,
        render_fps,
        camera_fps: camera.fps,
        camera: camera_state,
        frame_age_ms,
        cpu_percent: process.cpu_percent,
        memory_mb: process.memory_mb,
        maintenance: *phase.get() == KioskPhase::Maintenance,
        sharing: share.is_some_and(|s| s.anyone_can_watch()),
        outbox_depth: outbox.depth,
        outbox_dropped: outbox.dropped,
        outbox_corrupt: outbox.corrupt,
        lights: lighting.as_ref().map_or(LightsState::None, |l| l.health()),
        light_scene: lighting.filter(|l| l.controller != LightingController::None).map(|l| l.scene),
    };
    telemetry.link.health(health);
}

fn report_maintenance(telemetry: Res<TelemetryLink>, phase: Res<State<KioskPhase>>, mut reported: Local<Option<bool>>) {
    let on = *phase.get() == KioskPhase::Maintenance;
    if *reported != Some(on) {
        *reported = Some(on);
        telemetry.link.set_maintenance(on);
    }
}
