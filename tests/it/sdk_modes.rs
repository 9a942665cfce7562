//! The SDK's retry modes at work on a throttled DynamoDB table, end to
//! end: attempts per request, the backoff a throttled request waits (from
//! the function's mean duration), the retry quota running dry, and
//! adaptive mode's client-side rate limiting.
//!
//! The table serves almost nothing (1 RCU, no burst credit, 4-RCU reads:
//! one read admitted every 4 s), so nearly every request is throttled at
//! every attempt; the few it serves bound the error of each check.

use crate::common::stats::*;
use crate::common::*;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// Requests a second.
const RATE: f64 = 100.0;
/// Arrivals stop here \[s\]; the run goes on until everything is answered.
const ARRIVALS_S: f64 = 300.0;
/// Round trip of one attempt \[s\] (constant).
const RTT: f64 = 0.005;

/// A function doing one strongly consistent 16 KB GetItem (4 RCU) against
/// a 1-RCU table without burst credit, under `policy`.
fn scenario_with(policy: SdkRetry, seed: u64) -> Scenario {
    let f = lambda("f", vec![get(0, 16.0)]);
    let mut sim = simulation(ARRIVALS_S as u64 + 100, 0, seed);
    sim.account_concurrency = 5000;
    let mut s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            poisson_until(RATE, ARRIVALS_S),
        )],
        vec![f],
    );
    let mut t = table("t", Capacity::Provisioned { rcu: 1.0, wcu: 1.0 });
    t.burst_seconds = 0.0;
    t.read_latency = slsim::dist::Dist::Const(RTT);
    t.sdk_retry = policy;
    s.tables = vec![t];
    s
}

/// A policy whose quota never runs dry in these runs.
fn unlimited(mode: SdkRetryMode) -> SdkRetry {
    let mut p = SdkRetry::mode(mode);
    if let Some(q) = &mut p.quota {
        q.capacity = MAX_RETRY_QUOTA;
    }
    p
}

/// Mean, variance and largest sum \[s, s², s\] of the backoffs a request throttled at every
/// attempt waits, from the formulas of the AWS SDKs and Tools reference
/// guide (aws-facts 5.4), written out here independently of the simulator:
/// the ceiling `c = base × 2^n` of retry `n`; legacy waits `min(cap, c)`;
/// standard before 2026 `min(cap, U c)`; the 2026 update `U min(cap, c)`.
fn backoff_moments(p: &SdkRetry) -> (f64, f64, f64) {
    let (base, cap) = (p.throttle_base as f64 / 1e9, p.max_backoff as f64 / 1e9);
    let (mut mean, mut var, mut max) = (0.0, 0.0, 0.0);
    for n in 0..p.max_attempts - 1 {
        let c = base * 2f64.powi(n as i32);
        let (m, v) = match p.jitter {
            Jitter::None => (c.min(cap), 0.0),
            Jitter::Full => (c.min(cap) / 2.0, c.min(cap).powi(2) / 12.0),
            // min(cap, U c): uniform below cap/c, then the cap.
            Jitter::FullThenCap => {
                let q = (cap / c).min(1.0);
                let m = q * (q * c / 2.0) + (1.0 - q) * cap;
                let m2 = q * (q * c).powi(2) / 3.0 + (1.0 - q) * cap * cap;
                (m, m2 - m * m)
            }
        };
        mean += m;
        var += v;
        max += c.min(cap);
    }
    (mean, var, max)
}

/// A request throttled at every attempt makes exactly `max_attempts`
/// attempts and waits the documented backoffs: its duration is
/// `max_attempts × RTT + Σ backoff`. The function's mean duration mixes
/// these with the served requests (a fraction `f`, known from the run),
/// whose duration lies between one round trip and the longest failure.
#[test]
fn each_mode_makes_its_attempts_and_waits_its_backoff() {
    for mode in [
        SdkRetryMode::Legacy,
        SdkRetryMode::Standard,
        SdkRetryMode::Standard2026,
    ] {
        let p = unlimited(mode);
        let r = run(&scenario_with(p, 71 + seed_offset()));
        let tab = &r.tables["t"];
        let f = &r.functions["f"];
        let n = tab.reads;
        let a = u64::from(p.max_attempts);
        assert_eq!(tab.quota_exhausted, 0, "{mode:?}: {tab:?}");
        assert_eq!(tab.throttled, tab.retries + tab.failed, "{mode:?}");
        // Every failed request used all its attempts; a served one fewer.
        let served = n - tab.failed;
        assert!(
            tab.throttled >= a * tab.failed && tab.throttled <= a * tab.failed + (a - 1) * served,
            "{mode:?}: {tab:?}"
        );
        // The table admits one 4-RCU read every 4 s.
        let admitted = (ARRIVALS_S + 100.0) / 4.0;
        assert!((served as f64) <= admitted + 1.0, "{mode:?}: {served}");
        let frac = served as f64 / n as f64;

        let (b_mean, b_var, b_max) = backoff_moments(&p);
        let fail = a as f64 * RTT + b_mean;
        let longest = a as f64 * RTT + b_max;
        let lo = (1.0 - frac) * fail + frac * RTT;
        let hi = (1.0 - frac) * fail + frac * longest;
        let se = (b_var / n as f64).sqrt();
        let mean = f.mean_duration_ms.expect("invocations") / 1e3;
        let tol = (hi - lo) / 2.0 + Z * se + 1e-6;
        check(
            &format!("sdk {mode:?}: mean duration of a throttled request [s]"),
            (lo + hi) / 2.0,
            mean,
            n,
            tol / Z,
            Z,
        );
    }
}

/// Under sustained throttling the retry quota runs dry: every retry takes
/// `throttle_cost` tokens and only successes give any back (at most the
/// cost of their last retry), so `throttle_cost × retries ≤ capacity +
/// refund × successes`, and nearly every request fails on its first
/// attempt with the quota empty. Legacy mode has no quota.
#[test]
fn the_retry_quota_stops_retries_under_sustained_throttling() {
    for mode in [SdkRetryMode::Standard, SdkRetryMode::Standard2026] {
        let p = SdkRetry::mode(mode);
        let q = p.quota.expect("a quota");
        let r = run(&scenario_with(p, 83 + seed_offset()));
        let tab = &r.tables["t"];
        let served = tab.reads - tab.failed;
        let refund = u64::from(q.throttle_cost.max(q.no_retry_refund));
        assert!(
            u64::from(q.throttle_cost) * tab.retries <= u64::from(q.capacity) + refund * served,
            "{mode:?}: {tab:?}"
        );
        // All but the requests the quota (and the refunds) allowed to
        // retry gave up with the quota empty.
        let may_retry = u64::from(q.capacity) / u64::from(q.throttle_cost) + refund * served;
        assert!(
            tab.quota_exhausted + may_retry + served >= tab.reads,
            "{mode:?}: {tab:?}"
        );
        assert!(tab.quota_exhausted > 0 && tab.quota_exhausted <= tab.failed);
        assert_eq!(quota_findings(&r), 1, "{mode:?}: {:#?}", r.findings);
    }
    let r = run(&scenario_with(
        SdkRetry::mode(SdkRetryMode::Legacy),
        83 + seed_offset(),
    ));
    assert_eq!(r.tables["t"].quota_exhausted, 0);
    assert_eq!(quota_findings(&r), 0);
}

/// Findings about table t's retry quota.
fn quota_findings(r: &slsim::sim::RunResult) -> usize {
    r.findings
        .iter()
        .filter(|f| f.component == "table t" && f.message.contains("retry quota ran dry"))
        .count()
}

/// Adaptive mode: after the first throttle every attempt waits for a
/// send token, refilled near the rate the table serves, so the client
/// sends far fewer attempts than standard mode, whose retries are not
/// paced. At 100 requests/s against a table serving 50 RCU/s, standard
/// mode makes up to 4 attempts per request; adaptive close to one.
#[test]
fn adaptive_mode_paces_attempts_to_what_the_table_serves() {
    let run_mode = |mode| {
        let mut s = scenario_with(unlimited(mode), 97 + seed_offset());
        s.simulation.duration = 120 * SECONDS;
        s.workloads[0].arrival = Arrival::Poisson { rate: RATE };
        s.tables[0].capacity = Capacity::Provisioned {
            rcu: 50.0,
            wcu: 1.0,
        };
        s.lambdas[0].steps = vec![get(0, 4.0)];
        run(&s).tables["t"].clone()
    };
    let std = run_mode(SdkRetryMode::Standard2026);
    let ada = run_mode(SdkRetryMode::Adaptive);
    assert_eq!(std.rate_limited, 0);
    assert!(ada.rate_limited > 0, "{ada:?}");
    for t in [&std, &ada] {
        assert_eq!(t.throttled, t.retries + t.failed);
    }
    // Standard: the table serves ~50 of 100 requests a second, so most
    // attempts are throttled (at least one per request it cannot serve).
    let s = std.throttled as f64 / std.reads as f64;
    let a = ada.throttled as f64 / ada.reads as f64;
    eprintln!("throttles per request: standard-2026 {s:.3}, adaptive {a:.3}");
    assert!(s > 0.4, "standard: {s} throttles per request");
    assert!(
        a < s / 4.0,
        "adaptive {a} vs standard {s} throttles per request"
    );
}
