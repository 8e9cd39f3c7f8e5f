//! The command line. Any config key can be overridden with `--set section.key=value`; a few
//! common ones have their own flags.

use std::{path::PathBuf, time::Duration};

use clap::{Parser, Subcommand, ValueEnum};

use crate::automation::{Action, Script};

#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about = "Smart fitting-room mirror")]
pub struct Cli {
    /// Configuration file (TOML; see assets/kiosk.example.toml). Without it, built-in defaults.
    #[arg(long, short, global = true)]
    pub config: Option<PathBuf>,
    /// Override one config key, e.g. `--set camera.fps=15` (repeatable; applied after the file).
    #[arg(long = "set", value_name = "KEY=VALUE", global = true)]
    pub set: Vec<String>,
    /// Where frames come from (overrides camera.source).
    #[arg(long, value_enum, global = true)]
    pub camera: Option<CameraArg>,
    /// Run in a window instead of full screen (overrides display.mode).
    #[arg(long)]
    pub windowed: bool,
    /// Show the diagnostics overlay from the start (F3 toggles it).
    #[arg(long)]
    pub diagnostics: bool,
    /// Print each camera with its formats and exit.
    #[arg(long)]
    pub list_cameras: bool,
    /// Run an action at a time after start, e.g. `--at 4:touch --at 6:screenshot=out/a.png
    /// --at 7:exit`. Actions: touch, end-session, diagnostics, screenshot=PATH, share,
    /// share-accept, share-stop, scan=CODE, press=LABEL, exit.
    #[arg(long = "at", value_name = "SECONDS:ACTION")]
    pub at: Vec<String>,
    /// Write a screenshot to DIR/latest.png every N seconds (for headless machines).
    #[arg(long, value_name = "SECONDS", requires = "screenshot_dir")]
    pub screenshot_every: Option<f32>,
    #[arg(long, value_name = "DIR")]
    pub screenshot_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<KioskCommand>,
}

#[derive(Debug, Subcommand)]
pub enum KioskCommand {
    /// Check config, hardware profile, camera, display, GPU, broker, relay and disk; print a
    /// table and exit 1 if anything failed. Uses the same --config and --set.
    Doctor,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CameraArg {
    Device,
    Synthetic,
    DeviceOrSynthetic,
}

impl Cli {
    /// `--set` overrides plus those implied by the dedicated flags.
    pub fn config_overrides(&self) -> Vec<String> {
        let mut overrides = self.set.clone();
        if let Some(camera) = self.camera {
            let value = match camera {
                CameraArg::Device => "device",
                CameraArg::Synthetic => "synthetic",
                CameraArg::DeviceOrSynthetic => "device-or-synthetic",
            };
            overrides.push(format!("camera.source=\"{value}\""));
        }
        if self.windowed {
            overrides.push("display.mode=\"windowed\"".into());
        }
        if self.diagnostics {
            overrides.push("diagnostics.visible=true".into());
        }
        overrides
    }

    /// The scripted actions from `--at` and `--screenshot-every`.
    pub fn script(&self) -> Result<Script, String> {
        let mut actions = self.at.iter().map(|spec| parse_at(spec)).collect::<Result<Vec<_>, _>>()?;
        actions.sort_by_key(|(at, _)| *at);
        let periodic = match (self.screenshot_every, &self.screenshot_dir) {
            (Some(secs), Some(dir)) if secs.is_finite() && secs >= 0.1 => {
                Some((Duration::from_secs_f32(secs), dir.clone()))
            }
            (Some(secs), _) => return Err(format!("--screenshot-every {secs}: must be at least 0.1 seconds")),
            _ => None,
        };
        Ok(Script { actions, periodic })
    }
}

fn parse_at(spec: &str) -> Result<(Duration, Action), String> {
    let bad = |why: &str| format!("--at {spec:?}: {why} (expected SECONDS:ACTION, e.g. 5:touch)");
    let (secs, action) = spec.split_once(':').ok_or_else(|| bad("missing ':'"))?;
    let secs: f32 = secs.trim().parse().map_err(|_| bad("SECONDS is not a number"))?;
    if !secs.is_finite() || secs < 0.0 {
        return Err(bad("SECONDS must be zero or more"));
    }
    let action = match action.trim() {
        "touch" => Action::Touch,
        "end-session" => Action::EndSession,
        "diagnostics" => Action::ToggleDiagnostics,
        "exit" => Action::Exit,
        "share" => Action::Share,
        "share-accept" => Action::ShareAccept,
        "share-stop" => Action::ShareStop,
        other => match other.split_once('=') {
            Some(("screenshot", path)) if !path.is_empty() => Action::Screenshot(PathBuf::from(path)),
            Some(("scan", code)) if !code.is_empty() => Action::ScannerTypes(code.to_string()),
            Some(("press", label)) if !label.is_empty() => Action::Press(label.to_string()),
            _ => return Err(bad("unknown action")),
        },
    };
    Ok((Duration::from_secs_f32(secs), action))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let parsed = Cli::try_parse_from(std::iter::once("kiosk").chain(args.iter().copied()));
        let Ok(cli) = parsed else { panic!("{parsed:?}") };
        cli
    }

    #[test]
    fn at_actions_parse_and_sort_by_time() {
        let script = cli(&[
            "--at",
            "7:exit",
            "--at",
            "2.5:screenshot=out/a.png",
            "--at",
            "1:touch",
            "--at",
            "3:scan=4006381333931",
            "--at",
            "4:press=Ask for",
        ])
        .script();
        let Ok(script) = script else { panic!("{script:?}") };
        assert_eq!(
            script.actions,
            vec![
                (Duration::from_secs(1), Action::Touch),
                (Duration::from_secs_f32(2.5), Action::Screenshot("out/a.png".into())),
                (Duration::from_secs(3), Action::ScannerTypes("4006381333931".into())),
                (Duration::from_secs(4), Action::Press("Ask for".into())),
                (Duration::from_secs(7), Action::Exit),
            ]
        );
    }

    #[test]
    fn bad_at_specs_are_rejected_with_the_spec() {
        for spec in ["touch", "x:touch", "-1:touch", "3:dance", "3:screenshot=", "3:scan=", "3:press="] {
            let err = cli(&[&format!("--at={spec}")]).script().err().unwrap_or_default();
            assert!(err.contains(spec), "{spec}: {err}");
        }
    }

    #[test]
    fn flags_become_config_overrides() {
        let overrides =
            cli(&["--camera", "device-or-synthetic", "--windowed", "--set", "camera.fps=15"]).config_overrides();
        assert_eq!(overrides, ["camera.fps=15", "camera.source=\"device-or-synthetic\"", "display.mode=\"windowed\""]);
    }
}
