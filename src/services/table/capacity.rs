//! The capacity of one table or GSI: its partitions and the table-level
//! budget, and the admission decision for one attempt.
//!
//! - Provisioned, adaptive capacity on (AWS's behaviour): one bucket per
//!   direction refilled at the provisioned rate with `burst_seconds` of
//!   unused capacity (aws-facts 5.2); any partition may use it, up to its
//!   own per-second maximum (aws-facts 5.1, 5.2 "Adaptive capacity").
//! - Provisioned, adaptive capacity off: each partition its equal share of
//!   the provisioned rate, with its share of the burst credit.
//! - On demand: one normalised budget, refilled at 1 per second:
//!   a read of `u` units costs `u / warm_reads`, a write `u / warm_writes`,
//!   so a new table serves 12,000 reads or 4,000 writes a second or any
//!   linear combination (aws-facts 5.3). The warm throughput of each
//!   direction becomes twice its previous peak (the highest per-second use)
//!   every 30 minutes when that is higher (aws-facts 5.3), never above the
//!   table's maximum (aws-facts 10.14); the partitions split to hold it.
//!
//! - Provisioned with auto scaling: `autoscale.rs` decides, lazily (its
//!   next minute or update is one integer compared on each attempt);
//!   here each change takes effect: the bucket's rate follows (its credit
//!   kept, capped at the new burst), partitions split to hold a new high
//!   (never merge), and the capacity series and integral follow.
//!
//! Every budget admits an attempt while its balance is positive, and the
//! attempt then consumes its full cost (the balance may go negative):
//! see docs/model.md, "Requests larger than the remaining balance".
//!
//! Must not know: keys, SDK retries, DAX, events.

use crate::engine::{SimTime, SECONDS};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::{
    partitions_for, AutoScaling, ON_DEMAND_PEAK_WINDOW, PARTITION_MAX_RCU, PARTITION_MAX_WCU,
};
use crate::services::token_bucket::TokenBucket;

use super::autoscale::{AutoScaler, Change, Counts};
use super::partitions::{HotSeries, Partitions, READ, WRITE};

/// Why an attempt was refused, or that it was not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Admitted.
    Ok,
    /// The partition's own limit (its per-second maximum or its share)
    /// refused it while the table had capacity: a hot partition.
    Partition,
    /// The table's capacity (provisioned rate and burst, or on-demand
    /// budget) refused it.
    Table,
    /// A GSI could not take the write's index entry (the base write is
    /// throttled).
    Gsi,
}

/// The settings [`Throughput::new`] needs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Provisioned (RCU, WCU), or `None` on demand.
    pub provisioned: Option<(f64, f64)>,
    /// Throughput at the start \[units/s\] (reads, writes): provisioned,
    /// the capacity or warm throughput; on demand, the warm throughput.
    pub warm: (f64, f64),
    /// On-demand maximum \[units/s\] (reads, writes).
    pub max: (f64, f64),
    /// Partitions at the start.
    pub partitions: u32,
    /// Adaptive capacity.
    pub adaptive: bool,
    /// Burst credit \[s of capacity\].
    pub burst_seconds: f64,
    /// Size for later partition counts \[GB\].
    pub size_gb: f64,
    /// Auto scaling of the provisioned capacity.
    pub auto_scaling: Option<AutoScaling>,
}

/// On-demand state.
#[derive(Clone, Debug)]
struct OnDemand {
    /// Normalised budget: rate 1/s, one second of capacity.
    budget: TokenBucket,
    /// Warm throughput \[units/s\] (reads, writes).
    warm: [f64; 2],
    /// Maximum \[units/s\].
    max: [f64; 2],
    /// Previous peak \[units/s\].
    peak: [f64; 2],
    second: u64,
    this_second: [f64; 2],
    window_max: [f64; 2],
    window: u64,
    size_gb: f64,
}

#[derive(Clone, Debug)]
enum Meter {
    Provisioned { table: [TokenBucket; 2] },
    OnDemand(OnDemand),
}

/// Capacity of a table or GSI.
#[derive(Clone, Debug)]
pub struct Throughput {
    /// Its partitions.
    pub parts: Partitions,
    meter: Meter,
    adaptive: bool,
    /// Capacity series (reads, writes) \[units/s\], filled forward when the
    /// on-demand warm throughput rises.
    capacity_series: Option<[SeriesId; 2]>,
    /// The provisioned-capacity series of an auto-scaled table, written
    /// beside the capacity series.
    pub provisioned_series: Option<[SeriesId; 2]>,
    /// End of the run \[ns\] (how far the capacity series is filled).
    end: SimTime,
    /// Start of the measured window \[ns\].
    warmup: SimTime,
    /// Integral of the capacity over the measured window so far, and
    /// since when \[units\] (reads, writes).
    capacity_area: [f64; 2],
    area_since: SimTime,
    /// Attempts the table-level budget refused over the measured window
    /// (reads, writes).
    pub throttled_table: [u64; 2],
    /// Auto scaling (provisioned only).
    auto: Option<AutoScaler>,
    /// When auto scaling next has something to do \[ns\] (`u64::MAX`:
    /// never): the one compare on each attempt.
    auto_next: SimTime,
    /// With auto scaling, how far the capacity series is written \[ns\].
    series_from: SimTime,
    burst_seconds: f64,
    size_gb: f64,
}

impl Throughput {
    /// Capacity per `s`; `hot` receives the hottest-partition series,
    /// `capacity_series` the capacity over time (both for tables, not GSIs).
    pub fn new(
        s: Settings,
        hot: Option<HotSeries>,
        capacity_series: Option<[SeriesId; 2]>,
        end: SimTime,
        warmup: SimTime,
    ) -> Self {
        let max = [PARTITION_MAX_RCU, PARTITION_MAX_WCU];
        let n = s.partitions.max(1);
        let auto = match (s.provisioned, &s.auto_scaling) {
            (Some((rcu, wcu)), Some(a)) => Some(AutoScaler::new(a, [rcu, wcu])),
            _ => None,
        };
        let (meter, share) = match s.provisioned {
            Some((rcu, wcu)) => {
                let bucket = |rate: f64| TokenBucket::full(rate, rate * s.burst_seconds.max(1.0));
                (
                    Meter::Provisioned {
                        table: [bucket(rcu), bucket(wcu)],
                    },
                    (!s.adaptive).then_some([rcu / f64::from(n), wcu / f64::from(n)]),
                )
            }
            None => (
                Meter::OnDemand(OnDemand {
                    budget: TokenBucket::full(1.0, 1.0),
                    warm: [s.warm.0.max(1.0), s.warm.1.max(1.0)],
                    max: [s.max.0, s.max.1],
                    peak: [s.warm.0 / 2.0, s.warm.1 / 2.0],
                    second: 0,
                    this_second: [0.0; 2],
                    window_max: [0.0; 2],
                    window: 0,
                    size_gb: s.size_gb,
                }),
                None,
            ),
        };
        // Adaptive capacity off gives provisioned partitions equal shares
        // (on demand there is none) and turns off split for heat.
        let parts = Partitions::new(n, max, share, s.adaptive, s.burst_seconds, hot);
        Self {
            parts,
            meter,
            adaptive: s.adaptive,
            capacity_series,
            provisioned_series: None,
            end,
            warmup,
            capacity_area: [0.0; 2],
            area_since: warmup,
            throttled_table: [0; 2],
            auto_next: auto.as_ref().map_or(SimTime::MAX, |a| a.next),
            auto,
            series_from: 0,
            burst_seconds: s.burst_seconds,
            size_gb: s.size_gb,
        }
    }

    /// The table's capacity now \[units/s\] (reads, writes): provisioned,
    /// or the on-demand warm throughput.
    pub fn capacity(&self) -> [f64; 2] {
        match &self.meter {
            Meter::Provisioned { table } => [table[READ].rate, table[WRITE].rate],
            Meter::OnDemand(o) => o.warm,
        }
    }

    /// Fills the capacity series from `from` to the end of the run (with
    /// auto scaling, the series is written as the capacity changes, and by
    /// [`Throughput::finish`]).
    pub fn fill_capacity(&self, from: SimTime, rec: &mut SeriesRecorder) {
        if self.auto.is_some() {
            return;
        }
        if let Some(ids) = self.capacity_series {
            let step = rec.interval();
            let cap = self.capacity();
            let mut t = from / step * step;
            while t < self.end {
                for d in [READ, WRITE] {
                    rec.max(ids[d], t, cap[d]);
                }
                t += step;
            }
        }
    }

    /// Decides an attempt of `units` in direction `d` on the partition of
    /// key hash `h`; returns the partition and the verdict. Takes nothing:
    /// call [`Throughput::take`] when every budget involved admitted.
    #[inline(always)]
    pub fn admit(
        &mut self,
        now: SimTime,
        h: u32,
        d: usize,
        units: f64,
        rec: &mut SeriesRecorder,
    ) -> (usize, Verdict) {
        if now >= self.auto_next {
            self.auto_scale(now, Some(rec));
        }
        let table_ok = match &mut self.meter {
            Meter::Provisioned { table } => !self.adaptive || table[d].available(now) > 0.0,
            Meter::OnDemand(o) => {
                let before = o.warm;
                if let Some(n) = o.tick(now) {
                    self.on_demand_grew(now, n, before, rec);
                }
                let Meter::OnDemand(o) = &mut self.meter else {
                    unreachable!()
                };
                o.budget.available(now) > 0.0
            }
        };
        let p = self.parts.locate(h);
        let part_ok = self.parts.admits(now, p, d, h, units);
        let v = if !table_ok {
            Verdict::Table
        } else if !part_ok {
            Verdict::Partition
        } else {
            Verdict::Ok
        };
        (p, v)
    }

    /// Partition `p` and the table consume `units` in direction `d`.
    #[inline(always)]
    pub fn take(
        &mut self,
        now: SimTime,
        p: usize,
        d: usize,
        units: f64,
        measured: bool,
        rec: &mut SeriesRecorder,
    ) {
        self.parts.take(now, p, d, units, measured, rec);
        if let Some(a) = &mut self.auto {
            a.record(d, units);
        }
        match &mut self.meter {
            Meter::Provisioned { table } => {
                if self.adaptive {
                    table[d].take(units);
                }
            }
            Meter::OnDemand(o) => {
                o.budget.take(units / o.warm[d]);
                o.this_second[d] += units;
            }
        }
    }

    /// Accounting: an attempt in direction `d` on partition `p` was
    /// refused (`v` says by what).
    #[inline]
    pub fn refuse(&mut self, p: usize, d: usize, v: Verdict, measured: bool) {
        match v {
            Verdict::Partition => self.parts.refuse(p, d, measured),
            Verdict::Table if measured => self.throttled_table[d] += 1,
            _ => {}
        }
    }

    /// Attempts refused over the measured window (by partitions or the
    /// table-level budget).
    pub fn throttled(&self) -> u64 {
        self.throttled_table.iter().sum::<u64>()
            + self
                .parts
                .parts
                .iter()
                .map(|p| p.throttled.iter().sum::<u64>())
                .sum::<u64>()
    }

    /// Units consumed over the measured window (reads, writes).
    pub fn consumed(&self) -> [f64; 2] {
        let mut c = [0.0; 2];
        for p in &self.parts.parts {
            c[READ] += p.consumed[READ];
            c[WRITE] += p.consumed[WRITE];
        }
        c
    }

    /// The on-demand warm throughput rose at `now` from `before`:
    /// partitions split to hold `n`, the capacity series and area follow.
    #[cold]
    fn on_demand_grew(&mut self, now: SimTime, n: u32, before: [f64; 2], rec: &mut SeriesRecorder) {
        self.integrate(now.max(self.warmup), before);
        self.parts.grow_to(n);
        self.fill_capacity(now, rec);
    }

    /// Adds the capacity integral up to `now` (before it changes).
    fn integrate(&mut self, now: SimTime, cap: [f64; 2]) {
        if now > self.area_since {
            let dt = (now - self.area_since) as f64 * 1e-9;
            for d in [READ, WRITE] {
                self.capacity_area[d] += cap[d] * dt;
            }
            self.area_since = now;
        }
    }

    /// Auto scaling catches up to `now`; each change takes effect (with
    /// `rec`, the capacity series follows).
    #[cold]
    fn auto_scale(&mut self, now: SimTime, mut rec: Option<&mut SeriesRecorder>) {
        while let Some(c) = self.auto.as_mut().and_then(|a| a.step(now)) {
            self.apply(c, rec.as_deref_mut());
        }
        self.auto_next = self.auto.as_ref().map_or(SimTime::MAX, |a| a.next);
    }

    /// A capacity change `c` of auto scaling takes effect.
    fn apply(&mut self, c: Change, rec: Option<&mut SeriesRecorder>) {
        let before = self.capacity();
        self.integrate(c.at.max(self.warmup), before);
        if let Some(rec) = rec {
            self.write_capacity(c.at, before, rec);
        }
        if let Meter::Provisioned { table } = &mut self.meter {
            table[c.d].reconfigure(c.at, c.to, c.to * self.burst_seconds.max(1.0));
        }
        let cap = self.capacity();
        self.parts
            .grow_to(partitions_for(cap[READ], cap[WRITE], self.size_gb));
        if !self.adaptive {
            let n = self.parts.len() as f64;
            self.parts
                .set_share(c.at, [cap[READ] / n, cap[WRITE] / n], self.burst_seconds);
        }
    }

    /// With auto scaling: writes `cap` to the capacity series from where it
    /// stopped up to `to` (the buckets it touches).
    fn write_capacity(&mut self, to: SimTime, cap: [f64; 2], rec: &mut SeriesRecorder) {
        let Some(ids) = self.capacity_series else {
            return;
        };
        let step = rec.interval();
        let mut t = self.series_from / step * step;
        while t < to.min(self.end) {
            for d in [READ, WRITE] {
                rec.max(ids[d], t, cap[d]);
                if let Some(p) = self.provisioned_series {
                    rec.max(p[d], t, cap[d]);
                }
            }
            t += step;
        }
        self.series_from = to;
    }

    /// End of the run: with auto scaling, the capacity series to the end,
    /// as the capacity would go on without traffic (the state itself moves
    /// on in [`Throughput::mean_capacity`], to where the run stopped);
    /// the partitions' last buckets.
    pub fn finish(&mut self, rec: &mut SeriesRecorder) {
        self.parts.finish(rec);
        let Some(mut a) = self.auto.clone() else {
            return;
        };
        let mut cap = self.capacity();
        let from = self.series_from;
        while let Some(c) = a.step(self.end) {
            self.write_capacity(c.at, cap, rec);
            cap[c.d] = c.to;
        }
        self.write_capacity(self.end, cap, rec);
        self.series_from = from;
    }

    /// What auto scaling did, if it is on (call after
    /// [`Throughput::mean_capacity`], which brings it to the end).
    pub fn auto_scaling(&self) -> Option<Counts> {
        self.auto.as_ref().map(|a| a.counts)
    }

    /// Auto scaling's target utilisation \[fraction\], if it is on.
    pub fn target(&self) -> Option<f64> {
        self.auto.as_ref().map(AutoScaler::target)
    }

    /// Mean capacity over the measured window ending at `end`
    /// \[units/s\] (reads, writes); auto scaling first catches up to `end`.
    pub fn mean_capacity(&mut self, end: SimTime) -> [f64; 2] {
        if self.auto.is_some() {
            self.auto_scale(end, None);
        }
        let cap = self.capacity();
        self.integrate(end, cap);
        let s = end.saturating_sub(self.warmup) as f64 * 1e-9;
        if s > 0.0 {
            [self.capacity_area[READ] / s, self.capacity_area[WRITE] / s]
        } else {
            cap
        }
    }
}

impl OnDemand {
    /// Rolls the second and the 30-minute window; returns the partitions
    /// needed when the warm throughput rose.
    #[inline]
    fn tick(&mut self, now: SimTime) -> Option<u32> {
        let s = now / SECONDS;
        if s != self.second {
            for d in [READ, WRITE] {
                self.window_max[d] = self.window_max[d].max(self.this_second[d]);
            }
            self.this_second = [0.0; 2];
            self.second = s;
        }
        let w = now / ON_DEMAND_PEAK_WINDOW;
        if w == self.window {
            return None;
        }
        self.window = w;
        let mut grew = false;
        for d in [READ, WRITE] {
            if self.window_max[d] > self.peak[d] {
                self.peak[d] = self.window_max[d];
                let warm = (2.0 * self.peak[d]).min(self.max[d]);
                if warm > self.warm[d] {
                    self.warm[d] = warm;
                    grew = true;
                }
            }
        }
        self.window_max = [0.0; 2];
        grew.then(|| partitions_for(self.warm[READ], self.warm[WRITE], self.size_gb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_demand(warm: (f64, f64)) -> Throughput {
        Throughput::new(
            Settings {
                provisioned: None,
                warm,
                max: (40_000.0, 40_000.0),
                partitions: partitions_for(warm.0, warm.1, 0.0),
                adaptive: true,
                burst_seconds: 300.0,
                size_gb: 0.0,
                auto_scaling: None,
            },
            None,
            None,
            3600 * SECONDS,
            0,
        )
    }

    /// Serves `reads` and `writes` 1-unit requests spread evenly over one
    /// second starting at `from`; returns the refused reads and writes.
    fn second(t: &mut Throughput, from: SimTime, reads: u64, writes: u64) -> [u64; 2] {
        let mut rec = SeriesRecorder::new(3600 * SECONDS, SECONDS, 4);
        let n = reads + writes;
        let mut refused = [0; 2];
        for i in 0..n {
            let now = from + i * SECONDS / n;
            // Reads and writes interleaved evenly.
            let d = if (i + 1) * reads / n > i * reads / n {
                READ
            } else {
                WRITE
            };
            let h = (i as u32).wrapping_mul(2_654_435_761);
            let (p, v) = t.admit(now, h, d, 1.0, &mut rec);
            if v == Verdict::Ok {
                t.take(now, p, d, 1.0, true, &mut rec);
            } else {
                refused[d] += 1;
            }
        }
        refused
    }

    #[test]
    fn a_new_on_demand_table_is_one_normalised_budget() {
        let warm = (12_000.0, 4_000.0);
        assert_eq!(on_demand(warm).parts.len(), 8);
        // 12,000 reads, 4,000 writes, 6,000 + 2,000: all served, second
        // after second.
        for (r, w) in [(12_000, 0), (0, 4_000), (6_000, 2_000)] {
            let mut t = on_demand(warm);
            for s in 0..5 {
                assert_eq!(second(&mut t, s * SECONDS, r, w), [0, 0], "{r} + {w}");
            }
        }
        // 9,000 reads + 2,000 writes is 1.25 budgets a second: once the
        // one budget of credit is spent (4 s), a quarter of a budget is
        // refused each second (which requests depends on their order).
        let mut t = on_demand(warm);
        for s in 1..=6 {
            second(&mut t, s * SECONDS, 9_000, 2_000);
        }
        let [r, w] = second(&mut t, 7 * SECONDS, 9_000, 2_000);
        let refused = r as f64 / 12_000.0 + w as f64 / 4_000.0;
        assert!((refused - 0.25).abs() < 0.01, "{r} reads, {w} writes");
    }
}
