//! Quick statistical smoke tests of the simulation core.
mod common;
use common::*;
use slsim::dist::Dist;
use slsim::scenario::*;
use slsim::workload::Arrival;

#[test]
fn erlang_b_quick() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.reserved_concurrency = Some(10);
    f.provisioned_concurrency = 10;
    let s = scenario(
        simulation(200_000, 1000, 1),
        vec![workload("w", Target::Lambda(0), Arrival::Poisson { rate: 8.0 })],
        vec![f],
    );
    let r = slsim::sim::run(&s).unwrap();
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    let pb = w.throttled as f64 / w.requests as f64;
    eprintln!("{w:?}\n{f:?}\npb={pb} events={} wall={}", r.events, r.wall_seconds);
    assert!((pb - 0.12166).abs() < 0.01);
}

#[test]
fn cold_start_quick() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.reserved_concurrency = Some(1);
    f.keep_alive = 10 * slsim::engine::SECONDS;
    let s = scenario(
        simulation(2_000_000, 100, 2),
        vec![workload("w", Target::Lambda(0), Arrival::Poisson { rate: 0.1 })],
        vec![f],
    );
    let r = slsim::sim::run(&s).unwrap();
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    let pt = w.throttled as f64 / w.requests as f64;
    let pc = f.cold_starts as f64 / f.invocations as f64;
    eprintln!("pt={pt} pc={pc} n={}", w.requests);
}
