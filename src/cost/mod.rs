//! Cost: price tables and the price arithmetic every kind's bill uses.
//!
//! Owns: the price tables ([`prices`], loaded from `prices/<region>.toml` by
//! [`builtin`]), tiered prices and the month ([`lines`]), what a bill is
//! ([`Bill`], [`CostReport`]). Must not know: how usage arose. Each service
//! kind prices its own usage in its folder (`services/<kind>/cost.rs`), and
//! `sim` assembles the report (`sim::price`).
//!
//! # How a run is priced
//!
//! A run measures a window of `measured_seconds`. Prices with free tiers and
//! volume tiers are defined per month, so:
//!
//! 1. the window's usage is projected to a 730-hour month at the same
//!    traffic: `monthly usage = window usage x (730 h / window)`
//!    ([`Pricing::scale`]); capacity that is billed per hour (provisioned
//!    concurrency, provisioned DynamoDB capacity, the API cache) is billed
//!    for all 730 hours;
//! 2. the free tier is subtracted from that monthly usage when asked
//!    (Lambda requests and GB-s, API Gateway calls);
//! 3. the rest is priced with tiered prices on the monthly totals
//!    -> `monthly_usd`;
//! 4. scaled back: `total_usd = monthly_usd x window / month`, i.e. the
//!    window's fair share of the month's bill (so the free tier is spread
//!    over the month rather than spent in the first minutes).

pub mod builtin;
pub mod lines;
pub mod prices;

pub use lines::{billable_fraction, tiered, MONTH_HOURS, MONTH_SECONDS};
pub use prices::{ApiGatewayPrices, DynamoDbPrices, LambdaPrices, PriceTable, Tier};

use indexmap::IndexMap;
use serde::Serialize;

/// What a kind's bill may use.
#[derive(Clone, Copy, Debug)]
pub struct Pricing<'a> {
    /// The Region's prices.
    pub prices: &'a PriceTable,
    /// Subtract the monthly free tier.
    pub free_tier: bool,
    /// Month / window: multiplies the window's usage into a month's; 0 when
    /// the window is empty (then nothing is billed, not even capacity).
    pub scale: f64,
    /// The measured window \[s\].
    pub window_s: f64,
}

impl<'a> Pricing<'a> {
    /// Pricing for a measured window of `window_s` seconds.
    pub fn new(prices: &'a PriceTable, free_tier: bool, window_s: f64) -> Self {
        let scale = if window_s.is_finite() && window_s > 0.0 {
            MONTH_SECONDS / window_s
        } else {
            0.0
        };
        Self {
            prices,
            free_tier,
            scale,
            window_s: window_s.max(0.0),
        }
    }

    /// 1 when the window is not empty, else 0: capacity billed per hour is
    /// billed for the whole month only when the run measured something.
    pub fn always_on(&self) -> f64 {
        if self.scale > 0.0 {
            1.0
        } else {
            0.0
        }
    }
}

/// One service's monthly bill.
#[derive(Clone, Debug, PartialEq)]
pub struct Bill {
    /// The service, e.g. `"lambda"`.
    pub service: &'static str,
    /// Monthly cost per component \[USD\], in model order.
    pub components: Vec<(String, f64)>,
}

/// Cost of a run \[USD\].
#[derive(Clone, Debug, Default, Serialize)]
pub struct CostReport {
    /// Cost of the measured window.
    pub total_usd: f64,
    /// Projected to a 730-hour month at the same traffic.
    pub monthly_usd: f64,
    /// Monthly cost divided by monthly workload requests, times 1e6.
    /// `None` when no request arrived.
    pub per_million_requests_usd: Option<f64>,
    /// Whether the monthly free tier was subtracted.
    pub free_tier: bool,
    /// Monthly cost per service (`api_gateway`, `lambda`, `dynamodb`).
    pub by_service: IndexMap<String, f64>,
    /// Monthly cost per component.
    pub by_component: IndexMap<String, f64>,
}

impl CostReport {
    /// Assembles the report from the bills, for `requests` workload
    /// requests in the window.
    pub fn from_bills(bills: &[Bill], requests: u64, p: &Pricing<'_>) -> Self {
        let mut by_component: IndexMap<String, f64> = IndexMap::new();
        let mut by_service = IndexMap::new();
        for b in bills {
            for (name, usd) in &b.components {
                *by_component.entry(name.clone()).or_insert(0.0) += usd;
            }
            let v: Vec<f64> = b.components.iter().map(|c| c.1).collect();
            *by_service.entry(b.service.to_string()).or_insert(0.0) += sum(&v);
        }
        for v in by_component.values_mut() {
            *v = positive_zero(*v);
        }
        let monthly_usd = positive_zero(by_service.values().sum());
        let monthly_requests = requests as f64 * p.scale;
        CostReport {
            total_usd: if p.scale > 0.0 {
                positive_zero(monthly_usd / p.scale)
            } else {
                0.0
            },
            monthly_usd,
            per_million_requests_usd: (monthly_requests > 0.0)
                .then(|| monthly_usd / monthly_requests * 1e6),
            free_tier: p.free_tier,
            by_service,
            by_component,
        }
    }
}

/// A sum that is `+0.0` when empty (`Iterator::sum` of floats starts from
/// `-0.0`, which would print as `-0`).
pub fn sum(v: &[f64]) -> f64 {
    positive_zero(v.iter().sum())
}

/// `-0.0` as `0.0`; other values unchanged.
pub fn positive_zero(v: f64) -> f64 {
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
