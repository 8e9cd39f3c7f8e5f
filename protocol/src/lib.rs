//! Shared smart-mirror logic that needs no Bevy: the kiosk configuration and its validation, and
//! the shopper-session state machine. The kiosk drives these from Bevy systems; relay, tools and
//! tests reuse them directly.

pub mod config;
pub mod session;
