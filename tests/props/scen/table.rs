//! DynamoDB tables: strategy and rendering.

use super::values::{dec, dist, D};
use super::{q, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
use slsim::model::DAX_NODE_TYPES;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Table {
    /// (rcu, wcu) when provisioned
    pub provisioned: Option<(u32, u32)>,
    pub peaks: Option<(u32, u32)>,
    pub strong: Option<bool>,
    pub burst_seconds: Option<u32>,
    pub read_latency: Option<D>,
    pub write_latency: Option<D>,
    pub dax: Option<Dax>,
    /// max_attempts, base [ms], max_backoff - base [ms]
    pub sdk_retry: Option<(Option<u32>, Option<u32>, Option<u32>)>,
    /// `size_gb` x 10.
    pub size_gb: Option<u32>,
    /// `auto_scaling` (provisioned tables only).
    pub auto_scaling: Option<Auto>,
}

/// A provisioned table's `auto_scaling`: the bounds are drawn relative to
/// its capacity, so that it always lies within them.
#[derive(Clone, Debug)]
pub struct Auto {
    /// Target [%].
    pub target: Option<u32>,
    /// (min as % of rcu, max as a multiple of rcu)
    pub reads: Option<(u32, u32)>,
    /// The same for writes.
    pub writes: Option<(u32, u32)>,
    /// update_delay [s]
    pub delay_s: Option<u32>,
}

fn auto() -> impl Strategy<Value = Auto> {
    let bounds = || maybe(0.5, (0u32..=100, 1u32..=10));
    (
        maybe(0.7, 20u32..=90),
        bounds(),
        bounds(),
        maybe(0.4, 0u32..=3600),
    )
        .prop_map(|(target, reads, writes, delay_s)| Auto {
            target,
            reads,
            writes,
            delay_s,
        })
}

impl Auto {
    fn render(&self, rcu: u32, wcu: u32) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.target {
            parts.push(format!("target = {t}"));
        }
        for (unit, cap, b) in [("rcu", rcu, self.reads), ("wcu", wcu, self.writes)] {
            if let Some((min_pct, max_x)) = b {
                let min = (cap * min_pct / 100).max(1);
                let max = (cap * max_x).min(40_000);
                parts.push(format!("min_{unit} = {min}, max_{unit} = {max}"));
            }
        }
        if let Some(d) = self.delay_s {
            parts.push(format!("update_delay = \"{d}s\""));
        }
        format!("auto_scaling = {{ {} }}", parts.join(", "))
    }
}

/// A table's `dax` cluster.
#[derive(Clone, Debug)]
pub struct Dax {
    /// hit ratio x 100 (`None`: the hit ratio emerges from the keys and
    /// the TTLs).
    pub hit_ratio: Option<u32>,
    /// ttl [s] (`item_ttl` without a hit ratio)
    pub ttl_s: Option<u32>,
    /// query_ttl [s]
    pub query_ttl_s: Option<u32>,
    pub hit_latency: Option<D>,
    /// Index into [`DAX_NODE_TYPES`].
    pub node_type: Option<usize>,
    /// 1..=11
    pub nodes: Option<u32>,
}

fn dax() -> impl Strategy<Value = Dax> {
    (
        maybe(0.5, 0u32..=100),
        maybe(0.5, 0u32..=3600),
        maybe(0.5, dist(2_000)),
        maybe(0.5, 0..DAX_NODE_TYPES.len()),
        maybe(0.5, 1u32..=11),
        maybe(0.3, 0u32..=3600),
    )
        .prop_map(
            |(hit_ratio, ttl_s, hit_latency, node_type, nodes, query_ttl_s)| Dax {
                hit_ratio,
                ttl_s,
                query_ttl_s,
                hit_latency,
                node_type,
                nodes,
            },
        )
}

pub(super) fn table() -> impl Strategy<Value = Table> {
    (
        maybe(0.5, (1u32..=1000, 1u32..=1000)),
        maybe(0.3, (0u32..=6000, 0u32..=2000)),
        maybe(0.5, any::<bool>()),
        maybe(0.3, 0u32..=300),
        maybe(0.3, dist(20_000)),
        maybe(0.3, dist(20_000)),
        maybe(0.35, dax()),
        maybe(
            0.3,
            (
                maybe(0.7, 1u32..=10),
                maybe(0.7, 1u32..=100),
                maybe(0.7, 0u32..=2000),
            ),
        ),
        // Up to the 1 PB bound.
        maybe(0.3, prop_oneof![0u32..=1000, 0u32..=10_000_000]),
        maybe(0.4, auto()),
    )
        .prop_map(
            |(
                provisioned,
                peaks,
                strong,
                burst_seconds,
                read_latency,
                write_latency,
                dax,
                sdk,
                size_gb,
                auto_scaling,
            )| {
                Table {
                    provisioned,
                    peaks,
                    strong,
                    burst_seconds,
                    read_latency,
                    write_latency,
                    dax,
                    sdk_retry: sdk,
                    size_gb,
                    auto_scaling,
                }
            },
        )
}

impl Scen {
    pub(super) fn render_table(&self, t: &mut String, i: usize) {
        let tb = &self.tables[i];
        let _ = writeln!(t, "\n[[table]]\nname = {}", q(&self.name("tbl", i)));
        match tb.provisioned {
            Some((r, w)) => {
                let _ = writeln!(t, "capacity = \"provisioned\"\nrcu = {r}\nwcu = {w}");
                if let Some(a) = &tb.auto_scaling {
                    let _ = writeln!(t, "{}", a.render(r, w));
                }
            }
            None => {
                let _ = writeln!(t, "capacity = \"on-demand\"");
                if let Some((r, w)) = tb.peaks {
                    let _ = writeln!(t, "initial_read_peak = {r}\ninitial_write_peak = {w}");
                }
            }
        }
        if let Some(s) = tb.strong {
            let _ = writeln!(
                t,
                "consistency = {}",
                q(if s { "strong" } else { "eventual" })
            );
        }
        if let Some(b) = tb.burst_seconds {
            let _ = writeln!(t, "burst_seconds = {b}");
        }
        if let Some(d) = &tb.read_latency {
            let _ = writeln!(t, "read_latency = {}", q(&d.render()));
        }
        if let Some(d) = &tb.write_latency {
            let _ = writeln!(t, "write_latency = {}", q(&d.render()));
        }
        if let Some(d) = &tb.dax {
            let mut parts = Vec::new();
            match (d.hit_ratio, d.ttl_s) {
                (Some(h), ttl) => {
                    parts.push(format!("hit_ratio = {}", dec(h, 2)));
                    if let Some(s) = ttl {
                        parts.push(format!("ttl = \"{s}s\""));
                    }
                }
                (None, Some(s)) => parts.push(format!("item_ttl = \"{s}s\"")),
                (None, None) => {}
            }
            if let Some(s) = d.query_ttl_s {
                parts.push(format!("query_ttl = \"{s}s\""));
            }
            if let Some(l) = &d.hit_latency {
                parts.push(format!("hit_latency = {}", q(&l.render())));
            }
            if let Some(k) = d.node_type {
                parts.push(format!("node_type = {}", q(DAX_NODE_TYPES[k])));
            }
            if let Some(n) = d.nodes {
                parts.push(format!("nodes = {n}"));
            }
            let _ = writeln!(t, "dax = {{ {} }}", parts.join(", "));
        }
        for line in self.table_geo_lines(i) {
            let _ = writeln!(t, "{line}");
        }
        if let Some(g) = tb.size_gb {
            let _ = writeln!(t, "size_gb = {}", dec(g, 1));
        }
        if let Some((n, base, extra)) = &tb.sdk_retry {
            let mut parts = Vec::new();
            if let Some(n) = n {
                parts.push(format!("max_attempts = {n}"));
            }
            let b = base.unwrap_or(25);
            if base.is_some() {
                parts.push(format!("base = \"{b}ms\""));
            }
            if let Some(x) = extra {
                parts.push(format!("max_backoff = \"{}ms\"", b + x));
            }
            let _ = writeln!(t, "sdk_retry = {{ {} }}", parts.join(", "));
        }
    }
}
