//! Shared smart-mirror logic that needs no Bevy: the kiosk configuration and its validation, the
//! shopper-session state machine, the share protocol between kiosk, relay and viewers, and the
//! MQTT contract (topics, usage events, status, health, commands), the product catalog with its
//! barcodes and suggestion ranking, scanner-burst detection, and size requests between fitting
//! rooms and staff. The kiosk drives these from
//! Bevy systems; relay, fleet tool and tests reuse them directly.

pub mod barcode;
pub mod catalog;
pub mod command;
pub mod config;
pub mod fit;
pub mod labels;
pub mod lighting;
pub mod mqtt_url;
pub mod requests;
pub mod scanner;
pub mod schedule;
pub mod session;
pub mod share;
pub mod telemetry;
pub mod topics;
pub mod watchdog;
