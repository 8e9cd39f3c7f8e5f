//! Where to crop a camera frame so it fills a screen of another shape without distortion, and
//! the copy of that crop a look keeps (flipped like the mirror).

use crate::slot::Frame;

/// A rectangle in frame pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropRect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// The largest centred rectangle of a `frame_w × frame_h` frame with the aspect ratio
/// `screen_w / screen_h`: scaled up to the screen it fills it exactly ("cover"), cutting equal
/// amounts off two opposite sides.
pub fn cover_crop(frame_w: u32, frame_h: u32, screen_w: f32, screen_h: f32) -> CropRect {
    let (fw, fh) = (frame_w as f32, frame_h as f32);
    if fw <= 0.0 || fh <= 0.0 || screen_w <= 0.0 || screen_h <= 0.0 {
        return CropRect { x: 0.0, y: 0.0, width: fw.max(0.0), height: fh.max(0.0) };
    }
    let screen_aspect = screen_w / screen_h;
    if fw / fh > screen_aspect {
        let width = fh * screen_aspect;
        CropRect { x: (fw - width) / 2.0, y: 0.0, width, height: fh }
    } else {
        let height = fw / screen_aspect;
        CropRect { x: 0.0, y: (fh - height) / 2.0, width: fw, height }
    }
}

/// The part of `frame` the mirror shows on a `screen_w × screen_h` screen, flipped like the
/// mirror when `mirror` is on, as tightly packed RGBA rows: (width, height, pixels).
pub fn mirrored_crop(frame: &Frame, screen_w: f32, screen_h: f32, mirror: bool) -> (u32, u32, Vec<u8>) {
    let crop = cover_crop(frame.width, frame.height, screen_w, screen_h);
    let (x0, y0) = (crop.x.round() as u32, crop.y.round() as u32);
    let width = (crop.width.round() as u32).clamp(1, frame.width - x0.min(frame.width - 1));
    let height = (crop.height.round() as u32).clamp(1, frame.height - y0.min(frame.height - 1));
    let row_bytes = (width * 4) as usize;
    let mut rgba = vec![0u8; row_bytes * height as usize];
    for (y, out) in (y0..y0 + height).zip(rgba.chunks_exact_mut(row_bytes)) {
        let start = ((y * frame.width + x0) * 4) as usize;
        let row = &frame.rgba[start..start + row_bytes];
        if mirror {
            for (to, from) in out.chunks_exact_mut(4).zip(row.chunks_exact(4).rev()) {
                to.copy_from_slice(from);
            }
        } else {
            out.copy_from_slice(row);
        }
    }
    (width, height, rgba)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crop_is_what_the_mirror_shows_flipped_like_the_mirror() {
        // A 4×2 frame, pixel value = its x; a 1:1 screen shows the middle 2×2.
        let rgba: Vec<u8> = (0..2).flat_map(|_| (0..4u8).flat_map(|x| [x, x, x, 255])).collect();
        let frame = Frame { seq: 1, captured_at: std::time::Instant::now(), width: 4, height: 2, rgba };
        let (width, height, mirrored) = mirrored_crop(&frame, 1.0, 1.0, true);
        assert_eq!((width, height), (2, 2));
        assert_eq!(mirrored.chunks_exact(4).map(|p| p[0]).collect::<Vec<_>>(), [2, 1, 2, 1]);
        let (_, _, plain) = mirrored_crop(&frame, 1.0, 1.0, false);
        assert_eq!(plain.chunks_exact(4).map(|p| p[0]).collect::<Vec<_>>(), [1, 2, 1, 2]);
    }

    #[test]
    fn landscape_frame_on_portrait_screen_keeps_the_centre_columns() {
        let c = cover_crop(1280, 720, 1080.0, 1920.0);
        assert_eq!((c.y, c.height), (0.0, 720.0));
        assert!((c.width - 405.0).abs() < 0.01 && (c.x - 437.5).abs() < 0.01, "{c:?}");
    }

    #[test]
    fn portrait_frame_on_wider_screen_keeps_the_centre_rows() {
        let c = cover_crop(720, 1280, 1080.0, 1080.0);
        assert_eq!((c.x, c.width), (0.0, 720.0));
        assert!((c.height - 720.0).abs() < 0.01 && (c.y - 280.0).abs() < 0.01, "{c:?}");
    }

    #[test]
    fn same_aspect_keeps_everything_and_degenerate_input_does_not_panic() {
        assert_eq!(cover_crop(1080, 1920, 540.0, 960.0), CropRect { x: 0.0, y: 0.0, width: 1080.0, height: 1920.0 });
        assert_eq!(cover_crop(0, 0, 0.0, 10.0).width, 0.0);
    }
}
