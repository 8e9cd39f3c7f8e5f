//! Alerts and maintenance windows: `GET /alerts` (open first, then the windows), `GET
//! /api/v1/alerts`, `POST /alerts/{id}/ack`, `POST /maintenance-windows` (form: store, kiosk or
//! empty, from (UTC, empty: now), hours, reason). Acknowledging and adding windows is for store
//! managers (their stores), fleet operators and admins; both are audited.

use std::sync::Arc;

use axum::{
    Form, Json, Router,
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use protocol::telemetry::now_ms;
use serde::Deserialize;

use super::{ApiError, PageViewer};
use crate::{
    Console,
    auth::Viewer,
    commands::in_scope,
    pages,
    stores::{self, Window},
};

pub fn routes() -> Router<Arc<Console>> {
    Router::new()
        .route("/alerts", get(alerts_page))
        .route("/alerts/{id}/ack", post(ack_alert))
        .route("/api/v1/alerts", get(api_alerts))
        .route("/maintenance-windows", post(add_window))
}

async fn alerts_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
) -> Result<Response, ApiError> {
    let alerts = console.db.alerts(viewer.stores(), 200).await?;
    let windows: Vec<Window> = stores::windows(&console.db, now_ms() as i64)
        .await?
        .into_iter()
        .filter(|w| in_scope(&w.store, viewer.stores()))
        .collect();
    let stores = super::stores_in_scope(&console, &viewer).await?;
    Ok(Html(pages::alerts(&viewer, &alerts, &windows, &stores)).into_response())
}

async fn api_alerts(State(console): State<Arc<Console>>, viewer: Viewer) -> Result<Response, ApiError> {
    Ok(Json(console.db.alerts(viewer.stores(), 200).await?).into_response())
}

async fn ack_alert(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    if !viewer.may_command() {
        return Err(ApiError::Forbidden);
    }
    let now = now_ms() as i64;
    let Some(alert) = console.db.ack_alert(id, &viewer.name, viewer.stores(), now).await? else {
        return Err(ApiError::BadRequest(format!("alert {id} is not open in your stores, or already acknowledged")));
    };
    console
        .db
        .audit(now, &viewer.name, "alert_acked", &id.to_string(), &format!("{} {}", alert.kiosk, alert.rule))
        .await?;
    Ok(Redirect::to("/alerts").into_response())
}

#[derive(Debug, Deserialize)]
struct WindowForm {
    store: String,
    #[serde(default)]
    kiosk: String,
    /// `YYYY-MM-DDTHH:MM` (a datetime-local field), UTC; empty: now.
    #[serde(default)]
    from: String,
    hours: f64,
    reason: String,
}

/// `YYYY-MM-DDTHH:MM[:SS]` as UTC milliseconds.
fn utc_ms(text: &str) -> Result<i64, String> {
    let parsed = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"));
    parsed.map(|t| t.and_utc().timestamp_millis()).map_err(|_| format!("from: {text:?} is not YYYY-MM-DDTHH:MM"))
}

async fn add_window(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<WindowForm>,
) -> Result<Response, ApiError> {
    if !viewer.may_command() {
        return Err(ApiError::Forbidden);
    }
    if !in_scope(&form.store, viewer.stores()) {
        return Err(ApiError::NotFound);
    }
    if !(0.25..=720.0).contains(&form.hours) {
        return Err(ApiError::BadRequest(format!("hours: {} is outside 0.25–720", form.hours)));
    }
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(ApiError::BadRequest("reason: say why, in at most 200 characters".into()));
    }
    let now = now_ms() as i64;
    let from_ms =
        if form.from.trim().is_empty() { now } else { utc_ms(form.from.trim()).map_err(ApiError::BadRequest)? };
    let window = Window {
        id: 0,
        store: form.store.clone(),
        kiosk: form.kiosk.trim().to_owned(),
        from_ms,
        to_ms: from_ms + (form.hours * 3_600_000.0) as i64,
        reason: reason.to_owned(),
        user: viewer.name.clone(),
    };
    stores::add_window(&console.db, &window).await?;
    let target =
        if window.kiosk.is_empty() { window.store.clone() } else { format!("{}/{}", window.store, window.kiosk) };
    let detail = format!("{} h from {}: {}", form.hours, crate::calendar::date_time_text(from_ms), window.reason);
    console.db.audit(now, &viewer.name, "maintenance_window_added", &target, &detail).await?;
    Ok(Redirect::to("/alerts").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datetime_local_field_reads_as_utc() {
        assert_eq!(utc_ms("2026-11-30T13:05"), Ok(1_796_043_900_000));
        assert_eq!(utc_ms("2026-11-30T13:05:30"), Ok(1_796_043_930_000));
        assert!(utc_ms("30.11.2026 13:05").is_err());
    }
}
