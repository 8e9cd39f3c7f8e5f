//! [`KioskConfig::validate`]: the range and cross-field checks serde cannot express. Every number
//! from outside is range-checked here (floats must also be finite), so nothing that passes can
//! panic later (a `Duration` of `inf` or `1e30` seconds would); names and labels use the shared
//! rules in [`crate::labels`]. Every error names its key.

use std::{fmt::Display, ops::RangeInclusive};

use super::KioskConfig;
use crate::labels::{check_label, check_topic_id};

/// One day: the longest any configured wait may be.
const DAY_S: f32 = 86_400.0;

/// Collects the first failed check.
#[derive(Default)]
pub(super) struct Checks {
    first: Option<(&'static str, String)>,
}

impl Checks {
    pub(super) fn check(&mut self, key: &'static str, ok: bool, problem: impl FnOnce() -> String) {
        if self.first.is_none() && !ok {
            self.first = Some((key, problem()));
        }
    }

    /// `value` within `range` (NaN and infinities are outside every range); `unit` follows it.
    pub(super) fn range<T: PartialOrd + Display>(
        &mut self,
        key: &'static str,
        value: T,
        range: RangeInclusive<T>,
        unit: &str,
    ) {
        let ok = range.contains(&value);
        self.check(key, ok, || format!("{value} is outside {}..={}{unit}", range.start(), range.end()));
    }

    /// A reconnect backoff: the first wait at least 1 ms and at most the largest, the largest
    /// within `1..=most` ms.
    fn backoff(&mut self, initial_key: &'static str, initial: u64, max_key: &'static str, max: u64, most: u64) {
        self.range(max_key, max, 1..=most, " ms");
        self.check(initial_key, (1..=max).contains(&initial), || {
            format!("{initial} must be at least 1 and at most {max_key} ({max})")
        });
    }

    pub(super) fn label(&mut self, key: &'static str, value: &str) {
        if let Err(problem) = check_label(value) {
            self.check(key, false, || format!("{}: {problem}", super::shorten(&format!("{value:?}"))));
        }
    }

    fn topic_id(&mut self, key: &'static str, value: &str, what: &str) {
        if let Err(problem) = check_topic_id(value) {
            self.check(key, false, || format!("{} {problem} ({what})", super::shorten(&format!("{value:?}"))));
        }
    }

    fn done(self) -> Result<(), (&'static str, String)> {
        self.first.map_or(Ok(()), Err)
    }
}

impl KioskConfig {
    /// Range and cross-field checks serde cannot express. Returns the key and the problem.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let mut checks = Checks::default();
        self.check_identity(&mut checks);
        self.check_display_and_camera(&mut checks);
        self.check_session_and_share(&mut checks);
        self.check_telemetry(&mut checks);
        self.check_products(&mut checks);
        self.lighting.check(&mut checks);
        self.accessibility.check(&mut checks);
        self.theme.check(&mut checks);
        self.input.check(&mut checks);
        checks.done()
    }

    fn check_identity(&self, checks: &mut Checks) {
        let k = &self.kiosk;
        checks.topic_id("kiosk.id", &k.id, "it becomes an MQTT topic level and client id");
        checks.topic_id("kiosk.store", &k.store, "it becomes an MQTT topic level");
        checks.label("kiosk.room", &k.room);
        checks.label("kiosk.brand", &k.brand);
        checks.check("kiosk.language", i18n::Language::from_tag(&k.language).is_some(), || {
            let known: Vec<&str> = i18n::Language::ALL.iter().map(|l| l.tag()).collect();
            format!(
                "{} is not one of the mirror's languages ({})",
                super::shorten(&format!("{:?}", k.language)),
                known.join(", ")
            )
        });
        checks.check("kiosk.time_zone", k.time_zone.is_empty() || k.time_zone.parse::<chrono_tz::Tz>().is_ok(), || {
            format!(
                "{} is not an IANA time zone (e.g. \"Europe/Berlin\")",
                super::shorten(&format!("{:?}", k.time_zone))
            )
        });
        if let Err(problem) = crate::schedule::OpeningHours::parse(&k.opening_hours) {
            checks.check("kiosk.opening_hours", false, || problem);
        }
        let profile = &self.hardware.profile;
        checks.check("hardware.profile", profile.is_empty() || check_topic_id(profile).is_ok(), || {
            format!("{} may only contain letters, digits, '-' and '_'", super::shorten(&format!("{profile:?}")))
        });
    }

    fn check_display_and_camera(&self, checks: &mut Checks) {
        let d = &self.display;
        checks.range("display.windowed_width", d.windowed_width, 160..=7680, "");
        checks.range("display.windowed_height", d.windowed_height, 160..=7680, "");
        checks.range("display.physical_width_mm", d.physical_width_mm, 50.0..=5000.0, " mm");
        checks.range("display.mount_bottom_mm", d.mount_bottom_mm, 0.0..=2500.0, " mm");
        checks.range(
            "display.touch_target_mm",
            d.touch_target_mm,
            15.0..=60.0,
            " mm (15 mm is the smallest comfortable touch target)",
        );
        let c = &self.camera;
        checks.range("camera.device_index", c.device_index, 0..=255, "");
        checks.check("camera.device_path", c.device_path.is_empty() || c.device_path.starts_with("/dev/"), || {
            format!("{:?} must be a device under /dev/, e.g. \"/dev/mirror-camera\"", c.device_path)
        });
        checks.check("camera.formats", !c.formats.is_empty(), || "must list at least one pixel format".into());
        if let Some((_, twice)) = c.formats.iter().enumerate().find(|(i, f)| c.formats[..*i].contains(f)) {
            checks.check("camera.formats", false, || format!("{twice} is listed twice"));
        }
        checks.check("camera.width", (16..=7680).contains(&c.width) && c.width.is_multiple_of(2), || {
            format!("{} must be even and within 16..=7680", c.width)
        });
        checks.check("camera.height", (16..=4320).contains(&c.height) && c.height.is_multiple_of(2), || {
            format!("{} must be even and within 16..=4320", c.height)
        });
        checks.range("camera.fps", c.fps, 1..=240, "");
        checks.range("camera.error_threshold", c.error_threshold, 1..=1000, "");
        checks.range("camera.stall_timeout_ms", c.stall_timeout_ms, 100..=60_000, " ms");
        checks.backoff(
            "camera.reconnect_initial_ms",
            c.reconnect_initial_ms,
            "camera.reconnect_max_ms",
            c.reconnect_max_ms,
            600_000,
        );
        let f = &c.faults;
        checks.range("camera.faults.stall_after_s", f.stall_after_s.unwrap_or(0.0), 0.0..=DAY_S, " seconds");
        checks.range("camera.faults.stall_for_s", f.stall_for_s, 0.0..=DAY_S, " seconds");
        checks.range("camera.faults.disconnect_after_s", f.disconnect_after_s.unwrap_or(0.0), 0.0..=DAY_S, " seconds");
        checks.range("camera.faults.disconnect_for_s", f.disconnect_for_s, 0.0..=DAY_S, " seconds");
    }

    fn check_session_and_share(&self, checks: &mut Checks) {
        let s = &self.session;
        checks.range("session.inactivity_timeout_s", s.inactivity_timeout_s, 5.0..=DAY_S, " seconds");
        // WCAG 2.2.1 (Timing Adjustable): a warning gives at least 20 s to ask for more time.
        checks.range(
            "session.warning_countdown_s",
            s.warning_countdown_s,
            20.0..=600.0,
            " seconds (at least 20: WCAG 2.2.1)",
        );
        let sh = &self.share;
        let url_ok = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        checks.check("share.relay_url", sh.relay_url.is_empty() || url_ok(&sh.relay_url), || {
            format!("{:?} must start with http:// or https://", sh.relay_url)
        });
        checks.check("share.kiosk_key", sh.relay_url.is_empty() || sh.kiosk_key.len() >= 16, || {
            "must be at least 16 characters when share.relay_url is set".into()
        });
        for url in &sh.embedded_janus {
            checks.check("share.embedded_janus", url.starts_with("http://") || url.starts_with("https://"), || {
                format!("{url:?} is not a Janus HTTP API URL like http://store-server.lan:8088/janus")
            });
        }
        checks.check(
            "share.embedded_janus_api_secret",
            sh.embedded_janus.is_empty() || !sh.embedded_janus_api_secret.is_empty(),
            || "must be set (Janus's api_secret) when share.embedded_janus lists a server".into(),
        );
        checks.check("share.embedded_listen", sh.embedded_listen.parse::<std::net::SocketAddr>().is_ok(), || {
            format!("{:?} is not an address like 0.0.0.0:8090", sh.embedded_listen)
        });
        checks.check(
            "share.embedded_public_url",
            sh.embedded_public_url.is_empty() || url_ok(&sh.embedded_public_url),
            || format!("{:?} must start with http:// or https://", sh.embedded_public_url),
        );
        checks.range("share.fps", sh.fps, 1..=30, "");
        checks.range("share.long_edge", sh.long_edge, 160..=1920, "");
        checks.range("share.quality", sh.quality, 1..=100, "");
        checks.range("share.retry_s", sh.retry_s, 0.5..=600.0, " seconds");
        checks.range("share.video_bitrate_bps", sh.video_bitrate_bps, 100_000..=8_000_000, " bits per second");
    }

    fn check_telemetry(&self, checks: &mut Checks) {
        let t = &self.telemetry;
        if !t.broker_url.is_empty()
            && let Err(problem) = crate::mqtt_url::BrokerUrl::parse(&t.broker_url)
        {
            checks.check("telemetry.broker_url", false, || problem);
        }
        checks.check(
            "telemetry.client_key_file",
            t.client_cert_file.is_empty() == t.client_key_file.is_empty(),
            || "telemetry.client_cert_file and telemetry.client_key_file go together".into(),
        );
        checks.range("telemetry.outbox_max_mb", t.outbox_max_mb, 1..=4096, "");
        checks.range("telemetry.health_interval_s", t.health_interval_s, 1.0..=3600.0, " seconds");
        checks.range("telemetry.keep_alive_s", t.keep_alive_s, 5..=600, "");
        checks.backoff(
            "telemetry.reconnect_initial_ms",
            t.reconnect_initial_ms,
            "telemetry.reconnect_max_ms",
            t.reconnect_max_ms,
            3_600_000,
        );
        let upload = &self.remote.screenshot_upload_url;
        checks.check("remote.screenshot_upload_url", upload.is_empty() || secure_or_loopback(upload), || {
            format!("{upload:?} must start with https:// (http:// only to this machine: 127.0.0.1, [::1], localhost)")
        });
    }

    fn check_products(&self, checks: &mut Checks) {
        let catalog = &self.catalog;
        checks.check("catalog.url", catalog.url.is_empty() || secure_or_loopback(&catalog.url), || {
            format!(
                "{:?} must start with https:// (http:// only to this machine: 127.0.0.1, [::1], localhost)",
                catalog.url
            )
        });
        checks.range("catalog.refresh_interval_s", catalog.refresh_interval_s, 10..=86_400, " seconds");
        let hz = self.scanning.camera_scan_hz;
        checks.check("scanning.camera_scan_hz", hz <= 15, || {
            format!("{hz} is above 15 (each scan costs up to 11 ms of a core; README: Performance)")
        });
        let reader = &self.scanning.rfid_reader;
        checks.check("scanning.rfid_reader", reader.is_empty() || is_host_port(reader), || {
            format!("{} is not host:port (e.g. \"192.0.2.40:14150\")", super::shorten(&format!("{reader:?}")))
        });
        checks.range("requests.reminder_minutes", self.requests.reminder_minutes, 0.25..=120.0, " minutes");
        checks.range("looks.countdown_s", self.looks.countdown_s, 0..=10, " s");
        checks.range("looks.max_looks", self.looks.max_looks, 1..=16, "");
        checks.range("looks.twirl_s", self.looks.twirl_s, 1..=15, " s");
        checks.range("looks.back_delay_s", self.looks.back_delay_s, 1..=10, " s");
        checks.range("takehome.expiry_h", self.takehome.expiry_h, 1..=168, " h");
    }
}

/// An `https://` URL, or an `http://` one that never leaves this machine.
fn secure_or_loopback(url: &str) -> bool {
    url.starts_with("https://")
        || ["http://127.0.0.1", "http://[::1]", "http://localhost"]
            .iter()
            .any(|prefix| url.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/'])))
}

/// `host:port` with a DNS name, an IPv4 address or a bracketed IPv6 address, and a port 1–65535.
fn is_host_port(value: &str) -> bool {
    let Some((host, port)) = value.rsplit_once(':') else { return false };
    let port_ok = port.parse::<u16>().is_ok_and(|p| p > 0);
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => {
            !host.is_empty()
                && host.len() <= 253
                && host.split('.').all(|part| {
                    !part.is_empty() && part.len() <= 63 && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
    };
    port_ok && host_ok
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigError, ConfigOrigin, KioskConfig};

    fn key_of(text: &str) -> Option<String> {
        match KioskConfig::from_toml(text, ConfigOrigin::File("kiosk.toml".into()), &[]) {
            Err(ConfigError::Key { key, .. }) => Some(key),
            _ => None,
        }
    }

    /// Every numeric key of the kiosk's configuration, with the table it lives in.
    const NUMERIC_KEYS: [(&str, &str); 40] = [
        ("display", "windowed_width"),
        ("display", "windowed_height"),
        ("display", "physical_width_mm"),
        ("display", "touch_target_mm"),
        ("display", "mount_bottom_mm"),
        ("camera", "device_index"),
        ("camera", "width"),
        ("camera", "height"),
        ("camera", "fps"),
        ("camera", "error_threshold"),
        ("camera", "stall_timeout_ms"),
        ("camera", "reconnect_initial_ms"),
        ("camera", "reconnect_max_ms"),
        ("camera.faults", "drop_every"),
        ("camera.faults", "stall_after_s"),
        ("camera.faults", "stall_for_s"),
        ("camera.faults", "disconnect_after_s"),
        ("camera.faults", "disconnect_for_s"),
        ("session", "inactivity_timeout_s"),
        ("session", "warning_countdown_s"),
        ("share", "fps"),
        ("share", "long_edge"),
        ("share", "quality"),
        ("share", "retry_s"),
        ("share", "video_bitrate_bps"),
        ("telemetry", "outbox_max_mb"),
        ("telemetry", "health_interval_s"),
        ("telemetry", "keep_alive_s"),
        ("telemetry", "reconnect_initial_ms"),
        ("telemetry", "reconnect_max_ms"),
        ("catalog", "refresh_interval_s"),
        ("scanning", "camera_scan_hz"),
        ("requests", "reminder_minutes"),
        ("looks", "countdown_s"),
        ("looks", "max_looks"),
        ("looks", "twirl_s"),
        ("looks", "back_delay_s"),
        ("takehome", "expiry_h"),
        ("lighting", "dmx_universe"),
        ("lighting", "dmx_start_channel"),
    ];

    #[test]
    fn extreme_values_of_every_numeric_key_are_refused_naming_the_key() {
        for (table, key) in NUMERIC_KEYS {
            for value in ["inf", "-inf", "nan", "1e30", "-1", "9223372036854775807", "-1e30"] {
                let text = format!("[{table}]\n{key} = {value}\n");
                assert_eq!(key_of(&text).as_deref(), Some(format!("{table}.{key}").as_str()), "{text:?} was accepted");
            }
        }
    }

    #[test]
    fn labels_and_ids_follow_the_shared_rules() {
        for (text, key) in [
            ("[kiosk]\nroom = \"Room\\t3\"", "kiosk.room"),
            ("[kiosk]\nroom = \"Room\\n3\"", "kiosk.room"),
            ("[kiosk]\nroom = \"Room\\u00003\"", "kiosk.room"),
            ("[kiosk]\nbrand = \"Nord\\u0007\"", "kiosk.brand"),
            ("[kiosk]\nid = \"room-3\\t\"", "kiosk.id"),
            (&format!("[kiosk]\nid = \"{}\"", "k".repeat(65)), "kiosk.id"),
            (&format!("[kiosk]\nstore = \"{}\"", "s".repeat(65)), "kiosk.store"),
            ("[scanning]\nrfid_reader = \"reader\"", "scanning.rfid_reader"),
            ("[scanning]\nrfid_reader = \"reader:0\"", "scanning.rfid_reader"),
            ("[scanning]\nrfid_reader = \"reader:99999\"", "scanning.rfid_reader"),
            ("[scanning]\nrfid_reader = \"two words:4000\"", "scanning.rfid_reader"),
            ("[scanning]\nrfid_reader = \":4000\"", "scanning.rfid_reader"),
        ] {
            assert_eq!(key_of(text).as_deref(), Some(key), "{text:?}");
        }
        for good in [
            "[kiosk]\nid = \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\"",
            "[kiosk]\nroom = \"Kabine 3 · oben\"",
            "[scanning]\nrfid_reader = \"rfid-1.store.example:14150\"",
            "[scanning]\nrfid_reader = \"192.0.2.40:14150\"",
            "[scanning]\nrfid_reader = \"[2001:db8::40]:14150\"",
        ] {
            assert_eq!(key_of(good), None, "{good:?} is valid");
        }
    }
}
