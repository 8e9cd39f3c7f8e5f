//! Raw camera bytes to RGBA8: YUYV and NV12 through the SIMD `yuv` crate (BT.601 limited range,
//! the UVC default), MJPEG through mozjpeg (libjpeg-turbo SIMD when built with nasm).

use std::panic::{AssertUnwindSafe, catch_unwind};

use protocol::config::PixelFormat;
use yuv::{YuvBiPlanarImage, YuvConversionMode, YuvPackedImage, YuvRange, YuvStandardMatrix};

use crate::source::{CameraError, RawFrame};

/// YUV matrix and range used for every YUV conversion, both ways.
pub const YUV_RANGE: YuvRange = YuvRange::Limited;
pub const YUV_MATRIX: YuvStandardMatrix = YuvStandardMatrix::Bt601;

/// Converts `raw` to RGBA8 in `out` (resized as needed); returns the frame's width and height,
/// which for MJPEG come from the JPEG itself.
pub fn to_rgba(raw: &RawFrame<'_>, out: &mut Vec<u8>) -> Result<(u32, u32), CameraError> {
    let fail = |reason: String| CameraError::Convert { format: raw.format, reason };
    let (w, h) = (raw.width, raw.height);
    let pixels = w as usize * h as usize;
    let expect_len = |len: usize| {
        if raw.data.len() < len {
            Err(fail(format!("{} bytes for {w}x{h}, expected {len}", raw.data.len())))
        } else {
            Ok(())
        }
    };
    match raw.format {
        PixelFormat::Mjpeg => return decode_mjpeg(raw.data, out).map_err(fail),
        PixelFormat::Yuyv => {
            expect_len(pixels * 2)?;
            out.resize(pixels * 4, 0);
            let packed = YuvPackedImage { yuy: raw.data, yuy_stride: w * 2, width: w, height: h };
            yuv::yuyv422_to_rgba(&packed, out, w * 4, YUV_RANGE, YUV_MATRIX).map_err(|e| fail(e.to_string()))?;
        }
        PixelFormat::Nv12 => {
            expect_len(pixels * 3 / 2)?;
            out.resize(pixels * 4, 0);
            let (y_plane, uv_plane) = raw.data.split_at(pixels);
            let image = YuvBiPlanarImage { y_plane, y_stride: w, uv_plane, uv_stride: w, width: w, height: h };
            yuv::yuv_nv12_to_rgba(&image, out, w * 4, YUV_RANGE, YUV_MATRIX, YuvConversionMode::Balanced)
                .map_err(|e| fail(e.to_string()))?;
        }
        PixelFormat::Rgb => {
            expect_len(pixels * 3)?;
            out.clear();
            out.reserve(pixels * 4);
            for px in raw.data[..pixels * 3].chunks_exact(3) {
                out.extend_from_slice(&[px[0], px[1], px[2], 255]);
            }
        }
    }
    Ok((w, h))
}

/// Larger JPEG headers are treated as corrupt rather than allocated for (8K is 7680 wide).
const MAX_JPEG_SIDE: usize = 8192;

/// Decodes one JPEG into RGBA rows in `out` (resized to fit); returns its size.
pub fn decode_mjpeg(data: &[u8], out: &mut Vec<u8>) -> Result<(u32, u32), String> {
    // mozjpeg reports some corrupt-stream errors by unwinding; a bad frame must never take the
    // capture thread down.
    catch_unwind(AssertUnwindSafe(|| -> std::io::Result<(u32, u32)> {
        let decompress = mozjpeg::Decompress::new_mem(data)?;
        let mut started = decompress.rgba()?;
        let (w, h) = (started.width(), started.height());
        if w == 0 || h == 0 || w > MAX_JPEG_SIDE || h > MAX_JPEG_SIDE {
            return Err(std::io::Error::other(format!("implausible JPEG size {w}x{h}")));
        }
        out.resize(w * h * 4, 0);
        started.read_scanlines_into::<u8>(out)?;
        started.finish()?;
        Ok((w as u32, h as u32))
    }))
    .map_err(|_| "corrupt JPEG data".to_string())?
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::encode_rgba;

    /// A frame with distinct coloured quadrants, encoded to `format` and converted back.
    fn round_trip(format: PixelFormat) -> (Vec<u8>, Vec<u8>) {
        let (w, h) = (64u32, 32u32);
        let mut rgba = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                let px = match (x < w / 2, y < h / 2) {
                    (true, true) => [200, 40, 40, 255],
                    (false, true) => [40, 200, 40, 255],
                    (true, false) => [40, 40, 200, 255],
                    (false, false) => [220, 220, 220, 255],
                };
                rgba.extend_from_slice(&px);
            }
        }
        let mut encoded = Vec::new();
        let result = encode_rgba(&rgba, w, h, format, &mut encoded);
        assert!(result.is_ok(), "{result:?}");
        let mut decoded = Vec::new();
        let raw = RawFrame { format, width: w, height: h, data: &encoded };
        assert_eq!(to_rgba(&raw, &mut decoded), Ok((w, h)));
        (rgba, decoded)
    }

    #[test]
    fn every_format_round_trips_within_tolerance() {
        for format in [PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Mjpeg, PixelFormat::Rgb] {
            let (original, decoded) = round_trip(format);
            assert_eq!(original.len(), decoded.len(), "{format}");
            // Compare the centre pixel of each quadrant (edges blur in 4:2:x and JPEG).
            for (x, y) in [(16, 8), (48, 8), (16, 24), (48, 24)] {
                let i = (y * 64 + x) * 4;
                for c in 0..4 {
                    let diff = (original[i + c] as i32 - decoded[i + c] as i32).abs();
                    assert!(
                        diff <= 12,
                        "{format} pixel ({x},{y}) channel {c}: {} vs {}",
                        original[i + c],
                        decoded[i + c]
                    );
                }
            }
        }
    }

    #[test]
    fn short_and_corrupt_frames_are_errors_not_panics() {
        let mut out = Vec::new();
        for format in [PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Rgb, PixelFormat::Mjpeg] {
            let raw = RawFrame { format, width: 64, height: 32, data: &[1, 2, 3] };
            assert!(matches!(to_rgba(&raw, &mut out), Err(CameraError::Convert { .. })), "{format}");
        }
        let garbage: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0].into_iter().chain((0..5000).map(|i| (i * 7) as u8)).collect();
        let raw = RawFrame { format: PixelFormat::Mjpeg, width: 64, height: 32, data: &garbage };
        assert!(to_rgba(&raw, &mut out).is_err());
    }
}
