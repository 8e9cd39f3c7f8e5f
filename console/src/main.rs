//! `console serve` runs the console; `console user` creates or replaces a user; `console stores`
//! reads the stores' time zones, opening hours and regions from the inventory.

use std::time::Duration;

use clap::{Parser, Subcommand};
use console::{alerts::AlertSettings, auth, db::Database, ingest::IngestSettings};

#[derive(Parser)]
#[command(about = "The mirrors' web console: fleet status for store staff and chain IT")]
struct Cli {
    /// sqlite://PATH (a store) or postgres://USER:PASSWORD@HOST:PORT/DB (head office).
    #[arg(long, env = "CONSOLE_DB", default_value = "sqlite://console.db")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Follow the broker and serve the pages.
    Serve {
        #[arg(long, env = "CONSOLE_BROKER", default_value = "mqtt://127.0.0.1:1883")]
        broker: String,
        #[arg(long, env = "CONSOLE_BROKER_USER", default_value = "")]
        username: String,
        #[arg(long, env = "CONSOLE_BROKER_PASSWORD", default_value = "", hide_env_values = true)]
        password: String,
        /// CA certificate for mqtts:// brokers.
        #[arg(long, default_value = "")]
        ca_file: String,
        /// The persistent MQTT session's id: one per console instance.
        #[arg(long, default_value = "console")]
        client_id: String,
        /// Head office with several consoles: share the events in this group ($share/GROUP/…).
        #[arg(long)]
        share_group: Option<String>,
        #[arg(long, default_value = "127.0.0.1:8095")]
        listen: std::net::SocketAddr,
        /// A kiosk offline, lost, without camera or degraded this long raises an alert.
        #[arg(long, default_value_t = 300)]
        alert_after_s: u64,
        /// SMTP relay for alert email, HOST:PORT (it does TLS onwards); none: no email.
        #[arg(long)]
        smtp: Option<String>,
        #[arg(long, default_value = "mirror-console@localhost")]
        mail_from: String,
        /// Who gets alert email, comma-separated.
        #[arg(long, value_delimiter = ',')]
        mail_to: Vec<String>,
        /// A URL that gets every alert as JSON (POST).
        #[arg(long)]
        webhook: Option<String>,
        /// A size request nobody accepted for this long raises an alert.
        #[arg(long, default_value_t = 300)]
        request_alert_after_s: u64,
        /// Commands and rollout documents sent per second at most.
        #[arg(long, default_value_t = 50)]
        command_rate: u32,
        /// What kiosks send as `remote.screenshot_upload_token` to POST /uploads/screenshot;
        /// unset: uploads are refused.
        #[arg(long, env = "CONSOLE_SCREENSHOT_TOKEN", hide_env_values = true)]
        screenshot_token: Option<String>,
    },
    /// Read the stores' time zones, opening hours and regions from the chain's inventory CSV
    /// (the one `provision` reads: store,kiosk_id,room,profile,time_zone,opening_hours,region).
    Stores { inventory: std::path::PathBuf },
    /// Create or replace a user; the password is read from CONSOLE_PASSWORD.
    User {
        name: String,
        /// associate, store_manager, fleet_operator, analyst or admin.
        #[arg(long)]
        role: String,
        /// `*` (the whole chain) or store ids separated by commas.
        #[arg(long)]
        scope: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env().add_directive("info".parse()?))
        .init();
    let cli = Cli::parse();
    let db = Database::connect(&cli.db).await.map_err(|e| anyhow::anyhow!("--db: {e}"))?;
    match cli.command {
        Command::Serve {
            broker,
            username,
            password,
            ca_file,
            client_id,
            share_group,
            listen,
            alert_after_s,
            smtp,
            mail_from,
            mail_to,
            webhook,
            request_alert_after_s,
            command_rate,
            screenshot_token,
        } => {
            let alerts = AlertSettings {
                after: Duration::from_secs(alert_after_s),
                every: Duration::from_secs(5),
                smtp,
                mail_from,
                mail_to,
                webhook,
                request_after: Duration::from_secs(request_alert_after_s),
            };
            let listener =
                tokio::net::TcpListener::bind(listen).await.map_err(|e| anyhow::anyhow!("--listen {listen}: {e}"))?;
            let ingest = IngestSettings { broker, username, password, ca_file, client_id, share_group };
            let dispatch = console::commands::DispatchSettings { rate_per_s: command_rate, ..Default::default() };
            let options = console::Options { dispatch, alerts: Some(alerts), screenshot_token };
            console::serve(db, ingest, options, listener).await
        }
        Command::Stores { inventory } => {
            let text =
                std::fs::read_to_string(&inventory).map_err(|e| anyhow::anyhow!("{}: {e}", inventory.display()))?;
            let stores =
                console::stores::from_inventory(&text).map_err(|e| anyhow::anyhow!("{}: {e}", inventory.display()))?;
            console::stores::put(&db, &stores).await?;
            for store in &stores {
                println!("store {}: {} · {} · region {}", store.id, store.time_zone, store.opening_hours, store.region);
            }
            Ok(())
        }
        Command::User { name, role, scope } => {
            let password = std::env::var("CONSOLE_PASSWORD")
                .map_err(|_| anyhow::anyhow!("set CONSOLE_PASSWORD to the new user's password"))?;
            auth::put_user(&db, &name, &password, &role, &scope).await?;
            println!("user {name}: {role} for {scope}");
            Ok(())
        }
    }
}
