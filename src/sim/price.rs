//! Pricing a run: every billed kind's bill for the measured window,
//! projected to a month (see `cost` for the method).
//!
//! Besides each kind's own bill (the registry's `bills`), three bills
//! that span kinds or need the scenario's settings: data transfer out to
//! the internet (APIs' responses and buckets' direct gets together: AWS
//! applies the free 100 GB and the tiers to the account's month, after
//! `api_gateway`, else `s3`), the DAX clusters' nodes (after `dynamodb`)
//! and the functions' log ingestion (after `lambda`).

use super::RunResult;
use crate::cost::{Bill, BillSettings, CostReport, PriceTable, Pricing};
use crate::model::Projection;
use crate::services::{api_gateway, lambda, table};

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
    if let Some(b) = data_transfer_bill(result, p) {
        let at = v
            .iter()
            .position(|b| b.service == "api_gateway")
            .or_else(|| v.iter().position(|b| b.service == "s3"))
            .map_or(v.len(), |i| i + 1);
        v.insert(at, b);
    }
    if let Some(b) = table::cost::dax_bill(&result.tables, p) {
        let at = after(&v, "dynamodb");
        v.insert(at, b);
    }
    v
}

/// Data transfer out to the internet of every API (responses) and bucket
/// (a workload's direct gets), priced together (one free allowance, one
/// set of tiers); `None` when nothing left AWS.
fn data_transfer_bill(result: &RunResult, p: &Pricing<'_>) -> Option<Bill> {
    let apis = result.apis.iter().map(|(n, a)| (n, a.data_out_gb));
    let buckets = result.buckets.iter().map(|(n, b)| (n, b.gb_out_internet));
    let (names, gb): (Vec<&String>, Vec<f64>) =
        apis.chain(buckets).map(|(n, g)| (n, g * p.scale)).unzip();
    if !gb.iter().any(|&g| g > 0.0) {
        return None;
    }
    let costs = api_gateway::cost::data_transfer_costs(&gb, &p.prices.data_transfer, p.free_tier);
    Some(Bill {
        service: "data_transfer",
        components: names.into_iter().cloned().zip(costs).collect(),
    })
}
