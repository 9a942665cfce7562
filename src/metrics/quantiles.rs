//! Latency percentiles per time-series interval, in memory that does not
//! grow with the run: one small log-scale histogram for the interval in
//! progress, turned into its p50 and p99 when time moves into the next
//! interval. Buckets have 8 sub-buckets per power of two of nanoseconds,
//! so a percentile is known to within one bucket (at most 12.5 % wide; the
//! midpoint is reported, within 6.25 % of any value in the bucket).

use super::{SeriesId, SeriesRecorder};
use crate::engine::{SimDuration, SimTime};

/// Sub-buckets per power of two.
const SUB_BITS: u32 = 3;
/// Buckets: nanoseconds 8 ..= 2^42 (73 min).
const BUCKETS: usize = 328;
/// Largest latency kept apart \[ns\]; longer ones share the last bucket.
const MAX_NS: u64 = (1 << 42) - 1;

/// The bucket of a latency of `ns` nanoseconds.
#[inline]
fn index(ns: u64) -> usize {
    // Latencies under 8 ns (none in practice) share the first
    // octave's buckets.
    let ns = ns.clamp(8, MAX_NS);
    let e = 63 - ns.leading_zeros();
    ((e - SUB_BITS + 1) << SUB_BITS) as usize + ((ns >> (e - SUB_BITS)) & 7) as usize
}

/// The midpoint of bucket `i` \[ns\].
fn midpoint(i: usize) -> f64 {
    if i < 16 {
        return i as f64 + 0.5;
    }
    let e = (i >> SUB_BITS) as u32 + SUB_BITS - 1;
    let sub = (i & 7) as u64;
    let width = 1u64 << (e - SUB_BITS);
    ((8 + sub) * width) as f64 + width as f64 / 2.0
}

/// p50 and p99 of the latencies that end in each interval, written to two
/// series (in ms) of the recorder.
pub struct IntervalQuantiles {
    counts: Box<[u32; BUCKETS]>,
    n: u32,
    start: SimTime,
    end: SimTime,
    interval: SimDuration,
    p50: SeriesId,
    p99: SeriesId,
}

impl IntervalQuantiles {
    /// Writes to `p50` and `p99`, intervals of `interval` ns.
    pub fn new(p50: SeriesId, p99: SeriesId, interval: SimDuration) -> Self {
        Self {
            counts: Box::new([0; BUCKETS]),
            n: 0,
            start: 0,
            end: interval,
            interval: interval.max(1),
            p50,
            p99,
        }
    }

    /// A latency of `ns` that ended at `now`.
    #[inline]
    pub fn record(&mut self, now: SimTime, ns: SimDuration, rec: &mut SeriesRecorder) {
        if now >= self.end {
            self.flush(rec);
            self.start = now - now % self.interval;
            self.end = self.start.saturating_add(self.interval);
        }
        self.counts[index(ns)] += 1;
        self.n += 1;
    }

    /// Writes the interval in progress (call at the end of the run).
    #[cold]
    pub fn flush(&mut self, rec: &mut SeriesRecorder) {
        if self.n == 0 {
            return;
        }
        let n = u64::from(self.n);
        let (r50, r99) = (n.div_ceil(2), (n * 99).div_ceil(100));
        let mut seen = 0u64;
        let mut p50 = None;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if p50.is_none() && seen >= r50 {
                p50 = Some(i);
            }
            if seen >= r99 {
                rec.max(self.p50, self.start, midpoint(p50.unwrap_or(i)) / 1e6);
                rec.max(self.p99, self.start, midpoint(i) / 1e6);
                break;
            }
        }
        self.counts.fill(0);
        self.n = 0;
    }

    /// Bytes held.
    pub fn footprint(&self) -> usize {
        BUCKETS * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::series::Combine;

    #[test]
    fn buckets_cover_every_latency_in_order_within_an_eighth() {
        let mut last = 0;
        for ns in [
            8u64,
            15,
            16,
            17,
            100,
            1_000,
            65_535,
            1 << 31,
            3_600_000_000_000,
            MAX_NS,
        ] {
            let i = index(ns);
            assert!(i >= last && i < BUCKETS, "{ns}: {i}");
            last = i;
            let m = midpoint(i);
            assert!(
                (m - ns as f64).abs() <= 0.0625 * ns as f64 + 0.5,
                "{ns}: {m}"
            );
        }
        assert_eq!(index(u64::MAX), index(MAX_NS));
        assert_eq!(index(0), index(8));
    }

    #[test]
    fn each_interval_gets_its_own_percentiles() {
        let s = 1_000_000_000;
        let mut rec = SeriesRecorder::new(3 * s, s, 2);
        let p50 = rec.register("w", "p50", "ms", Combine::Max, 1.0);
        let p99 = rec.register("w", "p99", "ms", Combine::Max, 1.0);
        let mut q = IntervalQuantiles::new(p50, p99, rec.interval());
        // Second 0: 1..=100 ms; second 2: all 10 ms; second 1: nothing.
        for k in 1..=100u64 {
            q.record(k * 1_000_000, k * 1_000_000, &mut rec);
        }
        for k in 0..10u64 {
            q.record(2 * s + k, 10_000_000, &mut rec);
        }
        q.flush(&mut rec);
        let ts = rec.export();
        let (a, b) = (&ts.series[0].values, &ts.series[1].values);
        assert!((a[0] - 50.0).abs() <= 50.0 * 0.0625, "{}", a[0]);
        assert!((b[0] - 99.0).abs() <= 99.0 * 0.0625, "{}", b[0]);
        assert_eq!((a[1], b[1]), (0.0, 0.0));
        assert!((a[2] - 10.0).abs() <= 0.625 && (b[2] - 10.0).abs() <= 0.625);
    }
}
