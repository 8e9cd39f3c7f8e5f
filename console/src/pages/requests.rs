//! The size-request board, sized for an associate's phone: the open requests of one store by
//! fitting room, oldest first, each with "I'm bringing it" (the shopper's mirror then says who is
//! coming) and "Handed over", updated live as kiosks ask and colleagues answer.

use i18n::pages::escape_html as esc;
use protocol::{requests::BoardEntry, telemetry::now_ms};

use super::{ago, live_script, page};
use crate::auth::Viewer;

/// The board's changing part for `store`.
pub fn board_live(store: &str, rooms: &[(String, Vec<BoardEntry>)]) -> String {
    let now = now_ms() as i64;
    let mut cards = String::new();
    for (room, entries) in rooms {
        cards.push_str(&format!(r#"<h3>{}</h3>"#, esc(room)));
        for entry in entries {
            let r = &entry.request;
            let base = format!("/requests/{}/{}", esc(store), esc(r.id.as_str()));
            let answer = match &entry.accepted_by {
                Some(by) => format!(
                    r#"<p class="done">{} is bringing it</p><form class="act" method="post" action="{base}/done"><button>Handed over</button></form>"#,
                    esc(by)
                ),
                None => format!(
                    r#"<form class="act" method="post" action="{base}/accept"><button>I'm bringing it</button></form>"#
                ),
            };
            let reminders =
                if entry.reminders > 0 { format!(" · reminded {}×", entry.reminders) } else { String::new() };
            cards.push_str(&format!(
                r#"<div class="panel request" data-request="{id}"><b>{product}</b><p>Size {size} · {colour}</p><p class="problem">asked {asked}{reminders}</p>{answer}</div>"#,
                id = esc(r.id.as_str()),
                product = esc(&r.product),
                size = esc(&r.size),
                colour = esc(&r.colour),
                asked = ago(r.at_ms as i64, now),
            ));
        }
    }
    if cards.is_empty() {
        cards = r#"<p id="none">No open requests. New ones appear here by themselves.</p>"#.into();
    }
    cards
}

pub fn board(viewer: &Viewer, store: Option<&str>, stores: &[String], rooms: &[(String, Vec<BoardEntry>)]) -> String {
    let Some(store) = store else {
        return page(
            "Size requests",
            Some(viewer),
            "<h2>Size requests</h2><p>No store in your scope has a mirror yet.</p>",
        );
    };
    let picker = if stores.len() > 1 {
        let options: String = stores
            .iter()
            .map(|s| {
                format!(
                    r#"<option value="{s}"{sel}>{s}</option>"#,
                    s = esc(s),
                    sel = if s == store { " selected" } else { "" }
                )
            })
            .collect();
        format!(
            r#"<form class="act" method="get" action="/requests"><label for="store">Store</label><select id="store" name="store" onchange="this.form.submit()">{options}</select><noscript><button>Show</button></noscript></form>"#
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<h2>Size requests · {title}</h2>{picker}<div id="live">{live}</div>{script}"#,
        title = esc(store),
        live = board_live(store, rooms),
        script = live_script("requests", store, &format!("/fragments/requests?store={store}")),
    );
    page("Size requests", Some(viewer), &body)
}
