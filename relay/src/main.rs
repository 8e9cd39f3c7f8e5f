//! `relay`: the share relay server. `relay --config relay.toml`; see the README's "Deploying the
//! share relay".

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use relay::config::RelayConfig;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "relay", version, about = "Share relay for smart fitting-room mirrors")]
struct Cli {
    /// Configuration file (TOML; see relay/relay.example.toml).
    #[arg(long, short)]
    config: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let cli = Cli::parse();
    let config = match RelayConfig::load(&cli.config) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("relay: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("relay: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => tracing::info!("share relay listening on {addr}, public URL {}", config.public_url),
        Err(e) => tracing::warn!("listening, but cannot read the local address: {e}"),
    }
    // Printed for tests and scripts that start the relay on port 0.
    if let Ok(addr) = listener.local_addr() {
        println!("listening on {addr}");
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match relay::serve(listener, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("relay: {e}");
            ExitCode::FAILURE
        }
    }
}
