//! The partitions of a table or a GSI: each owns a range of the 32-bit key
//! hash space and enforces its own per-second maximum (3,000 read and 1,000
//! write units, aws-facts 5.1); with adaptive capacity off, also its equal
//! share of the provisioned capacity. Keeps each partition's figures, the
//! "hottest partition" series, and splits partitions (for heat, or when
//! on-demand throughput reaches a new high).
//!
//! Must not know: the table-level budget (`capacity.rs`), SDK retries,
//! events.

use crate::engine::{SimTime, SECONDS};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::{HEAT_FRACTION, HEAT_MIN_SHARE, HEAT_SECONDS, MAX_PARTITIONS};
use crate::services::token_bucket::TokenBucket;

/// Index of reads in per-direction arrays.
pub const READ: usize = 0;
/// Index of writes in per-direction arrays.
pub const WRITE: usize = 1;

/// Use of one second against a per-second limit. Use beyond the limit
/// (a request is admitted while the second has room left and then
/// consumes its full cost) is carried into the following seconds.
#[derive(Clone, Copy, Debug, Default)]
struct Window {
    /// End of the second the use belongs to \[ns\] (0: none yet).
    end: SimTime,
    /// That second (`end / 1 s - 1`).
    second: u64,
    /// Units used in it (with any carried overshoot).
    used: f64,
}

/// One partition's state.
#[derive(Clone, Debug)]
pub struct Part {
    window: [Window; 2],
    /// Equal share of provisioned capacity (adaptive capacity off only).
    share: [TokenBucket; 2],
    /// Units consumed over the measured window (reads, writes).
    pub consumed: [f64; 2],
    /// Attempts this partition refused over the measured window.
    pub throttled: [u64; 2],
    /// Consecutive seconds at or above the heat threshold.
    streak: [u32; 2],
    /// Demand (attempted units) on the lower and upper half of the range
    /// since the streak began.
    halves: [f64; 2],
    /// Units used in the current series bucket, and the bucket's end.
    bucket_used: [f64; 2],
    bucket_end: SimTime,
}

impl Part {
    fn new(share: [f64; 2], burst_seconds: f64) -> Self {
        let bucket = |rate: f64| TokenBucket::full(rate, rate * burst_seconds.max(1.0));
        Self {
            window: [Window::default(); 2],
            share: [bucket(share[READ]), bucket(share[WRITE])],
            consumed: [0.0; 2],
            throttled: [0; 2],
            streak: [0; 2],
            halves: [0.0; 2],
            bucket_used: [0.0; 2],
            bucket_end: 0,
        }
    }
}

/// Where the hottest-partition series go.
#[derive(Clone, Copy, Debug)]
pub struct HotSeries {
    /// Per interval, the largest consumption of any one partition
    /// (reads, writes) \[units/s\].
    pub ids: [SeriesId; 2],
    /// Bucket width \[ns\].
    pub interval: SimTime,
    /// Series values per second: 1 / interval \[1/s\].
    pub per_s: f64,
}

/// The partitions of one table or index.
#[derive(Clone, Debug)]
pub struct Partitions {
    /// First key hash of each partition, ascending (`starts[0] == 0`).
    starts: Vec<u32>,
    /// Every range has the same width: locate by a multiplication.
    even: bool,
    /// Per partition, in key order.
    pub parts: Vec<Part>,
    /// The per-partition maximum \[units/s\] (reads, writes).
    pub max: [f64; 2],
    /// Each partition limited to its share (provisioned, adaptive
    /// capacity off).
    shared: bool,
    /// Split for heat (adaptive capacity on).
    heat: bool,
    /// Share of each partition with adaptive capacity off \[units/s\].
    share: [f64; 2],
    burst_seconds: f64,
    /// A partition found hot enough to split (applied after the attempt).
    split_due: Option<usize>,
    /// Partitions split for heat during the run.
    pub heat_splits: u32,
    hot: Option<HotSeries>,
}

impl Partitions {
    /// `n` partitions of equal key ranges, each with maximum `max`; with
    /// `share`, each is also limited to that share of the provisioned
    /// capacity with `burst_seconds` of credit (adaptive capacity off);
    /// `heat`: they split for heat (adaptive capacity on).
    pub fn new(
        n: u32,
        max: [f64; 2],
        share: Option<[f64; 2]>,
        heat: bool,
        burst_seconds: f64,
        hot: Option<HotSeries>,
    ) -> Self {
        let shared = share.is_some();
        let share = share.unwrap_or(max);
        let n = n.clamp(1, MAX_PARTITIONS);
        let starts = (0..u64::from(n))
            .map(|i| ((i << 32).div_ceil(u64::from(n))) as u32)
            .collect();
        Self {
            starts,
            even: true,
            parts: vec![Part::new(share, burst_seconds); n as usize],
            max,
            shared,
            heat,
            share,
            burst_seconds,
            split_due: None,
            heat_splits: 0,
            hot,
        }
    }

    /// Number of partitions.
    #[inline]
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// The partition holding key hash `h`.
    #[inline]
    pub fn locate(&self, h: u32) -> usize {
        if self.even {
            ((u64::from(h) * self.parts.len() as u64) >> 32) as usize
        } else {
            self.starts.partition_point(|&s| s <= h) - 1
        }
    }

    /// Key-hash range of partition `p`: `[start, end)` as u64.
    #[inline]
    fn range(&self, p: usize) -> (u64, u64) {
        let start = u64::from(self.starts[p]);
        let end = self.starts.get(p + 1).map_or(1u64 << 32, |&s| u64::from(s));
        (start, end)
    }

    /// Share of the key-hash space partition `p` holds.
    pub fn key_share(&self, p: usize) -> f64 {
        let (a, b) = self.range(p);
        (b - a) as f64 / (1u64 << 32) as f64
    }

    /// The most partition `p` may serve per second in direction `d`
    /// (its maximum, or its share with adaptive capacity off) \[units/s\].
    pub fn ceiling(&self, d: usize) -> f64 {
        if self.shared {
            self.max[d].min(self.share[d])
        } else {
            self.max[d]
        }
    }

    /// Whether partition `p` admits an attempt in direction `d` at `now`
    /// (its second has room left; without adaptive capacity, its share is
    /// positive). `h` is the key hash and `units` the attempt's cost
    /// (demand, for split for heat).
    #[inline(always)]
    pub fn admits(&mut self, now: SimTime, p: usize, d: usize, h: u32, units: f64) -> bool {
        let max = self.max[d];
        if now >= self.parts[p].window[d].end {
            self.roll(now, p, d);
        }
        let part = &mut self.parts[p];
        if self.shared {
            part.window[d].used < max && part.share[d].available(now) > 0.0
        } else {
            // Demand on each half of the range, while the partition is hot.
            if part.streak[d] > 0 {
                let (start, end) = self.range(p);
                let upper = u64::from(h) >= start + (end - start) / 2;
                self.parts[p].halves[usize::from(upper)] += units;
            }
            self.parts[p].window[d].used < max
        }
    }

    /// Partition `p`'s window in direction `d` moves to the second of
    /// `now`: the overshoot carries over, and the heat streak grows if the
    /// second that ended was hot and was the one just before.
    #[cold]
    fn roll(&mut self, now: SimTime, p: usize, d: usize) {
        let max = self.max[d];
        let part = &mut self.parts[p];
        let w = &mut part.window[d];
        let s = now / SECONDS;
        let elapsed = s - w.second;
        let hot = w.end > 0 && w.used >= HEAT_FRACTION * max;
        part.streak[d] = if hot && elapsed == 1 {
            part.streak[d] + 1
        } else {
            0
        };
        w.used = if w.used > 0.0 {
            (w.used - max * elapsed as f64).max(0.0)
        } else {
            0.0
        };
        w.end = (s + 1) * SECONDS;
        w.second = s;
        if part.streak[d] == 0 {
            part.halves = [0.0; 2];
        } else if part.streak[d] >= HEAT_SECONDS && self.heat {
            self.split_due = Some(p);
        }
    }

    /// Partition `p` serves `units` in direction `d` (after
    /// [`Partitions::admits`] at the same `now`).
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
        let part = &mut self.parts[p];
        part.window[d].used += units;
        if self.shared {
            part.share[d].take(units);
        }
        if measured {
            part.consumed[d] += units;
        }
        if let Some(hot) = self.hot {
            if now >= part.bucket_end {
                flush(part, hot, rec);
                part.bucket_end = (now / hot.interval + 1) * hot.interval;
            }
            part.bucket_used[d] += units;
        }
    }

    /// Partition `p` refused an attempt in direction `d`.
    #[inline]
    pub fn refuse(&mut self, p: usize, d: usize, measured: bool) {
        if measured {
            self.parts[p].throttled[d] += 1;
        }
    }

    /// Applies a split for heat found during the last attempt: the
    /// partition splits at the middle of its key range if its lighter half
    /// carried at least [`HEAT_MIN_SHARE`] of the demand (else one hot key
    /// dominates it, which a split cannot help); either way its streak
    /// starts again.
    #[inline]
    pub fn after_attempt(&mut self) {
        if let Some(p) = self.split_due.take() {
            self.split_for_heat(p);
        }
    }

    #[cold]
    fn split_for_heat(&mut self, p: usize) {
        let part = &mut self.parts[p];
        let [lo, hi] = part.halves;
        part.streak = [0; 2];
        part.halves = [0.0; 2];
        if lo.min(hi) >= HEAT_MIN_SHARE * (lo + hi) && self.split(p) {
            self.heat_splits += 1;
        }
    }

    /// Splits partition `p` at the middle of its range; false when it
    /// cannot split (one key hash wide, or at [`MAX_PARTITIONS`]). The
    /// lower half keeps the figures; both halves keep the partition's
    /// window (the data they serve this second is the same).
    fn split(&mut self, p: usize) -> bool {
        let (start, end) = self.range(p);
        if end - start < 2 || self.parts.len() >= MAX_PARTITIONS as usize {
            return false;
        }
        let mid = (start + (end - start) / 2) as u32;
        let mut upper = Part::new(self.share, self.burst_seconds);
        upper.window = self.parts[p].window;
        upper.bucket_end = self.parts[p].bucket_end;
        self.starts.insert(p + 1, mid);
        self.parts.insert(p + 1, upper);
        self.even = false;
        true
    }

    /// With adaptive capacity off, every partition's share becomes `share`
    /// \[units/s\] from `now` on (auto scaling changed the capacity, or the
    /// partitions split): each keeps its credit, capped at `burst_seconds`
    /// of the new share.
    pub fn set_share(&mut self, now: SimTime, share: [f64; 2], burst_seconds: f64) {
        if !self.shared {
            return;
        }
        self.share = share;
        for part in &mut self.parts {
            for d in [READ, WRITE] {
                let rate = share[d];
                part.share[d].reconfigure(now, rate, rate * burst_seconds.max(1.0));
            }
        }
    }

    /// Splits the widest partitions until there are at least `n` (a new
    /// throughput high on demand: aws-facts 10.14, "Partition splits").
    pub fn grow_to(&mut self, n: u32) {
        let n = n.min(MAX_PARTITIONS) as usize;
        while self.parts.len() < n {
            let widest = (0..self.parts.len())
                .max_by_key(|&p| {
                    let (a, b) = self.range(p);
                    (b - a, std::cmp::Reverse(p))
                })
                .unwrap_or(0);
            if !self.split(widest) {
                break;
            }
        }
    }

    /// Writes every partition's last series bucket (end of the run).
    pub fn finish(&mut self, rec: &mut SeriesRecorder) {
        if let Some(hot) = self.hot {
            for part in &mut self.parts {
                flush(part, hot, rec);
            }
        }
    }

    /// The `k` hottest partitions: most throttled attempts first, then
    /// most consumption relative to the partition maximum.
    pub fn hottest(&self, k: usize) -> Vec<usize> {
        let heat =
            |p: &Part| p.consumed[READ] / self.max[READ] + p.consumed[WRITE] / self.max[WRITE];
        let mut idx: Vec<usize> = (0..self.parts.len()).collect();
        idx.sort_by(|&a, &b| {
            let (pa, pb) = (&self.parts[a], &self.parts[b]);
            let (ta, tb) = (
                pa.throttled[0] + pa.throttled[1],
                pb.throttled[0] + pb.throttled[1],
            );
            tb.cmp(&ta)
                .then(heat(pb).total_cmp(&heat(pa)))
                .then(a.cmp(&b))
        });
        idx.truncate(k);
        idx
    }

    /// Bytes held (grows with splits).
    pub fn footprint(&self) -> usize {
        self.parts.capacity() * std::mem::size_of::<Part>() + self.starts.capacity() * 4
    }
}

/// Writes a partition's use in its current series bucket (the bucket
/// before `bucket_end`) as a candidate for the bucket's maximum.
fn flush(part: &mut Part, hot: HotSeries, rec: &mut SeriesRecorder) {
    if part.bucket_end > 0 {
        let at = part.bucket_end - hot.interval;
        for d in [READ, WRITE] {
            if part.bucket_used[d] > 0.0 {
                rec.max(hot.ids[d], at, part.bucket_used[d] * hot.per_s);
            }
        }
    }
    part.bucket_used = [0.0; 2];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(n: u32, adaptive: bool) -> Partitions {
        let share = (!adaptive).then_some([100.0, 100.0]);
        Partitions::new(n, [3000.0, 1000.0], share, adaptive, 0.0, None)
    }

    #[test]
    fn even_ranges_locate_by_multiplication_and_by_search_alike() {
        for n in [1, 3, 4, 7, 1000] {
            let mut p = parts(n, true);
            let probe = [
                0u32,
                1,
                12345,
                u32::MAX / 3,
                u32::MAX / 2,
                u32::MAX - 1,
                u32::MAX,
            ];
            let fast: Vec<usize> = probe.iter().map(|&h| p.locate(h)).collect();
            p.even = false;
            let slow: Vec<usize> = probe.iter().map(|&h| p.locate(h)).collect();
            assert_eq!(fast, slow, "n = {n}");
            let total: f64 = (0..p.len()).map(|i| p.key_share(i)).sum();
            assert!((total - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_partition_serves_at_most_its_maximum_per_second() {
        let mut p = parts(1, true);
        let mut rec = SeriesRecorder::new(10 * SECONDS, SECONDS, 1);
        let mut served = 0.0;
        // 3,000 write attempts of 1 unit within one second.
        for i in 0..3000u64 {
            let now = i * SECONDS / 3000;
            if p.admits(now, 0, WRITE, 0, 1.0) {
                p.take(now, 0, WRITE, 1.0, true, &mut rec);
                served += 1.0;
            } else {
                p.refuse(0, WRITE, true);
            }
        }
        assert_eq!(served, 1000.0);
        assert_eq!(p.parts[0].throttled[WRITE], 2000);
        // A 400-unit write is admitted while the second has room, and its
        // overshoot is carried into the next second.
        let mut p = parts(1, true);
        for _ in 0..3 {
            assert!(p.admits(0, 0, WRITE, 0, 400.0));
            p.take(0, 0, WRITE, 400.0, true, &mut rec);
        }
        assert!(!p.admits(0, 0, WRITE, 0, 400.0));
        assert!(p.admits(SECONDS, 0, WRITE, 0, 400.0));
        assert!((p.parts[0].window[WRITE].used - 200.0).abs() < 1e-9);
        // Two idle seconds later, the overshoot is gone.
        assert!(p.admits(3 * SECONDS, 0, WRITE, 0, 400.0));
        assert_eq!(p.parts[0].window[WRITE].used, 0.0);
    }

    #[test]
    fn shares_without_adaptive_capacity() {
        let mut p = parts(4, false);
        let mut rec = SeriesRecorder::new(10 * SECONDS, SECONDS, 1);
        // Share 100 units/s, burst floor 1 s: 100 units, then empty.
        let mut served = 0;
        for i in 0..300u64 {
            let now = i * SECONDS / 1000;
            if p.admits(now, 2, WRITE, u32::MAX / 2 + 10, 1.0) {
                p.take(now, 2, WRITE, 1.0, true, &mut rec);
                served += 1;
            }
        }
        // 100 at the start plus the refill over 0.3 s (30).
        assert!((129..=131).contains(&served), "{served}");
    }

    #[test]
    fn splits_keep_the_key_space_and_stop_at_one_hash() {
        let mut p = parts(3, true);
        p.grow_to(8);
        assert_eq!(p.len(), 8);
        let total: f64 = (0..p.len()).map(|i| p.key_share(i)).sum();
        assert!((total - 1.0).abs() < 1e-9);
        for h in [0u32, 77, 1 << 31, u32::MAX] {
            let i = p.locate(h);
            let (a, b) = p.range(i);
            assert!(u64::from(h) >= a && u64::from(h) < b);
        }
        let mut q = parts(1, true);
        for _ in 0..40 {
            q.split(0);
        }
        assert_eq!(
            q.len(),
            33,
            "32 bits of hash: 32 splits of the lowest range"
        );
    }

    #[test]
    fn sustained_heat_over_many_keys_splits_and_one_key_does_not() {
        let mut rec = SeriesRecorder::new(1000 * SECONDS, SECONDS, 1);
        for (keys, expect_split) in [(&[1u32 << 30, 3u32 << 30][..], true), (&[5u32][..], false)] {
            let mut p = parts(1, true);
            let mut t = 0;
            // 900 writes a second (>= 80 % of 1,000) for 301 s.
            for s in 0..=HEAT_SECONDS as u64 {
                for i in 0..900u64 {
                    t = s * SECONDS + i * SECONDS / 900;
                    let h = keys[i as usize % keys.len()];
                    if p.admits(t, 0, WRITE, h, 1.0) {
                        p.take(t, 0, WRITE, 1.0, true, &mut rec);
                    }
                    p.after_attempt();
                }
            }
            let _ = t;
            assert_eq!(p.len() == 2, expect_split, "{keys:?}");
            assert_eq!(p.heat_splits, u32::from(expect_split));
        }
    }
}
