//! Amazon API Gateway: throttling by token buckets checked in AWS's order
//! (a usage plan's per-key bucket and quota, the route's, the stage's, then
//! the account's per Region, shared by every API) that answer 429 when
//! empty; the gateway overhead; an authorizer (a latency, or a Lambda
//! function invoked synchronously with its results cached per identity);
//! an optional response cache for GET routes; and an integration timeout
//! (504). Lambda throttles become 500, function errors 502, authorizer
//! failures 500 (aws-facts 4).
//!
//! Must not know: TOML, how a function runs (it calls `lambda::invoke`).

use rand::Rng;

pub mod cost;
mod flow;
mod stats;

pub use flow::{call, DEADLINE};
pub use stats::ApiStats;

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::SeriesId;
use crate::metrics::SeriesRecorder;
use crate::model::{self, ApiType};
use crate::services::cache::TtlCache;
use crate::services::caches::{CacheFigures, CacheSeries};
use crate::services::deadlines::Deadlines;
use crate::services::token_bucket::TokenBucket;
use crate::services::{registry::index_by, Outcome};

/// Which bucket rejected a request (429), in the order API Gateway checks
/// them (aws-facts 4: usage plan per key, then per method, then the
/// stage, then the account per Region).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ThrottledBy {
    /// The API key's token bucket.
    Key,
    /// The API key's quota for the period.
    Quota,
    /// The route's (method's) bucket.
    Route,
    /// The stage's bucket.
    Stage,
    /// The account's bucket, shared by every API.
    Account,
}

impl ThrottledBy {
    /// Every cause, in checking order.
    pub const ALL: [ThrottledBy; 5] = [
        ThrottledBy::Key,
        ThrottledBy::Quota,
        ThrottledBy::Route,
        ThrottledBy::Stage,
        ThrottledBy::Account,
    ];

    /// Name in `summary.json`.
    pub fn name(self) -> &'static str {
        match self {
            ThrottledBy::Key => "api_key",
            ThrottledBy::Quota => "quota",
            ThrottledBy::Route => "route",
            ThrottledBy::Stage => "stage",
            ThrottledBy::Account => "account",
        }
    }
}

/// What API Gateway does with a request it has admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// Rejected by a token bucket or a quota (429).
    Throttled(ThrottledBy),
    /// Answered from the cache after this delay (overhead, authorizer, cache
    /// hit) \[ns\].
    CacheHit(SimDuration),
    /// Forwarded to the integration after this delay (overhead +
    /// authorizer) \[ns\].
    Integrate(SimDuration),
    /// The Lambda authorizer is invoked for `identity` after this delay
    /// (overhead) \[ns\]: no cached result.
    Authorize(SimDuration, u32),
}

/// Time-series handles of an API (per interval, warm-up included).
#[derive(Clone, Copy, Debug)]
pub struct ApiSeries {
    /// Requests received \[requests/s\].
    pub requests: SeriesId,
    /// Requests answered 429 by a token bucket or a quota \[requests/s\].
    pub throttled: SeriesId,
}

/// Counters over the measured window.
#[derive(Clone, Debug)]
pub struct ApiCounters {
    /// Requests received.
    pub requests: u64,
    /// 429s from a token bucket or a quota.
    pub throttled: u64,
    /// 429s by cause, by [`ThrottledBy`] as index.
    pub throttled_by: [u64; 5],
    /// Cache hits.
    pub cache_hits: u64,
    /// Lookups in the response cache (cacheable requests admitted).
    pub cache_lookups: u64,
    /// Lambda-authorizer invocations.
    pub auth_invokes: u64,
    /// Lambda-authorizer results served from the authorizer cache.
    pub auth_cache_hits: u64,
    /// Responses by outcome, by [`Outcome::index`].
    pub by_outcome: [u64; Outcome::COUNT],
    /// Successful responses per route sent to the internet (not to
    /// CloudFront), for data transfer out.
    pub route_ok: Vec<u64>,
}

impl ApiCounters {
    fn new(routes: usize) -> Self {
        Self {
            requests: 0,
            throttled: 0,
            throttled_by: [0; 5],
            cache_hits: 0,
            cache_lookups: 0,
            auth_invokes: 0,
            auth_cache_hits: 0,
            by_outcome: [0; Outcome::COUNT],
            route_ok: vec![0; routes],
        }
    }
}

/// The response cache: what decides a hit, and the hit latency.
struct ResponseCache {
    hits: Hits,
    latency: Dist,
    /// Figures in the `caches` section.
    figures: CacheFigures,
    /// Its series (set by the build).
    series: Option<CacheSeries>,
    /// Routes of the API (a cache entry is a resource of one route).
    routes: u64,
}

enum Hits {
    Fixed(f64),
    Ttl(TtlCache, crate::dist::keys::Keys),
}

impl ResponseCache {
    /// The cache `c` of `api`. With a key model, its capacity in entries
    /// is the cache size over the largest cacheable response (at least
    /// 1 KB) **\[A\]**: API Gateway publishes sizes in GB, not entries.
    fn new(c: &model::ApiCache, api: &model::Api) -> Self {
        let hits = match c.hits {
            model::CacheHits::Fixed(h) => Hits::Fixed(h),
            model::CacheHits::Keys(k) => {
                let kb = api
                    .routes
                    .iter()
                    .filter(|r| r.cacheable)
                    .map(|r| r.response_kb)
                    .fold(1.0, f64::max);
                let entries = (c.size_gb * 1024.0 * 1024.0 / kb).clamp(1.0, f64::from(u32::MAX));
                Hits::Ttl(TtlCache::new(c.ttl, entries as u32), k)
            }
        };
        Self {
            hits,
            latency: c.hit_latency.clone(),
            figures: CacheFigures::default(),
            series: None,
            routes: api.routes.len().max(1) as u64,
        }
    }
}

/// Where an API Gateway call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// The pending step invokes the Lambda authorizer.
    Authorize,
    /// Waiting for the authorizer's answer.
    Authorizing,
    /// Answered from the cache: the pending step finishes the call.
    CacheHit,
    /// The pending step starts the integration.
    Integrate,
    /// The integration has started.
    Integrating,
}

/// An API Gateway call in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct ApiCall {
    /// API index.
    pub api: u16,
    /// Route index in the API.
    pub route: u16,
    /// Where the call is.
    pub phase: Phase,
    /// The caller's identity (Lambda authorizer cache slot).
    pub identity: u32,
}

/// A Lambda authorizer's runtime state.
pub struct LambdaAuth {
    /// The authorizer function's index.
    pub function: u16,
    /// Result cache TTL \[ns\]; 0: no cache.
    ttl: SimDuration,
    /// Per identity: when its cached result expires \[ns\] (0: none).
    expires: Vec<SimTime>,
}

/// A usage plan's per-key state.
struct Keys {
    buckets: Vec<TokenBucket>,
    /// Per key: (quota period index, requests admitted in it).
    used: Vec<(u64, u64)>,
    /// (quota per period, period length \[ns\]).
    quota: Option<(u64, SimDuration)>,
    rng: SimRng,
}

/// Every API.
pub struct Apis {
    /// In model order.
    pub list: Vec<ApiGateway>,
    /// The account-level bucket per Region, shared by every API.
    pub account: TokenBucket,
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
    /// Its time series.
    pub series: ApiSeries,
    /// Integration deadlines of calls whose route needs a timer.
    pub deadlines: Deadlines,
    /// Per route: size of a successful response \[KB\].
    pub route_response_kb: Vec<f64>,
    /// The Cognito user pool behind the authorizer, for the bill.
    pub cognito: Option<model::Cognito>,
    /// The Lambda authorizer, if any.
    pub lambda_auth: Option<LambdaAuth>,
    stage: Option<TokenBucket>,
    route_buckets: Vec<Option<TokenBucket>>,
    keys: Option<Keys>,
    latency: Dist,
    auth: Option<Dist>,
    cache: Option<ResponseCache>,
    route_cacheable: Vec<bool>,
    keys_n: u32,
    identities: u32,
    warmup: SimTime,
    rng: SimRng,
}

impl ApiGateway {
    /// Bytes allocated for calls in progress.
    pub fn footprint(&self) -> usize {
        self.deadlines.footprint()
            + match &self.cache {
                Some(ResponseCache {
                    hits: Hits::Ttl(c, _),
                    ..
                }) => c.footprint(),
                _ => 0,
            }
    }

    /// Builds an API's state. `max_call_ns[f]` bounds how long a call to
    /// function `f` can take before the function itself ends it.
    pub fn new(
        cfg: &model::Api,
        rng: SimRng,
        key_rng: SimRng,
        max_call_ns: &[SimDuration],
        warmup: SimTime,
        series: ApiSeries,
    ) -> Self {
        let bucket = |t: &model::Throttle| TokenBucket::full(t.rate, t.burst);
        let (auth, cognito, lambda_auth) = match &cfg.auth {
            None => (None, None, None),
            Some(model::Auth::Builtin { latency, cognito }) => {
                (Some(latency.clone()), *cognito, None)
            }
            Some(model::Auth::Lambda {
                function,
                cache_ttl,
                identities,
            }) => (
                None,
                None,
                Some(LambdaAuth {
                    function: *function as u16,
                    ttl: *cache_ttl,
                    expires: if *cache_ttl > 0 {
                        vec![0; *identities as usize]
                    } else {
                        Vec::new()
                    },
                }),
            ),
        };
        let keys = cfg.usage_plan.map(|u| Keys {
            buckets: u
                .limit
                .map_or_else(Vec::new, |t| vec![bucket(&t); u.keys as usize]),
            used: if u.quota.is_some() {
                vec![(0, 0); u.keys as usize]
            } else {
                Vec::new()
            },
            quota: u.quota.map(|(q, p)| (q, p.length())),
            rng: key_rng,
        });
        let keys_n = cfg.usage_plan.map_or(0, |u| u.keys);
        let identities = match &cfg.auth {
            Some(model::Auth::Lambda { identities, .. }) => *identities,
            _ => 0,
        };
        Self {
            series,
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
            counters: ApiCounters::new(cfg.routes.len()),
            deadlines: Deadlines::default(),
            route_response_kb: cfg.routes.iter().map(|r| r.response_kb).collect(),
            cognito,
            lambda_auth,
            stage: cfg.stage.as_ref().map(bucket),
            route_buckets: cfg
                .routes
                .iter()
                .map(|r| r.limit.as_ref().map(bucket))
                .collect(),
            keys,
            keys_n,
            identities,
            warmup,
            latency: cfg.latency.clone(),
            auth,
            cache: cfg.cache.as_ref().map(|c| ResponseCache::new(c, cfg)),
            route_cacheable: cfg.routes.iter().map(|r| r.cacheable).collect(),
            rng,
        }
    }

    /// A request for `route` arrives at `now`: the throttles (usage plan,
    /// route, stage, then the `account`'s shared bucket), then the
    /// overhead, the authorizer and the response cache.
    #[inline]
    pub fn admit(
        &mut self,
        route: usize,
        now: SimTime,
        account: &mut TokenBucket,
        rec: &mut SeriesRecorder,
    ) -> Admit {
        if let Err(by) = self.throttle(route, now, account) {
            return Admit::Throttled(by);
        }
        let overhead = if self.latency.is_zero() {
            0
        } else {
            self.latency.sample_ns(&mut self.rng)
        };
        // The authorizer runs before the cache lookup: cached responses
        // are only served to authorised callers.
        let auth = match (&self.auth, &mut self.lambda_auth) {
            (Some(d), _) => d.sample_ns(&mut self.rng),
            (None, Some(la)) => {
                let identity = self.rng.random_range(0..self.identities.max(1));
                if la.ttl == 0 || la.expires[identity as usize] <= now {
                    return Admit::Authorize(overhead, identity);
                }
                if now >= self.warmup {
                    self.counters.auth_cache_hits += 1;
                }
                0
            }
            (None, None) => 0,
        };
        let before = overhead.saturating_add(auth);
        match self.cache_lookup(route, now, rec) {
            Some(hit) => Admit::CacheHit(before.saturating_add(hit)),
            None => Admit::Integrate(before),
        }
    }

    /// Whether a cacheable route's response comes from the cache at
    /// `now`: the hit latency \[ns\] if so.
    #[inline]
    pub fn cache_lookup(
        &mut self,
        route: usize,
        now: SimTime,
        rec: &mut SeriesRecorder,
    ) -> Option<SimDuration> {
        let Self {
            cache,
            rng,
            route_cacheable,
            route_response_kb,
            counters,
            warmup,
            ..
        } = self;
        if !route_cacheable[route] {
            return None;
        }
        let c = cache.as_mut()?;
        let hit = match &mut c.hits {
            Hits::Fixed(h) => rng.random::<f64>() < *h,
            Hits::Ttl(ttl, keys) => match keys.sample_rank(rng) {
                // One entry per (resource, route).
                Some(rank) => ttl.lookup(now, rank * c.routes + route as u64),
                None => false,
            },
        };
        if let Some(s) = &c.series {
            s.lookup(rec, now, hit);
            if !hit {
                s.origin(rec, now);
            }
        }
        if now >= *warmup {
            counters.cache_lookups += 1;
            counters.cache_hits += u64::from(hit);
            let kb = route_response_kb[route];
            c.figures.lookup(hit, kb);
            if !hit {
                c.figures.origin(kb);
            }
        }
        hit.then(|| c.latency.sample_ns(rng))
    }

    /// Sets the response cache's series (nothing without a cache).
    pub fn set_cache_series(&mut self, series: CacheSeries) {
        if let Some(c) = &mut self.cache {
            c.series = Some(series);
        }
    }

    /// The response cache's figures: whether its hit ratio emerges, and
    /// its counters; `None` without a cache.
    pub fn cache_figures(&self) -> Option<(bool, CacheFigures)> {
        self.cache
            .as_ref()
            .map(|c| (matches!(c.hits, Hits::Ttl(..)), c.figures))
    }

    /// Computes the cache's hit-ratio series (at the end of the run).
    pub fn finish_cache(&self, rec: &mut SeriesRecorder) {
        if let Some(s) = self.cache.as_ref().and_then(|c| c.series.as_ref()) {
            s.finish(rec);
        }
    }

    /// The authorizer allowed `identity` at `now`: caches the result.
    #[inline]
    pub fn authorized(&mut self, identity: u32, now: SimTime) {
        if let Some(la) = &mut self.lambda_auth {
            if la.ttl > 0 {
                la.expires[identity as usize] = now.saturating_add(la.ttl);
            }
        }
    }

    /// Checks every bucket that applies and takes a token from each only
    /// if all admit (a rejected request consumes nothing): O(1).
    #[inline]
    fn throttle(
        &mut self,
        route: usize,
        now: SimTime,
        account: &mut TokenBucket,
    ) -> Result<(), ThrottledBy> {
        let mut key = usize::MAX;
        if let Some(k) = &mut self.keys {
            key = k.rng.random_range(0..self.keys_n.max(1)) as usize;
            if let Some((quota, len)) = k.quota {
                let period = now / len.max(1);
                let used = &mut k.used[key];
                if used.0 != period {
                    *used = (period, 0);
                }
                if used.1 >= quota {
                    return Err(ThrottledBy::Quota);
                }
            }
            if let Some(b) = k.buckets.get_mut(key) {
                if !b.has(now, 1.0) {
                    return Err(ThrottledBy::Key);
                }
            }
        }
        if let Some(b) = &mut self.route_buckets[route] {
            if !b.has(now, 1.0) {
                return Err(ThrottledBy::Route);
            }
        }
        if let Some(b) = &mut self.stage {
            if !b.has(now, 1.0) {
                return Err(ThrottledBy::Stage);
            }
        }
        if !account.has(now, 1.0) {
            return Err(ThrottledBy::Account);
        }
        account.take(1.0);
        if let Some(b) = &mut self.stage {
            b.take(1.0);
        }
        if let Some(b) = &mut self.route_buckets[route] {
            b.take(1.0);
        }
        if let Some(k) = &mut self.keys {
            if let Some(b) = k.buckets.get_mut(key) {
                b.take(1.0);
            }
            if let Some(u) = k.used.get_mut(key) {
                u.1 += 1;
            }
        }
        Ok(())
    }
}
