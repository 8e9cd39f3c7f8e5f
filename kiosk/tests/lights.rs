//! "Lights" in the real kiosk under Xvfb: with zigbee2mqtt on a real Mosquitto and a simulated
//! bulb, the store's scene goes out at start, the shopper's Sunset from the sheet, the staff's
//! `set_lighting` (acked once the bulb echoed it), and the store's scene again when the session
//! ends; with the on-screen frame, Sunset draws a warm frame round
//! the mirror and the store's scene none (screenshot: docs/screens/lights-sunset.png).

mod support;

use std::time::Duration;

use protocol::{
    command::{AckStatus, CommandAck},
    telemetry::now_ms,
    topics::KioskTopics,
};
use serde_json::Value;
use support::*;
use testkit::{Mosquitto, Watcher, WatcherOptions, zigbee::SimulatedLight};

fn sets(watcher: &Watcher) -> Vec<(u64, u64)> {
    watcher
        .on("zigbee2mqtt/room-3/set")
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.payload).ok())
        .map(|v| (v["brightness"].as_u64().unwrap_or(0), v["color_temp"].as_u64().unwrap_or(0)))
        .collect()
}

fn ack(fleet: &Watcher, topics: &KioskTopics, id: &str, action: &str) -> CommandAck {
    let expires = now_ms() + 60_000;
    let payload = format!(r#"{{"v":1,"id":"{id}","expires_at_ms":{expires},"action":{action}}}"#);
    fleet.publish(&topics.cmd, payload, false).unwrap_or_else(|e| panic!("{e}"));
    let mut found = None;
    fleet.wait_until(Duration::from_secs(20), |messages| {
        found = messages
            .iter()
            .filter(|m| m.topic == topics.cmd_ack)
            .filter_map(|m| serde_json::from_slice::<CommandAck>(&m.payload).ok())
            .find(|a| a.id.as_ref().is_some_and(|i| i.as_str() == id));
        found.is_some()
    });
    found.unwrap_or_else(|| panic!("no ack for {id} within 20 s"))
}

#[test]
fn shopper_and_staff_scenes_reach_the_zigbee_bulb_and_the_session_end_restores_the_store_s() {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let _bulb = SimulatedLight::start(broker.port, "zigbee2mqtt", "room-3").unwrap_or_else(|e| panic!("{e}"));
    let topics = KioskTopics::new("k-lights");
    let fleet =
        Watcher::start(broker.port, &["zigbee2mqtt/#", "mirror/v1/kiosks/k-lights/#"], WatcherOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
    let dir = out_dir("lights-zigbee");
    let display = Display::start(540, 960);
    let kiosk = Kiosk::spawn(
        &display,
        (540, 960),
        &[
            "--set=kiosk.id=\"k-lights\"".into(),
            format!("--set=telemetry.broker_url=\"{}\"", broker.url()),
            format!("--set=telemetry.data_dir={:?}", dir.join("data").display().to_string()),
            "--set=lighting.controller=\"zigbee2mqtt\"".into(),
            format!("--set=lighting.mqtt_url=\"mqtt://127.0.0.1:{}\"", broker.port),
            "--set=lighting.lights=[\"room-3\"]".into(),
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:touch".into(),
            "--at=+0:press=Lights".into(),
            "--at=+0:press=Sunset · 2700 K".into(),
            "--at=+0:wait=Sunset · 2700 K".into(),
            format!("--at=+0:texts={}", dir.join("sheet.json").display()),
        ],
        dir.join("kiosk.log"),
        "info",
    );
    // Store (4000 K = 250 mireds at 90 % = 229), then Sunset (370 mireds at 85 % = 216).
    let sunset = fleet.wait_until(Duration::from_secs(60), |_| sets(&fleet).contains(&(216, 370)));
    assert!(sunset, "no Sunset set: {:?}\n{}", sets(&fleet), tail(&read_log(&kiosk.log)));
    assert_eq!(sets(&fleet)[0], (229, 250), "the store's scene first");
    assert!(wait_for_file(&dir.join("sheet.json"), Duration::from_secs(30)));
    let sheet = support::texts::Texts::load(&dir.join("sheet.json"));
    for scene in ["Daylight · 5000 K", "Store · 4000 K", "Sunset · 2700 K", "Evening · 2700 K, dimmed"] {
        assert!(sheet.has(scene), "{scene} on the sheet: {:?}", sheet.all());
    }
    assert!(!sheet.has("The lights are not answering right now; the mirror keeps working."));

    // Staff: set_lighting is acked once the bulb echoed it.
    let online = fleet.wait_until(Duration::from_secs(30), |m| m.iter().any(|r| r.topic == topics.status));
    assert!(online, "the kiosk never came online");
    let evening = ack(&fleet, &topics, "light-1", r#"{"type":"set_lighting","scene":"evening"}"#);
    assert_eq!(evening.status, AckStatus::Done, "{evening:?}");
    assert_eq!(sets(&fleet).last(), Some(&(102, 370)), "Evening: 40 %");
    let echoes = fleet.on("zigbee2mqtt/room-3");
    assert!(echoes.len() >= 3, "the bulb answered each: {}", echoes.len());

    let ended = ack(&fleet, &topics, "end-1", r#"{"type":"end_session"}"#);
    assert_eq!(ended.status, AckStatus::Done);
    let restored = fleet.wait_until(Duration::from_secs(20), |_| sets(&fleet).last() == Some(&(229, 250)));
    assert!(restored, "the session's end brings the store's scene back: {:?}", sets(&fleet));
}

#[test]
fn the_on_screen_frame_is_warm_for_sunset_and_absent_in_the_store_s_scene() {
    let dir = out_dir("lights-frame");
    let shot = |name: &str| dir.join(format!("{name}.png"));
    run_kiosk(
        &[
            "--at=+0:wait=Touch to start".into(),
            "--at=+0:touch".into(),
            "--at=+0:wait=Lights".into(),
            format!("--at=+0.5:screenshot={}", shot("lights-store").display()),
            "--at=+0:press=Lights".into(),
            "--at=+0:press=Sunset · 2700 K".into(),
            "--at=+0:press=Close".into(),
            format!("--at=+0.5:screenshot={}", shot("lights-sunset").display()),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(120),
    );
    let store = load(&shot("lights-store"));
    let sunset = load(&shot("lights-sunset"));
    // A 2700 K tint: red full, blue low (Light::tint), on the frame's edge.
    let warm = |image: &image::RgbImage, x, y| {
        let p = image.get_pixel(x, y).0;
        p[0] > 240 && p[2] < 120 && p[0] > p[2] + 120
    };
    let edge = [(5, HEIGHT / 2), (WIDTH - 5, HEIGHT / 2), (WIDTH / 2, 5), (WIDTH / 3, HEIGHT - 5)];
    assert!(edge.iter().all(|(x, y)| warm(&sunset, *x, *y)), "Sunset draws a warm frame on every edge");
    assert!(edge.iter().all(|(x, y)| !warm(&store, *x, *y)), "the store's scene draws none");
    let (count, _) = mark(&sunset);
    assert!(count > 1_000, "the mirror still shows inside the frame ({count} px of the mark)");
}
