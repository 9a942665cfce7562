//! An API's figures and its rows of the text summary.

use indexmap::IndexMap;
use serde::Serialize;

use super::ApiGateway;
use crate::metrics::text::{thousands, Table};
use crate::model::ApiType;
use crate::services::Outcome;

/// An API Gateway's figures.
#[derive(Clone, Debug, Serialize)]
pub struct ApiStats {
    /// Requests received (billed).
    pub requests: u64,
    /// Rejected by the token bucket (429).
    pub throttled: u64,
    /// Answered from the response cache.
    pub cache_hits: u64,
    /// Responses by status code.
    pub status: IndexMap<String, u64>,
    /// `"rest"` or `"http"` (for pricing).
    pub kind: ApiType,
    /// Cache size \[GB\], 0 without cache (for pricing).
    pub cache_size_gb: f64,
}

impl Default for ApiStats {
    fn default() -> Self {
        Self {
            requests: 0,
            throttled: 0,
            cache_hits: 0,
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
    ApiStats {
        requests: a.counters.requests,
        throttled: a.counters.throttled,
        cache_hits: a.counters.cache_hits,
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
