//! Alerts: conditions on kiosks that someone should act on, raised once each, told by email and
//! webhook, acknowledged by a person, cleared by themselves when the condition ends.
//!
//! Rules (each held for `--alert-after-s` before it is raised, so a restart or a blip raises
//! nothing): `offline` (a kiosk lost its connection, the broker's Will, or shut down; only while
//! its store is open, by the inventory's opening hours in the store's time zone), `camera_lost`,
//! `degraded` (online but low frame rate, old frames or a growing outbox; see [`crate::fleet`]),
//! `telemetry_loss` (events that never arrived or that the outbox dropped since someone last
//! acknowledged such an alert), and `size_request_unanswered` (nobody accepted a shopper's request
//! within `--request-alert-after-s`). A kiosk in maintenance, or in a maintenance window
//! ([`crate::stores`]), raises nothing. One open alert per kiosk and rule;
//! every raise, acknowledgement and clear is in the audit log (user `console` for the automatic
//! ones). Email goes through the store's or chain's SMTP relay (`--smtp HOST:PORT`, which does TLS
//! onwards); a webhook gets the alert as JSON. A notification that fails is logged and does not
//! block the next.

use std::{collections::HashMap, sync::Arc, time::Duration};

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::Mailbox};
use protocol::telemetry::now_ms;
use serde::Serialize;

use crate::{
    db::{Database, DbError, KioskRow},
    fleet::{self, State},
    requests::Boards,
};

/// Where alerts go and when they are raised.
#[derive(Debug, Clone)]
pub struct AlertSettings {
    /// A condition must hold this long before it is raised.
    pub after: Duration,
    /// How often the conditions are checked.
    pub every: Duration,
    /// `HOST:PORT` of an SMTP relay; `None`: no email.
    pub smtp: Option<String>,
    pub mail_from: String,
    pub mail_to: Vec<String>,
    /// A URL that gets each alert as JSON (POST); `None`: none.
    pub webhook: Option<String>,
    /// A size request nobody accepted for this long raises an alert.
    pub request_after: Duration,
}

/// One alert as the pages and the webhook see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub kiosk: String,
    pub store: String,
    pub rule: String,
    pub detail: String,
    pub raised_ms: i64,
    pub acked_by: Option<String>,
    pub cleared_ms: Option<i64>,
}

/// The conditions a kiosk is in now, with what the alert will say; `loss_seen` is the missing and
/// dropped events someone already acknowledged.
fn conditions(kiosk: &KioskRow, loss_seen: i64) -> Vec<(&'static str, String)> {
    let states = fleet::states(kiosk);
    if states.contains(&State::Maintenance) {
        return Vec::new();
    }
    let mut found = Vec::new();
    if states.contains(&State::Lost) {
        found.push(("offline", "the connection was lost (the broker published its Will)".to_owned()));
    } else if states.contains(&State::Offline) && kiosk.presence == "offline" {
        found.push(("offline", "it shut down".to_owned()));
    }
    let problems = fleet::problems(kiosk);
    if states.contains(&State::Online) && problems.contains(&"camera lost") {
        found.push(("camera_lost", "the camera is unavailable".to_owned()));
    }
    let rest: Vec<&str> = problems.into_iter().filter(|p| *p != "camera lost").collect();
    if states.contains(&State::Online) && !rest.is_empty() {
        found.push(("degraded", rest.join(", ")));
    }
    if kiosk.gaps + kiosk.outbox_dropped > loss_seen {
        let detail = format!("{} events never arrived, {} dropped by its outbox", kiosk.gaps, kiosk.outbox_dropped);
        found.push(("telemetry_loss", detail));
    }
    found
}

/// Checks the fleet and the size-request boards every `settings.every` and raises and clears
/// alerts, until the process ends.
pub async fn run(settings: AlertSettings, db: Arc<Database>, boards: Arc<Boards>) {
    // When each (kiosk, rule) condition was first seen holding, in this process.
    let mut since: HashMap<(String, &'static str), i64> = HashMap::new();
    let http = reqwest::Client::new();
    loop {
        if let Err(e) = check(&settings, &db, &boards, &http, &mut since).await {
            tracing::warn!("alerts: {e}");
        }
        tokio::time::sleep(settings.every).await;
    }
}

/// A condition holding now: (kiosk, store, rule, what the alert says, when it is due).
type Holding = (String, String, &'static str, String, i64);

async fn holding(
    settings: &AlertSettings,
    db: &Database,
    boards: &Boards,
    since: &mut HashMap<(String, &'static str), i64>,
    now: i64,
) -> Result<Vec<Holding>, DbError> {
    let after = settings.after.as_millis() as i64;
    let stores = crate::stores::all(db).await?;
    let windows = crate::stores::windows(db, now).await?;
    let silenced = |store: &str, kiosk: &str| windows.iter().any(|w| w.covers(store, kiosk, now));
    let losses = db.losses_seen().await?;
    let mut found = Vec::new();
    for kiosk in db.kiosks(None).await? {
        if silenced(&kiosk.store, &kiosk.id) {
            continue;
        }
        let open = stores.get(&kiosk.store).is_none_or(|s| s.is_open(now));
        for (rule, detail) in conditions(&kiosk, losses.get(&kiosk.id).copied().unwrap_or(0)) {
            if rule == "offline" && !open {
                continue; // a closed store's kiosk may be off
            }
            // A status says when it changed: an offline kiosk counts from then, even across a
            // console restart; other conditions from when this process first saw them.
            let first = if rule == "offline" {
                kiosk.status_at_ms
            } else {
                *since.entry((kiosk.id.clone(), rule)).or_insert(now)
            };
            found.push((kiosk.id.clone(), kiosk.store.clone(), rule, detail, first + after));
        }
    }
    let request_after = settings.request_after.as_millis() as u64;
    for (store, entry) in boards.unanswered((now as u64).saturating_sub(request_after)) {
        let request = &entry.request;
        if silenced(&store, request.kiosk.as_str()) {
            continue;
        }
        let detail = format!(
            "{} asked for {}, size {}, {}, {} min ago",
            request.room,
            request.product,
            request.size,
            request.colour,
            (now - request.at_ms as i64) / 60_000
        );
        found.push((request.kiosk.as_str().to_owned(), store, "size_request_unanswered", detail, now));
    }
    since.retain(|(kiosk, rule), _| found.iter().any(|(k, _, r, _, _)| k == kiosk && r == rule));
    Ok(found)
}

async fn check(
    settings: &AlertSettings,
    db: &Database,
    boards: &Boards,
    http: &reqwest::Client,
    since: &mut HashMap<(String, &'static str), i64>,
) -> Result<(), DbError> {
    let now = now_ms() as i64;
    let open = db.open_alerts().await?;
    let holding = holding(settings, db, boards, since, now).await?;
    for (kiosk, store, rule, detail, due) in &holding {
        let raised = open.iter().any(|a| a.kiosk == *kiosk && a.rule == *rule);
        if !raised && now >= *due {
            let alert = db.raise_alert(kiosk, store, rule, detail, now).await?;
            db.audit(now, "console", "alert_raised", kiosk, &format!("{rule}: {detail}")).await?;
            tracing::warn!("alert: {kiosk} {rule}: {detail}");
            notify(settings, http, &alert, "raised").await;
        }
    }
    for alert in open.iter().filter(|a| !holding.iter().any(|(k, _, r, _, _)| *k == a.kiosk && *r == a.rule)) {
        db.clear_alert(alert.id, now).await?;
        db.audit(now, "console", "alert_cleared", &alert.kiosk, &alert.rule).await?;
        let cleared = Alert { cleared_ms: Some(now), ..alert.clone() };
        notify(settings, http, &cleared, "cleared").await;
    }
    Ok(())
}

async fn notify(settings: &AlertSettings, http: &reqwest::Client, alert: &Alert, what: &str) {
    if let Some(smtp) = &settings.smtp
        && let Err(e) = email(settings, smtp, alert, what).await
    {
        tracing::warn!("alerts: email through {smtp}: {e}");
    }
    if let Some(url) = &settings.webhook {
        let body = serde_json::json!({ "event": what, "alert": alert });
        match http.post(url).json(&body).timeout(Duration::from_secs(10)).send().await {
            Ok(response) if response.status().is_success() => {}
            Ok(response) => tracing::warn!("alerts: webhook {url} answered {}", response.status()),
            Err(e) => tracing::warn!("alerts: webhook {url}: {e}"),
        }
    }
}

async fn email(settings: &AlertSettings, smtp: &str, alert: &Alert, what: &str) -> Result<(), String> {
    let (host, port) = smtp.rsplit_once(':').ok_or("--smtp must be HOST:PORT")?;
    let port: u16 = port.parse().map_err(|_| format!("--smtp port {port:?}"))?;
    let from: Mailbox = settings.mail_from.parse().map_err(|e| format!("--mail-from: {e}"))?;
    let mut message = Message::builder()
        .from(from)
        .subject(format!("[mirror] {} {}: {} {what}", alert.store, alert.kiosk, alert.rule));
    for to in &settings.mail_to {
        message = message.to(to.parse().map_err(|e| format!("--mail-to {to}: {e}"))?);
    }
    let body = format!(
        "Kiosk {} in store {}: {} {what}.\n{}\nRaised at {} (Unix ms). Acknowledge it on the console's Alerts page.\n",
        alert.kiosk, alert.store, alert.rule, alert.detail, alert.raised_ms
    );
    let message = message.body(body).map_err(|e| e.to_string())?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).build();
    mailer.send(message).await.map(|_| ()).map_err(|e| e.to_string())
}

fn alert_of(row: &sqlx::any::AnyRow) -> Result<Alert, DbError> {
    use sqlx::Row;
    Ok(Alert {
        id: row.try_get("id")?,
        kiosk: row.try_get("kiosk")?,
        store: row.try_get("store")?,
        rule: row.try_get("rule")?,
        detail: row.try_get("detail")?,
        raised_ms: row.try_get("raised_ms")?,
        acked_by: row.try_get("acked_by")?,
        cleared_ms: row.try_get("cleared_ms")?,
    })
}

const COLUMNS: &str = "id, kiosk, store, rule, detail, raised_ms, acked_by, cleared_ms";

impl Database {
    pub async fn open_alerts(&self) -> Result<Vec<Alert>, DbError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM alerts WHERE cleared_ms IS NULL ORDER BY id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(alert_of).collect()
    }

    /// The newest `limit` alerts of `stores` (all when `None`), open ones first.
    pub async fn alerts(&self, stores: Option<&[String]>, limit: i64) -> Result<Vec<Alert>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM alerts ORDER BY CASE WHEN cleared_ms IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $1"
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        let alerts: Result<Vec<Alert>, DbError> = rows.iter().map(alert_of).collect();
        Ok(alerts?.into_iter().filter(|a| stores.is_none_or(|s| s.contains(&a.store))).collect())
    }

    pub async fn raise_alert(
        &self,
        kiosk: &str,
        store: &str,
        rule: &str,
        detail: &str,
        now: i64,
    ) -> Result<Alert, DbError> {
        let row = sqlx::query(&format!(
            "INSERT INTO alerts (kiosk, store, rule, detail, raised_ms) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
        ))
        .bind(kiosk.to_owned())
        .bind(store.to_owned())
        .bind(rule.to_owned())
        .bind(detail.to_owned())
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        alert_of(&row)
    }

    pub async fn clear_alert(&self, id: i64, now: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE alerts SET cleared_ms = $1 WHERE id = $2").bind(now).bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// Acknowledges an open alert of one of `stores`: the alert, or `None` when there is no such
    /// open, unacknowledged alert. Acknowledging a telemetry loss marks the kiosk's losses seen.
    pub async fn ack_alert(
        &self,
        id: i64,
        by: &str,
        stores: Option<&[String]>,
        now: i64,
    ) -> Result<Option<Alert>, DbError> {
        let Some(alert) = self.alerts(stores, 1_000).await?.into_iter().find(|a| a.id == id) else { return Ok(None) };
        let done = sqlx::query(
            "UPDATE alerts SET acked_by = $1, acked_ms = $2 WHERE id = $3 AND acked_by IS NULL AND cleared_ms IS NULL",
        )
        .bind(by.to_owned())
        .bind(now)
        .bind(alert.id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        if alert.rule == "telemetry_loss" {
            sqlx::query(&format!(
                "UPDATE kiosks SET loss_seen = COALESCE({}, 0) + outbox_dropped WHERE id = $1",
                crate::db::GAPS_SQL
            ))
            .bind(alert.kiosk.clone())
            .execute(self.pool())
            .await?;
        }
        Ok(Some(alert))
    }

    /// Each kiosk's acknowledged telemetry losses.
    pub async fn losses_seen(&self) -> Result<HashMap<String, i64>, DbError> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT id, loss_seen FROM kiosks").fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("loss_seen")?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fleet::test_kiosk as kiosk;

    #[test]
    fn each_condition_has_its_rule_and_maintenance_silences_them_all() {
        let fine = serde_json::json!({"camera": "live", "render_fps": 30.0});
        assert!(conditions(&kiosk("online", false, fine.clone()), 0).is_empty());
        let rules = |k: &KioskRow| conditions(k, 0).into_iter().map(|(r, _)| r).collect::<Vec<_>>();
        assert_eq!(rules(&kiosk("lost", false, fine.clone())), ["offline"]);
        assert_eq!(rules(&kiosk("offline", false, fine.clone())), ["offline"]);
        let broken = serde_json::json!({"camera": "unavailable", "render_fps": 5.0});
        assert_eq!(rules(&kiosk("online", false, broken.clone())), ["camera_lost", "degraded"]);
        assert!(rules(&kiosk("lost", true, broken)).is_empty(), "maintenance silences");
    }

    #[test]
    fn telemetry_loss_holds_until_someone_has_seen_it() {
        let lossy =
            KioskRow { gaps: 3, outbox_dropped: 2, ..kiosk("online", false, serde_json::json!({"render_fps": 30.0})) };
        let loss = conditions(&lossy, 0);
        assert_eq!(loss, [("telemetry_loss", "3 events never arrived, 2 dropped by its outbox".to_owned())]);
        assert!(conditions(&lossy, 5).is_empty(), "acknowledged at 5");
        assert_eq!(conditions(&KioskRow { gaps: 4, ..lossy }, 5).len(), 1, "one more lost since");
    }
}
