//! Reading the tag a shopper holds up to the camera: EAN-13, UPC-A and QR codes found in the luma
//! plane of a camera frame, with rxing. Meant for a worker thread at a few scans a second, never
//! the render loop.

use std::collections::HashSet;

use image::{GrayImage, Luma};
use protocol::barcode::Gtin;
use rxing::{
    BarcodeFormat, DecodeHintValue, DecodeHints, MultiFormatWriter, Writer, helpers::detect_in_luma_slice_with_hints,
};

/// What a tag says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagCode {
    /// An EAN-13 or UPC-A code, normalised to 13 digits.
    Gtin(Gtin),
    /// A QR code's text (a store's own tags may carry a SKU or a product URL).
    Qr(String),
}

/// Draws `text` as a printed tag would show it: `module` pixels per module, `bar_height` pixels
/// tall for 1-D codes, a white quiet zone around it. For tests, benchmarks and demo scenes.
pub fn draw_tag(text: &str, format: BarcodeFormat, module: u32, bar_height: u32) -> Result<GrayImage, String> {
    let matrix = MultiFormatWriter.encode(text, &format, 0, 0).map_err(|e| format!("cannot encode {text:?}: {e}"))?;
    let (w, h) = (matrix.width(), matrix.height());
    let one_d = h == 1;
    let quiet = 10 * module;
    let out_h = if one_d { bar_height } else { h * module };
    Ok(GrayImage::from_fn(w * module + 2 * quiet, out_h + 2 * quiet, |x, y| {
        let inside = x >= quiet && y >= quiet && x < quiet + w * module && y < quiet + out_h;
        let black = inside && matrix.get((x - quiet) / module, if one_d { 0 } else { (y - quiet) / module });
        Luma([if black { 20 } else { 235 }])
    }))
}

/// The formats [`draw_tag`] can draw.
pub use rxing::BarcodeFormat as TagFormat;

/// QR texts longer than this are not product tags.
const MAX_QR_TEXT: usize = 512;

/// Finds one retail barcode or QR code in a `width`×`height` 8-bit luma image, in any of the four
/// orientations. `None` when there is none (or it does not check out).
pub fn read_tag(luma: &[u8], width: u32, height: u32) -> Option<TagCode> {
    if luma.len() < (width as usize) * (height as usize) {
        return None;
    }
    let formats: HashSet<BarcodeFormat> =
        [BarcodeFormat::EAN_13, BarcodeFormat::UPC_A, BarcodeFormat::QR_CODE].into_iter().collect();
    let mut hints =
        DecodeHints::default().with(DecodeHintValue::PossibleFormats(formats)).with(DecodeHintValue::TryHarder(true));
    let result = detect_in_luma_slice_with_hints(luma, width, height, None, &mut hints).ok()?;
    match result.getBarcodeFormat() {
        BarcodeFormat::EAN_13 | BarcodeFormat::UPC_A => Gtin::parse(result.getText()).ok().map(TagCode::Gtin),
        BarcodeFormat::QR_CODE if result.getText().len() <= MAX_QR_TEXT => {
            Some(TagCode::Qr(result.getText().to_string()))
        }
        _ => None,
    }
}
