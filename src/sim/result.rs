//! The result of one run: plain data, ready to be reported.
//!
//! Maps are keyed by component name and keep the scenario's order.
//! All counts cover the measured window (after warm-up) unless a field says
//! otherwise; latencies are in milliseconds.

use serde::Serialize;

use crate::cost::CostReport;
use crate::metrics::TimeSeries;
use crate::services::{Finding, Sections};

/// Everything a run measured.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Clock time of t = 0, `"HH:MM:SS"` (`[simulation] start`; times in
    /// the results and the findings count from t = 0).
    pub start_clock: String,
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
    /// Per component of each kind: `workloads`, `apis`, `functions`,
    /// `tables` (one section per service kind, in registry order).
    #[serde(flatten)]
    pub sections: Sections,
    /// Every cache (CloudFront distributions, API response caches, DAX
    /// clusters) with the same figures, so that they can be compared:
    /// lookups, hits, hit ratio, origin requests, bytes.
    pub caches: Vec<crate::services::caches::CacheSummary>,
    /// Cost of the measured window and its monthly projection.
    pub cost: CostReport,
    /// Statements computed from the figures: where failures began, which
    /// limits were reached and when, how close capacity and concurrency
    /// came to their limits, the share of p99 due to cold starts.
    pub findings: Vec<Finding>,
    /// The verdict of every `[[slo]]` of the scenario, in order.
    pub slos: Vec<crate::slo::SloVerdict>,
    /// The `[objective]`'s value; `None` without an objective.
    pub objective: Option<crate::slo::ObjectiveValue>,
    /// `slsim recommend`'s recommendation, on the recommended point's run
    /// (absent otherwise): settings, objective, SLOs, reasoning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<serde_json::Value>,
    /// Per-interval time series (written to `timeseries.csv`, not to JSON).
    #[serde(skip)]
    pub timeseries: TimeSeries,
    /// The execution-environment timelines `[timeline]` asked for
    /// (written to `timeline.csv` and drawn, not to JSON).
    #[serde(skip)]
    pub timelines: Vec<crate::services::lambda::timeline::EnvTimeline>,
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

/// The kind sections read as fields of the result: `result.functions`.
impl std::ops::Deref for RunResult {
    type Target = Sections;
    fn deref(&self) -> &Sections {
        &self.sections
    }
}

impl std::ops::DerefMut for RunResult {
    fn deref_mut(&mut self) -> &mut Sections {
        &mut self.sections
    }
}
