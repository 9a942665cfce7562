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
    triggered_queues(cx, s);
    silent_topics(cx, s);
    unreached_destinations(cx, s);
}

/// A topic with no subscriber: every message published to it is lost.
fn silent_topics(cx: &mut Cx<'_>, s: &Scenario) {
    for (i, t) in s.topics.iter().enumerate() {
        if t.subscriptions.is_empty() {
            cx.warn(
                &crate::fp!["topic", i, "subscribers"],
                "the topic has no subscribers: every message published to it is dropped (it is still billed)".to_string(),
            );
        }
    }
}

/// `destinations` of a function that nothing invokes asynchronously: they
/// apply to asynchronous invocations only (a sync call or a queue's
/// mapping never reaches them).
fn unreached_destinations(cx: &mut Cx<'_>, s: &Scenario) {
    use crate::model::{Destination, Endpoint, Step};
    let mut invoked_async = vec![false; s.lambdas.len()];
    let mut mark = |f: usize| {
        if let Some(m) = invoked_async.get_mut(f) {
            *m = true;
        }
    };
    for f in &s.lambdas {
        for st in &f.steps {
            if let Step::InvokeAsync { lambda } = st {
                mark(*lambda);
            }
        }
        for d in [f.async_invoke.on_success, f.async_invoke.on_failure] {
            if let Some(Destination::Lambda(g)) = d {
                mark(g);
            }
        }
    }
    for t in &s.topics {
        for sub in &t.subscriptions {
            if let Endpoint::Lambda(g) = sub.endpoint {
                mark(g);
            }
        }
    }
    for (l, f) in s.lambdas.iter().enumerate() {
        let a = &f.async_invoke;
        if !invoked_async[l] && (a.on_success.is_some() || a.on_failure.is_some()) {
            cx.warn(
                &crate::fp!["lambda", l, "destinations"],
                "nothing invokes this function asynchronously (an async call, a topic subscription or another function's destination): its destinations are never used".to_string(),
            );
        }
    }
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

/// A queue that triggers a function: its visibility timeout against the
/// function's timeout (a message still being processed becomes visible
/// again; AWS advises 6 x the timeout plus the batching window), a low
/// `max_receive_count` (throttled batches count as receives) and a low
/// reserved concurrency on the consumer (aws-facts 2, "Visibility timeout
/// rule of thumb", "Redrive", "Reserved concurrency for an SQS consumer").
fn triggered_queues(cx: &mut Cx<'_>, s: &Scenario) {
    use crate::model::queue::{
        MIN_ADVISED_RECEIVE_COUNT as MIN_RECEIVES, MIN_ADVISED_RESERVED as MIN_RESERVED,
    };
    for (l, f) in s.lambdas.iter().enumerate() {
        for t in &f.triggers {
            let Some(q) = s.queues.get(t.queue) else {
                continue;
            };
            let vt = q.visibility_timeout;
            let advised = f.timeout.saturating_mul(6).saturating_add(t.batch_window);
            let path = crate::fp!["queue", t.queue, "visibility_timeout"];
            if vt < f.timeout {
                cx.warn(
                    &path,
                    format!(
                        "visibility timeout {} is shorter than the {} timeout of function `{}`, which it triggers: a message still being processed becomes visible again and is received twice",
                        secs(vt),
                        secs(f.timeout),
                        f.name
                    ),
                );
            } else if vt < advised {
                cx.warn(
                    &path,
                    format!(
                        "visibility timeout {} is shorter than 6 x the {} timeout of function `{}` plus its batch window (= {}), which AWS advises so that batches retried after throttles are not received twice (aws-facts 2)",
                        secs(vt),
                        secs(f.timeout),
                        f.name,
                        secs(advised)
                    ),
                );
            }
            if let Some(r) = q.redrive.filter(|r| r.max_receive_count < MIN_RECEIVES) {
                cx.warn(
                    &crate::fp!["queue", t.queue, "max_receive_count"],
                    format!(
                        "max_receive_count {} is below {MIN_RECEIVES} on a queue that triggers function `{}`: throttled batches count as receives, so messages may reach the dead-letter queue without ever failing (AWS advises at least {MIN_RECEIVES}, aws-facts 2)",
                        r.max_receive_count, f.name
                    ),
                );
            }
        }
        if f.triggers.is_empty() || f.reserved_concurrency.is_none_or(|r| r >= MIN_RESERVED) {
            continue;
        }
        let names: Vec<&str> = f
            .triggers
            .iter()
            .filter_map(|t| s.queues.get(t.queue).map(|q| q.name.as_str()))
            .collect();
        cx.warn(
            &crate::fp!["lambda", l, "reserved_concurrency"],
            format!(
                "reserved concurrency below {MIN_RESERVED} on a function triggered by {} {}: a mapping starts 5 batches at once and throttled batches go back to the queue (AWS advises at least {MIN_RESERVED}, aws-facts 2)",
                if names.len() == 1 { "queue" } else { "queues" },
                crate::scenario::error::list(&names)
            ),
        );
    }
}
