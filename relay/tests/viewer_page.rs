//! The viewer page in real headless Chromium against a real relay on 127.0.0.1.

mod support;

use std::time::{Duration, Instant};

use futures_util::SinkExt;
use image::{ImageEncoder, codecs::jpeg::JpegEncoder};
use protocol::share::{RelayToKiosk, ViewerToRelay};
use relay::config::Limits;
use support::*;
use testkit::cdp::Browser;
use tokio_tungstenite::tungstenite::Message;

/// A real JPEG: colour bands that move with `n`.
fn jpeg(n: u32) -> Vec<u8> {
    let (w, h) = (320u32, 240u32);
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let band = ((x + n * 8) / 40) % 3;
            let shade = (y * 255 / h) as u8;
            rgb.extend_from_slice(&match band {
                0 => [220, 60, shade],
                1 => [40, 180, 255 - shade],
                _ => [shade, 230, 90],
            });
        }
    }
    let mut out = Vec::new();
    let encoded = JpegEncoder::new_with_quality(&mut out, 80).write_image(&rgb, w, h, image::ExtendedColorType::Rgb8);
    assert!(encoded.is_ok());
    out
}

#[tokio::test]
async fn viewer_page_shows_frames_sends_reactions_and_comments_and_shows_the_end() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let (mut kiosk_tx, mut kiosk_rx) = futures_util::StreamExt::split(kiosk);
    let pusher = tokio::spawn(async move {
        for n in 0..600 {
            if kiosk_tx.send(Message::Binary(jpeg(n).into())).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(66)).await;
        }
        kiosk_tx
    });

    let mut browser = Browser::launch().await;
    browser.open(&share.viewer_url).await;
    assert!(
        browser.wait_until("document.getElementById('frame').naturalWidth === 320", Duration::from_secs(15)).await,
        "the page must show a frame"
    );
    assert!(
        browser
            .wait_until("document.getElementById('viewers').textContent.includes('1 watching')", Duration::from_secs(5))
            .await
    );
    let shot = browser.screenshot("#frame").await;
    let distinct: std::collections::HashSet<[u8; 3]> =
        shot.pixels().map(|p| [p[0] / 32, p[1] / 32, p[2] / 32]).collect();
    assert!(
        shot.width() >= 300 && distinct.len() >= 6,
        "the frame must be visible, not blank ({} colours)",
        distinct.len()
    );

    // A reaction click and a comment reach the kiosk; the comment arrives as plain text.
    browser.eval("document.querySelector('#reactions button').click()").await;
    browser.eval("document.getElementById('name').value = 'Ana'; document.getElementById('text').value = '<b>yes</b> buy it'; document.getElementById('comment').requestSubmit(); true").await;
    let mut got = (false, false);
    let deadline = Instant::now() + Duration::from_secs(5);
    while got != (true, true) && Instant::now() < deadline {
        let Some(Ok(Message::Text(text))) =
            tokio::time::timeout(Duration::from_secs(1), futures_util::StreamExt::next(&mut kiosk_rx))
                .await
                .ok()
                .flatten()
        else {
            continue;
        };
        match serde_json::from_str::<RelayToKiosk>(&text) {
            Ok(RelayToKiosk::Reaction { emoji }) => got.0 = emoji == "❤️",
            Ok(RelayToKiosk::Comment { name, text }) => got.1 = name == "Ana" && text == "<b>yes</b> buy it",
            _ => {}
        }
    }
    assert_eq!(got, (true, true), "(reaction, comment) must reach the kiosk");

    // Friends see each other: another friend's comment (and this friend's own) show in the feed,
    // as text: the "<b>" stays two characters, not markup.
    let Ok(mut other) = relay.viewer(&share.viewer_url).await else { panic!("second viewer") };
    send_json(&mut other, &ViewerToRelay::Comment { name: "Ben".into(), text: "<i>red</i> suits her".into() }).await;
    assert!(
        browser
            .wait_until(
                "document.querySelector('#feed li')?.textContent === 'Ben<i>red</i> suits her'",
                Duration::from_secs(5)
            )
            .await,
        "another friend's comment shows on the page: {:?}",
        browser.eval("document.getElementById('feed').innerHTML").await
    );
    let feed = browser.eval("[...document.querySelectorAll('#feed li')].map(li => li.textContent)").await;
    assert_eq!(feed, serde_json::json!(["Ben<i>red</i> suits her", "Ana<b>yes</b> buy it", "❤️"]), "newest first");
    assert_eq!(browser.eval("document.querySelectorAll('#feed i, #feed li b b').length").await, serde_json::json!(0));

    // For people: what a friend's phone shows.
    let page = browser.screenshot("body").await;
    let _ = page.save(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("viewer-page.png"));

    // The kiosk ends the session: the page says so. (The end reaching viewer sockets within a
    // second is measured in tests/share.rs without a browser; here a loaded machine may take its
    // time rendering, so the page gets 5 s.)
    let end = relay
        .http
        .delete(relay.url(&format!("/api/v1/sessions/{}", share.session_id)))
        .bearer_auth(&share.kiosk_token)
        .send()
        .await;
    assert_eq!(end.map(|r| r.status().as_u16()).ok(), Some(204));
    assert!(
        browser.wait_until("document.getElementById('ended').classList.contains('show')", Duration::from_secs(5)).await,
        "the page must show 'This look has ended'"
    );
    assert_eq!(
        browser.eval("document.getElementById('frame').hasAttribute('src')").await,
        serde_json::json!(false),
        "the last frame is removed"
    );
    // The kiosk's stream was closed by the end, so the pusher stops.
    assert!(tokio::time::timeout(Duration::from_secs(5), pusher).await.is_ok());
}

#[tokio::test]
async fn until_the_first_frame_the_page_says_connecting_not_a_broken_image() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let (mut kiosk_tx, _kiosk_rx) = futures_util::StreamExt::split(kiosk);

    let mut browser = Browser::launch().await;
    browser.open(&share.viewer_url).await;
    let shown = "(() => { const w = document.getElementById('waiting'); return !!w && getComputedStyle(w).display !== 'none' && w.textContent; })()";
    assert!(
        browser.wait_until(&format!("{shown} === 'Connecting…'"), Duration::from_secs(10)).await,
        "before any frame the page says Connecting… ({:?})",
        browser.eval(shown).await
    );
    let frame_display = "getComputedStyle(document.getElementById('frame')).display";
    assert_eq!(browser.eval(frame_display).await, serde_json::json!("none"), "no empty <img> (a broken-image icon)");

    // The first frame replaces the message.
    assert!(kiosk_tx.send(Message::Binary(jpeg(0).into())).await.is_ok());
    assert!(
        browser.wait_until("document.getElementById('frame').naturalWidth === 320", Duration::from_secs(10)).await,
        "the first frame is shown"
    );
    assert_eq!(browser.eval(frame_display).await, serde_json::json!("block"));
    assert_eq!(
        browser.eval("getComputedStyle(document.getElementById('waiting')).display").await,
        serde_json::json!("none")
    );
}

/// What the relay's own Fluent texts say: the page must write the same.
fn say(language: i18n::Language, phrase: i18n::Phrase) -> String {
    let strings = i18n::Strings::load().unwrap_or_else(|e| panic!("{e}"));
    strings.format(language, &phrase)
}

#[tokio::test]
async fn a_phone_in_arabic_gets_the_page_in_arabic_right_to_left_in_the_chain_s_colours() {
    use i18n::{Language, Phrase};
    let mut config = support::config(Limits::default());
    config.theme.accent = "#3B4F9A".into();
    let relay = start_with(config).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let (mut kiosk_tx, _kiosk_rx) = futures_util::StreamExt::split(kiosk);
    assert!(kiosk_tx.send(Message::Binary(jpeg(0).into())).await.is_ok());

    let mut phone = Browser::launch_in("ar").await;
    phone.open(&share.viewer_url).await;
    phone.phone_size(390, 844).await;
    assert!(phone.wait_until("document.getElementById('frame').naturalWidth === 320", Duration::from_secs(15)).await);
    let watching = |n: i64| say(Language::Ar, Phrase::new("viewer-watching").count("count", n));
    let viewers = "document.getElementById('viewers').textContent";
    assert!(
        phone.wait_until(&format!("{viewers} === {:?}", watching(1)), Duration::from_secs(5)).await,
        "one viewer: {:?}, wanted {:?}",
        phone.eval(viewers).await,
        watching(1)
    );
    // Two more friends: the plural form changes ("few" in Arabic) and the page follows.
    let (Ok(_two), Ok(_three)) = (relay.viewer(&share.viewer_url).await, relay.viewer(&share.viewer_url).await) else {
        panic!("more viewers")
    };
    assert!(
        phone.wait_until(&format!("{viewers} === {:?}", watching(3)), Duration::from_secs(5)).await,
        "three viewers: {:?}, wanted {:?}",
        phone.eval(viewers).await,
        watching(3)
    );
    assert_ne!(watching(1), watching(3));

    let page = phone
        .eval("[document.documentElement.lang, document.documentElement.dir, document.title, document.getElementById('buy').textContent, document.getElementById('text').placeholder].join('|')")
        .await;
    let wanted = ["ar", "rtl", "إطلالة مباشرة", "اشترِها", "قل شيئًا لطيفًا"].join("|");
    assert_eq!(page.as_str(), Some(wanted.as_str()));
    // Right to left: the LIVE badge on the right, the connection state on the left.
    let x = |id: &str| format!("document.getElementById('{id}').getBoundingClientRect().left");
    let (live, state) = (phone.eval(&x("live")).await.as_f64(), phone.eval(&x("status")).await.as_f64());
    assert!(live.zip(state).is_some_and(|(live, state)| live > state), "LIVE at {live:?}, the state at {state:?}");
    // The chain's accent on the Send button, with the ink that reads on it.
    let send = phone
        .eval("(() => { const s = getComputedStyle(document.querySelector('form button')); return s.backgroundColor + '|' + s.color; })()")
        .await;
    assert_eq!(send.as_str(), Some("rgb(59, 79, 154)|rgb(255, 255, 255)"));
    let shot = phone.screenshot("body").await;
    if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let _ = shot.save(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir).join("viewer-ar.png"));
    }
}
