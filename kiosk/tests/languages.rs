//! The shopper's language in the real kiosk under Xvfb: a store that speaks Japanese, a shopper
//! who switches to Arabic from the Language menu (every text re-rendered, the toolbar's order
//! reversed), and the next session back in the store's language. Texts are checked on what the
//! kiosk drew: CJK glyphs are a full em wide, so a text set in a font without them (boxes from
//! DejaVu's .notdef, 0.6 em) fails the width check. Screenshots: docs/screens/language-*.png.

mod support;

use std::time::Duration;

use support::{
    texts::{Drawn, INK_RGB, Texts, glyph_pixels},
    *,
};

/// The toolbar's buttons as the kiosk lays them out, by their row: the lowest row of buttons.
fn toolbar(texts: &Texts) -> Vec<&Drawn> {
    let bottom = texts.0.iter().filter(|d| d.button.is_some()).map(|d| d.y).max().unwrap_or_default();
    let mut row: Vec<&Drawn> = texts.0.iter().filter(|d| d.button.is_some() && d.y.abs_diff(bottom) < 60).collect();
    row.sort_by_key(|d| d.x);
    row
}

fn assert_full_width_cjk(d: &Drawn, font_px: f32) {
    let cjk = d.text.chars().filter(|c| ('\u{3040}'..='\u{9fff}').contains(c)).count() as f32;
    assert!(d.w as f32 >= 0.9 * font_px * cjk, "{:?}: {} px for {cjk} CJK characters: boxes?", d.text, d.w);
}

#[test]
fn a_japanese_store_a_shopper_switching_to_arabic_and_the_next_session_back_in_japanese() {
    let dir = out_dir("languages");
    let file = |name: &str| dir.join(name).display().to_string();
    run_kiosk(
        &[
            "--set=kiosk.language=\"ja\"".into(),
            // A 32" panel wall-mounted within reach: "End session" keeps its place at the top.
            "--set=display.physical_width_mm=396".into(),
            "--set=display.mount_bottom_mm=450".into(),
            "--at=+0:wait=タッチしてスタート".into(),
            format!("--at=+0:screenshot={}", file("language-ja-attract.png")),
            "--at=+0:touch".into(),
            "--at=+0:wait=スマホに保存".into(),
            format!("--at=+1:screenshot={}", file("language-ja.png")),
            format!("--at=+0:texts={}", file("ja.json")),
            "--at=+0:press=言語".into(),
            "--at=+0:wait=العربية".into(),
            format!("--at=+1:screenshot={}", file("language-menu.png")),
            "--at=+0:press=العربية".into(),
            "--at=+0:wait=مشاركة".into(),
            format!("--at=+1:screenshot={}", file("language-ar.png")),
            format!("--at=+0:texts={}", file("ar.json")),
            "--at=+0:end-session".into(),
            "--at=+0:wait=タッチしてスタート".into(),
            "--at=+0:touch".into(),
            "--at=+0:wait=スマホに保存".into(),
            format!("--at=+0:texts={}", file("next.json")),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(240),
    );

    let ja = Texts::load(&dir.join("ja.json"));
    let ja_shot = load(&dir.join("language-ja.png"));
    let ja_row: Vec<&str> = toolbar(&ja).iter().map(|d| d.text.as_str()).collect();
    assert_eq!(ja_row, ["共有", "スキャン", "ルック", "スマホに保存", "照明", "言語"], "left to right in Japanese");
    for d in toolbar(&ja).into_iter().chain([ja.get("セッション終了")]) {
        assert_full_width_cjk(d, 30.0);
        assert!(glyph_pixels(&ja_shot, d, INK_RGB) > 100, "{:?} is drawn", d.text);
    }
    assert!(!ja.has("Share") && !ja.has("End session"), "no English left: {:?}", ja.all());

    let ar = Texts::load(&dir.join("ar.json"));
    let ar_shot = load(&dir.join("language-ar.png"));
    let ar_row: Vec<&str> = toolbar(&ar).iter().map(|d| d.text.as_str()).collect();
    assert_eq!(ar_row, ["اللغة", "الإضاءة", "خذه معك", "الإطلالات", "مسح منتج", "مشاركة"], "right to left in Arabic");
    for d in toolbar(&ar) {
        assert!(glyph_pixels(&ar_shot, d, INK_RGB) > 100, "{:?} is drawn", d.text);
    }
    let end = ar.get("إنهاء الجلسة");
    assert!(end.x < WIDTH / 2, "End session moves to the top left in Arabic (x = {})", end.x);
    assert!(ja.get("セッション終了").x > WIDTH / 2, "and sits top right in Japanese");

    let next = Texts::load(&dir.join("next.json"));
    assert!(next.has("共有") && !next.has("مشاركة"), "the next session is in the store's language: {:?}", next.all());
}
