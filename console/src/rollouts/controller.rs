//! The rollout controller: each tick, every running rollout's current stage is sent (paced),
//! its reports and health are judged, and the rollout moves to the next stage, completes or stops;
//! a rollout being rolled back gets its reached kiosks' previous documents. Every step is a
//! conditional update, so several consoles may run it over one database.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
    time::Instant,
};

use protocol::{
    command::DesiredConfig,
    telemetry::{Ident, SCHEMA_VERSION, now_ms},
    topics::KioskTopics,
};
use rumqttc::{AsyncClient, QoS};
use sqlx::Row;
use tokio::sync::broadcast;

use super::{ROLLOUT_COLUMNS, Rollout, RolloutTarget, rollout_row, stop, targets, transition};
use crate::{
    commands::{Bucket, DispatchSettings},
    db::{Database, DbError, KioskRow},
    fleet::{self, State},
    ingest::Change,
};

/// Runs every rollout forward, until the process ends.
pub async fn run(
    settings: DispatchSettings,
    db: Arc<Database>,
    client: AsyncClient,
    changes: broadcast::Sender<Change>,
) {
    let mut bucket = Bucket::new(settings.rate_per_s, Instant::now());
    loop {
        if let Err(e) = step_all(&db, &client, &changes, &mut bucket).await {
            tracing::warn!("console: rollouts: {e}");
        }
        tokio::time::sleep(settings.every).await;
    }
}

async fn step_all(
    db: &Database,
    client: &AsyncClient,
    changes: &broadcast::Sender<Change>,
    bucket: &mut Bucket,
) -> Result<(), DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROLLOUT_COLUMNS}, report_timeout_ms, stage_applied_ms FROM rollouts WHERE state IN ('running', 'rolling_back')"
    ))
    .fetch_all(db.pool())
    .await?;
    for row in &rows {
        let rollout = rollout_row(row)?;
        let timeout_ms: i64 = row.try_get("report_timeout_ms")?;
        let applied_ms: Option<i64> = row.try_get("stage_applied_ms")?;
        let changed = if rollout.state == "running" {
            advance(db, client, bucket, &rollout, timeout_ms, applied_ms).await?
        } else {
            undo(db, client, bucket, &rollout).await?
        };
        if changed {
            let _ = changes.send(Change::Rollout(rollout.id.clone()));
        }
    }
    Ok(())
}

async fn set_target(
    db: &Database,
    id: &str,
    kiosk: &str,
    from: &str,
    to: &str,
    reason: Option<String>,
) -> Result<bool, DbError> {
    let updated = sqlx::query("UPDATE rollout_targets SET state = $4, reason = COALESCE($5, reason) WHERE rollout = $1 AND kiosk = $2 AND state = $3")
        .bind(id.to_owned())
        .bind(kiosk.to_owned())
        .bind(from.to_owned())
        .bind(to.to_owned())
        .bind(reason)
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok(updated > 0)
}

async fn publish_desired(client: &AsyncClient, kiosk: &str, desired: &DesiredConfig) {
    let payload = serde_json::to_vec(desired).unwrap_or_default();
    if let Err(e) = client.publish(KioskTopics::new(kiosk).config, QoS::AtLeastOnce, true, payload).await {
        tracing::warn!("console: desired configuration {} to {kiosk}: {e}", desired.revision);
    }
}

/// One step of a running rollout; `true` when something changed.
async fn advance(
    db: &Database,
    client: &AsyncClient,
    bucket: &mut Bucket,
    rollout: &Rollout,
    timeout_ms: i64,
    applied_ms: Option<i64>,
) -> Result<bool, DbError> {
    let now = now_ms() as i64;
    let id = rollout.id.as_str();
    let targets = targets(db, id).await?;
    let failures: Vec<&RolloutTarget> =
        targets.iter().filter(|t| matches!(t.state.as_str(), "rejected" | "no_report" | "regressed")).collect();
    if failures.len() as i64 > rollout.max_failures {
        let first = failures[0];
        let reason = format!(
            "stopped after {} failure(s): {} {}{}",
            failures.len(),
            first.kiosk,
            first.state.replace('_', " "),
            first.reason.as_deref().map_or_else(String::new, |r| format!(": {r}"))
        );
        tracing::warn!("console: rollout {id} {reason}");
        return stop(db, id, &reason).await;
    }
    let stage: Vec<&RolloutTarget> = targets.iter().filter(|t| t.stage == rollout.stage).collect();
    let mut changed = false;
    let waiting: Vec<&&RolloutTarget> = stage.iter().filter(|t| t.state == "waiting").collect();
    if !waiting.is_empty() {
        let budget = bucket.take_all(Instant::now());
        bucket.give_back(budget.saturating_sub(waiting.len()));
        let settings: BTreeMap<String, serde_json::Value> =
            serde_json::from_value(rollout.settings.clone()).unwrap_or_default();
        for target in waiting.into_iter().take(budget) {
            let previous = db.kiosk(&target.kiosk).await?.and_then(|k| k.desired);
            let claimed = sqlx::query(
                "UPDATE rollout_targets SET state = 'sent', sent_ms = $3, previous = $4 WHERE rollout = $1 AND kiosk = $2 AND state = 'waiting'",
            )
            .bind(id.to_owned())
            .bind(target.kiosk.clone())
            .bind(now)
            .bind(previous.as_ref().map(|p| p.to_string()))
            .execute(db.pool())
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let previous: Option<DesiredConfig> = previous.and_then(|p| serde_json::from_value(p).ok());
            let mut set = previous.map(|p| p.set).unwrap_or_default();
            set.extend(settings.clone());
            let Ok(revision) = Ident::new(id) else { continue };
            publish_desired(client, &target.kiosk, &DesiredConfig { v: SCHEMA_VERSION, revision, set }).await;
            changed = true;
        }
        return Ok(changed);
    }
    // Sent and not answered in time.
    let overdue = sqlx::query(
        "SELECT kiosk FROM rollout_targets WHERE rollout = $1 AND stage = $2 AND state = 'sent' AND sent_ms < $3",
    )
    .bind(id.to_owned())
    .bind(rollout.stage)
    .bind(now - timeout_ms)
    .fetch_all(db.pool())
    .await?;
    for row in overdue {
        let kiosk: String = row.try_get("kiosk")?;
        let reason = format!("no report within {} s", timeout_ms / 1000);
        changed |= set_target(db, id, &kiosk, "sent", "no_report", Some(reason)).await?;
    }
    if stage.iter().any(|t| t.state == "sent") || changed {
        return Ok(changed);
    }
    // Every kiosk of the stage answered: soak, watching their health.
    let Some(applied_ms) = applied_ms else {
        sqlx::query("UPDATE rollouts SET stage_applied_ms = $2 WHERE id = $1")
            .bind(id.to_owned())
            .bind(now)
            .execute(db.pool())
            .await?;
        return Ok(true);
    };
    for target in stage.iter().filter(|t| t.state == "applied") {
        let Some(kiosk) = db.kiosk(&target.kiosk).await? else { continue };
        if let Some(regression) = regression(&kiosk) {
            changed |= set_target(db, id, &target.kiosk, "applied", "regressed", Some(regression)).await?;
        }
    }
    if changed || now - applied_ms < rollout.soak_ms {
        return Ok(changed);
    }
    let last_stage = targets.iter().map(|t| t.stage).max().unwrap_or(0);
    if rollout.stage >= last_stage {
        return transition(db, id, "running", "completed", None).await;
    }
    sqlx::query(
        "UPDATE rollouts SET stage = stage + 1, stage_applied_ms = NULL, updated_ms = $3 WHERE id = $1 AND stage = $2",
    )
    .bind(id.to_owned())
    .bind(rollout.stage)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(true)
}

/// Why a kiosk that took the change is worse now; `None` when it is fine.
fn regression(kiosk: &KioskRow) -> Option<String> {
    let states = fleet::states(kiosk);
    if states.contains(&State::Lost) || states.contains(&State::Offline) {
        return Some(format!("turned {} after the change", kiosk.presence));
    }
    states
        .contains(&State::Degraded)
        .then(|| format!("degraded after the change: {}", fleet::problems(kiosk).join(", ")))
}

/// One step of a rollback; `true` when something changed.
async fn undo(db: &Database, client: &AsyncClient, bucket: &mut Bucket, rollout: &Rollout) -> Result<bool, DbError> {
    let id = rollout.id.as_str();
    let reached = sqlx::query(
        "SELECT kiosk, state, previous FROM rollout_targets WHERE rollout = $1 AND state NOT IN ('waiting', 'rolled_back')",
    )
    .bind(id.to_owned())
    .fetch_all(db.pool())
    .await?;
    if reached.is_empty() {
        return transition(db, id, "rolling_back", "rolled_back", None).await;
    }
    let budget = bucket.take_all(Instant::now());
    bucket.give_back(budget.saturating_sub(reached.len()));
    let mut previous_of: HashMap<String, Option<DesiredConfig>> = HashMap::new();
    for row in reached.iter().take(budget) {
        let kiosk: String = row.try_get("kiosk")?;
        let previous: Option<String> = row.try_get("previous")?;
        previous_of.insert(kiosk, previous.and_then(|p| serde_json::from_str(&p).ok()));
    }
    for row in reached.iter().take(budget) {
        let (kiosk, state): (String, String) = (row.try_get("kiosk")?, row.try_get("state")?);
        if !set_target(db, id, &kiosk, &state, "rolled_back", None).await? {
            continue;
        }
        let document = match previous_of.remove(&kiosk).flatten() {
            Some(previous) => previous,
            None => match Ident::new(format!("{id}-undo")) {
                Ok(revision) => DesiredConfig { v: SCHEMA_VERSION, revision, set: BTreeMap::new() },
                Err(_) => continue,
            },
        };
        publish_desired(client, &kiosk, &document).await;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::test_kiosk;

    #[test]
    fn a_kiosk_that_went_away_or_got_worse_is_a_regression() {
        assert_eq!(regression(&test_kiosk("online", false, serde_json::json!({"render_fps": 30.0}))), None);
        assert_eq!(
            regression(&test_kiosk("lost", false, serde_json::json!({}))).as_deref(),
            Some("turned lost after the change")
        );
        let slow = test_kiosk("online", false, serde_json::json!({"render_fps": 4.0}));
        assert_eq!(regression(&slow).as_deref(), Some("degraded after the change: low frame rate"));
    }
}
