//! Catalog sync. [`CatalogStore`] holds the catalog in use and its cache directory:
//!
//! ```text
//! {cache}/catalog.json   the last good catalog, exactly as served
//! {cache}/catalog.etag   its ETag, sent back as If-None-Match
//! {cache}/images/…       every image the catalog names, by its path in the catalog
//! ```
//!
//! [`CatalogStore::open`] loads the cache (an offline start); [`CatalogStore::refresh`] asks the
//! server, keeps the current catalog on 304, on any error and on an invalid catalog, and replaces
//! it (cache first, atomically) only with one that validated.

use std::{
    path::{Component, Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use protocol::catalog::{Catalog, CatalogError};

/// Why a refresh did not replace the catalog.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("catalog {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("catalog {url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("catalog {url} rejected, the current one stays: {error}")]
    Invalid { url: String, error: CatalogError },
    #[error("catalog cache {path}: {reason}")]
    Cache { path: PathBuf, reason: String },
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refreshed {
    /// A new catalog is in use; `images` were downloaded (others were cached already).
    Updated { products: usize, images: usize },
    /// The server's catalog is the one in use (HTTP 304).
    NotModified,
}

/// The catalog in use and its cache.
pub struct CatalogStore {
    cache: PathBuf,
    current: Option<Arc<Catalog>>,
    etag: Option<String>,
    client: reqwest::Client,
}

impl CatalogStore {
    /// Opens the cache in `cache` (created if missing) and loads the catalog cached there, if any
    /// and if it still validates. `ca_file` adds a private CA for `https://` catalog servers.
    pub fn open(cache: &Path, ca_file: &str) -> Result<Self, SyncError> {
        let cache_error = |reason: String| SyncError::Cache { path: cache.to_path_buf(), reason };
        std::fs::create_dir_all(cache.join("images")).map_err(|e| cache_error(e.to_string()))?;
        let tls = telemetry::tls::client_config(ca_file, "catalog.ca_file", None).map_err(cache_error)?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls((*tls).clone())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| cache_error(e.to_string()))?;
        let mut store = Self { cache: cache.to_path_buf(), current: None, etag: None, client };
        match std::fs::read(store.cache.join("catalog.json")) {
            Ok(bytes) => match Catalog::from_json(&bytes) {
                Ok(catalog) => {
                    store.current = Some(Arc::new(catalog));
                    store.etag = std::fs::read_to_string(store.cache.join("catalog.etag")).ok();
                }
                Err(e) => tracing::warn!("catalog cache {} is not usable, ignoring it: {e}", cache.display()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(cache_error(e.to_string())),
        }
        Ok(store)
    }

    /// The catalog in use, if any.
    pub fn current(&self) -> Option<Arc<Catalog>> {
        self.current.clone()
    }

    /// Where a catalog image is cached (`None` for a path that would leave the cache).
    pub fn image_path(&self, image: &str) -> Option<PathBuf> {
        image_under(&self.image_root(), image)
    }

    /// The directory the catalog's image paths are relative to.
    pub fn image_root(&self) -> PathBuf {
        self.cache.join("images")
    }

    /// Asks `url` for a newer catalog; see the module documentation for what happens when.
    pub async fn refresh(&mut self, url: &str) -> Result<Refreshed, SyncError> {
        let network = |e: reqwest::Error| SyncError::Network { url: url.to_string(), reason: e.to_string() };
        let mut request = self.client.get(url);
        if let (Some(etag), Some(_)) = (&self.etag, &self.current) {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag.trim());
        }
        let response = request.send().await.map_err(network)?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Refreshed::NotModified);
        }
        if !status.is_success() {
            return Err(SyncError::Status { url: url.to_string(), status: status.as_u16() });
        }
        let etag = response.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = response.bytes().await.map_err(network)?;
        let catalog = Catalog::from_json(&body).map_err(|error| SyncError::Invalid { url: url.to_string(), error })?;
        let images = self.fetch_images(url, &catalog).await?;
        self.write_cache(&body, etag.as_deref())?;
        let products = catalog.products.len();
        self.current = Some(Arc::new(catalog));
        self.etag = etag;
        Ok(Refreshed::Updated { products, images })
    }

    /// Downloads the images the catalog names that are not cached yet (relative to `url`).
    async fn fetch_images(&self, url: &str, catalog: &Catalog) -> Result<usize, SyncError> {
        let base =
            reqwest::Url::parse(url).map_err(|e| SyncError::Network { url: url.into(), reason: e.to_string() })?;
        let mut fetched = 0;
        for image in catalog.products.iter().flat_map(|p| &p.images) {
            let Some(path) = self.image_path(image) else {
                return Err(SyncError::Cache {
                    path: PathBuf::from(image),
                    reason: "image path leaves the cache".into(),
                });
            };
            if path.exists() {
                continue;
            }
            let source =
                base.join(image).map_err(|e| SyncError::Network { url: image.clone(), reason: e.to_string() })?;
            let network = |e: reqwest::Error| SyncError::Network { url: source.to_string(), reason: e.to_string() };
            let response = self.client.get(source.clone()).send().await.map_err(network)?;
            if !response.status().is_success() {
                return Err(SyncError::Status { url: source.to_string(), status: response.status().as_u16() });
            }
            let bytes = response.bytes().await.map_err(network)?;
            write_atomically(&path, &bytes)?;
            fetched += 1;
        }
        Ok(fetched)
    }

    fn write_cache(&self, body: &[u8], etag: Option<&str>) -> Result<(), SyncError> {
        write_atomically(&self.cache.join("catalog.json"), body)?;
        let etag_path = self.cache.join("catalog.etag");
        match etag {
            Some(etag) => write_atomically(&etag_path, etag.as_bytes()),
            None => match std::fs::remove_file(&etag_path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(SyncError::Cache { path: etag_path, reason: e.to_string() })
                }
                _ => Ok(()),
            },
        }
    }
}

/// `image` (a path from the catalog) under `root`; `None` for a path that would leave `root`.
pub fn image_under(root: &Path, image: &str) -> Option<PathBuf> {
    let relative = Path::new(image.split_once("://").map_or(image, |(_, rest)| rest));
    let safe = relative.components().all(|c| matches!(c, Component::Normal(_)));
    safe.then(|| root.join(relative))
}

/// Writes next to `path` and renames into place, so a power cut leaves the old file or the new.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let error = |e: std::io::Error| SyncError::Cache { path: path.to_path_buf(), reason: e.to_string() };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    let temp = path.with_extension("partial");
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    };
    write().map_err(error)
}
