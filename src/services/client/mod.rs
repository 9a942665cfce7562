//! The clients of a workload: arrivals, the route mix, client retries with
//! backoff, and what the client finally saw (latency and end state).

use rand::Rng;

use crate::services::{EndState, Outcome};
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{LatencyHistogram, SeriesId};
use crate::model::{self, Target};
use crate::workload::Arrival;

/// Counters over the measured window (requests that arrived after warm-up).
#[derive(Clone, Debug, Default)]
pub struct ClientCounters {
    /// Requests that arrived.
    pub requests: u64,
    /// Final outcomes, indexed like `Outcome::ALL`.
    pub by_outcome: [u64; 6],
    /// Retries sent.
    pub retries: u64,
    /// Requests not finished yet.
    pub in_flight: u64,
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
    /// Per route: latency of succeeded requests, requests, succeeded.
    /// (The workload's latency is the merge of its routes', made once at
    /// the end rather than recorded twice per request.)
    pub routes: Vec<(LatencyHistogram, u64, u64)>,
    /// Series handles.
    pub series: ClientSeries,
    arrival: Arrival,
    /// End of the simulation: no arrival is drawn past it.
    end: SimTime,
    route_cdf: Vec<f64>,
    retry: Option<(u32, Dist)>,
    arrivals_rng: SimRng,
    rng: SimRng,
}

impl Client {
    /// Builds a workload's state.
    pub fn new(
        cfg: &model::Workload,
        route_names: Vec<String>,
        arrivals_rng: SimRng,
        rng: SimRng,
        series: ClientSeries,
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
            routes: (0..n).map(|_| (LatencyHistogram::new(), 0, 0)).collect(),
            series,
            arrival: cfg.arrival.clone(),
            end,
            route_cdf,
            retry: cfg
                .retry
                .as_ref()
                .map(|r| (r.max_attempts, r.backoff.clone())),
            arrivals_rng,
            rng,
        }
    }

    /// Bytes held by the latency histograms.
    pub fn footprint(&self) -> usize {
        self.routes.iter().map(|(h, _, _)| h.footprint()).sum()
    }

    /// Latency of all succeeded requests: the routes' histograms merged.
    pub fn latency(&self) -> LatencyHistogram {
        let mut all = LatencyHistogram::new();
        for (h, _, _) in &self.routes {
            all.merge(h);
        }
        all
    }

    /// When the next request arrives after `now`; `None` if not by the end
    /// of the simulation.
    #[inline]
    pub fn next_arrival(&mut self, now: SimTime) -> Option<SimTime> {
        self.arrival
            .next_after(now, self.end, &mut self.arrivals_rng)
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
        if outcome == Outcome::Ok {
            return None;
        }
        let (max, backoff) = self.retry.as_ref()?;
        (attempt < *max).then(|| backoff.sample_ns(&mut self.rng))
    }

    /// Records a final outcome of a measured request that took `latency`.
    #[inline]
    pub fn finish(&mut self, route: u16, outcome: Outcome, latency: SimDuration) {
        let c = &mut self.counters;
        c.in_flight -= 1;
        c.by_outcome[outcome as usize] += 1;
        let r = &mut self.routes[route as usize];
        if outcome.end_state() == EndState::Succeeded {
            r.0.record(latency);
            r.2 += 1;
        }
    }
}
