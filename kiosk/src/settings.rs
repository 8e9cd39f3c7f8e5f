//! The validated configuration as a Bevy resource, shared read-only by every plugin.

use std::{ops::Deref, path::PathBuf, sync::Arc};

use bevy::prelude::Resource;
use protocol::config::KioskConfig;

/// Where the configuration came from, so a remote "reload config" reads it the same way.
#[derive(Resource, Debug, Clone, Default)]
pub struct ConfigSource {
    /// The `--config` file; `None`: built-in defaults.
    pub path: Option<PathBuf>,
    /// `--set` overrides and those implied by other flags.
    pub overrides: Vec<String>,
}

/// The kiosk's configuration. Cheap to clone.
#[derive(Resource, Debug, Clone)]
pub struct Settings(Arc<KioskConfig>);

impl Settings {
    pub fn new(config: KioskConfig) -> Self {
        Self(Arc::new(config))
    }
}

impl Deref for Settings {
    type Target = KioskConfig;

    fn deref(&self) -> &KioskConfig {
        &self.0
    }
}
