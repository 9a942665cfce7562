//! API Gateway against theory and hand computations: the account bucket
//! shared by every API, stage and route buckets inside it, usage-plan keys
//! and quotas, the Lambda authorizer and its cache, and the bill (429s not
//! charged, data transfer out, Cognito MAUs).

use crate::common::stats::*;
use crate::common::theory::token_bucket_reject;
use crate::common::*;
use slsim::cost::MONTH_SECONDS;
use slsim::dist::Dist;
use slsim::engine::{SimDuration, SECONDS};
use slsim::model::*;
use slsim::workload::Arrival;

/// A 1 ms function.
fn quick(name: &str) -> Lambda {
    lambda(name, vec![Step::Io(Dist::Const(0.001))])
}

/// An API with no stage limits and no overhead, one route per function in
/// `targets`.
fn open_api(name: &str, targets: &[usize]) -> Api {
    let routes = targets
        .iter()
        .enumerate()
        .map(|(i, &t)| ApiRoute::new(&format!("GET /r{i}"), t, false))
        .collect();
    Api {
        latency: Dist::Const(0.0),
        ..Api::new(name, ApiType::Rest, routes)
    }
}

/// Every request ends in exactly one state.
fn conserved(r: &slsim::sim::RunResult) {
    for (n, w) in &r.workloads {
        assert_eq!(
            w.requests,
            w.succeeded + w.throttled + w.failed + w.timed_out + w.in_flight,
            "{n}: conservation {w:?}"
        );
    }
}

/// Admitted requests of an API.
fn admitted(r: &slsim::sim::RunResult, api: &str) -> u64 {
    let a = &r.apis[api];
    a.requests - a.throttled
}

/// Two APIs, each offered 8,000 rps for T = 20 s, no limits of their own:
/// the account's one bucket (10,000 rps, 5,000) serves at most
/// 5,000 + 10,000 T together, and, overloaded throughout, within a Poisson
/// deviation of it. Each API gets about half.
#[test]
fn two_apis_share_the_account_bucket() {
    let t = 20.0;
    let mut s = scenario(
        simulation(22, 0, 71),
        vec![
            api_workload("w0", 0, poisson_until(8000.0, t)),
            api_workload("w1", 1, poisson_until(8000.0, t)),
        ],
        vec![quick("f0"), quick("f1")],
    );
    s.simulation.account_concurrency = 5000;
    s.apis = vec![open_api("a0", &[0]), open_api("a1", &[1])];
    let r = run(&s);
    conserved(&r);
    let (a0, a1) = (admitted(&r, "a0"), admitted(&r, "a1"));
    let served = (a0 + a1) as f64;
    let bound = 5000.0 + 10_000.0 * t;
    eprintln!("CHECK | shared account bucket | <= {bound} | {served} | | |");
    assert!(served <= bound + 1.0, "served {served} > {bound}");
    // Offered 16,000/s against 10,000/s, the bucket never refills to full
    // after the first second: what it gives out is the bound less less
    // than a token, up to the Poisson noise of the offered count.
    let offered = (r.apis["a0"].requests + r.apis["a1"].requests) as f64;
    check(
        "shared account bucket served",
        bound,
        served,
        offered as u64,
        bound.sqrt(),
        Z,
    );
    assert!(r.apis["a0"].throttled_by["account"] > 0);
    check(
        "shared bucket: api a0's share",
        0.5,
        a0 as f64 / served,
        served as u64,
        binomial_se(0.5, served as u64),
        Z,
    );
    // Before: each API had its own bucket and served 8,000/s.
    assert!(served < 0.7 * offered);
}

/// A raised account limit is one `[simulation]` setting away.
#[test]
fn the_account_limit_is_configurable() {
    let t = 10.0;
    let mut s = scenario(
        simulation(11, 0, 72),
        vec![api_workload("w", 0, poisson_until(3000.0, t))],
        vec![quick("f")],
    );
    s.simulation.api_account = Throttle {
        rate: 1000.0,
        burst: 200.0,
    };
    s.simulation.timeseries_interval = SECONDS;
    s.apis = vec![open_api("a", &[0])];
    let r = run(&s);
    let served = admitted(&r, "a") as f64;
    let bound = 200.0 + 1000.0 * t;
    assert!(served <= bound + 1.0);
    check(
        "configured account bucket",
        bound,
        served,
        r.apis["a"].requests,
        bound.sqrt(),
        Z,
    );
    // The time series count the same requests and 429s, beside the limit.
    let dt = r.timeseries.interval_s;
    let total = |m: &str| series(&r, "a", m).iter().map(|v| v * dt).sum::<f64>();
    let a = &r.apis["a"];
    assert!((total("requests_rps") - a.requests as f64).abs() < 1e-6);
    assert!((total("throttled_rps") - a.throttled as f64).abs() < 1e-6);
    assert!(a.throttled > 0);
    assert!(series(&r, "a", "rate_limit").iter().all(|&v| v == 1000.0));
}

/// A stage of 100/s (burst 50) with a route limited to 30/s (burst 10),
/// each of two routes offered 100/s for 200 s: the route serves 10 + 30 T,
/// the stage 50 + 100 T in all (the other route takes the rest).
#[test]
fn route_limits_sit_inside_the_stage() {
    let t = 200.0;
    let mut w = api_workload("w", 0, poisson_until(200.0, t));
    w.routes = vec![(0, 0.5), (1, 0.5)];
    let mut s = scenario(simulation(202, 0, 73), vec![w], vec![quick("f")]);
    let mut a = open_api("a", &[0, 0]);
    a.stage = Some(Throttle {
        rate: 100.0,
        burst: 50.0,
    });
    a.routes[0].limit = Some(Throttle {
        rate: 30.0,
        burst: 10.0,
    });
    s.apis = vec![a];
    let r = run(&s);
    conserved(&r);
    let w = &r.workloads["w"];
    let route0 = w.routes["GET /r0"].succeeded as f64;
    let total = admitted(&r, "a") as f64;
    let (b_route, b_stage) = (10.0 + 30.0 * t, 50.0 + 100.0 * t);
    assert!(route0 <= b_route + 1.0 && total <= b_stage + 1.0);
    check(
        "route bucket served",
        b_route,
        route0,
        w.routes["GET /r0"].requests,
        b_route.sqrt(),
        Z,
    );
    check(
        "stage bucket served",
        b_stage,
        total,
        w.requests,
        b_stage.sqrt(),
        Z,
    );
    let by = &r.apis["a"].throttled_by;
    assert!(by["route"] > 0 && by["stage"] > 0, "{by:?}");
    assert_eq!(by.values().sum::<u64>(), r.apis["a"].throttled);
}

/// Usage plan: 4 keys of 10/s (burst 5), Poisson 60/s spread uniformly
/// over them: each key sees Poisson 15/s, so the rejected fraction is the
/// fluid token bucket's for (15, 10, 5).
#[test]
fn api_keys_throttle_like_one_bucket_each() {
    let lambda_ = 60.0;
    let mut s = scenario(
        simulation(20_000, 100, 74),
        vec![api_workload("w", 0, Arrival::Poisson { rate: lambda_ })],
        vec![quick("f")],
    );
    let mut a = open_api("a", &[0]);
    a.usage_plan = Some(UsagePlan {
        keys: 4,
        limit: Some(Throttle {
            rate: 10.0,
            burst: 5.0,
        }),
        quota: None,
    });
    s.apis = vec![a];
    let r = run(&s);
    conserved(&r);
    let st = &r.apis["a"];
    assert_eq!(st.throttled, st.throttled_by["api_key"]);
    let bad = measured(&r, series(&r, "w", "unsuccessful_rps"));
    let all = measured(&r, series(&r, "w", "rps"));
    let (_, se) = batch_ratio(&bad, &all, BATCHES);
    check_fraction(
        "api key bucket rejected",
        token_bucket_reject(lambda_ / 4.0, 10.0, 5.0),
        st.throttled as f64 / st.requests as f64,
        st.requests,
        se,
    );
}

/// A quota of 100 requests per key per day, 2 keys, ~1,000 requests: each
/// key admits exactly 100, the rest get 429.
#[test]
fn quotas_admit_exactly_their_count() {
    let mut s = scenario(
        simulation(1100, 0, 75),
        vec![api_workload("w", 0, poisson_until(1.0, 1000.0))],
        vec![quick("f")],
    );
    let mut a = open_api("a", &[0]);
    a.usage_plan = Some(UsagePlan {
        keys: 2,
        limit: None,
        quota: Some((100, QuotaPeriod::Day)),
    });
    s.apis = vec![a];
    let r = run(&s);
    conserved(&r);
    let st = &r.apis["a"];
    assert!(st.requests > 600, "{}", st.requests);
    assert_eq!(admitted(&r, "a"), 200);
    assert_eq!(st.throttled_by["quota"], st.requests - 200);
    assert_eq!(r.workloads["w"].status["429"], st.requests - 200);
}

/// A Lambda authorizer with a result cache: each of N identities (Poisson
/// lambda / N each) is authorised once per renewal cycle of TTL + the wait
/// for its next request + the authorizer's own time, so the invokes are
/// about N T / (TTL + N / lambda); every admitted request is an invoke or a
/// cache hit; the authorizer function's invocations are the invokes.
#[test]
fn authorizer_results_are_cached_per_identity() {
    let (rate, n, ttl, t) = (20.0, 50u32, 60.0, 7200.0);
    let mut s = scenario(
        simulation(7200, 0, 76),
        vec![api_workload("w", 0, Arrival::Poisson { rate })],
        vec![
            quick("f"),
            lambda("authz", vec![Step::Io(Dist::Const(0.005))]),
        ],
    );
    let mut a = open_api("a", &[0]);
    a.auth = Some(Auth::Lambda {
        function: 1,
        cache_ttl: (ttl * 1e9) as SimDuration,
        identities: n,
    });
    s.apis = vec![a];
    let r = run(&s);
    conserved(&r);
    let st = &r.apis["a"];
    let invokes = st.authorizer_invokes;
    assert_eq!(
        invokes + st.authorizer_cache_hits,
        st.requests - st.throttled
    );
    assert_eq!(r.functions["authz"].invocations, invokes);
    assert_eq!(r.functions["f"].invocations, st.requests);
    // Cycle: TTL, then the wait for the identity's next request, then the
    // authorizer's time (5 ms, a 0.5 s cold start the first time).
    let cycle = ttl + n as f64 / rate + 0.005;
    let theory = n as f64 * t / cycle;
    check(
        "authorizer invokes",
        theory,
        invokes as f64,
        st.requests,
        theory.sqrt(),
        Z,
    );
}

/// Without a cache (ttl 0) every admitted request invokes the authorizer;
/// an authorizer that fails makes every request a 500; one that is
/// throttled (reserved concurrency 1, busy 1 s) too.
#[test]
fn authorizer_failures_are_500s() {
    let build = |authz: Lambda, ttl: SimDuration| {
        let mut s = scenario(
            simulation(300, 0, 77),
            vec![api_workload("w", 0, poisson_until(20.0, 290.0))],
            vec![quick("f"), authz],
        );
        let mut a = open_api("a", &[0]);
        a.auth = Some(Auth::Lambda {
            function: 1,
            cache_ttl: ttl,
            identities: 10,
        });
        s.apis = vec![a];
        s
    };
    let r = run(&build(quick("authz"), 0));
    conserved(&r);
    let st = &r.apis["a"];
    assert_eq!(st.authorizer_invokes, st.requests);
    assert_eq!(r.workloads["w"].succeeded, st.requests);

    let r = run(&build(
        lambda("authz", vec![Step::Fail(1.0)]),
        300 * SECONDS,
    ));
    conserved(&r);
    let w = &r.workloads["w"];
    assert_eq!(w.status["500"], w.requests);
    assert_eq!(w.failed, w.requests);
    assert_eq!(r.functions["f"].invocations, 0);

    let mut slow = lambda("authz", vec![Step::Io(Dist::Const(1.0))]);
    slow.reserved_concurrency = Some(1);
    let r = run(&build(slow, 0));
    conserved(&r);
    let w = &r.workloads["w"];
    assert!(r.functions["authz"].throttles > 0);
    assert_eq!(w.status["500"] + w.status["200"], w.requests - w.in_flight);
    assert_eq!(w.status["500"], r.functions["authz"].throttles);
}

/// 429s are not billed: a throttled API's cost is its admitted requests x
/// the REST price ($3.50 per million up to 333 M a month, prices/us-east-1
/// from aws-facts 4); data transfer out is the successful responses x
/// their size (20 KB) at $0.09/GB (aws-facts 10.2); Cognito is MAU x $0.015
/// (Essentials, aws-facts 10.4). Free tier off.
#[test]
fn the_bill_counts_admitted_requests_bytes_out_and_users() {
    let mut s = scenario(
        simulation(1000, 0, 78),
        vec![api_workload("w", 0, poisson_until(80.0, 1000.0))],
        vec![quick("f")],
    );
    let mut a = open_api("a", &[0]);
    a.stage = Some(Throttle {
        rate: 50.0,
        burst: 10.0,
    });
    a.routes[0].response_kb = 20.0;
    a.auth = Some(Auth::Builtin {
        latency: Dist::Const(0.0),
        cognito: Some(Cognito {
            plan: CognitoPlan::Essentials,
            mau: 40_000.0,
        }),
    });
    s.apis = vec![a];
    let r = run(&s);
    conserved(&r);
    let st = &r.apis["a"];
    let scale = MONTH_SECONDS / r.measured_seconds;
    let admitted = (st.requests - st.throttled) as f64;
    assert!(st.throttled as f64 > 0.3 * st.requests as f64);
    assert_eq!(st.billed_requests as f64, admitted);
    let monthly = admitted * scale;
    assert!(monthly < 333e6);
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.max(1.0);
    let api = r.cost.by_service["api_gateway"];
    assert!(
        close(api, monthly * 3.50 / 1e6),
        "{api} vs {}",
        monthly * 3.5e-6
    );
    let ok = r.workloads["w"].succeeded as f64;
    let gb = ok * 20.0 / 1024.0 / 1024.0 * scale;
    assert!(gb < 10_240.0);
    let dto = r.cost.by_service["data_transfer"];
    assert!(close(dto, gb * 0.09), "{dto} vs {}", gb * 0.09);
    assert!(close(r.cost.by_service["cognito"], 40_000.0 * 0.015));
}
