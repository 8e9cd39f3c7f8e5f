//! Events per second through the outbox into a real Mosquitto on loopback, the replay rate after
//! an outage (with and without `set_tcp_nodelay` on the broker), and, as the baseline in the same
//! run, bare rumqttc QoS 1 publishing with no outbox.
//!
//! `cargo bench -p telemetry --bench outbox_mqtt` prints a markdown table.

use std::time::{Duration, Instant};

use protocol::{
    mqtt_url::BrokerUrl,
    session::EndReason,
    telemetry::{EVENT_SCHEMA_VERSION, EventEnvelope, EventId, Ident, UsageEvent, now_ms},
    topics::KioskTopics,
};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use telemetry::{
    link::{BrokerSettings, Identity, Link, Target, WINDOW},
    outbox::{Outbox, OutboxLimits},
};
use testkit::{BrokerSetup, Mosquitto, Watcher, WatcherOptions};

const SUSTAINED: Duration = Duration::from_secs(5);
const OUTAGE_EVENTS: u64 = 20_000;

fn event(n: u64) -> UsageEvent {
    UsageEvent::SessionEnded { duration_ms: n, reason: EndReason::Timeout }
}

fn start_link(broker: &Mosquitto, dir: &std::path::Path) -> anyhow::Result<Link> {
    let (outbox, _) = Outbox::open(dir, OutboxLimits::with_max_bytes(256 << 20))?;
    let settings = BrokerSettings {
        url: BrokerUrl::parse(&broker.url()).map_err(anyhow::Error::msg)?,
        username: String::new(),
        password: String::new(),
        tls: None,
        keep_alive: Duration::from_secs(30),
        reconnect_initial: Duration::from_millis(100),
        reconnect_max: Duration::from_millis(500),
    };
    let identity = Identity { kiosk: Ident::new("bench")?, store: Ident::new("store")?, version: "bench".into() };
    Ok(Link::start(identity, Target::Broker(settings), outbox)?)
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() > deadline {
            anyhow::bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// Events recorded one frame's worth at a time (up to 32), as fast as the link keeps the backlog
/// under a few windows; returns (events acknowledged per second, events the subscriber got).
fn sustained(broker: &Mosquitto, watcher: &Watcher) -> anyhow::Result<(f64, usize)> {
    let dir = tempfile::tempdir()?;
    let link = start_link(broker, dir.path())?;
    wait_for("connection", Duration::from_secs(10), || link.is_connected())?;
    let started = Instant::now();
    let mut recorded = 0u64;
    while started.elapsed() < SUSTAINED {
        if link.stats().depth < 4 * WINDOW as u64 {
            let batch: Vec<_> = (0..32).map(|i| (event(recorded + i), now_ms(), None)).collect();
            recorded += link.record(batch)?.len() as u64;
        } else {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    wait_for("acks", Duration::from_secs(30), || link.stats().depth == 0)?;
    let elapsed = started.elapsed();
    let topic = KioskTopics::new("bench").events;
    wait_for("delivery", Duration::from_secs(30), || watcher.on(&topic).len() as u64 >= recorded)?;
    Ok((recorded as f64 / elapsed.as_secs_f64(), watcher.on(&topic).len()))
}

/// Appends while the broker is down, then measures how fast the backlog drains after it returns.
fn outage(broker: &mut Mosquitto) -> anyhow::Result<(f64, f64)> {
    let dir = tempfile::tempdir()?;
    let link = start_link(broker, dir.path())?;
    wait_for("connection", Duration::from_secs(10), || link.is_connected())?;
    broker.stop()?;
    wait_for("disconnect", Duration::from_secs(10), || !link.is_connected())?;
    let appending = Instant::now();
    for chunk in 0..OUTAGE_EVENTS / 100 {
        link.record((0..100).map(|i| (event(chunk * 100 + i), now_ms(), None)))?;
    }
    let append_rate = OUTAGE_EVENTS as f64 / appending.elapsed().as_secs_f64();
    broker.restart()?;
    wait_for("reconnect", Duration::from_secs(10), || link.is_connected())?;
    let replaying = Instant::now();
    wait_for("replay", Duration::from_secs(120), || link.stats().depth == 0)?;
    Ok((append_rate, OUTAGE_EVENTS as f64 / replaying.elapsed().as_secs_f64()))
}

/// The same payloads published at QoS 1 straight through rumqttc: no disk, no ack bookkeeping.
fn bare_rumqttc(broker: &Mosquitto) -> anyhow::Result<f64> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut options = MqttOptions::new("bare", "127.0.0.1", broker.port);
        options.set_inflight(WINDOW as u16).set_max_packet_size(1 << 18, 1 << 18);
        let (client, mut eventloop) = AsyncClient::new(options, 4 * WINDOW);
        let payload = serde_json::to_vec(&EventEnvelope {
            v: EVENT_SCHEMA_VERSION,
            id: EventId::new(),
            seq: 1,
            kiosk: Ident::new("bare")?,
            at_ms: now_ms(),
            session: None,
            event: event(1),
        })?;
        let topic = KioskTopics::new("bare").events;
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let publisher = {
            let (client, sent) = (client.clone(), sent.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                while started.elapsed() < SUSTAINED
                    && client.publish(&topic, QoS::AtLeastOnce, false, payload.clone()).await.is_ok()
                {
                    sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
        };
        let started = Instant::now();
        let mut acked = 0u64;
        while !publisher.is_finished() || acked < sent.load(std::sync::atomic::Ordering::Relaxed) {
            if started.elapsed() > SUSTAINED + Duration::from_secs(30) {
                anyhow::bail!("bare client: acks stopped at {acked}");
            }
            match tokio::time::timeout(Duration::from_millis(50), eventloop.poll()).await {
                Ok(Ok(Event::Incoming(Packet::PubAck(_)))) => acked += 1,
                Ok(Ok(_)) | Err(_) => {}
                Ok(Err(e)) => anyhow::bail!("bare client: {e}"),
            }
        }
        Ok(acked as f64 / started.elapsed().as_secs_f64())
    })
}

fn main() -> anyhow::Result<()> {
    let mut broker = Mosquitto::start()?;
    let watcher = Watcher::start(broker.port, &[&KioskTopics::new("bench").events], WatcherOptions::default())?;
    let bare = bare_rumqttc(&broker)?;
    let (rate, delivered) = sustained(&broker, &watcher)?;
    drop(watcher);
    let (append_rate, replay_rate) = outage(&mut broker)?;
    let mut plain =
        Mosquitto::start_with(&BrokerSetup { persistence: true, tcp_nodelay_off: true, ..BrokerSetup::default() })?;
    let (_, replay_without_nodelay) = outage(&mut plain)?;
    println!("| path (Mosquitto on loopback, QoS 1, ~150-byte events) | events/s |");
    println!("|---|---:|");
    println!("| baseline: bare rumqttc publish, no outbox (5 s) | {bare:.0} |");
    println!("| outbox → fsync → publish → PUBACK → delete, sustained (5 s, {delivered} delivered) | {rate:.0} |");
    println!("| outbox append while the broker is down ({OUTAGE_EVENTS} events) | {append_rate:.0} |");
    println!("| replay of that backlog after the broker returns | {replay_rate:.0} |");
    println!("| the same replay, broker without `set_tcp_nodelay` (its default) | {replay_without_nodelay:.0} |");
    Ok(())
}
