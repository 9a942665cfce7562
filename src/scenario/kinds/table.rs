//! `[[table]]` (DynamoDB): its raw structs and their validation into
//! [`Table`] (capacity mode, consistency, burst credit, partitions,
//! adaptive capacity, warm throughput and on-demand maximum, latencies,
//! DAX, SDK retries; GSIs in `table_gsi.rs`, auto scaling in
//! `table_autoscale.rs`).
//!
//! Must not know: how capacity is consumed or requests throttled.

use toml::Value;

use super::{Given, Kind};
use crate::engine::SimDuration;
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::locate::FieldPath;
use crate::scenario::raw::Required;
use crate::scenario::shape::{strip_each, strip_sub};
use crate::scenario::validate::{choice, dist, dur_in, in_range, int_in};

#[path = "table_autoscale.rs"]
mod autoscale;
#[path = "table_gsi.rs"]
mod gsi;
#[path = "sdk_retry.rs"]
pub(super) mod sdk_retry;

use autoscale::RawAutoScaling;
use sdk_retry::RawSdkRetry;

/// `[[table]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    pub name: String,
    pub capacity: Option<String>,
    pub rcu: Option<f64>,
    pub wcu: Option<f64>,
    pub initial_read_peak: Option<f64>,
    pub initial_write_peak: Option<f64>,
    pub consistency: Option<String>,
    pub burst_seconds: Option<f64>,
    pub read_latency: Option<String>,
    pub write_latency: Option<String>,
    pub dax: Option<RawDax>,
    pub sdk_retry: Option<RawSdkRetry>,
    /// Table size \[GB\] (storage cost).
    pub size_gb: Option<f64>,
    /// Partitions, set explicitly.
    pub partitions: Option<i64>,
    /// Adaptive capacity (default true).
    pub adaptive_capacity: Option<bool>,
    /// Warm throughput \[units/s\].
    pub warm_reads: Option<f64>,
    pub warm_writes: Option<f64>,
    /// On-demand maximum throughput \[units/s\].
    pub max_read_units: Option<f64>,
    pub max_write_units: Option<f64>,
    /// Global secondary indexes (`[[table.gsi]]`).
    pub gsi: Option<Vec<gsi::RawGsi>>,
    /// Auto scaling of the provisioned capacity.
    pub auto_scaling: Option<RawAutoScaling>,
    /// A DynamoDB stream of the table's writes.
    pub stream: Option<bool>,
    /// Global table: Regions holding a replica.
    pub replicas: Option<Vec<String>>,
    /// Global table: delay of a replicated write.
    pub replication_lag: Option<String>,
}

/// `dax = { ... }` of a table.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDax {
    /// A fixed hit ratio; without it the hit ratio emerges.
    pub hit_ratio: Option<f64>,
    /// The item cache TTL (older name of `item_ttl`).
    pub ttl: Option<String>,
    pub item_ttl: Option<String>,
    pub query_ttl: Option<String>,
    pub hit_latency: Option<String>,
    /// Node type, e.g. `"dax.r5.large"` (cost).
    pub node_type: Option<String>,
    /// Nodes in the cluster (cost).
    pub nodes: Option<i64>,
}

impl Required for RawTable {
    const REQUIRED: &'static [&'static str] = &["name"];
}
impl Required for RawDax {}

impl Kind for RawTable {
    type Model = Table;

    fn strip_nested(cx: &mut Cx<'_>, path: &FieldPath, v: &mut Value) -> Vec<&'static str> {
        let mut m = strip_sub::<RawDax>(cx, path, v, "dax");
        m.extend(strip_sub::<RawSdkRetry>(cx, path, v, "sdk_retry"));
        m.extend(strip_sub::<RawAutoScaling>(cx, path, v, "auto_scaling"));
        m.extend(strip_each::<gsi::RawGsi>(cx, path, v, "gsi"));
        if let Some(Value::Array(list)) = v.get_mut("gsi") {
            for (k, g) in list.iter_mut().enumerate() {
                let gp = path.join("gsi").join(k);
                m.extend(strip_sub::<RawAutoScaling>(cx, &gp, g, "auto_scaling"));
            }
        }
        m
    }

    fn validate(&self, cx: &mut Cx<'_>, i: usize, given: &Given<'_>) -> Option<Table> {
        let global = super::geo::global(
            cx,
            &crate::fp!["table", i],
            &self.replicas,
            &self.replication_lag,
            given.simulation,
        );
        let t = table(cx, i, self, given.simulation.start)?;
        Some(Table { global, ..t })
    }
}

/// Validates one `[[table]]`; `clock` is `[simulation] start` (the UTC
/// days of auto scaling's decrease quota).
fn table(cx: &mut Cx<'_>, i: usize, r: &RawTable, clock: SimDuration) -> Option<Table> {
    let before = cx.problems.len();
    let p = |f: &str| crate::fp!["table", i, f];
    let provisioned = choice(
        cx,
        &p("capacity"),
        &r.capacity,
        &[("on-demand", false), ("provisioned", true)],
        false,
    );
    let capacity = if provisioned {
        for (f, v) in [
            ("initial_read_peak", r.initial_read_peak),
            ("initial_write_peak", r.initial_write_peak),
        ] {
            if v.is_some() {
                cx.key_err(
                    &p(f),
                    format!("`{f}` only applies to on-demand tables"),
                    "remove it, or set capacity = \"on-demand\"",
                );
            }
        }
        let mut unit = |f: &str, v: Option<f64>| match v {
            None => {
                cx.err(
                    &p(f),
                    format!("`{f}` is required when capacity = \"provisioned\""),
                    format!("add e.g. {f} = 100"),
                );
                1.0
            }
            Some(v) => in_range(
                cx,
                &p(f),
                v,
                1.0,
                limits::TABLE_MAX_UNITS,
                "capacity units per second; AWS's default quota is 40000 per table (aws-facts 5.1)",
            ),
        };
        Capacity::Provisioned {
            rcu: unit("rcu", r.rcu),
            wcu: unit("wcu", r.wcu),
        }
    } else {
        for (f, v) in [("rcu", r.rcu), ("wcu", r.wcu)] {
            if v.is_some() {
                cx.key_err(
                    &p(f),
                    format!("`{f}` only applies to provisioned tables"),
                    "set capacity = \"provisioned\", or remove it",
                );
            }
        }
        // aws-facts 5.3: a new on-demand table serves 12,000 RRU / 4,000 WRU at
        // once (twice the previous peak), so the "previous peak" is half that.
        let rp = r.initial_read_peak.unwrap_or(DEFAULT_INITIAL_READ_PEAK);
        let wp = r.initial_write_peak.unwrap_or(DEFAULT_INITIAL_WRITE_PEAK);
        in_range(
            cx,
            &p("initial_read_peak"),
            rp,
            0.0,
            limits::TABLE_MAX_UNITS,
            "read request units per second; AWS's default quota is 40000 per table (aws-facts 5.1)",
        );
        in_range(
            cx,
            &p("initial_write_peak"),
            wp,
            0.0,
            limits::TABLE_MAX_UNITS,
            "write request units per second; AWS's default quota is 40000 per table (aws-facts 5.1)",
        );
        Capacity::OnDemand {
            initial_read_peak: rp,
            initial_write_peak: wp,
        }
    };
    let consistency = choice(
        cx,
        &p("consistency"),
        &r.consistency,
        &[
            ("eventual", Consistency::Eventual),
            ("strong", Consistency::Strong),
        ],
        Consistency::Eventual,
    );
    // aws-facts 5.2: burst credit = 300 s of unused capacity.
    let burst_seconds = r.burst_seconds.unwrap_or(DEFAULT_BURST_SECONDS);
    in_range(
        cx,
        &p("burst_seconds"),
        burst_seconds,
        0.0,
        limits::MAX_BURST_SECONDS,
        "seconds of unused capacity kept as burst credit (AWS: 300, aws-facts 5.2)",
    );
    let read_latency = dist(
        cx,
        &p("read_latency"),
        &r.read_latency,
        Table::default_read_latency(),
    );
    let write_latency = dist(
        cx,
        &p("write_latency"),
        &r.write_latency,
        Table::default_write_latency(),
    );
    let mut dax_nodes = DaxNodes::default();
    let dax = r.dax.as_ref().map(|d| {
        let dp = p("dax");
        dax_nodes = dax_cluster(cx, &dp, d);
        if let Some(h) = d.hit_ratio {
            in_range(
                cx,
                &dp.join("hit_ratio"),
                h,
                0.0,
                1.0,
                "a fraction between 0 and 1; omit it for a hit ratio that emerges from the calls' keys and item_ttl",
            );
        }
        if d.ttl.is_some() && d.item_ttl.is_some() {
            cx.key_err(
                &dp.join("ttl"),
                "both `ttl` and `item_ttl`",
                "`ttl` is the older name of `item_ttl`: keep one",
            );
        }
        const TTL_HINT: &str = "the time an item (or a query's result) stays in the cache; 0 caches nothing (AWS's 0, keep until evicted, is not modelled)";
        let ttl_in = |cx: &mut Cx<'_>, f: &str, raw: &Option<String>, d| {
            dur_in(cx, &dp.join(f), raw, d, (0, MAX_DAX_TTL), "0s..=30d", TTL_HINT)
        };
        let ttl = match &d.ttl {
            Some(_) => ttl_in(cx, "ttl", &d.ttl, DEFAULT_DAX_TTL),
            None => ttl_in(cx, "item_ttl", &d.item_ttl, DEFAULT_DAX_TTL),
        };
        let query_ttl = ttl_in(cx, "query_ttl", &d.query_ttl, DEFAULT_DAX_QUERY_TTL);
        let hit_latency = dist(
            cx,
            &dp.join("hit_latency"),
            &d.hit_latency,
            Dax::default_hit_latency(),
        );
        Dax {
            hit_ratio: d.hit_ratio,
            ttl,
            query_ttl,
            hit_latency,
        }
    });
    let sdk_retry = match &r.sdk_retry {
        None => SdkRetry::standard(),
        Some(s) => sdk_retry::sdk_retry(cx, &p("sdk_retry"), s),
    };
    let size_gb = r.size_gb.map(|v| {
        in_range(
            cx,
            &p("size_gb"),
            v,
            0.0,
            MAX_TABLE_SIZE_GB,
            "the table's size in GB, for its storage cost ($0.25 per GB-month, aws-facts 5.7); omit it to leave storage unpriced",
        )
    });
    let partitions = r.partitions.map(|n| {
        int_in(
            cx,
            &p("partitions"),
            Some(n),
            1,
            (1, i64::from(MAX_PARTITIONS)),
            "the table's partitions, 1..=100000; omit it to derive them from capacity and size (3,000 RCU, 1,000 WCU, 10 GB each, aws-facts 5.1)",
        ) as u32
    });
    let adaptive_capacity = r.adaptive_capacity.unwrap_or(true);
    let (warm, max_units) = throughput(cx, i, r, provisioned);
    let auto_scaling = r.auto_scaling.as_ref().and_then(|a| {
        autoscale::auto_scaling(cx, &p("auto_scaling"), a, &capacity, "table", clock)
    });
    let gsis = gsi::gsis(cx, i, r, &capacity, clock);
    if cx.problems.len() > before {
        return None;
    }
    let t = Table {
        name: r.name.clone(),
        capacity,
        consistency,
        burst_seconds,
        read_latency,
        write_latency,
        dax,
        dax_nodes,
        sdk_retry,
        size_gb,
        partitions,
        adaptive_capacity,
        warm,
        max_units,
        gsis,
        auto_scaling,
        stream: r.stream.unwrap_or(false),
        global: None,
    };
    if let Some(n) = partitions {
        let (r, w) = t.warm_throughput();
        let need = partitions_for(r, w, 0.0);
        if n < need {
            cx.warn(
                &p("partitions"),
                format!(
                    "partitions = {n} is below the {need} its throughput needs (ceil(reads / 3000 + writes / 1000)): each partition still serves at most 3,000 RCU and 1,000 WCU a second, so the table cannot reach its capacity"
                ),
            );
        }
    }
    Some(t)
}

/// `warm_reads`, `warm_writes` (both modes) and `max_read_units`,
/// `max_write_units` (on demand) of table `i`.
fn throughput(
    cx: &mut Cx<'_>,
    i: usize,
    r: &RawTable,
    provisioned: bool,
) -> ((Option<f64>, Option<f64>), (f64, f64)) {
    let p = |f: &str| crate::fp!["table", i, f];
    let hint = "units per second the table serves at once (AWS warm throughput); 1..=1000000";
    let warm = |cx: &mut Cx<'_>, f: &str, v: Option<f64>| {
        v.map(|v| in_range(cx, &p(f), v, 1.0, MAX_RAISED_UNITS, hint))
    };
    let warm = (
        warm(cx, "warm_reads", r.warm_reads),
        warm(cx, "warm_writes", r.warm_writes),
    );
    let mut max = (DEFAULT_MAX_UNITS, DEFAULT_MAX_UNITS);
    for (f, v, m, w) in [
        ("max_read_units", r.max_read_units, &mut max.0, warm.0),
        ("max_write_units", r.max_write_units, &mut max.1, warm.1),
    ] {
        let Some(v) = v else { continue };
        if provisioned {
            cx.key_err(
                &p(f),
                format!("`{f}` only applies to on-demand tables"),
                "remove it; a provisioned table serves its rcu and wcu",
            );
            continue;
        }
        *m = in_range(
            cx,
            &p(f),
            v,
            1.0,
            MAX_RAISED_UNITS,
            "on-demand maximum in units per second: the per-table quota is 40000 (aws-facts 5.1, 10.14), raisable; set it lower to cap the table",
        );
        if let Some(w) = w.filter(|&w| w > v) {
            let warm_f = if f.starts_with("max_read") {
                "warm_reads"
            } else {
                "warm_writes"
            };
            cx.err(
                &p(f),
                format!("{f} {v} is below {warm_f} {w}"),
                format!(
                    "the warm throughput cannot exceed the maximum: raise {f} or lower {warm_f}"
                ),
            );
        }
    }
    (warm, max)
}

/// A DAX cluster's `node_type` and `nodes` (what it costs).
fn dax_cluster(cx: &mut Cx<'_>, dp: &FieldPath, d: &RawDax) -> DaxNodes {
    let node_type = match &d.node_type {
        None => DEFAULT_DAX_NODE_TYPE.to_string(),
        Some(t) if DAX_NODE_TYPES.contains(&t.as_str()) => t.clone(),
        Some(t) => {
            let hint = crate::scenario::error::did_you_mean(t, DAX_NODE_TYPES.iter().copied())
                .unwrap_or_else(|| {
                    format!(
                        "priced node types (aws-facts 10.1): {}",
                        crate::scenario::error::list(DAX_NODE_TYPES)
                    )
                });
            cx.err(
                &dp.join("node_type"),
                format!("unknown or unpriced DAX node type `{t}`"),
                hint,
            );
            DEFAULT_DAX_NODE_TYPE.to_string()
        }
    };
    let count = int_in(
        cx,
        &dp.join("nodes"),
        d.nodes,
        DEFAULT_DAX_NODES.into(),
        (1, MAX_DAX_NODES.into()),
        "a DAX cluster has 1 primary + up to 10 replicas; AWS recommends at least 3 for production (aws-facts 10.1)",
    ) as u32;
    DaxNodes { node_type, count }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::assert_required;

    #[test]
    fn nested_required_fields_are_required() {
        assert_required::<RawDax>();
    }
}
