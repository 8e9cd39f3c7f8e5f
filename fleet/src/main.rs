//! `fleet`: watch and steer kiosks over MQTT. Lists retained statuses, follows events, health and
//! acks as they arrive, sends commands (validated here with the kiosk's own parser, so a typo is
//! caught before it is published) and waits for their acks, and sets a kiosk's desired
//! configuration. The associates' size-request board is the console's (`console serve`).

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use protocol::{
    command::{AckStatus, Action, Command, CommandAck, DesiredConfig, ReportedConfig},
    mqtt_url::BrokerUrl,
    telemetry::{EventEnvelope, Health, Ident, KioskStatus, SCHEMA_VERSION, now_ms},
    topics::{KioskTopics, ROOT, fleet_filter},
};
use rumqttc::{Client, Connection, Event, MqttOptions, Packet, QoS, TlsConfiguration, Transport};

#[derive(Debug, Parser)]
#[command(name = "fleet", version, about = "Watch and steer smart-mirror kiosks over MQTT")]
struct Cli {
    /// Broker, e.g. mqtt://broker.store-12.lan or mqtts://mqtt.chain.example:8883.
    #[arg(long, env = "FLEET_BROKER", default_value = "mqtt://127.0.0.1:1883")]
    broker: String,
    #[arg(long, env = "FLEET_USERNAME", default_value = "")]
    username: String,
    #[arg(long, env = "FLEET_PASSWORD", default_value = "", hide_env_values = true)]
    password: String,
    /// Extra certificate authorities (PEM) for mqtts://.
    #[arg(long, default_value = "")]
    ca_file: String,
    /// Print payloads as received JSON instead of one readable line each.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Debug, Subcommand)]
enum FleetCommand {
    /// Print every kiosk's retained status and exit.
    Status {
        /// How long to collect retained messages.
        #[arg(long, default_value_t = 2.0)]
        wait_s: f32,
    },
    /// Follow status, events, health, acks and reported configuration as they arrive.
    Watch {
        /// One kiosk id; default: every kiosk.
        #[arg(long, default_value = "+")]
        kiosk: String,
        /// Stop after this many seconds (default: run until interrupted).
        #[arg(long)]
        for_s: Option<f32>,
    },
    /// Send a command and wait for its ack, e.g. `fleet send room-3 maintenance on=true` or
    /// `fleet send room-3 set-lighting scene=evening`.
    Send {
        kiosk: String,
        /// end-session, maintenance, reload-config, refresh-catalog, identify, set-brightness,
        /// set-lighting, screenshot, restart.
        action: String,
        /// The action's fields as KEY=VALUE (VALUE is JSON; bare words are strings).
        fields: Vec<String>,
        /// The command expires after this many seconds.
        #[arg(long, default_value_t = 60)]
        expires_in_s: u64,
        /// How long to wait for the ack.
        #[arg(long, default_value_t = 15.0)]
        wait_s: f32,
    },
    /// Set a kiosk's desired configuration (retained) and wait for its report, e.g.
    /// `fleet config room-3 session.inactivity_timeout_s=120`.
    Config {
        kiosk: String,
        /// KEY=VALUE pairs (VALUE is JSON; bare words are strings).
        set: Vec<String>,
        #[arg(long, default_value_t = 15.0)]
        wait_s: f32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fleet: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        FleetCommand::Status { wait_s } => status(cli, Duration::from_secs_f32(*wait_s)),
        FleetCommand::Watch { kiosk, for_s } => watch(cli, kiosk, for_s.map(Duration::from_secs_f32)),
        FleetCommand::Send { kiosk, action, fields, expires_in_s, wait_s } => {
            let action = parse_action(action, fields)?;
            let command = Command {
                v: SCHEMA_VERSION,
                id: Ident::new(format!("fleet-{}", now_ms()))?,
                expires_at_ms: now_ms() + expires_in_s * 1000,
                action,
            };
            send(cli, kiosk, &command, Duration::from_secs_f32(*wait_s))
        }
        FleetCommand::Config { kiosk, set, wait_s } => configure(cli, kiosk, set, Duration::from_secs_f32(*wait_s)),
    }
}

/// Builds an action from its kebab-case name and KEY=VALUE fields, validated by the kiosk's parser.
fn parse_action(name: &str, fields: &[String]) -> Result<Action> {
    let mut object = serde_json::Map::new();
    object.insert("type".into(), serde_json::Value::from(name.replace('-', "_")));
    for field in fields {
        let (key, raw) = field.split_once('=').with_context(|| format!("{field:?}: expected KEY=VALUE"))?;
        let value = serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::from(raw));
        object.insert(key.to_string(), value);
    }
    let probe =
        serde_json::json!({"v": SCHEMA_VERSION, "id": "probe", "expires_at_ms": now_ms() + 60_000, "action": object});
    protocol::command::parse_command(probe.to_string().as_bytes(), now_ms())
        .map(|command| command.action)
        .map_err(|rejection| anyhow::anyhow!("{}", rejection.reason))
}

fn connect(cli: &Cli) -> Result<(Client, Connection)> {
    let url = BrokerUrl::parse(&cli.broker).map_err(|e| anyhow::anyhow!("--broker: {e}"))?;
    let mut options = MqttOptions::new(format!("fleet-{}-{}", std::process::id(), now_ms()), url.host, url.port);
    options.set_keep_alive(Duration::from_secs(15)).set_max_packet_size(1 << 20, 1 << 20);
    if !cli.username.is_empty() {
        options.set_credentials(&cli.username, &cli.password);
    }
    if url.tls {
        let tls = telemetry::tls::client_config(&cli.ca_file, "--ca-file", None).map_err(anyhow::Error::msg)?;
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(tls)));
    }
    Ok(Client::new(options, 64))
}

/// Drives the connection until `handle` returns `Some`, or `deadline` passes (`None`).
fn pump<T>(
    connection: &mut Connection,
    deadline: Option<Instant>,
    mut on_connect: impl FnMut() -> Result<()>,
    mut handle: impl FnMut(&str, &[u8], bool) -> Option<T>,
) -> Result<Option<T>> {
    loop {
        let wait = deadline.map_or(Duration::from_millis(500), |d| d.saturating_duration_since(Instant::now()));
        if deadline.is_some() && wait.is_zero() {
            return Ok(None);
        }
        match connection.recv_timeout(wait.min(Duration::from_millis(500))) {
            Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) => on_connect()?,
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) => {
                if let Some(result) = handle(&p.topic, &p.payload, p.retain) {
                    return Ok(Some(result));
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => bail!("broker: {e}"),
            Err(rumqttc::RecvTimeoutError::Timeout) => {}
            Err(rumqttc::RecvTimeoutError::Disconnected) => bail!("connection closed"),
        }
    }
}

fn status(cli: &Cli, wait: Duration) -> Result<ExitCode> {
    let (client, mut connection) = connect(cli)?;
    let mut statuses: Vec<KioskStatus> = Vec::new();
    pump(
        &mut connection,
        Some(Instant::now() + wait),
        || Ok(client.subscribe(fleet_filter("+", "status"), QoS::AtLeastOnce)?),
        |_, payload, _| {
            match serde_json::from_slice::<KioskStatus>(payload) {
                Ok(status) => {
                    statuses.retain(|s| s.kiosk != status.kiosk);
                    statuses.push(status);
                }
                Err(e) => eprintln!("fleet: unreadable status: {e}"),
            }
            None::<()>
        },
    )?;
    statuses.sort_by(|a, b| a.kiosk.cmp(&b.kiosk));
    println!("{:<24} {:<16} {:<8} {:<12} {:<10} since", "kiosk", "store", "state", "maintenance", "version");
    for s in &statuses {
        println!(
            "{:<24} {:<16} {:<8} {:<12} {:<10} {}",
            s.kiosk.as_str(),
            s.store.as_str(),
            format!("{:?}", s.state).to_lowercase(),
            if s.maintenance { "on" } else { "off" },
            s.version,
            ago(s.at_ms)
        );
    }
    println!("{} kiosks", statuses.len());
    Ok(ExitCode::SUCCESS)
}

fn watch(cli: &Cli, kiosk: &str, duration: Option<Duration>) -> Result<ExitCode> {
    let (client, mut connection) = connect(cli)?;
    let filter = format!("{ROOT}/kiosks/{kiosk}/#");
    pump(
        &mut connection,
        duration.map(|d| Instant::now() + d),
        || Ok(client.subscribe(filter.clone(), QoS::AtLeastOnce)?),
        |topic, payload, retain| {
            println!("{}", describe(topic, payload, retain, cli.json));
            None::<()>
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One readable line for a message on a kiosk topic.
fn describe(topic: &str, payload: &[u8], retain: bool, raw: bool) -> String {
    let kiosk = KioskTopics::kiosk_of(topic).unwrap_or("?");
    let leaf = topic.splitn(5, '/').nth(4).unwrap_or(topic);
    let text = String::from_utf8_lossy(payload);
    let retained = if retain { " (retained)" } else { "" };
    if raw {
        return format!("{kiosk} {leaf}{retained} {text}");
    }
    let summary = match leaf {
        "status" => serde_json::from_slice::<KioskStatus>(payload).ok().map(|s| {
            format!("{:?}{} v{}", s.state, if s.maintenance { ", maintenance" } else { "" }, s.version).to_lowercase()
        }),
        "events" => serde_json::from_slice::<EventEnvelope>(payload)
            .ok()
            .map(|e| format!("#{} {} {}", e.seq, e.event.kind(), serde_json::to_string(&e.event).unwrap_or_default())),
        "health" => serde_json::from_slice::<Health>(payload).ok().map(|h| {
            format!(
                "render {:.1} fps, camera {:?} {:.1} fps, frame age {}, cpu {:.0}%, {:.0} MB, outbox {} (dropped {}), up {} s",
                h.render_fps,
                h.camera,
                h.camera_fps,
                h.frame_age_ms.map_or("-".into(), |ms| format!("{ms} ms")),
                h.cpu_percent,
                h.memory_mb,
                h.outbox_depth,
                h.outbox_dropped,
                h.uptime_s
            )
        }),
        "cmd/ack" => serde_json::from_slice::<CommandAck>(payload).ok().map(|a| {
            format!(
                "{} {} {:?}{}",
                a.id.map_or("-".into(), String::from),
                a.action.unwrap_or_default(),
                a.status,
                a.reason.map(|r| format!(": {r}")).unwrap_or_default()
            )
        }),
        "config/reported" => serde_json::from_slice::<ReportedConfig>(payload)
            .ok()
            .map(|r| format!("applied={} {}", r.applied, r.error.unwrap_or_default())),
        _ => None,
    };
    format!("{kiosk} {leaf}{retained} {}", summary.unwrap_or_else(|| text.into_owned()))
}

fn send(cli: &Cli, kiosk: &str, command: &Command, wait: Duration) -> Result<ExitCode> {
    let topics = KioskTopics::new(kiosk);
    let ack = request(cli, &topics.cmd, serde_json::to_vec(command)?, false, &topics.cmd_ack, wait, |payload| {
        serde_json::from_slice::<CommandAck>(payload).ok().filter(|a| a.id.as_ref() == Some(&command.id))
    })?;
    match ack {
        Some(ack) => {
            println!("{}", serde_json::to_string(&ack)?);
            Ok(if ack.status == AckStatus::Done { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        None => {
            eprintln!("fleet: no ack from {kiosk} within {:.0} s (offline? see `fleet status`)", wait.as_secs_f32());
            Ok(ExitCode::from(3))
        }
    }
}

fn configure(cli: &Cli, kiosk: &str, pairs: &[String], wait: Duration) -> Result<ExitCode> {
    let mut set = std::collections::BTreeMap::new();
    for pair in pairs {
        let (key, raw) = pair.split_once('=').with_context(|| format!("{pair:?}: expected KEY=VALUE"))?;
        set.insert(key.to_string(), serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::from(raw)));
    }
    let desired = DesiredConfig { v: SCHEMA_VERSION, revision: Ident::new(format!("rev-{}", now_ms()))?, set };
    desired.as_overrides().map_err(anyhow::Error::msg)?;
    let topics = KioskTopics::new(kiosk);
    let report =
        request(cli, &topics.config, serde_json::to_vec(&desired)?, true, &topics.config_reported, wait, |payload| {
            serde_json::from_slice::<ReportedConfig>(payload)
                .ok()
                .filter(|r| r.revision.as_ref() == Some(&desired.revision))
        })?;
    match report {
        Some(report) => {
            println!("{}", serde_json::to_string(&report)?);
            Ok(if report.applied { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        None => {
            eprintln!(
                "fleet: desired configuration {} is retained; {kiosk} has not reported within {:.0} s",
                desired.revision,
                wait.as_secs_f32()
            );
            Ok(ExitCode::from(3))
        }
    }
}

/// Publishes `payload` to `topic` once connected, then waits up to `wait` for the first message on
/// `answer_topic` that `pick` accepts.
fn request<T>(
    cli: &Cli,
    topic: &str,
    payload: Vec<u8>,
    retain: bool,
    answer_topic: &str,
    wait: Duration,
    mut pick: impl FnMut(&[u8]) -> Option<T>,
) -> Result<Option<T>> {
    let (client, mut connection) = connect(cli)?;
    let mut sent = false;
    pump(
        &mut connection,
        Some(Instant::now() + wait),
        || {
            client.subscribe(answer_topic, QoS::AtLeastOnce)?;
            if !sent {
                client.publish(topic, QoS::AtLeastOnce, retain, payload.clone())?;
                sent = true;
            }
            Ok(())
        },
        |_, payload, _| pick(payload),
    )
}

fn ago(at_ms: u64) -> String {
    let seconds = now_ms().saturating_sub(at_ms) / 1000;
    match seconds {
        0..120 => format!("{seconds} s ago"),
        120..7200 => format!("{} min ago", seconds / 60),
        _ => format!("{} h ago", seconds / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_built_from_words_and_validated() {
        assert_eq!(parse_action("maintenance", &["on=true".into()]).ok(), Some(Action::Maintenance { on: true }));
        assert_eq!(
            parse_action("set-lighting", &["scene=evening".into()]).ok(),
            Some(Action::SetLighting { scene: protocol::lighting::Scene::Evening })
        );
        let typo = parse_action("maintenance", &["onn=true".into()]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(typo.contains("unknown field `onn`"), "{typo}");
        assert!(parse_action("set-brightness", &["percent=5".into()]).is_err());
        let extra = parse_action("restart", &["delay_s=600".into()]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(extra.contains("unknown field `delay_s`"), "{extra}");
        assert_eq!(parse_action("restart", &[]).ok(), Some(Action::Restart {}));
    }

    #[test]
    fn lines_summarise_each_topic() {
        let line = describe(
            "mirror/v1/kiosks/k-1/cmd/ack",
            br#"{"v":1,"id":"c-1","kiosk":"k-1","action":"maintenance","status":"rejected","reason":"expired 2.0 s ago","at_ms":1}"#,
            false,
            false,
        );
        assert_eq!(line, "k-1 cmd/ack c-1 maintenance Rejected: expired 2.0 s ago");
    }
}
