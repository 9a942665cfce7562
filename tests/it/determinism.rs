//! Same scenario and seed: byte-identical results; another seed: different.

use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// A scenario touching every component and most random streams.
fn busy_scenario(seed: u64) -> Scenario {
    let mut f = lambda(
        "f",
        vec![
            Step::Compute {
                dist: Dist::Exp { mean: 0.02 },
                threads: 1.0,
            },
            get(0, 6.0),
            Step::Fail(0.05),
            Step::Io(Dist::LogNormal {
                mu: -3.0,
                sigma: 1.0,
            }),
        ],
    );
    f.keep_alive = 5 * SECONDS;
    f.routing = Routing::Random;
    let mut w = api_workload("w", 0, Arrival::Poisson { rate: 120.0 });
    w.retry = Some(ClientRetry {
        max_attempts: 3,
        backoff: Dist::Exp { mean: 0.2 },
    });
    let mut s = scenario(
        simulation(300, 20, seed),
        vec![
            w,
            workload("direct", Target::Lambda(0), Arrival::Poisson { rate: 10.0 }),
        ],
        vec![f],
    );
    let mut a = api("api", 100.0, 50.0, 1.0, 0);
    a.latency = Dist::Uniform {
        lo: 0.001,
        hi: 0.01,
    };
    s.apis = vec![a];
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 150.0,
            wcu: 10.0,
        },
    );
    t.burst_seconds = 5.0;
    s.tables = vec![t];
    s
}

fn fingerprint(seed: u64) -> (String, String) {
    let mut r = run(&busy_scenario(seed));
    r.wall_seconds = 0.0;
    let json = serde_json::to_string(&r).unwrap();
    let ts = format!("{:?}", r.timeseries);
    (json, ts)
}

#[test]
fn same_seed_same_result() {
    let (a_json, a_ts) = fingerprint(7);
    let (b_json, b_ts) = fingerprint(7);
    assert_eq!(a_json, b_json);
    assert_eq!(a_ts, b_ts);
    // The scenario exercises what it should.
    let r: serde_json::Value = serde_json::from_str(&a_json).unwrap();
    assert!(r["apis"]["api"]["throttled"].as_u64().unwrap() > 0);
    assert!(r["tables"]["t"]["throttled"].as_u64().unwrap() > 0);
    assert!(r["workloads"]["w"]["retries"].as_u64().unwrap() > 0);
}

#[test]
fn different_seed_different_result() {
    let (a_json, a_ts) = fingerprint(7);
    let (b_json, b_ts) = fingerprint(8);
    assert_ne!(a_json, b_json);
    assert_ne!(a_ts, b_ts);
}

/// Random streams are per component: adding an unrelated workload and
/// function leaves an existing workload's arrivals and its function's
/// draws unchanged (common random numbers across what-if variants).
#[test]
fn streams_are_per_component() {
    let base = || {
        let f = lambda("f", vec![Step::Io(Dist::Exp { mean: 0.2 })]);
        scenario(
            simulation(200, 0, 9),
            vec![workload(
                "w",
                Target::Lambda(0),
                Arrival::Poisson { rate: 30.0 },
            )],
            vec![f],
        )
    };
    let a = run(&base());
    let mut s = base();
    s.workloads.push(workload(
        "x",
        Target::Lambda(1),
        Arrival::Poisson { rate: 50.0 },
    ));
    s.lambdas
        .push(lambda("g", vec![Step::Io(Dist::Const(0.1))]));
    let b = run(&s);
    let key = |r: &slsim::sim::RunResult| {
        (
            serde_json::to_string(&r.workloads["w"]).unwrap(),
            serde_json::to_string(&r.functions["f"]).unwrap(),
        )
    };
    assert_eq!(key(&a), key(&b));
}
