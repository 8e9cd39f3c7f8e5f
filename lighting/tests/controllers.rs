//! Each controller against a real counterpart over real sockets: zigbee2mqtt's topics on a real
//! Mosquitto with a simulated light that echoes its state (and a light that never answers),
//! Art-Net and sACN packets received on a UDP socket and parsed by `artnet_protocol` and the
//! `sacn` crate's receiver, and local HTTP servers implementing the documented Hue and Home
//! Assistant endpoints.

use std::{
    net::{SocketAddr, UdpSocket},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{post, put},
};
use lighting::{ArtNet, Controller, HomeAssistant, Hue, LightWorker, Sacn, Zigbee2Mqtt};
use protocol::lighting::{Light, Scene};
use serde_json::{Value, json};
use testkit::{Mosquitto, Watcher, WatcherOptions, zigbee::SimulatedLight};

#[test]
fn zigbee2mqtt_sets_each_light_and_succeeds_only_when_every_light_echoed() {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let _light = SimulatedLight::start(broker.port, "zigbee2mqtt", "room-3").unwrap_or_else(|e| panic!("{e}"));
    let watcher =
        Watcher::start(broker.port, &["zigbee2mqtt/#"], WatcherOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("mqtt://127.0.0.1:{}", broker.port);
    let mut z2m = Zigbee2Mqtt::connect(&url, "zigbee2mqtt", &["room-3".into()]).unwrap_or_else(|e| panic!("{e}"));
    z2m.apply(Scene::Evening.light()).unwrap_or_else(|e| panic!("{e}"));
    let sets = watcher.on("zigbee2mqtt/room-3/set");
    let set: Value =
        serde_json::from_slice(&sets.last().map(|r| r.payload.clone()).unwrap_or_default()).unwrap_or(Value::Null);
    assert_eq!(set, json!({ "state": "ON", "brightness": 102, "color_temp": 370 }), "Evening: 2700 K at 40 %");
    assert!(watcher.wait_until(Duration::from_secs(5), |m| m.iter().any(|r| r.topic == "zigbee2mqtt/room-3")));

    z2m.apply(Scene::Daylight.light()).unwrap_or_else(|e| panic!("{e}"));
    let last: Value = serde_json::from_slice(
        &watcher.on("zigbee2mqtt/room-3/set").last().map(|r| r.payload.clone()).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert_eq!((last["brightness"].as_u64(), last["color_temp"].as_u64()), (Some(254), Some(200)));

    // A second light that is out of the mesh: the controller names it.
    let mut both = Zigbee2Mqtt::connect(&url, "zigbee2mqtt", &["room-3".into(), "room-3-spot".into()])
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let err = both.apply(Scene::Store.light()).err().map(|e| e.0).unwrap_or_default();
    assert!(err.contains("no state from room-3-spot") && !err.contains("room-3,"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "it gives up after its timeout");

    drop(broker);
    let err = z2m.apply(Scene::Store.light()).err().map(|e| e.0).unwrap_or_default();
    assert!(err.contains("no state from room-3"), "a stopped broker is a failure, not a hang: {err}");
}

fn receiver() -> (UdpSocket, SocketAddr) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    socket.set_read_timeout(Some(Duration::from_secs(5))).unwrap_or_else(|e| panic!("{e}"));
    let address = socket.local_addr().unwrap_or_else(|e| panic!("{e}"));
    (socket, address)
}

#[test]
fn art_net_sends_one_art_dmx_packet_with_the_fixture_s_two_channels() {
    let (socket, address) = receiver();
    let mut artnet = ArtNet::new(&address.to_string(), 3, 5).unwrap_or_else(|e| panic!("{e}"));
    for (scene, sequence) in [(Scene::Sunset, 1), (Scene::Daylight, 2)] {
        artnet.apply(scene.light()).unwrap_or_else(|e| panic!("{e}"));
        let mut buffer = [0u8; 1024];
        let (n, _) = socket.recv_from(&mut buffer).unwrap_or_else(|e| panic!("no Art-Net packet: {e}"));
        let Ok(artnet_protocol::ArtCommand::Output(output)) = artnet_protocol::ArtCommand::from_buffer(&buffer[..n])
        else {
            panic!("not an ArtDmx packet: {:?}", &buffer[..n]);
        };
        assert_eq!(u16::from(output.port_address), 3, "universe");
        assert_eq!(output.sequence, sequence);
        let data: &Vec<u8> = output.data.as_ref();
        let (warm, cool) = scene.light().warm_cool();
        assert_eq!(&data[..4], &[0, 0, 0, 0], "channels before the fixture stay 0");
        assert_eq!((data[4], data[5]), (warm, cool), "{scene:?}");
    }
    assert_eq!(Scene::Sunset.light().warm_cool(), (217, 0), "2700 K is all warm white, at 85 %");
}

#[test]
fn sacn_data_reaches_an_e1_31_receiver_on_the_fixture_s_universe() {
    // The crate's receiver always listens on the E1.31 port (shared with SO_REUSEPORT); the
    // source sends to it on loopback only.
    let address: SocketAddr = ([127, 0, 0, 1], lighting::SACN_PORT).into();
    let mut receiver = sacn::receive::SacnReceiver::with_ip(address, None).unwrap_or_else(|e| panic!("{e}"));
    receiver.set_is_multicast_enabled(false).unwrap_or_else(|e| panic!("{e}"));
    receiver.listen_universes(&[7]).unwrap_or_else(|e| panic!("{e}"));
    let mut source = Sacn::new(&address.to_string(), 7, 1).unwrap_or_else(|e| panic!("{e}"));
    let light = Scene::Store.light();
    let deadline = Instant::now() + Duration::from_secs(5);
    let data = loop {
        source.apply(light).unwrap_or_else(|e| panic!("{e}"));
        match receiver.recv(Some(Duration::from_millis(500))) {
            Ok(data) if !data.is_empty() => break data,
            _ if Instant::now() < deadline => continue,
            other => panic!("no sACN data: {other:?}"),
        }
    };
    let (warm, cool) = light.warm_cool();
    assert_eq!(data[0].universe, 7);
    assert_eq!(&data[0].values[..3], &[0, warm, cool], "start code 0, then warm and cool white");
}

#[derive(Clone, Default)]
struct Bridge {
    bodies: Arc<Mutex<Vec<(String, Value)>>>,
}

fn serve(router: Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    listener.set_nonblocking(true).unwrap_or_else(|e| panic!("{e}"));
    thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap_or_else(|e| panic!("{e}"));
            let _ = axum::serve(listener, router).await;
        });
    });
    format!("http://{address}")
}

/// The Hue bridge's v1 light state endpoint: a known username gets `success` items, another
/// gets Hue's `unauthorized user` error (with HTTP 200, as the bridge answers).
async fn hue_state(
    State(bridge): State<Bridge>,
    Path((user, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Json<Value> {
    if user != "mirror-user" {
        return Json(json!([{ "error": { "type": 1, "address": "/", "description": "unauthorized user" } }]));
    }
    bridge.bodies.lock().unwrap_or_else(|e| e.into_inner()).push((id.clone(), body.clone()));
    let success: Vec<Value> = body
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| json!({ "success": { format!("/lights/{id}/state/{k}"): v } }))
        .collect();
    Json(Value::Array(success))
}

#[test]
fn hue_puts_on_bri_and_ct_to_every_light_and_reports_the_bridge_s_error() {
    let bridge = Bridge::default();
    let url = serve(Router::new().route("/api/{user}/lights/{id}/state", put(hue_state)).with_state(bridge.clone()));
    let lights = vec!["1".to_string(), "4".to_string()];
    let mut hue = Hue::new(&url, "mirror-user", &lights).unwrap_or_else(|e| panic!("{e}"));
    hue.apply(Scene::Sunset.light()).unwrap_or_else(|e| panic!("{e}"));
    let bodies = bridge.bodies.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let want = json!({ "on": true, "bri": 216, "ct": 370 });
    assert_eq!(bodies, [("1".to_string(), want.clone()), ("4".to_string(), want)]);

    let mut stranger = Hue::new(&url, "someone-else", &lights).unwrap_or_else(|e| panic!("{e}"));
    let err = stranger.apply(Scene::Store.light()).err().map(|e| e.0).unwrap_or_default();
    assert_eq!(err, "hue light 1: unauthorized user");
    let mut gone = Hue::new("http://127.0.0.1:9", "mirror-user", &lights).unwrap_or_else(|e| panic!("{e}"));
    assert!(gone.apply(Scene::Store.light()).is_err(), "a bridge that is not there fails");
    assert!(Hue::new("ftp://bridge", "u", &lights).is_err());
}

async fn turn_on(
    State(bridge): State<Bridge>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if token != "Bearer long-lived-token" {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "message": "401: Unauthorized" })));
    }
    bridge.bodies.lock().unwrap_or_else(|e| e.into_inner()).push(("turn_on".into(), body));
    (StatusCode::OK, Json(json!([])))
}

#[test]
fn home_assistant_calls_light_turn_on_with_kelvin_and_percent() {
    let server = Bridge::default();
    let url = serve(Router::new().route("/api/services/light/turn_on", post(turn_on)).with_state(server.clone()));
    let entities = vec!["light.fitting_room_3".to_string()];
    let mut ha = HomeAssistant::new(&url, "long-lived-token", &entities).unwrap_or_else(|e| panic!("{e}"));
    ha.apply(Scene::Daylight.light()).unwrap_or_else(|e| panic!("{e}"));
    let bodies = server.bodies.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        bodies,
        [(
            "turn_on".to_string(),
            json!({ "entity_id": ["light.fitting_room_3"], "brightness_pct": 100, "color_temp_kelvin": 5000 })
        )]
    );
    let mut wrong = HomeAssistant::new(&url, "stale-token", &entities).unwrap_or_else(|e| panic!("{e}"));
    let err = wrong.apply(Scene::Daylight.light()).err().map(|e| e.0).unwrap_or_default();
    assert!(err.ends_with("401 Unauthorized"), "{err}");
}

/// A controller that takes a while, to show the worker never makes the caller wait and keeps
/// only the newest light.
struct Slow(Arc<Mutex<Vec<Light>>>);

impl Controller for Slow {
    fn describe(&self) -> String {
        "slow".into()
    }
    fn apply(&mut self, light: Light) -> Result<(), lighting::LightError> {
        thread::sleep(Duration::from_millis(300));
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(light);
        Ok(())
    }
}

#[test]
fn the_worker_never_blocks_and_collapses_a_burst_to_the_newest_light() {
    let applied = Arc::new(Mutex::new(Vec::new()));
    let worker = LightWorker::spawn(Box::new(Slow(applied.clone()))).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    worker.set(Scene::Daylight.light(), None);
    thread::sleep(Duration::from_millis(50));
    for scene in [Scene::Sunset, Scene::Store, Scene::Evening] {
        worker.set(scene.light(), Some(scene.id().into()));
    }
    assert!(started.elapsed() < Duration::from_millis(200), "set never waits for the hardware");
    let mut reports = Vec::new();
    while reports.len() < 4 && started.elapsed() < Duration::from_secs(5) {
        reports.extend(worker.try_report());
        thread::sleep(Duration::from_millis(10));
    }
    let applied = applied.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(applied, [Scene::Daylight.light(), Scene::Evening.light()], "the burst collapsed to its newest");
    let tokens: Vec<Option<String>> = reports.iter().map(|r| r.token.clone()).collect();
    assert_eq!(
        tokens,
        [None, Some("sunset".into()), Some("store".into()), Some("evening".into())],
        "every ask answered"
    );
    assert!(reports[1..].iter().all(|r| r.light == Scene::Evening.light() && r.outcome.is_ok()));
}
