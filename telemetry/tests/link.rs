//! The MQTT link against real Mosquitto brokers on free loopback ports: retained status, events
//! through a broker outage, commands and rejections, and the project's ACL.

use std::{
    collections::BTreeMap,
    path::Path,
    time::{Duration, Instant},
};

use protocol::{
    command::{AckStatus, CommandAck},
    mqtt_url::BrokerUrl,
    telemetry::{EventEnvelope, Ident, KioskStatus, Presence, UsageEvent, now_ms},
    topics::{KioskTopics, mosquitto_acl},
};
use telemetry::{
    link::{BrokerSettings, Identity, Inbound, Link, Target},
    outbox::{Outbox, OutboxLimits},
};
use testkit::{BrokerSetup, Mosquitto, Watcher, WatcherOptions};

fn ident(s: &str) -> Ident {
    Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
}

fn start_link(broker: &Mosquitto, kiosk: &str, dir: &Path) -> Link {
    let (outbox, _) = Outbox::open(dir, OutboxLimits::with_max_bytes(8 << 20)).unwrap_or_else(|e| panic!("{e}"));
    let settings = BrokerSettings {
        url: BrokerUrl::parse(&broker.url()).unwrap_or_else(|e| panic!("{e}")),
        username: String::new(),
        password: String::new(),
        tls: None,
        keep_alive: Duration::from_secs(5),
        reconnect_initial: Duration::from_millis(200),
        reconnect_max: Duration::from_secs(2),
    };
    let identity = Identity { kiosk: ident(kiosk), store: ident("store-1"), version: "test".into() };
    Link::start(identity, Target::Broker(settings), outbox).unwrap_or_else(|e| panic!("{e}"))
}

fn envelopes(watcher: &Watcher, topic: &str) -> Vec<EventEnvelope> {
    watcher.on(topic).iter().filter_map(|r| serde_json::from_slice(&r.payload).ok()).collect()
}

fn wait_connected(link: &Link) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !link.is_connected() {
        assert!(Instant::now() < deadline, "the link did not connect within 10 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn status_is_retained_and_a_clean_stop_says_offline() {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-status");
    let link = start_link(&broker, "k-status", dir.path());
    wait_connected(&link);
    link.set_maintenance(true);
    // A watcher that arrives later still sees the retained status.
    let watcher =
        Watcher::start(broker.port, &[&topics.status], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let status = |watcher: &Watcher| -> Vec<KioskStatus> {
        watcher.on(&topics.status).iter().filter_map(|r| serde_json::from_slice(&r.payload).ok()).collect()
    };
    assert!(
        watcher.wait_until(Duration::from_secs(5), |_| status(&watcher).iter().any(|s| s.maintenance)),
        "no retained status with maintenance on: {:?}",
        status(&watcher)
    );
    assert!(watcher.on(&topics.status)[0].retain, "the first status a new watcher gets is the retained one");
    assert_eq!(status(&watcher)[0].state, Presence::Online);
    drop(link);
    assert!(
        watcher.wait_until(Duration::from_secs(5), |_| status(&watcher)
            .last()
            .is_some_and(|s| s.state == Presence::Offline)),
        "{:?}",
        status(&watcher)
    );
}

#[test]
fn every_event_arrives_through_a_broker_outage() {
    let mut broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-outage");
    let analytics = WatcherOptions { client_id: "analytics".into(), persistent: true, ..WatcherOptions::default() };
    let watcher = Watcher::start(broker.port, &[&topics.events], analytics).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = start_link(&broker, "k-outage", dir.path());
    wait_connected(&link);

    // 20 events a second for 16 s; the broker is down from 2 s to 13 s.
    let started = Instant::now();
    let mut recorded = Vec::new();
    let mut down_at = None;
    let mut up_at = None;
    let mut depth_while_down = 0;
    while started.elapsed() < Duration::from_secs(16) {
        let event = UsageEvent::SessionEnded {
            duration_ms: recorded.len() as u64,
            reason: protocol::session::EndReason::Timeout,
        };
        recorded.extend(link.record([(event, now_ms(), None)]).unwrap_or_else(|e| panic!("record: {e}")));
        if down_at.is_none() && started.elapsed() > Duration::from_secs(2) {
            broker.stop().unwrap_or_else(|e| panic!("{e}"));
            down_at = Some(Instant::now());
        }
        if up_at.is_none() && started.elapsed() > Duration::from_secs(13) {
            depth_while_down = link.stats().depth;
            broker.restart().unwrap_or_else(|e| panic!("{e}"));
            up_at = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let outage = up_at.zip(down_at).map(|(up, down)| up - down).unwrap_or_default();
    assert!(outage >= Duration::from_secs(10), "the broker was down for {outage:?}");
    assert!(depth_while_down > 150, "events piled up on disk during the outage: {depth_while_down}");

    let last = *recorded.last().unwrap_or(&0);
    let complete = watcher.wait_until(Duration::from_secs(30), |_| {
        let seen: std::collections::BTreeSet<u64> = envelopes(&watcher, &topics.events).iter().map(|e| e.seq).collect();
        (1..=last).all(|seq| seen.contains(&seq))
    });
    let received = envelopes(&watcher, &topics.events);
    let mut ids_by_seq: BTreeMap<u64, std::collections::BTreeSet<String>> = BTreeMap::new();
    for envelope in &received {
        ids_by_seq.entry(envelope.seq).or_default().insert(envelope.id.0.to_string());
    }
    let missing: Vec<u64> = recorded.iter().copied().filter(|seq| !ids_by_seq.contains_key(seq)).collect();
    assert!(complete && missing.is_empty(), "{} of {} events missing: {missing:?}", missing.len(), recorded.len());
    assert!(ids_by_seq.values().all(|ids| ids.len() == 1), "a duplicate carries the same id as the original");
    assert_eq!(recorded, (1..=last).collect::<Vec<_>>(), "sequence numbers count up by one");
    println!(
        "{} events, outage {:.1} s, {} waited on disk, {} deliveries ({} duplicates removable by id)",
        recorded.len(),
        outage.as_secs_f32(),
        depth_while_down,
        received.len(),
        received.len() - ids_by_seq.len()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while link.stats().depth > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(link.stats().depth, 0, "acknowledged events leave the outbox");

    // The link subscribed again after reconnecting: commands reach it.
    let command = format!(
        r#"{{"v":1,"id":"after-outage","expires_at_ms":{},"action":{{"type":"identify","seconds":3}}}}"#,
        now_ms() + 60_000
    );
    watcher.publish(&topics.cmd, command, false).unwrap_or_else(|e| panic!("{e}"));
    match link.recv_timeout(Duration::from_secs(5)) {
        Some(Inbound::Command(command)) => assert_eq!(command.id.as_str(), "after-outage"),
        other => panic!("no command after the reconnect: {other:?}"),
    }
}

#[test]
fn commands_are_handed_over_and_bad_ones_rejected() {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-cmd");
    let fleet =
        Watcher::start(broker.port, &[&topics.cmd_ack], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = start_link(&broker, "k-cmd", dir.path());
    wait_connected(&link);
    std::thread::sleep(Duration::from_millis(300)); // the link's subscription is in place
    let future = now_ms() + 60_000;
    let send = |payload: String| fleet.publish(&topics.cmd, payload, false).unwrap_or_else(|e| panic!("{e}"));
    send(format!(r#"{{"v":1,"id":"ok-1","expires_at_ms":{future},"action":{{"type":"maintenance","on":true}}}}"#));
    send(format!(r#"{{"v":1,"id":"old-1","expires_at_ms":{},"action":{{"type":"end_session"}}}}"#, now_ms() - 5_000));
    send(format!(r#"{{"v":1,"id":"bad-1","expires_at_ms":{future},"action":{{"type":"format_disk"}}}}"#));
    send("{not json".into());

    match link.recv_timeout(Duration::from_secs(5)) {
        Some(Inbound::Command(command)) => assert_eq!(command.id.as_str(), "ok-1"),
        other => panic!("expected the valid command, got {other:?}"),
    }
    let acks = |fleet: &Watcher| -> Vec<CommandAck> {
        fleet.on(&topics.cmd_ack).iter().filter_map(|r| serde_json::from_slice(&r.payload).ok()).collect()
    };
    assert!(fleet.wait_until(Duration::from_secs(5), |_| acks(&fleet).len() >= 3), "{:?}", acks(&fleet));
    let rejected = acks(&fleet);
    let reason_for = |id: Option<&str>| {
        rejected
            .iter()
            .find(|a| a.id.as_ref().map(Ident::as_str) == id)
            .filter(|a| a.status == AckStatus::Rejected)
            .and_then(|a| a.reason.clone())
            .unwrap_or_else(|| panic!("no rejection for {id:?} in {rejected:?}"))
    };
    assert!(reason_for(Some("old-1")).starts_with("expired"));
    assert!(reason_for(Some("bad-1")).contains("unknown variant `format_disk`"));
    assert!(reason_for(None).starts_with("not JSON"));
    assert!(link.try_recv().is_none(), "rejected commands never reach the app");

    link.ack(CommandAck {
        v: 1,
        id: Some(ident("ok-1")),
        kiosk: ident("k-cmd"),
        action: Some("maintenance".into()),
        status: AckStatus::Done,
        reason: None,
        result: None,
        at_ms: now_ms(),
    });
    assert!(fleet.wait_until(Duration::from_secs(5), |_| acks(&fleet).iter().any(|a| a.status == AckStatus::Done)));
}

#[test]
fn the_acl_confines_each_kiosk_to_its_own_topics() {
    let credentials = |user: &str| (user.to_string(), format!("{user}-secret"));
    let setup = BrokerSetup {
        users: vec![credentials("k-a"), credentials("k-b"), credentials("fleet")],
        acl: Some(mosquitto_acl(&[("k-a", "store-1"), ("k-b", "store-2")], &["fleet"])),
        ..BrokerSetup::default()
    };
    let broker = Mosquitto::start_with(&setup).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (KioskTopics::new("k-a"), KioskTopics::new("k-b"));
    let as_user = |user: &str, filters: &[&str]| {
        let options = WatcherOptions { credentials: Some(credentials(user)), ..WatcherOptions::default() };
        Watcher::start(broker.port, filters, options).unwrap_or_else(|e| panic!("{user}: {e}"))
    };
    let fleet = as_user("fleet", &["mirror/v1/#"]);
    // Kiosk A subscribes to B's commands (refused) and to its own (granted), and to everything.
    let kiosk_a = as_user("k-a", &[&b.cmd, &a.cmd, "#"]);
    let kiosk_b = as_user("k-b", &[&b.cmd]);
    // Mosquitto 2.0 grants the SUBACK and filters on delivery (2.1 refuses it); either way
    // nothing of B's may arrive, which the end of this test checks.

    // A publishes into B's topics and into its own.
    for topic in [&b.events, &b.status, &b.cmd_ack, &b.cmd] {
        kiosk_a.publish(topic, "forged by A", false).unwrap_or_else(|e| panic!("{e}"));
    }
    kiosk_a.publish(&a.events, "A's own event", false).unwrap_or_else(|e| panic!("{e}"));
    fleet.publish(&b.cmd, "for B only", false).unwrap_or_else(|e| panic!("{e}"));
    fleet.publish(&a.cmd, "for A", false).unwrap_or_else(|e| panic!("{e}"));

    assert!(fleet.wait_until(Duration::from_secs(5), |r| r.iter().any(|m| m.topic == a.events)), "A's own event");
    assert!(kiosk_b.wait_until(Duration::from_secs(5), |r| r.iter().any(|m| m.payload == b"for B only")));
    assert!(kiosk_a.wait_until(Duration::from_secs(5), |r| r.iter().any(|m| m.payload == b"for A")));
    std::thread::sleep(Duration::from_millis(500));
    let forged: Vec<_> = fleet.received().into_iter().filter(|m| m.payload == b"forged by A").collect();
    assert!(forged.is_empty(), "A's writes reached B's topics: {forged:?}");
    assert!(kiosk_b.received().iter().all(|m| m.payload != b"forged by A"), "A forged a command to B");
    let leaked: Vec<_> =
        kiosk_a.received().into_iter().filter(|m| m.topic.starts_with("mirror/v1/kiosks/k-b")).collect();
    assert!(leaked.is_empty(), "A read B's topics: {leaked:?}");
}

#[test]
fn a_size_request_made_during_an_outage_reaches_the_staff_and_their_reply_comes_back() {
    let mut broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let requests = protocol::topics::store_requests("store-1");
    let staff_options =
        WatcherOptions { client_id: "staff-page".into(), persistent: true, ..WatcherOptions::default() };
    let staff = Watcher::start(broker.port, &[&requests], staff_options).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = start_link(&broker, "k-req", dir.path());
    wait_connected(&link);

    broker.stop().unwrap_or_else(|e| panic!("{e}"));
    let mut book = protocol::requests::RequestBook::default();
    let opened = book.open(&ident("k-req"), "Room 3", &ident("tee-m"), "Organic tee", "M", "White", now_ms(), 60_000);
    let opened = opened.unwrap_or_else(|e| panic!("{e}"));
    link.send_to_staff(&opened).unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(link.stats().depth, 1, "the request waits on disk while the broker is down");
    broker.restart().unwrap_or_else(|e| panic!("{e}"));

    let parsed = |staff: &Watcher| -> Vec<protocol::requests::ToStaff> {
        staff.on(&requests).iter().filter_map(|r| protocol::requests::parse_to_staff(&r.payload).ok()).collect()
    };
    assert!(staff.wait_until(Duration::from_secs(20), |_| !parsed(&staff).is_empty()), "the staff never got it");
    let request = match &parsed(&staff)[0] {
        protocol::requests::ToStaff::Opened { request, .. } => request.clone(),
        other => panic!("expected the opened request, got {other:?}"),
    };
    assert_eq!((request.room.as_str(), request.size.as_str()), ("Room 3", "M"));

    let reply_topic = protocol::topics::request_reply("store-1", "k-req", request.id.as_str());
    let accepted = format!(r#"{{"type":"accepted","v":1,"id":"{}","by":"Anna","at_ms":{}}}"#, request.id, now_ms());
    staff.publish(&reply_topic, "{garbage", true).unwrap_or_else(|e| panic!("{e}"));
    staff.publish(&reply_topic, accepted, true).unwrap_or_else(|e| panic!("{e}"));
    match link.recv_timeout(Duration::from_secs(5)) {
        Some(Inbound::StaffReply { reply, topic }) => {
            assert_eq!(topic, reply_topic);
            let effect = book.on_reply(&reply, now_ms());
            assert!(
                matches!(effect, protocol::requests::ReplyEffect::Accepted { ref by, .. } if by == "Anna"),
                "{effect:?}"
            );
        }
        other => panic!("no staff reply (garbage before it must be skipped): {other:?}"),
    }
    // Clearing the retained reply leaves nothing for the next connection.
    link.clear_retained(reply_topic.clone());
    std::thread::sleep(Duration::from_millis(500));
    let late =
        Watcher::start(broker.port, &[&reply_topic], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(500));
    assert!(late.on(&reply_topic).iter().all(|r| r.payload.is_empty()), "{:?}", late.on(&reply_topic));
}
