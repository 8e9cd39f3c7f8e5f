//! The languages a mirror speaks: their BCP 47 tags, the names shoppers know them by, their
//! writing direction, and choosing one from a phone's `Accept-Language`.

use unic_langid::LanguageIdentifier;

/// A language the shopper's UI, the viewer page and the take-home page are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    Es,
    Fr,
    De,
    It,
    Pt,
    Ja,
    ZhHans,
    Ar,
}

impl Language {
    /// Menu order: English first, then the languages of Europe, then East Asia, then Arabic.
    pub const ALL: [Language; 9] = [
        Language::En,
        Language::Es,
        Language::Fr,
        Language::De,
        Language::It,
        Language::Pt,
        Language::Ja,
        Language::ZhHans,
        Language::Ar,
    ];

    /// The BCP 47 tag, as config files and `lang` attributes write it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
            Language::De => "de",
            Language::It => "it",
            Language::Pt => "pt",
            Language::Ja => "ja",
            Language::ZhHans => "zh-Hans",
            Language::Ar => "ar",
        }
    }

    /// The language's name in itself, as a language menu lists it.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Español",
            Language::Fr => "Français",
            Language::De => "Deutsch",
            Language::It => "Italiano",
            Language::Pt => "Português",
            Language::Ja => "日本語",
            Language::ZhHans => "简体中文",
            Language::Ar => "العربية",
        }
    }

    /// Written right to left: rows of controls are mirrored.
    pub fn is_rtl(self) -> bool {
        self == Language::Ar
    }

    pub(crate) fn identifier(self) -> LanguageIdentifier {
        self.tag().parse().unwrap_or_default()
    }

    /// The language a tag names: exact tags, and regional or script variants of them
    /// (`pt-BR` → Português, `zh-CN`/`zh-SG`/`zh` → 简体中文, `en-GB` → English). Traditional
    /// Chinese (`zh-Hant`, `zh-TW`, `zh-HK`) is not Simplified and gets `None`.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let id: LanguageIdentifier = tag.trim().parse().ok()?;
        let primary = id.language.as_str();
        if primary == "zh" {
            let script = id.script.map(|s| s.as_str().to_ascii_lowercase());
            let region = id.region.map(|r| r.as_str().to_ascii_uppercase());
            let traditional = script.as_deref() == Some("hant")
                || (script.is_none() && matches!(region.as_deref(), Some("TW" | "HK" | "MO")));
            return (!traditional).then_some(Language::ZhHans);
        }
        Language::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best language for an HTTP `Accept-Language` header (`fr-CH, fr;q=0.9, en;q=0.8`):
    /// the highest-weighted tag we speak, earlier tags winning ties. `None` when none is ours.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(f32, Language)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if weight <= 0.0 {
                continue;
            }
            if let Some(language) = Language::from_tag(tag)
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, language));
            }
        }
        best.map(|(_, language)| language)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_variants_map_to_what_we_speak() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
        }
        assert_eq!(Language::from_tag("pt-BR"), Some(Language::Pt));
        assert_eq!(Language::from_tag("zh-CN"), Some(Language::ZhHans));
        assert_eq!(Language::from_tag("zh"), Some(Language::ZhHans));
        assert_eq!(Language::from_tag("zh-TW"), None);
        assert_eq!(Language::from_tag("zh-Hant-HK"), None);
        assert_eq!(Language::from_tag("nl"), None);
        assert_eq!(Language::from_tag("not a tag!"), None);
    }

    #[test]
    fn accept_language_picks_the_heaviest_tag_we_speak() {
        assert_eq!(Language::negotiate("nl-NL, de;q=0.7, fr;q=0.8"), Some(Language::Fr));
        assert_eq!(Language::negotiate("ja,en-US;q=0.9,en;q=0.8"), Some(Language::Ja));
        assert_eq!(Language::negotiate("ar-EG"), Some(Language::Ar));
        assert_eq!(Language::negotiate("es;q=0, it"), Some(Language::It));
        assert_eq!(Language::negotiate("nl, sv"), None);
        assert_eq!(Language::negotiate(""), None);
        assert_eq!(Language::negotiate("de;q=garbage, pt;q=0.1"), Some(Language::Pt));
    }
}
