//! The pages that act on kiosks: a command to the kiosks a fleet filter shows (chosen, checked
//! on a confirmation page that lists every target, then followed live as the acks arrive), and
//! staged configuration rollouts (planned, followed stage by stage, stopped, rolled back).

use i18n::pages::escape_html as esc;
use protocol::{command::Action, lighting::Scene, telemetry::now_ms};

use super::{ago, live_script, page};
use crate::{
    auth::Viewer,
    commands::{self, CommandRow, Target},
    db::KioskRow,
    rollouts::{self, Rollout, RolloutTarget},
};

/// The actions the console offers, as (form value, label, action).
pub fn actions() -> Vec<(&'static str, &'static str, Action)> {
    vec![
        ("maintenance_on", "Maintenance on (out of service)", Action::Maintenance { on: true }),
        ("maintenance_off", "Maintenance off", Action::Maintenance { on: false }),
        ("end_session", "End the shopper's session", Action::EndSession {}),
        ("identify", "Identify (flash the screen 10 s)", Action::Identify { seconds: 10 }),
        ("lights_store", "Lights: store", Action::SetLighting { scene: Scene::Store }),
        ("lights_daylight", "Lights: daylight", Action::SetLighting { scene: Scene::Daylight }),
        ("reload_config", "Reload configuration", Action::ReloadConfig {}),
        ("refresh_catalog", "Refresh the catalog", Action::RefreshCatalog {}),
        ("screenshot", "Screenshot (mirror blanked)", Action::Screenshot {}),
        ("restart", "Restart the app", Action::Restart {}),
    ]
}

fn action_options() -> String {
    actions().iter().map(|(value, label, _)| format!(r#"<option value="{value}">{label}</option>"#)).collect()
}

/// The fleet page's form: an action for the `matching` kiosks the filter shows.
pub fn act_form(state_field: &str, store: Option<&str>, matching: usize) -> String {
    let store_field =
        store.map_or_else(String::new, |s| format!(r#"<input type="hidden" name="store" value="{}">"#, esc(s)));
    format!(
        r#"<form class="act" method="post" action="/commands/new">{state_field}{store_field}<label for="action">For the {matching} kiosk(s) shown:</label>
<select id="action" name="action">{options}</select><button type="submit">Review…</button></form>"#,
        options = action_options(),
    )
}

/// One kiosk's page: an action for it alone.
pub fn act_form_one(kiosk: &str) -> String {
    format!(
        r#"<form class="act" method="post" action="/commands/new"><input type="hidden" name="kiosk" value="{kiosk}"><label for="action">Send</label>
<select id="action" name="action">{options}</select><button type="submit">Review…</button></form>"#,
        kiosk = esc(kiosk),
        options = action_options(),
    )
}

/// The confirmation: what goes to whom, and the button that sends it.
/// `action` is (form value, label).
pub fn confirm(
    viewer: &Viewer,
    action: (&str, &str),
    selection: &Selection<'_>,
    kiosks: &[KioskRow],
    rate_per_s: u32,
) -> String {
    let (action, label) = action;
    let rows: String = kiosks
        .iter()
        .map(|k| format!(r#"<tr><td>{}</td><td>{}</td><td>{}</td></tr>"#, esc(&k.id), esc(&k.store), esc(&k.presence)))
        .collect();
    let body = format!(
        r#"<h2>{label}</h2><p>To {n} kiosk(s): {what}. The console sends at most {rate_per_s} commands a second; the next page shows every kiosk's answer as it arrives.</p>
<form class="act" method="post" action="/commands">{hidden}<input type="hidden" name="action" value="{action}">
<button type="submit" id="send">Send to {n} kiosk(s)</button> <a href="/">Cancel</a></form>
<table><thead><tr><th>Kiosk</th><th>Store</th><th>State</th></tr></thead><tbody>{rows}</tbody></table>"#,
        label = esc(label),
        n = kiosks.len(),
        what = esc(&selection.describe()),
        hidden = selection.hidden_fields(),
        action = esc(action),
    );
    page("Send a command", Some(viewer), &body)
}

/// Which kiosks a form chose: one kiosk, or a store and a state of the fleet page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub kiosk: Option<&'a str>,
    pub store: Option<&'a str>,
    pub state: Option<&'a str>,
}

impl Selection<'_> {
    /// As the audit log and the pages say it.
    pub fn describe(&self) -> String {
        if let Some(kiosk) = self.kiosk {
            return format!("kiosk {kiosk}");
        }
        let store = self.store.map_or_else(|| "every store in scope".to_owned(), |s| format!("store {s}"));
        match self.state {
            Some(state) => format!("{store}, {state}"),
            None => format!("{store}, all states"),
        }
    }

    pub fn hidden_fields(&self) -> String {
        [("kiosk", self.kiosk), ("store", self.store), ("state", self.state)]
            .into_iter()
            .filter_map(|(name, value)| {
                value.map(|v| format!(r#"<input type="hidden" name="{name}" value="{}">"#, esc(v)))
            })
            .collect()
    }
}

fn progress_text(p: &commands::Progress) -> String {
    let mut parts = vec![format!("{} of {} answered", p.done + p.failed + p.rejected, p.total)];
    for (n, name) in [
        (p.done, "done"),
        (p.failed, "failed"),
        (p.rejected, "rejected"),
        (p.sent, "waiting for an answer"),
        (p.pending, "not sent yet"),
        (p.no_answer, "no answer"),
        (p.expired, "expired unsent"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {name}"));
        }
    }
    parts.join(" · ")
}

/// A command's changing part: progress and every target.
pub fn command_live(command: &CommandRow, targets: &[Target]) -> String {
    let now = now_ms() as i64;
    let rows: String = targets
        .iter()
        .map(|t| {
            format!(
                r#"<tr data-target="{kiosk}"><td><a href="/kiosks/{kiosk}">{kiosk}</a></td><td>{store}</td><td class="state {status}">{status_text}</td><td>{reason}</td><td>{when}</td></tr>"#,
                kiosk = esc(&t.kiosk),
                store = esc(&t.store),
                status = esc(&t.status),
                status_text = esc(&t.status.replace('_', " ")),
                reason = esc(t.reason.as_deref().unwrap_or("")),
                when = t.acked_ms.or(t.sent_ms).map_or_else(|| "–".to_owned(), |at| ago(at, now)),
            )
        })
        .collect();
    let p = &command.progress;
    format!(
        r#"<p><progress max="{total}" value="{finished}"></progress> <span id="progress" data-total="{total}" data-done="{done}" data-finished="{finished}">{text}</span></p>
<table id="targets"><thead><tr><th>Kiosk</th><th>Store</th><th>Answer</th><th>Reason</th><th>When</th></tr></thead><tbody>{rows}</tbody></table>"#,
        total = p.total,
        finished = p.finished(),
        done = p.done,
        text = esc(&progress_text(p)),
    )
}

pub fn command(viewer: &Viewer, command: &CommandRow, targets: &[Target]) -> String {
    let now = now_ms() as i64;
    let body = format!(
        r#"<h2>{action}</h2><p>{selection} · sent by {user} {when} · expires {expires}</p><div id="live">{live}</div>{script}"#,
        action = esc(&commands::describe(&command.action)),
        selection = esc(&command.selection),
        user = esc(&command.user),
        when = ago(command.created_ms, now),
        expires = if command.expires_at_ms > now {
            format!("in {} min", (command.expires_at_ms - now) / 60_000 + 1)
        } else {
            "passed".into()
        },
        live = command_live(command, targets),
        script = live_script("command", &command.id, &format!("/fragments/commands/{}", command.id)),
    );
    page("Command", Some(viewer), &body)
}

pub fn commands(viewer: &Viewer, commands: &[CommandRow]) -> String {
    let now = now_ms() as i64;
    let mut rows: String = commands
        .iter()
        .map(|c| {
            format!(
                r#"<tr><td><a href="/commands/{id}">{action}</a></td><td>{selection}</td><td>{user}</td><td>{when}</td><td>{progress}</td></tr>"#,
                id = esc(&c.id),
                action = esc(&commands::describe(&c.action)),
                selection = esc(&c.selection),
                user = esc(&c.user),
                when = ago(c.created_ms, now),
                progress = esc(&progress_text(&c.progress)),
            )
        })
        .collect();
    if rows.is_empty() {
        rows = r#"<tr><td colspan="5">No commands yet. Choose kiosks on the Fleet page and an action below its table.</td></tr>"#.into();
    }
    let body = format!(
        r#"<h2>Commands</h2><table id="commands"><thead><tr><th>Action</th><th>To</th><th>By</th><th>When</th><th>Answers</th></tr></thead><tbody>{rows}</tbody></table>"#
    );
    page("Commands", Some(viewer), &body)
}

/// The form that plans a rollout, with the stores the user may choose.
pub fn rollout_form(stores: &[String], error: Option<&str>) -> String {
    let error = error.map_or_else(String::new, |e| format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)));
    let options: String = stores.iter().map(|s| format!(r#"<option value="{s}">{s}</option>"#, s = esc(s))).collect();
    format!(
        r#"<form class="plain panel" method="post" action="/rollouts"><h3>New rollout</h3>{error}
<label for="settings">Settings, one KEY=VALUE per line (VALUE is JSON; bare words are text)</label>
<textarea id="settings" name="settings" rows="4" placeholder="session.inactivity_timeout_s=120"></textarea>
<label for="store">Kiosks</label><select id="store" name="store"><option value="">Every store in scope</option>{options}</select>
<label for="canaries">Canaries (kiosks first, one per store in turn)</label><input id="canaries" name="canaries" type="number" min="1" value="1">
<label for="wave_percent">Then waves of this share of the rest (%)</label><input id="wave_percent" name="wave_percent" type="number" min="1" max="100" value="25">
<label for="soak_s">Watch each stage's health for (s)</label><input id="soak_s" name="soak_s" type="number" min="0" value="120">
<label for="report_timeout_s">A kiosk must report within (s)</label><input id="report_timeout_s" name="report_timeout_s" type="number" min="1" value="120">
<label for="max_failures">Stop after more than this many failures</label><input id="max_failures" name="max_failures" type="number" min="0" value="0">
<p><button type="submit" id="start">Start the rollout</button></p></form>"#
    )
}

fn target_rows(targets: &[RolloutTarget]) -> String {
    targets
        .iter()
        .map(|t| {
            format!(
                r#"<tr data-target="{kiosk}"><td>{stage}</td><td><a href="/kiosks/{kiosk}">{kiosk}</a></td><td>{store}</td><td class="state {state}">{state_text}</td><td>{reason}</td></tr>"#,
                stage = if t.stage == 0 { "canary".to_owned() } else { format!("wave {}", t.stage) },
                kiosk = esc(&t.kiosk),
                store = esc(&t.store),
                state = esc(&t.state),
                state_text = esc(&t.state.replace('_', " ")),
                reason = esc(t.reason.as_deref().unwrap_or("")),
            )
        })
        .collect()
}

fn stage_name(stage: i64) -> String {
    if stage == 0 { "the canaries".into() } else { format!("wave {stage}") }
}

/// A rollout's changing part: its state, the buttons that steer it, every target.
pub fn rollout_live(viewer: &Viewer, rollout: &Rollout, targets: &[RolloutTarget]) -> String {
    let tally: Vec<String> =
        rollouts::tally(targets).iter().map(|(state, n)| format!("{n} {}", state.replace('_', " "))).collect();
    let state = match rollout.state.as_str() {
        "running" => format!("running: {}", stage_name(rollout.stage)),
        other => other.replace('_', " "),
    };
    let buttons = if !viewer.may_roll_out() {
        String::new()
    } else {
        match rollout.state.as_str() {
            "running" => format!(
                r#"<form class="act" method="post" action="/rollouts/{}/stop"><button class="danger" id="stop">Stop</button></form>"#,
                esc(&rollout.id)
            ),
            "stopped" | "completed" => format!(
                r#"<form class="act" method="post" action="/rollouts/{}/rollback"><button class="danger" id="rollback">Roll back every kiosk it reached</button></form>"#,
                esc(&rollout.id)
            ),
            _ => String::new(),
        }
    };
    format!(
        r#"<p class="state {class}" id="rollout-state" data-state="{raw}">{state}</p>{reason}<p id="tally">{tally}</p>{buttons}
<table id="targets"><thead><tr><th>Stage</th><th>Kiosk</th><th>Store</th><th>State</th><th>Reason</th></tr></thead><tbody>{rows}</tbody></table>"#,
        class = esc(&rollout.state),
        raw = esc(&rollout.state),
        state = esc(&state),
        reason = rollout.reason.as_deref().map_or_else(String::new, |r| format!(r#"<p id="reason">{}</p>"#, esc(r))),
        tally = esc(&tally.join(" · ")),
        rows = target_rows(targets),
    )
}

pub fn rollout(viewer: &Viewer, rollout: &Rollout, targets: &[RolloutTarget]) -> String {
    let now = now_ms() as i64;
    let body = format!(
        r#"<h2>Rollout {id}</h2><p>{selection} · started by {user} {when} · {canaries} canary kiosk(s), then waves of {wave} % · each stage watched {soak} s · stops after more than {failures} failure(s)</p>
<pre>{settings}</pre><div id="live">{live}</div>{script}"#,
        id = esc(&rollout.id),
        selection = esc(&rollout.selection),
        user = esc(&rollout.user),
        when = ago(rollout.created_ms, now),
        canaries = rollout.canaries,
        wave = rollout.wave_percent,
        soak = rollout.soak_ms / 1000,
        failures = rollout.max_failures,
        settings = esc(&serde_json::to_string_pretty(&rollout.settings).unwrap_or_default()),
        live = rollout_live(viewer, rollout, targets),
        script = live_script("rollout", &rollout.id, &format!("/fragments/rollouts/{}", rollout.id)),
    );
    page("Rollout", Some(viewer), &body)
}

pub fn rollouts(viewer: &Viewer, rollouts: &[Rollout], stores: &[String], error: Option<&str>) -> String {
    let now = now_ms() as i64;
    let mut rows: String = rollouts
        .iter()
        .map(|r| {
            format!(
                r#"<tr><td><a href="/rollouts/{id}">{id}</a></td><td>{settings}</td><td>{selection}</td><td class="state {state}">{state_text}</td><td>{user}</td><td>{when}</td></tr>"#,
                id = esc(&r.id),
                settings = esc(&r.settings.to_string()),
                selection = esc(&r.selection),
                state = esc(&r.state),
                state_text = esc(&r.state.replace('_', " ")),
                user = esc(&r.user),
                when = ago(r.created_ms, now),
            )
        })
        .collect();
    if rows.is_empty() {
        rows = r#"<tr><td colspan="6">No rollouts yet.</td></tr>"#.into();
    }
    let form = if viewer.may_roll_out() { rollout_form(stores, error) } else { String::new() };
    let body = format!(
        r#"<h2>Configuration rollouts</h2><div class="grid"><div><table id="rollouts"><thead><tr><th>Rollout</th><th>Settings</th><th>Kiosks</th><th>State</th><th>By</th><th>When</th></tr></thead><tbody>{rows}</tbody></table></div>{form}</div>"#
    );
    page("Rollouts", Some(viewer), &body)
}
