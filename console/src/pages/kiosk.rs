//! One kiosk's page: its state and why, its timeline and health over the last day (inline SVG
//! charts, no script library), the latest screenshot (taken with the mirror blanked), the
//! configuration asked for beside what the kiosk made of it, its command history, and the form
//! that sends it a command.

use i18n::pages::escape_html as esc;
use protocol::telemetry::now_ms;

use super::{ago, live_script, operations, page};
use crate::{
    auth::Viewer,
    commands::{self, CommandRow, Target},
    db::KioskRow,
    history::{self, Sample},
};

/// Everything the page shows of one kiosk.
#[derive(Debug)]
pub struct KioskView {
    pub kiosk: KioskRow,
    pub timeline: Vec<(i64, String)>,
    pub samples: Vec<Sample>,
    pub commands: Vec<(CommandRow, Target)>,
    /// When the latest screenshot was taken, if there is one.
    pub screenshot_ms: Option<i64>,
}

/// A line chart of `values` (x: time) as inline SVG, with its latest value and range.
fn chart(title: &str, unit: &str, points: &[(i64, f64)]) -> String {
    let Some(((first, _), (last, latest))) = points.first().zip(points.last()) else {
        return format!(r#"<div class="panel"><h3>{title}</h3><p>No samples yet.</p></div>"#);
    };
    let (low, high) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| (lo.min(*v), hi.max(*v)));
    let span_x = (last - first).max(1) as f64;
    let span_y = (high - low).max(1e-9);
    let line: Vec<String> = points
        .iter()
        .map(|(at, v)| format!("{:.1},{:.1}", (at - first) as f64 / span_x * 300.0, 58.0 - (v - low) / span_y * 56.0))
        .collect();
    format!(
        r#"<div class="panel"><h3>{title}</h3><svg class="chart" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="{title}: now {latest:.1}{unit}, {low:.1}–{high:.1}{unit}"><polyline points="{line}"/>{dot}</svg><p>now {latest:.1}{unit} · range {low:.1}–{high:.1}{unit} · {n} sample(s), one a minute</p></div>"#,
        line = line.join(" "),
        n = points.len(),
        // One sample draws no line: a mark where it is.
        dot = if points.len() == 1 { r##"<rect x="0" y="27" width="300" height="2" fill="#3b6fd4"/>"## } else { "" },
    )
}

fn config_panel(title: &str, document: Option<&serde_json::Value>) -> String {
    let text = document.map_or_else(|| "none".to_owned(), |d| serde_json::to_string_pretty(d).unwrap_or_default());
    format!(r#"<div class="panel"><h3>{title}</h3><pre>{}</pre></div>"#, esc(&text))
}

/// Whether the kiosk runs what it was asked to (the reported revision is the desired one).
fn config_agreement(kiosk: &KioskRow) -> &'static str {
    let revision = |doc: Option<&serde_json::Value>| doc.and_then(|d| d.get("revision")).cloned();
    match (revision(kiosk.desired.as_ref()), kiosk.reported.as_ref()) {
        (None, _) => "No desired configuration: the kiosk runs its own file.",
        (Some(_), None) => "The kiosk has not reported on the desired configuration yet.",
        (Some(wanted), Some(report)) if report.get("revision") == Some(&wanted) => {
            if report.get("applied") == Some(&serde_json::Value::Bool(true)) {
                "The kiosk runs the desired configuration."
            } else {
                "The kiosk refused the desired configuration and keeps its last good one."
            }
        }
        _ => "The kiosk's report is about an older revision.",
    }
}

/// The page's changing part.
pub fn kiosk_live(view: &KioskView) -> String {
    let now = now_ms() as i64;
    let k = &view.kiosk;
    let timeline: String = view
        .timeline
        .iter()
        .rev()
        .take(50)
        .map(|(at, state)| format!("<li>{} — {}</li>", ago(*at, now), esc(state)))
        .collect();
    let series = |f: fn(&Sample) -> Option<f64>| -> Vec<(i64, f64)> {
        view.samples.iter().filter_map(|s| f(s).map(|v| (s.at_ms, v))).collect()
    };
    let charts = [
        chart("Frames drawn per second", "", &series(|s| Some(s.render_fps))),
        chart("Camera frames per second", "", &series(|s| Some(s.camera_fps))),
        chart("Frame age", " ms", &series(|s| s.frame_age_ms)),
        chart("CPU", " %", &series(|s| Some(s.cpu_percent))),
        chart("Events waiting to be sent", "", &series(|s| Some(s.outbox_depth))),
    ]
    .concat();
    let commands: String = view
        .commands
        .iter()
        .map(|(c, t)| {
            format!(
                r#"<tr><td><a href="/commands/{id}">{action}</a></td><td>{user}</td><td>{when}</td><td class="state {status}">{status_text}</td><td>{reason}</td></tr>"#,
                id = esc(&c.id),
                action = esc(&commands::describe(&c.action)),
                user = esc(&c.user),
                when = ago(c.created_ms, now),
                status = esc(&t.status),
                status_text = esc(&t.status.replace('_', " ")),
                reason = esc(t.reason.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let commands = if commands.is_empty() { r#"<tr><td colspan="5">None yet.</td></tr>"#.to_owned() } else { commands };
    let screenshot = match view.screenshot_ms {
        Some(at) => format!(
            r#"<img src="/kiosks/{id}/screenshot.png?at={at}" alt="The kiosk's screen {when}, mirror blanked" style="max-width:100%;max-height:24rem"><p>{when}</p>"#,
            id = esc(&k.id),
            when = ago(at, now),
        ),
        None => "<p>None yet: send it “Screenshot”.</p>".to_owned(),
    };
    format!(
        r#"<p class="state {presence}" id="kiosk-state">{state}</p><p>Store {store} · version {version} · last heard {heard} · {events} events stored, {gaps} missing, {dropped} dropped by its outbox</p>
<div class="grid">{charts}</div>
<div class="grid"><div class="panel"><h3>Timeline (7 days)</h3><ul id="timeline">{timeline}</ul></div><div class="panel"><h3>Screen</h3>{screenshot}</div></div>
<h3>Configuration</h3><p id="config-agreement">{agreement}</p><div class="grid">{desired}{reported}</div>
<h3>Commands</h3><table id="history"><thead><tr><th>Action</th><th>By</th><th>When</th><th>Answer</th><th>Reason</th></tr></thead><tbody>{commands}</tbody></table>"#,
        presence = esc(&k.presence),
        state = esc(&history::state_line(k)),
        store = esc(&k.store),
        version = esc(&k.version),
        heard = ago(k.status_at_ms.max(k.health_at_ms), now),
        events = k.events,
        gaps = k.gaps,
        dropped = k.outbox_dropped,
        agreement = config_agreement(k),
        desired = config_panel("Desired (sent to it)", k.desired.as_ref()),
        reported = config_panel("Reported (what it made of it)", k.reported.as_ref()),
    )
}

pub fn kiosk(viewer: &Viewer, view: &KioskView) -> String {
    let id = &view.kiosk.id;
    let act = if viewer.may_command() { operations::act_form_one(id) } else { String::new() };
    let body = format!(
        r#"<h2>Kiosk {title}</h2>{act}<div id="live">{live}</div>{script}"#,
        title = esc(id),
        live = kiosk_live(view),
        script = live_script("kiosk", id, &format!("/fragments/kiosks/{id}")),
    );
    page(&format!("Kiosk {id}"), Some(viewer), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::test_kiosk;

    #[test]
    fn the_page_says_whether_the_kiosk_runs_what_it_was_asked_to() {
        let mut kiosk = test_kiosk("online", false, serde_json::json!({}));
        assert!(config_agreement(&kiosk).starts_with("No desired"));
        kiosk.desired = Some(serde_json::json!({"v": 1, "revision": "r2", "set": {}}));
        assert!(config_agreement(&kiosk).contains("not reported"));
        kiosk.reported = Some(serde_json::json!({"revision": "r1", "applied": true}));
        assert!(config_agreement(&kiosk).contains("older revision"));
        kiosk.reported = Some(serde_json::json!({"revision": "r2", "applied": false}));
        assert!(config_agreement(&kiosk).contains("refused"));
        kiosk.reported = Some(serde_json::json!({"revision": "r2", "applied": true}));
        assert!(config_agreement(&kiosk).contains("runs the desired"));
    }

    #[test]
    fn a_chart_spans_its_samples_and_says_the_latest_value() {
        let svg = chart("FPS", "", &[(0, 30.0), (60_000, 10.0), (120_000, 20.0)]);
        assert!(svg.contains(r#"points="0.0,2.0 150.0,58.0 300.0,30.0""#), "{svg}");
        assert!(svg.contains("now 20.0 · range 10.0–30.0 · 3 sample(s)"), "{svg}");
        assert!(chart("FPS", "", &[]).contains("No samples yet"));
    }
}
