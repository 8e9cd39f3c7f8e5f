//! The demo catalog in `assets/catalog` (written by `cargo run -p products --example demo_catalog
//! -- assets/catalog`) is valid, big enough, has its images, and links that lead somewhere.

use std::{collections::BTreeSet, path::Path};

use protocol::catalog::{Catalog, Votes, suggestions};

fn demo() -> (Catalog, &'static Path) {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalog"));
    let bytes = std::fs::read(dir.join("catalog.json")).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    (Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("{e}")), dir)
}

#[test]
fn the_demo_catalog_is_valid_and_complete() {
    let (catalog, dir) = demo();
    assert!(catalog.products.len() >= 30, "{} products", catalog.products.len());
    let sizes =
        |p: &protocol::catalog::Product| p.variants.iter().map(|v| v.size.as_str()).collect::<BTreeSet<_>>().len();
    let colours =
        |p: &protocol::catalog::Product| p.variants.iter().map(|v| v.colour.as_str()).collect::<BTreeSet<_>>().len();
    assert!(catalog.products.iter().filter(|p| sizes(p) >= 3).count() >= 30, "several sizes");
    assert!(catalog.products.iter().filter(|p| colours(p) >= 2).count() >= 30, "several colours");
    for image in catalog.products.iter().flat_map(|p| &p.images) {
        let decoded = image::open(dir.join(image));
        assert!(decoded.is_ok(), "{image}: {decoded:?}");
    }
    let sold_out = catalog.products.iter().flat_map(|p| &p.variants).filter(|v| v.stock_in("demo-store") == 0).count();
    assert!(sold_out > 0, "some sizes are sold out, so the mirror's 'not in stock' path shows");
}

#[test]
fn every_demo_product_has_suggestions_in_stock() {
    let (catalog, _) = demo();
    for product in &catalog.products {
        let ranked = suggestions(&catalog, &product.id, "demo-store", &Votes::new(), 4);
        assert!(!ranked.is_empty(), "{} suggests nothing", product.id);
        assert!(ranked.iter().all(|s| s.product.in_stock("demo-store")));
    }
}
