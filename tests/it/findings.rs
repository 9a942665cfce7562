//! Findings: three scenarios built to fail in three different places (an
//! API's throttle, a function's concurrency, a table's capacity); in each,
//! the workload's failure chain must begin at that component, and only
//! there, and the component's own finding must say what it reached.

use crate::common::*;
use slsim::dist::Dist;
use slsim::model::*;
use slsim::services::Finding;
use slsim::workload::Arrival;

fn about<'a>(r: &'a slsim::sim::RunResult, topic: &str, component: &str) -> Vec<&'a Finding> {
    r.findings
        .iter()
        .filter(|f| f.topic == topic && f.component == component)
        .collect()
}

/// The workload's failure finding: its first chain (the largest) begins at
/// `cause`, and no chain begins anywhere else.
fn fails_at(r: &slsim::sim::RunResult, cause: &str, what: &str) {
    let f = about(r, "failures", "workload w");
    assert_eq!(f.len(), 1, "one failure finding: {:#?}", r.findings);
    let msg = &f[0].message;
    let chains: Vec<&str> = msg
        .split_once(": ")
        .expect("chains")
        .1
        .split("; ")
        .collect();
    assert!(chains[0].contains(&format!("<- {cause} {what}")), "{msg}");
    for c in &chains {
        assert!(c.contains(&format!("<- {cause} ")), "{msg}");
    }
}

/// An API limited to 50 requests/s (burst 10) offered 200/s of 5 ms work:
/// the failures begin at the API's throttle (429); nothing else fails.
#[test]
fn an_api_throttle_is_named() {
    let f = lambda("f", vec![Step::Io(Dist::Const(0.005))]);
    let mut s = scenario(
        simulation(60, 5, 81),
        vec![api_workload("w", 0, Arrival::Poisson { rate: 200.0 })],
        vec![f],
    );
    s.apis = vec![api("gw", 50.0, 10.0, 29.0, 0)];
    let r = run(&s);
    fails_at(&r, "api gw", "throttled the request (429)");
    assert!(about(&r, "throttles", "function f").is_empty());
}

/// A function reserved at 5 whose requests hold it 1 s, offered 20/s: the
/// failures begin at the function's throttle (concurrency, not a rate
/// limit: 10 x 5 = 50/s is above 20/s), and its peak concurrency is 5 of 5.
#[test]
fn a_function_concurrency_limit_is_named() {
    let mut f = lambda("f", vec![Step::Io(Dist::Const(1.0))]);
    f.reserved_concurrency = Some(5);
    let s = scenario(
        simulation(120, 10, 82),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 20.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    fails_at(&r, "function f", "throttled the invocation");
    let t = about(&r, "throttles", "function f");
    assert_eq!(t.len(), 1);
    assert!(
        t[0].message.contains(" 0 over a request-rate limit"),
        "{}",
        t[0].message
    );
    let c = about(&r, "concurrency", "function f");
    assert_eq!(c.len(), 1);
    assert!(
        c[0].message
            .contains("peak concurrency 5 of its reserved concurrency 5 (100.0 %)"),
        "{}",
        c[0].message
    );
}

/// A table provisioned with 10 RCU read 100 times a second (0.5 RCU per
/// eventually consistent 4 KB read: 50 RCU/s): the SDK gives up, the
/// function fails, and the chain begins at the table; the capacity finding
/// shows a peak at or above the provisioned 10 RCU/s (burst credit lets a
/// second exceed it).
#[test]
fn a_table_capacity_limit_is_named() {
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 10.0,
            wcu: 10.0,
        },
    );
    t.consistency = Consistency::Eventual;
    let f = lambda("f", vec![get(0, 4.0)]);
    let mut s = scenario(
        simulation(600, 30, 83),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 100.0 },
        )],
        vec![f],
    );
    s.tables = vec![t];
    let r = run(&s);
    fails_at(&r, "table t", "throttled until the SDK gave up");
    // The throttles, per attempt and per request; at 10x the capacity the
    // SDK's retry quota runs dry too, which has its own finding.
    let th = about(&r, "throttles", "table t");
    let per = |f: &&&Finding| f.message.contains("(per attempt)");
    assert_eq!(th.iter().filter(per).count(), 1, "{th:#?}");
    assert!(th
        .iter()
        .filter(per)
        .all(|f| f.message.contains("(per request)")));
    assert!(
        th.iter().any(|f| f.message.contains("retry quota ran dry")),
        "{th:#?}"
    );
    let cap = about(&r, "capacity", "table t");
    assert_eq!(cap.len(), 1, "reads only: {cap:#?}");
    let pct: f64 = cap[0]
        .message
        .rsplit_once(": ")
        .and_then(|(_, p)| p.split(" %").next())
        .and_then(|p| p.parse().ok())
        .expect("a percentage");
    assert!(pct >= 100.0, "{}", cap[0].message);
    // No function throttle: the function failed because of the table.
    assert!(about(&r, "throttles", "function f").is_empty());
}
