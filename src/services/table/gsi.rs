//! Global secondary indexes: each has its own capacity and partitions
//! ([`Throughput`]); a write to the table writes one entry of the projected
//! size to every GSI, and is throttled when any of them cannot take it
//! (AWS: "for a table write to succeed, the provisioned throughput settings
//! for the table and all of its global secondary indexes must have enough
//! write capacity", docs/model.md). A Query or Scan of an index reads the
//! index's capacity only.
//!
//! Must not know: SDK retries, DAX, events.

use crate::dist::keys::Keys;
use crate::engine::SimTime;
use crate::metrics::SeriesRecorder;
use crate::model::{self, GsiProjection, MAX_GSIS};

use super::capacity::{Throughput, Verdict};
use super::partitions::{READ, WRITE};
use super::{gsi_write_units, TableCall};

/// A GSI's runtime state.
#[derive(Clone, Debug)]
pub struct GsiState {
    /// Name.
    pub name: String,
    /// Its partitions and budget.
    pub tp: Throughput,
    /// Provisioned (RCU, WCU); zeros on demand (for pricing).
    pub provisioned: (f64, f64),
    projection: GsiProjection,
    /// Popularity of the index key (an attribute of each item).
    keys: Keys,
    /// Salt of the item-to-index-key draw (one per GSI).
    salt: u64,
}

impl GsiState {
    /// The state of GSI `cfg`, the `i`-th of its table.
    pub fn new(cfg: &model::Gsi, i: usize, tp: Throughput) -> Self {
        let provisioned = match cfg.capacity {
            model::Capacity::Provisioned { rcu, wcu } => (rcu, wcu),
            model::Capacity::OnDemand { .. } => (0.0, 0.0),
        };
        Self {
            name: cfg.name.clone(),
            tp,
            provisioned,
            projection: cfg.projection,
            keys: cfg.keys,
            salt: 0x5851_f42d_4c95_7f2d_u64.wrapping_mul(i as u64 + 1),
        }
    }

    /// A Query or Scan of the index on key hash `key` for `units`.
    #[inline]
    pub fn read(
        &mut self,
        now: SimTime,
        key: u32,
        units: f64,
        measured: bool,
        rec: &mut SeriesRecorder,
    ) -> Verdict {
        let (p, v) = self.tp.admit(now, key, READ, units, rec);
        if v == Verdict::Ok {
            self.tp.take(now, p, READ, units, measured, rec);
        } else {
            self.tp.refuse(p, READ, v, measured);
        }
        self.tp.parts.after_attempt();
        v
    }
}

/// A write to the table (`base`) and its entries in every GSI: all admit
/// and all consume, or the write is throttled where it was first refused.
#[inline]
pub fn write(
    base: &mut Throughput,
    gsis: &mut [GsiState],
    now: SimTime,
    c: &TableCall,
    measured: bool,
    rec: &mut SeriesRecorder,
) -> Verdict {
    let units = f64::from(c.units);
    let (p, v) = base.admit(now, c.key, WRITE, units, rec);
    if v != Verdict::Ok {
        base.refuse(p, WRITE, v, measured);
        base.parts.after_attempt();
        return v;
    }
    // Each GSI's partition and units, decided before anything is taken.
    let mut plan = [(0usize, 0.0f64); MAX_GSIS];
    let mut refused = None;
    for (g, gsi) in gsis.iter_mut().enumerate() {
        let h = gsi.keys.derived(c.key, gsi.salt);
        let gu = gsi_write_units(c.items, gsi.projection.entry_kb(f64::from(c.item_kb)));
        let (gp, gv) = gsi.tp.admit(now, h, WRITE, gu, rec);
        if gv != Verdict::Ok {
            gsi.tp.refuse(gp, WRITE, gv, measured);
            refused = Some(g);
            break;
        }
        plan[g] = (gp, gu);
    }
    let verdict = if refused.is_some() {
        Verdict::Gsi
    } else {
        base.take(now, p, WRITE, units, measured, rec);
        for (gsi, &(gp, gu)) in gsis.iter_mut().zip(&plan) {
            gsi.tp.take(now, gp, WRITE, gu, measured, rec);
        }
        Verdict::Ok
    };
    base.parts.after_attempt();
    for gsi in gsis.iter_mut() {
        gsi.tp.parts.after_attempt();
    }
    verdict
}
