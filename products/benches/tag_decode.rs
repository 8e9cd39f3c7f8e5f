//! Cost of looking for a tag in one 1080p camera frame (luma plane), with and without a code in
//! view, and what that allows per second on one core. `cargo bench -p products --bench tag_decode`.

use std::time::{Duration, Instant};

use image::{GrayImage, Luma, imageops};
use products::tags::{draw_tag, read_tag};
use rxing::BarcodeFormat;

fn tag(text: &str, format: BarcodeFormat, module: u32, bar_height: u32) -> GrayImage {
    draw_tag(text, format, module, bar_height).unwrap_or_else(|_| GrayImage::new(1, 1))
}

/// A frame with some texture (a room is not flat grey), optionally with a tag in it.
fn frame(with: Option<&GrayImage>) -> GrayImage {
    let mut frame = GrayImage::from_fn(1920, 1080, |x, y| Luma([(90 + (x / 7 + y / 5) % 40) as u8]));
    if let Some(tag) = with {
        imageops::overlay(&mut frame, tag, 820, 420);
    }
    frame
}

fn median_ms(frame: &GrayImage) -> (f64, bool) {
    let mut times = Vec::new();
    let mut found = false;
    let started = Instant::now();
    while times.len() < 15 || (started.elapsed() < Duration::from_secs(3) && times.len() < 200) {
        let t = Instant::now();
        found = read_tag(frame.as_raw(), frame.width(), frame.height()).is_some();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], found)
}

fn main() {
    let ean = tag("4006381333931", BarcodeFormat::EAN_13, 3, 120);
    let qr = tag("https://tags.example-store.com/p/oxford-shirt-navy-M", BarcodeFormat::QR_CODE, 6, 0);
    println!("| 1920×1080 luma frame | found | ms per frame (median) | frames/s on one core |");
    println!("|---|---|---:|---:|");
    for (name, frame) in [
        ("no code in view (the usual case)", frame(None)),
        ("EAN-13 in view", frame(Some(&ean))),
        ("QR in view", frame(Some(&qr))),
    ] {
        let (ms, found) = median_ms(&frame);
        println!("| {name} | {} | {ms:.1} | {:.1} |", if found { "yes" } else { "no" }, 1000.0 / ms);
    }
}
