//! Metrics recorded during a run: latency histograms, time-weighted levels
//! and per-interval time series, all with memory fixed at build time (no
//! growth with run length), then summarised into a [`RunResult`].
//!
//! Owns: how numbers are accumulated. Must not know: AWS, files.

pub mod result;
pub mod series;

pub use result::*;
pub use series::{Level, SeriesId, SeriesRecorder};

use crate::engine::SimDuration;

/// Percentiles written to `latency.csv`.
pub const PERCENTILES: &[f64] = &[
    1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 100.0,
];

/// A latency histogram: HDR buckets at 3 significant digits over 1 us .. 1 h
/// (values above are clamped to 1 h), plus an exact sum for the mean.
pub struct LatencyHistogram {
    hist: hdrhistogram::Histogram<u64>,
    sum_ns: f64,
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
            hist: hdrhistogram::Histogram::new_with_bounds(1, Self::MAX_US, 3)
                .expect("static histogram bounds are valid"),
            sum_ns: 0.0,
            max_ns: 0,
        }
    }

    /// Records one latency \[ns\]. Never allocates.
    #[inline]
    pub fn record(&mut self, ns: SimDuration) {
        let us = (ns / 1_000).clamp(1, Self::MAX_US);
        self.hist.saturating_record(us);
        self.sum_ns += ns as f64;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Adds every sample of `other` to this histogram.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        self.hist
            .add(&other.hist)
            .expect("histograms with the same bounds always merge");
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Summary in milliseconds.
    pub fn summary(&self) -> LatencySummary {
        let n = self.hist.len();
        if n == 0 {
            return LatencySummary::default();
        }
        let q = |p: f64| self.hist.value_at_quantile(p / 100.0) as f64 / 1_000.0;
        let max = self.max_ns as f64 / 1e6;
        LatencySummary {
            count: n,
            mean: self.sum_ns / n as f64 / 1e6,
            p50: q(50.0),
            p90: q(90.0),
            p99: q(99.0),
            p999: q(99.9),
            max,
            table: PERCENTILES
                .iter()
                .map(|&p| (p, if p >= 100.0 { max } else { q(p) }))
                .collect(),
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
        assert!((s.mean - 500.5).abs() < 1e-9);
        assert!((s.p50 - 500.0).abs() <= 0.5, "{}", s.p50);
        assert!((s.p99 - 990.0).abs() <= 1.0, "{}", s.p99);
        assert_eq!(s.max, 1000.0);
        assert_eq!(s.table.len(), PERCENTILES.len());
    }
}
