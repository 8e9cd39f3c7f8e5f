//! Analytics: what the mirrors were used for, per store and for everything a user may see, over
//! a period, aggregated by the database from the stored usage events (each event's one number
//! and one label, [`measures`], are columns, so no body is read).
//!
//! - Sessions are the completed ones (`session_ended`); their median and p90 duration use the
//!   nearest-rank percentile (the smallest value with at least p % of values at or below it).
//! - Scans per session: `item_scanned` ÷ sessions. Size requests: asked, fulfilled, the
//!   fulfilled share, and the wait from asking to the item in the room (p50, p90).
//! - Suggestions ("complete the look") tapped, by their place in the list; fit feedback by verdict.
//! - Shares, the friends watching (the sum of each share's peak), looks captured.
//! - Utilisation: time in sessions ÷ (the store's open minutes in the period, by the inventory's
//!   opening hours in its time zone, × its kiosks); a store without hours counts every minute.
//! - Per store, per region (the inventory's) and for the whole scope.
//! - Sessions started by weekday × hour (UTC).
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
    /// Sessions started, `[weekday][hour]`, Monday first, UTC; `None` below [`MIN_SESSIONS`].
    pub weekday_hour: Vec<Vec<Option<u64>>>,
}

/// What one store's events add up to, as the database counted them.
#[derive(Debug, Default, Clone)]
struct Tally {
    sessions: u64,
    /// (p50, p90) in ms.
    durations: (Option<i64>, Option<i64>),
    waits: (Option<i64>, Option<i64>),
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
    /// Adds another's counts (not its percentiles, which do not add).
    fn absorb(&mut self, other: &Tally) {
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

    fn count(&mut self, kind: &str, detail: &str, n: u64, total: i64) {
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
        let seconds = |ms: Option<i64>| ms.map(|ms| ms as f64 / 1000.0);
        let mut fit: BTreeMap<String, u64> = FitVerdict::ALL.iter().map(|v| (verdict_name(*v).to_owned(), 0)).collect();
        for (verdict, n) in &self.fit {
            *fit.entry(verdict.clone()).or_default() += n;
        }
        Figures {
            store: store.to_owned(),
            sessions: Some(sessions),
            median_duration_s: seconds(self.durations.0),
            p90_duration_s: seconds(self.durations.1),
            scans_per_session: Some(self.scans as f64 / sessions as f64),
            size_requests: Some(self.requests),
            size_requests_fulfilled: Some(self.fulfilled),
            fulfilled_percent: (self.requests > 0).then(|| 100.0 * self.fulfilled as f64 / self.requests as f64),
            wait_p50_s: seconds(self.waits.0),
            wait_p90_s: seconds(self.waits.1),
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

/// Runs `sql` (with `$1` = from, `$2` = to and the scope's stores after them).
async fn rows(
    db: &Database,
    sql: &str,
    stores: Option<&[String]>,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<sqlx::any::AnyRow>, DbError> {
    let mut query = sqlx::query(sql).bind(from_ms).bind(to_ms);
    for store in stores.unwrap_or_default() {
        query = query.bind(store.clone());
    }
    Ok(query.fetch_all(db.pool()).await?)
}

const COUNTED: &str =
    "'session_ended', 'item_scanned', 'size_requested', 'size_request_fulfilled', 'suggestion_tapped',
    'fit_feedback', 'share_started', 'share_ended', 'look_captured'";

/// What percentiles are computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    Store,
    Region,
    All,
}

/// The nearest-rank p50 and p90 of `value` for session durations and request waits, per store,
/// per region or over everything, computed by the database; the group's name comes as `store`.
fn percentiles_sql(over: Over, scope: &str) -> String {
    let group = match over {
        Over::Store => "store",
        Over::Region => "COALESCE((SELECT region FROM stores WHERE stores.id = events.store), '')",
        Over::All => "'*'",
    };
    let partition = if over == Over::All { "kind".to_owned() } else { format!("{group}, kind") };
    format!(
        "SELECT grouped AS store, kind, value, rn, n FROM (
           SELECT {group} AS grouped, kind, value,
                  ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY value) AS rn,
                  COUNT(*) OVER (PARTITION BY {partition}) AS n
           FROM events WHERE kind IN ('session_ended', 'size_request_fulfilled') AND at_ms >= $1 AND at_ms < $2{scope}
         ) ranked
         WHERE rn = (50 * n + 99) / 100 OR rn = (90 * n + 99) / 100"
    )
}

/// The report for `stores` (all when `None`) over `[from_ms, to_ms)`.
pub async fn report(db: &Database, stores: Option<&[String]>, from_ms: i64, to_ms: i64) -> Result<Report, DbError> {
    let scope = scope_clause(stores);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let counts = format!(
        "SELECT store, kind, detail, COUNT(*) AS n, CAST(COALESCE(SUM(value), 0) AS BIGINT) AS total FROM events
         WHERE kind IN ({COUNTED}) AND at_ms >= $1 AND at_ms < $2{scope} GROUP BY store, kind, detail"
    );
    for row in rows(db, &counts, stores, from_ms, to_ms).await? {
        let (store, kind, detail): (String, String, String) =
            (row.try_get("store")?, row.try_get("kind")?, row.try_get("detail")?);
        let (n, total): (i64, i64) = (row.try_get("n")?, row.try_get("total")?);
        tallies.entry(store).or_default().count(&kind, &detail, n as u64, total);
        all.count(&kind, &detail, n as u64, total);
    }
    let taps = format!(
        "SELECT store, value, COUNT(*) AS n FROM events WHERE kind = 'suggestion_tapped' AND value BETWEEN 1 AND {RANKS}
           AND at_ms >= $1 AND at_ms < $2{scope} GROUP BY store, value"
    );
    for row in rows(db, &taps, stores, from_ms, to_ms).await? {
        let (store, rank, n): (String, i64, i64) = (row.try_get("store")?, row.try_get("value")?, row.try_get("n")?);
        let index = (rank as usize).saturating_sub(1).min(RANKS - 1);
        tallies.entry(store).or_default().taps_by_rank[index] += n as u64;
        all.taps_by_rank[index] += n as u64;
    }
    let known = crate::stores::all(db).await?;
    let with_regions = known.values().any(|s| !s.region.is_empty());
    let mut regions: BTreeMap<String, Tally> = BTreeMap::new();
    if with_regions {
        for (store, tally) in &tallies {
            if let Some(region) = known.get(store).map(|s| s.region.clone()).filter(|r| !r.is_empty()) {
                regions.entry(region).or_default().absorb(tally);
            }
        }
    }
    let overs: &[Over] = if with_regions { &[Over::Store, Over::Region, Over::All] } else { &[Over::Store, Over::All] };
    for &over in overs {
        for row in rows(db, &percentiles_sql(over, &scope), stores, from_ms, to_ms).await? {
            let (group, kind): (String, String) = (row.try_get("store")?, row.try_get("kind")?);
            let (value, rn, n): (i64, i64, i64) = (row.try_get("value")?, row.try_get("rn")?, row.try_get("n")?);
            let tally = match over {
                Over::Store => tallies.entry(group).or_default(),
                Over::Region => match regions.get_mut(&group) {
                    Some(tally) => tally,
                    None => continue, // no region
                },
                Over::All => &mut all,
            };
            let pair = if kind == "session_ended" { &mut tally.durations } else { &mut tally.waits };
            // One row can be both (a single value is its own p50 and p90).
            if rn == (50 * n + 99) / 100 {
                pair.0 = Some(value);
            }
            if rn == (90 * n + 99) / 100 {
                pair.1 = Some(value);
            }
        }
    }
    // Open kiosk-minutes: each store's opening hours × its kiosks.
    for (store, kiosks) in db.kiosks_per_store().await? {
        if stores.is_some_and(|allowed| !allowed.contains(&store)) {
            continue;
        }
        let always = crate::stores::Store {
            id: store.clone(),
            time_zone: String::new(),
            opening_hours: String::new(),
            region: String::new(),
        };
        let info = known.get(&store).unwrap_or(&always);
        let capacity =
            crate::stores::open_minutes(info, from_ms, to_ms.min(protocol::telemetry::now_ms() as i64)) * kiosks as u64;
        all.capacity_minutes += capacity;
        if let Some(region) = regions.get_mut(&info.region) {
            region.capacity_minutes += capacity;
        }
        if let Some(tally) = tallies.get_mut(&store) {
            tally.capacity_minutes += capacity;
        }
    }
    let hours = format!(
        "SELECT ((at_ms / 86400000) + 3) % 7 AS day, (at_ms / 3600000) % 24 AS hour, COUNT(*) AS n FROM events
         WHERE kind = 'session_started' AND at_ms >= $1 AND at_ms < $2{scope} GROUP BY 1, 2"
    );
    let mut cells = vec![vec![None; 24]; 7];
    for row in rows(db, &hours, stores, from_ms, to_ms).await? {
        let (day, hour, n): (i64, i64, i64) = (row.try_get("day")?, row.try_get("hour")?, row.try_get("n")?);
        if let Some(cell) = cells.get_mut(day as usize).and_then(|d| d.get_mut(hour as usize)) {
            *cell = (n as usize >= MIN_SESSIONS).then_some(n as u64);
        }
    }
    Ok(Report {
        from_ms,
        to_ms,
        all: all.figures("*"),
        stores: tallies.iter().map(|(store, tally)| tally.figures(store)).collect(),
        regions: regions.iter().map(|(region, tally)| tally.figures(&format!("region:{region}"))).collect(),
        weekday_hour: cells,
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
    fn a_scope_binds_its_stores_after_the_period() {
        assert_eq!(scope_clause(None), "");
        assert_eq!(scope_clause(Some(&[])), " AND 1 = 0");
        assert_eq!(scope_clause(Some(&["a".into(), "b".into()])), " AND store IN ($3, $4)");
    }
}
