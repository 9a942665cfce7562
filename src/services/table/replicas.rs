//! Global tables and callers in other Regions: the round trip a
//! function's DynamoDB calls cross to reach the table, and each global
//! table's replicated writes (one per replica per successful write) with
//! their replication lag.
//!
//! A replicated write has no effect inside the run (slsim does not model
//! reads of stale items), so its arrival is settled when it is written:
//! the lag is drawn then, and the write counts as arrived (its lag
//! recorded) if it lands by the end of the run, else as pending at the
//! end. No event, no memory per write. Conservation, per replica:
//! `replicated = arrived + pending_end` (tested).
//!
//! Must not know: partitions, capacity, the SDK (the caller's slot is only
//! an index into [`Replication::slot_rtt`]).

use indexmap::IndexMap;
use serde::Serialize;

use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{LatencyHistogram, LatencySummary};
use crate::model::geo::Region;
use crate::model::{Consistency, Scenario, TableOp};
use crate::services::sdk_retry::SdkClients;

/// One replica of a global table.
pub struct Replica {
    /// Its Region.
    region: Region,
    /// Replicated writes sent to it (measured window).
    writes: u64,
    /// Replicated write units \[rWRU or rWCU consumed\].
    units: f64,
    /// Of `writes`: arrived by the end of the run.
    arrived: u64,
    /// Lag of the arrived writes.
    lag: LatencyHistogram,
}

/// A global table's replicas and their lag.
pub struct Global {
    replicas: Vec<Replica>,
    lag: Dist,
    rng: SimRng,
}

/// Every table's replicas, and the cross-Region round trip of every SDK
/// client slot.
#[derive(Default)]
pub struct Replication {
    /// Per SDK client slot (one per calling function and table): the
    /// round trip added to each attempt \[ns\]; 0 when the function is in
    /// the table's home Region or in a Region holding a replica.
    pub slot_rtt: Vec<SimDuration>,
    /// Per table, in model order; `None`: a single-Region table.
    tables: Vec<Option<Global>>,
    /// End of the run.
    end: SimTime,
}

impl Replication {
    /// The replicas of `m`'s tables and the round trips of the SDK clients
    /// `sdk`; `rng(table)` gives each global table its lag stream.
    pub fn build(
        m: &Scenario,
        sdk: &SdkClients,
        end: SimTime,
        mut rng: impl FnMut(&str) -> SimRng,
    ) -> Self {
        let home = Region::parse(&m.simulation.region);
        let mut slot_rtt = vec![0; sdk.len()];
        for (f, l) in m.lambdas.iter().enumerate() {
            let Some(r) = l.region else { continue };
            for (t, table) in m.tables.iter().enumerate() {
                let Some(slot) = sdk.slot(f, t) else { continue };
                let local = table
                    .global
                    .as_ref()
                    .is_some_and(|g| g.replicas.contains(&r));
                if !local {
                    slot_rtt[slot] = home.and_then(|h| r.rtt(h)).unwrap_or(0);
                }
            }
        }
        let tables = m
            .tables
            .iter()
            .map(|t| {
                t.global.as_ref().map(|g| Global {
                    replicas: g
                        .replicas
                        .iter()
                        .map(|&region| Replica {
                            region,
                            writes: 0,
                            units: 0.0,
                            arrived: 0,
                            lag: LatencyHistogram::new(),
                        })
                        .collect(),
                    lag: g.lag.clone(),
                    rng: rng(&t.name),
                })
            })
            .collect();
        Self {
            slot_rtt,
            tables,
            end,
        }
    }

    /// The round trip added to each attempt of SDK client `slot` \[ns\].
    #[inline]
    pub fn rtt(&self, slot: u32) -> SimDuration {
        self.slot_rtt.get(slot as usize).copied().unwrap_or(0)
    }

    /// Table `table` served a write of `items` items of `item_kb` \[KB\]
    /// at `now`: one replicated write per replica, of the same size in
    /// standard write units (a transaction's replicated writes are
    /// standard writes \[A\]); counted when `measured`.
    #[inline]
    pub fn on_write(
        &mut self,
        table: usize,
        now: SimTime,
        items: u32,
        item_kb: f32,
        measured: bool,
    ) {
        let Some(Some(g)) = self.tables.get_mut(table) else {
            return;
        };
        if !measured {
            return;
        }
        let units = super::capacity_units(
            TableOp::Put,
            items,
            f64::from(item_kb),
            Consistency::Eventual,
            false,
        );
        for r in &mut g.replicas {
            let lag = g.lag.sample_ns(&mut g.rng);
            r.writes += 1;
            r.units += units;
            if now.saturating_add(lag) <= self.end {
                r.arrived += 1;
                r.lag.record(lag);
            }
        }
    }

    /// Bytes held by the lag histograms.
    pub fn footprint(&self) -> usize {
        self.tables
            .iter()
            .flatten()
            .flat_map(|g| &g.replicas)
            .map(|r| r.lag.footprint())
            .sum::<usize>()
            + self.slot_rtt.len() * 8
    }

    /// Table `table`'s replication figures; `None` for a single-Region
    /// table.
    pub fn stats(&self, table: usize) -> Option<ReplicationStats> {
        let g = self.tables.get(table)?.as_ref()?;
        let replicas = g
            .replicas
            .iter()
            .map(|r| {
                (
                    r.region.name().to_string(),
                    ReplicaStats {
                        replicated_writes: r.writes,
                        replicated_write_units: r.units,
                        arrived: r.arrived,
                        pending_end: r.writes - r.arrived,
                        lag_ms: r.lag.summary(),
                    },
                )
            })
            .collect();
        Some(ReplicationStats { replicas })
    }
}

/// A global table's replication (measured window).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReplicationStats {
    /// Per replica Region.
    pub replicas: IndexMap<String, ReplicaStats>,
}

impl ReplicationStats {
    /// Replicated write units over every replica.
    pub fn write_units(&self) -> f64 {
        self.replicas
            .values()
            .map(|r| r.replicated_write_units)
            .sum()
    }
}

/// One replica's replicated writes.
///
/// Conservation: `replicated_writes = arrived + pending_end`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReplicaStats {
    /// Replicated writes sent (one per successful write to the table).
    pub replicated_writes: u64,
    /// Their write units \[rWRU on demand; rWCU consumed when
    /// provisioned\], the local writes' size rounding.
    pub replicated_write_units: f64,
    /// Arrived by the end of the run.
    pub arrived: u64,
    /// Still on their way at the end.
    pub pending_end: u64,
    /// Replication lag of the arrived writes \[ms\].
    pub lag_ms: LatencySummary,
}
