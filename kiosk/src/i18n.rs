//! The shopper's language: which one the mirror speaks now, and every on-screen text written in it.
//!
//! A text entity carries a [`Localized`] label (a phrase id and its arguments, or data shown as it
//! is); [`render_localized`] writes its `Text` in the current [`UiLanguage`] whenever either
//! changes, so choosing a language re-renders every text in place and nothing respawns. The store's
//! language comes from `kiosk.language`; the shopper picks another with [`ChooseLanguage`]; the
//! session's end ([`PrivacyWipe`]) puts the store's back.

use std::sync::Arc;

use bevy::{ecs::system::SystemParam, prelude::*, ui::UiSystems};
use i18n::{Label, Language, Phrase, Strings};

use protocol::telemetry::{Ident, UsageEvent};

use crate::{session::PrivacyWipe, settings::Settings, telemetry::Usage, ui::theme::MirrorInRtl};

pub fn plugin(app: &mut App) {
    let strings = match Strings::load() {
        Ok(strings) => Some(Arc::new(strings)),
        // The files are embedded and checked by tests; a broken build still shows ids.
        Err(e) => {
            error!("translations: {e}");
            None
        }
    };
    if let Some(strings) = strings {
        app.insert_resource(UiStrings(strings));
    }
    app.add_message::<ChooseLanguage>()
        .add_systems(PreStartup, insert_language)
        .add_systems(Update, (choose_language, reset_on_wipe).chain())
        .add_systems(PostUpdate, (render_localized, mirror_rows).in_set(RenderLocalized).before(UiSystems::Prepare));
}

/// Where every text is written in the UI language: readers of `Text` run after it.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenderLocalized;

/// Every language's messages, shared with whoever formats text (toasts, texts dumps).
#[derive(Resource, Clone)]
pub struct UiStrings(pub Arc<Strings>);

/// The language on screen now, and the store's, which every session starts in.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiLanguage {
    pub current: Language,
    pub store: Language,
}

/// The shopper chose a language from the menu.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChooseLanguage(pub Language);

/// What a text entity says, before it is put in the current language.
#[derive(Component, Debug, Clone, PartialEq)]
#[require(Text)]
pub struct Localized(pub Label);

impl Localized {
    pub fn phrase(phrase: Phrase) -> Self {
        Self(Label::Phrase(phrase))
    }
}

/// Text in the shopper's language for what leaves the screen (a friend's card, the take-home
/// bundle). Without translations or a language (a bare test app) it says the phrase id.
#[derive(SystemParam)]
pub struct Say<'w> {
    strings: Option<Res<'w, UiStrings>>,
    language: Option<Res<'w, UiLanguage>>,
}

impl Say<'_> {
    pub fn phrase(&self, phrase: &Phrase) -> String {
        match (&self.strings, &self.language) {
            (Some(strings), Some(language)) => strings.0.format(language.current, phrase),
            _ => phrase.id.to_owned(),
        }
    }

    pub fn price(&self, minor_units: u32, currency: &str) -> String {
        match (&self.strings, &self.language) {
            (Some(strings), Some(language)) => strings.0.price(language.current, minor_units.into(), currency),
            _ => format!("{minor_units} {currency}"),
        }
    }
}

fn insert_language(mut commands: Commands, settings: Res<Settings>) {
    let store = Language::from_tag(&settings.kiosk.language).unwrap_or_default();
    commands.insert_resource(UiLanguage { current: store, store });
}

fn choose_language(
    mut choices: MessageReader<ChooseLanguage>,
    mut language: ResMut<UiLanguage>,
    mut usage: MessageWriter<Usage>,
) {
    let Some(ChooseLanguage(chosen)) = choices.read().last().copied() else { return };
    if language.current != chosen {
        language.current = chosen;
        if let Ok(language) = Ident::new(chosen.tag()) {
            usage.write(Usage(UsageEvent::LanguageChosen { language }));
        }
    }
}

fn reset_on_wipe(mut wipes: MessageReader<PrivacyWipe>, mut language: ResMut<UiLanguage>) {
    if wipes.read().count() > 0 && language.current != language.store {
        language.current = language.store;
    }
}

/// Writes each changed label, or every label after the language changed, into its `Text`.
fn render_localized(
    strings: Option<Res<UiStrings>>,
    language: Res<UiLanguage>,
    mut texts: Query<(Ref<Localized>, &mut Text)>,
) {
    let Some(strings) = strings else { return };
    let everything = language.is_changed();
    for (label, mut text) in &mut texts {
        if !everything && !label.is_changed() {
            continue;
        }
        let resolved = label.0.resolve(&strings.0, language.current);
        if text.0 != resolved {
            text.0 = resolved;
        }
    }
}

/// Rows marked [`MirrorInRtl`] run right to left while the language does: spawned ones at once,
/// all of them when the language changes.
fn mirror_rows(language: Res<UiLanguage>, mut rows: Query<(Ref<MirrorInRtl>, &mut Node)>) {
    let rtl = language.current.is_rtl();
    for (marker, mut node) in &mut rows {
        if !language.is_changed() && !marker.is_added() {
            continue;
        }
        let wanted = match (node.flex_direction, rtl) {
            (FlexDirection::Row, true) => FlexDirection::RowReverse,
            (FlexDirection::RowReverse, false) => FlexDirection::Row,
            (other, _) => other,
        };
        if node.flex_direction != wanted {
            node.flex_direction = wanted;
        }
    }
}

/// The phrase in English, for tests that read what a plugin said.
#[cfg(test)]
pub fn english(phrase: &Phrase) -> String {
    static STRINGS: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
    STRINGS.get_or_init(|| Strings::load().unwrap_or_else(|e| panic!("{e}"))).format(Language::En, phrase)
}

#[cfg(test)]
mod tests {
    use bevy::state::app::StatesPlugin;
    use protocol::config::KioskConfig;

    use super::*;

    #[test]
    fn choosing_a_language_rewrites_every_text_in_place_and_the_session_end_restores_the_store_s() {
        let mut config = KioskConfig::default();
        config.kiosk.language = "de".into();
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin))
            .insert_resource(Settings::new(config))
            .add_message::<Usage>()
            .add_message::<PrivacyWipe>()
            .add_plugins(plugin);
        let title = app.world_mut().spawn(Localized::phrase(Phrase::new("still-there-title"))).id();
        let name = app.world_mut().spawn(Localized(Label::verbatim("Oxford shirt"))).id();
        app.update();
        let text = |app: &App, e| app.world().get::<Text>(e).map(|t| t.0.clone()).unwrap_or_default();
        assert_eq!(text(&app, title), "Noch da?", "the store's language");

        app.world_mut().write_message(ChooseLanguage(Language::Ja));
        app.update();
        assert_eq!(text(&app, title), "まだいらっしゃいますか？", "the same entity, re-rendered");
        assert_eq!(text(&app, name), "Oxford shirt", "data stays as it is");
        let chosen: Vec<UsageEvent> =
            app.world().resource::<Messages<Usage>>().iter_current_update_messages().map(|u| u.0.clone()).collect();
        assert!(
            matches!(chosen.as_slice(), [UsageEvent::LanguageChosen { language }] if language.as_str() == "ja"),
            "{chosen:?}"
        );

        app.world_mut().write_message(PrivacyWipe);
        app.update();
        assert_eq!(text(&app, title), "Noch da?", "the next shopper starts in the store's language");
    }
}
