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
    /// A PNG logo shown on the attract screen above the store's name; empty: none.
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
    pub(super) fn check(&self, checks: &mut Checks) {
        checks.check("theme.accent", self.accent.is_empty() || parse_hex_colour(&self.accent).is_some(), || {
            format!("{:?} is not a colour like \"#3B6FD4\"", self.accent)
        });
        checks.check("theme.logo", self.logo.is_empty() || self.logo.to_ascii_lowercase().ends_with(".png"), || {
            format!("{:?} must be a PNG file", self.logo)
        });
        let font = self.font.to_ascii_lowercase();
        checks.check("theme.font", font.is_empty() || font.ends_with(".ttf") || font.ends_with(".otf"), || {
            format!("{:?} must be a TTF or OTF file", self.font)
        });
    }
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
}
