//! The "Language" sheet: every language the mirror speaks, each named in itself (Español, 日本語,
//! العربية), the one on screen highlighted. Choosing one re-renders every text in place
//! ([`crate::i18n`]); the session's end goes back to the store's language.

use bevy::prelude::*;
use i18n::Language;

use crate::{
    i18n::{ChooseLanguage, UiLanguage},
    session::{KioskPhase, PrivacyWipe},
    ui::{
        FeatureRequested, HandledFeatures,
        theme::{BUTTON, Metrics, button, choice_sheet, t, verbatim},
    },
};

const FEATURE: &str = "Language";

pub fn plugin(app: &mut App) {
    app.init_resource::<LanguageMenu>()
        .add_systems(Startup, |mut handled: ResMut<HandledFeatures>| {
            handled.0.insert(FEATURE);
        })
        .add_systems(Update, (open_or_close, rebuild).chain());
}

/// Whether the sheet is open.
#[derive(Resource, Debug, Default, PartialEq, Eq)]
pub struct LanguageMenu {
    pub open: bool,
}

#[derive(Component)]
struct MenuRoot;

fn open_or_close(
    mut requests: MessageReader<FeatureRequested>,
    mut choices: MessageReader<ChooseLanguage>,
    mut wipes: MessageReader<PrivacyWipe>,
    mut menu: ResMut<LanguageMenu>,
) {
    let open = FeatureRequested::sheet_open_after(requests.read(), FEATURE, menu.open);
    let chosen_or_ended = choices.read().count() > 0 || wipes.read().count() > 0;
    menu.set_if_neq(LanguageMenu { open: open && !chosen_or_ended });
}

fn rebuild(
    mut commands: Commands,
    menu: Res<LanguageMenu>,
    language: Res<UiLanguage>,
    metrics: Res<Metrics>,
    phase: Res<State<KioskPhase>>,
    existing: Query<Entity, With<MenuRoot>>,
) {
    if !menu.is_changed() && !language.is_changed() {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if !menu.open || *phase.get() != KioskPhase::Active {
        return;
    }
    let choices =
        Language::ALL.map(|choice| (verbatim(choice.endonym()), choice == language.current, ChooseLanguage(choice)));
    let root = choice_sheet(&mut commands, t("language-title"), choices, &metrics);
    let close = commands
        .spawn(button(t("close"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut menu: ResMut<LanguageMenu>| menu.open = false)
        .id();
    commands.entity(root).insert((Name::new("Language menu"), MenuRoot)).add_child(close);
}
