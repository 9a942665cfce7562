//! CloudFront distributions: strategy and rendering. Rules kept
//! (docs/scenario-format.md, "[[cdn]]"): the origin a bucket or an api of
//! the scenario (no cdn without one); keys with n in 1..=1e5; ttl within
//! 0..=365 d; edges 1..=1000; shield_latency only with a shield;
//! transfer_acceleration only with a bucket origin.

use super::values::{dec, dist, D};
use super::{q, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Cdn {
    /// Index into the buckets then the apis (modulo their total).
    pub origin: usize,
    /// (zipf, n): `zipf(n, s=1)` or `uniform(n)`.
    pub keys: (bool, u32),
    pub ttl_s: Option<u32>,
    /// object_kb
    pub object_kb: Option<u32>,
    pub size_gb: Option<u32>,
    pub shield: Option<bool>,
    pub edges: Option<u32>,
    pub hit_latency: Option<D>,
    pub origin_latency: Option<D>,
    pub shield_latency: Option<D>,
    pub acceleration: Option<bool>,
}

pub(super) fn cdn() -> impl Strategy<Value = Cdn> {
    (
        0usize..6,
        (any::<bool>(), prop_oneof![1u32..=20, 1u32..=100_000]),
        maybe(0.6, prop_oneof![0u32..=5, 0u32..=86_400]),
        maybe(0.4, 0u32..=2_000),
        maybe(0.3, 0u32..=10),
        maybe(0.6, any::<bool>()),
        maybe(0.5, prop_oneof![1u32..=4, 1u32..=1_000]),
        (
            maybe(0.4, dist(20_000)),
            maybe(0.4, dist(100_000)),
            maybe(0.4, dist(50_000)),
            maybe(0.3, any::<bool>()),
        ),
    )
        .prop_map(
            |(origin, keys, ttl_s, object_kb, size_gb, shield, edges, lat)| Cdn {
                origin,
                keys,
                ttl_s,
                object_kb,
                size_gb,
                shield,
                edges,
                hit_latency: lat.0,
                origin_latency: lat.1,
                shield_latency: lat.2,
                acceleration: lat.3,
            },
        )
}

impl Scen {
    /// Whether the cdn is rendered (it needs an origin), and its origin:
    /// `Ok(bucket)` or `Err(api)`.
    pub(super) fn cdn_origin(&self) -> Option<Result<usize, usize>> {
        let c = self.cdn.as_ref()?;
        let (nb, na) = (self.buckets.len(), self.apis.len());
        if nb + na == 0 {
            return None;
        }
        let k = c.origin % (nb + na);
        Some(if k < nb { Ok(k) } else { Err(k - nb) })
    }

    pub(super) fn render_cdn(&self, t: &mut String) {
        let (Some(c), Some(origin)) = (&self.cdn, self.cdn_origin()) else {
            return;
        };
        let origin_name = match origin {
            Ok(b) => self.name("bk", b),
            Err(a) => self.name("api", a),
        };
        let _ = writeln!(
            t,
            "\n[[cdn]]\nname = {}\norigin = {}",
            q(&self.name("cdn", 0)),
            q(&origin_name)
        );
        let keys = match c.keys {
            (true, n) => format!("zipf(n={n}, s=1)"),
            (false, n) => format!("uniform(n={n})"),
        };
        let _ = writeln!(t, "keys = {}", q(&keys));
        if let Some(s) = c.ttl_s {
            let _ = writeln!(t, "ttl = \"{s}s\"");
        }
        if let Some(kb) = c.object_kb {
            let _ = writeln!(t, "object_kb = {kb}");
        }
        if let Some(g) = c.size_gb {
            let _ = writeln!(t, "size_gb = {}", dec(g, 1));
        }
        let shield = c.shield.unwrap_or(false);
        if let Some(s) = c.shield {
            let _ = writeln!(t, "origin_shield = {s}");
        }
        if let Some(e) = c.edges {
            let _ = writeln!(t, "edges = {e}");
        }
        for (f, d) in [
            ("hit_latency", &c.hit_latency),
            ("origin_latency", &c.origin_latency),
            ("shield_latency", &c.shield_latency),
        ] {
            match d {
                Some(_) if f == "shield_latency" && !shield => {}
                Some(d) => {
                    let _ = writeln!(t, "{f} = {}", q(&d.render()));
                }
                None => {}
            }
        }
        if let (Some(a), Ok(_)) = (c.acceleration, origin) {
            let _ = writeln!(t, "transfer_acceleration = {a}");
        }
    }
}
