//! A scenario's replications, run in memory (no output directory) for
//! `slsim diff`: their seeds, and running them on a few threads.
//!
//! Replication `r` of a scenario whose seed (after `--set` and `--seed`)
//! is `m` runs with [`replication_seed`]`(m, r)`: `m` itself for `r = 0`
//! (so one replication is the run `slsim run` makes), else a SplitMix64
//! mix of `m` and `r`. Each run's result depends only on its scenario and
//! seed, and results are kept in replication order, so the thread count
//! changes nothing but the wall time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::Value;

use crate::model::Scenario;
use crate::sim;

/// Why a replication gave no result.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A guard (events, wall time, memory) stopped it: its figures cover
    /// part of the run only, so they are not compared.
    #[error("the run with seed {seed} stopped early at simulated t = {at_s:.3} s: {reason}")]
    Stopped {
        /// The run's seed.
        seed: u64,
        /// Simulated time reached \[s\].
        at_s: f64,
        /// The guard's message.
        reason: String,
    },
    /// The run failed.
    #[error("the run with seed {seed} failed: {source}")]
    Sim {
        /// The run's seed.
        seed: u64,
        /// The cause.
        source: sim::SimError,
    },
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of replication `r` of a scenario seeded `master`: `master`
/// for `r = 0`, else `mix(master ^ mix(r))` kept in 0..=2^63-1 (the range
/// of `[simulation] seed`).
pub fn replication_seed(master: u64, r: usize) -> u64 {
    if r == 0 {
        return master;
    }
    mix(master ^ mix(r as u64)) & (i64::MAX as u64)
}

/// `n` copies of `s`, replication `r` seeded [`replication_seed`]`(seed, r)`.
pub fn seeded(s: &Scenario, n: usize) -> Vec<Scenario> {
    let master = s.simulation.seed;
    (0..n)
        .map(|r| {
            let mut c = s.clone();
            c.simulation.seed = replication_seed(master, r);
            c
        })
        .collect()
}

/// Runs one scenario; its summary as `summary.json` holds it (without
/// `files`).
pub fn run_one(s: &Scenario) -> Result<Value, RunError> {
    let seed = s.simulation.seed;
    let result = sim::run(s).map_err(|source| RunError::Sim { seed, source })?;
    if let Some(stop) = &result.stopped_early {
        return Err(RunError::Stopped {
            seed,
            at_s: stop.at_s,
            reason: stop.reason.clone(),
        });
    }
    Ok(serde_json::to_value(&result).unwrap_or(Value::Null))
}

/// Runs every scenario on up to `threads` threads; the results in input
/// order.
pub fn run_many(scenarios: &[Scenario], threads: usize) -> Vec<Result<Value, RunError>> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Value, RunError>>>> =
        scenarios.iter().map(|_| Mutex::new(None)).collect();
    let workers = threads.clamp(1, scenarios.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(s) = scenarios.get(i) else { break };
                let got = run_one(s);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(got);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(scenarios)
        .map(|(slot, s)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(RunError::Stopped {
                    seed: s.simulation.seed,
                    at_s: 0.0,
                    reason: "its thread ended without a result".into(),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_fixed_distinct_and_in_range() {
        assert_eq!(replication_seed(42, 0), 42);
        let seeds: Vec<u64> = (0..1000).map(|r| replication_seed(42, r)).collect();
        for (i, s) in seeds.iter().enumerate() {
            assert!(*s <= i64::MAX as u64);
            assert!(!seeds[..i].contains(s), "replication {i}");
        }
        // Fixed by the formula, not by a crate or platform.
        assert_eq!(
            replication_seed(42, 1),
            mix(42 ^ mix(1)) & (i64::MAX as u64)
        );
        assert_ne!(replication_seed(42, 1), replication_seed(43, 1));
    }
}
