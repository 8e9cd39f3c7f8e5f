//! Commands from the console to kiosks: to one kiosk, or to every kiosk a fleet filter matched,
//! with each kiosk's answer as it arrives.
//!
//! - [`create`] stores the command and one target row per kiosk (`pending`); nothing is sent
//!   from a request handler.
//! - [`run`], the dispatcher, sends pending targets at most `--command-rate` per second across the
//!   console (a thousand kiosks do not flood a store's broker or Wi-Fi at once), each claimed with
//!   a conditional update first, so several head-office consoles on one database never send a
//!   target twice. A target still pending when the command expires is `expired`; one sent but
//!   not answered by then is `no_answer`.
//! - [`record_ack`] (from ingestion) turns a target `done`, `failed` or `rejected` with the
//!   kiosk's reason; a late answer still counts.
//!
//! The command the kiosk gets is the protocol's [`Command`], validated by the kiosk's own rules
//! before it is stored ([`protocol::command::parse_command`]).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use protocol::{
    command::{Action, Command, CommandAck, parse_command},
    telemetry::{Ident, SCHEMA_VERSION, now_ms},
    topics::KioskTopics,
};
use rumqttc::{AsyncClient, QoS};
use serde::Serialize;
use sqlx::Row;
use tokio::sync::broadcast;

use crate::{
    db::{Database, DbError, KioskRow},
    ingest::Change,
};

/// How long a console command stays valid: long enough for a kiosk that blinked offline, short
/// enough that a forgotten one cannot fire much later.
pub const LIFETIME: Duration = Duration::from_secs(10 * 60);

/// One command as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandRow {
    pub id: String,
    pub created_ms: i64,
    pub user: String,
    pub action: serde_json::Value,
    pub selection: String,
    pub expires_at_ms: i64,
    /// Targets per status, of the kiosks the reader may see.
    pub progress: Progress,
}

/// How many targets are in each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub total: i64,
    pub pending: i64,
    pub sent: i64,
    pub done: i64,
    pub failed: i64,
    pub rejected: i64,
    pub expired: i64,
    pub no_answer: i64,
}

impl Progress {
    /// Targets that have their final answer (or will never get one).
    pub fn finished(&self) -> i64 {
        self.done + self.failed + self.rejected + self.expired + self.no_answer
    }

    fn add(&mut self, status: &str, n: i64) {
        self.total += n;
        match status {
            "pending" => self.pending += n,
            "sent" => self.sent += n,
            "done" => self.done += n,
            "failed" => self.failed += n,
            "rejected" => self.rejected += n,
            "expired" => self.expired += n,
            _ => self.no_answer += n,
        }
    }
}

/// One kiosk's part in a command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub command: String,
    pub kiosk: String,
    pub store: String,
    pub status: String,
    pub reason: Option<String>,
    pub sent_ms: Option<i64>,
    pub acked_ms: Option<i64>,
}

/// A readable one-line form of an action ("maintenance on", "identify 10 s").
pub fn describe(action: &serde_json::Value) -> String {
    let kind = action.get("type").and_then(|t| t.as_str()).unwrap_or("?").replace('_', " ");
    let detail: Vec<String> = action
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.as_str() != "type")
        .map(|(_, value)| match value {
            serde_json::Value::Bool(true) => "on".to_owned(),
            serde_json::Value::Bool(false) => "off".to_owned(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    if detail.is_empty() { kind } else { format!("{kind} {}", detail.join(" ")) }
}

/// Stores a command for `kiosks` (already limited to the sender's scope) and returns its id.
/// The action is checked with the kiosk's own parser first, so the console never sends what a
/// kiosk would reject as malformed.
pub async fn create(
    db: &Database,
    user: &str,
    action: &Action,
    selection: &str,
    kiosks: &[KioskRow],
) -> Result<Result<String, String>, DbError> {
    let now = now_ms();
    let id = format!("cmd-{}", hex::encode(rand::random::<[u8; 8]>()));
    let expires_at_ms = now + LIFETIME.as_millis() as u64;
    let Ok(ident) = Ident::new(id.as_str()) else { return Ok(Err(format!("{id} is not a command id"))) };
    let command = Command { v: SCHEMA_VERSION, id: ident, expires_at_ms, action: action.clone() };
    let payload = serde_json::to_vec(&command).unwrap_or_default();
    if let Err(rejection) = parse_command(&payload, now) {
        return Ok(Err(rejection.reason));
    }
    let action_json = serde_json::to_string(action).unwrap_or_default();
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO commands (id, created_ms, user_name, action, selection, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.clone())
    .bind(now as i64)
    .bind(user.to_owned())
    .bind(action_json)
    .bind(selection.to_owned())
    .bind(expires_at_ms as i64)
    .execute(&mut *tx)
    .await?;
    for kiosk in kiosks {
        sqlx::query("INSERT INTO command_targets (command, kiosk, store) VALUES ($1, $2, $3)")
            .bind(id.clone())
            .bind(kiosk.id.clone())
            .bind(kiosk.store.clone())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(id))
}

/// A kiosk's answer; `Some(command id)` when it answered one of the console's commands.
pub async fn record_ack(db: &Database, ack: &CommandAck) -> Result<Option<String>, DbError> {
    let Some(id) = &ack.id else { return Ok(None) };
    let status = match ack.status {
        protocol::command::AckStatus::Done => "done",
        protocol::command::AckStatus::Failed => "failed",
        protocol::command::AckStatus::Rejected => "rejected",
    };
    let updated = sqlx::query(
        "UPDATE command_targets SET status = $3, reason = $4, acked_ms = $5
         WHERE command = $1 AND kiosk = $2 AND status IN ('pending', 'sent', 'no_answer')",
    )
    .bind(id.as_str().to_owned())
    .bind(ack.kiosk.as_str().to_owned())
    .bind(status)
    .bind(ack.reason.clone())
    .bind(now_ms() as i64)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok((updated > 0).then(|| id.as_str().to_owned()))
}

/// Whether `store` is among `stores` (`None`: every store).
pub(crate) fn in_scope(store: &str, stores: Option<&[String]>) -> bool {
    stores.is_none_or(|allowed| allowed.iter().any(|s| s == store))
}

async fn progress(db: &Database, id: &str, stores: Option<&[String]>) -> Result<Progress, DbError> {
    let rows = sqlx::query(
        "SELECT store, status, COUNT(*) AS n FROM command_targets WHERE command = $1 GROUP BY store, status",
    )
    .bind(id.to_owned())
    .fetch_all(db.pool())
    .await?;
    let mut progress = Progress::default();
    for row in rows {
        let store: String = row.try_get("store")?;
        if in_scope(&store, stores) {
            let status: String = row.try_get("status")?;
            progress.add(&status, row.try_get("n")?);
        }
    }
    Ok(progress)
}

fn command_row(row: &sqlx::any::AnyRow, progress: Progress) -> Result<CommandRow, DbError> {
    let action: String = row.try_get("action")?;
    Ok(CommandRow {
        id: row.try_get("id")?,
        created_ms: row.try_get("created_ms")?,
        user: row.try_get("user_name")?,
        action: serde_json::from_str(&action).unwrap_or_default(),
        selection: row.try_get("selection")?,
        expires_at_ms: row.try_get("expires_at_ms")?,
        progress,
    })
}

/// The newest `limit` commands with at least one target in `stores`, newest first.
pub async fn recent(db: &Database, stores: Option<&[String]>, limit: usize) -> Result<Vec<CommandRow>, DbError> {
    let rows = sqlx::query(
        "SELECT id, created_ms, user_name, action, selection, expires_at_ms FROM commands ORDER BY created_ms DESC LIMIT 500",
    )
    .fetch_all(db.pool())
    .await?;
    let mut commands = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        let progress = progress(db, &id, stores).await?;
        if progress.total > 0 {
            commands.push(command_row(&row, progress)?);
        }
        if commands.len() == limit {
            break;
        }
    }
    Ok(commands)
}

/// One command and its targets in `stores`; `None` when it has none there (or does not exist).
pub async fn one(
    db: &Database,
    id: &str,
    stores: Option<&[String]>,
) -> Result<Option<(CommandRow, Vec<Target>)>, DbError> {
    let Some(row) =
        sqlx::query("SELECT id, created_ms, user_name, action, selection, expires_at_ms FROM commands WHERE id = $1")
            .bind(id.to_owned())
            .fetch_optional(db.pool())
            .await?
    else {
        return Ok(None);
    };
    let progress = progress(db, id, stores).await?;
    if progress.total == 0 {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT command, kiosk, store, status, reason, sent_ms, acked_ms FROM command_targets WHERE command = $1 ORDER BY kiosk",
    )
    .bind(id.to_owned())
    .fetch_all(db.pool())
    .await?;
    let targets = targets(rows)?.into_iter().filter(|t| in_scope(&t.store, stores)).collect();
    Ok(Some((command_row(&row, progress)?, targets)))
}

fn targets(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<Target>, DbError> {
    rows.into_iter()
        .map(|row| {
            Ok(Target {
                command: row.try_get("command")?,
                kiosk: row.try_get("kiosk")?,
                store: row.try_get("store")?,
                status: row.try_get("status")?,
                reason: row.try_get("reason")?,
                sent_ms: row.try_get("sent_ms")?,
                acked_ms: row.try_get("acked_ms")?,
            })
        })
        .collect()
}

/// A kiosk's command history, newest first: (what was asked, how it went).
pub async fn history(db: &Database, kiosk: &str, limit: i64) -> Result<Vec<(CommandRow, Target)>, DbError> {
    let rows = sqlx::query(
        "SELECT c.id, c.created_ms, c.user_name, c.action, c.selection, c.expires_at_ms,
                t.command, t.kiosk, t.store, t.status, t.reason, t.sent_ms, t.acked_ms
         FROM command_targets t JOIN commands c ON c.id = t.command
         WHERE t.kiosk = $1 ORDER BY c.created_ms DESC LIMIT $2",
    )
    .bind(kiosk.to_owned())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut history = Vec::with_capacity(rows.len());
    for row in &rows {
        let command = command_row(row, Progress::default())?;
        let target = targets(vec![row.clone()])?.remove(0);
        history.push((command, target));
    }
    Ok(history)
}

/// A token bucket: at most `rate` sends per second, bursts up to one second's worth.
#[derive(Debug)]
pub(crate) struct Bucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub(crate) fn new(rate_per_s: u32, now: Instant) -> Self {
        let rate = f64::from(rate_per_s.max(1));
        Self { rate, tokens: rate, last: now }
    }

    /// How many may be sent at `now` (taken from the bucket).
    pub(crate) fn take_all(&mut self, now: Instant) -> usize {
        self.tokens = (self.tokens + self.rate * now.saturating_duration_since(self.last).as_secs_f64()).min(self.rate);
        self.last = now;
        let n = self.tokens.floor();
        self.tokens -= n;
        n as usize
    }

    /// Returns what was taken but not used.
    pub(crate) fn give_back(&mut self, n: usize) {
        self.tokens = (self.tokens + n as f64).min(self.rate);
    }
}

/// How the dispatcher paces itself.
#[derive(Debug, Clone, Copy)]
pub struct DispatchSettings {
    /// Commands (and rollout documents) sent per second at most, across the console.
    pub rate_per_s: u32,
    pub every: Duration,
}

impl Default for DispatchSettings {
    fn default() -> Self {
        Self { rate_per_s: 50, every: Duration::from_millis(100) }
    }
}

/// Sends pending targets, paced, and closes expired ones, until the process ends.
pub async fn run(
    settings: DispatchSettings,
    db: Arc<Database>,
    client: AsyncClient,
    changes: broadcast::Sender<Change>,
) {
    let mut bucket = Bucket::new(settings.rate_per_s, Instant::now());
    loop {
        if let Err(e) = dispatch(&db, &client, &changes, &mut bucket).await {
            tracing::warn!("console: commands: {e}");
        }
        tokio::time::sleep(settings.every).await;
    }
}

async fn dispatch(
    db: &Database,
    client: &AsyncClient,
    changes: &broadcast::Sender<Change>,
    bucket: &mut Bucket,
) -> Result<(), DbError> {
    let now = now_ms() as i64;
    let closed = sqlx::query(
        "SELECT DISTINCT t.command FROM command_targets t JOIN commands c ON c.id = t.command
         WHERE t.status IN ('pending', 'sent') AND c.expires_at_ms <= $1",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    for row in closed {
        let id: String = row.try_get("command")?;
        for (from, to) in [("pending", "expired"), ("sent", "no_answer")] {
            sqlx::query("UPDATE command_targets SET status = $2 WHERE command = $1 AND status = $3")
                .bind(id.clone())
                .bind(to)
                .bind(from)
                .execute(db.pool())
                .await?;
        }
        let _ = changes.send(Change::Command(id));
    }
    let budget = bucket.take_all(Instant::now());
    if budget == 0 {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT t.command, t.kiosk, c.action, c.expires_at_ms FROM command_targets t JOIN commands c ON c.id = t.command
         WHERE t.status = 'pending' ORDER BY c.created_ms, t.kiosk LIMIT $1",
    )
    .bind(budget as i64)
    .fetch_all(db.pool())
    .await?;
    bucket.give_back(budget - rows.len());
    let mut touched = Vec::new();
    for row in rows {
        let (id, kiosk): (String, String) = (row.try_get("command")?, row.try_get("kiosk")?);
        let claimed = sqlx::query(
            "UPDATE command_targets SET status = 'sent', sent_ms = $3 WHERE command = $1 AND kiosk = $2 AND status = 'pending'",
        )
        .bind(id.clone())
        .bind(kiosk.clone())
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected();
        if claimed == 0 {
            continue; // another console sent it
        }
        let action: String = row.try_get("action")?;
        let expires_at_ms: i64 = row.try_get("expires_at_ms")?;
        // Both were written by `create` from a valid command.
        let (Ok(action), Ok(ident)) = (serde_json::from_str::<Action>(&action), Ident::new(id.as_str())) else {
            continue;
        };
        let command = Command { v: SCHEMA_VERSION, id: ident, expires_at_ms: expires_at_ms as u64, action };
        let payload = serde_json::to_vec(&command).unwrap_or_default();
        if let Err(e) = client.publish(KioskTopics::new(&kiosk).cmd, QoS::AtLeastOnce, false, payload).await {
            tracing::warn!("console: command {id} to {kiosk}: {e}");
        }
        if !touched.contains(&id) {
            touched.push(id);
        }
    }
    for id in touched {
        let _ = changes.send(Change::Command(id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_a_person_would_say_them() {
        let on = serde_json::json!({"type": "maintenance", "on": true});
        assert_eq!(describe(&on), "maintenance on");
        assert_eq!(describe(&serde_json::json!({"type": "end_session"})), "end session");
        assert_eq!(describe(&serde_json::json!({"type": "set_lighting", "scene": "evening"})), "set lighting evening");
        assert_eq!(describe(&serde_json::json!({"type": "identify", "seconds": 10})), "identify 10");
    }

    #[test]
    fn progress_counts_every_status_and_what_is_finished() {
        let mut p = Progress::default();
        for (status, n) in
            [("pending", 1), ("sent", 2), ("done", 3), ("failed", 1), ("rejected", 1), ("expired", 1), ("no_answer", 1)]
        {
            p.add(status, n);
        }
        assert_eq!((p.total, p.finished()), (10, 7));
    }

    #[test]
    fn the_bucket_allows_its_rate_and_refills_with_time() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10, start);
        assert_eq!(bucket.take_all(start), 10, "one second's burst");
        assert_eq!(bucket.take_all(start), 0);
        assert_eq!(bucket.take_all(start + Duration::from_millis(300)), 3);
        bucket.give_back(2);
        assert_eq!(bucket.take_all(start + Duration::from_millis(300)), 2);
        assert_eq!(bucket.take_all(start + Duration::from_secs(60)), 10, "never more than a second's worth");
    }
}
