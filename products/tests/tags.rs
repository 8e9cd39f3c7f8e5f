//! Barcodes the test draws (EAN-13, UPC-A, QR), placed in a 1080p camera-sized frame, upright,
//! rotated and small, read back by `read_tag`.

use image::{GrayImage, Luma, imageops};
use products::tags::{TagCode, draw_tag, read_tag};
use protocol::barcode::Gtin;
use rxing::BarcodeFormat;

fn draw(text: &str, format: BarcodeFormat, module: u32, bar_height: u32) -> GrayImage {
    draw_tag(text, format, module, bar_height).unwrap_or_else(|e| panic!("{e}"))
}

/// A 1920×1080 grey frame with `tag` pasted at (x, y).
fn frame_with(tag: &GrayImage, x: i64, y: i64) -> GrayImage {
    let mut frame = GrayImage::from_pixel(1920, 1080, Luma([110]));
    imageops::overlay(&mut frame, tag, x, y);
    frame
}

fn read(frame: &GrayImage) -> Option<TagCode> {
    read_tag(frame.as_raw(), frame.width(), frame.height())
}

fn gtin(code: &str) -> Option<TagCode> {
    Gtin::parse(code).ok().map(TagCode::Gtin)
}

#[test]
fn ean13_upright_rotated_and_small() {
    let tag = draw("4006381333931", BarcodeFormat::EAN_13, 3, 120);
    assert_eq!(read(&frame_with(&tag, 700, 400)), gtin("4006381333931"), "upright");
    assert_eq!(read(&frame_with(&imageops::rotate90(&tag), 900, 200)), gtin("4006381333931"), "rotated 90°");
    assert_eq!(read(&frame_with(&imageops::rotate180(&tag), 300, 600)), gtin("4006381333931"), "upside down");
    let small = draw("4006381333931", BarcodeFormat::EAN_13, 2, 50);
    assert_eq!(read(&frame_with(&small, 1500, 900)), gtin("4006381333931"), "2 px per module, 50 px tall");
}

#[test]
fn upc_a_reads_as_its_ean13_form() {
    let tag = draw("036000291452", BarcodeFormat::UPC_A, 3, 100);
    assert_eq!(read(&frame_with(&tag, 100, 100)), gtin("0036000291452"));
    assert_eq!(read(&frame_with(&imageops::rotate270(&tag), 1200, 300)), gtin("0036000291452"), "rotated 270°");
}

#[test]
fn qr_codes_upright_rotated_and_small() {
    let text = "https://tags.example-store.com/p/oxford-shirt-navy-M";
    let tag = draw(text, BarcodeFormat::QR_CODE, 6, 0);
    assert_eq!(read(&frame_with(&tag, 800, 300)), Some(TagCode::Qr(text.into())));
    assert_eq!(read(&frame_with(&imageops::rotate90(&tag), 200, 500)), Some(TagCode::Qr(text.into())));
    let small = draw(text, BarcodeFormat::QR_CODE, 3, 0);
    assert_eq!(read(&frame_with(&small, 1700, 900)), Some(TagCode::Qr(text.into())), "3 px per module");
}

#[test]
fn frames_without_a_code_or_with_a_bad_one_give_nothing() {
    assert_eq!(read(&GrayImage::from_pixel(1920, 1080, Luma([110]))), None);
    assert_eq!(read_tag(&[0; 10], 1920, 1080), None, "a short buffer is refused, not read past");
}
