//! The kiosk without touch, in the real app under Xvfb: a key starts the session, Tab and the
//! arrows visit every toolbar control in reading order and wrap, Shift+Tab goes back, and the
//! share and products flows (browse, an item, its size, the request) run to their end with Tab
//! and Enter only (`focus=LABEL` presses Tab
//! until that control has the focus, as a keyboard user does). The consent puts the focus on
//! "Not now"; the focus ring is drawn (screenshot: docs/screens/keyboard-focus.png).

mod support;

use std::time::Duration;

use support::{
    texts::{Texts, focused},
    *,
};

#[test]
fn tab_and_arrows_visit_the_toolbar_in_order_and_share_and_products_run_on_keys_alone() {
    let dir = out_dir("keyboard");
    let file = |name: &str| dir.join(name).display().to_string();
    let mut args = vec![
        format!("--set=catalog.bundled=\"{}/../assets/catalog\"", env!("CARGO_MANIFEST_DIR")),
        // Its own data folder: the request it makes must not outlive the test.
        format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
        "--at=+0:wait=Touch to start".into(),
        "--at=+0:key=Space".into(),
        "--at=+0:wait=Language".into(),
    ];
    for i in 0..9 {
        args.push("--at=+0:key=Tab".into());
        args.push(format!("--at=+0:texts={}", file(&format!("tab-{i}.json"))));
    }
    args.push(format!("--at=+0.3:screenshot={}", file("keyboard-focus.png")));
    args.push("--at=+0:key=Shift+Tab".into());
    args.push(format!("--at=+0:texts={}", file("back.json")));
    for i in 0..8 {
        args.push("--at=+0:key=Down".into());
        args.push(format!("--at=+0:texts={}", file(&format!("down-{i}.json"))));
    }
    args.extend([
        // Share: consent, start, stop.
        "--at=+0:focus=Share".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Share your look live?".into(),
        format!("--at=+0:texts={}", file("consent.json")),
        "--at=+0:focus=Start sharing".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Scan to watch live".into(),
        "--at=+0:focus=Stop sharing".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Scan item".into(),
        format!("--at=+0:texts={}", file("stopped.json")),
        // Products: browse, an item, another size, the request.
        "--at=+0:focus=Scan item".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Your items".into(),
        "--at=+0:focus=Browse".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Search: tap the letters".into(),
        "--at=+0:focus=Oxford shirt".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Sizes in this colour".into(),
        // The item opens on its first size (sold out here): the shopper picks M, in stock.
        "--at=+0:focus=M".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Ask for M".into(),
        "--at=+0:focus=Ask for".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=Yes, please bring it".into(),
        "--at=+0:focus=Yes, please bring it".into(),
        "--at=+0:key=Enter".into(),
        "--at=+0:wait=not connected to the staff".into(),
        format!("--at=+0:texts={}", file("requested.json")),
        "--at=+0:exit".into(),
    ]);
    run_kiosk(&args, Duration::from_secs(240));

    let order: Vec<String> = (0..9).map(|i| focused(&dir.join(format!("tab-{i}.json")))).collect();
    // The default mounting lowers the controls: End session and Accessibility sit above the row.
    let toolbar = ["End session", "Accessibility", "Share", "Scan item", "Looks", "Take it home", "Lights", "Language"];
    assert_eq!(order[..8], toolbar, "Tab follows the reading order");
    assert_eq!(order[8], "End session", "and wraps");
    assert_eq!(focused(&dir.join("back.json")), "Language", "Shift+Tab goes back");
    let down: Vec<String> = (0..8).map(|i| focused(&dir.join(format!("down-{i}.json")))).collect();
    assert_eq!(down, toolbar);

    assert_eq!(focused(&dir.join("consent.json")), "Not now", "the consent's focus starts on declining");
    assert!(!Texts::load(&dir.join("stopped.json")).has("Scan to watch live"), "Enter on Stop sharing stopped it");
    let requested = Texts::load(&dir.join("requested.json"));
    assert!(requested.all().iter().any(|t| t.contains("not connected to the staff")), "{:?}", requested.all());

    // The ring: focus-yellow pixels around "End session" (focused after the ninth Tab).
    let shot = load(&dir.join("keyboard-focus.png"));
    let end = Texts::load(&dir.join("tab-8.json")).get("End session").button.unwrap_or_default();
    let ring = (end.0.saturating_sub(14)..end.0 + end.2 + 14)
        .flat_map(|x| [end.1.saturating_sub(8), end.1 + end.3 + 6].map(|y| (x, y)))
        .filter(|(x, y)| *x < WIDTH && *y < HEIGHT)
        .filter(|(x, y)| {
            let p = shot.get_pixel(*x, *y).0;
            p[0] > 230 && p[1] > 190 && p[2] < 90
        })
        .count();
    assert!(ring > 200, "the focus ring shows around the focused button ({ring} px)");
}

#[test]
fn a_keypad_s_mapped_digits_move_the_focus_and_press() {
    let dir = out_dir("keypad");
    let file = |name: &str| dir.join(name).display().to_string();
    run_kiosk(
        &[
            "--set=input.keymap={ Numpad2 = \"down\", Numpad8 = \"up\", Numpad5 = \"press\" }".into(),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:key=Space".into(),
            "--at=+0:wait=Language".into(),
            "--at=+0:key=Numpad2".into(),
            "--at=+0:key=Numpad2".into(),
            "--at=+0:key=Numpad2".into(),
            "--at=+0:key=Numpad2".into(),
            "--at=+0:key=Numpad8".into(),
            format!("--at=+0:texts={}", file("moved.json")),
            "--at=+0:key=Numpad5".into(),
            "--at=+0:wait=Share your look live?".into(),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(120),
    );
    assert_eq!(focused(&dir.join("moved.json")), "Share", "8 and 2 move as the arrows do; 5 pressed Share");
}
