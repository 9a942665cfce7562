//! An external service's part of the event flow: a call's attempts (the
//! SDK's send token, the service's admission, the SDK's decision after a
//! throttle) and its answer to the calling invocation.
//!
//! A call's frame steps through [`Phase`] as a DynamoDB request's does
//! (`table/flow.rs`): `Send` → `SendNow` → after the latency, `Served`, or
//! after a throttle `Retry` (then `Send` after the SDK's backoff) or
//! `GiveUp`. Whether a throttled attempt is retried is decided, and
//! counted, when the service throttles it, so that `throttled = retries +
//! failed` holds at every moment; a call the SDK gives up on counts as
//! failed (not in flight) from then on, its error one latency away.

use indexmap::IndexMap;

use super::{
    Admit, Dependency, ExternalCall, ExternalRequest, Externals, Phase, ServiceSeries, ServiceStats,
};
use crate::model::{Scenario, Step};
use crate::services::sdk_retry::{ErrorKind, GiveUp, SdkClients};
use crate::services::{
    Build, Collect, Cx, End, Event, Finding, FindingsCx, Frame, FrameRef, FrameState, Kind,
    Outcome, Service, World,
};

/// The SDK clients of every (function, service) pair a function's steps
/// call: the function's `sdk_retry` when it sets one, else the SDK's
/// defaults for services other than DynamoDB
/// (`model::service::default_sdk_retry`).
pub fn clients(m: &Scenario) -> SdkClients {
    SdkClients::build_by(
        m,
        |s| match s {
            Step::External { service } => Some(*service),
            _ => None,
        },
        |f, _| {
            f.sdk_retry
                .unwrap_or_else(crate::model::service::default_sdk_retry)
        },
    )
}

impl Service for Externals {
    const LABEL: &'static str = "service";
    const BACKLOG: &'static str = "calls in progress (including SDK retries)";
    const SERIES: usize = 4;
    type Stats = ServiceStats;

    fn count(m: &Scenario) -> usize {
        m.services.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let list = m
            .services
            .iter()
            .map(|s| {
                let series = ServiceSeries {
                    calls: b.sum(&s.name, "calls", "calls/s", b.per_s),
                    accepted: b.sum(&s.name, "accepted", "count", 1.0),
                    throttled_rate: b.sum(&s.name, "throttled_rate", "count", 1.0),
                    throttled_quota: b.sum(&s.name, "throttled_quota", "count", 1.0),
                };
                Dependency::new(s, m.simulation.start, b.rng(&s.name, "service"), series)
            })
            .collect();
        Externals {
            list,
            sdk: clients(m),
        }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(Dependency::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::ExternalCall(c) => c.service as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame {
            parent,
            state: FrameState::ExternalCall(c),
            ..
        }) = w.frames.get(fr).copied()
        else {
            return;
        };
        let s = c.service as usize;
        match c.phase {
            Phase::Send => send(w, cx, fr),
            Phase::SendNow => attempt(w, cx, fr),
            Phase::Served => {
                w.externals.sdk[c.slot as usize].on_success(cx.now(), c.cost);
                w.frames.free(fr);
                if c.measured {
                    let d = &mut w.externals[s];
                    d.counters.ok += 1;
                    d.pending -= 1;
                }
                w.deliver(cx, parent, Outcome::at(End::Ok, Kind::External, s));
            }
            Phase::Retry => {
                let now = cx.now();
                let Externals { list, sdk } = &mut w.externals;
                let client = &mut sdk[c.slot as usize];
                client.on_response(now, true);
                let backoff =
                    client.backoff(ErrorKind::Throttle, u32::from(c.attempt), &mut list[s].rng);
                if let Some(Frame {
                    state: FrameState::ExternalCall(c),
                    ..
                }) = w.frames.get_mut(fr)
                {
                    c.attempt = c.attempt.saturating_add(1);
                    c.phase = Phase::Send;
                }
                cx.schedule(backoff, Event::Step(fr));
            }
            Phase::GiveUp => {
                w.externals.sdk[c.slot as usize].on_response(cx.now(), true);
                w.frames.free(fr);
                // Counted as failed (and no longer in flight) when the SDK
                // gave up, in `attempt`.
                // The SDK's error (the throttling exception): the
                // caller's step fails; the message is not sent.
                w.deliver(cx, parent, Outcome::at(End::Failed, Kind::External, s));
            }
        }
    }

    /// Nothing calls out of a service's frames.
    #[inline]
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, ServiceStats> {
        self.list
            .iter()
            .map(|d| (d.name.clone(), super::stats::collect(d, c.end)))
            .collect()
    }

    fn text(stats: &IndexMap<String, ServiceStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, ServiceStats>,
        cx: &FindingsCx<'_>,
        out: &mut Vec<Finding>,
    ) {
        super::stats::findings(stats, cx, out);
    }

    fn bills(
        stats: &IndexMap<String, ServiceStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Vec<crate::cost::Bill> {
        super::cost::bills(stats, p)
    }
}

/// A call `req` by frame `parent` (a call step): its first attempt.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, req: ExternalRequest, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let d = &mut w.externals[req.service as usize];
    if measured {
        d.counters.calls += 1;
        d.pending += 1;
    }
    w.rec.add(d.series.calls, now, 1.0);
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::ExternalCall(ExternalCall {
            service: req.service,
            phase: Phase::Send,
            attempt: 0,
            cost: 0,
            slot: req.slot,
            measured,
        }),
    });
    send(w, cx, fr);
}

/// The next attempt of frame `fr`: at once, or when the SDK client's send
/// token has accrued (adaptive mode, once it has seen a throttle).
#[inline]
fn send(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::ExternalCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let wait = w.externals.sdk[c.slot as usize].send_delay(now);
    if wait == 0 {
        return attempt(w, cx, fr);
    }
    c.phase = Phase::SendNow;
    if c.measured {
        w.externals[c.service as usize].counters.rate_limited_sends += 1;
    }
    cx.schedule(wait, Event::Step(fr));
}

/// Frame `fr` sends an attempt now; its response (success or the
/// throttling error) arrives after the service's latency.
#[inline]
fn attempt(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::ExternalCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    let now = cx.now();
    let Externals { list, sdk } = &mut w.externals;
    let d = &mut list[c.service as usize];
    let verdict = d.admit(now, c.measured, &mut w.rec);
    let after = d.latency();
    if verdict == Admit::Ok {
        c.phase = Phase::Served;
    } else {
        let retry = sdk[c.slot as usize].admit_retry(ErrorKind::Throttle, u32::from(c.attempt));
        let k = &mut d.counters;
        match retry {
            Ok(cost) => {
                c.cost = cost;
                c.phase = Phase::Retry;
                if c.measured {
                    k.retries += 1;
                }
            }
            Err(why) => {
                c.phase = Phase::GiveUp;
                if c.measured {
                    // Failed from now on: its error is on its way.
                    k.failed += 1;
                    d.pending -= 1;
                    match why {
                        GiveUp::AttemptsExhausted => k.gave_up_attempts += 1,
                        GiveUp::QuotaEmpty => k.gave_up_quota += 1,
                    }
                }
            }
        }
    }
    cx.schedule(after, Event::Step(fr));
}
