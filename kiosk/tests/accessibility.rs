//! The Accessibility sheet in the real kiosk under Xvfb: "Larger text" makes every text larger
//! at once (the toolbar's labels, the sheet's title) and the next shopper starts at the normal
//! size; "Read aloud" turned on by touch speaks the next sheet's title; with switch scanning the
//! focus steps through the controls by itself and the switch (Space) presses the one it is on.
//! Screenshot: docs/screens/accessibility-large-text.png.

mod support;

use std::time::Duration;

use support::{
    texts::{Texts, focused},
    *,
};

#[test]
fn larger_text_scales_every_text_read_aloud_speaks_and_the_next_session_starts_plain() {
    let dir = out_dir("accessibility");
    let file = |name: &str| dir.join(name).display().to_string();
    let said = dir.join("said.txt");
    run_kiosk(
        &[
            "--set=accessibility.voice=\"record\"".into(),
            format!("--set=accessibility.record_file={:?}", said.display().to_string()),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:touch".into(),
            "--at=+0:wait=Accessibility".into(),
            format!("--at=+0:texts={}", file("plain.json")),
            "--at=+0:press=Accessibility".into(),
            "--at=+0:press=Larger text: off".into(),
            "--at=+0:wait=Larger text: on".into(),
            format!("--at=+0.5:texts={}", file("large.json")),
            format!("--at=+0:screenshot={}", file("accessibility-large-text.png")),
            "--at=+0:press=Read aloud: off".into(),
            "--at=+0:wait=Read aloud: on".into(),
            "--at=+0:press=Lights".into(),
            "--at=+0:wait=Daylight".into(),
            "--at=+0:end-session".into(),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:touch".into(),
            "--at=+0:wait=Accessibility".into(),
            format!("--at=+0.5:texts={}", file("next.json")),
            "--at=+0:press=Accessibility".into(),
            "--at=+0:wait=Switch scanning".into(),
            format!("--at=+0:texts={}", file("next-sheet.json")),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(180),
    );
    let (plain, large, next) = (
        Texts::load(&dir.join("plain.json")),
        Texts::load(&dir.join("large.json")),
        Texts::load(&dir.join("next.json")),
    );
    for label in ["Share", "Looks", "End session"] {
        let (before, after, again) = (plain.get(label).h, large.get(label).h, next.get(label).h);
        let ratio = after as f32 / before.max(1) as f32;
        assert!((1.35..=1.65).contains(&ratio), "{label}: {before} px → {after} px ({ratio:.2}×, wanted 1.5×)");
        assert!(again.abs_diff(before) <= 1, "{label}: the next session is back to {before} px, not {again}");
    }
    assert!(large.has("Read aloud: off") && large.has("Switch scanning: off"), "{:?}", large.all());
    let next_sheet = Texts::load(&dir.join("next-sheet.json"));
    assert!(next_sheet.has("Larger text: off"), "the next shopper starts with every mode off: {:?}", next_sheet.all());

    let spoken = std::fs::read_to_string(&said).unwrap_or_default();
    assert!(spoken.lines().any(|l| l == "en\tLights"), "read aloud speaks the Lights sheet's title: {spoken:?}");

    if let Ok(out) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(out);
        let _ = std::fs::copy(dir.join("accessibility-large-text.png"), target.join("accessibility-large-text.png"));
    }
}

#[test]
fn switch_scanning_steps_by_itself_and_the_switch_presses_the_control_it_is_on() {
    let dir = out_dir("switch-scan");
    let file = |name: &str| dir.join(name).display().to_string();
    run_kiosk(
        &[
            // A mirror with a switch installed: every session scans.
            "--set=accessibility.switch_scan=true".into(),
            "--set=accessibility.scan_interval_s=0.6".into(),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:key=Space".into(),
            "--at=+0:wait=Accessibility".into(),
            // No key from here until the switch: the focus moves on its own.
            "--at=+0:focused=End session".into(),
            "--at=+0:focused=Share".into(),
            format!("--at=+0:texts={}", file("on-share.json")),
            "--at=+0:focused=Scan item".into(),
            "--at=+0:focused=Looks".into(),
            // Around the toolbar and back to Share, where the switch presses it.
            "--at=+0:focused=End session".into(),
            "--at=+0:focused=Share".into(),
            "--at=+0:key=Space".into(),
            "--at=+0:wait=Share your look live?".into(),
            // In the consent the scan stays inside the dialog and reaches its answers.
            "--at=+0:focused=Start sharing".into(),
            "--at=+0:focused=Not now".into(),
            "--at=+0:key=Space".into(),
            "--at=+0:gone=Share your look live?".into(),
            format!("--at=+0:texts={}", file("declined.json")),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(180),
    );
    assert_eq!(focused(&dir.join("on-share.json")), "Share");
    let declined = Texts::load(&dir.join("declined.json"));
    assert!(!declined.has("Scan to watch live"), "the switch on Not now declined: {:?}", declined.all());
}
