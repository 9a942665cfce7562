//! A distribution's figures and its rows of the text summary.
//!
//! Conservation (tested), over the requests that arrived in the measured
//! window: `requests = lookups + forwarded`; `lookups = edge_hits +
//! edge_misses`; `edge_misses = shield_hits + origin_fetches` (without a
//! shield, `shield_hits = 0`); `requests = succeeded + failed +
//! in_flight_end`.

use indexmap::IndexMap;
use serde::Serialize;

use super::CloudFront;
use crate::metrics::text::{thousands, Table};
use crate::model::CdnOrigin;
use crate::services::caches::CacheFigures;

/// A distribution's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CdnStats {
    /// `"bucket"` or `"api"`.
    pub origin_kind: &'static str,
    /// Edges the traffic was spread over.
    pub edges: u64,
    /// Whether an origin shield was in front of the origin.
    pub origin_shield: bool,
    /// Requests.
    pub requests: u64,
    /// Cacheable requests (lookups at an edge).
    pub lookups: u64,
    /// Answered by the edge's cache.
    pub edge_hits: u64,
    /// Not in the edge's cache.
    pub edge_misses: u64,
    /// Edge hits over lookups; null without a lookup.
    pub edge_hit_ratio: Option<f64>,
    /// Edge misses the shield answered.
    pub shield_hits: u64,
    /// Shield hits over edge misses; null without a shield or a miss.
    pub shield_hit_ratio: Option<f64>,
    /// Cacheable requests fetched from the origin (misses of every tier).
    pub origin_fetches: u64,
    /// Uncacheable requests forwarded to the origin (puts, lists,
    /// deletes, non-GET routes).
    pub forwarded: u64,
    /// Of `forwarded`: uploads (puts to a bucket origin).
    pub uploads: u64,
    /// Requests the origin received: `origin_fetches + forwarded`.
    pub origin_requests: u64,
    /// Origin answers that were not a success (never cached).
    pub origin_errors: u64,
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests that failed (the origin's error, throttle or timeout).
    pub failed: u64,
    /// Requests in progress at the end.
    pub in_flight_end: u64,
    /// Bytes sent to clients (successful downloads; data transfer out)
    /// \[GB\] (1 GB = 10^6 KB).
    pub gb_out: f64,
    /// Bytes fetched from the origin by cacheable requests \[GB\].
    pub gb_from_origin: f64,
    /// Bytes uploaded through the edge \[GB\].
    pub gb_uploaded: f64,
    /// Uploads use S3 Transfer Acceleration (for the bill).
    pub transfer_acceleration: bool,
    /// Requests that reached the shield (for the bill).
    pub shield_requests: u64,
    /// The figures every cache reports (the `caches` section).
    #[serde(skip)]
    pub cache: CacheFigures,
}

const GB_PER_KB: f64 = 1e-6;

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A distribution's figures.
pub fn collect(d: &CloudFront) -> CdnStats {
    let k = &d.counters;
    let edge_misses = k.lookups - k.edge_hits;
    CdnStats {
        origin_kind: match d.origin {
            CdnOrigin::Bucket(_) => "bucket",
            CdnOrigin::Api(_) => "api",
        },
        edges: d.edge_count() as u64,
        origin_shield: d.has_shield(),
        requests: k.requests,
        lookups: k.lookups,
        edge_hits: k.edge_hits,
        edge_misses,
        edge_hit_ratio: ratio(k.edge_hits, k.lookups),
        shield_hits: k.shield_hits,
        shield_hit_ratio: if d.has_shield() {
            ratio(k.shield_hits, k.shield_lookups)
        } else {
            None
        },
        origin_fetches: k.origin_fetches,
        forwarded: k.forwarded,
        uploads: k.uploads,
        origin_requests: k.origin_fetches + k.forwarded,
        origin_errors: k.origin_errors,
        succeeded: k.succeeded,
        failed: k.failed,
        in_flight_end: k.in_flight,
        gb_out: k.kb_out * GB_PER_KB,
        gb_from_origin: d.figures.kb_from_origin * GB_PER_KB,
        gb_uploaded: k.kb_uploaded * GB_PER_KB,
        transfer_acceleration: d.transfer_acceleration,
        shield_requests: k.shield_lookups,
        cache: d.figures,
    }
}

/// One row per distribution.
pub fn text(stats: &IndexMap<String, CdnStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "cdn",
        "requests",
        "edge hits",
        "hit ratio",
        "shield hits",
        "to origin",
        "failed",
        "GB out",
    ]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            thousands(s.requests),
            thousands(s.edge_hits),
            s.edge_hit_ratio
                .map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0)),
            thousands(s.shield_hits),
            thousands(s.origin_requests),
            thousands(s.failed),
            format!("{:.3}", s.gb_out),
        ]);
    }
    t.render(out);
}
