//! Remote management: the [`Command`]s staff and fleet tools send to a kiosk on
//! `mirror/v1/kiosks/{kiosk}/cmd`, their validation ([`parse_command`]: malformed, unknown,
//! unsupported or expired → a [`Rejection`] with the reason, never a panic), the [`CommandAck`]
//! the kiosk answers on `…/cmd/ack`, and the desired/reported configuration documents on
//! `…/config` and `…/config/reported`.

use std::{collections::BTreeMap, time::Duration};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::telemetry::{Ident, SCHEMA_VERSION};

/// Largest command payload accepted; anything bigger is rejected unread.
pub const MAX_COMMAND_BYTES: usize = 4096;
/// Commands may not be valid for longer than this (so a forgotten "maintenance" cannot fire days
/// later).
pub const MAX_COMMAND_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A command as sent: `{"v":1,"id":"c-42","expires_at_ms":…,"action":{"type":"maintenance","on":true}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub v: u32,
    /// Chosen by the sender; the ack repeats it.
    pub id: Ident,
    /// After this instant (Unix ms, kiosk clock) the kiosk refuses the command.
    pub expires_at_ms: u64,
    pub action: Action,
}

/// What a command asks for. Actions without parameters are empty struct variants (`EndSession {}`),
/// not unit variants: serde's `deny_unknown_fields` does not reach a unit variant of an
/// internally tagged enum, so `{"type":"end_session","now":true}` would otherwise be accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// End the current shopper session (streams stop, everything it made is wiped).
    EndSession {},
    /// Out of service on or off. On: the session ends and an "Out of service" screen ignores touches.
    Maintenance { on: bool },
    /// Re-read the configuration file (and the retained desired configuration) and apply it.
    ReloadConfig {},
    /// Fetch the product catalog now.
    RefreshCatalog {},
    /// Flash the screen and show the kiosk id, to find it in a row of fitting rooms.
    Identify { seconds: u32 },
    /// Screen brightness, 10–100 percent.
    SetBrightness { percent: u8 },
    /// The fitting room's light: a scene, on whatever `[lighting]` controller the kiosk has.
    SetLighting { scene: crate::lighting::Scene },
    /// A screenshot of the screen with the mirror blanked, uploaded to `remote.screenshot_upload_url`.
    Screenshot {},
    /// Restart the kiosk app (it exits; the service manager starts it again).
    Restart {},
}

impl Action {
    /// The `type` tag, for logs and acks.
    pub fn name(&self) -> &'static str {
        match self {
            Action::EndSession {} => "end_session",
            Action::Maintenance { .. } => "maintenance",
            Action::ReloadConfig {} => "reload_config",
            Action::RefreshCatalog {} => "refresh_catalog",
            Action::Identify { .. } => "identify",
            Action::SetBrightness { .. } => "set_brightness",
            Action::SetLighting { .. } => "set_lighting",
            Action::Screenshot {} => "screenshot",
            Action::Restart {} => "restart",
        }
    }

    fn check_ranges(&self) -> Result<(), String> {
        match *self {
            Action::Identify { seconds } if !(1..=120).contains(&seconds) => {
                Err(format!("action.seconds: {seconds} is outside 1..=120"))
            }
            Action::SetBrightness { percent } if !(10..=100).contains(&percent) => {
                Err(format!("action.percent: {percent} is outside 10..=100"))
            }
            _ => Ok(()),
        }
    }
}

/// Why a command was refused before anything ran. `id` is set when the payload had a readable one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub id: Option<Ident>,
    pub reason: String,
}

/// Validates a command payload received at `now_ms`.
pub fn parse_command(payload: &[u8], now_ms: u64) -> Result<Command, Rejection> {
    let reject = |id: Option<Ident>, reason: String| Err(Rejection { id, reason });
    if payload.len() > MAX_COMMAND_BYTES {
        return reject(None, format!("payload of {} bytes is over the {MAX_COMMAND_BYTES}-byte limit", payload.len()));
    }
    let value: serde_json::Value = match serde_json::from_slice(payload) {
        Ok(value) => value,
        Err(e) => return reject(None, format!("not JSON: {e}")),
    };
    let id = value.get("id").and_then(|id| id.as_str()).and_then(|id| Ident::new(id).ok());
    match value.get("v").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return reject(id, format!("schema version {v} is not supported (this kiosk speaks {SCHEMA_VERSION})"));
        }
        None => return reject(id, "`v` (the schema version) is missing or not a number".into()),
    }
    let command: Command = match serde_path_to_error::deserialize(value) {
        Ok(command) => command,
        Err(e) => {
            let path = e.path().to_string();
            return reject(id, if path == "." { e.inner().to_string() } else { format!("{path}: {}", e.inner()) });
        }
    };
    if let Err(reason) = command.action.check_ranges() {
        return reject(Some(command.id), reason);
    }
    if command.expires_at_ms <= now_ms {
        let ago = Duration::from_millis(now_ms - command.expires_at_ms);
        return reject(Some(command.id), format!("expired {:.1} s ago", ago.as_secs_f32()));
    }
    if Duration::from_millis(command.expires_at_ms - now_ms) > MAX_COMMAND_LIFETIME {
        return reject(Some(command.id), "expires more than 24 h from now; commands must be short-lived".into());
    }
    Ok(command)
}

/// The outcome of a command, on `mirror/v1/kiosks/{kiosk}/cmd/ack` (QoS 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandAck {
    pub v: u32,
    /// The command's id; `null` when the payload had no readable id.
    pub id: Option<Ident>,
    pub kiosk: Ident,
    /// The action's `type`, when the command was understood.
    pub action: Option<String>,
    pub status: AckStatus,
    /// Why it was rejected or failed (kiosk-written text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What it did, when it did something worth reporting (for example the uploaded screenshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    pub at_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Carried out.
    Done,
    /// Understood and attempted, but it did not work (see `reason`).
    Failed,
    /// Not carried out: malformed, unknown, unsupported or expired (see `reason`).
    Rejected,
}

/// The configuration a fleet operator wants, retained on `mirror/v1/kiosks/{kiosk}/config`:
/// dotted keys with values, applied on top of the kiosk's file exactly like `--set`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesiredConfig {
    pub v: u32,
    /// Names this revision; the report repeats it.
    pub revision: Ident,
    /// For example `{"session.inactivity_timeout_s": 120, "share.enabled": false}`.
    pub set: BTreeMap<String, serde_json::Value>,
}

/// What the kiosk made of the desired configuration, retained on `…/config/reported`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedConfig {
    pub v: u32,
    pub kiosk: Ident,
    /// The desired revision this report answers; `null` when none was received.
    pub revision: Option<Ident>,
    /// Whether the desired values are in effect. When `false`, `error` names the key and the last
    /// good configuration stays.
    pub applied: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Keys that changed but take effect only after a restart.
    pub needs_restart: Vec<String>,
    pub at_ms: u64,
}

impl DesiredConfig {
    /// The values as `--set` arguments (`key=toml-value`). A value TOML cannot hold (null) is
    /// reported with its key.
    pub fn as_overrides(&self) -> Result<Vec<String>, String> {
        self.set
            .iter()
            .map(|(key, value)| {
                let toml_value = toml::Value::try_from(value)
                    .map_err(|e| format!("key `{key}`: {value} cannot be a configuration value: {e}"))?;
                Ok(format!("{key}={toml_value}"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: u64 = 1_800_000_000_000;

    fn command(action: &str) -> String {
        format!(r#"{{"v":1,"id":"c-1","expires_at_ms":{},"action":{action}}}"#, NOW + 60_000)
    }

    fn rejection(payload: &[u8]) -> Rejection {
        match parse_command(payload, NOW) {
            Ok(command) => panic!("accepted {command:?}"),
            Err(rejection) => rejection,
        }
    }

    #[test]
    fn valid_commands_parse() {
        let cases = [
            (r#"{"type":"end_session"}"#, Action::EndSession {}),
            (r#"{"type":"maintenance","on":true}"#, Action::Maintenance { on: true }),
            (r#"{"type":"reload_config"}"#, Action::ReloadConfig {}),
            (r#"{"type":"refresh_catalog"}"#, Action::RefreshCatalog {}),
            (r#"{"type":"identify","seconds":10}"#, Action::Identify { seconds: 10 }),
            (r#"{"type":"set_brightness","percent":40}"#, Action::SetBrightness { percent: 40 }),
            (
                r#"{"type":"set_lighting","scene":"evening"}"#,
                Action::SetLighting { scene: crate::lighting::Scene::Evening },
            ),
            (r#"{"type":"screenshot"}"#, Action::Screenshot {}),
            (r#"{"type":"restart"}"#, Action::Restart {}),
        ];
        for (json, action) in cases {
            let parsed = parse_command(command(json).as_bytes(), NOW);
            assert_eq!(parsed.map(|c| c.action), Ok(action), "{json}");
        }
    }

    #[test]
    fn extra_fields_are_rejected_on_every_action() {
        let actions = [
            r#""type":"end_session""#,
            r#""type":"maintenance","on":true"#,
            r#""type":"reload_config""#,
            r#""type":"refresh_catalog""#,
            r#""type":"identify","seconds":10"#,
            r#""type":"set_brightness","percent":40"#,
            r#""type":"set_lighting","scene":"sunset""#,
            r#""type":"screenshot""#,
            r#""type":"restart""#,
        ];
        for fields in actions {
            let extra = command(&format!(r#"{{{fields},"now":true}}"#));
            let reason = rejection(extra.as_bytes()).reason;
            assert!(reason.contains("unknown field `now`"), "{fields}: {reason}");
        }
        let top_level =
            format!(r#"{{"v":1,"id":"c-1","expires_at_ms":{},"delay_s":600,"action":{{"type":"restart"}}}}"#, NOW + 1);
        assert!(rejection(top_level.as_bytes()).reason.contains("unknown field `delay_s`"));
    }

    #[test]
    fn rejections_name_the_problem() {
        let unknown = rejection(command(r#"{"type":"reboot"}"#).as_bytes());
        assert_eq!(unknown.id.as_ref().map(Ident::as_str), Some("c-1"));
        assert!(unknown.reason.contains("unknown variant `reboot`"), "{}", unknown.reason);

        let missing = rejection(command(r#"{"type":"maintenance"}"#).as_bytes());
        assert!(missing.reason.contains("missing field `on`"), "{}", missing.reason);

        let range = rejection(command(r#"{"type":"set_brightness","percent":3}"#).as_bytes());
        assert_eq!(range.reason, "action.percent: 3 is outside 10..=100");

        let expired =
            format!(r#"{{"v":1,"id":"c-2","expires_at_ms":{},"action":{{"type":"end_session"}}}}"#, NOW - 1500);
        let expired = rejection(expired.as_bytes());
        assert_eq!((expired.id.map(String::from), expired.reason), (Some("c-2".into()), "expired 1.5 s ago".into()));

        let forever = format!(r#"{{"v":1,"id":"c-3","expires_at_ms":{},"action":{{"type":"end_session"}}}}"#, u64::MAX);
        assert!(rejection(forever.as_bytes()).reason.contains("24 h"));

        let version = rejection(br#"{"v":2,"id":"c-4","expires_at_ms":1,"action":{"type":"end_session"}}"#);
        assert!(version.reason.contains("schema version 2"), "{}", version.reason);

        let garbage = rejection(b"\xff\x00not json");
        assert_eq!(garbage.id, None);
        assert!(garbage.reason.starts_with("not JSON"), "{}", garbage.reason);

        let bad_id = rejection(br#"{"v":1,"id":"has space","expires_at_ms":1,"action":{"type":"end_session"}}"#);
        assert_eq!(bad_id.id, None);
        assert!(bad_id.reason.starts_with("id:"), "{}", bad_id.reason);

        assert!(rejection(&vec![b' '; MAX_COMMAND_BYTES + 1]).reason.contains("limit"));
    }

    #[test]
    fn desired_config_becomes_overrides() {
        let overrides =
            |json: &str| serde_json::from_str::<DesiredConfig>(json).map_err(|e| e.to_string())?.as_overrides();
        assert_eq!(
            overrides(
                r#"{"v":1,"revision":"r7","set":{"session.inactivity_timeout_s":120,"share.enabled":false,"kiosk.brand":"Nord"}}"#
            ),
            Ok(vec![
                "kiosk.brand=\"Nord\"".to_string(),
                "session.inactivity_timeout_s=120".to_string(),
                "share.enabled=false".to_string()
            ])
        );
        let null = overrides(r#"{"v":1,"revision":"r8","set":{"camera.fps":null}}"#);
        assert!(null.is_err_and(|e| e.contains("camera.fps")));
    }

    fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
            prop_oneof![Just("end_session"), Just("maintenance"), Just("identify"), Just("set_lighting")]
                .prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("v".to_string()),
                        Just("id".to_string()),
                        Just("expires_at_ms".to_string()),
                        Just("action".to_string()),
                        Just("type".to_string()),
                        Just("on".to_string()),
                        Just("seconds".to_string()),
                        "[a-z_]{1,8}",
                    ],
                    inner,
                    0..6
                )
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Random bytes never panic; they are rejected with a reason.
        #[test]
        fn random_bytes_are_rejected(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let outcome = parse_command(&bytes, NOW);
            prop_assert!(outcome.is_err() || bytes.starts_with(b"{"), "{outcome:?}");
            if let Err(rejection) = outcome {
                prop_assert!(!rejection.reason.is_empty());
            }
        }

        /// Random JSON (biased towards command-shaped objects) never panics, and anything accepted
        /// is a well-formed, unexpired command with values in range.
        #[test]
        fn random_json_is_validated(value in arbitrary_json()) {
            let bytes = serde_json::to_vec(&value).unwrap_or_default();
            match parse_command(&bytes, NOW) {
                Ok(command) => {
                    prop_assert!(command.expires_at_ms > NOW);
                    prop_assert!(command.action.check_ranges().is_ok());
                }
                Err(rejection) => prop_assert!(!rejection.reason.is_empty()),
            }
        }
    }
}
