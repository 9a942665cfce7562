//! API Gateway's part of the event flow: admission, the authorizer (a
//! delay, or a synchronous invoke of the authorizer function), the cache
//! delay, the integration (a function call), its timeout (504), and mapping
//! the function's outcome to the response.

use indexmap::IndexMap;

use super::{Admit, ApiCall, ApiGateway, ApiSeries, ApiStats, Apis, Phase};
use crate::model::Scenario;
use crate::services::caches::CacheSeries;
use crate::services::lambda;
use crate::services::token_bucket::TokenBucket;
use crate::services::{
    Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service, Timer,
    World,
};

/// Timer: API `index`'s integration-timeout queue.
pub const DEADLINE: u8 = 0;

impl Service for Apis {
    const LABEL: &'static str = "api";
    const BACKLOG: &'static str = "calls in progress";
    const SERIES: usize = 3;
    type Stats = ApiStats;

    fn count(m: &Scenario) -> usize {
        m.apis.len()
    }

    /// An API with a response cache registers the cache's series too.
    fn series(m: &Scenario) -> usize {
        Self::SERIES * m.apis.len()
            + CacheSeries::COUNT * m.apis.iter().filter(|a| a.cache.is_some()).count()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let max_call: Vec<_> = m.lambdas.iter().map(lambda::longest_call).collect();
        let acc = m.simulation.api_account;
        let list = m
            .apis
            .iter()
            .map(|a| {
                let (rng, keys) = (b.rng(&a.name, "api"), b.rng(&a.name, "api-keys"));
                let series = ApiSeries {
                    requests: b.sum(&a.name, "requests_rps", "requests/s", b.per_s),
                    throttled: b.sum(&a.name, "throttled_rps", "requests/s", b.per_s),
                };
                // The limit beside the use: the stage's rate, at most the
                // account's (shared with the other APIs).
                let limit = b.max(&a.name, "rate_limit", "requests/s");
                b.rec
                    .fill(limit, a.stage.map_or(acc.rate, |s| s.rate.min(acc.rate)));
                let mut g = ApiGateway::new(a, rng, keys, &max_call, b.warmup, series);
                if a.cache.is_some() {
                    g.set_cache_series(CacheSeries::register(b, &a.name));
                }
                g
            })
            .collect();
        Apis {
            list,
            account: TokenBucket::full(acc.rate, acc.burst),
        }
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
        match c.phase {
            Phase::CacheHit => finish(w, cx, fr, Outcome::ok(Kind::Api)),
            Phase::Integrate => integrate(w, cx, fr),
            Phase::Authorize => authorize(w, cx, fr, c),
            Phase::Authorizing | Phase::Integrating => {}
        }
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        let Some(Frame {
            state: FrameState::ApiCall(c),
            ..
        }) = w.frames.get(to).copied()
        else {
            return;
        };
        if c.phase != Phase::Authorizing {
            finish(w, cx, to, outcome);
            return;
        }
        // The authorizer answered: a failure, timeout or throttle of the
        // function is a 500 (AuthorizerConfigurationException).
        if !outcome.is_ok() {
            finish(w, cx, to, Outcome::new(End::Failed, Kind::Api));
            return;
        }
        let now = cx.now();
        let a = &mut w.apis[c.api as usize];
        a.authorized(c.identity, now);
        match a.cache_lookup(c.route as usize, now, &mut w.rec) {
            Some(hit) => {
                if let Some(f) = w.frames.get_mut(to) {
                    if let FrameState::ApiCall(s) = &mut f.state {
                        s.phase = Phase::CacheHit;
                    }
                }
                cx.schedule(hit, Event::Step(to));
            }
            None => integrate(w, cx, to),
        }
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

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, ApiStats> {
        for a in &self.list {
            a.finish_cache(c.rec);
        }
        self.list
            .iter()
            .map(|a| (a.name.clone(), super::stats::collect(a)))
            .collect()
    }

    fn text(stats: &IndexMap<String, ApiStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bills(
        stats: &IndexMap<String, ApiStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Vec<crate::cost::Bill> {
        super::cost::bills(stats, p)
    }
}

/// A request for route `route` of API `a`, made by frame `parent`.
#[inline]
pub fn call(w: &mut World, cx: &mut Cx, a: usize, route: usize, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let apis = &mut w.apis;
    let api = &mut apis.list[a];
    if measured {
        api.counters.requests += 1;
    }
    w.rec.add(api.series.requests, now, 1.0);
    let (phase, delay, identity) = match api.admit(route, now, &mut apis.account, &mut w.rec) {
        Admit::Throttled(by) => {
            let outcome = Outcome::new(End::Throttled, Kind::Api);
            w.rec.add(api.series.throttled, now, 1.0);
            if measured {
                api.counters.throttled += 1;
                api.counters.throttled_by[by as usize] += 1;
                api.counters.by_outcome[outcome.index()] += 1;
            }
            w.deliver(cx, parent, outcome);
            return;
        }
        Admit::CacheHit(d) => (Phase::CacheHit, d, 0),
        Admit::Integrate(d) => (Phase::Integrate, d, 0),
        Admit::Authorize(d, identity) => (Phase::Authorize, d, identity),
    };
    let state = ApiCall {
        api: a as u16,
        route: route as u16,
        phase,
        identity,
    };
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::ApiCall(state),
    });
    match phase {
        Phase::Integrate if delay == 0 => integrate(w, cx, fr),
        Phase::Authorize if delay == 0 => authorize(w, cx, fr, state),
        _ => cx.schedule(delay, Event::Step(fr)),
    }
}

/// Invokes the Lambda authorizer for call `c` (frame `fr`): a synchronous
/// invoke like any other, whose reply comes to `on_reply`.
#[inline]
fn authorize(w: &mut World, cx: &mut Cx, fr: FrameRef, c: ApiCall) {
    let Some(Frame {
        state: FrameState::ApiCall(ref mut s),
        start,
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    s.phase = Phase::Authorizing;
    let measured = *start >= w.warmup;
    let a = &mut w.apis[c.api as usize];
    let Some(la) = &a.lambda_auth else {
        return;
    };
    let f = la.function as usize;
    if measured {
        a.counters.auth_invokes += 1;
    }
    lambda::invoke(w, cx, f, fr);
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
    c.phase = Phase::Integrating;
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
            // A response to CloudFront (an origin fetch) is not data
            // transfer out to the internet (aws-facts 10.8: AWS-origin
            // fetches are free); CloudFront bills what it sends on.
            if outcome.is_ok() && frame.parent.kind != Kind::Cdn {
                a.counters.route_ok[c.route as usize] += 1;
            }
        }
        let frames = &w.frames;
        a.deadlines.drop_stale(|fr| frames.get(fr).is_none());
    }
    w.deliver(cx, frame.parent, outcome);
}
