//! Quick end-to-end checks while the full suite is built.
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
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 8.0 },
        )],
        vec![f],
    );
    let r = slsim::sim::run(&s).unwrap();
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    let pb = w.throttled as f64 / w.requests as f64;
    eprintln!(
        "{w:?}\n{f:?}\npb={pb} events={} wall={}",
        r.events, r.wall_seconds
    );
    assert!((pb - 0.12166).abs() < 0.01);
}

#[test]
fn cold_start_quick() {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.reserved_concurrency = Some(1);
    f.keep_alive = 10 * slsim::engine::SECONDS;
    let s = scenario(
        simulation(2_000_000, 100, 2),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 0.1 },
        )],
        vec![f],
    );
    let r = slsim::sim::run(&s).unwrap();
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    let pt = w.throttled as f64 / w.requests as f64;
    let pc = f.cold_starts as f64 / f.invocations as f64;
    eprintln!("pt={pt} pc={pc} n={}", w.requests);
}

#[test]
#[ignore]
fn perf_chain() {
    use slsim::engine::SECONDS;
    let mut sim = simulation(3600, 0, 3);
    sim.account_concurrency = 100_000;
    let mut l = lambda(
        "list",
        vec![
            Step::Compute {
                dist: Dist::lognormal_median_sigma(0.002, 0.4),
                threads: 1.0,
            },
            Step::Table {
                table: 0,
                op: TableOp::Query,
                items: 20,
                item_kb: 0.5,
            },
            Step::Compute {
                dist: Dist::lognormal_median_sigma(0.001, 0.4),
                threads: 1.0,
            },
        ],
    );
    l.memory_mb = 512;
    l.timeout = 6 * SECONDS;
    l.keep_alive = 360 * SECONDS;
    let api = Api {
        name: "api".into(),
        kind: ApiType::Rest,
        rate_limit: 1e9,
        burst: 1e9,
        timeout: 29 * SECONDS,
        latency: Dist::Const(0.0),
        auth: Some(Dist::lognormal_median_sigma(0.005, 0.4)),
        cache: None,
        routes: vec![ApiRoute {
            route: "GET /todos".into(),
            target: 0,
            cacheable: false,
        }],
    };
    let table = Table {
        name: "todos".into(),
        capacity: Capacity::OnDemand {
            initial_read_peak: 1e9,
            initial_write_peak: 1e9,
        },
        consistency: Consistency::Eventual,
        burst_seconds: 300.0,
        read_latency: Dist::lognormal_median_p99(0.004, 0.012),
        write_latency: Dist::lognormal_median_p99(0.006, 0.018),
        dax: Some(Dax {
            hit_ratio: 0.85,
            ttl: 300 * SECONDS,
            hit_latency: Dist::lognormal_median_sigma(0.0004, 0.3),
        }),
        sdk_retry: SdkRetry {
            max_attempts: 4,
            base: 25_000_000,
            max_backoff: 20 * SECONDS,
        },
    };
    let mut w = workload("w", Target::Api(0), Arrival::Poisson { rate: 2000.0 });
    w.routes = vec![(0, 1.0)];
    let s = Scenario {
        simulation: sim,
        workloads: vec![w],
        apis: vec![api],
        lambdas: vec![l],
        tables: vec![table],
    };
    let r = slsim::sim::run(&s).unwrap();
    let n = r.workloads["w"].requests as f64;
    eprintln!(
        "requests {n} events {} wall {:.2} -> {:.0} req/s, {:.0} ev/s",
        r.events,
        r.wall_seconds,
        n / r.wall_seconds,
        r.events as f64 / r.wall_seconds
    );
}
