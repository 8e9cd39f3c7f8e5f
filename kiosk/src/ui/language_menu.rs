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
        theme::{BUTTON, INK, Metrics, MirrorInRtl, accent, button, sheet, t, text, verbatim},
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
    let root = commands.spawn((Name::new("Language menu"), MenuRoot, sheet(350.0, 28.0))).id();
    let title = commands.spawn(text(t("language-title"), 48.0, INK)).id();
    let choices = commands
        .spawn((Node { flex_wrap: FlexWrap::Wrap, column_gap: px(24), row_gap: px(24), ..default() }, MirrorInRtl))
        .id();
    for choice in Language::ALL {
        let color = if choice == language.current { accent() } else { BUTTON };
        let b = commands
            .spawn(button(verbatim(choice.endonym()), &metrics, color))
            .observe(move |_: On<Pointer<Click>>, mut choose: MessageWriter<ChooseLanguage>| {
                choose.write(ChooseLanguage(choice));
            })
            .id();
        commands.entity(choices).add_child(b);
    }
    let close = commands
        .spawn(button(t("close"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut menu: ResMut<LanguageMenu>| menu.open = false)
        .id();
    commands.entity(root).add_children(&[title, choices, close]);
}
