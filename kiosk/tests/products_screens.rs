//! The products panel in the real kiosk under Xvfb: a tag held up to the synthetic camera, a USB
//! scanner's burst and an RFID reader (the simulator on a loopback port) identify items; the item
//! panel shows sizes, colours, this store's stock and complete-the-look cards, checked against the
//! demo catalog on the texts the kiosk drew and on the screenshot's pixels. Each step waits for
//! what it needs on screen (`--at +0:wait=…`), never for a guessed number of seconds.

mod support;

use std::{
    path::Path,
    time::{Duration, Instant},
};

use hardware::simulator::Simulator;

use image::{GrayImage, Luma, Rgb, RgbImage, imageops};
use products::tags::{TagFormat, draw_tag};
use protocol::catalog::Catalog;
use support::{
    texts::{INK_DIM_RGB, INK_RGB, Texts, glyph_pixels},
    *,
};

/// `theme::SELECTED` / `ACCENT` in sRGB: chosen chips and the "Ask for …" button.
const SELECTED_RGB: [u8; 3] = [237, 168, 89];
/// `theme::UNAVAILABLE` in sRGB (95 % opaque): sold-out chips.
const SOLD_OUT_RGB: [u8; 3] = [77, 77, 82];

fn demo_catalog() -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog/catalog.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn count_near(image: &RgbImage, rgb: [u8; 3], region: (u32, u32, u32, u32)) -> usize {
    pixels_near(image, rgb, 12, region)
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
    // What the kiosk drew, beside the screenshots (not in docs/screens when regenerating).
    let drawn = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let texts_of = |name: &str| drawn.path().join(format!("{name}.json"));
    // Each step waits for what it needs on screen; a screenshot follows a moment after, once
    // the new panel has been drawn.
    let capture = |name: &str| {
        [
            format!("--at=+0.5:screenshot={}", shot(name).display()),
            format!("--at=+0:texts={}", texts_of(name).display()),
        ]
    };
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
    let mut args = vec![
        format!("--set=scanning.rfid_reader=\"{reader_address}\""),
        format!("--set=catalog.bundled=\"{}\"", catalog_dir.display()),
        format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
        format!("--set=camera.synthetic_background=\"{}\"", background.display()),
        "--at=2:touch".into(),
        // Opening the panel starts the camera's tag search: the chinos are found.
        "--at=+0:press=Scan item".into(),
        "--at=+0:wait=Ask for 32 in sand".into(),
    ];
    args.extend(capture("camera-scan"));
    // A USB scanner's burst: the shirt.
    args.push(format!("--at=+0:scan={}", barcode_of(scanner_sku)));
    args.push("--at=+0:wait=Ask for M in white".into());
    args.extend(capture("item-panel"));
    args.extend(["--at=+0:press=Your items".into(), "--at=+0:wait=Scan a tag with the scanner".into()]);
    args.extend(capture("your-items"));
    args.extend(
        ["--at=+0:press=Browse", "--at=+0:press=T", "--at=+0:wait=Search: t▏", "--at=+0:press=E"].map(String::from),
    );
    args.push("--at=+0:wait=Search: te▏".into());
    args.extend(capture("browse"));
    args.extend(["--at=+0:end-session".into(), "--at=+0:wait=Touch to start".into()]);
    args.extend(capture("after-session"));
    args.push("--at=+0:exit".into());
    let log = run_kiosk(&args, Duration::from_secs(180));

    // Both ways of identifying worked, and each item was looked up in the catalog.
    assert!(log.contains(&format!("Camera identified Slim chinos ({camera_sku})")), "camera scan missing:\n{log}");
    assert!(log.contains(&format!("Scanner identified Oxford shirt ({scanner_sku})")), "scanner missing:\n{log}");
    assert!(log.contains(&format!("Rfid identified Leather belt ({rfid_sku})")), "RFID missing:\n{log}");
    assert!(log.contains("rfid: skipped a line without an EPC"), "garbage from the reader is skipped");
    assert!(log.contains("camera tag scanning stopped"), "the camera's tag search stops with the session");

    let screen = |name: &str| (load(&shot(name)), Texts::load(&texts_of(name)));
    let (camera, chinos) = screen("camera-scan");
    let (item, shirt) = screen("item-panel");
    let (items, room) = screen("your-items");
    let (browse, search) = screen("browse");
    let (after, attract) = screen("after-session");

    // What the item panel drew is what assets/catalog/catalog.json says for `demo-store`: every
    // size of the colour with its stock (sold out at 0), every colour with its units, and the
    // complete-the-look cards, ranked.
    assert_eq!(chinos.get("Slim chinos").y, shirt.get("Oxford shirt").y, "each panel is titled with its item");
    for (texts, sizes, stock, colours, units, looks) in [
        (
            &shirt,
            vec!["XS", "S", "M", "L", "XL"],
            vec!["sold out", "sold out", "2 here", "2 here", "1 here"],
            vec!["white", "sky blue", "navy"],
            vec!["5 here", "5 here", "4 here"],
            vec!["Unstructured blazer", "Slim chinos", "Leather belt"],
        ),
        (
            &chinos,
            vec!["28", "30", "32", "34", "36"],
            vec!["1 here", "1 here", "5 here", "sold out", "2 here"],
            vec!["sand", "navy", "olive"],
            vec!["9 here", "9 here", "11 here"],
            vec!["Leather belt", "Oxford shirt", "Suede loafers"],
        ),
    ] {
        assert_eq!(texts.words_below("Sizes in this colour", 1), sizes);
        assert_eq!(texts.words_below("Sizes in this colour", 2), stock);
        assert_eq!(texts.words_below("Colours", 1), colours);
        assert_eq!(texts.words_below("Colours", 2), units);
        assert_eq!(texts.words_below("Complete the look", 1).first(), looks.first());
        let cards: Vec<&str> = looks.iter().copied().filter(|name| texts.has(name)).collect();
        assert_eq!(cards, looks, "complete-the-look cards");
        let xs: Vec<u32> = looks.iter().map(|name| texts.get(name).x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "ranked left to right: {looks:?} at {xs:?}");
    }
    assert!(shirt.has("Ask for M in white · 2 here") && chinos.has("Ask for 32 in sand · 5 here"));
    // The glyphs reached the pixels (a text laid out but not rendered has none).
    for (image, texts, names) in [
        (&item, &shirt, [("Oxford shirt", INK_RGB), ("XS", INK_RGB), ("L", INK_RGB), ("sold out", INK_DIM_RGB)]),
        (&camera, &chinos, [("Slim chinos", INK_RGB), ("28", INK_RGB), ("34", INK_RGB), ("sold out", INK_DIM_RGB)]),
    ] {
        for (name, ink) in names {
            let glyphs = glyph_pixels(image, texts.get(name), ink);
            assert!(glyphs > 30, "{name:?} has {glyphs} glyph pixels");
        }
    }
    // Sold-out sizes are greyed (`theme::UNAVAILABLE`, nearly opaque, so whatever the camera
    // shows behind the chip), available ones are not.
    let chip_of =
        |texts: &Texts, label: &str| texts.get(label).button.unwrap_or_else(|| panic!("{label:?} is not on a chip"));
    let inside = |image: &RgbImage, texts: &Texts, label: &str| {
        let (x, y, _, h) = chip_of(texts, label);
        mean_rgb(image, (x + 3, x + 9), (y + h / 4, y + h * 3 / 4))
    };
    let near = |c: [f32; 3], rgb: [u8; 3], tolerance: f32| {
        c.iter().zip(rgb).all(|(a, b)| (a - f32::from(b)).abs() < tolerance)
    };
    for (image, texts, sold_out, available) in
        [(&item, &shirt, ["XS", "S"], ["L", "XL"]), (&camera, &chinos, ["34", "34"], ["28", "36"])]
    {
        for label in sold_out {
            let c = inside(image, texts, label);
            assert!(near(c, SOLD_OUT_RGB, 14.0), "sold-out {label} must be greyed: {c:?}");
        }
        for label in available {
            let c = inside(image, texts, label);
            assert!(!near(c, SOLD_OUT_RGB, 20.0), "available {label} must not look sold out: {c:?}");
        }
    }
    let (x, y, _, h) = chip_of(&shirt, "M");
    let chosen = mean_rgb(&item, (x + 3, x + 9), (y + h / 4, y + h * 3 / 4));
    assert!(near(chosen, SELECTED_RGB, 16.0), "chosen M: {chosen:?}");
    // On-screen keys are at least 88 px (`Metrics::key`; the default profile's touch target on
    // its glass is smaller).
    let (_, _, key_w, key_h) = chip_of(&search, "Q");
    assert!(key_w >= 88 && key_h >= 88, "keys are {key_w}×{key_h} px");

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
    // The item's own picture (left of its price) is the chinos' in one panel and the shirt's in
    // the other: opaque pictures, so the person moving behind the panel plays no part.
    let price = shirt.get("€49.95 · Fitting Room");
    let picture = (62, price.y, 240, 300);
    let changed = region_difference(&camera, picture, &item, picture);
    assert!(changed > 20.0, "the item picture must change with the item ({changed:.1} mean difference)");

    // "Your items": a card for each identified item, with its size, colour and stock.
    assert_eq!(
        room.words_below("Scan a tag with the scanner, hold it up to the camera, or browse.", 1),
        ["Oxford shirt", "Slim chinos", "Leather belt"]
    );
    assert_eq!(
        room.words_below("Scan a tag with the scanner, hold it up to the camera, or browse.", 2),
        ["M · white", "32 · sand", "90 · brown"]
    );
    let card_pictures = count_near(&items, [246, 244, 240], (0, 600, WIDTH, 900));
    assert!(card_pictures > 30_000, "your items' pictures ({card_pictures} px)");
    for (name, ink) in [("Your items", INK_RGB), ("Oxford shirt", INK_RGB), ("90 · brown", INK_DIM_RGB)] {
        assert!(glyph_pixels(&items, room.get(name), ink) > 30, "{name:?} drawn on \"Your items\"");
    }

    // Browse: the query typed on the on-screen keyboard, every key drawn, matching products.
    assert!(search.has("Search: te▏"), "the typed query: {:?}", search.all());
    for key in "QWERTYUIOPASDFGHJKLZXCVBNM".chars().map(String::from).chain(["space", "⌫", "clear"].map(String::from))
    {
        let glyphs = glyph_pixels(&browse, search.get(&key), INK_RGB);
        assert!(glyphs > 15, "key {key:?}: {glyphs} glyph pixels");
    }
    let results = search.words_below("clear", 1);
    assert!(results.len() >= 2 && results.contains(&"Oxford shirt"), "products matching \"te\": {results:?}");

    // After the session: the attract screen, no panel, no accent.
    assert!(
        attract.has("Touch to start") && !attract.has("Your items") && !attract.has("Close"),
        "{:?}",
        attract.all()
    );
    assert!(count_near(&after, SELECTED_RGB, (0, 500, WIDTH, 1100)) < 2_000, "the panel closes with the session");
}

/// The mean colour of x0..x1 × y0..y1.
fn mean_rgb(image: &RgbImage, (x0, x1): (u32, u32), (y0, y1): (u32, u32)) -> [f32; 3] {
    let mut sum = [0f32; 3];
    for y in y0..y1 {
        for x in x0..x1 {
            let p = image.get_pixel(x, y).0;
            (0..3).for_each(|c| sum[c] += f32::from(p[c]));
        }
    }
    sum.map(|s| s / ((x1 - x0) * (y1 - y0)) as f32)
}

#[test]
fn fit_chips_offer_the_next_size_here_or_online_and_are_counted() {
    let dir = out_dir("fit");
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let texts = |name: &str| data.path().join(format!("{name}.json"));
    let catalog_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog");
    // The white Oxford shirt in M: L is in this store, S only online.
    let args: Vec<String> = vec![
        format!("--set=catalog.bundled=\"{}\"", catalog_dir.display()),
        format!("--set=telemetry.data_dir=\"{}\"", data.path().display()),
        "--at=2:touch".into(),
        "--at=+0:scan=4006381000031".into(),
        "--at=+0:wait=How does it fit?".into(),
        "--at=+0:press=Too small".into(),
        "--at=+0:wait=Ask for L in white · 2 here".into(),
        format!("--at=+0.3:screenshot={}", dir.join("fit-too-small.png").display()),
        format!("--at=+0:texts={}", texts("small").display()),
        "--at=+0:press=Too big".into(),
        "--at=+0:wait=S in white is available online".into(),
        format!("--at=+0:texts={}", texts("big").display()),
        "--at=+0:press=Too small".into(),
        "--at=+0:press=Ask for L in white · 2 here".into(),
        "--at=+0:wait=Another size?".into(),
        "--at=+0:exit".into(),
    ];
    run_kiosk(&args, Duration::from_secs(120));

    let small = Texts::load(&texts("small"));
    let ask = small.get("Ask for L in white · 2 here");
    assert!(ask.button.is_some(), "the next size is one tap away: {:?}", small.all());
    let shot = load(&dir.join("fit-too-small.png"));
    let chip = small.get("Too small");
    let Some((x, y, w, h)) = chip.button else { panic!("Too small is a chip") };
    let chosen = count_near(&shot, SELECTED_RGB, (x, y, x + w, y + h));
    assert!(chosen > (w * h / 3) as usize, "the tapped chip is marked ({chosen} px)");
    for other in ["Fits", "Too big", "Not for me"] {
        assert!(small.get(other).button.is_some(), "{other} is a chip");
    }
    let big = Texts::load(&texts("big"));
    assert!(big.has("S in white is available online") && !big.has("Ask for L in white · 2 here"), "{:?}", big.all());

    // Each tap is a fit_feedback event: the SKU and the verdict, nothing else.
    let spool = std::fs::read_to_string(data.path().join("telemetry-spool.jsonl")).unwrap_or_default();
    let verdicts: Vec<&str> = spool
        .lines()
        .filter(|l| l.contains(r#""type":"fit_feedback""#) && l.contains(r#""sku":"oxford-shirt-white-M""#))
        .filter_map(|l| l.split(r#""verdict":""#).nth(1).and_then(|rest| rest.split('"').next()))
        .collect();
    assert_eq!(verdicts, ["too_small", "too_big", "too_small"], "spool:\n{spool}");
}
