//! Where to crop a camera frame so it fills a screen of another shape without distortion.

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

#[cfg(test)]
mod tests {
    use super::*;

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
