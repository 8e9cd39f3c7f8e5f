//! Catalog sync against a real HTTP server on 127.0.0.1: 200, then 304 with the ETag; a corrupt
//! update rejected with the old catalog kept; an offline start from the cache.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use products::sync::{CatalogStore, Refreshed, SyncError};
use protocol::{
    barcode::ean13,
    catalog::{Catalog, Links, Product, Variant},
    telemetry::Ident,
};

struct Served {
    body: Vec<u8>,
    etag: String,
    if_none_match: Vec<Option<String>>,
    image_requests: usize,
}

type Shared = Arc<Mutex<Served>>;

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Served> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

async fn catalog(State(served): State<Shared>, headers: HeaderMap) -> axum::response::Response {
    let mut served = lock(&served);
    let asked = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    served.if_none_match.push(asked.clone());
    if asked.as_deref() == Some(served.etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([(header::ETAG, served.etag.clone())], served.body.clone()).into_response()
}

async fn image(State(served): State<Shared>) -> &'static [u8] {
    lock(&served).image_requests += 1;
    b"\x89PNG fake image bytes"
}

fn ident(s: &str) -> Ident {
    Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
}

fn demo_catalog() -> Catalog {
    let product = |id: &str, n: u64, look: &[&str]| Product {
        id: ident(id),
        name: id.to_uppercase(),
        brand: "Nord".into(),
        category: "menswear".into(),
        price_minor: 8900,
        currency: "EUR".into(),
        images: vec![format!("images/{id}.png")],
        variants: vec![Variant {
            sku: ident(&format!("{id}-48")),
            size: "48".into(),
            colour: "navy".into(),
            barcode: ean13(500_000_000_000 + n),
            stock: BTreeMap::from([("berlin-01".to_string(), 2)]),
            online: false,
        }],
        links: Links { completes_the_look: look.iter().map(|s| ident(s)).collect(), alternatives: vec![] },
    };
    Catalog { v: 1, products: vec![product("chinos", 1, &["blazer"]), product("blazer", 2, &[])], online: None }
}

#[tokio::test]
async fn sync_uses_etags_rejects_bad_catalogs_and_starts_offline() {
    let good = serde_json::to_vec(&demo_catalog()).unwrap_or_default();
    let served =
        Arc::new(Mutex::new(Served { body: good, etag: "\"v1\"".into(), if_none_match: vec![], image_requests: 0 }));
    let app = axum::Router::new()
        .route("/catalog.json", axum::routing::get(catalog))
        .route("/images/{name}", axum::routing::get(image))
        .with_state(served.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let url = format!("http://{}/catalog.json", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // First start: nothing cached; 200 with the catalog and its images.
    let mut store = CatalogStore::open(cache.path(), "").unwrap_or_else(|e| panic!("{e}"));
    assert!(store.current().is_none());
    assert_eq!(store.refresh(&url).await.ok(), Some(Refreshed::Updated { products: 2, images: 2 }));
    assert!(cache.path().join("catalog.json").exists() && cache.path().join("images/images/chinos.png").exists());

    // Unchanged: the ETag goes back and the answer is 304.
    assert_eq!(store.refresh(&url).await.ok(), Some(Refreshed::NotModified));
    assert_eq!(lock(&served).if_none_match, vec![None, Some("\"v1\"".to_string())]);
    assert_eq!(lock(&served).image_requests, 2);

    // A corrupt update: rejected, naming product and field; the good catalog stays in use.
    {
        let mut broken = demo_catalog();
        broken.products[1].variants[0].barcode = "5000000000021".into();
        let mut served = lock(&served);
        served.body = serde_json::to_vec(&broken).unwrap_or_default();
        served.etag = "\"v2\"".into();
    }
    match store.refresh(&url).await {
        Err(SyncError::Invalid { error, .. }) => {
            assert_eq!((error.product.as_str(), error.field.as_str()), ("`blazer`", "variants[0].barcode"), "{error}");
        }
        other => panic!("expected the corrupt catalog to be rejected, got {other:?}"),
    }
    lock(&served).body = b"{\"v\":1,\"products\":[{\"id\":\"x\"".to_vec();
    assert!(matches!(store.refresh(&url).await, Err(SyncError::Invalid { .. })), "truncated JSON");
    assert_eq!(store.current().map(|c| (*c).clone()), Some(demo_catalog()), "the good catalog is kept");

    // Offline start: the server is gone; a fresh store starts from the cache.
    server.abort();
    let _ = server.await;
    let mut offline = CatalogStore::open(cache.path(), "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(offline.current().map(|c| (*c).clone()), Some(demo_catalog()));
    assert!(matches!(offline.refresh(&url).await, Err(SyncError::Network { .. })));
    assert!(offline.current().is_some(), "a failed refresh keeps the catalog");
    assert!(offline.image_path("../../etc/passwd").is_none(), "image paths stay inside the cache");
}
