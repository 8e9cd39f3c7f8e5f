//! The frame hand-over between the capture thread and its consumers: one slot holding only the
//! newest frame. Publishing over an unread frame replaces it (and counts it as skipped), so a slow
//! consumer never builds a backlog and never sees anything but the newest frame.

use std::{
    sync::{
        Condvar, Mutex, MutexGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// One converted camera frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Increases by one per captured frame, across reconnects.
    pub seq: u64,
    /// When the source delivered the raw frame (before conversion).
    pub captured_at: Instant,
    pub width: u32,
    pub height: u32,
    /// Tightly packed RGBA8, `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// Latest-frame-wins slot. Cheap to share behind an `Arc`.
#[derive(Debug, Default)]
pub struct FrameSlot {
    newest: Mutex<Option<Frame>>,
    fresh: Condvar,
    published: AtomicU64,
    skipped: AtomicU64,
}

impl FrameSlot {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Option<Frame>> {
        // A poisoned slot only means a consumer panicked mid-take; the data is still a frame.
        self.newest.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Offers a frame, replacing any frame nobody took yet.
    pub fn publish(&self, frame: Frame) {
        let replaced = self.lock().replace(frame);
        self.published.fetch_add(1, Ordering::Relaxed);
        if replaced.is_some() {
            self.skipped.fetch_add(1, Ordering::Relaxed);
        }
        self.fresh.notify_all();
        // `replaced` (a whole frame buffer) is freed here, outside the lock.
    }

    /// Takes the newest frame if one arrived since the last take.
    pub fn take(&self) -> Option<Frame> {
        self.lock().take()
    }

    /// Like [`FrameSlot::take`], but waits up to `timeout` for a frame to arrive.
    pub fn wait_take(&self, timeout: Duration) -> Option<Frame> {
        let guard = self.lock();
        let (mut guard, _) = self
            .fresh
            .wait_timeout_while(guard, timeout, |newest| newest.is_none())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.take()
    }

    /// Drops any frame waiting in the slot (privacy wipe). Returns whether one was dropped.
    pub fn clear(&self) -> bool {
        self.lock().take().is_some()
    }

    /// Frames published since the slot was made.
    pub fn published(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }

    /// Frames replaced before any consumer took them.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::Arc, thread};

    use super::*;

    fn frame(seq: u64) -> Frame {
        Frame { seq, captured_at: Instant::now(), width: 2, height: 1, rgba: vec![seq as u8; 8] }
    }

    #[test]
    fn a_consumer_that_was_away_gets_only_the_newest_frame() {
        let slot = FrameSlot::new();
        for seq in 0..100 {
            slot.publish(frame(seq));
        }
        assert_eq!(slot.take().map(|f| f.seq), Some(99));
        assert_eq!(slot.take(), None, "older frames must not be queued behind the newest");
        assert_eq!((slot.published(), slot.skipped()), (100, 99));
    }

    #[test]
    fn a_slow_consumer_on_another_thread_never_sees_a_stale_frame() {
        let slot = Arc::new(FrameSlot::new());
        let producer = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || {
                for seq in 0..2_000 {
                    slot.publish(frame(seq));
                    if seq % 50 == 0 {
                        thread::sleep(Duration::from_millis(1));
                    }
                }
            })
        };
        let mut seen = Vec::new();
        while !producer.is_finished() || seen.last() != Some(&1_999) {
            let published_before = slot.published();
            if let Some(f) = slot.wait_take(Duration::from_millis(200)) {
                // Whatever we take is at least as new as everything published before the take.
                assert!(f.seq + 1 >= published_before, "took {} after {} were published", f.seq, published_before);
                seen.push(f.seq);
            }
            thread::sleep(Duration::from_millis(3)); // a slow consumer
        }
        assert!(producer.join().is_ok());
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "frames must arrive in order: {seen:?}");
        assert!(seen.len() < 2_000, "a slow consumer must skip frames, saw {}", seen.len());
        assert_eq!(slot.published(), 2_000);
        assert_eq!(slot.skipped() + seen.len() as u64, 2_000);
    }

    #[test]
    fn wait_take_returns_none_after_the_timeout_and_clear_empties() {
        let slot = FrameSlot::new();
        assert_eq!(slot.wait_take(Duration::from_millis(10)), None);
        slot.publish(frame(1));
        assert!(slot.clear());
        assert!(!slot.clear());
        assert_eq!(slot.take(), None);
    }
}
