//! The validated configuration as a Bevy resource, shared read-only by every plugin.

use std::{ops::Deref, sync::Arc};

use bevy::prelude::Resource;
use protocol::config::KioskConfig;

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
