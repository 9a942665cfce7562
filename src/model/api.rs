//! `[[api]]`: an API Gateway (REST or HTTP), its routes and cache.

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

/// API Gateway flavour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiType {
    /// REST API (v1).
    Rest,
    /// HTTP API (v2).
    Http,
}

/// `[[api]]`: an API Gateway.
#[derive(Clone, Debug)]
pub struct Api {
    /// Unique name.
    pub name: String,
    /// REST or HTTP.
    pub kind: ApiType,
    /// The stage's throttle (`rate_limit`, `burst`), checked besides the
    /// account's; `None`: only the account bucket applies.
    pub stage: Option<Throttle>,
    /// Integration timeout \[ns\].
    pub timeout: SimDuration,
    /// Gateway overhead added to every request \[s\].
    pub latency: Dist,
    /// The authorizer; `None`: no authorizer.
    pub auth: Option<Auth>,
    /// Response cache; `None`: no cache.
    pub cache: Option<ApiCache>,
    /// A usage plan whose API keys the callers are spread over; `None`: no
    /// API keys.
    pub usage_plan: Option<UsagePlan>,
    /// Routes, in file order.
    pub routes: Vec<ApiRoute>,
    /// The Region of its stage (`region`); `None`: the home Region. Its
    /// routes' functions are in the same Region (docs/model.md, "Global
    /// users and global tables").
    pub region: Option<super::geo::Region>,
}

/// API Gateway response cache.
#[derive(Clone, Debug)]
pub struct ApiCache {
    /// Time to live \[ns\].
    pub ttl: SimDuration,
    /// What decides a hit: a fixed fraction of cacheable (GET) requests,
    /// or the popularity of the requested resources, with the TTL.
    pub hits: CacheHits,
    /// Latency of a cache hit \[s\].
    pub hit_latency: Dist,
    /// Provisioned cache size \[GB\] (for cost).
    pub size_gb: f64,
}

/// How a cache's hits arise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CacheHits {
    /// This fraction of lookups hit (the hit ratio is an input).
    Fixed(f64),
    /// The requested resources follow this key model; a lookup hits when
    /// its resource was fetched less than the TTL ago (the hit ratio
    /// emerges, `services::cache`).
    Keys(crate::dist::keys::Keys),
}

/// One API route.
#[derive(Clone, Debug)]
pub struct ApiRoute {
    /// `"GET /todos"`.
    pub route: String,
    /// The integration: a `[[lambda]]` index.
    pub target: usize,
    /// Whether the response cache applies (GET routes when a cache exists).
    pub cacheable: bool,
    /// The route's (method's) own throttle, checked besides the stage's
    /// and the account's; `None`: none.
    pub limit: Option<Throttle>,
    /// Size of a successful response sent to the internet \[KB\] (1 KB =
    /// 1,024 bytes), for data transfer out.
    pub response_kb: f64,
}

impl ApiRoute {
    /// A route with no throttle of its own and the default response size.
    pub fn new(route: &str, target: usize, cacheable: bool) -> Self {
        Self {
            route: route.into(),
            target,
            cacheable,
            limit: None,
            response_kb: DEFAULT_RESPONSE_KB,
        }
    }
}

/// A token bucket's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throttle {
    /// Refill rate [requests/s].
    pub rate: f64,
    /// Bucket size \[requests\].
    pub burst: f64,
}

/// An API's authorizer.
#[derive(Clone, Debug)]
pub enum Auth {
    /// An authorizer API Gateway runs itself (a Cognito user-pool or JWT
    /// authorizer): a latency, and optionally the user pool's monthly
    /// active users for the bill.
    Builtin {
        /// Latency added to every admitted request \[s\].
        latency: Dist,
        /// The Cognito user pool behind it, when priced.
        cognito: Option<Cognito>,
    },
    /// A Lambda authorizer: a synchronous invoke of `function` before the
    /// integration, its result cached per identity for `cache_ttl`.
    Lambda {
        /// The authorizer function: a `[[lambda]]` index.
        function: usize,
        /// How long a result is cached per identity \[ns\]; 0: no cache.
        cache_ttl: SimDuration,
        /// Distinct caller identities (tokens), each request from one
        /// drawn uniformly.
        identities: u32,
    },
}

/// A Cognito user pool, for its monthly-active-user charge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cognito {
    /// Feature plan.
    pub plan: CognitoPlan,
    /// Monthly active users.
    pub mau: f64,
}

/// Cognito feature plans (aws-facts 10.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CognitoPlan {
    /// Lite.
    Lite,
    /// Essentials (the default for new pools).
    Essentials,
    /// Plus.
    Plus,
}

/// A usage plan: its API keys, and per key a token bucket and a quota.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UsagePlan {
    /// API keys; each request carries one drawn uniformly.
    pub keys: u32,
    /// Per-key throttle; `None`: no per-key throttle.
    pub limit: Option<Throttle>,
    /// Per-key quota: (requests, period); `None`: no quota.
    pub quota: Option<(u64, QuotaPeriod)>,
}

/// The period over which a usage-plan quota counts (AWS: DAY, WEEK,
/// MONTH). Periods start at t = 0 of the run; a month is 730 h.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaPeriod {
    /// 24 h.
    Day,
    /// 7 days.
    Week,
    /// 730 h (the month slsim prices with).
    Month,
}

impl QuotaPeriod {
    /// Length \[ns\].
    pub fn length(self) -> SimDuration {
        match self {
            QuotaPeriod::Day => 86_400 * SECONDS,
            QuotaPeriod::Week => 7 * 86_400 * SECONDS,
            QuotaPeriod::Month => 730 * 3600 * SECONDS,
        }
    }
}

/// Default account-level rate \[requests/s\]: 10,000 RPS per account and
/// Region, shared by every API (aws-facts 4, 10.5).
pub const DEFAULT_RATE_LIMIT: f64 = 10_000.0;
/// Default account-level bucket \[requests\]: 5,000 (aws-facts 4, 10.5).
pub const DEFAULT_BURST: f64 = 5_000.0;
/// Default response size \[KB\]: 1 KB, an ASSUMPTION (a small JSON
/// document; AWS has no typical figure). Set `response_kb` per route.
pub const DEFAULT_RESPONSE_KB: f64 = 1.0;
/// Default Lambda-authorizer result cache TTL \[ns\] (aws-facts 10.5:
/// REST default 300 s, 0 = off, at most 3,600 s).
pub const DEFAULT_AUTH_CACHE_TTL: SimDuration = 300 * SECONDS;
/// Default number of caller identities of a Lambda authorizer: 1,000, an
/// ASSUMPTION; set `identities`.
pub const DEFAULT_IDENTITIES: u32 = 1000;
/// Default response-cache TTL \[ns\] (aws-facts 4: 300 s, at most 3,600 s).
pub const DEFAULT_CACHE_TTL: SimDuration = 300 * SECONDS;
/// Longest response-cache TTL \[ns\] (aws-facts 4).
pub const MAX_CACHE_TTL: SimDuration = 3600 * SECONDS;
/// Default cache size \[GB\]: the smallest AWS offers (aws-facts 4).
pub const DEFAULT_CACHE_SIZE_GB: f64 = 0.5;

impl ApiType {
    /// The default integration timeout, the longest allowed \[ns\] and its
    /// text (aws-facts 4: REST 29 s by default, raisable to 300 s since
    /// 2024-06; HTTP at most 30 s).
    pub fn timeouts(self) -> (SimDuration, SimDuration, &'static str) {
        match self {
            ApiType::Rest => (29 * SECONDS, 300 * SECONDS, "300s"),
            ApiType::Http => (30 * SECONDS, 30 * SECONDS, "30s"),
        }
    }
}

impl ApiType {
    /// Default gateway overhead, an ASSUMPTION (aws-facts 4: AWS publishes
    /// no figure; secondary pages claim 10-50 ms; aws-facts 10.5: HTTP APIs
    /// have "up to 60 % lower latency" and a p99 added overhead < 10 ms).
    /// HTTP: lognormal, median 4 ms, p99 9 ms (under AWS's 10 ms p99).
    /// REST: median 10 ms (HTTP's = 60 % lower), p99 25 ms: the low end of
    /// the secondary 10-50 ms claims. Lambda invoke overhead is included:
    /// the fact sheet gives no separate figure.
    pub fn default_overhead(self) -> Dist {
        match self {
            ApiType::Rest => Dist::lognormal_median_p99(0.010, 0.025),
            ApiType::Http => Dist::lognormal_median_p99(0.004, 0.009),
        }
    }
}

impl Auth {
    /// Default latency of an authorizer API Gateway runs itself (Cognito
    /// JWT check): median 5 ms, an ASSUMPTION (AWS publishes none).
    pub fn default_builtin_latency() -> Dist {
        Dist::lognormal_median_sigma(0.005, 0.4)
    }
}

impl ApiCache {
    /// Default latency of a cache hit: median 2 ms. An assumption: AWS
    /// publishes none.
    pub fn default_hit_latency() -> Dist {
        Dist::lognormal_median_sigma(0.002, 0.3)
    }
}

impl Api {
    /// An API with every setting at its default (as if the `[[api]]` gave
    /// only `name`, `type` and `routes`): no stage limits (the account's
    /// apply), the type's default overhead ([`ApiType::default_overhead`]).
    pub fn new(name: &str, kind: ApiType, routes: Vec<ApiRoute>) -> Self {
        Self {
            name: name.into(),
            kind,
            stage: None,
            timeout: kind.timeouts().0,
            latency: kind.default_overhead(),
            auth: None,
            cache: None,
            usage_plan: None,
            routes,
            region: None,
        }
    }
}
