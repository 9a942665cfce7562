//! Validation-time warnings: the scenario is valid and runs, but probably
//! not as meant. Each is one line naming the file, line and field (see
//! `Cx::warn`); they end up in `Scenario::warnings`, the result's
//! `warnings` and on stderr.

use crate::workload::Arrival;

use super::context::Cx;
use super::kinds::Raws;
use super::numbers::show_ns as secs;
use crate::model::Scenario;

/// Adds every warning about the valid scenario `s`.
pub fn check(cx: &mut Cx<'_>, raws: &Raws, s: &Scenario) {
    integration_timeouts(cx, s);
    diurnal_periods(cx, s);
    unused_ttls(cx, raws);
}

/// A function whose timeout is longer than the integration timeout of an
/// api that calls it: the client gets a 504 while the function runs on.
/// (A workload that invokes a function directly has no such timeout.)
fn integration_timeouts(cx: &mut Cx<'_>, s: &Scenario) {
    for (l, f) in s.lambdas.iter().enumerate() {
        for api in &s.apis {
            if f.timeout > api.timeout && api.routes.iter().any(|r| r.target == l) {
                cx.warn(
                    &crate::fp!["lambda", l, "timeout"],
                    format!(
                        "timeout {} is longer than the {} integration timeout of api `{}`, which calls it: the client gets a 504 at {} while the function runs (and is billed) up to {}",
                        secs(f.timeout),
                        secs(api.timeout),
                        api.name,
                        secs(api.timeout),
                        secs(f.timeout)
                    ),
                );
            }
        }
    }
}

/// A diurnal cycle longer than the run: only part of one "day" is seen.
fn diurnal_periods(cx: &mut Cx<'_>, s: &Scenario) {
    let run = s.simulation.duration;
    for (i, w) in s.workloads.iter().enumerate() {
        if let Arrival::Diurnal { period, .. } = w.arrival {
            if period > run {
                cx.warn(
                    &crate::fp!["workload", i, "arrival"],
                    format!(
                        "the diurnal period {} is longer than the run ({}): the run sees only part of one cycle, starting at its trough",
                        secs(period),
                        secs(run)
                    ),
                );
            }
        }
    }
}

/// `ttl` of an api cache or a DAX cluster: accepted, not modelled yet.
fn unused_ttls(cx: &mut Cx<'_>, raws: &Raws) {
    let note = "is not used by the model yet: hits follow `hit_ratio` alone, whatever the ttl";
    for (i, a) in raws.apis.iter().enumerate() {
        if a.as_ref()
            .and_then(|a| a.cache.as_ref())
            .is_some_and(|c| c.ttl.is_some())
        {
            cx.warn(
                &crate::fp!["api", i, "cache", "ttl"],
                format!("cache ttl {note}"),
            );
        }
    }
    for (i, t) in raws.tables.iter().enumerate() {
        if t.as_ref()
            .and_then(|t| t.dax.as_ref())
            .is_some_and(|d| d.ttl.is_some())
        {
            cx.warn(
                &crate::fp!["table", i, "dax", "ttl"],
                format!("DAX ttl {note}"),
            );
        }
    }
}
