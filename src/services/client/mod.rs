//! The clients of a workload: arrivals, the route mix, client retries with
//! backoff, and what the client finally saw (latency and end state).

use rand::Rng;

mod findings;
mod flow;
mod stats;

pub use flow::{mark_cold, ARRIVAL};
pub use stats::{RouteStats, WorkloadStats};

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{IntervalQuantiles, LatencyHistogram, SeriesId};
use crate::model::{self, Target};
use crate::services::{registry::index_by, Outcome};
use crate::workload::trace::{TraceError, TraceReader, NO_DURATION, NO_ROUTE};
use crate::workload::Arrival;

/// Counters over the measured window (requests that arrived after warm-up).
#[derive(Clone, Debug)]
pub struct ClientCounters {
    /// Requests that arrived.
    pub requests: u64,
    /// Final outcomes, by [`Outcome::index`].
    pub by_outcome: [u64; Outcome::COUNT],
    /// Retries sent.
    pub retries: u64,
    /// Requests not finished yet.
    pub in_flight: u64,
    /// Failed requests by (final outcome, where the failure began): a few
    /// entries, searched linearly, touched only by failed requests.
    pub causes: Vec<(Outcome, u64)>,
}

impl ClientCounters {
    /// Counts a failed request by its final outcome and cause.
    #[cold]
    fn count_cause(&mut self, outcome: Outcome) {
        match self.causes.iter_mut().find(|(o, _)| *o == outcome) {
            Some((_, n)) => *n += 1,
            None => self.causes.push((outcome, 1)),
        }
    }
}

/// Time-series handles of a workload.
#[derive(Clone, Copy, Debug)]
pub struct ClientSeries {
    /// Arrivals per second.
    pub rps: SeriesId,
    /// Succeeded per second.
    pub ok: SeriesId,
    /// Throttled, failed or timed out per second.
    pub errors: SeriesId,
}

impl Default for ClientCounters {
    fn default() -> Self {
        Self {
            requests: 0,
            by_outcome: [0; Outcome::COUNT],
            retries: 0,
            in_flight: 0,
            causes: Vec::new(),
        }
    }
}

/// What happened on one route of a workload (measured window).
#[derive(Default)]
pub struct RouteTally {
    /// Latency of succeeded requests.
    pub latency: LatencyHistogram,
    /// Requests.
    pub requests: u64,
    /// Succeeded requests.
    pub succeeded: u64,
}

/// A client request in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct Request {
    /// Workload index.
    pub workload: u16,
    /// Route index in the workload's route list (0 for direct invokes).
    pub route: u16,
    /// Attempts sent so far.
    pub attempt: u16,
    /// Arrived in the measured window.
    pub measured: bool,
    /// An invocation it caused (in any attempt) was a cold start.
    pub cold: bool,
    /// The duration a trace row gives the invocation it causes \[µs\],
    /// or [`NO_DURATION`] (the function's steps decide).
    pub replay_us: u32,
}

/// Every workload.
pub struct Clients {
    /// In model order.
    pub list: Vec<Client>,
}

index_by!(Clients, list, Client);

/// A workload's runtime state.
pub struct Client {
    /// Name.
    pub name: String,
    /// Where requests go.
    pub target: Target,
    /// Route names (reporting).
    pub route_names: Vec<String>,
    /// Route index in the target API, per workload route.
    pub route_api_index: Vec<u16>,
    /// Counters.
    pub counters: ClientCounters,
    /// Per route tallies. (The workload's latency is the merge of its
    /// routes', made once at the end rather than recorded twice per
    /// request.)
    pub routes: Vec<RouteTally>,
    /// Latency of succeeded requests that met a cold start on the way.
    pub cold_latency: LatencyHistogram,
    /// p50 and p99 per series interval (every request, warm-up included).
    pub quantiles: IntervalQuantiles,
    /// Series handles.
    pub series: ClientSeries,
    /// Where the clients are.
    pub location: Option<model::geo::Location>,
    /// Network round trip added to every attempt \[ns\] (0 without a
    /// location; set by the build from the target's Region).
    pub rtt: SimDuration,
    arrival: Arrival,
    /// End of the simulation: no arrival is drawn past it.
    end: SimTime,
    route_cdf: Vec<f64>,
    retry: Option<(u32, Dist)>,
    arrivals_rng: SimRng,
    rng: SimRng,
    /// The trace being replayed (`trace(...)` arrivals), boxed so that a
    /// workload without one stays small.
    trace: Option<Box<TraceReader>>,
    /// Why the trace could not be opened when the run was built.
    trace_open: Option<TraceError>,
}

impl Client {
    /// Builds a workload's state.
    pub fn new(
        cfg: &model::Workload,
        route_names: Vec<String>,
        arrivals_rng: SimRng,
        rng: SimRng,
        series: ClientSeries,
        quantiles: IntervalQuantiles,
        end: SimTime,
    ) -> Self {
        let mut acc = 0.0;
        let mut route_cdf: Vec<f64> = cfg
            .routes
            .iter()
            .map(|(_, p)| {
                acc += p;
                acc
            })
            .collect();
        if let Some(last) = route_cdf.last_mut() {
            *last = f64::INFINITY;
        }
        let n = route_names.len().max(1);
        Self {
            name: cfg.name.clone(),
            target: cfg.target,
            route_api_index: cfg.routes.iter().map(|(r, _)| *r as u16).collect(),
            route_names,
            counters: ClientCounters::default(),
            routes: (0..n).map(|_| RouteTally::default()).collect(),
            cold_latency: LatencyHistogram::new(),
            quantiles,
            series,
            location: cfg.location,
            rtt: 0,
            arrival: cfg.arrival.clone(),
            end,
            route_cdf,
            retry: cfg
                .retry
                .as_ref()
                .map(|r| (r.max_attempts, r.backoff.clone())),
            arrivals_rng,
            rng,
            trace: None,
            trace_open: None,
        }
    }

    /// Replays `trace` instead of drawing arrivals (or, when it could not
    /// be opened, sends nothing and reports the error).
    pub fn set_trace(&mut self, trace: Result<TraceReader, TraceError>) {
        match trace {
            Ok(r) => self.trace = Some(Box::new(r)),
            Err(e) => self.trace_open = Some(e),
        }
    }

    /// The problem that ended this workload's trace replay, if any.
    pub fn trace_error(&self) -> Option<&TraceError> {
        self.trace_open
            .as_ref()
            .or_else(|| self.trace.as_ref().and_then(|t| t.error()))
    }

    /// Bytes held by the latency histograms.
    pub fn footprint(&self) -> usize {
        self.routes
            .iter()
            .map(|r| r.latency.footprint())
            .sum::<usize>()
            + self.cold_latency.footprint()
            + self.quantiles.footprint()
    }

    /// Latency of all succeeded requests: the routes' histograms merged.
    pub fn latency(&self) -> LatencyHistogram {
        let mut all = LatencyHistogram::new();
        for r in &self.routes {
            all.merge(&r.latency);
        }
        all
    }

    /// When the next request arrives after `now`; `None` if not by the end
    /// of the simulation.
    #[inline]
    pub fn next_arrival(&mut self, now: SimTime) -> Option<SimTime> {
        if let Some(t) = &mut self.trace {
            return t.next_after(now, self.end, &mut self.arrivals_rng);
        }
        self.arrival
            .next_after(now, self.end, &mut self.arrivals_rng)
    }

    /// Whether the workload replays a trace.
    #[inline(always)]
    pub fn replays(&self) -> bool {
        self.trace.is_some()
    }

    /// [`Client::next_arrival`] of a workload that draws its arrivals.
    #[inline(always)]
    pub fn next_drawn(&mut self, now: SimTime) -> Option<SimTime> {
        self.arrival
            .next_after(now, self.end, &mut self.arrivals_rng)
    }

    /// The route of the trace row being handled and the duration it gives
    /// (\[µs\], or [`NO_DURATION`]); the route mix when the row names none.
    pub fn trace_route(&mut self) -> (u16, u32) {
        let row = self.trace.as_ref().map(|t| t.current());
        match row {
            Some(r) if r.route != NO_ROUTE => (r.route, r.duration_us),
            Some(r) => (self.pick_route(), r.duration_us),
            None => (self.pick_route(), NO_DURATION),
        }
    }

    /// Draws a route (index into this workload's routes).
    #[inline]
    pub fn pick_route(&mut self) -> u16 {
        if self.route_cdf.len() <= 1 {
            return 0;
        }
        let u: f64 = self.rng.random();
        self.route_cdf.partition_point(|&c| c <= u) as u16
    }

    /// After attempt number `attempt` (1-based) ended in `outcome`: the
    /// delay before the next attempt, or `None` if the client stops.
    #[inline]
    pub fn retry_after(&mut self, outcome: Outcome, attempt: u32) -> Option<SimDuration> {
        if outcome.is_ok() {
            return None;
        }
        let (max, backoff) = self.retry.as_ref()?;
        // The error travels back and the retry out again: one more round
        // trip of the network besides the backoff.
        (attempt < *max).then(|| backoff.sample_ns(&mut self.rng) + self.rtt)
    }

    /// Records a final outcome of a measured request that took `latency`.
    #[inline]
    pub fn finish(&mut self, route: u16, outcome: Outcome, latency: SimDuration, cold: bool) {
        let c = &mut self.counters;
        c.in_flight -= 1;
        c.by_outcome[outcome.index()] += 1;
        let r = &mut self.routes[route as usize];
        if outcome.is_ok() {
            r.latency.record(latency);
            r.succeeded += 1;
            if cold {
                self.cold_latency.record(latency);
            }
        } else {
            c.count_cause(outcome);
        }
    }
}
