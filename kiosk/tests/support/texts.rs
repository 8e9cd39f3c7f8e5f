//! The texts a kiosk drew, as written by its `--at …:texts=PATH` action, and what tests ask of
//! them: which texts are on screen, in which rows, and whether their glyphs reached the pixels.

use std::path::Path;

use image::RgbImage;

/// One drawn text and its rectangle, in the screenshot's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The button it is on: x, y, w, h.
    pub button: Option<(u32, u32, u32, u32)>,
}

pub struct Texts(pub Vec<Drawn>);

impl Texts {
    pub fn load(path: &Path) -> Texts {
        let json = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let values: Vec<serde_json::Value> =
            serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let px = |v: &serde_json::Value, key: &str| v[key].as_f64().unwrap_or(-1.0).max(0.0).round() as u32;
        let area = |v: &serde_json::Value| (px(v, "x"), px(v, "y"), px(v, "w"), px(v, "h"));
        Texts(
            values
                .iter()
                .map(|v| Drawn {
                    text: v["text"].as_str().unwrap_or_default().to_string(),
                    x: px(v, "x"),
                    y: px(v, "y"),
                    w: px(v, "w"),
                    h: px(v, "h"),
                    button: v["button"].is_object().then(|| area(&v["button"])),
                })
                .collect(),
        )
    }

    /// The text that reads exactly `text`; panics naming what is on screen if there is none.
    pub fn get(&self, text: &str) -> &Drawn {
        self.0.iter().find(|d| d.text == text).unwrap_or_else(|| panic!("{text:?} is not on screen: {:?}", self.all()))
    }

    pub fn has(&self, text: &str) -> bool {
        self.0.iter().any(|d| d.text == text)
    }

    pub fn all(&self) -> Vec<&str> {
        self.0.iter().map(|d| d.text.as_str()).collect()
    }

    /// The texts on the `n`th row below `anchor` (rows are distinct tops; n = 1 is the next one),
    /// left to right.
    pub fn row_below(&self, anchor: &str, n: usize) -> Vec<&Drawn> {
        let top = self.get(anchor).y;
        let mut tops: Vec<u32> = self.0.iter().map(|d| d.y).filter(|y| *y > top + 2).collect();
        tops.sort_unstable();
        tops.dedup_by(|a, b| a.abs_diff(*b) <= 2);
        let Some(row) = tops.get(n - 1) else { panic!("no row {n} below {anchor:?}: {:?}", self.all()) };
        let mut row: Vec<&Drawn> = self.0.iter().filter(|d| d.y.abs_diff(*row) <= 2).collect();
        row.sort_by_key(|d| d.x);
        row
    }

    /// The strings of [`Texts::row_below`].
    pub fn words_below(&self, anchor: &str, n: usize) -> Vec<&str> {
        self.row_below(anchor, n).into_iter().map(|d| d.text.as_str()).collect()
    }
}

/// `theme::INK` in sRGB: the colour of most text.
pub const INK_RGB: [u8; 3] = [247, 245, 240];
/// `theme::INK_DIM` in sRGB: secondary text ("sold out", "2 here").
pub const INK_DIM_RGB: [u8; 3] = [214, 209, 199];

/// Pixels inside `d`'s rectangle within 60 of the text's colour `ink`: its glyphs. Panels are
/// translucent, so the camera shows through around the letters, but never at the ink's
/// brightness; a text laid out but not drawn has none.
pub fn glyph_pixels(image: &RgbImage, d: &Drawn, ink: [u8; 3]) -> usize {
    let (x1, y1) = ((d.x + d.w).min(image.width()), (d.y + d.h).min(image.height()));
    (d.y..y1)
        .flat_map(|y| (d.x..x1).map(move |x| (x, y)))
        .filter(|(x, y)| image.get_pixel(*x, *y).0.iter().zip(ink).all(|(c, i)| c.abs_diff(i) <= 60))
        .count()
}

/// The text of the control that had the keyboard focus when `path` was written.
pub fn focused(path: &Path) -> String {
    let texts = Texts::load(path);
    let raw: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(path).unwrap_or_default()).unwrap_or_default();
    let found = raw.iter().find(|t| t["focused"] == true).and_then(|t| t["text"].as_str()).map(String::from);
    found.unwrap_or_else(|| panic!("nothing focused in {}: {:?}", path.display(), texts.all()))
}
