//! The media server that carries a share's live video when WebRTC gets through: the relay keeps
//! the signalling (the kiosk publishes by WHIP, phones watch through a WHEP-shaped endpoint, both
//! on the relay, see [`crate::media`]) and places each share's room on one of the configured
//! servers. [`Sfu`] is what the relay needs of a media server; [`JanusRooms`] implements it over
//! the Janus instances in `[sfu]` (chain scale: more instances). LiveKit or MediaMTX would be
//! another implementation of the same trait.

pub mod janus;

use std::{
    future::Future,
    pin::Pin,
    sync::atomic::{AtomicUsize, Ordering},
};

use serde_json::json;

use self::janus::Janus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SfuError {
    /// No media server answered (the viewer falls back to the JPEG stream).
    #[error("media server unreachable: {0}")]
    Unreachable(String),
    /// A media server answered no, with its reason.
    #[error("media server refused: {0}")]
    Refused(String),
}

pub type SfuFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, SfuError>> + Send + 'a>>;

/// One share's room on a media server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Which of the configured servers holds it.
    pub server: usize,
    pub id: u64,
    /// What the room's own management requests carry (destroy).
    pub secret: String,
}

/// One peer connection in a room: the kiosk publishing, or one phone watching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub handle: u64,
}

/// What the relay needs of a media server.
pub trait Sfu: Send + Sync + std::fmt::Debug {
    /// A new room for a share, on the least loaded server that answers.
    fn open_room(&self) -> SfuFuture<'_, Room>;
    /// The kiosk's offer in; the server's answer out.
    fn publish<'a>(&'a self, room: &'a Room, offer: &'a str) -> SfuFuture<'a, (Peer, String)>;
    /// A phone joins: the server's offer for the room's stream.
    fn subscribe<'a>(&'a self, room: &'a Room) -> SfuFuture<'a, (Peer, String)>;
    /// The phone's answer to that offer; media flows after it.
    fn answer<'a>(&'a self, room: &'a Room, peer: Peer, answer: &'a str) -> SfuFuture<'a, ()>;
    /// Hangs one peer up.
    fn leave<'a>(&'a self, room: &'a Room, peer: Peer) -> SfuFuture<'a, ()>;
    /// Closes the room: every peer in it is hung up.
    fn close_room<'a>(&'a self, room: &'a Room) -> SfuFuture<'a, ()>;
}

/// Rooms on Janus instances (the VideoRoom plugin).
#[derive(Debug)]
pub struct JanusRooms {
    servers: Vec<Janus>,
    open: Vec<AtomicUsize>,
    /// The most a share's video may use, bits per second.
    bitrate: u32,
    admin_key: Option<String>,
}

impl JanusRooms {
    pub fn new(config: &SfuConfig) -> Result<Self, SfuError> {
        let servers =
            config.janus.iter().map(|url| Janus::new(url, &config.api_secret)).collect::<Result<Vec<_>, _>>()?;
        let open = servers.iter().map(|_| AtomicUsize::new(0)).collect();
        Ok(Self { servers, open, bitrate: config.max_bitrate, admin_key: config.admin_key.clone() })
    }

    fn server(&self, room: &Room) -> Result<&Janus, SfuError> {
        self.servers.get(room.server).ok_or_else(|| SfuError::Refused(format!("no media server {}", room.server)))
    }

    /// The publisher's id in `room` (the feed a phone subscribes to).
    async fn publisher(&self, janus: &Janus, room: &Room) -> Result<u64, SfuError> {
        let handle = janus.attach().await?;
        let listed = janus.message(handle, json!({ "request": "listparticipants", "room": room.id }), None).await;
        janus.detach(handle).await;
        let listed = listed?;
        let feeds = listed.data["participants"].as_array().cloned().unwrap_or_default();
        feeds
            .iter()
            .find(|p| p["publisher"] == true)
            .and_then(|p| p["id"].as_u64())
            .ok_or_else(|| SfuError::Unreachable("the kiosk is not publishing (yet)".into()))
    }
}

impl Sfu for JanusRooms {
    fn open_room(&self) -> SfuFuture<'_, Room> {
        Box::pin(async move {
            let mut order: Vec<usize> = (0..self.servers.len()).collect();
            order.sort_by_key(|&i| self.open[i].load(Ordering::Relaxed));
            let mut last = SfuError::Unreachable("no media server configured".into());
            for server in order {
                let janus = &self.servers[server];
                let room = Room { server, id: rand::random::<u64>() >> 11, secret: crate::sessions::random_token() };
                let created = async {
                    let handle = janus.attach().await?;
                    let mut body = json!({
                        "request": "create", "room": room.id, "secret": room.secret, "is_private": true,
                        "publishers": 1, "videocodec": "vp8", "audiocodec": "opus", "bitrate": self.bitrate,
                        "bitrate_cap": true, "fir_freq": 2, "notify_joining": false, "permanent": false,
                        // Janus records nothing: a share leaves no trace once its room is gone.
                        "record": false, "lock_record": true,
                    });
                    if let Some(key) = &self.admin_key {
                        body["admin_key"] = json!(key);
                    }
                    let created = janus.message(handle, body, None).await;
                    janus.detach(handle).await;
                    created
                };
                match created.await {
                    Ok(_) => {
                        self.open[server].fetch_add(1, Ordering::Relaxed);
                        tracing::info!("media room {} on {}", room.id, janus.url());
                        return Ok(room);
                    }
                    Err(e) => {
                        tracing::warn!("media server {}: {e}", janus.url());
                        last = e;
                    }
                }
            }
            Err(last)
        })
    }

    fn publish<'a>(&'a self, room: &'a Room, offer: &'a str) -> SfuFuture<'a, (Peer, String)> {
        Box::pin(async move {
            let janus = self.server(room)?;
            let handle = janus.attach().await?;
            let body = json!({ "request": "joinandconfigure", "room": room.id, "ptype": "publisher", "display": "mirror",
                "bitrate": self.bitrate });
            let joined = janus.message(handle, body, Some(("offer", offer))).await;
            let answer = match joined.map(|a| a.sdp) {
                Ok(Some(sdp)) => sdp,
                Ok(None) => return Err(SfuError::Refused("no SDP answer to the kiosk's offer".into())),
                Err(e) => {
                    janus.detach(handle).await;
                    return Err(e);
                }
            };
            janus.candidates_complete(handle).await?;
            Ok((Peer { handle }, answer))
        })
    }

    fn subscribe<'a>(&'a self, room: &'a Room) -> SfuFuture<'a, (Peer, String)> {
        Box::pin(async move {
            let janus = self.server(room)?;
            let feed = self.publisher(janus, room).await?;
            let handle = janus.attach().await?;
            let body =
                json!({ "request": "join", "room": room.id, "ptype": "subscriber", "streams": [{ "feed": feed }] });
            match janus.message(handle, body, None).await.map(|a| a.sdp) {
                Ok(Some(offer)) => Ok((Peer { handle }, offer)),
                Ok(None) => {
                    janus.detach(handle).await;
                    Err(SfuError::Refused("no SDP offer for the viewer".into()))
                }
                Err(e) => {
                    janus.detach(handle).await;
                    Err(e)
                }
            }
        })
    }

    fn answer<'a>(&'a self, room: &'a Room, peer: Peer, answer: &'a str) -> SfuFuture<'a, ()> {
        Box::pin(async move {
            let janus = self.server(room)?;
            janus.message(peer.handle, json!({ "request": "start" }), Some(("answer", answer))).await?;
            janus.candidates_complete(peer.handle).await
        })
    }

    fn leave<'a>(&'a self, room: &'a Room, peer: Peer) -> SfuFuture<'a, ()> {
        Box::pin(async move {
            self.server(room)?.detach(peer.handle).await;
            Ok(())
        })
    }

    fn close_room<'a>(&'a self, room: &'a Room) -> SfuFuture<'a, ()> {
        Box::pin(async move {
            let janus = self.server(room)?;
            let handle = janus.attach().await?;
            let body = json!({ "request": "destroy", "room": room.id, "secret": room.secret, "permanent": false });
            let destroyed = janus.message(handle, body, None).await;
            janus.detach(handle).await;
            self.open[room.server].fetch_sub(1, Ordering::Relaxed);
            destroyed.map(|_| ())
        })
    }
}

/// `[sfu]` in the relay's configuration: the Janus instances rooms are placed on.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SfuConfig {
    /// Janus HTTP API URLs, e.g. `["http://janus-1.internal:8088/janus"]`.
    pub janus: Vec<String>,
    /// Janus's `api_secret` (the same on every instance).
    pub api_secret: String,
    /// The VideoRoom plugin's `admin_key`, when it is set (then only its holders create rooms).
    #[serde(default)]
    pub admin_key: Option<String>,
    /// The most a share's video may use, bits per second (Janus caps the publisher's REMB).
    #[serde(default = "default_bitrate")]
    pub max_bitrate: u32,
    /// STUN/TURN servers for phones (a coturn for store Wi-Fi that blocks UDP), handed to each
    /// viewer in the WHEP answer's `Link` headers (RFC 9725 §4.6).
    #[serde(default)]
    pub ice_servers: Vec<IceServer>,
}

/// One STUN or TURN server, e.g. `turn:turn.example-chain.com:3478?transport=udp`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceServer {
    pub url: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub credential: String,
}

impl IceServer {
    /// The `Link` header value that names this server.
    pub fn link(&self) -> String {
        let quote = |s: &str| s.replace(['"', '\\', '\r', '\n'], "");
        let mut link = format!("<{}>; rel=\"ice-server\"", quote(&self.url));
        if !self.username.is_empty() {
            link.push_str(&format!(
                "; username=\"{}\"; credential=\"{}\"; credential-type=\"password\"",
                quote(&self.username),
                quote(&self.credential)
            ));
        }
        link
    }
}

impl SfuConfig {
    /// At least one Janus URL, each `http(s)://`; a secret; a bitrate a phone can take.
    pub fn validate(&self) -> Result<(), String> {
        if self.janus.is_empty() {
            return Err("key `sfu.janus`: list at least one Janus HTTP API URL".into());
        }
        if let Some(url) = self.janus.iter().find(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
            return Err(format!(
                "key `sfu.janus`: {url:?} is not a Janus HTTP API URL like http://10.0.5.11:8088/janus"
            ));
        }
        if self.api_secret.is_empty() {
            return Err("key `sfu.api_secret`: must be Janus's api_secret (only the relay may use Janus)".into());
        }
        if !(100_000..=8_000_000).contains(&self.max_bitrate) {
            return Err(format!(
                "key `sfu.max_bitrate`: {} is outside 100000..=8000000 bits per second",
                self.max_bitrate
            ));
        }
        if let Some(server) =
            self.ice_servers.iter().find(|s| !["stun:", "turn:", "turns:"].iter().any(|p| s.url.starts_with(p)))
        {
            return Err(format!("key `sfu.ice_servers`: {:?} is not a stun:, turn: or turns: URL", server.url));
        }
        Ok(())
    }
}

fn default_bitrate() -> u32 {
    600_000
}
