//! A table's figures and its rows of the text summary.

use indexmap::IndexMap;

use crate::services::findings::{clock, count, pct, Finding, FindingsCx};
use serde::Serialize;

use super::DynamoDbTable;
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

/// A DynamoDB table's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TableStats {
    /// Read requests (get, query, scan); SDK retries are not counted again.
    pub reads: u64,
    /// Write requests.
    pub writes: u64,
    /// Attempts rejected by capacity (ProvisionedThroughputExceeded).
    pub throttled: u64,
    /// SDK retries sent after throttles.
    pub retries: u64,
    /// Requests that failed after the SDK's last attempt.
    pub failed: u64,
    /// Reads answered by DAX.
    pub dax_hits: u64,
    /// Read capacity consumed [RCU-seconds, i.e. read units].
    pub consumed_rcu: f64,
    /// Write capacity consumed [write units].
    pub consumed_wcu: f64,
    /// `"provisioned"` or `"on-demand"` (for pricing).
    pub mode: CapacityMode,
    /// Provisioned RCU (0 for on-demand).
    pub rcu: f64,
    /// Provisioned WCU (0 for on-demand).
    pub wcu: f64,
}

/// A table's figures.
pub fn collect(t: &DynamoDbTable) -> TableStats {
    let k = &t.counters;
    TableStats {
        reads: k.reads,
        writes: k.writes,
        throttled: k.throttled,
        retries: k.retries,
        failed: k.failed,
        dax_hits: k.dax_hits,
        consumed_rcu: k.consumed_rcu,
        consumed_wcu: k.consumed_wcu,
        mode: t.mode,
        rcu: t.provisioned.0,
        wcu: t.provisioned.1,
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
        ]);
    }
    t.render(out);
}

/// A table's findings: throttles per attempt and per request, and when;
/// the peak consumption per second against provisioned capacity.
pub fn findings(stats: &IndexMap<String, TableStats>, cx: &FindingsCx<'_>, out: &mut Vec<Finding>) {
    for (name, tb) in stats {
        let component = format!("table {name}");
        if tb.throttled > 0 {
            let when = cx.during(name, "throttled");
            out.push(Finding {
                topic: "throttles",
                component: component.clone(),
                message: format!(
                    "{} attempts throttled{when} (per attempt); {} of {} requests failed after \
                     the SDK's last attempt (per request)",
                    count(tb.throttled),
                    count(tb.failed),
                    count(tb.reads + tb.writes)
                ),
            });
        }
        if tb.mode != CapacityMode::Provisioned {
            continue;
        }
        let every = if cx.interval_s() > 1.0 {
            format!(" (mean over {} s intervals)", cx.interval_s())
        } else {
            String::new()
        };
        for (metric, unit, cap) in [
            ("consumed_rcu", "RCU", tb.rcu),
            ("consumed_wcu", "WCU", tb.wcu),
        ] {
            let Some((peak, at)) = cx.peak(name, metric) else {
                continue;
            };
            if cap <= 0.0 || peak <= 0.0 {
                continue;
            }
            out.push(Finding {
                topic: "capacity",
                component: component.clone(),
                message: format!(
                    "peak {unit} consumed {:.0}/s at {}{every}: {} of the {:.0} provisioned",
                    peak,
                    clock(at),
                    pct(peak, cap),
                    cap
                ),
            });
        }
    }
}
