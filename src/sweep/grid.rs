//! The grid of a sweep: runs, their points, replications and seeds, and
//! which runs a shard takes.
//!
//! Run `r` (0-based) is replication `r % R` of point `r / R` (R
//! replications); points are numbered as nested loops over the varied
//! fields in order, the last fastest ([`Sweep::coordinates`]). A run's
//! seed is a fixed function of the master seed, its point and its
//! replication ([`run_seed`]), so results never depend on the thread count,
//! the shard, or the order in which runs finish.

use crate::model::sweep::Sweep;

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection of
/// `u64` that spreads neighbouring inputs over the whole range.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of replication `rep` of point `point` in a sweep whose master
/// seed is `master`:
/// `mix(mix(mix(master) ^ point) ^ rep) & (2^63 - 1)`, with `mix` the
/// SplitMix64 finaliser (a seed is 0..=2^63-1, what `simulation.seed`
/// holds). `slsim run --seed <it>` with the point's settings reproduces
/// the run.
pub fn run_seed(master: u64, point: u64, rep: u64) -> u64 {
    mix(mix(mix(master) ^ point) ^ rep) & (i64::MAX as u64)
}

/// A part of a sweep: shard `index` of `count` (1-based) takes the runs
/// whose number is `index - 1` modulo `count`, so every shard gets an even
/// share of every point's replications and of the grid's corners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1..=count.
    pub index: u64,
    /// Number of shards, >= 1.
    pub count: u64,
}

impl Shard {
    /// The whole sweep.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `I/N` (1 <= I <= N <= [`crate::model::sweep::MAX_RUNS`]).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not of the form I/N, e.g. 2/8"))?;
        let num = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{}` in `{text}` is not a whole number", s.trim()))
        };
        let (index, count) = (num(i)?, num(n)?);
        let max = crate::model::sweep::MAX_RUNS;
        if count == 0 || count > max {
            return Err(format!("{count} shards: allowed 1..={max}"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "shard {index} of {count}: shards are numbered 1..={count} (with a job array \
                 numbered from 0, pass $((TASK_ID + 1))/{count})"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The runs (of `runs` in all) this shard takes, in order.
    pub fn runs(self, runs: u64) -> impl Iterator<Item = u64> {
        (self.index - 1..runs).step_by(self.count as usize)
    }

    /// Whether this is the whole sweep.
    pub fn is_all(self) -> bool {
        self.count == 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Where one run sits in the grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunId {
    /// Run number, 0-based.
    pub run: u64,
    /// Point number, 0-based.
    pub point: u64,
    /// Replication, 0-based.
    pub rep: u64,
    /// Its seed ([`run_seed`]).
    pub seed: u64,
}

/// The position and seed of run `run`.
pub fn locate(sweep: &Sweep, master: u64, run: u64) -> RunId {
    let reps = u64::from(sweep.replications);
    let (point, rep) = (run / reps, run % reps);
    RunId {
        run,
        point,
        rep,
        seed: run_seed(master, point, rep),
    }
}

/// The `--set` overrides that make run `id` of the sweep from the
/// scenario: the point's values, then its seed.
pub fn point_sets(sweep: &Sweep, id: &RunId) -> Vec<String> {
    let mut sets: Vec<String> = sweep
        .coordinates(id.point)
        .into_iter()
        .zip(&sweep.vary)
        .map(|(i, v)| v.set(i))
        .collect();
    sets.push(format!("simulation.seed={}", id.seed));
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_fixed_distinct_and_in_range() {
        // Pinned: a change here changes every published sweep.
        assert_eq!(run_seed(1, 0, 0), 3_569_668_903_477_806_787);
        assert_eq!(run_seed(1, 0, 1), 7_806_873_273_932_414_515);
        let mut seen = std::collections::HashSet::new();
        for point in 0..100 {
            for rep in 0..10 {
                let s = run_seed(42, point, rep);
                assert!(s <= i64::MAX as u64);
                assert!(seen.insert(s), "{point} {rep}");
            }
        }
        assert_ne!(run_seed(1, 0, 0), run_seed(2, 0, 0));
        assert_ne!(run_seed(1, 1, 0), run_seed(1, 0, 1));
    }

    #[test]
    fn shards_partition_the_runs() {
        let mut all: Vec<u64> = (1..=3)
            .flat_map(|i| Shard { index: i, count: 3 }.runs(10))
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(
            Shard { index: 2, count: 3 }.runs(10).collect::<Vec<_>>(),
            [1, 4, 7]
        );
        assert_eq!(Shard { index: 5, count: 8 }.runs(3).count(), 0);
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
