//! Routes that act on kiosks, and a kiosk's own page:
//!
//! - `POST /commands/new` the confirmation (form: `action` and `kiosk`, or `store` and `state`),
//!   `POST /commands` sends it; `GET /commands`, `/commands/{id}`, `/fragments/commands/{id}`;
//!   `POST /api/v1/commands` (JSON `{"action": {…}, "store": …, "state": …, "kiosk": …}`),
//!   `GET /api/v1/commands/{id}`. Store managers (their stores), fleet operators, admins.
//! - `GET /rollouts`, `POST /rollouts` (form), `/rollouts/{id}`, `/fragments/rollouts/{id}`,
//!   `POST /rollouts/{id}/stop`, `POST /rollouts/{id}/rollback`, `GET /api/v1/rollouts/{id}`.
//!   Fleet operators and admins.
//! - `GET /kiosks/{id}`, `/fragments/kiosks/{id}`, `/kiosks/{id}/screenshot.png`, and
//!   `POST /uploads/screenshot`, where kiosks send the screenshot a command asked for
//!   (`Authorization: Bearer` the console's `--screenshot-token`, `x-kiosk-id`).
//!
//! Targets are always chosen again on the server from the user's scope; a form never names a
//! kiosk the user may not see. Every command, rollout, stop and rollback is in the audit log.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::{
    Form, Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use protocol::{command::Action, telemetry::now_ms};
use serde::Deserialize;

use super::{ApiError, PageViewer};
use crate::{
    Console,
    auth::Viewer,
    commands,
    db::KioskRow,
    fleet::{self, State as KioskState},
    history,
    pages::{
        self,
        kiosk::KioskView,
        operations::{self as op_pages, Selection},
    },
    rollouts::{self, Plan},
};

/// A screenshot larger than this is refused.
const MAX_SCREENSHOT_BYTES: usize = 8 << 20;

pub fn routes() -> Router<Arc<Console>> {
    Router::new()
        .route("/commands", get(commands_page).post(send_command))
        .route("/commands/new", post(confirm_command))
        .route("/commands/{id}", get(command_page))
        .route("/fragments/commands/{id}", get(command_fragment))
        .route("/api/v1/commands", post(api_send_command))
        .route("/api/v1/commands/{id}", get(api_command))
        .route("/rollouts", get(rollouts_page).post(start_rollout))
        .route("/rollouts/{id}", get(rollout_page))
        .route("/fragments/rollouts/{id}", get(rollout_fragment))
        .route("/rollouts/{id}/stop", post(stop_rollout))
        .route("/rollouts/{id}/rollback", post(roll_back))
        .route("/api/v1/rollouts/{id}", get(api_rollout))
        .route("/kiosks/{id}", get(kiosk_page))
        .route("/fragments/kiosks/{id}", get(kiosk_fragment))
        .route("/kiosks/{id}/screenshot.png", get(screenshot))
        .route("/uploads/screenshot", post(upload_screenshot).layer(DefaultBodyLimit::max(MAX_SCREENSHOT_BYTES + 1)))
}

/// Which kiosks: one by id, or a store and a state of the fleet page (empty fields: any).
#[derive(Debug, Default, Deserialize)]
struct Chosen {
    #[serde(default)]
    kiosk: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    state: String,
}

fn some(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

impl Chosen {
    fn selection(&self) -> Selection<'_> {
        Selection { kiosk: some(&self.kiosk), store: some(&self.store), state: some(&self.state) }
    }
}

/// The kiosks `chosen` names, of those `viewer` may see.
async fn select(console: &Console, viewer: &Viewer, chosen: &Chosen) -> Result<Vec<KioskRow>, ApiError> {
    let state = match some(&chosen.state) {
        None => None,
        Some(name) => Some(
            KioskState::parse(name)
                .ok_or_else(|| ApiError::BadRequest(format!("state={name:?} is not a fleet state")))?,
        ),
    };
    let kiosks = console.db.kiosks(viewer.stores()).await?;
    Ok(kiosks
        .into_iter()
        .filter(|k| some(&chosen.kiosk).is_none_or(|id| k.id == id))
        .filter(|k| some(&chosen.store).is_none_or(|store| k.store == store))
        .filter(|k| state.is_none_or(|s| fleet::states(k).contains(&s)))
        .collect())
}

#[derive(Debug, Deserialize)]
struct CommandForm {
    action: String,
    #[serde(flatten)]
    chosen: Chosen,
}

fn named_action(name: &str) -> Result<(&'static str, Action), ApiError> {
    op_pages::actions()
        .into_iter()
        .find(|(value, _, _)| *value == name)
        .map(|(_, label, action)| (label, action))
        .ok_or_else(|| ApiError::BadRequest(format!("action={name:?} is not one the console offers")))
}

async fn confirm_command(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<CommandForm>,
) -> Result<Response, ApiError> {
    if !viewer.may_command() {
        return Err(ApiError::Forbidden);
    }
    let (label, _) = named_action(&form.action)?;
    let kiosks = select(&console, &viewer, &form.chosen).await?;
    let selection = form.chosen.selection();
    let page = op_pages::confirm(&viewer, (&form.action, label), &selection, &kiosks, console.dispatch.rate_per_s);
    Ok(Html(page).into_response())
}

/// Stores the command for the chosen kiosks and audits it; the command's id.
async fn create_command(
    console: &Console,
    viewer: &Viewer,
    action: &Action,
    chosen: &Chosen,
) -> Result<(String, usize), ApiError> {
    if !viewer.may_command() {
        return Err(ApiError::Forbidden);
    }
    let kiosks = select(console, viewer, chosen).await?;
    if kiosks.is_empty() {
        return Err(ApiError::BadRequest("no kiosk you may steer matches that selection".into()));
    }
    let selection = chosen.selection().describe();
    let id = commands::create(&console.db, &viewer.name, action, &selection, &kiosks)
        .await?
        .map_err(ApiError::BadRequest)?;
    let detail = format!("{} to {} kiosk(s): {selection}", action.name(), kiosks.len());
    console.db.audit(now_ms() as i64, &viewer.name, "command_sent", &id, &detail).await?;
    Ok((id, kiosks.len()))
}

async fn send_command(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<CommandForm>,
) -> Result<Response, ApiError> {
    let (_, action) = named_action(&form.action)?;
    let (id, _) = create_command(&console, &viewer, &action, &form.chosen).await?;
    Ok(Redirect::to(&format!("/commands/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
struct ApiCommand {
    action: Action,
    #[serde(flatten)]
    chosen: Chosen,
}

async fn api_send_command(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Json(request): Json<ApiCommand>,
) -> Result<Response, ApiError> {
    let (id, targets) = create_command(&console, &viewer, &request.action, &request.chosen).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id, "targets": targets }))).into_response())
}

async fn commands_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
) -> Result<Response, ApiError> {
    let recent = commands::recent(&console.db, viewer.stores(), 100).await?;
    Ok(Html(op_pages::commands(&viewer, &recent)).into_response())
}

async fn command_of(
    console: &Console,
    viewer: &Viewer,
    id: &str,
) -> Result<(commands::CommandRow, Vec<commands::Target>), ApiError> {
    commands::one(&console.db, id, viewer.stores()).await?.ok_or(ApiError::NotFound)
}

async fn command_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (command, targets) = command_of(&console, &viewer, &id).await?;
    Ok(Html(op_pages::command(&viewer, &command, &targets)).into_response())
}

async fn command_fragment(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (command, targets) = command_of(&console, &viewer, &id).await?;
    Ok(Html(op_pages::command_live(&command, &targets)).into_response())
}

async fn api_command(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (command, targets) = command_of(&console, &viewer, &id).await?;
    Ok(Json(serde_json::json!({ "command": command, "targets": targets })).into_response())
}

#[derive(Debug, Deserialize)]
struct RolloutForm {
    settings: String,
    #[serde(default)]
    store: String,
    canaries: u32,
    wave_percent: u32,
    soak_s: u64,
    report_timeout_s: u64,
    max_failures: u32,
}

/// `KEY=VALUE` lines; VALUE is JSON, or text when it is not JSON.
fn parse_settings(text: &str) -> Result<BTreeMap<String, serde_json::Value>, String> {
    let mut settings = BTreeMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {}: {line:?} is not KEY=VALUE", n + 1));
        };
        let value = value.trim();
        let value = serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
        settings.insert(key.trim().to_owned(), value);
    }
    Ok(settings)
}

async fn rollouts_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
) -> Result<Response, ApiError> {
    let recent = rollouts::recent(&console.db, viewer.stores(), 50).await?;
    Ok(Html(op_pages::rollouts(&viewer, &recent, &super::stores_in_scope(&console, &viewer).await?, None))
        .into_response())
}

async fn start_rollout(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<RolloutForm>,
) -> Result<Response, ApiError> {
    if !viewer.may_roll_out() {
        return Err(ApiError::Forbidden);
    }
    let chosen = Chosen { store: form.store.clone(), ..Chosen::default() };
    let kiosks = select(&console, &viewer, &chosen).await?;
    let planned = parse_settings(&form.settings).map(|settings| Plan {
        settings,
        canaries: form.canaries,
        wave_percent: form.wave_percent,
        soak: Duration::from_secs(form.soak_s),
        report_timeout: Duration::from_secs(form.report_timeout_s.max(1)),
        max_failures: form.max_failures,
    });
    let selection = chosen.selection().describe();
    let created = match &planned {
        Ok(plan) => rollouts::create(&console.db, &viewer.name, plan, &selection, &kiosks).await?,
        Err(e) => Err(e.clone()),
    };
    match (created, planned) {
        (Ok(id), Ok(plan)) => {
            let detail = format!(
                "{} to {} kiosk(s): {selection}",
                serde_json::to_string(&plan.settings).unwrap_or_default(),
                kiosks.len()
            );
            console.db.audit(now_ms() as i64, &viewer.name, "rollout_started", &id, &detail).await?;
            Ok(Redirect::to(&format!("/rollouts/{id}")).into_response())
        }
        (Err(problem), _) | (_, Err(problem)) => {
            let recent = rollouts::recent(&console.db, viewer.stores(), 50).await?;
            let page =
                op_pages::rollouts(&viewer, &recent, &super::stores_in_scope(&console, &viewer).await?, Some(&problem));
            Ok((StatusCode::BAD_REQUEST, Html(page)).into_response())
        }
    }
}

async fn rollout_of(
    console: &Console,
    viewer: &Viewer,
    id: &str,
) -> Result<(rollouts::Rollout, Vec<rollouts::RolloutTarget>), ApiError> {
    rollouts::one(&console.db, id, viewer.stores()).await?.ok_or(ApiError::NotFound)
}

async fn rollout_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (rollout, targets) = rollout_of(&console, &viewer, &id).await?;
    Ok(Html(op_pages::rollout(&viewer, &rollout, &targets)).into_response())
}

async fn rollout_fragment(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (rollout, targets) = rollout_of(&console, &viewer, &id).await?;
    Ok(Html(op_pages::rollout_live(&viewer, &rollout, &targets)).into_response())
}

async fn api_rollout(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (rollout, targets) = rollout_of(&console, &viewer, &id).await?;
    Ok(Json(serde_json::json!({ "rollout": rollout, "targets": targets })).into_response())
}

/// Stop or roll back, by a fleet operator or admin who may see every target.
async fn steer(console: &Console, viewer: &Viewer, id: &str, rollback: bool) -> Result<Response, ApiError> {
    if !viewer.may_roll_out() {
        return Err(ApiError::Forbidden);
    }
    rollout_of(console, viewer, id).await?;
    let changed = if rollback {
        rollouts::roll_back(&console.db, id).await?
    } else {
        rollouts::stop(&console.db, id, &format!("stopped by {}", viewer.name)).await?
    };
    if !changed {
        return Err(ApiError::BadRequest(format!(
            "rollout {id} cannot be {} now",
            if rollback { "rolled back" } else { "stopped" }
        )));
    }
    let action = if rollback { "rollout_rolled_back" } else { "rollout_stopped" };
    console.db.audit(now_ms() as i64, &viewer.name, action, id, "").await?;
    let _ = console.changes.send(crate::ingest::Change::Rollout(id.to_owned()));
    Ok(Redirect::to(&format!("/rollouts/{id}")).into_response())
}

async fn stop_rollout(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    steer(&console, &viewer, &id, false).await
}

async fn roll_back(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    steer(&console, &viewer, &id, true).await
}

async fn kiosk_view(console: &Console, viewer: &Viewer, id: &str) -> Result<KioskView, ApiError> {
    let kiosk = console.db.kiosk(id).await?.filter(|k| viewer.stores().is_none_or(|s| s.contains(&k.store)));
    let kiosk = kiosk.ok_or(ApiError::NotFound)?;
    let day_ago = now_ms() as i64 - 86_400_000;
    Ok(KioskView {
        timeline: history::timeline(&console.db, id, now_ms() as i64 - history::KEEP.as_millis() as i64).await?,
        samples: history::samples(&console.db, id, day_ago).await?,
        commands: commands::history(&console.db, id, 30).await?,
        screenshot_ms: console.db.screenshot(id).await?.map(|(at, _)| at),
        kiosk,
    })
}

async fn kiosk_page(
    State(console): State<Arc<Console>>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = kiosk_view(&console, &viewer, &id).await?;
    Ok(Html(pages::kiosk::kiosk(&viewer, &view)).into_response())
}

async fn kiosk_fragment(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = kiosk_view(&console, &viewer, &id).await?;
    Ok(Html(pages::kiosk::kiosk_live(&view)).into_response())
}

async fn screenshot(
    State(console): State<Arc<Console>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let kiosk = console.db.kiosk(&id).await?.filter(|k| viewer.stores().is_none_or(|s| s.contains(&k.store)));
    kiosk.ok_or(ApiError::NotFound)?;
    let (_, png) = console.db.screenshot(&id).await?.ok_or(ApiError::NotFound)?;
    let headers = [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, no-store")];
    Ok((headers, png).into_response())
}

async fn upload_screenshot(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(token) = console.screenshot_token.as_deref() else {
        return Err(ApiError::BadRequest(
            "this console takes no screenshots (start it with --screenshot-token)".into(),
        ));
    };
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(token) {
        return Err(ApiError::SignIn);
    }
    let kiosk = headers.get("x-kiosk-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if console.db.kiosk(&kiosk).await?.is_none() {
        return Err(ApiError::BadRequest(format!("x-kiosk-id {kiosk:?} is not a kiosk this console knows")));
    }
    if body.len() > MAX_SCREENSHOT_BYTES || !body.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(ApiError::BadRequest(format!("a screenshot is a PNG of at most {MAX_SCREENSHOT_BYTES} bytes")));
    }
    console.db.put_screenshot(&kiosk, now_ms() as i64, &body).await?;
    let _ = console.changes.send(crate::ingest::Change::Kiosk(kiosk));
    Ok(StatusCode::NO_CONTENT.into_response())
}
