//! `kiosk doctor` against real parts: an Xvfb display, the software Vulkan adapter, Mosquitto with
//! a password, the share relay on a loopback port, a hardware profile on disk. One healthy setup
//! passes; then each failure class is broken on purpose and named.

mod support;

use std::{path::Path, process::Command, sync::mpsc, time::Duration};

use support::Display;
use testkit::{BrokerSetup, Mosquitto};

const KIOSK: &str = "room-7";
const PASSWORD: &str = "correct horse battery staple";
const CHECKS: [&str; 11] =
    ["config", "profile", "camera", "display", "reach", "gpu", "broker", "relay", "media", "lights", "disk"];

/// Runs `kiosk doctor` with `args` and `env`; returns (exit code, rows by check name).
fn doctor(args: &[String], env: &[(&str, &str)]) -> (i32, Vec<(String, String, String)>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("doctor")
        .args(args)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WGPU_BACKEND")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let rows = stdout
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut parts = line.splitn(3, char::is_whitespace).filter(|p| !p.is_empty());
            let name = parts.next()?.to_string();
            let rest = line[name.len()..].trim_start();
            let (result, detail) = rest.split_once(' ').unwrap_or((rest, ""));
            Some((name, result.to_string(), detail.trim().to_string()))
        })
        .filter(|(name, _, _)| CHECKS.contains(&name.as_str()))
        .collect();
    (output.status.code().unwrap_or(-1), rows, stdout)
}

fn row<'a>(rows: &'a [(String, String, String)], name: &str) -> (&'a str, &'a str) {
    rows.iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, r, d)| (r.as_str(), d.as_str()))
        .unwrap_or_else(|| panic!("no {name} row in {rows:?}"))
}

/// A relay on a loopback port, for as long as the returned sender lives.
fn start_relay() -> (u16, mpsc::Sender<()>) {
    let (stop, stopped) = mpsc::channel::<()>();
    let (port_tx, port_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
            let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
            let config = relay::config::RelayConfig {
                listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                public_url: format!("http://127.0.0.1:{port}"),
                kiosk_keys: [(KIOSK.to_string(), "k".repeat(24))].into_iter().collect(),
                limits: relay::config::Limits::default(),
                take_home_store: None,
                theme: Default::default(),
                sfu: None,
            };
            let _ = port_tx.send(port);
            let shutdown = async move {
                let _ = tokio::task::spawn_blocking(move || stopped.recv()).await;
            };
            let _ = relay::serve(listener, config, shutdown).await;
        });
    });
    (port_rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|e| panic!("relay: {e}")), stop)
}

struct Setup {
    broker: Mosquitto,
    relay_port: u16,
    _relay: mpsc::Sender<()>,
    display: Display,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let broker = Mosquitto::start_with(&BrokerSetup {
            users: vec![(KIOSK.to_string(), PASSWORD.to_string())],
            ..BrokerSetup::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let (relay_port, relay) = start_relay();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("profiles")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("profiles/test-panel.toml"),
            "[profile]\nname = \"test-panel\"\n[display]\nphysical_width_mm = 396.0\n[camera]\nwidth = 1280\nheight = 720\nfps = 30\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Self { broker, relay_port, _relay: relay, display: Display::start(540, 960), dir }
    }

    /// A healthy kiosk's settings, with `changes` applied last.
    fn args(&self, changes: &[String]) -> Vec<String> {
        let path = |p: &Path| p.display().to_string();
        let mut args = vec![
            "--set=camera.source=\"synthetic\"".to_string(),
            format!("--set=kiosk.id={KIOSK}"),
            "--set=hardware.profile=test-panel".into(),
            format!("--set=hardware.profiles_dir={:?}", path(&self.dir.path().join("profiles"))),
            format!("--set=telemetry.broker_url=\"{}\"", self.broker.url()),
            format!("--set=telemetry.username={KIOSK}"),
            format!("--set=telemetry.password={PASSWORD:?}"),
            format!("--set=share.relay_url=\"http://127.0.0.1:{}\"", self.relay_port),
            format!("--set=share.kiosk_key={}", "k".repeat(24)),
            format!("--set=telemetry.data_dir={:?}", path(&self.dir.path().join("data"))),
        ];
        args.extend_from_slice(changes);
        args
    }
}

#[test]
fn a_healthy_kiosk_passes_every_check() {
    let setup = Setup::new();
    // A backlight in a temp sysfs tree: the check sets the store's scene on it.
    let backlight = setup.dir.path().join("backlight/panel0");
    std::fs::create_dir_all(&backlight).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(backlight.join("max_brightness"), "1000\n").unwrap_or_else(|e| panic!("{e}"));
    let lights = [
        "--set=lighting.controller=\"backlight\"".to_string(),
        format!("--set=lighting.backlight_dir={:?}", backlight.display().to_string()),
    ];
    let (code, rows, stdout) = doctor(&setup.args(&lights), &[("DISPLAY", setup.display.name.as_str())]);
    println!("{stdout}");
    assert_eq!(code, 0, "{stdout}");
    assert!(row(&rows, "lights").1.ends_with("took the store scene (4000 K, 90 %)"), "{stdout}");
    let written = std::fs::read_to_string(backlight.join("brightness")).unwrap_or_default();
    assert_eq!(written, "900\n", "the store's scene is 90 %");
    assert!(row(&rows, "reach").1.starts_with("controls 429–1089 mm above the floor"), "{stdout}");
    for name in ["config", "profile", "display", "reach", "gpu", "broker", "relay", "lights", "disk"] {
        assert_eq!(row(&rows, name).0, "PASS", "{name}: {stdout}");
    }
    assert_eq!(row(&rows, "camera"), ("skip", "camera.source is synthetic"));
    assert!(row(&rows, "profile").1.contains("test-panel: display 396 mm wide, camera 1280x720 at 30 fps"), "{stdout}");
    assert!(row(&rows, "broker").1.contains(&format!("accepted {KIOSK} in")), "{stdout}");
    assert!(stdout.contains("all checks passed"));
}

#[test]
fn each_failure_class_is_named_and_fails_the_run() {
    let mut setup = Setup::new();
    let broken = setup.args(&[
        "--set=camera.source=\"device\"".into(),
        "--set=camera.device_index=7".into(),
        "--set=telemetry.password=\"wrong password\"".into(),
        "--set=share.relay_url=\"http://127.0.0.1:1\"".into(),
        "--set=telemetry.data_dir=\"/proc/kiosk-doctor\"".into(),
        "--set=lighting.controller=\"backlight\"".into(),
        "--set=lighting.backlight_dir=\"/nonexistent/backlight\"".into(),
        "--set=display.mount_bottom_mm=100".into(),
    ]);
    let env = [("DISPLAY", ":97"), ("WGPU_BACKEND", "vulkan"), ("VK_ICD_FILENAMES", "/nonexistent/icd.json")];
    let (code, rows, stdout) = doctor(&broken, &env);
    println!("{stdout}");
    assert_eq!(code, 1, "{stdout}");
    let expect = [
        ("camera", "no camera at /dev/video7 (camera.device_index)"),
        ("display", "DISPLAY=:97 but /tmp/.X11-unix/X97 does not exist"),
        ("reach", "would be 129 mm above the floor, below 380 mm"),
        ("gpu", "no GPU adapter"),
        ("broker", "the broker refused the connection"),
        ("relay", "http://127.0.0.1:1/healthz"),
        ("lights", "backlight /nonexistent/backlight/max_brightness"),
        ("disk", "cannot create /proc/kiosk-doctor"),
    ];
    for (name, detail) in expect {
        let (result, shown) = row(&rows, name);
        assert_eq!(result, "FAIL", "{name}: {stdout}");
        assert!(shown.contains(detail), "{name}: {shown:?} should say {detail:?}");
    }
    assert!(stdout.contains("8 check(s) failed"), "{stdout}");

    // The broker down: unreachable, not a login problem. The profile's camera is not plugged in:
    // its stable udev name is missing.
    setup.broker.stop().unwrap_or_else(|e| panic!("{e}"));
    let unplugged =
        ["--set=camera.source=\"device\"".into(), "--set=camera.device_path=\"/dev/mirror-camera-test\"".into()];
    let (code, rows, stdout) = doctor(&setup.args(&unplugged), &[("DISPLAY", setup.display.name.as_str())]);
    assert_eq!(code, 1);
    let (result, detail) = row(&rows, "broker");
    assert!(result == "FAIL" && detail.contains("Connection refused"), "{stdout}");
    let (result, detail) = row(&rows, "camera");
    assert!(
        result == "FAIL" && detail.starts_with("camera.device_path /dev/mirror-camera-test: No such file"),
        "{stdout}"
    );

    // A profile that is not there, or one with a bad value: the file itself is fine, the profile
    // fails and names what, and nothing after it is tried.
    std::fs::write(
        setup.dir.path().join("profiles/bad-panel.toml"),
        "[profile]\nname = \"bad-panel\"\n[camera]\nfps = 0\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (profile, problem) in
        [("no-such-panel", "key `hardware.profile`: cannot read"), ("bad-panel", "key `camera.fps`")]
    {
        let (code, rows, stdout) = doctor(&setup.args(&[format!("--set=hardware.profile={profile}")]), &[]);
        assert_eq!(code, 1, "{stdout}");
        assert_eq!(row(&rows, "config").0, "PASS", "the file itself is valid: {stdout}");
        let (result, detail) = row(&rows, "profile");
        assert!(result == "FAIL" && detail.contains(problem), "{profile}: {stdout}");
        let later: Vec<_> = rows.iter().skip(2).collect();
        assert_eq!(later.len(), 8, "every later check has a row: {stdout}");
        assert!(later.iter().all(|(_, r, d)| r == "skip" && d == "the hardware profile is invalid"), "{stdout}");
    }

    // A broken file: the configuration fails and nothing else is tried.
    let (code, rows, stdout) = doctor(&setup.args(&["--set=camera.fps=0".into()]), &[]);
    assert_eq!(code, 1);
    let (result, detail) = row(&rows, "config");
    assert!(result == "FAIL" && detail.contains("key `camera.fps`"), "{stdout}");
    let others: Vec<_> = rows.iter().skip(1).collect();
    assert_eq!(others.len(), 9, "every other check has a row: {stdout}");
    assert!(others.iter().all(|(_, r, d)| r == "skip" && d == "the configuration is invalid"), "{stdout}");
}
