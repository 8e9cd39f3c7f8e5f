//! Two chains' brands on the real kiosk under Xvfb: the built-in look and the example theme in
//! `assets/themes/nord` (a blue accent, a logo, another typeface). The attract prompt and the
//! toolbar's icons take each accent, the logo shows only where a theme names it, the same words
//! are set in each typeface (their widths differ), and no control anywhere says "coming soon".
//! Screenshots: docs/screens/brand-default.png, brand-nord.png.

mod support;

use std::{path::Path, time::Duration};

use image::RgbImage;
use support::{texts::Texts, *};

const AMBER: [u8; 3] = [237, 168, 89];
const BLUE: [u8; 3] = [59, 111, 212];

fn near(image: &RgbImage, rgb: [u8; 3], region: (u32, u32, u32, u32)) -> usize {
    pixels_near(image, rgb, 16, region)
}

fn run(name: &str, theme: &[String]) -> (RgbImage, RgbImage, Texts, Texts) {
    let dir = out_dir(&format!("brand-{name}"));
    let file = |f: &str| dir.join(f);
    let mut args = theme.to_vec();
    args.extend([
        "--at=+0:wait=Touch to start".into(),
        format!("--at=+0.5:screenshot={}", file(&format!("brand-{name}.png")).display()),
        format!("--at=+0:texts={}", file("attract.json").display()),
        "--at=+0:touch".into(),
        "--at=+0:wait=Language".into(),
        format!("--at=+0.5:screenshot={}", file("toolbar.png").display()),
        format!("--at=+0:texts={}", file("active.json").display()),
        "--at=+0:exit".into(),
    ]);
    run_kiosk(&args, Duration::from_secs(120));
    (
        load(&file(&format!("brand-{name}.png"))),
        load(&file("toolbar.png")),
        Texts::load(&file("attract.json")),
        Texts::load(&file("active.json")),
    )
}

#[test]
fn two_brands_render_differently_and_nothing_says_coming_soon() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let nord = [
        "--set=kiosk.brand=\"Nord Outfitters\"".to_string(),
        "--set=theme.accent=\"#3B6FD4\"".into(),
        format!("--set=theme.logo={:?}", root.join("assets/themes/nord/logo.svg").display().to_string()),
        format!("--set=theme.font={:?}", root.join("assets/fonts/NotoSansCJKSC-Subset.otf").display().to_string()),
    ];
    let (plain_attract, plain_active, plain_texts, plain_toolbar) = run("default", &[]);
    let (nord_attract, nord_active, nord_texts, nord_toolbar) = run("nord", &nord);

    assert!(plain_texts.has("Fitting Room") && nord_texts.has("Nord Outfitters"));
    let prompt = |texts: &Texts| texts.get("Touch to start").clone();
    let p = prompt(&plain_texts);
    let around =
        |d: &support::texts::Drawn| (d.x.saturating_sub(60), d.y.saturating_sub(30), d.x + d.w + 60, d.y + d.h + 30);
    assert!(near(&plain_attract, AMBER, around(&p)) > 2_000, "the built-in prompt is amber");
    let n = prompt(&nord_texts);
    assert!(near(&nord_attract, BLUE, around(&n)) > 2_000, "the theme's prompt is blue");
    assert!(near(&nord_attract, AMBER, around(&n)) < 200, "and not amber");

    // The logo: a blue disc above the store's name, only in the themed run.
    let brand = nord_texts.get("Nord Outfitters");
    let above = (WIDTH / 2 - 150, brand.y.saturating_sub(320), WIDTH / 2 + 150, brand.y);
    assert!(near(&nord_attract, BLUE, above) > 20_000, "the logo is drawn above the name");
    let plain_brand = plain_texts.get("Fitting Room");
    let plain_above = (WIDTH / 2 - 150, plain_brand.y.saturating_sub(320), WIDTH / 2 + 150, plain_brand.y);
    assert!(near(&plain_attract, BLUE, plain_above) < 500, "no logo without a theme");

    // Another typeface sets the same words to another width.
    let (a, b) = (plain_texts.get("Smart mirror").w, nord_texts.get("Smart mirror").w);
    assert!(a.abs_diff(b) > 6, "the theme's font sets \"Smart mirror\" {b} px wide, DejaVu {a} px");

    // The toolbar's icons take the accent.
    let row = |texts: &Texts| {
        let share = texts.get("Share").button.unwrap_or_default();
        (0, share.1, WIDTH, share.1 + share.3)
    };
    assert!(near(&plain_active, AMBER, row(&plain_toolbar)) > 300, "amber icons");
    assert!(near(&nord_active, BLUE, row(&nord_toolbar)) > 300, "blue icons");
    for texts in [&plain_texts, &plain_toolbar, &nord_texts, &nord_toolbar] {
        assert!(!texts.all().iter().any(|t| t.to_lowercase().contains("coming soon")), "{:?}", texts.all());
    }
}
