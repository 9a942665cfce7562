//! Key popularity: which partition key a DynamoDB request uses.
//!
//! A [`Keys`] draws a key *rank* (1 = the most popular key) and turns it
//! into a 32-bit key hash with a fixed mixing function ([`key_hash`]), so
//! that the same rank always lands on the same place of the hash space
//! whatever the seed. The default, [`Keys::Many`], is "so many keys that
//! no two requests share one": it draws the hash directly.
//!
//! Sampling is O(1) and allocation-free: Zipf by rejection
//! ([`rand_distr::Zipf`], bounded expected work for every `s >= 0`).
//!
//! Must not know: partitions, tables, string syntax.

use rand::{Rng, SeedableRng};
use rand_distr::Distribution;
use rand_xoshiro::SplitMix64;

/// A key-popularity model.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Keys {
    /// Uniform over so many keys that each request has its own: the key
    /// hash is drawn uniformly.
    #[default]
    Many,
    /// Uniform over `n` keys.
    Uniform {
        /// Number of keys (>= 1).
        n: u64,
    },
    /// Zipf over `n` keys: rank `k` has probability proportional to
    /// `k^-s`.
    Zipf {
        /// Number of keys (>= 1).
        n: u64,
        /// Exponent (>= 0; 0 is uniform).
        s: f64,
        /// The prepared sampler.
        sampler: rand_distr::Zipf<f64>,
    },
}

/// The 32-bit hash of key `rank` (SplitMix64's finaliser; fixed, so the
/// key-to-partition mapping is the same in every run).
#[inline]
pub fn key_hash(rank: u64) -> u32 {
    let mut z = rank.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 32) as u32
}

impl Keys {
    /// Zipf over `n` keys with exponent `s`; `None` unless `n >= 1` and
    /// `s >= 0` (finite).
    pub fn zipf(n: u64, s: f64) -> Option<Self> {
        if n == 0 || !s.is_finite() {
            return None;
        }
        rand_distr::Zipf::new(n as f64, s)
            .ok()
            .map(|sampler| Keys::Zipf { n, s, sampler })
    }

    /// Draws a key and returns its hash.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match self {
            Keys::Many => rng.random::<u32>(),
            Keys::Uniform { n } => key_hash(rng.random_range(1..=*n)),
            Keys::Zipf { n, sampler, .. } => {
                // The sampler returns 1..=n as a float.
                let rank = (sampler.sample(rng) as u64).clamp(1, *n);
                key_hash(rank)
            }
        }
    }

    /// Draws a key and returns its rank (1 = the most popular; 1..=n);
    /// [`Keys::Many`] gives a 32-bit draw (its keys have no ranks).
    #[inline]
    pub fn sample_rank<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match self {
            Keys::Many => u64::from(rng.random::<u32>()),
            Keys::Uniform { n } if *n <= 1 => 1,
            Keys::Uniform { n } => rng.random_range(1..=*n),
            Keys::Zipf { n, sampler, .. } => (sampler.sample(rng) as u64).clamp(1, *n),
        }
    }

    /// The key of item `item` (a key hash) under this model, drawn from a
    /// stream seeded by the item and `salt`: an attribute of the item, the
    /// same every time the item is written (e.g. a secondary index's key).
    #[inline]
    pub fn derived(&self, item: u32, salt: u64) -> u32 {
        let seed = (u64::from(item) << 32 | u64::from(item)) ^ salt;
        match self {
            Keys::Many => key_hash(seed),
            _ => self.sample(&mut SplitMix64::seed_from_u64(seed)),
        }
    }

    /// Probability of the key of rank `k` (1-based); `None` for
    /// [`Keys::Many`] (every key is drawn about never twice).
    pub fn probability(&self, k: u64) -> Option<f64> {
        match *self {
            Keys::Many => None,
            Keys::Uniform { n } => Some(if (1..=n).contains(&k) {
                1.0 / n as f64
            } else {
                0.0
            }),
            Keys::Zipf { n, s, .. } => {
                if !(1..=n).contains(&k) {
                    return Some(0.0);
                }
                let h: f64 = (1..=n).map(|i| (i as f64).powf(-s)).sum();
                Some((k as f64).powf(-s) / h)
            }
        }
    }

    /// Share of the requests that go to the most popular key.
    pub fn top_share(&self) -> Option<f64> {
        self.probability(1)
    }
}

impl std::fmt::Display for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keys::Many => write!(f, "uniform over many keys"),
            Keys::Uniform { n } => write!(f, "uniform(n={n})"),
            Keys::Zipf { n, s, .. } => write!(f, "zipf(n={n}, s={s})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    #[test]
    fn hashes_are_fixed_and_spread() {
        assert_eq!(key_hash(1), key_hash(1));
        assert_ne!(key_hash(1), key_hash(2));
        // Ranks 1..=4096 over 4 quarters of the hash space: about 1024
        // each (binomial sd 28).
        let mut q = [0u32; 4];
        for r in 1..=4096 {
            q[(key_hash(r) >> 30) as usize] += 1;
        }
        assert!(q.iter().all(|&c| (c as i32 - 1024).abs() < 150), "{q:?}");
    }

    #[test]
    fn zipf_ranks_follow_the_pmf() {
        let k = Keys::zipf(1000, 1.2).unwrap();
        let p1 = k.probability(1).unwrap();
        let mut rng = stream(7, "keys", "test");
        let n = 200_000;
        let hits = (0..n).filter(|_| k.sample(&mut rng) == key_hash(1)).count();
        let se = (p1 * (1.0 - p1) / n as f64).sqrt();
        assert!(
            (hits as f64 / n as f64 - p1).abs() < 5.0 * se,
            "{hits} vs {p1}"
        );
        // The top share of zipf(1000, 1.2) is 1 / H(1000, 1.2) ~ 0.23.
        assert!((0.2..0.26).contains(&p1), "{p1}");
    }

    #[test]
    fn uniform_keys_stay_in_range_and_derived_keys_are_stable() {
        let k = Keys::Uniform { n: 3 };
        let mut rng = stream(7, "keys", "test");
        let allowed = [key_hash(1), key_hash(2), key_hash(3)];
        for _ in 0..1000 {
            assert!(allowed.contains(&k.sample(&mut rng)));
        }
        assert_eq!(k.derived(42, 9), k.derived(42, 9));
        assert!(allowed.contains(&k.derived(42, 9)));
        assert_eq!(Keys::Many.derived(5, 1), Keys::Many.derived(5, 1));
        assert_ne!(Keys::Many.derived(5, 1), Keys::Many.derived(5, 2));
        assert!(Keys::zipf(0, 1.0).is_none());
        assert!(Keys::zipf(10, -1.0).is_none());
    }
}
