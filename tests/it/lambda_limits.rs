//! Lambda's limits a planner relies on: the account's invocation rate
//! (10 x the account concurrency per second, shared), a function's own
//! rate (10 x its reservation; 10,000 requests/s at first, 10,000 more
//! every 10 s), the provisioned-concurrency invoke rate, the maximum
//! lifetime of an environment, the 10 s init limit, and billing at least
//! 1 ms (aws-facts 1.1, 1.3, 1.10, 10.6).
//!
//! The rate limits count requests in one-second windows, so a window that
//! sees more offered requests than its limit serves exactly its limit:
//! those checks are exact, with the offered load far enough above the limit
//! that an unsaturated window has probability below 1e-40 (Poisson tail).

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// A 1 ms function with an instant cold start (so that cold starts do
/// not hold environments while the limits are measured).
fn short(name: &str) -> Lambda {
    Lambda {
        init: Dist::Const(0.0),
        ..lambda(name, vec![Step::Io(Dist::Const(0.001))])
    }
}

/// Invocations per one-second bucket of function `f`.
fn per_second(r: &slsim::sim::RunResult, f: &str) -> Vec<f64> {
    series(r, f, "invocations").to_vec()
}

/// Account concurrency 200 caps all functions together at 2,000
/// invocations/s, although each could take 2,000 on its own (10 x 200)
/// and neither is near its concurrency limit (1 ms x 2,000/s = 2 busy).
#[test]
fn the_account_rate_is_shared_by_all_functions() {
    let secs = 30;
    let mut sim = simulation(secs, 0, 71);
    sim.account_concurrency = 200;
    sim.timeseries_interval = SECONDS;
    let s = scenario(
        sim,
        vec![
            workload("a", Target::Lambda(0), Arrival::Poisson { rate: 1500.0 }),
            workload("b", Target::Lambda(1), Arrival::Poisson { rate: 1500.0 }),
        ],
        vec![short("f"), short("g")],
    );
    let r = run(&s);
    let (f, g) = (&r.functions["f"], &r.functions["g"]);
    let served = f.invocations + g.invocations;
    check(
        "account rate: served = 10 x 200 per second",
        (2000 * secs) as f64,
        served as f64,
        served,
        0.0,
        0.0,
    );
    let (a, b) = (per_second(&r, "f"), per_second(&r, "g"));
    for t in 0..secs as usize {
        assert_eq!(a[t] + b[t], 2000.0, "second {t}");
    }
    // Every rejection was a rate throttle, none a concurrency throttle.
    let offered = r.workloads["a"].requests + r.workloads["b"].requests;
    assert_eq!(f.throttles + g.throttles, offered - served);
    assert_eq!(f.rate_throttles + g.rate_throttles, offered - served);
    assert!(f.max_concurrency < 50 && g.max_concurrency < 50);
}

/// A reservation of 10 caps a function at 100 invocations/s (10 x 10),
/// although 1 ms invocations would let 10 environments serve 10,000/s.
#[test]
fn a_reserved_function_is_capped_at_10x_its_reservation() {
    let secs = 20;
    let mut f = short("f");
    f.reserved_concurrency = Some(10);
    let mut sim = simulation(secs, 0, 72);
    sim.timeseries_interval = SECONDS;
    let s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 300.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    check(
        "reserved 10: served = 100 per second",
        (100 * secs) as f64,
        f.invocations as f64,
        f.invocations,
        0.0,
        0.0,
    );
    assert_eq!(f.rate_throttles, r.workloads["w"].requests - f.invocations);
}

/// The RPS part of the scaling rule: a function offered 30,000 requests/s
/// serves 10,000 in its first second and 1,000 more in every following
/// second (10,000 more every 10 s): 10,000 + 1,000 t in second t, exactly,
/// up to 10 x its concurrency ceiling (here 10 x 20,000).
#[test]
fn the_function_rate_scales_by_10000_every_10s() {
    let secs = 12;
    let mut sim = simulation(secs, 0, 73);
    sim.account_concurrency = 20_000;
    sim.timeseries_interval = SECONDS;
    let s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 30_000.0 },
        )],
        vec![short("f")],
    );
    let r = run(&s);
    let per = per_second(&r, "f");
    for (t, &n) in per.iter().enumerate().take(secs as usize) {
        check(
            &format!("function rate in second {t}"),
            (10_000 + 1_000 * t) as f64,
            n,
            n as u64,
            0.0,
            0.0,
        );
    }
}

/// Provisioned concurrency 5 takes at most 50 invocations/s (10 x 5); the
/// rest spill over to on-demand environments, so all 200/s are served.
#[test]
fn provisioned_environments_take_at_most_10x_their_number_per_second() {
    let secs = 30;
    let mut f = short("f");
    f.provisioned_concurrency = 5;
    let mut sim = simulation(secs, 0, 74);
    sim.timeseries_interval = SECONDS;
    let s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 200.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    // Each invocation bills exactly 1 ms of 1,769 MB.
    let gb_ms = 1769.0 / 1024.0 * 1e-3;
    let on_pc = (f.provisioned_gb_seconds / gb_ms).round();
    let on_demand = (f.gb_seconds / gb_ms).round();
    check(
        "PC invoke rate: 10 x 5 per second",
        (50 * secs) as f64,
        on_pc,
        on_pc as u64,
        0.0,
        0.0,
    );
    assert_eq!(f.throttles, 0);
    assert_eq!(on_pc + on_demand, f.invocations as f64);
    assert_eq!(f.invocations, r.workloads["w"].requests);
}

/// A 0 ms invocation bills 1 ms (aws-facts 1.10: 1 ms granularity).
#[test]
fn a_zero_ms_invocation_bills_1ms() {
    let mut f = short("f");
    f.steps = vec![Step::Io(Dist::Const(0.0))];
    let s = scenario(
        simulation(10, 0, 75),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 50.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    assert!(f.invocations > 300);
    let expected = f.invocations as f64 * 1e-3 * 1769.0 / 1024.0;
    assert!(
        (f.gb_seconds - expected).abs() <= 1e-9 * expected,
        "{} GB-s, expected {expected}",
        f.gb_seconds
    );
}

/// Steady load with a maximum lifetime L adds about one cold start per
/// environment per L. Requests hold an environment 0.2 s at 40/s (8 busy
/// on average), least-recently-used routing spreads them over every live
/// environment, and the keep-alive (1 h) never expires one; so without a
/// maximum lifetime the cold starts are only the initial ramp, and with
/// L = 10 min each live environment is replaced once per L: extra cold
/// starts = mean environments x T / L. Tolerance: Z x sqrt(extra)
/// (Poisson-like count) plus one replacement per environment for the
/// run's end (an environment whose L falls past the end is not replaced).
#[test]
fn a_maximum_lifetime_adds_one_cold_start_per_environment_per_lifetime() {
    let secs = 2 * 3600;
    let l_s = 600;
    let make = |lifetime: Option<u64>| {
        let mut f = lambda("f", vec![Step::Io(Dist::Const(0.2))]);
        f.keep_alive = 3600 * SECONDS;
        f.routing = Routing::Lru;
        f.max_lifetime = lifetime.map(|s| s * SECONDS);
        scenario(
            simulation(secs, 0, 76),
            vec![workload(
                "w",
                Target::Lambda(0),
                Arrival::Poisson { rate: 40.0 },
            )],
            vec![f],
        )
    };
    let never = run(&make(None));
    let with = run(&make(Some(l_s)));
    let (a, b) = (&never.functions["f"], &with.functions["f"]);
    let extra = b.cold_starts as f64 - a.cold_starts as f64;
    let envs = b.mean_environments;
    let theory = envs * secs as f64 / l_s as f64;
    check(
        "extra cold starts per environment per max_lifetime",
        theory,
        extra,
        b.cold_starts,
        theory.sqrt(),
        Z + envs / theory.sqrt(),
    );
}

/// An on-demand init longer than 10 s is stopped at 10 s and runs again
/// inside the first invoke, under the function timeout: 12 s of init with a
/// 30 s timeout answers after 10 + 12 s plus the 1 ms step; with a 5 s
/// timeout the invocation times out at 10 + 5 s. SnapStart's limit is
/// 130 s: a 12 s restore takes 12 s.
#[test]
fn init_over_10s_runs_again_inside_the_invoke() {
    let one = |timeout_s: u64, snap: bool| {
        let mut f = short("f");
        f.init = Dist::Const(12.0);
        f.timeout = timeout_s * SECONDS;
        f.snap_start = snap;
        // One request, at 30 s.
        let w = workload(
            "w",
            Target::Lambda(0),
            Arrival::Constant { rate: 1.0 / 30.0 },
        );
        let s = scenario(simulation(59, 0, 77), vec![w], vec![f]);
        run(&s)
    };
    let ok = one(30, false);
    let w = &ok.workloads["w"];
    assert_eq!((w.requests, w.succeeded), (1, 1));
    let p50 = w.latency_ms.p50.expect("one latency");
    assert!((p50 - 22_001.0).abs() < 22.0, "latency {p50} ms");
    let late = one(5, false);
    let w = &late.workloads["w"];
    assert_eq!((w.requests, w.timed_out), (1, 1));
    // Timed out at 10 + 5 s: billed 15 s of 1,769 MB.
    let gb_s = late.functions["f"].gb_seconds;
    let expected = 15.0 * 1769.0 / 1024.0;
    assert!(
        (gb_s - expected).abs() < 1e-9,
        "{gb_s} GB-s, expected {expected}"
    );
    let snap = one(30, true);
    let p50 = snap.workloads["w"].latency_ms.p50.expect("one latency");
    assert!((p50 - 12_001.0).abs() < 12.0, "latency {p50} ms");
}

/// A provisioned environment re-initialises after `max_lifetime` and that
/// init is billed (aws-facts 1.1). Four provisioned environments, 2 s
/// init, L = 10 min, least-recently-used routing at 5 requests/s (each
/// environment is picked about every 0.8 s, so it re-initialises within a
/// second of expiring): each re-initialises once per L + 2 s, i.e.
/// floor((T - L) / (L + 2 s)) + 1 = 11 times in 2 h, give or take the one
/// at the end. The bill is exact: every GB-s billed is 100 ms per
/// invocation or 2 s per cold start or re-initialisation.
#[test]
fn provisioned_reinitialisation_is_counted_and_billed() {
    let secs = 2 * 3600;
    let mut f = lambda("f", vec![Step::Io(Dist::Const(0.1))]);
    f.init = Dist::Const(2.0);
    f.provisioned_concurrency = 4;
    f.routing = Routing::Lru;
    f.max_lifetime = Some(600 * SECONDS);
    let s = scenario(
        simulation(secs, 0, 77),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 5.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    let per_env = (secs - 600) / 602 + 1;
    assert!(
        f.provisioned_reinits.abs_diff(4 * per_env) <= 4,
        "{} re-inits, expected about {}",
        f.provisioned_reinits,
        4 * per_env
    );
    let gb = 1769.0 / 1024.0;
    let billed = f.gb_seconds + f.provisioned_gb_seconds;
    let expected =
        gb * (0.1 * f.invocations as f64 + 2.0 * (f.cold_starts + f.provisioned_reinits) as f64);
    assert!(
        (billed - expected).abs() <= 1e-9 * expected,
        "{billed} GB-s billed, expected {expected}"
    );
}
