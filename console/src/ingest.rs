//! Ingestion: the console follows every kiosk's status, events, health, command acks and
//! configuration documents on the broker and stores them ([`crate::db`], [`crate::commands`],
//! [`crate::rollouts`]). The same connection carries what the console sends.
//!
//! - A persistent MQTT session (fixed client id, clean session off): what kiosks publish while
//!   the console is down waits at the broker (Mosquitto with `persistence true` keeps it across
//!   its own restarts).
//! - Events are acknowledged to the broker only once stored (manual acks): a console killed
//!   between receiving and storing gets them again, and the store drops the duplicate by id.
//! - Several head-office consoles share the events through a shared subscription
//!   (`$share/GROUP/…`), each event to one of them; status and health go to all.
//! - A message that does not parse is logged with its topic and dropped (acknowledged, so it is
//!   not redelivered for ever); a database error leaves the event unacknowledged and the
//!   connection is restarted, so the broker delivers it again.

use std::{sync::Arc, time::Duration};

use protocol::{
    command::{CommandAck, DesiredConfig, ReportedConfig},
    mqtt_url::BrokerUrl,
    telemetry::{EventEnvelope, Health, KioskStatus},
    topics::{KioskTopics, fleet_filter, request_replies, store_requests},
};
use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, Publish, QoS, TlsConfiguration, Transport};
use tokio::sync::broadcast;

use crate::{
    commands,
    db::{ConfigDocument, Database, Stored},
    history, rollouts,
};

/// How the console reaches the broker.
#[derive(Debug, Clone)]
pub struct IngestSettings {
    pub broker: String,
    pub username: String,
    pub password: String,
    pub ca_file: String,
    /// The persistent session's client id (one per console instance).
    pub client_id: String,
    /// Head office with several consoles: the shared-subscription group for events.
    pub share_group: Option<String>,
}

impl IngestSettings {
    /// A broker without credentials or TLS (a store's own Mosquitto on the same host; tests).
    pub fn anonymous(broker: String, client_id: &str) -> Self {
        Self {
            broker,
            username: String::new(),
            password: String::new(),
            ca_file: String::new(),
            client_id: client_id.to_owned(),
            share_group: None,
        }
    }
}

/// What changed, for the pages' live updates (and the size-request board).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Kiosk(String),
    /// A command's targets (its id).
    Command(String),
    /// A rollout's state or targets (its id).
    Rollout(String),
    /// A store's size-request board (the store's id).
    Requests(String),
}

/// Where ingestion puts what it hears.
#[derive(Debug, Clone)]
pub struct Sinks {
    pub db: Arc<Database>,
    pub boards: Arc<crate::requests::Boards>,
    pub changes: broadcast::Sender<Change>,
}

fn topics(share_group: Option<&str>) -> [(String, QoS); 8] {
    let events = fleet_filter("+", "events");
    let events = match share_group {
        Some(group) => format!("$share/{group}/{events}"),
        None => events,
    };
    [
        (fleet_filter("+", "status"), QoS::AtLeastOnce),
        (events, QoS::AtLeastOnce),
        (fleet_filter("+", "health"), QoS::AtMostOnce),
        (fleet_filter("+", "cmd/ack"), QoS::AtLeastOnce),
        (fleet_filter("+", "config"), QoS::AtLeastOnce),
        (fleet_filter("+", "config/reported"), QoS::AtLeastOnce),
        (store_requests("+"), QoS::AtLeastOnce),
        (request_replies("+", "+"), QoS::AtLeastOnce),
    ]
}

/// The console's broker connection: the client sends (commands, rollouts), the event loop is
/// [`follow`]ed. Nothing is sent on the network until the loop is polled.
pub fn connect(settings: &IngestSettings) -> anyhow::Result<(AsyncClient, EventLoop)> {
    let url = BrokerUrl::parse(&settings.broker).map_err(|e| anyhow::anyhow!("--broker: {e}"))?;
    let mut options = MqttOptions::new(&settings.client_id, url.host, url.port);
    options
        .set_keep_alive(Duration::from_secs(15))
        .set_clean_session(false)
        .set_manual_acks(true)
        .set_max_packet_size(1 << 20, 1 << 20);
    if !settings.username.is_empty() {
        options.set_credentials(&settings.username, &settings.password);
    }
    if url.tls {
        let tls = telemetry::tls::client_config(&settings.ca_file, "--ca-file", None).map_err(anyhow::Error::msg)?;
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(tls)));
    }
    Ok(AsyncClient::new(options, 256))
}

/// Follows the broker until the process ends, reconnecting after every failure.
pub async fn follow(client: AsyncClient, mut eventloop: EventLoop, share_group: Option<String>, sinks: Sinks) {
    let Sinks { db, boards, changes } = sinks;
    let recent = history::Recent::default();
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                tracing::info!("console: connected to the broker");
                for (filter, qos) in topics(share_group.as_deref()) {
                    if let Err(e) = client.subscribe(filter.clone(), qos).await {
                        tracing::warn!("console: subscribe {filter}: {e}");
                    }
                }
            }
            Ok(Event::Incoming(Packet::Publish(publish))) => match store(&db, &boards, &recent, &publish).await {
                Ok(kiosk) => {
                    if let Err(e) = client.ack(&publish).await {
                        tracing::warn!("console: ack: {e}");
                    }
                    if let Some(change) = kiosk {
                        let _ = changes.send(change);
                    }
                }
                Err(e) => {
                    // Unacknowledged: the broker sends it again after the reconnect.
                    tracing::warn!("console: could not store a message on {}: {e}; reconnecting", publish.topic);
                    let _ = client.disconnect().await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            },
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("console: broker: {e}; retrying in 2 s");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// The message as `T`, or `None` with a warning naming its topic.
fn parse<T: serde::de::DeserializeOwned>(what: &str, publish: &Publish) -> Option<T> {
    serde_json::from_slice(&publish.payload)
        .inspect_err(|e| tracing::warn!("console: ignored a malformed {what} on {}: {e}", publish.topic))
        .ok()
}

/// Stores one message; `Ok(Some(change))` when something changed, `Ok(None)` when there was
/// nothing to store (a duplicate, a malformed message, an unknown topic).
async fn store(
    db: &Database,
    boards: &crate::requests::Boards,
    recent: &history::Recent,
    publish: &Publish,
) -> Result<Option<Change>, crate::db::DbError> {
    if let Some(store) = boards.on_message(&publish.topic, &publish.payload) {
        if let Some((kiosk, record)) = crate::requests::staff_record(&publish.topic, &publish.payload) {
            db.count_staff_record(&kiosk, &record).await?;
        }
        return Ok(Some(Change::Requests(store)));
    }
    let Some(kiosk) = KioskTopics::kiosk_of(&publish.topic) else { return Ok(None) };
    let topics = KioskTopics::new(kiosk);
    if publish.topic == topics.events {
        let Some(envelope) = parse::<EventEnvelope>("event", publish) else { return Ok(None) };
        if envelope.kiosk.as_str() != kiosk {
            tracing::warn!("console: ignored an event of {} on {}", envelope.kiosk, publish.topic);
            return Ok(None);
        }
        return Ok((db.record_event(&envelope).await? == Stored::New).then(|| Change::Kiosk(kiosk.to_owned())));
    }
    if publish.topic == topics.status {
        // A retained status cleared with an empty payload (a kiosk removed from the fleet).
        if publish.payload.is_empty() {
            return Ok(None);
        }
        let Some(status) = parse::<KioskStatus>("status", publish) else { return Ok(None) };
        db.record_status(&status).await?;
        history::observe(db, recent, kiosk, None, protocol::telemetry::now_ms() as i64).await?;
        return Ok(Some(Change::Kiosk(kiosk.to_owned())));
    }
    if publish.topic == topics.health {
        let Some(health) = parse::<Health>("health", publish) else { return Ok(None) };
        db.record_health(&health).await?;
        history::observe(db, recent, kiosk, Some(&health), protocol::telemetry::now_ms() as i64).await?;
        return Ok(Some(Change::Kiosk(kiosk.to_owned())));
    }
    if publish.topic == topics.cmd_ack {
        let Some(ack) = parse::<CommandAck>("command ack", publish) else { return Ok(None) };
        if ack.kiosk.as_str() != kiosk {
            tracing::warn!("console: ignored an ack of {} on {}", ack.kiosk, publish.topic);
            return Ok(None);
        }
        return Ok(commands::record_ack(db, &ack).await?.map(Change::Command));
    }
    if publish.topic == topics.config || publish.topic == topics.config_reported {
        let desired = publish.topic == topics.config;
        let body = if publish.payload.is_empty() {
            None
        } else if desired {
            parse::<DesiredConfig>("desired configuration", publish).and_then(|d| serde_json::to_string(&d).ok())
        } else {
            parse::<ReportedConfig>("reported configuration", publish).and_then(|r| serde_json::to_string(&r).ok())
        };
        let document = if desired { ConfigDocument::Desired } else { ConfigDocument::Reported };
        db.record_config(kiosk, document, body.as_deref()).await?;
        if !desired && let Some(report) = parse::<ReportedConfig>("reported configuration", publish) {
            if let Some(rollout) = rollouts::record_report(db, &report).await? {
                return Ok(Some(Change::Rollout(rollout)));
            }
        }
        return Ok(Some(Change::Kiosk(kiosk.to_owned())));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_shared_among_head_office_consoles_and_the_rest_go_to_all() {
        let [status, events, health, acks, ..] = topics(Some("console"));
        assert_eq!(acks.0, "mirror/v1/kiosks/+/cmd/ack");
        assert_eq!(status.0, "mirror/v1/kiosks/+/status");
        assert_eq!(events.0, "$share/console/mirror/v1/kiosks/+/events");
        assert_eq!(health.0, "mirror/v1/kiosks/+/health");
        assert_eq!(topics(None)[1].0, "mirror/v1/kiosks/+/events");
    }
}
