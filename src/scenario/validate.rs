//! Stage two: raw structs to the typed [`Scenario`], reporting every
//! problem. Here: the order (names, `[simulation]`, every kind in the
//! order of the list in `kinds`, then call cycles) and the value helpers
//! every kind's validation uses (durations, distributions, choices,
//! ranges). Each kind's own checks live in its file under `kinds/`.

use crate::dist::Dist;
use crate::engine::SimDuration;

use super::context::Cx;
use super::error::suggest;
use super::kinds::Raws;
use super::locate::FieldPath;
use super::numbers;
use super::raw::RawSimulation;
use super::values;
use crate::model::*;

/// Parses an optional duration, with a default [ns].
pub fn dur(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    default: SimDuration,
) -> SimDuration {
    match raw {
        None => default,
        Some(s) => values::duration(s).unwrap_or_else(|b| {
            cx.err(path, b.message, b.hint.unwrap_or_default());
            default
        }),
    }
}

/// Parses an optional distribution.
pub fn opt_dist(cx: &mut Cx<'_>, path: &FieldPath, raw: &Option<String>) -> Option<Dist> {
    let s = raw.as_ref()?;
    match values::dist_in(s, &mut cx.samples) {
        Ok(d) => Some(d),
        Err(b) => {
            cx.err(path, b.message, b.hint.unwrap_or_default());
            None
        }
    }
}

/// Parses an optional distribution, with a default.
pub fn dist(cx: &mut Cx<'_>, path: &FieldPath, raw: &Option<String>, default: Dist) -> Dist {
    opt_dist(cx, path, raw).unwrap_or(default)
}

/// One of a fixed set of strings.
pub fn choice<T: Copy>(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    options: &[(&str, T)],
    default: T,
) -> T {
    let Some(s) = raw else { return default };
    if let Some((_, v)) = options.iter().find(|(k, _)| k == s) {
        return *v;
    }
    let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
    cx.err(
        path,
        format!("`{s}` is not a valid value"),
        suggest(s, &names),
    );
    default
}

/// Checks `lo <= v <= hi` (and finiteness).
pub fn in_range(cx: &mut Cx<'_>, path: &FieldPath, v: f64, lo: f64, hi: f64, hint: &str) -> f64 {
    if !(v.is_finite() && v >= lo && v <= hi) {
        cx.err(
            path,
            format!(
                "{} is out of range (allowed {})",
                numbers::show(v),
                numbers::show_range(lo, hi)
            ),
            hint,
        );
    }
    v
}

/// An optional integer with a default, checked against `lo..=hi`; out of
/// range is reported and gives the default.
pub fn int_in(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    v: Option<i64>,
    default: i64,
    (lo, hi): (i64, i64),
    hint: &str,
) -> u64 {
    let v = v.unwrap_or(default);
    if (lo..=hi).contains(&v) {
        return v as u64;
    }
    let field = match path.0.last() {
        Some(super::locate::Seg::Key(k)) => k.as_str(),
        _ => "value",
    };
    cx.err(
        path,
        format!("{field} {v} is out of range (allowed {lo}..={hi})"),
        hint,
    );
    default as u64
}

/// An optional duration with a default, checked against `lo..=hi` \[ns\],
/// which the message shows as `shown`.
pub fn dur_in(
    cx: &mut Cx<'_>,
    path: &FieldPath,
    raw: &Option<String>,
    default: SimDuration,
    (lo, hi): (SimDuration, SimDuration),
    shown: &str,
    hint: &str,
) -> SimDuration {
    let d = dur(cx, path, raw, default);
    if raw.is_some() && !(lo..=hi).contains(&d) {
        let field = match path.0.last() {
            Some(super::locate::Seg::Key(k)) => k.as_str(),
            _ => "duration",
        };
        let v = raw.as_deref().unwrap_or_default();
        cx.err(
            path,
            format!("{field} `{v}` is out of range (allowed {shown})"),
            hint,
        );
        return default;
    }
    d
}

/// Rejects control characters (newline, tab, ...) in a name: names are
/// printed in tables and messages, one per line.
pub fn printable(cx: &mut Cx<'_>, path: &FieldPath, s: &str) {
    if s.chars().any(char::is_control) {
        cx.err(
            path,
            format!("{s:?} contains a control character"),
            "names appear in tables and file names: use letters, digits, spaces, `-`, `_` and `.`",
        );
    }
}

/// Validates everything; `None` when any problem was reported.
pub fn scenario(cx: &mut Cx<'_>, raws: &Raws) -> Option<Scenario> {
    let before = cx.problems.len();
    check_names(cx);
    for n in cx.names.clone().iter() {
        printable(cx, &crate::fp![n.kind, n.index, "name"], &n.name);
    }
    let default_sim = RawSimulation::default();
    // A [simulation] that exists but failed to parse has been reported
    // already; do not also report its fields as missing.
    let unparsed = raws.simulation.is_none() && cx.tree.contains_key("simulation");
    let mut simulation = super::validate_sim::simulation(
        cx,
        raws.simulation.as_ref().unwrap_or(&default_sim),
        unparsed,
    );
    if let Some(c) = &raws.cost {
        simulation.cost = super::validate_sim::cost(cx, c);
    }
    // Every kind, in the order of the list in `kinds`.
    let model = super::kinds::validate(cx, raws, simulation);
    // SLOs and the objective name components: after the kinds.
    let slos = super::slos::slos(cx, &raws.slos);
    let objective = raws
        .objective
        .as_ref()
        .map(|o| super::slos::objective(cx, o));
    let timeline = raws.timeline.as_ref().map(|t| {
        let lambdas = raws.lambdas.len();
        super::env_timeline::timeline(
            cx,
            t,
            model
                .as_ref()
                .map_or(SimDuration::MAX, |m| m.simulation.duration),
            lambdas,
        )
    });
    if cx.problems.len() > before {
        return None;
    }
    let mut model = model?;
    model.slos = slos.into_iter().collect::<Option<_>>()?;
    model.objective = objective.flatten();
    model.simulation.timeline = timeline.flatten();
    // Arrivals carry the clock time of t = 0 in their phase.
    let start = model.simulation.start;
    for w in &mut model.workloads {
        w.arrival = w.arrival.at_clock(start);
    }
    check_cycles(cx, &model);
    (cx.problems.len() == before).then_some(model)
}

fn check_names(cx: &mut Cx<'_>) {
    let names = cx.names.clone();
    for (i, n) in names.iter().enumerate() {
        let path = crate::fp![n.kind, n.index, "name"];
        if n.name.trim().is_empty() {
            cx.err(
                &path,
                "name is empty",
                "give every component a unique, non-empty name",
            );
        } else if let Some((_, first, _)) = names.lookup(&n.name).filter(|(at, ..)| *at < i) {
            cx.err(
                &path,
                format!(
                    "name `{}` is already used by {}[{}]",
                    n.name, first.kind, first.index
                ),
                "names must be unique across all components of every kind",
            );
        }
    }
}

/// Synchronous call cycles (a calls b calls a) would never finish. Asked
/// of the call graph, so only once the rest of the scenario is valid: the
/// graph is built from the model.
fn check_cycles(cx: &mut Cx<'_>, model: &Scenario) {
    use crate::topology::Origin;
    let topo = crate::topology::build(model);
    let g = &topo.graph;
    for cycle in topo.sync_cycles() {
        let nodes = topo.cycle_nodes(&cycle);
        let names: Vec<&str> = nodes
            .iter()
            .chain(nodes.first())
            .map(|&n| g[n].name.as_str())
            .collect();
        // The first edge leaves the cycle's smallest node: point at the
        // field that holds it (`steps` for a function, as a whole).
        let path = match cycle.first().map(|&e| g[e].origin) {
            Some(Origin::Step { lambda, .. }) => crate::fp!["lambda", lambda, "steps"],
            Some(Origin::Route { api, route }) => crate::fp!["api", api, "routes"].join(route),
            Some(Origin::Authorizer { api }) => crate::fp!["api", api, "auth"],
            Some(Origin::Workload { workload }) => crate::fp!["workload", workload, "target"],
            // Destinations, triggers, deliveries and redrives are
            // asynchronous: never part of a sync cycle.
            Some(
                Origin::Destination { .. }
                | Origin::Trigger { .. }
                | Origin::DeadLetter { .. }
                | Origin::Subscriber { .. }
                | Origin::SubscriberDeadLetter { .. }
                | Origin::Notify { .. }
                | Origin::Schedule { .. }
                // Nothing calls a cdn but a workload.
                | Origin::CdnOrigin { .. },
            )
            | None => continue,
        };
        cx.err(
            &path,
            format!("synchronous call cycle: {}", names.join(" -> ")),
            "a function cannot (indirectly) call itself synchronously; break the cycle",
        );
    }
}
