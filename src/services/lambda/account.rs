//! Account-wide Lambda state: the unreserved concurrency pool and the
//! legacy (2019-2023) account burst.

use super::rate::{RateWindow, REQUESTS_PER_CONCURRENCY};
use crate::engine::{SimTime, SECONDS};
use crate::model::{self, ScalingModel};

/// Legacy scaling: environments added per minute after the burst.
pub const LEGACY_ENVS_PER_MINUTE: f64 = 500.0;
/// Legacy (2019-2023) account-wide initial burst by Region (aws-facts §1.1).
pub fn legacy_burst(region: &str) -> f64 {
    match region {
        "us-west-2" | "us-east-1" | "eu-west-1" => 3000.0,
        "ap-northeast-1" | "eu-central-1" | "us-east-2" => 1000.0,
        _ => 500.0,
    }
}

/// Account-wide Lambda state shared by all functions.
pub struct Account {
    /// Concurrency available to functions without a reservation.
    pub unreserved_limit: u32,
    /// Of which in use (on-demand busy + provisioned of unreserved functions).
    pub unreserved_in_use: u32,
    /// The account's invocation rate: 10 x its concurrency per second,
    /// shared by all functions (aws-facts 1.1).
    pub rate: RateWindow,
    pub(super) legacy: Option<LegacyScaling>,
}

/// The 2019 model: a burst of new environments, then +500 at every minute.
pub(super) struct LegacyScaling {
    tokens: f64,
    burst: f64,
    minute: u64,
}

impl LegacyScaling {
    pub(super) fn try_take(&mut self, now: SimTime) -> bool {
        let minute = now / (60 * SECONDS);
        if minute > self.minute {
            self.tokens = (self.tokens + LEGACY_ENVS_PER_MINUTE * (minute - self.minute) as f64)
                .min(self.burst);
            self.minute = minute;
        }
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Account {
    /// Account state for a scenario.
    pub fn new(sim: &model::Simulation, reserved_total: u32) -> Self {
        Self {
            unreserved_limit: sim.account_concurrency.saturating_sub(reserved_total),
            unreserved_in_use: 0,
            rate: RateWindow::new(REQUESTS_PER_CONCURRENCY * u64::from(sim.account_concurrency)),
            legacy: (sim.scaling == ScalingModel::Legacy2019).then(|| {
                let burst = legacy_burst(&sim.region);
                LegacyScaling {
                    tokens: burst,
                    burst,
                    minute: 0,
                }
            }),
        }
    }
}
