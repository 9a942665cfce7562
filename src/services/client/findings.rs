//! A workload's findings: where its failures began (the failure chain from
//! the component that first throttled, failed or timed out to the status the
//! client saw), and how much of its p99 the requests that met a cold start
//! explain.

use indexmap::IndexMap;

use super::WorkloadStats;
use crate::services::findings::{count, pct, Finding, FindingsCx};
use crate::services::{Cause, End, Kind};

/// The findings of every workload.
pub fn findings(
    stats: &IndexMap<String, WorkloadStats>,
    cx: &FindingsCx<'_>,
    out: &mut Vec<Finding>,
) {
    for (name, w) in stats {
        failures(name, w, cx, out);
        cold_share(name, w, out);
    }
}

/// What a cause did, in words, and the series that shows when.
fn what(c: Cause) -> (&'static str, Option<&'static str>) {
    match (c.kind, c.end) {
        (Kind::Table, End::Throttled | End::Failed) => {
            ("throttled until the SDK gave up", Some("throttled"))
        }
        (Kind::Lambda, End::Throttled) => ("throttled the invocation", Some("throttles")),
        (Kind::Lambda, End::Failed) => ("failed (function error)", None),
        (Kind::Lambda, End::TimedOut) => ("timed out (function timeout)", None),
        (Kind::Api, End::Throttled) => ("throttled the request (429)", None),
        (Kind::Api, End::TimedOut) => ("hit its integration timeout (504)", None),
        (_, End::Throttled) => ("throttled", None),
        (_, End::TimedOut) => ("timed out", None),
        _ => ("failed", None),
    }
}

/// One finding per workload with failures: each (status, cause) pair,
/// largest first, as "n status <- component what [when]".
fn failures(name: &str, w: &WorkloadStats, cx: &FindingsCx<'_>, out: &mut Vec<Finding>) {
    let failed: u64 = w.causes.iter().map(|c| c.2).sum();
    if failed == 0 {
        return;
    }
    let chains: Vec<String> = w
        .causes
        .iter()
        .map(|(status, cause, n)| {
            let component = cx.component(cause.kind, cause.index);
            let (did, series) = what(*cause);
            let when = series
                .zip(cx.name_of(cause.kind, cause.index))
                .map(|(m, name)| cx.during(name, m))
                .unwrap_or_default();
            format!("{} x {status} <- {component} {did}{when}", count(*n))
        })
        .collect();
    out.push(Finding {
        topic: "failures",
        component: format!("workload {name}"),
        message: format!(
            "{} of {} requests failed ({}): {}",
            count(failed),
            count(w.requests),
            pct(failed as f64, w.requests as f64),
            chains.join("; ")
        ),
    });
}

/// The share of the p99 the requests that met a cold start explain:
/// (p99 - p99 without them) / p99.
fn cold_share(name: &str, w: &WorkloadStats, out: &mut Vec<Finding>) {
    let (Some(p99), Some(warm)) = (w.latency_ms.p99, w.p99_warm_ms) else {
        return;
    };
    if w.cold_succeeded == 0 || p99 <= 0.0 {
        return;
    }
    let share = ((p99 - warm) / p99).max(0.0);
    out.push(Finding {
        topic: "cold_starts",
        component: format!("workload {name}"),
        message: format!(
            "{} of succeeded requests met a cold start; p99 {:.1} ms, {:.1} ms without them: \
             cold starts explain {} of the p99",
            pct(w.cold_succeeded as f64, w.succeeded as f64),
            p99,
            warm,
            pct(share, 1.0)
        ),
    });
}
