//! A table's figures and its rows of the text summary.

use indexmap::IndexMap;
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
        "throttled",
        "RCU used",
        "WCU used",
    ]);
    for (name, tb) in stats {
        t.row([
            name.clone(),
            thousands(tb.reads),
            thousands(tb.writes),
            thousands(tb.throttled),
            units(tb.consumed_rcu),
            units(tb.consumed_wcu),
        ]);
    }
    t.render(out);
}
