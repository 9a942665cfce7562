//! DynamoDB's bill: provisioned capacity by the hour (under auto scaling,
//! the measured window's mean), or request units on
//! demand (the table's and its GSIs'), and storage (`size_gb`, less the free 25 GB); and the DAX
//! cluster's nodes by the hour ([`dax_bill`]). The DynamoDB free tier of
//! capacity is not modelled.

use indexmap::IndexMap;

use super::stats::billed;
use super::{CapacityMode, TableStats};
use crate::cost::settings::TableBilling;
use crate::cost::{billable_fraction, Bill, DynamoDbPrices, Pricing, MONTH_HOURS};

/// The settings of the table at `i` named `name`, if the pricing has the
/// scenario's.
fn settings<'a>(p: &Pricing<'a>, i: usize, name: &str) -> Option<&'a TableBilling> {
    p.settings.and_then(|s| s.table(i, name))
}

/// The monthly bill of every table.
pub fn bill(stats: &IndexMap<String, TableStats>, p: &Pricing<'_>) -> Bill {
    let sizes: Vec<f64> = stats
        .keys()
        .enumerate()
        .map(|(i, name)| settings(p, i, name).and_then(|t| t.size_gb).unwrap_or(0.0))
        .collect();
    let storage = storage_costs(&sizes, &p.prices.dynamodb, p.free_tier, p.always_on());
    let costs = stats
        .values()
        .zip(storage)
        .map(|(t, storage)| {
            // GSIs are billed like the table: their own provisioned
            // capacity, or the request units they consume (index entries
            // of the table's writes, and index reads).
            let gsi = |f: fn(&super::GsiStats) -> f64| t.gsis.values().map(f).sum::<f64>();
            let usage = match t.mode {
                // Capacity-hours over the window, projected: the whole month
                // (under auto scaling, the window's mean capacity).
                CapacityMode::Provisioned => {
                    let (rcu, wcu) = billed(t.auto_scaling.as_ref(), t.rcu, t.wcu);
                    fn g(g: &super::GsiStats) -> (f64, f64) {
                        billed(g.auto_scaling.as_ref(), g.rcu, g.wcu)
                    }
                    TableUsage::Provisioned {
                        rcu: (rcu + gsi(|x| g(x).0)) * p.always_on(),
                        wcu: (wcu + gsi(|x| g(x).1)) * p.always_on(),
                    }
                }
                CapacityMode::OnDemand => TableUsage::OnDemand {
                    read_units: (t.consumed_rcu + gsi(|g| g.consumed_rcu)) * p.scale,
                    write_units: (t.consumed_wcu + gsi(|g| g.consumed_wcu)) * p.scale,
                },
            };
            table_cost(&usage, &p.prices.dynamodb)
                + replica_cost(t, p.scale, p.always_on(), &p.prices.dynamodb)
                + storage
        })
        .collect::<Vec<f64>>();
    Bill {
        service: "dynamodb",
        components: stats.keys().cloned().zip(costs).collect(),
    }
}

/// Monthly cost of a global table's replicated writes \[USD\] (aws-facts
/// 10.12): on demand, the replicated write request units (`scale`
/// projects the window to the month); provisioned, each replica's write
/// capacity, the source's (billed) WCU \[A\], by the rWCU-hour, kept
/// `on` of the month. A replica's reads, read capacity and storage are
/// not priced (docs/model.md, "Global users and global tables").
pub fn replica_cost(t: &TableStats, scale: f64, on: f64, p: &DynamoDbPrices) -> f64 {
    let Some(r) = &t.replication else { return 0.0 };
    match t.mode {
        CapacityMode::OnDemand => {
            r.write_units() * scale * p.replicated_write_request_usd_per_million / 1e6
        }
        CapacityMode::Provisioned => {
            let (_, wcu) = billed(t.auto_scaling.as_ref(), t.rcu, t.wcu);
            wcu * r.replicas.len() as f64 * on * p.rwcu_usd_per_hour * MONTH_HOURS
        }
    }
}

/// One table's monthly usage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TableUsage {
    /// Provisioned capacity, billed per capacity-hour, used or not.
    Provisioned {
        /// Read capacity units kept all month.
        rcu: f64,
        /// Write capacity units kept all month.
        wcu: f64,
    },
    /// On-demand: billed per request unit.
    OnDemand {
        /// Read request units [RRU per month].
        read_units: f64,
        /// Write request units [WRU per month].
        write_units: f64,
    },
}

/// Monthly DynamoDB capacity cost of a table \[USD\] (storage is
/// [`storage_costs`]; the DynamoDB free tier of capacity is not modelled).
pub fn table_cost(t: &TableUsage, p: &DynamoDbPrices) -> f64 {
    match *t {
        TableUsage::Provisioned { rcu, wcu } => {
            (rcu * p.rcu_usd_per_hour + wcu * p.wcu_usd_per_hour) * MONTH_HOURS
        }
        TableUsage::OnDemand {
            read_units,
            write_units,
        } => {
            read_units * p.read_request_usd_per_million / 1e6
                + write_units * p.write_request_usd_per_million / 1e6
        }
    }
}

/// Monthly storage cost of each table \[USD\] from its size \[GB\], kept
/// `on` of the 730-hour month: $ per GB-month, less the free GB (when
/// `free_tier`) shared by all tables in proportion to their size
/// (aws-facts 5.7 "Storage").
pub fn storage_costs(size_gb: &[f64], p: &DynamoDbPrices, free_tier: bool, on: f64) -> Vec<f64> {
    let total: f64 = size_gb.iter().sum();
    let left = if free_tier {
        billable_fraction(total, p.free_storage_gb_per_month)
    } else {
        1.0
    };
    size_gb
        .iter()
        .map(|g| g * left * p.storage_usd_per_gb_month * on)
        .collect()
}

/// The monthly bill of the DAX clusters (every node, every hour, no free
/// tier: aws-facts 10.1), or `None` without a scenario or a table with
/// DAX.
pub fn dax_bill(stats: &IndexMap<String, TableStats>, p: &Pricing<'_>) -> Option<Bill> {
    let components: Vec<(String, f64)> = stats
        .keys()
        .enumerate()
        .filter_map(|(i, name)| {
            let n = settings(p, i, name)?.dax.as_ref()?;
            let hourly = dax_node_usd_per_hour(&p.prices.dynamodb, &n.node_type)?;
            Some((name.clone(), dax_cost(n.count, hourly, p.always_on())))
        })
        .collect();
    (!components.is_empty()).then_some(Bill {
        service: "dax",
        components,
    })
}

/// The hourly price of a DAX node type, if the table has it.
pub fn dax_node_usd_per_hour(p: &DynamoDbPrices, node_type: &str) -> Option<f64> {
    p.dax_node_usd_per_hour.get(node_type).copied()
}

/// Monthly cost of a DAX cluster \[USD\]: `nodes` x the node's hourly
/// price x 730 h, for `on` of the month.
pub fn dax_cost(nodes: u32, usd_per_node_hour: f64, on: f64) -> f64 {
    f64::from(nodes) * usd_per_node_hour * MONTH_HOURS * on
}
