//! A workload's figures and its rows of the text summary.

use indexmap::IndexMap;
use serde::Serialize;

use super::Client;
use crate::metrics::text::{ms, percent, thousands, Table};
use crate::metrics::LatencySummary;
use crate::model::Target;
use crate::services::{Cause, End, Outcome};

/// A workload's requests, by final outcome (after client retries).
///
/// Conservation: `requests = succeeded + throttled + failed + timed_out + in_flight`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorkloadStats {
    /// Requests that arrived in the measured window.
    pub requests: u64,
    /// Ended with a 2xx.
    pub succeeded: u64,
    /// Ended throttled (API 429, or Lambda throttle seen as 429/500).
    pub throttled: u64,
    /// Ended with another error (502, SDK gave up, function error).
    pub failed: u64,
    /// Ended with a timeout (504 or function timeout).
    pub timed_out: u64,
    /// Still in flight when the run ended.
    pub in_flight: u64,
    /// Requests that ended throttled, failed or timed out over requests
    /// that ended: `(throttled + failed + timed_out) / (requests -
    /// in_flight)`; `None` when none ended.
    pub error_ratio: Option<f64>,
    /// Client retries sent.
    pub retries: u64,
    /// Final HTTP status codes (for api targets) or outcome names.
    pub status: IndexMap<String, u64>,
    /// Latency of succeeded requests, first attempt to final response.
    pub latency_ms: LatencySummary,
    /// The same, per route (api targets); key `"-"` for direct invokes.
    pub routes: IndexMap<String, RouteStats>,
    /// Succeeded requests that met a cold start on the way (in any
    /// invocation they caused, in any attempt).
    pub cold_succeeded: u64,
    /// p99 latency of the succeeded requests that met no cold start \[ms\];
    /// `None` without such requests.
    pub p99_warm_ms: Option<f64>,
    /// Where the clients are (`location`); `None`: in the home Region.
    pub location: Option<&'static str>,
    /// Network round trip added to every attempt \[ms\]: the RTT table's
    /// p50 from the location to the target's Region (aws-facts 10.11); 0
    /// without a location.
    pub network_rtt_ms: f64,
    /// Failed requests by final status (as in `status`) and where the
    /// failure began (reported through the findings).
    #[serde(skip)]
    pub causes: Vec<(String, Cause, u64)>,
}

/// Per-route figures of a workload.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RouteStats {
    /// Requests on this route.
    pub requests: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Latency of succeeded requests.
    pub latency_ms: LatencySummary,
}

/// A workload's figures.
pub fn collect(c: &Client) -> WorkloadStats {
    let k = &c.counters;
    let count = |end: End| -> u64 {
        Outcome::all()
            .filter(|o| o.end == end)
            .map(|o| k.by_outcome[o.index()])
            .sum()
    };
    let mut status = IndexMap::new();
    for o in Outcome::all() {
        let n = k.by_outcome[o.index()];
        if n == 0 {
            continue;
        }
        let key = match c.target {
            Target::Api(_) => o.api_status().to_string(),
            _ => o.name().to_string(),
        };
        *status.entry(key).or_insert(0) += n;
    }
    let status_of = |o: Outcome| match c.target {
        Target::Api(_) => o.api_status().to_string(),
        _ => o.name().to_string(),
    };
    let mut causes: Vec<(String, Cause, u64)> = k
        .causes
        .iter()
        .map(|&(o, n)| (status_of(o), o.cause, n))
        .collect();
    causes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let latency = c.latency();
    let routes = c
        .route_names
        .iter()
        .zip(&c.routes)
        .map(|(name, r)| {
            (
                name.clone(),
                RouteStats {
                    requests: r.requests,
                    succeeded: r.succeeded,
                    latency_ms: r.latency.summary(),
                },
            )
        })
        .collect();
    let (succeeded, throttled) = (count(End::Ok), count(End::Throttled));
    let (failed, timed_out) = (count(End::Failed), count(End::TimedOut));
    WorkloadStats {
        requests: k.requests,
        succeeded,
        throttled,
        failed,
        timed_out,
        in_flight: k.in_flight,
        error_ratio: ratio(
            throttled + failed + timed_out,
            k.requests.saturating_sub(k.in_flight),
        ),
        retries: k.retries,
        status,
        latency_ms: latency.summary(),
        routes,
        cold_succeeded: c.cold_latency.count(),
        p99_warm_ms: latency.percentile_without(&c.cold_latency, 99.0),
        location: c.location.map(|l| l.name()),
        network_rtt_ms: c.rtt as f64 / crate::engine::MILLIS as f64,
        causes,
    }
}

/// `part / whole`, `None` when `whole` is 0.
fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One row per workload.
pub fn text(stats: &IndexMap<String, WorkloadStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "workload",
        "requests",
        "ok",
        "throttled",
        "failed",
        "timed out",
        "in flight",
        "p50 ms",
        "p99 ms",
    ]);
    for (name, w) in stats {
        t.row([
            name.clone(),
            thousands(w.requests),
            percent(w.succeeded, w.requests),
            thousands(w.throttled),
            thousands(w.failed),
            thousands(w.timed_out),
            thousands(w.in_flight),
            ms(w.latency_ms.p50),
            ms(w.latency_ms.p99),
        ]);
    }
    t.render(out);
}
