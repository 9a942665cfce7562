//! `[[cdn]]` (CloudFront): its raw struct and its validation into [`Cdn`]
//! (origin, object popularity, TTL, object sizes, edge cache size, origin
//! shield, edges, latencies, Transfer Acceleration); and what a workload
//! aimed at a cdn needs: the kind of its origin. Every bound cites its
//! source (`model::cdn`).
//!
//! Must not know: how requests are served.

use super::bucket::{object_kb, RawSize};
use super::{Given, Kind};
use crate::model::cdn::{Cdn, CdnOrigin, DEFAULT_TTL, MAX_EDGES, MAX_EDGE_GB, MAX_TTL};
use crate::scenario::context::Cx;
use crate::scenario::raw::Required;
use crate::scenario::validate::{dist, dur_in, in_range, int_in};
use crate::scenario::values;

/// `[[cdn]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCdn {
    pub name: String,
    /// A bucket or an api.
    pub origin: String,
    /// Popularity of the objects, e.g. `"zipf(n=10000, s=0.9)"`.
    pub keys: String,
    pub ttl: Option<String>,
    /// A number of KB, or a distribution of sizes.
    pub object_kb: Option<RawSize>,
    pub size_gb: Option<f64>,
    pub origin_shield: Option<bool>,
    pub edges: Option<i64>,
    pub hit_latency: Option<String>,
    pub origin_latency: Option<String>,
    pub shield_latency: Option<String>,
    pub transfer_acceleration: Option<bool>,
}

impl Required for RawCdn {
    const REQUIRED: &'static [&'static str] = &["name", "origin", "keys"];
}

impl Kind for RawCdn {
    type Model = Cdn;

    fn validate(&self, cx: &mut Cx<'_>, i: usize, _given: &Given<'_>) -> Option<Cdn> {
        cdn(cx, i, self)
    }
}

/// Validates one `[[cdn]]`.
fn cdn(cx: &mut Cx<'_>, i: usize, r: &RawCdn) -> Option<Cdn> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["cdn", i, f];
    let origin = match cx.resolve(&p("origin"), &r.origin, &["bucket", "api"], "a cdn origin") {
        Some(("bucket", k)) => Some(CdnOrigin::Bucket(k)),
        Some((_, k)) => Some(CdnOrigin::Api(k)),
        None => None,
    };
    let keys = match values::keys(&r.keys) {
        Ok(k) => Some(k),
        Err(b) => {
            cx.err(&p("keys"), b.message, b.hint.unwrap_or_default());
            None
        }
    };
    let ttl = dur_in(
        cx,
        &p("ttl"),
        &r.ttl,
        DEFAULT_TTL,
        (0, MAX_TTL),
        "0s..=365d",
        "the time an object stays at an edge after it was fetched; CloudFront caps it at the MaxTTL, 31,536,000 s by default (aws-facts 6)",
    );
    let object = r
        .object_kb
        .as_ref()
        .and_then(|s| object_kb(cx, &p("object_kb"), s));
    let size_gb = r.size_gb.unwrap_or(0.0);
    in_range(
        cx,
        &p("size_gb"),
        size_gb,
        0.0,
        MAX_EDGE_GB,
        "the cache size of one edge in GB, 0..=1e6 (0: no limit, the TTL alone decides)",
    );
    let edges = int_in(
        cx,
        &p("edges"),
        r.edges,
        1,
        (1, i64::from(MAX_EDGES)),
        "the edge locations the traffic is spread over, 1..=1000; each has its own cache",
    ) as u32;
    let d = Cdn::new("", CdnOrigin::Api(0), crate::dist::keys::Keys::Many);
    let hit_latency = dist(cx, &p("hit_latency"), &r.hit_latency, d.hit_latency);
    let origin_latency = dist(
        cx,
        &p("origin_latency"),
        &r.origin_latency,
        d.origin_latency,
    );
    let shield_latency = dist(
        cx,
        &p("shield_latency"),
        &r.shield_latency,
        d.shield_latency,
    );
    let shield = r.origin_shield.unwrap_or(false);
    if r.shield_latency.is_some() && !shield {
        cx.key_err(
            &p("shield_latency"),
            "shield_latency without an origin shield",
            "add origin_shield = true, or remove shield_latency",
        );
    }
    let acceleration = r.transfer_acceleration.unwrap_or(false);
    if acceleration && matches!(origin, Some(CdnOrigin::Api(_))) {
        cx.key_err(
            &p("transfer_acceleration"),
            "transfer_acceleration applies to a bucket origin",
            "remove it, or point `origin` at a bucket (S3 Transfer Acceleration speeds uploads to a bucket)",
        );
    }
    if cx.problems.len() > before {
        return None;
    }
    Some(Cdn {
        name: r.name.clone(),
        origin: origin?,
        keys: keys?,
        ttl,
        object_kb: object,
        size_gb,
        origin_shield: shield,
        edges,
        hit_latency,
        origin_latency,
        shield_latency,
        transfer_acceleration: acceleration,
    })
}

/// The kind of the origin of cdn `k` (`"bucket"` or `"api"`) and its
/// index, without reporting anything (the cdn's validation reports a bad
/// origin).
pub fn origin_of(cx: &Cx<'_>, given: &Given<'_>, k: usize) -> Option<(&'static str, usize)> {
    let raw = given.raws.cdns.get(k)?.as_ref()?;
    match cx.names.lookup(&raw.origin) {
        Some((_, n, 1)) if n.kind == "bucket" || n.kind == "api" => Some((n.kind, n.index)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn required_fields_are_required() {
        assert_required::<RawCdn>();
    }
}
