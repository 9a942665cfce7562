//! Summaries of what was recorded: latency percentiles and time series,
//! plain data for the result.

use serde::Serialize;

/// Latency summary \[ms\]. Statistics of an empty sample are `None`
/// (`null` in JSON, `-` in text).
#[derive(Clone, Debug, Default, Serialize)]
pub struct LatencySummary {
    /// Samples.
    pub count: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// 99.9th percentile.
    pub p999: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Full percentile table: (percentile in 0..=100, value in ms).
    #[serde(skip)]
    pub table: Vec<(f64, f64)>,
}

/// Per-interval series, long format: one row per (interval, component, metric).
#[derive(Clone, Debug, Default)]
pub struct TimeSeries {
    /// Bucket width \[s\].
    pub interval_s: f64,
    /// The series.
    pub series: Vec<Series>,
}

/// One metric of one component over time.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Component name.
    pub component: String,
    /// Metric name, e.g. `rps`, `concurrency`, `cold_starts`.
    pub metric: String,
    /// Unit of the values, e.g. `requests/s`, `count`, `ms`.
    pub unit: &'static str,
    /// One value per bucket; bucket `i` starts at `i * interval_s`.
    pub values: Vec<f64>,
}
