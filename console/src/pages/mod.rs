//! The console's pages, rendered on the server: plain HTML that works on a phone, every value
//! escaped (`i18n::pages::escape_html`), no script but a few lines per page that follow the live
//! updates (server-sent events, [`live_script`]) and swap in the page's changing part.
//! Commands and rollouts are [`operations`], a kiosk's own page [`kiosk`].

pub mod kiosk;
pub mod operations;
pub mod requests;
mod words;

use i18n::pages::escape_html as esc;

use protocol::telemetry::now_ms;
pub use words::{Words, check as check_texts};

use crate::{
    alerts::Alert,
    analytics::{Figures, MIN_SESSIONS, Report},
    auth::Viewer,
    calendar,
    db::KioskRow,
    fleet::{self, State},
    stores::Window,
};

const STYLE: &str = r#"
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; background: #f4f2ee; color: #1b1b1d; }
@media (prefers-color-scheme: dark) { body { background: #161618; color: #eee; } .card, table, .act, .panel, .counts a { background: #222226 !important; } }
header { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; padding: .8rem 1rem; background: #1f2a44; color: #fff; }
header h1 { font-size: 1.15rem; margin: 0; } header .who { margin-inline-start: auto; font-size: .9rem; }
header nav a { color: #cfe0ff; } header form { margin: 0; } header button { font: inherit; padding: .3rem .7rem; border-radius: .4rem; border: 0; }
main { padding: 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: .6rem; margin-bottom: 1rem; }
.counts a { text-decoration: none; color: inherit; background: #fff; border-radius: .6rem; padding: .5rem .8rem; min-width: 6rem;
  box-shadow: 0 1px 2px rgba(0,0,0,.15); }
.counts a.on { outline: 3px solid #3b6fd4; }
.counts b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; border-radius: .6rem; overflow: hidden; font-size: .92rem; }
th, td { text-align: start; padding: .45rem .6rem; border-bottom: 1px solid rgba(0,0,0,.08); }
.state { font-weight: 700; } .online { color: #1d7a43; } .lost { color: #b00020; } .offline { color: #666; }
.problem { color: #a35a00; }
.card { background: #fff; max-width: 24rem; margin: 3rem auto; padding: 1.5rem; border-radius: .8rem; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.card label { display: block; margin: .8rem 0 .2rem; } .card input { width: 100%; font-size: 1rem; padding: .55rem; box-sizing: border-box; }
.card button { margin-top: 1rem; width: 100%; font-size: 1rem; padding: .7rem; border: 0; border-radius: .5rem; background: #3b6fd4; color: #fff; }
.error { color: #b00020; }
.act { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; padding: .7rem; background: #fff; border-radius: .6rem; }
.act select, .act button, .act input, form.plain button, form.plain select, form.plain input, form.plain textarea { font: inherit; padding: .4rem .6rem; }
.act button, form.plain button { border: 0; border-radius: .4rem; background: #3b6fd4; color: #fff; }
button.danger { background: #b00020 !important; }
form.plain label { display: block; margin: .6rem 0 .2rem; } form.plain textarea { width: 100%; max-width: 40rem; box-sizing: border-box; }
.done, .applied, .completed { color: #1d7a43; } .failed, .rejected, .no_answer, .no_report, .regressed, .stopped { color: #b00020; }
.pending, .waiting, .sent, .expired, .rolled_back { color: #666; }
pre { white-space: pre-wrap; word-break: break-all; background: rgba(0,0,0,.05); padding: .5rem; border-radius: .4rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.panel { background: #fff; border-radius: .6rem; padding: .8rem 1rem; } .panel h3 { margin-top: 0; }
svg.chart { width: 100%; height: 4rem; } svg.chart polyline { fill: none; stroke: #3b6fd4; stroke-width: 2; }
@media (max-width: 700px) { .wide { display: none; } table { display: block; overflow-x: auto; } }
"#;

/// A page in English (the pages for managers and chain IT).
pub(crate) fn page(title: &str, viewer: Option<&Viewer>, body: &str) -> String {
    page_in(Words::ENGLISH, &esc(title), viewer, body)
}

/// A page whose header is in `words`' language; `title` and `body` come as HTML written in it.
pub(crate) fn page_in(words: Words, title: &str, viewer: Option<&Viewer>, body: &str) -> String {
    let who = viewer.map_or_else(String::new, |v| {
        format!(
            r#"<span class="who">{} · {} · {}</span><form method="post" action="/signout"><button>{}</button></form>"#,
            esc(&v.name),
            words.role(v.role),
            esc(&v.scope_text()),
            words.t("console-sign-out"),
        )
    });
    let nav: Vec<String> = [
        ("/", "console-nav-fleet"),
        ("/alerts", "console-nav-alerts"),
        ("/requests", "console-nav-requests"),
        ("/commands", "console-nav-commands"),
        ("/rollouts", "console-nav-rollouts"),
        ("/analytics", "console-nav-analytics"),
    ]
    .into_iter()
    .map(|(href, id)| format!(r#"<a href="{href}">{}</a>"#, words.t(id)))
    .collect();
    format!(
        r#"<!doctype html><html {html}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {name}</title><style>{STYLE}</style></head>
<body><header><h1>{name}</h1><nav>{nav}</nav>{who}</header><main>{body}</main></body></html>"#,
        html = words.html_attributes(),
        name = words.t("console-name"),
        nav = nav.join(" · "),
    )
}

/// The sign-in form; `refused` after a wrong name or password.
pub fn sign_in(words: Words, refused: bool) -> String {
    let error = if refused {
        format!(r#"<p class="error" role="alert">{}</p>"#, words.t("console-refused"))
    } else {
        String::new()
    };
    let body = format!(
        r#"<form class="card" method="post" action="/signin"><h2>{sign_in}</h2>{error}
<label for="name">{user}</label><input id="name" name="name" autocomplete="username" required>
<label for="password">{password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{sign_in}</button></form>"#,
        sign_in = words.t("console-sign-in"),
        user = words.t("console-user-name"),
        password = words.t("console-password"),
    );
    page_in(words, &words.t("console-sign-in"), None, &body)
}

pub(crate) fn ago(at_ms: i64, now_ms: i64) -> String {
    if at_ms <= 0 {
        return "never".into();
    }
    let s = (now_ms - at_ms).max(0) / 1000;
    match s {
        0..60 => format!("{s} s ago"),
        60..3600 => format!("{} min ago", s / 60),
        _ => format!("{} h ago", s / 3600),
    }
}

/// The kiosks table.
fn fleet_table(kiosks: &[KioskRow], filter: Option<State>) -> String {
    let now = now_ms() as i64;
    let mut rows = String::new();
    for kiosk in kiosks.iter().filter(|k| filter.is_none_or(|f| fleet::states(k).contains(&f))) {
        let health = kiosk.health.as_ref();
        let field = |key: &str| health.and_then(|h| h.get(key)).map(|v| v.to_string().trim_matches('"').to_owned());
        let problems = fleet::problems(kiosk).join(", ");
        let maintenance = if kiosk.maintenance { " · maintenance" } else { "" };
        rows.push_str(&format!(
            r#"<tr data-kiosk="{id}"><td><a href="/kiosks/{id}">{id}</a></td><td>{store}</td><td class="state {presence}">{presence}{maintenance}</td><td class="problem">{problems}</td>
<td class="wide">{camera}</td><td class="wide">{fps}</td><td class="wide">{version}</td><td class="wide">{events}</td><td class="wide">{gaps}</td><td class="wide">{dropped}</td><td>{heard}</td></tr>"#,
            id = esc(&kiosk.id),
            store = esc(&kiosk.store),
            presence = esc(&kiosk.presence),
            problems = esc(&problems),
            camera = esc(&field("camera").unwrap_or_default()),
            fps = health.and_then(|h| h.get("render_fps")?.as_f64()).map_or_else(String::new, |fps| format!("{fps:.1}")),
            version = esc(&kiosk.version),
            events = kiosk.events,
            gaps = kiosk.gaps,
            dropped = kiosk.outbox_dropped,
            heard = ago(kiosk.status_at_ms.max(kiosk.health_at_ms), now),
        ));
    }
    if rows.is_empty() {
        rows = r#"<tr><td colspan="11">No kiosks here.</td></tr>"#.into();
    }
    format!(
        r#"<table><thead><tr><th>Kiosk</th><th>Store</th><th>State</th><th>Problems</th><th class="wide">Camera</th><th class="wide">FPS</th><th class="wide">Version</th><th class="wide">Events</th><th class="wide">Missing</th><th class="wide">Dropped</th><th>Last heard</th></tr></thead><tbody id="kiosks">{rows}</tbody></table>"#
    )
}

/// The query string of a fleet filter (`?state=…&store=…`, empty for none).
pub(crate) fn fleet_query(state: Option<State>, store: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(state) = state {
        parts.push(format!("state={}", state.name()));
    }
    if let Some(store) = store {
        parts.push(format!("store={}", esc(store)));
    }
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&amp;")) }
}

/// The counts and the table: the fleet page's live part. `kiosks` are those of the chosen store
/// (or all in scope); `filter` picks the table's rows.
pub fn fleet_live(kiosks: &[KioskRow], filter: Option<State>, store: Option<&str>) -> String {
    let count = |state: State| kiosks.iter().filter(|k| fleet::states(k).contains(&state)).count();
    let mut counts = format!(
        r#"<a href="/{}" class="{}" data-count="all"><b>{}</b>all</a>"#,
        fleet_query(None, store),
        if filter.is_none() { "on" } else { "" },
        kiosks.len()
    );
    for state in State::ALL {
        counts.push_str(&format!(
            r#"<a href="/{query}" class="{on}" data-count="{name}"><b>{n}</b>{name}</a>"#,
            query = fleet_query(Some(state), store),
            name = state.name(),
            on = if filter == Some(state) { "on" } else { "" },
            n = count(state),
        ));
    }
    format!(r#"<nav class="counts">{counts}</nav>{}"#, fleet_table(kiosks, filter))
}

/// A page's few lines of script: on each server-sent event of `kind` (whose data is `id`, or
/// any when `id` is empty) it fetches `fragment` and puts it into the element `#live`.
pub(crate) fn live_script(kind: &str, id: &str, fragment: &str) -> String {
    format!(
        r#"<script>
// Live: the server names what changed; the page fetches its changing part again. Once the
// stream is open (and after every reconnect) it fetches once, for what changed in between.
const live = new EventSource("/live");
const refresh = () => fetch("{fragment}", {{ cache: "no-store" }}).then((r) => r.ok ? r.text() : null)
  .then((html) => {{ if (html) document.getElementById("live").innerHTML = html; }});
live.addEventListener("open", refresh);
live.addEventListener("{kind}", (e) => {{ if ("{id}" === "" || e.data === "{id}") refresh(); }});
// A browser holds six connections per host over HTTP/1.1: give this one back when leaving.
addEventListener("pagehide", () => live.close());
</script>"#,
        id = esc(id),
    )
}

pub fn fleet(
    viewer: &Viewer,
    kiosks: &[KioskRow],
    filter: Option<State>,
    store: Option<&str>,
    stores: &[String],
) -> String {
    let query = fleet_query(filter, store);
    let mut store_options = format!(r#"<option value="">All stores</option>"#);
    for s in stores {
        let selected = if Some(s.as_str()) == store { " selected" } else { "" };
        store_options.push_str(&format!(r#"<option value="{s}"{selected}>{s}</option>"#, s = esc(s)));
    }
    let state_field =
        filter.map_or_else(String::new, |f| format!(r#"<input type="hidden" name="state" value="{}">"#, f.name()));
    let matching = kiosks.iter().filter(|k| filter.is_none_or(|f| fleet::states(k).contains(&f))).count();
    let act = if viewer.may_command() && matching > 0 {
        operations::act_form(&state_field, store, matching)
    } else {
        String::new()
    };
    let body = format!(
        r#"<form class="act" method="get" action="/">{state_field}<label for="store">Store</label><select id="store" name="store" onchange="this.form.submit()">{store_options}</select><noscript><button>Show</button></noscript></form>
<div id="live">{live}</div>{act}{script}"#,
        live = fleet_live(kiosks, filter, store),
        script = live_script("kiosk", "", &format!("/fragments/fleet{}", query.replace("&amp;", "&"))),
    );
    page("Fleet", Some(viewer), &body)
}

fn figure<T: std::fmt::Display>(value: Option<T>, suffix: &str) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v}{suffix}"))
}

fn decimal(value: Option<f64>, suffix: &str) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}{suffix}"))
}

/// How a figures row names its group.
fn group_name(f: &Figures) -> String {
    match f.store.strip_prefix("region:") {
        _ if f.store == "*" => "All in your scope".to_owned(),
        Some(region) => format!("Region {}", esc(region)),
        None => esc(&f.store),
    }
}

fn figures_row(f: &Figures) -> String {
    let store = group_name(f);
    format!(
        r#"<tr data-store="{id}"><td>{store}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="wide">{}</td><td class="wide">{}</td><td class="wide">{}</td><td class="wide">{}</td><td>{}</td></tr>"#,
        f.sessions.map_or_else(|| format!("fewer than {MIN_SESSIONS}"), |n| n.to_string()),
        decimal(f.median_duration_s, " s"),
        decimal(f.p90_duration_s, " s"),
        decimal(f.scans_per_session, ""),
        figure(f.size_requests, ""),
        decimal(f.fulfilled_percent, " %"),
        decimal(f.wait_p50_s, " s"),
        decimal(f.wait_p90_s, " s"),
        figure(f.shares, ""),
        figure(f.looks, ""),
        decimal(f.utilisation_percent, " %"),
        id = esc(&f.store),
    )
}

/// A store's suggestion taps by place and its fit feedback.
fn engagement_row(f: &Figures) -> String {
    let store = group_name(f);
    let rank = |i: usize| figure(f.taps_by_rank.map(|r| r[i]), "");
    let fit = |verdict: &str| figure(f.fit_feedback.as_ref().map(|v| v.get(verdict).copied().unwrap_or(0)), "");
    format!(
        r#"<tr data-store="{id}"><td>{store}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
        figure(f.suggestion_taps, ""),
        rank(0),
        rank(1),
        rank(2),
        fit("fits"),
        fit("too_small"),
        fit("too_big"),
        fit("not_for_me"),
        id = esc(&f.store),
    )
}

pub fn analytics(viewer: &Viewer, report: &Report) -> String {
    let groups = || report.stores.iter().chain(&report.regions).chain([&report.all]);
    let rows: String = groups().map(figures_row).collect();
    let engagement: String = groups().map(engagement_row).collect();
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut grid = String::from("<tr><th></th>");
    for hour in 0..24 {
        grid.push_str(&format!("<th>{hour:02}</th>"));
    }
    grid.push_str("</tr>");
    for (day, hours) in report.weekday_hour.iter().enumerate() {
        grid.push_str(&format!("<tr><th>{}</th>", DAYS[day]));
        for n in hours {
            match n {
                Some(n) => grid.push_str(&format!("<td>{n}</td>")),
                None => grid.push_str(&format!(r#"<td class="offline" title="fewer than {MIN_SESSIONS}">·</td>"#)),
            }
        }
        grid.push_str("</tr>");
    }
    let body = format!(
        r#"<h2>Analytics</h2><p>Completed sessions and what happened in them, {from} to {to} (UTC, whole hours). A store or hour with fewer than {MIN_SESSIONS} sessions shows no figures. <a href="/analytics.csv?from_ms={f}&amp;to_ms={t}">Download CSV</a></p>
<table id="stores"><thead><tr><th>Store</th><th>Sessions</th><th>Median time</th><th>p90 time</th><th>Scans / session</th><th>Size requests</th><th>Fulfilled</th><th class="wide">Wait p50</th><th class="wide">Wait p90</th><th class="wide">Shares</th><th class="wide">Looks</th><th title="time in sessions ÷ open kiosk-minutes">In use</th></tr></thead><tbody>{rows}</tbody></table>
<h3>“Complete the look” and fit</h3><div style="overflow-x:auto"><table id="engagement"><thead><tr><th>Store</th><th>Suggestions tapped</th><th>1st</th><th>2nd</th><th>3rd</th><th>Fits</th><th>Too small</th><th>Too big</th><th>Not for me</th></tr></thead><tbody>{engagement}</tbody></table></div>
<h3>Sessions started by weekday and hour (each store's local time)</h3><div style="overflow-x:auto"><table id="hours">{grid}</table></div>"#,
        from = esc(&calendar::date_text(report.from_ms)),
        to = esc(&calendar::date_text(report.to_ms)),
        f = report.from_ms,
        t = report.to_ms,
    );
    page("Analytics", Some(viewer), &body)
}

/// Maintenance windows that have not ended, and the form that adds one.
fn maintenance_windows(viewer: &Viewer, windows: &[Window], stores: &[String]) -> String {
    let now = now_ms() as i64;
    let mut rows: String = windows
        .iter()
        .map(|w| {
            let when = if w.from_ms <= now { "now".to_owned() } else { calendar::date_time_text(w.from_ms) };
            format!(
                r#"<tr data-window="{id}"><td>{store}</td><td>{kiosk}</td><td>{when}</td><td>{until}</td><td>{reason}</td><td>{user}</td></tr>"#,
                id = w.id,
                store = esc(&w.store),
                kiosk = if w.kiosk.is_empty() { "every kiosk".to_owned() } else { esc(&w.kiosk) },
                until = calendar::date_time_text(w.to_ms),
                reason = esc(&w.reason),
                user = esc(&w.user),
            )
        })
        .collect();
    if rows.is_empty() {
        rows = r#"<tr><td colspan="6">None planned.</td></tr>"#.into();
    }
    let form = if viewer.may_command() && !stores.is_empty() {
        let options: String =
            stores.iter().map(|s| format!(r#"<option value="{s}">{s}</option>"#, s = esc(s))).collect();
        format!(
            r#"<form class="plain panel" method="post" action="/maintenance-windows"><h3>Silence alerts for a while</h3>
<label for="window-store">Store</label><select id="window-store" name="store">{options}</select>
<label for="window-kiosk">One kiosk only (empty: the whole store)</label><input id="window-kiosk" name="kiosk">
<label for="window-from">From (UTC; empty: now)</label><input id="window-from" name="from" type="datetime-local">
<label for="window-hours">For (hours)</label><input id="window-hours" name="hours" type="number" min="0.25" max="720" step="0.25" value="2">
<label for="window-reason">Why</label><input id="window-reason" name="reason" required maxlength="200" placeholder="refit of the fitting rooms">
<p><button type="submit">Add the window</button></p></form>"#
        )
    } else {
        String::new()
    };
    format!(
        r#"<h3>Maintenance windows</h3><p>No alert is raised for these kiosks while a window lasts.</p><div class="grid"><div><table id="windows"><thead><tr><th>Store</th><th>Kiosk</th><th>From</th><th>Until (UTC)</th><th>Why</th><th>By</th></tr></thead><tbody>{rows}</tbody></table></div>{form}</div>"#
    )
}

pub fn alerts(viewer: &Viewer, alerts: &[Alert], windows: &[Window], stores: &[String]) -> String {
    let now = now_ms() as i64;
    let mut rows = String::new();
    for a in alerts {
        let state = match (&a.cleared_ms, &a.acked_by) {
            (Some(at), _) => format!("cleared {}", ago(*at, now)),
            (None, Some(by)) => format!("acknowledged by {}", esc(by)),
            (None, None) => format!(
                r#"<form method="post" action="/alerts/{}/ack"><button type="submit">Acknowledge</button></form>"#,
                a.id
            ),
        };
        rows.push_str(&format!(
            r#"<tr data-alert="{id}" class="{open}"><td>{kiosk}</td><td>{store}</td><td class="state lost">{rule}</td><td>{detail}</td><td>{raised}</td><td>{state}</td></tr>"#,
            id = a.id,
            open = if a.cleared_ms.is_none() { "open" } else { "cleared" },
            kiosk = esc(&a.kiosk),
            store = esc(&a.store),
            rule = esc(&a.rule),
            detail = esc(&a.detail),
            raised = ago(a.raised_ms, now),
        ));
    }
    if rows.is_empty() {
        rows = r#"<tr><td colspan="6">No alerts.</td></tr>"#.into();
    }
    let body = format!(
        r#"<h2>Alerts</h2><table id="alerts"><thead><tr><th>Kiosk</th><th>Store</th><th>Rule</th><th>What</th><th>Raised</th><th></th></tr></thead><tbody>{rows}</tbody></table>{windows}"#,
        windows = maintenance_windows(viewer, windows, stores),
    );
    page("Alerts", Some(viewer), &body)
}
