//! The relay's configuration: where it listens, the public URL phones reach it at, which kiosks
//! may create sessions (id → key), and its limits. TOML file, every limit with a default.

use std::{collections::HashMap, net::SocketAddr, path::Path, time::Duration};

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
        let config: RelayConfig =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        config.validate().map_err(|problem| anyhow::anyhow!("{}: {problem}", path.display()))?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), String> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(format!("key `public_url`: {:?} must start with http:// or https://", self.public_url));
        }
        if let Some((id, _)) = self.kiosk_keys.iter().find(|(_, key)| key.len() < 16) {
            return Err(format!("key `kiosk_keys.{id}`: keys must be at least 16 characters"));
        }
        let l = &self.limits;
        if l.max_sessions == 0 || l.max_viewers_per_session == 0 || l.max_frame_bytes < 1024 {
            return Err(
                "key `limits`: max_sessions and max_viewers_per_session must be ≥ 1, max_frame_bytes ≥ 1024".into()
            );
        }
        let positive =
            [l.reactions_per_second, l.comment_interval_s, l.viewer_idle_timeout_s, l.kiosk_grace_s, l.max_session_s];
        if positive.iter().any(|v| !v.is_finite() || *v <= 0.0) {
            return Err("key `limits`: rates and durations must be positive".into());
        }
        Ok(())
    }
}
