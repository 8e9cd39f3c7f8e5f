//! Take-home bundles: sealed on the kiosk (`takehome` crate), held here as ciphertext only until
//! they expire or are deleted, and served to the shopper's phone with the page that decrypts them.
//! The key never reaches the relay: it is in the link's fragment.
//!
//! - `POST /api/v1/takehome?kiosk=ID&expires_in_s=N&delete_hash=HEX` (Bearer kiosk key), body: the
//!   sealed bytes → 201 `{token, url, expires_at}`.
//! - `DELETE /api/v1/takehome/{token}?kiosk=ID` (Bearer kiosk key): that kiosk's own bundles only.
//! - `GET /h/{token}`: the page; `GET /h/{token}/bundle`: the ciphertext;
//!   `POST /h/{token}/delete` `{"proof": HEX}`: "Delete now", proven with the key's HMAC.
//!
//! Expired and deleted tokens answer 410 (remembered for a while), unknown ones 404. The
//! ciphertext is in this relay's memory (the embedded default: a restart ends every link early,
//! the page says so) or, with `[take_home_store]`, in an S3-compatible object store ([`crate::s3`]).

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    Relay,
    http::{ApiError, kiosk_authorised, same_secret},
    pages::{Page, Pages},
    s3::{ObjectMeta, S3Blobs, object_bytes},
    sessions::random_token,
};

const TOMBSTONE_TTL: Duration = Duration::from_secs(8 * 24 * 3600);

#[derive(Debug)]
struct Entry {
    kiosk: String,
    /// The ciphertext, when this relay holds it in memory; None when it is in the object store.
    sealed: Option<Bytes>,
    len: u64,
    expires_at: Instant,
    delete_hash: String,
}

/// The bundles this relay knows, by token, and the tokens that ended; the ciphertext in memory,
/// or in an S3-compatible store when `[take_home_store]` is configured.
#[derive(Debug, Default)]
pub struct TakeHomes {
    entries: Mutex<HashMap<String, Entry>>,
    ended: Mutex<HashMap<String, Instant>>,
    bytes: AtomicU64,
    s3: Option<S3Blobs>,
    pub opened: AtomicU64,
    pub deleted: AtomicU64,
    pub expired: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What a token stands for.
pub enum Found {
    Live(Bytes),
    Ended,
    Unknown,
}

/// What the index says about a token.
enum Indexed {
    Live(Option<Bytes>),
    Ended,
    Unknown,
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

impl TakeHomes {
    pub fn new(s3: Option<S3Blobs>) -> Self {
        Self { s3, ..Self::default() }
    }

    fn end(&self, token: &str, entry: &Entry) {
        self.bytes.fetch_sub(entry.len, Ordering::Relaxed);
        lock(&self.ended).insert(token.to_string(), Instant::now());
    }

    fn index(&self, token: &str, entry: Entry) {
        self.bytes.fetch_add(entry.len, Ordering::Relaxed);
        lock(&self.entries).insert(token.to_string(), entry);
    }

    /// The index's view of `token`, ending it first if it expired.
    fn indexed(&self, token: &str) -> Indexed {
        let mut entries = lock(&self.entries);
        match entries.get(token) {
            Some(entry) if Instant::now() < entry.expires_at => Indexed::Live(entry.sealed.clone()),
            Some(_) => {
                if let Some(entry) = entries.remove(token) {
                    self.end(token, &entry);
                    self.expired.fetch_add(1, Ordering::Relaxed);
                }
                Indexed::Ended
            }
            None if lock(&self.ended).contains_key(token) => Indexed::Ended,
            None => Indexed::Unknown,
        }
    }

    /// The ciphertext behind `token`. With an object store, a link this relay did not make (another
    /// instance, before a restart) is read from the store and indexed here.
    pub async fn find(&self, token: &str) -> Result<Found, String> {
        let Some(s3) = &self.s3 else {
            return Ok(match self.indexed(token) {
                Indexed::Live(sealed) => sealed.map_or(Found::Unknown, Found::Live),
                Indexed::Ended => Found::Ended,
                Indexed::Unknown => Found::Unknown,
            });
        };
        match self.indexed(token) {
            Indexed::Ended => return Ok(Found::Ended),
            Indexed::Live(Some(sealed)) => return Ok(Found::Live(sealed)),
            Indexed::Live(None) | Indexed::Unknown => {}
        }
        // Tokens are 32 hex digits; nothing else is looked up in the store.
        if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Found::Unknown);
        }
        let Some(object) = s3.get(token).await? else { return Ok(Found::Unknown) };
        let Some((meta, sealed)) = crate::s3::parse_object(&object) else {
            return Err(format!("object take-home/{token} is not a take-home bundle"));
        };
        let left = meta.expires_at.saturating_sub(unix_now());
        if left == 0 {
            s3.delete(token).await?;
            lock(&self.ended).insert(token.to_string(), Instant::now());
            self.expired.fetch_add(1, Ordering::Relaxed);
            return Ok(Found::Ended);
        }
        if !lock(&self.entries).contains_key(token) {
            let entry = Entry {
                kiosk: meta.kiosk,
                sealed: None,
                len: sealed.len() as u64,
                expires_at: Instant::now() + Duration::from_secs(left),
                delete_hash: meta.delete_hash,
            };
            self.index(token, entry);
        }
        Ok(Found::Live(sealed))
    }

    /// Ends expired bundles and forgets old tombstones; called every second. Returns the tokens
    /// whose objects must leave the object store.
    pub fn sweep(&self) -> Vec<String> {
        let now = Instant::now();
        let mut entries = lock(&self.entries);
        let due: Vec<String> = entries.iter().filter(|(_, e)| now >= e.expires_at).map(|(t, _)| t.clone()).collect();
        let mut in_store = Vec::new();
        for token in due {
            if let Some(entry) = entries.remove(&token) {
                self.end(&token, &entry);
                self.expired.fetch_add(1, Ordering::Relaxed);
                if entry.sealed.is_none() {
                    in_store.push(token);
                }
            }
        }
        drop(entries);
        lock(&self.ended).retain(|_, at| now.duration_since(*at) < TOMBSTONE_TTL);
        in_store
    }

    /// Deletes expired links' objects from the object store.
    pub async fn delete_objects(&self, tokens: Vec<String>) {
        let Some(s3) = &self.s3 else { return };
        for token in tokens {
            if let Err(e) = s3.delete(&token).await {
                tracing::warn!("take-home object not deleted at expiry (the lifecycle rule will): {e}");
            }
        }
    }

    /// Prometheus text: bundles held (count, bytes), opened, deleted, expired. No tokens.
    pub fn render(&self) -> String {
        let (count, bytes) = self.held();
        let counter = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "# TYPE relay_take_homes gauge\nrelay_take_homes {count}\n\
             # TYPE relay_take_home_bytes gauge\nrelay_take_home_bytes {bytes}\n\
             # TYPE relay_take_home_opened_total counter\nrelay_take_home_opened_total {}\n\
             # TYPE relay_take_home_deleted_total counter\nrelay_take_home_deleted_total {}\n\
             # TYPE relay_take_home_expired_total counter\nrelay_take_home_expired_total {}\n",
            counter(&self.opened),
            counter(&self.deleted),
            counter(&self.expired),
        )
    }

    pub fn held(&self) -> (usize, u64) {
        (lock(&self.entries).len(), self.bytes.load(Ordering::Relaxed))
    }

    /// Ends `token` if `allowed` says so (and deletes its object).
    async fn remove(&self, token: &str, allowed: impl FnOnce(&Entry) -> bool) -> Result<(), StatusCode> {
        // Index a link made elsewhere first, so its owner and delete hash are known here.
        if self.find(token).await.is_err() {
            return Err(StatusCode::BAD_GATEWAY);
        }
        let removed = {
            let mut entries = lock(&self.entries);
            match entries.get(token) {
                Some(entry) if allowed(entry) => entries.remove(token),
                Some(_) => return Err(StatusCode::FORBIDDEN),
                None if lock(&self.ended).contains_key(token) => return Err(StatusCode::GONE),
                None => return Err(StatusCode::NOT_FOUND),
            }
        };
        let Some(entry) = removed else { return Err(StatusCode::NOT_FOUND) };
        self.end(token, &entry);
        self.deleted.fetch_add(1, Ordering::Relaxed);
        if let (Some(s3), None) = (&self.s3, &entry.sealed) {
            s3.delete(token).await.map_err(|e| {
                tracing::warn!("take-home object not deleted: {e}");
                StatusCode::BAD_GATEWAY
            })?;
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
pub struct Upload {
    kiosk: String,
    expires_in_s: u64,
    delete_hash: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stored {
    pub token: String,
    /// The link without its fragment; the kiosk appends `#key`.
    pub url: String,
    /// Unix seconds.
    pub expires_at: u64,
}

pub async fn upload(
    State(relay): State<Arc<Relay>>,
    Query(upload): Query<Upload>,
    headers: HeaderMap,
    sealed: Bytes,
) -> Result<(StatusCode, Json<Stored>), ApiError> {
    kiosk_authorised(&relay, &upload.kiosk, &headers)?;
    let limits = &relay.config.limits;
    let bad = |problem: &str| Err(ApiError(StatusCode::BAD_REQUEST, problem.to_string()));
    if upload.expires_in_s == 0 || Duration::from_secs(upload.expires_in_s) > takehome::MAX_EXPIRY {
        return bad("expires_in_s must be 1 s to 7 days");
    }
    if upload.delete_hash.len() != 64 || !upload.delete_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return bad("delete_hash must be 64 hex digits");
    }
    // A nonce, at least one byte and the tag: anything shorter is not a sealed bundle.
    if sealed.len() < 12 + 16 + 1 {
        return bad("the body is not a sealed bundle");
    }
    let store = &relay.take_homes;
    // The memory cap applies to what this relay holds itself.
    if store.s3.is_none() && store.held().1 + sealed.len() as u64 > (limits.max_take_home_store_mb as u64) << 20 {
        return Err(ApiError(StatusCode::INSUFFICIENT_STORAGE, "the take-home store is full".into()));
    }
    let token = random_token();
    let ttl = Duration::from_secs(upload.expires_in_s);
    let expires_at = unix_now() + ttl.as_secs();
    let delete_hash = upload.delete_hash.to_ascii_lowercase();
    let len = sealed.len() as u64;
    let sealed = match &store.s3 {
        Some(s3) => {
            let meta = ObjectMeta { kiosk: upload.kiosk.clone(), expires_at, delete_hash: delete_hash.clone() };
            s3.put(&token, object_bytes(&meta, &sealed)).await.map_err(|e| {
                tracing::warn!("take-home not stored: {e}");
                ApiError(StatusCode::BAD_GATEWAY, "the take-home store is unavailable".into())
            })?;
            None
        }
        None => Some(sealed),
    };
    let entry = Entry { kiosk: upload.kiosk.clone(), sealed, len, expires_at: Instant::now() + ttl, delete_hash };
    store.index(&token, entry);
    tracing::info!(kiosk = %upload.kiosk, "take-home stored for {} s", ttl.as_secs());
    let url = format!("{}/h/{token}", relay.config.public_url.trim_end_matches('/'));
    Ok((StatusCode::CREATED, Json(Stored { token, url, expires_at })))
}

#[derive(Debug, Deserialize)]
pub struct KioskQuery {
    kiosk: String,
}

pub async fn kiosk_delete(
    State(relay): State<Arc<Relay>>,
    Path(token): Path<String>,
    Query(query): Query<KioskQuery>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    kiosk_authorised(&relay, &query.kiosk, &headers)?;
    // Another kiosk's bundle is "not found": its existence is nobody else's business.
    match relay.take_homes.remove(&token, |entry| entry.kiosk == query.kiosk).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StatusCode::GONE) => Err(ApiError::gone()),
        Err(_) => Err(ApiError::not_found()),
    }
}

fn headers(content_type: &'static str) -> [(header::HeaderName, &'static str); 4] {
    [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
        ),
    ]
}

/// The store could not be read: the link may be fine, so neither 404 nor 410.
fn unavailable(e: String) -> ApiError {
    tracing::warn!("take-home store: {e}");
    ApiError(StatusCode::BAD_GATEWAY, "the take-home store is unavailable".into())
}

pub async fn page(State(relay): State<Arc<Relay>>, Path(token): Path<String>, asked: HeaderMap) -> Response {
    let status = match relay.take_homes.find(&token).await {
        Ok(Found::Live(_)) => StatusCode::OK,
        Ok(Found::Ended) => StatusCode::GONE,
        Ok(Found::Unknown) => StatusCode::NOT_FOUND,
        Err(e) => return unavailable(e).into_response(),
    };
    let (language, html) = relay.pages.render(Page::TakeHome, &asked);
    (status, headers("text/html; charset=utf-8"), Pages::language_headers(language), Html(html.to_owned()))
        .into_response()
}

pub async fn bundle(State(relay): State<Arc<Relay>>, Path(token): Path<String>) -> Result<Response, ApiError> {
    match relay.take_homes.find(&token).await.map_err(unavailable)? {
        Found::Live(sealed) => {
            relay.take_homes.opened.fetch_add(1, Ordering::Relaxed);
            Ok((headers("application/octet-stream"), sealed).into_response())
        }
        Found::Ended => Err(ApiError::gone()),
        Found::Unknown => Err(ApiError::not_found()),
    }
}

#[derive(Debug, Deserialize)]
pub struct DeleteProof {
    proof: String,
}

pub async fn phone_delete(
    State(relay): State<Arc<Relay>>,
    Path(token): Path<String>,
    Json(body): Json<DeleteProof>,
) -> Result<StatusCode, ApiError> {
    let hash = takehome::proof_hash(&body.proof.to_ascii_lowercase());
    match relay.take_homes.remove(&token, |entry| same_secret(&entry.delete_hash, &hash)).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StatusCode::FORBIDDEN) => Err(ApiError(StatusCode::FORBIDDEN, "that is not this link's key".into())),
        Err(StatusCode::GONE) => Err(ApiError::gone()),
        Err(_) => Err(ApiError::not_found()),
    }
}
