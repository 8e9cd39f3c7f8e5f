//! A kiosk's recent past, for its page: every change of its state (online, lost, maintenance,
//! degraded and why) as a timeline, and its health sampled at most once a minute for the charts,
//! kept [`KEEP`]. Ingestion calls [`observe`] after each status and health it stores.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use protocol::telemetry::Health;
use sqlx::Row;

use crate::{
    db::{Database, DbError, KioskRow},
    fleet::{self, State},
};

/// How long samples and timeline entries are kept.
pub const KEEP: Duration = Duration::from_secs(7 * 86_400);
/// One health sample per kiosk per this.
pub const SAMPLE_EVERY: Duration = Duration::from_secs(60);

/// What this process last wrote per kiosk, so most messages need no query.
#[derive(Debug, Default)]
pub struct Recent {
    state: Mutex<HashMap<String, String>>,
    sampled: Mutex<HashMap<String, i64>>,
}

/// A kiosk's state as one line: "online", "online · maintenance", "online · degraded: low frame rate".
pub fn state_line(kiosk: &KioskRow) -> String {
    let states = fleet::states(kiosk);
    let mut line = kiosk.presence.clone();
    if states.contains(&State::Maintenance) {
        line.push_str(" · maintenance");
    }
    if states.contains(&State::Degraded) {
        line.push_str(&format!(" · degraded: {}", fleet::problems(kiosk).join(", ")));
    }
    line
}

async fn last_state(db: &Database, kiosk: &str) -> Result<Option<String>, DbError> {
    let row = sqlx::query("SELECT state FROM kiosk_timeline WHERE kiosk = $1 ORDER BY at_ms DESC LIMIT 1")
        .bind(kiosk.to_owned())
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get("state")).transpose().map_err(DbError::from)
}

/// Records a change of `kiosk`'s state line at `at_ms`, and a health sample when one is due.
pub async fn observe(
    db: &Database,
    recent: &Recent,
    kiosk: &str,
    health: Option<&Health>,
    at_ms: i64,
) -> Result<(), DbError> {
    let Some(row) = db.kiosk(kiosk).await? else { return Ok(()) };
    let line = state_line(&row);
    let known = recent.state.lock().ok().and_then(|m| m.get(kiosk).cloned());
    let previous = match known {
        Some(previous) => Some(previous),
        None => last_state(db, kiosk).await?,
    };
    if previous.as_deref() != Some(line.as_str()) {
        sqlx::query("INSERT INTO kiosk_timeline (kiosk, at_ms, state) VALUES ($1, $2, $3)")
            .bind(kiosk.to_owned())
            .bind(at_ms)
            .bind(line.clone())
            .execute(db.pool())
            .await?;
    }
    if let Ok(mut states) = recent.state.lock() {
        states.insert(kiosk.to_owned(), line);
    }
    let Some(health) = health else { return Ok(()) };
    let last = recent.sampled.lock().ok().and_then(|m| m.get(kiosk).copied());
    if last.is_some_and(|last| at_ms - last < SAMPLE_EVERY.as_millis() as i64) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO health_samples (kiosk, at_ms, render_fps, camera_fps, frame_age_ms, cpu_percent, outbox_depth)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(kiosk.to_owned())
    .bind(at_ms)
    .bind(f64::from(health.render_fps))
    .bind(f64::from(health.camera_fps))
    .bind(health.frame_age_ms.map(f64::from))
    .bind(f64::from(health.cpu_percent))
    .bind(health.outbox_depth as f64)
    .execute(db.pool())
    .await?;
    let cutoff = at_ms - KEEP.as_millis() as i64;
    for table in ["health_samples", "kiosk_timeline"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE kiosk = $1 AND at_ms < $2"))
            .bind(kiosk.to_owned())
            .bind(cutoff)
            .execute(db.pool())
            .await?;
    }
    if let Ok(mut sampled) = recent.sampled.lock() {
        sampled.insert(kiosk.to_owned(), at_ms);
    }
    Ok(())
}

/// One health sample.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sample {
    pub at_ms: i64,
    pub render_fps: f64,
    pub camera_fps: f64,
    pub frame_age_ms: Option<f64>,
    pub cpu_percent: f64,
    pub outbox_depth: f64,
}

/// The kiosk's state changes since `from_ms`, oldest first.
pub async fn timeline(db: &Database, kiosk: &str, from_ms: i64) -> Result<Vec<(i64, String)>, DbError> {
    let rows = sqlx::query("SELECT at_ms, state FROM kiosk_timeline WHERE kiosk = $1 AND at_ms >= $2 ORDER BY at_ms")
        .bind(kiosk.to_owned())
        .bind(from_ms)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("at_ms")?, r.try_get("state")?))).collect()
}

/// The kiosk's health samples since `from_ms`, oldest first.
pub async fn samples(db: &Database, kiosk: &str, from_ms: i64) -> Result<Vec<Sample>, DbError> {
    let rows = sqlx::query(
        "SELECT at_ms, render_fps, camera_fps, frame_age_ms, cpu_percent, outbox_depth FROM health_samples
         WHERE kiosk = $1 AND at_ms >= $2 ORDER BY at_ms",
    )
    .bind(kiosk.to_owned())
    .bind(from_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Sample {
                at_ms: r.try_get("at_ms")?,
                render_fps: r.try_get("render_fps")?,
                camera_fps: r.try_get("camera_fps")?,
                frame_age_ms: r.try_get("frame_age_ms")?,
                cpu_percent: r.try_get("cpu_percent")?,
                outbox_depth: r.try_get("outbox_depth")?,
            })
        })
        .collect()
}
