//! Sweeps: a scenario run at every point of a grid of settings, several
//! times each, in parallel; results as one row per run and, per point, the
//! mean and its 95 % confidence interval. Shards split a sweep over
//! machines; merging them gives the unsharded result byte for byte.
//!
//! Owns: the grid and the runs' seeds (`grid.rs`), running the runs on a
//! rayon pool (`exec.rs`), the metrics taken from each run's summary
//! (`metrics.rs`), the statistics (`stats.rs`), `sweep.csv` and
//! `sweep_summary.csv` (`table.rs`), `sweep.json` and the fingerprint
//! (`manifest.rs`), the
//! charts of the whole sweep (`charts.rs`), merging shards (`merge.rs`). Must not know: TOML (the
//! sweep's definition comes from `scenario::sweep`; each point's scenario
//! is the scenario text parsed with the point's `--set` overrides), how a
//! run works (each run is [`crate::sim::run`]), or the terminal.
//!
//! Invariants:
//! * a run's seed is a fixed function of the master seed, its point and its
//!   replication ([`grid::run_seed`]): results do not depend on the thread
//!   count, the shard, or the order in which runs finish;
//! * memory is bounded by the number of runs (one [`Row`] of numbers each),
//!   not by their length: a run's result is dropped once its row is taken;
//! * every number written is finite; an undefined one is an empty cell.

pub mod charts;
pub mod exec;
pub mod grid;
pub mod manifest;
pub mod merge;
mod metrics;
pub mod stats;
pub mod table;
pub mod text;
pub mod verdict;

pub use exec::run;
pub use grid::{run_seed, Shard};
pub use manifest::{Definition, Manifest};
pub use metrics::default_columns;
pub use table::PointSummary;
pub use verdict::{Criteria, Verdict};

use crate::report;
use indexmap::IndexMap;
use std::path::{Path, PathBuf};

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Ran to the end: its metrics are filled.
    Ok,
    /// A guard (events, wall time, memory) stopped it: no metrics.
    StoppedEarly,
    /// The point's scenario did not validate (a combination of values no
    /// single value shows): no metrics.
    Invalid,
    /// The run failed (an error or a panic: a bug): no metrics.
    Failed,
}

impl Status {
    /// The `status` cell.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::StoppedEarly => "stopped_early",
            Status::Invalid => "invalid",
            Status::Failed => "failed",
        }
    }

    /// The status of a `status` cell.
    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Ok,
            Status::StoppedEarly,
            Status::Invalid,
            Status::Failed,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// One run's line of `sweep.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Run number (its point, replication and seed follow from it).
    pub run: u64,
    /// How it ended.
    pub status: Status,
    /// Why it did not end `ok` (one line), else empty.
    pub message: String,
    /// One per metric column; `None` where undefined or not `ok`.
    pub values: Vec<Option<f64>>,
}

/// The best point of a whole sweep as `sweep.json` records it; `None`
/// without SLOs and objective.
pub fn best_ref(def: &Definition, points: &[PointSummary]) -> Option<manifest::BestRef> {
    def.criteria.objective.as_ref()?;
    let mut counts = [0u64; 3];
    for p in points {
        counts[match table::judge(def, p).verdict {
            Verdict::Feasible => 0,
            Verdict::Uncertain => 1,
            Verdict::Infeasible => 2,
        }] += 1;
    }
    let best = table::best(def, points).and_then(|b| points.iter().find(|p| p.point == b));
    let objective = best.map(|p| {
        table::judge(def, p).objective.unwrap_or(stats::Estimate {
            n: 0,
            mean: None,
            ci95: None,
        })
    });
    Some(manifest::BestRef {
        point: best.map(|p| p.point),
        values: best
            .map(|p| {
                def.sweep
                    .vary
                    .iter()
                    .map(|v| v.path.clone())
                    .zip(p.labels.iter().cloned())
                    .collect()
            })
            .unwrap_or_default(),
        objective_mean: objective.and_then(|e| e.mean),
        objective_ci95: objective.and_then(|e| e.ci95),
        feasible: counts[0],
        uncertain: counts[1],
        infeasible: counts[2],
    })
}

/// Writes the results of `rows` (sorted by run) into `dir`, all or nothing:
/// for the whole sweep (`shard` `None`) `sweep.csv`, `sweep_summary.csv`,
/// the charts in `plots/` (unless `plots` is false; [`charts`], drawn from
/// the per-point summary alone), `report.md`, `report.html` and
/// `sweep.json`; for a shard `sweep.csv` and `sweep.json`. Returns the
/// paths written and, for the whole sweep, the per-point summary.
pub fn write(
    dir: &Path,
    def: &Definition,
    shard: Option<Shard>,
    rows: &[Row],
    plots: bool,
) -> Result<(Vec<PathBuf>, Vec<PointSummary>), report::ReportError> {
    let points = match shard {
        None => table::summarize(def, rows),
        Some(_) => Vec::new(),
    };
    let charts = match shard {
        None if plots => charts::sweep_charts(def, &points),
        _ => Vec::new(),
    };
    let extra = report::SweepExtras {
        charts: &charts,
        report: shard.is_none(),
    };
    let names: &[&'static str] = match shard {
        None => &report::SWEEP_FILES,
        Some(_) => &["sweep.csv", "sweep.json"],
    };
    let paths = report::write_files(dir, names, &extra, |name, w, done| match name {
        "sweep.csv" => table::write_runs(w, def, rows),
        "sweep_summary.csv" => table::write_summary(w, def, &points),
        _ => {
            let files: IndexMap<String, manifest::Digest> = done
                .iter()
                .map(|(n, d)| {
                    let digest = manifest::Digest {
                        bytes: d.bytes,
                        sha256: d.sha256.clone(),
                    };
                    (n.to_string(), digest)
                })
                .collect();
            let best = shard.is_none().then(|| best_ref(def, &points)).flatten();
            w.write_all(&def.manifest(shard, rows, best, files).to_bytes())
        }
    })?;
    Ok((paths, points))
}
