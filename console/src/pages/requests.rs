//! The size-request board, sized for an associate's phone and in its language: the open requests
//! of one store by fitting room, oldest first, each with "I'm bringing it" (the shopper's mirror
//! then says who is coming) and "Handed over", updated live as kiosks ask and colleagues answer.

use i18n::{Phrase, pages::escape_html as esc};
use protocol::{requests::BoardEntry, telemetry::now_ms};

use super::{Words, live_script, page_in};
use crate::auth::Viewer;

/// The board's changing part for `store`.
pub fn board_live(words: Words, store: &str, rooms: &[(String, Vec<BoardEntry>)]) -> String {
    let now = now_ms() as i64;
    let mut cards = String::new();
    for (room, entries) in rooms {
        cards.push_str(&format!(r#"<h3>{}</h3>"#, esc(room)));
        for entry in entries {
            let r = &entry.request;
            let base = format!("/requests/{}/{}", esc(store), esc(r.id.as_str()));
            let answer = match &entry.accepted_by {
                Some(by) => format!(
                    r#"<p class="done">{}</p><form class="act" method="post" action="{base}/done"><button>{}</button></form>"#,
                    words.say(&Phrase::new("staff-bringing").text("name", by.as_str())),
                    words.t("staff-done"),
                ),
                None => format!(
                    r#"<form class="act" method="post" action="{base}/accept"><button>{}</button></form>"#,
                    words.t("staff-accept")
                ),
            };
            let mut when = words.minutes_ago(r.at_ms as i64, now);
            if entry.reminders > 0 {
                when =
                    format!("{when} · {}", words.say(&Phrase::new("staff-reminded").count("count", entry.reminders)));
            }
            let what = Phrase::new("staff-what")
                .text("product", r.product.as_str())
                .text("size", r.size.as_str())
                .text("colour", r.colour.as_str());
            cards.push_str(&format!(
                r#"<div class="panel request" data-request="{id}"><b class="what">{what}</b><p class="problem">{when}</p>{answer}</div>"#,
                id = esc(r.id.as_str()),
                what = words.say(&what),
            ));
        }
    }
    if cards.is_empty() {
        cards = format!(r#"<p id="none">{}</p>"#, words.t("staff-empty"));
    }
    cards
}

pub fn board(
    words: Words,
    viewer: &Viewer,
    store: Option<&str>,
    stores: &[String],
    rooms: &[(String, Vec<BoardEntry>)],
    not_sent: Option<&str>,
) -> String {
    let title = words.t("staff-title");
    let Some(store) = store else {
        let body = format!("<h2>{title}</h2><p>{}</p>", words.t("staff-no-store"));
        return page_in(words, &title, Some(viewer), &body);
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
            r#"<form class="act" method="get" action="/requests"><label for="store">{label}</label><select id="store" name="store" onchange="this.form.submit()">{options}</select><noscript><button>{show}</button></noscript></form>"#,
            label = words.t("staff-store"),
            show = words.t("staff-show"),
        )
    } else {
        String::new()
    };
    let notice = not_sent.map_or_else(String::new, |reason| {
        let text = words.say(&Phrase::new("staff-not-sent").text("reason", reason));
        format!(r#"<p class="error" role="alert" id="not-sent">{text}</p>"#)
    });
    let body = format!(
        r#"<h2>{title} · {store}</h2>{picker}{notice}<div id="live">{live}</div>{script}"#,
        store = esc(store),
        live = board_live(words, store, rooms),
        script = live_script("requests", store, &format!("/fragments/requests?store={store}")),
    );
    page_in(words, &title, Some(viewer), &body)
}
