//! The product catalog: its JSON schema, validation whose every error names the product and the
//! field, lookups by barcode and SKU, the sizes and colours of a product with this store's stock,
//! and the ranking of "complete the look" and alternative suggestions.
//!
//! Stock rule: a variant is offered as available only with stock above zero in this store;
//! suggestions never include a product with nothing in stock here.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{barcode::Gtin, labels::check_label, telemetry::Ident};

/// A whole catalog as fetched (`catalog.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub v: u32,
    pub products: Vec<Product>,
    /// The chain's web shop, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<OnlineShop>,
}

/// The chain's web shop: where "available online" and "Buy online" link to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineShop {
    /// An https URL with `{product}` and/or `{sku}` in it, e.g.
    /// `https://shop.example.com/p/{product}?sku={sku}`.
    pub product_url: String,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Longest `online.product_url`, in bytes.
const MAX_URL_LEN: usize = 512;

impl OnlineShop {
    /// The template's rules: https, at most 512 bytes, no spaces or control characters, and only
    /// the placeholders `{product}` and `{sku}`, at least one of them.
    pub fn check(&self) -> Result<(), String> {
        let url = &self.product_url;
        if !url.starts_with("https://") || url.len() <= "https://".len() {
            return Err(format!("{url:?} must be an https:// address"));
        }
        if url.len() > MAX_URL_LEN {
            return Err(format!("is {} bytes long, at most {MAX_URL_LEN}", url.len()));
        }
        if let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("must not contain {bad:?}"));
        }
        let rest = url.replace("{product}", "").replace("{sku}", "");
        if rest.contains('{') || rest.contains('}') {
            return Err("only {product} and {sku} may be filled in".into());
        }
        if rest.len() == url.len() {
            return Err("needs {product} or {sku} to link to an item".into());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: Ident,
    pub name: String,
    pub brand: String,
    pub category: String,
    /// Price in the currency's minor unit (cents).
    pub price_minor: u32,
    /// ISO 4217, e.g. "EUR".
    pub currency: String,
    /// Image paths relative to the catalog, or URLs.
    pub images: Vec<String>,
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub links: Links,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub sku: Ident,
    pub size: String,
    pub colour: String,
    /// EAN-13 or UPC-A printed on the tag.
    pub barcode: String,
    /// Units in stock per store id.
    #[serde(default)]
    pub stock: BTreeMap<String, u32>,
    /// Sold in the chain's web shop.
    #[serde(default, skip_serializing_if = "is_false")]
    pub online: bool,
}

/// Products linked to this one, by product id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// Items that complete the look (the jacket for these trousers).
    #[serde(default)]
    pub completes_the_look: Vec<Ident>,
    /// Items to try instead (another cut of the same trousers).
    #[serde(default)]
    pub alternatives: Vec<Ident>,
}

/// A catalog problem: which product (id, or position when the id itself is bad), which field,
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("product {product}: {field}: {problem}")]
pub struct CatalogError {
    pub product: String,
    pub field: String,
    pub problem: String,
}

impl Catalog {
    /// Parses and validates catalog JSON. A syntax or type error names the product by position
    /// and the field by path.
    pub fn from_json(json: &[u8]) -> Result<Self, CatalogError> {
        let catalog: Catalog = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(json))
            .map_err(|e| {
                let path = e.path().to_string();
                let (product, field) = match path.strip_prefix("products[").and_then(|rest| rest.split_once(']')) {
                    Some((index, rest)) => (format!("#{index}"), rest.trim_start_matches('.').to_string()),
                    None => ("-".to_string(), path),
                };
                CatalogError { product, field, problem: e.inner().to_string() }
            })?;
        catalog.validate()?;
        Ok(catalog)
    }

    /// Every rule serde cannot express. Returns the first problem.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let fail = |product: &Product, field: String, problem: String| {
            Err(CatalogError { product: format!("`{}`", product.id), field, problem })
        };
        if self.products.is_empty() {
            return Err(CatalogError { product: "-".into(), field: "products".into(), problem: "is empty".into() });
        }
        if let Some(Err(problem)) = self.online.as_ref().map(OnlineShop::check) {
            return Err(CatalogError { product: "-".into(), field: "online.product_url".into(), problem });
        }
        let ids: HashSet<&Ident> = self.products.iter().map(|p| &p.id).collect();
        let mut seen_ids = HashSet::new();
        let mut seen_skus = HashMap::new();
        let mut seen_barcodes = HashMap::new();
        for product in &self.products {
            if !seen_ids.insert(&product.id) {
                return fail(product, "id".into(), "appears twice in the catalog".into());
            }
            // Names, sizes and colours end up in size requests: the staff side's label rules apply.
            for (field, value) in [("name", &product.name), ("brand", &product.brand), ("category", &product.category)]
            {
                if let Err(problem) = check_label(value) {
                    return fail(product, field.into(), problem);
                }
            }
            if product.price_minor == 0 {
                return fail(product, "price_minor".into(), "must be above zero".into());
            }
            if product.currency.len() != 3 || !product.currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return fail(
                    product,
                    "currency".into(),
                    format!("{:?} is not an ISO 4217 code like \"EUR\"", product.currency),
                );
            }
            if product.images.is_empty() {
                return fail(product, "images".into(), "needs at least one image".into());
            }
            if product.variants.is_empty() {
                return fail(product, "variants".into(), "needs at least one size or colour".into());
            }
            for (i, variant) in product.variants.iter().enumerate() {
                let at = |field: &str| format!("variants[{i}].{field}");
                for (field, value) in [("size", &variant.size), ("colour", &variant.colour)] {
                    if let Err(problem) = check_label(value) {
                        return fail(product, at(field), problem);
                    }
                }
                if let Some(other) = seen_skus.insert(&variant.sku, &product.id) {
                    return fail(product, at("sku"), format!("{} is also used by product `{other}`", variant.sku));
                }
                let gtin = match Gtin::parse(&variant.barcode) {
                    Ok(gtin) => gtin,
                    Err(e) => return fail(product, at("barcode"), e.to_string()),
                };
                if let Some(other) = seen_barcodes.insert(gtin, &product.id) {
                    return fail(product, at("barcode"), format!("{gtin} is also used by product `{other}`"));
                }
            }
            let links = [
                ("links.completes_the_look", &product.links.completes_the_look),
                ("links.alternatives", &product.links.alternatives),
            ];
            for (field, targets) in links {
                for (i, target) in targets.iter().enumerate() {
                    if target == &product.id {
                        return fail(product, format!("{field}[{i}]"), "links the product to itself".into());
                    }
                    if !ids.contains(target) {
                        return fail(product, format!("{field}[{i}]"), format!("`{target}` is not in the catalog"));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn product(&self, id: &Ident) -> Option<&Product> {
        self.products.iter().find(|p| &p.id == id)
    }

    /// The product and variant whose tag carries `code` (EAN-13 or UPC-A).
    pub fn by_barcode(&self, code: &Gtin) -> Option<(&Product, &Variant)> {
        self.products
            .iter()
            .find_map(|p| p.variants.iter().find(|v| Gtin::parse(&v.barcode).is_ok_and(|g| &g == code)).map(|v| (p, v)))
    }

    /// The web shop's page of `variant`, if it is sold online and the chain has a shop.
    pub fn online_url(&self, product: &Product, variant: &Variant) -> Option<String> {
        let shop = self.online.as_ref().filter(|_| variant.online)?;
        Some(shop.product_url.replace("{product}", product.id.as_str()).replace("{sku}", variant.sku.as_str()))
    }

    pub fn by_sku(&self, sku: &Ident) -> Option<(&Product, &Variant)> {
        self.products.iter().find_map(|p| p.variants.iter().find(|v| &v.sku == sku).map(|v| (p, v)))
    }
}

impl Variant {
    /// Units in stock in `store` (0 when the catalog says nothing).
    pub fn stock_in(&self, store: &str) -> u32 {
        self.stock.get(store).copied().unwrap_or(0)
    }
}

impl Product {
    /// Whether anything of this product is in stock in `store`.
    pub fn in_stock(&self, store: &str) -> bool {
        self.variants.iter().any(|v| v.stock_in(store) > 0)
    }

    /// Its colours, each once, in catalog order.
    pub fn colours(&self) -> Vec<&str> {
        let mut colours: Vec<&str> = Vec::new();
        for variant in &self.variants {
            if !colours.contains(&variant.colour.as_str()) {
                colours.push(&variant.colour);
            }
        }
        colours
    }

    /// Units in stock in `store`, of one `colour` or of every colour (`None`).
    pub fn units(&self, store: &str, colour: Option<&str>) -> u32 {
        self.variants.iter().filter(|v| colour.is_none_or(|c| v.colour == c)).map(|v| v.stock_in(store)).sum()
    }
}

/// Why a product is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    CompletesTheLook,
    Alternative,
}

/// One ranked suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion<'a> {
    pub product: &'a Product,
    pub reason: Reason,
    /// Units across its variants in this store (always above zero).
    pub units: u32,
    pub score: f32,
}

/// Friends' buy (+) and skip (−) votes per product while sharing.
pub type Votes = HashMap<Ident, i32>;

/// Suggestions for `for_product` in `store`, best first, at most `limit`. Links the product makes
/// count most (complete-the-look above alternatives), links made to it by others count less;
/// plenty of stock and friends' votes raise a suggestion. Products with nothing in stock here are
/// never suggested.
pub fn suggestions<'a>(
    catalog: &'a Catalog,
    for_product: &Ident,
    store: &str,
    votes: &Votes,
    limit: usize,
) -> Vec<Suggestion<'a>> {
    let Some(source) = catalog.product(for_product) else { return Vec::new() };
    let mut scored: BTreeMap<&Ident, (Reason, f32)> = BTreeMap::new();
    let mut add = |id: &'a Ident, reason: Reason, weight: f32| {
        let entry = scored.entry(id).or_insert((reason, 0.0));
        entry.1 += weight;
        if reason == Reason::CompletesTheLook {
            entry.0 = reason;
        }
    };
    for id in &source.links.completes_the_look {
        add(id, Reason::CompletesTheLook, 3.0);
    }
    for id in &source.links.alternatives {
        add(id, Reason::Alternative, 2.0);
    }
    for other in catalog.products.iter().filter(|p| p.id != source.id) {
        if other.links.completes_the_look.contains(&source.id) {
            add(&other.id, Reason::CompletesTheLook, 1.0);
        }
        if other.links.alternatives.contains(&source.id) {
            add(&other.id, Reason::Alternative, 0.5);
        }
    }
    let mut ranked: Vec<Suggestion<'a>> = scored
        .into_iter()
        .filter_map(|(id, (reason, links))| {
            let product = catalog.product(id)?;
            let units = product.units(store, None);
            if units == 0 {
                return None;
            }
            let stock = (units.min(10) as f32) / 10.0;
            let vote = votes.get(id).copied().unwrap_or(0).clamp(-5, 5) as f32 * 0.4;
            Some(Suggestion { product, reason, units, score: links + stock + vote })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.product.id.cmp(&b.product.id)));
    ranked.truncate(limit);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Ident {
        Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn barcode(n: u64) -> String {
        crate::barcode::ean13(400_000_000_000 + n)
    }

    fn product(name: &str, n: u64, stock: u32, links: Links) -> Product {
        Product {
            id: id(name),
            name: name.to_uppercase(),
            brand: "Nord".into(),
            category: "tops".into(),
            price_minor: 4999,
            currency: "EUR".into(),
            images: vec![format!("{name}.png")],
            variants: vec![Variant {
                sku: id(&format!("{name}-m")),
                size: "M".into(),
                colour: "navy".into(),
                barcode: barcode(n),
                stock: BTreeMap::from([("s1".to_string(), stock)]),
                online: false,
            }],
            links,
        }
    }

    fn catalog() -> Catalog {
        let links = |look: &[&str], alt: &[&str]| Links {
            completes_the_look: look.iter().map(|s| id(s)).collect(),
            alternatives: alt.iter().map(|s| id(s)).collect(),
        };
        Catalog {
            v: 1,
            products: vec![
                product("chinos", 1, 3, links(&["blazer", "belt", "loafers"], &["jeans"])),
                product("blazer", 2, 1, links(&[], &[])),
                product("belt", 3, 0, links(&[], &[])),
                product("loafers", 4, 12, links(&[], &[])),
                product("jeans", 5, 4, links(&[], &[])),
                product("shirt", 6, 2, links(&["chinos"], &[])),
            ],
            online: None,
        }
    }

    #[test]
    fn suggestions_rank_by_links_stock_and_votes_and_skip_what_is_out_of_stock() {
        let catalog = catalog();
        let ranked = suggestions(&catalog, &id("chinos"), "s1", &Votes::new(), 10);
        let names: Vec<&str> = ranked.iter().map(|s| s.product.id.as_str()).collect();
        assert_eq!(names, ["loafers", "blazer", "jeans", "shirt"], "{ranked:#?}");
        assert!(ranked.iter().all(|s| s.units > 0 && s.product.in_stock("s1")), "never offer out of stock");
        assert!(!names.contains(&"belt"), "the belt has no stock here");
        assert_eq!(ranked[3].reason, Reason::CompletesTheLook, "the shirt names the chinos as its look");

        let votes = Votes::from([(id("jeans"), 5)]);
        let voted = suggestions(&catalog, &id("chinos"), "s1", &votes, 2);
        assert_eq!(voted.iter().map(|s| s.product.id.as_str()).collect::<Vec<_>>(), ["jeans", "loafers"]);
        assert!(suggestions(&catalog, &id("chinos"), "other-store", &Votes::new(), 10).is_empty());
        assert!(suggestions(&catalog, &id("unknown"), "s1", &Votes::new(), 10).is_empty());
    }

    #[test]
    fn the_shop_link_template_is_checked_and_filled_in() {
        let problem = |url: &str| {
            let mut catalog = catalog();
            catalog.online = Some(OnlineShop { product_url: url.into() });
            catalog.validate().err().map(|e| e.to_string()).unwrap_or_default()
        };
        assert_eq!(problem("https://shop.example.com/p/{product}?sku={sku}"), "");
        assert_eq!(
            problem("http://shop.example.com/p/{sku}"),
            "product -: online.product_url: \"http://shop.example.com/p/{sku}\" must be an https:// address"
        );
        assert_eq!(
            problem("https://shop.example.com/p/{id}"),
            "product -: online.product_url: only {product} and {sku} may be filled in"
        );
        assert_eq!(
            problem("https://shop.example.com/"),
            "product -: online.product_url: needs {product} or {sku} to link to an item"
        );
        assert_eq!(problem("https://shop.example.com/p {sku}"), "product -: online.product_url: must not contain ' '");
        let long = format!("https://shop.example.com/{}{{sku}}", "a".repeat(600));
        assert!(problem(&long).contains("at most 512"), "{}", problem(&long));

        let mut catalog = catalog();
        catalog.online = Some(OnlineShop { product_url: "https://shop.example.com/p/{product}?sku={sku}".into() });
        let (shirt, variant) = (&catalog.products[5], &catalog.products[5].variants[0]);
        assert_eq!(catalog.online_url(shirt, variant), None, "not sold online: no link");
        let mut online = variant.clone();
        online.online = true;
        assert_eq!(catalog.online_url(shirt, &online).as_deref(), Some("https://shop.example.com/p/shirt?sku=shirt-m"));
    }

    #[test]
    fn validation_names_the_product_and_the_field() {
        let problem = |change: &dyn Fn(&mut Catalog)| {
            let mut catalog = catalog();
            change(&mut catalog);
            catalog.validate().err().map(|e| e.to_string()).unwrap_or_default()
        };
        assert_eq!(
            problem(&|c| c.products[2].variants[0].barcode = "4000000000032".into()),
            "product `belt`: variants[0].barcode: 4000000000032 has a bad check digit (expected 7)"
        );
        assert_eq!(
            problem(&|c| c.products[1].links.alternatives.push(id("hat"))),
            "product `blazer`: links.alternatives[0]: `hat` is not in the catalog"
        );
        assert_eq!(problem(&|c| c.products[4].price_minor = 0), "product `jeans`: price_minor: must be above zero");
        assert_eq!(
            problem(&|c| c.products[5].variants[0].sku = id("chinos-m")),
            "product `shirt`: variants[0].sku: chinos-m is also used by product `chinos`"
        );
        assert_eq!(
            problem(&|c| c.products[3].currency = "euro".into()),
            "product `loafers`: currency: \"euro\" is not an ISO 4217 code like \"EUR\""
        );
        assert_eq!(
            problem(&|c| c.products[0].variants.clear()),
            "product `chinos`: variants: needs at least one size or colour"
        );
        assert_eq!(problem(&|c| c.products[5].id = id("blazer")), "product `blazer`: id: appears twice in the catalog");
        assert_eq!(
            problem(&|c| c.products[5].variants[0].size = "M\tL".into()),
            "product `shirt`: variants[0].size: control characters are not allowed (found '\\t')"
        );
        assert!(problem(&|c| c.products[1].name = "Blazer\n".into()).starts_with("product `blazer`: name: control"));
        assert!(
            problem(&|c| c.products[1].variants[0].colour = " ".into()).contains("variants[0].colour: must be 1 to 80")
        );
    }

    #[test]
    fn json_errors_name_the_product_position_and_field() {
        let mut json = serde_json::to_value(catalog()).unwrap_or_default();
        json["products"][2]["variants"][0]["stock"]["s1"] = serde_json::json!("many");
        let error = Catalog::from_json(json.to_string().as_bytes()).err();
        let error = error.unwrap_or_else(|| panic!("accepted"));
        assert_eq!((error.product.as_str(), error.field.as_str()), ("#2", "variants[0].stock.s1"));
        let good = serde_json::to_vec(&catalog()).unwrap_or_default();
        assert_eq!(Catalog::from_json(&good), Ok(catalog()));
    }

    #[test]
    fn lookups_by_barcode_and_sku() {
        let catalog = catalog();
        let code = Gtin::parse(&barcode(4)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(catalog.by_barcode(&code).map(|(p, _)| p.id.as_str()), Some("loafers"));
        assert_eq!(catalog.by_sku(&id("jeans-m")).map(|(_, v)| v.stock_in("s1")), Some(4));
        let unknown = Gtin::parse("036000291452").unwrap_or_else(|e| panic!("{e}"));
        assert!(catalog.by_barcode(&unknown).is_none());
    }
}
