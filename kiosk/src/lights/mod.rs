//! Lights plugin: the fitting room's light. The shopper picks a scene on the "Lights" sheet, staff
//! send `set_lighting`, and the session's end goes back to the store's scene
//! (`lighting.store_scene`). The scene reaches the hardware `[lighting]` names through a
//! [`lighting::LightWorker`] on its own thread (the UI never waits on a bridge); with the `frame`
//! controller the kiosk draws the light itself, a frame of the scene's colour around the mirror
//! (none in the store's scene: then the room's own light is the store's).
//!
//! Owns [`Lighting`] (scene, controller, its last outcome: health and doctor read it); reads
//! `FeatureRequested("Lights")`, [`ChooseScene`], `RemoteCommand` (`set_lighting`, acked when the
//! hardware took it or failed naming why) and `PrivacyWipe`.

mod sheet;

use bevy::prelude::*;
use lighting::{LightWorker, Report};
use protocol::{
    command::{AckStatus, Action},
    config::{LightingController, LightingSection},
    lighting::{LightsState, Scene},
    telemetry::Ident,
};

use crate::{
    session::PrivacyWipe,
    settings::Settings,
    telemetry::{CommandFinished, RemoteCommand},
    ui::HandledFeatures,
};

pub const FEATURE: &str = "Lights";

pub fn plugin(app: &mut App) {
    app.add_message::<ChooseScene>()
        .add_systems(Startup, start)
        .add_systems(Update, (follow_settings, choose, read_reports, draw_frame).chain())
        .add_plugins(sheet::plugin);
}

/// The shopper (or a script) picked a scene.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChooseScene(pub Scene);

/// Where the controller stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControllerState {
    /// Nothing sent yet.
    Starting,
    Ok,
    /// The last scene did not reach the lights: why, naming the device.
    Failed(String),
}

/// The light now, and how the controller is doing.
#[derive(Resource, Debug, Clone)]
pub struct Lighting {
    pub scene: Scene,
    /// The store's scene (`lighting.store_scene`).
    pub store: Scene,
    pub controller: LightingController,
    /// What the controller drives ("zigbee2mqtt at mqtt://… lights room-3").
    pub describe: String,
    pub state: ControllerState,
}

impl Lighting {
    /// The state health reports.
    pub fn health(&self) -> LightsState {
        match (&self.controller, &self.state) {
            (LightingController::None, _) => LightsState::None,
            (_, ControllerState::Starting) => LightsState::Starting,
            (_, ControllerState::Ok) => LightsState::Ok,
            (_, ControllerState::Failed(_)) => LightsState::Failed,
        }
    }
}

/// The worker for a hardware controller, and the `[lighting]` it was built from.
#[derive(Resource)]
struct Worker {
    worker: Option<LightWorker>,
    built_from: LightingSection,
    /// Commands waiting for their outcome: worker token → command id.
    waiting: Vec<(String, Ident)>,
}

fn start(mut commands: Commands, settings: Res<Settings>, mut handled: ResMut<HandledFeatures>) {
    let section = settings.lighting.clone();
    if section.controller != LightingController::None {
        handled.0.insert(FEATURE);
    }
    let (worker, describe, state) = build(&section);
    if let Some(worker) = &worker {
        worker.set(section.store_scene.light(), None);
    }
    let store = section.store_scene;
    commands.insert_resource(Lighting { scene: store, store, controller: section.controller, describe, state });
    commands.insert_resource(Worker { worker, built_from: section, waiting: Vec::new() });
}

fn build(section: &LightingSection) -> (Option<LightWorker>, String, ControllerState) {
    match lighting::from_config(section).and_then(|c| c.map(LightWorker::spawn).transpose()) {
        Ok(Some(worker)) => (Some(worker), section.controller.to_string(), ControllerState::Starting),
        Ok(None) => (None, section.controller.to_string(), ControllerState::Ok),
        Err(e) => {
            warn!("lights: {e}");
            (None, section.controller.to_string(), ControllerState::Failed(e.0))
        }
    }
}

/// A reloaded `[lighting]` builds its controller again.
fn follow_settings(settings: Res<Settings>, mut worker: ResMut<Worker>, mut lighting: ResMut<Lighting>) {
    if !settings.is_changed() || worker.built_from == settings.lighting {
        return;
    }
    let (new, describe, state) = build(&settings.lighting);
    if let Some(new) = &new {
        new.set(lighting.scene.light(), None);
    }
    worker.worker = new;
    worker.built_from = settings.lighting.clone();
    lighting.controller = settings.lighting.controller;
    lighting.store = settings.lighting.store_scene;
    lighting.describe = describe;
    lighting.state = state;
}

fn choose(
    mut choices: MessageReader<ChooseScene>,
    mut remote: MessageReader<RemoteCommand>,
    mut wipes: MessageReader<PrivacyWipe>,
    mut worker: ResMut<Worker>,
    mut lighting: ResMut<Lighting>,
    mut finished: MessageWriter<CommandFinished>,
    settings: Res<Settings>,
) {
    let mut wanted: Vec<(Scene, Option<Ident>)> = choices.read().map(|c| (c.0, None)).collect();
    for RemoteCommand(command) in remote.read() {
        if let Action::SetLighting { scene } = command.action {
            wanted.push((scene, Some(command.id.clone())));
        }
    }
    if wipes.read().count() > 0 {
        wanted.push((settings.lighting.store_scene, None));
    }
    for (scene, command) in wanted {
        lighting.scene = scene;
        let Some(hardware) = &worker.worker else {
            // Drawn here (frame) or nothing to drive: done at once, or failed as the build did.
            if let Some(id) = command {
                finished.write(finished_for(id, scene, &lighting.describe, &lighting.state));
            }
            continue;
        };
        let token = command.as_ref().map(|id| id.as_str().to_string());
        hardware.set(scene.light(), token.clone());
        if let (Some(token), Some(id)) = (token, command) {
            worker.waiting.push((token, id));
        }
    }
}

fn finished_for(id: Ident, scene: Scene, describe: &str, state: &ControllerState) -> CommandFinished {
    let result = Some(serde_json::json!({ "scene": scene.id(), "controller": describe }));
    match state {
        ControllerState::Failed(reason) => CommandFinished {
            id,
            action: "set_lighting",
            status: AckStatus::Failed,
            reason: Some(reason.clone()),
            result,
        },
        _ => CommandFinished { id, action: "set_lighting", status: AckStatus::Done, reason: None, result },
    }
}

fn read_reports(
    mut worker: ResMut<Worker>,
    mut lighting: ResMut<Lighting>,
    mut finished: MessageWriter<CommandFinished>,
) {
    let mut reports: Vec<Report> = Vec::new();
    if let Some(hardware) = &worker.worker {
        while let Some(report) = hardware.try_report() {
            reports.push(report);
        }
    }
    for report in reports {
        let state = match &report.outcome {
            Ok(()) => ControllerState::Ok,
            Err(e) => {
                warn!("lights: {e}");
                ControllerState::Failed(e.0.clone())
            }
        };
        lighting.describe = report.controller.clone();
        if let Some(at) = report.token.as_ref().and_then(|t| worker.waiting.iter().position(|(w, _)| w == t)) {
            let (_, id) = worker.waiting.remove(at);
            finished.write(finished_for(id, lighting.scene, &report.controller, &state));
        }
        if lighting.state != state {
            lighting.state = state;
        }
    }
}

#[derive(Component)]
struct LightFrame;

/// With the `frame` controller, in any scene but the store's: a border of the scene's colour
/// around the mirror, as wide as the scene is bright (up to 120 design pixels), over the mirror
/// and under every control.
fn draw_frame(
    mut commands: Commands,
    lighting: Res<Lighting>,
    mut frames: Query<(Entity, &mut Node, &mut BorderColor), With<LightFrame>>,
) {
    if !lighting.is_changed() {
        return;
    }
    let wanted = lighting.controller == LightingController::Frame && lighting.scene != lighting.store;
    let light = lighting.scene.light();
    let [r, g, b] = light.tint();
    let width = px(1.2 * f32::from(light.brightness_percent));
    match (frames.single_mut(), wanted) {
        (Ok((_, mut node, mut border)), true) => {
            node.border = UiRect::all(width);
            *border = BorderColor::all(Color::srgb(r, g, b));
        }
        (Ok((entity, ..)), false) => commands.entity(entity).despawn(),
        (Err(_), true) => {
            commands.spawn((
                Name::new("Light frame"),
                LightFrame,
                Node {
                    position_type: PositionType::Absolute,
                    width: percent(100),
                    height: percent(100),
                    border: UiRect::all(width),
                    ..default()
                },
                BorderColor::all(Color::srgb(r, g, b)),
                GlobalZIndex(0),
                Pickable::IGNORE,
            ));
        }
        (Err(_), false) => {}
    }
}
