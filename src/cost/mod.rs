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
//! volume tiers are defined per month, so the window becomes a 730-hour
//! month first, in one of two ways (`[cost] projection`,
//! [`crate::model::Projection`]):
//!
//! - `repeat` (default): the window repeats to fill the month: `monthly
//!   usage = window usage x (730 h / window)` ([`Pricing::scale`]);
//! - `once`: the window's usage is counted once (`scale` = 1).
//!
//! Either way the always-on charges (provisioned concurrency, provisioned
//! DynamoDB capacity, DAX nodes, the API cache, storage, the SnapStart
//! cache) are billed for all 730 hours ([`Pricing::always_on`] = 1). Then:
//!
//! 1. the free tier is subtracted from the monthly usage when asked;
//! 2. the rest is priced with tiered prices on the monthly totals
//!    -> `monthly_usd`;
//! 3. the window's own cost: with `repeat`, `monthly_usd x window /
//!    month` (the window's fair share of the month's bill, so the free tier
//!    is spread over the month rather than spent in the first minutes);
//!    with `once`, the month's usage charges plus the always-on charges for
//!    the window's hours only ([`Pricing::window_part`]).

pub mod builtin;
pub mod lines;
pub mod prices;

pub use lines::{billable_fraction, tiered, MONTH_HOURS, MONTH_SECONDS};
pub mod settings;
pub mod unpriced;

pub use settings::BillSettings;

pub use prices::{ApiGatewayPrices, DynamoDbPrices, LambdaPrices, LogsPrices, PriceTable, Tier};

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::Projection;

/// What a kind's bill may use.
#[derive(Clone, Copy, Debug)]
pub struct Pricing<'a> {
    /// The Region's prices.
    pub prices: &'a PriceTable,
    /// Subtract the monthly free tier.
    pub free_tier: bool,
    /// Multiplies the window's usage into a month's: 730 h / window with
    /// the `repeat` projection, 1 with `once`; 0 when the window is empty
    /// (then nothing is billed, not even capacity).
    pub scale: f64,
    /// The measured window \[s\].
    pub window_s: f64,
    /// Share of the 730-hour month the always-on charges are billed for:
    /// 1 for the month, 0 when the window is empty (see
    /// [`Pricing::always_on`]).
    pub on: f64,
    /// How the window became a month.
    pub projection: Projection,
    /// The scenario's settings a bill needs that the run's figures do not
    /// carry (DAX nodes, table size, log output, SnapStart); `None`: those
    /// charges are not billed.
    pub settings: Option<&'a BillSettings>,
}

impl<'a> Pricing<'a> {
    /// Pricing for a measured window of `window_s` seconds, repeated to
    /// fill the month, without a scenario (the charges that need one are
    /// left out).
    pub fn new(prices: &'a PriceTable, free_tier: bool, window_s: f64) -> Self {
        Self::with(prices, free_tier, window_s, Projection::Repeat, None)
    }

    /// Pricing of a run that measured `window_s` seconds, with the
    /// scenario's settings (free tier, projection, components).
    pub fn for_settings(prices: &'a PriceTable, s: &'a BillSettings, window_s: f64) -> Self {
        Self::with(prices, s.free_tier, window_s, s.projection, Some(s))
    }

    fn with(
        prices: &'a PriceTable,
        free_tier: bool,
        window_s: f64,
        projection: Projection,
        settings: Option<&'a BillSettings>,
    ) -> Self {
        let measured = window_s.is_finite() && window_s > 0.0;
        let scale = match (measured, projection) {
            (false, _) => 0.0,
            (true, Projection::Repeat) => MONTH_SECONDS / window_s,
            (true, Projection::Once) => 1.0,
        };
        Self {
            prices,
            free_tier,
            scale,
            window_s: if measured { window_s } else { 0.0 },
            on: if measured { 1.0 } else { 0.0 },
            projection,
            settings,
        }
    }

    /// Share of the month the always-on charges are billed for (1 for the
    /// month; 0 when the window is empty, so that an empty run costs
    /// nothing). A bill multiplies its 730-hour charges by it.
    pub fn always_on(&self) -> f64 {
        self.on
    }

    /// The same pricing with no usage: what the always-on charges alone
    /// cost in the month.
    pub fn always_on_part(&self) -> Self {
        Self {
            scale: 0.0,
            ..*self
        }
    }

    /// The window's own cost with the `once` projection: the month's usage
    /// (which is the window's), and the always-on charges for the window's
    /// hours only.
    pub fn window_part(&self) -> Self {
        Self {
            on: self.on * self.window_s / MONTH_SECONDS,
            ..*self
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
    /// Cost of the measured window itself (see `projection`).
    pub total_usd: f64,
    /// The month (730 h): the window repeated (`repeat`) or counted once
    /// plus the always-on charges for the month (`once`).
    pub monthly_usd: f64,
    /// `"repeat"` or `"once"`: how the window became a month.
    pub projection: &'static str,
    /// Hours in the month \[h\] (730, AWS's convention).
    pub month_hours: f64,
    /// Of `monthly_usd`, what is billed by the hour whatever the traffic
    /// (provisioned concurrency and capacity, DAX nodes, API cache,
    /// storage, SnapStart cache).
    pub always_on_monthly_usd: f64,
    /// Monthly cost divided by monthly workload requests, times 1e6.
    /// `None` when no request arrived.
    pub per_million_requests_usd: Option<f64>,
    /// Whether the monthly free tier was subtracted.
    pub free_tier: bool,
    /// Monthly cost per service (`api_gateway`, `lambda`, ...).
    pub by_service: IndexMap<String, f64>,
    /// The window's cost per service.
    pub window_by_service: IndexMap<String, f64>,
    /// Monthly cost per component.
    pub by_component: IndexMap<String, f64>,
    /// What the figures above mean for this run, e.g. that the window saw
    /// no request.
    pub notes: Vec<String>,
    /// What the scenario uses that slsim does not price (see
    /// [`unpriced`]).
    pub not_priced: Vec<String>,
}

impl CostReport {
    /// Assembles the report from the month's bills, for `requests`
    /// workload requests in the window; the window's cost is the month's
    /// share (the `repeat` projection: see [`CostReport::set_window`] for
    /// `once`).
    pub fn from_bills(bills: &[Bill], requests: u64, p: &Pricing<'_>) -> Self {
        let mut by_component: IndexMap<String, f64> = IndexMap::new();
        for b in bills {
            for (name, usd) in &b.components {
                *by_component.entry(name.clone()).or_insert(0.0) += usd;
            }
        }
        for v in by_component.values_mut() {
            *v = positive_zero(*v);
        }
        let by_service = per_service(bills);
        let monthly_usd = positive_zero(by_service.values().sum());
        let monthly_requests = requests as f64 * p.scale;
        // The window's share of the month (divided, as before `once`, so
        // that `repeat` figures stay bit for bit).
        let share = |v: f64| {
            if p.scale > 0.0 {
                positive_zero(v / p.scale)
            } else {
                0.0
            }
        };
        CostReport {
            total_usd: share(monthly_usd),
            monthly_usd,
            projection: p.projection.as_str(),
            month_hours: MONTH_HOURS,
            always_on_monthly_usd: 0.0,
            per_million_requests_usd: (monthly_requests > 0.0)
                .then(|| monthly_usd / monthly_requests * 1e6),
            free_tier: p.free_tier,
            window_by_service: by_service
                .iter()
                .map(|(k, v)| (k.clone(), share(*v)))
                .collect(),
            by_service,
            by_component,
            notes: Vec::new(),
            not_priced: Vec::new(),
        }
    }

    /// Sets the window's cost from its own bills (the `once` projection).
    pub fn set_window(&mut self, window: &[Bill]) {
        self.window_by_service = per_service(window);
        self.total_usd = positive_zero(self.window_by_service.values().sum());
    }
}

/// Cost per service, in bill order.
fn per_service(bills: &[Bill]) -> IndexMap<String, f64> {
    let mut by_service = IndexMap::new();
    for b in bills {
        let v: Vec<f64> = b.components.iter().map(|c| c.1).collect();
        *by_service.entry(b.service.to_string()).or_insert(0.0) += sum(&v);
    }
    by_service
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
