//! `slsim diff`: what changed between two runs (or two sets of
//! replications) in latency, errors, cold starts, throttles, cost and
//! findings, with significance when there are replications.
//!
//! Owns: the comparison of two sides, each a list of run summaries (the
//! JSON value of `summary.json`: one read from a result directory, or one
//! per replication of a scenario run in memory, [`runs`]), and its text
//! ([`text`]). Must not know: files, arguments (the CLI reads and runs the
//! sides).
//!
//! A metric undefined in a run (`null`, absent) is left out of that side's
//! sample; a side with no value shows `-`. With at least 2 values on each
//! side a row has its 95 % confidence intervals and Welch's t-test
//! ([`crate::stats`]).

pub mod runs;
pub mod text;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::stats::{self, MeanCi, Welch};

/// Below this p-value a change is marked significant (5 %).
pub const SIGNIFICANCE: f64 = 0.05;

/// One side of a comparison.
#[derive(Clone, Debug)]
pub struct Side {
    /// What it came from, as given (a directory, a file).
    pub source: String,
    /// The seed of each run (from its summary).
    pub seeds: Vec<u64>,
    /// The summary of each run, replication 0 first.
    pub runs: Vec<Value>,
}

impl Side {
    /// A side of the given run summaries; the seeds are read from them.
    pub fn new(source: impl Into<String>, runs: Vec<Value>) -> Side {
        let seeds = runs
            .iter()
            .filter_map(|r| r.get("seed").and_then(Value::as_u64))
            .collect();
        Side {
            source: source.into(),
            seeds,
            runs,
        }
    }
}

/// Where a side came from, in the diff.
#[derive(Clone, Debug, Serialize)]
pub struct SideInfo {
    /// The path as given.
    pub source: String,
    /// The scenario's name (from the first summary).
    pub scenario: Option<String>,
    /// Runs compared.
    pub runs: usize,
    /// Their seeds.
    pub seeds: Vec<u64>,
}

/// How a metric's values read (for the text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Milliseconds.
    Ms,
    /// A share, shown as a percentage.
    Ratio,
    /// A count.
    Count,
    /// US dollars a month.
    Usd,
}

/// One metric on both sides.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The metric's path inside the component (or in `cost`), e.g.
    /// `latency_ms.p99`.
    pub metric: String,
    /// How it reads.
    #[serde(skip)]
    pub unit: Unit,
    /// Side A: mean (the value, for one run) and confidence interval;
    /// `None` when undefined in every run.
    pub a: Option<MeanCi>,
    /// Side B, likewise.
    pub b: Option<MeanCi>,
    /// Mean of B minus mean of A; `None` unless both are defined.
    pub change: Option<f64>,
    /// `change` over |mean of A|; `None` when A's mean is 0 (and B's is
    /// not) or either is undefined.
    pub relative: Option<f64>,
    /// Welch's t-test; `None` unless each side has 2 values or more.
    pub welch: Option<Welch>,
    /// `welch.p` below 5 %; `None` without a test.
    pub significant: Option<bool>,
}

/// The rows of one component (or of the bill).
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// `"workload"`, `"function"` or `"cost"`.
    pub kind: &'static str,
    /// The component's name (`None` for the bill).
    pub name: Option<String>,
    /// `"a"` or `"b"` when the component exists on one side only.
    pub only_in: Option<&'static str>,
    /// Its metrics.
    pub rows: Vec<Row>,
}

/// A finding, as in `summary.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    /// Its topic.
    pub topic: String,
    /// Its component.
    pub component: String,
    /// Its text.
    pub message: String,
}

/// Findings of B's first run without a counterpart in A's, and the
/// reverse. A counterpart has the same topic and component (the message
/// quotes figures, which differ between any two runs).
#[derive(Clone, Debug, Default, Serialize)]
pub struct FindingsDiff {
    /// In B, not in A.
    pub added: Vec<FindingRef>,
    /// In A, not in B.
    pub removed: Vec<FindingRef>,
}

/// The comparison of two sides.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    /// Side A.
    pub a: SideInfo,
    /// Side B.
    pub b: SideInfo,
    /// Per workload, per function, then the bill.
    pub groups: Vec<Group>,
    /// Findings added and removed.
    pub findings: FindingsDiff,
}

/// A number at `keys` in `v`, if there is one.
fn num(v: &Value, keys: &[&str]) -> Option<f64> {
    let mut cur = v;
    for k in keys {
        cur = cur.get(k)?;
    }
    cur.as_f64().filter(|x| x.is_finite())
}

/// A workload's error ratio: `error_ratio`, or from its counts (a summary
/// written before the field existed).
fn error_ratio(w: &Value) -> Option<f64> {
    if let Some(v) = w.get("error_ratio") {
        return v.as_f64();
    }
    let c = |k: &str| num(w, &[k]);
    let ended = c("requests")? - c("in_flight")?;
    let ended_badly = c("failed")? + c("throttled")? + c("timed_out")?;
    (ended > 0.0).then(|| ended_badly / ended)
}

type Metric = (&'static str, Unit, fn(&Value) -> Option<f64>);

const WORKLOAD: [Metric; 6] = [
    ("latency_ms.p50", Unit::Ms, |w| {
        num(w, &["latency_ms", "p50"])
    }),
    ("latency_ms.p99", Unit::Ms, |w| {
        num(w, &["latency_ms", "p99"])
    }),
    ("latency_ms.mean", Unit::Ms, |w| {
        num(w, &["latency_ms", "mean"])
    }),
    ("error_ratio", Unit::Ratio, error_ratio),
    ("throttled", Unit::Count, |w| num(w, &["throttled"])),
    ("cold_succeeded", Unit::Count, |w| {
        num(w, &["cold_succeeded"])
    }),
];

const FUNCTION: [Metric; 3] = [
    ("mean_duration_ms", Unit::Ms, |f| {
        num(f, &["mean_duration_ms"])
    }),
    ("cold_starts", Unit::Count, |f| num(f, &["cold_starts"])),
    ("throttles", Unit::Count, |f| num(f, &["throttles"])),
];

/// The names of a section's components on either side: A's order, then
/// those only B has.
fn names(a: &Side, b: &Side, section: &str) -> Vec<(String, Option<&'static str>)> {
    let keys = |s: &Side| -> Vec<String> {
        s.runs
            .first()
            .and_then(|r| r.get(section))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (ka, kb) = (keys(a), keys(b));
    let mut out: Vec<(String, Option<&'static str>)> = ka
        .iter()
        .map(|k| (k.clone(), (!kb.contains(k)).then_some("a")))
        .collect();
    out.extend(
        kb.iter()
            .filter(|k| !ka.contains(k))
            .map(|k| (k.clone(), Some("b"))),
    );
    out
}

/// One row from each side's values of a metric (undefined values left
/// out).
fn row(metric: String, unit: Unit, va: &[f64], vb: &[f64]) -> Row {
    let (a, b) = (stats::mean_ci(va), stats::mean_ci(vb));
    let change = match (a, b) {
        (Some(a), Some(b)) => Some(b.mean - a.mean + 0.0),
        _ => None,
    };
    let relative = match (a, change) {
        (Some(a), Some(c)) if a.mean != 0.0 => {
            Some(c / a.mean.abs() + 0.0).filter(|r| r.is_finite())
        }
        (Some(_), Some(0.0)) => Some(0.0),
        _ => None,
    };
    let welch = stats::welch(va, vb);
    Row {
        metric,
        unit,
        a,
        b,
        change,
        relative,
        significant: welch.map(|w| w.p < SIGNIFICANCE),
        welch,
    }
}

/// Each run's value of `f` on the component at `keys` (runs without the
/// component or the value are left out).
fn values(side: &Side, keys: &[&str], f: fn(&Value) -> Option<f64>) -> Vec<f64> {
    side.runs
        .iter()
        .filter_map(|r| {
            let mut cur = r;
            for k in keys {
                cur = cur.get(k)?;
            }
            f(cur)
        })
        .collect()
}

fn component_groups(
    a: &Side,
    b: &Side,
    section: &str,
    kind: &'static str,
    metrics: &[Metric],
) -> Vec<Group> {
    names(a, b, section)
        .into_iter()
        .map(|(name, only_in)| {
            let keys = [section, name.as_str()];
            let rows = metrics
                .iter()
                .map(|&(m, unit, f)| {
                    row(m.into(), unit, &values(a, &keys, f), &values(b, &keys, f))
                })
                .collect();
            Group {
                kind,
                name: Some(name),
                only_in,
                rows,
            }
        })
        .collect()
}

/// The bill: the monthly total, then each service either side pays for
/// (a service absent from a bill costs 0 there).
fn cost_group(a: &Side, b: &Side) -> Group {
    let total = |v: &Value| num(v, &["cost", "monthly_usd"]);
    let mut rows = vec![row(
        "monthly_usd".into(),
        Unit::Usd,
        &values(a, &[], total),
        &values(b, &[], total),
    )];
    let mut services: IndexMap<String, ()> = IndexMap::new();
    for r in a.runs.iter().chain(&b.runs) {
        if let Some(m) = r.pointer("/cost/by_service").and_then(Value::as_object) {
            for k in m.keys() {
                services.insert(k.clone(), ());
            }
        }
    }
    for svc in services.keys() {
        let of = |side: &Side| -> Vec<f64> {
            side.runs
                .iter()
                .filter(|r| r.pointer("/cost/by_service").is_some())
                .map(|r| num(r, &["cost", "by_service", svc]).unwrap_or(0.0))
                .collect()
        };
        rows.push(row(format!("by_service.{svc}"), Unit::Usd, &of(a), &of(b)));
    }
    Group {
        kind: "cost",
        name: None,
        only_in: None,
        rows,
    }
}

fn findings_of(side: &Side) -> Vec<FindingRef> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    side.runs
        .first()
        .and_then(|r| r.get("findings"))
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| FindingRef {
                    topic: s(f, "topic"),
                    component: s(f, "component"),
                    message: s(f, "message"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The findings of `from` without a counterpart (same topic and
/// component, matched one to one) in `other`.
fn unmatched(from: &[FindingRef], other: &[FindingRef]) -> Vec<FindingRef> {
    let mut used = vec![false; other.len()];
    from.iter()
        .filter(|f| {
            let hit = other
                .iter()
                .enumerate()
                .position(|(i, o)| !used[i] && o.topic == f.topic && o.component == f.component);
            match hit {
                Some(i) => {
                    used[i] = true;
                    false
                }
                None => true,
            }
        })
        .cloned()
        .collect()
}

fn info(s: &Side) -> SideInfo {
    SideInfo {
        source: s.source.clone(),
        scenario: s
            .runs
            .first()
            .and_then(|r| r.get("scenario"))
            .and_then(Value::as_str)
            .map(str::to_string),
        runs: s.runs.len(),
        seeds: s.seeds.clone(),
    }
}

/// Compares side B with side A.
pub fn compare(a: &Side, b: &Side) -> Diff {
    let mut groups = component_groups(a, b, "workloads", "workload", &WORKLOAD);
    groups.extend(component_groups(a, b, "functions", "function", &FUNCTION));
    groups.push(cost_group(a, b));
    let (fa, fb) = (findings_of(a), findings_of(b));
    Diff {
        a: info(a),
        b: info(b),
        groups,
        findings: FindingsDiff {
            added: unmatched(&fb, &fa),
            removed: unmatched(&fa, &fb),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(p99: f64, cold: u64, monthly: f64, findings: &[(&str, &str)]) -> Value {
        let f: Vec<Value> = findings
            .iter()
            .map(|(t, c)| json!({"topic": t, "component": c, "message": format!("{t} {p99}")}))
            .collect();
        json!({
            "scenario": "s", "seed": 1,
            "workloads": {"users": {"requests": 10, "succeeded": 9, "throttled": 1, "failed": 0,
                "timed_out": 0, "in_flight": 0, "cold_succeeded": cold,
                "latency_ms": {"p50": 10.0, "p99": p99, "mean": null}}},
            "functions": {},
            "cost": {"monthly_usd": monthly, "by_service": {"lambda": monthly}},
            "findings": f
        })
    }

    #[test]
    fn one_run_each_gives_changes_without_tests() {
        let a = Side::new(
            "a",
            vec![run(40.0, 3, 100.0, &[("cold_starts", "workload users")])],
        );
        let b = Side::new(
            "b",
            vec![run(30.0, 3, 120.0, &[("throttles", "function f")])],
        );
        let d = compare(&a, &b);
        let w = &d.groups[0];
        assert_eq!(
            (w.kind, w.name.as_deref(), w.only_in),
            ("workload", Some("users"), None)
        );
        let p99 = w
            .rows
            .iter()
            .find(|r| r.metric == "latency_ms.p99")
            .unwrap();
        assert_eq!(p99.change, Some(-10.0));
        assert_eq!(p99.relative, Some(-0.25));
        assert!(p99.welch.is_none() && p99.significant.is_none());
        let mean = w
            .rows
            .iter()
            .find(|r| r.metric == "latency_ms.mean")
            .unwrap();
        assert!(mean.a.is_none() && mean.change.is_none());
        // Error ratio from the counts when the summary lacks the field.
        let e = w.rows.iter().find(|r| r.metric == "error_ratio").unwrap();
        assert_eq!(e.a.map(|m| m.mean), Some(0.1));
        let cost = d.groups.last().unwrap();
        assert_eq!(cost.rows[0].change, Some(20.0));
        assert_eq!(d.findings.added.len(), 1);
        assert_eq!(d.findings.added[0].topic, "throttles");
        assert_eq!(d.findings.removed[0].topic, "cold_starts");
    }

    #[test]
    fn replications_get_welch() {
        let a = Side::new(
            "a",
            vec![run(40.0, 3, 100.0, &[]), run(42.0, 3, 100.0, &[])],
        );
        let b = Side::new(
            "b",
            (0..3)
                .map(|i| run(30.0 + i as f64, 3, 100.0, &[]))
                .collect(),
        );
        let d = compare(&a, &b);
        let p99 = d.groups[0]
            .rows
            .iter()
            .find(|r| r.metric == "latency_ms.p99")
            .unwrap();
        let w = p99.welch.unwrap();
        assert_eq!(w, stats::welch(&[40.0, 42.0], &[30.0, 31.0, 32.0]).unwrap());
        assert_eq!(p99.significant, Some(w.p < 0.05));
        // Equal constant samples: no change, p = 1.
        let cold = d.groups[0]
            .rows
            .iter()
            .find(|r| r.metric == "cold_succeeded")
            .unwrap();
        assert_eq!((cold.change, cold.relative), (Some(0.0), Some(0.0)));
        assert_eq!(cold.welch.map(|w| w.p), Some(1.0));
    }

    #[test]
    fn components_on_one_side_are_marked() {
        let mut a = run(40.0, 0, 1.0, &[]);
        a["functions"] = json!({"f": {"mean_duration_ms": 5.0, "cold_starts": 1, "throttles": 0}});
        let d = compare(
            &Side::new("a", vec![a]),
            &Side::new("b", vec![run(40.0, 0, 1.0, &[])]),
        );
        let f = d.groups.iter().find(|g| g.kind == "function").unwrap();
        assert_eq!(f.only_in, Some("a"));
        assert!(f.rows.iter().all(|r| r.b.is_none() && r.change.is_none()));
    }
}
