//! S3's part of the event flow: a request's attempts (the SDK's send
//! token, the prefix's rate, the SDK's decision after a 503) and its
//! answer; a served put or delete's notifications, each a frame that ends
//! at the destination after the notification delay.
//!
//! A request's frame steps through [`Phase`]: `Send` (wait for a send
//! token in adaptive mode) → `SendNow` (the attempt) → after the round
//! trip, `Served`, or after a 503 `Retry` (then `Send` after the SDK's
//! backoff) or `GiveUp` (the error reaches the caller). As for DynamoDB,
//! whether a refused attempt is retried is decided when the bucket
//! refuses it (docs/model.md, "SDK retries"); the 503 is counted (retried
//! or given up) when it reaches the client, so that `slow_down = retries
//! + failed` holds at any time.

use indexmap::IndexMap;

use super::{
    BucketCall, BucketRequest, BucketSeries, BucketStats, Buckets, Notice, Phase, S3Bucket,
    NO_CLIENT,
};
use crate::model::bucket::{s3_sdk_retry, BucketOp, EVENT_KB};
use crate::model::{Destination, Scenario, Step};
use crate::services::sdk_retry::{ErrorKind, GiveUp, SdkClients};
use crate::services::{
    lambda, queue, topic, Build, Collect, Cx, End, Event, Finding, FindingsCx, Frame, FrameRef,
    FrameState, Kind, Outcome, Service, World,
};

impl Service for Buckets {
    const LABEL: &'static str = "bucket";
    const BACKLOG: &'static str =
        "requests in progress (including SDK retries) and notifications on their way";
    const SERIES: usize = 6;
    type Stats = BucketStats;

    fn count(m: &Scenario) -> usize {
        m.buckets.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let list = m
            .buckets
            .iter()
            .enumerate()
            .map(|(i, bk)| {
                let name = &bk.name;
                let series = BucketSeries {
                    requests: [
                        b.sum(name, "get_rps", "requests/s", b.per_s),
                        b.sum(name, "put_rps", "requests/s", b.per_s),
                        b.sum(name, "list_rps", "requests/s", b.per_s),
                        b.sum(name, "delete_rps", "requests/s", b.per_s),
                    ],
                    slow_down: b.sum(name, "slow_down", "count", 1.0),
                    notifications: b.sum(name, "notifications", "count", 1.0),
                };
                let steps = m.lambdas.iter().flat_map(|l| &l.steps);
                let models = steps.filter_map(|s| match s {
                    Step::Bucket {
                        bucket,
                        prefixes: Some(k),
                        ..
                    } if *bucket == i => Some(k),
                    _ => None,
                });
                let prefixes = bk.prefix_count(models);
                let names = bk
                    .notify
                    .iter()
                    .map(|r| match r.target {
                        Destination::Lambda(f) => m.lambdas[f].name.clone(),
                        Destination::Queue(q) => m.queues[q].name.clone(),
                        Destination::Topic(t) => m.topics[t].name.clone(),
                    })
                    .collect();
                S3Bucket::new(bk, prefixes, names, b.rng(name, "bucket"), series)
            })
            .collect();
        Buckets {
            list,
            sdk: sdk_clients(m),
        }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(S3Bucket::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::BucketCall(c) => c.bucket as usize,
            FrameState::Notice(n) => n.bucket as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame { parent, state, .. }) = w.frames.get(fr).copied() else {
            return;
        };
        let c = match state {
            FrameState::BucketCall(c) => c,
            FrameState::Notice(n) => {
                w.frames.free(fr);
                return deliver(w, cx, &n);
            }
            _ => return,
        };
        let now = cx.now();
        let i = c.bucket as usize;
        match c.phase {
            Phase::Send => send(w, cx, fr),
            Phase::SendNow => attempt(w, cx, fr),
            Phase::Served => {
                if c.slot != NO_CLIENT {
                    w.buckets.sdk[c.slot as usize].on_success(now, c.cost);
                }
                w.buckets[i].on_end(&c, true);
                w.frames.free(fr);
                if c.op.is_write() && !w.buckets[i].rules.is_empty() {
                    notify(w, cx, i, c.op, c.measured);
                }
                w.deliver(cx, parent, Outcome::at(End::Ok, Kind::Bucket, i));
            }
            Phase::Retry => {
                w.buckets[i].on_slow_down(&c, true);
                let Buckets { list, sdk } = &mut w.buckets;
                let client = &mut sdk[c.slot as usize];
                client.on_response(now, true);
                let n = u32::from(c.attempt);
                let backoff = client.backoff(ErrorKind::Throttle, n, &mut list[i].rng);
                if let Some(Frame {
                    state: FrameState::BucketCall(c),
                    ..
                }) = w.frames.get_mut(fr)
                {
                    c.attempt = c.attempt.saturating_add(1);
                    c.phase = Phase::Send;
                }
                cx.schedule(backoff, Event::Step(fr));
            }
            Phase::GiveUp => {
                w.buckets[i].on_slow_down(&c, false);
                let end = if c.slot == NO_CLIENT {
                    // A direct request: the 503 is the answer.
                    End::Throttled
                } else {
                    w.buckets.sdk[c.slot as usize].on_response(now, true);
                    // The SDK's error: the caller's step fails.
                    End::Failed
                };
                w.buckets[i].on_end(&c, false);
                w.frames.free(fr);
                w.deliver(cx, parent, Outcome::at(end, Kind::Bucket, i));
            }
        }
    }

    /// Nothing calls out of a bucket's frames.
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn stats(&mut self, _c: &mut Collect<'_>) -> IndexMap<String, BucketStats> {
        self.list
            .iter()
            .map(|b| (b.name.clone(), super::stats::collect(b)))
            .collect()
    }

    fn text(stats: &IndexMap<String, BucketStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, BucketStats>,
        cx: &FindingsCx<'_>,
        out: &mut Vec<Finding>,
    ) {
        super::stats::findings(stats, cx, out);
    }

    fn bills(
        stats: &IndexMap<String, BucketStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Vec<crate::cost::Bill> {
        // No bucket, no `s3` line.
        if stats.is_empty() {
            return Vec::new();
        }
        super::cost::bills(stats, p)
    }
}

/// The SDK clients of the functions' S3 calls: one per (function,
/// bucket), with the function's `sdk_retry` when it sets one, else S3's
/// default retries ([`s3_sdk_retry`]).
pub fn sdk_clients(m: &Scenario) -> SdkClients {
    SdkClients::build_by(
        m,
        |step| match step {
            Step::Bucket { bucket, .. } => Some(*bucket),
            _ => None,
        },
        |f, _| f.sdk_retry.unwrap_or_else(s3_sdk_retry),
    )
}

/// A request `req` by frame `parent` (a call step): it draws its prefix
/// and object size and sends its first attempt.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, req: BucketRequest, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let b = &mut w.buckets[req.bucket as usize];
    let (prefix, size_kb) = b.start(&req, measured);
    w.rec.add(b.series.requests[req.op.index()], now, 1.0);
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::BucketCall(BucketCall {
            bucket: req.bucket,
            op: req.op,
            phase: Phase::Send,
            attempt: 0,
            measured,
            internet: req.internet,
            quota_empty: false,
            cost: 0,
            slot: req.slot,
            prefix,
            size_kb,
        }),
    });
    send(w, cx, fr);
}

/// A workload's direct request of `op` to bucket `b` (a presigned URL or
/// temporary credentials): no SDK retries; a get's bytes go to the
/// internet.
#[inline]
pub fn request(w: &mut World, cx: &mut Cx, b: usize, op: BucketOp, parent: FrameRef) {
    let req = BucketRequest {
        slot: NO_CLIENT,
        internet: true,
        ..BucketRequest::new(b, op, None, None)
    };
    call(w, cx, req, parent);
}

/// The next attempt of frame `fr`: at once, or when the SDK client's send
/// token has accrued (adaptive mode, once it has seen a throttle).
#[inline]
fn send(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::BucketCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    if c.slot == NO_CLIENT {
        return attempt(w, cx, fr);
    }
    let now = cx.now();
    let wait = w.buckets.sdk[c.slot as usize].send_delay(now);
    if wait == 0 {
        return attempt(w, cx, fr);
    }
    c.phase = Phase::SendNow;
    if c.measured {
        w.buckets[c.bucket as usize].counters.rate_limited += 1;
    }
    cx.schedule(wait, Event::Step(fr));
}

/// Frame `fr` sends an attempt now; its response arrives after the round
/// trip.
#[inline]
fn attempt(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::BucketCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let Buckets { list, sdk } = &mut w.buckets;
    let b = &mut list[c.bucket as usize];
    let served = b.admit(now, c);
    let rtt = b.latency(c.op);
    if served {
        c.phase = Phase::Served;
    } else {
        w.rec.add(b.series.slow_down, now, 1.0);
        c.phase = Phase::GiveUp;
        if c.slot != NO_CLIENT {
            match sdk[c.slot as usize].admit_retry(ErrorKind::Throttle, u32::from(c.attempt)) {
                Ok(cost) => {
                    c.cost = cost;
                    c.phase = Phase::Retry;
                }
                Err(GiveUp::QuotaEmpty) => c.quota_empty = true,
                Err(GiveUp::AttemptsExhausted) => {}
            }
        }
    }
    cx.schedule(rtt, Event::Step(fr));
}

/// A served put or delete of bucket `b`: one notification per rule of its
/// event whose filter passes it, each arriving after the notification
/// delay.
fn notify(w: &mut World, cx: &mut Cx, b: usize, op: BucketOp, measured: bool) {
    let now = cx.now();
    for r in 0..w.buckets[b].rules.len() {
        let Some((lost, delay)) = w.buckets[b].notice(r, op, measured) else {
            continue;
        };
        w.rec.add(w.buckets[b].series.notifications, now, 1.0);
        let fr = w.frames.alloc(Frame {
            parent: FrameRef::NONE,
            start: now,
            state: FrameState::Notice(Notice {
                bucket: b as u16,
                rule: r as u16,
                lost,
                measured,
            }),
        });
        cx.schedule(delay, Event::Step(fr));
    }
}

/// A notification arrives: its destination receives the event (a
/// function as an asynchronous invoke, a queue as a message, a topic as a
/// publish), unless it is lost.
fn deliver(w: &mut World, cx: &mut Cx, n: &Notice) {
    let b = &mut w.buckets[n.bucket as usize];
    b.notice_end(n);
    if n.lost {
        return;
    }
    let kb = EVENT_KB as f32;
    match b.rules[n.rule as usize].target {
        Destination::Lambda(f) => lambda::async_invoke::accept(w, cx, f),
        Destination::Queue(q) => queue::enqueue(w, cx, q, kb),
        Destination::Topic(t) => topic::publish(w, cx, t, kb),
    }
}
