//! The products feature without Bevy. [`sync`] keeps the store's catalog current: fetched from a
//! configured URL with ETag / If-None-Match, validated before it replaces the current one (a bad
//! catalog never replaces a good one), cached on disk with its images so a kiosk starts offline.

pub mod sync;
