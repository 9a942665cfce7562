//! What the APIs cost: API Gateway's requests (tiered per API type, free
//! tier; throttled requests are not charged) and the response cache by the
//! hour; data transfer out of the responses; the monthly active users of
//! the Cognito user pools behind the APIs' authorizers. Two bills
//! (`api_gateway`, and `cognito` when some API has a user pool); the data
//! transfer out is priced here but billed by `sim::price`, jointly with
//! the buckets' (AWS tiers the account's month, not each service's).

use indexmap::IndexMap;

use super::ApiStats;
use crate::cost::prices::{CognitoPrices, DataTransferPrices};
use crate::cost::{billable_fraction, tiered, ApiGatewayPrices, Bill, Pricing, MONTH_HOURS};
use crate::model::{ApiType, CognitoPlan};

/// The monthly bills of every API: API Gateway, then Cognito when some
/// API has a user pool.
pub fn bills(stats: &IndexMap<String, ApiStats>, p: &Pricing<'_>) -> Vec<Bill> {
    let mut out = vec![bill(stats, p)];
    let names = || stats.keys().cloned();
    let pools: Vec<Option<(CognitoPlan, f64)>> = stats
        .values()
        .map(|a| a.cognito_plan.zip(a.cognito_mau.map(|m| m * p.always_on())))
        .collect();
    if pools.iter().any(Option::is_some) {
        let costs = cognito_costs(&pools, &p.prices.cognito, p.free_tier);
        out.push(Bill {
            service: "cognito",
            components: names().zip(costs).collect(),
        });
    }
    out
}

/// The monthly API Gateway bill of every API: billed (not throttled)
/// requests and the cache.
pub fn bill(stats: &IndexMap<String, ApiStats>, p: &Pricing<'_>) -> Bill {
    let usage: Vec<ApiUsage> = stats
        .values()
        .map(|a| ApiUsage {
            kind: a.kind,
            requests: a.billed_requests as f64 * p.scale,
            cache_size_gb: a.cache_size_gb * p.always_on(),
        })
        .collect();
    let costs = api_costs(&usage, &p.prices.api_gateway, p.free_tier);
    Bill {
        service: "api_gateway",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// Monthly data-transfer-out cost of each source (an API's responses, a
/// bucket's direct gets) \[USD\], from its monthly GB out: the free
/// allowance (when `free_tier`) and the tiers apply to the sum over all
/// sources, split back in proportion.
pub fn data_transfer_costs(gb: &[f64], p: &DataTransferPrices, free_tier: bool) -> Vec<f64> {
    let total: f64 = gb.iter().sum();
    let free = if free_tier { p.free_gb_per_month } else { 0.0 };
    let billable = total * billable_fraction(total, free);
    let rate = if total > 0.0 {
        tiered(billable, &p.out_usd_per_gb, 1.0) / total
    } else {
        0.0
    };
    gb.iter().map(|g| g * rate).collect()
}

/// Monthly Cognito cost of each API's user pool \[USD\]: its monthly
/// active users at its plan's price; the free MAUs (when `free_tier`) come
/// off Lite and Essentials users together, split in proportion.
pub fn cognito_costs(
    pools: &[Option<(CognitoPlan, f64)>],
    p: &CognitoPrices,
    free_tier: bool,
) -> Vec<f64> {
    let freeable: f64 = pools
        .iter()
        .flatten()
        .filter(|(plan, _)| *plan != CognitoPlan::Plus)
        .map(|(_, m)| m)
        .sum();
    let free = if free_tier {
        p.free_mau_lite_essentials
    } else {
        0.0
    };
    let fraction = billable_fraction(freeable, free);
    pools
        .iter()
        .map(|pool| match *pool {
            None => 0.0,
            Some((CognitoPlan::Lite, m)) => m * fraction * p.lite_usd_per_mau,
            Some((CognitoPlan::Essentials, m)) => m * fraction * p.essentials_usd_per_mau,
            Some((CognitoPlan::Plus, m)) => m * p.plus_usd_per_mau,
        })
        .collect()
}

/// One API's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApiUsage {
    /// REST or HTTP.
    pub kind: ApiType,
    /// Requests billed [per month]: received minus those API Gateway
    /// throttled.
    pub requests: f64,
    /// Response cache size \[GB\]; 0 without a cache.
    pub cache_size_gb: f64,
}

/// Monthly API Gateway cost of each API \[USD\].
///
/// Request tiers and the free tier (1M calls a month, when `free_tier` is
/// on) apply per API type to the sum over APIs of that type, then split back
/// by requests. The cache is billed for every hour of the month, priced
/// linearly in its size (an approximation of AWS's fixed cache sizes).
pub fn api_costs(apis: &[ApiUsage], p: &ApiGatewayPrices, free_tier: bool) -> Vec<f64> {
    let kind_rate = |kind: ApiType| {
        let total: f64 = apis
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.requests)
            .sum();
        if total <= 0.0 {
            return 0.0;
        }
        let free = if free_tier {
            p.free_requests_per_month.min(total)
        } else {
            0.0
        };
        let tiers = match kind {
            ApiType::Rest => &p.rest_usd_per_million,
            ApiType::Http => &p.http_usd_per_million,
        };
        tiered(total - free, tiers, 1e6) / total
    };
    let (rest_rate, http_rate) = (kind_rate(ApiType::Rest), kind_rate(ApiType::Http));
    apis.iter()
        .map(|a| {
            let rate = match a.kind {
                ApiType::Rest => rest_rate,
                ApiType::Http => http_rate,
            };
            let cache = a.cache_size_gb.max(0.0) / p.cache_gb * p.cache_usd_per_hour * MONTH_HOURS;
            a.requests * rate + cache
        })
        .collect()
}
