//! The fonts every text renders with, embedded in the binary (no asset path to get wrong on a
//! kiosk): DejaVu Sans for Latin, Greek, Cyrillic and the symbols (♥ ★ ✔ ● ·) in the default
//! font handle, and behind it, per script, Noto Sans Arabic and Noto Sans CJK (subsets of the
//! characters our texts use, `scripts/subset-fonts.py`). Parley picks the fallback by the
//! script of each run; for Han it asks Japanese first while the mirror speaks Japanese and
//! Chinese first otherwise, so a kanji never takes the Chinese glyph shape in a Japanese text.
//! Licences: `assets/fonts/*-LICENSE.txt`.

use bevy::{prelude::*, text::FontCx, ui::UiSystems};
use i18n::Language;
use parley::fontique::{FallbackKey, Script};

use super::brand::BrandFont;
use crate::i18n::UiLanguage;

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, install_fonts).add_systems(PostUpdate, set_fallbacks.before(UiSystems::Prepare));
}

/// One embedded font (its file under `assets/fonts/`) and the family name it registers under.
pub struct EmbeddedFont {
    pub file: &'static str,
    pub family: &'static str,
    pub bytes: &'static [u8],
}

pub const DEJAVU: EmbeddedFont = EmbeddedFont {
    file: "DejaVuSans.ttf",
    family: "DejaVu Sans",
    bytes: include_bytes!("../../../assets/fonts/DejaVuSans.ttf"),
};
pub const ARABIC: EmbeddedFont = EmbeddedFont {
    file: "NotoSansArabic-Regular.ttf",
    family: "Noto Sans Arabic",
    bytes: include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf"),
};
pub const CJK_JP: EmbeddedFont = EmbeddedFont {
    file: "NotoSansCJKJP-Subset.otf",
    family: "Noto Sans CJK JP",
    bytes: include_bytes!("../../../assets/fonts/NotoSansCJKJP-Subset.otf"),
};
pub const CJK_SC: EmbeddedFont = EmbeddedFont {
    file: "NotoSansCJKSC-Subset.otf",
    family: "Noto Sans CJK SC",
    bytes: include_bytes!("../../../assets/fonts/NotoSansCJKSC-Subset.otf"),
};

/// The fonts a text in `language` is drawn from, in the order they are asked for a character.
pub fn chain(language: Language) -> [&'static EmbeddedFont; 4] {
    match language {
        Language::Ja => [&DEJAVU, &CJK_JP, &CJK_SC, &ARABIC],
        _ => [&DEJAVU, &CJK_SC, &CJK_JP, &ARABIC],
    }
}

/// Handles that keep the fallback fonts loaded.
#[derive(Resource)]
struct FallbackFonts(#[allow(dead_code)] Vec<Handle<Font>>);

fn install_fonts(mut commands: Commands, mut fonts: ResMut<Assets<Font>>, brand: Option<Res<BrandFont>>) {
    // The chain's typeface in front when there is one; DejaVu then stays as a fallback.
    let default = brand.as_ref().map_or_else(|| DEJAVU.bytes.to_vec(), |b| b.0.clone());
    if let Err(e) = fonts.insert(&Handle::<Font>::default(), Font::from_bytes(default)) {
        warn!("cannot install the UI font: {e}");
    }
    let fallbacks = [&ARABIC, &CJK_JP, &CJK_SC];
    let mut handles: Vec<Handle<Font>> =
        fallbacks.iter().map(|f| fonts.add(Font::from_bytes(f.bytes.to_vec()))).collect();
    if brand.is_some() {
        handles.push(fonts.add(Font::from_bytes(DEJAVU.bytes.to_vec())));
    }
    commands.insert_resource(FallbackFonts(handles));
    let files: Vec<&str> = fallbacks.iter().map(|f| f.file).collect();
    info!("fonts: {} with fallbacks {}", DEJAVU.file, files.join(", "));
}

/// Points each script at its fonts once they are registered (a frame after start), and again
/// whenever the language changes which CJK face goes first; every text is laid out again after.
fn set_fallbacks(
    language: Option<Res<UiLanguage>>,
    mut font_cx: ResMut<FontCx>,
    mut done_for: Local<Option<Language>>,
    mut texts: Query<&mut Text>,
) {
    let Some(language) = language else { return };
    if *done_for == Some(language.current) {
        return;
    }
    let collection = &mut font_cx.collection;
    let ids: Option<Vec<_>> = chain(language.current)[1..].iter().map(|f| collection.family_id(f.family)).collect();
    let Some(ids) = ids else { return };
    let (cjk, arabic) = (&ids[..2], ids[2]);
    for script in [*b"Hani", *b"Hira", *b"Kana", *b"Hrkt", *b"Bopo"] {
        collection.set_fallbacks(FallbackKey::new(Script::from_bytes(script), None), cjk.iter().copied());
    }
    collection.set_fallbacks(FallbackKey::new(Script::from_bytes(*b"Arab"), None), std::iter::once(arabic));
    // Behind a chain's typeface: DejaVu for the Latin letters and symbols (♥ ✔ ⌂) it lacks.
    if let Some(dejavu) = collection.family_id(DEJAVU.family) {
        for script in [*b"Latn", *b"Zyyy", *b"Grek", *b"Cyrl"] {
            collection.set_fallbacks(FallbackKey::new(Script::from_bytes(script), None), std::iter::once(dejavu));
        }
    }
    *done_for = Some(language.current);
    for mut text in &mut texts {
        text.set_changed();
    }
}

#[cfg(test)]
mod tests {
    use i18n::{Phrase, Strings};

    use super::*;

    /// Counts that reach every plural form of our languages (Arabic has six).
    const COUNTS: [i64; 6] = [0, 1, 2, 3, 11, 1234];

    #[test]
    fn every_character_of_every_text_has_a_glyph_in_its_languages_fonts() {
        let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
        let mut missing = Vec::new();
        for language in Language::ALL {
            let faces: Vec<(&str, ttf_parser::Face)> = chain(language)
                .iter()
                .map(|f| (f.file, ttf_parser::Face::parse(f.bytes, 0).unwrap_or_else(|e| panic!("{}: {e}", f.file))))
                .collect();
            let mut texts: Vec<String> = Language::ALL.iter().map(|l| l.endonym().to_owned()).collect();
            for (id, variables) in Strings::messages(i18n::Texts::Kiosk, language) {
                let id: &'static str = Box::leak(id.into_boxed_str());
                for count in COUNTS {
                    let phrase = variables
                        .iter()
                        .fold(Phrase::new(id), |p, v| p.count(Box::leak(v.clone().into_boxed_str()), count));
                    texts.push(strings.format(language, &phrase));
                }
            }
            texts.push(strings.price(language, 123_456, "EUR"));
            for text in &texts {
                for c in text.chars().filter(|c| *c != '\n') {
                    if !faces.iter().any(|(_, face)| face.glyph_index(c).is_some()) {
                        missing.push(format!("{language}: {c:?} (U+{:04X}) in {text:?}", c as u32));
                    }
                }
            }
        }
        missing.dedup();
        assert!(
            missing.is_empty(),
            "no font of the chain has these (run scripts/subset-fonts.py):\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn japanese_asks_the_japanese_face_first_and_every_chain_starts_with_dejavu() {
        assert_eq!(chain(Language::Ja)[1].family, "Noto Sans CJK JP");
        assert_eq!(chain(Language::ZhHans)[1].family, "Noto Sans CJK SC");
        assert!(Language::ALL.iter().all(|l| chain(*l)[0].family == "DejaVu Sans"));
    }
}
