//! Provisioning a chain's fleet: [`inventory`] reads and checks the kiosk inventory (CSV),
//! [`bundle`] works out each kiosk's bundle and the broker's files and writes only what changed,
//! [`mosquitto`] hashes passwords the way Mosquitto reads them.

pub mod bundle;
pub mod inventory;
pub mod mosquitto;
