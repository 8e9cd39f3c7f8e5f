//! The kiosk OS files in `hardware/`: the systemd unit passes `systemd-analyze verify` (the test
//! command installs systemd), the install script parses, the udev rule names every profile's camera.

use std::{path::Path, process::Command};

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    let unit = read("systemd/smart-mirror-kiosk.service");
    for line in [
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=30",
        "Restart=on-failure",
        "User=kiosk",
        "StateDirectory=smart-mirror",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit must say {line}");
    }
    let check = Command::new("systemd-analyze").arg("--version").output();
    assert!(
        check.as_ref().is_ok_and(|c| c.status.success()),
        "systemd-analyze is missing ({check:?}): install the Debian package systemd (scripts/test.sh does)"
    );
    // verify also checks that the programs exist; cage and the kiosk are not installed on a
    // build machine, so it runs on a copy that names an existing program instead.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("smart-mirror-kiosk.service");
    std::fs::write(
        &copy,
        unit.replace("/usr/bin/cage", "/bin/true").replace("/opt/smart-mirror/bin/kiosk", "/bin/true"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let verify = Command::new("systemd-analyze").arg("verify").arg(&copy).output().unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&verify.stderr).to_string() + &String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");
}

#[test]
fn the_install_script_parses_and_the_udev_rule_knows_every_profile_camera() {
    let syntax =
        Command::new("bash").arg("-n").arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("install-kiosk.sh")).output();
    let syntax = syntax.unwrap_or_else(|e| panic!("{e}"));
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
    let rules = read("udev/70-smart-mirror-camera.rules");
    let profiles = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut seen = 0;
    for entry in std::fs::read_dir(&profiles).unwrap_or_else(|e| panic!("{e}")).filter_map(|e| e.ok()) {
        let profile: toml::Table = read(&format!("profiles/{}", entry.file_name().to_string_lossy()))
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        let usb_id = profile["camera_match"]["usb_id"].as_str().unwrap_or_default().to_string();
        let (vendor, product) = usb_id.split_once(':').unwrap_or_else(|| panic!("{usb_id:?}"));
        let rule = format!("ATTRS{{idVendor}}==\"{vendor}\", ATTRS{{idProduct}}==\"{product}\"");
        assert!(rules.contains(&rule), "the udev rule lacks {usb_id} ({})", entry.path().display());
        seen += 1;
    }
    assert!(seen >= 3, "at least three hardware profiles");
}

#[test]
fn every_profile_is_a_valid_kiosk_configuration_for_its_sections() {
    let profiles = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    for entry in std::fs::read_dir(&profiles).unwrap_or_else(|e| panic!("{e}")).filter_map(|e| e.ok()) {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let profile: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        let name = profile["profile"]["name"].as_str().unwrap_or_default();
        assert_eq!(Some(name), entry.path().file_stem().and_then(|s| s.to_str()), "name matches the file");
        // [display], [camera], [lighting] and [input] use the kiosk's own keys and ranges.
        let mut sections = toml::Table::new();
        for key in ["display", "camera", "lighting", "input"] {
            if let Some(section) = profile.get(key) {
                sections.insert(key.into(), section.clone());
            }
        }
        let config = toml::to_string(&sections).unwrap_or_default();
        let loaded = protocol::config::KioskConfig::from_toml(&config, protocol::config::ConfigOrigin::Defaults, &[]);
        assert!(loaded.is_ok(), "{}: {loaded:?}", entry.path().display());
    }
}
