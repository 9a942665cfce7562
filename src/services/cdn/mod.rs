//! Amazon CloudFront distributions in front of a bucket or an API: edge
//! caches whose hit ratio emerges from the traffic (the objects' popularity,
//! the TTL, the edges the traffic is spread over), an optional origin
//! shield, requests forwarded to the origin (misses, uncacheable requests,
//! uploads) and what leaves for the internet.
//!
//! A request to a cacheable route (a GET: an S3 get, or an API route whose
//! method is GET or HEAD) draws its object (a rank of the key model) and its
//! edge (uniform over `edges` **\[A\]**, each with its own
//! [`TtlCache`]). A fresh object at the edge is a hit; else, with a shield,
//! the shield's cache is asked; what neither has goes to the origin, and
//! the origin's successful answer is cached at the shield and the edge when
//! it arrives (an error is not cached). Other requests (puts, lists,
//! deletes, POSTs) are forwarded to the origin and never cached; a put to a
//! bucket is an upload (Transfer Acceleration or CloudFront, for the
//! bill).
//!
//! This file owns a distribution's state and decisions; `flow.rs` the
//! events; `stats.rs` the figures and text rows; `cost.rs` the bill. Must
//! not know: TOML, how the origin serves a request.

pub mod cost;
mod flow;
mod stats;

pub use flow::request;
pub use stats::CdnStats;

use rand::Rng;

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::{self, BucketOp, CdnOrigin};
use crate::services::cache::TtlCache;
use crate::services::caches::{CacheFigures, CacheSeries};
use crate::services::registry::index_by;

/// Where a request stands: what its frame's pending step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The edge's answer from its cache arrives.
    Hit,
    /// The shield's answer arrives at the edge (which caches it).
    ShieldHit,
    /// The request reaches the origin now.
    Origin,
    /// Waiting for the origin's answer.
    Waiting,
}

/// A request through CloudFront in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct CdnCall {
    /// Distribution index.
    pub cdn: u16,
    /// Edge index.
    pub edge: u16,
    /// The origin's route (api) or operation (bucket) index.
    pub route: u16,
    /// What the pending step does.
    pub phase: Phase,
    /// Arrived in the measured window.
    pub measured: bool,
    /// The shield was asked and missed (cache the answer there too).
    pub shield_miss: bool,
    /// Object size \[KB\].
    pub size_kb: f32,
    /// The object's rank (0: not cached: an uncacheable request, or keys
    /// with no repeats).
    pub rank: u64,
}

/// Counters over the measured window (requests that arrived after it).
#[derive(Clone, Debug, Default)]
pub struct CdnCounters {
    /// Requests.
    pub requests: u64,
    /// Cacheable requests (lookups at an edge).
    pub lookups: u64,
    /// Answered by the edge's cache.
    pub edge_hits: u64,
    /// Edge misses the shield was asked.
    pub shield_lookups: u64,
    /// Answered by the shield's cache.
    pub shield_hits: u64,
    /// Cacheable requests sent to the origin (misses of every tier).
    pub origin_fetches: u64,
    /// Uncacheable requests forwarded to the origin (puts, lists,
    /// deletes, non-GET routes).
    pub forwarded: u64,
    /// Of `forwarded`: uploads (puts to a bucket origin).
    pub uploads: u64,
    /// Origin answers that were not a success (not cached).
    pub origin_errors: u64,
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests that failed (the origin's error, throttle or timeout).
    pub failed: u64,
    /// Requests in progress.
    pub in_flight: u64,
    /// Bytes sent to clients (successful downloads) \[KB\].
    pub kb_out: f64,
    /// Bytes uploaded through the edge \[KB\].
    pub kb_uploaded: f64,
}

/// Time-series handles of a distribution.
#[derive(Clone, Copy, Debug)]
pub struct CdnSeries {
    /// Requests per second.
    pub requests: SeriesId,
    /// The cache's series (lookups, hits, ratio, origin requests).
    pub cache: CacheSeries,
}

/// One distribution.
pub struct CloudFront {
    /// Its name.
    pub name: String,
    /// Its origin.
    pub origin: CdnOrigin,
    keys: Keys,
    /// Object sizes \[KB\] by origin route (api) or operation (bucket).
    sizes: Vec<Dist>,
    /// Whether each origin route / operation is cached.
    cacheable: Vec<bool>,
    edges: Vec<TtlCache>,
    shield: Option<TtlCache>,
    hit_latency: Dist,
    origin_latency: Dist,
    shield_latency: Dist,
    /// Uploads use S3 Transfer Acceleration (for the bill).
    pub transfer_acceleration: bool,
    /// Its random stream (objects, edges, sizes, latencies).
    pub rng: SimRng,
    /// Counters.
    pub counters: CdnCounters,
    /// The figures every cache reports (`caches` section).
    pub figures: CacheFigures,
    /// Series.
    pub series: CdnSeries,
}

/// What a request does first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start {
    /// The pending step.
    pub phase: Phase,
    /// After this delay \[ns\].
    pub delay: SimDuration,
    /// Edge index.
    pub edge: u16,
    /// Object rank (0: not cached).
    pub rank: u64,
    /// The shield missed.
    pub shield_miss: bool,
    /// Object size \[KB\].
    pub size_kb: f32,
}

impl CloudFront {
    /// From the model.
    pub fn new(c: &model::Cdn, m: &model::Scenario, rng: SimRng, series: CdnSeries) -> Self {
        let (sizes, cacheable): (Vec<Dist>, Vec<bool>) = match c.origin {
            CdnOrigin::Bucket(b) => BucketOp::ALL
                .iter()
                .map(|op| {
                    // A list's or a delete's answer is small: 0 KB [A].
                    let size = match op.moves_object() {
                        true => c
                            .object_kb
                            .clone()
                            .unwrap_or_else(|| m.buckets[b].object_kb.clone()),
                        false => Dist::constant(0.0),
                    };
                    (size, *op == BucketOp::Get)
                })
                .unzip(),
            CdnOrigin::Api(a) => m.apis[a]
                .routes
                .iter()
                .map(|r| {
                    let size = c.object_kb.clone().unwrap_or(Dist::constant(r.response_kb));
                    let method = r.route.split_whitespace().next().unwrap_or("");
                    let get =
                        method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
                    (size, get)
                })
                .unzip(),
        };
        // Entries per edge: its size over the mean object size [A].
        let mean_kb = sizes
            .iter()
            .zip(&cacheable)
            .filter(|(_, c)| **c)
            .map(|(d, _)| d.mean())
            .fold(1.0, f64::max);
        let capacity = if c.size_gb > 0.0 {
            (c.size_gb * 1e6 / mean_kb).clamp(1.0, f64::from(u32::MAX)) as u32
        } else {
            0
        };
        Self {
            name: c.name.clone(),
            origin: c.origin,
            keys: c.keys,
            sizes,
            cacheable,
            edges: (0..c.edges)
                .map(|_| TtlCache::new(c.ttl, capacity))
                .collect(),
            shield: c.origin_shield.then(|| TtlCache::new(c.ttl, 0)),
            hit_latency: c.hit_latency.clone(),
            origin_latency: c.origin_latency.clone(),
            shield_latency: c.shield_latency.clone(),
            transfer_acceleration: c.transfer_acceleration,
            rng,
            counters: CdnCounters::default(),
            figures: CacheFigures::default(),
            series,
        }
    }

    /// A request for origin route (or operation) `route` arrives at `now`:
    /// where it is answered and after what delay. Counted when `measured`.
    #[inline]
    pub fn start(
        &mut self,
        route: usize,
        now: SimTime,
        measured: bool,
        rec: &mut SeriesRecorder,
    ) -> Start {
        let k = &mut self.counters;
        if measured {
            k.requests += 1;
            k.in_flight += 1;
        }
        let size_kb = self.sizes[route].sample(&mut self.rng).max(0.0) as f32;
        let kb = f64::from(size_kb);
        let edge_ns = self.hit_latency.sample_ns(&mut self.rng);
        let mut s = Start {
            phase: Phase::Origin,
            delay: edge_ns,
            edge: 0,
            rank: 0,
            shield_miss: false,
            size_kb,
        };
        if !self.cacheable[route] {
            if measured {
                self.counters.forwarded += 1;
                if matches!(self.origin, CdnOrigin::Bucket(_)) && route == BucketOp::Put.index() {
                    self.counters.uploads += 1;
                    self.counters.kb_uploaded += kb;
                }
            }
            s.delay += self.origin_latency.sample_ns(&mut self.rng);
            return s;
        }
        let n = self.edges.len();
        s.edge = if n > 1 {
            self.rng.random_range(0..n) as u16
        } else {
            0
        };
        s.rank = self.keys.sample_rank(&mut self.rng).unwrap_or(0);
        let edge_hit = s.rank > 0 && self.edges[s.edge as usize].probe(now, s.rank);
        if measured {
            self.counters.lookups += 1;
        }
        if edge_hit {
            if measured {
                self.counters.edge_hits += 1;
            }
            self.lookup(now, measured, true, kb, rec);
            s.phase = Phase::Hit;
            return s;
        }
        if let Some(shield) = &mut self.shield {
            s.delay += self.shield_latency.sample_ns(&mut self.rng);
            let hit = s.rank > 0 && shield.probe(now, s.rank);
            if measured {
                self.counters.shield_lookups += 1;
                self.counters.shield_hits += u64::from(hit);
            }
            if hit {
                self.lookup(now, measured, true, kb, rec);
                s.phase = Phase::ShieldHit;
                return s;
            }
            s.shield_miss = true;
        }
        self.lookup(now, measured, false, kb, rec);
        if measured {
            self.counters.origin_fetches += 1;
        }
        s.delay += self.origin_latency.sample_ns(&mut self.rng);
        s
    }

    fn lookup(
        &mut self,
        now: SimTime,
        measured: bool,
        hit: bool,
        kb: f64,
        rec: &mut SeriesRecorder,
    ) {
        self.series.cache.lookup(rec, now, hit);
        if !hit {
            self.series.cache.origin(rec, now);
        }
        if measured {
            self.figures.lookup(hit, kb);
            if !hit {
                self.figures.origin(kb);
            }
        }
    }

    /// The answer to request `c` came from the shield or the origin at
    /// `now` (`ok`: a success, which is cached; an error is not).
    #[inline]
    pub fn answered(&mut self, now: SimTime, c: &CdnCall, ok: bool) {
        if ok && c.rank > 0 {
            if c.shield_miss {
                if let Some(s) = &mut self.shield {
                    s.fill(now, c.rank);
                }
            }
            self.edges[c.edge as usize].fill(now, c.rank);
        }
        if c.measured && !ok && c.phase != Phase::ShieldHit {
            self.counters.origin_errors += 1;
        }
    }

    /// Request `c` ended (counted when measured): a success sends its
    /// object to the client (a download's bytes).
    #[inline]
    pub fn on_end(&mut self, c: &CdnCall, ok: bool) {
        if !c.measured {
            return;
        }
        let k = &mut self.counters;
        k.in_flight -= 1;
        if ok {
            k.succeeded += 1;
            let upload = matches!(self.origin, CdnOrigin::Bucket(_))
                && c.route as usize == BucketOp::Put.index();
            if !upload {
                k.kb_out += f64::from(c.size_kb);
            }
        } else {
            k.failed += 1;
        }
    }

    /// Objects held by the edges and the shield (expired ones not yet
    /// dropped included).
    pub fn cached(&self) -> usize {
        self.edges.iter().map(TtlCache::len).sum::<usize>()
            + self.shield.as_ref().map_or(0, TtlCache::len)
    }

    /// Edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Whether there is an origin shield.
    pub fn has_shield(&self) -> bool {
        self.shield.is_some()
    }

    fn footprint(&self) -> usize {
        self.edges.iter().map(TtlCache::footprint).sum::<usize>()
            + self.shield.as_ref().map_or(0, TtlCache::footprint)
    }
}

/// Every distribution.
pub struct Cdns {
    /// In model order.
    pub list: Vec<CloudFront>,
}

index_by!(Cdns, list, CloudFront);
