//! Fit feedback: the shopper's one-tap verdict on an item in the room ("Fits", "Too small",
//! "Too big", "Not for me") and the next size it leads to: the neighbouring size in the same
//! colour, in catalog order (catalogs list sizes smallest first), in stock in this store (then
//! the size request flow), else online when the catalog says so, else none.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Product, Variant};

/// What the shopper said about an item they tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FitVerdict {
    Fits,
    TooSmall,
    TooBig,
    NotForMe,
}

impl FitVerdict {
    pub const ALL: [FitVerdict; 4] = [FitVerdict::Fits, FitVerdict::TooSmall, FitVerdict::TooBig, FitVerdict::NotForMe];

    /// The chip's label on the mirror.
    pub fn label(self) -> &'static str {
        match self {
            FitVerdict::Fits => "Fits",
            FitVerdict::TooSmall => "Too small",
            FitVerdict::TooBig => "Too big",
            FitVerdict::NotForMe => "Not for me",
        }
    }
}

/// Where the next size is.
#[derive(Debug, Clone, PartialEq)]
pub enum NextSize<'a> {
    /// In stock in this store: an associate can bring it.
    Here { variant: &'a Variant, units: u32 },
    /// Not here, but the chain sells it online; the link, when the catalog has a shop template.
    Online { variant: &'a Variant, url: Option<String> },
    /// The size exists but neither here nor online.
    Unavailable { variant: &'a Variant },
    /// There is no larger (or smaller) size in this colour, or the verdict asks for none.
    NoSize,
}

/// The size `verdict` leads to from `current` (a variant of `product`) in `store`.
pub fn next_size<'a>(
    catalog: &Catalog,
    product: &'a Product,
    current: &Variant,
    verdict: FitVerdict,
    store: &str,
) -> NextSize<'a> {
    let same_colour: Vec<&'a Variant> = product.variants.iter().filter(|v| v.colour == current.colour).collect();
    let Some(at) = same_colour.iter().position(|v| v.sku == current.sku) else { return NextSize::NoSize };
    let next = match verdict {
        FitVerdict::TooSmall => same_colour.get(at + 1),
        FitVerdict::TooBig => at.checked_sub(1).and_then(|i| same_colour.get(i)),
        FitVerdict::Fits | FitVerdict::NotForMe => None,
    };
    let Some(&variant) = next else { return NextSize::NoSize };
    match variant.stock_in(store) {
        0 if variant.online => NextSize::Online { variant, url: catalog.online_url(product, variant) },
        0 => NextSize::Unavailable { variant },
        units => NextSize::Here { variant, units },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::Ident;

    fn catalog() -> Catalog {
        let json = include_bytes!("../../assets/catalog/catalog.json");
        Catalog::from_json(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn shirt<'a>(catalog: &'a Catalog, size: &str, colour: &str) -> (&'a Product, &'a Variant) {
        let id = Ident::new("oxford-shirt").unwrap_or_else(|e| panic!("{e}"));
        let Some(product) = catalog.product(&id) else { panic!("no shirt") };
        let Some(variant) = product.variants.iter().find(|v| v.size == size && v.colour == colour) else {
            panic!("no {size} {colour}")
        };
        (product, variant)
    }

    #[test]
    fn too_small_is_the_next_size_up_too_big_the_next_down_in_the_same_colour() {
        let catalog = catalog();
        let (product, m) = shirt(&catalog, "M", "white");
        // White L: 2 in the demo store.
        let up = next_size(&catalog, product, m, FitVerdict::TooSmall, "demo-store");
        assert!(matches!(up, NextSize::Here { variant, units: 2 } if variant.size == "L" && variant.colour == "white"));
        // White S: none in the demo store, sold online.
        let down = next_size(&catalog, product, m, FitVerdict::TooBig, "demo-store");
        let NextSize::Online { variant, url } = down else { panic!("{down:?}") };
        assert_eq!(
            (variant.size.as_str(), url.as_deref()),
            ("S", Some("https://shop.example.com/p/oxford-shirt?sku=oxford-shirt-white-S"))
        );
        for verdict in [FitVerdict::Fits, FitVerdict::NotForMe] {
            assert_eq!(next_size(&catalog, product, m, verdict, "demo-store"), NextSize::NoSize);
        }
    }

    #[test]
    fn the_ends_of_the_range_and_sizes_sold_nowhere() {
        let catalog = catalog();
        let (product, xl) = shirt(&catalog, "XL", "white");
        assert_eq!(next_size(&catalog, product, xl, FitVerdict::TooSmall, "demo-store"), NextSize::NoSize);
        let (product, xs) = shirt(&catalog, "XS", "navy");
        assert_eq!(next_size(&catalog, product, xs, FitVerdict::TooBig, "demo-store"), NextSize::NoSize);
        // Sky blue M: none in the demo store and not sold online.
        let (product, s) = shirt(&catalog, "S", "sky blue");
        let up = next_size(&catalog, product, s, FitVerdict::TooSmall, "demo-store");
        assert!(matches!(up, NextSize::Unavailable { variant } if variant.size == "M"), "{up:?}");
    }
}
