//! Every locale says everything English says, with the same variables, without a Fluent error.

use i18n::{Language, Phrase, Strings};

/// Counts that reach every plural form of our languages (Arabic has six).
const COUNTS: [i64; 6] = [0, 1, 2, 3, 11, 1234];

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    let english = Strings::messages(Language::En);
    assert!(english.len() > 140, "English has {} messages", english.len());
    for language in Language::ALL {
        let messages = Strings::messages(language);
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
        assert!(missing.is_empty() && extra.is_empty(), "{language}: missing {missing:?}, not in English {extra:?}");
        for (id, variables) in &messages {
            let wanted = &english.iter().find(|(m, _)| m == id).map(|(_, v)| v.clone()).unwrap_or_default();
            assert_eq!(variables, wanted, "{language}: {id} uses other variables than English");
        }
    }
}

#[test]
fn every_message_formats_without_errors_for_every_plural_form() {
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    for language in Language::ALL {
        for (id, variables) in Strings::messages(language) {
            for count in COUNTS {
                let phrase = variables.iter().fold(Phrase::new(leak(&id)), |p, v| p.count(leak(v), count));
                let text = strings.try_format(language, &phrase).unwrap_or_else(|e| panic!("{e}"));
                assert!(!text.trim().is_empty(), "{language}: {id} is empty");
                assert!(!text.contains('{') && !text.contains('}'), "{language}: {id} left a placeable: {text}");
            }
        }
    }
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
