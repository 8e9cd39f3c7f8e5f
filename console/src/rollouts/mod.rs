//! Staged configuration rollouts: a change of dotted keys goes to a few canary kiosks first, then
//! to the rest in waves, and stops by itself when kiosks refuse it or get worse after it.
//!
//! - [`create`] plans the stages: the canaries are taken one per store in turn (a change that
//!   breaks one store's hardware shows on a canary), then waves of `wave_percent` of the rest.
//! - [`run`], the controller ([`controller`]), sends each stage's documents (the kiosk's current desired set with
//!   the rollout's keys on top, retained on `…/config`, revision = the rollout's id), paced by the
//!   same rate as commands, and waits for every kiosk's report ([`record_report`], from
//!   ingestion). A refusal (`applied: false`, the kiosk names the key), no report within the
//!   timeout, or a kiosk of the stage turning lost, offline or degraded during the soak counts as
//!   a failure; more than `max_failures` stops the rollout, and the next stage is never sent.
//! - Roll back ([`roll_back`]) puts back, on every kiosk the rollout reached, the desired document
//!   it had before (or an empty one, which leaves the kiosk on its own file).
//!
//! Every transition is a conditional update, so several head-office consoles may run the
//! controller over one database without sending a stage twice.

use std::{collections::BTreeMap, time::Duration};

use protocol::{command::ReportedConfig, telemetry::now_ms};
use serde::Serialize;
use sqlx::Row;

mod controller;

pub use controller::run;

use crate::{
    commands::in_scope,
    db::{Database, DbError, KioskRow},
};

/// What a person asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub settings: BTreeMap<String, serde_json::Value>,
    pub canaries: u32,
    pub wave_percent: u32,
    pub soak: Duration,
    pub report_timeout: Duration,
    pub max_failures: u32,
}

impl Plan {
    /// Why this plan cannot run, naming the field.
    pub fn problem(&self) -> Option<String> {
        if self.settings.is_empty() {
            return Some("settings: give at least one KEY=VALUE".into());
        }
        if let Some((key, _)) = self.settings.iter().find(|(key, _)| !is_dotted_key(key)) {
            return Some(format!("settings: {key:?} is not a dotted key like session.inactivity_timeout_s"));
        }
        if let Some((key, _)) = self.settings.iter().find(|(_, value)| value.is_null()) {
            return Some(format!("settings: {key} has no value"));
        }
        if self.canaries == 0 {
            return Some("canaries: at least 1".into());
        }
        if !(1..=100).contains(&self.wave_percent) {
            return Some(format!("wave_percent: {} is outside 1..=100", self.wave_percent));
        }
        None
    }
}

fn is_dotted_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// One rollout as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollout {
    pub id: String,
    pub created_ms: i64,
    pub user: String,
    pub settings: serde_json::Value,
    pub selection: String,
    pub canaries: i64,
    pub wave_percent: i64,
    pub soak_ms: i64,
    pub max_failures: i64,
    /// `running`, `completed`, `stopped`, `rolling_back` or `rolled_back`.
    pub state: String,
    pub reason: Option<String>,
    pub stage: i64,
    pub updated_ms: i64,
}

/// One kiosk's part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RolloutTarget {
    pub kiosk: String,
    pub store: String,
    /// 0: canaries; 1, 2, …: waves.
    pub stage: i64,
    /// `waiting`, `sent`, `applied`, `rejected`, `no_report`, `regressed` or `rolled_back`.
    pub state: String,
    pub reason: Option<String>,
}

/// Stage numbers for `kiosks`: canaries one per store in turn, then waves.
fn stages(kiosks: &[KioskRow], canaries: usize, wave_percent: u32) -> Vec<(KioskRow, i64)> {
    let mut by_store: BTreeMap<&str, Vec<&KioskRow>> = BTreeMap::new();
    for kiosk in kiosks {
        by_store.entry(kiosk.store.as_str()).or_default().push(kiosk);
    }
    let mut round_robin = Vec::with_capacity(kiosks.len());
    let mut queues: Vec<std::vec::IntoIter<&KioskRow>> = by_store.into_values().map(Vec::into_iter).collect();
    while round_robin.len() < kiosks.len() {
        for queue in &mut queues {
            round_robin.extend(queue.next());
        }
    }
    let rest = round_robin.len().saturating_sub(canaries);
    let wave = (rest * wave_percent as usize).div_ceil(100).max(1);
    round_robin
        .into_iter()
        .enumerate()
        .map(|(i, kiosk)| {
            let stage = if i < canaries { 0 } else { 1 + (i - canaries) / wave };
            (kiosk.clone(), stage as i64)
        })
        .collect()
}

/// Stores a rollout of `plan` to `kiosks` (already limited to the sender's scope) and returns
/// its id, or why it cannot run.
pub async fn create(
    db: &Database,
    user: &str,
    plan: &Plan,
    selection: &str,
    kiosks: &[KioskRow],
) -> Result<Result<String, String>, DbError> {
    if let Some(problem) = plan.problem() {
        return Ok(Err(problem));
    }
    if kiosks.is_empty() {
        return Ok(Err("no kiosk matches that selection".into()));
    }
    let id = format!("ro-{}", hex::encode(rand::random::<[u8; 8]>()));
    let now = now_ms() as i64;
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO rollouts (id, created_ms, user_name, settings, selection, canaries, wave_percent, soak_ms,
           report_timeout_ms, max_failures, state, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $2)",
    )
    .bind(id.clone())
    .bind(now)
    .bind(user.to_owned())
    .bind(serde_json::to_string(&plan.settings).unwrap_or_default())
    .bind(selection.to_owned())
    .bind(i64::from(plan.canaries))
    .bind(i64::from(plan.wave_percent))
    .bind(plan.soak.as_millis() as i64)
    .bind(plan.report_timeout.as_millis() as i64)
    .bind(i64::from(plan.max_failures))
    .execute(&mut *tx)
    .await?;
    for (kiosk, stage) in stages(kiosks, plan.canaries as usize, plan.wave_percent) {
        sqlx::query("INSERT INTO rollout_targets (rollout, kiosk, store, stage) VALUES ($1, $2, $3, $4)")
            .bind(id.clone())
            .bind(kiosk.id)
            .bind(kiosk.store)
            .bind(stage)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(id))
}

/// A kiosk's report; `Some(rollout id)` when it answered a rollout's document.
pub async fn record_report(db: &Database, report: &ReportedConfig) -> Result<Option<String>, DbError> {
    let Some(revision) = &report.revision else { return Ok(None) };
    let (state, reason) = if report.applied { ("applied", None) } else { ("rejected", report.error.clone()) };
    let updated = sqlx::query(
        "UPDATE rollout_targets SET state = $3, reason = $4, reported_ms = $5
         WHERE rollout = $1 AND kiosk = $2 AND state IN ('sent', 'no_report')",
    )
    .bind(revision.as_str().to_owned())
    .bind(report.kiosk.as_str().to_owned())
    .bind(state)
    .bind(reason)
    .bind(now_ms() as i64)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok((updated > 0).then(|| revision.as_str().to_owned()))
}

/// Stops a running rollout (the next stage is not sent); `false` when it was not running.
pub async fn stop(db: &Database, id: &str, reason: &str) -> Result<bool, DbError> {
    transition(db, id, "running", "stopped", Some(reason)).await
}

/// Asks the controller to put back every reached kiosk's previous document; `false` when the
/// rollout is not stopped or completed.
pub async fn roll_back(db: &Database, id: &str) -> Result<bool, DbError> {
    Ok(transition(db, id, "stopped", "rolling_back", None).await?
        || transition(db, id, "completed", "rolling_back", None).await?)
}

pub(crate) async fn transition(
    db: &Database,
    id: &str,
    from: &str,
    to: &str,
    reason: Option<&str>,
) -> Result<bool, DbError> {
    let updated = sqlx::query(
        "UPDATE rollouts SET state = $3, reason = COALESCE($4, reason), updated_ms = $5 WHERE id = $1 AND state = $2",
    )
    .bind(id.to_owned())
    .bind(from.to_owned())
    .bind(to.to_owned())
    .bind(reason.map(str::to_owned))
    .bind(now_ms() as i64)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(updated > 0)
}

pub(crate) const ROLLOUT_COLUMNS: &str = "id, created_ms, user_name, settings, selection, canaries, wave_percent, soak_ms, max_failures, state, reason, stage, updated_ms";

pub(crate) fn rollout_row(row: &sqlx::any::AnyRow) -> Result<Rollout, DbError> {
    let settings: String = row.try_get("settings")?;
    Ok(Rollout {
        id: row.try_get("id")?,
        created_ms: row.try_get("created_ms")?,
        user: row.try_get("user_name")?,
        settings: serde_json::from_str(&settings).unwrap_or_default(),
        selection: row.try_get("selection")?,
        canaries: row.try_get("canaries")?,
        wave_percent: row.try_get("wave_percent")?,
        soak_ms: row.try_get("soak_ms")?,
        max_failures: row.try_get("max_failures")?,
        state: row.try_get("state")?,
        reason: row.try_get("reason")?,
        stage: row.try_get("stage")?,
        updated_ms: row.try_get("updated_ms")?,
    })
}

pub(crate) async fn targets(db: &Database, id: &str) -> Result<Vec<RolloutTarget>, DbError> {
    let rows = sqlx::query(
        "SELECT kiosk, store, stage, state, reason FROM rollout_targets WHERE rollout = $1 ORDER BY stage, kiosk",
    )
    .bind(id.to_owned())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RolloutTarget {
                kiosk: row.try_get("kiosk")?,
                store: row.try_get("store")?,
                stage: row.try_get("stage")?,
                state: row.try_get("state")?,
                reason: row.try_get("reason")?,
            })
        })
        .collect()
}

/// The newest rollouts with targets only in `stores` (a rollout that reaches a store outside a
/// person's scope is not theirs to see or steer), newest first.
pub async fn recent(db: &Database, stores: Option<&[String]>, limit: usize) -> Result<Vec<Rollout>, DbError> {
    let rows = sqlx::query(&format!("SELECT {ROLLOUT_COLUMNS} FROM rollouts ORDER BY created_ms DESC LIMIT 200"))
        .fetch_all(db.pool())
        .await?;
    let mut rollouts = Vec::new();
    for row in &rows {
        let rollout = rollout_row(row)?;
        if targets(db, &rollout.id).await?.iter().all(|t| in_scope(&t.store, stores)) {
            rollouts.push(rollout);
        }
        if rollouts.len() == limit {
            break;
        }
    }
    Ok(rollouts)
}

/// One rollout and its targets, when every target is in `stores`.
pub async fn one(
    db: &Database,
    id: &str,
    stores: Option<&[String]>,
) -> Result<Option<(Rollout, Vec<RolloutTarget>)>, DbError> {
    let Some(row) = sqlx::query(&format!("SELECT {ROLLOUT_COLUMNS} FROM rollouts WHERE id = $1"))
        .bind(id.to_owned())
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let targets = targets(db, id).await?;
    if !targets.iter().all(|t| in_scope(&t.store, stores)) {
        return Ok(None);
    }
    Ok(Some((rollout_row(&row)?, targets)))
}

/// How many of a rollout's targets are in each state.
pub fn tally(targets: &[RolloutTarget]) -> BTreeMap<&str, usize> {
    let mut tally = BTreeMap::new();
    for target in targets {
        *tally.entry(target.state.as_str()).or_default() += 1;
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::test_kiosk;

    fn kiosk(id: &str, store: &str) -> KioskRow {
        KioskRow { id: id.into(), store: store.into(), ..test_kiosk("online", false, serde_json::json!({})) }
    }

    #[test]
    fn canaries_come_one_per_store_then_waves_of_the_rest() {
        let kiosks: Vec<KioskRow> =
            ["a1", "a2", "a3", "a4", "b1", "b2", "c1"].iter().map(|id| kiosk(id, &id[..1])).collect();
        let planned: Vec<(String, i64)> = stages(&kiosks, 2, 50).into_iter().map(|(k, s)| (k.id, s)).collect();
        let stage_of = |n: i64| planned.iter().filter(|(_, s)| *s == n).map(|(id, _)| id.as_str()).collect::<Vec<_>>();
        assert_eq!(stage_of(0), ["a1", "b1"], "two canaries from two stores");
        assert_eq!(stage_of(1), ["c1", "a2", "b2"], "half of the five others, rounded up");
        assert_eq!(stage_of(2), ["a3", "a4"]);
        assert_eq!(planned.len(), 7);
        assert_eq!(stages(&kiosks[..1], 3, 10).into_iter().map(|(_, s)| s).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn a_plan_names_what_is_wrong_with_it() {
        let plan = Plan {
            settings: BTreeMap::from([("session.inactivity_timeout_s".to_owned(), serde_json::json!(120))]),
            canaries: 1,
            wave_percent: 25,
            soak: Duration::from_secs(30),
            report_timeout: Duration::from_secs(60),
            max_failures: 0,
        };
        assert_eq!(plan.problem(), None);
        let bad_key =
            Plan { settings: BTreeMap::from([("Session timeout".to_owned(), serde_json::json!(1))]), ..plan.clone() };
        assert!(bad_key.problem().is_some_and(|p| p.contains("\"Session timeout\" is not a dotted key")));
        assert!(Plan { wave_percent: 0, ..plan.clone() }.problem().is_some_and(|p| p.starts_with("wave_percent")));
        assert!(Plan { canaries: 0, ..plan.clone() }.problem().is_some_and(|p| p.starts_with("canaries")));
        assert!(Plan { settings: BTreeMap::new(), ..plan }.problem().is_some_and(|p| p.starts_with("settings")));
    }
}
