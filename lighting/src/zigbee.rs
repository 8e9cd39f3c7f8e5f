//! Zigbee lights through zigbee2mqtt: each light's `<base>/<name>/set` gets `state`,
//! `brightness` (0–254) and `color_temp` (mireds); zigbee2mqtt answers with the light's new
//! state on `<base>/<name>`, and `apply` succeeds only when every light echoed the brightness it
//! was asked for within [`crate::TIMEOUT`] (a bulb out of the mesh fails, naming it).

use std::{
    sync::mpsc::{self, Receiver, RecvTimeoutError},
    thread,
    time::{Duration, Instant},
};

use protocol::{lighting::Light, mqtt_url::BrokerUrl};
use rumqttc::{Client, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};

use crate::{Controller, LightError, TIMEOUT};

pub struct Zigbee2Mqtt {
    client: Client,
    states: Receiver<(String, Value)>,
    base: String,
    lights: Vec<String>,
    broker: String,
}

impl Zigbee2Mqtt {
    /// Connects to the broker at `mqtt_url` (plain `mqtt://`; zigbee2mqtt's broker sits on the
    /// store's LAN) and follows the lights' state topics.
    pub fn connect(mqtt_url: &str, base: &str, lights: &[String]) -> Result<Self, LightError> {
        let url = BrokerUrl::parse(mqtt_url).map_err(|e| LightError(format!("zigbee2mqtt: mqtt_url: {e}")))?;
        if url.tls {
            return Err(LightError("zigbee2mqtt: mqtt_url must be mqtt:// (TLS is not supported here)".into()));
        }
        if lights.is_empty() {
            return Err(LightError("zigbee2mqtt: lights must name at least one friendly name".into()));
        }
        let mut options = MqttOptions::new(format!("mirror-lights-{}", std::process::id()), url.host.clone(), url.port);
        options.set_keep_alive(Duration::from_secs(15));
        let (client, mut connection) = Client::new(options, 16);
        let (states_tx, states) = mpsc::channel();
        let filters: Vec<String> = lights.iter().map(|l| format!("{base}/{l}")).collect();
        let subscriber = client.clone();
        thread::Builder::new()
            .name("zigbee2mqtt".into())
            .spawn(move || {
                for event in connection.iter() {
                    match event {
                        Ok(Event::Incoming(Packet::ConnAck(_))) => {
                            for filter in &filters {
                                let _ = subscriber.try_subscribe(filter.clone(), QoS::AtLeastOnce);
                            }
                        }
                        Ok(Event::Incoming(Packet::Publish(p))) => {
                            let state = serde_json::from_slice(&p.payload).unwrap_or(Value::Null);
                            if states_tx.send((p.topic, state)).is_err() {
                                break;
                            }
                        }
                        Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => break,
                        Ok(_) => {}
                        Err(_) => thread::sleep(Duration::from_millis(500)),
                    }
                }
            })
            .map_err(|e| LightError(format!("zigbee2mqtt: cannot start its thread: {e}")))?;
        Ok(Self { client, states, base: base.to_string(), lights: lights.to_vec(), broker: mqtt_url.to_string() })
    }
}

impl Drop for Zigbee2Mqtt {
    fn drop(&mut self) {
        let _ = self.client.try_disconnect();
    }
}

impl Controller for Zigbee2Mqtt {
    fn describe(&self) -> String {
        format!("zigbee2mqtt at {} lights {}", self.broker, self.lights.join(", "))
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        while self.states.try_recv().is_ok() {}
        let brightness = light.level(254);
        let on = light.brightness_percent > 0;
        let body =
            json!({ "state": if on { "ON" } else { "OFF" }, "brightness": brightness, "color_temp": light.mireds() });
        for name in &self.lights {
            self.client
                .try_publish(format!("{}/{name}/set", self.base), QoS::AtLeastOnce, false, body.to_string())
                .map_err(|e| LightError(format!("zigbee2mqtt {name}: {e}")))?;
        }
        let mut waiting: Vec<&String> = self.lights.iter().collect();
        let deadline = Instant::now() + TIMEOUT;
        while !waiting.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.states.recv_timeout(left) {
                Ok((topic, state)) => {
                    let echoed = state.get("brightness").and_then(Value::as_u64) == Some(u64::from(brightness))
                        || (!on && state.get("state").and_then(Value::as_str) == Some("OFF"));
                    waiting.retain(|name| !(echoed && topic == format!("{}/{name}", self.base)));
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    let names: Vec<&str> = waiting.iter().map(|n| n.as_str()).collect();
                    return Err(LightError(format!(
                        "zigbee2mqtt at {}: no state from {} within {TIMEOUT:?}",
                        self.broker,
                        names.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }
}
