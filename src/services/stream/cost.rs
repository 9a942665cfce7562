//! What the streams cost. Kinesis provisioned: shard-hours for the
//! month's 730 hours and PUT payload units (25 KB per record, rounded
//! up); on demand: the stream-hour and the GB written (aws-facts 6 and
//! 10.9; figures partly UNCONFIRMED, see `prices/us-east-1.toml`). One
//! `kinesis` bill when there is a Kinesis stream. DynamoDB streams read by
//! Lambda triggers are free (aws-facts 10.9, "Read pricing"): no bill.
//! Not priced: enhanced fan-out, extended retention, on-demand reads.

use indexmap::IndexMap;

use super::StreamStats;
use crate::cost::{Bill, Pricing, MONTH_HOURS};
use crate::model::StreamMode;

/// The `kinesis` bill, if any stream is a Kinesis stream.
pub fn bills(stats: &IndexMap<String, StreamStats>, p: &Pricing<'_>) -> Vec<Bill> {
    let components: Vec<(String, f64)> = stats
        .iter()
        .filter(|(_, s)| s.source == "kinesis")
        .map(|(name, s)| (name.clone(), monthly(s, p)))
        .collect();
    if components.is_empty() {
        return Vec::new();
    }
    vec![Bill {
        service: "kinesis",
        components,
    }]
}

/// A Kinesis stream's monthly cost \[USD\].
pub fn monthly(s: &StreamStats, p: &Pricing<'_>) -> f64 {
    let k = &p.prices.kinesis;
    let hours = MONTH_HOURS * p.always_on();
    match s.mode {
        Some(StreamMode::OnDemand) => {
            hours * k.on_demand_stream_hour_usd + s.gb_in * p.scale * k.on_demand_usd_per_gb_in
        }
        _ => {
            hours * f64::from(s.shards) * k.shard_hour_usd
                + s.put_units as f64 * p.scale * k.put_units_usd_per_million / 1e6
        }
    }
}
