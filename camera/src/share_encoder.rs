//! JPEG frames for live sharing: the newest camera frame cropped to the screen's shape, mirrored
//! like the mirror, scaled to a long edge (720 px by default) and encoded with mozjpeg's fastest
//! settings (libjpeg-turbo SIMD; never mozjpeg's default trellis settings for live video).

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{crop::cover_crop, slot::Frame};

/// What a shared frame looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareFormat {
    /// Longest side of the encoded frame, in pixels.
    pub long_edge: u32,
    /// JPEG quality, 1–100.
    pub quality: u8,
    /// Flip horizontally, as the mirror shows it.
    pub mirror: bool,
    /// Width and height of the screen whose shape the frame is cropped to.
    pub aspect: (f32, f32),
}

/// Reuses its buffer from frame to frame.
#[derive(Debug)]
pub struct ShareEncoder {
    format: ShareFormat,
    /// The last scaled picture, RGBA, and its size.
    rgba: Vec<u8>,
    size: (u32, u32),
}

impl ShareEncoder {
    pub fn new(format: ShareFormat) -> Self {
        Self { format, rgba: Vec::new(), size: (0, 0) }
    }

    /// The encoded size for a `width × height` frame (both even: video encoders need that).
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        let crop = cover_crop(width, height, self.format.aspect.0, self.format.aspect.1);
        let scale = (self.format.long_edge as f32 / crop.width.max(crop.height)).min(1.0);
        // The nearest even number of pixels (405 → 406, 202.5 → 202): video encoders take even
        // sizes only.
        let even = |v: f32| (((v * scale / 2.0).round() as u32) * 2).max(2);
        (even(crop.width), even(crop.height))
    }

    /// Crops, mirrors and scales (nearest sample, one pass) `frame` into the share-sized RGBA
    /// picture ([`ShareEncoder::picture`]); its size.
    pub fn scale(&mut self, frame: &Frame) -> Result<(u32, u32), String> {
        let (fw, fh) = (frame.width as usize, frame.height as usize);
        if frame.rgba.len() < fw * fh * 4 {
            return Err(format!("frame has {} bytes for {fw}x{fh}", frame.rgba.len()));
        }
        let crop = cover_crop(frame.width, frame.height, self.format.aspect.0, self.format.aspect.1);
        let (ow, oh) = self.output_size(frame.width, frame.height);
        let (sx, sy) = (crop.width / ow as f32, crop.height / oh as f32);
        self.rgba.clear();
        self.rgba.reserve(ow as usize * oh as usize * 4);
        for y in 0..oh {
            let src_y = ((crop.y + (y as f32 + 0.5) * sy) as usize).min(fh - 1);
            let row = &frame.rgba[src_y * fw * 4..(src_y + 1) * fw * 4];
            for x in 0..ow {
                let out_x = if self.format.mirror { ow - 1 - x } else { x };
                let src_x = ((crop.x + (out_x as f32 + 0.5) * sx) as usize).min(fw - 1);
                self.rgba.extend_from_slice(&row[src_x * 4..src_x * 4 + 4]);
            }
        }
        self.size = (ow, oh);
        Ok(self.size)
    }

    /// The last scaled picture: RGBA, [`ShareEncoder::scale`]'s size, rows packed.
    pub fn picture(&self) -> &[u8] {
        &self.rgba
    }

    /// The last scaled picture, to draw on before [`ShareEncoder::jpeg`] (the benchmark's clock).
    pub fn picture_mut(&mut self) -> &mut [u8] {
        &mut self.rgba
    }

    /// The last scaled picture as JPEG (mozjpeg's fastest settings).
    pub fn jpeg(&self) -> Result<Vec<u8>, String> {
        let ((ow, oh), rgba, quality) = (self.size, &self.rgba, self.format.quality);
        catch_unwind(AssertUnwindSafe(|| -> std::io::Result<Vec<u8>> {
            let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_EXT_RGBA);
            compress.set_fastest_defaults();
            compress.set_size(ow as usize, oh as usize);
            compress.set_quality(f32::from(quality.clamp(1, 100)));
            let mut started = compress.start_compress(Vec::with_capacity(rgba.len() / 12))?;
            started.write_scanlines(rgba)?;
            started.finish()
        }))
        .map_err(|_| "JPEG encoder failed".to_string())?
        .map_err(|e| e.to_string())
    }

    /// Crops, mirrors, scales and encodes `frame` as JPEG.
    pub fn encode(&mut self, frame: &Frame) -> Result<Vec<u8>, String> {
        self.scale(frame)?;
        self.jpeg()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn frame(width: u32, height: u32) -> Frame {
        // Left half red, right half blue.
        let mut rgba = Vec::with_capacity((width * height * 4) as usize);
        for _ in 0..height {
            for x in 0..width {
                rgba.extend_from_slice(if x < width / 2 { &[230, 20, 20, 255] } else { &[20, 20, 230, 255] });
            }
        }
        Frame { seq: 0, captured_at: Instant::now(), width, height, rgba }
    }

    fn decode(jpeg: &[u8]) -> image::RgbImage {
        let image = image::load_from_memory(jpeg);
        let Ok(image) = image else { panic!("not a JPEG: {image:?}") };
        image.to_rgb8()
    }

    #[test]
    fn portrait_crop_scaled_to_the_long_edge_and_mirrored() {
        let format = ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (1080.0, 1920.0) };
        let mut encoder = ShareEncoder::new(format);
        let jpeg = encoder.encode(&frame(1920, 1080));
        let Ok(jpeg) = jpeg else { panic!("{jpeg:?}") };
        let image = decode(&jpeg);
        assert_eq!(image.dimensions(), (406, 720));
        // Mirrored: the camera's red left half is on the right.
        let left = image.get_pixel(20, 360);
        let right = image.get_pixel(380, 360);
        assert!(left[2] > 150 && right[0] > 150, "left {left:?} right {right:?}");
    }

    #[test]
    fn unmirrored_keeps_sides_and_small_frames_are_not_upscaled() {
        let format = ShareFormat { long_edge: 720, quality: 70, mirror: false, aspect: (1080.0, 1920.0) };
        let mut encoder = ShareEncoder::new(format);
        assert_eq!(encoder.output_size(640, 480), (270, 480));
        let jpeg = encoder.encode(&frame(640, 480));
        let Ok(jpeg) = jpeg else { panic!("{jpeg:?}") };
        let image = decode(&jpeg);
        assert!(image.get_pixel(10, 240)[0] > 150, "red stays left");
    }

    #[test]
    fn a_short_buffer_is_an_error() {
        let mut encoder =
            ShareEncoder::new(ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (9.0, 16.0) });
        let mut bad = frame(64, 64);
        bad.rgba.truncate(10);
        assert!(encoder.encode(&bad).is_err());
    }
}
