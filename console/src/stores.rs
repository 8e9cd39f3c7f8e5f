//! What the console knows about stores besides their kiosks: time zone, opening hours and region
//! from the chain's inventory (`console stores import inventory.csv`, the same CSV `provision`
//! reads), and maintenance windows (a store or one kiosk, from–to) during which no alert is
//! raised.
//!
//! Opening hours decide when an offline kiosk is worth an alert and what share of the open hours
//! the mirrors were used ([`open_minutes`]); regions are scope entries (`region:eu-central`).

use std::collections::BTreeMap;

use chrono::{Datelike, TimeZone, Timelike};
use protocol::schedule::OpeningHours;
use serde::Serialize;
use sqlx::Row;

use crate::db::{Database, DbError};

/// One store's place and hours.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Store {
    pub id: String,
    /// IANA name, e.g. `Europe/Berlin`; empty: UTC.
    pub time_zone: String,
    /// `Mo-Fr 09:00-20:00; Sa 10:00-18:00`; empty: always open.
    pub opening_hours: String,
    pub region: String,
}

impl Store {
    fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    fn hours(&self) -> OpeningHours {
        OpeningHours::parse(&self.opening_hours).unwrap_or_default()
    }

    /// Monday = 0 … Sunday = 6 and the hour, at `at_ms` on the store's clock.
    pub fn weekday_hour(&self, at_ms: i64) -> (usize, usize) {
        match self.zone().timestamp_millis_opt(at_ms).single() {
            Some(local) => (local.weekday().num_days_from_monday() as usize, local.hour() as usize),
            None => (0, 0),
        }
    }

    /// Whether the store is open at `at_ms` (its own clock).
    pub fn is_open(&self, at_ms: i64) -> bool {
        let Some(local) = self.zone().timestamp_millis_opt(at_ms).single() else { return true };
        self.hours()
            .is_open(local.weekday().num_days_from_monday() as usize, (local.hour() * 60 + local.minute()) as u16)
    }
}

/// Minutes `store` is open in `[from_ms, to_ms)`: each local day's opening rules turned into
/// instants in its time zone (a daylight-saving day has its real length), clipped to the period.
/// Always open: every minute.
pub fn open_minutes(store: &Store, from_ms: i64, to_ms: i64) -> u64 {
    let hours = store.hours();
    if hours.rules.is_empty() {
        return ((to_ms - from_ms).max(0) / 60_000) as u64;
    }
    let zone = store.zone();
    let day_of = |at_ms: i64| zone.timestamp_millis_opt(at_ms).single().map(|t| t.date_naive());
    let (Some(first), Some(last)) = (day_of(from_ms), day_of(to_ms)) else { return 0 };
    let instant = |date: chrono::NaiveDate, minute: u16| {
        let midnight = date.and_hms_opt(0, 0, 0)?;
        let local = midnight + chrono::Duration::minutes(i64::from(minute));
        // A time the clocks skip (spring forward) counts from the first instant after it.
        zone.from_local_datetime(&local)
            .earliest()
            .or_else(|| zone.from_local_datetime(&(local + chrono::Duration::hours(1))).earliest())
    };
    let mut open_ms = 0;
    let mut date = first;
    while date <= last {
        let weekday = date.weekday().num_days_from_monday();
        for rule in hours.rules.iter().filter(|r| r.days & (1 << weekday) != 0) {
            if let (Some(opens), Some(closes)) = (instant(date, rule.open), instant(date, rule.close)) {
                let (opens, closes) = (opens.timestamp_millis().max(from_ms), closes.timestamp_millis().min(to_ms));
                open_ms += (closes - opens).max(0);
            }
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    (open_ms / 60_000) as u64
}

/// Reads the inventory CSV (`store,kiosk_id,room,profile,time_zone,opening_hours,region`) into
/// one [`Store`] per store; rows of one store must agree, and every problem names its line.
pub fn from_inventory(csv_text: &str) -> Result<Vec<Store>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    let header = reader.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    let column =
        |name: &str| header.iter().position(|h| h == name).ok_or_else(|| format!("line 1: no {name:?} column"));
    let (store, zone, hours, region) =
        (column("store")?, column("time_zone")?, column("opening_hours")?, column("region")?);
    let mut stores: BTreeMap<String, (u64, Store)> = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let field = |i: usize| record.get(i).unwrap_or("").to_owned();
        let row =
            Store { id: field(store), time_zone: field(zone), opening_hours: field(hours), region: field(region) };
        if protocol::telemetry::Ident::new(row.id.as_str()).is_err() {
            return Err(format!("line {line}, store: {:?} is not a store id", row.id));
        }
        if !row.time_zone.is_empty() && row.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!("line {line}, time_zone: {:?} is not an IANA time zone", row.time_zone));
        }
        OpeningHours::parse(&row.opening_hours).map_err(|e| format!("line {line}, opening_hours: {e}"))?;
        match stores.get(&row.id) {
            Some((first, known)) if *known != row => {
                return Err(format!(
                    "line {line}: store {} differs from line {first} (time zone, hours or region)",
                    row.id
                ));
            }
            Some(_) => {}
            None => {
                stores.insert(row.id.clone(), (line, row));
            }
        }
    }
    Ok(stores.into_values().map(|(_, store)| store).collect())
}

/// Replaces what the console knows of these stores.
pub async fn put(db: &Database, stores: &[Store]) -> Result<(), DbError> {
    for store in stores {
        sqlx::query(
            "INSERT INTO stores (id, time_zone, opening_hours, region) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, opening_hours = excluded.opening_hours,
               region = excluded.region",
        )
        .bind(store.id.clone())
        .bind(store.time_zone.clone())
        .bind(store.opening_hours.clone())
        .bind(store.region.clone())
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Every store the inventory named, by id.
pub async fn all(db: &Database) -> Result<BTreeMap<String, Store>, DbError> {
    let rows = sqlx::query("SELECT id, time_zone, opening_hours, region FROM stores").fetch_all(db.pool()).await?;
    let mut stores = BTreeMap::new();
    for row in rows {
        let store = Store {
            id: row.try_get("id")?,
            time_zone: row.try_get("time_zone")?,
            opening_hours: row.try_get("opening_hours")?,
            region: row.try_get("region")?,
        };
        stores.insert(store.id.clone(), store);
    }
    Ok(stores)
}

/// A time when alerts are silenced: a whole store, or one kiosk of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub id: i64,
    pub store: String,
    /// Empty: every kiosk of the store.
    pub kiosk: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub reason: String,
    pub user: String,
}

impl Window {
    /// Whether it silences `kiosk` of `store` at `at_ms`.
    pub fn covers(&self, store: &str, kiosk: &str, at_ms: i64) -> bool {
        self.store == store
            && (self.kiosk.is_empty() || self.kiosk == kiosk)
            && (self.from_ms..self.to_ms).contains(&at_ms)
    }
}

pub async fn add_window(db: &Database, window: &Window) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO maintenance_windows (store, kiosk, from_ms, to_ms, reason, user_name) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(window.store.clone())
    .bind(window.kiosk.clone())
    .bind(window.from_ms)
    .bind(window.to_ms)
    .bind(window.reason.clone())
    .bind(window.user.clone())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Windows that have not ended by `now_ms`, soonest first.
pub async fn windows(db: &Database, now_ms: i64) -> Result<Vec<Window>, DbError> {
    let rows = sqlx::query(
        "SELECT id, store, kiosk, from_ms, to_ms, reason, user_name FROM maintenance_windows WHERE to_ms > $1 ORDER BY from_ms",
    )
    .bind(now_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Window {
                id: row.try_get("id")?,
                store: row.try_get("store")?,
                kiosk: row.try_get("kiosk")?,
                from_ms: row.try_get("from_ms")?,
                to_ms: row.try_get("to_ms")?,
                reason: row.try_get("reason")?,
                user: row.try_get("user_name")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Store {
        Store {
            id: "berlin-01".into(),
            time_zone: "Europe/Berlin".into(),
            opening_hours: "Mo-Fr 09:00-20:00; Sa 10:00-18:00".into(),
            region: "eu-central".into(),
        }
    }

    /// Monday 2026-11-02 00:00 UTC (01:00 in Berlin).
    const MONDAY: i64 = 1_793_577_600_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn opening_hours_are_the_store_s_own_clock() {
        let store = berlin();
        assert!(!store.is_open(MONDAY + 7 * HOUR), "08:00 in Berlin");
        assert!(store.is_open(MONDAY + 8 * HOUR), "09:00 in Berlin");
        assert!(!store.is_open(MONDAY + 19 * HOUR), "20:00 in Berlin");
        assert!(!store.is_open(MONDAY + 6 * 24 * HOUR + 12 * HOUR), "Sunday");
        assert!(Store { opening_hours: String::new(), ..berlin() }.is_open(MONDAY));
        assert_eq!(berlin().weekday_hour(MONDAY - HOUR), (0, 0), "Sunday 23:00 UTC is Monday 00:00 in Berlin");
        assert_eq!(Store::default().weekday_hour(MONDAY - HOUR), (6, 23));
    }

    #[test]
    fn a_week_s_open_minutes_are_counted_in_local_time() {
        let week = open_minutes(&berlin(), MONDAY, MONDAY + 7 * 24 * HOUR);
        assert_eq!(week, (5 * 11 + 8) * 60, "five 11-hour days and an 8-hour Saturday");
        assert_eq!(open_minutes(&Store { opening_hours: String::new(), ..berlin() }, MONDAY, MONDAY + HOUR), 60);
        assert_eq!(
            open_minutes(&berlin(), MONDAY + 8 * HOUR + 30 * 60_000, MONDAY + 9 * HOUR),
            30,
            "clipped to the period"
        );
        // 2026-03-29 (a Sunday) Berlin springs forward; the Monday after is an ordinary 11 hours.
        let spring_monday = 1_774_828_800_000; // 2026-03-30 00:00 UTC
        assert_eq!(open_minutes(&berlin(), spring_monday, spring_monday + 24 * HOUR), 11 * 60);
    }

    #[test]
    fn the_inventory_gives_one_store_per_store_and_names_the_line_at_fault() {
        let csv = "store,kiosk_id,room,profile,time_zone,opening_hours,region\n\
                   berlin-01,b1,Room 1,elo,Europe/Berlin,Mo-Fr 09:00-20:00,eu-central\n\
                   berlin-01,b2,Room 2,elo,Europe/Berlin,Mo-Fr 09:00-20:00,eu-central\n\
                   paris-02,p1,Cabine 1,elo,Europe/Paris,,eu-west\n";
        let stores = from_inventory(csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stores.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["berlin-01", "paris-02"]);
        let clash = format!("{csv}berlin-01,b3,Room 3,elo,Europe/Berlin,Mo-Sa 09:00-20:00,eu-central\n");
        assert_eq!(
            from_inventory(&clash),
            Err("line 5: store berlin-01 differs from line 2 (time zone, hours or region)".into())
        );
        let zone = csv.replace("Europe/Paris", "Mars/Olympus");
        assert_eq!(from_inventory(&zone), Err("line 4, time_zone: \"Mars/Olympus\" is not an IANA time zone".into()));
    }

    #[test]
    fn a_window_covers_its_store_or_its_one_kiosk_while_it_lasts() {
        let window = Window {
            id: 1,
            store: "s".into(),
            kiosk: String::new(),
            from_ms: 10,
            to_ms: 20,
            reason: "refit".into(),
            user: "mia".into(),
        };
        assert!(window.covers("s", "k1", 10) && window.covers("s", "k2", 19));
        assert!(!window.covers("s", "k1", 20) && !window.covers("t", "k1", 15));
        let one = Window { kiosk: "k1".into(), ..window };
        assert!(one.covers("s", "k1", 15) && !one.covers("s", "k2", 15));
    }
}
