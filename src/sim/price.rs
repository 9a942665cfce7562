//! Pricing a run: every billed kind's bill for the measured window,
//! projected to a month (see `cost` for the method).
//!
//! Besides each kind's own bill (the registry's `bills`), two bills that
//! need the scenario's settings: the DAX clusters' nodes (after
//! `dynamodb`) and the functions' log ingestion (after `lambda`).

use super::RunResult;
use crate::cost::{Bill, BillSettings, CostReport, PriceTable, Pricing};
use crate::model::Projection;
use crate::services::{lambda, table};

/// The cost report of a run from its figures alone: the window repeated to
/// fill the month, without the charges that need the scenario (DAX nodes,
/// storage, log ingestion, SnapStart).
pub fn price(result: &RunResult, prices: &PriceTable, free_tier: bool) -> CostReport {
    let p = Pricing::new(prices, free_tier, result.measured_seconds);
    report(result, &p)
}

/// The cost report of a run of a scenario with these settings
/// ([`BillSettings::from_model`]): its free tier, its `[cost]` projection
/// and every charge slsim prices; with notes on what the figures mean and
/// what is not priced.
pub fn price_scenario(result: &RunResult, prices: &PriceTable, s: &BillSettings) -> CostReport {
    let p = Pricing::for_settings(prices, s, result.measured_seconds);
    let mut c = report(result, &p);
    c.not_priced = s.not_priced.clone();
    let requests: u64 = result.workloads.values().map(|w| w.requests).sum();
    if requests == 0 && result.measured_seconds > 0.0 {
        c.notes.push(format!(
            "no request arrived in the measured window: the month shows only the always-on charges (${:.2}), not a month of the workloads' traffic; check the arrivals against [simulation].duration and warmup",
            c.always_on_monthly_usd
        ));
    }
    c
}

fn report(result: &RunResult, p: &Pricing<'_>) -> CostReport {
    let requests = result.workloads.values().map(|w| w.requests).sum();
    let mut c = CostReport::from_bills(&bills(result, p), requests, p);
    if p.projection == Projection::Once {
        c.set_window(&bills(result, &p.window_part()));
    }
    let always_on = bills(result, &p.always_on_part());
    c.always_on_monthly_usd = crate::cost::sum(
        &always_on
            .iter()
            .flat_map(|b| b.components.iter().map(|x| x.1))
            .collect::<Vec<f64>>(),
    );
    c
}

/// Every bill of the run, services in the order of a request's path.
fn bills(result: &RunResult, p: &Pricing<'_>) -> Vec<Bill> {
    let mut v = result.sections.bills(p);
    let after = |v: &[Bill], service: &str| {
        v.iter()
            .position(|b| b.service == service)
            .map_or(v.len(), |i| i + 1)
    };
    if let Some(b) = lambda::cost::logs_bill(&result.functions, p) {
        let at = after(&v, "lambda");
        v.insert(at, b);
    }
    if let Some(b) = table::cost::dax_bill(&result.tables, p) {
        let at = after(&v, "dynamodb");
        v.insert(at, b);
    }
    v
}
