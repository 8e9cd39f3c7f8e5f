//! The catalog worker: a thread that owns the [`CatalogStore`], fetches the catalog at start, on
//! a schedule and when asked (the `refresh_catalog` command), and hands each new catalog to the
//! app as a [`Shelf`]. Until anything was downloaded it offers the cached copy, else the bundled
//! one (the demo's `assets/catalog`). Failures are reported, never fatal: the shelf in use stays.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex, mpsc},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use protocol::catalog::Catalog;

use crate::sync::{CatalogStore, Refreshed, SyncError, image_under};

/// Where the catalog in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Downloaded now or at an earlier run (the cache).
    Server,
    /// The catalog shipped with the kiosk.
    Bundled,
}

/// A catalog ready for use, with where its images are.
#[derive(Debug, Clone)]
pub struct Shelf {
    pub catalog: Arc<Catalog>,
    image_root: PathBuf,
    pub origin: Origin,
}

impl Shelf {
    /// A catalog whose image paths are relative to `image_root`.
    pub fn new(catalog: Arc<Catalog>, image_root: PathBuf, origin: Origin) -> Self {
        Self { catalog, image_root, origin }
    }

    /// The file of a catalog image (`None` for a path that would leave the image directory).
    pub fn image_path(&self, image: &str) -> Option<PathBuf> {
        image_under(&self.image_root, image)
    }
}

/// What the worker needs to know.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    pub cache: PathBuf,
    pub url: String,
    pub ca_file: String,
    pub interval: Duration,
    /// A catalog directory (`catalog.json`, images relative to it); empty path: none.
    pub bundled: Option<PathBuf>,
}

/// What the worker tells the app.
#[derive(Debug, Clone)]
pub enum CatalogEvent {
    /// A (new) catalog is in use.
    Ready(Shelf),
    /// A refresh someone asked for (`token`) or the schedule ran ended; `Ok` says what it did.
    /// `rejected`: the server's catalog was invalid (and not used).
    Refreshed { token: Option<String>, outcome: Result<String, String>, rejected: bool },
}

/// Handle to the worker thread; dropping it stops the thread.
pub struct CatalogWorker {
    requests: Option<mpsc::Sender<String>>,
    /// Behind a mutex so the handle can be shared (a Bevy resource must be `Sync`).
    events: Mutex<mpsc::Receiver<CatalogEvent>>,
    thread: Option<JoinHandle<()>>,
}

impl CatalogWorker {
    pub fn start(settings: WorkerSettings) -> std::io::Result<Self> {
        let (requests, inbox) = mpsc::channel();
        let (sender, events) = mpsc::channel();
        let thread =
            std::thread::Builder::new().name("catalog-sync".into()).spawn(move || run(&settings, &inbox, &sender))?;
        Ok(Self { requests: Some(requests), events: Mutex::new(events), thread: Some(thread) })
    }

    /// Asks for a refresh now; the answer carries `token`.
    pub fn refresh_now(&self, token: String) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(token);
        }
    }

    pub fn try_recv(&self) -> Option<CatalogEvent> {
        self.events.lock().ok()?.try_recv().ok()
    }

    pub fn recv_timeout(&self, timeout: Duration) -> Option<CatalogEvent> {
        self.events.lock().ok()?.recv_timeout(timeout).ok()
    }
}

impl Drop for CatalogWorker {
    fn drop(&mut self) {
        self.requests = None; // the thread sees the channel close
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The bundled catalog, validated.
fn load_bundled(dir: &Path) -> Result<Shelf, String> {
    let path = dir.join("catalog.json");
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let catalog = Catalog::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Shelf { catalog: Arc::new(catalog), image_root: dir.to_path_buf(), origin: Origin::Bundled })
}

fn run(settings: &WorkerSettings, inbox: &mpsc::Receiver<String>, events: &mpsc::Sender<CatalogEvent>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("catalog: cannot start the sync runtime: {e}");
            return;
        }
    };
    let mut store = match CatalogStore::open(&settings.cache, &settings.ca_file) {
        Ok(store) => Some(store),
        Err(e) => {
            tracing::error!("catalog: {e}; downloads are off");
            None
        }
    };
    let cached = store.as_ref().and_then(|s| s.current().map(|catalog| (catalog, s.image_root())));
    match (cached, &settings.bundled) {
        (Some((catalog, image_root)), _) => {
            tracing::info!("catalog: {} products from the cache {}", catalog.products.len(), settings.cache.display());
            let _ = events.send(CatalogEvent::Ready(Shelf { catalog, image_root, origin: Origin::Server }));
        }
        (None, Some(dir)) => match load_bundled(dir) {
            Ok(shelf) => {
                tracing::info!("catalog: {} products from the bundled {}", shelf.catalog.products.len(), dir.display());
                let _ = events.send(CatalogEvent::Ready(shelf));
            }
            Err(e) => tracing::error!("catalog: the bundled catalog is not usable: {e}"),
        },
        (None, None) => tracing::warn!("catalog: none cached and none bundled (catalog.bundled)"),
    }
    let mut token = None;
    let mut due = Instant::now(); // fetch at start
    loop {
        if settings.url.is_empty() || store.is_none() {
            // Nothing to fetch: answer requests until the app goes away.
            let Ok(asked) = inbox.recv() else { return };
            let reason = if settings.url.is_empty() {
                "no catalog.url is configured; the catalog in use stays".to_string()
            } else {
                format!("the catalog cache {} is not usable", settings.cache.display())
            };
            let _ = events.send(CatalogEvent::Refreshed { token: Some(asked), outcome: Err(reason), rejected: false });
            continue;
        }
        let Some(store) = store.as_mut() else { return };
        if token.is_none() && Instant::now() < due {
            match inbox.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(asked) => token = Some(asked),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let outcome = runtime.block_on(store.refresh(&settings.url));
        due = Instant::now() + settings.interval;
        let rejected = matches!(outcome, Err(SyncError::Invalid { .. }));
        let outcome = match outcome {
            Ok(Refreshed::Updated { products, images }) => {
                if let Some(catalog) = store.current() {
                    let shelf = Shelf { catalog, image_root: store.image_root(), origin: Origin::Server };
                    let _ = events.send(CatalogEvent::Ready(shelf));
                }
                tracing::info!("catalog: updated from {}: {products} products, {images} new images", settings.url);
                Ok(format!("updated: {products} products, {images} new images"))
            }
            Ok(Refreshed::NotModified) => Ok("not modified (ETag matched)".to_string()),
            Err(e) => {
                match &e {
                    SyncError::Invalid { .. } => tracing::error!("{e}"),
                    _ => tracing::warn!("{e}"),
                }
                Err(e.to_string())
            }
        };
        let _ = events.send(CatalogEvent::Refreshed { token: token.take(), outcome, rejected });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_url_the_bundled_catalog_is_offered_and_refreshes_say_why_not() {
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
        let worker = CatalogWorker::start(WorkerSettings {
            cache: cache.path().to_path_buf(),
            url: String::new(),
            ca_file: String::new(),
            interval: Duration::from_secs(60),
            bundled: Some(bundled),
        })
        .unwrap_or_else(|e| panic!("{e}"));
        match worker.recv_timeout(Duration::from_secs(5)) {
            Some(CatalogEvent::Ready(shelf)) => {
                assert_eq!(shelf.origin, Origin::Bundled);
                assert!(shelf.catalog.products.len() >= 30);
                let image = &shelf.catalog.products[0].images[0];
                assert!(shelf.image_path(image).is_some_and(|p| p.exists()), "{image}");
                assert_eq!(shelf.image_path("../../etc/passwd"), None);
            }
            other => panic!("expected the bundled catalog, got {other:?}"),
        }
        worker.refresh_now("cmd-1".into());
        match worker.recv_timeout(Duration::from_secs(5)) {
            Some(CatalogEvent::Refreshed { token, outcome: Err(reason), rejected: false }) => {
                assert_eq!(token.as_deref(), Some("cmd-1"));
                assert!(reason.contains("catalog.url"), "{reason}");
            }
            other => panic!("expected a refusal naming catalog.url, got {other:?}"),
        }
    }
}
