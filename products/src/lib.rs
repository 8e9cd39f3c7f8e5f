//! The products feature without Bevy. [`sync`] keeps the store's catalog current: fetched from a
//! configured URL with ETag / If-None-Match, validated before it replaces the current one (a bad
//! catalog never replaces a good one), cached on disk with its images so a kiosk starts offline.
//! [`tags`] reads the EAN-13, UPC-A and QR codes shoppers hold up to the camera; [`scan`] does so
//! on a worker thread at a chosen rate. [`worker`] runs the sync on its own thread: at start, on a
//! schedule and on request.

pub mod scan;
pub mod sync;
pub mod tags;
pub mod worker;
