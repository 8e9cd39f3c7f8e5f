//! Routes, sign-in, and the one error shape every failure answers with.
//!
//! - `GET /signin`, `POST /signin` (form), `POST /signout`
//! - `GET /` the fleet (`?state=online|offline|lost|maintenance|degraded`),
//!   `GET /fragments/fleet` its live part, `GET /live` server-sent events when a kiosk changes
//! - alerts and maintenance windows: [`alerts`]
//! - `GET /analytics`, `/analytics.csv`, `/api/v1/analytics` (`?from_ms=&to_ms=`, default the
//!   last 30 days): store managers, analysts and admins
//! - `GET /api/v1/kiosks` (JSON), `GET /api/v1/audit` (admin)
//! - `GET /healthz`
//! - commands, rollouts, a kiosk's page and screenshot uploads: [`operations`]
//! - the size-request board: [`requests`]
//!
//! Every page and API call is answered for the signed-in user's stores only; a page without a
//! session redirects to the sign-in, an API call answers 401.

mod alerts;
mod operations;
mod requests;

use std::{convert::Infallible, sync::Arc};

use axum::{
    Form, Json, Router,
    extract::{FromRequestParts, Query, State},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{
        Html, IntoResponse, Redirect, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use futures_util::Stream;
use protocol::telemetry::now_ms;
use serde::Deserialize;
use tokio_stream::{StreamExt, wrappers::BroadcastStream};

use crate::{
    Console, analytics,
    auth::{self, COOKIE, Role, Viewer},
    db::DbError,
    fleet::State as KioskState,
    ingest::Change,
    pages::{self, Words},
};

pub fn router(console: Arc<Console>) -> Router {
    Router::new()
        .route(
            "/signin",
            get(|words: Words| async move { localized(words, pages::sign_in(words, false)) }).post(sign_in),
        )
        .route("/signout", axum::routing::post(sign_out))
        .route("/", get(fleet_page))
        .route("/fragments/fleet", get(fleet_fragment))
        .route("/live", get(live))
        .route("/analytics", get(analytics_page))
        .route("/analytics.csv", get(analytics_csv))
        .route("/api/v1/analytics", get(api_analytics))
        .route("/api/v1/kiosks", get(api_kiosks))
        .route("/api/v1/audit", get(api_audit))
        .route("/healthz", get(|| async { "ok" }))
        .merge(alerts::routes())
        .merge(operations::routes())
        .merge(requests::routes())
        .with_state(console)
}

/// Every failure: a status and a one-line JSON reason (pages redirect to the sign-in instead).
#[derive(Debug)]
pub enum ApiError {
    SignIn,
    Forbidden,
    NotFound,
    BadRequest(String),
    Database(DbError),
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::Database(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, reason) = match self {
            ApiError::SignIn => (StatusCode::UNAUTHORIZED, "sign in first".to_owned()),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "your role may not do this".to_owned()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "no such thing in your stores".to_owned()),
            ApiError::BadRequest(why) => (StatusCode::BAD_REQUEST, why),
            ApiError::Database(e) => {
                tracing::warn!("console: database: {e}");
                (StatusCode::SERVICE_UNAVAILABLE, "the console's database is unavailable".to_owned())
            }
        };
        (status, Json(serde_json::json!({ "error": reason }))).into_response()
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('=').map(str::to_owned))
}

/// The signed-in user, for API handlers (401 without a live session).
impl FromRequestParts<Arc<Console>> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, console: &Arc<Console>) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie_token(&parts.headers) else { return Err(ApiError::SignIn) };
        auth::session_viewer(&console.db, &token).await?.ok_or(ApiError::SignIn)
    }
}

/// The language the browser asks for, for the pages that follow it ([`Words`]).
impl<S: Send + Sync> FromRequestParts<S> for Words {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let asked = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(Words::for_accept_language(asked))
    }
}

/// A page in `words`' language, saying so to the browser and to caches.
pub(crate) fn localized(words: Words, html: String) -> Response {
    ([(header::CONTENT_LANGUAGE, words.language.tag()), (header::VARY, "accept-language")], Html(html)).into_response()
}

/// A page's user; without a live session the page redirects to the sign-in.
pub struct PageViewer(pub Viewer);

impl FromRequestParts<Arc<Console>> for PageViewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Arc<Console>) -> Result<Self, Self::Rejection> {
        page_viewer(console, &parts.headers).await.map(PageViewer)
    }
}

/// A page's user, or the redirect to the sign-in.
async fn page_viewer(console: &Console, headers: &HeaderMap) -> Result<Viewer, Response> {
    let Some(token) = cookie_token(headers) else { return Err(Redirect::to("/signin").into_response()) };
    match auth::session_viewer(&console.db, &token).await {
        Ok(Some(viewer)) => Ok(viewer),
        Ok(None) => Err(Redirect::to("/signin").into_response()),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

#[derive(Debug, Deserialize)]
struct SignIn {
    name: String,
    password: String,
}

async fn sign_in(
    State(console): State<Arc<Console>>,
    words: Words,
    Form(form): Form<SignIn>,
) -> Result<Response, ApiError> {
    let now = now_ms() as i64;
    let Some(viewer) = auth::verify(&console.db, &form.name, &form.password).await? else {
        console.db.audit(now, &form.name, "sign_in_refused", "", "wrong name or password").await?;
        return Ok((StatusCode::UNAUTHORIZED, localized(words, pages::sign_in(words, true))).into_response());
    };
    let token = auth::start_session(&console.db, &viewer).await?;
    console
        .db
        .audit(now, &viewer.name, "sign_in", "", &format!("{} for {}", viewer.role.name(), viewer.scope_text()))
        .await?;
    let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", auth::SESSION_MS / 1000);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

async fn sign_out(State(console): State<Arc<Console>>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(&headers) {
        auth::end_session(&console.db, &token).await?;
    }
    let cookie = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/signin")).into_response())
}

#[derive(Debug, Deserialize)]
struct FleetQuery {
    state: Option<String>,
    store: Option<String>,
}

impl FleetQuery {
    fn store(&self) -> Option<&str> {
        self.store.as_deref().filter(|s| !s.is_empty())
    }
}

fn filter(query: &FleetQuery) -> Result<Option<KioskState>, ApiError> {
    match query.state.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(name) => KioskState::parse(name).map(Some).ok_or_else(|| {
            ApiError::BadRequest(format!("state={name:?}: use online, offline, lost, maintenance or degraded"))
        }),
    }
}

/// The stores of the kiosks the viewer may see, by name.
pub(crate) async fn stores_in_scope(console: &Console, viewer: &Viewer) -> Result<Vec<String>, ApiError> {
    Ok(store_names(&console.db.kiosks(viewer.stores()).await?))
}

/// The stores of `kiosks`, by name, each once.
fn store_names(kiosks: &[crate::db::KioskRow]) -> Vec<String> {
    let mut stores: Vec<String> = kiosks.iter().map(|k| k.store.clone()).collect();
    stores.sort();
    stores.dedup();
    stores
}

/// The kiosks in the viewer's scope, of the chosen store, and every store in scope (one read of
/// the kiosks: the fleet page is fetched again on every change).
async fn fleet_of(
    console: &Console,
    viewer: &Viewer,
    query: &FleetQuery,
) -> Result<(Vec<crate::db::KioskRow>, Vec<String>), ApiError> {
    let kiosks = console.db.kiosks(viewer.stores()).await?;
    let stores = store_names(&kiosks);
    let kiosks = kiosks.into_iter().filter(|k| query.store().is_none_or(|s| k.store == s)).collect();
    Ok((kiosks, stores))
}

async fn fleet_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Query(query): Query<FleetQuery>,
) -> Result<Response, ApiError> {
    let state = filter(&query)?;
    let (kiosks, stores) = fleet_of(&console, &viewer, &query).await?;
    Ok(Html(pages::fleet(&viewer, &kiosks, state, query.store(), &stores)).into_response())
}

async fn fleet_fragment(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Query(query): Query<FleetQuery>,
) -> Result<Html<String>, ApiError> {
    let state = filter(&query)?;
    let (kiosks, _) = fleet_of(&console, &viewer, &query).await?;
    Ok(Html(pages::fleet_live(&kiosks, state, query.store())))
}

/// Whether `viewer` may see what `change` is about.
async fn visible(db: &crate::db::Database, viewer: &Viewer, change: &Change) -> bool {
    let Some(stores) = viewer.stores() else { return true };
    match change {
        Change::Kiosk(kiosk) => db.kiosk(kiosk).await.ok().flatten().is_some_and(|k| stores.contains(&k.store)),
        Change::Command(id) => crate::commands::one(db, id, Some(stores)).await.is_ok_and(|c| c.is_some()),
        Change::Rollout(id) => crate::rollouts::one(db, id, Some(stores)).await.is_ok_and(|r| r.is_some()),
        Change::Requests(store) => stores.contains(store),
    }
}

/// One event per change the user may see, named `kiosk`, `command` or `rollout`, with the id
/// (the page fetches the rest, answered for the user's scope).
async fn live(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = BroadcastStream::new(console.changes.subscribe());
    let db = Arc::clone(&console.db);
    let stream = changes.filter_map(Result::ok).then(move |change| {
        let (db, viewer) = (Arc::clone(&db), viewer.clone());
        async move {
            let (name, id) = match &change {
                Change::Kiosk(id) => ("kiosk", id.clone()),
                Change::Command(id) => ("command", id.clone()),
                Change::Rollout(id) => ("rollout", id.clone()),
                Change::Requests(store) => ("requests", store.clone()),
            };
            visible(&db, &viewer, &change).await.then(|| Ok(Event::default().event(name).data(id)))
        }
    });
    Sse::new(stream.filter_map(|event| event)).keep_alive(KeepAlive::default())
}

async fn api_kiosks(State(console): State<Arc<Console>>, viewer: Viewer) -> Result<Response, ApiError> {
    let kiosks = console.db.kiosks(viewer.stores()).await?;
    let with_states: Vec<serde_json::Value> = kiosks
        .iter()
        .map(|k| {
            let mut value = serde_json::to_value(k).unwrap_or_default();
            value["states"] = crate::fleet::states(k).iter().map(|s| s.name()).collect();
            value["problems"] = crate::fleet::problems(k).into();
            value
        })
        .collect();
    Ok(Json(with_states).into_response())
}

async fn api_audit(State(console): State<Arc<Console>>, viewer: Viewer) -> Result<Response, ApiError> {
    if viewer.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(console.db.audit_log(200).await?).into_response())
}

#[derive(Debug, Deserialize)]
struct PeriodQuery {
    from_ms: Option<i64>,
    to_ms: Option<i64>,
}

const THIRTY_DAYS_MS: i64 = 30 * 86_400_000;

/// The report for the signed-in user's stores; associates and fleet operators get 403.
async fn report_for(console: &Console, viewer: &Viewer, period: &PeriodQuery) -> Result<analytics::Report, ApiError> {
    if !matches!(viewer.role, Role::StoreManager | Role::Analyst | Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let to_ms = period.to_ms.unwrap_or(now_ms() as i64 + 1);
    let from_ms = period.from_ms.unwrap_or(to_ms - THIRTY_DAYS_MS);
    if from_ms >= to_ms {
        return Err(ApiError::BadRequest(format!("from_ms {from_ms} must be before to_ms {to_ms}")));
    }
    Ok(analytics::report(&console.db, viewer.stores(), from_ms, to_ms).await?)
}

async fn api_analytics(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Query(period): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(report_for(&console, &viewer, &period).await?).into_response())
}

async fn analytics_csv(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Query(period): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let report = report_for(&console, &viewer, &period).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"mirror-analytics.csv\""),
    ];
    Ok((headers, analytics::csv(&report)).into_response())
}

async fn analytics_page(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Query(period): Query<PeriodQuery>,
) -> Response {
    let viewer = match page_viewer(&console, &headers).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    match report_for(&console, &viewer, &period).await {
        Ok(report) => Html(pages::analytics(&viewer, &report)).into_response(),
        Err(e) => e.into_response(),
    }
}
