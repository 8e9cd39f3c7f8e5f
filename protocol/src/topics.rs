//! The MQTT topic scheme. One topic level per kiosk id, so a broker ACL pattern
//! (`mirror/v1/kiosks/%u/…`) confines each kiosk to its own subtree; `docs/mqtt.md` lists payloads,
//! QoS and retain flags.

/// Every topic starts with this (the scheme's version is part of the path).
pub const ROOT: &str = "mirror/v1";

/// Largest MQTT packet a kiosk reads (rumqttc drops the connection on anything larger). A chain's
/// broker sets `max_packet_size` to at most this, so nothing it forwards can cut a kiosk off;
/// oversized commands within it are rejected with a reason (`command::MAX_COMMAND_BYTES`).
pub const MAX_PACKET_BYTES: usize = 1 << 20;

/// The topics of one kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskTopics {
    /// Retained [`KioskStatus`](crate::telemetry::KioskStatus); the Will.
    pub status: String,
    /// [`EventEnvelope`](crate::telemetry::EventEnvelope)s, QoS 1.
    pub events: String,
    /// [`Health`](crate::telemetry::Health), QoS 0, periodic.
    pub health: String,
    /// [`Command`](crate::command::Command)s to the kiosk.
    pub cmd: String,
    /// [`CommandAck`](crate::command::CommandAck)s from the kiosk.
    pub cmd_ack: String,
    /// Retained [`DesiredConfig`](crate::command::DesiredConfig).
    pub config: String,
    /// Retained [`ReportedConfig`](crate::command::ReportedConfig).
    pub config_reported: String,
}

impl KioskTopics {
    /// Topics of `kiosk` (an id already validated as one topic level: no `/`, `+` or `#`).
    pub fn new(kiosk: &str) -> Self {
        let base = format!("{ROOT}/kiosks/{kiosk}");
        Self {
            status: format!("{base}/status"),
            events: format!("{base}/events"),
            health: format!("{base}/health"),
            cmd: format!("{base}/cmd"),
            cmd_ack: format!("{base}/cmd/ack"),
            config: format!("{base}/config"),
            config_reported: format!("{base}/config/reported"),
        }
    }

    /// The kiosk id in a kiosk topic, e.g. `k-7` in `mirror/v1/kiosks/k-7/events`.
    pub fn kiosk_of(topic: &str) -> Option<&str> {
        topic.strip_prefix(ROOT)?.strip_prefix("/kiosks/")?.split('/').next().filter(|id| !id.is_empty())
    }
}

/// A store's size requests to its staff.
pub fn store_requests(store: &str) -> String {
    format!("{ROOT}/stores/{store}/requests")
}

/// Staff replies to one request of `kiosk` (retained; see [`crate::requests`]).
pub fn request_reply(store: &str, kiosk: &str, request: &str) -> String {
    format!("{ROOT}/stores/{store}/requests/{kiosk}/{request}")
}

/// Filter for every reply to `kiosk`'s requests (`"+"`: every kiosk of the store).
pub fn request_replies(store: &str, kiosk: &str) -> String {
    format!("{ROOT}/stores/{store}/requests/{kiosk}/+")
}

/// Filters for watching a whole fleet (or one kiosk with `kiosk = "+"` replaced by its id).
pub fn fleet_filter(kiosk: &str, leaf: &str) -> String {
    format!("{ROOT}/kiosks/{kiosk}/{leaf}")
}

/// A Mosquitto ACL file in the project's format. Kiosks log in with their id as username; each
/// may write its status, events, health, acks and reported configuration, read its commands and
/// desired configuration, and use its store's request topics — nothing of any other kiosk.
/// `operators` (fleet tools, staff consoles, analytics) may read and write everything under
/// [`ROOT`].
pub fn mosquitto_acl(kiosks: &[(&str, &str)], operators: &[&str]) -> String {
    let mut acl = String::from(
        "# Smart-mirror broker ACL. `pattern` lines apply to every client, %u being its username (the kiosk id).\n",
    );
    for (access, leaf) in [
        ("write", "status"),
        ("write", "events"),
        ("write", "health"),
        ("read", "cmd"),
        ("write", "cmd/ack"),
        ("read", "config"),
        ("write", "config/reported"),
    ] {
        acl += &format!("pattern {access} {ROOT}/kiosks/%u/{leaf}\n");
    }
    for (kiosk, store) in kiosks {
        acl += &format!(
            "\nuser {kiosk}\ntopic readwrite {ROOT}/stores/{store}/requests/#\ntopic write {ROOT}/stores/{store}/requests\n"
        );
    }
    for operator in operators {
        acl += &format!("\nuser {operator}\ntopic readwrite {ROOT}/#\n");
    }
    acl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_have_one_level_per_kiosk() {
        let t = KioskTopics::new("berlin-01-room3");
        assert_eq!(t.events, "mirror/v1/kiosks/berlin-01-room3/events");
        assert_eq!(t.cmd_ack, "mirror/v1/kiosks/berlin-01-room3/cmd/ack");
        assert_eq!(KioskTopics::kiosk_of(&t.config_reported), Some("berlin-01-room3"));
        assert_eq!(KioskTopics::kiosk_of("mirror/v1/stores/s1/requests"), None);
        assert_eq!(store_requests("s1"), "mirror/v1/stores/s1/requests");
        assert_eq!(fleet_filter("+", "status"), "mirror/v1/kiosks/+/status");
        assert_eq!(request_reply("s1", "k1", "r1"), "mirror/v1/stores/s1/requests/k1/r1");
        assert_eq!(request_replies("s1", "+"), "mirror/v1/stores/s1/requests/+/+");
    }
}
