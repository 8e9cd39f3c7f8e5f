//! Analytics: what the mirrors were used for, per store and for everything a user may see, over
//! a period, from the stored usage events.
//!
//! - Sessions are the completed ones (`session_ended`); their median and p90 duration use the
//!   nearest-rank percentile (the smallest value with at least p % of values at or below it).
//! - Scans per session: `item_scanned` ÷ sessions. Size requests: asked, fulfilled, the
//!   fulfilled share, and the wait from asking to the item in the room (p50, p90).
//! - Shares, the friends watching (the sum of each share's peak), looks captured.
//! - Sessions started by weekday × hour (UTC).
//! - Privacy: a store, or a weekday × hour cell, with fewer than [`MIN_SESSIONS`] sessions shows no
//!   figures (`null`), so no one shopper's visit can be read off a quiet store or hour.

use protocol::telemetry::UsageEvent;
use serde::Serialize;

use crate::{
    calendar,
    db::{Database, DbError},
};

/// Fewer sessions than this in a cell and its figures are suppressed.
pub const MIN_SESSIONS: usize = 5;

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
    pub shares: Option<u64>,
    pub viewers: Option<u64>,
    pub looks: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from_ms: i64,
    pub to_ms: i64,
    pub all: Figures,
    pub stores: Vec<Figures>,
    /// Sessions started, `[weekday][hour]`, Monday first, UTC; `None` below [`MIN_SESSIONS`].
    pub weekday_hour: Vec<Vec<Option<u64>>>,
}

/// The nearest-rank `p`-th percentile of `values` (sorted here).
pub fn percentile(values: &mut [u64], p: f64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = ((p / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    values.get(rank.min(values.len()) - 1).copied()
}

/// What one store's events add up to.
#[derive(Debug, Default)]
struct Tally {
    durations_ms: Vec<u64>,
    scans: u64,
    requests: u64,
    waits_ms: Vec<u64>,
    shares: u64,
    viewers: u64,
    looks: u64,
}

impl Tally {
    fn add(&mut self, event: &UsageEvent) {
        match event {
            UsageEvent::SessionEnded { duration_ms, .. } => self.durations_ms.push(*duration_ms),
            UsageEvent::ItemScanned { .. } => self.scans += 1,
            UsageEvent::SizeRequested { .. } => self.requests += 1,
            UsageEvent::SizeRequestFulfilled { wait_ms, .. } => self.waits_ms.push(*wait_ms),
            UsageEvent::ShareStarted => self.shares += 1,
            UsageEvent::ShareEnded { peak_viewers, .. } => self.viewers += u64::from(*peak_viewers),
            UsageEvent::LookCaptured { .. } => self.looks += 1,
            _ => {}
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.durations_ms.extend(&other.durations_ms);
        self.waits_ms.extend(&other.waits_ms);
        self.scans += other.scans;
        self.requests += other.requests;
        self.shares += other.shares;
        self.viewers += other.viewers;
        self.looks += other.looks;
    }

    fn figures(&self, store: &str) -> Figures {
        let sessions = self.durations_ms.len();
        let shown = sessions >= MIN_SESSIONS;
        let seconds = |ms: Option<u64>| ms.map(|ms| ms as f64 / 1000.0);
        let mut durations = self.durations_ms.clone();
        let mut waits = self.waits_ms.clone();
        let fulfilled = waits.len() as u64;
        let figures = Figures {
            store: store.to_owned(),
            sessions: Some(sessions as u64),
            median_duration_s: seconds(percentile(&mut durations, 50.0)),
            p90_duration_s: seconds(percentile(&mut durations, 90.0)),
            scans_per_session: (sessions > 0).then(|| self.scans as f64 / sessions as f64),
            size_requests: Some(self.requests),
            size_requests_fulfilled: Some(fulfilled),
            fulfilled_percent: (self.requests > 0).then(|| 100.0 * fulfilled as f64 / self.requests as f64),
            wait_p50_s: seconds(percentile(&mut waits, 50.0)),
            wait_p90_s: seconds(percentile(&mut waits, 90.0)),
            shares: Some(self.shares),
            viewers: Some(self.viewers),
            looks: Some(self.looks),
        };
        if shown { figures } else { suppressed(store) }
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
        shares: None,
        viewers: None,
        looks: None,
    }
}

/// The report for `stores` (all when `None`) over `[from_ms, to_ms)`.
pub async fn report(db: &Database, stores: Option<&[String]>, from_ms: i64, to_ms: i64) -> Result<Report, DbError> {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    let mut cells = vec![vec![0u64; 24]; 7];
    for (store, at_ms, event) in db.events_between(from_ms, to_ms).await? {
        if stores.is_some_and(|allowed| !allowed.contains(&store)) {
            continue;
        }
        if matches!(event, UsageEvent::SessionStarted) {
            let (day, hour) = calendar::weekday_hour(at_ms);
            cells[day][hour] += 1;
        }
        let index = match tallies.iter().position(|(s, _)| *s == store) {
            Some(i) => i,
            None => {
                tallies.push((store.clone(), Tally::default()));
                tallies.len() - 1
            }
        };
        tallies[index].1.add(&event);
    }
    tallies.sort_by(|a, b| a.0.cmp(&b.0));
    let mut all = Tally::default();
    for (_, tally) in &tallies {
        all.merge(tally);
    }
    Ok(Report {
        from_ms,
        to_ms,
        all: all.figures("*"),
        stores: tallies.iter().map(|(store, tally)| tally.figures(store)).collect(),
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
        "store,sessions,median_duration_s,p90_duration_s,scans_per_session,size_requests,size_requests_fulfilled,fulfilled_percent,wait_p50_s,wait_p90_s,shares,viewers,looks\n",
    );
    for f in report.stores.iter().chain([&report.all]) {
        // Store ids are identifiers (no commas or quotes); "*" is everything in scope.
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            f.store,
            cell(f.sessions),
            cell(f.median_duration_s),
            cell(f.p90_duration_s),
            cell(f.scans_per_session.map(|v| format!("{v:.2}"))),
            cell(f.size_requests),
            cell(f.size_requests_fulfilled),
            cell(f.fulfilled_percent.map(|v| format!("{v:.1}"))),
            cell(f.wait_p50_s),
            cell(f.wait_p90_s),
            cell(f.shares),
            cell(f.viewers),
            cell(f.looks),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut values = vec![15, 20, 35, 40, 50];
        assert_eq!(percentile(&mut values, 30.0), Some(20));
        assert_eq!(percentile(&mut values, 50.0), Some(35));
        assert_eq!(percentile(&mut values, 90.0), Some(50));
        assert_eq!(percentile(&mut values, 100.0), Some(50));
        assert_eq!(percentile(&mut [], 50.0), None);
        assert_eq!(percentile(&mut [7], 90.0), Some(7));
    }
}
