//! The MQTT link: a thread that owns the broker connection (rumqttc), empties the [`Outbox`] into
//! the events topic, keeps the retained status and its Will, publishes health, acks and the
//! reported configuration, and hands validated commands and desired configurations to the app.
//!
//! Delivery: the outbox on disk is the source of truth. Each connection is a fresh rumqttc client
//! (a clean session), so nothing hides in rumqttc's queues across reconnects: after every connect
//! the link starts again from the oldest unacknowledged event. An event is fsynced before it is
//! published and deleted only when its PUBACK arrives (PUBACKs are mapped to events through the
//! order in which rumqttc reports outgoing publishes). At most [`WINDOW`] events are in flight.
//!
//! Size requests to the store's staff ([`ToStaff`]) take the same path as events (outbox, fsync,
//! PUBACK), so a request made during a broker outage reaches the staff when it is back; their
//! records carry a one-byte route prefix. Staff replies arrive as [`Inbound::StaffReply`].
//!
//! Without a broker ([`Target::Spool`]) the link appends each event to a local JSON-lines spool
//! and logs it, so a demo shows telemetry working end to end.

use std::{
    collections::{HashMap, VecDeque},
    fs::OpenOptions,
    io::{self, Write},
    path::PathBuf,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, Ordering},
        mpsc as std_mpsc,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use protocol::{
    command::{AckStatus, Command, CommandAck, DesiredConfig, ReportedConfig, parse_command},
    mqtt_url::BrokerUrl,
    requests::{StaffReply, ToStaff, parse_reply},
    telemetry::{
        EVENT_SCHEMA_VERSION, EventEnvelope, EventId, Health, Ident, KioskStatus, Presence, SCHEMA_VERSION, SessionId,
        UsageEvent, now_ms,
    },
    topics::{KioskTopics, request_replies, store_requests},
};
use rumqttc::{
    AsyncClient, ConnectionError, Event, EventLoop, LastWill, MqttOptions, Outgoing, Packet, QoS, SubscribeReasonCode,
    TlsConfiguration, Transport,
};
use tokio::sync::mpsc;

use crate::outbox::{Outbox, OutboxStats};

/// Events published and not yet acknowledged, at most.
pub const WINDOW: usize = 128;
/// Largest MQTT packet in either direction (rumqttc's default is 10 KiB; see
/// [`protocol::topics::MAX_PACKET_BYTES`] for what the broker must promise).
pub const MAX_PACKET: usize = protocol::topics::MAX_PACKET_BYTES;
/// The local spool is rotated (one previous file kept) past this size.
const SPOOL_MAX_BYTES: u64 = 8 << 20;
/// How long a planned exit waits for the broker to acknowledge what the outbox holds.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);
/// Rejections of malformed commands answered per second; beyond that they are only logged.
const NACKS_PER_SECOND: u32 = 50;

/// Who the link speaks for.
#[derive(Debug, Clone)]
pub struct Identity {
    pub kiosk: Ident,
    pub store: Ident,
    pub version: String,
}

/// Where events go.
#[derive(Debug, Clone)]
pub enum Target {
    Broker(BrokerSettings),
    /// No broker: a JSON-lines file, logged as it grows.
    Spool(PathBuf),
}

/// How to reach the broker.
#[derive(Debug, Clone)]
pub struct BrokerSettings {
    pub url: BrokerUrl,
    /// Empty: no credentials.
    pub username: String,
    pub password: String,
    /// Required for `mqtts://`.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub keep_alive: Duration,
    pub reconnect_initial: Duration,
    pub reconnect_max: Duration,
}

/// What the link hands to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// A validated, unexpired command; answer it with [`Link::ack`].
    Command(Command),
    /// The retained desired configuration (on every connect and on every change).
    DesiredConfig(DesiredConfig),
    /// An associate's answer to one of this kiosk's size requests, with its (retained) topic.
    StaffReply { reply: StaffReply, topic: String },
}

/// Outbox records that go to the store's request topic start with this byte; event envelopes
/// start with `{`.
const STORE_ROUTE: u8 = b'R';

enum ToLink {
    Flush,
    Health(Box<Health>),
    Ack(CommandAck),
    Reported(ReportedConfig),
    Maintenance(bool),
    /// Removes a retained message (a staff reply the kiosk has dealt with).
    ClearRetained(String),
    Shutdown,
}

/// Handle to the link thread. Dropping it shuts the link down cleanly (offline status, disconnect).
pub struct Link {
    outbox: Arc<Mutex<Outbox>>,
    to_link: mpsc::UnboundedSender<ToLink>,
    inbound: Mutex<std_mpsc::Receiver<Inbound>>,
    connected: Arc<AtomicBool>,
    identity: Identity,
    thread: Option<JoinHandle<()>>,
}

impl Link {
    /// Starts the link thread over `outbox`.
    pub fn start(identity: Identity, target: Target, outbox: Outbox) -> io::Result<Self> {
        let outbox = Arc::new(Mutex::new(outbox));
        let (to_link, from_app) = mpsc::unbounded_channel();
        let (to_app, inbound) = std_mpsc::channel();
        let connected = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            identity: identity.clone(),
            topics: KioskTopics::new(identity.kiosk.as_str()),
            store_requests: store_requests(identity.store.as_str()),
            replies: request_replies(identity.store.as_str(), identity.kiosk.as_str()),
            outbox: outbox.clone(),
            from_app,
            to_app,
            connected: connected.clone(),
            maintenance: false,
            unsent: VecDeque::new(),
            nacks: RateLimit::new(NACKS_PER_SECOND),
        };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name("mqtt-link".into()).spawn(move || {
            runtime.block_on(worker.run(target));
        })?;
        Ok(Self { outbox, to_link, inbound: Mutex::new(inbound), connected, identity, thread: Some(thread) })
    }

    /// Writes events (each with when it happened and the shopper's session it belongs to) to the
    /// outbox, each with a new id and the next sequence number, and wakes the link. When this
    /// returns the events are on disk; they are published after an fsync.
    pub fn record(
        &self,
        events: impl IntoIterator<Item = (UsageEvent, u64, Option<SessionId>)>,
    ) -> io::Result<Vec<u64>> {
        let mut outbox = lock(&self.outbox);
        let mut sequence_numbers = Vec::new();
        for (event, at_ms, session) in events {
            let kiosk = self.identity.kiosk.clone();
            let seq = outbox.append(|seq| {
                let envelope =
                    EventEnvelope { v: EVENT_SCHEMA_VERSION, id: EventId::new(), seq, kiosk, at_ms, session, event };
                serde_json::to_vec(&envelope).unwrap_or_default()
            })?;
            sequence_numbers.push(seq);
        }
        drop(outbox);
        if !sequence_numbers.is_empty() {
            let _ = self.to_link.send(ToLink::Flush);
        }
        Ok(sequence_numbers)
    }

    /// Writes a message for the store's staff to the outbox (same guarantees as events).
    pub fn send_to_staff(&self, message: &ToStaff) -> io::Result<u64> {
        let mut payload = vec![STORE_ROUTE];
        serde_json::to_writer(&mut payload, message).map_err(io::Error::other)?;
        let seq = lock(&self.outbox).append(|_| payload)?;
        let _ = self.to_link.send(ToLink::Flush);
        Ok(seq)
    }

    /// Clears a retained staff reply once the kiosk has dealt with it.
    pub fn clear_retained(&self, topic: String) {
        let _ = self.to_link.send(ToLink::ClearRetained(topic));
    }

    /// Publishes a health report (QoS 0; dropped while disconnected).
    pub fn health(&self, health: Health) {
        let _ = self.to_link.send(ToLink::Health(Box::new(health)));
    }

    /// Answers a command (QoS 1; kept until connected).
    pub fn ack(&self, ack: CommandAck) {
        let _ = self.to_link.send(ToLink::Ack(ack));
    }

    /// Publishes what became of the desired configuration (retained).
    pub fn report_config(&self, report: ReportedConfig) {
        let _ = self.to_link.send(ToLink::Reported(report));
    }

    /// Updates the retained status's maintenance flag.
    pub fn set_maintenance(&self, on: bool) {
        let _ = self.to_link.send(ToLink::Maintenance(on));
    }

    /// The next command or desired configuration, if one arrived.
    pub fn try_recv(&self) -> Option<Inbound> {
        self.inbound.lock().ok()?.try_recv().ok()
    }

    /// Waits up to `timeout` for the next command or desired configuration.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Inbound> {
        self.inbound.lock().ok()?.recv_timeout(timeout).ok()
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    pub fn stats(&self) -> OutboxStats {
        lock(&self.outbox).stats()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.to_link.send(ToLink::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(outbox: &Mutex<Outbox>) -> MutexGuard<'_, Outbox> {
    outbox.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why a connection ended.
enum End {
    Shutdown,
    Lost { reason: String, was_connected: bool },
}

struct Worker {
    identity: Identity,
    topics: KioskTopics,
    /// The store's request topic and the filter for replies to this kiosk.
    store_requests: String,
    replies: String,
    outbox: Arc<Mutex<Outbox>>,
    from_app: mpsc::UnboundedReceiver<ToLink>,
    to_app: std_mpsc::Sender<Inbound>,
    connected: Arc<AtomicBool>,
    maintenance: bool,
    /// Acks and reports that wait for a connection: (topic, payload, retain).
    unsent: VecDeque<(String, Vec<u8>, bool)>,
    nacks: RateLimit,
}

/// Publishes in the order rumqttc will report them as sent: `Some(seq)` for events.
#[derive(Default)]
struct InFlight {
    order: VecDeque<Option<u64>>,
    by_packet: HashMap<u16, u64>,
    events: usize,
}

impl InFlight {
    fn queued(&mut self, event: Option<u64>) {
        self.events += usize::from(event.is_some());
        self.order.push_back(event);
    }

    fn sent(&mut self, packet_id: u16) {
        if let Some(Some(seq)) = self.order.pop_front() {
            self.by_packet.insert(packet_id, seq);
        }
    }

    fn acknowledged(&mut self, packet_id: u16) -> Option<u64> {
        let seq = self.by_packet.remove(&packet_id)?;
        self.events -= 1;
        Some(seq)
    }
}

impl Worker {
    async fn run(mut self, target: Target) {
        match target {
            Target::Broker(settings) => self.run_broker(&settings).await,
            Target::Spool(path) => self.run_spool(&path).await,
        }
        self.checkpoint();
    }

    fn status(&self, state: Presence) -> Vec<u8> {
        let status = KioskStatus {
            v: SCHEMA_VERSION,
            kiosk: self.identity.kiosk.clone(),
            store: self.identity.store.clone(),
            state,
            maintenance: self.maintenance,
            version: self.identity.version.clone(),
            at_ms: now_ms(),
        };
        serde_json::to_vec(&status).unwrap_or_default()
    }

    fn options(&self, settings: &BrokerSettings) -> MqttOptions {
        let mut options = MqttOptions::new(self.identity.kiosk.as_str(), &settings.url.host, settings.url.port);
        options
            .set_keep_alive(settings.keep_alive)
            .set_clean_session(true)
            .set_max_packet_size(MAX_PACKET, MAX_PACKET)
            .set_inflight((WINDOW + 64) as u16)
            .set_request_channel_capacity(4 * WINDOW)
            .set_last_will(LastWill::new(&self.topics.status, self.status(Presence::Lost), QoS::AtLeastOnce, true));
        if !settings.username.is_empty() || !settings.password.is_empty() {
            options.set_credentials(&settings.username, &settings.password);
        }
        if let Some(tls) = &settings.tls {
            options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(tls.clone())));
        }
        options
    }

    async fn run_broker(&mut self, settings: &BrokerSettings) {
        let mut backoff = settings.reconnect_initial;
        loop {
            let (client, mut eventloop) = AsyncClient::new(self.options(settings), 4 * WINDOW);
            let mut network = rumqttc::NetworkOptions::new();
            network.set_tcp_nodelay(true);
            eventloop.set_network_options(network);
            match self.connection(&client, &mut eventloop).await {
                End::Shutdown => return,
                End::Lost { reason, was_connected } => {
                    self.connected.store(false, Ordering::Relaxed);
                    if was_connected {
                        backoff = settings.reconnect_initial;
                    }
                    let wait = jittered(backoff);
                    tracing::warn!(
                        "telemetry: broker {}:{} {}: {reason}; retrying in {:.1} s ({} events wait on disk)",
                        settings.url.host,
                        settings.url.port,
                        if was_connected { "connection lost" } else { "unreachable" },
                        wait.as_secs_f32(),
                        lock(&self.outbox).stats().depth,
                    );
                    if self.wait_offline(wait).await {
                        return;
                    }
                    backoff = (backoff * 2).min(settings.reconnect_max);
                }
            }
        }
    }

    /// Sleeps between connection attempts while keeping the app's messages; true on shutdown.
    async fn wait_offline(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => return false,
                message = self.from_app.recv() => match message {
                    None | Some(ToLink::Shutdown) => return true,
                    Some(message) => self.keep_for_later(message),
                },
            }
        }
    }

    fn keep_for_later(&mut self, message: ToLink) {
        match message {
            ToLink::Ack(ack) => {
                let payload = serde_json::to_vec(&ack).unwrap_or_default();
                self.unsent.push_back((self.topics.cmd_ack.clone(), payload, false));
            }
            ToLink::Reported(report) => {
                let payload = serde_json::to_vec(&report).unwrap_or_default();
                self.unsent.retain(|(topic, _, _)| *topic != self.topics.config_reported);
                self.unsent.push_back((self.topics.config_reported.clone(), payload, true));
            }
            ToLink::Maintenance(on) => self.maintenance = on,
            ToLink::ClearRetained(topic) => self.unsent.push_back((topic, Vec::new(), true)),
            // Events stay in the outbox; health is only worth sending fresh.
            ToLink::Flush | ToLink::Health(_) | ToLink::Shutdown => {}
        }
    }

    async fn connection(&mut self, client: &AsyncClient, eventloop: &mut EventLoop) -> End {
        // rumqttc's `poll` must not be cancelled while it connects: a dropped connect leaves a
        // second session that the broker later replaces, publishing this kiosk's Will. So the
        // connect is awaited on its own (bounded by the connection timeout); messages from the
        // app wait in their channel meanwhile.
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => break,
                Ok(_) => {}
                Err(e) => return End::Lost { reason: describe(&e), was_connected: false },
            }
        }
        self.connected.store(true, Ordering::Relaxed);
        tracing::info!("telemetry: connected to the broker as {}", self.identity.kiosk);
        let mut in_flight = InFlight::default();
        let _ = client.try_subscribe(&self.topics.cmd, QoS::AtLeastOnce);
        let _ = client.try_subscribe(&self.topics.config, QoS::AtLeastOnce);
        let _ = client.try_subscribe(&self.replies, QoS::AtLeastOnce);
        self.publish(client, &mut in_flight, &self.topics.status.clone(), self.status(Presence::Online), true);
        while let Some((topic, payload, retain)) = self.unsent.pop_front() {
            self.publish(client, &mut in_flight, &topic, payload, retain);
        }
        let mut next_seq = lock(&self.outbox).first_unacked();
        self.top_up(client, &mut in_flight, &mut next_seq);
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tokio::select! {
                event = eventloop.poll() => match event {
                    Ok(Event::Outgoing(Outgoing::Publish(packet_id))) => in_flight.sent(packet_id),
                    Ok(Event::Incoming(Packet::PubAck(ack))) => {
                        if let Some(seq) = in_flight.acknowledged(ack.pkid) {
                            let mut outbox = lock(&self.outbox);
                            if let Err(e) = outbox.ack(seq) {
                                tracing::error!("telemetry: outbox {}: cannot record an acknowledgement: {e}", outbox.dir().display());
                            }
                            drop(outbox);
                            // Refill in batches, not one read per ack.
                            if in_flight.events <= WINDOW / 2 {
                                self.top_up(client, &mut in_flight, &mut next_seq);
                            }
                        }
                    }
                    Ok(Event::Incoming(Packet::Publish(publish))) => self.incoming(client, &mut in_flight, &publish.topic, &publish.payload),
                    Ok(Event::Incoming(Packet::SubAck(ack))) => {
                        if ack.return_codes.iter().any(|code| matches!(code, SubscribeReasonCode::Failure)) {
                            tracing::error!("telemetry: the broker refused a subscription to {}/…: check its ACL", self.topics.cmd);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => return End::Lost { reason: describe(&e), was_connected: true },
                },
                message = self.from_app.recv() => match message {
                    None | Some(ToLink::Shutdown) => {
                        self.drain(client, eventloop, &mut in_flight, &mut next_seq).await;
                        self.goodbye(client, eventloop).await;
                        return End::Shutdown;
                    }
                    Some(ToLink::Flush) => self.top_up(client, &mut in_flight, &mut next_seq),
                    Some(ToLink::Health(health)) => {
                        let payload = serde_json::to_vec(&health).unwrap_or_default();
                        if client.try_publish(&self.topics.health, QoS::AtMostOnce, false, payload).is_ok() {
                            in_flight.queued(None);
                        }
                    }
                    Some(ToLink::Ack(ack)) => {
                        let payload = serde_json::to_vec(&ack).unwrap_or_default();
                        self.publish(client, &mut in_flight, &self.topics.cmd_ack.clone(), payload, false);
                    }
                    Some(ToLink::Reported(report)) => {
                        let payload = serde_json::to_vec(&report).unwrap_or_default();
                        self.publish(client, &mut in_flight, &self.topics.config_reported.clone(), payload, true);
                    }
                    // The retained status changes on connect and when maintenance changes, not on
                    // every session (the app reports its phase, which changes far more often).
                    Some(ToLink::Maintenance(on)) if on != self.maintenance => {
                        self.maintenance = on;
                        self.publish(client, &mut in_flight, &self.topics.status.clone(), self.status(Presence::Online), true);
                    }
                    Some(ToLink::Maintenance(_)) => {}
                    Some(ToLink::ClearRetained(topic)) => self.publish(client, &mut in_flight, &topic, Vec::new(), true),
                },
                _ = tick.tick() => {
                    self.checkpoint();
                    self.top_up(client, &mut in_flight, &mut next_seq);
                }
            }
        }
    }

    /// Publishes at QoS 1 outside the event stream (status, acks, reports).
    fn publish(&mut self, client: &AsyncClient, in_flight: &mut InFlight, topic: &str, payload: Vec<u8>, retain: bool) {
        match client.try_publish(topic, QoS::AtLeastOnce, retain, payload.clone()) {
            Ok(()) => in_flight.queued(None),
            Err(_) => self.unsent.push_back((topic.to_string(), payload, retain)),
        }
    }

    /// Publishes stored events from `next_seq` on while the window has room; fsyncs first.
    fn top_up(&mut self, client: &AsyncClient, in_flight: &mut InFlight, next_seq: &mut u64) {
        let room = WINDOW.saturating_sub(in_flight.events);
        if room == 0 {
            return;
        }
        let records = {
            let mut outbox = lock(&self.outbox);
            if let Err(e) = outbox.sync() {
                tracing::error!("telemetry: outbox {}: fsync failed, holding events back: {e}", outbox.dir().display());
                return;
            }
            match outbox.read_from(*next_seq, room) {
                Ok(records) => records,
                Err(e) => {
                    tracing::error!("telemetry: outbox {}: cannot read events: {e}", outbox.dir().display());
                    return;
                }
            }
        };
        for mut record in records {
            let topic = if record.payload.first() == Some(&STORE_ROUTE) {
                record.payload.remove(0);
                &self.store_requests
            } else {
                &self.topics.events
            };
            if client.try_publish(topic, QoS::AtLeastOnce, false, record.payload).is_err() {
                break;
            }
            in_flight.queued(Some(record.seq));
            *next_seq = record.seq + 1;
        }
    }

    fn incoming(&mut self, client: &AsyncClient, in_flight: &mut InFlight, topic: &str, payload: &[u8]) {
        if topic == self.topics.cmd {
            match parse_command(payload, now_ms()) {
                Ok(command) => {
                    tracing::info!(id = %command.id, "telemetry: command {}", command.action.name());
                    let _ = self.to_app.send(Inbound::Command(command));
                }
                Err(rejection) => {
                    let id = rejection.id.as_ref().map_or("-".to_string(), Ident::to_string);
                    if self.nacks.allow() {
                        tracing::warn!(%id, "telemetry: command rejected: {}", rejection.reason);
                        let ack = CommandAck {
                            v: SCHEMA_VERSION,
                            id: rejection.id,
                            kiosk: self.identity.kiosk.clone(),
                            action: None,
                            status: AckStatus::Rejected,
                            reason: Some(rejection.reason),
                            result: None,
                            at_ms: now_ms(),
                        };
                        let payload = serde_json::to_vec(&ack).unwrap_or_default();
                        self.publish(client, in_flight, &self.topics.cmd_ack.clone(), payload, false);
                    } else {
                        tracing::warn!(%id, "telemetry: command ignored (over {NACKS_PER_SECOND} rejections/s): {}", rejection.reason);
                    }
                }
            }
        } else if is_reply_topic(&self.replies, topic) {
            if payload.is_empty() {
                return; // a reply this kiosk (or the staff) cleared
            }
            match parse_reply(payload) {
                Ok(reply) => {
                    let _ = self.to_app.send(Inbound::StaffReply { reply, topic: topic.to_string() });
                }
                Err(e) => tracing::warn!("telemetry: staff reply on {topic} ignored: {e}"),
            }
        } else if topic == self.topics.config {
            if payload.is_empty() {
                return; // the retained desired configuration was cleared
            }
            match serde_json::from_slice::<DesiredConfig>(payload) {
                Ok(desired) => {
                    let _ = self.to_app.send(Inbound::DesiredConfig(desired));
                }
                Err(e) => {
                    tracing::warn!("telemetry: desired configuration on {topic} ignored: {e}");
                    let report = ReportedConfig {
                        v: SCHEMA_VERSION,
                        kiosk: self.identity.kiosk.clone(),
                        revision: None,
                        applied: false,
                        error: Some(format!("not a desired-configuration document: {e}")),
                        needs_restart: Vec::new(),
                        at_ms: now_ms(),
                    };
                    let payload = serde_json::to_vec(&report).unwrap_or_default();
                    self.publish(client, in_flight, &self.topics.config_reported.clone(), payload, true);
                }
            }
        }
    }

    /// Before a planned exit: publishes what the outbox holds (a session's end, a withdrawn size
    /// request) and waits for the broker's acknowledgements, for at most [`DRAIN_LIMIT`].
    /// Whatever is not acknowledged by then stays in the outbox for the next start.
    async fn drain(
        &mut self,
        client: &AsyncClient,
        eventloop: &mut EventLoop,
        in_flight: &mut InFlight,
        next_seq: &mut u64,
    ) {
        let deadline = tokio::time::Instant::now() + DRAIN_LIMIT;
        self.top_up(client, in_flight, next_seq);
        while lock(&self.outbox).stats().depth > 0 {
            match tokio::time::timeout_at(deadline, eventloop.poll()).await {
                Ok(Ok(Event::Outgoing(Outgoing::Publish(packet_id)))) => in_flight.sent(packet_id),
                Ok(Ok(Event::Incoming(Packet::PubAck(ack)))) => {
                    if let Some(seq) = in_flight.acknowledged(ack.pkid) {
                        let _ = lock(&self.outbox).ack(seq);
                        self.top_up(client, in_flight, next_seq);
                    }
                }
                Ok(Ok(_)) => {}
                Ok(Err(_)) | Err(_) => break,
            }
        }
        self.checkpoint();
    }

    /// A clean goodbye: the retained status says "offline" (not "lost"), then disconnect.
    async fn goodbye(&mut self, client: &AsyncClient, eventloop: &mut EventLoop) {
        let _ = client.try_publish(&self.topics.status, QoS::AtLeastOnce, true, self.status(Presence::Offline));
        let _ = client.try_disconnect();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
        while let Ok(Ok(event)) = tokio::time::timeout_at(deadline, eventloop.poll()).await {
            if matches!(event, Event::Outgoing(Outgoing::Disconnect)) {
                break;
            }
        }
    }

    fn checkpoint(&self) {
        let mut outbox = lock(&self.outbox);
        if let Err(e) = outbox.checkpoint() {
            tracing::error!("telemetry: outbox {}: cannot save its state: {e}", outbox.dir().display());
        }
    }

    async fn run_spool(&mut self, path: &std::path::Path) {
        tracing::info!(
            "telemetry: no broker configured (telemetry.broker_url is empty): events go to the local spool {}",
            path.display()
        );
        self.drain_to_spool(path);
        while let Some(message) = self.from_app.recv().await {
            match message {
                ToLink::Flush => self.drain_to_spool(path),
                ToLink::Health(health) => {
                    tracing::info!(
                        "telemetry health (local spool): {}",
                        serde_json::to_string(&health).unwrap_or_default()
                    );
                }
                ToLink::Shutdown => break,
                ToLink::Ack(_) | ToLink::Reported(_) | ToLink::Maintenance(_) | ToLink::ClearRetained(_) => {}
            }
        }
    }

    fn drain_to_spool(&mut self, path: &std::path::Path) {
        let mut outbox = lock(&self.outbox);
        let result = (|| -> io::Result<()> {
            outbox.sync()?;
            loop {
                let records = outbox.read_from(outbox.first_unacked(), WINDOW)?;
                if records.is_empty() {
                    return Ok(());
                }
                if std::fs::metadata(path).is_ok_and(|m| m.len() > SPOOL_MAX_BYTES) {
                    std::fs::rename(path, path.with_extension("jsonl.1"))?;
                }
                let mut spool = OpenOptions::new().create(true).append(true).open(path)?;
                for record in &records {
                    if let Some(message) = record.payload.strip_prefix(&[STORE_ROUTE]) {
                        tracing::warn!(
                            "size request (no broker configured, so no associate receives it): {}",
                            String::from_utf8_lossy(message)
                        );
                        continue;
                    }
                    tracing::info!("telemetry event (local spool): {}", String::from_utf8_lossy(&record.payload));
                    spool.write_all(&record.payload)?;
                    spool.write_all(b"\n")?;
                }
                spool.sync_data()?;
                for record in records {
                    outbox.ack(record.seq)?;
                }
                outbox.checkpoint()?;
            }
        })();
        if let Err(e) = result {
            tracing::error!("telemetry: local spool {}: {e}", path.display());
        }
    }
}

/// Connects to the broker once, as `kiosk` with a `-doctor` client id (so a running kiosk's
/// session is not taken over), and disconnects. Returns how long the connect took, or why it
/// failed (unreachable, TLS, refused credentials).
pub fn probe(kiosk: &Ident, settings: &BrokerSettings, timeout: Duration) -> Result<Duration, String> {
    let mut options = MqttOptions::new(format!("{kiosk}-doctor"), &settings.url.host, settings.url.port);
    options.set_keep_alive(Duration::from_secs(10)).set_clean_session(true);
    if !settings.username.is_empty() || !settings.password.is_empty() {
        options.set_credentials(&settings.username, &settings.password);
    }
    if let Some(tls) = &settings.tls {
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(tls.clone())));
    }
    let started = Instant::now();
    let (client, mut connection) = rumqttc::Client::new(options, 4);
    while started.elapsed() < timeout {
        match connection.recv_timeout(Duration::from_millis(200)) {
            Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) => {
                let took = started.elapsed();
                let _ = client.disconnect();
                return Ok(took);
            }
            Ok(Err(e)) => return Err(describe(&e)),
            Ok(Ok(_)) | Err(_) => {}
        }
    }
    Err(format!("no answer within {:.0} s", timeout.as_secs_f32()))
}

/// Whether `topic` matches the reply filter `…/requests/{kiosk}/+` (one more level).
fn is_reply_topic(filter: &str, topic: &str) -> bool {
    filter
        .strip_suffix('+')
        .and_then(|prefix| topic.strip_prefix(prefix))
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// A wait between `base / 2` and `base`, so kiosks that lost the broker together do not all
/// come back in the same instant.
fn jittered(base: Duration) -> Duration {
    base.mul_f64(rand::random_range(0.5..=1.0))
}

fn describe(error: &ConnectionError) -> String {
    match error {
        ConnectionError::ConnectionRefused(code) => format!("the broker refused the connection ({code:?})"),
        other => other.to_string(),
    }
}

/// At most `per_second` events per one-second window.
struct RateLimit {
    per_second: u32,
    window_start: Instant,
    used: u32,
}

impl RateLimit {
    fn new(per_second: u32) -> Self {
        Self { per_second, window_start: Instant::now(), used: 0 }
    }

    fn allow(&mut self) -> bool {
        if self.window_start.elapsed() >= Duration::from_secs(1) {
            self.window_start = Instant::now();
            self.used = 0;
        }
        self.used += 1;
        self.used <= self.per_second
    }
}
