//! Shared smart-mirror logic that needs no Bevy: the kiosk configuration and its validation, the
//! shopper-session state machine, and the share protocol between kiosk, relay and viewers. The
//! kiosk drives these from Bevy systems; relay, tools and tests reuse them directly.

pub mod config;
pub mod session;
pub mod share;
