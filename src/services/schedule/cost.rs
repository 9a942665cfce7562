//! EventBridge's bill for schedules: EventBridge Scheduler's invocations
//! at $1.00 per million after 14 million free a month, the free
//! invocations shared by all schedules in proportion (aws-facts 10.13,
//! "Price"); scheduled rules are believed free (aws-facts 10.13:
//! UNCONFIRMED) and cost 0. The target's own charges (the invocation, the
//! send, the publish) are on its line.

use indexmap::IndexMap;

use super::ScheduleStats;
use crate::cost::{Bill, Pricing};

/// The monthly bill of every schedule.
pub fn bill(stats: &IndexMap<String, ScheduleStats>, p: &Pricing<'_>) -> Bill {
    let prices = &p.prices.eventbridge;
    let invocations: Vec<f64> = stats
        .values()
        .map(|s| s.billed_invocations as f64 * p.scale)
        .collect();
    let total: f64 = invocations.iter().sum();
    let left = if p.free_tier {
        crate::cost::billable_fraction(total, prices.scheduler_free_invocations_per_month)
    } else {
        1.0
    };
    Bill {
        service: "eventbridge",
        components: stats
            .keys()
            .cloned()
            .zip(
                invocations
                    .iter()
                    .map(|n| n * left * prices.scheduler_usd_per_million / 1e6),
            )
            .collect(),
    }
}
