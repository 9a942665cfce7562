//! A function's counters over the measured window and its time-series handles.

use crate::metrics::SeriesId;

/// Counters over the measured window.
#[derive(Clone, Debug, Default)]
pub struct FunctionCounters {
    /// Invocations started.
    pub invocations: u64,
    /// Cold starts.
    pub cold_starts: u64,
    /// Throttles (every reason).
    pub throttles: u64,
    /// Of which over a request-rate limit.
    pub rate_throttles: u64,
    /// Function errors.
    pub errors: u64,
    /// Timeouts.
    pub timeouts: u64,
    /// Billed GB-s on on-demand environments.
    pub gb_seconds: f64,
    /// Billed GB-s on provisioned environments.
    pub provisioned_gb_seconds: f64,
    /// Sum of invocation durations, init excluded \[ns\], over ended invocations.
    pub duration_sum: f64,
    /// Ended invocations.
    pub ended: u64,
    /// Sum of init durations \[ns\].
    pub init_sum: f64,
    /// Provisioned environments re-initialised (after `max_lifetime` or a
    /// timeout); their init is billed in `provisioned_gb_seconds`.
    pub reinits: u64,
    /// Environments loaded by the hybrid keep-alive policy's pre-warm.
    pub prewarms: u64,
}

/// Time-series handles of a function.
#[derive(Clone, Copy, Debug)]
pub struct FunctionSeries {
    /// Invocations per interval.
    pub invocations: SeriesId,
    /// Cold starts per interval.
    pub cold_starts: SeriesId,
    /// Throttles per interval.
    pub throttles: SeriesId,
    /// Max busy environments in the interval.
    pub concurrency_max: SeriesId,
}
