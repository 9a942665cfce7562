//! API Gateway's part of the event flow: admission, the authorizer and
//! cache delay, the integration (a function call), its timeout (504), and
//! mapping the function's outcome to the response.

use indexmap::IndexMap;

use super::{Admit, ApiCall, ApiGateway, ApiStats, Apis};
use crate::model::Scenario;
use crate::services::lambda;
use crate::services::{
    Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service, Timer,
    World,
};

/// Timer: API `index`'s integration-timeout queue.
pub const DEADLINE: u8 = 0;

impl Service for Apis {
    const LABEL: &'static str = "api";
    const BACKLOG: &'static str = "calls in progress";
    const SERIES: usize = 0;
    type Stats = ApiStats;

    fn count(m: &Scenario) -> usize {
        m.apis.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let max_call: Vec<_> = m.lambdas.iter().map(lambda::longest_call).collect();
        let list = m
            .apis
            .iter()
            .map(|a| ApiGateway::new(a, b.rng(&a.name, "api"), &max_call))
            .collect();
        Apis { list }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(ApiGateway::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::ApiCall(s) => s.api as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame {
            state: FrameState::ApiCall(c),
            ..
        }) = w.frames.get(fr).copied()
        else {
            return;
        };
        if c.cache_hit {
            finish(w, cx, fr, Outcome::ok(Kind::Api));
        } else if !c.integrating {
            integrate(w, cx, fr);
        }
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        finish(w, cx, to, outcome);
    }

    /// The integration-timeout queue: answers 504 to every call whose
    /// integration timeout has come; the functions run on.
    #[inline]
    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        let a = t.index as usize;
        let now = cx.now();
        w.apis[a].deadlines.fired(now);
        while let Some(fr) = w.apis[a].deadlines.pop_due(now) {
            if w.frames.get(fr).is_some() {
                finish(w, cx, fr, Outcome::new(End::TimedOut, Kind::Api));
            }
        }
        if let Some(at) = w.apis[a].deadlines.rearm() {
            cx.schedule_at(at, Timer::event(Kind::Api, DEADLINE, a, 0));
        }
    }

    fn stats(&mut self, _c: &mut Collect<'_>) -> IndexMap<String, ApiStats> {
        self.list
            .iter()
            .map(|a| (a.name.clone(), super::stats::collect(a)))
            .collect()
    }

    fn text(stats: &IndexMap<String, ApiStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bill(
        stats: &IndexMap<String, ApiStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        Some(super::cost::bill(stats, p))
    }
}

/// A request for route `route` of API `a`, made by frame `parent`.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, a: usize, route: usize, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let api = &mut w.apis[a];
    if measured {
        api.counters.requests += 1;
    }
    let (cache_hit, delay) = match api.admit(route, now) {
        Admit::Throttled => {
            let outcome = Outcome::new(End::Throttled, Kind::Api);
            if measured {
                api.counters.throttled += 1;
                api.counters.by_outcome[outcome.index()] += 1;
            }
            w.deliver(cx, parent, outcome);
            return;
        }
        Admit::CacheHit(d) => {
            if measured {
                api.counters.cache_hits += 1;
            }
            (true, d)
        }
        Admit::Integrate(d) => (false, d),
    };
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::ApiCall(ApiCall {
            api: a as u16,
            route: route as u16,
            cache_hit,
            integrating: false,
        }),
    });
    if delay == 0 && !cache_hit {
        integrate(w, cx, fr);
    } else {
        cx.schedule(delay, Event::Step(fr));
    }
}

#[inline]
fn integrate(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::ApiCall(ref mut c),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    c.integrating = true;
    let (api, route) = (c.api as usize, c.route as usize);
    let a = &mut w.apis[api];
    if a.route_needs_timer[route] {
        let deadline = cx.now().saturating_add(a.timeout);
        if let Some(at) = a.deadlines.push(deadline, fr) {
            cx.schedule_at(at, Timer::event(Kind::Api, DEADLINE, api, 0));
        }
    }
    let target = a.route_target[route] as usize;
    lambda::invoke(w, cx, target, fr);
}

#[inline]
fn finish(w: &mut World, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
    let Some(frame) = w.frames.free(fr) else {
        return;
    };
    if let FrameState::ApiCall(c) = frame.state {
        let a = &mut w.apis[c.api as usize];
        if frame.start >= w.warmup {
            a.counters.by_outcome[outcome.index()] += 1;
        }
        let frames = &w.frames;
        a.deadlines.drop_stale(|fr| frames.get(fr).is_none());
    }
    w.deliver(cx, frame.parent, outcome);
}
