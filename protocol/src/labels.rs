//! The rules for names that come from outside (configuration, the provisioning inventory, the
//! catalog, MQTT payloads) and travel between programs. One check per kind, used at every entry
//! point, so a value one program accepts is never refused by the next: a room name that passes
//! `provision` and the kiosk's config check is one the staff side accepts in a size request.

/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 80;
/// Longest topic id, in bytes (an [`crate::telemetry::Ident`] holds at most 64).
pub const MAX_TOPIC_ID_LEN: usize = 64;

/// A label people read: a fitting room ("Room 3"), a product, a size, a colour, a brand, an
/// associate's name. 1 to [`MAX_LABEL_CHARS`] characters, not only spaces, and no control
/// characters (TAB, newline, NUL, …), which a staff screen or a log line cannot show.
pub fn check_label(value: &str) -> Result<(), String> {
    let len = value.chars().count();
    if value.trim().is_empty() || len > MAX_LABEL_CHARS {
        return Err(format!("must be 1 to {MAX_LABEL_CHARS} characters (not only spaces), not {len}"));
    }
    if let Some(bad) = value.chars().find(|c| c.is_control()) {
        return Err(format!("control characters are not allowed (found {bad:?})"));
    }
    Ok(())
}

/// An id that becomes an MQTT topic level, a client id and a file name (kiosk id, store id):
/// 1 to [`MAX_TOPIC_ID_LEN`] letters, digits, '-' and '_'.
pub fn check_topic_id(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > MAX_TOPIC_ID_LEN {
        return Err(format!("must be 1 to {MAX_TOPIC_ID_LEN} characters long, not {}", value.len()));
    }
    match value.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        Some(bad) => Err(format!("may only contain letters, digits, '-' and '_', not {bad:?}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_refuse_control_characters_blanks_and_length() {
        for good in ["Room 3", "Kabine 3 · oben", "試着室 2", &"x".repeat(MAX_LABEL_CHARS)] {
            assert_eq!(check_label(good), Ok(()), "{good:?}");
        }
        for bad in ["Room\t3", "Room\n3", "Room\u{0}3", "Room\u{7}", "Room\r3", "Room\u{9b}3"] {
            let problem = check_label(bad).err().unwrap_or_default();
            assert!(problem.contains("control characters"), "{bad:?}: {problem}");
        }
        for bad in ["", "   ", &"x".repeat(MAX_LABEL_CHARS + 1)] {
            assert!(check_label(bad).is_err_and(|p| p.contains("1 to 80")), "{bad:?}");
        }
    }

    #[test]
    fn topic_ids_are_short_and_plain() {
        assert_eq!(check_topic_id("room-3_b"), Ok(()));
        assert_eq!(check_topic_id(&"k".repeat(64)), Ok(()));
        assert!(check_topic_id(&"k".repeat(65)).is_err_and(|p| p.contains("not 65")));
        for bad in ["", "room 3", "a/b", "a+b", "a#", "käse", "a.b"] {
            assert!(check_topic_id(bad).is_err(), "{bad:?}");
        }
    }
}
