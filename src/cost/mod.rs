//! Cost: price tables applied to what a run used.
//!
//! Owns: the price arithmetic (tiers, free tiers, monthly projection).
//! Must not know: file formats (the tables are parsed by
//! [`builtin`]) or how the simulation runs; it reads only a
//! [`RunResult`].
//!
//! # How a run is priced
//!
//! A run measures a window of `measured_seconds`. Prices with free tiers and
//! volume tiers are defined per month, so [`compute`]:
//!
//! 1. projects the window's usage to a 730-hour month at the same traffic:
//!    `monthly usage = window usage x (730 h / window)`; capacity that is
//!    billed per hour (provisioned concurrency, provisioned DynamoDB
//!    capacity, the API cache) is billed for all 730 hours;
//! 2. subtracts the free tier from that monthly usage when asked (Lambda
//!    requests and GB-s, API Gateway calls);
//! 3. prices the rest with tiered prices on the monthly totals
//!    ([`lines`]) -> `monthly_usd`;
//! 4. scales back: `total_usd = monthly_usd x window / month`, i.e. the
//!    window's fair share of the month's bill (so the free tier is spread
//!    over the month rather than spent in the first minutes).

pub mod builtin;
pub mod lines;
pub mod prices;

pub use lines::{
    api_costs, lambda_costs, table_cost, tiered, ApiKind, ApiUsage, Arch, FunctionUsage,
    TableUsage, MONTH_HOURS, MONTH_SECONDS,
};
pub use prices::{ApiGatewayPrices, DynamoDbPrices, LambdaPrices, PriceTable, Tier};

use crate::metrics::{CostReport, RunResult};
use indexmap::IndexMap;

/// Prices a run: its measured window and the monthly projection (see the
/// module docs for the method). `free_tier` subtracts the monthly free tier.
///
/// A run with no measured time (`measured_seconds <= 0`) costs 0.
pub fn compute(result: &RunResult, prices: &PriceTable, free_tier: bool) -> CostReport {
    let window = result.measured_seconds;
    let scale = if window.is_finite() && window > 0.0 {
        MONTH_SECONDS / window
    } else {
        0.0
    };

    let fn_usage: Vec<FunctionUsage> = result
        .functions
        .values()
        .map(|f| {
            let gb = f64::from(f.memory_mb) / 1024.0;
            FunctionUsage {
                arch: Arch::from_name(&f.arch),
                requests: f.invocations as f64 * scale,
                gb_seconds: f.gb_seconds * scale,
                provisioned_gb_seconds: f.provisioned_gb_seconds * scale,
                provisioned_configured_gb_seconds: f64::from(f.provisioned_concurrency)
                    * gb
                    * window.max(0.0)
                    * scale,
            }
        })
        .collect();
    let api_usage: Vec<ApiUsage> = result
        .apis
        .values()
        .map(|a| ApiUsage {
            kind: ApiKind::from_name(&a.kind),
            requests: a.requests as f64 * scale,
            cache_size_gb: if scale > 0.0 { a.cache_size_gb } else { 0.0 },
        })
        .collect();
    let table_usage: Vec<TableUsage> = result
        .tables
        .values()
        .map(|t| {
            if t.mode == "provisioned" {
                // Capacity-hours over the window, projected: the whole month.
                let on = if scale > 0.0 { 1.0 } else { 0.0 };
                TableUsage::Provisioned {
                    rcu: t.rcu * on,
                    wcu: t.wcu * on,
                }
            } else {
                TableUsage::OnDemand {
                    read_units: t.consumed_rcu * scale,
                    write_units: t.consumed_wcu * scale,
                }
            }
        })
        .collect();

    let fn_costs = lambda_costs(&fn_usage, &prices.lambda, free_tier);
    let api_cost = api_costs(&api_usage, &prices.api_gateway, free_tier);
    let table_costs: Vec<f64> = table_usage
        .iter()
        .map(|t| table_cost(t, &prices.dynamodb))
        .collect();

    let mut by_component: IndexMap<String, f64> = IndexMap::new();
    let names = result
        .functions
        .keys()
        .zip(&fn_costs)
        .chain(result.apis.keys().zip(&api_cost))
        .chain(result.tables.keys().zip(&table_costs));
    for (name, &usd) in names {
        *by_component.entry(name.clone()).or_insert(0.0) += usd;
    }
    for v in by_component.values_mut() {
        *v = positive_zero(*v);
    }

    let mut by_service = IndexMap::new();
    by_service.insert("lambda".to_string(), sum(&fn_costs));
    by_service.insert("api_gateway".to_string(), sum(&api_cost));
    by_service.insert("dynamodb".to_string(), sum(&table_costs));
    let monthly_usd = positive_zero(by_service.values().sum());

    let monthly_requests: f64 = result
        .workloads
        .values()
        .map(|w| w.requests as f64)
        .sum::<f64>()
        * scale;
    CostReport {
        total_usd: if scale > 0.0 {
            positive_zero(monthly_usd / scale)
        } else {
            0.0
        },
        monthly_usd,
        per_million_requests_usd: (monthly_requests > 0.0)
            .then(|| monthly_usd / monthly_requests * 1e6),
        free_tier,
        by_service,
        by_component,
    }
}

/// A sum that is `+0.0` when empty (`Iterator::sum` of floats starts from
/// `-0.0`, which would print as `-0`).
fn sum(v: &[f64]) -> f64 {
    positive_zero(v.iter().sum())
}

/// `-0.0` as `0.0`; other values unchanged.
fn positive_zero(v: f64) -> f64 {
    v + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_sums_are_positive_zero() {
        assert!(sum(&[]).is_sign_positive());
        assert!(positive_zero(-0.0).is_sign_positive());
        assert_eq!(positive_zero(-2.5), -2.5);
    }
}
