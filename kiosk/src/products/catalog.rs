//! The catalog in use: starts the catalog worker (cache under the data directory, the configured
//! URL, the bundled fallback), publishes each catalog it offers as the [`Shelf`] resource, and
//! answers the `refresh_catalog` command when the refresh it asked for ends.

use std::{collections::HashMap, time::Duration};

use bevy::prelude::*;
use products::worker::{CatalogEvent, CatalogWorker, WorkerSettings};
use protocol::{
    command::{AckStatus, Action},
    telemetry::{ErrorCode, Ident, UsageEvent},
};

use crate::{
    settings::Settings,
    telemetry::{CommandFinished, RemoteCommand, Usage, data_dir},
};

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start_worker)
        .add_systems(Update, (ask_for_refresh, apply_worker_events).chain().run_if(resource_exists::<Worker>));
}

/// The catalog in use and where its images are.
#[derive(Resource, Debug, Clone)]
pub struct Shelf(pub products::worker::Shelf);

#[derive(Resource)]
struct Worker {
    worker: CatalogWorker,
    /// Refresh commands waiting for their outcome, by token.
    waiting: HashMap<String, Ident>,
}

fn start_worker(mut commands: Commands, settings: Res<Settings>) {
    let section = &settings.catalog;
    let worker_settings = WorkerSettings {
        cache: data_dir(&settings.telemetry).join("catalog"),
        url: section.url.clone(),
        ca_file: section.ca_file.clone(),
        interval: Duration::from_secs(u64::from(section.refresh_interval_s)),
        bundled: (!section.bundled.is_empty()).then(|| section.bundled.clone().into()),
    };
    match CatalogWorker::start(worker_settings) {
        Ok(worker) => commands.insert_resource(Worker { worker, waiting: HashMap::new() }),
        Err(e) => error!("catalog: cannot start the sync thread: {e}; no products are shown"),
    }
}

fn ask_for_refresh(mut commands: MessageReader<RemoteCommand>, mut worker: ResMut<Worker>) {
    for RemoteCommand(command) in commands.read() {
        if command.action == (Action::RefreshCatalog {}) {
            let token = command.id.as_str().to_string();
            worker.worker.refresh_now(token.clone());
            worker.waiting.insert(token, command.id.clone());
        }
    }
}

fn apply_worker_events(
    mut commands: Commands,
    mut worker: ResMut<Worker>,
    mut finished: MessageWriter<CommandFinished>,
    mut usage: MessageWriter<Usage>,
) {
    while let Some(event) = worker.worker.try_recv() {
        match event {
            CatalogEvent::Ready(shelf) => {
                info!("catalog: {} products in use ({:?})", shelf.catalog.products.len(), shelf.origin);
                commands.insert_resource(Shelf(shelf));
            }
            CatalogEvent::Refreshed { token, outcome, rejected } => {
                if rejected {
                    usage.write(Usage(UsageEvent::Error { code: ErrorCode::CatalogRejected }));
                }
                let Some(id) = token.and_then(|t| worker.waiting.remove(&t)) else { continue };
                finished.write(match outcome {
                    Ok(summary) => CommandFinished {
                        id,
                        action: "refresh_catalog",
                        status: AckStatus::Done,
                        reason: None,
                        result: Some(serde_json::json!({ "catalog": summary })),
                    },
                    Err(reason) => CommandFinished {
                        id,
                        action: "refresh_catalog",
                        status: AckStatus::Failed,
                        reason: Some(reason),
                        result: None,
                    },
                });
            }
        }
    }
}
