//! The search over a sweep's grid: bisection on capacity fields,
//! successive refinement on the others, with the reasoning in sentences.
//!
//! Assumptions (README, "Recommendations"):
//! * a **capacity** field ([`is_capacity`]) is monotone: more of it never
//!   makes an SLO worse and never makes the objective better, so the best
//!   value is the smallest feasible one. Bisection over its values sorted
//!   ascending finds it in about log2(n) evaluations. With several, each is
//!   bisected in turn, the others held at their current value (starting
//!   from their largest);
//! * any other field has a **unimodal** ranking over its values (sorted
//!   ascending when they are all numbers, else in file order): feasible
//!   points by the objective, then the others by how far they miss their
//!   SLOs. Successive refinement evaluates a coarse subset (5 values,
//!   evenly spread, the ends included), then the same number spread
//!   between the best's two neighbours, and so on until every value
//!   between them has been evaluated. With several such fields, one is refined
//!   at a time, the others fixed (coordinate descent, at most 3 rounds).
//!
//! A point is good enough only when it is `feasible` (`uncertain` is not).
//! Where the assumptions fail, the full `slsim sweep` is the exhaustive
//! fallback.

use crate::slo::show;
use crate::sweep::verdict::{better, Criteria, Judgement, Verdict};
use indexmap::IndexMap;

/// Values sampled per pass of successive refinement.
const COARSE: usize = 5;

/// The path suffixes of capacity fields: more of them never hurts an SLO.
pub const CAPACITY_FIELDS: [&str; 8] = [
    "reserved_concurrency",
    "provisioned_concurrency",
    "rcu",
    "wcu",
    "dax.nodes",
    "shards",
    "esm_max_concurrency",
    "max_concurrency",
];

/// Whether `path` (a `--set` path) names a capacity field: one of
/// [`CAPACITY_FIELDS`] of a `lambda`, `table` or `stream` (a trigger's
/// `max_concurrency` anywhere under a lambda's `triggers`).
pub fn is_capacity(path: &str) -> bool {
    let Some((kind, rest)) = path.split_once('.') else {
        return false;
    };
    let field = |f: &str| rest.ends_with(&format!(".{f}"));
    match kind {
        "lambda" => {
            field("reserved_concurrency")
                || field("provisioned_concurrency")
                || (rest.contains(".triggers.") && field("max_concurrency"))
        }
        "table" => field("rcu") || field("wcu") || field("dax.nodes"),
        "stream" => field("shards"),
        "simulation" => rest == "esm_max_concurrency",
        _ => false,
    }
}

/// Whether `path` (a `--set` path) names a condition rather than a
/// setting: a workload's field (its arrivals, scale, location, mix), the
/// traffic the settings must serve. `recommend` refuses to search over
/// one; the sweep shows every value.
pub fn is_condition(path: &str) -> bool {
    path.starts_with("workload.")
}

/// One varied field as the search sees it.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its `--set` path.
    pub path: String,
    /// Its values as labels, in grid order.
    pub labels: Vec<String>,
    /// The value indices in search order: ascending when every value is a
    /// number, else grid order.
    pub order: Vec<usize>,
    /// Bisected (a capacity field whose values are all numbers).
    pub capacity: bool,
}

impl Field {
    /// The field `path` with values `labels`.
    pub fn new(path: &str, labels: &[String]) -> Field {
        let nums: Option<Vec<f64>> = labels.iter().map(|l| l.parse::<f64>().ok()).collect();
        let mut order: Vec<usize> = (0..labels.len()).collect();
        if let Some(n) = &nums {
            order.sort_by(|&a, &b| n[a].total_cmp(&n[b]).then(a.cmp(&b)));
        }
        Field {
            path: path.to_string(),
            labels: labels.to_vec(),
            order,
            capacity: nums.is_some() && is_capacity(path),
        }
    }

    /// `bisection` or `refinement`.
    pub fn method(&self) -> &'static str {
        if self.capacity {
            "bisection"
        } else {
            "refinement"
        }
    }
}

/// Evaluates points (all replications each); returns their judgements in
/// the order asked.
pub type Eval<'a> = dyn FnMut(&[u64]) -> Vec<Judgement> + 'a;

/// What the search found.
#[derive(Debug)]
pub struct Found {
    /// Every point evaluated, in evaluation order.
    pub judged: IndexMap<u64, Judgement>,
    /// The reasoning, one sentence per step.
    pub steps: Vec<String>,
    /// The recommended point: feasible, the search's optimum.
    pub best: Option<u64>,
    /// When no point evaluated is feasible: the one that misses its SLOs by
    /// the least.
    pub nearest: Option<u64>,
}

struct Search<'a, 'e> {
    fields: &'a [Field],
    criteria: &'a Criteria,
    eval: &'a mut Eval<'e>,
    judged: IndexMap<u64, Judgement>,
    steps: Vec<String>,
}

/// Searches the grid of `fields` (the last varying fastest in point
/// numbers) for the best feasible point by `criteria`.
pub fn search(fields: &[Field], criteria: &Criteria, eval: &mut Eval<'_>) -> Found {
    let mut s = Search {
        fields,
        criteria,
        eval,
        judged: IndexMap::new(),
        steps: Vec::new(),
    };
    let start: Vec<usize> = fields
        .iter()
        .map(|f| {
            if f.capacity {
                f.order[f.order.len() - 1]
            } else {
                f.order[f.order.len() / 2]
            }
        })
        .collect();
    // A field with one value is no choice: held, not refined.
    let others: Vec<usize> = (0..fields.len())
        .filter(|&i| !fields[i].capacity && fields[i].labels.len() > 1)
        .collect();
    let mut at = if others.is_empty() {
        s.fit(start)
    } else {
        start
    };
    let rounds = if others.len() > 1 { 3 } else { 1 };
    for round in 1..=rounds {
        let before = s.point(&at);
        for &f in &others {
            at = s.refine(f, at);
        }
        if round > 1 && s.point(&at) == before {
            s.steps.push(format!(
                "round {round} changed nothing: the search has converged"
            ));
            break;
        }
    }
    let p = s.point(&at);
    let feasible = s.judged[&p].verdict == Verdict::Feasible;
    let nearest = (!feasible)
        .then(|| {
            s.judged
                .iter()
                .fold(None, |acc: Option<(u64, &Judgement)>, (&q, j)| match acc {
                    Some(cur) if !better(false, (q, j), cur) => Some(cur),
                    _ => Some((q, j)),
                })
                .map(|(q, _)| q)
        })
        .flatten();
    Found {
        judged: s.judged,
        steps: s.steps,
        best: feasible.then_some(p),
        nearest,
    }
}

impl Search<'_, '_> {
    fn point(&self, coords: &[usize]) -> u64 {
        coords
            .iter()
            .zip(self.fields)
            .fold(0u64, |acc, (&c, f)| acc * f.labels.len() as u64 + c as u64)
    }

    fn with(&self, coords: &[usize], field: usize, value: usize) -> Vec<usize> {
        let mut c = coords.to_vec();
        c[field] = value;
        c
    }

    /// Evaluates the points of `coords` not evaluated yet, in one batch.
    fn evaluate(&mut self, coords: &[Vec<usize>]) {
        let mut new: Vec<u64> = Vec::new();
        for c in coords {
            let p = self.point(c);
            if !self.judged.contains_key(&p) && !new.contains(&p) {
                new.push(p);
            }
        }
        if new.is_empty() {
            return;
        }
        let js = (self.eval)(&new);
        for (p, j) in new.into_iter().zip(js) {
            self.judged.insert(p, j);
        }
    }

    fn feasible(&self, coords: &[usize]) -> bool {
        self.judged[&self.point(coords)].verdict == Verdict::Feasible
    }

    /// `512 feasible (cost.monthly_usd 12.3)`, `8 infeasible (m 0.0019
    /// [0.0017, 0.0021] > 0.001)`.
    fn said(&self, coords: &[usize], field: usize) -> String {
        let label = &self.fields[field].labels[coords[field]];
        let j = &self.judged[&self.point(coords)];
        format!("{label} {}", describe(self.criteria, j))
    }

    /// The capacity fields bisected in turn from `coords`.
    fn fit(&mut self, mut coords: Vec<usize>) -> Vec<usize> {
        let caps: Vec<usize> = (0..self.fields.len())
            .filter(|&i| self.fields[i].capacity)
            .collect();
        if caps.is_empty() {
            self.evaluate(std::slice::from_ref(&coords));
            return coords;
        }
        for f in caps {
            coords = self.bisect(f, coords);
        }
        coords
    }

    /// The smallest feasible value of capacity field `f`, the others as in
    /// `coords`; its largest value when none is feasible.
    fn bisect(&mut self, f: usize, coords: Vec<usize>) -> Vec<usize> {
        let field = &self.fields[f];
        let order = field.order.clone();
        let n = order.len();
        let (mut lo, mut hi) = (-1isize, n as isize); // lo: not feasible, hi: feasible
        let mut said = Vec::new();
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            let c = self.with(&coords, f, order[mid as usize]);
            self.evaluate(std::slice::from_ref(&c));
            said.push(self.said(&c, f));
            if self.feasible(&c) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let fixed = self.context(&coords, f);
        let field = &self.fields[f];
        let (pick, end) = if hi < n as isize {
            let v = order[hi as usize];
            (v, format!("smallest feasible {}", field.labels[v]))
        } else {
            let v = order[n - 1];
            (
                v,
                format!("none feasible, largest {} kept", field.labels[v]),
            )
        };
        self.steps.push(format!(
            "{}: bisection over {n} values{fixed}: {} -> {end}",
            field.path,
            said.join(", ")
        ));
        self.with(&coords, f, pick)
    }

    /// ` (with a=1, b=2)`: the other fields' values, or nothing.
    fn context(&self, coords: &[usize], f: usize) -> String {
        let others: Vec<String> = self
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != f)
            .map(|(i, o)| format!("{}={}", o.path, o.labels[coords[i]]))
            .collect();
        if others.is_empty() {
            String::new()
        } else {
            format!(" (with {})", others.join(", "))
        }
    }

    fn is_better(&self, a: &[usize], b: &[usize]) -> bool {
        let maximize = self
            .criteria
            .objective
            .as_ref()
            .is_some_and(|o| o.maximize());
        let (pa, pb) = (self.point(a), self.point(b));
        better(maximize, (pa, &self.judged[&pa]), (pb, &self.judged[&pb]))
    }

    /// Successive refinement of non-capacity field `f` from `coords`: the
    /// capacity fields fitted at each value tried.
    fn refine(&mut self, f: usize, coords: Vec<usize>) -> Vec<usize> {
        let order = self.fields[f].order.clone();
        let n = order.len();
        let fixed = self.context(&coords, f);
        let path = self.fields[f].path.clone();
        let (mut lo, mut hi) = (0usize, n - 1);
        let mut tried: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut pass = 0;
        loop {
            pass += 1;
            // COARSE positions spread evenly over [lo, hi], its ends included.
            let mut sample: Vec<usize> = if hi - lo < COARSE {
                (lo..=hi).collect()
            } else {
                (0..COARSE)
                    .map(|i| lo + i * (hi - lo) / (COARSE - 1))
                    .collect()
            };
            sample.dedup();
            let new: Vec<usize> = sample
                .iter()
                .copied()
                .filter(|p| tried.iter().all(|(q, _)| q != p))
                .collect();
            let got = self.try_positions(f, &coords, &order, &new);
            let said: Vec<String> = got.iter().map(|(_, c)| self.said(c, f)).collect();
            tried.extend(got);
            let in_range: Vec<(usize, Vec<usize>)> = tried
                .iter()
                .filter(|(p, _)| sample.contains(p))
                .cloned()
                .collect();
            let best = self.pick(&in_range);
            let at = sample.iter().position(|&p| p == best.0).unwrap_or(0);
            let label = |p: usize| self.fields[f].labels[order[p]].clone();
            let head = if pass == 1 {
                format!("{path}: successive refinement over {n} values{fixed}: coarse")
            } else {
                format!("{path}: refined between {} and {}:", label(lo), label(hi))
            };
            let shown = if said.is_empty() {
                "nothing new".to_string()
            } else {
                said.join(", ")
            };
            self.steps
                .push(format!("{head} {shown} -> best {}", label(best.0)));
            if hi - lo < COARSE {
                return best.1;
            }
            // Between the best's neighbours in this pass.
            lo = sample[at.saturating_sub(1)];
            hi = sample[(at + 1).min(sample.len() - 1)];
        }
    }

    /// Each position of `f` tried (capacity fitted): (position, coords).
    fn try_positions(
        &mut self,
        f: usize,
        coords: &[usize],
        order: &[usize],
        positions: &[usize],
    ) -> Vec<(usize, Vec<usize>)> {
        let has_caps = self.fields.iter().any(|x| x.capacity);
        if !has_caps {
            // One batch: the values run in parallel.
            let all: Vec<Vec<usize>> = positions
                .iter()
                .map(|&p| self.with(coords, f, order[p]))
                .collect();
            self.evaluate(&all);
            return positions.iter().copied().zip(all).collect();
        }
        positions
            .iter()
            .map(|&p| {
                let c = self.with(coords, f, order[p]);
                (p, self.fit(c))
            })
            .collect()
    }

    fn pick(&self, tried: &[(usize, Vec<usize>)]) -> (usize, Vec<usize>) {
        let mut best = &tried[0];
        for t in &tried[1..] {
            if self.is_better(&t.1, &best.1) {
                best = t;
            }
        }
        best.clone()
    }
}

/// A judgement in a few words: `feasible (cost.monthly_usd 12.3)`,
/// `infeasible (workloads.u.error_ratio 0.0019 [0.0017, 0.0021] > 0.001)`.
pub fn describe(criteria: &Criteria, j: &Judgement) -> String {
    let verdict = j.verdict.as_str();
    if j.verdict == Verdict::Feasible {
        let obj = criteria
            .objective
            .as_ref()
            .zip(j.objective.and_then(|e| e.mean));
        return match obj {
            Some((o, m)) => format!("{verdict} ({} {})", o.path.metric, show(m, None)),
            None => verdict.to_string(),
        };
    }
    let worst = criteria
        .slos
        .iter()
        .zip(&j.slos)
        .find(|(_, s)| s.verdict == Verdict::Infeasible)
        .or_else(|| {
            criteria
                .slos
                .iter()
                .zip(&j.slos)
                .find(|(_, s)| s.verdict != Verdict::Feasible)
        });
    let Some((slo, s)) = worst else {
        return format!("{verdict} (a run did not end ok)");
    };
    let b = slo.bound();
    let op = match (s.verdict, b) {
        (Verdict::Uncertain, _) => "straddles",
        (_, crate::model::Bound::Max(_)) => ">",
        (_, crate::model::Bound::Min(_)) => "<",
    };
    match (s.undefined, s.estimate.mean, s.interval) {
        (false, Some(m), Some((lo, hi))) if s.estimate.ci95.is_some() => format!(
            "{verdict} ({} {} [{}, {}] {op} {})",
            slo.path.metric,
            show(m, None),
            show(lo, None),
            show(hi, None),
            show(b.value(), None)
        ),
        (false, Some(m), _) => format!(
            "{verdict} ({} {} {op} {})",
            slo.path.metric,
            show(m, None),
            show(b.value(), None)
        ),
        _ => format!(
            "{verdict} ({} undefined, or a run did not end ok)",
            slo.path.metric
        ),
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
