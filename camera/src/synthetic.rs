//! A synthetic camera: a person swaying in a fitting room, for demos and tests on machines
//! without a camera.
//!
//! The scene has an asymmetric mark so mirroring is visible: a bright green "L" on the camera's
//! left of the person (the shopper's right hand side; a mirror shows it on the right of the
//! screen), and a frame counter at the top on the camera's right. Both sit inside the centre
//! columns a portrait crop keeps. Each frame is rendered as RGBA, then *encoded* into the
//! negotiated camera format (MJPEG, YUYV, NV12 or RGB), so it takes exactly the conversion path a
//! real camera frame takes.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    path::PathBuf,
    thread,
    time::{Duration, Instant},
};

use protocol::config::PixelFormat;
use yuv::{
    BufferStoreMut, YuvBiPlanarImageMut, YuvChromaSubsampling, YuvConversionMode, YuvPackedImageMut, YuvPlanarImageMut,
};

use crate::{
    convert::{YUV_MATRIX, YUV_RANGE},
    negotiate::{CameraMode, FormatRequest},
    source::{CameraError, FrameSource, RawFrame},
};

/// Colour of the asymmetric mark, chosen to appear nowhere else in the scene.
pub const MARK_RGB: [u8; 3] = [0, 230, 60];
/// Horizontal extent of the mark as fractions of the frame width (camera's view, unmirrored).
pub const MARK_X: (f32, f32) = (0.37, 0.42);
const MARK_Y: (f32, f32) = (0.10, 0.26);

/// The synthetic source. It offers every pixel format at the requested size and rate.
pub struct SyntheticSource {
    request: FormatRequest,
    background_path: Option<PathBuf>,
    mode: Option<CameraMode>,
    background: Vec<u8>,
    scene: Vec<u8>,
    encoded: Vec<u8>,
    frame_index: u64,
    started: Instant,
}

impl SyntheticSource {
    pub fn new(request: FormatRequest, background_path: Option<PathBuf>) -> Self {
        Self {
            request,
            background_path,
            mode: None,
            background: Vec::new(),
            scene: Vec::new(),
            encoded: Vec::new(),
            frame_index: 0,
            started: Instant::now(),
        }
    }

    fn offered_modes(&self) -> Vec<CameraMode> {
        let sizes = [(640, 480), (1280, 720), (1920, 1080), (self.request.width, self.request.height)];
        let rates = [15, 30, 60, self.request.fps];
        let formats = [PixelFormat::Mjpeg, PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Rgb];
        formats
            .iter()
            .flat_map(|&format| {
                sizes.iter().flat_map(move |&(width, height)| {
                    rates.into_iter().map(move |fps| CameraMode { format, width, height, fps })
                })
            })
            .collect()
    }
}

impl FrameSource for SyntheticSource {
    fn name(&self) -> String {
        "synthetic fitting-room scene".into()
    }

    fn open(&mut self) -> Result<CameraMode, CameraError> {
        let mode = self.request.negotiate(&self.offered_modes()).ok_or_else(|| CameraError::NoUsableFormat {
            device: self.name(),
            wanted: format!("{:?}", self.request.formats),
            offered: "MJPEG, YUYV, NV12, RGB".into(),
        })?;
        self.background = match &self.background_path {
            Some(path) => load_background(path, mode.width, mode.height).map_err(|reason| CameraError::Open {
                device: format!("synthetic background {}", path.display()),
                reason,
            })?,
            None => draw_room(mode.width, mode.height),
        };
        self.mode = Some(mode);
        self.started = Instant::now();
        self.frame_index = 0;
        Ok(mode)
    }

    fn read(&mut self) -> Result<RawFrame<'_>, CameraError> {
        let mode = self.mode.ok_or(CameraError::Read("synthetic source is not open".into()))?;
        // Pace like a real camera: frame n is due at n / fps after opening.
        let due = self.started + Duration::from_secs_f64(self.frame_index as f64 / f64::from(mode.fps.max(1)));
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
        let t = self.frame_index as f32 / mode.fps.max(1) as f32;
        self.scene.clone_from(&self.background);
        draw_scene(&mut self.scene, mode.width, mode.height, t, self.frame_index);
        encode_rgba(&self.scene, mode.width, mode.height, mode.format, &mut self.encoded)
            .map_err(|reason| CameraError::Read(format!("synthetic encode: {reason}")))?;
        self.frame_index += 1;
        Ok(RawFrame { format: mode.format, width: mode.width, height: mode.height, data: &self.encoded })
    }

    fn close(&mut self) {
        self.mode = None;
    }
}

/// Encodes tightly packed RGBA into a camera pixel format, as a camera would deliver it.
pub fn encode_rgba(rgba: &[u8], w: u32, h: u32, format: PixelFormat, out: &mut Vec<u8>) -> Result<(), String> {
    let pixels = w as usize * h as usize;
    if rgba.len() < pixels * 4 {
        return Err(format!("{} bytes for {w}x{h} RGBA", rgba.len()));
    }
    out.clear();
    match format {
        PixelFormat::Rgb => {
            out.reserve(pixels * 3);
            for px in rgba[..pixels * 4].chunks_exact(4) {
                out.extend_from_slice(&px[..3]);
            }
        }
        PixelFormat::Yuyv => {
            let mut planar = YuvPlanarImageMut::<u8>::alloc(w, h, YuvChromaSubsampling::Yuv422);
            yuv::rgba_to_yuv422(&mut planar, rgba, w * 4, YUV_RANGE, YUV_MATRIX, YuvConversionMode::Balanced)
                .map_err(|e| e.to_string())?;
            out.resize(pixels * 2, 0);
            let mut packed =
                YuvPackedImageMut { yuy: BufferStoreMut::Borrowed(out), yuy_stride: w * 2, width: w, height: h };
            yuv::yuv422_to_yuyv422(&mut packed, &planar.to_fixed()).map_err(|e| e.to_string())?;
        }
        PixelFormat::Nv12 => {
            let mut image = YuvBiPlanarImageMut::<u8>::alloc(w, h, YuvChromaSubsampling::Yuv420);
            yuv::rgba_to_yuv_nv12(&mut image, rgba, w * 4, YUV_RANGE, YUV_MATRIX, YuvConversionMode::Balanced)
                .map_err(|e| e.to_string())?;
            out.extend_from_slice(image.y_plane.borrow());
            out.extend_from_slice(image.uv_plane.borrow());
        }
        PixelFormat::Mjpeg => {
            let jpeg = catch_unwind(AssertUnwindSafe(|| -> std::io::Result<Vec<u8>> {
                let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_EXT_RGBA);
                compress.set_fastest_defaults();
                compress.set_size(w as usize, h as usize);
                compress.set_quality(85.0);
                let mut started = compress.start_compress(Vec::with_capacity(pixels / 4))?;
                started.write_scanlines(&rgba[..pixels * 4])?;
                started.finish()
            }))
            .map_err(|_| "JPEG encoder failed".to_string())?
            .map_err(|e| e.to_string())?;
            *out = jpeg;
        }
    }
    Ok(())
}

fn load_background(path: &std::path::Path, w: u32, h: u32) -> Result<Vec<u8>, String> {
    let image = image::open(path).map_err(|e| e.to_string())?.to_rgba8();
    let crop = crate::crop::cover_crop(image.width(), image.height(), w as f32, h as f32);
    let cropped =
        image::imageops::crop_imm(&image, crop.x as u32, crop.y as u32, crop.width as u32, crop.height as u32)
            .to_image();
    Ok(image::imageops::resize(&cropped, w, h, image::imageops::FilterType::Triangle).into_raw())
}

/// A plain RGBA canvas to draw the scene on.
struct Canvas<'a> {
    px: &'a mut [u8],
    w: i32,
    h: i32,
}

impl Canvas<'_> {
    fn fill_rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, rgb: [u8; 3]) {
        let (x0, x1) = ((x0 as i32).clamp(0, self.w), (x1 as i32).clamp(0, self.w));
        let (y0, y1) = ((y0 as i32).clamp(0, self.h), (y1 as i32).clamp(0, self.h));
        for y in y0..y1 {
            let row = (y * self.w) as usize * 4;
            for px in self.px[row + x0 as usize * 4..row + x1 as usize * 4].chunks_exact_mut(4) {
                px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
            }
        }
    }

    fn fill_ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, rgb: [u8; 3]) {
        let (y0, y1) = (((cy - ry) as i32).max(0), ((cy + ry) as i32 + 1).min(self.h));
        for y in y0..y1 {
            let dy = (y as f32 + 0.5 - cy) / ry;
            let half = rx * (1.0 - dy * dy).max(0.0).sqrt();
            self.fill_rect(cx - half, y as f32, cx + half, y as f32 + 1.0, rgb);
        }
    }

    /// A slanted limb from (x0, y0) to (x1, y1), `thickness` wide.
    fn fill_limb(&mut self, (x0, y0): (f32, f32), (x1, y1): (f32, f32), thickness: f32, rgb: [u8; 3]) {
        let steps = ((y1 - y0).abs().max((x1 - x0).abs()) as i32).max(1);
        for i in 0..=steps {
            let f = i as f32 / steps as f32;
            let (x, y) = (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f);
            self.fill_rect(x - thickness / 2.0, y, x + thickness / 2.0, y + 2.0, rgb);
        }
    }
}

/// The fitting room: a warm wall, curtains left and right, a wooden floor, a stool.
fn draw_room(w: u32, h: u32) -> Vec<u8> {
    let mut px = vec![0u8; w as usize * h as usize * 4];
    let (wf, hf) = (w as f32, h as f32);
    for y in 0..h {
        let v = y as f32 / hf;
        for x in 0..w {
            let u = x as f32 / wf;
            let rgb = if v > 0.78 {
                // Floor planks with seams.
                let plank = ((u * 14.0 + (v * 40.0).floor() * 0.37).fract() < 0.02) as u8;
                let shade = 1.0 - (v - 0.78) * 0.8;
                [
                    (150.0 * shade) as u8 - plank * 40,
                    (105.0 * shade) as u8 - plank * 30,
                    (70.0 * shade) as u8 - plank * 20,
                ]
            } else if !(0.12..=0.88).contains(&u) {
                // Curtain folds.
                let fold = 0.75 + 0.25 * (u * 160.0).sin();
                [(120.0 * fold) as u8, (40.0 * fold) as u8, (55.0 * fold) as u8]
            } else {
                // Wall with a soft vertical light falloff.
                let light = 1.0 - 0.25 * v - 0.15 * (u - 0.5).abs();
                [(226.0 * light) as u8, (208.0 * light) as u8, (184.0 * light) as u8]
            };
            let i = (y as usize * w as usize + x as usize) * 4;
            px[i..i + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
    }
    let mut canvas = Canvas { px: &mut px, w: w as i32, h: h as i32 };
    // A stool and a wall hook.
    canvas.fill_rect(wf * 0.66, hf * 0.70, wf * 0.80, hf * 0.73, [90, 60, 40]);
    canvas.fill_rect(wf * 0.67, hf * 0.73, wf * 0.68, hf * 0.86, [70, 45, 30]);
    canvas.fill_rect(wf * 0.78, hf * 0.73, wf * 0.79, hf * 0.86, [70, 45, 30]);
    canvas.fill_rect(wf * 0.25, hf * 0.20, wf * 0.27, hf * 0.24, [120, 120, 125]);
    px
}

/// The person, the mark and the frame counter for time `t` (seconds) and frame `n`.
fn draw_scene(px: &mut [u8], w: u32, h: u32, t: f32, n: u64) {
    let (wf, hf) = (w as f32, h as f32);
    let mut c = Canvas { px, w: w as i32, h: h as i32 };
    let cx = wf * (0.5 + 0.035 * (t * 0.9).sin());
    let unit = hf / 100.0; // the person is ~90 units tall
    let skin = [224, 172, 140];
    let shirt = [40, 90, 170];
    let jeans = [45, 55, 80];
    // Legs, shoes.
    let sway = 2.0 * unit * (t * 0.9).cos();
    c.fill_limb((cx - 5.0 * unit, 58.0 * unit), (cx - 6.0 * unit + sway * 0.3, 92.0 * unit), 7.0 * unit, jeans);
    c.fill_limb((cx + 5.0 * unit, 58.0 * unit), (cx + 6.0 * unit + sway * 0.3, 92.0 * unit), 7.0 * unit, jeans);
    c.fill_ellipse(cx - 6.5 * unit, 93.0 * unit, 5.0 * unit, 2.0 * unit, [30, 30, 30]);
    c.fill_ellipse(cx + 6.5 * unit, 93.0 * unit, 5.0 * unit, 2.0 * unit, [30, 30, 30]);
    // Torso and arms (one arm waves).
    c.fill_rect(cx - 11.0 * unit, 24.0 * unit, cx + 11.0 * unit, 60.0 * unit, shirt);
    let wave = 6.0 * unit * (t * 2.5).sin();
    c.fill_limb((cx - 12.5 * unit, 26.0 * unit), (cx - 15.0 * unit, 55.0 * unit), 5.0 * unit, shirt);
    c.fill_limb((cx + 12.5 * unit, 26.0 * unit), (cx + 20.0 * unit + wave, 50.0 * unit), 5.0 * unit, shirt);
    c.fill_ellipse(cx - 15.0 * unit, 57.0 * unit, 2.8 * unit, 2.8 * unit, skin);
    c.fill_ellipse(cx + 20.0 * unit + wave, 52.0 * unit, 2.8 * unit, 2.8 * unit, skin);
    // Neck, head, hair.
    c.fill_rect(cx - 3.0 * unit, 18.0 * unit, cx + 3.0 * unit, 25.0 * unit, skin);
    c.fill_ellipse(cx, 13.0 * unit, 7.0 * unit, 8.5 * unit, skin);
    c.fill_ellipse(cx, 7.5 * unit, 7.5 * unit, 4.0 * unit, [60, 40, 30]);
    // The asymmetric mark: an "L" on the camera's left, fixed in the room.
    let (mx0, mx1) = (wf * MARK_X.0, wf * MARK_X.1);
    let (my0, my1) = (hf * MARK_Y.0, hf * MARK_Y.1);
    let bar = (mx1 - mx0) * 0.35;
    c.fill_rect(mx0, my0, mx0 + bar, my1, MARK_RGB);
    c.fill_rect(mx0, my1 - bar, mx1, my1, MARK_RGB);
    // Frame counter on the camera's right, as a 7-segment readout.
    draw_counter(&mut c, wf * 0.57, hf * 0.04, unit * 0.7, n);
}

fn draw_counter(c: &mut Canvas<'_>, x: f32, y: f32, s: f32, n: u64) {
    const SEGMENTS: [u8; 10] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];
    let digits = format!("{:04}", n % 10_000);
    c.fill_rect(x - s, y - s, x + digits.len() as f32 * 5.0 * s + s, y + 9.0 * s, [20, 20, 20]);
    for (i, d) in digits.bytes().enumerate() {
        let bits = SEGMENTS[(d - b'0') as usize];
        let ox = x + i as f32 * 5.0 * s;
        let on = |b: u8| bits & (1 << b) != 0;
        let color = [255, 210, 60];
        let seg = [
            (0, (ox, y, ox + 4.0 * s, y + s)),
            (1, (ox + 3.0 * s, y, ox + 4.0 * s, y + 4.0 * s)),
            (2, (ox + 3.0 * s, y + 4.0 * s, ox + 4.0 * s, y + 8.0 * s)),
            (3, (ox, y + 7.0 * s, ox + 4.0 * s, y + 8.0 * s)),
            (4, (ox, y + 4.0 * s, ox + s, y + 8.0 * s)),
            (5, (ox, y, ox + s, y + 4.0 * s)),
            (6, (ox, y + 3.5 * s, ox + 4.0 * s, y + 4.5 * s)),
        ];
        for (bit, (x0, y0, x1, y1)) in seg {
            if on(bit) {
                c.fill_rect(x0, y0, x1, y1, color);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::to_rgba;

    fn request(format: PixelFormat) -> FormatRequest {
        FormatRequest { formats: vec![format], width: 320, height: 180, fps: 60 }
    }

    fn mark_centroid_x(rgba: &[u8], w: usize) -> Option<f32> {
        let (mut sum, mut count) = (0f64, 0u64);
        for (i, px) in rgba.chunks_exact(4).enumerate() {
            if px[1] > 180 && px[0] < 80 && px[2] < 120 {
                sum += (i % w) as f64;
                count += 1;
            }
        }
        (count > 20).then(|| (sum / count as f64) as f32 / w as f32)
    }

    #[test]
    fn frames_in_every_format_decode_with_the_mark_on_the_camera_left() {
        for format in [PixelFormat::Mjpeg, PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Rgb] {
            let mut source = SyntheticSource::new(request(format), None);
            let mode = source.open();
            assert_eq!(mode.map(|m| (m.format, m.width, m.height)), Ok((format, 320, 180)));
            let mut rgba = Vec::new();
            let raw = source.read();
            let Ok(raw) = raw else { panic!("{format}: {raw:?}") };
            assert_eq!(to_rgba(&raw, &mut rgba), Ok((320, 180)), "{format}");
            let x = mark_centroid_x(&rgba, 320);
            assert!(x.is_some_and(|x| x > MARK_X.0 && x < MARK_X.1), "{format}: mark centroid at {x:?}");
        }
    }

    #[test]
    fn consecutive_frames_differ_and_are_paced() {
        let mut source = SyntheticSource::new(request(PixelFormat::Rgb), None);
        assert!(source.open().is_ok());
        let first = source.read().map(|r| r.data.to_vec());
        let started = Instant::now();
        let second = source.read().map(|r| r.data.to_vec());
        let third = source.read().map(|r| r.data.to_vec());
        assert!(first.is_ok() && second.is_ok() && third.is_ok());
        assert_ne!(first, second, "the counter and the person must change between frames");
        assert_ne!(second, third);
        // Two frames at 60 fps cannot arrive sooner than ~33 ms after the first.
        assert!(started.elapsed() >= Duration::from_millis(25), "{:?}", started.elapsed());
    }

    #[test]
    fn a_background_image_from_disk_fills_the_frame() {
        let path = std::env::temp_dir().join(format!("mirror-background-{}.png", std::process::id()));
        let teal = image::RgbaImage::from_pixel(40, 30, image::Rgba([10, 120, 130, 255]));
        assert!(teal.save(&path).is_ok());
        let mut source = SyntheticSource::new(request(PixelFormat::Rgb), Some(path.clone()));
        assert!(source.open().is_ok());
        let frame = source.read().map(|raw| raw.data.to_vec());
        let _ = std::fs::remove_file(&path);
        let Ok(rgb) = frame else { panic!("{frame:?}") };
        // The top-left corner is background: the file's colour, not the procedural wall.
        assert_eq!(&rgb[..3], &[10, 120, 130]);
    }

    #[test]
    fn a_missing_background_file_is_an_open_error_naming_it() {
        let mut source = SyntheticSource::new(request(PixelFormat::Rgb), Some("/nonexistent/room.png".into()));
        let err = source.open();
        assert!(
            matches!(&err, Err(CameraError::Open { device, .. }) if device.contains("/nonexistent/room.png")),
            "{err:?}"
        );
    }
}
