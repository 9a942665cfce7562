//! A topic's figures (published, deliveries, failures, per subscription)
//! and its rows of the text summary.
//!
//! Conservation (tested), per subscription, over the messages published
//! in the measured window: `published = filtered + delivered +
//! failed_deliveries + pending_end`, and `failed_deliveries =
//! dead_lettered + discarded`.

use indexmap::IndexMap;
use serde::Serialize;

use super::SnsTopic;
use crate::metrics::text::{thousands, Table};

/// One subscription's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SubscriptionStats {
    /// `"lambda"` or `"queue"`.
    pub endpoint: &'static str,
    /// Messages its filter policy accepted.
    pub matched: u64,
    /// Messages its filter policy rejected (never delivered).
    pub filtered: u64,
    /// Deliveries that reached the endpoint.
    pub delivered: u64,
    /// Delivery attempts after the first (of deliveries that ended).
    pub retries: u64,
    /// Deliveries whose every attempt failed.
    pub failed_deliveries: u64,
    /// Of those, sent to the subscription's dead-letter queue.
    pub dead_lettered: u64,
    /// Of those, discarded (no dead-letter queue).
    pub discarded: u64,
    /// Deliveries still in transit or retrying at the end.
    pub pending_end: u64,
}

/// A topic's figures, over the messages published in the measured window.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TopicStats {
    /// Messages published.
    pub published: u64,
    /// Billed publish requests (one per 64 KB chunk of a message).
    pub publish_requests: u64,
    /// Deliveries that reached an endpoint, all subscriptions.
    pub deliveries: u64,
    /// Deliveries whose every attempt failed, all subscriptions.
    pub failed_deliveries: u64,
    /// Messages a filter policy kept from a subscription.
    pub filtered: u64,
    /// Delivery retries, all subscriptions.
    pub delivery_retries: u64,
    /// Failed deliveries sent to a dead-letter queue.
    pub dead_lettered: u64,
    /// Failed deliveries discarded.
    pub discarded: u64,
    /// Deliveries in progress at the end.
    pub pending_end: u64,
    /// Per subscription, by endpoint name.
    pub subscriptions: IndexMap<String, SubscriptionStats>,
}

/// A topic's figures.
pub fn collect(t: &SnsTopic) -> TopicStats {
    let subscriptions: IndexMap<String, SubscriptionStats> = t
        .subs
        .iter()
        .map(|s| {
            let k = &s.counters;
            let st = SubscriptionStats {
                endpoint: match s.endpoint {
                    crate::model::Endpoint::Lambda(_) => "lambda",
                    crate::model::Endpoint::Queue(_) => "queue",
                },
                matched: k.matched,
                filtered: k.filtered,
                delivered: k.delivered,
                retries: k.retries,
                failed_deliveries: k.failed,
                dead_lettered: k.dead_lettered,
                discarded: k.discarded,
                pending_end: s.pending,
            };
            (s.name.clone(), st)
        })
        .collect();
    let sum = |f: fn(&SubscriptionStats) -> u64| subscriptions.values().map(f).sum::<u64>();
    TopicStats {
        published: t.published,
        publish_requests: t.publish_requests,
        deliveries: sum(|s| s.delivered),
        failed_deliveries: sum(|s| s.failed_deliveries),
        filtered: sum(|s| s.filtered),
        delivery_retries: sum(|s| s.retries),
        dead_lettered: sum(|s| s.dead_lettered),
        discarded: sum(|s| s.discarded),
        pending_end: sum(|s| s.pending_end),
        subscriptions,
    }
}

/// One row per topic.
pub fn text(stats: &IndexMap<String, TopicStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "topic",
        "published",
        "deliveries",
        "filtered",
        "retries",
        "failed",
        "dead-lettered",
        "in transit",
    ]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            thousands(s.published),
            thousands(s.deliveries),
            thousands(s.filtered),
            thousands(s.delivery_retries),
            thousands(s.failed_deliveries),
            thousands(s.dead_lettered),
            thousands(s.pending_end),
        ]);
    }
    t.render(out);
}
