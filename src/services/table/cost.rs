//! DynamoDB's bill: provisioned capacity by the hour, or request units on
//! demand (storage and the DynamoDB free tier are not modelled).

use indexmap::IndexMap;

use super::{CapacityMode, TableStats};
use crate::cost::{Bill, DynamoDbPrices, Pricing, MONTH_HOURS};

/// The monthly bill of every table.
pub fn bill(stats: &IndexMap<String, TableStats>, p: &Pricing<'_>) -> Bill {
    let costs = stats
        .values()
        .map(|t| {
            let usage = match t.mode {
                // Capacity-hours over the window, projected: the whole month.
                CapacityMode::Provisioned => TableUsage::Provisioned {
                    rcu: t.rcu * p.always_on(),
                    wcu: t.wcu * p.always_on(),
                },
                CapacityMode::OnDemand => TableUsage::OnDemand {
                    read_units: t.consumed_rcu * p.scale,
                    write_units: t.consumed_wcu * p.scale,
                },
            };
            table_cost(&usage, &p.prices.dynamodb)
        })
        .collect::<Vec<f64>>();
    Bill {
        service: "dynamodb",
        components: stats.keys().cloned().zip(costs).collect(),
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

/// Monthly DynamoDB cost of a table \[USD\] (storage and the DynamoDB free
/// tier are not modelled).
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
