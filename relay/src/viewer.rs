//! Friends' side: the viewer page and its socket. Each viewer gets the newest frame only after
//! acknowledging the previous one, so a slow phone skips frames and never delays anyone. Every
//! friend's reactions and comments go to the kiosk and to every viewer of the look, so friends
//! watching together see each other; the looks the shopper shows appear as cards that friends
//! pick "This one" from, each viewer one pick.

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use axum::{
    extract::{
        Path, State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket, close_code},
    },
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use protocol::share::{REACTIONS, RelayToKiosk, RelayToViewer, ViewerToRelay, clean_comment};
use tokio::sync::broadcast::error::RecvError;

use crate::{
    Relay,
    http::ApiError,
    metrics::{Rejection, is_too_large},
    pages::{Page, Pages},
    sessions::{Lookup, RateLimit, Session},
};

fn live_session(relay: &Relay, token: &str) -> Result<Arc<Session>, ApiError> {
    match relay.registry.by_viewer_token(token) {
        Lookup::Live(session) => Ok(session),
        Lookup::Ended => Err(ApiError::gone()),
        Lookup::Unknown => Err(ApiError::not_found()),
    }
}

pub async fn page(State(relay): State<Arc<Relay>>, Path(token): Path<String>, asked: HeaderMap) -> Response {
    let (language, html) = relay.pages.render(Page::Viewer, &asked);
    let page = (Pages::language_headers(language), Html(html.to_owned()));
    let headers = [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self' ws: wss:",
        ),
    ];
    match relay.registry.by_viewer_token(&token) {
        Lookup::Live(_) => (headers, page).into_response(),
        // The page itself explains an ended look; the status tells machines.
        Lookup::Ended => (StatusCode::GONE, headers, page).into_response(),
        Lookup::Unknown => ApiError::not_found().into_response(),
    }
}

/// `GET /v/{token}/looks/{look}`: a look the shopper showed, to this share's viewers only.
pub async fn look_picture(
    State(relay): State<Arc<Relay>>,
    Path((token, look)): Path<(String, u64)>,
) -> Result<Response, ApiError> {
    let session = live_session(&relay, &token)?;
    let jpeg = session.looks.picture(look).ok_or_else(ApiError::not_found)?;
    let headers = [(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "no-store")];
    Ok((headers, jpeg).into_response())
}

pub async fn socket(
    State(relay): State<Arc<Relay>>,
    Path(token): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let session = live_session(&relay, &token)?;
    let limits = &relay.config.limits;
    if !session.try_add_viewer(limits.max_viewers_per_session) {
        relay.registry.metrics.reject(Rejection::ViewerLimit);
        return Err(ApiError(StatusCode::TOO_MANY_REQUESTS, "this look has as many viewers as it can take".into()));
    }
    let max = limits.max_viewer_message_bytes;
    // Viewers send only small messages: a 4 KiB read buffer instead of the default 128 KiB is
    // most of the relay's memory per viewer (README: Performance).
    let upgrade = upgrade.max_message_size(max).max_frame_size(max).read_buffer_size(VIEWER_READ_BUFFER);
    Ok(upgrade.on_upgrade(move |socket| async move {
        let viewer = relay.registry.next_viewer_id();
        run(socket, &relay, &session, viewer).await;
        session.viewer_left(viewer);
    }))
}

/// Read buffer per viewer socket.
const VIEWER_READ_BUFFER: usize = 4 * 1024;

fn text(message: &RelayToViewer) -> Option<Message> {
    serde_json::to_string(message).ok().map(|t| Message::Text(t.into()))
}

async fn run(mut socket: WebSocket, relay: &Relay, session: &Arc<Session>, viewer: u64) {
    let limits = &relay.config.limits;
    let mut frames = session.frame.subscribe();
    let mut events = session.to_viewers.subscribe();
    let mut ended = session.ended();
    if *ended.borrow_and_update() {
        return;
    }
    let mut reactions = RateLimit::new(limits.reactions_per_second, limits.reactions_per_second * 2.0);
    let mut comments = RateLimit::new(1.0 / limits.comment_interval_s, 3.0);
    let idle = limits.viewer_idle_timeout();
    // Idleness is checked a few times per timeout instead of arming a timer for every message:
    // at 2,000 viewers × 15 fps that was 60,000 timer registrations a second.
    let mut last_heard = tokio::time::Instant::now();
    let mut idle_check = tokio::time::interval(idle / 4);
    idle_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Whether the viewer acknowledged the last frame it was sent (so may get the next).
    let mut ready = true;
    let mut last_sent: Option<u64> = None;
    frames.mark_changed();
    let hello = [
        RelayToViewer::Viewers { count: session.viewer_count() },
        RelayToViewer::Looks { looks: session.looks.cards() },
    ];
    for message in hello.iter().filter_map(text) {
        let _ = socket.send(message).await;
    }
    loop {
        let mut send_newest = false;
        tokio::select! {
            changed = frames.changed(), if ready => {
                if changed.is_err() { return; }
                send_newest = true;
            }
            _ = idle_check.tick() => {
                if last_heard.elapsed() >= idle {
                    let _ = socket.send(Message::Close(Some(CloseFrame { code: close_code::AWAY, reason: "idle".into() }))).await;
                    return;
                }
            }
            message = socket.recv() => {
                let message = match message {
                    Some(Ok(message)) => message,
                    Some(Err(e)) => {
                        if is_too_large(e) {
                            relay.registry.metrics.reject(Rejection::ViewerTooLarge);
                            let too_large = CloseFrame { code: close_code::SIZE, reason: "message too large".into() };
                            let _ = socket.send(Message::Close(Some(too_large))).await;
                        }
                        return;
                    }
                    None => return,
                };
                last_heard = tokio::time::Instant::now();
                let parsed = match message {
                    Message::Text(text) => serde_json::from_str::<ViewerToRelay>(&text).ok(),
                    Message::Close(_) => return,
                    _ => continue,
                };
                match parsed {
                    Some(ViewerToRelay::Ack) => {
                        ready = true;
                        // A frame that arrived while this viewer was busy goes out now.
                        send_newest = frames.has_changed().unwrap_or(false);
                    }
                    Some(ViewerToRelay::Ping) => {}
                    Some(ViewerToRelay::React { emoji }) if REACTIONS.contains(&emoji.as_str()) => {
                        if reactions.allow() {
                            let _ = session.to_kiosk.send(RelayToKiosk::Reaction { emoji: emoji.clone() });
                            // Friends watching together see each other's reactions.
                            let _ = session.to_viewers.send(RelayToViewer::Reaction { emoji });
                        } else if let Some(m) = text(&RelayToViewer::SlowDown) {
                            let _ = socket.send(m).await;
                        }
                    }
                    Some(ViewerToRelay::Vote { vote }) => {
                        if reactions.allow() {
                            session.vote(viewer, vote);
                        } else if let Some(m) = text(&RelayToViewer::SlowDown) {
                            let _ = socket.send(m).await;
                        }
                    }
                    Some(ViewerToRelay::Pick { look }) => {
                        if !reactions.allow() {
                            if let Some(m) = text(&RelayToViewer::SlowDown) {
                                let _ = socket.send(m).await;
                            }
                        } else if session.looks.pick(viewer, look) {
                            session.announce_looks();
                        }
                    }
                    Some(ViewerToRelay::Comment { name, text: body }) => match clean_comment(&name, &body) {
                        Ok((name, text_body)) if comments.allow() => {
                            let comment = RelayToViewer::Comment { name: name.clone(), text: text_body.clone() };
                            let _ = session.to_kiosk.send(RelayToKiosk::Comment { name, text: text_body });
                            let _ = session.to_viewers.send(comment);
                        }
                        Ok(_) => {
                            if let Some(m) = text(&RelayToViewer::SlowDown) {
                                let _ = socket.send(m).await;
                            }
                        }
                        Err(_) => {
                            relay.registry.metrics.reject(Rejection::Comment);
                        }
                    },
                    // Unknown reactions and malformed messages are dropped; the socket stays.
                    Some(ViewerToRelay::React { .. }) | None => {
                        relay.registry.metrics.reject(Rejection::ViewerMessage);
                    }
                }
            }
            event = events.recv() => match event {
                Ok(RelayToViewer::Ended) | Err(RecvError::Closed) => {
                    send_ended(&mut socket).await;
                    return;
                }
                Ok(event) => {
                    if let Some(m) = text(&event) && socket.send(m).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => {}
            },
            // The flag only ever goes from false to true, and the sender lives as long as the session.
            _ = ended.changed() => {
                send_ended(&mut socket).await;
                return;
            }
        }
        if send_newest {
            let frame = frames.borrow_and_update().clone();
            let Some(frame) = frame else { continue };
            if let Some(previous) = last_sent {
                let skipped = frame.seq.saturating_sub(previous + 1);
                relay.registry.metrics.frames_skipped.fetch_add(skipped, Ordering::Relaxed);
            }
            last_sent = Some(frame.seq);
            ready = false;
            if socket.send(Message::Binary(frame.jpeg)).await.is_err() {
                return;
            }
            relay.registry.metrics.frames_out.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn send_ended(socket: &mut WebSocket) {
    if let Some(m) = text(&RelayToViewer::Ended) {
        let _ = socket.send(m).await;
    }
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        socket.send(Message::Close(Some(CloseFrame { code: close_code::NORMAL, reason: "ended".into() }))),
    )
    .await;
}
