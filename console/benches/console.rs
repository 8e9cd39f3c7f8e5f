//! The console's costs, each beside a baseline measured in the same run:
//! - ingestion: events per second stored the console's way (idempotent by id, the kiosk's
//!   counters updated in the same transaction), into SQLite and into a throwaway PostgreSQL
//!   cluster; baseline: a bare `INSERT` of the same rows, one per transaction;
//! - analytics: the report over every stored event (read from the hourly rollup ingestion keeps),
//!   after the table is filled to
//!   `CONSOLE_BENCH_ANALYTICS_EVENTS` (default 10 million) by one generated `INSERT … SELECT` per
//!   million (ten events per session: scans, a size request and its fulfilment, a suggestion
//!   tapped, fit feedback, a look); baseline: `SELECT COUNT(*)` of the same rows;
//! - the fleet page for 10,000 kiosks: rendering the HTML; baseline: the same rows as JSON.
//!
//! `cargo bench -p console --bench console` prints a markdown table; `CONSOLE_BENCH_EVENTS`
//! sets how many events are ingested one by one (default 100,000).

use std::time::Instant;

use console::{
    analytics,
    db::{Database, KioskRow},
};
use protocol::{
    session::EndReason,
    telemetry::{EVENT_SCHEMA_VERSION, EventEnvelope, EventId, Ident, ScanMethod, SessionId, UsageEvent},
};
use testkit::postgres::Postgres;

const KIOSKS: usize = 10_000;
const MONDAY: u64 = 1_793_577_600_000;

fn envelope(n: u64) -> anyhow::Result<EventEnvelope> {
    let kiosk = Ident::new(format!("kiosk-{}", n % 50))?;
    let event = match n % 5 {
        0 => UsageEvent::SessionStarted,
        1 | 2 => UsageEvent::ItemScanned { sku: Ident::new(format!("sku-{}", n % 400))?, method: ScanMethod::Scanner },
        3 => UsageEvent::LooksCompared { looks: 2 },
        _ => UsageEvent::SessionEnded { duration_ms: 60_000 + n % 900_000, reason: EndReason::EndButton },
    };
    Ok(EventEnvelope {
        v: EVENT_SCHEMA_VERSION,
        id: EventId::new(),
        seq: n,
        kiosk,
        at_ms: MONDAY + n * 1_000,
        session: Some(SessionId::random()),
        event,
    })
}

struct Row {
    what: String,
    ours_ms: f64,
    baseline: &'static str,
    base_ms: f64,
}

async fn measure(
    url: &str,
    name: &str,
    (events, analytics_events): (u64, u64),
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let db = Database::connect(url).await.map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
    let batch: Vec<EventEnvelope> = (0..events).map(envelope).collect::<anyhow::Result<_>>()?;
    let started = Instant::now();
    for e in &batch {
        db.record_event(e).await?;
    }
    let ours = started.elapsed().as_secs_f64();
    // The baseline: the same rows, a bare INSERT each, into a table without the bookkeeping.
    db.execute_raw("CREATE TABLE bare (id TEXT PRIMARY KEY, kiosk TEXT, seq BIGINT, at_ms BIGINT, body TEXT)").await?;
    let started = Instant::now();
    for e in &batch {
        let body = serde_json::to_string(&e.event)?;
        db.insert_bare(&e.id.0.to_string(), e.kiosk.as_str(), e.seq as i64, e.at_ms as i64, &body).await?;
    }
    let bare = started.elapsed().as_secs_f64();
    rows.push(Row {
        what: format!(
            "ingest {events} events into {name} (events/s: ours {:.0}, bare {:.0})",
            events as f64 / ours,
            events as f64 / bare
        ),
        ours_ms: ours * 1000.0 / events as f64,
        baseline: "bare INSERT per event",
        base_ms: bare * 1000.0 / events as f64,
    });

    let total = fill(&db, events, analytics_events).await?;
    let started = Instant::now();
    let report = analytics::report(&db, None, 0, i64::MAX).await?;
    let ours = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    db.execute_raw("SELECT COUNT(*) FROM events").await?;
    let count = started.elapsed().as_secs_f64() * 1000.0;
    rows.push(Row {
        what: format!("analytics over {total} events in {name} ({} sessions)", report.all.sessions.unwrap_or(0)),
        ours_ms: ours,
        baseline: "SELECT COUNT(*)",
        base_ms: count,
    });
    Ok(())
}

/// Fills the events table from `have` to `want` rows with generated sessions, a million per
/// statement; returns the rows there are.
async fn fill(db: &Database, have: u64, want: u64) -> anyhow::Result<u64> {
    let postgres = db.backend() == console::db::Backend::Postgres;
    // Each month's partition first, as ingestion makes it.
    let last_ms = MONDAY + want * 1_000;
    let (mut month, mut rows) = (MONDAY, have);
    while postgres && month <= last_ms {
        db.record_event(&EventEnvelope { at_ms: month, ..envelope(have + month)? }).await?;
        month += 28 * 86_400_000;
        rows += 1;
    }
    let columns = "'bulk-' || n, 'kiosk-' || (n % 50), 'store-' || (n % 50 / 10), n, {MONDAY} + n * 1000, 'session-' || (n / 10),
        CASE n % 10 WHEN 0 THEN 'session_started' WHEN 4 THEN 'size_requested' WHEN 5 THEN 'size_request_fulfilled'
          WHEN 6 THEN 'suggestion_tapped' WHEN 7 THEN 'fit_feedback' WHEN 8 THEN 'look_captured' WHEN 9 THEN 'session_ended'
          ELSE 'item_scanned' END,
        '{}',
        CASE n % 10 WHEN 5 THEN 30000 + n % 300000 WHEN 6 THEN 1 + n % 3 WHEN 9 THEN 60000 + n % 900000 END,
        CASE n % 10 WHEN 7 THEN 'fits' ELSE '' END";
    let columns = columns.replace("{MONDAY}", &MONDAY.to_string());
    let mut from = have;
    while from < want {
        let to = (from + 1_000_000).min(want);
        let sql = if postgres {
            format!(
                "INSERT INTO events (id, kiosk, store, seq, at_ms, session, kind, body, value, detail)
                 SELECT {columns} FROM generate_series({from}::bigint, {last}::bigint) AS n",
                last = to - 1
            )
        } else {
            format!(
                "WITH RECURSIVE numbers(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM numbers WHERE n < {last})
                 INSERT INTO events (id, kiosk, store, seq, at_ms, session, kind, body, value, detail)
                 SELECT {columns} FROM numbers",
                last = to - 1
            )
        };
        rows += db.execute_raw(&sql).await?;
        from = to;
    }
    // What ingestion keeps beside the events for them (the migration's own backfill).
    db.execute_raw(
        "INSERT INTO event_rollup (store, hour_ms, kind, detail, bucket, n, total)
         SELECT store, at_ms - at_ms % 3600000, kind, detail,
                CASE WHEN kind IN ('session_ended', 'size_request_fulfilled') THEN COALESCE(value, 0) / 1000
                     WHEN kind = 'suggestion_tapped' THEN COALESCE(value, -1) ELSE -1 END,
                COUNT(*), COALESCE(SUM(value), 0)
         FROM events WHERE id LIKE 'bulk-%'
         GROUP BY store, at_ms - at_ms % 3600000, kind, detail,
                CASE WHEN kind IN ('session_ended', 'size_request_fulfilled') THEN COALESCE(value, 0) / 1000
                     WHEN kind = 'suggestion_tapped' THEN COALESCE(value, -1) ELSE -1 END",
    )
    .await?;
    Ok(rows)
}

fn kiosks() -> Vec<KioskRow> {
    (0..KIOSKS)
        .map(|n| KioskRow {
            id: format!("kiosk-{n:05}"),
            store: format!("store-{:03}", n / 10),
            presence: if n % 17 == 0 { "lost" } else { "online" }.into(),
            maintenance: n % 101 == 0,
            version: "1.4.0".into(),
            status_at_ms: MONDAY as i64,
            health: Some(serde_json::json!({"camera": "live", "render_fps": if n % 13 == 0 { 9.0 } else { 30.0 }, "frame_age_ms": 40, "outbox_depth": 0})),
            health_at_ms: MONDAY as i64,
            events: 1_000,
            gaps: 0,
            outbox_dropped: 0,
            desired: None,
            reported: None,
        })
        .collect()
}

fn render(rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let kiosks = kiosks();
    let started = Instant::now();
    let html = console::render_fleet(&kiosks);
    let ours = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let json = serde_json::to_string(&kiosks)?;
    let base = started.elapsed().as_secs_f64() * 1000.0;
    rows.push(Row {
        what: format!("fleet page, {KIOSKS} kiosks ({} KiB HTML, {} KiB JSON)", html.len() / 1024, json.len() / 1024),
        ours_ms: ours,
        baseline: "the same rows as JSON",
        base_ms: base,
    });
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let count = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let events = (count("CONSOLE_BENCH_EVENTS", 100_000), count("CONSOLE_BENCH_ANALYTICS_EVENTS", 10_000_000));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let mut rows = Vec::new();
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    runtime.block_on(measure(&sqlite, "SQLite", events, &mut rows))?;
    let postgres = Postgres::start()?;
    runtime.block_on(measure(&postgres.url(), "PostgreSQL", events, &mut rows))?;
    render(&mut rows)?;
    println!("| what | ours (ms) | baseline | base (ms) |");
    println!("|---|---:|---|---:|");
    for row in rows {
        println!("| {} | {:.3} | {} | {:.3} |", row.what, row.ours_ms, row.baseline, row.base_ms);
    }
    Ok(())
}
