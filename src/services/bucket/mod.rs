//! Amazon S3 buckets: GET, PUT, LIST and DELETE requests with a latency
//! per operation, the request-rate limits per partitioned prefix (3,500
//! PUT/COPY/POST/DELETE and 5,500 GET/HEAD per second, aws-facts 10.7;
//! beyond them a 503 Slow Down, which the caller's AWS SDK retries as a
//! throttling error), object sizes (bytes in and out), and event
//! notifications on put and delete, delivered after a delay to a function
//! (an asynchronous invoke), a standard queue or a topic (aws-facts 6,
//! "S3 → Lambda").
//!
//! A request draws its prefix from its key model once; each attempt counts
//! in that prefix's one-second window for its operation's rate, or is
//! refused (503) when the window is full. What the SDK does then (retry
//! after a backoff, or give up) is its client's decision
//! (`crate::services::sdk_retry`, one client per calling function and
//! bucket), taken in `flow.rs`; a workload's direct request has no SDK:
//! its 503 is its answer.
//!
//! This file owns a bucket's state and decisions (prefix windows, draws,
//! counters); `flow.rs` the events; `stats.rs` the figures, text rows and
//! findings; `cost.rs` the bill. Must not know: TOML, files, how a
//! notification's destination handles it.

pub mod cost;
mod flow;
mod stats;

pub use flow::{call, request, sdk_clients};
pub use stats::{BucketStats, HotPrefix, OpCounts, RuleStats};

use rand::Rng;

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime, SECONDS};
use crate::metrics::SeriesId;
use crate::model::bucket::{Bucket, BucketEvent, BucketOp, GET_RATE, PUT_RATE};
use crate::model::Destination;
use crate::services::registry::index_by;
use crate::services::sdk_retry::SdkClients;

/// The SDK-client slot of a request with no SDK (a workload's direct
/// request): a 503 is its answer.
pub const NO_CLIENT: u32 = u32::MAX;

/// An S3 request as a call step (or a workload) prepares it.
#[derive(Clone, Copy, Debug)]
pub struct BucketRequest {
    /// Bucket index.
    pub bucket: u16,
    /// Operation.
    pub op: BucketOp,
    /// Object size \[KB\]; `None`: drawn from the bucket's `object_kb`.
    pub size_kb: Option<f32>,
    /// Prefix model; `None`: the bucket's.
    pub prefixes: Option<Keys>,
    /// The caller's SDK client (`SdkClients::slot`), or [`NO_CLIENT`].
    pub slot: u32,
    /// Whether the bytes of a get leave AWS (a workload's direct request:
    /// data transfer out to the internet).
    pub internet: bool,
}

impl BucketRequest {
    /// A request of `op` to bucket `bucket` with the bucket's sizes and
    /// prefixes, from a function (its slot set when the steps are built).
    pub fn new(bucket: usize, op: BucketOp, size_kb: Option<f64>, prefixes: Option<Keys>) -> Self {
        Self {
            bucket: bucket as u16,
            op,
            size_kb: size_kb.map(|k| k as f32),
            prefixes,
            slot: 0,
            internet: false,
        }
    }
}

/// Where a request in progress stands: what its frame's pending step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Send the next attempt (after the SDK's send token, in adaptive
    /// mode).
    Send,
    /// Send the next attempt: its send token was already taken.
    SendNow,
    /// The response of a served attempt arrives.
    Served,
    /// The 503 of an attempt arrives; the SDK retries after its backoff.
    Retry,
    /// The 503 of the last attempt arrives: the request fails.
    GiveUp,
}

/// An S3 request in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct BucketCall {
    /// Bucket index.
    pub bucket: u16,
    /// Operation.
    pub op: BucketOp,
    /// What the pending step does.
    pub phase: Phase,
    /// SDK attempt number (0 = the first).
    pub attempt: u8,
    /// Arrived in the measured window.
    pub measured: bool,
    /// Bytes of a get go to the internet.
    pub internet: bool,
    /// The SDK gave up because its retry quota was empty (in `GiveUp`).
    pub quota_empty: bool,
    /// Quota tokens the last retry took (refunded on success).
    pub cost: u16,
    /// The caller's SDK client, or [`NO_CLIENT`].
    pub slot: u32,
    /// Prefix index (rank − 1).
    pub prefix: u32,
    /// Object size \[KB\] (0 for a list or a delete).
    pub size_kb: f32,
}

/// An event notification on its way (its frame).
#[derive(Clone, Copy, Debug)]
pub struct Notice {
    /// Bucket index.
    pub bucket: u16,
    /// Rule index in the bucket's `notify`.
    pub rule: u16,
    /// The notification is lost (its destination unreachable).
    pub lost: bool,
    /// Its event came in the measured window.
    pub measured: bool,
}

/// Counters over the measured window (requests that arrived after it).
#[derive(Clone, Debug, Default)]
pub struct BucketCounters {
    /// Requests by operation (first attempts).
    pub requests: [u64; 4],
    /// Served attempts by operation (billed).
    pub served: [u64; 4],
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests that ended in a 503 (the SDK gave up, or a direct
    /// request).
    pub failed: u64,
    /// Of `failed`: the SDK's retry quota was empty.
    pub quota_exhausted: u64,
    /// 503 Slow Down responses that reached the client.
    pub slow_down: u64,
    /// Retries.
    pub retries: u64,
    /// Attempts that waited for the adaptive mode's send token.
    pub rate_limited: u64,
    /// Requests in progress.
    pub in_flight: u64,
    /// Object data written by served puts \[KB\].
    pub kb_in: f64,
    /// Object data read by served gets \[KB\].
    pub kb_out: f64,
    /// Of `kb_out`: to the internet (workloads' direct gets) \[KB\].
    pub kb_out_internet: f64,
}

/// Counters of one notification rule, over the events of the measured
/// window.
#[derive(Clone, Debug, Default)]
pub struct RuleCounters {
    /// Events of the rule's kind (served puts or deletes).
    pub events: u64,
    /// Events its filter passed over.
    pub filtered: u64,
    /// Notifications sent (events its filter passed).
    pub sent: u64,
    /// Notifications that reached the destination.
    pub delivered: u64,
    /// Notifications lost.
    pub failed: u64,
    /// Sum of the notifications' delays \[s\].
    pub delay_s: f64,
}

/// One notification rule at run time.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The event.
    pub on: BucketEvent,
    /// The destination.
    pub target: Destination,
    /// The destination's name (for the figures).
    pub target_name: String,
    filter: f64,
    failure: f64,
    /// Counters.
    pub counters: RuleCounters,
    /// Measured notifications on their way.
    pub pending: u64,
}

/// One prefix's one-second window: attempts admitted in `second`.
#[derive(Clone, Copy, Debug, Default)]
struct Window {
    second: u32,
    reads: u32,
    writes: u32,
}

/// Time-series handles of a bucket.
#[derive(Clone, Copy, Debug)]
pub struct BucketSeries {
    /// Requests per second by operation.
    pub requests: [SeriesId; 4],
    /// Attempts refused with 503 per interval.
    pub slow_down: SeriesId,
    /// Notifications sent per interval.
    pub notifications: SeriesId,
}

/// One bucket.
pub struct S3Bucket {
    /// Its name.
    pub name: String,
    latency: [Dist; 4],
    object_kb: Dist,
    prefixes: Keys,
    notify_delay: Dist,
    /// Notification rules in model order.
    pub rules: Vec<Rule>,
    /// Stored data \[GB\] (for the bill).
    pub size_gb: f64,
    /// Its random stream (sizes, prefixes, latencies, notifications).
    pub rng: SimRng,
    windows: Vec<Window>,
    /// Per prefix: measured attempts and 503s.
    pub prefix_counts: Vec<[u64; 2]>,
    /// Counters.
    pub counters: BucketCounters,
    /// Series.
    pub series: BucketSeries,
}

impl S3Bucket {
    /// From the model, with room for `prefixes` prefixes and the names
    /// of the rules' destinations.
    pub fn new(
        b: &Bucket,
        prefixes: u64,
        names: Vec<String>,
        rng: SimRng,
        series: BucketSeries,
    ) -> Self {
        let rules = b
            .notify
            .iter()
            .zip(names)
            .map(|(r, target_name)| Rule {
                on: r.on,
                target: r.target,
                target_name,
                filter: r.filter,
                failure: r.delivery_failure,
                counters: RuleCounters::default(),
                pending: 0,
            })
            .collect();
        let n = prefixes.max(1) as usize;
        Self {
            name: b.name.clone(),
            latency: b.latency.clone(),
            object_kb: b.object_kb.clone(),
            prefixes: b.prefixes,
            notify_delay: b.notify_delay.clone(),
            rules,
            size_gb: b.size_gb,
            rng,
            windows: vec![Window::default(); n],
            prefix_counts: vec![[0; 2]; n],
            counters: BucketCounters::default(),
            series,
        }
    }

    /// A request starts (counted when `measured`): its prefix (from its
    /// model, else the bucket's) and its object size \[KB\].
    #[inline]
    pub fn start(&mut self, req: &BucketRequest, measured: bool) -> (u32, f32) {
        if measured {
            self.counters.requests[req.op.index()] += 1;
            self.counters.in_flight += 1;
        }
        let keys = req.prefixes.as_ref().unwrap_or(&self.prefixes);
        let rank = keys.sample_rank(&mut self.rng).unwrap_or(1);
        let prefix = (rank.saturating_sub(1)).min(self.windows.len() as u64 - 1) as u32;
        let size = if !req.op.moves_object() {
            0.0
        } else if let Some(kb) = req.size_kb {
            kb
        } else {
            self.object_kb.sample(&mut self.rng).max(0.0) as f32
        };
        (prefix, size)
    }

    /// An attempt of request `c` at `now`: whether its prefix's one-second
    /// window for the operation's rate admits it (a refusal is a 503 Slow
    /// Down). A served attempt is billed and moves the object's bytes;
    /// counted when the request is measured.
    #[inline]
    pub fn admit(&mut self, now: SimTime, c: &BucketCall) -> bool {
        let (prefix, op) = (c.prefix, c.op);
        let w = &mut self.windows[prefix as usize];
        let second = (now / SECONDS) as u32;
        if w.second != second {
            *w = Window {
                second,
                reads: 0,
                writes: 0,
            };
        }
        let (used, limit) = if op.is_write() {
            (&mut w.writes, PUT_RATE)
        } else {
            (&mut w.reads, GET_RATE)
        };
        let ok = *used < limit;
        if ok {
            *used += 1;
        }
        if c.measured {
            let p = &mut self.prefix_counts[prefix as usize];
            p[0] += 1;
            if !ok {
                p[1] += 1;
                return false;
            }
            let k = &mut self.counters;
            k.served[op.index()] += 1;
            let kb = f64::from(c.size_kb);
            match op {
                BucketOp::Put => k.kb_in += kb,
                BucketOp::Get => {
                    k.kb_out += kb;
                    if c.internet {
                        k.kb_out_internet += kb;
                    }
                }
                BucketOp::List | BucketOp::Delete => {}
            }
        }
        ok
    }

    /// The 503 of an attempt of request `c` reached the client (counted
    /// when the request is measured): retried, or the request fails.
    pub fn on_slow_down(&mut self, c: &BucketCall, retried: bool) {
        if !c.measured {
            return;
        }
        let k = &mut self.counters;
        k.slow_down += 1;
        if retried {
            k.retries += 1;
        } else if c.quota_empty {
            k.quota_exhausted += 1;
        }
    }

    /// The round trip of an attempt of `op` \[ns\] (a 503's too \[A\]).
    #[inline]
    pub fn latency(&mut self, op: BucketOp) -> SimDuration {
        self.latency[op.index()].sample_ns(&mut self.rng)
    }

    /// A request ended (counted when measured): succeeded, or failed.
    pub fn on_end(&mut self, c: &BucketCall, ok: bool) {
        if !c.measured {
            return;
        }
        let k = &mut self.counters;
        k.in_flight -= 1;
        if ok {
            k.succeeded += 1;
        } else {
            k.failed += 1;
        }
    }

    /// A served `op` fires rule `r` if it is of the rule's event: whether
    /// the rule's filter passes it, and if so whether the notification is
    /// lost and its delay \[ns\]. Counted when `measured`.
    pub fn notice(
        &mut self,
        r: usize,
        op: BucketOp,
        measured: bool,
    ) -> Option<(bool, SimDuration)> {
        let rule = &self.rules[r];
        if !rule.on.fired_by(op) {
            return None;
        }
        let (f, p) = (rule.filter, rule.failure);
        let pass = f >= 1.0 || (f > 0.0 && self.rng.random::<f64>() < f);
        let k = &mut self.rules[r].counters;
        if measured {
            k.events += 1;
            if !pass {
                k.filtered += 1;
            }
        }
        if !pass {
            return None;
        }
        let lost = p >= 1.0 || (p > 0.0 && self.rng.random::<f64>() < p);
        let delay = self.notify_delay.sample_ns(&mut self.rng);
        if measured {
            let rule = &mut self.rules[r];
            rule.counters.sent += 1;
            rule.counters.delay_s += delay as f64 * 1e-9;
            rule.pending += 1;
        }
        Some((lost, delay))
    }

    /// A notification of rule `r` ended: delivered, or lost.
    pub fn notice_end(&mut self, n: &Notice) {
        if !n.measured {
            return;
        }
        let rule = &mut self.rules[n.rule as usize];
        rule.pending -= 1;
        if n.lost {
            rule.counters.failed += 1;
        } else {
            rule.counters.delivered += 1;
        }
    }

    fn footprint(&self) -> usize {
        self.windows.capacity() * std::mem::size_of::<Window>()
            + self.prefix_counts.capacity() * std::mem::size_of::<[u64; 2]>()
            + self.rules.capacity() * std::mem::size_of::<Rule>()
    }
}

/// Every bucket, and the SDK clients of the functions' S3 calls.
pub struct Buckets {
    /// In model order.
    pub list: Vec<S3Bucket>,
    /// One SDK client per (function, bucket) pair.
    pub sdk: SdkClients,
}

index_by!(Buckets, list, S3Bucket);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{stream, MILLIS};
    use crate::model::bucket::Bucket;

    fn call(prefix: u32, op: BucketOp) -> BucketCall {
        BucketCall {
            bucket: 0,
            op,
            phase: Phase::Send,
            attempt: 0,
            measured: true,
            internet: false,
            quota_empty: false,
            cost: 0,
            slot: NO_CLIENT,
            prefix,
            size_kb: 2.0,
        }
    }

    fn bucket(prefixes: u64) -> S3Bucket {
        use crate::metrics::series::Combine;
        let mut rec = crate::metrics::SeriesRecorder::new(10 * SECONDS, SECONDS, 1);
        let id = rec.register("b", "x", "count", Combine::Sum, 1.0);
        let series = BucketSeries {
            requests: [id; 4],
            slow_down: id,
            notifications: id,
        };
        let b = Bucket::new("b", vec![]);
        S3Bucket::new(&b, prefixes, vec![], stream(1, "b", "t"), series)
    }

    #[test]
    fn each_prefix_admits_its_rate_per_second() {
        let mut b = bucket(2);
        let put = |b: &mut S3Bucket, t, p| b.admit(t, &call(p, BucketOp::Put));
        let admitted = (0..5000).filter(|&i| put(&mut b, i * 100_000, 0)).count();
        assert_eq!(admitted, PUT_RATE as usize);
        // Another prefix, and reads, have their own windows.
        assert!(put(&mut b, 600 * MILLIS, 1));
        let reads = (0..6000)
            .filter(|&i| b.admit(500 * MILLIS + i, &call(0, BucketOp::Get)))
            .count();
        assert_eq!(reads, GET_RATE as usize);
        // The next second starts over.
        assert!(put(&mut b, SECONDS, 0));
        assert_eq!(b.prefix_counts[0], [5000 + 6000 + 1, 1500 + 500]);
        assert_eq!(b.counters.served, [5500, 3500 + 1 + 1, 0, 0]);
        assert_eq!(b.counters.kb_in, 2.0 * 3502.0);
        assert_eq!(b.counters.kb_out, 2.0 * 5500.0);
    }
}
