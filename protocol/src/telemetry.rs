//! Usage telemetry: the one typed [`UsageEvent`] enum every feature emits, the [`EventEnvelope`]
//! that carries it over MQTT (unique id, per-kiosk sequence number, time), the retained
//! [`KioskStatus`] and the periodic [`Health`] report. Payloads are JSON with a schema version
//! (`v`); `docs/mqtt.md` lists them.
//!
//! Privacy by construction: an event can only hold numbers, enumerations and [`Ident`]s (catalog
//! SKUs, request ids: short machine-made identifiers whose characters are checked on the way in and
//! out). There is no field an image, a comment or anything a shopper typed could go into; a test
//! walks the JSON schema of every event to keep it that way.

use std::{
    borrow::Cow,
    fmt,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

pub use crate::fit::FitVerdict;
use crate::session::EndReason;

/// Version of every JSON payload this crate defines (the `v` field), events aside.
pub const SCHEMA_VERSION: u32 = 1;

/// The schema version of [`EventEnvelope`]s: 2 added `session`. Consumers read 1 and 2.
pub const EVENT_SCHEMA_VERSION: u32 = 2;

/// Milliseconds since the Unix epoch, as every payload states time.
pub fn unix_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis() as u64
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> u64 {
    unix_ms(SystemTime::now())
}

/// A machine-made identifier: a SKU, a barcode, a request or command id, a kiosk or store id.
/// 1–64 characters from `A–Z a–z 0–9 . _ : -`. Never free text: anything else is refused when it is
/// made and when it is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ident(String);

impl Ident {
    pub const MAX_LEN: usize = 64;
    /// The same rule as a JSON-schema pattern (the schema of every payload carries it).
    pub const PATTERN: &'static str = "^[A-Za-z0-9._:-]{1,64}$";

    pub fn new(value: impl Into<String>) -> Result<Self, IdentError> {
        let value = value.into();
        if value.is_empty() || value.len() > Self::MAX_LEN {
            return Err(IdentError(format!("must be 1 to {} characters long, not {}", Self::MAX_LEN, value.len())));
        }
        if let Some(bad) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))) {
            return Err(IdentError(format!("may only contain letters, digits, '.', '_', ':' and '-', not {bad:?}")));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a string is not an [`Ident`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an identifier: {0}")]
pub struct IdentError(String);

impl TryFrom<String> for Ident {
    type Error = IdentError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Ident::new(value)
    }
}

impl From<Ident> for String {
    fn from(id: Ident) -> Self {
        id.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for Ident {
    fn schema_name() -> Cow<'static, str> {
        "Ident".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": Ident::PATTERN, "maxLength": Ident::MAX_LEN })
    }
}

/// The unique id of one event (a UUIDv7: time-ordered, so ids also sort by creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId(pub uuid::Uuid);

impl EventId {
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }
}

impl Default for EventId {
    fn default() -> Self {
        Self::new()
    }
}

/// A UUID as the schema states it: lowercase hex with dashes, nothing else.
fn uuid_schema() -> Schema {
    json_schema!({
        "type": "string",
        "format": "uuid",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "maxLength": 36
    })
}

impl JsonSchema for EventId {
    fn schema_name() -> Cow<'static, str> {
        "EventId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        uuid_schema()
    }
}

/// A shopper's session, as analytics group events by it: a random UUIDv4 drawn when the
/// session starts, on no other record, never linked to a person, a face or a device; the next
/// session gets a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionId(pub uuid::Uuid);

impl SessionId {
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl JsonSchema for SessionId {
    fn schema_name() -> Cow<'static, str> {
        "SessionId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        uuid_schema()
    }
}

/// How an item was identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanMethod {
    /// A USB barcode scanner.
    Scanner,
    /// The tag held up to the camera.
    Camera,
    /// An RFID reader.
    Rfid,
    /// Browsing or searching on screen.
    Browse,
}

/// A kiosk-side failure worth counting. Codes, not messages: the text stays in the kiosk's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The share relay could not be reached or refused the kiosk.
    ShareUnavailable,
    /// A desired or reloaded configuration was invalid and not applied.
    ConfigRejected,
    /// The outbox could not write an event to disk.
    OutboxWrite,
    /// A remote screenshot could not be taken or uploaded.
    ScreenshotFailed,
    /// The product catalog could not be fetched or was invalid.
    CatalogRejected,
}

/// What kind of look was taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LookKind {
    #[default]
    Still,
    Twirl,
}

/// How the running kiosk process started: after a planned exit of the previous one (SIGTERM, a
/// remote restart, the first start on this disk) or after it crashed, was killed or lost power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StartKind {
    Clean,
    AfterCrash,
}

/// Everything the mirrors count. One variant per thing that happened; fields are numbers,
/// enumerations and [`Ident`]s only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum UsageEvent {
    /// The kiosk app started (once per process).
    KioskStarted {
        start: StartKind,
    },
    SessionStarted,
    SessionEnded {
        duration_ms: u64,
        reason: EndReason,
    },
    ShareStarted,
    ShareEnded {
        duration_ms: u64,
        peak_viewers: u32,
        reactions: u32,
        comments: u32,
    },
    ItemScanned {
        sku: Ident,
        method: ScanMethod,
    },
    SuggestionShown {
        sku: Ident,
        for_sku: Ident,
        rank: u32,
    },
    SuggestionTapped {
        sku: Ident,
        for_sku: Ident,
        /// Its place in the suggestions, 1 first (absent from kiosks before 0.2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rank: Option<u32>,
    },
    SizeRequested {
        request: Ident,
        sku: Ident,
    },
    SizeRequestFulfilled {
        request: Ident,
        sku: Ident,
        wait_ms: u64,
    },
    /// The shopper's one-tap verdict on an item they tried.
    FitFeedback {
        sku: Ident,
        verdict: FitVerdict,
    },
    /// The shopper took the session home: a link to their phone.
    TakeHomeSent {
        items: u32,
        looks: u32,
        expiry_h: u32,
    },
    /// A still or a twirl joined the session's looks.
    LookCaptured {
        /// Stills and twirl in the session now, this one included.
        looks_in_session: u32,
        #[serde(default)]
        kind: LookKind,
    },
    /// The shopper put looks side by side.
    LooksCompared {
        looks: u32,
    },
    /// The shopper showed a look to the friends watching the share.
    LookShown {
        /// Looks shown in this share so far.
        shown: u32,
    },
    /// Friends' "This one" picks across the shown looks went up.
    LookVoted {
        /// Picks now, across every shown look of this share.
        votes: u32,
    },
    /// The shopper switched the mirror to another language (its BCP 47 tag, e.g. `zh-Hans`).
    LanguageChosen {
        language: Ident,
    },
    CameraLost,
    CameraRecovered {
        outage_ms: u64,
    },
    Error {
        code: ErrorCode,
    },
}

impl UsageEvent {
    /// The `type` tag, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            UsageEvent::KioskStarted { .. } => "kiosk_started",
            UsageEvent::SessionStarted => "session_started",
            UsageEvent::SessionEnded { .. } => "session_ended",
            UsageEvent::ShareStarted => "share_started",
            UsageEvent::ShareEnded { .. } => "share_ended",
            UsageEvent::ItemScanned { .. } => "item_scanned",
            UsageEvent::SuggestionShown { .. } => "suggestion_shown",
            UsageEvent::SuggestionTapped { .. } => "suggestion_tapped",
            UsageEvent::SizeRequested { .. } => "size_requested",
            UsageEvent::SizeRequestFulfilled { .. } => "size_request_fulfilled",
            UsageEvent::FitFeedback { .. } => "fit_feedback",
            UsageEvent::TakeHomeSent { .. } => "take_home_sent",
            UsageEvent::LookCaptured { .. } => "look_captured",
            UsageEvent::LooksCompared { .. } => "looks_compared",
            UsageEvent::LookShown { .. } => "look_shown",
            UsageEvent::LookVoted { .. } => "look_voted",
            UsageEvent::LanguageChosen { .. } => "language_chosen",
            UsageEvent::CameraLost => "camera_lost",
            UsageEvent::CameraRecovered { .. } => "camera_recovered",
            UsageEvent::Error { .. } => "error",
        }
    }
}

/// One usage event as published on `mirror/v1/kiosks/{kiosk}/events` (QoS 1). Consumers drop
/// duplicates by `id` (an event may be delivered twice after a reconnect, never zero times);
/// `seq` counts up by one per event per kiosk, across restarts, so a gap means events were dropped
/// (the outbox reports how many in [`Health::outbox_dropped`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventEnvelope {
    /// [`EVENT_SCHEMA_VERSION`]; `1` had no `session`.
    pub v: u32,
    pub id: EventId,
    pub seq: u64,
    pub kiosk: Ident,
    /// When it happened (Unix ms, kiosk clock).
    pub at_ms: u64,
    /// The shopper's session it happened in (none: outside any, e.g. `kiosk_started`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionId>,
    pub event: UsageEvent,
}

/// Whether a kiosk is connected, retained on `mirror/v1/kiosks/{kiosk}/status`. The broker
/// publishes the `offline` form as the kiosk's Will when its connection drops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KioskStatus {
    pub v: u32,
    pub kiosk: Ident,
    pub store: Ident,
    pub state: Presence,
    /// Out of service by remote command.
    pub maintenance: bool,
    pub version: String,
    /// When this status was written (Unix ms); for the Will, when the connection was made.
    pub at_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Online,
    /// Shut down cleanly.
    Offline,
    /// The connection was lost (published by the broker as the Will).
    Lost,
}

/// The camera as health reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CameraState {
    Live,
    Starting,
    Unavailable,
}

/// Periodic health, on `mirror/v1/kiosks/{kiosk}/health` (QoS 0, not retained, every
/// `telemetry.health_interval_s`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub v: u32,
    pub kiosk: Ident,
    pub at_ms: u64,
    pub version: String,
    pub uptime_s: u64,
    /// How this process started (a crash before it shows here as `after_crash`).
    pub start: StartKind,
    /// Frames drawn per second.
    pub render_fps: f32,
    /// Frames the camera delivered per second.
    pub camera_fps: f32,
    pub camera: CameraState,
    /// Age of the newest frame on screen (capture to display), when there is one.
    pub frame_age_ms: Option<u32>,
    /// This process's CPU use, percent of one core.
    pub cpu_percent: f32,
    /// This process's resident memory.
    pub memory_mb: f32,
    pub maintenance: bool,
    pub sharing: bool,
    /// Events on disk not yet acknowledged by the broker.
    pub outbox_depth: u64,
    /// Events dropped because the outbox was full (oldest first), since the outbox was created.
    pub outbox_dropped: u64,
    /// Records set aside as corrupt (a torn write after power loss), since the outbox was created.
    pub outbox_corrupt: u64,
    /// The fitting room's light: the scene now and whether it reached the lights.
    #[serde(default)]
    pub lights: crate::lighting::LightsState,
    #[serde(default)]
    pub light_scene: Option<crate::lighting::Scene>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn idents_refuse_free_text() {
        assert!(Ident::new("SKU-123_a.b:c").is_ok());
        for bad in ["", "two words", "naïve", "<img>", &"x".repeat(65), "line\nbreak"] {
            assert!(Ident::new(bad).is_err(), "{bad:?} was accepted");
            let json = serde_json::to_string(bad).unwrap_or_default();
            assert!(serde_json::from_str::<Ident>(&json).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn envelopes_round_trip() {
        let envelope = EventEnvelope {
            v: EVENT_SCHEMA_VERSION,
            id: EventId::new(),
            seq: 7,
            kiosk: Ident::new("k-1").unwrap_or_else(|e| panic!("{e}")),
            at_ms: 1,
            session: Some(SessionId::random()),
            event: UsageEvent::SessionEnded { duration_ms: 5000, reason: EndReason::Timeout },
        };
        let json = serde_json::to_string(&envelope).unwrap_or_default();
        assert!(json.contains(r#""event":{"type":"session_ended","duration_ms":5000,"reason":"timeout"}"#), "{json}");
        assert!(json.contains(r#""v":2"#) && json.contains(r#""session":""#), "{json}");
        assert_eq!(serde_json::from_str::<EventEnvelope>(&json).ok(), Some(envelope));
        // A version-1 envelope (no session) still reads, as an event outside a session.
        let old = r#"{"v":1,"id":"01a20ade-1439-7233-a058-ffda67f6f471","seq":3,"kiosk":"room-3","at_ms":1,"event":{"type":"session_started"}}"#;
        assert!(serde_json::from_str::<EventEnvelope>(old).is_ok_and(|e| e.session.is_none()));
        let sneaky = json.replace(r#""reason":"timeout""#, r#""reason":"timeout","comment":"hi""#);
        assert!(serde_json::from_str::<EventEnvelope>(&sneaky).is_err(), "an unknown field was accepted");
    }

    #[test]
    fn look_events_read_as_docs_mqtt_md_lists_them() {
        let json = |e: &UsageEvent| serde_json::to_string(e).unwrap_or_default();
        let twirl = UsageEvent::LookCaptured { looks_in_session: 3, kind: LookKind::Twirl };
        assert_eq!(json(&twirl), r#"{"type":"look_captured","looks_in_session":3,"kind":"twirl"}"#);
        assert_eq!(json(&UsageEvent::LookShown { shown: 2 }), r#"{"type":"look_shown","shown":2}"#);
        assert_eq!(json(&UsageEvent::LookVoted { votes: 5 }), r#"{"type":"look_voted","votes":5}"#);
        // Before twirls, `look_captured` had no kind: such an event still reads, as a still.
        let old = serde_json::from_str::<UsageEvent>(r#"{"type":"look_captured","looks_in_session":1}"#);
        assert_eq!(old.ok(), Some(UsageEvent::LookCaptured { looks_in_session: 1, kind: LookKind::Still }));
        let docs = include_str!("../../docs/mqtt.md");
        for kind in ["look_captured", "looks_compared", "look_shown", "look_voted"] {
            assert!(docs.contains(&format!("| `{kind}` |")), "docs/mqtt.md does not list {kind}");
        }
    }

    /// Walks a JSON schema and returns every place a value could hold an image or free text: a
    /// string without a short pattern or a fixed set of values, an array (bytes, lists of text),
    /// or an open object.
    fn free_text_holes(schema: &Value, defs: &serde_json::Map<String, Value>, at: &str, holes: &mut Vec<String>) {
        let Some(object) = schema.as_object() else { return };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            match defs.get(name) {
                Some(def) => free_text_holes(def, defs, &format!("{at}→{name}"), holes),
                None => holes.push(format!("{at}: unresolved {reference}")),
            }
            return;
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for (i, branch) in object.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
                free_text_holes(branch, defs, &format!("{at}/{key}[{i}]"), holes);
            }
        }
        let types: Vec<&str> = match object.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fixed_values = object.contains_key("enum") || object.contains_key("const");
        for t in types {
            match t {
                "string" if !fixed_values => {
                    let short = object.get("maxLength").and_then(Value::as_u64).is_some_and(|n| n <= 64);
                    if !(short && object.contains_key("pattern")) {
                        holes.push(format!("{at}: a free string"));
                    }
                }
                "array" => holes.push(format!("{at}: an array")),
                "object" => {
                    if object.get("additionalProperties") != Some(&Value::Bool(false)) {
                        holes.push(format!("{at}: an open object"));
                    }
                    for (name, property) in object.get("properties").and_then(Value::as_object).into_iter().flatten() {
                        free_text_holes(property, defs, &format!("{at}.{name}"), holes);
                    }
                }
                _ => {}
            }
        }
    }

    fn holes_in(schema: &Schema) -> Vec<String> {
        let value = schema.as_value();
        let defs = value.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut holes = Vec::new();
        free_text_holes(value, &defs, "", &mut holes);
        holes
    }

    #[test]
    fn no_event_can_carry_an_image_or_free_text() {
        let holes = holes_in(&schemars::schema_for!(EventEnvelope));
        assert!(holes.is_empty(), "usage events must hold only numbers, enums and identifiers: {holes:#?}");
    }

    /// The check above would pass vacuously if it could not see a hole: show it finds them.
    #[test]
    fn the_free_text_check_finds_holes() {
        #[derive(JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Leaky {
            sku: Ident,
            comment: String,
            frame: Vec<u8>,
        }
        let holes = holes_in(&schemars::schema_for!(Leaky));
        assert_eq!(holes, vec![".comment: a free string".to_string(), ".frame: an array".to_string()]);
    }
}
