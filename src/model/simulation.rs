//! `[simulation]`: run settings, and the Regions slsim has prices for.

use crate::engine::{SimDuration, SECONDS};

/// Regions slsim has a price table for (`prices/<region>.toml`).
pub const REGIONS: &[&str] = &["us-east-1"];
/// Default Region.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Default Lambda account concurrency per Region (aws-facts 1.1: 1,000).
pub const DEFAULT_ACCOUNT_CONCURRENCY: u32 = 1000;
/// Default `start_date` \[days since 1970-01-01\]: 2024-01-01, a Monday
/// \[A\] (any date would do; a Monday makes a week of the run read Monday
/// to Sunday).
pub const DEFAULT_START_DATE: i64 = 19_723;
/// Default `max_events`: two billion, minutes of wall time at the
/// simulator's speed.
pub const DEFAULT_MAX_EVENTS: u64 = 2_000_000_000;

/// `[simulation]`: run settings.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// Human name; also names the output folder (see [`Simulation::slug`]).
    pub name: String,
    /// Simulated length, warm-up included \[ns\].
    pub duration: SimDuration,
    /// Initial period excluded from statistics \[ns\].
    pub warmup: SimDuration,
    /// Clock time of t = 0 \[ns after midnight\], `0..=24 h`: moves the
    /// phase of every diurnal arrival on by this much (validation applies it
    /// to the workloads' arrivals, see `Arrival::at_clock`). Times in the
    /// results stay measured from t = 0.
    pub start: SimDuration,
    /// Date of t = 0 \[days since 1970-01-01\] (UTC): the calendar of cron
    /// schedules (day of month, month, year, day of week).
    pub start_date: i64,
    /// Master seed.
    pub seed: u64,
    /// Lambda account concurrency limit, shared by all functions.
    pub account_concurrency: u32,
    /// Lambda scale-up model.
    pub scaling: ScalingModel,
    /// Cap on one SQS event source mapping's concurrent batches.
    pub esm_max_concurrency: u32,
    /// AWS Region (selects the price table and the legacy burst).
    pub region: String,
    /// Subtract the monthly free tier in cost figures.
    pub free_tier: bool,
    /// `[cost]`: how the window's usage becomes a month.
    pub cost: super::CostSettings,
    /// `[timeline]`: execution environments to record (`None`: none).
    pub timeline: Option<super::Timeline>,
    /// Stop the run after this many events.
    pub max_events: u64,
    /// Stop the run after this much wall-clock time \[s\]; `None`: no limit.
    pub max_wall_s: Option<f64>,
    /// Stop the run when its memory exceeds this many bytes; `None`: the
    /// default (the smaller of 4 GiB and half the machine's RAM).
    pub max_memory_bytes: Option<u64>,
    /// Width of one time-series bucket \[ns\].
    pub timeseries_interval: SimDuration,
    /// API Gateway's account-level throttle per Region, shared by every API
    /// (`api_rate_limit`, `api_burst`; aws-facts 4: 10,000 rps, 5,000).
    pub api_account: super::api::Throttle,
}

impl Simulation {
    /// A file-system-safe version of the name: lowercase ASCII letters,
    /// digits and `-`.
    pub fn slug(&self) -> String {
        slug_of(&self.name)
    }
}

/// [`Simulation::slug`] of a scenario called `name`.
pub fn slug_of(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "scenario".into()
    } else {
        s
    }
}

/// How Lambda adds execution environments under a burst of load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingModel {
    /// Since 2023-11-27: per function, 1,000 new environments per 10 s,
    /// refilled continuously, no accumulation beyond 1,000.
    PerFunction,
    /// 2019-07 .. 2023-11: an account-wide initial burst (3,000 / 1,000 / 500
    /// by Region), then +500 environments per minute.
    Legacy2019,
}

impl Simulation {
    /// A run of `duration` with every other setting at its default (as if
    /// the `[simulation]` table gave only `duration`).
    pub fn new(duration: SimDuration) -> Self {
        Self {
            name: "scenario".into(),
            duration,
            warmup: 0,
            start: 0,
            start_date: DEFAULT_START_DATE,
            seed: 1,
            account_concurrency: DEFAULT_ACCOUNT_CONCURRENCY,
            scaling: ScalingModel::PerFunction,
            esm_max_concurrency: super::queue::ESM_MAX_CONCURRENCY,
            region: DEFAULT_REGION.into(),
            free_tier: false,
            cost: super::CostSettings::default(),
            timeline: None,
            max_events: DEFAULT_MAX_EVENTS,
            max_wall_s: None,
            max_memory_bytes: None,
            timeseries_interval: SECONDS,
            api_account: super::api::Throttle {
                rate: super::api::DEFAULT_RATE_LIMIT,
                burst: super::api::DEFAULT_BURST,
            },
        }
    }
}
