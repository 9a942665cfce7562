//! SNS's bill: publish requests (each 64 KB chunk of a message one
//! request), less the free tier shared by all topics (aws-facts 3,
//! "Pricing"). Deliveries to functions and queues are not charged by SNS
//! (aws-facts 3: **UNCONFIRMED**); the function's invocation is on the
//! Lambda line and the queue's send on the SQS line.

use indexmap::IndexMap;

use super::TopicStats;
use crate::cost::{Bill, Pricing};

/// The monthly bill of every topic.
pub fn bill(stats: &IndexMap<String, TopicStats>, p: &Pricing<'_>) -> Bill {
    let requests: Vec<f64> = stats
        .values()
        .map(|t| t.publish_requests as f64 * p.scale)
        .collect();
    let costs = sns_costs(
        &requests,
        p.prices.sns.publish_usd_per_million,
        p.free_tier.then_some(p.prices.sns.free_publishes_per_month),
    );
    Bill {
        service: "sns",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// Monthly SNS cost of each topic \[USD\] from its publish requests per
/// month: the free publishes (when given) are shared by all topics in
/// proportion to their requests.
pub fn sns_costs(requests: &[f64], usd_per_million: f64, free: Option<f64>) -> Vec<f64> {
    let total: f64 = requests.iter().sum();
    let left = free.map_or(1.0, |f| crate::cost::billable_fraction(total, f));
    requests
        .iter()
        .map(|r| r * left * usd_per_million / 1e6)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_tier_is_shared_in_proportion() {
        // 3M publishes, 1M free: 2M billed at $0.50/M = $1.00, split 1:2.
        let c = sns_costs(&[1e6, 2e6], 0.5, Some(1e6));
        assert!((c[0] - 1.0 / 3.0).abs() < 1e-12, "{c:?}");
        assert!((c[1] - 2.0 / 3.0).abs() < 1e-12, "{c:?}");
        // Under the free tier: nothing.
        assert_eq!(sns_costs(&[5e5], 0.5, Some(1e6)), vec![0.0]);
        // No free tier: all billed.
        assert!((sns_costs(&[2e6], 0.5, None)[0] - 1.0).abs() < 1e-12);
        assert_eq!(sns_costs(&[0.0], 0.5, Some(1e6)), vec![0.0]);
    }
}
