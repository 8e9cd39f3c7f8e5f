//! Legibility over any picture: WCAG 2.x contrast of every text colour on every background the
//! screens use, composited over the camera's worst cases (black and white video), and the ink a
//! background calls for. The mirror is behind every translucent panel, and a white shirt or a
//! dark coat can be right behind a label: a panel is only as legible as its worst video.

use bevy::prelude::*;

use super::theme::INK;

/// WCAG 2.x relative luminance.
pub fn luminance(color: Color) -> f32 {
    let l = color.to_linear();
    0.2126 * l.red + 0.7152 * l.green + 0.0722 * l.blue
}

/// The WCAG contrast ratio of two opaque colours, 1–21.
pub fn contrast(a: Color, b: Color) -> f32 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `layer` as it shows over `under`: its alpha blended in linear light, as the GPU does.
pub fn over(layer: Color, under: Color) -> Color {
    let (a, l, u) = (layer.alpha(), layer.to_linear(), under.to_linear());
    let mix = |top: f32, bottom: f32| a * top + (1.0 - a) * bottom;
    Color::LinearRgba(LinearRgba::rgb(mix(l.red, u.red), mix(l.green, u.green), mix(l.blue, u.blue)))
}

/// Layers from the top down (a panel, then a dimming scrim), over the worst video.
pub fn worst_contrast(ink: Color, layers: &[Color]) -> f32 {
    [Color::BLACK, Color::WHITE]
        .into_iter()
        .map(|video| contrast(ink, layers.iter().rev().fold(video, |under, layer| over(*layer, under))))
        .fold(f32::INFINITY, f32::min)
}

/// The text colour for `background`: the theme's ink or black, whichever reads better over
/// any video.
pub fn ink_on(background: Color) -> Color {
    if worst_contrast(INK, &[background]) >= worst_contrast(Color::BLACK, &[background]) { INK } else { Color::BLACK }
}

/// WCAG 2.2 AA for text (1.4.3).
pub const AA: f32 = 4.5;

/// A chain's accent as the mirror uses it: unchanged when black or light text on it reaches
/// [`AA`], else darkened step by step until light text does (a mid blue or a mid red reads
/// below 4.5:1 with either ink).
pub fn legible_accent(accent: Color) -> Color {
    let mut color = accent;
    for _ in 0..40 {
        if worst_contrast(ink_on(color), &[color]) >= AA {
            return color;
        }
        color = color.darker(0.02);
    }
    color
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::*;

    /// The attract screen's dimming as a black layer over the picture (the same light, linear).
    fn attract_scrim() -> Color {
        Color::BLACK.with_alpha(1.0 - Color::srgb(ATTRACT_DIM, ATTRACT_DIM, ATTRACT_DIM).to_linear().red)
    }

    /// Every text colour on every background the screens draw, with the layers under it from the
    /// top down (a button on a sheet: the button, then the sheet); the mirror is under all of them.
    /// `contrast` checks each against black and white video.
    fn text_on_backgrounds() -> Vec<(&'static str, Color, Vec<Color>)> {
        let mut pairs = vec![
            ("text on a sheet, toast or badge", INK, vec![PANEL]),
            ("secondary text on a sheet", INK_DIM, vec![PANEL]),
            ("a button over the mirror", INK, vec![BUTTON]),
            ("a button on a sheet", INK, vec![BUTTON, PANEL]),
            ("End session", INK, vec![BUTTON_END]),
            ("a chosen chip or button", ink_on(DEFAULT_ACCENT), vec![DEFAULT_ACCENT, PANEL]),
            ("an accent button", ink_on(DEFAULT_ACCENT), vec![DEFAULT_ACCENT, PANEL]),
            ("a sold-out chip", INK, vec![UNAVAILABLE, PANEL]),
            ("a request accepted", INK, vec![GOOD]),
            ("camera unavailable", INK, vec![UNAVAILABLE_BG]),
            ("camera unavailable, the reason", INK_DIM, vec![UNAVAILABLE_BG]),
            ("out of service", INK, vec![MAINTENANCE_BG]),
            ("out of service, the words", INK_DIM, vec![MAINTENANCE_BG]),
            ("a question's card", INK, vec![PANEL, SCRIM]),
            ("a question's card, the words", INK_DIM, vec![PANEL, SCRIM]),
            ("the Still there? countdown", ink_on(DEFAULT_ACCENT), vec![DEFAULT_ACCENT, PANEL, SCRIM]),
            ("Start sharing, I'm still here", INK, vec![GO, PANEL, SCRIM]),
            ("Not now", INK, vec![NEUTRAL, PANEL, SCRIM]),
            ("Stop sharing", INK, vec![STOP, PANEL]),
            ("the LIVE badge", Color::WHITE, vec![LIVE_RED]),
            ("the look countdown", INK, vec![COUNTDOWN_BG]),
            ("a friend's name", COMMENT_NAME, vec![COMMENT_BG]),
            ("a friend's comment", COMMENT_INK, vec![COMMENT_BG]),
            ("the attract brand and privacy line", INK_DIM, vec![attract_scrim()]),
            (
                "Touch to start",
                ink_on(DEFAULT_ACCENT),
                vec![DEFAULT_ACCENT.with_alpha(PROMPT_MIN_ALPHA), attract_scrim()],
            ),
        ];
        pairs.extend(REACTIONS.iter().map(|c| ("a friend's reaction", ink_on(*c), vec![*c])));
        pairs
    }

    #[test]
    fn the_ratio_matches_wcag_s_examples() {
        assert!((contrast(Color::WHITE, Color::BLACK) - 21.0).abs() < 0.01);
        assert!((contrast(Color::srgb_u8(0x77, 0x77, 0x77), Color::WHITE) - 4.48).abs() < 0.01);
        assert_eq!(contrast(INK, INK), 1.0);
        // Half-transparent black over white video is mid grey.
        let grey = over(Color::srgba(0.0, 0.0, 0.0, 0.5), Color::WHITE);
        assert!((luminance(grey) - 0.5).abs() < 0.01);
    }

    #[test]
    fn every_text_on_every_background_reaches_aa_over_black_and_white_video() {
        let mut failures = Vec::new();
        let pairs = text_on_backgrounds();
        for (name, ink, layers) in &pairs {
            let ratio = worst_contrast(*ink, layers);
            if ratio < AA {
                failures.push(format!("{name}: {ratio:.2}:1"));
            }
        }
        assert!(failures.is_empty(), "below {AA}:1 over the worst video:\n{}", failures.join("\n"));
        assert!(pairs.len() > 20, "the list covers the screens");
        assert!(worst_contrast(INK_DIM, &[PANEL]) >= AA);
    }

    #[test]
    fn any_chain_accent_is_made_legible_and_a_legible_one_is_kept() {
        assert_eq!(legible_accent(DEFAULT_ACCENT), DEFAULT_ACCENT);
        for [r, g, b] in
            [[0x3b, 0x6f, 0xd4], [0xd4, 0x3b, 0x3b], [0x80, 0x80, 0x80], [0x22, 0xaa, 0x55], [0xff, 0xff, 0x00]]
        {
            let accent = legible_accent(Color::srgb_u8(r, g, b));
            let ratio = worst_contrast(ink_on(accent), &[accent]);
            assert!(ratio >= AA, "#{r:02x}{g:02x}{b:02x}: {ratio:.2}:1");
        }
        assert_ne!(
            legible_accent(Color::srgb_u8(0x3b, 0x6f, 0xd4)),
            Color::srgb_u8(0x3b, 0x6f, 0xd4),
            "mid blue darkens"
        );
    }

    #[test]
    fn ink_follows_the_background() {
        assert_eq!(ink_on(DEFAULT_ACCENT), Color::BLACK, "orange wants black text");
        assert_eq!(ink_on(PANEL), INK);
    }
}
