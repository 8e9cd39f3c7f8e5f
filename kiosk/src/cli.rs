//! The command line. Any config key can be overridden with `--set section.key=value`; a few
//! common ones have their own flags.

use std::{path::PathBuf, time::Duration};

use bevy::input::keyboard::KeyCode;
use clap::{Parser, Subcommand, ValueEnum};

use crate::automation::{Action, Script, WAIT_LIMIT, When};

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
    /// Run actions in order, each not before SECONDS after start (or `+SECONDS` after the
    /// previous one), e.g. `--at 4:touch --at +0:press=Scan item --at +0:wait=Oxford shirt
    /// --at +1:screenshot=out/a.png --at +0:exit`. Actions: touch, end-session, diagnostics,
    /// screenshot=PATH, share, share-accept, share-stop, scan=CODE, press=LABEL (waits for the
    /// button), wait=TEXT (waits for the text), wait-file=PATH, texts=PATH (visible texts as JSON), exit. An
    /// action still waiting after 30 s (`--wait-limit`) exits the kiosk with code 3.
    #[arg(long = "at", value_name = "WHEN:ACTION")]
    pub at: Vec<String>,
    /// How long a scripted press= or wait= waits for the screen before the run fails.
    #[arg(long, value_name = "SECONDS")]
    pub wait_limit: Option<f32>,
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
        let actions = self.at.iter().map(|spec| parse_at(spec)).collect::<Result<Vec<_>, _>>()?;
        let mut latest = Duration::ZERO;
        for (spec, (when, _)) in self.at.iter().zip(&actions) {
            if let When::At(at) = when {
                if *at < latest {
                    return Err(format!(
                        "--at {spec:?}: earlier than an action before it (list actions in the order they run)"
                    ));
                }
                latest = *at;
            }
        }
        let periodic = match (self.screenshot_every, &self.screenshot_dir) {
            (Some(secs), Some(dir)) if secs.is_finite() && secs >= 0.1 => {
                Some((Duration::from_secs_f32(secs), dir.clone()))
            }
            (Some(secs), _) => return Err(format!("--screenshot-every {secs}: must be at least 0.1 seconds")),
            _ => None,
        };
        let wait_limit = match self.wait_limit {
            None => WAIT_LIMIT,
            Some(secs) if secs.is_finite() && secs > 0.0 => Duration::from_secs_f32(secs),
            Some(secs) => return Err(format!("--wait-limit {secs}: must be a positive number of seconds")),
        };
        Ok(Script { actions, periodic, wait_limit })
    }
}

fn parse_at(spec: &str) -> Result<(When, Action), String> {
    let bad = |why: &str| format!("--at {spec:?}: {why} (expected SECONDS:ACTION or +SECONDS:ACTION, e.g. 5:touch)");
    let (when, action) = spec.split_once(':').ok_or_else(|| bad("missing ':'"))?;
    let (relative, secs) = match when.trim().strip_prefix('+') {
        Some(delay) => (true, delay),
        None => (false, when.trim()),
    };
    let unsigned = secs.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    let secs: f32 = secs.parse().ok().filter(|_| unsigned).ok_or_else(|| bad("SECONDS is not a number"))?;
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
            Some(("wait", text)) if !text.is_empty() => Action::Wait(text.to_string()),
            Some(("gone", text)) if !text.is_empty() => Action::Gone(text.to_string()),
            Some(("wait-file", path)) if !path.is_empty() => Action::WaitFile(PathBuf::from(path)),
            Some(("texts", path)) if !path.is_empty() => Action::Texts(PathBuf::from(path)),
            Some(("focus", label)) if !label.is_empty() => Action::Focus(label.to_string()),
            Some(("focused", label)) if !label.is_empty() => Action::Focused(label.to_string()),
            Some(("key", name)) => {
                let (shift, name) = match name.strip_prefix("Shift+") {
                    Some(rest) => (true, rest),
                    None => (false, name),
                };
                let code = match name {
                    "Tab" => KeyCode::Tab,
                    "Enter" => KeyCode::Enter,
                    "Space" => KeyCode::Space,
                    "Up" => KeyCode::ArrowUp,
                    "Down" => KeyCode::ArrowDown,
                    "Left" => KeyCode::ArrowLeft,
                    "Right" => KeyCode::ArrowRight,
                    "Numpad2" => KeyCode::Numpad2,
                    "Numpad4" => KeyCode::Numpad4,
                    "Numpad5" => KeyCode::Numpad5,
                    "Numpad6" => KeyCode::Numpad6,
                    "Numpad8" => KeyCode::Numpad8,
                    _ => {
                        return Err(bad(
                            "key= takes Tab, Shift+Tab, Enter, Space, Up, Down, Left, Right or Numpad2/4/5/6/8",
                        ));
                    }
                };
                Action::Key { code, shift }
            }
            _ => return Err(bad("unknown action")),
        },
    };
    let delay = Duration::from_secs_f32(secs);
    Ok((if relative { When::After(delay) } else { When::At(delay) }, action))
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
    fn at_actions_parse_in_the_order_given() {
        let script = cli(&[
            "--at",
            "1:touch",
            "--at",
            "2.5:screenshot=out/a.png",
            "--at",
            "+0:press=Ask for",
            "--at",
            "+0.5:wait=Anna is bringing it",
            "--at",
            "3:scan=4006381333931",
            "--at",
            "+1:texts=out/t.json",
            "--at",
            "7:exit",
        ])
        .script();
        let Ok(script) = script else { panic!("{script:?}") };
        let s = Duration::from_secs_f32;
        assert_eq!(
            script.actions,
            vec![
                (When::At(s(1.0)), Action::Touch),
                (When::At(s(2.5)), Action::Screenshot("out/a.png".into())),
                (When::After(s(0.0)), Action::Press("Ask for".into())),
                (When::After(s(0.5)), Action::Wait("Anna is bringing it".into())),
                (When::At(s(3.0)), Action::ScannerTypes("4006381333931".into())),
                (When::After(s(1.0)), Action::Texts("out/t.json".into())),
                (When::At(s(7.0)), Action::Exit),
            ]
        );
    }

    #[test]
    fn an_absolute_time_before_an_earlier_action_is_rejected() {
        let err = cli(&["--at=5:touch", "--at=+1:wait=Oxford", "--at=3:exit"]).script().err().unwrap_or_default();
        assert!(err.contains("\"3:exit\"") && err.contains("order"), "{err}");
    }

    #[test]
    fn bad_at_specs_are_rejected_with_the_spec() {
        for spec in [
            "touch",
            "x:touch",
            "-1:touch",
            "+-1:touch",
            "++1:touch",
            "3:dance",
            "3:screenshot=",
            "3:scan=",
            "3:press=",
            "3:wait=",
        ] {
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
