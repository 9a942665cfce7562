//! Running a sweep's runs on a rayon pool, one [`Row`] each.
//!
//! Each run parses the scenario text with the user's overrides, the
//! point's values and the run's seed (`grid::point_sets`), runs it through
//! the one priced-run pipeline ([`crate::sim::run`]), takes its metrics
//! from its summary and drops the result. Rows come back in run order
//! whatever the pool's size.

use super::grid::{self, Shard};
use super::manifest::Definition;
use super::{Row, Status};
use crate::scenario;
use rayon::prelude::*;

/// What a sweep runs: the definition and the scenario's text.
pub struct Job<'a> {
    /// The definition (grid, seed, overrides, metrics).
    pub def: &'a Definition,
    /// The scenario file's text.
    pub text: &'a str,
    /// The file as given: names it in messages and anchors
    /// `empirical(FILE)` paths.
    pub file: &'a str,
}

/// Runs the runs of `shard` on `threads` threads (`None`: one per core,
/// or `RAYON_NUM_THREADS`), calling `done` after each; the rows in run
/// order.
pub fn run(
    job: &Job<'_>,
    shard: Shard,
    threads: Option<usize>,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Row>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .thread_name(|i| format!("slsim-sweep-{i}"))
        .build()?;
    let ids: Vec<u64> = shard.runs(job.def.runs()).collect();
    Ok(pool.install(|| {
        ids.par_iter()
            .with_max_len(1)
            .map(|&run| {
                let row = one(job, run);
                done();
                row
            })
            .collect()
    }))
}

/// The metric columns of a run's summary: a criterion's metric by its exact
/// keys (a count map's absent key as 0), any other by its dotted path.
pub fn values(def: &Definition, summary: &serde_json::Value) -> Vec<Option<f64>> {
    def.metrics
        .iter()
        .map(|m| match def.criteria.paths().find(|p| &p.metric == m) {
            Some(p) => crate::slo::lookup(summary, &p.path()).ok(),
            None => crate::slo::lookup_dotted(summary, m),
        })
        .collect()
}

/// Runs run `run`; a panic (a bug) becomes a `failed` row.
pub fn one(job: &Job<'_>, run: u64) -> Row {
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| simulate(job, run)));
    unwound.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        failed(
            job,
            run,
            Status::Failed,
            format!("slsim panicked (a bug): {what}"),
        )
    })
}

fn failed(job: &Job<'_>, run: u64, status: Status, message: String) -> Row {
    Row {
        run,
        status,
        message: one_line(&message),
        values: vec![None; job.def.metrics.len()],
    }
}

/// A message on one line (a CSV cell people read).
fn one_line(s: &str) -> String {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn simulate(job: &Job<'_>, run: u64) -> Row {
    let def = job.def;
    let id = grid::locate(&def.sweep, def.seed, run);
    let mut sets = def.overrides.clone();
    sets.extend(grid::point_sets(&def.sweep, &id));
    let s = match scenario::parse_str(job.text, job.file, &sets) {
        Ok(s) => s,
        Err(e) => return failed(job, run, Status::Invalid, e.to_string()),
    };
    let result = match crate::sim::run(&s) {
        Ok(r) => r,
        Err(e) => return failed(job, run, Status::Failed, e.to_string()),
    };
    if let Some(stop) = &result.stopped_early {
        let message = format!("stopped early at t = {:.3} s: {}", stop.at_s, stop.reason);
        return failed(job, run, Status::StoppedEarly, message);
    }
    let value = match serde_json::to_value(&result) {
        Ok(v) => v,
        Err(e) => return failed(job, run, Status::Failed, format!("summary: {e}")),
    };
    drop(result);
    Row {
        run,
        status: Status::Ok,
        message: String::new(),
        values: values(def, &value),
    }
}
