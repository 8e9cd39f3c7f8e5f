//! The share protocol between a kiosk, the share relay and friends' browsers. JSON over HTTP
//! and WebSocket text messages; frames travel as binary WebSocket messages holding one JPEG.
//!
//! ```text
//! kiosk ── POST /api/v1/sessions (Bearer kiosk key) ──────────► relay   201 CreatedShare
//! kiosk ══ WS /api/v1/sessions/{id}/stream (Bearer kiosk token) ══ relay
//!            binary: JPEG frames ►            ◄ text: RelayToKiosk (reactions, votes, …)
//!            text: KioskToRelay (show/hide a look, end) ►
//! kiosk ── DELETE /api/v1/sessions/{id} (Bearer kiosk token) ──► relay   204
//! phone ── GET /v/{viewer token} (page) ── WS /v/{viewer token}/ws ── relay
//!            ◄ binary: newest JPEG        text: ViewerToRelay (ack, reactions, vote, comment) ►
//!            ◄ text: RelayToViewer (viewer count, tally, shown looks, ended)
//! phone ── GET /v/{viewer token}/looks/{look} ── relay   a shown look's JPEG
//! ```
//! Viewers acknowledge each frame; the relay sends a viewer the newest frame only after its
//! previous one was acknowledged, so a slow phone skips frames instead of queueing them.

use serde::{Deserialize, Serialize};

/// Reactions a viewer may send; anything else is rejected.
pub const REACTIONS: [&str; 6] = ["❤️", "🔥", "👍", "👎", "😍", "🤔"];
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 24;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 140;

/// `POST /api/v1/sessions` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateShare {
    pub kiosk_id: String,
}

/// `POST /api/v1/sessions` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedShare {
    pub session_id: String,
    /// What the QR code carries; holds the unguessable viewer token.
    pub viewer_url: String,
    /// Authorises this kiosk's stream and end requests for this session only.
    pub kiosk_token: String,
    /// Unix seconds after which the session ends by itself.
    pub expires_at: u64,
    /// Largest frame the relay accepts, in bytes.
    pub max_frame_bytes: usize,
}

/// A buy-or-skip vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Buy,
    Skip,
}

/// Looks one share may show at once (the kiosk keeps at most 16).
pub const MAX_SHOWN_LOOKS: usize = 16;
/// Items listed on one look's card.
pub const MAX_LOOK_ITEMS: usize = 8;

/// One item on a shown look's card: what it is and what it costs, as the mirror shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookItem {
    pub name: String,
    /// Formatted for the store ("€49.00"); empty when the catalog has no price.
    pub price: String,
}

/// A look the shopper chose to show, as viewers' pages list it (its picture is fetched from
/// `GET /v/{viewer token}/looks/{look}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookCard {
    pub look: u64,
    pub items: Vec<LookItem>,
    /// Friends who picked this one ("This one").
    pub picks: u32,
}

/// Friends' picks for one shown look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookPicks {
    pub look: u64,
    pub picks: u32,
}

/// Text messages from the kiosk on its stream socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum KioskToRelay {
    /// The shopper stopped sharing (or the session ended): close everything now.
    End,
    /// The shopper tapped "Show friends" on a look: its picture (a JPEG, base64) and items.
    ShowLook { look: u64, items: Vec<LookItem>, jpeg_base64: String },
    /// The shopper took the look back (or deleted it): gone from every page.
    HideLook { look: u64 },
}

/// Text messages from the relay to the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayToKiosk {
    Viewers {
        count: usize,
    },
    Reaction {
        emoji: String,
    },
    Tally {
        buy: u32,
        skip: u32,
    },
    Comment {
        name: String,
        text: String,
    },
    /// Friends' picks across the shown looks, after every change.
    Picks {
        looks: Vec<LookPicks>,
    },
    /// The relay ended the session (expiry, limit); the kiosk should stop sharing.
    Ended {
        reason: String,
    },
}

/// Text messages from a viewer's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ViewerToRelay {
    /// The last frame was shown; send the newest.
    Ack,
    React {
        emoji: String,
    },
    Vote {
        vote: Vote,
    },
    Comment {
        name: String,
        text: String,
    },
    /// "This one" on a shown look: this viewer's one pick (a new pick replaces the old).
    Pick {
        look: u64,
    },
    /// Keeps an idle connection (no frames) alive.
    Ping,
}

/// Text messages from the relay to a viewer's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayToViewer {
    Viewers {
        count: usize,
    },
    Tally {
        buy: u32,
        skip: u32,
    },
    /// A friend's reaction (every viewer of the look sees every friend's).
    Reaction {
        emoji: String,
    },
    /// A friend's comment, cleaned by [`clean_comment`]: plain text, shown as text.
    Comment {
        name: String,
        text: String,
    },
    /// The shown looks, with friends' picks; sent on connect and after every change.
    Looks {
        looks: Vec<LookCard>,
    },
    /// Sent too fast: the message was dropped.
    SlowDown,
    /// The look has ended; the page shows so and stops reconnecting.
    Ended,
}

/// Why a comment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("name must be 1 to {MAX_NAME_CHARS} characters")]
    Name,
    #[error("comment must be 1 to {MAX_COMMENT_CHARS} characters")]
    Text,
}

/// Trims a display name and comment, drops control characters, and checks their lengths. The
/// result is plain text: every consumer renders it as text, never as markup.
pub fn clean_comment(name: &str, text: &str) -> Result<(String, String), CommentError> {
    let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
    let (name, text) = (clean(name), clean(text));
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(CommentError::Name);
    }
    if text.is_empty() || text.chars().count() > MAX_COMMENT_CHARS {
        return Err(CommentError::Text);
    }
    Ok((name, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_trimmed_stripped_and_bounded() {
        assert_eq!(clean_comment("  Ana\u{7}", " love it\n"), Ok(("Ana".into(), "love it".into())));
        assert_eq!(clean_comment("", "x"), Err(CommentError::Name));
        assert_eq!(clean_comment(&"n".repeat(25), "x"), Err(CommentError::Name));
        assert_eq!(clean_comment("Ana", "   "), Err(CommentError::Text));
        assert_eq!(clean_comment("Ana", &"é".repeat(141)), Err(CommentError::Text));
        assert!(clean_comment("Ana", &"é".repeat(140)).is_ok());
        // Markup stays as characters; rendering it as text is the consumer's job.
        assert_eq!(clean_comment("<b>", "<script>x</script>").map(|c| c.1), Ok("<script>x</script>".into()));
    }
}
