//! A workload's part of the event flow: arrivals, sending a request to its
//! target, client retries, and recording what the client finally saw.

use indexmap::IndexMap;

use super::{Client, ClientSeries, Clients, Request, WorkloadStats};
use crate::engine::Lane;
use crate::metrics::IntervalQuantiles;
use crate::model::queue::DEFAULT_MESSAGE_KB;
use crate::model::Target;
use crate::services::{
    api_gateway, lambda, queue, Build, Collect, Cx, Event, Finding, FindingsCx, Frame, FrameRef,
    FrameState, Kind, Outcome, Service, Timer, World,
};
use crate::workload::trace::NO_DURATION;

/// Timer: workload `index`'s next request arrives.
pub const ARRIVAL: u8 = 0;

impl Service for Clients {
    const LABEL: &'static str = "workload";
    const BACKLOG: &'static str = "requests in flight (including those waiting to retry)";
    const SERIES: usize = 5;
    type Stats = WorkloadStats;

    fn count(m: &crate::model::Scenario) -> usize {
        m.workloads.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let list = m
            .workloads
            .iter()
            .map(|w| {
                let series = ClientSeries {
                    rps: b.sum(&w.name, "rps", "requests/s", b.per_s),
                    ok: b.sum(&w.name, "succeeded_rps", "requests/s", b.per_s),
                    errors: b.sum(&w.name, "unsuccessful_rps", "requests/s", b.per_s),
                };
                let quantiles = IntervalQuantiles::new(
                    b.max(&w.name, "latency_p50_ms", "ms"),
                    b.max(&w.name, "latency_p99_ms", "ms"),
                    b.rec.interval(),
                );
                let route_names = match w.target {
                    Target::Api(a) => w
                        .routes
                        .iter()
                        .map(|(r, _)| m.apis[a].routes[*r].route.clone())
                        .collect(),
                    Target::Bucket(_) => w
                        .routes
                        .iter()
                        .map(|(op, _)| crate::model::BucketOp::from_index(*op).name().to_string())
                        .collect(),
                    Target::Cdn(d) => match m.cdns[d].origin {
                        crate::model::CdnOrigin::Api(a) => w
                            .routes
                            .iter()
                            .map(|(r, _)| m.apis[a].routes[*r].route.clone())
                            .collect(),
                        crate::model::CdnOrigin::Bucket(_) => w
                            .routes
                            .iter()
                            .map(|(op, _)| {
                                crate::model::BucketOp::from_index(*op).name().to_string()
                            })
                            .collect(),
                    },
                    _ => vec!["-".to_string()],
                };
                let mut c = Client::new(
                    w,
                    route_names,
                    b.rng(&w.name, "arrivals"),
                    b.rng(&w.name, "client"),
                    series,
                    quantiles,
                    b.end,
                );
                c.rtt = network_rtt(m, w);
                if let crate::workload::Arrival::Trace(spec) = &w.arrival {
                    c.set_trace(crate::workload::trace::TraceReader::open(
                        spec,
                        w.trace_names(m),
                    ));
                }
                c
            })
            .collect();
        Clients { list }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(Client::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::Request(s) => s.workload as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    /// One lane per workload (one pending arrival each), then the first
    /// arrivals.
    fn start(w: &mut World, cx: &mut Cx) {
        for (i, c) in w.clients.list.iter_mut().enumerate() {
            let lane = cx.add_lane();
            debug_assert_eq!(lane.0 as usize, i);
            if let Some(t) = c.next_arrival(0) {
                cx.schedule_lane_at(lane, t, Timer::event(Kind::Workload, ARRIVAL, i, 0));
            }
        }
    }

    #[inline]
    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        arrival(w, cx, t.index as usize);
    }

    /// A retry's backoff is over: send again.
    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        if let Some(Frame {
            state: FrameState::Request(r),
            ..
        }) = w.frames.get(fr).copied()
        {
            send(w, cx, fr, r.workload as usize, r.route);
        }
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        let Some(frame) = w.frames.get_mut(to) else {
            return;
        };
        let FrameState::Request(ref mut r) = frame.state else {
            return;
        };
        let now = cx.now();
        let start = frame.start;
        let c = &mut w.clients.list[r.workload as usize];
        if let Some(backoff) = c.retry_after(outcome, r.attempt as u32) {
            r.attempt += 1;
            if r.measured {
                c.counters.retries += 1;
            }
            cx.schedule(backoff, Event::Step(to));
            return;
        }
        let (route, measured) = (r.route, r.measured);
        let cold = r.cold;
        // The first request's way out and the final answer's way back
        // (a retry's round trip is in its wait).
        let latency = now - start + c.rtt;
        w.frames.free(to);
        let series = if outcome.is_ok() {
            c.series.ok
        } else {
            c.series.errors
        };
        w.rec.add(series, now, 1.0);
        if outcome.is_ok() {
            c.quantiles.record(now, latency, &mut w.rec);
        }
        if measured {
            c.finish(route, outcome, latency, cold);
        }
    }

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, WorkloadStats> {
        for w in &mut self.list {
            w.quantiles.flush(c.rec);
        }
        self.list
            .iter()
            .map(|c| (c.name.clone(), super::stats::collect(c)))
            .collect()
    }

    fn text(stats: &IndexMap<String, WorkloadStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn findings(
        stats: &IndexMap<String, WorkloadStats>,
        cx: &FindingsCx<'_>,
        out: &mut Vec<Finding>,
    ) {
        super::findings::findings(stats, cx, out);
    }
}

/// The network round trip of workload `w`'s requests \[ns\]: the RTT
/// table's p50 from its location to its target's Region (an api's or a
/// function's `region`, else the home Region), or to the nearest edge for
/// a CloudFront target; 0 without a location
/// (docs/model.md, "Global users and global tables").
fn network_rtt(
    m: &crate::model::Scenario,
    w: &crate::model::Workload,
) -> crate::engine::SimDuration {
    use crate::model::geo::Region;
    let Some(l) = w.location else { return 0 };
    if let Target::Cdn(_) = w.target {
        // CloudFront answers from the edge nearest the client; its misses
        // add the distribution's own `origin_latency`.
        return crate::model::geo::rtt_to_edge(l);
    }
    let region = match w.target {
        Target::Api(a) => m.apis[a].region,
        Target::Lambda(f) => m.lambdas[f].region,
        _ => None,
    };
    region
        .or_else(|| Region::parse(&m.simulation.region))
        .and_then(|r| l.rtt_to(r))
        .unwrap_or(0)
}

#[inline]
fn arrival(w: &mut World, cx: &mut Cx, i: usize) {
    let now = cx.now();
    let c = &mut w.clients.list[i];
    if c.replays() {
        return arrival_traced(w, cx, i);
    }
    if let Some(next) = c.next_drawn(now) {
        // Workload i's arrivals use lane i: one pending arrival each.
        cx.schedule_lane_at(
            Lane(i as u32),
            next,
            Timer::event(Kind::Workload, ARRIVAL, i, 0),
        );
    }
    let route = c.pick_route();
    admit(w, cx, i, route, NO_DURATION);
}

/// [`arrival`] for a workload replaying a trace: the row gives the next
/// arrival, the route and the duration. Out of line, so that drawn
/// arrivals pay one test for it.
#[cold]
#[inline(never)]
fn arrival_traced(w: &mut World, cx: &mut Cx, i: usize) {
    let now = cx.now();
    let c = &mut w.clients.list[i];
    if let Some(next) = c.next_arrival(now) {
        cx.schedule_lane_at(
            Lane(i as u32),
            next,
            Timer::event(Kind::Workload, ARRIVAL, i, 0),
        );
    }
    let (route, replay_us) = c.trace_route();
    admit(w, cx, i, route, replay_us);
}

/// A request of workload `i` on `route` enters the system now.
#[inline(always)]
fn admit(w: &mut World, cx: &mut Cx, i: usize, route: u16, replay_us: u32) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let c = &mut w.clients.list[i];
    w.rec.add(c.series.rps, now, 1.0);
    if measured {
        c.counters.requests += 1;
        c.counters.in_flight += 1;
        c.routes[route as usize].requests += 1;
    }
    let fr = w.frames.alloc(Frame {
        parent: FrameRef::NONE,
        start: now,
        state: FrameState::Request(Request {
            workload: i as u16,
            route,
            attempt: 1,
            measured,
            cold: false,
            replay_us,
        }),
    });
    send(w, cx, fr, i, route);
}

/// Sends (or re-sends) a client request to its target.
#[inline]
fn send(w: &mut World, cx: &mut Cx, fr: FrameRef, i: usize, route: u16) {
    let c = &w.clients.list[i];
    match c.target {
        Target::Api(a) => {
            let api_route = c.route_api_index[route as usize] as usize;
            api_gateway::call(w, cx, a, api_route, fr);
        }
        Target::Lambda(f) => lambda::invoke(w, cx, f, fr),
        Target::Queue(q) => queue::send(w, cx, q, DEFAULT_MESSAGE_KB as f32, fr),
        Target::Topic(t) => crate::services::topic::call(w, cx, t, DEFAULT_MESSAGE_KB as f32, fr),
        Target::Bucket(b) => {
            let op = crate::model::BucketOp::from_index(c.route_api_index[route as usize] as usize);
            crate::services::bucket::request(w, cx, b, op, fr)
        }
        Target::Cdn(d) => {
            let r = c.route_api_index[route as usize] as usize;
            crate::services::cdn::request(w, cx, d, r, fr)
        }
    }
}

/// Marks the client request at the root of `fr`'s chain of callers as
/// having met a cold start (nothing if the chain has no request: an
/// asynchronous event, a queue's batch).
#[cold]
pub fn mark_cold(w: &mut World, mut fr: FrameRef) {
    while let Some(f) = w.frames.get_mut(fr) {
        if let FrameState::Request(r) = &mut f.state {
            r.cold = true;
            return;
        }
        fr = f.parent;
    }
}
