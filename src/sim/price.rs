//! Pricing a run: every billed kind's bill for the measured window,
//! projected to a month (see `cost` for the method).

use super::RunResult;
use crate::cost::{CostReport, PriceTable, Pricing};

/// The cost report of a run.
pub fn price(result: &RunResult, prices: &PriceTable, free_tier: bool) -> CostReport {
    let p = Pricing::new(prices, free_tier, result.measured_seconds);
    let requests = result.workloads.values().map(|w| w.requests).sum();
    CostReport::from_bills(&result.sections.bills(&p), requests, &p)
}
