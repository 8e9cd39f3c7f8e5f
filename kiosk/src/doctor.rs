//! `kiosk doctor`: the installer's self-check in the fitting room. Checks the configuration and
//! hardware profile, the camera and its formats, the display and GPU adapter, the broker (reached
//! and logged into with the kiosk's own credentials), the share relay, the lights (the store's
//! scene sent to the `[lighting]` controller), where the controls sit above the floor, and disk
//! space for the outbox; prints one line per check and exits 1 if any failed. It never opens the app window
//! and leaves a running kiosk alone (its broker probe uses its own client id).

use std::{
    io::Write,
    path::Path,
    process::ExitCode,
    time::{Duration, Instant},
};

use camera::{
    FormatRequest,
    device::{CameraListing, CameraLocator, list_cameras},
};
use protocol::{
    config::{CameraSourceKind, KioskConfig},
    telemetry::Ident,
};
use telemetry::link::{Target, probe};

use crate::settings::ConfigSource;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    /// Not applicable to this configuration.
    Skip,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub outcome: Outcome,
    pub detail: String,
}

/// A check that did not fail.
enum Found {
    Pass(String),
    /// Not applicable, and why.
    Skip(&'static str),
}

fn check(name: &'static str, result: Result<Found, String>) -> Check {
    match result {
        Ok(Found::Pass(detail)) => Check { name, outcome: Outcome::Pass, detail },
        Ok(Found::Skip(why)) => skip(name, why),
        Err(detail) => Check { name, outcome: Outcome::Fail, detail },
    }
}

fn skip(name: &'static str, why: &str) -> Check {
    Check { name, outcome: Outcome::Skip, detail: why.to_string() }
}

/// Runs every check for the configuration `source` names.
pub fn run_checks(source: &ConfigSource) -> Vec<Check> {
    let (path, overrides) = (source.path.as_deref(), &source.overrides);
    // The file (and --set) on its own first, then with the hardware profile it names: a broken
    // profile is the profile's row, not the file's.
    let own = match KioskConfig::load_without_profile(path, overrides) {
        Ok(own) => own,
        Err(e) => {
            return failed_at(
                Check { name: "config", outcome: Outcome::Fail, detail: e.to_string() },
                "the configuration is invalid",
            );
        }
    };
    let origin = source.path.as_ref().map_or("built-in defaults".to_string(), |p| p.display().to_string());
    let config_row = Check {
        name: "config",
        outcome: Outcome::Pass,
        detail: format!("{origin}: kiosk {} in store {} ({})", own.kiosk.id, own.kiosk.store, own.kiosk.room),
    };
    let config = match KioskConfig::load(path, overrides) {
        Ok(config) => config,
        Err(e) => {
            let mut report = vec![config_row];
            report.extend(failed_at(
                Check { name: "profile", outcome: Outcome::Fail, detail: e.to_string() },
                "the hardware profile is invalid",
            ));
            return report;
        }
    };
    vec![
        config_row,
        check("profile", profile(&config)),
        check("camera", camera(&config)),
        check("display", display()),
        check("reach", reach(&config)),
        check("gpu", gpu()),
        check("broker", broker(&config)),
        check("relay", relay(&config)),
        check("media", media_server(&config)),
        check("lights", lights(&config)),
        check("disk", disk(&config)),
    ]
}

/// `failure`, then every later check skipped for `why`.
fn failed_at(failure: Check, why: &str) -> Vec<Check> {
    let later = CHECKS.iter().skip_while(|name| **name != failure.name).skip(1);
    let skipped: Vec<Check> = later.map(|name| skip(name, why)).collect();
    std::iter::once(failure).chain(skipped).collect()
}

/// Every check, in the order the table shows them.
const CHECKS: [&str; 10] =
    ["config", "profile", "camera", "display", "reach", "gpu", "broker", "relay", "lights", "disk"];

/// Where the controls sit above the floor, as `display.mount_bottom_mm` mounts the screen: the
/// toolbar's lower edge must be 380 mm up at least, the highest control 1220 mm at most (the
/// kiosk brings its upper controls down where the top of the screen is higher).
fn reach(config: &KioskConfig) -> Result<Found, String> {
    use crate::ui::theme::{DESIGN_HEIGHT, Metrics, TOP_MARGIN};
    let metrics = Metrics::for_display(&config.display);
    let (low, high) = (protocol::config::REACH_MM.start(), protocol::config::REACH_MM.end());
    let bottom = metrics.height_mm(DESIGN_HEIGHT - 2.0 * TOP_MARGIN);
    if bottom < *low {
        return Err(format!(
            "the toolbar's lower edge would be {bottom:.0} mm above the floor, below {low:.0} mm: mount the screen higher (display.mount_bottom_mm = {})",
            config.display.mount_bottom_mm
        ));
    }
    let lowered = metrics.lower_controls();
    let top = if lowered { *high } else { metrics.height_mm(TOP_MARGIN) };
    let how = if lowered { ", the upper controls brought down (the screen's top is out of reach)" } else { "" };
    Ok(Found::Pass(format!("controls {bottom:.0}–{top:.0} mm above the floor (reach {low:.0}–{high:.0}){how}")))
}

/// The `[lighting]` controller, asked for the store's scene (what every session starts in).
fn lights(config: &KioskConfig) -> Result<Found, String> {
    use protocol::config::LightingController;
    match config.lighting.controller {
        LightingController::None => return Ok(Found::Skip("no controllable light (lighting.controller = \"none\")")),
        LightingController::Frame => return Ok(Found::Skip("the light frame is drawn on screen")),
        _ => {}
    }
    let scene = config.lighting.store_scene;
    let mut controller = lighting::from_config(&config.lighting).map_err(|e| e.0)?.ok_or("no controller")?;
    controller.apply(scene.light()).map_err(|e| e.0)?;
    let light = scene.light();
    Ok(Found::Pass(format!(
        "{}: took the {} scene ({} K, {} %)",
        controller.describe(),
        scene.id(),
        light.kelvin,
        light.brightness_percent
    )))
}

fn profile(config: &KioskConfig) -> Result<Found, String> {
    if config.hardware.profile.is_empty() {
        return Ok(Found::Skip("no hardware.profile named"));
    }
    // Loading the configuration already read and applied it; say what it set.
    Ok(Found::Pass(format!(
        "{}: display {} mm wide, camera {}x{} at {} fps",
        config.hardware.profile,
        config.display.physical_width_mm,
        config.camera.width,
        config.camera.height,
        config.camera.fps
    )))
}

fn camera(config: &KioskConfig) -> Result<Found, String> {
    if config.camera.source == CameraSourceKind::Synthetic {
        return Ok(Found::Skip("camera.source is synthetic"));
    }
    let locator = CameraLocator::from_config(&config.camera);
    let index = locator
        .resolve()
        .map_err(|e| format!("camera.device_path {e} (is it one of the profile's cameras? see the udev rule)"))?;
    let cameras = list_cameras().map_err(|e| format!("cannot list cameras: {e}"))?;
    camera_verdict(config, &locator, index, &cameras)
}

/// Whether the camera the configuration points at (`/dev/video{index}`) is among `cameras` and
/// offers a mode the configuration accepts.
fn camera_verdict(
    config: &KioskConfig,
    locator: &CameraLocator,
    index: u32,
    cameras: &[CameraListing],
) -> Result<Found, String> {
    let found: Vec<String> = cameras.iter().map(|c| format!("{} ({})", c.index, c.name)).collect();
    let Some(device) = cameras.iter().find(|c| c.index == index.to_string()) else {
        return Err(format!(
            "no camera at {}; found: {}",
            match locator {
                CameraLocator::Index(_) => format!("/dev/video{index} (camera.device_index)"),
                CameraLocator::Path(path) => format!("{} (/dev/video{index})", path.display()),
            },
            if found.is_empty() { "none".to_string() } else { found.join(", ") }
        ));
    };
    let modes = device.modes.as_ref().map_err(|e| format!("{}: cannot read its formats: {e}", device.name))?;
    let request = FormatRequest::from(&config.camera);
    match request.negotiate(modes) {
        Some(mode) => Ok(Found::Pass(format!("/dev/video{index} {}: {mode}", device.name))),
        None => Err(format!("{} offers no mode in camera.formats {:?}", device.name, config.camera.formats)),
    }
}

fn display() -> Result<Found, String> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from);
    if let Some(wayland) = std::env::var_os("WAYLAND_DISPLAY").filter(|w| !w.is_empty()) {
        let socket = runtime.unwrap_or_default().join(&wayland);
        return if socket.exists() {
            Ok(Found::Pass(format!("Wayland {}", socket.display())))
        } else {
            Err(format!("WAYLAND_DISPLAY names {} but it does not exist", socket.display()))
        };
    }
    let Some(x) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) else {
        return Err(
            "no display: neither WAYLAND_DISPLAY nor DISPLAY is set (the systemd unit runs the kiosk under cage)"
                .into(),
        );
    };
    let number = x.trim_start_matches(|c| c != ':').trim_start_matches(':').split('.').next().unwrap_or_default();
    let socket = Path::new("/tmp/.X11-unix").join(format!("X{number}"));
    if socket.exists() {
        Ok(Found::Pass(format!("X11 {x}")))
    } else {
        Err(format!("DISPLAY={x} but {} does not exist", socket.display()))
    }
}

fn gpu() -> Result<Found, String> {
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let adapters = bevy::tasks::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
    let names: Vec<String> = adapters
        .iter()
        .map(|a| a.get_info())
        .map(|i| {
            let software = if i.device_type == wgpu::DeviceType::Cpu { ", software" } else { "" };
            format!("{} ({:?}{software})", i.name, i.backend)
        })
        .collect();
    if names.is_empty() {
        Err("no GPU adapter (Vulkan or OpenGL ES): install the Mesa drivers".into())
    } else {
        Ok(Found::Pass(names.join("; ")))
    }
}

fn broker(config: &KioskConfig) -> Result<Found, String> {
    let kiosk = Ident::new(&config.kiosk.id).map_err(|e| format!("kiosk.id: {e}"))?;
    match crate::telemetry::target(config)? {
        Target::Spool(_) => Ok(Found::Skip("no broker configured (telemetry.broker_url is empty)")),
        Target::Broker(settings) => {
            let took = probe(&kiosk, &settings, Duration::from_secs(5))
                .map_err(|e| format!("{}:{}: {e}", settings.url.host, settings.url.port))?;
            Ok(Found::Pass(format!(
                "{}:{} accepted {} in {} ms",
                settings.url.host,
                settings.url.port,
                if settings.username.is_empty() { "an anonymous login" } else { settings.username.as_str() },
                took.as_millis()
            )))
        }
    }
}

fn relay(config: &KioskConfig) -> Result<Found, String> {
    let share = &config.share;
    if !share.enabled {
        return Ok(Found::Skip("sharing is off (share.enabled)"));
    }
    if share.relay_url.is_empty() {
        return Ok(Found::Skip("the relay runs inside the kiosk (share.relay_url is empty)"));
    }
    let url = format!("{}/healthz", share.relay_url.trim_end_matches('/'));
    let tls = telemetry::tls::client_config(&share.relay_ca_file, "share.relay_ca_file", None)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let status = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .use_preconfigured_tls((*tls).clone())
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        client.get(&url).send().await.map(|r| r.status()).map_err(|e| e.to_string())
    });
    match status {
        Ok(status) if status.is_success() => {
            Ok(Found::Pass(format!("{url}: {status} in {} ms", started.elapsed().as_millis())))
        }
        Ok(status) => Err(format!("{url}: {status}")),
        Err(e) => Err(format!("{url}: {e}")),
    }
}

/// The in-process relay's Janus instances (live video): each answers `info` with the VideoRoom
/// plugin and takes `share.embedded_janus_api_secret`.
fn media_server(config: &KioskConfig) -> Result<Found, String> {
    let share = &config.share;
    if !share.enabled || !share.webrtc {
        return Ok(Found::Skip("live video is off (share.enabled, share.webrtc)"));
    }
    if !share.relay_url.is_empty() {
        return Ok(Found::Skip("the relay at share.relay_url places the video on its own [sfu]"));
    }
    if share.embedded_janus.is_empty() {
        return Ok(Found::Skip("no media server: shares are JPEG only (share.embedded_janus)"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    // reqwest has rustls without a process-wide provider here: hand it a configured one.
    let tls = telemetry::tls::client_config("", "share.embedded_janus", None)?;
    let client = reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for url in &share.embedded_janus {
        let url = url.trim_end_matches('/');
        let started = Instant::now();
        let answered: Result<String, String> = runtime.block_on(async {
            let info: serde_json::Value = client.get(format!("{url}/info")).send().await.map_err(|e| e.to_string())?
                .json().await.map_err(|e| format!("not Janus: {e}"))?;
            if info["plugins"].get("janus.plugin.videoroom").is_none() {
                return Err("the VideoRoom plugin is not loaded".into());
            }
            let create = serde_json::json!({"janus": "create", "transaction": "doctor", "apisecret": share.embedded_janus_api_secret});
            let session: serde_json::Value = client.post(url).body(create.to_string()).send().await.map_err(|e| e.to_string())?
                .json().await.map_err(|e| e.to_string())?;
            let Some(id) = session["data"]["id"].as_u64() else {
                return Err(format!("refused share.embedded_janus_api_secret: {}", session["error"]["reason"]));
            };
            let destroy = serde_json::json!({"janus": "destroy", "transaction": "doctor", "apisecret": share.embedded_janus_api_secret});
            let _ = client.post(format!("{url}/{id}")).body(destroy.to_string()).send().await;
            Ok(format!("Janus {} (VideoRoom)", info["version_string"].as_str().unwrap_or("?")))
        });
        match answered {
            Ok(what) => found.push(format!("{url}: {what} in {} ms", started.elapsed().as_millis())),
            Err(e) => return Err(format!("{url}: {e}")),
        }
    }
    Ok(Found::Pass(found.join("; ")))
}

fn disk(config: &KioskConfig) -> Result<Found, String> {
    let dir = crate::telemetry::data_dir(&config.telemetry);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let probe = dir.join(".doctor-write-test");
    std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"ok").and_then(|()| f.sync_all()))
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    let needed = u64::from(config.telemetry.outbox_max_mb) << 20;
    let free = telemetry::process::free_space(&dir)
        .ok_or_else(|| format!("cannot tell the free space of {}", dir.display()))?;
    if free < needed {
        return Err(format!(
            "{}: {} MiB free, the outbox may need {} MiB (telemetry.outbox_max_mb)",
            dir.display(),
            free >> 20,
            needed >> 20
        ));
    }
    Ok(Found::Pass(format!("{}: {} MiB free, outbox up to {} MiB", dir.display(), free >> 20, needed >> 20)))
}

/// Prints the report; exit code 1 when any check failed.
pub fn run(source: &ConfigSource) -> ExitCode {
    let report = run_checks(source);
    println!("{:<8} {:<6} DETAIL", "CHECK", "RESULT");
    for check in &report {
        let result = match check.outcome {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "skip",
        };
        println!("{:<8} {result:<6} {}", check.name, check.detail);
    }
    let failed = report.iter().filter(|c| c.outcome == Outcome::Fail).count();
    if failed == 0 {
        println!("all checks passed");
        ExitCode::SUCCESS
    } else {
        println!("{failed} check(s) failed");
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use camera::CameraMode;
    use protocol::config::PixelFormat;

    use super::*;

    /// What the system would list for a USB webcam offering 1280×720 MJPEG and 640×480 YUYV.
    fn webcam(index: &str) -> CameraListing {
        let mode = |format, width, height| CameraMode { format, width, height, fps: 30 };
        CameraListing {
            index: index.into(),
            name: "USB Camera".into(),
            description: "fake".into(),
            modes: Ok(vec![mode(PixelFormat::Mjpeg, 1280, 720), mode(PixelFormat::Yuyv, 640, 480)]),
        }
    }

    #[test]
    fn the_camera_check_passes_for_a_camera_offering_a_wanted_mode_and_names_the_mode() {
        let mut config = KioskConfig::default();
        config.camera.source = CameraSourceKind::Device;
        (config.camera.width, config.camera.height, config.camera.fps) = (1280, 720, 30);
        let locator = CameraLocator::Index(2);
        let verdict = camera_verdict(&config, &locator, 2, &[webcam("0"), webcam("2")]);
        let Ok(Found::Pass(detail)) = verdict else { panic!("{:?}", verdict.err()) };
        assert_eq!(detail, "/dev/video2 USB Camera: MJPEG 1280x720 @ 30 fps");

        // Plugged in but offering nothing the pipeline may use.
        config.camera.formats = vec![PixelFormat::Nv12];
        let refused = camera_verdict(&config, &locator, 2, &[webcam("2")]).err().unwrap_or_default();
        assert!(refused.contains("USB Camera offers no mode in camera.formats"), "{refused}");
        // Another camera is there, not this one.
        let missing = camera_verdict(&config, &locator, 2, &[webcam("0")]).err().unwrap_or_default();
        assert_eq!(missing, "no camera at /dev/video2 (camera.device_index); found: 0 (USB Camera)");
    }
}
