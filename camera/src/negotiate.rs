//! Choosing the camera mode from what the camera offers and what the config asks for.
//!
//! Fallback order, most important first:
//! 1. **Resolution**: the requested size exactly; else the smallest offered size that covers it
//!    (both sides at least as large, so the crop never upscales); else the largest offered size.
//! 2. **Frame rate**: the requested rate exactly; else the lowest rate above it; else the highest
//!    rate below it.
//! 3. **Pixel format**: the order of `camera.formats`. Formats not listed there are never used.
//!
//! Resolution beats frame rate beats format because the mirror must fill the screen sharply and
//! move smoothly; the pixel format only changes the CPU spent converting (MJPEG is how most USB 2
//! cameras reach 720p30, YUYV often tops out at 10 fps there).

use std::fmt;

use protocol::config::{CameraSection, PixelFormat};

/// A mode a camera can run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CameraMode {
    pub format: PixelFormat,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

impl fmt::Display for CameraMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}x{} @ {} fps", self.format, self.width, self.height, self.fps)
    }
}

/// What the configuration asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatRequest {
    /// In order of preference.
    pub formats: Vec<PixelFormat>,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

impl From<&CameraSection> for FormatRequest {
    fn from(c: &CameraSection) -> Self {
        Self { formats: c.formats.clone(), width: c.width, height: c.height, fps: c.fps }
    }
}

impl FormatRequest {
    /// The best offered mode by the rules in the module documentation, or `None` when the camera
    /// offers none of the requested pixel formats.
    pub fn negotiate(&self, offered: &[CameraMode]) -> Option<CameraMode> {
        offered
            .iter()
            .filter_map(|mode| {
                let format_rank = self.formats.iter().position(|f| *f == mode.format)?;
                Some((self.rank(mode, format_rank), *mode))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, mode)| mode)
    }

    fn rank(&self, mode: &CameraMode, format_rank: usize) -> (u8, i64, u8, u32, usize) {
        let area = i64::from(mode.width) * i64::from(mode.height);
        let (size_class, size_order) = if (mode.width, mode.height) == (self.width, self.height) {
            (0, 0)
        } else if mode.width >= self.width && mode.height >= self.height {
            (1, area) // smallest covering size first
        } else {
            (2, -area) // largest smaller size first
        };
        let (fps_class, fps_distance) = match mode.fps.cmp(&self.fps) {
            std::cmp::Ordering::Equal => (0, 0),
            std::cmp::Ordering::Greater => (1, mode.fps - self.fps),
            std::cmp::Ordering::Less => (2, self.fps - mode.fps),
        };
        (size_class, size_order, fps_class, fps_distance, format_rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PixelFormat::*;

    fn mode(format: PixelFormat, width: u32, height: u32, fps: u32) -> CameraMode {
        CameraMode { format, width, height, fps }
    }

    fn request(formats: &[PixelFormat]) -> FormatRequest {
        FormatRequest { formats: formats.to_vec(), width: 1280, height: 720, fps: 30 }
    }

    /// A typical USB 2 webcam: MJPEG up to 1080p30, YUYV at 720p only 10 fps.
    fn usb2_webcam() -> Vec<CameraMode> {
        vec![
            mode(Yuyv, 640, 480, 30),
            mode(Yuyv, 1280, 720, 10),
            mode(Mjpeg, 640, 480, 30),
            mode(Mjpeg, 1280, 720, 30),
            mode(Mjpeg, 1920, 1080, 30),
        ]
    }

    #[test]
    fn exact_match_in_the_first_preferred_format() {
        assert_eq!(request(&[Mjpeg, Yuyv]).negotiate(&usb2_webcam()), Some(mode(Mjpeg, 1280, 720, 30)));
    }

    #[test]
    fn frame_rate_beats_format_preference() {
        // YUYV is preferred, but only MJPEG reaches 30 fps at 720p.
        assert_eq!(request(&[Yuyv, Mjpeg]).negotiate(&usb2_webcam()), Some(mode(Mjpeg, 1280, 720, 30)));
    }

    #[test]
    fn format_preference_decides_between_equal_modes() {
        let offered = [mode(Nv12, 1280, 720, 30), mode(Yuyv, 1280, 720, 30), mode(Mjpeg, 1280, 720, 30)];
        assert_eq!(request(&[Yuyv, Nv12, Mjpeg]).negotiate(&offered), Some(mode(Yuyv, 1280, 720, 30)));
        assert_eq!(request(&[Nv12, Yuyv]).negotiate(&offered), Some(mode(Nv12, 1280, 720, 30)));
    }

    #[test]
    fn falls_back_to_a_lower_rate_at_the_right_size_before_changing_size() {
        // Only YUYV allowed: 720p at 10 fps beats 480p at 30 fps.
        assert_eq!(request(&[Yuyv]).negotiate(&usb2_webcam()), Some(mode(Yuyv, 1280, 720, 10)));
    }

    #[test]
    fn prefers_the_nearest_higher_rate_then_the_nearest_lower() {
        let offered = [mode(Mjpeg, 1280, 720, 60), mode(Mjpeg, 1280, 720, 50), mode(Mjpeg, 1280, 720, 25)];
        assert_eq!(request(&[Mjpeg]).negotiate(&offered), Some(mode(Mjpeg, 1280, 720, 50)));
        let offered = [mode(Mjpeg, 1280, 720, 15), mode(Mjpeg, 1280, 720, 25)];
        assert_eq!(request(&[Mjpeg]).negotiate(&offered), Some(mode(Mjpeg, 1280, 720, 25)));
    }

    #[test]
    fn missing_size_takes_the_smallest_covering_size() {
        let offered = [mode(Mjpeg, 640, 480, 30), mode(Mjpeg, 3840, 2160, 30), mode(Mjpeg, 1920, 1080, 30)];
        assert_eq!(request(&[Mjpeg]).negotiate(&offered), Some(mode(Mjpeg, 1920, 1080, 30)));
    }

    #[test]
    fn without_a_covering_size_takes_the_largest() {
        let offered = [mode(Yuyv, 320, 240, 30), mode(Yuyv, 800, 600, 20), mode(Yuyv, 640, 480, 30)];
        assert_eq!(request(&[Yuyv]).negotiate(&offered), Some(mode(Yuyv, 800, 600, 20)));
    }

    #[test]
    fn unlisted_formats_are_never_chosen() {
        let offered = [mode(Rgb, 1280, 720, 30)];
        assert_eq!(request(&[Mjpeg, Yuyv]).negotiate(&offered), None);
        assert_eq!(request(&[Mjpeg]).negotiate(&[]), None);
    }
}
