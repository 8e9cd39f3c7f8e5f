//! Writes the demo catalog: `cargo run -p products --example demo_catalog -- assets/catalog`.
//! 38 products of a small fashion store in several sizes and colours, with valid EAN-13 codes,
//! stock for the demo stores, complete-the-look and alternative links, which sizes the web shop
//! sells, and a drawn PNG for each.
//! Deterministic: running it again writes the same files.

use std::path::Path;

use image::{Rgb, RgbImage};
use protocol::{
    barcode::ean13,
    catalog::{Catalog, Links, OnlineShop, Product, Variant},
    telemetry::Ident,
};

/// The garment shape drawn for a category.
#[derive(Clone, Copy)]
enum Shape {
    Top,
    Trousers,
    Jacket,
    Dress,
    Skirt,
    Shoes,
    Belt,
    Scarf,
}

struct Item {
    id: &'static str,
    name: &'static str,
    category: &'static str,
    shape: Shape,
    price_minor: u32,
    colours: &'static [(&'static str, [u8; 3])],
    sizes: &'static [&'static str],
    look: &'static [&'static str],
    alternatives: &'static [&'static str],
}

const NAVY: (&str, [u8; 3]) = ("navy", [31, 45, 84]);
const BLACK: (&str, [u8; 3]) = ("black", [30, 30, 32]);
const WHITE: (&str, [u8; 3]) = ("white", [238, 236, 230]);
const SAND: (&str, [u8; 3]) = ("sand", [204, 183, 146]);
const OLIVE: (&str, [u8; 3]) = ("olive", [96, 104, 58]);
const BURGUNDY: (&str, [u8; 3]) = ("burgundy", [116, 30, 48]);
const GREY: (&str, [u8; 3]) = ("grey", [128, 130, 134]);
const DENIM: (&str, [u8; 3]) = ("denim", [63, 92, 135]);
const CAMEL: (&str, [u8; 3]) = ("camel", [178, 128, 72]);
const BROWN: (&str, [u8; 3]) = ("brown", [101, 67, 43]);
const SKY: (&str, [u8; 3]) = ("sky blue", [150, 190, 226]);
const ROSE: (&str, [u8; 3]) = ("rose", [214, 150, 160]);

const LETTERS: &[&str] = &["XS", "S", "M", "L", "XL"];
const WAIST: &[&str] = &["28", "30", "32", "34", "36"];
const EU_SUITS: &[&str] = &["46", "48", "50", "52", "54"];
const SHOE: &[&str] = &["39", "40", "41", "42", "43", "44"];
const ONE: &[&str] = &["one size"];
const BELT_SIZES: &[&str] = &["85", "90", "95", "100"];

#[rustfmt::skip]
const ITEMS: &[Item] = &[
    Item { id: "oxford-shirt", name: "Oxford shirt", category: "shirts", shape: Shape::Top, price_minor: 4995, colours: &[WHITE, SKY, NAVY], sizes: LETTERS, look: &["slim-chinos", "navy-blazer", "suede-loafers", "leather-belt"], alternatives: &["linen-shirt", "denim-shirt"] },
    Item { id: "linen-shirt", name: "Linen shirt", category: "shirts", shape: Shape::Top, price_minor: 5995, colours: &[WHITE, SAND, SKY], sizes: LETTERS, look: &["linen-trousers", "canvas-sneakers", "woven-belt"], alternatives: &["oxford-shirt"] },
    Item { id: "denim-shirt", name: "Denim shirt", category: "shirts", shape: Shape::Top, price_minor: 5495, colours: &[DENIM], sizes: LETTERS, look: &["slim-chinos", "chelsea-boots"], alternatives: &["oxford-shirt", "flannel-shirt"] },
    Item { id: "flannel-shirt", name: "Flannel shirt", category: "shirts", shape: Shape::Top, price_minor: 4995, colours: &[BURGUNDY, OLIVE], sizes: LETTERS, look: &["straight-jeans", "chelsea-boots", "field-jacket"], alternatives: &["denim-shirt"] },
    Item { id: "crew-tee", name: "Crew-neck T-shirt", category: "t-shirts", shape: Shape::Top, price_minor: 1995, colours: &[WHITE, BLACK, GREY, NAVY], sizes: LETTERS, look: &["straight-jeans", "canvas-sneakers", "bomber-jacket"], alternatives: &["pocket-tee", "polo-shirt"] },
    Item { id: "pocket-tee", name: "Pocket T-shirt", category: "t-shirts", shape: Shape::Top, price_minor: 2495, colours: &[OLIVE, SAND, NAVY], sizes: LETTERS, look: &["cargo-trousers", "canvas-sneakers"], alternatives: &["crew-tee"] },
    Item { id: "polo-shirt", name: "Piqué polo", category: "t-shirts", shape: Shape::Top, price_minor: 3995, colours: &[NAVY, WHITE, BURGUNDY], sizes: LETTERS, look: &["slim-chinos", "suede-loafers"], alternatives: &["crew-tee", "oxford-shirt"] },
    Item { id: "merino-sweater", name: "Merino sweater", category: "knitwear", shape: Shape::Top, price_minor: 7995, colours: &[GREY, NAVY, CAMEL], sizes: LETTERS, look: &["wool-trousers", "chelsea-boots", "wool-coat"], alternatives: &["cable-cardigan", "cashmere-scarf"] },
    Item { id: "cable-cardigan", name: "Cable-knit cardigan", category: "knitwear", shape: Shape::Jacket, price_minor: 8995, colours: &[SAND, GREY], sizes: LETTERS, look: &["crew-tee", "straight-jeans"], alternatives: &["merino-sweater"] },
    Item { id: "hoodie", name: "Loopback hoodie", category: "knitwear", shape: Shape::Jacket, price_minor: 5995, colours: &[GREY, BLACK, OLIVE], sizes: LETTERS, look: &["jogger-trousers", "canvas-sneakers"], alternatives: &["cable-cardigan"] },
    Item { id: "slim-chinos", name: "Slim chinos", category: "trousers", shape: Shape::Trousers, price_minor: 5995, colours: &[SAND, NAVY, OLIVE], sizes: WAIST, look: &["oxford-shirt", "navy-blazer", "leather-belt", "suede-loafers"], alternatives: &["straight-jeans", "wool-trousers"] },
    Item { id: "straight-jeans", name: "Straight jeans", category: "trousers", shape: Shape::Trousers, price_minor: 6995, colours: &[DENIM, BLACK], sizes: WAIST, look: &["crew-tee", "bomber-jacket", "leather-belt", "chelsea-boots"], alternatives: &["slim-chinos", "cargo-trousers"] },
    Item { id: "wool-trousers", name: "Wool trousers", category: "trousers", shape: Shape::Trousers, price_minor: 9995, colours: &[GREY, NAVY], sizes: EU_SUITS, look: &["navy-blazer", "oxford-shirt", "derby-shoes"], alternatives: &["slim-chinos"] },
    Item { id: "linen-trousers", name: "Linen trousers", category: "trousers", shape: Shape::Trousers, price_minor: 6995, colours: &[SAND, WHITE], sizes: WAIST, look: &["linen-shirt", "canvas-sneakers"], alternatives: &["slim-chinos"] },
    Item { id: "cargo-trousers", name: "Cargo trousers", category: "trousers", shape: Shape::Trousers, price_minor: 6495, colours: &[OLIVE, BLACK], sizes: WAIST, look: &["pocket-tee", "field-jacket"], alternatives: &["straight-jeans", "jogger-trousers"] },
    Item { id: "jogger-trousers", name: "Joggers", category: "trousers", shape: Shape::Trousers, price_minor: 4995, colours: &[GREY, BLACK], sizes: LETTERS, look: &["hoodie", "canvas-sneakers"], alternatives: &["cargo-trousers"] },
    Item { id: "navy-blazer", name: "Unstructured blazer", category: "jackets", shape: Shape::Jacket, price_minor: 17995, colours: &[NAVY, GREY], sizes: EU_SUITS, look: &["oxford-shirt", "wool-trousers", "derby-shoes"], alternatives: &["field-jacket"] },
    Item { id: "field-jacket", name: "Field jacket", category: "jackets", shape: Shape::Jacket, price_minor: 14995, colours: &[OLIVE, SAND], sizes: LETTERS, look: &["flannel-shirt", "cargo-trousers", "chelsea-boots"], alternatives: &["bomber-jacket", "navy-blazer"] },
    Item { id: "bomber-jacket", name: "Bomber jacket", category: "jackets", shape: Shape::Jacket, price_minor: 12995, colours: &[BLACK, OLIVE], sizes: LETTERS, look: &["crew-tee", "straight-jeans", "canvas-sneakers"], alternatives: &["field-jacket"] },
    Item { id: "wool-coat", name: "Wool overcoat", category: "coats", shape: Shape::Jacket, price_minor: 24995, colours: &[CAMEL, GREY, BLACK], sizes: EU_SUITS, look: &["merino-sweater", "wool-trousers", "cashmere-scarf", "chelsea-boots"], alternatives: &["trench-coat"] },
    Item { id: "trench-coat", name: "Trench coat", category: "coats", shape: Shape::Jacket, price_minor: 21995, colours: &[SAND, NAVY], sizes: LETTERS, look: &["silk-blouse", "pleated-skirt", "ankle-boots"], alternatives: &["wool-coat"] },
    Item { id: "wrap-dress", name: "Wrap dress", category: "dresses", shape: Shape::Dress, price_minor: 8995, colours: &[BURGUNDY, NAVY, ROSE], sizes: LETTERS, look: &["ankle-boots", "trench-coat", "silk-scarf"], alternatives: &["shirt-dress", "slip-dress"] },
    Item { id: "shirt-dress", name: "Shirt dress", category: "dresses", shape: Shape::Dress, price_minor: 7995, colours: &[SKY, WHITE, OLIVE], sizes: LETTERS, look: &["canvas-sneakers", "woven-belt"], alternatives: &["wrap-dress"] },
    Item { id: "slip-dress", name: "Satin slip dress", category: "dresses", shape: Shape::Dress, price_minor: 9995, colours: &[BLACK, ROSE], sizes: LETTERS, look: &["cable-cardigan", "ballet-flats"], alternatives: &["wrap-dress"] },
    Item { id: "silk-blouse", name: "Silk blouse", category: "blouses", shape: Shape::Top, price_minor: 8995, colours: &[WHITE, ROSE, BLACK], sizes: LETTERS, look: &["pleated-skirt", "high-waist-trousers", "ballet-flats"], alternatives: &["linen-shirt"] },
    Item { id: "pleated-skirt", name: "Pleated midi skirt", category: "skirts", shape: Shape::Skirt, price_minor: 6995, colours: &[BLACK, CAMEL, OLIVE], sizes: LETTERS, look: &["silk-blouse", "merino-sweater", "ankle-boots"], alternatives: &["denim-skirt"] },
    Item { id: "denim-skirt", name: "Denim skirt", category: "skirts", shape: Shape::Skirt, price_minor: 4995, colours: &[DENIM], sizes: LETTERS, look: &["crew-tee", "canvas-sneakers"], alternatives: &["pleated-skirt"] },
    Item { id: "high-waist-trousers", name: "High-waist trousers", category: "trousers", shape: Shape::Trousers, price_minor: 7995, colours: &[BLACK, CAMEL, WHITE], sizes: LETTERS, look: &["silk-blouse", "leather-belt", "ballet-flats"], alternatives: &["straight-jeans"] },
    Item { id: "suede-loafers", name: "Suede loafers", category: "shoes", shape: Shape::Shoes, price_minor: 11995, colours: &[BROWN, NAVY], sizes: SHOE, look: &["slim-chinos", "polo-shirt"], alternatives: &["derby-shoes"] },
    Item { id: "derby-shoes", name: "Leather derbies", category: "shoes", shape: Shape::Shoes, price_minor: 13995, colours: &[BLACK, BROWN], sizes: SHOE, look: &["wool-trousers", "navy-blazer"], alternatives: &["suede-loafers", "chelsea-boots"] },
    Item { id: "chelsea-boots", name: "Chelsea boots", category: "shoes", shape: Shape::Shoes, price_minor: 14995, colours: &[BROWN, BLACK], sizes: SHOE, look: &["straight-jeans", "wool-coat"], alternatives: &["derby-shoes", "ankle-boots"] },
    Item { id: "canvas-sneakers", name: "Canvas sneakers", category: "shoes", shape: Shape::Shoes, price_minor: 5995, colours: &[WHITE, BLACK, NAVY], sizes: SHOE, look: &["crew-tee", "straight-jeans"], alternatives: &["suede-loafers"] },
    Item { id: "ankle-boots", name: "Ankle boots", category: "shoes", shape: Shape::Shoes, price_minor: 12995, colours: &[BLACK, CAMEL], sizes: SHOE, look: &["wrap-dress", "pleated-skirt"], alternatives: &["chelsea-boots", "ballet-flats"] },
    Item { id: "ballet-flats", name: "Ballet flats", category: "shoes", shape: Shape::Shoes, price_minor: 7995, colours: &[BLACK, ROSE], sizes: SHOE, look: &["slip-dress", "high-waist-trousers"], alternatives: &["ankle-boots"] },
    Item { id: "leather-belt", name: "Leather belt", category: "accessories", shape: Shape::Belt, price_minor: 3995, colours: &[BROWN, BLACK], sizes: BELT_SIZES, look: &["slim-chinos", "straight-jeans"], alternatives: &["woven-belt"] },
    Item { id: "woven-belt", name: "Woven belt", category: "accessories", shape: Shape::Belt, price_minor: 2995, colours: &[SAND, NAVY], sizes: BELT_SIZES, look: &["linen-trousers", "shirt-dress"], alternatives: &["leather-belt"] },
    Item { id: "cashmere-scarf", name: "Cashmere scarf", category: "accessories", shape: Shape::Scarf, price_minor: 8995, colours: &[CAMEL, GREY, BURGUNDY], sizes: ONE, look: &["wool-coat", "merino-sweater"], alternatives: &["silk-scarf"] },
    Item { id: "silk-scarf", name: "Silk scarf", category: "accessories", shape: Shape::Scarf, price_minor: 5995, colours: &[ROSE, NAVY], sizes: ONE, look: &["trench-coat", "wrap-dress"], alternatives: &["cashmere-scarf"] },
];

/// Stores with stock in the demo.
const STORES: &[&str] = &["demo-store", "berlin-01"];

fn ident(s: &str) -> Result<Ident, String> {
    Ident::new(s).map_err(|e| format!("{s}: {e}"))
}

/// Deterministic stock: mostly a few units, some sizes sold out.
fn stock(seed: u64) -> u32 {
    let mixed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    match mixed % 7 {
        0 => 0,
        n => (n % 5) as u32 + 1,
    }
}

/// Whether (x, y), in 0..1 units, is inside the garment.
fn inside(shape: Shape, x: f32, y: f32) -> bool {
    let body = |x0: f32, x1: f32, y0: f32, y1: f32| (x0..x1).contains(&x) && (y0..y1).contains(&y);
    match shape {
        Shape::Top => {
            body(0.3, 0.7, 0.2, 0.85) || (body(0.12, 0.88, 0.2, 0.42) && y - 0.2 < 0.22 - (x - 0.5).abs() * 0.25)
        }
        Shape::Jacket => {
            (body(0.28, 0.72, 0.15, 0.9) || body(0.1, 0.9, 0.15, 0.75) && !body(0.26, 0.74, 0.32, 0.9))
                && !(body(0.47, 0.53, 0.15, 0.9))
        }
        Shape::Trousers => body(0.3, 0.7, 0.1, 0.3) || body(0.3, 0.48, 0.3, 0.92) || body(0.52, 0.7, 0.3, 0.92),
        Shape::Dress => {
            body(0.36, 0.64, 0.1, 0.4) || ((0.4..0.92).contains(&y) && (x - 0.5).abs() < 0.14 + (y - 0.4) * 0.45)
        }
        Shape::Skirt => (0.25..0.8).contains(&y) && (x - 0.5).abs() < 0.16 + (y - 0.25) * 0.4,
        Shape::Shoes => {
            let shoe = |cx: f32| {
                ((x - cx) / 0.17).powi(2) + ((y - 0.62) / 0.1).powi(2) < 1.0 || body(cx - 0.17, cx - 0.02, 0.45, 0.62)
            };
            shoe(0.3) || shoe(0.72)
        }
        Shape::Belt => body(0.08, 0.92, 0.45, 0.55) && !body(0.2, 0.26, 0.47, 0.53),
        Shape::Scarf => body(0.3, 0.7, 0.12, 0.3) || body(0.3, 0.44, 0.3, 0.9) || body(0.56, 0.7, 0.3, 0.75),
    }
}

fn draw(shape: Shape, colour: [u8; 3]) -> RgbImage {
    let (w, h) = (240u32, 300u32);
    RgbImage::from_fn(w, h, |px, py| {
        let (x, y) = (px as f32 / w as f32, py as f32 / h as f32);
        if inside(shape, x, y) {
            // A soft light from the top left.
            let shade = 1.0 - 0.25 * (x * 0.5 + y);
            Rgb(colour.map(|c| (f32::from(c) * shade).clamp(0.0, 255.0) as u8))
        } else {
            Rgb([246, 244, 240])
        }
    })
}

fn main() -> Result<(), String> {
    let out = std::env::args().nth(1).ok_or("usage: demo_catalog OUT_DIR")?;
    let out = Path::new(&out);
    std::fs::create_dir_all(out.join("images")).map_err(|e| e.to_string())?;
    let mut products = Vec::new();
    let mut next_code = 0u64;
    for item in ITEMS {
        let mut variants = Vec::new();
        let mut images = Vec::new();
        for (colour, rgb) in item.colours {
            let image = format!("images/{}-{}.png", item.id, colour.replace(' ', "-"));
            draw(item.shape, *rgb).save(out.join(&image)).map_err(|e| format!("{image}: {e}"))?;
            images.push(image);
            for size in item.sizes {
                next_code += 1;
                let sku = format!("{}-{}-{}", item.id, colour.replace(' ', "-"), size.replace(' ', "-"));
                let stock =
                    STORES.iter().enumerate().map(|(i, s)| (s.to_string(), stock(next_code * 31 + i as u64))).collect();
                variants.push(Variant {
                    sku: ident(&sku)?,
                    size: size.to_string(),
                    colour: colour.to_string(),
                    barcode: ean13(400_638_100_000 + next_code),
                    stock,
                    // Three in four sizes are sold in the web shop too.
                    online: next_code % 4 != 0,
                });
            }
        }
        products.push(Product {
            id: ident(item.id)?,
            name: item.name.to_string(),
            brand: "Fitting Room".to_string(),
            category: item.category.to_string(),
            price_minor: item.price_minor,
            currency: "EUR".to_string(),
            images,
            variants,
            links: Links {
                completes_the_look: item.look.iter().map(|s| ident(s)).collect::<Result<_, _>>()?,
                alternatives: item.alternatives.iter().map(|s| ident(s)).collect::<Result<_, _>>()?,
            },
        });
    }
    let online = Some(OnlineShop { product_url: "https://shop.example.com/p/{product}?sku={sku}".to_string() });
    let catalog = Catalog { v: 1, products, online };
    catalog.validate().map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&catalog).map_err(|e| e.to_string())?;
    std::fs::write(out.join("catalog.json"), json + "\n").map_err(|e| e.to_string())?;
    let variants: usize = catalog.products.iter().map(|p| p.variants.len()).sum();
    println!("{} products, {variants} variants, written to {}", catalog.products.len(), out.display());
    Ok(())
}
