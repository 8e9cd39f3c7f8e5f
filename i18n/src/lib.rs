//! Every string a shopper, an associate or a friend reads, in the languages a store serves.
//!
//! The texts live in Fluent files, `i18n/locales/<tag>/kiosk.ftl` for the mirror and `pages.ftl`
//! for the pages phones and staff open ([`pages`]), embedded at build time so a
//! kiosk has no file to lose. [`Strings::load`] parses all of them once; [`Strings::format`] turns
//! a [`Phrase`] (a message id and its arguments) into text in one [`Language`]. Numbers go through
//! ICU's decimal formatter for that language (its grouping, decimal separator and digits); prices through [`Strings::price`], whose symbol placement is itself a Fluent message
//! (`price`), so each locale writes "€49.95" or "49,95 €" as its shoppers expect.
//!
//! Rules the tests hold every locale to (`tests/locales.rs`): the same message ids as English, the
//! same variables in each message, and every message formats without a Fluent error. A message
//! missing at run time (a locale added without every id) falls back to English and then to the id
//! itself, so the shopper never sees a blank.

mod language;
mod numbers;
pub mod pages;

use std::borrow::Cow;

use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use fluent_syntax::ast;

pub use language::Language;

/// The two sets of texts every language has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// What the mirror itself shows and says (`kiosk.ftl`).
    Kiosk,
    /// The pages phones and staff open in a browser (`pages.ftl`), see [`pages`].
    Pages,
}

impl Texts {
    pub const ALL: [Texts; 2] = [Texts::Kiosk, Texts::Pages];

    pub fn file(self) -> &'static str {
        match self {
            Texts::Kiosk => "kiosk.ftl",
            Texts::Pages => "pages.ftl",
        }
    }
}

macro_rules! locale {
    ($language:expr, $tag:literal) => {
        (
            $language,
            include_str!(concat!("../locales/", $tag, "/kiosk.ftl")),
            include_str!(concat!("../locales/", $tag, "/pages.ftl")),
        )
    };
}

/// Each language's Fluent files (the mirror's, the pages'), embedded.
const SOURCES: [(Language, &str, &str); 9] = [
    locale!(Language::En, "en"),
    locale!(Language::Es, "es"),
    locale!(Language::Fr, "fr"),
    locale!(Language::De, "de"),
    locale!(Language::It, "it"),
    locale!(Language::Pt, "pt"),
    locale!(Language::Ja, "ja"),
    locale!(Language::ZhHans, "zh-Hans"),
    locale!(Language::Ar, "ar"),
];

fn source(language: Language, texts: Texts) -> Option<&'static str> {
    let (_, kiosk, pages) = SOURCES.iter().find(|(l, _, _)| *l == language)?;
    Some(match texts {
        Texts::Kiosk => kiosk,
        Texts::Pages => pages,
    })
}

/// A Fluent file that does not parse or clashes with itself.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("i18n/locales/{locale}/{file}: {detail}")]
    Source { locale: &'static str, file: &'static str, detail: String },
}

/// What a text says before it is put in a language: a message id and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Phrase`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Data that is not translated (a product name, a size, an associate's name).
    Text(String),
    /// A whole number; also chooses the plural form (`{ $n -> [one] … *[other] … }`).
    Count(i64),
    /// A number shown with exactly `digits` decimals (seconds on a timer).
    Decimal { value: f64, digits: u8 },
    /// A price in minor units (cents) of an ISO 4217 currency, written as [`Strings::price`] does.
    Price { minor_units: i64, currency: String },
    /// Another phrase, put in the same language first ("for { $lifetime }" with "3 days").
    Phrase(Box<Phrase>),
}

impl Phrase {
    pub fn new(id: &'static str) -> Self {
        Self { id, args: Vec::new() }
    }

    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    pub fn count(mut self, name: &'static str, value: impl TryInto<i64>) -> Self {
        self.args.push((name, Arg::Count(value.try_into().unwrap_or(i64::MAX))));
        self
    }

    pub fn decimal(mut self, name: &'static str, value: f64, digits: u8) -> Self {
        self.args.push((name, Arg::Decimal { value, digits }));
        self
    }

    pub fn phrase(mut self, name: &'static str, phrase: Phrase) -> Self {
        self.args.push((name, Arg::Phrase(Box::new(phrase))));
        self
    }

    pub fn price(mut self, name: &'static str, minor_units: impl Into<i64>, currency: impl Into<String>) -> Self {
        self.args.push((name, Arg::Price { minor_units: minor_units.into(), currency: currency.into() }));
        self
    }
}

/// Every language's messages, parsed once.
pub struct Strings {
    bundles: Vec<(Language, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings").field("languages", &self.bundles.len()).finish()
    }
}

impl Strings {
    /// Parses the embedded Fluent files.
    pub fn load() -> Result<Self, LoadError> {
        let mut bundles = Vec::with_capacity(SOURCES.len());
        for (language, _, _) in SOURCES {
            let locale = language.tag();
            let mut bundle = FluentBundle::new_concurrent(vec![language.identifier()]);
            // Isolation marks (U+2068/2069) around every placeable are invisible controls that not
            // every font carries; the bidi algorithm orders our names and numbers well without.
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(numbers::format_value));
            for texts in Texts::ALL {
                let file = texts.file();
                let text = source(language, texts).unwrap_or_default();
                let resource = FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| LoadError::Source {
                    locale,
                    file,
                    detail: errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join("; "),
                })?;
                bundle.add_resource(resource).map_err(|errors| LoadError::Source {
                    locale,
                    file,
                    detail: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
                })?;
            }
            bundles.push((language, bundle));
        }
        Ok(Self { bundles })
    }

    fn bundle(&self, language: Language) -> Option<&FluentBundle<FluentResource>> {
        self.bundles.iter().find(|(l, _)| *l == language).map(|(_, b)| b)
    }

    /// The phrase in `language`, falling back to English, then to the message id.
    pub fn format(&self, language: Language, phrase: &Phrase) -> String {
        self.try_format(language, phrase)
            .or_else(|_| self.try_format(Language::En, phrase))
            .unwrap_or_else(|_| phrase.id.to_owned())
    }

    /// The phrase in `language`, or why it cannot be said there (no such message, a Fluent error).
    pub fn try_format(&self, language: Language, phrase: &Phrase) -> Result<String, String> {
        let args: Vec<(&str, Arg)> = phrase.args.iter().map(|(name, arg)| (*name, arg.clone())).collect();
        self.try_format_message(language, phrase.id, &args)
    }

    /// Message `id` with `args` in `language`, falling back to English, then to the id.
    pub(crate) fn format_message(&self, language: Language, id: &str, args: &[(&str, Arg)]) -> String {
        self.try_format_message(language, id, args)
            .or_else(|_| self.try_format_message(Language::En, id, args))
            .unwrap_or_else(|_| id.to_owned())
    }

    fn try_format_message(&self, language: Language, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let bundle = self.bundle(language).ok_or_else(|| format!("no bundle for {}", language.tag()))?;
        let message = bundle.get_message(id).ok_or_else(|| format!("{}: no message {id}", language.tag()))?;
        let pattern = message.value().ok_or_else(|| format!("{}: {id} has no value", language.tag()))?;
        let mut fluent_args = FluentArgs::new();
        for (name, arg) in args {
            match arg {
                Arg::Price { minor_units, currency } => {
                    fluent_args.set(*name, self.price(language, *minor_units, currency))
                }
                Arg::Phrase(inner) => fluent_args.set(*name, self.try_format(language, inner)?),
                other => fluent_args.set(*name, numbers::fluent_value(other)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            None => Ok(text.into_owned()),
            Some(e) => Err(format!("{}: {id}: {e}", language.tag())),
        }
    }

    /// A price from its minor units (cents) and ISO currency code, as the language writes it.
    pub fn price(&self, language: Language, minor_units: i64, currency: &str) -> String {
        let (symbol, digits) = numbers::currency(currency);
        let amount = numbers::format_decimal(language, minor_units as f64 / 10f64.powi(i32::from(digits)), digits);
        self.format(language, &Phrase::new("price").text("amount", amount).text("symbol", symbol))
    }

    /// Every message of one of `language`'s files with the variables it uses (`$name`
    /// references, sorted), in file order: what the tests compare between languages.
    pub fn messages(texts: Texts, language: Language) -> Vec<(String, Vec<String>)> {
        let Some(source) = source(language, texts) else { return Vec::new() };
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) | Err((resource, _)) => resource,
        };
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(message) => {
                    let mut names = Vec::new();
                    if let Some(pattern) = &message.value {
                        pattern_variables(pattern, &mut names);
                    }
                    names.sort();
                    names.dedup();
                    Some((message.id.name.to_owned(), names))
                }
                _ => None,
            })
            .collect()
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut Vec<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut Vec<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => names.push(id.name.to_owned()),
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

/// A label that is either a phrase to translate or data shown as it is (a product's name).
#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    Phrase(Phrase),
    Verbatim(Cow<'static, str>),
}

impl From<Phrase> for Label {
    fn from(phrase: Phrase) -> Self {
        Label::Phrase(phrase)
    }
}

impl Label {
    pub fn verbatim(text: impl Into<Cow<'static, str>>) -> Self {
        Label::Verbatim(text.into())
    }

    pub fn resolve(&self, strings: &Strings, language: Language) -> String {
        match self {
            Label::Phrase(phrase) => strings.format(language, phrase),
            Label::Verbatim(text) => text.clone().into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> Strings {
        Strings::load().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn prices_follow_each_language() {
        let s = strings();
        assert_eq!(s.price(Language::En, 4995, "EUR"), "€49.95");
        assert_eq!(s.price(Language::De, 4995, "EUR"), "49,95\u{a0}€");
        assert_eq!(s.price(Language::Fr, 123456, "EUR"), "1\u{202f}234,56\u{a0}€");
        assert_eq!(s.price(Language::En, 5000, "USD"), "$50.00");
        assert_eq!(s.price(Language::Ja, 1200, "JPY"), "￥1,200");
    }

    #[test]
    fn counts_choose_the_plural_and_group_digits_the_local_way() {
        let s = strings();
        let watching = |l, n: i64| s.format(l, &Phrase::new("share-live-watching").count("viewers", n));
        assert_eq!(watching(Language::En, 1), "● LIVE · 1 watching");
        // CLDR now writes Arabic with Western digits by default (ar-EG would use ٣).
        assert_eq!(watching(Language::Ar, 3), "● مباشر · 3 يشاهدون");
        let picked = |l, n: i64| s.format(l, &Phrase::new("looks-friends-picked").count("count", n));
        assert_eq!(picked(Language::En, 1), "♥ 1 friend picked this");
        assert_eq!(picked(Language::En, 1200), "♥ 1,200 friends picked this");
        assert_eq!(picked(Language::De, 1200), "♥ 1.200 Freunde haben das gewählt");
    }

    #[test]
    fn decimals_keep_their_digits() {
        let s = strings();
        let p = Phrase::new("twirl-progress").decimal("position", 1.0, 1).decimal("length", 2.25, 1);
        assert_eq!(s.format(Language::En, &p), "1.0 s / 2.3 s");
        assert_eq!(s.format(Language::Fr, &p), "1,0 s / 2,3 s");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        let s = strings();
        assert!(s.try_format(Language::Ja, &Phrase::new("no-such-message")).is_err());
        assert_eq!(s.format(Language::Ja, &Phrase::new("no-such-message")), "no-such-message");
    }
}
