//! The share worker: a thread with a Tokio runtime that talks to the share relay, so the Bevy
//! frame loop never waits on the network. No Bevy here.
//!
//! While sharing it opens the camera's share tap, encodes the newest tapped frame on its own
//! thread (latest wins, `share.fps`), pushes it over the relay socket, and turns what the relay
//! says into [`ShareEvent`]s. Stopping closes the tap, tells the relay to end (which closes every
//! viewer and drops the relay's frame) and deletes the session, all within a second. With no
//! `share.relay_url` the worker runs the relay in-process, reachable on the store LAN. Looks the
//! shopper shows go to the relay on the same socket, only while sharing. Sealed take-home bundles
//! go to the same relay over HTTP, whether sharing or not.

use std::{
    net::{SocketAddr, UdpSocket},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread,
    time::Duration,
};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use camera::{
    CameraShared,
    share_encoder::{ShareEncoder, ShareFormat},
};
use futures_util::{SinkExt, StreamExt};
use media::publisher::RgbaFrame;
use protocol::{
    config::ShareSection,
    share::{CreateShare, CreatedShare, KioskToRelay, LookItem, RelayToKiosk},
};
use tokio::sync::{mpsc as tokio_mpsc, watch};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use super::video::{self, VideoFeed};

/// What the app asks the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareCommand {
    Start,
    Stop,
    /// Show a look to this share's friends (ignored unless sharing): its picture and items.
    ShowLook {
        look: u64,
        items: Vec<LookItem>,
        jpeg: Vec<u8>,
    },
    /// Take a shown look back.
    HideLook {
        look: u64,
    },
    /// Store a sealed take-home bundle on the relay (ciphertext only: the key stays in the app).
    TakeHome {
        sealed: Vec<u8>,
        expires_in_s: u64,
        delete_hash: String,
    },
}

/// What the worker reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareEvent {
    /// Whether a share could start now (the relay answers), and why not.
    Availability { available: bool, reason: Option<String> },
    /// Friends can watch at `viewer_url`.
    Live { viewer_url: String },
    /// Viewer counts, reactions, votes and comments, as the relay sent them.
    Relay(RelayToKiosk),
    /// Sharing stopped (asked to, ended by the relay, or failed).
    Stopped { reason: String },
    /// Where a take-home bundle is now (its link without the fragment), or why it is not.
    TakeHome(Result<String, String>),
}

/// What the worker needs to know besides `[share]`.
#[derive(Debug, Clone)]
pub struct ShareSettings {
    pub section: ShareSection,
    pub kiosk_id: String,
    pub format: ShareFormat,
    /// The chain's brand, for the in-process relay's pages.
    pub theme: protocol::config::ThemeSection,
}

/// Handle to the worker thread.
pub struct ShareWorker {
    commands: tokio_mpsc::UnboundedSender<ShareCommand>,
    events: Mutex<mpsc::Receiver<ShareEvent>>,
}

impl ShareWorker {
    pub fn spawn(settings: ShareSettings, camera: Arc<CameraShared>) -> std::io::Result<Self> {
        let (commands, command_rx) = tokio_mpsc::unbounded_channel();
        let (event_tx, events) = mpsc::channel();
        thread::Builder::new().name("share-worker".into()).spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
            match runtime {
                Ok(runtime) => runtime.block_on(run(settings, camera, command_rx, event_tx)),
                Err(e) => {
                    let _ = event_tx
                        .send(ShareEvent::Availability { available: false, reason: Some(format!("no runtime: {e}")) });
                }
            }
        })?;
        Ok(Self { commands, events: Mutex::new(events) })
    }

    pub fn send(&self, command: ShareCommand) {
        let _ = self.commands.send(command);
    }

    /// Events that arrived since the last call.
    pub fn drain(&self) -> Vec<ShareEvent> {
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.try_iter().collect()
    }
}

/// Where the relay is and how this kiosk authenticates there.
#[derive(Clone)]
struct Endpoint {
    api: String,
    key: String,
}

/// This machine's address on the store LAN: the source address the kernel would use to reach a
/// private address. A UDP `connect` sends no packet.
fn lan_address() -> Option<std::net::IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    socket.local_addr().ok().map(|a| a.ip()).filter(|ip| !ip.is_unspecified())
}

async fn start_embedded_relay(settings: &ShareSettings) -> Result<Endpoint, String> {
    let section = &settings.section;
    let listener = tokio::net::TcpListener::bind(&section.embedded_listen)
        .await
        .map_err(|e| format!("in-process relay cannot listen on {}: {e}", section.embedded_listen))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let port = bound.port();
    // This process reaches its relay on loopback, unless it listens on one address only.
    let own = if bound.ip().is_unspecified() { std::net::IpAddr::from([127, 0, 0, 1]) } else { bound.ip() };
    let public_url = if section.embedded_public_url.is_empty() {
        let host = lan_address().map(|ip| ip.to_string()).unwrap_or_else(|| "127.0.0.1".into());
        format!("http://{host}:{port}")
    } else {
        section.embedded_public_url.clone()
    };
    let key = relay::sessions::random_token();
    let config = relay::config::RelayConfig {
        listen: bound,
        public_url: public_url.clone(),
        kiosk_keys: [(settings.kiosk_id.clone(), key.clone())].into_iter().collect(),
        limits: relay::config::Limits::default(),
        take_home_store: None,
        theme: settings.theme.clone(),
        sfu: (!section.embedded_janus.is_empty()).then(|| relay::sfu::SfuConfig {
            janus: section.embedded_janus.clone(),
            api_secret: section.embedded_janus_api_secret.clone(),
            admin_key: Some(section.embedded_janus_admin_key.clone()).filter(|k| !k.is_empty()),
            max_bitrate: section.video_bitrate_bps,
            ice_servers: Vec::new(),
        }),
    };
    tokio::spawn(async move {
        if let Err(e) = relay::serve(listener, config, std::future::pending()).await {
            tracing::error!("in-process share relay stopped: {e}");
        }
    });
    tracing::info!("in-process share relay on port {port}; phones open {public_url}");
    Ok(Endpoint { api: format!("http://{}", SocketAddr::new(own, port)), key })
}

async fn run(
    settings: ShareSettings,
    camera: Arc<CameraShared>,
    mut commands: tokio_mpsc::UnboundedReceiver<ShareCommand>,
    events: mpsc::Sender<ShareEvent>,
) {
    let retry = Duration::from_secs_f32(settings.section.retry_s);
    let endpoint = if settings.section.relay_url.is_empty() {
        loop {
            match start_embedded_relay(&settings).await {
                Ok(endpoint) => break endpoint,
                Err(reason) => {
                    let _ = events.send(ShareEvent::Availability { available: false, reason: Some(reason) });
                    tokio::time::sleep(retry).await;
                }
            }
        }
    } else {
        Endpoint {
            api: settings.section.relay_url.trim_end_matches('/').to_string(),
            key: settings.section.kiosk_key.clone(),
        }
    };
    let tls = loop {
        // The system's certificate authorities plus `share.relay_ca_file`; used by both the HTTP
        // client and the stream socket.
        match telemetry::tls::client_config(&settings.section.relay_ca_file, "share.relay_ca_file", None) {
            Ok(tls) => break tls,
            Err(reason) => {
                let _ = events.send(ShareEvent::Availability { available: false, reason: Some(reason) });
                tokio::time::sleep(retry).await;
            }
        }
    };
    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .use_preconfigured_tls((*tls).clone())
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            let _ = events
                .send(ShareEvent::Availability { available: false, reason: Some(format!("no HTTP client: {e}")) });
            return;
        }
    };
    let mut available = None;
    loop {
        // Between shares: check the relay now and then, and wait for Start.
        let healthy = http.get(format!("{}/healthz", endpoint.api)).send().await;
        let problem = match healthy {
            Ok(response) if response.status().is_success() => None,
            Ok(response) => Some(format!("answers {}", response.status())),
            Err(e) => Some(format!("is not answering: {}", with_causes(&e))),
        };
        let now = problem.is_none();
        if available != Some(now) {
            available = Some(now);
            let reason = problem.map(|p| format!("share relay at {} {p}", endpoint.api));
            let _ = events.send(ShareEvent::Availability { available: now, reason });
        }
        let command = tokio::time::timeout(retry, commands.recv()).await;
        match command {
            Ok(None) => return, // the app is gone
            Ok(Some(ShareCommand::Start)) => {
                let reason = share(&settings, &endpoint, &http, &tls, &camera, &mut commands, &events).await;
                camera.share_tap.close();
                let _ = events.send(ShareEvent::Stopped { reason });
            }
            Ok(Some(ShareCommand::TakeHome { sealed, expires_in_s, delete_hash })) => {
                let job = TakeHomeJob { sealed, expires_in_s, delete_hash };
                tokio::spawn(store_take_home(
                    http.clone(),
                    endpoint.clone(),
                    settings.kiosk_id.clone(),
                    job,
                    events.clone(),
                ));
            }
            // Not sharing: there is nobody to show a look to.
            Ok(Some(_)) | Err(_) => {}
        }
    }
}

/// An error with its causes, outermost first: reqwest's own message ("error sending request")
/// does not say that it was the certificate.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

/// One share, from creating the relay session to ending it. Returns why it stopped.
async fn share(
    settings: &ShareSettings,
    endpoint: &Endpoint,
    http: &reqwest::Client,
    tls: &Arc<rustls::ClientConfig>,
    camera: &Arc<CameraShared>,
    commands: &mut tokio_mpsc::UnboundedReceiver<ShareCommand>,
    events: &mpsc::Sender<ShareEvent>,
) -> String {
    let created = http
        .post(format!("{}/api/v1/sessions", endpoint.api))
        .bearer_auth(&endpoint.key)
        .json(&CreateShare { kiosk_id: settings.kiosk_id.clone() })
        .send()
        .await;
    let share = match created {
        Ok(response) if response.status().is_success() => match response.json::<CreatedShare>().await {
            Ok(share) => share,
            Err(e) => return format!("the relay's answer was not understood: {e}"),
        },
        Ok(response) => return format!("the relay refused the share: {}", response.status()),
        Err(e) => return format!("the relay is unreachable: {}", with_causes(&e)),
    };
    let stream_url = format!("{}/api/v1/sessions/{}/stream", endpoint.api.replacen("http", "ws", 1), share.session_id);
    let Ok(mut request) = stream_url.as_str().into_client_request() else { return "bad relay URL".into() };
    let Ok(auth) = HeaderValue::from_str(&format!("Bearer {}", share.kiosk_token)) else {
        return "bad relay token".into();
    };
    request.headers_mut().insert("authorization", auth);
    let connector = tokio_tungstenite::Connector::Rustls(Arc::clone(tls));
    let mut socket = match tokio_tungstenite::connect_async_tls_with_config(request, None, true, Some(connector)).await
    {
        Ok((socket, _)) => socket,
        Err(e) => return format!("cannot open the relay stream: {e}"),
    };

    // Stopped while connecting (the session may have ended meanwhile): not one frame goes out.
    if matches!(commands.try_recv(), Ok(ShareCommand::Stop)) {
        end_on_relay(socket, http, endpoint, &share).await;
        return "stopped".to_string();
    }
    // Scale and encode on a plain thread: newest tapped frame in, newest JPEG out, and the same
    // share-sized picture to the WebRTC publisher once it runs.
    camera.share_tap.open(settings.section.fps);
    let (jpeg_tx, mut jpeg_rx) = watch::channel::<Option<Vec<u8>>>(None);
    let encoding = Arc::new(AtomicBool::new(true));
    let feed = Arc::new(VideoFeed::default());
    let (size_tx, size_rx) = tokio::sync::oneshot::channel();
    let encoder = {
        let (camera, encoding, format, feed) =
            (Arc::clone(camera), Arc::clone(&encoding), settings.format, Arc::clone(&feed));
        thread::Builder::new().name("share-encoder".into()).spawn(move || {
            let mut encoder = ShareEncoder::new(format);
            let mut size_tx = Some(size_tx);
            while encoding.load(Ordering::Relaxed) {
                let Some(frame) = camera.share_tap.wait_take(Duration::from_millis(100)) else { continue };
                let (width, height) = match encoder.scale(&frame) {
                    Ok(size) => size,
                    Err(e) => {
                        tracing::warn!("share frame not scaled: {e}");
                        continue;
                    }
                };
                if let Some(tx) = size_tx.take() {
                    let _ = tx.send((width, height));
                }
                if feed.publishing.load(Ordering::Relaxed) {
                    let data = encoder.picture().into();
                    feed.slot.put(RgbaFrame { width, height, stride: width * 4, data, captured: frame.captured_at });
                }
                match encoder.jpeg() {
                    Ok(jpeg) => {
                        jpeg_tx.send_replace(Some(jpeg));
                    }
                    Err(e) => tracing::warn!("share frame not encoded: {e}"),
                }
            }
        })
    };
    let (stop_video, video_stopped) = watch::channel(false);
    let video = tokio::spawn(video::run(
        http.clone(),
        endpoint.api.clone(),
        share.clone(),
        settings.section.clone(),
        size_rx,
        Arc::clone(&feed),
        video_stopped,
    ));
    let _ = events.send(ShareEvent::Live { viewer_url: share.viewer_url.clone() });

    let reason = loop {
        tokio::select! {
            changed = jpeg_rx.changed() => {
                if changed.is_err() { break "the encoder stopped".to_string(); }
                let jpeg = jpeg_rx.borrow_and_update().clone();
                if let Some(jpeg) = jpeg && socket.send(Message::Binary(jpeg.into())).await.is_err() {
                    break "lost the connection to the relay".to_string();
                }
            }
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => match serde_json::from_str::<RelayToKiosk>(&text) {
                    Ok(RelayToKiosk::Ended { reason }) => break format!("the relay ended the share: {reason}"),
                    Ok(message) => { let _ = events.send(ShareEvent::Relay(message)); }
                    Err(e) => tracing::warn!("unexpected message from the relay: {e}"),
                },
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break "the relay closed the stream".to_string(),
                Some(Ok(_)) => {}
            },
            command = commands.recv() => match command {
                Some(ShareCommand::Stop) | None => break "stopped".to_string(),
                Some(ShareCommand::Start) => {}
                Some(ShareCommand::ShowLook { look, items, jpeg }) => {
                    let show = KioskToRelay::ShowLook { look, items, jpeg_base64: BASE64_STANDARD.encode(jpeg) };
                    if !send_text(&mut socket, &show).await {
                        break "lost the connection to the relay".to_string();
                    }
                }
                Some(ShareCommand::HideLook { look }) => {
                    if !send_text(&mut socket, &KioskToRelay::HideLook { look }).await {
                        break "lost the connection to the relay".to_string();
                    }
                }
                Some(ShareCommand::TakeHome { sealed, expires_in_s, delete_hash }) => {
                    let job = TakeHomeJob { sealed, expires_in_s, delete_hash };
                    let (http, endpoint) = (http.clone(), endpoint.clone());
                    tokio::spawn(store_take_home(http, endpoint, settings.kiosk_id.clone(), job, events.clone()));
                }
            }
        }
    };

    // Stop the streams first, then make sure the relay forgets everything.
    camera.share_tap.close();
    encoding.store(false, Ordering::Relaxed);
    stop_video.send_replace(true);
    let _ = tokio::time::timeout(Duration::from_millis(500), video).await;
    end_on_relay(socket, http, endpoint, &share).await;
    if let Ok(encoder) = encoder {
        let _ = tokio::task::spawn_blocking(move || encoder.join()).await;
    }
    reason
}

/// A sealed take-home bundle on its way to the relay.
struct TakeHomeJob {
    sealed: Vec<u8>,
    expires_in_s: u64,
    delete_hash: String,
}

/// Uploads a take-home bundle and reports its link (without the fragment) or why not.
async fn store_take_home(
    http: reqwest::Client,
    endpoint: Endpoint,
    kiosk_id: String,
    job: TakeHomeJob,
    events: mpsc::Sender<ShareEvent>,
) {
    let url = format!(
        "{}/api/v1/takehome?kiosk={kiosk_id}&expires_in_s={}&delete_hash={}",
        endpoint.api, job.expires_in_s, job.delete_hash
    );
    let answer = http.post(url).bearer_auth(&endpoint.key).body(job.sealed).send().await;
    let outcome = match answer {
        Ok(response) if response.status().is_success() => match response.json::<serde_json::Value>().await {
            Ok(stored) => stored["url"].as_str().map(String::from).ok_or_else(|| "the relay gave no link".to_string()),
            Err(e) => Err(format!("the relay's answer was not understood: {e}")),
        },
        Ok(response) => Err(format!("the relay refused it: {}", response.status())),
        Err(e) => Err(format!("the relay is unreachable: {}", with_causes(&e))),
    };
    let _ = events.send(ShareEvent::TakeHome(outcome));
}

/// Sends one text message; false if the socket is gone.
async fn send_text(socket: &mut RelaySocket, message: &KioskToRelay) -> bool {
    let Ok(text) = serde_json::to_string(message) else { return true };
    socket.send(Message::Text(text.into())).await.is_ok()
}

/// Tells the relay the share is over (which closes every viewer and drops its frame), then
/// deletes the session in case the socket was already gone. Bounded to under a second.
async fn end_on_relay(mut socket: RelaySocket, http: &reqwest::Client, endpoint: &Endpoint, share: &CreatedShare) {
    let end = serde_json::to_string(&KioskToRelay::End).unwrap_or_default();
    let _ = tokio::time::timeout(Duration::from_millis(300), socket.send(Message::Text(end.into()))).await;
    let _ = tokio::time::timeout(Duration::from_millis(200), socket.close(None)).await;
    let _ = tokio::time::timeout(
        Duration::from_millis(400),
        http.delete(format!("{}/api/v1/sessions/{}", endpoint.api, share.session_id))
            .bearer_auth(&share.kiosk_token)
            .send(),
    )
    .await;
}

type RelaySocket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
