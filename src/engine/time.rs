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

/// Converts nanoseconds to seconds.
#[inline]
pub fn ns_to_secs(ns: u64) -> f64 {
    ns as f64 * 1e-9
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
        assert!((ns_to_secs(2_500_000_000) - 2.5).abs() < 1e-12);
    }
}
