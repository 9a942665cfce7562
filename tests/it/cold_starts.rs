//! Cold starts against theory: the keep-alive model's e^(-lambda T) and
//! provisioned concurrency at or above the peak concurrency.

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// A Poisson stream at rate lambda, a service time s tiny against 1/lambda
/// and the keep-alive T (counted from the end of the last use), init 0:
/// an arrival is cold iff the gap since the previous one exceeds s + T
/// (the environment has expired), or is below s (the one environment is
/// still busy, so a second one starts). The gaps are Exp(lambda), so
///   P(cold) = e^(-lambda (T + s)) + (1 - e^(-lambda s)),
/// within lambda s (1 + e^(-lambda T)) of e^(-lambda T): with lambda =
/// 0.1/s and s = 1 ms, 2e-4 at most, under a tenth of the tolerances
/// below (2.7e-3 to 3.8e-3).
/// (A second environment, once started, only lowers the cold fraction by a
/// term of the same order.)
///
/// Tolerance: 5 standard errors (`Z`) of the measured fraction. Arrivals
/// are independent, but cold starts of successive arrivals are not (one
/// gap decides both an expiry and the next one's start), so the standard
/// error is taken from batch means: the run's 1 s buckets of cold starts
/// and invocations are cut into 30 batches, the ratio of each batch is
/// one observation, and SE = sd(batch ratios) / sqrt(30); floored by the
/// binomial SE sqrt(p (1 - p) / n) (`check_fraction`). With n ~ 500,000
/// invocations the binomial SE is ~7e-4 at p = 0.37, so the tolerance is
/// ~3.5e-3.
fn keep_alive_case(lambda_: f64, keep_s: u64, seed: u64) {
    let mut f = lambda("f", vec![Step::Io(Dist::Const(0.001))]);
    f.init = Dist::Const(0.0);
    f.keep_alive = keep_s * SECONDS;
    let s = scenario(
        simulation(5_000_000, 1000, seed),
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
    let cold = measured(&r, series(&r, "f", "cold_starts"));
    let inv = measured(&r, series(&r, "f", "invocations"));
    let (_, se) = batch_ratio(&cold, &inv, BATCHES);
    let lt = lambda_ * keep_s as f64;
    check_fraction(
        &format!("cold-start fraction, lambda T = {lt}: e^(-lambda T)"),
        (-lt).exp(),
        f.cold_starts as f64 / f.invocations as f64,
        f.invocations,
        se,
    );
}

#[test]
fn cold_start_fraction_keep_alive_lambda_t_1() {
    keep_alive_case(0.1, 10, 21);
}

#[test]
fn cold_start_fraction_keep_alive_lambda_t_2() {
    keep_alive_case(0.1, 20, 22);
}

#[test]
fn cold_start_fraction_keep_alive_lambda_t_half() {
    keep_alive_case(0.1, 5, 23);
}

/// Poisson 5/s, service Exp(1 s) (an M/M/infinity load of 5), 2,000 s, no
/// warm-up; `provisioned` environments; init `init_s`.
fn provisioned_run(provisioned: u32, init_s: f64, seed: u64) -> (u64, u64, u64) {
    let mut f = lambda("f", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.init = Dist::Const(init_s);
    f.provisioned_concurrency = provisioned;
    let s = scenario(
        simulation(2_000, 0, seed),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 5.0 },
        )],
        vec![f],
    );
    let r = run(&s);
    let f = &r.functions["f"];
    assert_eq!(f.throttles, 0, "no throttle");
    (f.cold_starts, f.max_concurrency, f.invocations)
}

/// Provisioned concurrency at or above the peak concurrency gives no cold
/// start. The peak is measured in a run without provisioned concurrency;
/// the same scenario and seed (the same arrivals and service times) is
/// then run with that many provisioned environments, and one more.
///
/// Why exactly zero: a request is served by an idle provisioned
/// environment whenever one exists. Without cold starts, request i is
/// busy over [a_i, a_i + s_i); in the run without provisioned
/// concurrency over [a_i, a_i + init + s_i) or [a_i, a_i + s_i), a
/// superset, so at every instant the busy count with provisioned
/// environments is at most the measured peak: a provisioned environment
/// is always idle for an arrival (by induction over arrivals). With init
/// 0 both runs are the same busy process, so one provisioned environment
/// fewer than the peak must give a cold start (at the peak instant a
/// request runs on an on-demand environment): the test can fail.
///
/// Neither of the provisioned environments' limits applies: the
/// invocation-rate quota (10/s per provisioned environment, aws-facts
/// 1.1 and 10.6, far above Poisson 5/s) and `max_lifetime` recycling (none in
/// `common::lambda`); keep-alive does not end provisioned environments.
#[test]
fn provisioned_at_peak_concurrency_no_cold_starts() {
    for (init_s, seed) in [(0.0, 31), (0.5, 32)] {
        let (cold, peak, invocations) = provisioned_run(0, init_s, seed);
        assert!(
            cold > 0 && peak > 5,
            "init {init_s}: {cold} cold, peak {peak}"
        );
        let peak = u32::try_from(peak).unwrap();
        for p in [peak, peak + 1] {
            let (c, _, n) = provisioned_run(p, init_s, seed);
            eprintln!(
                "CHECK | provisioned {p} (peak {peak}, init {init_s} s): cold starts | 0 | {c} | {n} | exact | {}",
                if c == 0 { "ok" } else { "FAIL" }
            );
            assert_eq!(n, invocations, "the same requests");
            assert_eq!(c, 0, "provisioned {p} >= peak {peak}, init {init_s} s");
        }
        if init_s == 0.0 {
            let (c, _, _) = provisioned_run(peak - 1, init_s, seed);
            eprintln!(
                "CHECK | provisioned {} (peak {peak}, init 0 s): cold starts | > 0 | {c} | {invocations} | exact | {}",
                peak - 1,
                if c > 0 { "ok" } else { "FAIL" }
            );
            assert!(
                c > 0,
                "provisioned {} < peak {peak}: a cold start",
                peak - 1
            );
        }
    }
}
