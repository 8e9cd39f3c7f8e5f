//! The fitting room's lights behind one trait. A [`Controller`] turns a [`Light`] (colour
//! temperature and brightness, from a [`protocol::lighting::Scene`]) into what one kind of
//! hardware understands:
//!
//! | `[lighting] controller` | what it drives | how |
//! |---|---|---|
//! | `frame` | the light frame drawn around the mirror (the kiosk draws it; no controller here) | — |
//! | `backlight` | the display's backlight | `/sys/class/backlight/<device>/brightness` (colour stays) |
//! | `zigbee2mqtt` | Zigbee bulbs and panels | MQTT `zigbee2mqtt/<name>/set` with `color_temp` (mireds) and `brightness`, confirmed by the light's state echo |
//! | `artnet` / `sacn` | DMX tunable-white fixtures (warm, cool channels) | one ArtDmx / E1.31 packet per change to `dmx_target` |
//! | `hue` | a Philips Hue bridge's lights | `PUT /api/<username>/lights/<id>/state` |
//! | `home_assistant` | Home Assistant light entities | `POST /api/services/light/turn_on` with a long-lived token |
//!
//! A [`LightWorker`] owns the controller on its own thread: the kiosk hands it the newest light
//! and never waits; each outcome comes back as a [`Report`] (health and `kiosk doctor` show it).
//! Every network call has a timeout, so a dead bridge costs a report, not a frozen mirror.

mod backlight;
mod dmx;
mod http;
mod worker;
mod zigbee;

use std::time::Duration;

use protocol::{config::LightingSection, lighting::Light};

pub use backlight::Backlight;
pub use dmx::{ARTNET_PORT, ArtNet, SACN_PORT, Sacn};
pub use http::{HomeAssistant, Hue};
pub use worker::{LightWorker, Report};
pub use zigbee::Zigbee2Mqtt;

/// How long any controller waits for its hardware before it reports a failure.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Why a light could not be set, naming the device and what it said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LightError(pub String);

/// One kind of lighting hardware.
pub trait Controller: Send {
    /// What it drives, for health and doctor ("zigbee2mqtt: fitting-room-3, fitting-room-3b").
    fn describe(&self) -> String;
    /// Sets every light it drives; `Ok` only when the hardware accepted (or echoed) it.
    fn apply(&mut self, light: Light) -> Result<(), LightError>;
}

/// The controller `[lighting]` names, or `None` for `none` and `frame` (nothing to drive here).
pub fn from_config(section: &LightingSection) -> Result<Option<Box<dyn Controller>>, LightError> {
    use protocol::config::LightingController as Kind;
    Ok(match section.controller {
        Kind::None | Kind::Frame => None,
        Kind::Backlight => Some(Box::new(Backlight::open(&section.backlight_dir)?)),
        Kind::Zigbee2mqtt => {
            Some(Box::new(Zigbee2Mqtt::connect(&section.mqtt_url, &section.zigbee_base_topic, &section.lights)?))
        }
        Kind::Artnet => {
            Some(Box::new(ArtNet::new(&section.dmx_target, section.dmx_universe, section.dmx_start_channel)?))
        }
        Kind::Sacn => Some(Box::new(Sacn::new(&section.dmx_target, section.dmx_universe, section.dmx_start_channel)?)),
        Kind::Hue => Some(Box::new(Hue::new(&section.http_url, &section.http_token, &section.lights)?)),
        Kind::HomeAssistant => {
            Some(Box::new(HomeAssistant::new(&section.http_url, &section.http_token, &section.lights)?))
        }
    })
}
