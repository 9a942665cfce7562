//! Metrics recorded during a run: latency histograms, time-weighted levels
//! and per-interval time series, all with memory fixed at build time (no
//! growth with run length), then summarised for the result.
//!
//! Owns: how numbers are accumulated. Must not know: AWS, files.

pub mod buckets;
pub mod quantiles;
pub mod result;
pub mod series;
pub mod text;

pub use quantiles::IntervalQuantiles;
pub use result::*;
pub use series::{Level, SeriesId, SeriesRecorder};

use crate::engine::SimDuration;

/// Percentiles written to `latency.csv`.
pub const PERCENTILES: [f64; 13] = [
    1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 100.0,
];

/// A latency histogram: log-linear buckets at 3 significant digits (the
/// HDR layout, [`buckets`]) over 1 us .. 1 h (values above are clamped to
/// 1 h), plus an exact sum for the mean.
///
/// The buckets start at the smallest range (16 KB) and grow to the largest
/// value recorded (about 190 KB for the full hour), so a scenario with tens
/// of thousands of routes does not allocate gigabytes up front; growth
/// happens a few times per histogram, not per event.
pub struct LatencyHistogram {
    hist: buckets::Buckets,
    /// Exact sum of the samples \[ns\].
    sum_ns: u128,
    max_ns: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    const MAX_US: u64 = 3_600_000_000;

    /// An empty histogram.
    pub fn new() -> Self {
        Self {
            hist: buckets::Buckets::new(),
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Records one latency \[ns\]. Never allocates.
    #[inline]
    pub fn record(&mut self, ns: SimDuration) {
        let us = (ns / 1_000).clamp(1, Self::MAX_US);
        self.hist.record(us);
        self.sum_ns += u128::from(ns);
        self.max_ns = self.max_ns.max(ns);
    }

    /// Adds every sample of `other` to this histogram.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        self.hist.add(&other.hist);
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// The `p`-th percentile \[ms\] of this histogram's samples minus
    /// those of `part` (a histogram of a subset of the same samples);
    /// `None` when nothing is left.
    pub fn percentile_without(&self, part: &LatencyHistogram, p: f64) -> Option<f64> {
        let rest = self.hist.without(&part.hist)?;
        (!rest.is_empty()).then(|| {
            (rest.value_at_quantile(p / 100.0) as f64 / 1_000.0).min(self.max_ns as f64 / 1e6)
        })
    }

    /// Bytes held by the buckets.
    pub fn footprint(&self) -> usize {
        self.hist.capacity() * std::mem::size_of::<u64>()
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Summary in milliseconds. Percentiles are monotone in the percentile
    /// and never above the maximum (an HDR bucket reports its upper bound,
    /// which may exceed the largest sample); an empty histogram has no
    /// statistics (`None`).
    pub fn summary(&self) -> LatencySummary {
        let n = self.hist.len();
        if n == 0 {
            return LatencySummary::default();
        }
        let max = self.max_ns as f64 / 1e6;
        let qs = PERCENTILES.map(|p| p / 100.0);
        let mut us = [0u64; PERCENTILES.len()];
        self.hist.values_at_quantiles(&qs, &mut us);
        let mut table: Vec<(f64, f64)> = PERCENTILES
            .iter()
            .zip(us)
            .map(|(&p, v)| {
                (
                    p,
                    if p >= 100.0 {
                        max
                    } else {
                        (v as f64 / 1_000.0).min(max)
                    },
                )
            })
            .collect();
        // Percentiles are monotone; the clamp keeps them so. Enforce it
        // anyway so that no rounding can make a row smaller than the last.
        for i in 1..table.len() {
            table[i].1 = table[i].1.max(table[i - 1].1);
        }
        let q = |p: f64| table.iter().find(|r| r.0 == p).map(|r| r.1);
        LatencySummary {
            count: n,
            mean: Some((self.sum_ns as f64 / n as f64 / 1e6).min(max)),
            p50: q(50.0),
            p90: q(90.0),
            p99: q(99.0),
            p999: q(99.9),
            max: Some(max),
            table,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_percentiles_are_within_a_thousandth() {
        let mut h = LatencyHistogram::new();
        for ms in 1..=1000u64 {
            h.record(ms * 1_000_000);
        }
        let s = h.summary();
        assert_eq!(s.count, 1000);
        assert!((s.mean.unwrap() - 500.5).abs() < 1e-9);
        assert!((s.p50.unwrap() - 500.0).abs() <= 0.5, "{:?}", s.p50);
        assert!((s.p99.unwrap() - 990.0).abs() <= 1.0, "{:?}", s.p99);
        assert_eq!(s.max, Some(1000.0));
        assert_eq!(s.table.len(), PERCENTILES.len());
    }

    /// HDR buckets report their upper bound: a single sample just above a
    /// bucket boundary used to give p99.9 above the maximum.
    #[test]
    fn percentiles_are_monotone_and_at_most_the_max() {
        for ns in [1_000_001u64, 12_345_678, 999_999_999, 3_333_333_333] {
            let mut h = LatencyHistogram::new();
            h.record(ns);
            h.record(ns / 3);
            let s = h.summary();
            let max = s.max.unwrap();
            assert_eq!(max, ns as f64 / 1e6);
            let mut last = 0.0;
            for &(p, v) in &s.table {
                assert!(v <= max, "p{p} = {v} > max {max}");
                assert!(v >= last, "p{p} = {v} < {last}");
                last = v;
            }
            assert!(s.p999.unwrap() <= max);
        }
    }

    #[test]
    fn buckets_grow_with_the_values_recorded() {
        let mut h = LatencyHistogram::new();
        let empty = h.footprint();
        assert!(empty <= 32 << 10, "{empty}");
        h.record(7_200 * 1_000_000_000); // 2 h: clamped to 1 h
        assert!(h.footprint() > empty);
        assert_eq!(h.count(), 1);
        let s = h.summary();
        assert!(
            (s.p50.unwrap() - 3_600_000.0).abs() <= 3_600.0,
            "{:?}",
            s.p50
        );
    }

    #[test]
    fn an_empty_histogram_has_no_statistics() {
        let s = LatencyHistogram::new().summary();
        assert_eq!(s.count, 0);
        assert!(s.p50.is_none() && s.max.is_none() && s.mean.is_none());
        assert!(s.table.is_empty());
    }
}
