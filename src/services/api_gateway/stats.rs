//! An API's figures and its rows of the text summary.

use indexmap::IndexMap;
use serde::Serialize;

use super::{ApiGateway, ThrottledBy};
use crate::metrics::text::{thousands, Table};
use crate::model::{ApiType, CognitoPlan};
use crate::services::Outcome;

/// An API Gateway's figures.
#[derive(Clone, Debug, Serialize)]
pub struct ApiStats {
    /// Requests received.
    pub requests: u64,
    /// Rejected by a token bucket or a quota (429; not billed).
    pub throttled: u64,
    /// 429s by cause (`api_key`, `quota`, `route`, `stage`, `account`),
    /// the non-zero ones.
    pub throttled_by: IndexMap<String, u64>,
    /// Requests billed: received minus throttled (aws-facts 10.5: requests
    /// API Gateway throttles are not charged).
    pub billed_requests: u64,
    /// Answered from the response cache.
    pub cache_hits: u64,
    /// Cache hits over lookups (cacheable requests admitted); null without
    /// a cache or a lookup.
    pub cache_hit_ratio: Option<f64>,
    /// Lambda-authorizer invocations.
    pub authorizer_invokes: u64,
    /// Lambda-authorizer results taken from the authorizer cache.
    pub authorizer_cache_hits: u64,
    /// Successful responses' bytes sent to the internet \[GB\] (1 GB =
    /// 2^30 bytes).
    pub data_out_gb: f64,
    /// The Cognito user pool's plan, when priced (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognito_plan: Option<CognitoPlan>,
    /// The Cognito user pool's monthly active users, when priced (absent
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognito_mau: Option<f64>,
    /// Responses by status code.
    pub status: IndexMap<String, u64>,
    /// `"rest"` or `"http"` (for pricing).
    pub kind: ApiType,
    /// Cache size \[GB\], 0 without cache (for pricing).
    pub cache_size_gb: f64,
    /// The response cache's figures (whether its hit ratio emerged, and
    /// its counters), reported in the `caches` section.
    #[serde(skip)]
    pub cache: Option<(bool, crate::services::caches::CacheFigures)>,
}

impl Default for ApiStats {
    fn default() -> Self {
        Self {
            requests: 0,
            throttled: 0,
            throttled_by: IndexMap::new(),
            billed_requests: 0,
            cache_hits: 0,
            cache_hit_ratio: None,
            cache: None,
            authorizer_invokes: 0,
            authorizer_cache_hits: 0,
            data_out_gb: 0.0,
            cognito_plan: None,
            cognito_mau: None,
            status: IndexMap::new(),
            kind: ApiType::Rest,
            cache_size_gb: 0.0,
        }
    }
}

/// An API's figures.
pub fn collect(a: &ApiGateway) -> ApiStats {
    let mut status = IndexMap::new();
    for o in Outcome::all() {
        let n = a.counters.by_outcome[o.index()];
        if n > 0 {
            *status.entry(o.api_status().to_string()).or_insert(0) += n;
        }
    }
    let c = &a.counters;
    let kb: f64 = c
        .route_ok
        .iter()
        .zip(&a.route_response_kb)
        .map(|(&n, &kb)| n as f64 * kb)
        .sum();
    ApiStats {
        requests: c.requests,
        throttled: c.throttled,
        throttled_by: ThrottledBy::ALL
            .iter()
            .filter(|b| c.throttled_by[**b as usize] > 0)
            .map(|b| (b.name().to_string(), c.throttled_by[*b as usize]))
            .collect(),
        billed_requests: c.requests - c.throttled,
        cache_hits: c.cache_hits,
        cache: a.cache_figures(),
        cache_hit_ratio: (c.cache_lookups > 0)
            .then(|| c.cache_hits as f64 / c.cache_lookups as f64),
        authorizer_invokes: c.auth_invokes,
        authorizer_cache_hits: c.auth_cache_hits,
        data_out_gb: kb / (1024.0 * 1024.0),
        cognito_plan: a.cognito.map(|x| x.plan),
        cognito_mau: a.cognito.map(|x| x.mau),
        status,
        kind: a.kind,
        cache_size_gb: a.cache_size_gb,
    }
}

/// One row per API.
pub fn text(stats: &IndexMap<String, ApiStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new(["api", "requests", "throttled", "cache hits"]);
    for (name, a) in stats {
        t.row([
            name.clone(),
            thousands(a.requests),
            thousands(a.throttled),
            thousands(a.cache_hits),
        ]);
    }
    t.render(out);
}
