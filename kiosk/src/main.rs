//! `kiosk`: the smart-mirror app. Parses the command line, loads and validates the config, then
//! either lists cameras, runs the self-check (`kiosk doctor`) or runs the Bevy app.

use std::process::ExitCode;

use clap::Parser;
use kiosk::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list_cameras {
        return kiosk::list_cameras::print();
    }
    let source = kiosk::settings::ConfigSource { path: cli.config.clone(), overrides: cli.config_overrides() };
    if let Some(kiosk::cli::KioskCommand::Doctor) = cli.command {
        return kiosk::doctor::run(&source);
    }
    let config = match protocol::config::KioskConfig::load(source.path.as_deref(), &source.overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("kiosk: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let script = match cli.script() {
        Ok(script) => script,
        Err(e) => {
            eprintln!("kiosk: {e}");
            return ExitCode::from(2);
        }
    };
    kiosk::run(config, source, script)
}
