//! `[lighting]`: which controller drives the fitting room's lights and where it reaches them.
//! The hardware profile sets it for a model (`hardware/profiles/*.toml`); the kiosk's file can
//! override it key by key. See the `lighting` crate for what each controller sends.

use serde::Deserialize;

use super::validate::Checks;
use crate::lighting::Scene;

/// The kind of lighting hardware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LightingController {
    /// No light the kiosk controls: "Lights" is not offered.
    None,
    /// The light frame drawn around the mirror on screen.
    #[default]
    Frame,
    Backlight,
    Zigbee2mqtt,
    Artnet,
    Sacn,
    Hue,
    HomeAssistant,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LightingSection {
    pub controller: LightingController,
    /// The scene every session starts in and the session's end returns to.
    pub store_scene: Scene,
    /// `backlight`: the device folder, e.g. /sys/class/backlight/intel_backlight; empty: the first.
    pub backlight_dir: String,
    /// `zigbee2mqtt`: its broker, `mqtt://host:port`.
    pub mqtt_url: String,
    /// `zigbee2mqtt`: its base topic.
    pub zigbee_base_topic: String,
    /// zigbee2mqtt friendly names, Hue light ids or Home Assistant entity ids.
    pub lights: Vec<String>,
    /// `artnet` / `sacn`: the node's address, `host[:port]` (ports 6454 / 5568 by default).
    pub dmx_target: String,
    /// `artnet`: 0–32767 (the 15-bit port address); `sacn`: 1–63999.
    pub dmx_universe: u16,
    /// The first of the fixture's two channels (warm white, cool white), 1–511.
    pub dmx_start_channel: u16,
    /// `hue`: the bridge, `http://192.168.1.2`; `home_assistant`: `http://homeassistant.local:8123`.
    pub http_url: String,
    /// `hue`: the bridge username; `home_assistant`: a long-lived access token.
    pub http_token: String,
}

impl Default for LightingSection {
    fn default() -> Self {
        Self {
            controller: LightingController::Frame,
            store_scene: Scene::Store,
            backlight_dir: String::new(),
            mqtt_url: String::new(),
            zigbee_base_topic: "zigbee2mqtt".into(),
            lights: Vec::new(),
            dmx_target: String::new(),
            dmx_universe: 1,
            dmx_start_channel: 1,
            http_url: String::new(),
            http_token: String::new(),
        }
    }
}

impl std::fmt::Display for LightingController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LightingController::None => "none",
            LightingController::Frame => "frame",
            LightingController::Backlight => "backlight",
            LightingController::Zigbee2mqtt => "zigbee2mqtt",
            LightingController::Artnet => "artnet",
            LightingController::Sacn => "sacn",
            LightingController::Hue => "hue",
            LightingController::HomeAssistant => "home_assistant",
        })
    }
}

impl LightingSection {
    /// The keys each controller needs, and their ranges.
    pub(super) fn check(&self, checks: &mut Checks) {
        use LightingController as C;
        let needs = |checks: &mut Checks, key: &'static str, set: bool| {
            checks.check(key, set, || format!("must be set for controller = \"{}\"", self.controller));
        };
        match self.controller {
            C::None | C::Frame | C::Backlight => {}
            C::Zigbee2mqtt => {
                needs(checks, "lighting.mqtt_url", !self.mqtt_url.is_empty());
                needs(checks, "lighting.lights", !self.lights.is_empty());
                let topic_ok = !self.zigbee_base_topic.is_empty() && !self.zigbee_base_topic.contains(['+', '#']);
                checks.check("lighting.zigbee_base_topic", topic_ok, || "must be a topic without wildcards".into());
            }
            C::Artnet | C::Sacn => {
                needs(checks, "lighting.dmx_target", !self.dmx_target.is_empty());
                let universes = if self.controller == C::Artnet { 0..=32767 } else { 1..=63999 };
                checks.check("lighting.dmx_universe", universes.contains(&self.dmx_universe), || {
                    format!("{} is outside {universes:?}", self.dmx_universe)
                });
                checks.check("lighting.dmx_start_channel", (1..=511).contains(&self.dmx_start_channel), || {
                    format!("{} is outside 1..=511 (the fixture takes two channels)", self.dmx_start_channel)
                });
            }
            C::Hue | C::HomeAssistant => {
                let url_ok = self.http_url.starts_with("http://") || self.http_url.starts_with("https://");
                checks.check("lighting.http_url", url_ok, || "must start with http:// or https://".into());
                needs(checks, "lighting.http_token", !self.http_token.is_empty());
                needs(checks, "lighting.lights", !self.lights.is_empty());
            }
        }
        for light in &self.lights {
            checks.label("lighting.lights", light);
        }
    }
}
