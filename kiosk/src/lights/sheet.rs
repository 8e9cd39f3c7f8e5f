//! The "Lights" sheet: the four scenes, the one on now highlighted, and a line saying when the
//! lights do not answer (the scene is kept and tried again on the next choice).

use bevy::prelude::*;
use protocol::lighting::Scene;

use super::{ChooseScene, ControllerState, FEATURE, Lighting};
use crate::{
    session::{KioskPhase, PrivacyWipe},
    ui::{
        FeatureRequested,
        theme::{BUTTON, INK_DIM, Metrics, button, choice_sheet, t, text},
    },
};

pub fn plugin(app: &mut App) {
    app.init_resource::<LightsSheet>().add_systems(Update, (open_or_close, rebuild).chain());
}

#[derive(Resource, Debug, Default, PartialEq, Eq)]
pub struct LightsSheet {
    pub open: bool,
}

#[derive(Component)]
struct SheetRoot;

fn open_or_close(
    mut requests: MessageReader<FeatureRequested>,
    mut wipes: MessageReader<PrivacyWipe>,
    mut sheet: ResMut<LightsSheet>,
) {
    let open = FeatureRequested::sheet_open_after(requests.read(), FEATURE, sheet.open);
    sheet.set_if_neq(LightsSheet { open: open && wipes.read().count() == 0 });
}

fn scene_phrase(scene: Scene) -> &'static str {
    match scene {
        Scene::Daylight => "lights-daylight",
        Scene::Store => "lights-store",
        Scene::Sunset => "lights-sunset",
        Scene::Evening => "lights-evening",
    }
}

fn rebuild(
    mut commands: Commands,
    sheet_state: Res<LightsSheet>,
    lighting: Res<Lighting>,
    metrics: Res<Metrics>,
    phase: Res<State<KioskPhase>>,
    existing: Query<Entity, With<SheetRoot>>,
) {
    if !sheet_state.is_changed() && !lighting.is_changed() {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if !sheet_state.open || *phase.get() != KioskPhase::Active {
        return;
    }
    let scenes = Scene::ALL.into_iter().map(|scene| {
        // A colour temperature reads without grouping in every language: "2700 K".
        let label = t(scene_phrase(scene)).text("kelvin", scene.light().kelvin.to_string());
        (label.into(), scene == lighting.scene, ChooseScene(scene))
    });
    let root = choice_sheet(&mut commands, t("lights-title"), scenes, &metrics);
    commands.entity(root).insert((Name::new("Lights"), SheetRoot));
    if let ControllerState::Failed(_) = lighting.state {
        let note = commands.spawn(text(t("lights-not-answering"), 30.0, INK_DIM)).id();
        commands.entity(root).add_child(note);
    }
    let close = commands
        .spawn(button(t("close"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut sheet: ResMut<LightsSheet>| sheet.open = false)
        .id();
    commands.entity(root).add_child(close);
}
