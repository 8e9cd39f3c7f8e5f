//! `[input]`: keys beyond the keyboard's own (Tab, arrows, Enter, Space). A hardware profile maps
//! the keys an audio-nav keypad or a switch interface sends to the mirror's navigation, e.g.
//! `keymap = { Numpad8 = "up", Numpad2 = "down", Numpad5 = "press" }`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::validate::Checks;

/// What a mapped key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NavKey {
    Up,
    Down,
    Left,
    Right,
    /// The next control, as Tab.
    Next,
    /// The previous control, as Shift+Tab.
    Previous,
    /// Presses the focused control, as Enter.
    Press,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct InputSection {
    /// Key name (as [`KEY_NAMES`] lists them) → what it does.
    pub keymap: BTreeMap<String, NavKey>,
}

/// The key names a keymap may use: the keypad's, the function keys and the paging keys (what
/// assistive keypads and switch interfaces send).
pub const KEY_NAMES: [&str; 34] = [
    "Numpad0",
    "Numpad1",
    "Numpad2",
    "Numpad3",
    "Numpad4",
    "Numpad5",
    "Numpad6",
    "Numpad7",
    "Numpad8",
    "Numpad9",
    "NumpadEnter",
    "NumpadAdd",
    "NumpadSubtract",
    "NumpadMultiply",
    "NumpadDivide",
    "NumpadDecimal",
    "F1",
    "F2",
    "F3",
    "F4",
    "F5",
    "F6",
    "F7",
    "F8",
    "F9",
    "F10",
    "F11",
    "F12",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Escape",
    "Backspace",
];

impl InputSection {
    pub(super) fn check(&self, checks: &mut Checks) {
        let unknown: Vec<&str> = self.keymap.keys().map(String::as_str).filter(|k| !KEY_NAMES.contains(k)).collect();
        checks.check("input.keymap", unknown.is_empty(), || {
            format!("{} not a key a keymap can use ({})", unknown.join(", "), KEY_NAMES.join(", "))
        });
    }
}
