//! The kiosk's configuration: one TOML file, every option with a default, command-line overrides,
//! and validation whose every error names the key at fault.
//!
//! Loading goes: file text → [`toml::Table`] (syntax errors carry line and column) → `--set
//! key=value` overrides merged in → typed [`KioskConfig`] (unknown keys and wrong types are
//! reported with their dotted key path) → [`KioskConfig::validate`] (ranges and cross-field rules).
//! The documented example is `assets/kiosk.example.toml`; a test keeps it loadable.

use std::{fmt, path::PathBuf, time::Duration};

use serde::Deserialize;

use crate::session::SessionTimeouts;

mod accessibility;
mod input;
mod lighting;
mod theme;
mod validate;

pub use accessibility::{AccessibilitySection, VoiceKind};
pub use input::{InputSection, KEY_NAMES, NavKey};
pub use lighting::{LightingController, LightingSection};
pub use theme::{ThemeSection, contrast_ratio, ink_on, parse_hex_colour, relative_luminance};

/// Everything the kiosk can be told. Every section and key has a default.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct KioskConfig {
    pub kiosk: KioskSection,
    pub display: DisplaySection,
    pub camera: CameraSection,
    pub session: SessionSection,
    pub share: ShareSection,
    pub diagnostics: DiagnosticsSection,
    pub telemetry: TelemetrySection,
    pub remote: RemoteSection,
    pub catalog: CatalogSection,
    pub scanning: ScanningSection,
    pub requests: RequestsSection,
    pub looks: LooksSection,
    pub takehome: TakeHomeSection,
    pub lighting: LightingSection,
    pub accessibility: AccessibilitySection,
    pub theme: ThemeSection,
    pub input: InputSection,
    pub hardware: HardwareSection,
}

/// `[kiosk]`: who this kiosk is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KioskSection {
    /// Unique id of this kiosk within the chain (used in topics and logs).
    pub id: String,
    /// The store this kiosk stands in (its staff get this kiosk's size requests).
    pub store: String,
    /// Shown on the attract screen.
    pub brand: String,
    /// The store's language, which every session starts in (a BCP 47 tag: en, es, fr, de, it, pt,
    /// ja, zh-Hans, ar); the shopper can pick another for the session.
    pub language: String,
    /// The fitting room as store staff call it ("Room 3"); size requests name it.
    pub room: String,
    /// The store's IANA time zone, e.g. "Europe/Berlin". Empty: the system's.
    pub time_zone: String,
    /// The store's opening hours, e.g. "Mo-Fr 09:00-20:00; Sa 10:00-18:00". Empty: always open.
    pub opening_hours: String,
}

impl Default for KioskSection {
    fn default() -> Self {
        Self {
            id: "demo-kiosk".into(),
            store: "demo-store".into(),
            brand: "Fitting Room".into(),
            language: "en".into(),
            room: "Fitting room".into(),
            time_zone: String::new(),
            opening_hours: String::new(),
        }
    }
}

/// How the app window is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WindowMode {
    /// Borderless full screen on the primary monitor (production).
    Fullscreen,
    /// A normal window (development).
    Windowed,
}

/// `[display]`: the screen in front of the shopper.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisplaySection {
    pub mode: WindowMode,
    /// Window size in windowed mode, in pixels (portrait by default).
    pub windowed_width: u32,
    pub windowed_height: u32,
    /// Physical width of the visible screen area in millimetres, used to size touch targets.
    pub physical_width_mm: f32,
    /// Smallest side of a touch target in millimetres (accessibility guidance: at least 15).
    pub touch_target_mm: f32,
    /// Height of the visible screen's bottom edge above the floor, in millimetres, as mounted:
    /// with the screen's height it places every control, which must sit 380–1220 mm up (the
    /// forward reach of EN 301 549 / ADA). Where the top of the screen is out of reach, the kiosk
    /// moves its upper controls down ("lower controls").
    pub mount_bottom_mm: f32,
}

/// The band of heights above the floor where every control must sit (EN 301 549 8.3.2.x,
/// ADA 308: unobstructed forward reach 15–48 in).
pub const REACH_MM: std::ops::RangeInclusive<f32> = 380.0..=1220.0;

impl DisplaySection {
    /// Height of the visible screen in millimetres: a portrait 16:9 panel.
    pub fn physical_height_mm(&self) -> f32 {
        self.physical_width_mm * 16.0 / 9.0
    }
}

impl Default for DisplaySection {
    fn default() -> Self {
        Self {
            mode: WindowMode::Fullscreen,
            windowed_width: 540,
            windowed_height: 960,
            // A 43" 16:9 panel mounted in portrait is about 535 mm wide.
            physical_width_mm: 535.0,
            touch_target_mm: 18.0,
            mount_bottom_mm: 400.0,
        }
    }
}

/// Where frames come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CameraSourceKind {
    /// The V4L2 camera; if absent, show "camera unavailable" and keep retrying (production).
    Device,
    /// The synthetic fitting-room scene (demo, tests).
    Synthetic,
    /// The V4L2 camera if one opens at start, otherwise the synthetic scene (demo).
    DeviceOrSynthetic,
}

/// Pixel formats the pipeline converts to RGBA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelFormat {
    /// Motion JPEG: the usual choice for 720p/1080p at 30 fps over USB 2.
    Mjpeg,
    /// Packed YUV 4:2:2.
    Yuyv,
    /// Semi-planar YUV 4:2:0.
    Nv12,
    /// Packed 8-bit RGB.
    Rgb,
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PixelFormat::Mjpeg => "MJPEG",
            PixelFormat::Yuyv => "YUYV",
            PixelFormat::Nv12 => "NV12",
            PixelFormat::Rgb => "RGB",
        })
    }
}

/// `[camera]`: capture settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CameraSection {
    pub source: CameraSourceKind,
    /// V4L2 device index (`/dev/videoN`), when `device_path` is empty.
    pub device_index: u32,
    /// A stable device name, e.g. "/dev/mirror-camera" (the udev rule in hardware/ makes it);
    /// followed to its `/dev/videoN` each time the camera is opened, so a replugged camera that
    /// comes back under another number is found. Empty: `device_index`.
    pub device_path: String,
    /// Pixel formats in order of preference; see the negotiation rules in the camera crate.
    pub formats: Vec<PixelFormat>,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Show the image mirrored, as a mirror would.
    pub mirror: bool,
    /// Consecutive capture errors before the camera is declared lost and reopened.
    pub error_threshold: u32,
    /// No new frame for this long (milliseconds) shows "camera unavailable" (a hung camera).
    pub stall_timeout_ms: u64,
    /// First and largest wait between reopen attempts (milliseconds); it doubles in between.
    pub reconnect_initial_ms: u64,
    pub reconnect_max_ms: u64,
    /// Background image for the synthetic scene; drawn procedurally when not set.
    pub synthetic_background: Option<PathBuf>,
    /// Fault injection for tests; all off by default.
    pub faults: FaultSection,
}

impl Default for CameraSection {
    fn default() -> Self {
        Self {
            source: CameraSourceKind::Device,
            device_index: 0,
            device_path: String::new(),
            formats: vec![PixelFormat::Mjpeg, PixelFormat::Yuyv, PixelFormat::Nv12],
            width: 1280,
            height: 720,
            fps: 30,
            mirror: true,
            error_threshold: 3,
            stall_timeout_ms: 800,
            reconnect_initial_ms: 250,
            reconnect_max_ms: 4000,
            synthetic_background: None,
            faults: FaultSection::default(),
        }
    }
}

impl CameraSection {
    pub fn stall_timeout(&self) -> Duration {
        Duration::from_millis(self.stall_timeout_ms)
    }
}

/// `[camera.faults]`: make the camera misbehave on a schedule (tests and demos of recovery).
/// Times count from when capture starts.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FaultSection {
    /// Fail every Nth frame (0: never).
    pub drop_every: u32,
    /// Block inside one frame read after this many seconds, for `stall_for_s` seconds.
    pub stall_after_s: Option<f32>,
    pub stall_for_s: f32,
    /// Unplug the camera after this many seconds, for `disconnect_for_s` seconds.
    pub disconnect_after_s: Option<f32>,
    pub disconnect_for_s: f32,
}

/// `[session]`: when an unattended session ends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSection {
    /// Seconds without a touch before "Still there?".
    pub inactivity_timeout_s: f32,
    /// Seconds the "Still there?" countdown runs before the session ends and is wiped: at least
    /// 20 (WCAG 2.2.1); any touch or key gives the shopper the whole session time again.
    pub warning_countdown_s: f32,
}

impl Default for SessionSection {
    fn default() -> Self {
        Self { inactivity_timeout_s: 90.0, warning_countdown_s: 30.0 }
    }
}

impl SessionSection {
    pub fn timeouts(&self) -> SessionTimeouts {
        SessionTimeouts {
            inactivity: Duration::from_secs_f32(self.inactivity_timeout_s),
            warning: Duration::from_secs_f32(self.warning_countdown_s),
        }
    }
}

/// `[share]`: live sharing of the shopper's look with friends' phones, through a share relay.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShareSection {
    pub enabled: bool,
    /// Base URL of the chain's or store's share relay, e.g. "https://share.example-store.com".
    /// Empty: the kiosk runs a relay in-process (demo, single store).
    pub relay_url: String,
    /// This kiosk's key at that relay (provisioned); unused for the in-process relay.
    pub kiosk_key: String,
    /// PEM file of extra certificate authorities to trust for an `https://` relay (a chain's
    /// private CA), on top of the system's. Empty: the system's only.
    pub relay_ca_file: String,
    /// In-process relay: where it listens (reachable on the store LAN).
    pub embedded_listen: String,
    /// In-process relay: the base URL phones open. Empty: `http://<this kiosk's LAN address>:<port>`.
    pub embedded_public_url: String,
    /// Frames per second sent while sharing.
    pub fps: u32,
    /// Longest side of a shared frame, in pixels.
    pub long_edge: u32,
    /// JPEG quality of shared frames, 1–100.
    pub quality: u8,
    /// Seconds between attempts to reach a relay that is down.
    pub retry_s: f32,
    /// Live video over WebRTC (VP8) when the relay has a media server; phones WebRTC cannot
    /// reach keep the JPEG frames.
    pub webrtc: bool,
    /// The WebRTC video's bitrate cap, bits per second.
    pub video_bitrate_bps: u32,
    /// In-process relay: the Janus HTTP API URLs that carry the live video. Empty: JPEG only.
    pub embedded_janus: Vec<String>,
    /// In-process relay: Janus's `api_secret`.
    pub embedded_janus_api_secret: String,
    /// In-process relay: the VideoRoom plugin's `admin_key`, if Janus sets one.
    pub embedded_janus_admin_key: String,
}

impl Default for ShareSection {
    fn default() -> Self {
        Self {
            enabled: true,
            relay_url: String::new(),
            kiosk_key: String::new(),
            relay_ca_file: String::new(),
            embedded_listen: "0.0.0.0:8090".into(),
            embedded_public_url: String::new(),
            fps: 15,
            long_edge: 720,
            quality: 70,
            retry_s: 5.0,
            webrtc: true,
            video_bitrate_bps: 600_000,
            embedded_janus: Vec::new(),
            embedded_janus_api_secret: String::new(),
            embedded_janus_admin_key: String::new(),
        }
    }
}

/// `[diagnostics]`: the overlay with frame rates and latency (F3 toggles it).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DiagnosticsSection {
    pub visible: bool,
}

/// `[telemetry]`: usage events, status and health over MQTT, and the on-disk outbox that keeps
/// events until the broker has them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetrySection {
    /// `mqtt://host:1883` or `mqtts://host:8883` (TLS). Empty: no broker; events are written to a
    /// local spool file in `data_dir` and logged (demo).
    pub broker_url: String,
    /// MQTT username; empty: the kiosk id.
    pub username: String,
    /// MQTT password; empty: none (anonymous or client-certificate authentication).
    pub password: String,
    /// PEM certificate and key for TLS client-certificate authentication (both or neither).
    pub client_cert_file: String,
    pub client_key_file: String,
    /// PEM file of extra certificate authorities to trust for `mqtts://` (a chain's private CA).
    pub ca_file: String,
    /// Where the outbox (and the local spool) live. Empty: `$STATE_DIRECTORY` when systemd sets
    /// it, otherwise `~/.local/state/smart-mirror`.
    pub data_dir: String,
    /// Largest size of the outbox on disk; when full, the oldest events are dropped and counted.
    pub outbox_max_mb: u32,
    /// Seconds between health reports.
    pub health_interval_s: f32,
    /// MQTT keep-alive in seconds; the broker publishes the Will after 1.5× this without traffic.
    pub keep_alive_s: u32,
    /// First and largest wait between reconnect attempts (milliseconds); it doubles in between,
    /// with random jitter so a store's kiosks do not reconnect in step.
    pub reconnect_initial_ms: u64,
    pub reconnect_max_ms: u64,
}

impl Default for TelemetrySection {
    fn default() -> Self {
        Self {
            broker_url: String::new(),
            username: String::new(),
            password: String::new(),
            client_cert_file: String::new(),
            client_key_file: String::new(),
            ca_file: String::new(),
            data_dir: String::new(),
            outbox_max_mb: 64,
            health_interval_s: 30.0,
            keep_alive_s: 30,
            reconnect_initial_ms: 500,
            reconnect_max_ms: 30_000,
        }
    }
}

/// `[remote]`: what remote commands may do.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RemoteSection {
    /// HTTPS endpoint that receives remote screenshots (PNG, HTTP POST). Empty: screenshots are refused.
    pub screenshot_upload_url: String,
    /// Sent as `Authorization: Bearer …` with each upload; empty: no header.
    pub screenshot_upload_token: String,
}

/// `[catalog]`: where the product catalog comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogSection {
    /// URL of the catalog JSON (`https://`, or `http://` to this machine). Empty: no download;
    /// the cache or the bundled catalog is used.
    pub url: String,
    /// PEM file of extra certificate authorities for `url` (a chain's private CA).
    pub ca_file: String,
    /// Seconds between refreshes (conditional requests: an unchanged catalog costs a 304).
    pub refresh_interval_s: u32,
    /// A catalog directory (`catalog.json` + `images/`) used when nothing was downloaded yet,
    /// e.g. the demo's `assets/catalog`. Empty: none.
    pub bundled: String,
}

impl Default for CatalogSection {
    fn default() -> Self {
        Self { url: String::new(), ca_file: String::new(), refresh_interval_s: 900, bundled: String::new() }
    }
}

/// `[scanning]`: how the mirror identifies what the shopper brought in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScanningSection {
    /// Camera frames per second searched for a barcode or QR code while the products panel is
    /// open (0: never use the camera for tags). README: Performance has the cost per frame.
    pub camera_scan_hz: u32,
    /// A line-based RFID reader on the network, `host:port` (see `hardware/`). Empty: none.
    pub rfid_reader: String,
}

impl Default for ScanningSection {
    fn default() -> Self {
        Self { camera_scan_hz: 4, rfid_reader: String::new() }
    }
}

/// `[requests]`: asking an associate for another size.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RequestsSection {
    pub enabled: bool,
    /// Minutes without an associate accepting before the staff are reminded (and again every
    /// as many minutes).
    pub reminder_minutes: f32,
}

impl Default for RequestsSection {
    fn default() -> Self {
        Self { enabled: true, reminder_minutes: 3.0 }
    }
}

/// `[looks]`: stills of each outfit the shopper tries, kept in memory for this session only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LooksSection {
    /// Seconds of "3-2-1" before a look is taken, so the shopper can step back.
    pub countdown_s: u32,
    /// Looks one session may keep (each is one camera-sized picture in memory).
    pub max_looks: u32,
    /// Longest twirl, in seconds (recorded at 15 fps and replayed in a loop).
    pub twirl_s: u32,
    /// How late "See your back" shows the mirror, in seconds.
    pub back_delay_s: u32,
}

impl Default for LooksSection {
    fn default() -> Self {
        Self { countdown_s: 3, max_looks: 8, twirl_s: 8, back_delay_s: 4 }
    }
}

/// `[takehome]`: what the shopper takes to their own phone (a link that expires).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TakeHomeSection {
    pub enabled: bool,
    /// How long a take-home link works, in hours (1 to 168).
    pub expiry_h: u32,
}

impl Default for TakeHomeSection {
    fn default() -> Self {
        Self { enabled: true, expiry_h: 24 }
    }
}

/// `[hardware]`: which hardware model this kiosk is (`hardware/profiles/{profile}.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HardwareSection {
    /// The profile's name; empty: none. Its `[display]` and `[camera]` values apply under this
    /// file's own.
    pub profile: String,
    /// Where the profiles are.
    pub profiles_dir: String,
}

impl Default for HardwareSection {
    fn default() -> Self {
        Self { profile: String::new(), profiles_dir: DEFAULT_PROFILES_DIR.into() }
    }
}

/// Where a configuration came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    File(PathBuf),
    Defaults,
}

impl fmt::Display for ConfigOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigOrigin::File(path) => write!(f, "{}", path.display()),
            ConfigOrigin::Defaults => f.write_str("built-in defaults with --set overrides"),
        }
    }
}

/// A configuration problem, naming where and which key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{origin}: not valid TOML: {reason}")]
    Syntax { origin: ConfigOrigin, reason: String },
    #[error("--set {arg:?}: expected KEY=VALUE with a TOML value, for example camera.fps=15: {reason}")]
    BadOverride { arg: String, reason: String },
    #[error("{origin}: key `{key}`: {problem}")]
    Key { origin: ConfigOrigin, key: String, problem: String },
}

impl KioskConfig {
    /// Loads the file at `path` (or the defaults when `None`), applies `overrides` of the form
    /// `dotted.key=toml-value`, and validates the result.
    pub fn load(path: Option<&std::path::Path>, overrides: &[String]) -> Result<Self, ConfigError> {
        let (origin, text) = Self::read(path)?;
        Self::build(&text, origin, overrides, true)
    }

    /// The configuration as the file and `overrides` say, without the hardware profile it names
    /// (`kiosk doctor` checks the file and the profile separately).
    pub fn load_without_profile(path: Option<&std::path::Path>, overrides: &[String]) -> Result<Self, ConfigError> {
        let (origin, text) = Self::read(path)?;
        Self::build(&text, origin, overrides, false)
    }

    fn read(path: Option<&std::path::Path>) -> Result<(ConfigOrigin, String), ConfigError> {
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::Unreadable { path: path.to_path_buf(), reason: e.to_string() })?;
                Ok((ConfigOrigin::File(path.to_path_buf()), text))
            }
            None => Ok((ConfigOrigin::Defaults, String::new())),
        }
    }

    /// Parses configuration text; see [`KioskConfig::load`]. The hardware profile the text may
    /// name is not read (no file access).
    pub fn from_toml(text: &str, origin: ConfigOrigin, overrides: &[String]) -> Result<Self, ConfigError> {
        Self::build(text, origin, overrides, false)
    }

    fn build(text: &str, origin: ConfigOrigin, overrides: &[String], with_profile: bool) -> Result<Self, ConfigError> {
        let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError::Syntax {
            origin: origin.clone(),
            reason: syntax_error(text, &e),
        })?;
        for arg in overrides {
            apply_override(&mut table, arg)?;
        }
        if with_profile {
            apply_profile(&mut table, &origin)?;
        }
        let config: KioskConfig = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            ConfigError::Key { origin: origin.clone(), key: dotted_key(&e), problem: shorten(e.inner().message()) }
        })?;
        config.validate().map_err(|(key, problem)| ConfigError::Key { origin, key: key.to_string(), problem })?;
        Ok(config)
    }
}

/// Longest problem text an error quotes; longer ones (a pasted 1 MB value) are cut.
const MAX_PROBLEM_CHARS: usize = 160;

/// `text` on one line (newlines and tabs become spaces) and at most [`MAX_PROBLEM_CHARS`]
/// characters, so an error is one log line and never echoes a huge input. The relay's config
/// errors use it too.
pub fn shorten(text: &str) -> String {
    let one_line: String = text.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match one_line.char_indices().nth(MAX_PROBLEM_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// A TOML syntax error as one line: the problem and where (toml's own rendering quotes the whole
/// offending line over several lines).
fn syntax_error(text: &str, error: &toml::de::Error) -> String {
    let Some(span) = error.span() else { return shorten(error.message()) };
    let before = &text.as_bytes()[..span.start.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    format!("{} at line {line}, column {column}", shorten(error.message()))
}

/// Puts the `[display]`, `[camera]` and `[lighting]` sections of the hardware profile the table names under the
/// table's own: defaults < profile < config file < `--set`.
fn apply_profile(table: &mut toml::Table, origin: &ConfigOrigin) -> Result<(), ConfigError> {
    let hardware = table.get("hardware").and_then(toml::Value::as_table);
    let Some(name) = hardware.and_then(|h| h.get("profile")).and_then(toml::Value::as_str).filter(|n| !n.is_empty())
    else {
        return Ok(());
    };
    let problem =
        |problem: String| ConfigError::Key { origin: origin.clone(), key: "hardware.profile".into(), problem };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(problem(format!("{name:?} may only contain letters, digits, '-' and '_'")));
    }
    let dir =
        hardware.and_then(|h| h.get("profiles_dir")).and_then(toml::Value::as_str).unwrap_or(DEFAULT_PROFILES_DIR);
    let path = std::path::Path::new(dir).join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).map_err(|e| problem(format!("cannot read {}: {e}", path.display())))?;
    let profile: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| problem(format!("{}: {}", path.display(), e.to_string().trim_end())))?;
    for section in ["display", "camera", "lighting", "input"] {
        let Some(base) = profile.get(section).and_then(toml::Value::as_table) else { continue };
        let mut merged = base.clone();
        if let Some(own) = table.get(section).and_then(toml::Value::as_table) {
            overlay(&mut merged, own);
        }
        table.insert(section.into(), toml::Value::Table(merged));
    }
    Ok(())
}

/// `own`'s keys over `base`, tables merged key by key.
fn overlay(base: &mut toml::Table, own: &toml::Table) {
    for (key, value) in own {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(own)) => overlay(base, own),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Where installed kiosks keep the hardware profiles (hardware/install-kiosk.sh puts them there).
pub const DEFAULT_PROFILES_DIR: &str = "/opt/smart-mirror/hardware/profiles";

/// Merges one `a.b.c=value` override into the table. The value is parsed as TOML, falling back
/// to a plain string so `--set kiosk.id=store-12` works without quotes.
fn apply_override(table: &mut toml::Table, arg: &str) -> Result<(), ConfigError> {
    let bad = |reason: &str| ConfigError::BadOverride { arg: arg.to_string(), reason: reason.to_string() };
    let (key, raw) = arg.split_once('=').ok_or_else(|| bad("missing '='"))?;
    let path: Vec<&str> = key.trim().split('.').collect();
    if path.iter().any(|p| p.is_empty()) {
        return Err(bad("empty key segment"));
    }
    let value = format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()));
    let (last, parents) = path.split_last().ok_or_else(|| bad("empty key"))?;
    let mut node = table;
    for segment in parents {
        let entry = node.entry(segment.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        node = entry.as_table_mut().ok_or_else(|| bad(&format!("`{segment}` is not a table")))?;
    }
    node.insert(last.to_string(), value);
    Ok(())
}

/// The dotted key an error points at. For an unknown key, serde reports the containing table
/// in the path and the key in the message; both end up in the dotted key.
fn dotted_key(e: &serde_path_to_error::Error<toml::de::Error>) -> String {
    let path = e.path().to_string();
    let message = e.inner().message();
    let unknown = message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next());
    match (path.as_str(), unknown) {
        (".", Some(field)) => field.to_string(),
        (_, Some(field)) if !path.ends_with(field) => format!("{path}.{field}"),
        (".", None) => "(top level)".to_string(),
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<KioskConfig, ConfigError> {
        KioskConfig::from_toml(text, ConfigOrigin::File("kiosk.toml".into()), &[])
    }

    fn key_error(text: &str) -> (String, String) {
        match load(text) {
            Err(ConfigError::Key { key, problem, .. }) => (key, problem),
            other => panic!("expected a key error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(load(""), Ok(KioskConfig::default()));
    }

    #[test]
    fn the_checked_in_example_loads_and_sets_every_section() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/kiosk.example.toml");
        let config = KioskConfig::load(Some(std::path::Path::new(path)), &[]);
        assert!(config.is_ok(), "{config:?}");
        // Every section of the configuration is documented there, with every key of it.
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let example: toml::Table = text.parse().unwrap_or_else(|e| panic!("{e}"));
        let sections = [
            "kiosk",
            "display",
            "camera",
            "session",
            "share",
            "diagnostics",
            "telemetry",
            "remote",
            "catalog",
            "scanning",
            "requests",
            "looks",
            "takehome",
            "lighting",
            "accessibility",
            "theme",
            "input",
            "hardware",
        ];
        for section in sections {
            assert!(example.get(section).is_some_and(toml::Value::is_table), "the example has no [{section}]");
        }
        let extra: Vec<&String> = example.keys().filter(|k| !sections.contains(&k.as_str())).collect();
        assert!(extra.is_empty(), "sections the kiosk does not know: {extra:?}");
    }

    #[test]
    fn unknown_keys_are_named_with_their_path() {
        assert_eq!(key_error("[camera]\nfsp = 30\n").0, "camera.fsp");
        assert_eq!(key_error("colour = 1\n").0, "colour");
        assert_eq!(key_error("[camera.faults]\nexplode = true\n").0, "camera.faults.explode");
    }

    #[test]
    fn wrong_types_and_enum_values_are_named() {
        let (key, problem) = key_error("[camera]\nfps = \"thirty\"\n");
        assert_eq!(key, "camera.fps");
        assert!(problem.contains("invalid type"), "{problem}");
        let (key, problem) = key_error("[camera]\nsource = \"webcam\"\n");
        assert_eq!(key, "camera.source");
        assert!(problem.contains("device-or-synthetic"), "{problem}");
        assert_eq!(key_error("[camera]\nformats = [\"h264\"]\n").0, "camera.formats[0]");
        assert_eq!(key_error("[display]\nmode = 3\n").0, "display.mode");
    }

    #[test]
    fn out_of_range_values_are_named() {
        for (text, key) in [
            ("[camera]\nfps = 0", "camera.fps"),
            ("[camera]\nwidth = 1281", "camera.width"),
            ("[camera]\nheight = 99999", "camera.height"),
            ("[camera]\nformats = []", "camera.formats"),
            ("[camera]\nformats = [\"yuyv\", \"yuyv\"]", "camera.formats"),
            ("[camera]\nerror_threshold = 0", "camera.error_threshold"),
            ("[camera]\nreconnect_initial_ms = 5000", "camera.reconnect_initial_ms"),
            ("[camera]\nstall_timeout_ms = 10", "camera.stall_timeout_ms"),
            ("[kiosk]\nid = \"\"", "kiosk.id"),
            ("[kiosk]\nid = \"a/b\"", "kiosk.id"),
            ("[display]\ntouch_target_mm = 9", "display.touch_target_mm"),
            ("[display]\nphysical_width_mm = 0", "display.physical_width_mm"),
            ("[display]\nwindowed_width = 10", "display.windowed_width"),
            ("[display]\nwindowed_height = 100000", "display.windowed_height"),
            ("[session]\ninactivity_timeout_s = 1", "session.inactivity_timeout_s"),
            ("[session]\nwarning_countdown_s = 0", "session.warning_countdown_s"),
            ("[session]\nwarning_countdown_s = 19.5", "session.warning_countdown_s"),
            ("[kiosk]\nlanguage = \"nl\"", "kiosk.language"),
            ("[input]\nkeymap = { KeyQ = \"press\" }", "input.keymap"),
            ("[share]\nrelay_url = \"ftp://x\"", "share.relay_url"),
            ("[share]\nrelay_url = \"https://relay.example\"\nkiosk_key = \"short\"", "share.kiosk_key"),
            ("[share]\nembedded_listen = \"nowhere\"", "share.embedded_listen"),
            ("[share]\nfps = 0", "share.fps"),
            ("[share]\nlong_edge = 5000", "share.long_edge"),
            ("[share]\nquality = 0", "share.quality"),
            ("[share]\nretry_s = 0", "share.retry_s"),
            ("[share]\nvideo_bitrate_bps = 5", "share.video_bitrate_bps"),
            ("[catalog]\nurl = \"http://catalog.example/c.json\"", "catalog.url"),
            ("[catalog]\nrefresh_interval_s = 1", "catalog.refresh_interval_s"),
            ("[scanning]\ncamera_scan_hz = 30", "scanning.camera_scan_hz"),
            ("[requests]\nreminder_minutes = 0", "requests.reminder_minutes"),
            ("[kiosk]\nroom = \" \"", "kiosk.room"),
            ("[kiosk]\ntime_zone = \"Mars/Olympus\"", "kiosk.time_zone"),
            ("[kiosk]\nopening_hours = \"Mo 9-5\"", "kiosk.opening_hours"),
            ("[hardware]\nprofile = \"../etc\"", "hardware.profile"),
        ] {
            assert_eq!(key_error(text).0, key, "for {text:?}");
        }
    }

    #[test]
    fn the_named_hardware_profile_sits_between_defaults_and_the_file() {
        let dir = std::env::temp_dir().join(format!("mirror-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.join("test-panel.toml"),
            "[profile]\nname = \"test-panel\"\n[display]\nphysical_width_mm = 396.0\n[camera]\nwidth = 1920\nheight = 1080\nfps = 25\n[touch]\nrotation_degrees = 90\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let file = dir.join("kiosk.toml");
        let text = format!(
            "[hardware]\nprofile = \"test-panel\"\nprofiles_dir = {:?}\n[camera]\nfps = 30\n",
            dir.display().to_string()
        );
        std::fs::write(&file, &text).unwrap_or_else(|e| panic!("{e}"));
        let config = KioskConfig::load(Some(&file), &["camera.height=720".into()]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.display.physical_width_mm, 396.0, "from the profile");
        assert_eq!(
            (config.camera.width, config.camera.height, config.camera.fps),
            (1920, 720, 30),
            "file and --set win"
        );
        std::fs::write(&file, text.replace("test-panel\"\n", "no-such-panel\"\n")).unwrap_or_else(|e| panic!("{e}"));
        let err = KioskConfig::load(Some(&file), &[]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("key `hardware.profile`: cannot read") && err.contains("no-such-panel.toml"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn error_message_names_file_and_key() {
        let err = load("[camera]\nfps = 0\n").err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("kiosk.toml: key `camera.fps`: 0 is outside 1..=240"));
    }

    #[test]
    fn every_error_is_one_short_line_that_never_echoes_a_huge_input() {
        let huge = "x".repeat(1 << 20);
        let cases = [
            ("[camera]\nfps = \"thirty\"\n".to_string(), "camera.fps"),
            (format!("[camera]\nfps = \"{huge}\"\n"), "camera.fps"),
            (format!("[kiosk]\nroom = \"{huge}\"\n"), "kiosk.room"),
            (format!("[camera]\nfps = {huge}\n"), "line 2"),
            (format!("[camera\n{huge}"), "line 1"),
        ];
        for (text, names) in cases {
            let err = load(&text).err().map(|e| e.to_string()).unwrap_or_default();
            let start: String = err.chars().take(200).collect();
            assert!(err.contains(names), "{start}");
            assert!(!err.contains('\n') && err.len() < 400, "{} bytes, starts {start:?}", err.len());
        }
    }

    #[test]
    fn syntax_errors_carry_the_position() {
        let err = load("[camera\nfps = 1").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("kiosk.toml: not valid TOML"), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn overrides_beat_the_file_and_are_validated() {
        let origin = ConfigOrigin::File("kiosk.toml".into());
        let overrides =
            ["camera.fps=15".to_string(), "kiosk.id=store-12".to_string(), "camera.mirror=false".to_string()];
        let config = KioskConfig::from_toml("[camera]\nfps = 30\n", origin.clone(), &overrides);
        let Ok(config) = config else { panic!("{config:?}") };
        assert_eq!((config.camera.fps, config.kiosk.id.as_str(), config.camera.mirror), (15, "store-12", false));

        let bad = KioskConfig::from_toml("", origin.clone(), &["camera.fps=0".to_string()]);
        assert!(matches!(bad, Err(ConfigError::Key { ref key, .. }) if key == "camera.fps"), "{bad:?}");
        let bad = KioskConfig::from_toml("", origin.clone(), &["camera.fps".to_string()]);
        assert!(matches!(bad, Err(ConfigError::BadOverride { .. })), "{bad:?}");
        let bad = KioskConfig::from_toml("", origin, &["camera.fps.x=1".to_string()]);
        assert!(matches!(bad, Err(ConfigError::Key { ref key, .. }) if key == "camera.fps"), "{bad:?}");
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let err = KioskConfig::load(Some(std::path::Path::new("/nonexistent/kiosk.toml")), &[]);
        assert!(matches!(err, Err(ConfigError::Unreadable { .. })), "{err:?}");
    }
}
