//! What looks cost, at 720p and 1080p on the synthetic scene, each beside a baseline measured in
//! the same run. Run: `cargo bench -p camera --bench looks`.
//!
//! - A still: the mirrored portrait crop (ours, one row copy) against the `image` crate's crop and
//!   flip; plus the share-sized JPEG kept for "Show friends".
//! - A twirl frame: encoded once on the clip thread (budget at 15 fps: 66.7 ms), its size, and the
//!   memory of an 8 s twirl as JPEGs against keeping the frames as RGBA.
//! - Replay: decoding one frame with libjpeg-turbo (ours) against the `image` crate's decoder, and
//!   the replay rate that allows (the twirl plays at 15 fps).

mod common;

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use common::{measure, ms};

use camera::{
    FormatRequest, Frame, FrameSource,
    clip::{CLIP_FPS, clip_format},
    convert::{decode_mjpeg, to_rgba},
    crop::mirrored_crop,
    share_encoder::{ShareEncoder, ShareFormat},
    synthetic::SyntheticSource,
};
use protocol::config::PixelFormat;

fn frame(width: u32, height: u32) -> Frame {
    let request = FormatRequest { formats: vec![PixelFormat::Rgb], width, height, fps: 1000 };
    let mut source = SyntheticSource::new(request, None);
    let mut rgba = Vec::new();
    let ok = source.open().is_ok() && source.read().map(|raw| to_rgba(&raw, &mut rgba)).is_ok();
    assert!(ok, "synthetic scene at {width}x{height}");
    Frame { seq: 0, captured_at: Instant::now(), width, height, rgba }
}

fn row(what: &str, size: &str, ours: f64, unit: &str, baseline_name: &str, baseline: f64) {
    let ratio = if ours > 0.0 { baseline / ours } else { 0.0 };
    println!(
        "| {what:<22} | {size:<5} | {ours:>9.2} {unit:<4} | {baseline_name:<30} | {baseline:>9.2} {unit:<4} | {ratio:>6.1}x |"
    );
}

fn main() {
    println!(
        "| looks                  | frame |         ours   | baseline (same run)            |     baseline   |  ratio |"
    );
    println!("|---|---|---:|---|---:|---:|");
    for (label, width, height) in [("720p", 1280, 720), ("1080p", 1920, 1080)] {
        let frame = frame(width, height);
        let (screen_w, screen_h) = (1080.0, 1920.0);
        let crop = measure(|| {
            black_box(mirrored_crop(black_box(&frame), screen_w, screen_h, true));
        });
        let Some(image) = image::RgbaImage::from_raw(width, height, frame.rgba.clone()) else { panic!("rgba") };
        let (cw, ch, cropped) = mirrored_crop(&frame, screen_w, screen_h, true);
        let x = (width - cw) / 2;
        let image_crop = measure(|| {
            let view = image::imageops::crop_imm(black_box(&image), x, 0, cw, ch).to_image();
            black_box(image::imageops::flip_horizontal(&view));
        });
        row("still: crop + mirror", label, ms(crop), "ms", "image crate crop + flip", ms(image_crop));

        let card_format = ShareFormat { long_edge: 720, quality: 70, mirror: false, aspect: (cw as f32, ch as f32) };
        let card_frame = Frame { seq: 0, captured_at: Instant::now(), width: cw, height: ch, rgba: cropped };
        let mut card_encoder = ShareEncoder::new(card_format);
        let card = measure(|| {
            black_box(card_encoder.encode(black_box(&card_frame)).ok());
        });
        let camera_frame = Duration::from_secs(1) / 30;
        row("still: friends' JPEG", label, ms(card), "ms", "one camera frame at 30 fps", ms(camera_frame));

        let mut clip_encoder = ShareEncoder::new(clip_format((screen_w, screen_h), true));
        let encode = measure(|| {
            black_box(clip_encoder.encode(black_box(&frame)).ok());
        });
        let budget = Duration::from_secs(1) / CLIP_FPS;
        row("twirl: encode a frame", label, ms(encode), "ms", "clip budget at 15 fps", ms(budget));
        let jpeg = clip_encoder.encode(&frame).unwrap_or_default();
        let frames = 8 * CLIP_FPS as usize;
        let (jpeg_mib, rgba_mib) =
            ((frames * jpeg.len()) as f64 / 1048576.0, (frames * (cw * ch * 4) as usize) as f64 / 1048576.0);
        row("twirl: 8 s in memory", label, jpeg_mib, "MiB", "the same frames as RGBA", rgba_mib);

        let mut rgba = Vec::new();
        let decode = measure(|| {
            black_box(decode_mjpeg(black_box(&jpeg), &mut rgba).ok());
        });
        let image_decode = measure(|| {
            black_box(image::load_from_memory(black_box(&jpeg)).ok());
        });
        row("replay: decode a frame", label, ms(decode), "ms", "image crate decode", ms(image_decode));
        let fps = |d: Duration| 1.0 / d.as_secs_f64();
        row("replay: frames a second", label, fps(decode), "fps", "image crate, same frames", fps(image_decode));
    }
    println!("(the twirl replays at {CLIP_FPS} fps: one decode per shown frame, on the app thread)");
}
