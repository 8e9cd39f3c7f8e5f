//! `[theme]`: the chain's brand on the mirror: its accent colour, logo and typeface. The store's
//! name is `kiosk.brand`. A theme is read once at start; a file that cannot be read leaves the
//! built-in look and says why in the log (the mirror still starts).

use serde::Deserialize;

use super::validate::Checks;

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeSection {
    /// The accent, `#RRGGBB` (the start prompt, chosen chips, the main action); empty: the
    /// built-in amber. Text on it takes black or light ink, whichever reads better.
    pub accent: String,
    /// A PNG or SVG logo shown on the attract screen above the store's name and on the pages
    /// phones open; empty: none. (SVG text is not drawn: convert it to paths.)
    pub logo: String,
    /// A TTF or OTF typeface for every text; the built-in fonts stay behind it for the symbols
    /// and scripts it lacks. Empty: DejaVu Sans.
    pub font: String,
}

/// `#RRGGBB` as sRGB components.
pub fn parse_hex_colour(hex: &str) -> Option<[u8; 3]> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

impl ThemeSection {
    /// The first key that is wrong and why, e.g. `("theme.accent", "\"blue\" is not a colour …")`.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !self.accent.is_empty() && parse_hex_colour(&self.accent).is_none() {
            return Some(("theme.accent", format!("{:?} is not a colour like \"#3B6FD4\"", self.accent)));
        }
        let logo = self.logo.to_ascii_lowercase();
        if !(logo.is_empty() || logo.ends_with(".png") || logo.ends_with(".svg")) {
            return Some(("theme.logo", format!("{:?} must be a PNG or SVG file", self.logo)));
        }
        let font = self.font.to_ascii_lowercase();
        if !(font.is_empty() || font.ends_with(".ttf") || font.ends_with(".otf")) {
            return Some(("theme.font", format!("{:?} must be a TTF or OTF file", self.font)));
        }
        None
    }

    pub(super) fn check(&self, checks: &mut Checks) {
        if let Some((key, problem)) = self.problem() {
            checks.check(key, false, || problem);
        }
    }
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn relative_luminance([r, g, b]: [u8; 3]) -> f32 {
    let linear = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f32 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever reads better on `background`.
pub fn ink_on(background: [u8; 3]) -> [u8; 3] {
    let (black, white) = ([0, 0, 0], [255, 255, 255]);
    if contrast_ratio(black, background) >= contrast_ratio(white, background) { black } else { white }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_only_as_six_hex_digits() {
        assert_eq!(parse_hex_colour("#3B6FD4"), Some([0x3b, 0x6f, 0xd4]));
        for bad in ["3B6FD4", "#3B6FD", "#3B6FDZ", "#3B6FD4AA", ""] {
            assert_eq!(parse_hex_colour(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        // WebAIM's checker: #767676 on white is 4.54:1.
        assert!((contrast_ratio([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
        assert_eq!(ink_on([0xee, 0xa8, 0x59]), [0, 0, 0]);
        assert_eq!(ink_on([0x3b, 0x4f, 0x9a]), [255, 255, 255]);
    }

    #[test]
    fn a_logo_is_png_or_svg() {
        let theme = |logo: &str| ThemeSection { logo: logo.into(), ..ThemeSection::default() };
        assert_eq!(theme("brand/Logo.SVG").problem(), None);
        assert_eq!(theme("logo.png").problem(), None);
        assert!(
            theme("logo.gif").problem().is_some_and(|(key, why)| key == "theme.logo" && why.contains("PNG or SVG"))
        );
    }
}
