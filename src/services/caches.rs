//! What every cache reports alike, so that CloudFront, the API Gateway
//! response cache and DAX can be compared: the counters a cache keeps
//! ([`CacheFigures`]), its time series ([`CacheSeries`]: lookups, hits,
//! hit ratio and origin requests per interval) and the `caches` section
//! of `summary.json` ([`caches`]: one [`CacheSummary`] per cache).
//!
//! Must not know: how a kind decides a hit (`services::cache` and each
//! kind's code do), TOML, files.

use serde::Serialize;

use super::{Build, Sections};
use crate::engine::SimTime;
use crate::metrics::{SeriesId, SeriesRecorder};

/// A cache's counters over the measured window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CacheFigures {
    /// Requests the cache was asked.
    pub lookups: u64,
    /// Of those, answered from the cache.
    pub hits: u64,
    /// Requests the cache sent on to its origin (the misses; with a
    /// CloudFront origin shield, the shield's misses).
    pub origin_requests: u64,
    /// Bytes answered from the cache \[KB\].
    pub kb_from_cache: f64,
    /// Bytes fetched from the origin \[KB\].
    pub kb_from_origin: f64,
}

impl CacheFigures {
    /// A lookup of an object of `kb`: a hit, or a miss (which then goes
    /// to the origin, counted with [`CacheFigures::origin`]).
    #[inline]
    pub fn lookup(&mut self, hit: bool, kb: f64) {
        self.lookups += 1;
        if hit {
            self.hits += 1;
            self.kb_from_cache += kb;
        }
    }

    /// A request of `kb` went to the origin.
    #[inline]
    pub fn origin(&mut self, kb: f64) {
        self.origin_requests += 1;
        self.kb_from_origin += kb;
    }

    /// Hits over lookups; `None` without a lookup.
    pub fn hit_ratio(&self) -> Option<f64> {
        (self.lookups > 0).then(|| self.hits as f64 / self.lookups as f64)
    }
}

/// A cache's time series: lookups and hits per interval, their ratio
/// (computed at the end of the run; 0 in an interval without a lookup),
/// and requests sent to the origin.
#[derive(Clone, Copy, Debug)]
pub struct CacheSeries {
    lookups: SeriesId,
    hits: SeriesId,
    hit_ratio: SeriesId,
    origin: SeriesId,
}

impl CacheSeries {
    /// Series each cache registers.
    pub const COUNT: usize = 4;

    /// Registers the series of the cache of component `name`.
    pub fn register(b: &mut Build<'_>, name: &str) -> Self {
        Self {
            lookups: b.sum(name, "cache_lookups", "count", 1.0),
            hits: b.sum(name, "cache_hits", "count", 1.0),
            hit_ratio: b.sum(name, "cache_hit_ratio", "ratio", 1.0),
            origin: b.sum(name, "cache_origin_requests", "count", 1.0),
        }
    }

    /// A lookup at `now`.
    #[inline]
    pub fn lookup(&self, rec: &mut SeriesRecorder, now: SimTime, hit: bool) {
        rec.add(self.lookups, now, 1.0);
        if hit {
            rec.add(self.hits, now, 1.0);
        }
    }

    /// A request to the origin at `now`.
    #[inline]
    pub fn origin(&self, rec: &mut SeriesRecorder, now: SimTime) {
        rec.add(self.origin, now, 1.0);
    }

    /// Computes the hit ratio per interval (at the end of the run).
    pub fn finish(&self, rec: &mut SeriesRecorder) {
        rec.ratio(self.hit_ratio, self.hits, self.lookups);
    }
}

/// One cache in the `caches` section of `summary.json`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CacheSummary {
    /// `"cdn"` (CloudFront), `"api"` (API Gateway response cache) or
    /// `"dax"` (a table's DAX cluster).
    pub kind: &'static str,
    /// The component's name (the cdn, the api, the table).
    pub name: String,
    /// Whether the hit ratio emerged from keys and TTL (`true`) or was an
    /// input (`hit_ratio`).
    pub emergent: bool,
    /// Requests the cache was asked.
    pub lookups: u64,
    /// Of those, answered from the cache.
    pub hits: u64,
    /// Hits over lookups; null without a lookup.
    pub hit_ratio: Option<f64>,
    /// Requests sent on to the origin.
    pub origin_requests: u64,
    /// Bytes answered from the cache \[GB\] (1 GB = 10^6 KB).
    pub gb_from_cache: f64,
    /// Bytes fetched from the origin \[GB\].
    pub gb_from_origin: f64,
}

impl CacheSummary {
    /// The entry of cache `name` of `kind` with figures `f`.
    pub fn new(kind: &'static str, name: &str, emergent: bool, f: &CacheFigures) -> Self {
        Self {
            kind,
            name: name.to_string(),
            emergent,
            lookups: f.lookups,
            hits: f.hits,
            hit_ratio: f.hit_ratio(),
            origin_requests: f.origin_requests,
            gb_from_cache: f.kb_from_cache * 1e-6,
            gb_from_origin: f.kb_from_origin * 1e-6,
        }
    }
}

/// Every cache of a run: CloudFront distributions, then API response
/// caches, then DAX clusters, each in model order.
pub fn caches(s: &Sections) -> Vec<CacheSummary> {
    let mut v = Vec::new();
    for (name, c) in &s.cdns {
        v.push(CacheSummary::new("cdn", name, true, &c.cache));
    }
    for (name, a) in &s.apis {
        if let Some((emergent, f)) = &a.cache {
            v.push(CacheSummary::new("api", name, *emergent, f));
        }
    }
    for (name, t) in &s.tables {
        if let Some((emergent, f)) = &t.dax {
            v.push(CacheSummary::new("dax", name, *emergent, f));
        }
    }
    v
}
