//! What a sweep is (its [`Definition`]) and `sweep.json`, the manifest
//! written beside its results: the definition, its fingerprint, the shard
//! a directory holds, the count of runs by status and the size and SHA-256
//! of the CSV files. `slsim merge` reads the shards' manifests to check
//! that they belong together.

use super::grid::Shard;
use super::verdict::{Criteria, ObjectiveRef, SloRef};
use super::{Row, Status};
use crate::model::sweep::{Sweep, Vary};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The format tag of `sweep.json`.
pub const FORMAT: &str = "slsim-sweep/1";

/// The scenario a sweep ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    /// `[simulation] name`.
    pub name: String,
    /// The file as given on the command line (not part of the fingerprint:
    /// shards may run from different checkouts).
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// One varied field in `sweep.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaryRef {
    /// The field path (`--set` syntax).
    pub path: String,
    /// The values, as `--set` VALUE text (TOML).
    pub values: Vec<String>,
    /// The values as the CSV files show them.
    pub labels: Vec<String>,
}

/// Everything that decides a sweep's results: two shards with the same
/// definition (and fingerprint) are parts of the same sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The scenario.
    pub scenario: ScenarioRef,
    /// The user's `--set` overrides in order (`--seed N` as
    /// `simulation.seed=N`).
    pub overrides: Vec<String>,
    /// Master seed (the scenario's `simulation.seed` after overrides).
    pub seed: u64,
    /// The grid and the replications.
    pub sweep: Sweep,
    /// Metric columns: dotted paths into a run's `summary.json` (the
    /// criteria's metrics among them).
    pub metrics: Vec<String>,
    /// The SLOs and objective each point is judged by (empty: no verdict).
    pub criteria: Criteria,
}

/// The best point of a whole sweep, in `sweep.json` (with SLOs or an
/// objective).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BestRef {
    /// The best feasible point ([`super::verdict`]); `null` when no point is
    /// feasible.
    pub point: Option<u64>,
    /// Its varied values (path = label); empty without a best point.
    pub values: IndexMap<String, String>,
    /// Its objective's mean; `null` without a best point.
    pub objective_mean: Option<f64>,
    /// The half-width of the objective's 95 % interval; `null` below two
    /// replications.
    pub objective_ci95: Option<f64>,
    /// Points by verdict.
    pub feasible: u64,
    /// Points whose interval straddles a bound.
    pub uncertain: u64,
    /// Points that miss an SLO.
    pub infeasible: u64,
}

/// Size and SHA-256 of a written file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// Size \[bytes\].
    pub bytes: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// Which shard a directory holds (absent for a whole or merged sweep).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRef {
    /// 1..=count.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
    /// Runs in this shard.
    pub runs: u64,
}

/// Runs by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Ran to the end.
    pub ok: u64,
    /// Stopped by a guard (events, wall time, memory).
    pub stopped_early: u64,
    /// The point's scenario did not validate.
    pub invalid: u64,
    /// The run failed (a bug: an error or a panic).
    pub failed: u64,
}

impl StatusCounts {
    /// Counts `rows`.
    pub fn of(rows: &[Row]) -> StatusCounts {
        let mut c = StatusCounts::default();
        for r in rows {
            *match r.status {
                Status::Ok => &mut c.ok,
                Status::StoppedEarly => &mut c.stopped_early,
                Status::Invalid => &mut c.invalid,
                Status::Failed => &mut c.failed,
            } += 1;
        }
        c
    }

    /// Adds `other`.
    pub fn add(&mut self, other: &StatusCounts) {
        self.ok += other.ok;
        self.stopped_early += other.stopped_early;
        self.invalid += other.invalid;
        self.failed += other.failed;
    }
}

/// `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The slsim version that ran it.
    pub slsim_version: String,
    /// The scenario.
    pub scenario: ScenarioRef,
    /// The user's overrides.
    pub overrides: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Runs per point.
    pub replications: u32,
    /// The varied fields, the last fastest.
    pub vary: Vec<VaryRef>,
    /// Points of the grid.
    pub points: u64,
    /// Runs of the whole sweep (points x replications).
    pub runs: u64,
    /// Metric columns of `sweep.csv`.
    pub metrics: Vec<String>,
    /// The SLOs each point is judged by (absent without).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slos: Vec<SloRef>,
    /// The objective that ranks the feasible points (absent without SLOs
    /// and objective).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<ObjectiveRef>,
    /// The best point (a whole sweep with SLOs or an objective only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<BestRef>,
    /// SHA-256 of the definition (see [`Definition::fingerprint`]).
    pub fingerprint: String,
    /// The shard this directory holds; `null` for a whole or merged sweep.
    pub shard: Option<ShardRef>,
    /// Runs of this directory by status.
    pub status: StatusCounts,
    /// Size and SHA-256 of the CSV files beside it.
    pub files: IndexMap<String, Digest>,
}

impl Definition {
    /// Runs of the whole sweep.
    pub fn runs(&self) -> u64 {
        self.sweep.runs().unwrap_or(0)
    }

    /// SHA-256 (hex) of what decides the results: the slsim version, the
    /// scenario's name and SHA-256, the overrides, the master seed, the
    /// replications, the varied fields and their values, the metrics.
    pub fn fingerprint(&self) -> String {
        #[derive(Serialize)]
        struct Key<'a> {
            format: &'a str,
            slsim_version: &'a str,
            name: &'a str,
            sha256: &'a str,
            overrides: &'a [String],
            seed: u64,
            replications: u32,
            vary: Vec<(&'a str, &'a [String])>,
            metrics: &'a [String],
            #[serde(skip_serializing_if = "<[SloRef]>::is_empty")]
            slos: &'a [SloRef],
            #[serde(skip_serializing_if = "Option::is_none")]
            objective: Option<&'a ObjectiveRef>,
        }
        let key = Key {
            format: FORMAT,
            slsim_version: env!("CARGO_PKG_VERSION"),
            name: &self.scenario.name,
            sha256: &self.scenario.sha256,
            overrides: &self.overrides,
            seed: self.seed,
            replications: self.sweep.replications,
            vary: self
                .sweep
                .vary
                .iter()
                .map(|v| (v.path.as_str(), v.values.as_slice()))
                .collect(),
            metrics: &self.metrics,
            slos: &self.criteria.slos,
            objective: self.criteria.objective.as_ref(),
        };
        let bytes = serde_json::to_vec(&key).unwrap_or_default();
        crate::report::sha256_hex(&bytes)
    }

    /// The manifest of a directory holding `rows` of `shard` (`None`: the
    /// whole sweep, whose `best` point is given) and the files `files`.
    pub fn manifest(
        &self,
        shard: Option<Shard>,
        rows: &[Row],
        best: Option<BestRef>,
        files: IndexMap<String, Digest>,
    ) -> Manifest {
        Manifest {
            format: FORMAT.into(),
            slsim_version: env!("CARGO_PKG_VERSION").into(),
            scenario: self.scenario.clone(),
            overrides: self.overrides.clone(),
            seed: self.seed,
            replications: self.sweep.replications,
            vary: self
                .sweep
                .vary
                .iter()
                .map(|v| VaryRef {
                    path: v.path.clone(),
                    values: v.values.clone(),
                    labels: v.labels.clone(),
                })
                .collect(),
            points: self.sweep.points().unwrap_or(0),
            runs: self.runs(),
            metrics: self.metrics.clone(),
            slos: self.criteria.slos.clone(),
            objective: self.criteria.objective.clone(),
            best,
            fingerprint: self.fingerprint(),
            shard: shard.map(|s| ShardRef {
                index: s.index,
                count: s.count,
                runs: rows.len() as u64,
            }),
            status: StatusCounts::of(rows),
            files,
        }
    }
}

impl Manifest {
    /// The definition recorded in the manifest.
    pub fn definition(&self) -> Definition {
        Definition {
            scenario: self.scenario.clone(),
            overrides: self.overrides.clone(),
            seed: self.seed,
            sweep: Sweep {
                replications: self.replications,
                vary: self
                    .vary
                    .iter()
                    .map(|v| Vary {
                        path: v.path.clone(),
                        values: v.values.clone(),
                        labels: v.labels.clone(),
                    })
                    .collect(),
            },
            metrics: self.metrics.clone(),
            criteria: Criteria {
                slos: self.slos.clone(),
                objective: self.objective.clone(),
            },
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}
