//! A sweep's headline, from its manifest (`sweep.json`): the scenario, the
//! grid, the replications, the runs by status, the SLOs and objective the
//! points are judged by. The manifest's `files` are not shown: a sweep
//! writes its report before the manifest lists the report.

use super::json::{at, f64_at, plain, str_at, u64_at};
use crate::metrics::text::{num, thousands};
use crate::report::doc::{Block, Cell, Section, Table, Tone};
use serde_json::Value;

/// The headline of a sweep.
pub(super) fn headline(m: &Value) -> Section {
    let mut facts = Vec::new();
    let mut fact = |k: &str, v: String| facts.push((k.to_string(), v));
    fact(
        "scenario",
        str_at(m, &["scenario", "name"]).unwrap_or("-").into(),
    );
    if let Some(p) = str_at(m, &["scenario", "path"]) {
        fact("scenario file", p.into());
    }
    if let Some(sha) = str_at(m, &["scenario", "sha256"]) {
        fact("scenario SHA-256", sha.into());
    }
    let vary = at(m, &["vary"]).and_then(Value::as_array);
    let fields: Vec<String> = vary
        .into_iter()
        .flatten()
        .map(|v| {
            let labels: Vec<String> = at(v, &["labels"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(plain)
                .collect();
            format!(
                "{} ∈ {{{}}} ({})",
                str_at(v, &["path"]).unwrap_or("-"),
                labels.join(", "),
                labels.len()
            )
        })
        .collect();
    let points = u64_at(m, &["points"]);
    let reps = u64_at(m, &["replications"]);
    let runs = u64_at(m, &["runs"]);
    let show = |v: Option<u64>| v.map_or("-".into(), thousands);
    fact(
        "grid",
        if fields.is_empty() {
            "nothing varied (one point)".into()
        } else {
            format!("{} points: {}", show(points), fields.join(" × "))
        },
    );
    fact("replications", show(reps));
    fact("runs", format!("{} (points × replications)", show(runs)));
    if let Some(seed) = u64_at(m, &["seed"]) {
        fact("master seed", seed.to_string());
    }
    if let Some(o) = at(m, &["overrides"]).and_then(Value::as_array) {
        let sets: Vec<String> = o.iter().map(plain).collect();
        fact(
            "--set overrides",
            if sets.is_empty() {
                "none".into()
            } else {
                sets.join("; ")
            },
        );
    }
    if let Some(v) = str_at(m, &["slsim_version"]) {
        fact("slsim version", v.into());
    }
    let mut blocks = vec![Block::Facts(facts)];

    let mut t = Table::new("sweep-runs", &["runs", "count"]);
    let mut bad = 0;
    for (key, label) in [
        ("ok", "ok (ran to the end)"),
        ("stopped_early", "stopped early (a guard)"),
        ("invalid", "invalid (the point's scenario)"),
        ("failed", "failed"),
    ] {
        let n = u64_at(m, &["status", key]).unwrap_or(0);
        if key != "ok" {
            bad += n;
        }
        let tone = match (key, n) {
            ("ok", _) | (_, 0) => Tone::Plain,
            _ => Tone::Fail,
        };
        t.row(vec![
            label.into(),
            Cell {
                text: thousands(n),
                tone,
            },
        ]);
    }
    blocks.push(Block::Para(if bad == 0 {
        "Every run ran to the end.".into()
    } else {
        format!(
            "{} runs did not end ok: their rows in sweep.csv say why, and the points' means \
             leave them out.",
            thousands(bad)
        )
    }));
    blocks.push(Block::Table(t));

    let slos = at(m, &["slos"]).and_then(Value::as_array);
    let objective = at(m, &["objective"]).filter(|o| !o.is_null());
    if slos.is_some_and(|s| !s.is_empty()) || objective.is_some() {
        let mut items: Vec<String> = slos
            .into_iter()
            .flatten()
            .map(|s| {
                let bound = match (f64_at(s, &["max"]), f64_at(s, &["min"])) {
                    (Some(max), _) => format!("≤ {}", num(max)),
                    (None, Some(min)) => format!("≥ {}", num(min)),
                    (None, None) => "-".into(),
                };
                format!(
                    "SLO {}: {} {bound}",
                    str_at(s, &["name"])
                        .or_else(|| str_at(s, &["metric"]))
                        .unwrap_or("-"),
                    str_at(s, &["metric"]).unwrap_or("-")
                )
            })
            .collect();
        if let Some(o) = objective {
            items.push(format!(
                "objective: {} {}",
                str_at(o, &["direction"]).unwrap_or("minimize"),
                str_at(o, &["metric"]).unwrap_or("-")
            ));
        }
        blocks.push(Block::Subheading("Judged by".into()));
        blocks.push(Block::List(items));
    }
    Section {
        id: "headline",
        title: "Sweep in brief".into(),
        blocks,
    }
}

/// A sweep's answer, from its manifest's `best`: the best feasible point
/// by the objective, or why there is none; a caution when the traffic
/// (a `workload.*` field) is among the varied fields, since the best point
/// is then taken over traffic levels too.
pub(super) fn best(m: &Value) -> Section {
    let mut blocks = Vec::new();
    let objective = str_at(m, &["objective", "metric"]);
    match at(m, &["best"]).filter(|b| !b.is_null()) {
        None => blocks.push(Block::Para(
            "The scenario has no [[slo]] and no [objective]: no point is judged (add them to \
             have each point marked feasible or not and the best one named)."
                .into(),
        )),
        Some(b) => {
            let count = |k: &str| u64_at(b, &[k]);
            let counts = format!(
                "{} feasible, {} uncertain, {} infeasible points",
                count("feasible").map_or("-".into(), thousands),
                count("uncertain").map_or("-".into(), thousands),
                count("infeasible").map_or("-".into(), thousands),
            );
            match at(b, &["values"])
                .and_then(Value::as_object)
                .filter(|_| at(b, &["point"]).is_some_and(|p| !p.is_null()))
            {
                Some(values) => {
                    let mut facts: Vec<(String, String)> =
                        values.iter().map(|(k, v)| (k.clone(), plain(v))).collect();
                    if let (Some(o), Some(mean)) = (objective, f64_at(b, &["objective_mean"])) {
                        let ci = f64_at(b, &["objective_ci95"])
                            .map_or(String::new(), |h| format!(" ± {}", num(h)));
                        facts.push((
                            format!(
                                "{} {o}",
                                str_at(m, &["objective", "direction"]).unwrap_or("minimize")
                            ),
                            format!("{}{ci}", num(mean)),
                        ));
                    }
                    blocks.push(Block::Para(format!(
                        "Best feasible point (every SLO met with 95 % confidence, then the best \
                         mean of the objective; {counts}):"
                    )));
                    blocks.push(Block::Facts(facts));
                }
                None => blocks.push(Block::Para(format!(
                    "No point meets every SLO with 95 % confidence ({counts}): relax an SLO, \
                     widen the grid, or add replications where points are uncertain."
                ))),
            }
        }
    }
    let traffic: Vec<&str> = at(m, &["vary"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| {
            at(v, &["labels"])
                .and_then(Value::as_array)
                .is_some_and(|l| l.len() > 1)
        })
        .filter_map(|v| str_at(v, &["path"]))
        .filter(|p| p.starts_with("workload."))
        .collect();
    if !traffic.is_empty() {
        blocks.push(Block::Para(format!(
            "Caution: the traffic is varied ({}), so the best point is taken over traffic \
             levels too. To choose settings for one traffic level, read its rows above, or \
             run `slsim recommend` with it pinned (`--vary PATH=VALUE`).",
            traffic.join(", ")
        )));
    }
    Section {
        id: "recommendation",
        title: "Recommendation".into(),
        blocks,
    }
}
