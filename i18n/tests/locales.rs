//! Every locale says everything English says, with the same variables, without a Fluent error.

use i18n::{Language, Phrase, Strings, Texts, pages};

/// Counts that reach every plural form of our languages (Arabic has six).
const COUNTS: [i64; 6] = [0, 1, 2, 3, 11, 1234];

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    for texts in Texts::ALL {
        let english = Strings::messages(texts, Language::En);
        assert!(english.len() > 60, "English {} has {} messages", texts.file(), english.len());
        for language in Language::ALL {
            let messages = Strings::messages(texts, language);
            let missing: Vec<&str> = english
                .iter()
                .filter(|(id, _)| !messages.iter().any(|(m, _)| m == id))
                .map(|(id, _)| id.as_str())
                .collect();
            let extra: Vec<&str> = messages
                .iter()
                .filter(|(id, _)| !english.iter().any(|(m, _)| m == id))
                .map(|(id, _)| id.as_str())
                .collect();
            let file = texts.file();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language} {file}: missing {missing:?}, not in English {extra:?}"
            );
            for (id, variables) in &messages {
                let wanted = &english.iter().find(|(m, _)| m == id).map(|(_, v)| v.clone()).unwrap_or_default();
                assert_eq!(variables, wanted, "{language} {file}: {id} uses other variables than English");
            }
        }
    }
}

#[test]
fn every_message_formats_without_errors_for_every_plural_form() {
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    for texts in Texts::ALL {
        for language in Language::ALL {
            for (id, variables) in Strings::messages(texts, language) {
                for count in COUNTS {
                    let phrase = variables.iter().fold(Phrase::new(leak(&id)), |p, v| p.count(leak(v), count));
                    let text = strings.try_format(language, &phrase).unwrap_or_else(|e| panic!("{e}"));
                    assert!(!text.trim().is_empty(), "{language}: {id} is empty");
                    assert!(!text.contains('{') && !text.contains('}'), "{language}: {id} left a placeable: {text}");
                }
            }
        }
    }
}

/// What a page's `t(id, {count, …})` writes: the template of the count's plural category with
/// its marks filled in, numbers written the language's way (here by Fluent's own formatter, the
/// same CLDR data as the browser's `Intl.NumberFormat`).
fn as_the_page_writes_it(strings: &Strings, language: Language, id: &str, count: i64) -> Option<String> {
    let texts = strings.page_texts(language, id);
    let forms = texts.get(id)?;
    let form = forms.get(pages::plural_category(language, count as u64)).or_else(|| forms.get("other"))?;
    let number = strings.format(language, &Phrase::new("still-there-seconds").count("seconds", count));
    Some(form.replace("{count}", &number).replace("{store}", "Oslo"))
}

#[test]
fn page_templates_write_what_fluent_writes_for_every_count() {
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    let counted: Vec<String> = Strings::messages(Texts::Pages, Language::En)
        .into_iter()
        .filter(|(_, variables)| variables.iter().any(|v| v == "count"))
        .map(|(id, _)| id)
        .collect();
    assert!(counted.len() >= 5, "page messages with a count: {counted:?}");
    for language in Language::ALL {
        for id in &counted {
            for count in (0..=250).chain([1_000, 1_234, 1_000_000]) {
                let fluent =
                    strings.format(language, &Phrase::new(leak(id)).count("count", count).text("store", "Oslo"));
                let page = as_the_page_writes_it(&strings, language, id, count);
                assert_eq!(page.as_deref(), Some(fluent.as_str()), "{language}: {id} for {count}");
            }
        }
    }
}

#[test]
fn a_localized_page_has_no_mark_left_and_its_texts_are_escaped() {
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    let template = "<html lang=\"{{lang}}\" dir=\"{{dir}}\"><title>{{viewer-title}}</title>\
        <script type=\"application/json\" id=\"texts\">{{texts}}</script><script>{{texts-script}}</script>{{theme}}";
    let arabic = strings.localize_page(Language::Ar, "viewer-", template);
    assert!(arabic.starts_with("<html lang=\"ar\" dir=\"rtl\"><title>إطلالة مباشرة</title>"), "{arabic}");
    assert!(arabic.contains("\"viewer-watching\":{\"few\":\"{count} يشاهدون\""), "{arabic}");
    assert!(arabic.contains("function t(id"), "{arabic}");
    assert!(arabic.ends_with("{{theme}}"), "marks that are not texts are left for the caller");
    let english = strings.localize_page(Language::En, "home-", "<p>{{home-privacy}}</p>");
    assert!(english.contains("after the “#”") && !english.contains("{{"), "{english}");
    assert_eq!(pages::escape_html("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
}
#[test]
fn translations_are_not_english_left_in_place() {
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    let say = |language, id: &str| strings.format(language, &Phrase::new(leak(id)));
    for language in Language::ALL.into_iter().filter(|l| *l != Language::En) {
        for id in ["attract-start", "still-there-title", "share-consent-title", "complete-the-look", "end-session"] {
            assert_ne!(say(language, id), say(Language::En, id), "{language}: {id} is still English");
        }
    }
}
