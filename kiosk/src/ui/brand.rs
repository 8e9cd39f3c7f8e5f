//! The chain's brand on the mirror, from `[theme]`: the accent every screen uses ([`accent`]),
//! the logo on the attract screen ([`BrandLogo`]) and the typeface ([`BrandFont`], installed by
//! the fonts module in front of the built-in ones). Read once, before the first screen; a file
//! that cannot be read leaves the built-in look and is named in the log.

use bevy::{
    asset::RenderAssetUsages,
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
};
use protocol::config::parse_hex_colour;

use super::{contrast::legible_accent, theme::set_accent};
use crate::settings::Settings;

/// Applied while the app is built, before any schedule runs: the attract screen is the first
/// state's and is drawn before `Startup`.
pub fn plugin(app: &mut App) {
    app.init_resource::<BrandLogo>();
    let Some(theme) = app.world().get_resource::<Settings>().map(|s| s.theme.clone()) else { return };
    if let Some([r, g, b]) = parse_hex_colour(&theme.accent) {
        let wanted = Color::srgb_u8(r, g, b);
        let accent = legible_accent(wanted);
        if accent != wanted {
            info!(
                "theme.accent {}: darkened to {:?} so text on it reads at 4.5:1",
                theme.accent,
                accent.to_srgba().to_hex()
            );
        }
        set_accent(accent);
    }
    if !theme.logo.is_empty() {
        match (read_logo(&theme.logo), app.world_mut().get_resource_mut::<Assets<Image>>()) {
            (Ok(image), Some(mut images)) => {
                let handle = images.add(image);
                app.insert_resource(BrandLogo(Some(handle)));
            }
            (Ok(_), None) => warn!("theme.logo {}: no image assets in this app; no logo", theme.logo),
            (Err(e), _) => warn!("theme.logo {}: {e}; no logo", theme.logo),
        }
    }
    if !theme.font.is_empty() {
        match std::fs::read(&theme.font) {
            Ok(bytes) => {
                app.insert_resource(BrandFont(bytes));
            }
            Err(e) => warn!("theme.font {}: {e}; the built-in fonts stay", theme.font),
        }
    }
}

/// The logo, when `theme.logo` names a readable PNG or SVG.
#[derive(Resource, Debug, Default)]
pub struct BrandLogo(pub Option<Handle<Image>>);

/// The typeface's bytes, when `theme.font` names a readable file.
#[derive(Resource, Debug)]
pub struct BrandFont(pub Vec<u8>);

/// A logo's pixels: a PNG as it is, an SVG drawn with its longer side [`SVG_LOGO_PX`] pixels.
fn read_logo(path: &str) -> Result<Image, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (width, height, rgba) = if path.to_ascii_lowercase().ends_with(".svg") {
        draw_svg(&bytes)?
    } else {
        let rgba = image::load_from_memory(&bytes).map_err(|e| e.to_string())?.to_rgba8();
        let (width, height) = rgba.dimensions();
        (width, height, rgba.into_raw())
    };
    if width == 0 || height == 0 || width > 4096 || height > 4096 {
        return Err(format!("{width}x{height} is not a logo size (1–4096 px a side)"));
    }
    Ok(Image::new(
        Extent3d { width, height, depth_or_array_layers: 1 },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    ))
}

/// The longer side of an SVG logo once drawn: sharp at the attract screen's logo size.
const SVG_LOGO_PX: f32 = 512.0;

fn draw_svg(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let tree = resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let scale = SVG_LOGO_PX / size.width().max(size.height());
    let (width, height) = ((size.width() * scale).round() as u32, (size.height() * scale).round() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width.max(1), height.max(1))
        .ok_or_else(|| format!("{width}x{height} is not a logo size"))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // tiny-skia keeps colours premultiplied by alpha; the texture wants them straight.
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Ok((pixmap.width(), pixmap.height(), rgba))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_logo_is_drawn_sharp_with_straight_alpha() {
        let dir = std::env::temp_dir().join(format!("brand-svg-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("logo.svg");
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="20" height="20" fill="#3B6FD4"/><rect x="20" width="20" height="20" fill="#3B6FD4" opacity="0.5"/></svg>"##;
        let _ = std::fs::write(&path, svg);
        let image = read_logo(&path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!((image.width(), image.height()), (512, 256), "the longer side is drawn at 512 px");
        let pixel = |x: u32, y: u32| {
            let data = image.data.as_deref().unwrap_or_default();
            let at = ((y * 512 + x) * 4) as usize;
            [data[at], data[at + 1], data[at + 2], data[at + 3]]
        };
        assert_eq!(pixel(128, 128), [0x3b, 0x6f, 0xd4, 255]);
        // Half transparent: the colour stays the brand's, only alpha halves.
        let half = pixel(384, 128);
        assert!(half[3].abs_diff(128) <= 1 && half[2].abs_diff(0xd4) <= 2, "{half:?}");
        assert!(read_logo("/nonexistent/logo.svg").is_err());
        let broken = std::env::temp_dir().join(format!("brand-bad-{}.svg", std::process::id()));
        let _ = std::fs::write(&broken, "<svg");
        assert!(read_logo(&broken.display().to_string()).is_err());
        let _ = std::fs::remove_file(&broken);
    }
}
