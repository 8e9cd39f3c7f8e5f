//! The kiosk's stream socket: JPEG frames in (each replaces the session's previous frame), the
//! looks the shopper shows or hides, and reactions, votes, picks, comments and viewer counts out.

use std::sync::{Arc, atomic::Ordering};

use axum::{
    extract::{
        Path, State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket, close_code},
    },
    http::HeaderMap,
    response::Response,
};
use base64::prelude::{BASE64_STANDARD, Engine as _};
use protocol::share::KioskToRelay;
use tokio::sync::broadcast::error::RecvError;

use crate::{
    Relay,
    http::{ApiError, authorised_session},
    metrics::{Rejection, is_too_large},
    sessions::{Frame, Session},
};

pub async fn stream(
    State(relay): State<Arc<Relay>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let session = authorised_session(&relay, &id, &headers)?;
    let max = relay.config.limits.max_frame_bytes;
    Ok(upgrade.max_message_size(max).max_frame_size(max).on_upgrade(move |socket| async move {
        session.kiosk_connected();
        run(socket, &relay, &session).await;
        session.kiosk_disconnected();
    }))
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: reason.into() }))
}

async fn run(mut socket: WebSocket, relay: &Relay, session: &Arc<Session>) {
    let mut to_kiosk = session.to_kiosk.subscribe();
    let mut ended = session.ended();
    if *ended.borrow_and_update() {
        return;
    }
    loop {
        tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(Message::Binary(jpeg))) => {
                    // A JPEG starts with SOI (FF D8); anything else is not a frame.
                    if !jpeg.starts_with(&[0xFF, 0xD8]) {
                        relay.registry.metrics.reject(Rejection::FrameNotJpeg);
                        let _ = socket.send(close(close_code::INVALID, "frames must be JPEG")).await;
                        return;
                    }
                    relay.registry.metrics.frames_in.fetch_add(1, Ordering::Relaxed);
                    session.frame.send_replace(Some(Frame { seq: session.next_frame_seq(), jpeg }));
                }
                Some(Ok(Message::Text(text))) => match serde_json::from_str::<KioskToRelay>(&text) {
                    Ok(KioskToRelay::End) => {
                        relay.registry.end(&session.id, "ended by the kiosk");
                        let _ = socket.send(close(close_code::NORMAL, "ended")).await;
                        return;
                    }
                    Ok(KioskToRelay::ShowLook { look, items, jpeg_base64 }) => {
                        let shown = BASE64_STANDARD
                            .decode(jpeg_base64.as_bytes())
                            .map_err(|e| format!("picture is not base64: {e}"))
                            .and_then(|jpeg| session.looks.show(look, items, jpeg.into()).map_err(|e| e.to_string()));
                        match shown {
                            Ok(()) => session.announce_looks(),
                            Err(e) => {
                                relay.registry.metrics.reject(Rejection::Look);
                                tracing::warn!(session = %session.id, "look {look} refused: {e}");
                            }
                        }
                    }
                    Ok(KioskToRelay::HideLook { look }) => {
                        if session.looks.hide(look) {
                            session.announce_looks();
                        }
                    }
                    Err(e) => {
                        relay.registry.metrics.reject(Rejection::KioskMessage);
                        tracing::warn!(session = %session.id, "bad kiosk message: {e}");
                    }
                },
                Some(Ok(Message::Close(_))) | None => return,
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    tracing::warn!(session = %session.id, "kiosk stream closed: {e}");
                    if is_too_large(e) {
                        relay.registry.metrics.reject(Rejection::FrameTooLarge);
                        let _ = socket.send(close(close_code::SIZE, "frame too large")).await;
                    }
                    return;
                }
            },
            event = to_kiosk.recv() => match event {
                Ok(event) => {
                    let Ok(text) = serde_json::to_string(&event) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::debug!(session = %session.id, "kiosk missed {n} events"),
                Err(RecvError::Closed) => return,
            },
            // The flag only ever goes from false to true, and the sender lives as long as the session.
            _ = ended.changed() => {
                let _ = socket.send(close(close_code::NORMAL, "ended")).await;
                return;
            }
        }
    }
}
