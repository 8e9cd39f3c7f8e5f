//! Per-frame cost of each pipeline stage at 720p and 1080p, beside nokhwa's own conversion of
//! the same frame in the same run. Run: `cargo bench -p camera --bench conversion`.
//!
//! Frames come from the synthetic scene, encoded into each camera format. Mirroring and cropping
//! happen on the GPU (`ImageNode::flip_x` + `rect`), so their CPU cost is computing the crop
//! rectangle; the baseline beside it is what a CPU mirror + crop copy would cost.

mod common;

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use common::{measure, ms};

use camera::{
    FormatRequest, Frame, FrameSource, RawFrame,
    convert::to_rgba,
    crop::cover_crop,
    share_encoder::{ShareEncoder, ShareFormat},
    synthetic::{SyntheticSource, encode_rgba},
};
use image::ImageEncoder;
use nokhwa::utils::Resolution;
use protocol::config::PixelFormat;

fn row(stage: &str, size: &str, ours: Duration, baseline_name: &str, baseline: Duration) {
    let (ours_ms, speedup) = if ours < Duration::from_micros(1) {
        // Nothing left on the CPU to compare: the GPU samples the texture flipped and cropped.
        ("< 0.001".to_string(), "—".to_string())
    } else {
        (format!("{:.3}", ms(ours)), format!("{:.1}x", ms(baseline) / ms(ours)))
    };
    println!("| {stage:<14} | {size:<9} | {ours_ms:>9} | {baseline_name:<28} | {:>9.3} | {speedup:>7} |", ms(baseline));
}

fn scene(width: u32, height: u32) -> Vec<u8> {
    let request = FormatRequest { formats: vec![PixelFormat::Rgb], width, height, fps: 1000 };
    let mut source = SyntheticSource::new(request, None);
    let mut rgba = Vec::new();
    let ok = source.open().is_ok() && source.read().map(|raw| to_rgba(&raw, &mut rgba)).is_ok();
    assert!(ok, "synthetic scene at {width}x{height}");
    rgba
}

fn main() {
    println!("| stage          | size      | ours (ms) | baseline                     | base (ms) | speed-up |");
    println!("|----------------|-----------|-----------|------------------------------|-----------|----------|");
    for (width, height, size) in [(1280u32, 720u32, "1280x720"), (1920, 1080, "1920x1080")] {
        let rgba = scene(width, height);
        let resolution = Resolution::new(width, height);
        for (format, stage) in
            [(PixelFormat::Yuyv, "YUYV→RGBA"), (PixelFormat::Nv12, "NV12→RGBA"), (PixelFormat::Mjpeg, "MJPEG→RGBA")]
        {
            let mut encoded = Vec::new();
            assert!(encode_rgba(&rgba, width, height, format, &mut encoded).is_ok());
            let raw = RawFrame { format, width, height, data: &encoded };
            // A fresh buffer per frame, as in the capture thread (each frame's buffer moves on to
            // the GPU upload), so allocation counts on both sides.
            let ours = measure(|| {
                let mut out = Vec::new();
                let converted = to_rgba(&raw, &mut out);
                assert!(converted.is_ok());
                black_box(&out);
            });
            let (name, theirs) = match format {
                PixelFormat::Yuyv => (
                    "nokhwa yuyv422_to_rgb",
                    measure(|| {
                        black_box(nokhwa::utils::yuyv422_to_rgb(&encoded, true).ok());
                    }),
                ),
                PixelFormat::Nv12 => (
                    "nokhwa nv12_to_rgb",
                    measure(|| {
                        black_box(nokhwa::utils::nv12_to_rgb(resolution, &encoded, true).ok());
                    }),
                ),
                _ => (
                    "nokhwa mjpeg_to_rgb",
                    measure(|| {
                        black_box(nokhwa::utils::mjpeg_to_rgb(&encoded, true).ok());
                    }),
                ),
            };
            row(stage, size, ours, name, theirs);
        }
        // Mirror + crop to a 1080x1920 portrait screen.
        let ours = measure(|| {
            black_box(cover_crop(black_box(width), black_box(height), 1080.0, 1920.0));
        });
        let image = image::RgbaImage::from_raw(width, height, rgba.clone());
        let Some(image) = image else { panic!("scene buffer has the wrong size") };
        let cpu = measure(|| {
            let crop = cover_crop(width, height, 1080.0, 1920.0);
            let cropped =
                image::imageops::crop_imm(&image, crop.x as u32, crop.y as u32, crop.width as u32, crop.height as u32)
                    .to_image();
            black_box(image::imageops::flip_horizontal(&cropped));
        });
        row("mirror+crop", size, ours, "CPU crop+flip copy (image)", cpu);

        // Live-share JPEG encode (quality 70) of the whole frame: our encoder beside `image`'s.
        let frame = Frame { seq: 0, captured_at: Instant::now(), width, height, rgba: rgba.clone() };
        let whole = ShareFormat {
            long_edge: width.max(height),
            quality: 70,
            mirror: false,
            aspect: (width as f32, height as f32),
        };
        let mut encoder = ShareEncoder::new(whole);
        let ours = measure(|| {
            black_box(encoder.encode(&frame).ok());
        });
        let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let theirs = measure(|| {
            let mut out = Vec::new();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 70);
            black_box(encoder.write_image(&rgb, width, height, image::ExtendedColorType::Rgb8).ok());
        });
        row("JPEG encode", size, ours, "image JpegEncoder", theirs);
        // What the share stream actually sends: portrait crop, mirrored, 720 px long edge.
        let mut share =
            ShareEncoder::new(ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (1080.0, 1920.0) });
        let ours = measure(|| {
            black_box(share.encode(&frame).ok());
        });
        let kib = share.encode(&frame).map(|j| j.len() / 1024).unwrap_or_default();
        let (share_w, share_h) = share.output_size(frame.width, frame.height);
        println!(
            "| {:<14} | {size:<9} | {:>9.3} | {:<28} | {:>9} | {:>7} |",
            "share frame",
            ms(ours),
            format!("{share_w}x{share_h} q70 = {kib} KiB"),
            "—",
            "—"
        );
    }
    println!("\nours: the kiosk's pipeline (yuv crate; mozjpeg; GPU mirror/crop). Medians per frame.");
}
