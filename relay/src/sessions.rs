//! Share sessions, in memory only. Each holds at most the newest frame (a `watch` channel: a new
//! frame replaces the old one), its viewers' votes, and channels to its kiosk and viewers.
//! Ending a session drops its frame, closes every socket and remembers its tokens as ended
//! (so links answer 410 Gone, not 404) for a while; nothing is ever written to disk.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use bytes::Bytes;
use protocol::share::{RelayToKiosk, RelayToViewer, Vote};
use rand::RngCore;
use tokio::sync::{broadcast, watch};

use crate::{config::Limits, looks::ShownLooks, metrics::Metrics};

/// How long ended tokens answer 410 rather than 404, and how many are remembered at most.
const TOMBSTONE_TTL: Duration = Duration::from_secs(3_600);
const MAX_TOMBSTONES: usize = 100_000;

/// A frame as the kiosk sent it: one JPEG, numbered by arrival.
#[derive(Debug, Clone)]
pub struct Frame {
    pub seq: u64,
    pub jpeg: Bytes,
}

/// 128 random bits, hex-encoded: an unguessable token or id.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One shopper's live share.
#[derive(Debug)]
pub struct Session {
    pub id: String,
    pub kiosk_id: String,
    pub viewer_token: String,
    pub kiosk_token: String,
    pub expires_at: Instant,
    pub expires_unix: u64,
    pub frame: watch::Sender<Option<Frame>>,
    pub to_viewers: broadcast::Sender<RelayToViewer>,
    pub to_kiosk: broadcast::Sender<RelayToKiosk>,
    ended: watch::Sender<bool>,
    next_frame_seq: AtomicU64,
    viewers: AtomicUsize,
    votes: Mutex<HashMap<u64, Vote>>,
    /// The looks the shopper chose to show, and friends' picks.
    pub looks: ShownLooks,
    /// When the kiosk's stream socket last went away (or the session was created).
    kiosk_absent_since: Mutex<Option<Instant>>,
}

impl Session {
    pub fn ended(&self) -> watch::Receiver<bool> {
        self.ended.subscribe()
    }

    pub fn viewer_count(&self) -> usize {
        self.viewers.load(Ordering::Relaxed)
    }

    /// Counts a viewer in if there is room; the caller must call [`Session::viewer_left`].
    pub fn try_add_viewer(&self, max: usize) -> bool {
        let added =
            self.viewers.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).is_ok();
        if added {
            self.announce_viewers();
        }
        added
    }

    pub fn viewer_left(&self, viewer: u64) {
        self.viewers.fetch_sub(1, Ordering::AcqRel);
        if lock(&self.votes).remove(&viewer).is_some() {
            self.announce_tally();
        }
        if self.looks.viewer_left(viewer) {
            self.announce_looks();
        }
        self.announce_viewers();
    }

    fn announce_viewers(&self) {
        let count = self.viewer_count();
        let _ = self.to_viewers.send(RelayToViewer::Viewers { count });
        let _ = self.to_kiosk.send(RelayToKiosk::Viewers { count });
    }

    /// Records (or changes) one viewer's vote and tells everyone the tally.
    pub fn vote(&self, viewer: u64, vote: Vote) {
        lock(&self.votes).insert(viewer, vote);
        self.announce_tally();
    }

    fn announce_tally(&self) {
        let (buy, skip) = lock(&self.votes).values().fold((0, 0), |(b, s), v| match v {
            Vote::Buy => (b + 1, s),
            Vote::Skip => (b, s + 1),
        });
        let _ = self.to_viewers.send(RelayToViewer::Tally { buy, skip });
        let _ = self.to_kiosk.send(RelayToKiosk::Tally { buy, skip });
    }

    /// Tells every viewer the shown looks and the kiosk the picks.
    pub fn announce_looks(&self) {
        let _ = self.to_viewers.send(RelayToViewer::Looks { looks: self.looks.cards() });
        let _ = self.to_kiosk.send(RelayToKiosk::Picks { looks: self.looks.picks() });
    }

    pub fn kiosk_connected(&self) {
        *lock(&self.kiosk_absent_since) = None;
    }

    pub fn kiosk_disconnected(&self) {
        *lock(&self.kiosk_absent_since) = Some(Instant::now());
    }

    /// Numbers the session's frames in arrival order.
    pub fn next_frame_seq(&self) -> u64 {
        self.next_frame_seq.fetch_add(1, Ordering::Relaxed)
    }

    pub fn holds_frame(&self) -> bool {
        self.frame.borrow().is_some()
    }
}

/// Whether a token is live, ended, or never existed.
pub enum Lookup {
    Live(Arc<Session>),
    Ended,
    Unknown,
}

/// All live sessions and the tokens of recently ended ones.
#[derive(Debug, Default)]
pub struct Registry {
    by_id: Mutex<HashMap<String, Arc<Session>>>,
    by_viewer_token: Mutex<HashMap<String, String>>,
    tombstones: Mutex<HashMap<String, Instant>>,
    pub metrics: Metrics,
    next_viewer_id: AtomicU64,
}

impl Registry {
    pub fn create(&self, kiosk_id: &str, limits: &Limits) -> Option<Arc<Session>> {
        let mut by_id = lock(&self.by_id);
        if by_id.len() >= limits.max_sessions {
            return None;
        }
        let expires_unix =
            SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() + limits.max_session().as_secs();
        let session = Arc::new(Session {
            id: random_token(),
            kiosk_id: kiosk_id.to_string(),
            viewer_token: random_token(),
            kiosk_token: random_token(),
            expires_at: Instant::now() + limits.max_session(),
            expires_unix,
            frame: watch::Sender::new(None),
            to_viewers: broadcast::Sender::new(64),
            to_kiosk: broadcast::Sender::new(256),
            ended: watch::Sender::new(false),
            next_frame_seq: AtomicU64::new(0),
            viewers: AtomicUsize::new(0),
            votes: Mutex::new(HashMap::new()),
            looks: ShownLooks::default(),
            kiosk_absent_since: Mutex::new(Some(Instant::now())),
        });
        by_id.insert(session.id.clone(), Arc::clone(&session));
        lock(&self.by_viewer_token).insert(session.viewer_token.clone(), session.id.clone());
        self.metrics.sessions_created.fetch_add(1, Ordering::Relaxed);
        Some(session)
    }

    pub fn by_id(&self, id: &str) -> Lookup {
        match lock(&self.by_id).get(id) {
            Some(session) => Lookup::Live(Arc::clone(session)),
            None if lock(&self.tombstones).contains_key(id) => Lookup::Ended,
            None => Lookup::Unknown,
        }
    }

    pub fn by_viewer_token(&self, token: &str) -> Lookup {
        let id = lock(&self.by_viewer_token).get(token).cloned();
        match id {
            Some(id) => self.by_id(&id),
            None if lock(&self.tombstones).contains_key(token) => Lookup::Ended,
            None => Lookup::Unknown,
        }
    }

    /// Ends a session: drops its frame, closes its sockets, kills its tokens.
    pub fn end(&self, id: &str, reason: &str) {
        let Some(session) = lock(&self.by_id).remove(id) else { return };
        lock(&self.by_viewer_token).remove(&session.viewer_token);
        {
            let mut tombstones = lock(&self.tombstones);
            if tombstones.len() >= MAX_TOMBSTONES {
                let cutoff = Instant::now() - TOMBSTONE_TTL;
                tombstones.retain(|_, ended| *ended > cutoff);
            }
            if tombstones.len() < MAX_TOMBSTONES {
                for token in [&session.id, &session.viewer_token] {
                    tombstones.insert(token.clone(), Instant::now());
                }
            }
        }
        session.frame.send_replace(None);
        session.looks.clear();
        let _ = session.to_kiosk.send(RelayToKiosk::Ended { reason: reason.to_string() });
        let _ = session.to_viewers.send(RelayToViewer::Ended);
        session.ended.send_replace(true);
        self.metrics.sessions_ended.fetch_add(1, Ordering::Relaxed);
        tracing::info!(session = %session.id, kiosk = %session.kiosk_id, "share session ended: {reason}");
    }

    /// Ends expired sessions and those whose kiosk has been away past the grace; forgets old
    /// tombstones. Called every second.
    pub fn sweep(&self, limits: &Limits) {
        let now = Instant::now();
        let due: Vec<(String, &str)> = lock(&self.by_id)
            .values()
            .filter_map(|s| {
                if now >= s.expires_at {
                    Some((s.id.clone(), "expired"))
                } else {
                    let absent = *lock(&s.kiosk_absent_since);
                    absent
                        .filter(|since| now.duration_since(*since) > limits.kiosk_grace())
                        .map(|_| (s.id.clone(), "kiosk disconnected"))
                }
            })
            .collect();
        for (id, reason) in due {
            self.end(&id, reason);
        }
        let cutoff = now.checked_sub(TOMBSTONE_TTL);
        if let Some(cutoff) = cutoff {
            lock(&self.tombstones).retain(|_, ended| *ended > cutoff);
        }
    }

    pub fn next_viewer_id(&self) -> u64 {
        self.next_viewer_id.fetch_add(1, Ordering::Relaxed)
    }

    /// (sessions, viewers, sessions holding a frame).
    pub fn gauges(&self) -> (usize, usize, usize) {
        let by_id = lock(&self.by_id);
        let viewers = by_id.values().map(|s| s.viewer_count()).sum();
        let holding = by_id.values().filter(|s| s.holds_frame()).count();
        (by_id.len(), viewers, holding)
    }

    /// Looks shown across every live session.
    pub fn shown_looks(&self) -> usize {
        lock(&self.by_id).values().map(|s| s.looks.count()).sum()
    }
}

/// A token bucket: `rate` per second, up to `burst` at once.
#[derive(Debug)]
pub struct RateLimit {
    rate: f32,
    burst: f32,
    tokens: f32,
    last: Instant,
}

impl RateLimit {
    pub fn new(rate: f32, burst: f32) -> Self {
        Self { rate, burst, tokens: burst, last: Instant::now() }
    }

    pub fn allow(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f32() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, random_token());
    }

    #[test]
    fn rate_limit_allows_a_burst_then_refuses() {
        let mut limit = RateLimit::new(1.0, 3.0);
        assert_eq!((0..5).filter(|_| limit.allow()).count(), 3);
    }

    #[test]
    fn ending_drops_the_frame_and_tombstones_the_tokens() {
        let registry = Registry::default();
        let limits = Limits::default();
        let Some(session) = registry.create("k1", &limits) else { panic!("room for a session") };
        session.frame.send_replace(Some(Frame { seq: 0, jpeg: Bytes::from_static(b"\xFF\xD8") }));
        assert_eq!(registry.gauges(), (1, 0, 1));
        let shown = session.looks.show(1, vec![], Bytes::from_static(b"\xFF\xD8"));
        assert_eq!((shown, registry.shown_looks()), (Ok(()), 1));
        registry.end(&session.id, "test");
        assert_eq!((registry.gauges(), registry.shown_looks()), ((0, 0, 0), 0));
        assert_eq!(session.looks.count(), 0, "a session that ended holds no look");
        assert!(!session.holds_frame());
        assert!(*session.ended().borrow());
        assert!(matches!(registry.by_viewer_token(&session.viewer_token), Lookup::Ended));
        assert!(matches!(registry.by_id(&session.id), Lookup::Ended));
        assert!(matches!(registry.by_viewer_token("nope"), Lookup::Unknown));
    }

    #[test]
    fn viewer_slots_are_bounded_and_votes_counted_once_per_viewer() {
        let registry = Registry::default();
        let Some(session) = registry.create("k1", &Limits::default()) else { panic!("room for a session") };
        let mut kiosk = session.to_kiosk.subscribe();
        assert!(session.try_add_viewer(2) && session.try_add_viewer(2));
        assert!(!session.try_add_viewer(2));
        session.vote(1, Vote::Buy);
        session.vote(1, Vote::Skip);
        session.vote(2, Vote::Skip);
        let mut last_tally = None;
        while let Ok(message) = kiosk.try_recv() {
            if let RelayToKiosk::Tally { buy, skip } = message {
                last_tally = Some((buy, skip));
            }
        }
        assert_eq!(last_tally, Some((0, 2)));
        session.viewer_left(1);
        assert_eq!(session.viewer_count(), 1);
    }
}
