//! Property tests for every parser of outside input in `protocol`: thousands of random and
//! near-valid inputs each. None may panic; whatever is accepted must hold the parser's promises
//! (validated, in range, free of control characters).

use proptest::prelude::*;
use protocol::{
    catalog::Catalog,
    command::DesiredConfig,
    config::{ConfigError, ConfigOrigin, KioskConfig},
    labels::check_label,
    requests::{LeftOpen, StaffReply, ToStaff, parse_reply, parse_to_staff},
    share::{CreateShare, ViewerToRelay, clean_comment},
};

/// JSON values biased towards the shapes the parsers expect: `keys` as object keys, and strings
/// that mix real words with control characters and long runs.
fn json_like(keys: &'static [&'static str]) -> impl Strategy<Value = serde_json::Value> {
    let text = prop_oneof![
        "[ -~]{0,12}",
        "\\PC{0,8}",
        "[\\x00-\\x1f]{1,3}",
        prop::sample::select(keys).prop_map(str::to_string),
        (0usize..400).prop_map(|n| "x".repeat(n)),
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        text.prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![prop::sample::select(keys).prop_map(str::to_string), "[a-z_.]{1,10}"],
                inner,
                0..7
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON document the parsers accept is an object.
const OPEN_BRACE: u8 = b'{';

const CONFIG_KEYS: &[&str] = &[
    "v",
    "revision",
    "set",
    "session.inactivity_timeout_s",
    "camera.fps",
    "camera.faults.stall_for_s",
    "kiosk.room",
    "kiosk.id",
    "share.enabled",
    "telemetry.health_interval_s",
    "scanning.rfid_reader",
];

const CATALOG_KEYS: &[&str] = &[
    "products",
    "id",
    "name",
    "brand",
    "category",
    "price_minor",
    "currency",
    "images",
    "variants",
    "sku",
    "size",
    "colour",
    "barcode",
    "stock",
    "links",
    "completes_the_look",
    "alternatives",
    "4006381000031",
    "EUR",
];

const MESSAGE_KEYS: &[&str] = &[
    "type",
    "v",
    "id",
    "by",
    "at_ms",
    "request",
    "kiosk",
    "room",
    "sku",
    "product",
    "size",
    "colour",
    "reason",
    "count",
    "accepted",
    "done",
    "opened",
    "cancelled",
    "reminder",
    "requests",
    "emoji",
    "vote",
    "name",
    "text",
    "ack",
    "react",
    "comment",
    "ping",
    "buy",
    "skip",
    "kiosk_id",
    "❤️",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A desired configuration from the fleet: parsed, turned into overrides, applied. Never a
    /// panic; an error names a key; an accepted one validates.
    #[test]
    fn desired_config(value in json_like(CONFIG_KEYS)) {
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        if let Ok(desired) = serde_json::from_slice::<DesiredConfig>(&bytes)
            && let Ok(overrides) = desired.as_overrides()
        {
            match KioskConfig::from_toml("", ConfigOrigin::Defaults, &overrides) {
                Ok(config) => prop_assert!(config.validate().is_ok()),
                Err(ConfigError::Key { key, problem, .. }) => {
                    prop_assert!(!key.is_empty() && !problem.contains('\n'), "{key}: {problem}");
                }
                Err(other) => prop_assert!(!other.to_string().is_empty()),
            }
        }
    }

    /// `--set` style overrides with arbitrary keys and TOML values.
    #[test]
    fn overrides(key in "[a-z_]{1,10}(\\.[a-z_]{1,12}){0,2}", value in "\\PC{0,20}") {
        let outcome = KioskConfig::from_toml("", ConfigOrigin::Defaults, &[format!("{key}={value}")]);
        if let Ok(config) = outcome {
            prop_assert!(config.validate().is_ok());
        }
    }

    /// Catalog JSON from the chain's server: anything accepted is a valid catalog whose names,
    /// sizes and colours the staff side will accept.
    #[test]
    fn catalog_json(value in json_like(CATALOG_KEYS)) {
        let bytes = serde_json::to_vec(&serde_json::json!({ "products": [value] })).unwrap_or_default();
        if let Ok(catalog) = Catalog::from_json(&bytes) {
            prop_assert!(catalog.validate().is_ok());
            for product in &catalog.products {
                prop_assert!(check_label(&product.name).is_ok());
                for variant in &product.variants {
                    prop_assert!(check_label(&variant.size).is_ok() && check_label(&variant.colour).is_ok());
                }
            }
        }
    }

    /// Catalog bytes that are not even JSON.
    #[test]
    fn catalog_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let outcome = Catalog::from_json(&bytes);
        prop_assert!(outcome.is_err() || bytes.contains(&OPEN_BRACE));
    }

    /// Kiosk → staff and staff → kiosk messages, and the saved list of open requests. Whatever
    /// is accepted carries only valid labels.
    #[test]
    fn request_messages(value in json_like(MESSAGE_KEYS)) {
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        if let Ok(ToStaff::Opened { request, .. }) = parse_to_staff(&bytes) {
            for label in [&request.room, &request.product, &request.size, &request.colour] {
                prop_assert!(check_label(label).is_ok(), "{label:?}");
            }
        }
        if let Ok(StaffReply::Accepted { by, .. }) = parse_reply(&bytes) {
            prop_assert!(check_label(&by).is_ok(), "{by:?}");
        }
        let _ = LeftOpen::parse(&bytes);
    }

    #[test]
    fn request_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        prop_assert!(parse_to_staff(&bytes).is_err() || bytes.contains(&OPEN_BRACE));
        prop_assert!(parse_reply(&bytes).is_err() || bytes.contains(&OPEN_BRACE));
        prop_assert!(LeftOpen::parse(&bytes).is_err() || bytes.contains(&OPEN_BRACE));
    }

    /// A viewer's WebSocket text messages, and the comment cleaning the relay applies.
    #[test]
    fn viewer_messages(value in json_like(MESSAGE_KEYS)) {
        let text = value.to_string();
        if let Ok(ViewerToRelay::Comment { name, text }) = serde_json::from_str::<ViewerToRelay>(&text)
            && let Ok((name, text)) = clean_comment(&name, &text)
        {
            prop_assert!(!name.chars().chain(text.chars()).any(char::is_control));
            prop_assert!(!name.is_empty() && !text.is_empty());
        }
    }

    /// The relay's session-creation body.
    #[test]
    fn create_share_bodies(value in json_like(MESSAGE_KEYS), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = serde_json::from_slice::<CreateShare>(&serde_json::to_vec(&value).unwrap_or_default());
        prop_assert!(serde_json::from_slice::<CreateShare>(&bytes).is_err() || bytes.contains(&OPEN_BRACE));
    }
}
