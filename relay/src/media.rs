//! WebRTC signalling for a share's live video, on the relay, in front of the media server
//! ([`crate::sfu`]): the kiosk publishes by WHIP (RFC 9725) and each phone watches through a
//! WHEP-shaped endpoint whose first answer is the server's offer (Janus offers to subscribers).
//! Nobody talks to the media server but the relay, so the share's tokens are all it takes.
//!
//! - `POST /api/v1/sessions/{id}/whip` (the kiosk's bearer token, `application/sdp` offer) →
//!   `201` with the answer; `DELETE` the same path stops publishing.
//! - `POST /v/{token}/whep` → `201` with the offer and `Location: /v/{token}/whep/{peer}`;
//!   `PATCH` that location with the answer (`204`); `DELETE` it to leave.
//!
//! A share's room opens with its first publish and closes when the share ends (every peer hung
//! up), within the second the sweep or the kiosk's end takes. No media server, or none that
//! answers, is a `503`: the viewer page then shows the JPEG stream.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use tokio::sync::Mutex;

use crate::{
    Relay,
    http::{ApiError, authorised_session},
    sessions::{Lookup, Session, random_token},
    sfu::{Peer, Room, Sfu, SfuError},
};

/// The largest SDP taken (a real one is a few KiB).
const MAX_SDP_BYTES: usize = 64 * 1024;

/// One share's room and who is in it.
#[derive(Debug)]
struct ShareRoom {
    room: Room,
    publisher: Option<Peer>,
    viewers: HashMap<String, Peer>,
}

/// Every share's room, by share id.
#[derive(Debug, Default)]
pub struct MediaRooms {
    rooms: Mutex<HashMap<String, ShareRoom>>,
}

impl MediaRooms {
    /// Gauges for `/metrics`: open rooms, kiosks publishing, phones watching over WebRTC.
    pub async fn render(&self) -> String {
        let rooms = self.rooms.lock().await;
        let publishing = rooms.values().filter(|share| share.publisher.is_some()).count();
        let watching: usize = rooms.values().map(|share| share.viewers.len()).sum();
        format!(
            "# TYPE relay_media_rooms gauge\nrelay_media_rooms {}\n\
             # TYPE relay_media_publishers gauge\nrelay_media_publishers {publishing}\n\
             # TYPE relay_media_viewers gauge\nrelay_media_viewers {watching}\n",
            rooms.len()
        )
    }
}

impl From<SfuError> for ApiError {
    fn from(e: SfuError) -> Self {
        match e {
            SfuError::Unreachable(_) => ApiError(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            SfuError::Refused(_) => ApiError(StatusCode::BAD_GATEWAY, e.to_string()),
        }
    }
}

fn sfu(relay: &Relay) -> Result<&Arc<dyn Sfu>, ApiError> {
    relay.sfu.as_ref().ok_or_else(|| ApiError(StatusCode::SERVICE_UNAVAILABLE, "no media server configured".into()))
}

fn sdp_body(body: &str) -> Result<&str, ApiError> {
    if body.len() > MAX_SDP_BYTES || !body.starts_with("v=0") {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("the body must be an SDP of at most {MAX_SDP_BYTES} bytes"),
        ));
    }
    Ok(body)
}

fn sdp_created(location: String, sdp: String) -> Response {
    (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/sdp".to_owned()), (header::LOCATION, location)], sdp)
        .into_response()
}

/// Closes the share's room once the share ends.
fn close_when_ended(relay: Arc<Relay>, session: Arc<Session>) {
    tokio::spawn(async move {
        let mut ended = session.ended();
        while !*ended.borrow_and_update() {
            if ended.changed().await.is_err() {
                break;
            }
        }
        let Some(room) = relay.media.rooms.lock().await.remove(&session.id) else { return };
        if let Ok(sfu) = sfu(&relay)
            && let Err(e) = sfu.close_room(&room.room).await
        {
            tracing::warn!(session = %session.id, "closing the media room: {e}");
        }
        tracing::info!(session = %session.id, "media room closed");
    });
}

/// `POST /api/v1/sessions/{id}/whip`: the kiosk's offer; the answer.
pub async fn publish(
    State(relay): State<Arc<Relay>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    let session = authorised_session(&relay, &id, &headers)?;
    let offer = sdp_body(&body)?;
    let sfu = sfu(&relay)?;
    let mut rooms = relay.media.rooms.lock().await;
    if !rooms.contains_key(&id) {
        let room = sfu.open_room().await?;
        rooms.insert(id.clone(), ShareRoom { room, publisher: None, viewers: HashMap::new() });
        close_when_ended(Arc::clone(&relay), Arc::clone(&session));
    }
    let Some(share) = rooms.get_mut(&id) else { return Err(ApiError::not_found()) };
    if let Some(previous) = share.publisher.take() {
        let _ = sfu.leave(&share.room, previous).await;
    }
    let (peer, answer) = sfu.publish(&share.room, offer).await?;
    share.publisher = Some(peer);
    Ok(sdp_created(format!("/api/v1/sessions/{id}/whip"), answer))
}

/// `DELETE /api/v1/sessions/{id}/whip`: the kiosk stops publishing.
pub async fn unpublish(
    State(relay): State<Arc<Relay>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    authorised_session(&relay, &id, &headers)?;
    let sfu = sfu(&relay)?;
    let mut rooms = relay.media.rooms.lock().await;
    if let Some(share) = rooms.get_mut(&id)
        && let Some(peer) = share.publisher.take()
    {
        sfu.leave(&share.room, peer).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

fn viewer_session(relay: &Relay, token: &str) -> Result<Arc<Session>, ApiError> {
    match relay.registry.by_viewer_token(token) {
        Lookup::Live(session) => Ok(session),
        Lookup::Ended => Err(ApiError::gone()),
        Lookup::Unknown => Err(ApiError::not_found()),
    }
}

/// `POST /v/{token}/whep`: a phone asks to watch; the media server's offer.
pub async fn watch(State(relay): State<Arc<Relay>>, Path(token): Path<String>) -> Result<Response, ApiError> {
    let session = viewer_session(&relay, &token)?;
    let sfu = sfu(&relay)?;
    let room = relay.media.rooms.lock().await.get(&session.id).map(|share| share.room.clone());
    let room = room.ok_or_else(|| ApiError(StatusCode::SERVICE_UNAVAILABLE, "no live video for this share".into()))?;
    let (peer, offer) = sfu.subscribe(&room).await?;
    let peer_token = random_token();
    let mut rooms = relay.media.rooms.lock().await;
    match rooms.get_mut(&session.id) {
        Some(share) if share.room == room => {
            share.viewers.insert(peer_token.clone(), peer);
        }
        // The share ended meanwhile: its room is gone with every peer.
        _ => return Err(ApiError::gone()),
    }
    let mut response = sdp_created(format!("/v/{token}/whep/{peer_token}"), offer);
    let servers = relay.config.sfu.as_ref().map(|sfu| sfu.ice_servers.as_slice()).unwrap_or_default();
    for server in servers {
        if let Ok(link) = header::HeaderValue::from_str(&server.link()) {
            response.headers_mut().append(header::LINK, link);
        }
    }
    Ok(response)
}

async fn viewer_peer(relay: &Relay, token: &str, peer: &str) -> Result<(Room, Peer), ApiError> {
    let session = viewer_session(relay, token)?;
    let rooms = relay.media.rooms.lock().await;
    let share = rooms.get(&session.id).ok_or_else(ApiError::gone)?;
    let viewer = share.viewers.get(peer).copied().ok_or_else(ApiError::not_found)?;
    Ok((share.room.clone(), viewer))
}

/// `PATCH /v/{token}/whep/{peer}`: the phone's answer.
pub async fn viewer_answer(
    State(relay): State<Arc<Relay>>,
    Path((token, peer)): Path<(String, String)>,
    body: String,
) -> Result<StatusCode, ApiError> {
    let answer = sdp_body(&body)?;
    let (room, viewer) = viewer_peer(&relay, &token, &peer).await?;
    sfu(&relay)?.answer(&room, viewer, answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /v/{token}/whep/{peer}`: the phone stops watching.
pub async fn viewer_leave(
    State(relay): State<Arc<Relay>>,
    Path((token, peer)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (room, viewer) = viewer_peer(&relay, &token, &peer).await?;
    sfu(&relay)?.leave(&room, viewer).await?;
    let session = viewer_session(&relay, &token)?;
    if let Some(share) = relay.media.rooms.lock().await.get_mut(&session.id) {
        share.viewers.remove(&peer);
    }
    Ok(StatusCode::NO_CONTENT)
}
