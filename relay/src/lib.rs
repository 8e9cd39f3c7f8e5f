//! The share relay: an axum server that takes a kiosk's live JPEG frames over one WebSocket and
//! fans the newest one out to friends' browsers, carrying their reactions, votes and comments
//! back. Memory only: at most one frame per session and the looks the shopper chose to show,
//! never written anywhere.
//!
//! Routes (see `protocol::share` for the messages):
//! - `POST /api/v1/sessions`, `GET /api/v1/sessions/{id}/stream` (WebSocket),
//!   `DELETE /api/v1/sessions/{id}`: the kiosk API.
//! - `POST|DELETE /api/v1/sessions/{id}/whip`, `POST /v/{token}/whep`, `PATCH|DELETE
//!   /v/{token}/whep/{peer}`: live video over WebRTC through the media server ([`media`], [`sfu`]).
//! - `GET /v/{token}`: the viewer page; `GET /v/{token}/ws`: its WebSocket;
//!   `GET /v/{token}/looks/{look}`: a look the shopper showed.
//! - Take-home bundles (ciphertext only): see [`takehome`].
//! - `GET /brand/logo`: the chain's logo on both pages (`[theme]`, see [`pages`]).
//! - `GET /healthz`, `GET /metrics` (Prometheus text).

pub mod config;
mod http;
mod kiosk;
mod looks;
pub mod media;
pub mod metrics;
pub mod pages;
pub mod s3;
pub mod sessions;
pub mod sfu;
pub mod takehome;
mod viewer;

use std::{sync::Arc, time::Duration};

use tokio::net::TcpListener;

pub use crate::http::router;
use crate::{config::RelayConfig, sessions::Registry};

/// Everything the handlers share.
#[derive(Debug)]
pub struct Relay {
    pub config: RelayConfig,
    pub registry: Registry,
    pub take_homes: takehome::TakeHomes,
    pub pages: pages::Pages,
    /// The media server for live video over WebRTC; `None`: JPEG frames only.
    pub sfu: Option<Arc<dyn sfu::Sfu>>,
    pub media: media::MediaRooms,
}

/// Serves on `listener` until `shutdown` resolves, sweeping expired sessions every second.
pub async fn serve(
    listener: TcpListener,
    config: RelayConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // reqwest is built with rustls and no provider: the object store's and Janus's clients need
    // a process-wide one (a process that installed its own keeps it).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let s3 = match &config.take_home_store {
        Some(store) => Some(s3::S3Blobs::new(store).map_err(std::io::Error::other)?),
        None => None,
    };
    let pages = pages::Pages::new(&config.theme).map_err(std::io::Error::other)?;
    let sfu: Option<Arc<dyn sfu::Sfu>> = match &config.sfu {
        Some(sfu) => Some(Arc::new(sfu::JanusRooms::new(sfu).map_err(std::io::Error::other)?)),
        None => None,
    };
    let relay = Arc::new(Relay {
        config,
        registry: Registry::default(),
        take_homes: takehome::TakeHomes::new(s3),
        pages,
        sfu,
        media: media::MediaRooms::default(),
    });
    let sweeper = {
        let relay = Arc::clone(&relay);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                relay.registry.sweep(&relay.config.limits);
                let expired = relay.take_homes.sweep();
                relay.take_homes.delete_objects(expired).await;
            }
        })
    };
    let served = axum::serve(listener, router(relay)).with_graceful_shutdown(shutdown).await;
    sweeper.abort();
    served
}
