//! `[accessibility]`: the self-voicing that speaks the mirror to a shopper who cannot see it well
//! (the focused control, screen changes, the "Still there?" warning) in the UI language, the
//! larger-text mode, and switch scanning for a shopper who uses one switch.

use serde::Deserialize;

use super::validate::Checks;

/// Where speech goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum VoiceKind {
    /// No speech.
    None,
    /// espeak-ng's voice for the UI language, played with `aplay` on `audio_device`.
    #[default]
    EspeakNg,
    /// Each utterance appended to `record_file` as `language<TAB>text` (tests, audits).
    Record,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccessibilitySection {
    pub voice: VoiceKind,
    /// The ALSA device speech plays on: the headphone jack where the display has one
    /// (e.g. "plughw:CARD=Headphones"); empty: the default device.
    pub audio_device: String,
    /// With `voice = "record"`: the file utterances are appended to.
    pub record_file: String,
    /// The first navigation key of a session (Tab, an arrow, Enter on a keypad) turns speech on
    /// for that session; the session's end turns it off.
    pub start_on_key: bool,
    /// How much larger every text is in the larger-text mode (1.2 to 2).
    pub large_text_scale: f32,
    /// Every session starts with switch scanning on: where a switch (or a switch interface that
    /// types Space or Enter) is installed at this mirror.
    pub switch_scan: bool,
    /// Seconds the scan highlight stays on each control before it moves on (0.5 to 10).
    pub scan_interval_s: f32,
}

impl Default for AccessibilitySection {
    fn default() -> Self {
        Self {
            voice: VoiceKind::EspeakNg,
            audio_device: String::new(),
            record_file: String::new(),
            start_on_key: true,
            large_text_scale: 1.5,
            switch_scan: false,
            scan_interval_s: 1.5,
        }
    }
}

impl AccessibilitySection {
    pub(super) fn check(&self, checks: &mut Checks) {
        checks.check(
            "accessibility.record_file",
            self.voice != VoiceKind::Record || !self.record_file.is_empty(),
            || "must be set for voice = \"record\"".into(),
        );
        checks.check("accessibility.audio_device", !self.audio_device.contains(char::is_whitespace), || {
            format!("{:?} is not an ALSA device name", self.audio_device)
        });
        checks.range("accessibility.large_text_scale", self.large_text_scale, 1.2..=2.0, "");
        checks.range("accessibility.scan_interval_s", self.scan_interval_s, 0.5..=10.0, " s");
    }
}
