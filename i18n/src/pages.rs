//! The pages phones and staff open in a browser (a friend's live view, the take-home page, the
//! associates' board), served in the language the browser asks for.
//!
//! A page is an HTML template with `{{message-id}}` where a fixed text goes, `{{lang}}` and
//! `{{dir}}` for the `<html>` element, `{{texts}}` for the texts its script builds at run time and
//! `{{texts-script}}` for the small function that builds them. Texts with variables cannot be
//! formatted on the server (a viewer count changes every second; a take-home bundle is decrypted
//! on the phone), so each goes to the page as a template per CLDR plural category, `{count}` and
//! the other variables marked `{name}`; the page picks the category with `Intl.PluralRules` and
//! writes numbers with `Intl.NumberFormat`, the same CLDR rules Fluent used to choose the forms.

use std::collections::BTreeMap;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};

use crate::{Arg, Language, Strings, Texts, numbers};

/// The page's `t(id, args)`: a template by plural category, its `{name}` marks filled in.
pub const SCRIPT: &str = r#"const TEXTS = JSON.parse(document.getElementById("texts").textContent);
const PLURAL = new Intl.PluralRules(document.documentElement.lang);
const NUMBER = new Intl.NumberFormat(document.documentElement.lang);
function t(id, args = {}) {
  const forms = TEXTS[id];
  if (!forms) return id;
  const form = typeof args.count === "number" ? forms[PLURAL.select(args.count)] : undefined;
  return (form ?? forms.other).replace(/\{(\w+)\}/g, (_, name) =>
    typeof args[name] === "number" ? NUMBER.format(args[name]) : String(args[name] ?? ""));
}"#;

/// Numbers that reach every cardinal plural category of every language (Arabic's six; the
/// "many" of French and Spanish starts at a million).
const SAMPLES: [u64; 9] = [0, 1, 2, 3, 5, 11, 21, 100, 1_000_000];

/// Templates by plural category ("zero" … "other"), as the page's `t()` reads them.
pub type Forms = BTreeMap<&'static str, String>;

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

fn plural_rules(language: Language) -> Option<PluralRules> {
    PluralRules::create(language.identifier(), PluralRuleType::CARDINAL).ok().or_else(|| {
        let base: unic_langid::LanguageIdentifier = language.tag().split('-').next()?.parse().ok()?;
        PluralRules::create(base, PluralRuleType::CARDINAL).ok()
    })
}

/// The plural category `language` puts `count` in, by the same rules as [`SCRIPT`].
pub fn plural_category(language: Language, count: u64) -> &'static str {
    plural_rules(language).and_then(|rules| rules.select(count).ok()).map_or("other", category_name)
}

impl Strings {
    /// Every page message whose id starts with `prefix`, as templates for the page's script.
    pub fn page_texts(&self, language: Language, prefix: &str) -> BTreeMap<String, Forms> {
        Strings::messages(Texts::Pages, Language::En)
            .into_iter()
            .filter(|(id, _)| id.starts_with(prefix))
            .map(|(id, variables)| {
                let forms = self.forms(language, &id, &variables);
                (id, forms)
            })
            .collect()
    }

    fn forms(&self, language: Language, id: &str, variables: &[String]) -> Forms {
        let marks: Vec<(&str, Arg)> =
            variables.iter().filter(|v| *v != "count").map(|v| (v.as_str(), Arg::Text(format!("{{{v}}}")))).collect();
        if marks.len() == variables.len() {
            return Forms::from([("other", self.format_message(language, id, &marks))]);
        }
        let mut forms = Forms::new();
        for sample in SAMPLES {
            let category = plural_category(language, sample);
            if forms.contains_key(category) {
                continue;
            }
            let mut args = marks.clone();
            args.push(("count", Arg::Count(sample as i64)));
            let text = self.format_message(language, id, &args);
            let written = numbers::format_decimal(language, sample as f64, 0);
            forms.insert(category, text.replace(&written, "{count}"));
        }
        forms
    }

    /// `template` in `language`: every `{{message-id}}` replaced by its text (HTML-escaped),
    /// `{{lang}}`, `{{dir}}`, `{{texts}}` (the `prefix` messages as JSON) and `{{texts-script}}`.
    /// Other `{{…}}` marks are left for the caller.
    pub fn localize_page(&self, language: Language, prefix: &str, template: &str) -> String {
        let texts = serde_json::to_string(&self.page_texts(language, prefix)).unwrap_or_else(|_| "{}".into());
        let mut page = template
            .replace("{{lang}}", language.tag())
            .replace("{{dir}}", if language.is_rtl() { "rtl" } else { "ltr" })
            // Inside <script>, "</" would end it early; JSON may write "<" as \u003c.
            .replace("{{texts}}", &texts.replace('<', "\\u003c"))
            .replace("{{texts-script}}", SCRIPT);
        for (id, variables) in Strings::messages(Texts::Pages, Language::En) {
            let mark = format!("{{{{{id}}}}}");
            if variables.is_empty() && page.contains(&mark) {
                page = page.replace(&mark, &escape_html(&self.format_message(language, &id, &[])));
            }
        }
        page
    }
}

/// One page rendered in every language, picked per request by the browser's `Accept-Language`.
#[derive(Debug, Clone)]
pub struct LocalizedPage {
    pages: Vec<(Language, String)>,
}

impl LocalizedPage {
    /// `template` in every language ([`Strings::localize_page`]), then `finish` on each (the
    /// caller's own marks: a theme, a logo).
    pub fn new(strings: &Strings, prefix: &str, template: &str, finish: impl Fn(String) -> String) -> Self {
        let pages =
            Language::ALL.into_iter().map(|l| (l, finish(strings.localize_page(l, prefix, template)))).collect();
        Self { pages }
    }

    /// The page for an `Accept-Language` header (English when it names none of ours), and its
    /// language.
    pub fn for_accept_language(&self, accept_language: &str) -> (Language, &str) {
        let language = Language::negotiate(accept_language).unwrap_or(Language::En);
        let html = self.pages.iter().find(|(l, _)| *l == language).map_or("", |(_, html)| html.as_str());
        (language, html)
    }
}

/// Text safe inside HTML elements and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
