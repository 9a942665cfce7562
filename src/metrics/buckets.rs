//! Log-linear buckets at three significant digits (the HDR layout with
//! 2,048 sub-buckets, unit 1): the counts behind [`super::LatencyHistogram`].
//!
//! Bucket 0 holds the values 0..2,048 exactly; each later bucket `b`
//! doubles the range and holds 1,024 sub-buckets `2^b` wide, so every value
//! is kept within 1/1,024 of itself. A percentile is the highest value of
//! the sub-bucket in which the running count reaches `ceil(q * n)` (at
//! least 1), which is how HdrHistogram reports it; the test module checks
//! that the two agree.
//!
//! Written for the hot path: recording is a count of leading zeros, a
//! shift and an add; the counts grow (rarely) to the largest value seen.
//!
//! Owns: the bucket arithmetic. Must not know: units, what is measured.

/// Sub-buckets in the first bucket (three significant digits).
const SUB: u64 = 2048;
/// log2 of half of it: the sub-buckets of every later bucket.
const HALF_BITS: u32 = 10;
/// `leading_zeros(v | (SUB - 1))` of a value in bucket 0.
const BASE: u32 = 64 - HALF_BITS - 1;

/// Counts in log-linear buckets (see the module docs).
#[derive(Clone, Debug)]
pub struct Buckets {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Buckets {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket holding `v`.
#[inline]
fn bucket(v: u64) -> u32 {
    BASE - (v | (SUB - 1)).leading_zeros()
}

/// Index of the sub-bucket holding `v`.
#[inline]
fn index(v: u64) -> usize {
    let b = bucket(v);
    (((b as u64 + 1) << HALF_BITS) + (v >> b) - (SUB / 2)) as usize
}

/// Counts needed to hold `v`.
fn len_for(v: u64) -> usize {
    ((bucket(v) as usize) + 2) << HALF_BITS
}

/// Lowest value of sub-bucket `i`, and its width's log2.
fn lowest(i: usize) -> (u64, u32) {
    let b = (i >> HALF_BITS) as u32;
    let sub = (i as u64 & ((SUB / 2) - 1)) + SUB / 2;
    if b == 0 {
        (sub - SUB / 2, 0)
    } else {
        (sub << (b - 1), b - 1)
    }
}

impl Buckets {
    /// Empty, sized for values below 2,048 (16 KB).
    pub fn new() -> Self {
        Self {
            counts: vec![0; len_for(0)],
            total: 0,
        }
    }

    /// Counts one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        let i = index(v);
        if i >= self.counts.len() {
            self.grow(v);
        }
        self.counts[i] += 1;
        self.total += 1;
    }

    #[cold]
    fn grow(&mut self, v: u64) {
        self.counts.resize(len_for(v), 0);
    }

    /// Number of values counted.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Number of counters held.
    pub fn capacity(&self) -> usize {
        self.counts.len()
    }

    /// Adds every value of `other`.
    pub fn add(&mut self, other: &Buckets) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// Removes every value of `part` (a subset of these values); `None`
    /// when `part` holds a value this does not.
    pub fn without(&self, part: &Buckets) -> Option<Buckets> {
        let mut rest = self.clone();
        for (i, &c) in part.counts.iter().enumerate() {
            let r = rest.counts.get_mut(i);
            match r {
                Some(r) if *r >= c => *r -= c,
                None if c == 0 => {}
                _ => return None,
            }
        }
        rest.total -= part.total.min(rest.total);
        Some(rest)
    }

    /// The value at quantile `q` (0..=1): the highest value of the
    /// sub-bucket in which the running count reaches `ceil(q * n)`, at
    /// least 1 (the lowest value for `q = 0`); 0 when empty.
    pub fn value_at_quantile(&self, q: f64) -> u64 {
        let mut v = [0];
        self.values_at_quantiles(&[q], &mut v);
        v[0]
    }

    /// [`Buckets::value_at_quantile`] for each of `qs` (ascending) into
    /// `out`, in one pass over the counts.
    pub fn values_at_quantiles(&self, qs: &[f64], out: &mut [u64]) {
        debug_assert!(qs.windows(2).all(|w| w[0] <= w[1]) && out.len() == qs.len());
        out.fill(0);
        let mut k = 0;
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            seen += c;
            while k < qs.len() {
                let q = qs[k].min(1.0);
                let target = ((q * self.total as f64).ceil() as u64).max(1);
                if seen < target {
                    break;
                }
                let (low, width) = lowest(i);
                out[k] = if q == 0.0 {
                    low
                } else {
                    low + (1u64 << width) - 1
                };
                k += 1;
            }
            if k == qs.len() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn every_value_lands_in_a_sub_bucket_that_holds_it() {
        for v in (0..5000u64).chain([1 << 20, (1 << 20) + 1, 3_600_000_000, u64::MAX >> 12]) {
            let (low, width) = lowest(index(v));
            assert!(low <= v && v < low + (1 << width), "{v}: {low} +2^{width}");
            assert!(index(v) < len_for(v));
        }
    }

    /// The same percentiles as HdrHistogram (3 significant digits, 1..2
    /// with auto-resize), over values spread across nine decades.
    #[test]
    fn percentiles_agree_with_hdrhistogram() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        for n in [1usize, 2, 3, 10, 999, 20_000] {
            let mut ours = Buckets::new();
            let mut hdr = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 2, 3).unwrap();
            hdr.auto(true);
            for _ in 0..n {
                let v = (10f64.powf(rng.random::<f64>() * 9.0) as u64).max(1);
                ours.record(v);
                hdr.record(v).unwrap();
            }
            assert_eq!(ours.len(), hdr.len());
            let qs = [0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0];
            let mut all = [0; 9];
            ours.values_at_quantiles(&qs, &mut all);
            for (&q, &v) in qs.iter().zip(&all) {
                assert_eq!(
                    ours.value_at_quantile(q),
                    hdr.value_at_quantile(q),
                    "n {n} q {q}"
                );
                assert_eq!(v, hdr.value_at_quantile(q), "n {n} q {q} (one pass)");
            }
        }
    }

    #[test]
    fn add_and_without_undo_each_other() {
        let (mut a, mut b) = (Buckets::new(), Buckets::new());
        for v in [3u64, 70_000, 5_000_000] {
            a.record(v);
        }
        for v in [9u64, 9_000_000_000] {
            b.record(v);
        }
        let mut all = a.clone();
        all.add(&b);
        assert_eq!(all.len(), 5);
        let back = all.without(&b).unwrap();
        assert_eq!(back.len(), 3);
        for q in [0.1, 0.5, 1.0] {
            assert_eq!(back.value_at_quantile(q), a.value_at_quantile(q));
        }
        assert!(a.without(&b).is_none(), "b holds values a does not");
        assert_eq!(Buckets::new().value_at_quantile(0.5), 0);
    }
}
