//! Amazon DynamoDB: capacity as token buckets, SDK retries on throttling,
//! read and write latency, and DAX in front.
//!
//! Provisioned mode: one bucket for reads and one for writes, refilled at
//! the provisioned rate and holding up to `burst_seconds` (300 s) of unused
//! capacity (aws-facts §5.2). On-demand mode: up to twice the previous peak
//! per second, the peak rising to the highest observed per-second use every
//! 30 minutes (aws-facts §5.3). A throttled attempt costs one service round
//! trip and is retried by the SDK after exponential backoff with full
//! jitter (aws-facts §5.4).

use rand::Rng;

pub mod cost;
mod flow;
mod stats;

pub use flow::call;
pub use stats::{CapacityMode, TableStats};

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime, SECONDS};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::{self, Capacity, Consistency, TableOp};
use crate::services::registry::index_by;
use crate::services::token_bucket::TokenBucket;

/// How long on-demand waits before its previous peak follows traffic.
pub const ON_DEMAND_PEAK_WINDOW: SimDuration = 30 * 60 * SECONDS;

/// The result of one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Answered by DAX after this delay \[ns\]; no capacity used.
    DaxHit(SimDuration),
    /// Served by the table after this delay \[ns\], consuming capacity.
    Served(SimDuration),
    /// Throttled; the SDK retries after this delay (round trip + backoff).
    Retry(SimDuration),
    /// Throttled on the last attempt; the error reaches the caller after
    /// this delay.
    GiveUp(SimDuration),
}

/// Capacity for one direction (reads or writes).
#[derive(Clone, Debug)]
enum Meter {
    Provisioned(TokenBucket),
    OnDemand {
        bucket: TokenBucket,
        peak: f64,
        second: u64,
        this_second: f64,
        window_max: f64,
        window: u64,
    },
}

impl Meter {
    fn provisioned(rate: f64, burst_seconds: f64) -> Self {
        Meter::Provisioned(TokenBucket::full(rate, rate * burst_seconds.max(1.0)))
    }

    fn on_demand(peak: f64) -> Self {
        Meter::OnDemand {
            bucket: TokenBucket::full(2.0 * peak, 2.0 * peak),
            peak,
            second: 0,
            this_second: 0.0,
            window_max: 0.0,
            window: 0,
        }
    }

    #[inline]
    fn try_take(&mut self, now: SimTime, units: f64) -> bool {
        match self {
            Meter::Provisioned(b) => b.try_take(now, units),
            Meter::OnDemand {
                bucket,
                peak,
                second,
                this_second,
                window_max,
                window,
            } => {
                let s = now / SECONDS;
                if s != *second {
                    *window_max = window_max.max(*this_second);
                    *this_second = 0.0;
                    *second = s;
                }
                let w = now / ON_DEMAND_PEAK_WINDOW;
                if w != *window {
                    if *window_max > *peak {
                        *peak = *window_max;
                        bucket.reconfigure(now, 2.0 * *peak, 2.0 * *peak);
                    }
                    *window_max = 0.0;
                    *window = w;
                }
                let ok = bucket.try_take(now, units);
                if ok {
                    *this_second += units;
                }
                ok
            }
        }
    }
}

/// Counters over the measured window.
#[derive(Clone, Debug, Default)]
pub struct TableCounters {
    /// Read requests (first attempts).
    pub reads: u64,
    /// Write requests (first attempts).
    pub writes: u64,
    /// Throttled attempts.
    pub throttled: u64,
    /// Retries.
    pub retries: u64,
    /// Requests that failed after the last attempt.
    pub failed: u64,
    /// DAX hits.
    pub dax_hits: u64,
    /// Read units consumed.
    pub consumed_rcu: f64,
    /// Write units consumed.
    pub consumed_wcu: f64,
}

/// Time-series handles of a table.
#[derive(Clone, Copy, Debug)]
pub struct TableSeries {
    /// Read units per second.
    pub consumed_rcu: SeriesId,
    /// Write units per second.
    pub consumed_wcu: SeriesId,
    /// Throttled attempts per interval.
    pub throttled: SeriesId,
}

/// A DynamoDB request in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct TableCall {
    /// Table index.
    pub table: u16,
    /// Read (true) or write.
    pub read: bool,
    /// SDK attempt number (0 = first).
    pub attempt: u8,
    /// The pending step completes the request (true) or retries it.
    pub done: bool,
    /// The pending step ends it as failed (SDK gave up).
    pub failed: bool,
    /// Capacity units per attempt.
    pub units: f32,
}

/// Every table.
pub struct Tables {
    /// In model order.
    pub list: Vec<DynamoDbTable>,
}

index_by!(Tables, list, DynamoDbTable);

/// A table's runtime state.
pub struct DynamoDbTable {
    /// Name.
    pub name: String,
    /// Capacity mode (for pricing).
    pub mode: CapacityMode,
    /// Provisioned (RCU, WCU); zeros on demand (for pricing).
    pub provisioned: (f64, f64),
    /// Counters.
    pub counters: TableCounters,
    /// Series handles.
    pub series: TableSeries,
    reads: Meter,
    writes: Meter,
    read_latency: Dist,
    write_latency: Dist,
    dax: Option<(f64, Dist)>,
    max_attempts: u32,
    backoff_base: SimDuration,
    backoff_max: SimDuration,
    rng: SimRng,
}

impl DynamoDbTable {
    /// Builds a table's state.
    pub fn new(cfg: &model::Table, rng: SimRng, series: TableSeries) -> Self {
        let (reads, writes) = match cfg.capacity {
            Capacity::Provisioned { rcu, wcu } => (
                Meter::provisioned(rcu, cfg.burst_seconds),
                Meter::provisioned(wcu, cfg.burst_seconds),
            ),
            Capacity::OnDemand {
                initial_read_peak,
                initial_write_peak,
            } => (
                Meter::on_demand(initial_read_peak),
                Meter::on_demand(initial_write_peak),
            ),
        };
        let (mode, provisioned) = match cfg.capacity {
            Capacity::Provisioned { rcu, wcu } => (CapacityMode::Provisioned, (rcu, wcu)),
            Capacity::OnDemand { .. } => (CapacityMode::OnDemand, (0.0, 0.0)),
        };
        Self {
            name: cfg.name.clone(),
            mode,
            provisioned,
            counters: TableCounters::default(),
            series,
            reads,
            writes,
            read_latency: cfg.read_latency.clone(),
            write_latency: cfg.write_latency.clone(),
            dax: match (&cfg.dax, cfg.consistency) {
                (Some(d), Consistency::Eventual) => Some((d.hit_ratio, d.hit_latency.clone())),
                _ => None,
            },
            max_attempts: cfg.sdk_retry.max_attempts.max(1),
            backoff_base: cfg.sdk_retry.base,
            backoff_max: cfg.sdk_retry.max_backoff,
            rng,
        }
    }

    /// Accounting: a request arrived (first attempt).
    #[inline]
    pub fn on_request(&mut self, read: bool) {
        if read {
            self.counters.reads += 1;
        } else {
            self.counters.writes += 1;
        }
    }

    /// Accounting: DAX answered a read.
    #[inline]
    pub fn on_dax_hit(&mut self, measured: bool) {
        if measured {
            self.counters.dax_hits += 1;
        }
    }

    /// Accounting: an attempt consumed `units` of read or write capacity.
    #[inline]
    pub fn on_served(
        &mut self,
        now: SimTime,
        measured: bool,
        read: bool,
        units: f64,
        rec: &mut SeriesRecorder,
    ) {
        let (counter, series) = if read {
            (&mut self.counters.consumed_rcu, self.series.consumed_rcu)
        } else {
            (&mut self.counters.consumed_wcu, self.series.consumed_wcu)
        };
        if measured {
            *counter += units;
        }
        rec.add(series, now, units);
    }

    /// Accounting: an attempt was throttled; `gave_up` when it was the
    /// SDK's last (the request fails), else the SDK retries it.
    #[inline]
    pub fn on_throttle(
        &mut self,
        now: SimTime,
        measured: bool,
        gave_up: bool,
        rec: &mut SeriesRecorder,
    ) {
        if measured {
            self.counters.throttled += 1;
            if gave_up {
                self.counters.failed += 1;
            } else {
                self.counters.retries += 1;
            }
        }
        rec.add(self.series.throttled, now, 1.0);
    }

    /// One attempt (number `attempt`, 0-based) of a request needing
    /// `units` capacity units (consumed when the result is `Served`).
    #[inline]
    pub fn attempt(&mut self, now: SimTime, read: bool, units: f64, attempt: u32) -> Attempt {
        if read && attempt == 0 {
            if let Some((hit_ratio, hit_latency)) = &self.dax {
                if self.rng.random::<f64>() < *hit_ratio {
                    return Attempt::DaxHit(hit_latency.sample_ns(&mut self.rng));
                }
            }
        }
        let (meter, latency) = if read {
            (&mut self.reads, &self.read_latency)
        } else {
            (&mut self.writes, &self.write_latency)
        };
        let rtt = latency.sample_ns(&mut self.rng);
        if meter.try_take(now, units) {
            return Attempt::Served(rtt);
        }
        if attempt + 1 >= self.max_attempts {
            return Attempt::GiveUp(rtt);
        }
        // Full jitter: U(0, min(cap, base * 2^attempt)).
        let ceiling = self
            .backoff_base
            .saturating_mul(1u64 << attempt.min(40))
            .min(self.backoff_max);
        let backoff = (self.rng.random::<f64>() * ceiling as f64) as SimDuration;
        Attempt::Retry(rtt.saturating_add(backoff))
    }
}

/// Capacity units of one DynamoDB request (aws-facts §5.1): reads in 4 KB
/// units (half for eventual consistency), writes in 1 KB units. GetItem
/// rounds each item up; Query and Scan round the total.
pub fn capacity_units(op: TableOp, items: u32, item_kb: f64, consistency: Consistency) -> f64 {
    let per_read_unit = match consistency {
        Consistency::Eventual => 0.5,
        Consistency::Strong => 1.0,
    };
    let items = items.max(1) as f64;
    match op {
        TableOp::Get => items * (item_kb / 4.0).ceil().max(1.0) * per_read_unit,
        TableOp::Query | TableOp::Scan => (items * item_kb / 4.0).ceil().max(1.0) * per_read_unit,
        TableOp::Put | TableOp::Update | TableOp::Delete => items * item_kb.ceil().max(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_arithmetic_matches_the_developer_guide() {
        // aws-facts §9.6: an 8 KB strong read = 2 RCU; eventual = half.
        assert_eq!(
            capacity_units(TableOp::Get, 1, 8.0, Consistency::Strong),
            2.0
        );
        assert_eq!(
            capacity_units(TableOp::Get, 1, 8.0, Consistency::Eventual),
            1.0
        );
        assert_eq!(
            capacity_units(TableOp::Get, 1, 0.5, Consistency::Strong),
            1.0
        );
        // Query sums sizes then rounds: 20 x 0.5 KB = 10 KB -> 3 units.
        assert_eq!(
            capacity_units(TableOp::Query, 20, 0.5, Consistency::Strong),
            3.0
        );
        assert_eq!(
            capacity_units(TableOp::Query, 20, 0.5, Consistency::Eventual),
            1.5
        );
        // Writes: 1 KB units per item, rounded up.
        assert_eq!(
            capacity_units(TableOp::Put, 1, 1.5, Consistency::Strong),
            2.0
        );
        assert_eq!(
            capacity_units(TableOp::Put, 3, 0.2, Consistency::Eventual),
            3.0
        );
    }
}
