//! What the console's integration tests share: kiosks made of the telemetry crate's real link,
//! their health, a signed-in HTTP client, and waiting on a condition.
#![allow(dead_code)] // each test file uses its own part

use std::{path::Path, time::Duration};

use protocol::{
    mqtt_url::BrokerUrl,
    telemetry::{CameraState, Health, Ident, SCHEMA_VERSION, StartKind, now_ms},
};
use telemetry::{
    link::{BrokerSettings, Identity, Link, Target},
    outbox::{Outbox, OutboxLimits},
};
use testkit::Mosquitto;

pub const PASSWORD: &str = "correct horse battery";

pub fn ident(s: &str) -> Ident {
    Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
}

pub fn link(broker: &Mosquitto, kiosk: &str, store: &str, dir: &Path) -> Link {
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
    let identity = Identity { kiosk: ident(kiosk), store: ident(store), version: "1.4.0".into() };
    Link::start(identity, Target::Broker(settings), outbox).unwrap_or_else(|e| panic!("{e}"))
}

pub fn health(kiosk: &str, render_fps: f32, outbox_dropped: u64) -> Health {
    Health {
        v: SCHEMA_VERSION,
        kiosk: ident(kiosk),
        at_ms: now_ms(),
        version: "1.4.0".into(),
        uptime_s: 60,
        start: StartKind::Clean,
        render_fps,
        camera_fps: 30.0,
        camera: CameraState::Live,
        frame_age_ms: Some(40),
        cpu_percent: 20.0,
        memory_mb: 300.0,
        maintenance: false,
        sharing: false,
        outbox_depth: 0,
        outbox_dropped,
        outbox_corrupt: 0,
        lights: Default::default(),
        light_scene: None,
    }
}

/// An HTTP client that keeps redirects to itself (the test reads them) and a signed-in cookie.
pub struct Client {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
        Self { http: http.unwrap_or_else(|e| panic!("{e}")), base: base.to_owned(), cookie: None }
    }

    pub async fn sign_in(&mut self, name: &str, password: &str) -> u16 {
        let body = format!("name={name}&password={}", password.replace(' ', "+"));
        let response = self
            .http
            .post(format!("{}/signin", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).map(str::to_owned);
        self.cookie = cookie.and_then(|c| c.split(';').next().map(str::to_owned));
        response.status().as_u16()
    }

    /// GETs `path`: (status, body, Location).
    pub async fn get(&self, path: &str) -> (u16, String, Option<String>) {
        self.get_in(path, "", "location").await
    }

    /// GETs `path` for a browser asking for `accept_language`: (status, body, the `header` answered).
    pub async fn get_in(&self, path: &str, accept_language: &str, header: &str) -> (u16, String, Option<String>) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        if !accept_language.is_empty() {
            request = request.header("accept-language", accept_language);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let answered = response.headers().get(header).and_then(|v| v.to_str().ok()).map(str::to_owned);
        (response.status().as_u16(), response.text().await.unwrap_or_default(), answered)
    }

    /// POSTs `body` as `content_type`: (status, body, Location).
    pub async fn post(&self, path: &str, content_type: &str, body: String) -> (u16, String, Option<String>) {
        let mut request =
            self.http.post(format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        (response.status().as_u16(), response.text().await.unwrap_or_default(), location)
    }

    pub async fn json(&self, path: &str) -> serde_json::Value {
        let (status, body, _) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_default()
    }

    pub async fn kiosks(&self) -> Vec<serde_json::Value> {
        let (status, body, _) = self.get("/api/v1/kiosks").await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or_default()
    }
}

pub fn kiosk<'a>(kiosks: &'a [serde_json::Value], id: &str) -> Option<&'a serde_json::Value> {
    kiosks.iter().find(|k| k["id"] == id)
}

pub async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "{what} never happened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("console-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
