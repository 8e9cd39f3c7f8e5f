//! Take-home links against a real S3-compatible store: SeaweedFS started by the test, two relays
//! on 127.0.0.1 sharing its bucket. The stored object is ciphertext (plus a metadata line with no
//! shopper data); a second relay — another instance, or this one after a restart — serves the same
//! link; "Delete now" and expiry remove the object from the bucket; the link then answers 410.

mod support;

use std::time::{Duration, Instant};

use relay::{config::Limits, s3::S3Config, takehome::Stored};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use support::*;
use takehome::{Bundle, Item, Sealed, seal};
use testkit::seaweedfs::{ACCESS_KEY, SECRET_KEY, SeaweedFs};

const BUCKET: &str = "take-home";

fn store_config(store: &SeaweedFs) -> S3Config {
    S3Config {
        endpoint: store.endpoint(),
        bucket: BUCKET.into(),
        region: "us-east-1".into(),
        access_key: ACCESS_KEY.into(),
        secret_key: SECRET_KEY.into(),
        path_style: true,
    }
}

/// The bucket as the test sees it, straight from the store.
struct Direct {
    bucket: Bucket,
    credentials: Credentials,
    http: reqwest::Client,
}

impl Direct {
    fn new(store: &SeaweedFs) -> Self {
        let endpoint = store.endpoint().parse().unwrap_or_else(|e| panic!("{e}"));
        let bucket = Bucket::new(endpoint, UrlStyle::Path, BUCKET, "us-east-1").unwrap_or_else(|e| panic!("{e}"));
        Self { bucket, credentials: Credentials::new(ACCESS_KEY, SECRET_KEY), http: http_client() }
    }

    async fn create_bucket(&self) {
        let url = self.bucket.create_bucket(&self.credentials).sign(Duration::from_secs(60));
        let status = self.http.put(url).send().await.map(|r| r.status().as_u16());
        assert_eq!(status.ok(), Some(200), "creating the bucket");
    }

    /// The object behind `token`, or None.
    async fn object(&self, token: &str) -> Option<Vec<u8>> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &format!("take-home/{token}"))
            .sign(Duration::from_secs(60));
        let response = self.http.get(url).send().await.ok()?;
        if response.status().as_u16() == 404 {
            return None;
        }
        assert!(response.status().is_success(), "the store answered {}", response.status());
        response.bytes().await.ok().map(|b| b.to_vec())
    }
}

async fn relay_on(store: &SeaweedFs) -> TestRelay {
    let mut config = config(Limits::default());
    config.take_home_store = Some(store_config(store));
    start_with(config).await
}

fn sealed() -> Sealed {
    let item = Item {
        name: "Oxford shirt".into(),
        brand: "Fitting Room".into(),
        size: "M".into(),
        colour: "white".into(),
        price: "€49.95".into(),
        fit: Some("Too small".into()),
        in_store: 2,
        buy_url: None,
        picture_base64: None,
    };
    let bundle = Bundle {
        v: 1,
        store: "Demo store".into(),
        created_at_ms: 1,
        expires_at_ms: 2,
        items: vec![item],
        looks: vec![],
    };
    seal(&bundle).unwrap_or_else(|e| panic!("{e}"))
}

async fn upload(relay: &TestRelay, sealed: &Sealed, expires_in_s: u64) -> Stored {
    let url = relay.url(&format!(
        "/api/v1/takehome?kiosk={KIOSK}&expires_in_s={expires_in_s}&delete_hash={}",
        sealed.delete_hash()
    ));
    let response = relay.http.post(url).bearer_auth(KEY).body(sealed.bytes.clone()).send().await;
    let Ok(response) = response else { panic!("{response:?}") };
    assert_eq!(response.status().as_u16(), 201);
    let stored = response.json::<Stored>().await;
    let Ok(stored) = stored else { panic!("{stored:?}") };
    stored
}

#[tokio::test]
async fn bundles_live_in_the_bucket_as_ciphertext_any_relay_serves_them_and_delete_and_expiry_remove_them() {
    let store = SeaweedFs::start().unwrap_or_else(|e| panic!("{e:#}"));
    let direct = Direct::new(&store);
    direct.create_bucket().await;
    let (first, second) = (relay_on(&store).await, relay_on(&store).await);
    let sealed = sealed();
    let stored = upload(&first, &sealed, 600).await;

    // In the bucket: a metadata line, then exactly the ciphertext. No shopper data anywhere.
    let Some(object) = direct.object(&stored.token).await else { panic!("no object in the bucket: {}", store.log()) };
    assert!(object.ends_with(&sealed.bytes), "the object ends with the ciphertext");
    for plain in [&b"Oxford"[..], b"shirt", b"Too small", b"49.95"] {
        assert!(
            !object.windows(plain.len()).any(|w| w == plain),
            "plaintext in the bucket: {:?}",
            String::from_utf8_lossy(plain)
        );
    }
    assert_eq!(first.metric("relay_take_home_bytes").await, sealed.bytes.len() as u64);

    // Another relay on the same bucket (a second instance, or the first after a restart).
    let link_there = format!("http://{}/h/{}/bundle", second.addr, stored.token);
    let served = second.http.get(&link_there).send().await;
    let Ok(served) = served else { panic!("{served:?}") };
    assert_eq!(served.bytes().await.ok().as_deref(), Some(sealed.bytes.as_slice()), "any relay serves the link");

    // "Delete now" at the second relay removes the object; both relays answer 410 or 404.
    let delete = second.http.post(format!("http://{}/h/{}/delete", second.addr, stored.token));
    let deleted =
        delete.json(&serde_json::json!({ "proof": sealed.delete_proof() })).send().await.map(|r| r.status().as_u16());
    assert_eq!(deleted.ok(), Some(204));
    assert!(direct.object(&stored.token).await.is_none(), "the object left the bucket");
    assert_eq!(second.status(&link_there).await, 410);
    assert!(matches!(first.status(&format!("{}/bundle", stored.url)).await, 404 | 410), "gone at the first relay too");

    // Expiry: the relay deletes the object itself.
    let short = upload(&first, &sealed, 1).await;
    assert!(direct.object(&short.token).await.is_some());
    let started = Instant::now();
    while direct.object(&short.token).await.is_some() {
        assert!(started.elapsed() < Duration::from_secs(6), "the expired object is still in the bucket");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(first.status(&format!("{}/bundle", short.url)).await, 410);
    assert_eq!(first.metric("relay_take_home_expired_total").await, 1);
}
