//! What `slsim recommend` writes and prints: `recommend.json` (every point
//! evaluated, in evaluation order, with its means, intervals and verdicts,
//! and the reasoning), the `recommendation` object of the recommended
//! point's `summary.json`, and the text.

use super::{Evaluated, Outcome};
use crate::model::Bound;
use crate::slo::show;
use crate::sweep::grid::{self, RunId};
use crate::sweep::manifest::{Definition, ScenarioRef, VaryRef};
use crate::sweep::stats::Estimate;
use crate::sweep::table;
use crate::sweep::verdict::{ObjectiveRef, SloRef};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write;

/// The format tag of `recommend.json`.
pub const FORMAT: &str = "slsim-recommend/1";

/// The point shown: the recommended one, else the nearest.
pub fn shown_point(o: &Outcome) -> Option<u64> {
    o.found.best.or(o.found.nearest)
}

/// Replication 0 of `point`: the run written as the result directory.
pub fn first_run(def: &Definition, point: u64) -> RunId {
    let reps = u64::from(def.sweep.replications.max(1));
    grid::locate(&def.sweep, def.seed, point * reps)
}

/// The `--set`s of replication 0 of `point` after the user's: the point's
/// values, then its seed (`slsim run`'s provenance with the command
/// [`command`] prints).
pub fn run_sets(def: &Definition, point: u64) -> Vec<String> {
    let mut sets = def.overrides.clone();
    sets.extend(grid::point_sets(&def.sweep, &first_run(def, point)));
    sets
}

/// The point's values, path = label.
pub fn settings(def: &Definition, point: u64) -> IndexMap<String, String> {
    def.sweep
        .vary
        .iter()
        .map(|v| v.path.clone())
        .zip(table::point_labels(def, point))
        .collect()
}

/// A shell word: quoted unless plain.
pub fn word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-=/:,+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `slsim run FILE --set ... --seed N`: replication 0 of `point`.
pub fn command(def: &Definition, point: u64) -> String {
    let id = first_run(def, point);
    let mut cmd = format!("slsim run {}", word(&def.scenario.path));
    let mut sets = def.overrides.clone();
    sets.extend(
        def.sweep
            .vary
            .iter()
            .zip(def.sweep.coordinates(point))
            .map(|(v, i)| v.set(i)),
    );
    for s in sets {
        let _ = write!(cmd, " --set {}", word(&s));
    }
    let _ = write!(cmd, " --seed {}", id.seed);
    cmd
}

#[derive(Serialize)]
struct Interval {
    mean: Option<f64>,
    ci95: Option<f64>,
}

impl From<Estimate> for Interval {
    fn from(e: Estimate) -> Self {
        Interval {
            mean: e.mean,
            ci95: e.ci95,
        }
    }
}

#[derive(Serialize)]
struct SloLine {
    metric: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    mean: Option<f64>,
    ci95: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    verdict: &'static str,
}

#[derive(Serialize)]
struct PointLine {
    point: u64,
    values: IndexMap<String, String>,
    runs: u64,
    ok: u64,
    verdict: &'static str,
    slos: Vec<SloLine>,
    objective: Option<Interval>,
    metrics: IndexMap<String, Interval>,
}

fn point_line(def: &Definition, e: &Evaluated) -> PointLine {
    let j = &e.judgement;
    PointLine {
        point: e.summary.point,
        values: settings(def, e.summary.point),
        runs: e.summary.runs,
        ok: e.summary.ok,
        verdict: j.verdict.as_str(),
        slos: def
            .criteria
            .slos
            .iter()
            .zip(&j.slos)
            .map(|(s, sj)| SloLine {
                metric: s.path.metric.clone(),
                max: s.max,
                min: s.min,
                mean: sj.estimate.mean,
                ci95: sj.estimate.ci95,
                lower: sj.interval.map(|i| i.0 + 0.0),
                upper: sj.interval.map(|i| i.1 + 0.0),
                verdict: sj.verdict.as_str(),
            })
            .collect(),
        objective: j.objective.map(Interval::from),
        metrics: def
            .metrics
            .iter()
            .cloned()
            .zip(e.summary.metrics.iter().map(|m| Interval::from(*m)))
            .collect(),
    }
}

#[derive(Serialize)]
struct Chosen {
    point: u64,
    values: IndexMap<String, String>,
    seed: u64,
    command: String,
}

#[derive(Serialize)]
struct FieldLine {
    #[serde(flatten)]
    vary: VaryRef,
    search: &'static str,
}

#[derive(Serialize)]
struct RecommendJson<'a> {
    format: &'static str,
    slsim_version: &'static str,
    scenario: &'a ScenarioRef,
    overrides: &'a [String],
    seed: u64,
    replications: u32,
    vary: Vec<FieldLine>,
    slos: &'a [SloRef],
    objective: Option<&'a ObjectiveRef>,
    grid_points: u64,
    evaluated_points: u64,
    runs: u64,
    reasoning: &'a [String],
    recommended: Option<Chosen>,
    nearest: Option<Chosen>,
    evaluated: Vec<PointLine>,
}

fn chosen(def: &Definition, point: Option<u64>) -> Option<Chosen> {
    point.map(|p| Chosen {
        point: p,
        values: settings(def, p),
        seed: first_run(def, p).seed,
        command: command(def, p),
    })
}

/// `recommend.json`, pretty, with a final newline.
pub fn recommend_json(def: &Definition, o: &Outcome) -> Vec<u8> {
    let doc = RecommendJson {
        format: FORMAT,
        slsim_version: env!("CARGO_PKG_VERSION"),
        scenario: &def.scenario,
        overrides: &def.overrides,
        seed: def.seed,
        replications: def.sweep.replications,
        vary: def
            .sweep
            .vary
            .iter()
            .zip(&o.fields)
            .map(|(v, f)| FieldLine {
                vary: VaryRef {
                    path: v.path.clone(),
                    values: v.values.clone(),
                    labels: v.labels.clone(),
                },
                search: f.method(),
            })
            .collect(),
        slos: &def.criteria.slos,
        objective: def.criteria.objective.as_ref(),
        grid_points: def.sweep.points().unwrap_or(0),
        evaluated_points: o.evaluated.len() as u64,
        runs: o.evaluated.iter().map(|e| e.rows.len() as u64).sum(),
        reasoning: &o.found.steps,
        recommended: chosen(def, o.found.best),
        nearest: chosen(def, o.found.nearest),
        evaluated: o.evaluated.iter().map(|e| point_line(def, e)).collect(),
    };
    let mut v = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    v.push(b'\n');
    v
}

/// `12.3 ± 0.4` or `12.3`.
fn pm(e: &Estimate) -> String {
    match (e.mean, e.ci95) {
        (Some(m), Some(h)) => format!("{} ± {}", show(m, None), show(h, None)),
        (Some(m), None) => show(m, None),
        _ => "undefined".into(),
    }
}

/// The `recommendation` object of the shown point's `summary.json`.
pub fn recommendation(def: &Definition, o: &Outcome) -> Value {
    let Some(point) = shown_point(o) else {
        return json!({ "status": "nothing evaluated" });
    };
    let e = o.evaluated.iter().find(|e| e.summary.point == point);
    let mut r = serde_json::Map::new();
    let status = if o.found.best.is_some() {
        "found: meets every SLO"
    } else {
        "no feasible point: this is the nearest (it misses an SLO by the least)"
    };
    r.insert("status".into(), json!(status));
    r.insert("settings".into(), json!(settings(def, point)));
    if let (Some(obj), Some(e)) = (&def.criteria.objective, e) {
        let est = e.judgement.objective.unwrap_or(Estimate {
            n: 0,
            mean: None,
            ci95: None,
        });
        r.insert(
            "objective".into(),
            json!(format!(
                "{} {} = {}",
                obj.direction,
                obj.path.metric,
                pm(&est)
            )),
        );
    }
    if let Some(e) = e {
        let mut slos = serde_json::Map::new();
        for (s, sj) in def.criteria.slos.iter().zip(&e.judgement.slos) {
            let (op, b) = match s.bound() {
                Bound::Max(b) => ("<=", b),
                Bound::Min(b) => (">=", b),
            };
            let interval = match sj.interval {
                Some((lo, hi)) if sj.estimate.ci95.is_some() => {
                    format!(" [{}, {}]", show(lo, None), show(hi, None))
                }
                _ => String::new(),
            };
            let mean = sj
                .estimate
                .mean
                .map_or("undefined".into(), |m| show(m, None));
            slos.insert(
                s.path.metric.clone(),
                json!(format!(
                    "{mean}{interval} (bound {op} {}): {}",
                    show(b, None),
                    sj.verdict.as_str()
                )),
            );
        }
        if !slos.is_empty() {
            r.insert("slos".into(), Value::Object(slos));
        }
    }
    r.insert(
        "points_evaluated".into(),
        json!(format!(
            "{} of {} ({} runs, {} replications each)",
            o.evaluated.len(),
            def.sweep.points().unwrap_or(0),
            o.evaluated.iter().map(|e| e.rows.len()).sum::<usize>(),
            def.sweep.replications
        )),
    );
    r.insert(
        "this_run".into(),
        json!(format!(
            "replication 0 of the point (seed {}); the figures above are over all replications",
            first_run(def, point).seed
        )),
    );
    r.insert("reproduce".into(), json!(command(def, point)));
    r.insert("reasoning".into(), json!(o.found.steps));
    Value::Object(r)
}

/// The text `slsim recommend` prints.
pub fn text(def: &Definition, o: &Outcome) -> String {
    let mut out = format!("{}: recommend\n", def.scenario.name);
    for s in &o.found.steps {
        let _ = writeln!(out, "  {s}");
    }
    let _ = writeln!(
        out,
        "evaluated {} of {} points ({} runs; the full grid: slsim sweep)",
        o.evaluated.len(),
        def.sweep.points().unwrap_or(0),
        o.evaluated.iter().map(|e| e.rows.len()).sum::<usize>()
    );
    let rec = recommendation(def, o);
    let Some(point) = shown_point(o) else {
        return out;
    };
    let head = if o.found.best.is_some() {
        "recommended"
    } else {
        "no point meets every SLO; nearest"
    };
    let values: Vec<String> = settings(def, point)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(out, "\n{head}: {}", values.join(", "));
    if let Some(x) = rec.get("objective").and_then(Value::as_str) {
        let _ = writeln!(out, "  objective: {x}");
    }
    if let Some(Value::Object(m)) = rec.get("slos") {
        for (k, v) in m {
            let _ = writeln!(out, "  {k}: {}", v.as_str().unwrap_or(""));
        }
    }
    let _ = writeln!(out, "reproduce (replication 0):\n  {}", command(def, point));
    out
}
