//! The staff page: a small web server for a store's associates (`fleet staff`). It follows the
//! store's request topic over MQTT and lists the open size requests by fitting room; an associate
//! types their name once and taps Accept ("Anna is bringing it" on the mirror) and Done. Replies
//! are published retained on the kiosk's reply topic, so a kiosk that was offline still gets them.
//!
//! The MQTT session is persistent (a fixed client id, clean session off): requests made while
//! the page was down are delivered when it comes back. Bad requests get a 4xx naming the problem;
//! nothing a browser sends can stop the server.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use anyhow::{Result, anyhow};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use i18n::{Strings, pages::LocalizedPage};
use protocol::{
    mqtt_url::BrokerUrl,
    requests::{REQUEST_SCHEMA, StaffBoard, StaffReply, parse_reply, parse_to_staff},
    telemetry::{Ident, now_ms},
    topics::{request_replies, request_reply, store_requests},
};
use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, QoS, TlsConfiguration, Transport};
use serde::{Deserialize, Serialize};

/// How to reach the broker and which store to serve.
#[derive(Debug, Clone)]
pub struct StaffSettings {
    pub broker: String,
    pub username: String,
    pub password: String,
    pub ca_file: String,
    pub store: Ident,
    /// The persistent MQTT session's client id (one per staff page).
    pub client_id: String,
}

struct Shared {
    board: Mutex<StaffBoard>,
    client: AsyncClient,
    store: Ident,
    connected: std::sync::atomic::AtomicBool,
    /// The page in every language, rendered once.
    page: LocalizedPage,
}

impl Shared {
    fn board(&self) -> MutexGuard<'_, StaffBoard> {
        self.board.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Serves the page on `listener` until the process ends.
pub async fn serve(settings: StaffSettings, listener: tokio::net::TcpListener) -> Result<()> {
    let url = BrokerUrl::parse(&settings.broker).map_err(|e| anyhow!("--broker: {e}"))?;
    let mut options = MqttOptions::new(&settings.client_id, url.host, url.port);
    options.set_keep_alive(Duration::from_secs(15)).set_clean_session(false).set_max_packet_size(1 << 20, 1 << 20);
    if !settings.username.is_empty() {
        options.set_credentials(&settings.username, &settings.password);
    }
    if url.tls {
        let tls = telemetry::tls::client_config(&settings.ca_file, "--ca-file", None).map_err(anyhow::Error::msg)?;
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(tls)));
    }
    let strings = Strings::load()?;
    let localized = LocalizedPage::new(&strings, "staff-", include_str!("staff.html"), |page| page);
    let (client, eventloop) = AsyncClient::new(options, 64);
    let shared = Arc::new(Shared {
        board: Mutex::new(StaffBoard::default()),
        client,
        store: settings.store.clone(),
        connected: std::sync::atomic::AtomicBool::new(false),
        page: localized,
    });
    tokio::spawn(follow_requests(Arc::clone(&shared), eventloop));
    let app = Router::new()
        .route("/", get(page))
        .route("/api/requests", get(list))
        .route("/api/requests/{id}/accept", post(accept))
        .route("/api/requests/{id}/done", post(done))
        .with_state(shared);
    let address = listener.local_addr()?;
    tracing::info!("staff page for store {} on http://{address}/", settings.store);
    axum::serve(listener, app).await?;
    Ok(())
}

/// Keeps the MQTT connection and the board up to date.
async fn follow_requests(shared: Arc<Shared>, mut eventloop: EventLoop) {
    let store = shared.store.as_str().to_string();
    let (requests, replies) = (store_requests(&store), request_replies(&store, "+"));
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                shared.connected.store(true, std::sync::atomic::Ordering::Relaxed);
                tracing::info!("staff page: connected to the broker");
                let _ = shared.client.subscribe(&requests, QoS::AtLeastOnce).await;
                let _ = shared.client.subscribe(&replies, QoS::AtLeastOnce).await;
            }
            Ok(Event::Incoming(Packet::Publish(publish))) if publish.topic == requests => {
                match parse_to_staff(&publish.payload) {
                    Ok(message) => shared.board().on_kiosk_message(message),
                    Err(e) => tracing::warn!("staff page: ignored a message on {requests}: {e}"),
                }
            }
            Ok(Event::Incoming(Packet::Publish(publish))) => {
                if publish.payload.is_empty() {
                    continue; // a cleared reply
                }
                match parse_reply(&publish.payload) {
                    Ok(reply) => shared.board().on_reply(&reply),
                    Err(e) => tracing::warn!("staff page: ignored a reply on {}: {e}", publish.topic),
                }
            }
            Ok(_) => {}
            Err(e) => {
                shared.connected.store(false, std::sync::atomic::Ordering::Relaxed);
                tracing::warn!("staff page: broker: {e}; retrying in 2 s");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

#[derive(Serialize)]
struct Listing {
    store: String,
    connected: bool,
    now_ms: u64,
    rooms: Vec<Room>,
}

#[derive(Serialize)]
struct Room {
    room: String,
    requests: Vec<protocol::requests::BoardEntry>,
}

async fn list(State(shared): State<Arc<Shared>>) -> Json<Listing> {
    let rooms = shared.board().by_room().into_iter().map(|(room, requests)| Room { room, requests }).collect();
    Json(Listing {
        store: shared.store.as_str().to_string(),
        connected: shared.connected.load(std::sync::atomic::Ordering::Relaxed),
        now_ms: now_ms(),
        rooms,
    })
}

#[derive(Deserialize)]
struct AcceptBody {
    by: String,
}

fn refuse(status: StatusCode, why: impl Into<String>) -> Response {
    (status, why.into()).into_response()
}

/// Publishes the reply `make` builds retained to the kiosk's reply topic and applies it to the
/// board.
async fn reply(shared: &Shared, id: &str, make: impl FnOnce(Ident) -> StaffReply) -> Response {
    let reply = match Ident::new(id) {
        Ok(id) => make(id),
        Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("request id: {e}")),
    };
    let kiosk = match shared.board().get(id) {
        Some(entry) => entry.request.kiosk.clone(),
        None => return refuse(StatusCode::NOT_FOUND, format!("no open request {id:?}")),
    };
    let payload = match serde_json::to_vec(&reply) {
        Ok(payload) => payload,
        Err(e) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    // The kiosk's own parser: what it would refuse is refused here, with the reason.
    if let Err(e) = parse_reply(&payload) {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string());
    }
    let topic = request_reply(shared.store.as_str(), kiosk.as_str(), id);
    if let Err(e) = shared.client.publish(topic, QoS::AtLeastOnce, true, payload).await {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, format!("cannot publish: {e}"));
    }
    shared.board().on_reply(&reply);
    StatusCode::NO_CONTENT.into_response()
}

async fn accept(State(shared): State<Arc<Shared>>, Path(id): Path<String>, Json(body): Json<AcceptBody>) -> Response {
    let by = body.by.trim().to_string();
    reply(&shared, &id, |id| StaffReply::Accepted { v: REQUEST_SCHEMA, id, by, at_ms: now_ms() }).await
}

async fn done(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    reply(&shared, &id, |id| StaffReply::Done { v: REQUEST_SCHEMA, id, at_ms: now_ms() }).await
}

/// The page in the language the associate's phone asks for.
async fn page(State(shared): State<Arc<Shared>>, asked: HeaderMap) -> Response {
    let asked = asked.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (language, html) = shared.page.for_accept_language(asked);
    ([(header::CONTENT_LANGUAGE, language.tag()), (header::VARY, "accept-language")], Html(html.to_owned()))
        .into_response()
}

/// Binds `listen` and serves; for the command line.
pub async fn run(settings: StaffSettings, listen: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| anyhow!("--listen {listen}: {e}"))?;
    serve(settings, listener).await
}
