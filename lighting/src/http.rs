//! Lights behind a local HTTP API: a Philips Hue bridge (API v1: `PUT
//! /api/<username>/lights/<id>/state` with `on`, `bri` 1–254 and `ct` in mireds; the bridge
//! answers 200 with `[{"success": …}]` or `[{"error": {"description": …}}]`) and Home Assistant
//! (`POST /api/services/light/turn_on` with `Authorization: Bearer <token>` and `entity_id`,
//! `brightness_pct`, `color_temp_kelvin`; 200 on success). Every request times out after
//! [`crate::TIMEOUT`].

use protocol::lighting::Light;
use reqwest::blocking::Client;
use serde_json::{Value, json};

use crate::{Controller, LightError, TIMEOUT};

/// HTTPS trusts the system's roots, as everything on the kiosk that dials out does.
fn client() -> Result<Client, LightError> {
    let tls = telemetry::tls::client_config("", "lighting", None).map_err(LightError)?;
    Client::builder()
        .timeout(TIMEOUT)
        .use_preconfigured_tls((*tls).clone())
        .build()
        .map_err(|e| LightError(format!("HTTP client: {e}")))
}

fn check(url: &str, token: &str, lights: &[String], what: &str) -> Result<String, LightError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(LightError(format!("{what}: http_url {url:?} must start with http:// or https://")));
    }
    if token.is_empty() || lights.is_empty() {
        return Err(LightError(format!("{what}: http_token and lights must be set")));
    }
    Ok(url.trim_end_matches('/').to_string())
}

pub struct Hue {
    http: Client,
    bridge: String,
    username: String,
    lights: Vec<String>,
}

impl Hue {
    pub fn new(bridge: &str, username: &str, lights: &[String]) -> Result<Self, LightError> {
        let bridge = check(bridge, username, lights, "hue")?;
        Ok(Self { http: client()?, bridge, username: username.to_string(), lights: lights.to_vec() })
    }
}

impl Controller for Hue {
    fn describe(&self) -> String {
        format!("Hue bridge {} lights {}", self.bridge, self.lights.join(", "))
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        let on = light.brightness_percent > 0;
        let body = json!({ "on": on, "bri": light.level(253) + 1, "ct": light.mireds().clamp(153, 500) });
        for id in &self.lights {
            let url = format!("{}/api/{}/lights/{id}/state", self.bridge, self.username);
            let response =
                self.http.put(&url).json(&body).send().map_err(|e| LightError(format!("hue light {id}: {e}")))?;
            let status = response.status();
            let answer: Value = response.json().map_err(|e| LightError(format!("hue light {id}: {status}: {e}")))?;
            if let Some(error) = answer.as_array().into_iter().flatten().find_map(|item| item.get("error")) {
                let said = error.get("description").and_then(Value::as_str).unwrap_or("an error");
                return Err(LightError(format!("hue light {id}: {said}")));
            }
            if !status.is_success() {
                return Err(LightError(format!("hue light {id}: {status}")));
            }
        }
        Ok(())
    }
}

pub struct HomeAssistant {
    http: Client,
    url: String,
    token: String,
    entities: Vec<String>,
}

impl HomeAssistant {
    pub fn new(url: &str, token: &str, entities: &[String]) -> Result<Self, LightError> {
        let url = check(url, token, entities, "home_assistant")?;
        Ok(Self { http: client()?, url, token: token.to_string(), entities: entities.to_vec() })
    }
}

impl Controller for HomeAssistant {
    fn describe(&self) -> String {
        format!("Home Assistant {} entities {}", self.url, self.entities.join(", "))
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        let body = json!({
            "entity_id": self.entities,
            "brightness_pct": light.brightness_percent,
            "color_temp_kelvin": light.kelvin,
        });
        let url = format!("{}/api/services/light/turn_on", self.url);
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .map_err(|e| LightError(format!("home assistant {url}: {e}")))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            status => Err(LightError(format!("home assistant {url}: {status}"))),
        }
    }
}
