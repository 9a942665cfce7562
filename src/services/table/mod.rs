//! Amazon DynamoDB: partitions and their limits, the table-level
//! capacity, GSIs, SDK retries on throttling, read and write latency, and
//! DAX in front.
//!
//! A request draws its partition key from its call step's key model
//! ([`crate::dist::keys::Keys`]) once; every attempt goes to the partition
//! holding that key (`partitions.rs`), which must admit it, and so must the
//! table's budget (`capacity.rs`: provisioned rate and burst, adaptive
//! capacity, on-demand normalised budget). A write to a table with GSIs
//! also needs every GSI to take its entry (`gsi.rs`); else the write is
//! throttled (aws-facts 5.1 and the GSI throttling rule in docs/model.md).
//! A throttled attempt costs one service round trip; what the SDK does
//! then (retry after a backoff, or give up) is its client's decision
//! (`crate::services::sdk_retry`, one client per calling function and
//! table), taken in `flow.rs`.

mod autoscale;
mod capacity;
pub mod cost;
mod dax;
mod findings;
mod flow;
mod gsi;
mod partitions;
pub mod replicas;
mod stats;

pub use crate::model::ON_DEMAND_PEAK_WINDOW;
pub use flow::call;
pub use stats::{
    AutoScalingStats, CapacityMode, GsiStats, PartitionStats, TableStats, ThrottleCauses,
};

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::{self, Capacity, Consistency, TableOp};
use crate::services::registry::index_by;
use crate::services::sdk_retry::{GiveUp, SdkClients};

use capacity::{Settings, Throughput, Verdict};
pub use dax::{DaxCache, DaxFill};
use gsi::GsiState;
use partitions::{HotSeries, READ, WRITE};

/// The result of one attempt: its response arrives after the round trip
/// \[ns\].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Served by the table, consuming capacity.
    Served(SimDuration),
    /// Throttled (`ProvisionedThroughputExceededException`).
    Throttled(SimDuration),
}

/// Where a request in progress stands: what its frame's pending step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Send the next attempt (after the SDK's send token, in adaptive
    /// mode).
    Send,
    /// Send the next attempt: its send token was already taken.
    SendNow,
    /// The response of a served attempt arrives.
    Served,
    /// The throttling error of an attempt arrives; the SDK retries after
    /// its backoff.
    Retry,
    /// The throttling error of the SDK's last attempt arrives: the
    /// request fails.
    GiveUp,
    /// DAX's answer arrives.
    DaxHit,
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
    /// Throttled attempts by where they were refused.
    pub causes: ThrottleCauses,
    /// Retries.
    pub retries: u64,
    /// Requests that failed after the last attempt.
    pub failed: u64,
    /// Of `failed`: the SDK's retry quota was empty (the others used all
    /// their attempts).
    pub quota_exhausted: u64,
    /// Attempts that waited for the adaptive mode's send token.
    pub rate_limited: u64,
    /// DAX hits.
    pub dax_hits: u64,
    /// Read units consumed by the table (not its GSIs).
    pub consumed_rcu: f64,
    /// Write units consumed by the table (not its GSIs).
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

/// A DynamoDB request as a call step prepares it (copied into the frame
/// at the call; the key model is used once per request).
#[derive(Clone, Copy, Debug)]
pub struct TableRequest {
    /// Table index.
    pub table: u16,
    /// Read (true) or write.
    pub read: bool,
    /// TransactGetItems / TransactWriteItems (bypasses DAX).
    pub transactional: bool,
    /// The operation (DAX's item cache or query cache).
    pub op: TableOp,
    /// 0: the table; `g + 1`: a Query or Scan of GSI `g`.
    pub index: u8,
    /// Capacity units per attempt (on the table, or the GSI read).
    pub units: f32,
    /// Items written (GSI entries per write).
    pub items: u32,
    /// Size of one item \[KB\].
    pub item_kb: f32,
    /// Popularity of the partition key (of the GSI's key for an index
    /// read).
    pub keys: Keys,
    /// The caller's SDK client (`SdkClients::slot`), set when the
    /// function's steps are built.
    pub slot: u32,
}

impl TableRequest {
    /// The request of a `Step::Table` to `tables[table]`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        tables: &[model::Table],
        table: usize,
        op: TableOp,
        items: u32,
        item_kb: f64,
        keys: Keys,
        transactional: bool,
        index: Option<usize>,
    ) -> Self {
        // GSIs serve eventually consistent reads only.
        let consistency = match index {
            Some(_) => Consistency::Eventual,
            None => tables[table].consistency,
        };
        Self {
            table: table as u16,
            read: op.is_read(),
            transactional,
            op,
            index: index.map_or(0, |g| g as u8 + 1),
            units: capacity_units(op, items, item_kb, consistency, transactional) as f32,
            items: items.max(1),
            item_kb: item_kb as f32,
            keys,
            slot: 0,
        }
    }
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
    /// What the pending step does.
    pub phase: Phase,
    /// Quota tokens the last retry took (refunded on success).
    pub cost: u16,
    /// The caller's SDK client.
    pub slot: u32,
    /// Transactional (bypasses DAX).
    pub transactional: bool,
    /// 0: the table; `g + 1`: GSI `g`.
    pub index: u8,
    /// Capacity units per attempt.
    pub units: f32,
    /// Hash of the request's partition key.
    pub key: u32,
    /// Items written (GSI entries).
    pub items: u32,
    /// Size of one item \[KB\].
    pub item_kb: f32,
    /// What DAX does once the table has served the request.
    pub fill: DaxFill,
    /// The DAX cache key (the item's rank, or the query's).
    pub rank: u64,
}

impl TableCall {
    /// The first attempt of `req` with partition key hash `key`.
    pub fn new(req: &TableRequest, key: u32) -> Self {
        Self {
            table: req.table,
            read: req.read,
            attempt: 0,
            phase: Phase::Send,
            cost: 0,
            slot: req.slot,
            transactional: req.transactional,
            index: req.index,
            units: req.units,
            key,
            items: req.items,
            item_kb: req.item_kb,
            fill: DaxFill::None,
            rank: 0,
        }
    }
}

/// Every table, and the SDK clients that call them.
pub struct Tables {
    /// In model order.
    pub list: Vec<DynamoDbTable>,
    /// One SDK client per (function, table) pair.
    pub sdk: SdkClients,
    /// Global tables' replicas and the callers' cross-Region round trips.
    pub geo: replicas::Replication,
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
    /// Adaptive capacity on.
    pub adaptive: bool,
    /// Counters.
    pub counters: TableCounters,
    /// Series handles.
    pub series: TableSeries,
    /// The table's partitions and budget.
    base: Throughput,
    /// Its GSIs, in model order.
    gsis: Vec<GsiState>,
    read_latency: Dist,
    write_latency: Dist,
    /// DAX in front (eventually consistent tables only).
    pub dax: Option<DaxCache>,
    /// Latencies, DAX, keys and the SDK's backoff draws.
    pub rng: SimRng,
}

/// Where a table's series go, beyond [`TableSeries`].
pub struct TableSeriesExtra {
    /// The hottest partition per interval (reads, writes).
    pub hot: HotSeries,
    /// The table's capacity (reads, writes).
    pub capacity: [SeriesId; 2],
    /// The provisioned-capacity series, when auto scaling moves it (else
    /// filled once with the constant).
    pub provisioned: Option<[SeriesId; 2]>,
}

/// The throughput settings of `cfg` (or of its GSI `gsi`).
fn settings(cfg: &model::Table, gsi: Option<&model::Gsi>) -> Settings {
    let capacity = gsi.map_or(&cfg.capacity, |g| &g.capacity);
    let provisioned = match *capacity {
        Capacity::Provisioned { rcu, wcu } => Some((rcu, wcu)),
        Capacity::OnDemand { .. } => None,
    };
    // A GSI: its own capacity and partitions; on demand, the table's warm
    // throughput and maximum (an assumption, docs/model.md).
    let model = match gsi {
        Some(g) => model::Table {
            capacity: g.capacity.clone(),
            partitions: g.partitions,
            size_gb: None,
            warm: match provisioned {
                Some(_) => (None, None),
                None => cfg.warm,
            },
            ..cfg.clone()
        },
        None => cfg.clone(),
    };
    let warm = model.warm_throughput();
    Settings {
        provisioned,
        warm,
        max: cfg.max_units,
        partitions: model.derived_partitions(),
        adaptive: cfg.adaptive_capacity,
        burst_seconds: cfg.burst_seconds,
        size_gb: model.size_gb.unwrap_or(0.0),
        // A GSI's own policy, never the table's.
        auto_scaling: gsi.map_or(cfg.auto_scaling, |g| g.auto_scaling),
    }
}

impl DynamoDbTable {
    /// Builds a table's state; its run ends at `end`, measured from
    /// `warmup` \[ns\].
    pub fn new(
        cfg: &model::Table,
        rng: SimRng,
        series: TableSeries,
        extra: TableSeriesExtra,
        dax: Option<DaxCache>,
        (warmup, end): (SimTime, SimTime),
        rec: &mut SeriesRecorder,
    ) -> Self {
        let (mode, provisioned) = match cfg.capacity {
            Capacity::Provisioned { rcu, wcu } => (CapacityMode::Provisioned, (rcu, wcu)),
            Capacity::OnDemand { .. } => (CapacityMode::OnDemand, (0.0, 0.0)),
        };
        let mut base = Throughput::new(
            settings(cfg, None),
            Some(extra.hot),
            Some(extra.capacity),
            end,
            warmup,
        );
        base.provisioned_series = extra.provisioned;
        base.fill_capacity(0, rec);
        let gsis = cfg
            .gsis
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let tp = Throughput::new(settings(cfg, Some(g)), None, None, end, warmup);
                GsiState::new(g, i, tp)
            })
            .collect();
        Self {
            name: cfg.name.clone(),
            mode,
            provisioned,
            adaptive: cfg.adaptive_capacity,
            counters: TableCounters::default(),
            series,
            base,
            gsis,
            read_latency: cfg.read_latency.clone(),
            write_latency: cfg.write_latency.clone(),
            dax,
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

    /// One attempt of request `c` at the table (its attempt number is
    /// `c.attempt`; DAX was asked at [`DynamoDbTable::start`]), with its
    /// accounting; `measured` when `now` is in the measured window.
    #[inline]
    pub fn attempt(
        &mut self,
        now: SimTime,
        c: &TableCall,
        measured: bool,
        rec: &mut SeriesRecorder,
    ) -> Attempt {
        let latency = if c.read {
            &self.read_latency
        } else {
            &self.write_latency
        };
        let rtt = latency.sample_ns(&mut self.rng);
        let units = f64::from(c.units);
        let d = if c.read { READ } else { WRITE };
        let verdict = if c.index > 0 {
            self.gsis[c.index as usize - 1].read(now, c.key, units, measured, rec)
        } else if c.read || self.gsis.is_empty() {
            let (p, v) = self.base.admit(now, c.key, d, units, rec);
            if v == Verdict::Ok {
                self.base.take(now, p, d, units, measured, rec);
            } else {
                self.base.refuse(p, d, v, measured);
            }
            self.base.parts.after_attempt();
            v
        } else {
            gsi::write(&mut self.base, &mut self.gsis, now, c, measured, rec)
        };
        if verdict == Verdict::Ok {
            if c.index == 0 {
                let (counter, series) = if c.read {
                    (&mut self.counters.consumed_rcu, self.series.consumed_rcu)
                } else {
                    (&mut self.counters.consumed_wcu, self.series.consumed_wcu)
                };
                if measured {
                    *counter += units;
                }
                rec.add(series, now, units);
            }
            return Attempt::Served(rtt);
        }
        self.on_throttle(now, measured, verdict, c.index > 0, rec);
        Attempt::Throttled(rtt)
    }

    /// Accounting: an attempt was throttled (`verdict` says where; `gsi`:
    /// by a GSI).
    fn on_throttle(
        &mut self,
        now: SimTime,
        measured: bool,
        verdict: Verdict,
        gsi: bool,
        rec: &mut SeriesRecorder,
    ) {
        if measured {
            let k = &mut self.counters;
            k.throttled += 1;
            match verdict {
                _ if gsi => k.causes.gsi += 1,
                Verdict::Gsi => k.causes.gsi += 1,
                Verdict::Partition => k.causes.partition += 1,
                Verdict::Table | Verdict::Ok => k.causes.table += 1,
            }
        }
        rec.add(self.series.throttled, now, 1.0);
    }

    /// Accounting: after a throttle the SDK retried (`None`) or gave up
    /// (`Some(why)`).
    #[inline]
    pub fn on_decision(&mut self, measured: bool, gave_up: Option<GiveUp>) {
        if measured {
            let k = &mut self.counters;
            match gave_up {
                None => k.retries += 1,
                Some(why) => {
                    k.failed += 1;
                    if why == GiveUp::QuotaEmpty {
                        k.quota_exhausted += 1;
                    }
                }
            }
        }
    }

    /// Accounting: an attempt waited for its send token.
    #[inline]
    pub fn on_rate_limited(&mut self, measured: bool) {
        if measured {
            self.counters.rate_limited += 1;
        }
    }

    /// Writes every partition's last series bucket, and the capacity
    /// series of an auto-scaled table (end of the run).
    pub fn finish(&mut self, rec: &mut SeriesRecorder) {
        self.base.finish(rec);
        if let Some(d) = &self.dax {
            d.finish(rec);
        }
    }

    /// Bytes held by what grows (partitions after splits).
    pub fn footprint(&self) -> usize {
        self.base.parts.footprint()
            + self.dax.as_ref().map_or(0, DaxCache::footprint)
            + self
                .gsis
                .iter()
                .map(|g| g.tp.parts.footprint())
                .sum::<usize>()
    }
}

/// Capacity units of one DynamoDB request (aws-facts §5.1): reads in 4 KB
/// units (half for eventual consistency), writes in 1 KB units. GetItem
/// rounds each item up; Query and Scan round the total (an item
/// collection counts its real size). Transactional requests cost twice
/// a strongly consistent read or a standard write.
pub fn capacity_units(
    op: TableOp,
    items: u32,
    item_kb: f64,
    consistency: Consistency,
    transactional: bool,
) -> f64 {
    let per_read_unit = match (transactional, consistency) {
        (true, _) => 2.0,
        (false, Consistency::Eventual) => 0.5,
        (false, Consistency::Strong) => 1.0,
    };
    let per_write_unit = if transactional { 2.0 } else { 1.0 };
    let items = items.max(1) as f64;
    match op {
        TableOp::Get => items * (item_kb / 4.0).ceil().max(1.0) * per_read_unit,
        TableOp::Query | TableOp::Scan => (items * item_kb / 4.0).ceil().max(1.0) * per_read_unit,
        TableOp::Put | TableOp::Update | TableOp::Delete => {
            items * item_kb.ceil().max(1.0) * per_write_unit
        }
    }
}

/// Write units of a GSI entry of `entry_kb` \[KB\] per item, for `items`
/// items: 1 KB units, at least one (aws-facts 5.1); standard writes even
/// for a transaction (the index is updated after it commits).
#[inline]
pub fn gsi_write_units(items: u32, entry_kb: f64) -> f64 {
    f64::from(items.max(1)) * entry_kb.ceil().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_arithmetic_matches_the_developer_guide() {
        // aws-facts §9.6: an 8 KB strong read = 2 RCU; eventual = half.
        assert_eq!(
            capacity_units(TableOp::Get, 1, 8.0, Consistency::Strong, false),
            2.0
        );
        assert_eq!(
            capacity_units(TableOp::Get, 1, 8.0, Consistency::Eventual, false),
            1.0
        );
        assert_eq!(
            capacity_units(TableOp::Get, 1, 0.5, Consistency::Strong, false),
            1.0
        );
        // Query sums sizes then rounds: 20 x 0.5 KB = 10 KB -> 3 units.
        assert_eq!(
            capacity_units(TableOp::Query, 20, 0.5, Consistency::Strong, false),
            3.0
        );
        assert_eq!(
            capacity_units(TableOp::Query, 20, 0.5, Consistency::Eventual, false),
            1.5
        );
        // Writes: 1 KB units per item, rounded up.
        assert_eq!(
            capacity_units(TableOp::Put, 1, 1.5, Consistency::Strong, false),
            2.0
        );
        assert_eq!(
            capacity_units(TableOp::Put, 3, 0.2, Consistency::Eventual, false),
            3.0
        );
        // Transactions: twice a strong read, twice a standard write.
        assert_eq!(
            capacity_units(TableOp::Get, 1, 8.0, Consistency::Eventual, true),
            4.0
        );
        assert_eq!(
            capacity_units(TableOp::Put, 1, 1.5, Consistency::Strong, true),
            4.0
        );
        assert_eq!(gsi_write_units(2, 0.0), 2.0);
        assert_eq!(gsi_write_units(1, 2.5), 3.0);
    }
}
