//! Lighting scenes: what "Daylight" or "Evening" means in colour temperature and brightness, the
//! same for the shopper's "Lights" sheet, the staff's `set_lighting` command and every controller
//! (`lighting` crate) that turns a scene into a lamp's settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A named light for the fitting room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scene {
    /// 5000 K, full: colours as outdoors at noon.
    Daylight,
    /// 4000 K, the shop floor's light (the default every session starts with).
    #[default]
    Store,
    /// 2700 K, warm.
    Sunset,
    /// 2700 K dimmed: an evening out.
    Evening,
}

/// Where the kiosk's light controller stands, as health reports it (the reason, which names a
/// device, stays in the kiosk's log and `kiosk doctor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LightsState {
    /// No controllable light (`controller = "none"`).
    #[default]
    None,
    /// Nothing has reached the lights yet.
    Starting,
    /// The last scene reached them (or is drawn on screen).
    Ok,
    /// The last scene did not reach them.
    Failed,
}

/// What a lamp is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Light {
    /// Correlated colour temperature, 2000–6500 K.
    pub kelvin: u16,
    /// 0 (off) to 100.
    pub brightness_percent: u8,
}

/// Warmest and coolest colour temperatures a scene uses or a tunable-white fixture mixes.
pub const WARMEST_K: u16 = 2700;
pub const COOLEST_K: u16 = 6500;

impl Scene {
    pub const ALL: [Scene; 4] = [Scene::Daylight, Scene::Store, Scene::Sunset, Scene::Evening];

    pub fn light(self) -> Light {
        match self {
            Scene::Daylight => Light { kelvin: 5000, brightness_percent: 100 },
            Scene::Store => Light { kelvin: 4000, brightness_percent: 90 },
            Scene::Sunset => Light { kelvin: 2700, brightness_percent: 85 },
            Scene::Evening => Light { kelvin: 2700, brightness_percent: 40 },
        }
    }

    /// The snake_case name configs and commands use.
    pub fn id(self) -> &'static str {
        match self {
            Scene::Daylight => "daylight",
            Scene::Store => "store",
            Scene::Sunset => "sunset",
            Scene::Evening => "evening",
        }
    }

    pub fn from_id(id: &str) -> Option<Scene> {
        Scene::ALL.into_iter().find(|s| s.id() == id)
    }
}

impl Light {
    /// Mireds (10⁶ / K), the unit Zigbee and Hue take colour temperature in.
    pub fn mireds(self) -> u16 {
        (1_000_000 / u32::from(self.kelvin.max(1))) as u16
    }

    /// Brightness on a 0–`max` scale, rounded.
    pub fn level(self, max: u32) -> u32 {
        (u32::from(self.brightness_percent.min(100)) * max + 50) / 100
    }

    /// A two-channel tunable-white fixture's (warm, cool) levels, 0–255: the share of cool white
    /// grows linearly from 2700 K to 6500 K, scaled by brightness.
    pub fn warm_cool(self) -> (u8, u8) {
        let span = f32::from(COOLEST_K - WARMEST_K);
        let cool = (f32::from(self.kelvin.clamp(WARMEST_K, COOLEST_K) - WARMEST_K) / span).clamp(0.0, 1.0);
        let level = f32::from(self.brightness_percent.min(100)) / 100.0 * 255.0;
        (((1.0 - cool) * level).round() as u8, (cool * level).round() as u8)
    }

    /// An sRGB tint close to a black body at this temperature (Tanner Helland's fit), for a light
    /// drawn on screen.
    pub fn tint(self) -> [f32; 3] {
        let t = f32::from(self.kelvin.clamp(1000, 40_000)) / 100.0;
        let red = if t <= 66.0 { 255.0 } else { 329.699 * (t - 60.0).powf(-0.133_204_76) };
        let green =
            if t <= 66.0 { 99.470_8 * t.ln() - 161.119_57 } else { 288.122_16 * (t - 60.0).powf(-0.075_514_85) };
        let blue = if t >= 66.0 {
            255.0
        } else if t <= 19.0 {
            0.0
        } else {
            138.517_73 * (t - 10.0).ln() - 305.044_8
        };
        [red, green, blue].map(|c| (c / 255.0).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenes_are_the_temperatures_the_store_promises() {
        let k: Vec<(u16, u8)> = Scene::ALL.iter().map(|s| (s.light().kelvin, s.light().brightness_percent)).collect();
        assert_eq!(k, [(5000, 100), (4000, 90), (2700, 85), (2700, 40)]);
        assert!(Scene::ALL.iter().all(|s| Scene::from_id(s.id()) == Some(*s)));
        assert_eq!(Scene::default(), Scene::Store);
    }

    #[test]
    fn conversions_for_zigbee_hue_and_dmx() {
        let store = Scene::Store.light();
        assert_eq!(store.mireds(), 250);
        assert_eq!(Scene::Sunset.light().mireds(), 370);
        assert_eq!(store.level(254), 229);
        assert_eq!(Light { kelvin: 2700, brightness_percent: 100 }.warm_cool(), (255, 0));
        assert_eq!(Light { kelvin: 6500, brightness_percent: 100 }.warm_cool(), (0, 255));
        assert_eq!(Light { kelvin: 4600, brightness_percent: 50 }.warm_cool(), (64, 64));
        let [r, _, b] = Scene::Sunset.light().tint();
        assert!(r > b + 0.3, "warm light is red-heavy");
        let [r, _, b] = Light { kelvin: 6500, brightness_percent: 100 }.tint();
        assert!((r - b).abs() < 0.1, "6500 K is near white");
    }
}
