//! Telling a USB barcode scanner from a person at a keyboard. A scanner "types" the code's digits
//! a few milliseconds apart and presses Enter; a person types slower and unevenly. The detector is
//! fed every key with its time and reports a scanned code only for a fast, complete burst.

use std::time::Duration;

/// How fast a burst must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstRules {
    /// Largest gap between two keys of one scan (scanners: 1–20 ms; people: 80 ms and more).
    pub max_gap: Duration,
    /// Shortest code accepted (EAN-8 is the shortest retail barcode).
    pub min_len: usize,
    /// Longest code accepted; anything longer is not a tag.
    pub max_len: usize,
}

impl Default for BurstRules {
    fn default() -> Self {
        Self { max_gap: Duration::from_millis(35), min_len: 8, max_len: 48 }
    }
}

/// A key as the detector needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
}

/// Feeds keys, yields scanned codes.
#[derive(Debug, Clone, Default)]
pub struct ScanDetector {
    rules: BurstRules,
    burst: String,
    last_key: Option<Duration>,
    /// A slow gap or an odd key broke the burst: ignore until the next Enter.
    broken: bool,
}

impl ScanDetector {
    pub fn new(rules: BurstRules) -> Self {
        Self { rules, ..Self::default() }
    }

    /// One key at time `at` (any monotonic clock). Returns the code when Enter ends a scan.
    pub fn key(&mut self, key: Key, at: Duration) -> Option<String> {
        let gap = self.last_key.map(|last| at.saturating_sub(last));
        self.last_key = Some(at);
        let too_slow = gap.is_some_and(|gap| gap > self.rules.max_gap);
        match key {
            Key::Enter => {
                let burst = std::mem::take(&mut self.burst);
                let broken = std::mem::take(&mut self.broken) || too_slow;
                let complete = (self.rules.min_len..=self.rules.max_len).contains(&burst.chars().count());
                (!broken && complete).then_some(burst)
            }
            Key::Char(c) => {
                if too_slow {
                    // A pause: whatever came before was typed by a person; this key may start a scan.
                    self.burst.clear();
                    self.broken = false;
                }
                if c.is_ascii_graphic() && self.burst.len() < self.rules.max_len {
                    self.burst.push(c);
                } else {
                    self.broken = true;
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(detector: &mut ScanDetector, text: &str, start_ms: u64, gap_ms: u64) -> Option<String> {
        let mut at = start_ms;
        for c in text.chars() {
            detector.key(Key::Char(c), Duration::from_millis(at));
            at += gap_ms;
        }
        detector.key(Key::Enter, Duration::from_millis(at))
    }

    #[test]
    fn a_fast_burst_is_a_scan() {
        let mut detector = ScanDetector::default();
        assert_eq!(feed(&mut detector, "4006381333931", 0, 4), Some("4006381333931".into()));
        assert_eq!(feed(&mut detector, "036000291452", 5000, 12), Some("036000291452".into()));
    }

    #[test]
    fn a_person_typing_is_not() {
        let mut detector = ScanDetector::default();
        assert_eq!(feed(&mut detector, "4006381333931", 0, 120), None, "human speed");
        assert_eq!(feed(&mut detector, "1234", 10_000, 3), None, "too short for a barcode");
    }

    #[test]
    fn a_scan_right_after_typing_still_counts() {
        let mut detector = ScanDetector::default();
        for (i, c) in "abc".chars().enumerate() {
            detector.key(Key::Char(c), Duration::from_millis(i as u64 * 150));
        }
        // The scanner starts 200 ms after the last typed key.
        assert_eq!(feed(&mut detector, "4006381333931", 500, 5), Some("4006381333931".into()));
    }

    #[test]
    fn a_pause_before_enter_or_a_control_key_breaks_the_burst() {
        let mut detector = ScanDetector::default();
        for (i, c) in "4006381333931".chars().enumerate() {
            detector.key(Key::Char(c), Duration::from_millis(i as u64 * 5));
        }
        assert_eq!(detector.key(Key::Enter, Duration::from_millis(900)), None, "Enter long after the digits");
        let mut detector = ScanDetector::default();
        assert_eq!(feed(&mut detector, "400638\u{7}1333931", 0, 5), None, "a control character");
    }
}
