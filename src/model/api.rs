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
    /// Token-bucket refill rate [requests/s].
    pub rate_limit: f64,
    /// Token-bucket size \[requests\].
    pub burst: f64,
    /// Integration timeout \[ns\].
    pub timeout: SimDuration,
    /// Gateway overhead added to every request \[s\].
    pub latency: Dist,
    /// Authorizer latency \[s\]; `None`: no authorizer.
    pub auth: Option<Dist>,
    /// Response cache; `None`: no cache.
    pub cache: Option<ApiCache>,
    /// Routes, in file order.
    pub routes: Vec<ApiRoute>,
}

/// API Gateway response cache.
#[derive(Clone, Debug)]
pub struct ApiCache {
    /// Time to live \[ns\].
    pub ttl: SimDuration,
    /// Fraction of cacheable (GET) requests answered from the cache.
    pub hit_ratio: f64,
    /// Latency of a cache hit \[s\].
    pub hit_latency: Dist,
    /// Provisioned cache size \[GB\] (for cost).
    pub size_gb: f64,
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
}

/// Default token-bucket rate \[requests/s\]: the account-level 10,000 RPS
/// (aws-facts 4).
pub const DEFAULT_RATE_LIMIT: f64 = 10_000.0;
/// Default token-bucket size \[requests\]: the account-level burst of 5,000
/// (aws-facts 4).
pub const DEFAULT_BURST: f64 = 5_000.0;
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

impl ApiCache {
    /// Default latency of a cache hit: median 2 ms. An assumption: AWS
    /// publishes none.
    pub fn default_hit_latency() -> Dist {
        Dist::lognormal_median_sigma(0.002, 0.3)
    }
}

impl Api {
    /// An API with every setting at its default (as if the `[[api]]` gave
    /// only `name`, `type` and `routes`). Gateway overhead defaults to 0:
    /// AWS publishes no figure (aws-facts 4, UNCONFIRMED).
    pub fn new(name: &str, kind: ApiType, routes: Vec<ApiRoute>) -> Self {
        Self {
            name: name.into(),
            kind,
            rate_limit: DEFAULT_RATE_LIMIT,
            burst: DEFAULT_BURST,
            timeout: kind.timeouts().0,
            latency: Dist::constant(0.0),
            auth: None,
            cache: None,
            routes,
        }
    }
}
