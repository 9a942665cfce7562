//! Feasibility of a sweep's points: each `[[slo]]` judged on a point's
//! mean and 95 % confidence interval, the point's verdict, and the best
//! feasible point by the objective.
//!
//! A `max` SLO is `feasible` at a point when the interval's upper bound is
//! at most the bound, `infeasible` when its lower bound is above it, else
//! `uncertain` (`min` mirrored); with one replication (no interval) the
//! mean alone decides. A point is `feasible` when every SLO is and all its
//! runs ended `ok`; `infeasible` when an SLO is, when one is `undefined`
//! (the metric has no value in a run) or a run did not end `ok`; else
//! `uncertain`. The best point is the feasible point with the lowest
//! objective mean (highest for `maximize`), ties going to the lowest point
//! number; without `[objective]`, the objective is `cost.monthly_usd`
//! minimised.

use super::stats::Estimate;
use super::table::PointSummary;
use crate::model::{Bound, Direction, MetricPath, Scenario};
use serde::{Deserialize, Serialize};

/// A metric path as `sweep.json` keeps it (see [`MetricPath`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathRef {
    /// The path as written, also its column in the CSV files.
    pub metric: String,
    /// The keys to follow in `summary.json`.
    pub keys: Vec<String>,
    /// An absent last key reads as 0 (a count map's).
    pub absent_is_zero: bool,
}

impl PathRef {
    fn of(m: &MetricPath) -> PathRef {
        PathRef {
            metric: m.text.clone(),
            keys: m.keys.clone(),
            absent_is_zero: m.absent_is_zero,
        }
    }

    /// As a [`MetricPath`].
    pub fn path(&self) -> MetricPath {
        MetricPath {
            text: self.metric.clone(),
            keys: self.keys.clone(),
            absent_is_zero: self.absent_is_zero,
        }
    }
}

/// One `[[slo]]` as a sweep records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloRef {
    /// Its `name`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The metric.
    #[serde(flatten)]
    pub path: PathRef,
    /// The upper bound (inclusive), for a `max` SLO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The lower bound (inclusive), for a `min` SLO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

impl SloRef {
    /// The bound.
    pub fn bound(&self) -> Bound {
        match (self.max, self.min) {
            (Some(b), _) => Bound::Max(b),
            (None, Some(b)) => Bound::Min(b),
            (None, None) => Bound::Max(f64::INFINITY),
        }
    }

    /// The label shown on charts: its name, else its metric path.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.path.metric)
    }

    /// Its column in `sweep_summary.csv`: `<metric> <= <bound>`.
    pub fn column(&self) -> String {
        let (op, b) = match self.bound() {
            Bound::Max(b) => ("<=", b),
            Bound::Min(b) => (">=", b),
        };
        format!("{} {op} {}", self.path.metric, crate::report::num(b))
    }
}

/// The objective as a sweep records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveRef {
    /// The metric.
    #[serde(flatten)]
    pub path: PathRef,
    /// `minimize` or `maximize`.
    pub direction: String,
}

impl ObjectiveRef {
    /// Whether larger is better.
    pub fn maximize(&self) -> bool {
        self.direction == Direction::Maximize.as_str()
    }
}

/// What a sweep judges its points by: the scenario's SLOs and objective
/// (the objective `cost.monthly_usd` minimised when the scenario has SLOs
/// but no `[objective]`). Empty without SLOs and objective.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Criteria {
    /// The SLOs, in order.
    pub slos: Vec<SloRef>,
    /// The objective; `None` only when there are no SLOs and no objective.
    pub objective: Option<ObjectiveRef>,
}

impl Criteria {
    /// The criteria of `s`.
    pub fn of(s: &Scenario) -> Criteria {
        let slos: Vec<SloRef> = s
            .slos
            .iter()
            .map(|slo| {
                let (max, min) = match slo.bound {
                    Bound::Max(b) => (Some(b), None),
                    Bound::Min(b) => (None, Some(b)),
                };
                SloRef {
                    name: slo.name.clone(),
                    path: PathRef::of(&slo.metric),
                    max,
                    min,
                }
            })
            .collect();
        let objective = match &s.objective {
            Some(o) => Some(ObjectiveRef {
                path: PathRef::of(&o.metric),
                direction: o.direction.as_str().into(),
            }),
            None if !slos.is_empty() => Some(ObjectiveRef {
                path: PathRef {
                    metric: "cost.monthly_usd".into(),
                    keys: vec!["cost".into(), "monthly_usd".into()],
                    absent_is_zero: false,
                },
                direction: Direction::Minimize.as_str().into(),
            }),
            None => None,
        };
        Criteria { slos, objective }
    }

    /// Whether there is nothing to judge.
    pub fn is_empty(&self) -> bool {
        self.slos.is_empty() && self.objective.is_none()
    }

    /// The metric paths the criteria read, in order (SLOs, objective).
    pub fn paths(&self) -> impl Iterator<Item = &PathRef> {
        self.slos
            .iter()
            .map(|s| &s.path)
            .chain(self.objective.iter().map(|o| &o.path))
    }
}

/// A verdict: of one SLO at a point, or of the point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Met, the whole interval within the bound.
    Feasible,
    /// Not met: the whole interval beyond the bound, or a metric undefined,
    /// or a run that did not end `ok`.
    Infeasible,
    /// The interval straddles the bound.
    Uncertain,
}

impl Verdict {
    /// The CSV cell.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Feasible => "feasible",
            Verdict::Infeasible => "infeasible",
            Verdict::Uncertain => "uncertain",
        }
    }
}

/// One SLO judged at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct SloJudgement {
    /// The verdict.
    pub verdict: Verdict,
    /// The metric's estimate over the point's `ok` runs.
    pub estimate: Estimate,
    /// The interval `[lower, upper]` the verdict used (the mean twice
    /// without an interval); `None` when undefined.
    pub interval: Option<(f64, f64)>,
    /// Set when the metric is undefined in a run (or no run ended `ok`).
    pub undefined: bool,
}

/// A point judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The point's verdict.
    pub verdict: Verdict,
    /// Per SLO.
    pub slos: Vec<SloJudgement>,
    /// The objective's estimate (when there is an objective).
    pub objective: Option<Estimate>,
    /// How far the means are beyond their bounds: the sum over SLOs of
    /// (mean - bound) / max(|bound|, 1e-12) where positive (infinite when a
    /// metric is undefined or a run did not end `ok`): 0 at a point whose
    /// means all meet their bounds. Ranks infeasible points (the nearest).
    pub violation: f64,
}

/// Judges one point: `column(metric)` is the index of a metric column.
pub fn judge(
    criteria: &Criteria,
    column: impl Fn(&str) -> Option<usize>,
    p: &PointSummary,
) -> Judgement {
    let all_ok = p.ok == p.runs && p.runs > 0;
    let est = |m: &str| {
        column(m).map(|i| p.metrics[i]).unwrap_or(Estimate {
            n: 0,
            mean: None,
            ci95: None,
        })
    };
    let mut violation = if all_ok { 0.0 } else { f64::INFINITY };
    let slos: Vec<SloJudgement> = criteria
        .slos
        .iter()
        .map(|s| {
            let e = est(&s.path.metric);
            let undefined = e.mean.is_none() || e.n < p.ok || !all_ok;
            let interval = e.mean.map(|m| {
                let h = e.ci95.unwrap_or(0.0);
                (m - h, m + h)
            });
            let verdict = match (undefined, interval, s.bound()) {
                (true, _, _) | (_, None, _) => Verdict::Infeasible,
                (false, Some((lo, hi)), Bound::Max(b)) => {
                    if hi <= b {
                        Verdict::Feasible
                    } else if lo > b {
                        Verdict::Infeasible
                    } else {
                        Verdict::Uncertain
                    }
                }
                (false, Some((lo, hi)), Bound::Min(b)) => {
                    if lo >= b {
                        Verdict::Feasible
                    } else if hi < b {
                        Verdict::Infeasible
                    } else {
                        Verdict::Uncertain
                    }
                }
            };
            violation += match e.mean {
                None => f64::INFINITY,
                Some(m) => {
                    let b = s.bound();
                    let over = match b {
                        Bound::Max(v) => m - v,
                        Bound::Min(v) => v - m,
                    };
                    over.max(0.0) / b.value().abs().max(1e-12)
                }
            };
            SloJudgement {
                verdict,
                estimate: e,
                interval,
                undefined,
            }
        })
        .collect();
    let verdict = if !all_ok || slos.iter().any(|s| s.verdict == Verdict::Infeasible) {
        Verdict::Infeasible
    } else if slos.iter().any(|s| s.verdict == Verdict::Uncertain) {
        Verdict::Uncertain
    } else {
        Verdict::Feasible
    };
    Judgement {
        verdict,
        slos,
        objective: criteria.objective.as_ref().map(|o| est(&o.path.metric)),
        violation: if violation.is_finite() {
            violation
        } else {
            f64::INFINITY
        },
    }
}

/// Whether candidate `a` (point `pa`) is better than `b` (point `pb`):
/// feasible before not; among feasible, the better objective mean (a
/// defined one before an undefined one); among the rest, the smaller
/// violation; then the lower point number.
pub fn better(maximize: bool, (pa, a): (u64, &Judgement), (pb, b): (u64, &Judgement)) -> bool {
    use std::cmp::Ordering;
    let fa = a.verdict == Verdict::Feasible;
    let fb = b.verdict == Verdict::Feasible;
    let ord = if fa != fb {
        if fa {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    } else if fa {
        let key = |j: &Judgement| j.objective.and_then(|e| e.mean);
        match (key(a), key(b)) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                if maximize {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    } else {
        a.violation
            .partial_cmp(&b.violation)
            .unwrap_or(Ordering::Equal)
    };
    ord.then(pa.cmp(&pb)) == Ordering::Less
}

/// The best feasible point among `judged` (point number, judgement) whose
/// objective mean is defined, if any.
pub fn best<'a>(
    criteria: &Criteria,
    judged: impl IntoIterator<Item = (u64, &'a Judgement)>,
) -> Option<u64> {
    let maximize = criteria.objective.as_ref().is_some_and(|o| o.maximize());
    judged
        .into_iter()
        .filter(|(_, j)| {
            j.verdict == Verdict::Feasible && j.objective.is_some_and(|e| e.mean.is_some())
        })
        .fold(None, |acc: Option<(u64, &Judgement)>, cand| match acc {
            Some(cur) if !better(maximize, cand, cur) => Some(cur),
            _ => Some(cand),
        })
        .map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(bound: Bound) -> Criteria {
        let (max, min) = match bound {
            Bound::Max(b) => (Some(b), None),
            Bound::Min(b) => (None, Some(b)),
        };
        Criteria {
            slos: vec![SloRef {
                name: None,
                path: PathRef {
                    metric: "m".into(),
                    keys: vec!["m".into()],
                    absent_is_zero: false,
                },
                max,
                min,
            }],
            objective: Some(ObjectiveRef {
                path: PathRef {
                    metric: "c".into(),
                    keys: vec!["c".into()],
                    absent_is_zero: false,
                },
                direction: "minimize".into(),
            }),
        }
    }

    fn point(point: u64, m: (f64, Option<f64>), cost: f64, ok: u64) -> PointSummary {
        PointSummary {
            point,
            labels: vec![],
            runs: 3,
            ok,
            metrics: vec![
                Estimate {
                    n: ok,
                    mean: Some(m.0),
                    ci95: m.1,
                },
                Estimate {
                    n: ok,
                    mean: Some(cost),
                    ci95: None,
                },
            ],
        }
    }

    fn col(m: &str) -> Option<usize> {
        ["m", "c"].iter().position(|c| *c == m)
    }

    #[test]
    fn the_interval_decides_max_and_min() {
        let max = crit(Bound::Max(10.0));
        let v = |m, h| judge(&max, col, &point(0, (m, h), 1.0, 3)).verdict;
        assert_eq!(v(8.0, Some(2.0)), Verdict::Feasible); // upper bound 10 <= 10
        assert_eq!(v(8.0, Some(2.5)), Verdict::Uncertain);
        assert_eq!(v(12.0, Some(1.9)), Verdict::Infeasible); // lower 10.1 > 10
        assert_eq!(v(12.0, Some(2.0)), Verdict::Uncertain); // lower 10, not > 10
        assert_eq!(v(10.0, None), Verdict::Feasible); // no interval: the mean
        let min = crit(Bound::Min(10.0));
        let v = |m, h| judge(&min, col, &point(0, (m, h), 1.0, 3)).verdict;
        assert_eq!(v(12.0, Some(2.0)), Verdict::Feasible);
        assert_eq!(v(12.0, Some(2.5)), Verdict::Uncertain);
        assert_eq!(v(8.0, Some(1.9)), Verdict::Infeasible);
        // A run that did not end ok makes the point infeasible.
        let j = judge(&max, col, &point(0, (1.0, Some(0.1)), 1.0, 2));
        assert_eq!(j.verdict, Verdict::Infeasible);
        assert!(j.violation.is_infinite());
    }

    #[test]
    fn the_best_is_the_cheapest_feasible_then_the_lowest_point() {
        let c = crit(Bound::Max(10.0));
        let pts = [
            point(0, (20.0, None), 1.0, 3), // infeasible, cheapest
            point(1, (5.0, None), 3.0, 3),
            point(2, (9.0, None), 2.0, 3),
            point(3, (9.5, None), 2.0, 3), // ties with 2: 2 wins
        ];
        let js: Vec<Judgement> = pts.iter().map(|p| judge(&c, col, p)).collect();
        let pairs = || js.iter().enumerate().map(|(i, j)| (i as u64, j));
        assert_eq!(best(&c, pairs()), Some(2));
        assert_eq!(best(&c, pairs().take(1)), None);
        assert!((js[0].violation - 1.0).abs() < 1e-12);
        assert!(better(false, (3, &js[3]), (0, &js[0])));
    }
}
