//! Routes, the kiosk's REST handlers, health and metrics, and the one error shape every failure
//! answers with.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Path, State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{delete, get, patch, post},
};
use protocol::share::{CreateShare, CreatedShare};

use crate::{
    Relay,
    metrics::Rejection,
    sessions::{Lookup, Session},
};

pub fn router(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/api/v1/sessions", post(create_session))
        .route("/api/v1/sessions/{id}", delete(end_session))
        .route("/api/v1/sessions/{id}/stream", get(crate::kiosk::stream))
        .route("/api/v1/sessions/{id}/whip", post(crate::media::publish).delete(crate::media::unpublish))
        .route("/v/{token}/whep", post(crate::media::watch))
        .route("/v/{token}/whep/{peer}", patch(crate::media::viewer_answer).delete(crate::media::viewer_leave))
        .route("/v/{token}", get(crate::viewer::page))
        .route("/v/{token}/ws", get(crate::viewer::socket))
        .route("/v/{token}/looks/{look}", get(crate::viewer::look_picture))
        .route(
            "/api/v1/takehome",
            post(crate::takehome::upload).layer(DefaultBodyLimit::max(relay.config.limits.max_take_home_bytes)),
        )
        .route("/api/v1/takehome/{token}", delete(crate::takehome::kiosk_delete))
        .route("/h/{token}", get(crate::takehome::page))
        .route("/h/{token}/bundle", get(crate::takehome::bundle))
        .route("/h/{token}/delete", post(crate::takehome::phone_delete))
        .route("/brand/logo", get(|State(relay): State<Arc<Relay>>| async move { relay.pages.logo() }))
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .with_state(relay)
}

/// Every failure: a status and a one-line JSON reason.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

impl ApiError {
    pub fn unauthorized() -> Self {
        Self(StatusCode::UNAUTHORIZED, "missing or wrong credentials".into())
    }

    pub fn not_found() -> Self {
        Self(StatusCode::NOT_FOUND, "no such share".into())
    }

    pub fn gone() -> Self {
        Self(StatusCode::GONE, "this look has ended".into())
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// Compares secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `headers` carry `kiosk`'s key (counted as a wrong key if not).
pub fn kiosk_authorised(relay: &Relay, kiosk: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    let known = bearer(headers)
        .is_some_and(|key| relay.config.kiosk_keys.get(kiosk).is_some_and(|expected| same_secret(expected, key)));
    if known {
        Ok(())
    } else {
        relay.registry.metrics.reject(Rejection::WrongKey);
        Err(ApiError::unauthorized())
    }
}

/// The session `id` if `headers` carry its kiosk token.
pub fn authorised_session(relay: &Relay, id: &str, headers: &HeaderMap) -> Result<Arc<Session>, ApiError> {
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    match relay.registry.by_id(id) {
        Lookup::Live(session) if same_secret(&session.kiosk_token, token) => Ok(session),
        Lookup::Live(_) => Err(ApiError::unauthorized()),
        Lookup::Ended => Err(ApiError::gone()),
        Lookup::Unknown => Err(ApiError::not_found()),
    }
}

async fn create_session(
    State(relay): State<Arc<Relay>>,
    headers: HeaderMap,
    body: Result<Json<CreateShare>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedShare>), ApiError> {
    let Json(request) = body.map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.body_text()))?;
    kiosk_authorised(&relay, &request.kiosk_id, &headers)?;
    let session = relay
        .registry
        .create(&request.kiosk_id, &relay.config.limits)
        .ok_or_else(|| ApiError(StatusCode::SERVICE_UNAVAILABLE, "relay is at its session limit".into()))?;
    tracing::info!(session = %session.id, kiosk = %session.kiosk_id, "share session created");
    let created = CreatedShare {
        session_id: session.id.clone(),
        viewer_url: format!("{}/v/{}", relay.config.public_url.trim_end_matches('/'), session.viewer_token),
        kiosk_token: session.kiosk_token.clone(),
        expires_at: session.expires_unix,
        max_frame_bytes: relay.config.limits.max_frame_bytes,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

async fn end_session(
    State(relay): State<Arc<Relay>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let session = authorised_session(&relay, &id, &headers)?;
    relay.registry.end(&session.id, "ended by the kiosk");
    Ok(StatusCode::NO_CONTENT)
}

async fn metrics(State(relay): State<Arc<Relay>>) -> impl IntoResponse {
    let (sessions, viewers, holding) = relay.registry.gauges();
    let mut body = relay.registry.metrics.render(sessions, viewers, holding, relay.registry.shown_looks());
    body.push_str(&relay.take_homes.render());
    body.push_str(&relay.media.render().await);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
