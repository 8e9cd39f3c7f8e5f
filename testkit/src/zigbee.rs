//! A zigbee2mqtt light for tests: it takes what arrives on `<base>/<name>/set` and publishes its
//! new state on `<base>/<name>`, as zigbee2mqtt does for a bulb that took the command.

use std::{sync::mpsc, thread, time::Duration};

use anyhow::{Context, Result};
use rumqttc::{Client, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};

/// The light's MQTT client; it stops answering when dropped.
pub struct SimulatedLight {
    client: Client,
}

impl SimulatedLight {
    /// Connects to the broker on 127.0.0.1:`port`; returns once it is subscribed.
    pub fn start(port: u16, base: &str, name: &str) -> Result<Self> {
        let mut options = MqttOptions::new(format!("bulb-{name}-{port}"), "127.0.0.1", port);
        options.set_keep_alive(Duration::from_secs(5));
        let (client, mut connection) = Client::new(options, 16);
        let (ready_tx, ready) = mpsc::channel();
        let (set_topic, state_topic) = (format!("{base}/{name}/set"), format!("{base}/{name}"));
        let answerer = client.clone();
        thread::spawn(move || {
            for event in connection.iter() {
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        let _ = answerer.try_subscribe(set_topic.clone(), QoS::AtLeastOnce);
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = ready_tx.send(());
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let set: Value = serde_json::from_slice(&p.payload).unwrap_or(Value::Null);
                        let state = json!({
                            "state": set["state"], "brightness": set["brightness"], "color_temp": set["color_temp"],
                            "linkquality": 120
                        });
                        let _ = answerer.try_publish(state_topic.clone(), QoS::AtLeastOnce, false, state.to_string());
                    }
                    Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => break,
                    Ok(_) => {}
                    Err(_) => thread::sleep(Duration::from_millis(100)),
                }
            }
        });
        ready.recv_timeout(Duration::from_secs(10)).context("the simulated light never subscribed")?;
        Ok(Self { client })
    }
}

impl Drop for SimulatedLight {
    fn drop(&mut self) {
        let _ = self.client.try_disconnect();
    }
}
