//! The web console for store staff and chain IT (`console`): which kiosks are up and what is
//! wrong, from the kiosks' own telemetry. It follows the broker ([`ingest`]), keeps what it hears
//! in SQLite (a store's console, beside its Mosquitto, working while head office is unreachable)
//! or PostgreSQL (head office) ([`db`]), and serves pages and a JSON API to signed-in users, each
//! seeing only the stores in their scope ([`auth`], [`http`]), with the usage figures a chain
//! bought the mirrors for ([`analytics`]) and the alerts someone should act on ([`alerts`]).

pub mod alerts;
pub mod analytics;
pub mod auth;
mod calendar;
pub mod commands;
pub mod db;
pub mod fleet;
pub mod history;
mod http;
pub mod ingest;
mod pages;
pub mod requests;
pub mod rollouts;
pub mod stores;

use std::sync::Arc;

use tokio::{net::TcpListener, sync::broadcast};

pub use crate::http::router;

/// Everything the handlers share.
#[derive(Debug)]
pub struct Console {
    pub db: Arc<db::Database>,
    /// Kiosks that changed, for the pages' live updates.
    pub changes: broadcast::Sender<ingest::Change>,
    /// How fast commands go out (the confirmation page says it).
    pub dispatch: commands::DispatchSettings,
    /// What kiosks present to upload a screenshot; `None`: uploads are refused.
    pub screenshot_token: Option<String>,
    /// Every store's open size requests.
    pub boards: Arc<requests::Boards>,
    /// The broker connection, for what a page sends (size-request replies).
    pub client: rumqttc::AsyncClient,
}

/// What `console serve` runs besides ingestion and the pages.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dispatch: commands::DispatchSettings,
    /// `None`: no alerts are raised.
    pub alerts: Option<alerts::AlertSettings>,
    pub screenshot_token: Option<String>,
}

/// The fleet page's counts and table for `kiosks`, unfiltered (what the benchmark renders).
pub fn render_fleet(kiosks: &[db::KioskRow]) -> String {
    pages::fleet_live(kiosks, None, None)
}

/// Follows the broker, sends commands and rollouts paced by `options.dispatch`, checks alerts
/// (when set) and serves on `listener` until the process ends.
pub async fn serve(
    db: db::Database,
    ingest: ingest::IngestSettings,
    options: Options,
    listener: TcpListener,
) -> anyhow::Result<()> {
    let Options { dispatch, alerts, screenshot_token } = options;
    pages::check_texts().map_err(|e| anyhow::anyhow!("the console's texts: {e}"))?;
    // The webhook's HTTPS needs a process-wide crypto provider (the workspace builds reqwest with
    // rustls and none); a process that installed its own keeps it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = Arc::new(db);
    let (changes, _) = broadcast::channel(1024);
    let (client, eventloop) = ingest::connect(&ingest)?;
    let boards = Arc::new(requests::Boards::default());
    let sinks = ingest::Sinks { db: Arc::clone(&db), boards: Arc::clone(&boards), changes: changes.clone() };
    let tasks = [
        tokio::spawn(ingest::follow(client.clone(), eventloop, ingest.share_group.clone(), sinks)),
        tokio::spawn(commands::run(dispatch, Arc::clone(&db), client.clone(), changes.clone())),
        tokio::spawn(rollouts::run(dispatch, Arc::clone(&db), client.clone(), changes.clone())),
    ];
    let checker = alerts.map(|settings| tokio::spawn(alerts::run(settings, Arc::clone(&db), Arc::clone(&boards))));
    let console = Arc::new(Console { db, changes, dispatch, screenshot_token, boards, client });
    let address = listener.local_addr()?;
    tracing::info!("console on http://{address}/ ({:?})", console.db.backend());
    let served = axum::serve(listener, router(console)).await;
    for task in tasks {
        task.abort();
    }
    if let Some(checker) = checker {
        checker.abort();
    }
    Ok(served?)
}
