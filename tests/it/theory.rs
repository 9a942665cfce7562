//! The simulator against queueing theory: Erlang B (insensitivity), the
//! single-environment cold-start model, the API Gateway token bucket,
//! Little's law, and the Lambda CPU share.

use crate::common::stats::*;
use crate::common::theory::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// Mean-1 service-time distributions for the insensitivity check.
fn service(kind: &str) -> Dist {
    match kind {
        "exp" => Dist::Exp { mean: 1.0 },
        "const" => Dist::Const(1.0),
        // E = exp(mu + sigma^2 / 2) = 1.
        "lognormal" => Dist::LogNormal {
            mu: -0.5,
            sigma: 1.0,
        },
        _ => unreachable!(),
    }
}

/// c environments, all provisioned (so no cold starts) and reserved (so no
/// spill-over): an M/G/c/c loss system; throttled fraction = Erlang B.
fn erlang_b_case(c: u32, a: f64, kind: &str, duration_s: u64, seed: u64) {
    let mut f = lambda("f", vec![Step::Io(service(kind))]);
    f.reserved_concurrency = Some(c);
    f.provisioned_concurrency = c;
    let s = scenario(
        simulation(duration_s, 100, seed),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: a },
        )],
        vec![f],
    );
    let r = run(&s);
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    assert_eq!(f.cold_starts, 0);
    assert_eq!(w.throttled, f.throttles);
    let thr = measured(&r, series(&r, "f", "throttles"));
    let inv = measured(&r, series(&r, "f", "invocations"));
    let calls: Vec<f64> = thr.iter().zip(&inv).map(|(t, i)| t + i).collect();
    let (_, se) = batch_ratio(&thr, &calls, BATCHES);
    let n = f.throttles + f.invocations;
    let sim = f.throttles as f64 / n as f64;
    check_fraction(
        &format!("erlang_b c={c} A={a} {kind}"),
        erlang_b(c, a),
        sim,
        n,
        se,
    );
}

#[test]
fn erlang_b_c10_exp() {
    erlang_b_case(10, 8.0, "exp", 200_000, 11);
}
#[test]
fn erlang_b_c10_const() {
    erlang_b_case(10, 8.0, "const", 200_000, 12);
}
#[test]
fn erlang_b_c10_lognormal() {
    erlang_b_case(10, 8.0, "lognormal", 200_000, 13);
}
#[test]
fn erlang_b_c50_exp() {
    erlang_b_case(50, 60.0, "exp", 40_000, 14);
}
#[test]
fn erlang_b_c50_const() {
    erlang_b_case(50, 60.0, "const", 40_000, 15);
}
#[test]
fn erlang_b_c50_lognormal() {
    erlang_b_case(50, 60.0, "lognormal", 40_000, 16);
}

/// One environment (reserved concurrency 1), keep-alive 10 s, init 0.5 s:
/// see `single_env_cold_start` for the closed forms.
#[test]
fn cold_start_single_environment() {
    let (lambda_, mean, init, keep) = (0.1, 1.0, 0.5, 10.0);
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean })]);
    f.reserved_concurrency = Some(1);
    f.init = Dist::Const(init);
    f.keep_alive = 10 * SECONDS;
    let s = scenario(
        simulation(5_000_000, 1000, 2),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: lambda_ },
        )],
        vec![f],
    );
    let r = run(&s);
    let (p_thr, p_cold) = single_env_cold_start(lambda_, mean, init, keep);
    let w = &r.workloads["w"];
    let f = &r.functions["f"];
    let thr = measured(&r, series(&r, "f", "throttles"));
    let inv = measured(&r, series(&r, "f", "invocations"));
    let cold = measured(&r, series(&r, "f", "cold_starts"));
    let calls: Vec<f64> = thr.iter().zip(&inv).map(|(t, i)| t + i).collect();
    let (_, se_thr) = batch_ratio(&thr, &calls, BATCHES);
    let (_, se_cold) = batch_ratio(&cold, &inv, BATCHES);
    check_fraction(
        "cold_start P(throttled)",
        p_thr,
        w.throttled as f64 / w.requests as f64,
        w.requests,
        se_thr,
    );
    check_fraction(
        "cold_start P(cold | admitted)",
        p_cold,
        f.cold_starts as f64 / f.invocations as f64,
        f.invocations,
        se_cold,
    );
    // Time averages over the same regenerative cycle (busy B, then idle
    // until the next arrival, the environment living min(T, K) of it):
    // busy share = E[B] / (E[B] + 1/lambda) (= P(throttled) by PASTA);
    // live share = (E[B] + E[min(T, K)]) / (E[B] + 1/lambda) with
    // E[min(T, K)] = (1 - exp(-lambda K)) / lambda.
    let eb = mean + init * p_cold;
    let cycle = eb + 1.0 / lambda_;
    let live = (eb + (1.0 - (-lambda_ * keep).exp()) / lambda_) / cycle;
    let (_, se_busy) = batch_mean(&measured(&r, series(&r, "f", "concurrency")), BATCHES);
    let (_, se_live) = batch_mean(&measured(&r, series(&r, "f", "environments")), BATCHES);
    check(
        "cold_start mean busy envs",
        eb / cycle,
        f.mean_concurrency,
        f.invocations,
        se_busy,
        Z,
    );
    check(
        "cold_start mean live envs",
        live,
        f.mean_environments,
        f.invocations,
        se_live,
        Z,
    );
}

/// API Gateway rate 10/s, burst 5, Poisson 8/s in front of a function with
/// ample concurrency: the rejected fraction of a fluid token bucket.
#[test]
fn api_token_bucket() {
    let (rate, burst, lambda_) = (10.0, 5.0, 8.0);
    let f = lambda("f", vec![Step::Io(Dist::Const(0.01))]);
    let mut s = scenario(
        simulation(200_000, 100, 3),
        vec![api_workload("w", 0, Arrival::Poisson { rate: lambda_ })],
        vec![f],
    );
    s.apis = vec![api("api", rate, burst, 29.0, 0)];
    let r = run(&s);
    let a = &r.apis["api"];
    assert_eq!(r.functions["f"].throttles, 0);
    let bad = measured(&r, series(&r, "w", "unsuccessful_rps"));
    let all = measured(&r, series(&r, "w", "rps"));
    let (_, se) = batch_ratio(&bad, &all, BATCHES);
    let theory = token_bucket_reject(lambda_, rate, burst);
    check_fraction(
        "api token bucket rejected",
        theory,
        a.throttled as f64 / a.requests as f64,
        a.requests,
        se,
    );
}

/// M/M/infinity: mean busy environments = lambda E[S] (init 0 so an
/// environment is busy exactly for the service time).
#[test]
fn little_mm_infinity() {
    let (lambda_, mean) = (50.0, 1.0);
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean })]);
    f.init = Dist::Const(0.0);
    let s = scenario(
        simulation(20_000, 100, 4),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: lambda_ },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    assert_eq!(f.throttles, 0);
    let (_, se) = batch_mean(&measured(&r, series(&r, "f", "concurrency")), BATCHES);
    check(
        "little M/M/inf mean busy",
        lambda_ * mean,
        f.mean_concurrency,
        f.invocations,
        se,
        Z,
    );
}

/// Little's law L = lambda W for a function with cold starts, a DynamoDB
/// call and mixed compute / I/O steps: W = init share + run duration.
#[test]
fn little_mixed_function() {
    let mut f = lambda(
        "f",
        vec![
            Step::Compute {
                dist: Dist::Exp { mean: 0.05 },
                threads: 1.0,
            },
            get(0, 4.0),
            Step::Io(Dist::Uniform { lo: 0.01, hi: 0.2 }),
            Step::Io(Dist::LogNormal {
                mu: -3.0,
                sigma: 0.8,
            }),
        ],
    );
    f.memory_mb = 1024;
    f.init = Dist::Uniform { lo: 0.2, hi: 0.8 };
    f.keep_alive = 2 * SECONDS;
    let mut s = scenario(
        simulation(20_000, 100, 5),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 20.0 },
        )],
        vec![f],
    );
    let mut t = table(
        "t",
        Capacity::OnDemand {
            initial_read_peak: 1000.0,
            initial_write_peak: 1000.0,
        },
    );
    t.read_latency = Dist::Uniform {
        lo: 0.003,
        hi: 0.009,
    };
    s.tables = vec![t];
    let r = run(&s);
    let f = &r.functions["f"];
    assert!(
        f.cold_starts > 1000,
        "want many cold starts: {}",
        f.cold_starts
    );
    assert_eq!(f.throttles, 0);
    let throughput = f.invocations as f64 / r.measured_seconds;
    let w = (f.mean_duration_ms.unwrap()
        + f.mean_init_ms.unwrap_or(0.0) * f.cold_starts as f64 / f.invocations as f64)
        / 1e3;
    let (_, se) = batch_mean(&measured(&r, series(&r, "f", "concurrency")), BATCHES);
    check(
        "little mixed L vs lambda*W",
        throughput * w,
        f.mean_concurrency,
        f.invocations,
        se,
        Z,
    );
    // And W itself against the step means: compute stretched by 1769/1024,
    // the table call, the two I/O steps (cold starts add init on top).
    let steps = 0.05 * 1769.0 / 1024.0 + 0.006 + 0.105 + (-3.0f64 + 0.32).exp();
    let dur = f.mean_duration_ms.unwrap() / 1e3;
    // The run durations are i.i.d.; their variance is the sum of the
    // independent steps' variances.
    let var_logn = (0.64f64.exp() - 1.0) * (-6.0f64 + 0.64).exp();
    let sd = ((0.05f64 * 1769.0 / 1024.0).powi(2)
        + 0.19f64.powi(2) / 12.0
        + 0.006f64.powi(2) / 12.0
        + var_logn)
        .sqrt();
    let se_dur = sd / (f.invocations as f64).sqrt();
    check(
        "mean run duration [s]",
        steps,
        dur,
        f.invocations,
        se_dur,
        Z,
    );
}

/// A single request of a constant CPU step: the share of a vCPU is
/// memory / 1769 MB, capped at the threads the code can use.
#[test]
fn cpu_scaling() {
    let one = |memory_mb: u32, threads: f64| -> f64 {
        let mut f = lambda(
            "f",
            vec![Step::Compute {
                dist: Dist::Const(1.0),
                threads,
            }],
        );
        f.memory_mb = memory_mb;
        let s = scenario(
            simulation(100, 0, 6),
            vec![workload(
                "w",
                Target::Lambda(0),
                Arrival::Steps(burst_at(1.0, 1.0, 5.0)),
            )],
            vec![f],
        );
        let r = run(&s);
        assert!(r.functions["f"].invocations > 0);
        r.functions["f"].mean_duration_ms.unwrap() / 1e3
    };
    // Durations are rounded to whole nanoseconds: tolerance 1 ns.
    let ns = 1e-9;
    let d512 = one(512, 1.0);
    let d1769 = one(1769, 1.0);
    let d3008_1 = one(3008, 1.0);
    let d3008_2 = one(3008, 2.0);
    check("cpu 1769 MB, 1 s of CPU", 1.0, d1769, 1, ns, 1.0);
    check(
        "cpu 512 MB / 1769 MB",
        1769.0 / 512.0,
        d512 / d1769,
        1,
        2.0 * ns * 1769.0 / 512.0,
        1.0,
    );
    check("cpu 3008 MB, threads=1", 1.0, d3008_1, 1, ns, 1.0);
    check(
        "cpu 3008 MB, threads=2",
        1769.0 / 3008.0,
        d3008_2,
        1,
        ns,
        1.0,
    );
    assert!(d3008_2 < d1769);
}

/// Erlang B on the on-demand path: reserved concurrency c, no provisioned
/// environments, keep-alive far longer than any idle gap, so after the
/// first c cold starts (in the warm-up) the c environments stay warm.
#[test]
fn erlang_b_on_demand_environments() {
    let (c, a) = (10, 8.0);
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.reserved_concurrency = Some(c);
    f.keep_alive = 3600 * SECONDS;
    let s = scenario(
        simulation(200_000, 100, 17),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: a },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    assert_eq!(f.cold_starts, 0, "all cold starts in the warm-up");
    let (n, sim, se) = throttle_fraction(&r, "f");
    check_fraction("erlang_b on-demand c=10 A=8", erlang_b(c, a), sim, n, se);
}

/// (calls, throttled fraction, batch SE) of function `name`.
fn throttle_fraction(r: &slsim::sim::RunResult, name: &str) -> (u64, f64, f64) {
    let f = &r.functions[name];
    let thr = measured(r, series(r, name, "throttles"));
    let inv = measured(r, series(r, name, "invocations"));
    let calls: Vec<f64> = thr.iter().zip(&inv).map(|(t, i)| t + i).collect();
    let (_, se) = batch_ratio(&thr, &calls, BATCHES);
    let n = f.throttles + f.invocations;
    (n, f.throttles as f64 / n as f64, se)
}

/// The account pool: a function with reserved concurrency 5 is its own
/// loss system, B(5, A1); two unreserved functions share the remaining
/// 25 - 5 = 20 and each sees B(20, A2 + A3) (Poisson arrivals see time
/// averages of the pooled occupancy).
#[test]
fn erlang_b_account_pool() {
    let (a1, a2, a3) = (4.0, 9.0, 7.0);
    let mk = |name: &str| {
        let mut f = lambda(name, vec![Step::Io(Dist::Exp { mean: 1.0 })]);
        f.keep_alive = 3600 * SECONDS;
        f
    };
    let mut f1 = mk("f1");
    f1.reserved_concurrency = Some(5);
    let mut sim = simulation(100_000, 100, 18);
    sim.account_concurrency = 25;
    let s = scenario(
        sim,
        vec![
            workload("w1", Target::Lambda(0), Arrival::Poisson { rate: a1 }),
            workload("w2", Target::Lambda(1), Arrival::Poisson { rate: a2 }),
            workload("w3", Target::Lambda(2), Arrival::Poisson { rate: a3 }),
        ],
        vec![f1, mk("f2"), mk("f3")],
    );
    let r = run(&s);
    let (n, sim, se) = throttle_fraction(&r, "f1");
    check_fraction(
        "erlang_b reserved 5 of 25, A=4",
        erlang_b(5, a1),
        sim,
        n,
        se,
    );
    for (name, label) in [("f2", "A=9"), ("f3", "A=7")] {
        let (n, sim, se) = throttle_fraction(&r, name);
        check_fraction(
            &format!("erlang_b shared 20, A=9+7, {label}"),
            erlang_b(20, a2 + a3),
            sim,
            n,
            se,
        );
    }
}

/// A synchronous invoke chain: `front` (unlimited) spends Exp(0.1 s) then
/// invokes `back` (c = 10 provisioned and reserved). Calls reach `back` as
/// a Poisson process (the output of M/G/infinity), so `back` throttles the
/// Erlang-B fraction, and each throttle fails the calling invocation.
#[test]
fn erlang_b_behind_an_invoke() {
    let (c, a) = (10, 8.0);
    let mut front = lambda(
        "front",
        vec![
            Step::Io(Dist::Exp { mean: 0.1 }),
            Step::Invoke { lambda: 1 },
            Step::Io(Dist::Const(0.01)),
        ],
    );
    front.init = Dist::Const(0.0);
    let mut back = lambda("back", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    back.reserved_concurrency = Some(c);
    back.provisioned_concurrency = c;
    let s = scenario(
        simulation(100_000, 100, 19),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: a },
        )],
        vec![front, back],
    );
    let r = run(&s);
    let (fr, bk, w) = (
        &r.functions["front"],
        &r.functions["back"],
        &r.workloads["w"],
    );
    let (n, sim, se) = throttle_fraction(&r, "back");
    check_fraction(
        "erlang_b behind invoke c=10 A=8",
        erlang_b(c, a),
        sim,
        n,
        se,
    );
    // Every throttle of `back` is an error of `front` (none in flight at
    // the measured edges matter to within the calls in flight).
    let in_flight = w.in_flight + fr.max_concurrency;
    assert!(
        fr.errors.abs_diff(bk.throttles) <= in_flight,
        "{} vs {}",
        fr.errors,
        bk.throttles
    );
    assert_eq!(w.failed, fr.errors);
    // Little's law on `front`: it is busy for its own steps plus `back`'s
    // service when admitted: E = 0.1 + (1 - B) * 1 + (1 - B) * 0.01.
    let b = erlang_b(c, a);
    let theory = a * (0.1 + (1.0 - b) * 1.01);
    let (_, se) = batch_mean(&measured(&r, series(&r, "front", "concurrency")), BATCHES);
    check(
        "little front of invoke chain",
        theory,
        fr.mean_concurrency,
        fr.invocations,
        se,
        Z,
    );
}

/// Provisioned environments are taken first and spill over to on-demand
/// ones: the p provisioned environments form a loss system for the arrival
/// stream (ordered hunting), so the share of work done on on-demand
/// environments is B(p, A). Measured by billed GB-s (init 0 so cold starts
/// bill nothing extra), with the standard error from independent
/// replications (GB-s has no time series).
#[test]
fn provisioned_spill_over() {
    let (p, a) = (10, 8.0);
    let reps = 30u64;
    let shares: Vec<f64> = (0..reps)
        .map(|rep| {
            let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
            f.provisioned_concurrency = p;
            f.init = Dist::Const(0.0);
            let s = scenario(
                simulation(8_000, 100, 100 + rep),
                vec![workload(
                    "w",
                    Target::Lambda(0),
                    Arrival::Poisson { rate: a },
                )],
                vec![f],
            );
            let r = run(&s);
            let f = &r.functions["f"];
            assert_eq!(f.throttles, 0);
            f.gb_seconds / (f.gb_seconds + f.provisioned_gb_seconds)
        })
        .collect();
    let n = reps as f64;
    let mean = shares.iter().sum::<f64>() / n;
    let sd = (shares.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    // Replicate SE, floored by the binomial SE of the invocations (30
    // replicates estimate the SE only to about +-13 %).
    check_fraction(
        "provisioned spill-over share = B(10, 8)",
        erlang_b(p, a),
        mean,
        (reps as f64 * 7_900.0 * a) as u64,
        sd / n.sqrt(),
    );
}
