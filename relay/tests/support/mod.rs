//! Shared test helpers: a relay on 127.0.0.1, a kiosk client, viewer clients.
#![allow(dead_code)] // each test binary uses a different subset

use std::{collections::HashMap, net::SocketAddr, time::Duration};

use futures_util::{SinkExt, StreamExt};
use protocol::share::{CreateShare, CreatedShare};
use relay::config::{Limits, RelayConfig};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

pub const KIOSK: &str = "kiosk-a";
pub const KEY: &str = "kiosk-a-secret-key-0123456789";
pub const KIOSK_B: &str = "kiosk-b";
pub const KEY_B: &str = "kiosk-b-secret-key-0123456789";

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct TestRelay {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
}

pub fn config(limits: Limits) -> RelayConfig {
    RelayConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: "http://127.0.0.1".into(),
        kiosk_keys: HashMap::from([(KIOSK.to_string(), KEY.to_string()), (KIOSK_B.to_string(), KEY_B.to_string())]),
        limits,
        take_home_store: None,
        theme: Default::default(),
        sfu: None,
    }
}

/// An HTTP client for the tests. The workspace builds reqwest with rustls but no crypto provider
/// (the kiosk brings its own), so name one for the process first.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Starts a relay on a free loopback port; it stops when the test's runtime ends.
pub async fn start(limits: Limits) -> TestRelay {
    start_with(config(limits)).await
}

/// [`start`] with a whole configuration (its `listen` and `public_url` are replaced).
pub async fn start_with(mut config: RelayConfig) -> TestRelay {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await;
    let Ok(listener) = listener else { panic!("bind: {listener:?}") };
    let Ok(addr) = listener.local_addr() else { panic!("no local address") };
    config.public_url = format!("http://{addr}");
    tokio::spawn(relay::serve(listener, config, std::future::pending()));
    TestRelay { addr, http: http_client() }
}

impl TestRelay {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn create(&self, kiosk: &str, key: &str) -> CreatedShare {
        let response = self
            .http
            .post(self.url("/api/v1/sessions"))
            .bearer_auth(key)
            .json(&CreateShare { kiosk_id: kiosk.into() })
            .send()
            .await;
        let Ok(response) = response else { panic!("create: {response:?}") };
        assert_eq!(response.status(), 201);
        let created = response.json::<CreatedShare>().await;
        let Ok(created) = created else { panic!("create body: {created:?}") };
        created
    }

    /// The kiosk's stream socket, or the HTTP status that refused it.
    pub async fn kiosk_stream(&self, session_id: &str, token: &str) -> Result<Socket, u16> {
        let url = format!("ws://{}/api/v1/sessions/{session_id}/stream", self.addr);
        let Ok(mut request) = url.into_client_request() else { panic!("bad url") };
        let Ok(auth) = HeaderValue::from_str(&format!("Bearer {token}")) else { panic!("bad token") };
        request.headers_mut().insert("authorization", auth);
        connect_async(request).await.map(|(socket, _)| socket).map_err(status_of)
    }

    /// A viewer's socket for `viewer_url`, or the HTTP status that refused it.
    pub async fn viewer(&self, viewer_url: &str) -> Result<Socket, u16> {
        let url = format!("{}/ws", viewer_url.replacen("http://", "ws://", 1));
        connect_async(url).await.map(|(socket, _)| socket).map_err(status_of)
    }

    pub async fn metric(&self, name: &str) -> u64 {
        let body = self.http.get(self.url("/metrics")).send().await;
        let Ok(body) = body else { panic!("metrics: {body:?}") };
        let text = body.text().await.unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("metric {name} missing from:\n{text}"))
    }

    pub async fn status(&self, url: &str) -> u16 {
        let response = self.http.get(url).send().await;
        let Ok(response) = response else { panic!("GET {url}: {response:?}") };
        response.status().as_u16()
    }
}

fn status_of(e: tokio_tungstenite::tungstenite::Error) -> u16 {
    match e {
        tokio_tungstenite::tungstenite::Error::Http(response) => response.status().as_u16(),
        other => panic!("websocket failed without an HTTP status: {other}"),
    }
}

/// A stand-in JPEG: the SOI marker, then the frame number, then padding.
pub fn fake_jpeg(seq: u64, len: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend_from_slice(&seq.to_le_bytes());
    jpeg.resize(len.max(10), 0xAB);
    jpeg
}

pub fn seq_of(jpeg: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&jpeg[2..10]);
    u64::from_le_bytes(bytes)
}

/// The next binary message (frame), skipping text; `None` on close or after `timeout`.
pub async fn next_frame(socket: &mut Socket, timeout: Duration) -> Option<Vec<u8>> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next()).await.ok()??.ok()?;
        match message {
            Message::Binary(data) => return Some(data.to_vec()),
            Message::Close(_) => return None,
            _ => {}
        }
    }
}

/// How a socket ended: the close frame's code and reason, or the connection dropping without one.
#[derive(Debug, PartialEq, Eq)]
pub enum SocketEnd {
    Closed(u16, String),
    Dropped,
}

/// Reads until the socket ends, returning how; panics if it is still open after `timeout`, so a
/// socket that merely went quiet never passes for a closed one.
pub async fn socket_end(socket: &mut Socket, timeout: Duration) -> SocketEnd {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => panic!("the socket was still open after {timeout:?}"),
            Ok(Some(Ok(Message::Close(Some(frame))))) => {
                return SocketEnd::Closed(frame.code.into(), frame.reason.to_string());
            }
            Ok(Some(Ok(Message::Close(None))) | Some(Err(_)) | None) => return SocketEnd::Dropped,
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// `relay_rejected_total{reason="…"}` for one reason.
pub fn rejected(reason: &str) -> String {
    format!("relay_rejected_total{{reason=\"{reason}\"}}")
}

/// The next text message parsed as `T`, skipping frames and other messages that don't parse.
pub async fn next_text<T: serde::de::DeserializeOwned>(socket: &mut Socket, timeout: Duration) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next()).await.ok()??.ok()?;
        if let Message::Text(text) = message
            && let Ok(value) = serde_json::from_str(&text)
        {
            return Some(value);
        }
    }
}

pub async fn send_json<T: serde::Serialize>(socket: &mut Socket, value: &T) {
    let Ok(text) = serde_json::to_string(value) else { panic!("serialize") };
    let sent = socket.send(Message::Text(text.into())).await;
    assert!(sent.is_ok(), "send: {sent:?}");
}

/// Waits for a text message equal to `wanted`, skipping everything else.
pub async fn wait_for<T: serde::de::DeserializeOwned + PartialEq>(
    socket: &mut Socket,
    wanted: &T,
    timeout: Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match next_text::<T>(socket, left).await {
            Some(message) if message == *wanted => return true,
            Some(_) => {}
            None => return false,
        }
    }
}
