//! `console serve` runs the console; `console user add` creates or replaces a user.

use clap::{Parser, Subcommand};
use console::{auth, db::Database, ingest::IngestSettings};

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
    },
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
        Command::Serve { broker, username, password, ca_file, client_id, share_group, listen } => {
            let listener =
                tokio::net::TcpListener::bind(listen).await.map_err(|e| anyhow::anyhow!("--listen {listen}: {e}"))?;
            let ingest = IngestSettings { broker, username, password, ca_file, client_id, share_group };
            console::serve(db, ingest, listener).await
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
