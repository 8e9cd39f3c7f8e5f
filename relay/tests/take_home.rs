//! Take-home links over real sockets on 127.0.0.1, and the phone's page in real headless
//! Chromium: the page decrypts the bundle with the key in the fragment and shows every item with
//! its size, price, fit and "Buy online" link, and the look; the relay holds ciphertext only;
//! "Delete now" and expiry end the link (410); a damaged key says the link is incomplete; random
//! tokens 404; oversized uploads are refused; one kiosk cannot delete another's bundle.

mod support;

use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use image::{ImageEncoder, codecs::jpeg::JpegEncoder, codecs::png::PngEncoder};
use relay::{config::Limits, takehome::Stored};
use support::*;
use takehome::{Bundle, Item, Look, Sealed, seal};
use testkit::cdp::Browser;

fn encoded(png: bool, rgb: [u8; 3]) -> String {
    let (w, h) = (90u32, 160u32);
    let pixels: Vec<u8> = (0..w * h).flat_map(|_| rgb).collect();
    let mut out = Vec::new();
    let written = if png {
        PngEncoder::new(&mut out).write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
    } else {
        JpegEncoder::new_with_quality(&mut out, 80).write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
    };
    assert!(written.is_ok());
    BASE64_STANDARD.encode(out)
}

/// The demo catalog's drawing of the item, as the kiosk would put it in the bundle.
fn catalog_picture(name: &str) -> String {
    let file = if name.starts_with("Oxford") { "oxford-shirt-white.png" } else { "slim-chinos-sand.png" };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog/images").join(file);
    BASE64_STANDARD.encode(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn bundle() -> Bundle {
    let item = |name: &str, size: &str, colour: &str, price: &str, fit: Option<&str>, buy: Option<&str>| Item {
        name: name.into(),
        brand: "Fitting Room".into(),
        size: size.into(),
        colour: colour.into(),
        price: price.into(),
        fit: fit.map(String::from),
        in_store: 2,
        buy_url: buy.map(String::from),
        picture_base64: Some(catalog_picture(name)),
    };
    Bundle {
        v: 1,
        store: "Demo store".into(),
        created_at_ms: 1_764_000_000_000,
        expires_at_ms: 1_764_086_400_000,
        items: vec![
            item(
                "Oxford shirt",
                "M",
                "white",
                "€49.95",
                Some("Too small"),
                Some("https://shop.example.com/p/oxford-shirt?sku=oxford-shirt-white-M"),
            ),
            item("Slim chinos", "32", "sand", "€59.95", Some("Fits"), None),
        ],
        looks: vec![Look { label: "Oxford shirt · Slim chinos".into(), jpeg_base64: encoded(false, [40, 80, 160]) }],
    }
}

async fn upload(
    relay: &TestRelay,
    kiosk: &str,
    key: &str,
    sealed: &Sealed,
    expires_in_s: u64,
) -> (u16, Option<Stored>) {
    let url = relay.url(&format!(
        "/api/v1/takehome?kiosk={kiosk}&expires_in_s={expires_in_s}&delete_hash={}",
        sealed.delete_hash()
    ));
    let response = relay.http.post(url).bearer_auth(key).body(sealed.bytes.clone()).send().await;
    let Ok(response) = response else { panic!("upload: {response:?}") };
    let status = response.status().as_u16();
    (status, response.json::<Stored>().await.ok())
}

fn sealed() -> Sealed {
    seal(&bundle()).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn the_relay_holds_ciphertext_only_and_ends_links_on_delete_expiry_and_never_for_another_kiosk() {
    let relay = start(Limits { max_take_home_bytes: 64 << 10, ..Limits::default() }).await;
    let sealed = sealed();
    let (status, stored) = upload(&relay, KIOSK, KEY, &sealed, 600).await;
    let Some(stored) = stored else { panic!("upload answered {status}") };
    assert_eq!(status, 201);
    assert!(stored.url.ends_with(&format!("/h/{}", stored.token)) && stored.token.len() == 32, "{stored:?}");

    // What the relay serves is exactly the ciphertext: no item name in it.
    let held = relay.http.get(format!("{}/bundle", stored.url)).send().await;
    let Ok(held) = held else { panic!("{held:?}") };
    let bytes = held.bytes().await.unwrap_or_default();
    assert_eq!(bytes.as_ref(), sealed.bytes.as_slice());
    assert!(!bytes.windows(6).any(|w| w == b"Oxford"), "plaintext at the relay");
    assert_eq!(takehome::open(&bytes, &sealed.key).map(|b| b.items.len()), Ok(2));

    // Wrong key, another kiosk, random tokens, too large.
    assert_eq!(upload(&relay, KIOSK, KEY_B, &sealed, 600).await.0, 401);
    let other_delete = relay.http.delete(relay.url(&format!("/api/v1/takehome/{}?kiosk={KIOSK_B}", stored.token)));
    let other = other_delete.bearer_auth(KEY_B).send().await.map(|r| r.status().as_u16());
    assert_eq!(other.ok(), Some(404), "another kiosk cannot delete it (nor learn it exists)");
    assert_eq!(relay.status(&format!("{}/bundle", stored.url)).await, 200);
    assert_eq!(relay.status(&relay.url("/h/0123456789abcdef0123456789abcdef/bundle")).await, 404);
    assert_eq!(relay.status(&relay.url("/h/0123456789abcdef0123456789abcdef")).await, 404);
    let big = Sealed { bytes: vec![7; 65 << 10], key: sealed.key };
    assert_eq!(upload(&relay, KIOSK, KEY, &big, 600).await.0, 413, "oversized uploads are refused");
    assert_eq!(upload(&relay, KIOSK, KEY, &sealed, 8 * 24 * 3600).await.0, 400, "at most 7 days");

    // "Delete now" needs the key's proof.
    let delete = |proof: String| {
        relay.http.post(format!("{}/delete", stored.url)).json(&serde_json::json!({ "proof": proof })).send()
    };
    let forged = delete(takehome::delete_proof(&[9; 32])).await.map(|r| r.status().as_u16());
    assert_eq!(forged.ok(), Some(403));
    let deleted = delete(sealed.delete_proof()).await.map(|r| r.status().as_u16());
    assert_eq!(deleted.ok(), Some(204));
    assert_eq!(relay.status(&format!("{}/bundle", stored.url)).await, 410);
    assert_eq!(relay.status(&stored.url).await, 410);
    assert_eq!(relay.metric("relay_take_home_deleted_total").await, 1);

    // Expiry: a one-second link ends by itself.
    let (_, short) = upload(&relay, KIOSK, KEY, &sealed, 1).await;
    let Some(short) = short else { panic!("no short link") };
    let started = Instant::now();
    while relay.status(&format!("{}/bundle", short.url)).await != 410 {
        assert!(started.elapsed() < Duration::from_secs(5), "the link outlived its expiry");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(started.elapsed() >= Duration::from_millis(500), "it ended before its second was up");
    assert_eq!(relay.metric("relay_take_homes").await, 0);
    assert_eq!(relay.metric("relay_take_home_bytes").await, 0);
}

#[tokio::test]
async fn the_phone_page_decrypts_shows_the_items_and_deletes_and_a_damaged_link_says_so() {
    let relay = start(Limits::default()).await;
    let sealed = sealed();
    let (_, stored) = upload(&relay, KIOSK, KEY, &sealed, 600).await;
    let Some(stored) = stored else { panic!("upload failed") };
    let link = format!("{}#{}", stored.url, sealed.fragment());

    let mut phone = Browser::launch().await;
    phone.open(&link).await;
    phone.phone_size(390, 844).await;
    let shown = "document.querySelectorAll('.item').length === 2";
    assert!(phone.wait_until(shown, Duration::from_secs(15)).await, "the items never showed");
    let names = phone.eval("[...document.querySelectorAll('.item h2')].map(e => e.textContent).join('|')").await;
    assert_eq!(names.as_str(), Some("Oxford shirt|Slim chinos"));
    let what = phone.eval("document.querySelector('.item .what').textContent").await;
    assert_eq!(what.as_str(), Some("M · white · €49.95"));
    let fit = phone.eval("document.querySelector('.item .fit').textContent").await;
    assert_eq!(fit.as_str(), Some("Too small"));
    let buy = phone.eval("[...document.querySelectorAll('.item a')].map(a => a.href).join('|')").await;
    assert_eq!(
        buy.as_str(),
        Some("https://shop.example.com/p/oxford-shirt?sku=oxford-shirt-white-M"),
        "only the item sold online"
    );
    let look = "document.querySelector('#looks img').naturalWidth === 90";
    assert!(phone.wait_until(look, Duration::from_secs(5)).await, "the look's picture shows");
    assert!(
        phone
            .eval("document.getElementById('expiry').textContent")
            .await
            .as_str()
            .is_some_and(|t| t.starts_with("This link works until"))
    );
    let shot = phone.screenshot("body").await;
    assert!(shot.width() >= 380, "a phone-sized page: {}", shot.width());
    if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let _ = shot
            .save(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir).join("take-home-phone.png"));
    }

    // "Delete now": gone for good.
    phone.eval("document.getElementById('delete').click(); true").await;
    let deleted = "document.getElementById('status').textContent.startsWith('Deleted')";
    assert!(phone.wait_until(deleted, Duration::from_secs(5)).await, "no confirmation");
    assert_eq!(relay.status(&stored.url).await, 410, "a reload answers 410");
    phone.open(&link).await;
    let ended = "document.getElementById('status').textContent.startsWith('This link has ended')";
    assert!(phone.wait_until(ended, Duration::from_secs(10)).await, "the reloaded page says it ended");

    // A link whose key lost characters, or carries another bundle's key.
    let (_, again) = upload(&relay, KIOSK, KEY, &sealed, 600).await;
    let Some(again) = again else { panic!("upload failed") };
    let fragment = sealed.fragment();
    for broken in [fragment[..30].to_string(), seal(&bundle()).map(|s| s.fragment()).unwrap_or_default()] {
        phone.open(&format!("{}#{broken}", again.url)).await;
        let incomplete = "document.getElementById('status').textContent.startsWith('This link is incomplete')";
        assert!(phone.wait_until(incomplete, Duration::from_secs(10)).await, "#{broken} was not called incomplete");
        assert_eq!(phone.eval("document.querySelectorAll('.item').length").await.as_u64(), Some(0));
    }
}

#[tokio::test]
async fn a_phone_in_japanese_gets_the_take_home_page_in_japanese() {
    use i18n::{Language, Phrase, Strings};
    let strings = Strings::load().unwrap_or_else(|e| panic!("{e}"));
    let relay = start(Limits::default()).await;
    let sealed = sealed();
    let (_, stored) = upload(&relay, KIOSK, KEY, &sealed, 600).await;
    let Some(stored) = stored else { panic!("upload failed") };

    let mut phone = Browser::launch_in("ja-JP").await;
    phone.open(&format!("{}#{}", stored.url, sealed.fragment())).await;
    phone.phone_size(390, 844).await;
    assert!(phone.wait_until("document.querySelectorAll('.item').length === 2", Duration::from_secs(15)).await);
    let title = phone.eval("document.documentElement.lang + '|' + document.querySelector('h1').textContent").await;
    assert_eq!(title.as_str(), Some("ja|あなたの試着室"));
    // Two in stock: the count goes through the page's template, as Fluent writes it.
    let stock = phone.eval("document.querySelector('.item .what').nextElementSibling.textContent").await;
    let wanted =
        strings.format(Language::Ja, &Phrase::new("home-in-store").count("count", 2).text("store", "Demo store"));
    assert_eq!(stock.as_str(), Some(wanted.as_str()));
    let expiry = phone.eval("document.getElementById('expiry').textContent").await;
    assert!(
        expiry
            .as_str()
            .is_some_and(|t| t.starts_with("このリンクの有効期限：2025/11/2") && t.ends_with(" · Demo store")),
        "the date in Japanese order: {expiry}"
    );
    let buy = phone
        .eval("document.querySelector('.item a').textContent + '|' + document.getElementById('delete').textContent")
        .await;
    assert_eq!(buy.as_str(), Some("オンラインで購入|今すぐ削除"));
    if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let shot = phone.screenshot("body").await;
        let _ =
            shot.save(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir).join("take-home-ja.png"));
    }
}
