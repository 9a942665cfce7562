//! Amazon SNS standard topics: a published message fans out to every
//! subscription whose filter policy accepts it; each delivery reaches its
//! endpoint (a function, invoked asynchronously; a standard queue) after
//! the topic's latency, or, when attempts fail, after SNS's delivery retry
//! policy, and goes to the subscription's dead-letter queue (else is
//! discarded) once the policy is exhausted. Sources: aws-facts 3 (cited
//! where used); the model and its assumptions: `docs/model.md`.
//!
//! This file owns a topic's state and decisions (filter draws, how many
//! attempts of a delivery fail, when the delivery ends); `flow.rs` the
//! events; `stats.rs` the figures and text rows; `cost.rs` the bill.
//! Must not know: TOML, files, how an endpoint handles what it receives.

pub mod cost;
mod flow;
mod stats;

pub use flow::{call, publish};
pub use stats::{SubscriptionStats, TopicStats};

use rand::Rng;

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng};
use crate::metrics::SeriesId;
use crate::model::topic::{retry, Endpoint};
use crate::model::Topic;
use crate::services::registry::index_by;

/// A delivery in progress (its frame): in transit to its endpoint, or
/// waiting for the attempt that succeeds (or for the last one).
#[derive(Clone, Copy, Debug)]
pub struct Delivery {
    /// Topic index.
    pub topic: u16,
    /// Subscription index in the topic.
    pub sub: u16,
    /// Attempts that failed before this one ends it.
    pub failed: u32,
    /// Message size \[KB\] (a queue endpoint bills by it).
    pub size_kb: f32,
    /// Every attempt fails: the delivery ends in the dead-letter queue or
    /// is discarded.
    pub exhausted: bool,
    /// Published in the measured window.
    pub measured: bool,
}

/// A `Publish` call whose `publish_latency` is running (its frame).
#[derive(Clone, Copy, Debug)]
pub struct Publishing {
    /// Topic index.
    pub topic: u16,
}

/// Counters of one subscription, over the messages published in the
/// measured window.
#[derive(Clone, Debug, Default)]
pub struct SubCounters {
    /// Messages its filter accepted (deliveries started).
    pub matched: u64,
    /// Messages its filter rejected.
    pub filtered: u64,
    /// Deliveries that reached the endpoint.
    pub delivered: u64,
    /// Attempts after the first (of deliveries that ended).
    pub retries: u64,
    /// Deliveries whose every attempt failed.
    pub failed: u64,
    /// Of those, sent to the dead-letter queue.
    pub dead_lettered: u64,
    /// Of those, discarded (no dead-letter queue).
    pub discarded: u64,
}

/// One subscription.
#[derive(Clone, Debug)]
pub struct Sub {
    /// Endpoint's name (for the figures).
    pub name: String,
    /// Where deliveries go.
    pub endpoint: Endpoint,
    /// Share of messages the filter accepts.
    pub filter: f64,
    /// Probability that one attempt fails.
    pub failure: f64,
    /// Dead-letter queue index.
    pub dead_letter: Option<usize>,
    /// Counters.
    pub counters: SubCounters,
    /// Measured deliveries in progress.
    pub pending: u64,
}

/// Time-series handles of a topic.
#[derive(Clone, Copy, Debug)]
pub struct TopicSeries {
    /// Messages published per interval.
    pub published: SeriesId,
    /// Deliveries that reached an endpoint per interval.
    pub delivered: SeriesId,
}

/// One topic.
pub struct SnsTopic {
    /// Its name.
    pub name: String,
    /// Subscriptions in model order.
    pub subs: Vec<Sub>,
    latency: Dist,
    publish_latency: Dist,
    rng: SimRng,
    /// Messages published in the measured window.
    pub published: u64,
    /// Billed publish requests in the measured window (one per 64 KB
    /// chunk).
    pub publish_requests: u64,
    /// Series.
    pub series: TopicSeries,
}

impl SnsTopic {
    /// From the model; `names` gives each subscription's endpoint name.
    pub fn new(t: &Topic, names: Vec<String>, rng: SimRng, series: TopicSeries) -> Self {
        let subs = t
            .subscriptions
            .iter()
            .zip(names)
            .map(|(s, name)| Sub {
                name,
                endpoint: s.endpoint,
                filter: s.filter,
                failure: s.delivery_failure,
                dead_letter: s.dead_letter,
                counters: SubCounters::default(),
                pending: 0,
            })
            .collect();
        Self {
            name: t.name.clone(),
            subs,
            latency: t.latency.clone(),
            publish_latency: t.publish_latency.clone(),
            rng,
            published: 0,
            publish_requests: 0,
            series,
        }
    }

    /// Counts a published message of `size_kb` (when `measured`).
    pub fn on_publish(&mut self, measured: bool, size_kb: f32) {
        if measured {
            self.published += 1;
            self.publish_requests += chunks(size_kb);
        }
    }

    /// Whether subscription `s`'s filter accepts the next message (counted
    /// when `measured`). A filter of 0 or 1 draws nothing.
    pub fn accepts(&mut self, s: usize, measured: bool) -> bool {
        let f = self.subs[s].filter;
        let ok = f >= 1.0 || (f > 0.0 && self.rng.random::<f64>() < f);
        let k = &mut self.subs[s].counters;
        if measured {
            if ok {
                k.matched += 1;
                self.subs[s].pending += 1;
            } else {
                k.filtered += 1;
            }
        }
        ok
    }

    /// A delivery to subscription `s` starts: the attempts before the one
    /// that decides it (each fails independently with the subscription's
    /// failure probability), whether every attempt fails, and when it
    /// ends, from now \[ns\]: the latency plus the retry policy's wait
    /// before the deciding attempt.
    pub fn plan(&mut self, s: usize) -> (u32, bool, SimDuration) {
        let p = self.subs[s].failure;
        let failed = if p <= 0.0 {
            0
        } else if p >= 1.0 {
            retry::ATTEMPTS
        } else {
            // Failures before the first success: geometric, by inversion.
            let u: f64 = 1.0 - self.rng.random::<f64>();
            let n = (u.ln() / p.ln()).floor();
            if n >= retry::ATTEMPTS as f64 {
                retry::ATTEMPTS
            } else {
                n as u64
            }
        };
        let exhausted = failed >= retry::ATTEMPTS;
        let deciding = failed.min(retry::ATTEMPTS - 1);
        let at = self
            .latency
            .sample_ns(&mut self.rng)
            .saturating_add(retry::offset(deciding));
        (deciding as u32, exhausted, at)
    }

    /// The `Publish` call's duration for the publisher \[ns\].
    pub fn publish_delay(&mut self) -> SimDuration {
        self.publish_latency.sample_ns(&mut self.rng)
    }

    /// A delivery of subscription `s` ended (counted when `measured`):
    /// reached the endpoint after `failed` failed attempts, or exhausted.
    pub fn on_end(&mut self, s: usize, d: &Delivery) {
        if !d.measured {
            return;
        }
        let sub = &mut self.subs[s];
        sub.pending -= 1;
        let k = &mut sub.counters;
        k.retries += u64::from(d.failed);
        if d.exhausted {
            k.failed += 1;
            match sub.dead_letter {
                Some(_) => k.dead_lettered += 1,
                None => k.discarded += 1,
            }
        } else {
            k.delivered += 1;
        }
    }

    fn footprint(&self) -> usize {
        self.subs.capacity() * std::mem::size_of::<Sub>()
    }
}

/// Billed publishes of a payload: one per 64 KB chunk (aws-facts 3,
/// "Pricing": the same chunks as SQS's).
fn chunks(size_kb: f32) -> u64 {
    crate::model::queue::chunks(f64::from(size_kb))
}

/// Every topic.
pub struct Topics {
    /// In model order.
    pub list: Vec<SnsTopic>,
}

index_by!(Topics, list, SnsTopic);
