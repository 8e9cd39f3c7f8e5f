//! The products panel in the real kiosk under Xvfb: a tag held up to the synthetic camera, a USB
//! scanner's burst and an RFID reader (the simulator on a loopback port) identify items; the item
//! panel shows sizes, colours, this store's stock and complete-the-look cards, checked against the
//! demo catalog and on the screenshot's pixels.

mod support;

use std::{
    path::Path,
    time::{Duration, Instant},
};

use hardware::simulator::Simulator;

use image::{GrayImage, Luma, Rgb, RgbImage, imageops};
use products::tags::{TagFormat, draw_tag};
use protocol::catalog::Catalog;
use support::*;

/// `theme::SELECTED` / `ACCENT` in sRGB: chosen chips and the "Ask for …" button.
const SELECTED_RGB: [u8; 3] = [237, 168, 89];

fn demo_catalog() -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog/catalog.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// What the item panel must show for the two items, read off `assets/catalog/catalog.json` for
/// `demo-store` (the kiosk logs the panel's content in this form): every size of the colour with
/// its stock (sold-out sizes at 0), every colour with its units, and the complete-the-look cards
/// with their units, ranked.
const SHIRT_PANEL: &str = "products panel: Oxford shirt in white size M: sizes XS 0, S 0, M 2, L 2, XL 1; \
    colours white 5, sky blue 5, navy 4; complete the look: Unstructured blazer (20), Slim chinos (29), Leather belt (21)";
const CHINOS_PANEL: &str = "products panel: Slim chinos in sand size 32: sizes 28 1, 30 1, 32 5, 34 0, 36 2; \
    colours sand 9, navy 9, olive 11; complete the look: Leather belt (21), Oxford shirt (14), Suede loafers (31)";

fn count_near(image: &RgbImage, rgb: [u8; 3], region: (u32, u32, u32, u32)) -> usize {
    let (x0, y0, x1, y1) = region;
    image
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            *x >= x0 && *x < x1 && *y >= y0 && *y < y1 && p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 12)
        })
        .count()
}

#[test]
fn scanned_items_show_sizes_colours_stock_and_complete_the_look() {
    let catalog = demo_catalog();
    let camera_sku = "slim-chinos-sand-32";
    let scanner_sku = "oxford-shirt-white-M";
    let rfid_sku = "leather-belt-brown-90";
    let barcode_of = |sku: &str| {
        catalog
            .by_sku(&protocol::telemetry::Ident::new(sku).unwrap_or_else(|e| panic!("{e}")))
            .map(|(_, v)| v.barcode.clone())
            .unwrap_or_else(|| panic!("no {sku}"))
    };
    let dir = out_dir("products");
    // The fitting room the synthetic camera sees, with the chinos' tag held up on the right.
    let background = dir.join("room-with-tag.png");
    let tag = draw_tag(&barcode_of(camera_sku), TagFormat::EAN_13, 3, 120).unwrap_or_else(|e| panic!("{e}"));
    let mut room = GrayImage::from_fn(1280, 720, |x, y| Luma([150 + ((x / 9 + y / 13) % 20) as u8]));
    imageops::overlay(&mut room, &tag, 900, 260);
    let room = RgbImage::from_fn(1280, 720, |x, y| {
        let l = room.get_pixel(x, y).0[0];
        Rgb([l, l, l.saturating_sub(12)])
    });
    room.save(&background).unwrap_or_else(|e| panic!("{e}"));

    let shot = |name: &str| dir.join(format!("{name}.png"));
    let at = |secs: f32, action: String| format!("--at={secs}:{action}");
    let catalog_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // The fitting room's RFID reader: a belt's tag is in the field as soon as the kiosk listens
    // (before the session starts: the read counts when it does).
    let mut reader = Simulator::start("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let reader_address = reader.address();
    let belt = protocol::barcode::Gtin::parse(&barcode_of(rfid_sku)).unwrap_or_else(|e| panic!("{e}"));
    let _reader = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        while reader.clients() == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        reader.send_line("garbage from a confused reader");
        reader.show_item(&belt, 3);
        std::thread::sleep(Duration::from_secs(60)); // the reader stays up while the kiosk runs
    });
    let log = run_kiosk(
        &[
            format!("--set=scanning.rfid_reader=\"{reader_address}\""),
            format!("--set=catalog.bundled=\"{}\"", catalog_dir.display()),
            format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
            format!("--set=camera.synthetic_background=\"{}\"", background.display()),
            at(3.0, "touch".into()),
            // Opening the panel starts the camera's tag search: the chinos are found.
            at(5.0, "press=Scan item".into()),
            at(10.0, format!("screenshot={}", shot("camera-scan").display())),
            // A USB scanner's burst: the shirt.
            at(11.0, format!("scan={}", barcode_of(scanner_sku))),
            at(15.0, format!("screenshot={}", shot("item-panel").display())),
            at(16.0, "press=Your items".into()),
            at(19.0, format!("screenshot={}", shot("your-items").display())),
            at(20.0, "press=Browse".into()),
            at(22.0, "press=T".into()),
            at(23.5, "press=E".into()),
            at(26.0, format!("screenshot={}", shot("browse").display())),
            at(27.0, "end-session".into()),
            at(30.0, format!("screenshot={}", shot("after-session").display())),
            at(31.0, "exit".into()),
        ],
        Duration::from_secs(180),
    );

    // Both ways of identifying worked, and each item was looked up in the catalog.
    assert!(log.contains(&format!("Camera identified Slim chinos ({camera_sku})")), "camera scan missing:\n{log}");
    assert!(log.contains(&format!("Scanner identified Oxford shirt ({scanner_sku})")), "scanner missing:\n{log}");
    assert!(log.contains(&format!("Rfid identified Leather belt ({rfid_sku})")), "RFID missing:\n{log}");
    assert!(log.contains("rfid: skipped a line without an EPC"), "garbage from the reader is skipped");
    // The panel showed exactly what the catalog says for this store.
    for expected in [SHIRT_PANEL, CHINOS_PANEL] {
        assert!(log.contains(expected), "expected {expected:?} in the log:\n{log}");
    }
    assert!(log.contains("camera tag scanning stopped"), "the camera's tag search stops with the session");

    let item = load(&shot("item-panel"));
    let camera = load(&shot("camera-scan"));
    let after = load(&shot("after-session"));
    // The panel: a dark sheet over the middle of the mirror.
    let sheet = (60, 760, 1020, 1500);
    let dark = item.enumerate_pixels().filter(|(x, y, p)| {
        *x >= sheet.0 && *x < sheet.2 && *y >= sheet.1 && *y < sheet.3 && p.0.iter().all(|c| *c < 90)
    });
    assert!(dark.count() > 150_000, "the item panel covers the middle of the screen");
    // Chosen colour and size chips and the "Ask for M in white" button are the accent colour.
    let accent = count_near(&item, SELECTED_RGB, (0, 500, WIDTH, 1100));
    assert!(accent > 40_000, "selected chips and the request button ({accent} accent px)");
    // Complete-the-look cards carry product pictures (light card backgrounds) below the button.
    let pictures = count_near(&item, [246, 244, 240], (0, 1100, WIDTH, 1650));
    assert!(pictures > 20_000, "complete-the-look pictures ({pictures} px)");
    assert!(mean_abs_difference(&camera, &item) > 3.0, "the chinos' panel differs from the shirt's");
    // After the session: no panel, no accent.
    assert!(count_near(&after, SELECTED_RGB, (0, 500, WIDTH, 1100)) < 2_000, "the panel closes with the session");
}
