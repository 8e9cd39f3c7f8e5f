//! The console's database: one layer over SQLite (a store's console, one file beside Mosquitto,
//! working while head office is unreachable) and PostgreSQL (head office, several consoles
//! sharing it), chosen by the URL's scheme (`sqlite://PATH`, `postgres://…`).
//!
//! Contract:
//! - The schema is `console/migrations/{sqlite,postgres}/` (and `shared/` where both read the
//!   same SQL), embedded and applied at connect
//!   (sqlx's migrator, its own table records what ran; a database from a newer console is refused
//!   naming the migration).
//! - Events are stored once by id: a redelivered event (MQTT QoS 1 after a reconnect) changes
//!   nothing. Each kiosk's row counts the events stored and the lowest and highest `seq` seen, so
//!   `gaps = max − min + 1 − events` are events that never arrived, beside the outbox's own
//!   `outbox_dropped` from health.
//! - PostgreSQL partitions events by month; the month's partition is created before its first
//!   event, and a default partition takes the rest.
//! - The audit log only grows: triggers refuse updates and deletes in both databases.
//! - Times are Unix milliseconds (`BIGINT`); JSON bodies are stored as text.

use std::{borrow::Cow, collections::HashSet, sync::Mutex};

use futures_util::future::BoxFuture;

use crate::calendar;
use protocol::telemetry::{EventEnvelope, Health, KioskStatus, Presence};
use sqlx::{
    AnyPool, Row,
    any::AnyPoolOptions,
    error::BoxDynError,
    migrate::{Migration, MigrationSource, MigrationType, Migrator},
};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL {0:?}: use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    Url(String),
    #[error("{0}")]
    Sql(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The migrations of one backend, embedded.
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        let migrations = self
            .0
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(*version, Cow::Borrowed(*description), MigrationType::Simple, Cow::Borrowed(*sql), false)
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "fleet", include_str!("../migrations/sqlite/0001_fleet.sql")),
    (2, "alerts", include_str!("../migrations/sqlite/0002_alerts.sql")),
    (3, "operations", include_str!("../migrations/sqlite/0003_operations.sql")),
    (4, "event measures", include_str!("../migrations/sqlite/0004_event_measures.sql")),
    (5, "stores", include_str!("../migrations/sqlite/0005_stores.sql")),
    (6, "rollup", include_str!("../migrations/shared/0006_rollup.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "fleet", include_str!("../migrations/postgres/0001_fleet.sql")),
    (2, "alerts", include_str!("../migrations/postgres/0002_alerts.sql")),
    (3, "operations", include_str!("../migrations/postgres/0003_operations.sql")),
    (4, "event measures", include_str!("../migrations/postgres/0004_event_measures.sql")),
    (5, "stores", include_str!("../migrations/postgres/0005_stores.sql")),
    (6, "rollup", include_str!("../migrations/shared/0006_rollup.sql")),
];

/// A kiosk as the console knows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KioskRow {
    pub id: String,
    pub store: String,
    /// `online`, `offline`, `lost` or `unknown` (nothing heard yet but events).
    pub presence: String,
    pub maintenance: bool,
    pub version: String,
    pub status_at_ms: i64,
    pub health: Option<serde_json::Value>,
    pub health_at_ms: i64,
    /// Events stored.
    pub events: i64,
    /// Events that never arrived (sequence numbers skipped).
    pub gaps: i64,
    /// Events the kiosk's outbox dropped when full (from its health).
    pub outbox_dropped: i64,
    /// The desired configuration document retained for it (`…/config`).
    pub desired: Option<serde_json::Value>,
    /// What it made of it (`…/config/reported`).
    pub reported: Option<serde_json::Value>,
}

/// Whether a stored event was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    Duplicate,
}

/// Which configuration document of a kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigDocument {
    Desired,
    Reported,
}

/// Sequence numbers never seen as events or as messages to staff (which share the outbox's
/// numbering); never below 0 (a message to staff before the first event is outside the range).
macro_rules! gaps_sql {
    () => {
        "CASE WHEN max_seq - min_seq + 1 - events - staff_records > 0 THEN max_seq - min_seq + 1 - events - staff_records ELSE 0 END"
    };
}
pub(crate) const GAPS_SQL: &str = gaps_sql!();

const KIOSK_COLUMNS: &str = concat!(
    "id, store, presence, maintenance, version, status_at_ms, health, health_at_ms, events, COALESCE(",
    gaps_sql!(),
    ", 0) AS gaps, outbox_dropped, desired, reported"
);

fn kiosk_row(row: &sqlx::any::AnyRow) -> Result<KioskRow, DbError> {
    let json = |column: &str| -> Result<Option<serde_json::Value>, DbError> {
        let text: Option<String> = row.try_get(column)?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(KioskRow {
        id: row.try_get("id")?,
        store: row.try_get("store")?,
        presence: row.try_get("presence")?,
        maintenance: row.try_get::<i32, _>("maintenance")? != 0,
        version: row.try_get("version")?,
        status_at_ms: row.try_get("status_at_ms")?,
        health: json("health")?,
        health_at_ms: row.try_get("health_at_ms")?,
        events: row.try_get("events")?,
        gaps: row.try_get("gaps")?,
        outbox_dropped: row.try_get("outbox_dropped")?,
        desired: json("desired")?,
        reported: json("reported")?,
    })
}

pub struct Database {
    pool: AnyPool,
    backend: Backend,
    /// PostgreSQL months whose event partition exists.
    months: Mutex<HashSet<i64>>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("backend", &self.backend).finish()
    }
}

fn presence_name(presence: Presence) -> &'static str {
    match presence {
        Presence::Online => "online",
        Presence::Offline => "offline",
        Presence::Lost => "lost",
    }
}

impl Database {
    /// Connects (creating a SQLite file if missing) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(DbError::Url(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        // SQLite takes one writer at a time: one connection keeps writes in order, without
        // "database is locked"; PostgreSQL gets a pool.
        let connections = if backend == Backend::Sqlite { 1 } else { 8 };
        let pool = AnyPoolOptions::new().max_connections(connections).connect(&url).await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
            sqlx::query("PRAGMA synchronous = NORMAL").execute(&pool).await?;
        }
        let migrations = Embedded(if backend == Backend::Sqlite { SQLITE } else { POSTGRES });
        Migrator::new(migrations).await?.run(&pool).await?;
        Ok(Self { pool, backend, months: Mutex::new(HashSet::new()) })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For the other modules' queries ([`crate::alerts`]).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A kiosk's retained status (online, offline, lost by its Will) and its store. A Will
    /// carries the time its connection was made, so a loss counts from when the console heard it.
    pub async fn record_status(&self, status: &KioskStatus) -> Result<(), DbError> {
        let at_ms = if status.state == Presence::Lost { protocol::telemetry::now_ms() } else { status.at_ms };
        sqlx::query(
            "INSERT INTO kiosks (id, store, presence, maintenance, version, status_at_ms) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET store = excluded.store, presence = excluded.presence,
               maintenance = excluded.maintenance, version = excluded.version, status_at_ms = excluded.status_at_ms",
        )
        .bind(status.kiosk.as_str().to_owned())
        .bind(status.store.as_str().to_owned())
        .bind(presence_name(status.state))
        .bind(i32::from(status.maintenance))
        .bind(status.version.clone())
        .bind(at_ms as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A kiosk's latest health.
    pub async fn record_health(&self, health: &Health) -> Result<(), DbError> {
        let body = serde_json::to_string(health).unwrap_or_default();
        sqlx::query(
            "INSERT INTO kiosks (id, health, health_at_ms, outbox_dropped) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET health = excluded.health, health_at_ms = excluded.health_at_ms,
               outbox_dropped = excluded.outbox_dropped",
        )
        .bind(health.kiosk.as_str().to_owned())
        .bind(body)
        .bind(health.at_ms as i64)
        .bind(health.outbox_dropped as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn ensure_partition(&self, at_ms: i64) -> Result<(), DbError> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let (start, end) = calendar::month_bounds(at_ms);
        if self.months.lock().map(|m| m.contains(&start)).unwrap_or(false) {
            return Ok(());
        }
        let (year, month, _) = calendar::civil_date(start);
        let name = format!("events_{year:04}_{month:02}");
        // Numbers only in this statement: DDL takes no bind parameters.
        let ddl = format!("CREATE TABLE IF NOT EXISTS {name} PARTITION OF events FOR VALUES FROM ({start}) TO ({end})");
        if let Err(e) = sqlx::query(&ddl).execute(&self.pool).await {
            // The default partition may already hold rows of that month (then PostgreSQL refuses
            // the new partition): they stay there, still counted and queried.
            tracing::warn!("events partition {name}: {e}; this month's events go to the default partition");
        }
        if let Ok(mut months) = self.months.lock() {
            months.insert(start);
        }
        Ok(())
    }

    /// Stores a usage event once; a duplicate id changes nothing.
    pub async fn record_event(&self, envelope: &EventEnvelope) -> Result<Stored, DbError> {
        let at_ms = envelope.at_ms as i64;
        self.ensure_partition(at_ms).await?;
        let kiosk = envelope.kiosk.as_str().to_owned();
        let seq = envelope.seq as i64;
        let body = serde_json::to_string(&envelope.event).unwrap_or_default();
        let mut tx = self.pool.begin().await?;
        let (value, detail) = crate::analytics::measures(&envelope.event);
        let inserted = sqlx::query(
            "INSERT INTO events (id, kiosk, store, seq, at_ms, session, kind, body, value, detail)
             VALUES ($1, $2, COALESCE((SELECT store FROM kiosks WHERE id = $2), ''), $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING",
        )
        .bind(envelope.id.0.to_string())
        .bind(kiosk.clone())
        .bind(seq)
        .bind(at_ms)
        .bind(envelope.session.map(|s| s.0.to_string()).unwrap_or_default())
        .bind(envelope.event.kind())
        .bind(body)
        .bind(value)
        .bind(detail.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            return Ok(Stored::Duplicate);
        }
        let (hour_ms, bucket) = (at_ms - at_ms.rem_euclid(3_600_000), crate::analytics::bucket(&envelope.event));
        sqlx::query(
            "INSERT INTO event_rollup (store, hour_ms, kind, detail, bucket, n, total)
             VALUES (COALESCE((SELECT store FROM kiosks WHERE id = $1), ''), $2, $3, $4, $5, 1, $6)
             ON CONFLICT (store, hour_ms, kind, detail, bucket) DO UPDATE SET n = event_rollup.n + 1,
               total = event_rollup.total + excluded.total",
        )
        .bind(kiosk.clone())
        .bind(hour_ms)
        .bind(envelope.event.kind())
        .bind(detail)
        .bind(bucket)
        .bind(value.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO kiosks (id, events, min_seq, max_seq) VALUES ($1, 1, $2, $2)
             ON CONFLICT (id) DO UPDATE SET events = kiosks.events + 1,
               min_seq = CASE WHEN kiosks.min_seq IS NULL OR excluded.min_seq < kiosks.min_seq THEN excluded.min_seq ELSE kiosks.min_seq END,
               max_seq = CASE WHEN kiosks.max_seq IS NULL OR excluded.max_seq > kiosks.max_seq THEN excluded.max_seq ELSE kiosks.max_seq END",
        )
        .bind(kiosk)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Stored::New)
    }

    /// Kiosks in `stores` (every store when `None`), by id.
    pub async fn kiosks(&self, stores: Option<&[String]>) -> Result<Vec<KioskRow>, DbError> {
        let rows =
            sqlx::query(&format!("SELECT {KIOSK_COLUMNS} FROM kiosks ORDER BY id")).fetch_all(&self.pool).await?;
        let mut kiosks = Vec::with_capacity(rows.len());
        for row in rows {
            let store: String = row.try_get("store")?;
            if stores.is_some_and(|allowed| !allowed.contains(&store)) {
                continue;
            }
            kiosks.push(kiosk_row(&row)?);
        }
        Ok(kiosks)
    }

    /// Counts a kiosk's message to staff once (by `record`, so a redelivery counts nothing).
    pub async fn count_staff_record(&self, kiosk: &str, record: &str) -> Result<(), DbError> {
        let new = sqlx::query("INSERT INTO staff_records (kiosk, record) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(kiosk.to_owned())
            .bind(record.to_owned())
            .execute(&self.pool)
            .await?
            .rows_affected();
        if new > 0 {
            sqlx::query(
                "INSERT INTO kiosks (id, staff_records) VALUES ($1, 1)
                 ON CONFLICT (id) DO UPDATE SET staff_records = kiosks.staff_records + 1",
            )
            .bind(kiosk.to_owned())
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// How many kiosks each store has.
    pub async fn kiosks_per_store(&self) -> Result<Vec<(String, i64)>, DbError> {
        let rows = sqlx::query("SELECT store, COUNT(*) AS n FROM kiosks GROUP BY store").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("store")?, r.try_get("n")?))).collect()
    }

    /// One kiosk, when the console has heard of it.
    pub async fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, DbError> {
        let row = sqlx::query(&format!("SELECT {KIOSK_COLUMNS} FROM kiosks WHERE id = $1"))
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(kiosk_row).transpose()
    }

    /// The kiosk's retained desired (`column` = `desired`) or reported configuration document;
    /// `None` when it was cleared.
    pub async fn record_config(&self, kiosk: &str, column: ConfigDocument, body: Option<&str>) -> Result<(), DbError> {
        let column = match column {
            ConfigDocument::Desired => "desired",
            ConfigDocument::Reported => "reported",
        };
        sqlx::query(&format!(
            "INSERT INTO kiosks (id, {column}) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET {column} = excluded.{column}"
        ))
        .bind(kiosk.to_owned())
        .bind(body.map(str::to_owned))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The benchmark's baseline: one row into its `bare` table, no bookkeeping.
    pub async fn insert_bare(&self, id: &str, kiosk: &str, seq: i64, at_ms: i64, body: &str) -> Result<(), DbError> {
        sqlx::query("INSERT INTO bare (id, kiosk, seq, at_ms, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(id.to_owned())
            .bind(kiosk.to_owned())
            .bind(seq)
            .bind(at_ms)
            .bind(body.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Runs one statement as it is (tests use it to show the audit log refuses changes).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, DbError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
