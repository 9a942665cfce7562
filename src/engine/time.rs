//! Simulated time: integer nanoseconds since the start of a run.
//!
//! Parsing human durations such as `"250ms"` is *not* here: that belongs to
//! the scenario boundary. This module only knows numbers.

/// A point in simulated time [ns since the start of the run].
pub type SimTime = u64;

/// A span of simulated time \[ns\].
pub type SimDuration = u64;

/// Nanoseconds per microsecond.
pub const MICROS: u64 = 1_000;
/// Nanoseconds per millisecond.
pub const MILLIS: u64 = 1_000_000;
/// Nanoseconds per second.
pub const SECONDS: u64 = 1_000_000_000;

/// Converts seconds (as a float) to nanoseconds, rounding to the nearest
/// nanosecond and saturating at zero and at `u64::MAX`.
#[inline]
pub fn secs_to_ns(secs: f64) -> u64 {
    if secs.is_nan() || secs <= 0.0 {
        0
    } else {
        // `+ 0.5` then truncation rounds half up without a libm call; the
        // `as` cast saturates at u64::MAX.
        (secs * 1e9 + 0.5) as u64
    }
}

/// Converts nanoseconds to seconds, correctly rounded: `ns / 1e9` is one
/// IEEE division of two exact values (below 2^53 ns, about 104 days), so
/// whole and decimal values come out exact (`120 s` is `120.0`, `100 ms` is
/// `0.1`), where multiplying by the inexact `1e-9` gave
/// `120.00000000000001`. No per-event code calls it (the hot paths keep
/// their own factors).
#[inline]
pub fn ns_to_secs(ns: u64) -> f64 {
    ns as f64 / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        assert_eq!(secs_to_ns(1.5), 1_500_000_000);
        assert_eq!(secs_to_ns(-3.0), 0);
        assert_eq!(secs_to_ns(f64::NAN), 0);
        assert_eq!(secs_to_ns(1e30), u64::MAX);
        assert_eq!(ns_to_secs(2_500_000_000), 2.5);
    }

    /// Whole values convert exactly; every value is the correctly rounded
    /// decimal `ns e-9` (Rust's float parsing is correctly rounded).
    #[test]
    fn ns_to_secs_is_correctly_rounded() {
        assert_eq!(ns_to_secs(120 * SECONDS), 120.0);
        for k in 0..100_000u64 {
            assert_eq!(ns_to_secs(k * SECONDS), k as f64);
            let ms = k * 37 * MILLIS;
            assert_eq!(
                ns_to_secs(ms),
                format!("{}e-3", k * 37).parse::<f64>().unwrap()
            );
        }
        // A sweep over magnitudes up to 2^53 ns, xorshift-spread digits.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let ns = x >> (11 + x % 50);
            let want: f64 = format!("{ns}e-9").parse().unwrap();
            assert_eq!(ns_to_secs(ns), want, "{ns} ns");
        }
        assert_eq!(ns_to_secs(u64::MAX), u64::MAX as f64 / 1e9);
    }
}
