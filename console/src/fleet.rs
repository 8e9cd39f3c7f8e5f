//! What a kiosk's state is, from what it last said: online, offline (shut down cleanly), lost
//! (its connection dropped: the broker published its Will), in maintenance, or degraded (online
//! but the mirror is not what a shopper should see: low frame rate, old frames, the camera gone,
//! events piling up unsent). The fleet page's counts and filters are these.

use crate::db::KioskRow;

/// The fleet page's filters, each a count on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Online,
    Offline,
    Lost,
    Maintenance,
    Degraded,
}

impl State {
    pub const ALL: [State; 5] = [State::Online, State::Offline, State::Lost, State::Maintenance, State::Degraded];

    pub fn name(self) -> &'static str {
        match self {
            State::Online => "online",
            State::Offline => "offline",
            State::Lost => "lost",
            State::Maintenance => "maintenance",
            State::Degraded => "degraded",
        }
    }

    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Below this the mirror stutters.
pub const LOW_FPS: f64 = 15.0;
/// Frames older than this lag visibly behind the shopper.
pub const OLD_FRAME_MS: f64 = 500.0;
/// Events waiting in the outbox beyond this: the link is not draining.
pub const OUTBOX_GROWING: f64 = 1_000.0;

/// Why an online kiosk is degraded (empty: it is not).
pub fn problems(kiosk: &KioskRow) -> Vec<&'static str> {
    let Some(health) = &kiosk.health else { return Vec::new() };
    let number = |key: &str| health.get(key).and_then(serde_json::Value::as_f64);
    let mut problems = Vec::new();
    if health.get("camera").and_then(|c| c.as_str()).is_some_and(|c| c == "unavailable") {
        problems.push("camera lost");
    }
    if number("render_fps").is_some_and(|fps| fps < LOW_FPS) {
        problems.push("low frame rate");
    }
    if number("frame_age_ms").is_some_and(|age| age > OLD_FRAME_MS) {
        problems.push("old frames");
    }
    if number("outbox_depth").is_some_and(|depth| depth > OUTBOX_GROWING) {
        problems.push("outbox growing");
    }
    problems
}

/// Every state that applies (an online kiosk in maintenance is both).
pub fn states(kiosk: &KioskRow) -> Vec<State> {
    let mut states = Vec::new();
    match kiosk.presence.as_str() {
        "online" => states.push(State::Online),
        "lost" => states.push(State::Lost),
        _ => states.push(State::Offline),
    }
    if kiosk.maintenance {
        states.push(State::Maintenance);
    }
    if kiosk.presence == "online" && !problems(kiosk).is_empty() {
        states.push(State::Degraded);
    }
    states
}

/// A kiosk row for unit tests: `presence`, in maintenance or not, with `health`.
#[cfg(test)]
pub(crate) fn test_kiosk(presence: &str, maintenance: bool, health: serde_json::Value) -> KioskRow {
    KioskRow {
        id: "k1".into(),
        store: "s1".into(),
        presence: presence.into(),
        maintenance,
        version: "1".into(),
        status_at_ms: 0,
        health: Some(health),
        health_at_ms: 0,
        events: 0,
        gaps: 0,
        outbox_dropped: 0,
        desired: None,
        reported: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk(presence: &str, health: serde_json::Value) -> KioskRow {
        test_kiosk(presence, false, health)
    }

    #[test]
    fn an_online_kiosk_is_degraded_for_each_reason_and_a_lost_one_is_only_lost() {
        let fine = serde_json::json!({"camera": "live", "render_fps": 30.0, "frame_age_ms": 60, "outbox_depth": 0});
        assert_eq!(states(&kiosk("online", fine.clone())), [State::Online]);
        for (key, value, why) in [
            ("camera", serde_json::json!("unavailable"), "camera lost"),
            ("render_fps", serde_json::json!(9.0), "low frame rate"),
            ("frame_age_ms", serde_json::json!(900), "old frames"),
            ("outbox_depth", serde_json::json!(5000), "outbox growing"),
        ] {
            let mut health = fine.clone();
            health[key] = value;
            let k = kiosk("online", health);
            assert_eq!(states(&k), [State::Online, State::Degraded], "{key}");
            assert_eq!(problems(&k), [why]);
        }
        let mut lost = kiosk("lost", serde_json::json!({"camera": "unavailable"}));
        assert_eq!(states(&lost), [State::Lost], "a lost kiosk's old health does not make it degraded");
        lost.maintenance = true;
        assert_eq!(states(&lost), [State::Lost, State::Maintenance]);
    }
}
