//! The size-request board: the open requests of every store the console hears, as the
//! associates' phones show them (the protocol's [`StaffBoard`], one per store), fed by ingestion
//! from `mirror/v1/stores/{store}/requests` and the retained replies beside it, and answered from
//! the console's page (an associate taps "I'm bringing it", then "Handed over"). Replies are
//! published retained on the kiosk's reply topic, checked with the kiosk's own parser first.
//!
//! The board lives in memory: after a console restart it fills again from the retained replies and
//! the kiosks' reminders (a kiosk repeats an unanswered request every few minutes).

use std::{
    collections::BTreeMap,
    sync::{Mutex, MutexGuard},
};

use protocol::{
    requests::{BoardEntry, REQUEST_SCHEMA, StaffBoard, StaffReply, ToStaff, parse_reply, parse_to_staff},
    telemetry::{Ident, now_ms},
    topics::{ROOT, request_reply},
};
use rumqttc::{AsyncClient, QoS};

/// Every store's board.
#[derive(Debug, Default)]
pub struct Boards {
    boards: Mutex<BTreeMap<String, StaffBoard>>,
}

/// Which store topic a message came on.
#[derive(Debug, PartialEq, Eq)]
enum StoreTopic<'a> {
    Requests { store: &'a str },
    Reply { store: &'a str },
}

fn store_topic(topic: &str) -> Option<StoreTopic<'_>> {
    let rest = topic.strip_prefix(ROOT)?.strip_prefix("/stores/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [store, "requests"] => Some(StoreTopic::Requests { store }),
        [store, "requests", _kiosk, _request] => Some(StoreTopic::Reply { store }),
        _ => None,
    }
}

/// A kiosk's message to staff is one record of its outbox, numbered among its events: (kiosk, a
/// key naming that record), so ingestion can tell such numbers from events that never arrived.
pub fn staff_record(topic: &str, payload: &[u8]) -> Option<(String, String)> {
    let StoreTopic::Requests { .. } = store_topic(topic)? else { return None };
    Some(match parse_to_staff(payload).ok()? {
        ToStaff::Opened { request, .. } => (request.kiosk.as_str().to_owned(), format!("opened:{}", request.id)),
        ToStaff::Reminder { id, kiosk, count, .. } => (kiosk.as_str().to_owned(), format!("reminder:{id}:{count}")),
        ToStaff::Cancelled { id, kiosk, .. } => (kiosk.as_str().to_owned(), format!("cancelled:{id}")),
    })
}

impl Boards {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, StaffBoard>> {
        self.boards.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies a message on a store topic; `Some(store)` when the topic was one (the board of that
    /// store may have changed), `None` for any other topic.
    pub fn on_message(&self, topic: &str, payload: &[u8]) -> Option<String> {
        let (store, parsed) = match store_topic(topic)? {
            StoreTopic::Requests { store } => (store, parse_to_staff(payload).map(Ok)),
            StoreTopic::Reply { store } if payload.is_empty() => return Some(store.to_owned()),
            StoreTopic::Reply { store } => (store, parse_reply(payload).map(Err)),
        };
        let mut boards = self.lock();
        let board = boards.entry(store.to_owned()).or_default();
        match parsed {
            Ok(Ok(message)) => board.on_kiosk_message(message),
            Ok(Err(reply)) => board.on_reply(&reply),
            Err(e) => tracing::warn!("console: ignored a message on {topic}: {e}"),
        }
        Some(store.to_owned())
    }

    /// A store's open requests by room.
    pub fn rooms(&self, store: &str) -> Vec<(String, Vec<BoardEntry>)> {
        self.lock().get(store).map(StaffBoard::by_room).unwrap_or_default()
    }

    /// Stores with a board, by name.
    pub fn stores(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// Requests nobody accepted that were made before `before_ms`: (store, request).
    pub fn unanswered(&self, before_ms: u64) -> Vec<(String, BoardEntry)> {
        let boards = self.lock();
        let mut found = Vec::new();
        for (store, board) in boards.iter() {
            for (_, entries) in board.by_room() {
                found.extend(
                    entries
                        .into_iter()
                        .filter(|e| e.accepted_by.is_none() && e.request.at_ms < before_ms)
                        .map(|e| (store.clone(), e)),
                );
            }
        }
        found
    }

    /// Publishes an associate's reply to request `id` of `store` and applies it to the board.
    pub async fn answer(&self, client: &AsyncClient, store: &str, id: &str, by: Option<&str>) -> Result<(), String> {
        let kiosk = {
            let boards = self.lock();
            let entry = boards
                .get(store)
                .and_then(|b| b.get(id))
                .ok_or_else(|| format!("no open request {id:?} in {store}"))?;
            entry.request.kiosk.clone()
        };
        let id = Ident::new(id).map_err(|e| e.to_string())?;
        let reply = match by {
            Some(by) => StaffReply::Accepted { v: REQUEST_SCHEMA, id: id.clone(), by: by.to_owned(), at_ms: now_ms() },
            None => StaffReply::Done { v: REQUEST_SCHEMA, id: id.clone(), at_ms: now_ms() },
        };
        let payload = serde_json::to_vec(&reply).map_err(|e| e.to_string())?;
        // The kiosk's own parser: what it would refuse is refused here, with the reason.
        parse_reply(&payload).map_err(|e| e.to_string())?;
        let topic = request_reply(store, kiosk.as_str(), id.as_str());
        client.publish(topic, QoS::AtLeastOnce, true, payload).await.map_err(|e| format!("cannot publish: {e}"))?;
        if let Some(board) = self.lock().get_mut(store) {
            board.on_reply(&reply);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(id: &str, at_ms: u64) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "type": "opened", "v": 1,
            "request": {"id": id, "kiosk": "room-3", "room": "Room 3", "sku": "tee-white-m", "product": "Organic tee",
                        "size": "M", "colour": "White", "at_ms": at_ms}
        }))
        .unwrap_or_default()
    }

    #[test]
    fn requests_and_replies_of_each_store_land_on_its_board() {
        let boards = Boards::default();
        assert_eq!(
            boards.on_message("mirror/v1/stores/berlin-01/requests", &opened("r1", 1_000)).as_deref(),
            Some("berlin-01")
        );
        boards.on_message("mirror/v1/stores/berlin-01/requests", &opened("r2", 5_000));
        boards.on_message("mirror/v1/stores/hamburg-02/requests", &opened("r9", 1_000));
        assert_eq!(boards.stores(), ["berlin-01", "hamburg-02"]);
        assert_eq!(boards.rooms("berlin-01")[0].1.len(), 2);
        assert_eq!(boards.unanswered(2_000).len(), 2, "r1 and r9 are older than 2 s");
        let accepted = br#"{"type":"accepted","v":1,"id":"r1","by":"Anna","at_ms":3000}"#;
        boards.on_message("mirror/v1/stores/berlin-01/requests/room-3/r1", accepted);
        assert_eq!(boards.rooms("berlin-01")[0].1[0].accepted_by.as_deref(), Some("Anna"));
        assert_eq!(boards.unanswered(2_000).len(), 1, "an accepted request is answered");
        let done = br#"{"type":"done","v":1,"id":"r1","at_ms":4000}"#;
        boards.on_message("mirror/v1/stores/berlin-01/requests/room-3/r1", done);
        assert_eq!(boards.rooms("berlin-01")[0].1.len(), 1);
        assert_eq!(
            boards.on_message("mirror/v1/stores/berlin-01/requests", b"{not json").as_deref(),
            Some("berlin-01")
        );
        assert_eq!(boards.on_message("mirror/v1/kiosks/room-3/status", b"{}"), None);
    }

    #[test]
    fn each_message_to_staff_names_its_outbox_record() {
        let topic = "mirror/v1/stores/berlin-01/requests";
        assert_eq!(staff_record(topic, &opened("r1", 1)), Some(("room-3".into(), "opened:r1".into())));
        let reminder = br#"{"type":"reminder","v":1,"id":"r1","kiosk":"room-3","count":2,"at_ms":5}"#;
        assert_eq!(staff_record(topic, reminder), Some(("room-3".into(), "reminder:r1:2".into())));
        assert_eq!(
            staff_record("mirror/v1/stores/berlin-01/requests/room-3/r1", &opened("r1", 1)),
            None,
            "a reply is not"
        );
        assert_eq!(staff_record(topic, b"{"), None);
    }
}
