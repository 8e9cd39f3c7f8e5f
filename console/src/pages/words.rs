//! The console's texts in one language: the sign-in page, every page's header and the
//! associates' size-request board follow the browser's `Accept-Language` (the nine languages of
//! `i18n/locales/*/pages.ftl`); the pages for managers and chain IT are written in English.

use std::sync::LazyLock;

use i18n::{Language, Phrase, Strings, pages::escape_html};

use crate::auth::Role;

/// The Fluent files, parsed once for the process ([`check`] reports a failure at start-up).
static STRINGS: LazyLock<Result<Strings, String>> = LazyLock::new(|| Strings::load().map_err(|e| e.to_string()));

/// Whether the console's texts load; `console serve` refuses to start without them.
pub fn check() -> Result<(), String> {
    STRINGS.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Texts in one language, escaped for HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub language: Language,
}

impl Words {
    pub const ENGLISH: Words = Words { language: Language::En };

    /// The language a browser's `Accept-Language` header asks for (English when it names none of ours).
    pub fn for_accept_language(header: &str) -> Self {
        Words { language: Language::negotiate(header).unwrap_or(Language::En) }
    }

    /// `phrase` in this language, HTML-escaped (the message id when the texts did not load).
    pub fn say(&self, phrase: &Phrase) -> String {
        let text = match STRINGS.as_ref() {
            Ok(strings) => strings.format(self.language, phrase),
            Err(_) => phrase.id.to_owned(),
        };
        escape_html(&text)
    }

    /// Message `id` without variables.
    pub fn t(&self, id: &'static str) -> String {
        self.say(&Phrase::new(id))
    }

    /// How long ago `at_ms` was, to the minute ("just now" under one).
    pub fn minutes_ago(&self, at_ms: i64, now_ms: i64) -> String {
        match (now_ms - at_ms).max(0) / 60_000 {
            0 => self.t("staff-just-now"),
            minutes => self.say(&Phrase::new("staff-minutes-ago").count("count", minutes)),
        }
    }

    /// A role's name.
    pub fn role(&self, role: Role) -> String {
        self.t(match role {
            Role::Associate => "console-role-associate",
            Role::StoreManager => "console-role-store-manager",
            Role::FleetOperator => "console-role-fleet-operator",
            Role::Analyst => "console-role-analyst",
            Role::Admin => "console-role-admin",
        })
    }

    /// `lang` and `dir` for the `<html>` element.
    pub fn html_attributes(&self) -> String {
        format!(r#"lang="{}" dir="{}""#, self.language.tag(), if self.language.is_rtl() { "rtl" } else { "ltr" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_console_s_texts_and_counts_minutes_its_own_way() {
        assert_eq!(check(), Ok(()));
        let german = Words::for_accept_language("de-CH,de;q=0.9,en;q=0.5");
        assert_eq!(german.t("console-sign-in"), "Anmelden");
        assert_eq!(german.minutes_ago(0, 30_000), "gerade eben");
        assert_eq!(german.minutes_ago(0, 5 * 60_000 + 10), "vor 5 Min.");
        let arabic = Words::for_accept_language("ar-EG");
        assert_eq!(arabic.html_attributes(), r#"lang="ar" dir="rtl""#);
        assert_eq!(arabic.minutes_ago(0, 2 * 60_000), "قبل دقيقتين");
        assert_eq!(Words::for_accept_language("fi-FI").t("console-nav-fleet"), "Fleet");
        assert_eq!(Words::ENGLISH.t("staff-accept"), "I’m bringing it");
        for language in Language::ALL {
            let words = Words { language };
            for role in Role::ALL {
                assert!(!words.role(role).starts_with("console-"), "{}: {role:?}", language.tag());
            }
        }
    }
}
