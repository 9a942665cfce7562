//! `[[cdn]]`: an Amazon CloudFront distribution in front of a bucket or an
//! API: its edge caches (whose hit ratio emerges from the popularity of the
//! objects, the TTL and the number of edges the traffic is spread over),
//! an optional origin shield, latencies, object sizes and uploads, with
//! CloudFront's defaults (aws-facts 6, 10.8; assumptions marked \[A\]).
//!
//! Must not know: TOML, how a run serves a request.

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

/// What a distribution fronts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdnOrigin {
    /// `[[bucket]]` index: a miss is a GetObject; puts are uploads.
    Bucket(usize),
    /// `[[api]]` index: a miss calls the request's route.
    Api(usize),
}

/// `[[cdn]]`.
#[derive(Clone, Debug)]
pub struct Cdn {
    /// Unique name.
    pub name: String,
    /// The origin.
    pub origin: CdnOrigin,
    /// Popularity of the requested objects (rank k = object k).
    pub keys: Keys,
    /// Time an object stays in an edge's (and the shield's) cache after
    /// it was fetched \[ns\].
    pub ttl: SimDuration,
    /// Size of an object \[KB\]; `None`: the origin's (the bucket's
    /// `object_kb`, the route's `response_kb`).
    pub object_kb: Option<Dist>,
    /// Cache size of one edge \[GB\]; 0: no limit (TTL only).
    pub size_gb: f64,
    /// A second cache tier, the origin shield, between the edges and the
    /// origin.
    pub origin_shield: bool,
    /// Edge locations the traffic is spread over (each request goes to one
    /// at random, each edge has its own cache) \[A\].
    pub edges: u32,
    /// Latency of an answer from the edge (without the client's round trip
    /// to the edge) \[s\].
    pub hit_latency: Dist,
    /// Round trip from an edge to the origin's Region, added to a request
    /// the edge sends to the origin \[s\].
    pub origin_latency: Dist,
    /// Round trip from an edge to the origin shield, added to a miss at
    /// the edge when there is a shield \[s\].
    pub shield_latency: Dist,
    /// Uploads (puts to a bucket origin) use S3 Transfer Acceleration (its
    /// price per GB) instead of CloudFront (requests and data to the
    /// origin).
    pub transfer_acceleration: bool,
}

/// Default TTL \[ns\]: CloudFront's cache-policy DefaultTTL, 86,400 s
/// (aws-facts 6, "Cache policy DefaultTTL"; used when the origin sends no
/// Cache-Control).
pub const DEFAULT_TTL: SimDuration = 86_400 * SECONDS;
/// Longest TTL \[ns\]: CloudFront's default MaxTTL, 31,536,000 s (aws-facts
/// 6, "MaxTTL").
pub const MAX_TTL: SimDuration = 31_536_000 * SECONDS;
/// Most edges \[A\]: CloudFront has of the order of 600 points of presence
/// (not in the fact sheet); slsim keeps a cache per edge.
pub const MAX_EDGES: u32 = 1_000;
/// Largest edge cache \[GB\] \[A\] (AWS publishes no per-edge size; a bound
/// on the entries slsim keeps).
pub const MAX_EDGE_GB: f64 = 1e6;

impl Cdn {
    /// Default edge latency: lognormal, median 5 ms, p99 20 ms \[A\]: the
    /// edge's own time to answer from its cache (AWS publishes no
    /// distribution; a located client's round trip to the edge is added
    /// by the client, `model::geo::rtt_to_edge`).
    pub fn default_hit_latency() -> Dist {
        Dist::lognormal_median_p99(0.005, 0.020)
    }

    /// Default edge-to-origin round trip: lognormal, median 20 ms, p99
    /// 80 ms \[A\] (an edge in the origin's part of the world; further
    /// edges take longer).
    pub fn default_origin_latency() -> Dist {
        Dist::lognormal_median_p99(0.020, 0.080)
    }

    /// Default edge-to-shield round trip: lognormal, median 10 ms, p99
    /// 40 ms \[A\] (the shield sits in a Regional edge cache near the
    /// origin).
    pub fn default_shield_latency() -> Dist {
        Dist::lognormal_median_p99(0.010, 0.040)
    }

    /// A distribution of `origin` with object popularity `keys` and every
    /// other setting at its default.
    pub fn new(name: &str, origin: CdnOrigin, keys: Keys) -> Self {
        Self {
            name: name.into(),
            origin,
            keys,
            ttl: DEFAULT_TTL,
            object_kb: None,
            size_gb: 0.0,
            origin_shield: false,
            edges: 1,
            hit_latency: Self::default_hit_latency(),
            origin_latency: Self::default_origin_latency(),
            shield_latency: Self::default_shield_latency(),
            transfer_acceleration: false,
        }
    }
}
