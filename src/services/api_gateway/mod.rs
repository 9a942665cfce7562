//! Amazon API Gateway: a token bucket (`rate_limit`, `burst`) that answers
//! 429 when empty, an optional authorizer, an optional response cache for
//! GET routes, and an integration timeout (504). Lambda throttles become
//! 500 and function errors 502 (aws-facts §4).

use rand::Rng;

pub mod cost;
mod flow;
mod stats;

pub use flow::{call, DEADLINE};
pub use stats::ApiStats;

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::model::{self, ApiType};
use crate::services::deadlines::Deadlines;
use crate::services::token_bucket::TokenBucket;
use crate::services::{registry::index_by, Outcome};

/// What API Gateway does with a request it has admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// Rejected by the token bucket (429).
    Throttled,
    /// Answered from the cache after this delay (overhead, authorizer, cache
    /// hit) \[ns\].
    CacheHit(SimDuration),
    /// Forwarded to the integration after this delay (overhead +
    /// authorizer) \[ns\].
    Integrate(SimDuration),
}

/// Counters over the measured window.
#[derive(Clone, Debug)]
pub struct ApiCounters {
    /// Requests received.
    pub requests: u64,
    /// 429s from the token bucket.
    pub throttled: u64,
    /// Cache hits.
    pub cache_hits: u64,
    /// Responses by outcome, by [`Outcome::index`].
    pub by_outcome: [u64; Outcome::COUNT],
}

impl Default for ApiCounters {
    fn default() -> Self {
        Self {
            requests: 0,
            throttled: 0,
            cache_hits: 0,
            by_outcome: [0; Outcome::COUNT],
        }
    }
}

/// An API Gateway call in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct ApiCall {
    /// API index.
    pub api: u16,
    /// Route index in the API.
    pub route: u16,
    /// Answered from the cache: the pending step finishes the call.
    pub cache_hit: bool,
    /// The integration has started.
    pub integrating: bool,
}

/// Every API.
pub struct Apis {
    /// In model order.
    pub list: Vec<ApiGateway>,
}

index_by!(Apis, list, ApiGateway);

/// An API Gateway's runtime state.
pub struct ApiGateway {
    /// Name.
    pub name: String,
    /// REST or HTTP.
    pub kind: ApiType,
    /// Response cache size \[GB\]; 0 without a cache.
    pub cache_size_gb: f64,
    /// Integration timeout \[ns\].
    pub timeout: SimDuration,
    /// Per route: whether an integration timeout can fire before the
    /// function's own limits end the call (if not, no timer is scheduled).
    pub route_needs_timer: Vec<bool>,
    /// Per route: target function index.
    pub route_target: Vec<u16>,
    /// Counters.
    pub counters: ApiCounters,
    /// Integration deadlines of calls whose route needs a timer.
    pub deadlines: Deadlines,
    bucket: TokenBucket,
    latency: Dist,
    auth: Option<Dist>,
    cache: Option<(f64, Dist)>,
    route_cacheable: Vec<bool>,
    rng: SimRng,
}

impl ApiGateway {
    /// Bytes allocated for calls in progress.
    pub fn footprint(&self) -> usize {
        self.deadlines.footprint()
    }

    /// Builds an API's state. `max_call_ns[f]` bounds how long a call to
    /// function `f` can take before the function itself ends it.
    pub fn new(cfg: &model::Api, rng: SimRng, max_call_ns: &[SimDuration]) -> Self {
        Self {
            name: cfg.name.clone(),
            kind: cfg.kind,
            cache_size_gb: cfg.cache.as_ref().map_or(0.0, |c| c.size_gb),
            timeout: cfg.timeout,
            route_needs_timer: cfg
                .routes
                .iter()
                .map(|r| max_call_ns[r.target] >= cfg.timeout)
                .collect(),
            route_target: cfg.routes.iter().map(|r| r.target as u16).collect(),
            counters: ApiCounters::default(),
            deadlines: Deadlines::default(),
            bucket: TokenBucket::full(cfg.rate_limit, cfg.burst),
            latency: cfg.latency.clone(),
            auth: cfg.auth.clone(),
            cache: cfg
                .cache
                .as_ref()
                .map(|c| (c.hit_ratio, c.hit_latency.clone())),
            route_cacheable: cfg.routes.iter().map(|r| r.cacheable).collect(),
            rng,
        }
    }

    /// A request for `route` arrives at `now`.
    #[inline]
    pub fn admit(&mut self, route: usize, now: SimTime) -> Admit {
        if !self.bucket.try_take(now, 1.0) {
            return Admit::Throttled;
        }
        let overhead = if self.latency.is_zero() {
            0
        } else {
            self.latency.sample_ns(&mut self.rng)
        };
        // The authorizer runs before the cache lookup: cached responses
        // are only served to authorised callers.
        let auth = match &self.auth {
            Some(d) => d.sample_ns(&mut self.rng),
            None => 0,
        };
        let before = overhead.saturating_add(auth);
        if self.route_cacheable[route] {
            if let Some((hit_ratio, hit_latency)) = &self.cache {
                if self.rng.random::<f64>() < *hit_ratio {
                    return Admit::CacheHit(
                        before.saturating_add(hit_latency.sample_ns(&mut self.rng)),
                    );
                }
            }
        }
        Admit::Integrate(before)
    }
}
