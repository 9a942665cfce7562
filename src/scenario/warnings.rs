//! Validation-time warnings: the scenario is valid and runs, but probably
//! not as meant. Each is one line naming the file, line and field (see
//! `Cx::warn`); they end up in `Scenario::warnings`, the result's
//! `warnings` and on stderr.

use crate::workload::Arrival;

use super::context::Cx;
use super::kinds::Raws;
use super::numbers::show_ns as secs;
use crate::model::cost::REPEAT_BIAS_WARN;
use crate::model::{Projection, Scenario, DEFAULT_DAX_NODES};

/// Adds every warning about the valid scenario `s`.
pub fn check(cx: &mut Cx<'_>, raws: &Raws, s: &Scenario) {
    integration_timeouts(cx, s);
    diurnal_periods(cx, s);
    repeated_windows(cx, s);
    small_dax_clusters(cx, s);
    unused_ttls(cx, raws);
    triggered_queues(cx, s);
    silent_topics(cx, s);
    unreached_destinations(cx, s);
    uncalled_services(cx, s);
    unwritten_streams(cx, s);
    remote_functions(cx, s);
    unbatched_per_record(cx, s);
}

/// `per_record` on a function no queue or stream triggers: every one of
/// its invocations is one record, so the step runs once as without it.
fn unbatched_per_record(cx: &mut Cx<'_>, s: &Scenario) {
    for (i, f) in s.lambdas.iter().enumerate() {
        let Some(&k) = f.per_record.first() else {
            continue;
        };
        if f.triggers.is_empty() && f.stream_triggers.is_empty() {
            cx.warn(
                &crate::fp!["lambda", i, "steps", k, "per_record"],
                format!(
                    "`per_record` has no effect: no queue or stream triggers function `{}`, and any other invocation is one record (add `triggers`, or remove `per_record`)",
                    f.name
                ),
            );
        }
    }
}

/// A Kinesis stream no function writes to: nothing ever reaches it.
fn unwritten_streams(cx: &mut Cx<'_>, s: &Scenario) {
    use crate::model::Step;
    for (i, st) in s.streams.iter().enumerate() {
        let written = s.lambdas.iter().any(|f| {
            f.steps
                .iter()
                .any(|x| matches!(x, Step::PutRecords(p) if p.stream == i))
        });
        if !written {
            cx.warn(
                &crate::fp!["stream", i, "name"],
                format!(
                    "no function writes to stream `{}`: add a step {{ call = \"{}\", records = 1 }} to a [[lambda]] (its shards are still billed)",
                    st.name, st.name
                ),
            );
        }
    }
}

/// A function in another Region than the home Region that does more than
/// compute and call tables: its other calls are modelled as from the home
/// Region (docs/model.md, "Global users and global tables").
fn remote_functions(cx: &mut Cx<'_>, s: &Scenario) {
    use crate::model::Step;
    for (i, f) in s.lambdas.iter().enumerate() {
        let Some(r) = f.region else { continue };
        let other = f.steps.iter().any(|st| {
            !matches!(
                st,
                Step::Compute { .. } | Step::Io(_) | Step::Table { .. } | Step::Fail(_)
            )
        });
        if other || !f.triggers.is_empty() {
            cx.warn(
                &crate::fp!["lambda", i, "region"],
                format!(
                    "function `{}` is in {}, but only its DynamoDB calls and its clients' round trip depend on that: its other calls and triggers are modelled as in the home Region",
                    f.name,
                    r.name()
                ),
            );
        }
    }
}

/// A service no function calls: it is listed but never used.
fn uncalled_services(cx: &mut Cx<'_>, s: &Scenario) {
    use crate::model::Step;
    for (i, svc) in s.services.iter().enumerate() {
        let called = s.lambdas.iter().any(|f| {
            f.steps
                .iter()
                .any(|st| matches!(st, Step::External { service } if *service == i))
        });
        if !called {
            cx.warn(
                &crate::fp!["service", i, "name"],
                format!(
                    "no function calls service `{}`: add a step {{ call = \"{}\" }} to a [[lambda]]",
                    svc.name, svc.name
                ),
            );
        }
    }
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
    for b in &s.buckets {
        for r in &b.notify {
            if let Destination::Lambda(g) = r.target {
                mark(g);
            }
        }
    }
    for sc in &s.schedules {
        if let Destination::Lambda(g) = sc.target {
            mark(g);
        }
    }
    for (l, f) in s.lambdas.iter().enumerate() {
        let a = &f.async_invoke;
        if !invoked_async[l] && (a.on_success.is_some() || a.on_failure.is_some()) {
            cx.warn(
                &crate::fp!["lambda", l, "destinations"],
                "nothing invokes this function asynchronously (an async call, a topic subscription, a schedule or another function's destination): its destinations are never used".to_string(),
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
        if let Arrival::Diurnal { period, offset, .. } = w.arrival {
            if period > run {
                let cost = repeat_bias(s, &w.arrival, period)
                    .map(|b| format!("; {}", bias_text(b)))
                    .unwrap_or_default();
                cx.warn(
                    &crate::fp!["workload", i, "arrival"],
                    format!(
                        "the diurnal period {} is longer than the run ({}): the run sees only part of one cycle, starting {}{cost}",
                        secs(period),
                        secs(run),
                        if offset == 0 {
                            "at its trough".to_string()
                        } else {
                            format!("{} after its trough", secs(offset))
                        }
                    ),
                );
            }
        }
    }
}

/// The period of a periodic arrival (diurnal, burst).
fn period_of(a: &Arrival) -> Option<u64> {
    match a {
        Arrival::Diurnal { period, .. } => Some(*period),
        Arrival::Burst { every, .. } => Some(*every),
        _ => None,
    }
}

/// With `[cost] projection = "repeat"`, the share by which the month's
/// usage from arrival `a` (of period `period`) is off: the measured
/// window's mean expected rate against the arrival's long-run mean, minus
/// 1; `None` when it is within [`REPEAT_BIAS_WARN`], the window is empty
/// or the projection is `once`.
fn repeat_bias(s: &Scenario, a: &Arrival, period: u64) -> Option<f64> {
    let sim = &s.simulation;
    if sim.cost.projection != Projection::Repeat || period == 0 {
        return None;
    }
    let (start, end) = (sim.warmup.min(sim.duration), sim.duration);
    if end <= start {
        return None;
    }
    let long_run = a.expected_count(period) / period as f64;
    let window = (a.expected_count(end) - a.expected_count(start)) / (end - start) as f64;
    if !(long_run > 0.0 && window.is_finite()) {
        return None;
    }
    let bias = window / long_run - 1.0;
    (bias.abs() > REPEAT_BIAS_WARN).then_some(bias)
}

/// The cost clause of a window that is not a typical slice of its cycle.
fn bias_text(bias: f64) -> String {
    format!(
        "the monthly cost (projection \"repeat\") repeats this window, whose mean arrival rate is {:.0} % {} the workload's mean, so it {} the month's usage: measure whole periods or set [cost] projection = \"once\"",
        bias.abs() * 100.0,
        if bias > 0.0 { "above" } else { "below" },
        if bias > 0.0 { "overstates" } else { "understates" }
    )
}

/// A periodic arrival (diurnal, burst) whose measured window is not a
/// typical slice of its cycle, with the `repeat` projection: the month
/// repeats the window, so the monthly cost is off by the window's bias
/// (a diurnal period longer than the whole run is reported by
/// `diurnal_periods`, with this clause).
fn repeated_windows(cx: &mut Cx<'_>, s: &Scenario) {
    let run = s.simulation.duration;
    let window = run - s.simulation.warmup.min(run);
    for (i, w) in s.workloads.iter().enumerate() {
        let Some(period) = period_of(&w.arrival) else {
            continue;
        };
        if matches!(w.arrival, Arrival::Diurnal { .. }) && period > run {
            continue;
        }
        if let Some(b) = repeat_bias(s, &w.arrival, period) {
            let shorter = if window < period {
                format!(
                    "the measured window ({}) is shorter than the arrival's period ({})",
                    secs(window),
                    secs(period)
                )
            } else {
                format!(
                    "the measured window ({}) is not a whole number of the arrival's periods ({})",
                    secs(window),
                    secs(period)
                )
            };
            cx.warn(
                &crate::fp!["workload", i, "arrival"],
                format!("{shorter}: {}", bias_text(b)),
            );
        }
    }
}

/// A DAX cluster of fewer than 3 nodes: AWS recommends at least 3, in
/// different Availability Zones, for production (aws-facts 10.1).
fn small_dax_clusters(cx: &mut Cx<'_>, s: &Scenario) {
    for (i, t) in s.tables.iter().enumerate() {
        let n = t.dax_nodes.count;
        if t.dax.is_some() && n < DEFAULT_DAX_NODES {
            cx.warn(
                &crate::fp!["table", i, "dax", "nodes"],
                format!(
                    "a DAX cluster of {n} node{}: AWS recommends at least {DEFAULT_DAX_NODES} nodes in different Availability Zones for production (aws-facts 10.1); fewer nodes leave the cache without a replica in another zone",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
    }
}

/// `ttl` of an api cache or a DAX cluster with a fixed `hit_ratio` (with
/// `keys`, or without `hit_ratio` for DAX, the ttl decides the hits):
/// accepted, not used.
fn unused_ttls(cx: &mut Cx<'_>, raws: &Raws) {
    let note = "is not used by the model yet: hits follow `hit_ratio` alone, whatever the ttl";
    for (i, a) in raws.apis.iter().enumerate() {
        if a.as_ref()
            .and_then(|a| a.cache.as_ref())
            .is_some_and(|c| c.ttl.is_some() && c.keys.is_none())
        {
            cx.warn(
                &crate::fp!["api", i, "cache", "ttl"],
                "cache ttl with a fixed hit_ratio is not used: hits follow `hit_ratio` alone; give `keys` instead for a hit ratio that emerges from the ttl and the popularity of the resources".to_string(),
            );
        }
    }
    for (i, t) in raws.tables.iter().enumerate() {
        if t.as_ref()
            .and_then(|t| t.dax.as_ref())
            .is_some_and(|d| d.hit_ratio.is_some() && (d.ttl.is_some() || d.item_ttl.is_some()))
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
