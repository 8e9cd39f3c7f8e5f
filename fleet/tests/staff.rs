//! The staff page's API against a real Mosquitto: open requests listed by room, and every kind of
//! bad request answered with a 4xx naming the problem while the page keeps serving.

use std::time::Duration;

use fleet::staff::{StaffSettings, serve};
use protocol::{
    requests::{RequestBook, parse_reply},
    telemetry::{Ident, now_ms},
    topics::{request_replies, store_requests},
};
use testkit::{Mosquitto, Watcher, WatcherOptions};

fn ident(s: &str) -> Ident {
    Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bad_requests_get_a_reason_and_good_ones_reach_the_kiosk() {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let kiosk = Watcher::start(broker.port, &[&request_replies("s1", "room-3")], WatcherOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        let settings = StaffSettings {
            broker: broker.url(),
            username: String::new(),
            password: String::new(),
            ca_file: String::new(),
            store: ident("s1"),
            client_id: "staff-test".into(),
        };
        tokio::spawn(serve(settings, listener));
        tokio::time::sleep(Duration::from_millis(500)).await;

        let mut book = RequestBook::default();
        let opened = book.open(&ident("room-3"), "Room 3", &ident("tee-m"), "Tee", "M", "White", now_ms(), 60_000);
        let opened = opened.unwrap_or_else(|e| panic!("{e}"));
        let id = match &opened {
            protocol::requests::ToStaff::Opened { request, .. } => request.id.to_string(),
            other => panic!("{other:?}"),
        };
        kiosk
            .publish(&store_requests("s1"), serde_json::to_vec(&opened).unwrap_or_default(), false)
            .unwrap_or_else(|e| panic!("{e}"));
        kiosk.publish(&store_requests("s1"), "{not json", false).unwrap_or_else(|e| panic!("{e}"));

        // The workspace builds reqwest with rustls and no provider: name one (plain HTTP here).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        // The page comes in the associate's phone's language.
        for (asked, lang, title) in [
            ("de-DE,de;q=0.9", "lang=\"de\" dir=\"ltr\"", "Größenwünsche"),
            ("ar", "lang=\"ar\" dir=\"rtl\"", "طلبات المقاسات"),
            ("fi", "lang=\"en\" dir=\"ltr\"", "Size requests"),
        ] {
            let response = http.get(format!("{base}/")).header("accept-language", asked).send().await;
            let response = response.unwrap_or_else(|e| panic!("{e}"));
            let language = response.headers().get("content-language").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let page = response.text().await.unwrap_or_default();
            assert!(page.contains(lang) && page.contains(&format!("<title>{title}</title>")), "{asked}: {page:.300}");
            assert!(!page.contains("{{"), "{asked}: a mark is left");
            assert_eq!(language.as_deref(), Some(&lang[6..8]).map(|l| l.trim_end_matches('"')), "{asked}");
        }
        let mut listed = String::new();
        for _ in 0..50 {
            if let Ok(response) = http.get(format!("{base}/api/requests")).send().await {
                listed = response.text().await.unwrap_or_default();
            }
            if listed.contains(&id) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(listed.contains("\"room\":\"Room 3\"") && listed.contains(&id), "{listed}");

        let post = |path: String, body: &'static str| {
            let http = http.clone();
            async move {
                let response = http
                    .post(path)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let status = response.status().as_u16();
                (status, response.text().await.unwrap_or_default())
            }
        };
        let cases = [
            (format!("{base}/api/requests/{id}/accept"), r#"{"by":""}"#, 422, "by: must be 1 to 80 characters"),
            (format!("{base}/api/requests/{id}/accept"), r#"{"by":"An\u0007na"}"#, 422, "control characters"),
            (format!("{base}/api/requests/{id}/accept"), r#"{"name":"Anna"}"#, 422, "missing field `by`"),
            (format!("{base}/api/requests/{id}/accept"), "{not json", 400, "Failed to parse the request body as JSON"),
            (format!("{base}/api/requests/no-such-request/accept"), r#"{"by":"Anna"}"#, 404, "no open request"),
            (format!("{base}/api/requests/bad%2Fid/done"), "{}", 400, "request id"),
        ];
        for (url, body, status, reason) in cases {
            let (got, text) = post(url.clone(), body).await;
            assert_eq!(got, status, "{url} {body}: {text}");
            assert!(text.contains(reason), "{url} {body}: {text:?} should say {reason:?}");
        }
        // Still serving; a good acceptance reaches the kiosk's retained reply topic.
        let (status, _) = post(format!("{base}/api/requests/{id}/accept"), r#"{"by":"Anna"}"#).await;
        assert_eq!(status, 204);
        let arrived = kiosk.wait_until(Duration::from_secs(5), |m| m.iter().any(|r| parse_reply(&r.payload).is_ok()));
        assert!(arrived, "the acceptance reaches the kiosk");
        let reply = kiosk.received().into_iter().find_map(|r| parse_reply(&r.payload).ok());
        assert!(
            matches!(reply, Some(protocol::requests::StaffReply::Accepted { ref by, .. }) if by == "Anna"),
            "{reply:?}"
        );
    });
}
