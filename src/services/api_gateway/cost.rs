//! API Gateway's bill: requests (tiered per API type, free tier) and the
//! response cache by the hour.

use indexmap::IndexMap;

use super::ApiStats;
use crate::cost::{tiered, ApiGatewayPrices, Bill, Pricing, MONTH_HOURS};
use crate::model::ApiType;

/// The monthly bill of every API.
pub fn bill(stats: &IndexMap<String, ApiStats>, p: &Pricing<'_>) -> Bill {
    let usage: Vec<ApiUsage> = stats
        .values()
        .map(|a| ApiUsage {
            kind: a.kind,
            requests: a.requests as f64 * p.scale,
            cache_size_gb: a.cache_size_gb * p.always_on(),
        })
        .collect();
    let costs = api_costs(&usage, &p.prices.api_gateway, p.free_tier);
    Bill {
        service: "api_gateway",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// One API's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApiUsage {
    /// REST or HTTP.
    pub kind: ApiType,
    /// Requests received [per month].
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
