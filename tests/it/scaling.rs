//! Lambda scale-up: the per-function model (a bucket of 1,000 new
//! environments refilled at 100/s) and the legacy 2019 model (account burst
//! of 3,000 in us-east-1, then +500 per minute), against aws-facts §9.1-9.2.

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// A function whose requests hold an environment for `hold_s`, behind an
/// account limit of 10,000.
fn hold(
    hold_s: f64,
    arrival: Arrival,
    scaling: ScalingModel,
    duration_s: u64,
    interval_s: u64,
) -> Scenario {
    let f = lambda("f", vec![Step::Io(Dist::Const(hold_s))]);
    let mut sim = simulation(duration_s, 0, 21);
    sim.account_concurrency = 10_000;
    sim.scaling = scaling;
    sim.timeseries_interval = interval_s * SECONDS;
    scenario(
        sim,
        vec![workload("w", Target::Lambda(0), arrival)],
        vec![f],
    )
}

/// A step to 2,000 requests/s of 600-s requests: far more than Lambda can
/// start, so busy environments follow the scaling bucket exactly:
/// busy(t) = min(1,000 + 100 t, 10,000), reaching 10,000 at t = 90 s.
#[test]
fn per_function_step_to_10000() {
    let rate = 2000.0;
    let r = run(&hold(
        600.0,
        Arrival::Poisson { rate },
        ScalingModel::PerFunction,
        120,
        1,
    ));
    let max = series(&r, "f", "concurrency_max");
    let expected = |t: f64| (1000.0 + 100.0 * t).min(10_000.0);
    // Tolerance: one environment for the token not yet taken (a token
    // becomes available every 10 ms and waits for the next arrival,
    // Exp(1/rate) = 0.5 ms; 5 of those means = 2.5 ms < 10 ms), plus one
    // for the refill sum's rounding at a token boundary.
    let tol = 2.0;
    for t in [1usize, 5, 10, 30, 45, 60, 80, 89, 95, 110] {
        // Bucket t covers [t, t + 1): its maximum is the level at t + 1.
        let theory = expected(t as f64 + 1.0);
        check(
            &format!("per-function busy envs at t={}s", t + 1),
            theory,
            max[t],
            1,
            tol,
            1.0,
        );
    }
    // The time-weighted mean over bucket t is the ramp at its middle.
    let mean = series(&r, "f", "concurrency");
    for t in [5usize, 30, 60, 85] {
        let theory = expected(t as f64 + 0.5);
        check(
            &format!("per-function mean busy envs in [{t}, {}) s", t + 1),
            theory,
            mean[t],
            1,
            tol,
            1.0,
        );
    }
    let reach = max
        .iter()
        .position(|&v| v >= 10_000.0)
        .expect("reaches 10,000") as f64;
    // 10,000 is reached at t = 90 s, i.e. in bucket 89 or (by the 2-env
    // tolerance, 20 ms) bucket 90.
    check(
        "per-function time to 10,000 envs [s]",
        89.5,
        reach,
        1,
        0.5,
        1.0,
    );
    let f = &r.functions["f"];
    assert_eq!(f.max_concurrency, 10_000);
    assert_eq!(f.cold_starts, 10_000);
    assert!(f.throttles > 0);
}

/// The published legacy arithmetic, one burst of `n[m]` concurrent requests
/// at the start of every minute m, each done within the minute: returns
/// per minute (served, throttled, new environments). At every minute after
/// the first, 500 scaling tokens are added (capped at the burst of 3,000);
/// warm environments are reused first.
fn legacy_model(n: &[u64]) -> Vec<(u64, u64, u64)> {
    let (burst, per_min) = (3000u64, 500u64);
    let (mut tokens, mut warm) = (burst, 0u64);
    n.iter()
        .enumerate()
        .map(|(m, &n)| {
            if m > 0 {
                tokens = (tokens + per_min).min(burst);
            }
            let served = n.min(warm + tokens);
            let new = served.saturating_sub(warm);
            tokens -= new;
            warm += new;
            (served, n - served, new)
        })
        .collect()
}

#[test]
fn legacy_model_reproduces_the_published_example() {
    // aws-facts §9.1.
    assert_eq!(legacy_model(&[10_000])[0].1, 7_000);
    assert_eq!(
        legacy_model(&[5_000, 5_000]),
        vec![(3000, 2000, 3000), (3500, 1500, 500)]
    );
    let three = legacy_model(&[3_333, 3_333, 3_333]);
    assert_eq!(
        three.iter().map(|m| m.1).collect::<Vec<_>>(),
        vec![333, 0, 0]
    );
    assert_eq!(three[2].2, 0, "minute 3 all warm");
    let four = legacy_model(&[2_500; 4]);
    assert_eq!(
        four.iter().map(|m| m.2).collect::<Vec<_>>(),
        vec![2500, 0, 0, 0]
    );
}

/// Bursts of about `per_minute` requests in the first 10 ms of each of
/// `minutes` minutes, each taking 50 s, under the legacy model. Per minute,
/// the simulated served / throttled / cold counts must equal the published
/// arithmetic applied to the simulated number of arrivals, and that number
/// is Poisson (SE sqrt(n)).
fn legacy_case(name: &str, per_minute: f64, minutes: u64) {
    let len = 0.01;
    let mut steps = Vec::new();
    for m in 0..minutes {
        steps.extend(burst_at(60.0 * m as f64, len, per_minute / len));
    }
    let s = hold(
        50.0,
        Arrival::Steps(steps),
        ScalingModel::Legacy2019,
        60 * minutes,
        60,
    );
    let r = run(&s);
    let inv = series(&r, "f", "invocations");
    let thr = series(&r, "f", "throttles");
    let cold = series(&r, "f", "cold_starts");
    let n: Vec<u64> = (0..minutes as usize)
        .map(|m| (inv[m] + thr[m]) as u64)
        .collect();
    let model = legacy_model(&n);
    for (m, &(served, throttled, new)) in model.iter().enumerate() {
        check(
            &format!("legacy {name} min {} arrivals", m + 1),
            per_minute,
            n[m] as f64,
            n[m],
            per_minute.sqrt(),
            Z,
        );
        check(
            &format!("legacy {name} min {} served", m + 1),
            served as f64,
            inv[m],
            n[m],
            0.0,
            Z,
        );
        check(
            &format!("legacy {name} min {} throttled", m + 1),
            throttled as f64,
            thr[m],
            n[m],
            0.0,
            Z,
        );
        check(
            &format!("legacy {name} min {} cold", m + 1),
            new as f64,
            cold[m],
            n[m],
            0.0,
            Z,
        );
    }
    // The published figures themselves, within the Poisson spread of the
    // arrivals (throttled = arrivals - a fixed capacity when throttling).
    let published = legacy_model(&vec![per_minute as u64; minutes as usize]);
    for (m, p) in published.iter().enumerate() {
        let se = if p.1 > 0 { per_minute.sqrt() } else { 0.0 };
        check(
            &format!("legacy {name} min {} throttled vs published", m + 1),
            p.1 as f64,
            thr[m],
            n[m],
            se,
            Z,
        );
    }
}

#[test]
fn legacy_all_at_once() {
    legacy_case("10000 at once", 10_000.0, 1);
}

#[test]
fn legacy_over_two_minutes() {
    legacy_case("5000/min", 5_000.0, 2);
}

#[test]
fn legacy_over_three_minutes() {
    legacy_case("3333/min", 3_333.0, 3);
}

/// The short bursts used above carry Poisson(rate x length) arrivals.
#[test]
fn burst_arrival_counts() {
    let a = Arrival::Steps(burst_at(0.0, 0.01, 1e6));
    let seeds = 200u64;
    let mut total = 0u64;
    for seed in 0..seeds {
        let mut rng = slsim::engine::stream(seed + seed_offset(), "w", "arrivals");
        let mut t = 0;
        while let Some(next) = a.next_after(t, u64::MAX, &mut rng) {
            total += 1;
            t = next;
        }
    }
    let expected = 1e6 * 0.01 * seeds as f64;
    check(
        "burst arrivals, 200 x 10 ms at 1e6/s",
        expected,
        total as f64,
        total,
        expected.sqrt(),
        Z,
    );
}

/// Two functions hit at once by about 2,000 requests each: under the
/// legacy model the 3,000 burst is account-wide (3,000 served in total);
/// under the per-function model each function has its own 1,000 (plus the
/// refill of 100/s over the 10 ms burst: at most 1 more).
#[test]
fn burst_is_account_wide_only_in_the_legacy_model() {
    for (model, name) in [
        (ScalingModel::Legacy2019, "legacy"),
        (ScalingModel::PerFunction, "per-function"),
    ] {
        let mk = |n: &str| lambda(n, vec![Step::Io(Dist::Const(50.0))]);
        let mut sim = simulation(30, 0, 22);
        sim.account_concurrency = 10_000;
        sim.scaling = model;
        let s = scenario(
            sim,
            vec![
                workload(
                    "w1",
                    Target::Lambda(0),
                    Arrival::Steps(burst_at(0.0, 0.01, 2e5)),
                ),
                workload(
                    "w2",
                    Target::Lambda(1),
                    Arrival::Steps(burst_at(0.0, 0.01, 2e5)),
                ),
            ],
            vec![mk("f1"), mk("f2")],
        );
        let r = run(&s);
        let (f1, f2) = (&r.functions["f1"], &r.functions["f2"]);
        assert!(f1.throttles > 0 && f2.throttles > 0);
        match model {
            ScalingModel::Legacy2019 => check(
                &format!("{name}: served f1 + f2"),
                3000.0,
                (f1.invocations + f2.invocations) as f64,
                1,
                0.0,
                Z,
            ),
            ScalingModel::PerFunction => {
                for f in [f1, f2] {
                    check(
                        &format!("{name}: served per function"),
                        1000.5,
                        f.invocations as f64,
                        1,
                        0.5,
                        1.0,
                    );
                }
            }
        }
    }
}
