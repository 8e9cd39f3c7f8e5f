//! Live video for a share session, published by the kiosk over WebRTC: the newest share-sized
//! frame encoded as VP8 ([`vp8`]) and sent by a WHIP publisher ([`publisher`]) to the relay's
//! media server, on a thread of its own. No Bevy.

// libvpx's C API: the only unsafe code in the workspace, each block with its reason.
#[allow(unsafe_code)]
pub mod vp8;

pub mod publisher;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("VP8 encoder: {0}")]
    Encoder(String),
    #[error("WebRTC: {0}")]
    WebRtc(String),
}
