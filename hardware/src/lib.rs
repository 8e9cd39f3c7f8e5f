//! Kiosk peripherals that need no Bevy. [`rfid`] reads a fitting room's RFID tag reader: a
//! line-based TCP stream of EPCs, decoded from SGTIN-96 to the item's GTIN (the barcode the
//! catalog knows). [`simulator`] is a reader for tests and demos (`rfid-sim`).

pub mod rfid;
pub mod simulator;
