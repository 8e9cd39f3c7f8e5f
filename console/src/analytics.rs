//! Analytics: what the mirrors were used for, per store, per region and for everything a user
//! may see, over a period of whole hours (UTC), from the hourly rollup that ingestion keeps beside
//! the events (`event_rollup`: per store, hour, kind, label and bucket, how many and their sum),
//! so a report reads thousands of rows, not millions of events.
//!
//! - Sessions are the completed ones (`session_ended`); their median and p90 duration use the
//!   nearest-rank percentile (the smallest value with at least p % of values at or below it) over
//!   durations kept to the whole second (so are request waits), from the merged histograms.
//! - Scans per session: `item_scanned` ÷ sessions. Size requests: asked, fulfilled, the
//!   fulfilled share, and the wait from asking to the item in the room (p50, p90).
//! - Suggestions ("complete the look") tapped, by their place in the list; fit feedback by verdict.
//! - Shares, the friends watching (the sum of each share's peak), looks captured.
//! - Utilisation: time in sessions ÷ (the store's open minutes in the period, by the inventory's
//!   opening hours in its time zone, × its kiosks); a store without hours counts every minute.
//! - Per store, per region (the inventory's) and for the whole scope.
//! - Sessions started by weekday × hour, in each store's own time (the local hour its UTC hour
//!   starts in; UTC for a store the inventory does not name).
//! - Privacy: a store, or a weekday × hour cell, with fewer than [`MIN_SESSIONS`] sessions shows no
//!   figures (`null`), so no one shopper's visit can be read off a quiet store or hour.

use std::collections::BTreeMap;

use protocol::{fit::FitVerdict, telemetry::UsageEvent};
use serde::Serialize;
use sqlx::Row;

use crate::db::{Database, DbError};

/// Fewer sessions than this in a cell and its figures are suppressed.
pub const MIN_SESSIONS: usize = 5;

/// Suggestion taps are counted for these places in the list (the mirror shows three).
pub const RANKS: usize = 3;

/// The event's number and label as analytics reads them: session_ended's duration, a fulfilled
/// request's wait, a share's peak viewers, a tapped suggestion's rank; fit feedback's verdict.
pub fn measures(event: &UsageEvent) -> (Option<i64>, String) {
    let number = match event {
        UsageEvent::SessionEnded { duration_ms, .. } => Some(*duration_ms as i64),
        UsageEvent::SizeRequestFulfilled { wait_ms, .. } => Some(*wait_ms as i64),
        UsageEvent::ShareEnded { peak_viewers, .. } => Some(i64::from(*peak_viewers)),
        UsageEvent::SuggestionTapped { rank, .. } => rank.map(i64::from),
        _ => None,
    };
    let label = match event {
        UsageEvent::FitFeedback { verdict, .. } => verdict_name(*verdict).to_owned(),
        _ => String::new(),
    };
    (number, label)
}

/// The rollup's bucket of an event: a duration or wait in whole seconds, a suggestion's rank, or
/// -1 (one bucket for the kind).
pub fn bucket(event: &UsageEvent) -> i64 {
    match event {
        UsageEvent::SessionEnded { duration_ms, .. } => (*duration_ms / 1000) as i64,
        UsageEvent::SizeRequestFulfilled { wait_ms, .. } => (*wait_ms / 1000) as i64,
        UsageEvent::SuggestionTapped { rank: Some(rank), .. } => i64::from(*rank),
        _ => -1,
    }
}

fn verdict_name(verdict: FitVerdict) -> &'static str {
    match verdict {
        FitVerdict::Fits => "fits",
        FitVerdict::TooSmall => "too_small",
        FitVerdict::TooBig => "too_big",
        FitVerdict::NotForMe => "not_for_me",
    }
}

/// The figures of one store (or of all in scope).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub store: String,
    /// `None` below [`MIN_SESSIONS`]: every other figure is then `None` too.
    pub sessions: Option<u64>,
    pub median_duration_s: Option<f64>,
    pub p90_duration_s: Option<f64>,
    pub scans_per_session: Option<f64>,
    pub size_requests: Option<u64>,
    pub size_requests_fulfilled: Option<u64>,
    pub fulfilled_percent: Option<f64>,
    pub wait_p50_s: Option<f64>,
    pub wait_p90_s: Option<f64>,
    pub suggestion_taps: Option<u64>,
    /// Taps on the 1st, 2nd, 3rd suggestion (taps from kiosks that do not say the place count
    /// only in `suggestion_taps`).
    pub taps_by_rank: Option<[u64; RANKS]>,
    /// Fit feedback by verdict: fits, too small, too big, not for me.
    pub fit_feedback: Option<BTreeMap<String, u64>>,
    pub shares: Option<u64>,
    pub viewers: Option<u64>,
    pub looks: Option<u64>,
    /// Share of the open kiosk-minutes spent in sessions.
    pub utilisation_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from_ms: i64,
    pub to_ms: i64,
    pub all: Figures,
    pub stores: Vec<Figures>,
    /// One per region of the inventory (`store` is `region:NAME`).
    pub regions: Vec<Figures>,
    /// Sessions started, `[weekday][hour]`, Monday first, in each store's time; `None` below
    /// [`MIN_SESSIONS`].
    pub weekday_hour: Vec<Vec<Option<u64>>>,
}

/// What one store's events add up to, as the database counted them.
#[derive(Debug, Default, Clone)]
struct Tally {
    sessions: u64,
    /// Session durations and request waits: whole seconds → how many.
    durations: BTreeMap<i64, u64>,
    waits: BTreeMap<i64, u64>,
    scans: u64,
    requests: u64,
    fulfilled: u64,
    taps: u64,
    taps_by_rank: [u64; RANKS],
    fit: BTreeMap<String, u64>,
    shares: u64,
    viewers: u64,
    looks: u64,
    /// Time in completed sessions.
    session_ms: i64,
    /// Open minutes × kiosks.
    capacity_minutes: u64,
}

impl Tally {
    /// Adds another's counts and histograms.
    fn absorb(&mut self, other: &Tally) {
        for (mine, theirs) in [(&mut self.durations, &other.durations), (&mut self.waits, &other.waits)] {
            for (seconds, n) in theirs {
                *mine.entry(*seconds).or_default() += n;
            }
        }
        self.sessions += other.sessions;
        self.scans += other.scans;
        self.requests += other.requests;
        self.fulfilled += other.fulfilled;
        self.taps += other.taps;
        for (mine, theirs) in self.taps_by_rank.iter_mut().zip(other.taps_by_rank) {
            *mine += theirs;
        }
        for (verdict, n) in &other.fit {
            *self.fit.entry(verdict.clone()).or_default() += n;
        }
        self.shares += other.shares;
        self.viewers += other.viewers;
        self.looks += other.looks;
        self.session_ms += other.session_ms;
        self.capacity_minutes += other.capacity_minutes;
    }

    fn count(&mut self, kind: &str, detail: &str, bucket: i64, n: u64, total: i64) {
        match kind {
            "session_ended" => *self.durations.entry(bucket).or_default() += n,
            "size_request_fulfilled" => *self.waits.entry(bucket).or_default() += n,
            "suggestion_tapped" if (1..=RANKS as i64).contains(&bucket) => self.taps_by_rank[bucket as usize - 1] += n,
            _ => {}
        }
        match kind {
            "session_ended" => {
                self.sessions += n;
                self.session_ms += total;
            }
            "item_scanned" => self.scans += n,
            "size_requested" => self.requests += n,
            "size_request_fulfilled" => self.fulfilled += n,
            "suggestion_tapped" => self.taps += n,
            "fit_feedback" => *self.fit.entry(detail.to_owned()).or_default() += n,
            "share_started" => self.shares += n,
            "share_ended" => self.viewers += total.max(0) as u64,
            "look_captured" => self.looks += n,
            _ => {}
        }
    }

    fn figures(&self, store: &str) -> Figures {
        let sessions = self.sessions;
        if (sessions as usize) < MIN_SESSIONS {
            return suppressed(store);
        }
        let seconds = |histogram: &BTreeMap<i64, u64>, p: u64| percentile(histogram, p).map(|s| s as f64);
        let mut fit: BTreeMap<String, u64> = FitVerdict::ALL.iter().map(|v| (verdict_name(*v).to_owned(), 0)).collect();
        for (verdict, n) in &self.fit {
            *fit.entry(verdict.clone()).or_default() += n;
        }
        Figures {
            store: store.to_owned(),
            sessions: Some(sessions),
            median_duration_s: seconds(&self.durations, 50),
            p90_duration_s: seconds(&self.durations, 90),
            scans_per_session: Some(self.scans as f64 / sessions as f64),
            size_requests: Some(self.requests),
            size_requests_fulfilled: Some(self.fulfilled),
            fulfilled_percent: (self.requests > 0).then(|| 100.0 * self.fulfilled as f64 / self.requests as f64),
            wait_p50_s: seconds(&self.waits, 50),
            wait_p90_s: seconds(&self.waits, 90),
            suggestion_taps: Some(self.taps),
            taps_by_rank: Some(self.taps_by_rank),
            fit_feedback: Some(fit),
            shares: Some(self.shares),
            viewers: Some(self.viewers),
            looks: Some(self.looks),
            utilisation_percent: (self.capacity_minutes > 0)
                .then(|| 100.0 * self.session_ms as f64 / 60_000.0 / self.capacity_minutes as f64),
        }
    }
}

/// The nearest-rank `p`-th percentile of a histogram (value → how many): the smallest value
/// with at least `p` % of all at or below it.
fn percentile(histogram: &BTreeMap<i64, u64>, p: u64) -> Option<i64> {
    let total: u64 = histogram.values().sum();
    let rank = (p * total).div_ceil(100).max(1);
    let mut seen = 0;
    histogram
        .iter()
        .find(|(_, n)| {
            seen += **n;
            seen >= rank
        })
        .map(|(value, _)| *value)
}

fn suppressed(store: &str) -> Figures {
    Figures {
        store: store.to_owned(),
        sessions: None,
        median_duration_s: None,
        p90_duration_s: None,
        scans_per_session: None,
        size_requests: None,
        size_requests_fulfilled: None,
        fulfilled_percent: None,
        wait_p50_s: None,
        wait_p90_s: None,
        suggestion_taps: None,
        taps_by_rank: None,
        fit_feedback: None,
        shares: None,
        viewers: None,
        looks: None,
        utilisation_percent: None,
    }
}

/// `AND store IN ($3, …)` for a scope (nothing for every store), with the values to bind.
fn scope_clause(stores: Option<&[String]>) -> String {
    match stores {
        None => String::new(),
        Some([]) => " AND 1 = 0".to_owned(),
        Some(stores) => {
            let marks: Vec<String> = (0..stores.len()).map(|i| format!("${}", i + 3)).collect();
            format!(" AND store IN ({})", marks.join(", "))
        }
    }
}

const HOUR_MS: i64 = 3_600_000;

/// `[from_ms, to_ms)` widened to whole hours (the rollup's), `i64::MAX` staying the end of time.
fn whole_hours(from_ms: i64, to_ms: i64) -> (i64, i64) {
    (from_ms - from_ms.rem_euclid(HOUR_MS), to_ms.saturating_add((HOUR_MS - to_ms.rem_euclid(HOUR_MS)) % HOUR_MS))
}

/// The report for `stores` (all when `None`) over the whole hours covering `[from_ms, to_ms)`.
pub async fn report(db: &Database, stores: Option<&[String]>, from_ms: i64, to_ms: i64) -> Result<Report, DbError> {
    let (from_ms, to_ms) = whole_hours(from_ms, to_ms);
    let scope = scope_clause(stores);
    let sql = format!(
        "SELECT store, kind, detail, bucket, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(total) AS BIGINT) AS total FROM event_rollup
         WHERE hour_ms >= $1 AND hour_ms < $2{scope} GROUP BY store, kind, detail, bucket"
    );
    let mut query = sqlx::query(&sql).bind(from_ms).bind(to_ms);
    for store in stores.unwrap_or_default() {
        query = query.bind(store.clone());
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for row in query.fetch_all(db.pool()).await? {
        let (store, kind, detail): (String, String, String) =
            (row.try_get("store")?, row.try_get("kind")?, row.try_get("detail")?);
        let (bucket, n, total): (i64, i64, i64) = (row.try_get("bucket")?, row.try_get("n")?, row.try_get("total")?);
        tallies.entry(store).or_default().count(&kind, &detail, bucket, n as u64, total);
    }
    let known = crate::stores::all(db).await?;
    let mut regions: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for (store, tally) in &tallies {
        all.absorb(tally);
        if let Some(region) = known.get(store).map(|s| s.region.clone()).filter(|r| !r.is_empty()) {
            regions.entry(region).or_default().absorb(tally);
        }
    }
    // Open kiosk-minutes: each store's opening hours × its kiosks.
    let until = to_ms.min(protocol::telemetry::now_ms() as i64);
    for (store, kiosks) in db.kiosks_per_store().await? {
        if stores.is_some_and(|allowed| !allowed.contains(&store)) {
            continue;
        }
        let always = crate::stores::Store { id: store.clone(), ..Default::default() };
        let info = known.get(&store).unwrap_or(&always);
        let capacity = crate::stores::open_minutes(info, from_ms, until) * kiosks as u64;
        all.capacity_minutes += capacity;
        if let Some(region) = regions.get_mut(&info.region) {
            region.capacity_minutes += capacity;
        }
        if let Some(tally) = tallies.get_mut(&store) {
            tally.capacity_minutes += capacity;
        }
    }
    let grid = format!(
        "SELECT store, hour_ms, CAST(SUM(n) AS BIGINT) AS n FROM event_rollup
         WHERE kind = 'session_started' AND hour_ms >= $1 AND hour_ms < $2{scope} GROUP BY store, hour_ms"
    );
    let mut query = sqlx::query(&grid).bind(from_ms).bind(to_ms);
    for store in stores.unwrap_or_default() {
        query = query.bind(store.clone());
    }
    let mut cells = vec![vec![0u64; 24]; 7];
    let utc = crate::stores::Store::default();
    for row in query.fetch_all(db.pool()).await? {
        let (store, hour_ms, n): (String, i64, i64) =
            (row.try_get("store")?, row.try_get("hour_ms")?, row.try_get("n")?);
        let (day, hour) = known.get(&store).unwrap_or(&utc).weekday_hour(hour_ms);
        cells[day][hour] += n as u64;
    }
    Ok(Report {
        from_ms,
        to_ms,
        all: all.figures("*"),
        stores: tallies.iter().map(|(store, tally)| tally.figures(store)).collect(),
        regions: regions.iter().map(|(region, tally)| tally.figures(&format!("region:{region}"))).collect(),
        weekday_hour: cells
            .into_iter()
            .map(|day| day.into_iter().map(|n| (n as usize >= MIN_SESSIONS).then_some(n)).collect())
            .collect(),
    })
}

fn cell<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// The report's stores as CSV (suppressed figures empty), the header naming each column.
pub fn csv(report: &Report) -> String {
    let mut out = String::from(
        "store,sessions,median_duration_s,p90_duration_s,scans_per_session,size_requests,size_requests_fulfilled,fulfilled_percent,wait_p50_s,wait_p90_s,suggestion_taps,taps_rank_1,taps_rank_2,taps_rank_3,fit_fits,fit_too_small,fit_too_big,fit_not_for_me,shares,viewers,looks,utilisation_percent\n",
    );
    for f in report.stores.iter().chain(&report.regions).chain([&report.all]) {
        let rank = |i: usize| f.taps_by_rank.map(|r| r[i]);
        let fit = |verdict: &str| f.fit_feedback.as_ref().map(|v| v.get(verdict).copied().unwrap_or(0));
        // Store ids are identifiers (no commas or quotes); "*" is everything in scope.
        let cells = [
            f.store.clone(),
            cell(f.sessions),
            cell(f.median_duration_s),
            cell(f.p90_duration_s),
            cell(f.scans_per_session.map(|v| format!("{v:.2}"))),
            cell(f.size_requests),
            cell(f.size_requests_fulfilled),
            cell(f.fulfilled_percent.map(|v| format!("{v:.1}"))),
            cell(f.wait_p50_s),
            cell(f.wait_p90_s),
            cell(f.suggestion_taps),
            cell(rank(0)),
            cell(rank(1)),
            cell(rank(2)),
            cell(fit("fits")),
            cell(fit("too_small")),
            cell(fit("too_big")),
            cell(fit("not_for_me")),
            cell(f.shares),
            cell(f.viewers),
            cell(f.looks),
            cell(f.utilisation_percent.map(|v| format!("{v:.2}"))),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{session::EndReason, telemetry::Ident};

    #[test]
    fn each_event_gives_its_number_and_label() {
        let sku = || Ident::new("sku-1").unwrap_or_else(|e| panic!("{e}"));
        let ended = UsageEvent::SessionEnded { duration_ms: 61_000, reason: EndReason::EndButton };
        assert_eq!(measures(&ended), (Some(61_000), String::new()));
        let tapped = UsageEvent::SuggestionTapped { sku: sku(), for_sku: sku(), rank: Some(2) };
        assert_eq!(measures(&tapped).0, Some(2));
        let older = UsageEvent::SuggestionTapped { sku: sku(), for_sku: sku(), rank: None };
        assert_eq!(measures(&older).0, None);
        let fit = UsageEvent::FitFeedback { sku: sku(), verdict: FitVerdict::TooSmall };
        assert_eq!(measures(&fit), (None, "too_small".to_owned()));
        assert_eq!(measures(&UsageEvent::SessionStarted), (None, String::new()));
    }

    #[test]
    fn nearest_rank_percentiles_of_a_histogram() {
        // 15, 20, 20, 35, 50
        let histogram = BTreeMap::from([(15, 1), (20, 2), (35, 1), (50, 1)]);
        assert_eq!(percentile(&histogram, 20), Some(15));
        assert_eq!(percentile(&histogram, 50), Some(20));
        assert_eq!(percentile(&histogram, 90), Some(50));
        assert_eq!(percentile(&BTreeMap::new(), 50), None);
    }

    #[test]
    fn the_period_widens_to_whole_hours_without_overflowing() {
        assert_eq!(whole_hours(HOUR_MS, 2 * HOUR_MS), (HOUR_MS, 2 * HOUR_MS));
        assert_eq!(whole_hours(HOUR_MS + 1, 2 * HOUR_MS + 1), (HOUR_MS, 3 * HOUR_MS));
        assert_eq!(whole_hours(0, i64::MAX), (0, i64::MAX), "everything stays everything");
    }

    #[test]
    fn a_scope_binds_its_stores_after_the_period() {
        assert_eq!(scope_clause(None), "");
        assert_eq!(scope_clause(Some(&[])), " AND 1 = 0");
        assert_eq!(scope_clause(Some(&["a".into(), "b".into()])), " AND store IN ($3, $4)");
    }
}
