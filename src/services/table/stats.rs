//! A table's figures (with its hottest partitions and its GSIs') and its
//! rows of the text summary.

use indexmap::IndexMap;

use serde::Serialize;

use super::capacity::Throughput;
use super::partitions::{READ, WRITE};
use super::DynamoDbTable;
use crate::engine::{SimDuration, SimTime};
use crate::metrics::text::{thousands, units, Table};

/// DynamoDB capacity mode, as reported and priced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum CapacityMode {
    /// Provisioned RCU and WCU, billed by the hour.
    #[default]
    #[serde(rename = "provisioned")]
    Provisioned,
    /// Billed per request unit.
    #[serde(rename = "on-demand")]
    OnDemand,
}

/// Throttled attempts by where they were refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ThrottleCauses {
    /// By a partition's own limit while the table had capacity (a hot
    /// partition or key).
    pub partition: u64,
    /// By the table's capacity (provisioned rate and burst, on-demand
    /// budget).
    pub table: u64,
    /// By a GSI: a write whose index entry a GSI could not take, or a
    /// Query of an index beyond its capacity.
    pub gsi: u64,
}

/// What auto scaling did to a table or GSI (over the whole run; the mean
/// over the measured window).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct AutoScalingStats {
    /// Target utilisation \[%\].
    pub target: f64,
    /// Increases decided (UpdateTable calls, reads and writes).
    pub scale_outs: u32,
    /// Decreases decided.
    pub scale_ins: u32,
    /// Scale-ins the daily decrease quota refused (each wait counted
    /// once, however many minutes it lasted).
    pub scale_ins_refused: u32,
    /// Lowest provisioned RCU in effect.
    pub lowest_rcu: f64,
    /// Highest provisioned RCU in effect.
    pub highest_rcu: f64,
    /// Lowest provisioned WCU in effect.
    pub lowest_wcu: f64,
    /// Highest provisioned WCU in effect.
    pub highest_wcu: f64,
    /// Mean provisioned RCU over the measured window (what is billed).
    pub mean_rcu: f64,
    /// Mean provisioned WCU over the measured window (what is billed).
    pub mean_wcu: f64,
    /// Provisioned RCU at the end of the run.
    pub end_rcu: f64,
    /// Provisioned WCU at the end of the run.
    pub end_wcu: f64,
}

impl AutoScalingStats {
    /// The figures of `tp` (after [`Throughput::mean_capacity`], whose
    /// result is `mean`), or `None` without auto scaling.
    fn of(tp: &Throughput, mean: [f64; 2]) -> Option<Self> {
        let c = tp.auto_scaling()?;
        let end = tp.capacity();
        Some(Self {
            // A percentage as written (0.7 x 100 may not be exactly 70).
            target: (tp.target().unwrap_or(0.0) * 1e8).round() / 1e6,
            scale_outs: c.scale_outs,
            scale_ins: c.scale_ins,
            scale_ins_refused: c.scale_ins_refused,
            lowest_rcu: c.lowest[READ],
            highest_rcu: c.highest[READ],
            lowest_wcu: c.lowest[WRITE],
            highest_wcu: c.highest[WRITE],
            mean_rcu: mean[READ],
            mean_wcu: mean[WRITE],
            end_rcu: end[READ],
            end_wcu: end[WRITE],
        })
    }
}

/// The provisioned capacity billed \[units/s\] (reads, writes): the mean
/// under auto scaling, else the fixed `rcu` and `wcu`.
pub fn billed(auto: Option<&AutoScalingStats>, rcu: f64, wcu: f64) -> (f64, f64) {
    auto.map_or((rcu, wcu), |a| (a.mean_rcu, a.mean_wcu))
}

/// One partition's figures over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PartitionStats {
    /// Its position in key-hash order at the end of the run (0-based).
    pub partition: u32,
    /// Share of the key-hash space it holds.
    pub key_share: f64,
    /// Read units consumed.
    pub consumed_rcu: f64,
    /// Write units consumed.
    pub consumed_wcu: f64,
    /// Attempts its own limit refused.
    pub throttled: u64,
    /// Consumed / (its per-second ceiling x measured seconds), reads: the
    /// ceiling is the partition maximum (3,000 RCU), or its share of
    /// provisioned capacity with adaptive capacity off.
    pub utilisation_rcu: f64,
    /// The same for writes (maximum 1,000 WCU).
    pub utilisation_wcu: f64,
}

/// A GSI's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GsiStats {
    /// Partitions at the end of the run.
    pub partitions: u32,
    /// Read units consumed (Queries and Scans of the index).
    pub consumed_rcu: f64,
    /// Write units consumed (index entries of the table's writes).
    pub consumed_wcu: f64,
    /// Attempts the index refused.
    pub throttled: u64,
    /// Provisioned RCU (0 on demand); with auto scaling, at the start.
    pub rcu: f64,
    /// Provisioned WCU (0 on demand); with auto scaling, at the start.
    pub wcu: f64,
    /// Consumed / (mean capacity x measured seconds), reads.
    pub utilisation_rcu: f64,
    /// The same for writes.
    pub utilisation_wcu: f64,
    /// The index's own auto scaling; `null` when off.
    pub auto_scaling: Option<AutoScalingStats>,
    /// The hottest partitions (at most 5).
    pub hot_partitions: Vec<PartitionStats>,
}

/// How many of the hottest partitions are reported.
pub const HOT_PARTITIONS: usize = 5;

/// A DynamoDB table's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableStats {
    /// Read requests (get, query, scan); SDK retries are not counted again.
    pub reads: u64,
    /// Write requests.
    pub writes: u64,
    /// Attempts rejected by capacity (ProvisionedThroughputExceeded).
    pub throttled: u64,
    /// Throttled attempts by where they were refused.
    pub throttle_causes: ThrottleCauses,
    /// SDK retries sent after throttles.
    pub retries: u64,
    /// Requests that failed after the SDK's last attempt.
    pub failed: u64,
    /// Of `failed`: the SDK gave up because its retry quota was empty.
    pub quota_exhausted: u64,
    /// Attempts that waited for a send token (adaptive retry mode).
    pub rate_limited: u64,
    /// Reads answered by DAX.
    pub dax_hits: u64,
    /// DAX's figures (whether its hit ratio emerged, and its counters),
    /// reported in the `caches` section.
    #[serde(skip)]
    pub dax: Option<(bool, crate::services::caches::CacheFigures)>,
    /// Read capacity consumed by the table (not its GSIs) [read units].
    pub consumed_rcu: f64,
    /// Write capacity consumed by the table (not its GSIs) [write units].
    pub consumed_wcu: f64,
    /// `"provisioned"` or `"on-demand"` (for pricing).
    pub mode: CapacityMode,
    /// Provisioned RCU (0 for on-demand); with auto scaling, at the start.
    pub rcu: f64,
    /// Provisioned WCU (0 for on-demand); with auto scaling, at the start.
    pub wcu: f64,
    /// What auto scaling did; `null` when off (fixed or on demand).
    pub auto_scaling: Option<AutoScalingStats>,
    /// Consumed / (mean capacity x measured seconds), reads: the capacity
    /// is the provisioned RCU, or on demand the warm throughput.
    pub utilisation_rcu: f64,
    /// The same for writes.
    pub utilisation_wcu: f64,
    /// Adaptive capacity on (AWS's behaviour) or off (teaching).
    pub adaptive_capacity: bool,
    /// Partitions at the end of the run.
    pub partitions: u32,
    /// Partitions split for heat during the run.
    pub heat_splits: u32,
    /// The hottest partitions (at most 5): most throttled
    /// first, then most used.
    pub hot_partitions: Vec<PartitionStats>,
    /// Each GSI's figures, in scenario order.
    pub gsis: IndexMap<String, GsiStats>,
    /// A global table's replicated writes per replica Region; `None`: a
    /// single-Region table.
    pub replication: Option<super::replicas::ReplicationStats>,
}

/// The figures of the hottest partitions of `tp`.
fn hottest(tp: &Throughput, seconds: f64) -> Vec<PartitionStats> {
    let parts = &tp.parts;
    let util = |units: f64, d: usize| {
        let cap = parts.ceiling(d) * seconds;
        if cap > 0.0 {
            units / cap
        } else {
            0.0
        }
    };
    parts
        .hottest(HOT_PARTITIONS)
        .into_iter()
        .map(|i| {
            let p = &parts.parts[i];
            PartitionStats {
                partition: i as u32,
                key_share: parts.key_share(i),
                consumed_rcu: p.consumed[READ],
                consumed_wcu: p.consumed[WRITE],
                throttled: p.throttled[READ] + p.throttled[WRITE],
                utilisation_rcu: util(p.consumed[READ], READ),
                utilisation_wcu: util(p.consumed[WRITE], WRITE),
            }
        })
        .collect()
}

/// `consumed / (capacity x seconds)`, 0 without capacity.
fn ratio(consumed: f64, capacity: f64, seconds: f64) -> f64 {
    if capacity * seconds > 0.0 {
        consumed / (capacity * seconds)
    } else {
        0.0
    }
}

/// A table's figures at the end of the run (`end`), measured over
/// `measured` \[ns\].
pub fn collect(t: &mut DynamoDbTable, end: SimTime, measured: SimDuration) -> TableStats {
    let seconds = crate::engine::ns_to_secs(measured);
    let cap = t.base.mean_capacity(end);
    let k = &t.counters;
    let gsis = t
        .gsis
        .iter_mut()
        .map(|g| {
            let gcap = g.tp.mean_capacity(end);
            let consumed = g.tp.consumed();
            let stats = GsiStats {
                partitions: g.tp.parts.len() as u32,
                consumed_rcu: consumed[READ],
                consumed_wcu: consumed[WRITE],
                throttled: g.tp.throttled(),
                rcu: g.provisioned.0,
                wcu: g.provisioned.1,
                utilisation_rcu: ratio(consumed[READ], gcap[READ], seconds),
                utilisation_wcu: ratio(consumed[WRITE], gcap[WRITE], seconds),
                auto_scaling: AutoScalingStats::of(&g.tp, gcap),
                hot_partitions: hottest(&g.tp, seconds),
            };
            (g.name.clone(), stats)
        })
        .collect();
    TableStats {
        reads: k.reads,
        writes: k.writes,
        throttled: k.throttled,
        throttle_causes: k.causes,
        retries: k.retries,
        failed: k.failed,
        quota_exhausted: k.quota_exhausted,
        rate_limited: k.rate_limited,
        dax_hits: k.dax_hits,
        dax: t.dax.as_ref().map(|d| (d.emergent(), d.figures)),
        consumed_rcu: k.consumed_rcu,
        consumed_wcu: k.consumed_wcu,
        mode: t.mode,
        rcu: t.provisioned.0,
        wcu: t.provisioned.1,
        auto_scaling: AutoScalingStats::of(&t.base, cap),
        utilisation_rcu: ratio(k.consumed_rcu, cap[READ], seconds),
        utilisation_wcu: ratio(k.consumed_wcu, cap[WRITE], seconds),
        adaptive_capacity: t.adaptive,
        partitions: t.base.parts.len() as u32,
        heat_splits: t.base.parts.heat_splits,
        hot_partitions: hottest(&t.base, seconds),
        gsis,
        replication: None,
    }
}

/// One row per table.
pub fn text(stats: &IndexMap<String, TableStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "table",
        "reads",
        "writes",
        "throttled attempts",
        "gave up (requests)",
        "RCU used",
        "WCU used",
        "partitions",
    ]);
    for (name, tb) in stats {
        t.row([
            name.clone(),
            thousands(tb.reads),
            thousands(tb.writes),
            thousands(tb.throttled),
            thousands(tb.failed),
            units(tb.consumed_rcu),
            units(tb.consumed_wcu),
            thousands(u64::from(tb.partitions)),
        ]);
    }
    t.render(out);
}
