//! The result of one run: plain data, ready to be reported or costed.
//!
//! Maps are keyed by component name and keep the scenario's order.
//! All counts cover the measured window (after warm-up) unless a field says
//! otherwise; latencies are in milliseconds.

use indexmap::IndexMap;
use serde::Serialize;

/// Everything a run measured.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Simulated length including warm-up \[s\].
    pub simulated_seconds: f64,
    /// Length of the measured window (after warm-up) \[s\].
    pub measured_seconds: f64,
    /// Events handled.
    pub events: u64,
    /// Wall-clock time of the run \[s\] (the only non-deterministic field).
    pub wall_seconds: f64,
    /// What produced this result: slsim version, scenario file and the hash
    /// of its text, `--set` overrides.
    pub provenance: Provenance,
    /// Set when a guard (events, wall time, memory) stopped the run before
    /// its end: the figures cover the run up to `at_s`.
    pub stopped_early: Option<StoppedEarly>,
    /// Warnings about the scenario or the run (also printed to stderr).
    pub warnings: Vec<String>,
    /// Width of one `timeseries.csv` bucket actually used \[s\] (the
    /// requested interval, widened for long runs and many series).
    pub timeseries_interval_s: f64,
    /// Per workload.
    pub workloads: IndexMap<String, WorkloadStats>,
    /// Per API Gateway.
    pub apis: IndexMap<String, ApiStats>,
    /// Per Lambda function.
    pub functions: IndexMap<String, FunctionStats>,
    /// Per DynamoDB table.
    pub tables: IndexMap<String, TableStats>,
    /// Cost of the measured window and its monthly projection.
    pub cost: CostReport,
    /// Per-interval time series (written to `timeseries.csv`, not to JSON).
    #[serde(skip)]
    pub timeseries: TimeSeries,
}

/// What produced a result (recorded in `summary.json`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Provenance {
    /// `slsim` version (`CARGO_PKG_VERSION`).
    pub slsim_version: String,
    /// The scenario file as given on the command line.
    pub scenario_path: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Every `--set PATH=VALUE`, in order (`--seed N` appears as
    /// `simulation.seed=N`).
    pub overrides: Vec<String>,
}

/// Why and when a guard stopped a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoppedEarly {
    /// The guard's message (names the limit and, for memory, the component).
    pub reason: String,
    /// Simulated time reached \[s\].
    pub at_s: f64,
}

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

/// A workload's requests, by final outcome (after client retries).
///
/// Conservation: `requests = succeeded + throttled + failed + timed_out + in_flight`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorkloadStats {
    /// Requests that arrived in the measured window.
    pub requests: u64,
    /// Ended with a 2xx.
    pub succeeded: u64,
    /// Ended throttled (API 429, or Lambda throttle seen as 429/500).
    pub throttled: u64,
    /// Ended with another error (502, SDK gave up, function error).
    pub failed: u64,
    /// Ended with a timeout (504 or function timeout).
    pub timed_out: u64,
    /// Still in flight when the run ended.
    pub in_flight: u64,
    /// Client retries sent.
    pub retries: u64,
    /// Final HTTP status codes (for api targets) or outcome names.
    pub status: IndexMap<String, u64>,
    /// Latency of succeeded requests, first attempt to final response.
    pub latency_ms: LatencySummary,
    /// The same, per route (api targets); key `"-"` for direct invokes.
    pub routes: IndexMap<String, RouteStats>,
}

/// Per-route figures of a workload.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouteStats {
    /// Requests on this route.
    pub requests: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Latency of succeeded requests.
    pub latency_ms: LatencySummary,
}

/// An API Gateway's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ApiStats {
    /// Requests received (billed).
    pub requests: u64,
    /// Rejected by the token bucket (429).
    pub throttled: u64,
    /// Answered from the response cache.
    pub cache_hits: u64,
    /// Responses by status code.
    pub status: IndexMap<String, u64>,
    /// `"rest"` or `"http"` (for pricing).
    pub kind: String,
    /// Cache size \[GB\], 0 without cache (for pricing).
    pub cache_size_gb: f64,
}

/// A function's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FunctionStats {
    /// Invocations that got an execution environment.
    pub invocations: u64,
    /// Of which started cold (new environment).
    pub cold_starts: u64,
    /// Invocations rejected for concurrency or scaling limits.
    pub throttles: u64,
    /// Invocations that ended in a function error.
    pub errors: u64,
    /// Invocations killed by the function timeout.
    pub timeouts: u64,
    /// Maximum busy environments (initialising + running) at any instant.
    pub max_concurrency: u64,
    /// Time-weighted mean of busy environments.
    pub mean_concurrency: f64,
    /// Time-weighted mean of live environments (busy + idle).
    pub mean_environments: f64,
    /// Billed compute [GB-s], init included, on-demand environments.
    pub gb_seconds: f64,
    /// Billed compute [GB-s] run on provisioned environments.
    pub provisioned_gb_seconds: f64,
    /// Mean invocation duration, init excluded \[ms\]; `None` without
    /// ended invocations.
    pub mean_duration_ms: Option<f64>,
    /// Mean init duration of cold starts \[ms\]; `None` without cold starts.
    pub mean_init_ms: Option<f64>,
    /// Memory \[MB\] (for pricing).
    pub memory_mb: u32,
    /// `"x86_64"` or `"arm64"` (for pricing).
    pub arch: String,
    /// Provisioned environments configured (for pricing).
    pub provisioned_concurrency: u32,
}

/// A DynamoDB table's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableStats {
    /// Read requests (get, query, scan); SDK retries are not counted again.
    pub reads: u64,
    /// Write requests.
    pub writes: u64,
    /// Attempts rejected by capacity (ProvisionedThroughputExceeded).
    pub throttled: u64,
    /// SDK retries sent after throttles.
    pub retries: u64,
    /// Requests that failed after the SDK's last attempt.
    pub failed: u64,
    /// Reads answered by DAX.
    pub dax_hits: u64,
    /// Read capacity consumed [RCU-seconds, i.e. read units].
    pub consumed_rcu: f64,
    /// Write capacity consumed [write units].
    pub consumed_wcu: f64,
    /// `"provisioned"` or `"on-demand"` (for pricing).
    pub mode: String,
    /// Provisioned RCU (0 for on-demand).
    pub rcu: f64,
    /// Provisioned WCU (0 for on-demand).
    pub wcu: f64,
}

/// Cost of a run \[USD\].
#[derive(Clone, Debug, Default, Serialize)]
pub struct CostReport {
    /// Cost of the measured window.
    pub total_usd: f64,
    /// Projected to a 730-hour month at the same traffic.
    pub monthly_usd: f64,
    /// Monthly cost divided by monthly workload requests, times 1e6.
    /// `None` when no request arrived.
    pub per_million_requests_usd: Option<f64>,
    /// Whether the monthly free tier was subtracted.
    pub free_tier: bool,
    /// Monthly cost per service (`lambda`, `api_gateway`, `dynamodb`).
    pub by_service: IndexMap<String, f64>,
    /// Monthly cost per component.
    pub by_component: IndexMap<String, f64>,
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
    /// One value per bucket; bucket `i` starts at `i * interval_s`.
    pub values: Vec<f64>,
}
