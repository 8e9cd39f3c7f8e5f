//! What the camera benchmarks share: a median timer and milliseconds.

use std::time::{Duration, Instant};

/// Median time per call over enough calls to fill ~1.5 s (at least 15).
pub fn measure(mut f: impl FnMut()) -> Duration {
    f();
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 15 || (started.elapsed() < Duration::from_millis(1500) && samples.len() < 2000) {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
