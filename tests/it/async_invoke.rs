//! Asynchronous invocation (aws-facts 1.2): retry timing after function
//! errors, throttle backoff up to the maximum event age, destinations, and
//! the conservation of accepted events.
//!
//! The timing checks are exact: the dispatch delay is set to 0, the
//! functions take no time, and AWS's waits (1 min, then 2 min; 1 s
//! doubling) are constants in the model.

use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::sim::RunResult;
use slsim::workload::Arrival;

use crate::common::{self, run};

/// One request at t = 1000 s to `caller`, which invokes `f` asynchronously.
fn one_event(f: Lambda, others: Vec<Lambda>) -> Scenario {
    let mut sim = common::simulation(1500, 0, 11);
    sim.timeseries_interval = SECONDS;
    let caller = common::lambda("caller", vec![Step::InvokeAsync { lambda: 1 }]);
    let mut lambdas = vec![caller, f];
    lambdas.extend(others);
    common::scenario(
        sim,
        vec![common::workload(
            "one",
            Target::Lambda(0),
            Arrival::Constant { rate: 1e-3 },
        )],
        lambdas,
    )
}

/// A function with no cold start and no dispatch delay.
fn instant(name: &str, steps: Vec<Step>) -> Lambda {
    let mut l = common::lambda(name, steps);
    l.init = Dist::Const(0.0);
    l.async_invoke.dispatch = Dist::Const(0.0);
    l
}

/// The seconds at which `name` started invocations (from the 1 s series).
fn invocation_times(r: &RunResult, name: &str) -> Vec<usize> {
    let s = r
        .timeseries
        .series
        .iter()
        .find(|s| s.component == name && s.metric == "invocations")
        .expect("invocations series");
    s.values
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| std::iter::repeat_n(i, v as usize))
        .collect()
}

fn async_stats(r: &RunResult, name: &str) -> AsyncStatsView {
    let a = r.functions[name]
        .asynchronous
        .as_ref()
        .expect("the function accepted events");
    // Conservation of accepted events.
    assert_eq!(
        a.accepted,
        a.succeeded + a.retries_exhausted + a.expired + a.pending_end,
        "{name}: {a:?}"
    );
    assert_eq!(
        a.retries_exhausted + a.expired,
        a.to_on_failure + a.dropped,
        "{name}: {a:?}"
    );
    AsyncStatsView(a.clone())
}

struct AsyncStatsView(slsim::services::lambda::AsyncStats);

#[test]
fn a_failing_event_is_tried_three_times_then_reaches_the_failure_destination() {
    let mut f = instant("f", vec![Step::Fail(1.0)]);
    f.async_invoke.on_failure = Some(Destination::Lambda(2));
    let g = instant("g", vec![]);
    let r = run(&one_event(f, vec![g]));
    // t0 = 1000 s; retries 1 min after the first failure, 2 min after the
    // second (aws-facts 1.2, aws-facts 9 item 9).
    assert_eq!(invocation_times(&r, "f"), vec![1000, 1060, 1180]);
    assert_eq!(invocation_times(&r, "g"), vec![1180]);
    let a = async_stats(&r, "f").0;
    assert_eq!(
        (
            a.accepted,
            a.retried_error,
            a.retries_exhausted,
            a.to_on_failure,
            a.dropped
        ),
        (1, 2, 1, 1, 0)
    );
    assert_eq!(r.functions["f"].errors, 3);
    let g = async_stats(&r, "g").0;
    assert_eq!((g.accepted, g.succeeded), (1, 1));
    // The caller was answered at once (202): its request succeeded.
    assert_eq!(r.workloads["one"].succeeded, 1);
}

#[test]
fn max_retry_attempts_zero_means_one_attempt_and_no_destination_drops() {
    let mut f = instant("f", vec![Step::Fail(1.0)]);
    f.async_invoke.max_retry_attempts = 0;
    let r = run(&one_event(f, vec![]));
    assert_eq!(invocation_times(&r, "f"), vec![1000]);
    let a = async_stats(&r, "f").0;
    assert_eq!((a.retries_exhausted, a.dropped, a.to_on_failure), (1, 1, 0));
}

#[test]
fn reserved_concurrency_zero_sends_events_straight_to_the_failure_destination() {
    let mut f = instant("f", vec![]);
    f.reserved_concurrency = Some(0);
    f.async_invoke.on_failure = Some(Destination::Lambda(2));
    let g = instant("g", vec![]);
    let r = run(&one_event(f, vec![g]));
    assert_eq!(r.functions["f"].invocations, 0);
    assert_eq!(r.functions["f"].throttles, 0, "no attempt is made");
    assert_eq!(invocation_times(&r, "g"), vec![1000]);
    let a = async_stats(&r, "f").0;
    assert_eq!((a.expired, a.to_on_failure), (1, 1));
}

#[test]
fn throttled_events_back_off_from_1s_doubling_until_the_maximum_age() {
    // f has one environment, busy for 400 s from t = 1000 s with the first
    // event; a second event accepted at the same time is throttled and
    // retried after 1, 2, 4, 8 and 16 s (31 s in all); the next wait (32 s)
    // would take it past max_event_age = 60 s, so it is discarded.
    let mut f = instant("f", vec![Step::Io(Dist::Const(400.0))]);
    f.reserved_concurrency = Some(1);
    f.async_invoke.max_event_age = 60 * SECONDS;
    let mut caller = common::lambda(
        "caller",
        vec![
            Step::InvokeAsync { lambda: 1 },
            Step::InvokeAsync { lambda: 1 },
        ],
    );
    caller.init = Dist::Const(0.0);
    let mut sim = common::simulation(1500, 0, 3);
    sim.timeseries_interval = SECONDS;
    let s = common::scenario(
        sim,
        vec![common::workload(
            "one",
            Target::Lambda(0),
            Arrival::Constant { rate: 1e-3 },
        )],
        vec![caller, f],
    );
    let r = run(&s);
    assert_eq!(r.functions["f"].invocations, 1);
    assert_eq!(r.functions["f"].throttles, 6, "the first try and 5 retries");
    let a = async_stats(&r, "f").0;
    assert_eq!(
        (
            a.accepted,
            a.succeeded,
            a.retried_throttle,
            a.expired,
            a.dropped
        ),
        (2, 1, 5, 1, 1)
    );
}

#[test]
fn accepted_events_are_conserved_under_errors_throttles_and_the_end_of_the_run() {
    // Poisson callers into a small function that fails 30 % of the time:
    // throttles, error retries, successes, discards and events pending at
    // the end all occur; every accepted event is in exactly one state.
    let mut f = common::lambda(
        "f",
        vec![Step::Io(Dist::Exp { mean: 2.0 }), Step::Fail(0.3)],
    );
    f.reserved_concurrency = Some(5);
    f.async_invoke.max_event_age = 300 * SECONDS;
    f.async_invoke.on_failure = Some(Destination::Lambda(2));
    let g = common::lambda("g", vec![]);
    let caller = common::lambda("caller", vec![Step::InvokeAsync { lambda: 1 }]);
    let s = common::scenario(
        common::simulation(3600, 600, 5),
        vec![common::workload(
            "users",
            Target::Lambda(0),
            Arrival::Poisson { rate: 3.0 },
        )],
        vec![caller, f, g],
    );
    let r = run(&s);
    let a = async_stats(&r, "f").0;
    assert!(a.retried_throttle > 0 && a.retried_error > 0, "{a:?}");
    assert!(a.retries_exhausted > 0 && a.expired > 0, "{a:?}");
    assert!(a.pending_end > 0, "{a:?}");
    assert_eq!(a.dropped, 0);
    // Every discarded event (measured or not) reached g.
    let g = &r.functions["g"];
    assert!(g.asynchronous.as_ref().unwrap().accepted >= a.to_on_failure);
}

#[test]
fn the_scenario_format_reads_async_calls_destinations_and_retry_settings() {
    let toml = r#"
[simulation]
duration = "10m"

[[workload]]
name = "users"
target = "front"
arrival = "poisson(rate=1)"

[[lambda]]
name = "front"
steps = [{ call = "worker", mode = "async" }]

[[lambda]]
name = "worker"
max_retry_attempts = 1
max_event_age = "90s"
async_dispatch = "const(0ms)"
destinations = { on_success = "audit", on_failure = "audit" }
steps = [{ fail = 0.5 }]

[[lambda]]
name = "audit"
"#;
    let s = slsim::scenario::parse_str(toml, "async.toml", &[]).expect("valid");
    assert!(matches!(
        s.lambdas[0].steps[0],
        Step::InvokeAsync { lambda: 1 }
    ));
    let a = &s.lambdas[1].async_invoke;
    assert_eq!(a.max_retry_attempts, 1);
    assert_eq!(a.max_event_age, 90 * SECONDS);
    assert_eq!(a.on_success, Some(Destination::Lambda(2)));
    assert_eq!(a.on_failure, Some(Destination::Lambda(2)));
    // Runs, and every record reached the audit function.
    let r = run(&s);
    let w = async_stats(&r, "worker").0;
    assert_eq!(
        w.to_on_success + w.to_on_failure,
        w.succeeded + w.retries_exhausted + w.expired
    );
    assert!(r.functions["audit"].asynchronous.is_some());
}
