//! Telemetry and remote management for the kiosk, without Bevy: the durable [`outbox`] of usage
//! events, the MQTT [`link`] that empties it into the broker and carries commands back, and the
//! [`tls`] client configurations every outgoing connection uses. The kiosk's telemetry plugin, the
//! fleet tool and the benchmarks drive these directly.

pub mod link;
pub mod outbox;
pub mod process;
pub mod tls;
