//! The size-request board's routes: `GET /requests?store=`, `GET /fragments/requests?store=`,
//! `GET /api/v1/requests?store=`, `POST /requests/{store}/{id}/accept` ("I'm bringing it", the
//! signed-in user's name goes to the mirror) and `POST /requests/{store}/{id}/done`. A store
//! outside the user's scope answers 404; analysts may not answer. Answers are audited.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use protocol::telemetry::now_ms;
use serde::Deserialize;

use super::{ApiError, PageViewer, localized};
use crate::{
    Console,
    auth::Viewer,
    commands::in_scope,
    pages::{self, Words},
};

pub fn routes() -> Router<Arc<Console>> {
    Router::new()
        .route("/requests", get(board_page))
        .route("/fragments/requests", get(board_fragment))
        .route("/api/v1/requests", get(api_board))
        .route("/requests/{store}/{id}/accept", post(accept))
        .route("/requests/{store}/{id}/done", post(done))
}

#[derive(Debug, Deserialize)]
struct StoreQuery {
    store: Option<String>,
    /// Why the last answer was not sent.
    not_sent: Option<String>,
}

/// The stores the user may see that have kiosks or requests, and the one to show.
async fn stores_and_choice(
    console: &Console,
    viewer: &Viewer,
    asked: Option<&str>,
) -> Result<(Vec<String>, Option<String>), ApiError> {
    let mut stores = super::stores_in_scope(console, viewer).await?;
    stores.extend(console.boards.stores().into_iter().filter(|s| in_scope(s, viewer.stores())));
    stores.sort();
    stores.dedup();
    let chosen = match asked.filter(|s| !s.is_empty()) {
        Some(store) if in_scope(store, viewer.stores()) => Some(store.to_owned()),
        Some(_) => return Err(ApiError::NotFound),
        None => stores.first().cloned(),
    };
    Ok((stores, chosen))
}

async fn board_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    words: Words,
    Query(query): Query<StoreQuery>,
) -> Result<Response, ApiError> {
    let (stores, store) = stores_and_choice(&console, &viewer, query.store.as_deref()).await?;
    let rooms = store.as_deref().map(|s| console.boards.rooms(s)).unwrap_or_default();
    Ok(localized(
        words,
        pages::requests::board(words, &viewer, store.as_deref(), &stores, &rooms, query.not_sent.as_deref()),
    ))
}

async fn board_fragment(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    words: Words,
    Query(query): Query<StoreQuery>,
) -> Result<Response, ApiError> {
    let (_, store) = stores_and_choice(&console, &viewer, query.store.as_deref()).await?;
    let store = store.ok_or(ApiError::NotFound)?;
    Ok(localized(words, pages::requests::board_live(words, &store, &console.boards.rooms(&store))))
}

async fn api_board(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Query(query): Query<StoreQuery>,
) -> Result<Response, ApiError> {
    let (_, store) = stores_and_choice(&console, &viewer, query.store.as_deref()).await?;
    let store = store.ok_or(ApiError::NotFound)?;
    let rooms: Vec<serde_json::Value> = console
        .boards
        .rooms(&store)
        .into_iter()
        .map(|(room, requests)| serde_json::json!({ "room": room, "requests": requests }))
        .collect();
    Ok(Json(serde_json::json!({ "store": store, "rooms": rooms })).into_response())
}

async fn answer(console: &Console, viewer: &Viewer, store: &str, id: &str, accept: bool) -> Result<Response, ApiError> {
    if !viewer.may_answer_requests() {
        return Err(ApiError::Forbidden);
    }
    if !in_scope(store, viewer.stores()) {
        return Err(ApiError::NotFound);
    }
    let by = accept.then_some(viewer.name.as_str());
    if let Err(reason) = console.boards.answer(&console.client, store, id, by).await {
        // Back to the board, which says why (a colleague closed it, the broker is away).
        tracing::warn!("size request {id} in {store}: {reason}");
        return Ok(Redirect::to(&format!(
            "/requests?store={store}&not_sent={}",
            form_urlencoded::byte_serialize(reason.as_bytes()).collect::<String>()
        ))
        .into_response());
    }
    let action = if accept { "size_request_accepted" } else { "size_request_done" };
    console.db.audit(now_ms() as i64, &viewer.name, action, id, store).await?;
    let _ = console.changes.send(crate::ingest::Change::Requests(store.to_owned()));
    Ok(Redirect::to(&format!("/requests?store={store}")).into_response())
}

async fn accept(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path((store, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    answer(&console, &viewer, &store, &id, true).await
}

async fn done(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path((store, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    answer(&console, &viewer, &store, &id, false).await
}
