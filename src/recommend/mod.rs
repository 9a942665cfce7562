//! `slsim recommend` as a library: the settings of a sweep's grid that
//! meet every `[[slo]]` and optimise the `[objective]`, found with fewer
//! evaluations than the full grid, with the reasoning.
//!
//! Owns: the search (`search.rs`: bisection on capacity fields, successive
//! refinement on the others), evaluating points (here: every replication of
//! a point, in parallel on a rayon pool, through [`crate::sweep::exec::one`],
//! so that a point's runs, seeds and numbers are the sweep's), and what is
//! written and printed (`output.rs`: `recommend.json`, the `recommendation`
//! object of `summary.json`, the text). Must not know: TOML (the definition
//! comes from `scenario::sweep` as for `slsim sweep`), files, the terminal.
//!
//! Invariant: a point evaluated here has the rows `slsim sweep` gives it
//! (same run numbers, seeds and code), so its means, intervals and verdicts
//! are the sweep's for that point.

pub mod output;
pub mod search;

use crate::sweep::exec::{self, Job};
use crate::sweep::table::{self, PointSummary};
use crate::sweep::verdict::Judgement;
use crate::sweep::Row;
use rayon::prelude::*;

pub use search::{is_capacity, Field, Found, CAPACITY_FIELDS};

/// One point evaluated: its summary over the replications and its
/// judgement.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// The point's rows (all replications), in run order.
    pub rows: Vec<Row>,
    /// Means and intervals per metric column.
    pub summary: PointSummary,
    /// Verdicts.
    pub judgement: Judgement,
}

/// The outcome of a search.
#[derive(Debug)]
pub struct Outcome {
    /// The search's findings (judgements in evaluation order, reasoning,
    /// best or nearest point).
    pub found: Found,
    /// Every point evaluated, in evaluation order.
    pub evaluated: Vec<Evaluated>,
    /// The fields as searched.
    pub fields: Vec<Field>,
}

/// Searches `job`'s grid on `threads` threads (`None`: one per core),
/// calling `done` after each run.
pub fn recommend(
    job: &Job<'_>,
    threads: Option<usize>,
    done: &(dyn Fn() + Sync),
) -> Result<Outcome, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("slsim-recommend-{i}"))
        .build()?;
    let def = job.def;
    let reps = u64::from(def.sweep.replications.max(1));
    let fields: Vec<Field> = def
        .sweep
        .vary
        .iter()
        .map(|v| Field::new(&v.path, &v.labels))
        .collect();
    let mut evaluated: Vec<Evaluated> = Vec::new();
    let mut eval = |points: &[u64]| -> Vec<Judgement> {
        let runs: Vec<u64> = points
            .iter()
            .flat_map(|p| (p * reps..(p + 1) * reps).collect::<Vec<_>>())
            .collect();
        let rows: Vec<Row> = pool.install(|| {
            runs.par_iter()
                .with_max_len(1)
                .map(|&run| {
                    let row = exec::one(job, run);
                    done();
                    row
                })
                .collect()
        });
        let summaries = table::summarize(def, &rows);
        rows.chunks(reps as usize)
            .zip(summaries)
            .map(|(chunk, summary)| {
                let judgement = table::judge(def, &summary);
                evaluated.push(Evaluated {
                    rows: chunk.to_vec(),
                    summary,
                    judgement: judgement.clone(),
                });
                judgement
            })
            .collect()
    };
    let found = search::search(&fields, &def.criteria, &mut eval);
    Ok(Outcome {
        found,
        evaluated,
        fields,
    })
}
