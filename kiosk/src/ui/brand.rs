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

/// The logo, when `theme.logo` names a readable PNG.
#[derive(Resource, Debug, Default)]
pub struct BrandLogo(pub Option<Handle<Image>>);

/// The typeface's bytes, when `theme.font` names a readable file.
#[derive(Resource, Debug)]
pub struct BrandFont(pub Vec<u8>);

fn read_logo(path: &str) -> Result<Image, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let rgba = image::load_from_memory(&bytes).map_err(|e| e.to_string())?.to_rgba8();
    let (width, height) = rgba.dimensions();
    if width == 0 || height == 0 || width > 4096 || height > 4096 {
        return Err(format!("{width}x{height} is not a logo size (1–4096 px a side)"));
    }
    Ok(Image::new(
        Extent3d { width, height, depth_or_array_layers: 1 },
        TextureDimension::D2,
        rgba.into_raw(),
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    ))
}
