//! Self-voicing (EN 301 549 5.1.3.6, speech output for closed functionality): once a shopper
//! uses the keys (the first Tab, arrow or keypad Enter of a session, `accessibility.start_on_key`)
//! or turns on "Read aloud" in the Accessibility sheet ([`crate::accessibility`]), the mirror speaks the focused control, each sheet as it opens (its title), and the "Still
//! there?" warning with how to go on, all in the UI language, through espeak-ng to the headphone
//! jack (`accessibility.audio_device`) or into a record file for tests. The session's end stops
//! the speech and turns it off for the next shopper. Nothing is recorded from a microphone.
//!
//! Owns [`SelfVoicing`]; reads `InputFocus`, `KioskPhase`, `UiLanguage`, `PrivacyWipe`.

mod voice;

use bevy::{
    input::{ButtonState, keyboard::KeyboardInput},
    input_focus::InputFocus,
    prelude::*,
};
use protocol::config::VoiceKind;

pub use voice::{Espeak, Record, Speaker, Voice, espeak_voice};

use crate::{
    i18n::{UiLanguage, UiStrings},
    session::{KioskPhase, PrivacyWipe},
    settings::Settings,
    ui::{
        keyboard::{Keymap, button_words},
        theme::{Icon, Sheet},
    },
};

pub fn plugin(app: &mut App) {
    app.init_resource::<SelfVoicing>()
        .add_systems(Startup, start_voice)
        .add_systems(Update, (turn_on_by_key, turn_off_on_wipe, report_failures))
        .add_systems(OnEnter(KioskPhase::StillThere), speak_warning)
        // After the texts are written in the UI language.
        .add_systems(PostUpdate, (speak_focus, speak_sheets).after(crate::i18n::RenderLocalized));
}

/// Whether the mirror speaks, and what it said last (not to repeat a redrawn control).
#[derive(Resource, Debug, Default)]
pub struct SelfVoicing {
    pub on: bool,
    last_focus: Option<String>,
    last_sheet: Option<String>,
}

#[derive(Resource)]
struct VoiceOut(Speaker);

fn start_voice(mut commands: Commands, settings: Res<Settings>) {
    let section = &settings.accessibility;
    let voice: Option<Box<dyn Voice>> = match section.voice {
        VoiceKind::None => None,
        VoiceKind::EspeakNg => Some(Box::new(Espeak::to_device(&section.audio_device))),
        VoiceKind::Record => Some(Box::new(Record::new(section.record_file.clone().into()))),
    };
    match voice.map(Speaker::spawn) {
        Some(Ok(speaker)) => commands.insert_resource(VoiceOut(speaker)),
        Some(Err(e)) => warn!("speech: {e}"),
        None => {}
    }
}

fn turn_on_by_key(
    mut keys: MessageReader<KeyboardInput>,
    settings: Res<Settings>,
    keymap: Option<Res<Keymap>>,
    mut voicing: ResMut<SelfVoicing>,
) {
    // The keyboard's navigation keys, and every key a keypad's keymap maps.
    let mapped = |k: &KeyboardInput| keymap.as_ref().is_some_and(|m| m.0.iter().any(|(code, _)| *code == k.key_code));
    let navigation = |k: &KeyboardInput| {
        k.state == ButtonState::Pressed
            && (mapped(k)
                || matches!(
                    k.key_code,
                    KeyCode::Tab
                        | KeyCode::ArrowUp
                        | KeyCode::ArrowDown
                        | KeyCode::ArrowLeft
                        | KeyCode::ArrowRight
                        | KeyCode::NumpadEnter
                ))
    };
    if keys.read().any(navigation) && settings.accessibility.start_on_key && !voicing.on {
        info!("speech: on for this session");
        voicing.on = true;
    }
}

fn turn_off_on_wipe(
    mut wipes: MessageReader<PrivacyWipe>,
    mut voicing: ResMut<SelfVoicing>,
    voice: Option<Res<VoiceOut>>,
) {
    if wipes.read().count() == 0 {
        return;
    }
    *voicing = SelfVoicing::default();
    if let Some(voice) = voice {
        voice.0.hush();
    }
}

fn report_failures(voice: Option<Res<VoiceOut>>) {
    if let Some(e) = voice.and_then(|v| v.0.failure()) {
        warn!("speech: {e}");
    }
}

fn say(voice: &Option<Res<VoiceOut>>, language: &UiLanguage, text: String) {
    if let Some(voice) = voice
        && !text.trim().is_empty()
    {
        voice.0.say(text, language.current);
    }
}

fn speak_focus(
    focus: Option<Res<InputFocus>>,
    mut voicing: ResMut<SelfVoicing>,
    voice: Option<Res<VoiceOut>>,
    language: Res<UiLanguage>,
    children: Query<&Children>,
    texts: Query<&Text, Without<Icon>>,
) {
    let Some(focused) = focus.as_ref().and_then(|f| f.get()) else { return };
    if !voicing.on {
        return;
    }
    let words = button_words(focused, &children, &texts);
    if words.is_some() && words != voicing.last_focus {
        voicing.last_focus.clone_from(&words);
        say(&voice, &language, words.unwrap_or_default());
    }
}

/// A sheet opening says its title (the first text in it); a redraw of the same sheet does not.
fn speak_sheets(
    sheets: Query<Entity, Added<Sheet>>,
    mut voicing: ResMut<SelfVoicing>,
    voice: Option<Res<VoiceOut>>,
    language: Res<UiLanguage>,
    children: Query<&Children>,
    texts: Query<&Text, Without<Icon>>,
) {
    if !voicing.on {
        return;
    }
    for sheet in &sheets {
        let title = children.iter_descendants(sheet).find_map(|c| texts.get(c).ok().map(|t| t.0.clone()));
        if title.is_some() && title != voicing.last_sheet {
            voicing.last_sheet.clone_from(&title);
            say(&voice, &language, title.unwrap_or_default());
        }
    }
}

fn speak_warning(
    voicing: Res<SelfVoicing>,
    voice: Option<Res<VoiceOut>>,
    language: Res<UiLanguage>,
    strings: Option<Res<UiStrings>>,
) {
    let Some(strings) = strings.filter(|_| voicing.on) else { return };
    let phrase = |id| strings.0.format(language.current, &i18n::Phrase::new(id));
    say(&voice, &language, format!("{} {}", phrase("still-there-title"), phrase("still-there-body")));
}
