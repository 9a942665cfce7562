//! Guards (events, wall time, memory) stop a runaway run with a message
//! naming the cause, and the run still reports its figures up to the stop.

use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::{ClientRetry, Scenario, Step, Target};
use slsim::workload::Arrival;

/// Poisson 1e6/s into a function with reserved concurrency 0, every
/// throttle retried by the client after 1,000 days: nothing ever ends, so
/// work in flight grows at the arrival rate until a guard stops it.
fn pile_up(duration_s: u64) -> Scenario {
    let mut f = lambda("f", vec![Step::Io(Dist::Const(0.002))]);
    f.reserved_concurrency = Some(0);
    let mut w = workload("users", Target::Lambda(0), Arrival::Poisson { rate: 1e6 });
    w.retry = Some(ClientRetry {
        max_attempts: 1000,
        backoff: Dist::Const(1000.0 * 86_400.0),
    });
    scenario(simulation(duration_s, 0, 1), vec![w], vec![f])
}

fn conserved(r: &slsim::sim::RunResult) {
    for (name, w) in &r.workloads {
        assert_eq!(
            w.requests,
            w.succeeded + w.throttled + w.failed + w.timed_out + w.in_flight,
            "{name}"
        );
    }
}

#[test]
fn the_memory_guard_names_the_growing_backlog() {
    let mut s = pile_up(3_600);
    s.simulation.max_memory_bytes = Some(64 << 20);
    let r = slsim::sim::run(&s).unwrap();
    let stop = r.stopped_early.as_ref().expect("the memory guard trips");
    assert!(stop.reason.contains("max_memory"), "{}", stop.reason);
    assert!(stop.reason.contains("workload `users`"), "{}", stop.reason);
    // Stopped long before the hour, with the figures up to the stop.
    assert!(stop.at_s > 0.0 && stop.at_s < 60.0, "{}", stop.at_s);
    assert_eq!(r.simulated_seconds, stop.at_s);
    let w = &r.workloads["users"];
    assert!(w.requests > 100_000 && w.in_flight == w.requests, "{w:?}");
    conserved(&r);
    // The footprint is deterministic: the same run stops at the same event.
    let again = slsim::sim::run(&s).unwrap();
    assert_eq!(again.events, r.events);
}

#[test]
fn the_wall_guard_stops_within_a_second_and_keeps_the_figures() {
    let mut s = pile_up(86_400);
    s.simulation.max_wall_s = Some(1e-9);
    let started = std::time::Instant::now();
    let r = slsim::sim::run(&s).unwrap();
    assert!(started.elapsed().as_secs_f64() < 30.0);
    let stop = r.stopped_early.as_ref().expect("the wall guard trips");
    assert!(stop.reason.contains("max_wall"), "{}", stop.reason);
    conserved(&r);
}

#[test]
fn the_event_guard_keeps_the_figures_up_to_the_stop() {
    let mut s = scenario(
        simulation(3_600, 0, 2),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 100.0 },
        )],
        vec![lambda("f", vec![Step::Io(Dist::Const(0.01))])],
    );
    s.simulation.max_events = 10_000;
    let r = slsim::sim::run(&s).unwrap();
    let stop = r.stopped_early.as_ref().expect("the event guard trips");
    assert!(stop.reason.contains("max_events"), "{}", stop.reason);
    assert_eq!(r.events, 10_000);
    // About 3 events per request at 100/s: the stop is near 33 s.
    assert!(stop.at_s > 10.0 && stop.at_s < 100.0, "{}", stop.at_s);
    assert!(r.workloads["w"].requests > 1_000);
    conserved(&r);
    // A run that ends normally has no stop and no warning.
    s.simulation.max_events = u64::MAX;
    s.simulation.duration = 10 * SECONDS;
    let r = slsim::sim::run(&s).unwrap();
    assert!(
        r.stopped_early.is_none() && r.warnings.is_empty(),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_run_in_which_no_request_arrived_warns() {
    let s = scenario(
        simulation(10, 0, 3),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 0.0 },
        )],
        vec![lambda("f", vec![Step::Io(Dist::Const(0.01))])],
    );
    let r = slsim::sim::run(&s).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("no request arrived"));
    assert_eq!(r.cost.per_million_requests_usd, None);
    assert!(r.workloads["w"].latency_ms.p50.is_none());
}

#[test]
fn time_series_are_bounded_in_total() {
    // 400 workload/function pairs (3,600 series) for a day at 1 s would be
    // 311 M values; the budget widens the interval.
    let n = 400;
    let lambdas = (0..n)
        .map(|i| lambda(&format!("f{i}"), vec![Step::Io(Dist::Const(0.01))]))
        .collect();
    let workloads = (0..n)
        .map(|i| {
            workload(
                &format!("w{i}"),
                Target::Lambda(i),
                Arrival::Poisson { rate: 0.001 },
            )
        })
        .collect();
    let s = scenario(simulation(86_400, 0, 4), workloads, lambdas);
    let r = slsim::sim::run(&s).unwrap();
    let points: usize = r.timeseries.series.iter().map(|s| s.values.len()).sum();
    assert!(
        points as u64 <= slsim::metrics::series::MAX_POINTS,
        "{points}"
    );
    assert!(r.timeseries_interval_s > 1.0);
    assert_eq!(r.timeseries_interval_s, r.timeseries.interval_s);
}
