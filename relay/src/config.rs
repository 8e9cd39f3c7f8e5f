//! The relay's configuration: where it listens, the public URL phones reach it at, which kiosks
//! may create sessions (id → key), and its limits. TOML file, every limit with a default.

use std::{collections::HashMap, net::SocketAddr, ops::RangeInclusive, path::Path, time::Duration};

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayConfig {
    /// Address to listen on, e.g. "0.0.0.0:8090" (put TLS in front with a reverse proxy).
    pub listen: SocketAddr,
    /// Base URL viewers use, e.g. "https://share.example-store.com"; viewer links are
    /// `{public_url}/v/{token}`.
    pub public_url: String,
    /// Kiosk id → key. A kiosk authenticates session creation with its key.
    pub kiosk_keys: HashMap<String, String>,
    #[serde(default)]
    pub limits: Limits,
    /// Where take-home bundles are kept: in memory when absent, else an S3-compatible store.
    #[serde(default)]
    pub take_home_store: Option<crate::s3::S3Config>,
    /// The chain's accent and logo on the viewer and take-home pages: the kiosk's `[theme]`
    /// section, copied (its `font` is the mirror's only).
    #[serde(default)]
    pub theme: protocol::config::ThemeSection,
    /// The Janus instances that carry live video over WebRTC; absent: JPEG frames only.
    #[serde(default)]
    pub sfu: Option<crate::sfu::SfuConfig>,
}

/// Limits that keep one session or one viewer from hurting the others.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub max_sessions: usize,
    pub max_viewers_per_session: usize,
    pub max_frame_bytes: usize,
    pub max_viewer_message_bytes: usize,
    /// Reactions and votes per second per viewer (burst: twice that).
    pub reactions_per_second: f32,
    /// Seconds between comments per viewer (burst: 3).
    pub comment_interval_s: f32,
    /// A viewer that sends nothing (not even the page's ping) for this long is closed.
    pub viewer_idle_timeout_s: f32,
    /// A session whose kiosk is disconnected (or never connected) this long ends.
    pub kiosk_grace_s: f32,
    /// A session ends by itself after this long.
    pub max_session_s: f32,
    /// Largest take-home bundle a kiosk may upload, in bytes.
    pub max_take_home_bytes: usize,
    /// Take-home bundles held in memory at most, in MiB (the embedded store).
    pub max_take_home_store_mb: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_sessions: 1_000,
            max_viewers_per_session: 20,
            max_frame_bytes: 512 * 1024,
            max_viewer_message_bytes: 1024,
            reactions_per_second: 5.0,
            comment_interval_s: 2.0,
            viewer_idle_timeout_s: 45.0,
            kiosk_grace_s: 5.0,
            max_session_s: 3_600.0,
            max_take_home_bytes: 8 << 20,
            max_take_home_store_mb: 512,
        }
    }
}

impl Limits {
    pub fn viewer_idle_timeout(&self) -> Duration {
        Duration::from_secs_f32(self.viewer_idle_timeout_s)
    }

    pub fn kiosk_grace(&self) -> Duration {
        Duration::from_secs_f32(self.kiosk_grace_s)
    }

    pub fn max_session(&self) -> Duration {
        Duration::from_secs_f32(self.max_session_s)
    }
}

impl RelayConfig {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|problem| anyhow::anyhow!("{}: {problem}", path.display()))
    }

    /// Parses and validates configuration text; the error names the key (`key `limits.fps`: …`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table =
            text.parse().map_err(|e: toml::de::Error| format!("not valid TOML: {}", e.message()))?;
        let config: RelayConfig = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let path = e.path().to_string();
            let problem = protocol::config::shorten(e.inner().message());
            if path == "." { problem } else { format!("key `{path}`: {problem}") }
        })?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), String> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(format!("key `public_url`: {:?} must start with http:// or https://", self.public_url));
        }
        if let Some((id, _)) = self.kiosk_keys.iter().find(|(_, key)| key.len() < 16) {
            return Err(format!("key `kiosk_keys.{id}`: keys must be at least 16 characters"));
        }
        if let Some((key, problem)) = self.theme.problem() {
            return Err(format!("key `{key}`: {problem}"));
        }
        if let Some(store) = &self.take_home_store {
            store.validate()?;
        }
        if let Some(sfu) = &self.sfu {
            sfu.validate()?;
        }
        self.limits.validate()
    }
}

impl Limits {
    /// Every limit within its range (floats finite), so none can panic when it becomes a
    /// `Duration` or a rate later. The error names the key.
    pub fn validate(&self) -> Result<(), String> {
        fn within<T: PartialOrd + std::fmt::Display>(
            key: &str,
            value: T,
            range: RangeInclusive<T>,
        ) -> Result<(), String> {
            if range.contains(&value) {
                Ok(())
            } else {
                Err(format!("key `limits.{key}`: {value} is outside {}..={}", range.start(), range.end()))
            }
        }
        within("max_sessions", self.max_sessions, 1..=100_000)?;
        within("max_viewers_per_session", self.max_viewers_per_session, 1..=10_000)?;
        within("max_frame_bytes", self.max_frame_bytes, 1024..=16 << 20)?;
        within("max_viewer_message_bytes", self.max_viewer_message_bytes, 64..=64 * 1024)?;
        within("reactions_per_second", self.reactions_per_second, 0.1..=100.0)?;
        within("comment_interval_s", self.comment_interval_s, 0.1..=3600.0)?;
        within("viewer_idle_timeout_s", self.viewer_idle_timeout_s, 1.0..=3600.0)?;
        within("kiosk_grace_s", self.kiosk_grace_s, 0.1..=3600.0)?;
        within("max_session_s", self.max_session_s, 1.0..=86_400.0)?;
        within("max_take_home_bytes", self.max_take_home_bytes, 64 << 10..=64 << 20)?;
        within("max_take_home_store_mb", self.max_take_home_store_mb, 1..=65_536)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(limits: &str) -> Result<RelayConfig, String> {
        RelayConfig::parse(&format!(
            "listen = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1\"\n[kiosk_keys]\n[limits]\n{limits}\n"
        ))
    }

    #[test]
    fn the_example_is_valid_with_and_without_an_object_store() {
        let example = include_str!("../relay.example.toml");
        let parsed = RelayConfig::parse(example);
        assert!(parsed.as_ref().is_ok_and(|c| c.take_home_store.is_none()), "{parsed:?}");
        // The commented-out [take_home_store] section at the end, switched on.
        let Some((head, store)) = example.split_once("# [take_home_store]") else { panic!("no store example") };
        let store: Vec<&str> = store.lines().map(|l| l.strip_prefix("# ").unwrap_or(l)).collect();
        let with_store = format!("{head}[take_home_store]{}", store.join("\n"));
        let parsed = RelayConfig::parse(&with_store);
        assert!(
            parsed.as_ref().is_ok_and(|c| c.take_home_store.as_ref().is_some_and(|s| s.bucket == "acme-take-home")),
            "{parsed:?}"
        );
        let broken = with_store.replace("endpoint = \"https://", "endpoint = \"ftp://");
        assert!(RelayConfig::parse(&broken).is_err_and(|e| e.contains("take_home_store.endpoint")));
    }

    #[test]
    fn the_example_s_media_servers_parse_and_a_bad_one_is_named() {
        let example = include_str!("../relay.example.toml");
        let Some((head, rest)) = example.split_once("# [sfu]") else { panic!("no [sfu] example") };
        let Some((sfu, _)) = rest.split_once("\n\n") else { panic!("no end to the [sfu] example") };
        let sfu: Vec<&str> = sfu.lines().map(|l| l.strip_prefix("# ").unwrap_or(l)).collect();
        let with_sfu = format!("{head}[sfu]{}", sfu.join("\n"));
        let parsed = RelayConfig::parse(&with_sfu);
        let sfu = parsed.as_ref().ok().and_then(|c| c.sfu.clone());
        assert_eq!(
            sfu.as_ref().map(|s| (s.janus.len(), s.max_bitrate, s.ice_servers.len())),
            Some((2, 600_000, 1)),
            "{parsed:?}"
        );
        let broken = with_sfu.replace("janus = [\"http://10.0.5.11", "janus = [\"ws://10.0.5.11");
        assert!(
            RelayConfig::parse(&broken).is_err_and(|e| e.contains("sfu.janus")),
            "{:?}",
            RelayConfig::parse(&broken)
        );
        let no_secret =
            with_sfu.replace("api_secret = \"the api_secret in every Janus's janus.jcfg\"", "api_secret = \"\"");
        assert!(RelayConfig::parse(&no_secret).is_err_and(|e| e.contains("sfu.api_secret")));
    }

    #[test]
    fn the_defaults_are_valid() {
        assert!(load("").is_ok());
    }

    #[test]
    fn extreme_values_of_every_limit_are_refused_naming_the_key() {
        let keys = [
            "max_sessions",
            "max_viewers_per_session",
            "max_frame_bytes",
            "max_viewer_message_bytes",
            "reactions_per_second",
            "comment_interval_s",
            "viewer_idle_timeout_s",
            "kiosk_grace_s",
            "max_session_s",
            "max_take_home_bytes",
            "max_take_home_store_mb",
        ];
        for key in keys {
            for value in ["inf", "-inf", "nan", "1e30", "0", "-1", "9223372036854775807"] {
                let outcome = load(&format!("{key} = {value}"));
                assert!(outcome.as_ref().is_err_and(|e| e.contains(key)), "{key} = {value}: {outcome:?}");
            }
        }
    }
}
