//! Self-voicing in the real kiosk under Xvfb, with the recording voice: in a Japanese store, the
//! first Tab turns speech on, each focus change says the focused control in Japanese, the share
//! consent says its safe answer, and "Still there?" is spoken with how to go on. The espeak-ng
//! voice itself is checked for sound with sox in `kiosk/src/speech/voice.rs`.

mod support;

use std::time::Duration;

use support::*;

#[test]
fn focus_changes_and_the_warning_are_spoken_in_the_ui_language() {
    let dir = out_dir("speech");
    let said = dir.join("said.txt");
    run_kiosk(
        &[
            "--set=kiosk.language=\"ja\"".into(),
            "--set=accessibility.voice=\"record\"".into(),
            format!("--set=accessibility.record_file={:?}", said.display().to_string()),
            "--set=session.inactivity_timeout_s=5".into(),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            "--at=+0:wait=タッチしてスタート".into(),
            "--at=+0:key=Space".into(),
            "--at=+0:wait=共有".into(),
            "--at=+0:key=Tab".into(),
            "--at=+0:focus=共有".into(),
            "--at=+0:key=Enter".into(),
            "--at=+0:wait=ライブでルックを共有しますか？".into(),
            "--at=+0:focus=今はしない".into(),
            "--at=+0:key=Enter".into(),
            "--at=+0:wait=まだいらっしゃいますか？".into(),
            "--at=+0:key=Tab".into(),
            "--at=+0.5:exit".into(),
        ],
        Duration::from_secs(120),
    );
    let lines: Vec<String> = std::fs::read_to_string(&said).unwrap_or_default().lines().map(String::from).collect();
    let spoken: Vec<&str> = lines.iter().map(|l| l.split_once('\t').map_or("", |(_, t)| t)).collect();
    assert!(lines.iter().all(|l| l.starts_with("ja\t")), "all in the UI language: {lines:?}");
    assert_eq!(spoken.first(), Some(&"セッション終了"), "the first Tab turns speech on: {spoken:?}");
    assert!(spoken.contains(&"共有"), "{spoken:?}");
    assert!(spoken.contains(&"今はしない"), "the consent's focus is said: {spoken:?}");
    let warning = spoken.iter().find(|s| s.starts_with("まだいらっしゃいますか？"));
    assert!(warning.is_some_and(|w| w.contains("いずれかのキーを押して")), "the warning says how to go on: {spoken:?}");
    assert!(!spoken.iter().any(|s| s.contains("Share")), "nothing in English: {spoken:?}");
}
