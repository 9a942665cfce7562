//! SQS's bill: requests (sends, receives, deletes and the empty receives
//! of idle pollers, each 64 KB chunk a request), tiered for standard
//! queues, flat for FIFO, less the free tier shared by all queues
//! (aws-facts 2, "Pricing"). Moving a message to a dead-letter queue is
//! not billed \[A\].

use indexmap::IndexMap;

use super::QueueStats;
use crate::cost::prices::SqsPrices;
use crate::cost::{tiered, Bill, Pricing};
use crate::model::QueueType;

/// The monthly bill of every queue.
pub fn bill(stats: &IndexMap<String, QueueStats>, p: &Pricing<'_>) -> Bill {
    let usage: Vec<QueueUsage> = stats
        .values()
        .map(|q| QueueUsage {
            kind: q.kind,
            requests: q.requests.total as f64 * p.scale,
        })
        .collect();
    let costs = sqs_costs(&usage, &p.prices.sqs, p.free_tier);
    Bill {
        service: "sqs",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// One queue's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueUsage {
    /// Standard or FIFO.
    pub kind: QueueType,
    /// Billed requests [per month].
    pub requests: f64,
}

/// Monthly SQS cost of each queue \[USD\].
///
/// The free tier (1M requests a month for standard and FIFO together,
/// when `free_tier` is on) is shared by all queues in proportion to their
/// requests; the standard tiers apply to the sum of the standard queues'
/// billable requests, split back by share.
pub fn sqs_costs(queues: &[QueueUsage], p: &SqsPrices, free_tier: bool) -> Vec<f64> {
    let total: f64 = queues.iter().map(|q| q.requests).sum();
    let left = if free_tier {
        crate::cost::billable_fraction(total, p.free_requests_per_month)
    } else {
        1.0
    };
    let rate = |kind: QueueType| {
        let billable: f64 = queues
            .iter()
            .filter(|q| q.kind == kind)
            .map(|q| q.requests * left)
            .sum();
        let tiers = match kind {
            QueueType::Standard => &p.standard_usd_per_million,
            QueueType::Fifo => &p.fifo_usd_per_million,
        };
        if billable > 0.0 {
            tiered(billable, tiers, 1e6) / billable
        } else {
            0.0
        }
    };
    let (standard, fifo) = (rate(QueueType::Standard), rate(QueueType::Fifo));
    queues
        .iter()
        .map(|q| {
            q.requests
                * left
                * match q.kind {
                    QueueType::Standard => standard,
                    QueueType::Fifo => fifo,
                }
        })
        .collect()
}
