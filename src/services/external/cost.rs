//! External services' bill: each accepted call at the service's
//! `price_per_1000`. Services from an SES preset are on the `ses` line
//! (SES's $0.10 per 1,000 e-mails, aws-facts 10.10; attachments and the
//! free tier are not priced), the others on the `external` line. Throttled
//! attempts are not billed (SES does not send a throttled message).

use indexmap::IndexMap;

use super::ServiceStats;
use crate::cost::{Bill, Pricing};

/// The monthly bills of every service: `ses`, then `external`, each only
/// when a service is on it.
pub fn bills(stats: &IndexMap<String, ServiceStats>, p: &Pricing<'_>) -> Vec<Bill> {
    let line = |ses: bool| {
        let components: Vec<(String, f64)> = stats
            .iter()
            .filter(|(_, s)| s.preset.is_some() == ses)
            .map(|(name, s)| (name.clone(), monthly(s, p)))
            .collect();
        (!components.is_empty()).then_some(Bill {
            service: if ses { "ses" } else { "external" },
            components,
        })
    };
    [line(true), line(false)].into_iter().flatten().collect()
}

/// A service's monthly cost \[USD\]: its accepted calls in the month at
/// its price.
pub fn monthly(s: &ServiceStats, p: &Pricing<'_>) -> f64 {
    s.ok as f64 * p.scale * s.price_per_1000 / 1000.0
}
