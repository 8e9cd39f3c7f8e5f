//! Size requests between a fitting room and the store's associates.
//!
//! A shopper asks for another size or colour; the kiosk publishes [`ToStaff::Opened`] on the
//! store's request topic ([`crate::topics::store_requests`], QoS 1, through the outbox so it
//! survives broker outages and restarts). An associate answers on the kiosk's reply topic
//! ([`crate::topics::request_reply`], retained, so a kiosk that reconnects still learns it):
//! [`StaffReply::Accepted`] ("Anna is bringing it"), then [`StaffReply::Done`]. If nobody accepts
//! within the configured minutes the kiosk sends [`ToStaff::Reminder`]; ending the session sends
//! [`ToStaff::Cancelled`].
//!
//! [`RequestBook`] is the kiosk's side, [`StaffBoard`] the associates' side; both are plain state
//! machines fed with messages and the time, so they are tested without a broker.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::telemetry::{EventId, Ident};

/// Payload schema version of every request message.
pub const REQUEST_SCHEMA: u32 = 1;
/// Longest free-text field (room, product name, size, colour, associate name), in characters.
pub const MAX_TEXT: usize = crate::labels::MAX_LABEL_CHARS;

/// One request for another size or colour of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRequest {
    /// Unique per request (a UUIDv7).
    pub id: Ident,
    pub kiosk: Ident,
    /// The fitting room as staff know it, e.g. "Room 3".
    pub room: String,
    /// The variant wanted.
    pub sku: Ident,
    pub product: String,
    pub size: String,
    pub colour: String,
    /// When the shopper confirmed it (Unix ms).
    pub at_ms: u64,
}

/// Why a request was withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The shopper cancelled it on the mirror.
    Shopper,
    /// The session ended (the shopper left, or timed out).
    SessionEnded,
    /// The kiosk restarted (after a crash or power cut) while the request was open.
    KioskRestarted,
}

/// Kiosk → staff, on `mirror/v1/stores/{store}/requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ToStaff {
    Opened {
        v: u32,
        request: SizeRequest,
    },
    /// Nobody accepted yet; `count` reminders so far, this one included.
    Reminder {
        v: u32,
        id: Ident,
        kiosk: Ident,
        count: u32,
        at_ms: u64,
    },
    Cancelled {
        v: u32,
        id: Ident,
        kiosk: Ident,
        reason: CancelReason,
        at_ms: u64,
    },
}

/// Staff → kiosk, retained on `mirror/v1/stores/{store}/requests/{kiosk}/{request}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum StaffReply {
    /// An associate is on the way; `by` is the name the shopper sees ("Anna").
    Accepted { v: u32, id: Ident, by: String, at_ms: u64 },
    /// The item was handed over.
    Done { v: u32, id: Ident, at_ms: u64 },
}

impl StaffReply {
    pub fn id(&self) -> &Ident {
        match self {
            StaffReply::Accepted { id, .. } | StaffReply::Done { id, .. } => id,
        }
    }
}

/// A message that is not a valid request message, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MessageError(pub String);

fn check_text(field: &str, value: &str) -> Result<(), MessageError> {
    crate::labels::check_label(value).map_err(|problem| MessageError(format!("{field}: {problem}")))
}

/// The checks the staff side applies to a new request ([`parse_to_staff`]).
fn check_request(request: &SizeRequest) -> Result<(), MessageError> {
    check_text("request.room", &request.room)?;
    check_text("request.product", &request.product)?;
    check_text("request.size", &request.size)?;
    check_text("request.colour", &request.colour)
}

fn check_version(v: u32) -> Result<(), MessageError> {
    if v == REQUEST_SCHEMA {
        Ok(())
    } else {
        Err(MessageError(format!("v: schema {v} is not supported (this build speaks {REQUEST_SCHEMA})")))
    }
}

/// Parses and checks a kiosk message (what the staff side receives).
pub fn parse_to_staff(payload: &[u8]) -> Result<ToStaff, MessageError> {
    let message: ToStaff = serde_json::from_slice(payload).map_err(|e| MessageError(e.to_string()))?;
    match &message {
        ToStaff::Opened { v, request } => {
            check_version(*v)?;
            check_request(request)?;
        }
        ToStaff::Reminder { v, .. } | ToStaff::Cancelled { v, .. } => check_version(*v)?,
    }
    Ok(message)
}

/// Parses and checks a staff reply (what the kiosk receives).
pub fn parse_reply(payload: &[u8]) -> Result<StaffReply, MessageError> {
    let reply: StaffReply = serde_json::from_slice(payload).map_err(|e| MessageError(e.to_string()))?;
    match &reply {
        StaffReply::Accepted { v, by, .. } => {
            check_version(*v)?;
            check_text("by", by)?;
        }
        StaffReply::Done { v, .. } => check_version(*v)?,
    }
    Ok(reply)
}

/// Where a request stands, as the shopper sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestState {
    /// Sent; nobody accepted yet. `reminded` reminders went out.
    Waiting { reminded: u32 },
    /// `by` is bringing it.
    Accepted { by: String },
}

/// A request the kiosk tracks.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenRequest {
    pub request: SizeRequest,
    pub state: RequestState,
    next_reminder_ms: u64,
}

/// What a reply changed, for the screen and the usage events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyEffect {
    Accepted {
        id: Ident,
        sku: Ident,
        by: String,
    },
    Fulfilled {
        id: Ident,
        sku: Ident,
        wait_ms: u64,
    },
    /// The same acceptance again (a retained reply delivered after a reconnect).
    Repeat,
    /// A reply to a request this kiosk does not track (already closed, or another session's).
    Unknown,
}

/// The kiosk's open requests.
#[derive(Debug, Clone, Default)]
pub struct RequestBook {
    open: Vec<OpenRequest>,
}

impl RequestBook {
    /// A new request for `sku`; returns the message to send. A request the staff side would
    /// refuse (a room, product, size or colour that is not a valid label) is not opened: the
    /// error says which field, and the mirror must not show it as sent.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        &mut self,
        kiosk: &Ident,
        room: &str,
        sku: &Ident,
        product: &str,
        size: &str,
        colour: &str,
        now_ms: u64,
        remind_after_ms: u64,
    ) -> Result<ToStaff, MessageError> {
        let id = Ident::new(EventId::new().0.to_string()).unwrap_or_else(|_| sku.clone());
        let request = SizeRequest {
            id,
            kiosk: kiosk.clone(),
            room: room.to_string(),
            sku: sku.clone(),
            product: product.to_string(),
            size: size.to_string(),
            colour: colour.to_string(),
            at_ms: now_ms,
        };
        check_request(&request)?;
        self.open.push(OpenRequest {
            request: request.clone(),
            state: RequestState::Waiting { reminded: 0 },
            next_reminder_ms: now_ms.saturating_add(remind_after_ms),
        });
        Ok(ToStaff::Opened { v: REQUEST_SCHEMA, request })
    }

    /// Applies an associate's reply.
    pub fn on_reply(&mut self, reply: &StaffReply, now_ms: u64) -> ReplyEffect {
        let Some(index) = self.open.iter().position(|o| &o.request.id == reply.id()) else {
            return ReplyEffect::Unknown;
        };
        match reply {
            StaffReply::Accepted { by, .. } => {
                let open = &mut self.open[index];
                if open.state == (RequestState::Accepted { by: by.clone() }) {
                    return ReplyEffect::Repeat;
                }
                open.state = RequestState::Accepted { by: by.clone() };
                ReplyEffect::Accepted { id: open.request.id.clone(), sku: open.request.sku.clone(), by: by.clone() }
            }
            StaffReply::Done { .. } => {
                let closed = self.open.remove(index);
                ReplyEffect::Fulfilled {
                    id: closed.request.id,
                    sku: closed.request.sku,
                    wait_ms: now_ms.saturating_sub(closed.request.at_ms),
                }
            }
        }
    }

    /// Reminders due at `now_ms` for requests nobody accepted; each request is reminded again
    /// every `remind_after_ms`.
    pub fn due_reminders(&mut self, now_ms: u64, remind_after_ms: u64) -> Vec<ToStaff> {
        let mut due = Vec::new();
        for open in &mut self.open {
            if let RequestState::Waiting { reminded } = &mut open.state
                && now_ms >= open.next_reminder_ms
            {
                *reminded += 1;
                open.next_reminder_ms = now_ms.saturating_add(remind_after_ms);
                due.push(ToStaff::Reminder {
                    v: REQUEST_SCHEMA,
                    id: open.request.id.clone(),
                    kiosk: open.request.kiosk.clone(),
                    count: *reminded,
                    at_ms: now_ms,
                });
            }
        }
        due
    }

    /// Withdraws one request (the shopper cancelled it).
    pub fn cancel(&mut self, id: &Ident, now_ms: u64) -> Option<ToStaff> {
        let index = self.open.iter().position(|o| &o.request.id == id)?;
        let closed = self.open.remove(index);
        Some(cancelled(closed.request, CancelReason::Shopper, now_ms))
    }

    /// Withdraws every request (the session ended).
    pub fn cancel_all(&mut self, now_ms: u64) -> Vec<ToStaff> {
        self.open.drain(..).map(|o| cancelled(o.request, CancelReason::SessionEnded, now_ms)).collect()
    }

    pub fn open_requests(&self) -> &[OpenRequest] {
        &self.open
    }

    /// What the kiosk keeps on disk so that a process started after a crash can withdraw the
    /// requests this one left open: ids only.
    pub fn left_open(&self) -> LeftOpen {
        LeftOpen {
            v: REQUEST_SCHEMA,
            requests: self.open.iter().map(|o| (o.request.id.clone(), o.request.kiosk.clone())).collect(),
        }
    }
}

/// Requests a kiosk process had open (id, kiosk), as saved by [`RequestBook::left_open`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOpen {
    pub v: u32,
    pub requests: Vec<(Ident, Ident)>,
}

impl LeftOpen {
    /// Parses a saved list; anything else (a torn or foreign file) is an error with the reason.
    pub fn parse(saved: &[u8]) -> Result<Self, MessageError> {
        let left: LeftOpen = serde_json::from_slice(saved).map_err(|e| MessageError(e.to_string()))?;
        check_version(left.v)?;
        Ok(left)
    }

    /// The withdrawals a restarted kiosk sends for them.
    pub fn withdrawals(self, now_ms: u64) -> Vec<ToStaff> {
        self.requests
            .into_iter()
            .map(|(id, kiosk)| ToStaff::Cancelled {
                v: REQUEST_SCHEMA,
                id,
                kiosk,
                reason: CancelReason::KioskRestarted,
                at_ms: now_ms,
            })
            .collect()
    }
}

fn cancelled(request: SizeRequest, reason: CancelReason, at_ms: u64) -> ToStaff {
    ToStaff::Cancelled { v: REQUEST_SCHEMA, id: request.id, kiosk: request.kiosk, reason, at_ms }
}

/// A request as the staff page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardEntry {
    pub request: SizeRequest,
    /// The associate who accepted it, if anyone did.
    pub accepted_by: Option<String>,
    pub reminders: u32,
}

/// The associates' view: open requests by fitting room.
#[derive(Debug, Clone, Default)]
pub struct StaffBoard {
    open: BTreeMap<String, BoardEntry>,
}

impl StaffBoard {
    /// Applies a kiosk message.
    pub fn on_kiosk_message(&mut self, message: ToStaff) {
        match message {
            ToStaff::Opened { request, .. } => {
                self.open.entry(request.id.as_str().to_string()).or_insert(BoardEntry {
                    request,
                    accepted_by: None,
                    reminders: 0,
                });
            }
            ToStaff::Reminder { id, count, .. } => {
                if let Some(entry) = self.open.get_mut(id.as_str()) {
                    entry.reminders = entry.reminders.max(count);
                }
            }
            ToStaff::Cancelled { id, .. } => {
                self.open.remove(id.as_str());
            }
        }
    }

    /// Applies a reply (from this page or another associate's).
    pub fn on_reply(&mut self, reply: &StaffReply) {
        match reply {
            StaffReply::Accepted { id, by, .. } => {
                if let Some(entry) = self.open.get_mut(id.as_str()) {
                    entry.accepted_by = Some(by.clone());
                }
            }
            StaffReply::Done { id, .. } => {
                self.open.remove(id.as_str());
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&BoardEntry> {
        self.open.get(id)
    }

    /// Open requests grouped by room (rooms in name order), oldest first within a room.
    pub fn by_room(&self) -> Vec<(String, Vec<BoardEntry>)> {
        let mut rooms: BTreeMap<String, Vec<BoardEntry>> = BTreeMap::new();
        for entry in self.open.values() {
            rooms.entry(entry.request.room.clone()).or_default().push(entry.clone());
        }
        for entries in rooms.values_mut() {
            entries.sort_by_key(|e| e.request.at_ms);
        }
        rooms.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Ident {
        Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
    }

    const REMIND: u64 = 120_000;

    fn opened(book: &mut RequestBook, at: u64) -> SizeRequest {
        match book.open(&id("room-3"), "Room 3", &id("tee-white-m"), "Organic tee", "M", "White", at, REMIND) {
            Ok(ToStaff::Opened { request, .. }) => request,
            other => panic!("expected opened, got {other:?}"),
        }
    }

    #[test]
    fn a_request_is_reminded_until_accepted_then_fulfilled() {
        let mut book = RequestBook::default();
        let request = opened(&mut book, 1_000);
        assert!(book.due_reminders(1_000 + REMIND - 1, REMIND).is_empty(), "no reminder before the configured time");
        let first = book.due_reminders(1_000 + REMIND, REMIND);
        assert!(matches!(&first[..], [ToStaff::Reminder { count: 1, .. }]), "{first:?}");
        assert!(book.due_reminders(1_000 + REMIND + 10, REMIND).is_empty(), "one reminder per interval");
        let second = book.due_reminders(1_000 + 2 * REMIND, REMIND);
        assert!(matches!(&second[..], [ToStaff::Reminder { count: 2, .. }]), "{second:?}");

        let accepted = StaffReply::Accepted { v: 1, id: request.id.clone(), by: "Anna".into(), at_ms: 300_000 };
        assert_eq!(
            book.on_reply(&accepted, 300_000),
            ReplyEffect::Accepted { id: request.id.clone(), sku: id("tee-white-m"), by: "Anna".into() }
        );
        assert_eq!(book.on_reply(&accepted, 300_001), ReplyEffect::Repeat, "a retained repeat changes nothing");
        assert!(book.due_reminders(10_000_000, REMIND).is_empty(), "no reminders once accepted");

        let done = StaffReply::Done { v: 1, id: request.id.clone(), at_ms: 400_000 };
        assert_eq!(
            book.on_reply(&done, 401_000),
            ReplyEffect::Fulfilled { id: request.id, sku: id("tee-white-m"), wait_ms: 400_000 }
        );
        assert!(book.open_requests().is_empty());
    }

    #[test]
    fn ending_the_session_withdraws_every_request() {
        let mut book = RequestBook::default();
        let a = opened(&mut book, 1);
        let b = opened(&mut book, 2);
        assert_ne!(a.id, b.id, "request ids are unique");
        let cancelled = book.cancel_all(10);
        assert_eq!(cancelled.len(), 2);
        assert!(cancelled.iter().all(|m| matches!(m, ToStaff::Cancelled { reason: CancelReason::SessionEnded, .. })));
        let late = StaffReply::Accepted { v: 1, id: a.id, by: "Anna".into(), at_ms: 11 };
        assert_eq!(book.on_reply(&late, 11), ReplyEffect::Unknown);
    }

    #[test]
    fn a_request_the_staff_would_refuse_is_never_opened() {
        let mut book = RequestBook::default();
        for (room, product, field) in [("Room\t3", "Tee", "request.room"), ("Room 3", "Tee\n", "request.product")] {
            let refused = book.open(&id("room-3"), room, &id("tee-m"), product, "M", "White", 1, REMIND);
            assert!(
                refused.as_ref().is_err_and(|e| e.0.starts_with(field) && e.0.contains("control")),
                "{room:?}/{product:?}: {refused:?}"
            );
        }
        assert!(book.open_requests().is_empty(), "nothing looks sent");
    }

    #[test]
    fn requests_left_open_are_withdrawn_after_a_restart() {
        let mut book = RequestBook::default();
        let a = opened(&mut book, 1);
        let b = opened(&mut book, 2);
        let saved = serde_json::to_vec(&book.left_open()).unwrap_or_default();
        let withdrawals = LeftOpen::parse(&saved).unwrap_or_else(|e| panic!("{e}")).withdrawals(50);
        let ids: Vec<&Ident> = withdrawals
            .iter()
            .filter_map(|m| match m {
                ToStaff::Cancelled { id, reason: CancelReason::KioskRestarted, at_ms: 50, .. } => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [&a.id, &b.id]);
        let mut board = StaffBoard::default();
        board.on_kiosk_message(ToStaff::Opened { v: 1, request: a.clone() });
        for message in withdrawals {
            let json = serde_json::to_vec(&message).unwrap_or_default();
            board.on_kiosk_message(parse_to_staff(&json).unwrap_or_else(|e| panic!("{e}")));
        }
        assert!(board.by_room().is_empty(), "the staff no longer see it");
        for torn in [&saved[..saved.len() / 2], b"", b"{\"v\":9,\"requests\":[]}"] {
            assert!(LeftOpen::parse(torn).is_err(), "{:?}", String::from_utf8_lossy(torn));
        }
    }

    #[test]
    fn the_staff_board_groups_by_room_and_follows_replies() {
        let mut book = RequestBook::default();
        let mut board = StaffBoard::default();
        let request = opened(&mut book, 5);
        let other = match book.open(&id("room-1"), "Room 1", &id("jeans-32"), "Jeans", "32", "Indigo", 6, REMIND) {
            Ok(ToStaff::Opened { request, .. }) => request,
            other => panic!("{other:?}"),
        };
        for message in
            [ToStaff::Opened { v: 1, request: request.clone() }, ToStaff::Opened { v: 1, request: other.clone() }]
        {
            let json = serde_json::to_vec(&message).unwrap_or_default();
            board.on_kiosk_message(parse_to_staff(&json).unwrap_or_else(|e| panic!("{e}")));
        }
        let rooms: Vec<String> = board.by_room().into_iter().map(|(room, _)| room).collect();
        assert_eq!(rooms, ["Room 1", "Room 3"]);
        board.on_reply(&StaffReply::Accepted { v: 1, id: request.id.clone(), by: "Anna".into(), at_ms: 7 });
        assert_eq!(board.get(request.id.as_str()).and_then(|e| e.accepted_by.clone()).as_deref(), Some("Anna"));
        board.on_reply(&StaffReply::Done { v: 1, id: request.id.clone(), at_ms: 8 });
        board.on_kiosk_message(ToStaff::Cancelled {
            v: 1,
            id: other.id.clone(),
            kiosk: other.kiosk,
            reason: CancelReason::Shopper,
            at_ms: 9,
        });
        assert!(board.by_room().is_empty());
    }

    #[test]
    fn malformed_messages_are_rejected_with_the_field() {
        let long = "x".repeat(MAX_TEXT + 1);
        let cases: [(&[u8], &str); 5] = [
            (b"", "EOF"),
            (b"{\"type\":\"accepted\",\"v\":1,\"id\":\"a\",\"by\":\"\",\"at_ms\":1}", "by: must be 1 to"),
            (b"{\"type\":\"accepted\",\"v\":2,\"id\":\"a\",\"by\":\"Anna\",\"at_ms\":1}", "schema 2"),
            (b"{\"type\":\"done\",\"v\":1,\"id\":\"a/b\",\"at_ms\":1}", "identifier"),
            (b"{\"type\":\"hug\",\"v\":1}", "unknown variant"),
        ];
        for (payload, expected) in cases {
            let err = parse_reply(payload).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(expected), "{:?}: {err}", String::from_utf8_lossy(payload));
        }
        let reply = format!("{{\"type\":\"accepted\",\"v\":1,\"id\":\"a\",\"by\":\"{long}\",\"at_ms\":1}}");
        assert!(parse_reply(reply.as_bytes()).is_err());
        let bell = "{\"type\":\"accepted\",\"v\":1,\"id\":\"a\",\"by\":\"An\\u0007na\",\"at_ms\":1}";
        assert!(parse_reply(bell.as_bytes()).err().is_some_and(|e| e.0.contains("control")));
    }
}
