//! DynamoDB tables: strategy and rendering.

use super::values::{dec, dist, D};
use super::{q, Scen};
use proptest::option::weighted as maybe;
use proptest::prelude::*;
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
    /// hit ratio x 100, ttl [s], hit latency
    pub dax: Option<(u32, Option<u32>, Option<D>)>,
    /// max_attempts, base [ms], max_backoff - base [ms]
    pub sdk_retry: Option<(Option<u32>, Option<u32>, Option<u32>)>,
}

pub(super) fn table() -> impl Strategy<Value = Table> {
    (
        maybe(0.5, (1u32..=1000, 1u32..=1000)),
        maybe(0.3, (0u32..=6000, 0u32..=2000)),
        maybe(0.5, any::<bool>()),
        maybe(0.3, 0u32..=300),
        maybe(0.3, dist(20_000)),
        maybe(0.3, dist(20_000)),
        maybe(
            0.3,
            (0u32..=100, maybe(0.5, 0u32..=3600), maybe(0.5, dist(2_000))),
        ),
        maybe(
            0.3,
            (
                maybe(0.7, 1u32..=10),
                maybe(0.7, 1u32..=100),
                maybe(0.7, 0u32..=2000),
            ),
        ),
    )
        .prop_map(
            |(provisioned, peaks, strong, burst_seconds, read_latency, write_latency, dax, sdk)| {
                Table {
                    provisioned,
                    peaks,
                    strong,
                    burst_seconds,
                    read_latency,
                    write_latency,
                    dax,
                    sdk_retry: sdk,
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
        if let Some((hr, ttl, lat)) = &tb.dax {
            let mut parts = vec![format!("hit_ratio = {}", dec(*hr, 2))];
            if let Some(s) = ttl {
                parts.push(format!("ttl = \"{s}s\""));
            }
            if let Some(d) = lat {
                parts.push(format!("hit_latency = {}", q(&d.render())));
            }
            let _ = writeln!(t, "dax = {{ {} }}", parts.join(", "));
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
