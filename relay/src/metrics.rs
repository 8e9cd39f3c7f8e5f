//! The relay's counters and their Prometheus text for `GET /metrics`. Every refusal is counted
//! under the reason it was refused for, so a dashboard (and a test) can tell a wrong kiosk key
//! from an oversized frame.

use std::sync::atomic::{AtomicU64, Ordering};

/// Why the relay refused something a kiosk or a viewer sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// `POST /api/v1/sessions` with a key that is not this kiosk's.
    WrongKey,
    /// A viewer beyond `max_viewers_per_session`.
    ViewerLimit,
    /// A kiosk frame that does not start with a JPEG's SOI marker.
    FrameNotJpeg,
    /// A kiosk frame over `max_frame_bytes`.
    FrameTooLarge,
    /// A kiosk text message that is not a `KioskToRelay`.
    KioskMessage,
    /// A viewer text message that is not a `ViewerToRelay`, or a reaction not on the list.
    ViewerMessage,
    /// A viewer message over `max_viewer_message_bytes`.
    ViewerTooLarge,
    /// A comment `clean_comment` refused (empty, too long, control characters).
    Comment,
    /// A look the kiosk showed that was refused (not a JPEG, too many, bad item names).
    Look,
}

impl Rejection {
    pub const ALL: [Rejection; 9] = [
        Rejection::WrongKey,
        Rejection::ViewerLimit,
        Rejection::FrameNotJpeg,
        Rejection::FrameTooLarge,
        Rejection::KioskMessage,
        Rejection::ViewerMessage,
        Rejection::ViewerTooLarge,
        Rejection::Comment,
        Rejection::Look,
    ];

    /// The `reason` label in `relay_rejected_total{reason="…"}`.
    pub fn label(self) -> &'static str {
        match self {
            Rejection::WrongKey => "wrong_key",
            Rejection::ViewerLimit => "viewer_limit",
            Rejection::FrameNotJpeg => "frame_not_jpeg",
            Rejection::FrameTooLarge => "frame_too_large",
            Rejection::KioskMessage => "kiosk_message",
            Rejection::ViewerMessage => "viewer_message",
            Rejection::ViewerTooLarge => "viewer_too_large",
            Rejection::Comment => "comment",
            Rejection::Look => "look",
        }
    }
}

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    pub frames_in: AtomicU64,
    pub frames_out: AtomicU64,
    pub frames_skipped: AtomicU64,
    pub sessions_created: AtomicU64,
    pub sessions_ended: AtomicU64,
    rejected: [AtomicU64; Rejection::ALL.len()],
}

impl Metrics {
    pub fn reject(&self, why: Rejection) {
        self.rejected[why as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text exposition, with the gauges the registry reports.
    pub fn render(&self, sessions: usize, viewers: usize, holding: usize, looks: usize) -> String {
        let counter = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut body = format!(
            "# TYPE relay_sessions gauge\nrelay_sessions {sessions}\n\
             # TYPE relay_viewers gauge\nrelay_viewers {viewers}\n\
             # TYPE relay_frames_held gauge\nrelay_frames_held {holding}\n\
             # TYPE relay_looks_shown gauge\nrelay_looks_shown {looks}\n\
             # TYPE relay_frames_in_total counter\nrelay_frames_in_total {}\n\
             # TYPE relay_frames_out_total counter\nrelay_frames_out_total {}\n\
             # TYPE relay_frames_skipped_total counter\nrelay_frames_skipped_total {}\n\
             # TYPE relay_sessions_created_total counter\nrelay_sessions_created_total {}\n\
             # TYPE relay_sessions_ended_total counter\nrelay_sessions_ended_total {}\n\
             # TYPE relay_rejected_total counter\n",
            counter(&self.frames_in),
            counter(&self.frames_out),
            counter(&self.frames_skipped),
            counter(&self.sessions_created),
            counter(&self.sessions_ended),
        );
        for why in Rejection::ALL {
            let n = counter(&self.rejected[why as usize]);
            body.push_str(&format!("relay_rejected_total{{reason=\"{}\"}} {n}\n", why.label()));
        }
        body
    }
}

/// Whether a socket read failed because the message was over the configured size (as opposed to
/// a connection that broke).
pub fn is_too_large(error: axum::Error) -> bool {
    error.into_inner().downcast::<tungstenite::Error>().is_ok_and(|e| matches!(*e, tungstenite::Error::Capacity(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_is_counted_under_its_own_label() {
        let metrics = Metrics::default();
        metrics.reject(Rejection::FrameTooLarge);
        metrics.reject(Rejection::FrameTooLarge);
        metrics.reject(Rejection::Comment);
        let text = metrics.render(0, 0, 0, 0);
        assert!(text.contains("relay_rejected_total{reason=\"frame_too_large\"} 2\n"), "{text}");
        assert!(text.contains("relay_rejected_total{reason=\"comment\"} 1\n"), "{text}");
        assert!(text.contains("relay_rejected_total{reason=\"wrong_key\"} 0\n"), "{text}");
        assert_eq!(text.matches("relay_rejected_total{").count(), Rejection::ALL.len());
    }
}
