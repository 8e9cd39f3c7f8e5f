//! The share's live video over WebRTC, beside its JPEG frames: once the first frame says the
//! share size, a WHIP publisher ([`media::publisher`]) offers VP8 to the relay, which answers
//! from its media server. A relay without one (the in-process relay with no `embedded_janus`, or
//! a chain's relay without `[sfu]`) answers 503 and the share stays JPEG only. A publisher whose
//! connection ends mid-share (Janus restarted, the network went) is started again every
//! `share.retry_s`; viewers meanwhile see the JPEG frames. No Bevy here.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use media::publisher::{FrameSlot, PendingPublisher, Publisher, PublisherSettings};
use protocol::{config::ShareSection, share::CreatedShare};
use tokio::sync::{oneshot, watch};

/// What the share's encoder thread and the publisher share.
#[derive(Debug, Default)]
pub struct VideoFeed {
    /// The newest share-sized frame for the publisher.
    pub slot: Arc<FrameSlot>,
    /// Set once the publisher runs: only then does the encoder thread fill the slot.
    pub publishing: Arc<AtomicBool>,
}

/// Publishes `share`'s video at `size` (from the first frame) through `relay_api` until `stop`
/// turns true, then stops the publisher (within a frame interval).
pub async fn run(
    http: reqwest::Client,
    relay_api: String,
    share: CreatedShare,
    section: ShareSection,
    size: oneshot::Receiver<(u32, u32)>,
    feed: Arc<VideoFeed>,
    mut stop: watch::Receiver<bool>,
) {
    if !section.webrtc {
        return;
    }
    let size = tokio::select! {
        size = size => match size { Ok(size) => size, Err(_) => return },
        () = stopped(&mut stop) => return,
    };
    let retry = Duration::from_secs_f32(section.retry_s);
    loop {
        let publisher = publish(&http, &relay_api, &share, &section, size, &feed).await;
        let ended = async {
            match &publisher {
                // The relay could not take it (no media server: JPEG only): not asked again.
                None => std::future::pending::<()>().await,
                Some(publisher) => {
                    while !publisher.has_ended() {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            }
        };
        tokio::select! {
            () = stopped(&mut stop) => {
                feed.publishing.store(false, Ordering::Relaxed);
                if let Some(publisher) = publisher {
                    let _ = tokio::task::spawn_blocking(move || publisher.stop()).await;
                }
                return;
            }
            () = ended => {
                feed.publishing.store(false, Ordering::Relaxed);
                let why = publisher.map(Publisher::stop).and_then(Result::err);
                tracing::warn!("live video: the connection ended ({why:?}); publishing again in {retry:?}");
            }
        }
        tokio::select! {
            () = stopped(&mut stop) => return,
            () = tokio::time::sleep(retry) => {}
        }
    }
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// One publisher for `share`; `None` (logged) when the relay cannot take it.
async fn publish(
    http: &reqwest::Client,
    relay_api: &str,
    share: &CreatedShare,
    section: &ShareSection,
    (width, height): (u32, u32),
    feed: &VideoFeed,
) -> Option<Publisher> {
    let settings = PublisherSettings {
        width,
        height,
        fps: section.fps,
        bitrate_bps: section.video_bitrate_bps,
        keyframe_interval: Duration::from_secs(2),
    };
    let pending = match PendingPublisher::new(settings) {
        Ok(pending) => pending,
        Err(e) => {
            tracing::warn!("live video: {e}; JPEG frames only");
            return None;
        }
    };
    let whip = format!("{relay_api}/api/v1/sessions/{}/whip", share.session_id);
    let answered = http
        .post(&whip)
        .bearer_auth(&share.kiosk_token)
        .header("content-type", "application/sdp")
        .body(pending.offer().to_owned())
        .send()
        .await;
    let answer = match answered {
        Ok(response) if response.status() == 201 => response.text().await.ok()?,
        Ok(response) => {
            let status = response.status();
            let reason = response.text().await.unwrap_or_default();
            tracing::info!("live video: the relay answered {status} {reason}; JPEG frames only");
            return None;
        }
        Err(e) => {
            tracing::warn!("live video: the relay is unreachable: {e}; JPEG frames only");
            return None;
        }
    };
    match pending.start(&answer, Arc::clone(&feed.slot)) {
        Ok(publisher) => {
            feed.publishing.store(true, Ordering::Relaxed);
            tracing::info!("live video: publishing VP8 {width}×{height} at {} fps", settings.fps);
            Some(publisher)
        }
        Err(e) => {
            tracing::warn!("live video: {e}; JPEG frames only");
            None
        }
    }
}
