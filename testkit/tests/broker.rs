//! The test broker itself: a persistent session and the QoS 1 messages queued for it survive
//! `restart()`, as they do on a chain's broker set up as docs/mqtt.md says. (Run as root, the
//! broker used to drop to user `mosquitto`, which could not write its log or persistence file, so
//! `restart()` lost every session.)

use std::time::{Duration, Instant};

use testkit::{Mosquitto, Watcher, WatcherOptions};

fn wait_for_log(broker: &Mosquitto, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if broker.log().contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

#[test]
fn a_persistent_session_and_its_queue_survive_a_broker_restart() {
    let mut broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let durable = WatcherOptions { client_id: "durable".into(), persistent: true, ..WatcherOptions::default() };
    let subscriber = Watcher::start(broker.port, &["t/#"], durable.clone()).unwrap_or_else(|e| panic!("{e}"));
    drop(subscriber);
    assert!(
        wait_for_log(&broker, "Client durable disconnected"),
        "the broker's log was never written (can it write into its directory?): {:?}",
        broker.log()
    );

    // Published while the subscriber is away: the broker queues it in the session.
    let publisher = Watcher::start(broker.port, &["t/#"], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    publisher.publish("t/1", "queued while away", false).unwrap_or_else(|e| panic!("{e}"));
    assert!(publisher.wait_until(Duration::from_secs(5), |m| !m.is_empty()), "the broker took the message");
    drop(publisher);

    broker.restart().unwrap_or_else(|e| panic!("{e}"));
    let back = Watcher::start(broker.port, &["t/#"], durable).unwrap_or_else(|e| panic!("{e}"));
    let delivered = back.wait_until(Duration::from_secs(10), |m| m.iter().any(|r| r.payload == b"queued while away"));
    assert!(delivered, "the session's queued message did not survive the restart; broker log:\n{}", broker.log());
}
