//! Reads the synthetic camera's frame counter (a 4-digit, 7-segment readout in yellow on a dark
//! box) off a screenshot, so a test can tell which camera frame the screen shows.

use image::RgbImage;

/// Segments lit per digit: bit 0 top, 1 top right, 2 bottom right, 3 bottom, 4 bottom left,
/// 5 top left, 6 middle (as the synthetic scene draws them).
const SEGMENTS: [u8; 10] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];

/// The smallest rectangle (left, top, right, bottom, inclusive) holding every pixel of `area` for
/// which `wanted` holds.
fn bounds(
    image: &RgbImage,
    (x0, y0, w, h): (u32, u32, u32, u32),
    wanted: impl Fn(&RgbImage, u32, u32) -> bool,
) -> Option<(u32, u32, u32, u32)> {
    let (mut left, mut right, mut top, mut bottom) = (u32::MAX, 0, u32::MAX, 0);
    for y in y0..(y0 + h).min(image.height()) {
        for x in x0..(x0 + w).min(image.width()) {
            if wanted(image, x, y) {
                (left, right, top, bottom) = (left.min(x), right.max(x), top.min(y), bottom.max(y));
            }
        }
    }
    (left < right && top < bottom).then_some((left, top, right, bottom))
}

fn lit(image: &RgbImage, x: u32, y: u32) -> bool {
    let [r, g, b] = image.get_pixel(x, y).0;
    r > 200 && g > 185 && b < 130 && r > b + 90
}

/// The number the counter inside `(x, y, w, h)` shows; `mirrored` when the screen shows the
/// camera flipped (the mirror). None when no readable counter is there.
pub fn read_counter(image: &RgbImage, area: (u32, u32, u32, u32), mirrored: bool) -> Option<u32> {
    // The counter's dark box first, so nothing yellowish around it (skin, hair) is taken for a
    // segment; then the lit segments inside it.
    let dark = |image: &RgbImage, x: u32, y: u32| image.get_pixel(x, y).0.iter().all(|c| *c < 45);
    let (x0, y0, x1, y1) = bounds(image, area, dark)?;
    let (left, top, right, bottom) = bounds(image, (x0, y0, x1 + 1 - x0, y1 + 1 - y0), lit)?;
    // Eight segment units high; every digit lights a segment at its right edge, so the last
    // digit's right edge is the counter's (its left edge on a mirrored screen).
    let s = (bottom + 1 - top) as f32 / 8.0;
    if s < 2.0 {
        return None;
    }
    let (l, r) = (left as f32, right as f32 + 1.0);
    // A point of the camera's (unmirrored) counter, in screen pixels.
    let at = |ux: f32, uy: f32| -> (u32, u32) {
        let x = if mirrored { l + (r - ux) } else { ux };
        (x.clamp(0.0, (image.width() - 1) as f32) as u32, (top as f32 + uy) as u32)
    };
    let counter_left = r - 19.0 * s;
    let mut value = 0;
    for digit in 0..4 {
        let ox = counter_left + digit as f32 * 5.0 * s;
        let centres = [(2.0, 0.5), (3.5, 2.0), (3.5, 6.0), (2.0, 7.5), (0.5, 6.0), (0.5, 2.0), (2.0, 4.0)];
        let mut bits = 0u8;
        for (bit, (cx, cy)) in centres.iter().enumerate() {
            let (px, py) = at(ox + cx * s, cy * s);
            if lit(image, px, py.min(image.height() - 1)) {
                bits |= 1 << bit;
            }
        }
        let number = SEGMENTS.iter().position(|segments| *segments == bits)?;
        value = value * 10 + number as u32;
    }
    Some(value)
}
