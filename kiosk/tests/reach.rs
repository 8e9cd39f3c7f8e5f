//! Every control within reach on every hardware profile, in the real kiosk under Xvfb: each
//! profile's display (its width and `mount_bottom_mm`) places every button the toolbar and the
//! products panel draw, and each must sit between 380 and 1220 mm above the floor. The 43"
//! Elo's top is out of reach, so its "End session" and sheets come down ("lower controls").

mod support;

use std::{path::Path, time::Duration};

use kiosk::ui::theme::Metrics;
use protocol::config::{KioskConfig, REACH_MM};
use support::{texts::Texts, *};

const SHIRT: &str = "4006381000031";

#[test]
fn every_control_sits_380_to_1220_mm_above_the_floor_on_every_profile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let profiles_dir = root.join("hardware/profiles");
    let mut profiles: Vec<String> = std::fs::read_dir(&profiles_dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .collect();
    profiles.sort();
    assert!(profiles.len() >= 3, "{profiles:?}");
    let mut lowered = Vec::new();
    for profile in &profiles {
        let overrides = [
            format!("hardware.profile={profile:?}"),
            format!("hardware.profiles_dir={:?}", profiles_dir.display().to_string()),
        ];
        let config = KioskConfig::load(None, &overrides).unwrap_or_else(|e| panic!("{profile}: {e}"));
        let metrics = Metrics::for_display(&config.display);
        let dir = out_dir(&format!("reach-{profile}"));
        let texts = dir.join("texts.json");
        let mut args: Vec<String> = overrides.iter().map(|o| format!("--set={o}")).collect();
        args.extend([
            format!("--set=catalog.bundled=\"{}\"", root.join("assets/catalog").display()),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            // The drawn frame keeps a Lights button without sending to a profile's lighting node.
            "--set=lighting.controller=\"frame\"".into(),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:touch".into(),
            // The panel's hint shows once the catalog is in use: a scan before it is unknown.
            "--at=+0:press=Scan item".into(),
            "--at=+0:wait=Scan a tag with the scanner".into(),
            format!("--at=+0:scan={SHIRT}"),
            // The item's view replaces the room's (on the small Pi screen its lower rows are
            // clipped, so wait for its title rather than its fit row).
            "--at=+0:gone=Scan a tag with the scanner".into(),
            "--at=+0:wait=Oxford shirt".into(),
            format!("--at=+0:texts={}", texts.display()),
            format!("--at=+0:screenshot={}", dir.join("reach.png").display()),
            "--at=+0:exit".into(),
        ]);
        run_kiosk(&args, Duration::from_secs(120));
        let drawn = Texts::load(&texts);
        // The window is the design's size (1080 × 1920), so its pixels are layout pixels.
        let scale = 1920.0 / HEIGHT as f32;
        let buttons: Vec<_> = drawn.0.iter().filter_map(|d| d.button.map(|b| (d.text.clone(), b))).collect();
        assert!(buttons.len() > 10, "{profile}: {:?}", drawn.all());
        for (label, (_, y, _, h)) in &buttons {
            let top = metrics.height_mm(*y as f32 * scale);
            let bottom = metrics.height_mm((y + h) as f32 * scale);
            assert!(
                bottom >= *REACH_MM.start() - 0.5 && top <= *REACH_MM.end() + 0.5,
                "{profile}: {label:?} spans {bottom:.0}–{top:.0} mm above the floor"
            );
        }
        if metrics.lower_controls() {
            lowered.push(profile.clone());
        }
    }
    assert_eq!(lowered, ["elo-43-portrait"], "only the tall Elo needs its upper controls lowered");
}
