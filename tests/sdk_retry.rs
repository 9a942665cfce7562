//! The SDK retry modes at run time (`services::sdk_retry`), checked
//! against the formulas of `docs/model.md` ("SDK retries"): attempt
//! counts, backoff bounds and means, the retry quota, the adaptive rate
//! limiter, and the clients a scenario builds.

use slsim::engine::{stream, SimRng, MILLIS, SECONDS};
use slsim::model::{Jitter, SdkRetry, SdkRetryMode};
use slsim::scenario;
use slsim::services::sdk_retry::{
    backoff, Decision, ErrorKind, GiveUp, RateLimiter, SdkClient, SdkClients,
};

const MODES: [SdkRetryMode; 4] = [
    SdkRetryMode::Legacy,
    SdkRetryMode::Standard,
    SdkRetryMode::Standard2026,
    SdkRetryMode::Adaptive,
];

fn rng(purpose: &str) -> SimRng {
    stream(7, "sdk-retry-test", purpose)
}

/// Retries one request until the client gives up; returns the retries
/// made and why it stopped.
fn retry_until_given_up(c: &mut SdkClient, kind: ErrorKind, r: &mut SimRng) -> (u32, GiveUp) {
    let mut attempt = 0;
    loop {
        match c.on_error(kind, attempt, SECONDS, r) {
            Decision::Retry { .. } => attempt += 1,
            Decision::GiveUp(why) => return (attempt, why),
        }
    }
}

#[test]
fn each_mode_makes_its_documented_number_of_attempts() {
    // legacy 10 (botocore _retry.json), standard 3 (reference guide),
    // standard-2026 and adaptive 4 for DynamoDB (2026 update).
    let expected = [10, 3, 4, 4];
    let mut r = rng("attempts");
    for (mode, attempts) in MODES.into_iter().zip(expected) {
        for kind in [ErrorKind::Throttle, ErrorKind::Transient] {
            let mut c = SdkClient::new(&SdkRetry::mode(mode), 0);
            let (retries, why) = retry_until_given_up(&mut c, kind, &mut r);
            assert_eq!(retries + 1, attempts, "{mode:?} {kind:?}");
            assert_eq!(why, GiveUp::AttemptsExhausted, "{mode:?}");
        }
    }
    // An explicit max_attempts overrides the mode's.
    let p = SdkRetry {
        max_attempts: 7,
        ..SdkRetry::mode(SdkRetryMode::Standard)
    };
    let mut c = SdkClient::new(&p, 0);
    assert_eq!(
        retry_until_given_up(&mut c, ErrorKind::Throttle, &mut r),
        (6, GiveUp::AttemptsExhausted)
    );
    // One attempt: never a retry, and no quota taken.
    let p = SdkRetry {
        max_attempts: 1,
        ..SdkRetry::standard()
    };
    let mut c = SdkClient::new(&p, 0);
    assert_eq!(
        retry_until_given_up(&mut c, ErrorKind::Throttle, &mut r),
        (0, GiveUp::AttemptsExhausted)
    );
    assert_eq!(c.quota_tokens(), Some(500));
}

/// Mean and standard deviation of `min(cap, U × c)`, U uniform on [0, 1).
fn capped_uniform_moments(c: f64, cap: f64) -> (f64, f64) {
    if c <= cap {
        return (c / 2.0, c / 12f64.sqrt());
    }
    let p = cap / c; // P(U × c < cap)
    let mean = cap * p / 2.0 + cap * (1.0 - p);
    let second = cap * cap * p / 3.0 + cap * cap * (1.0 - p);
    (mean, (second - mean * mean).sqrt())
}

#[test]
fn backoffs_stay_below_their_ceilings_with_the_documented_mean() {
    const N: usize = 20_000;
    let mut r = rng("backoff");
    // The documented draws: legacy exact (botocore), standard
    // min(cap, U x c) (the pre-2026 guide), standard-2026 and adaptive
    // U x min(cap, c) (the 2026 update).
    let documented = [
        Jitter::None,
        Jitter::FullThenCap,
        Jitter::Full,
        Jitter::Full,
    ];
    for (mode, jitter) in MODES.into_iter().zip(documented) {
        let p = SdkRetry::mode(mode);
        for kind in [ErrorKind::Throttle, ErrorKind::Transient] {
            let base = if kind == ErrorKind::Throttle {
                p.throttle_base
            } else {
                p.base
            };
            // Up to 2^7 x the base: past the 20 s cap for the 1 s bases.
            for n in 0..8u32 {
                let uncapped = base as f64 * 2f64.powi(n as i32);
                let cap = p.max_backoff as f64;
                let ceiling = uncapped.min(cap);
                let draws: Vec<f64> = (0..N)
                    .map(|_| backoff(&p, kind, n, &mut r) as f64)
                    .collect();
                let max = draws.iter().cloned().fold(0.0, f64::max);
                assert!(max <= ceiling, "{mode:?} {kind:?} n={n}: {max} > {ceiling}");
                let mean = draws.iter().sum::<f64>() / N as f64;
                let (want, sd) = match jitter {
                    Jitter::None => {
                        assert!(draws.iter().all(|&d| d == ceiling), "{mode:?} exact");
                        (ceiling, 0.0)
                    }
                    Jitter::Full => (ceiling / 2.0, ceiling / 12f64.sqrt()),
                    Jitter::FullThenCap => capped_uniform_moments(uncapped, cap),
                };
                // Five standard errors (plus 1 ns of truncation to whole ns).
                let tol = 5.0 * sd / (N as f64).sqrt() + 1.0;
                assert!(
                    (mean - want).abs() <= tol,
                    "{mode:?} {kind:?} n={n}: mean {mean} vs {want} ± {tol}"
                );
                // Before 2026 the cap comes after the jitter: a share
                // 1 - cap/c of the draws sits exactly at the cap.
                if jitter == Jitter::FullThenCap && uncapped > cap {
                    let at_cap = draws.iter().filter(|&&d| d == cap).count() as f64 / N as f64;
                    let want = 1.0 - cap / uncapped;
                    let tol = 5.0 * (want * (1.0 - want) / N as f64).sqrt();
                    assert!((at_cap - want).abs() <= tol, "n={n}: {at_cap} vs {want}");
                }
            }
        }
    }
}

#[test]
fn the_2026_defaults_back_off_from_25ms_after_transient_errors_and_1s_after_throttles() {
    let p = SdkRetry::standard();
    let mut r = rng("bases");
    let mean = |kind, r: &mut SimRng| {
        (0..20_000)
            .map(|_| backoff(&p, kind, 0, r) as f64)
            .sum::<f64>()
            / 20_000.0
    };
    let throttle = mean(ErrorKind::Throttle, &mut r);
    let transient = mean(ErrorKind::Transient, &mut r);
    // U(0, 1 s) and U(0, 25 ms): means 500 ms and 12.5 ms, each within
    // five standard errors.
    assert!(
        (throttle - 0.5e9).abs() < 5.0 * 0.2887e9 / 141.4,
        "{throttle}"
    );
    assert!(
        (transient - 12.5e6).abs() < 5.0 * 7.217e6 / 141.4,
        "{transient}"
    );
    // Timeouts back off like transient errors.
    assert!(backoff(&p, ErrorKind::Timeout, 0, &mut r) < 25 * MILLIS);
}

/// Throttles every attempt of request after request until the quota
/// refuses a retry; returns the retries granted.
fn drain(c: &mut SdkClient, kind: ErrorKind, r: &mut SimRng) -> u32 {
    let mut granted = 0;
    for _ in 0..10_000 {
        let (retries, why) = retry_until_given_up(c, kind, r);
        granted += retries;
        if why == GiveUp::QuotaEmpty {
            return granted;
        }
    }
    panic!("the quota never emptied ({granted} retries)");
}

#[test]
fn the_retry_quota_empties_under_sustained_errors() {
    let mut r = rng("quota");
    // (mode, error, cost per retry): 500 tokens buy 500 / cost retries.
    for (mode, kind, cost) in [
        (SdkRetryMode::Standard, ErrorKind::Throttle, 5),
        (SdkRetryMode::Standard, ErrorKind::Transient, 5),
        (SdkRetryMode::Standard, ErrorKind::Timeout, 10),
        (SdkRetryMode::Standard2026, ErrorKind::Throttle, 5),
        (SdkRetryMode::Standard2026, ErrorKind::Transient, 14),
        (SdkRetryMode::Standard2026, ErrorKind::Timeout, 14),
        (SdkRetryMode::Adaptive, ErrorKind::Transient, 14),
    ] {
        let mut c = SdkClient::new(&SdkRetry::mode(mode), 0);
        let granted = drain(&mut c, kind, &mut r);
        assert_eq!(granted, 500 / cost, "{mode:?} {kind:?}");
        assert_eq!(c.quota_tokens(), Some(500 % cost), "{mode:?} {kind:?}");
        // Empty: the first attempt's error is returned at once.
        assert_eq!(
            c.on_error(kind, 0, SECONDS, &mut r),
            Decision::GiveUp(GiveUp::QuotaEmpty)
        );
    }
    // Legacy mode has no quota: it never refuses.
    let mut c = SdkClient::new(&SdkRetry::mode(SdkRetryMode::Legacy), 0);
    for _ in 0..1000 {
        let (retries, why) = retry_until_given_up(&mut c, ErrorKind::Throttle, &mut r);
        assert_eq!((retries, why), (9, GiveUp::AttemptsExhausted));
    }
    assert_eq!(c.quota_tokens(), None);
}

#[test]
fn the_retry_quota_refills_on_success() {
    let mut r = rng("refill");
    let mut c = SdkClient::new(&SdkRetry::standard(), 0);
    drain(&mut c, ErrorKind::Throttle, &mut r);
    assert_eq!(c.quota_tokens(), Some(0));
    // A success without retries gives back 1 token.
    for i in 1..=5 {
        c.on_success(SECONDS, 0);
        assert_eq!(c.quota_tokens(), Some(i));
    }
    // Enough for one throttle retry (5 tokens) ...
    let cost = match c.on_error(ErrorKind::Throttle, 0, SECONDS, &mut r) {
        Decision::Retry { cost, .. } => cost,
        other => panic!("{other:?}"),
    };
    assert_eq!((cost, c.quota_tokens()), (5, Some(0)));
    // ... which a success after it gives back.
    c.on_success(SECONDS, cost);
    assert_eq!(c.quota_tokens(), Some(5));
    // Never above the capacity.
    for _ in 0..1000 {
        c.on_success(SECONDS, 14);
    }
    assert_eq!(c.quota_tokens(), Some(500));
}

/// Successes at `rate` per second from `from` for `secs` seconds; returns
/// the time of the last.
fn successes(l: &mut RateLimiter, from: u64, rate: u64, secs: u64) -> u64 {
    let gap = SECONDS / rate;
    let mut t = from;
    for _ in 0..rate * secs {
        t += gap;
        l.on_response(t, false);
    }
    t
}

#[test]
fn the_adaptive_limiter_cuts_the_send_rate_after_a_throttle() {
    let mut l = RateLimiter::new(0);
    let t = successes(&mut l, 0, 100, 3);
    // Six 0.5 s intervals of 100/s, smoothed: 100 (1 - 0.2^6).
    assert!(
        (l.measured_rate() - 100.0).abs() < 0.1,
        "{}",
        l.measured_rate()
    );
    assert!(!l.enabled());
    let t = t + 10 * MILLIS;
    l.on_response(t, true);
    let measured = l.measured_rate();
    assert!(l.enabled());
    // The rate the throttle came at, times 0.7.
    assert!(
        (l.send_rate() - 0.7 * measured).abs() < 1e-9,
        "{}",
        l.send_rate()
    );
    // Sends queued at one instant are spaced 1 / rate apart once the
    // bucket is empty: the limiter holds the client to its new rate.
    let waits: Vec<u64> = (0..200).map(|_| l.send_delay(t)).collect();
    let free = waits.iter().filter(|&&w| w == 0).count();
    assert!(
        free as f64 <= l.send_rate() + 1.0,
        "{free} sends without a wait"
    );
    let gap = SECONDS as f64 / l.send_rate();
    for w in waits[free + 1..].windows(2) {
        assert!(((w[1] - w[0]) as f64 - gap).abs() <= 1.0, "{w:?} vs {gap}");
    }
    // A second throttle while on: the send rate (below the measured rate)
    // is the rate it came at.
    let before = l.send_rate();
    assert!(before < l.measured_rate());
    l.on_response(t + 10 * MILLIS, true);
    assert!((l.send_rate() - 0.7 * before).abs() < 1e-9);
}

#[test]
fn the_adaptive_limiter_recovers_along_the_cubic_curve() {
    let mut l = RateLimiter::new(0);
    let t0 = successes(&mut l, 0, 100, 3) + 10 * MILLIS;
    l.on_response(t0, true);
    let w_max = l.measured_rate();
    // k = cbrt(w_max (1 - 0.7) / 0.4): the time back to w_max [s].
    let k = (w_max * 0.3 / 0.4).cbrt();
    let mut last = l.send_rate();
    let mut t = t0;
    let mut at_k = None;
    while t < t0 + (2.0 * k * 1e9) as u64 {
        t += 10 * MILLIS;
        l.on_response(t, false);
        let dt = (t - t0) as f64 * 1e-9;
        // Non-decreasing, below w_max before k, above it after.
        assert!(l.send_rate() >= last - 1e-9, "dt={dt}");
        if dt < k - 0.01 {
            assert!(l.send_rate() < w_max, "dt={dt}: {}", l.send_rate());
        }
        if dt > k + 0.01 {
            assert!(l.send_rate() > w_max, "dt={dt}: {}", l.send_rate());
        }
        if (dt - k).abs() <= 0.005 {
            at_k = Some(l.send_rate());
        }
        last = l.send_rate();
    }
    // At k the cubic term is within 0.4 x (5 ms)^3 of zero.
    let at_k = at_k.expect("a response within 5 ms of k");
    assert!((at_k - w_max).abs() < 1e-6, "{at_k} vs {w_max}");
    // Growth is capped at twice the measured rate.
    assert!(l.send_rate() <= 2.0 * l.measured_rate() + 1e-9);
}

#[test]
fn the_adaptive_limiter_never_goes_below_half_a_send_per_second() {
    let mut l = RateLimiter::new(0);
    for i in 1..=200 {
        l.on_response(i * 100 * MILLIS, true);
        assert!(l.send_rate() >= 0.5);
    }
    assert_eq!(l.send_rate(), 0.5);
    // At 0.5/s, the 4th send at one instant waits at least 6 s.
    let t = 20 * SECONDS + 1;
    let waits: Vec<u64> = (0..4).map(|_| l.send_delay(t)).collect();
    assert!(waits[3] >= 6 * SECONDS, "{waits:?}");
}

#[test]
fn only_adaptive_clients_delay_their_sends() {
    let mut r = rng("sends");
    for mode in MODES {
        let mut c = SdkClient::new(&SdkRetry::mode(mode), 0);
        // A burst of throttles, then sends at one instant.
        for i in 0..50 {
            c.on_error(ErrorKind::Throttle, 0, i * MILLIS, &mut r);
        }
        let waited = (0..50).map(|_| c.send_delay(SECONDS)).max().unwrap();
        assert_eq!(waited > 0, mode == SdkRetryMode::Adaptive, "{mode:?}");
        assert_eq!(c.limiter().is_some(), mode == SdkRetryMode::Adaptive);
    }
}

const SCENARIO: &str = r#"[simulation]
duration = "1m"

[[lambda]]
name = "a"
sdk_retry = { mode = "legacy" }
steps = [{ call = "t1", op = "get" }, { call = "t2", op = "put" }, { call = "t1", op = "get" }]

[[lambda]]
name = "b"
steps = [{ call = "t2", op = "get" }]

[[lambda]]
name = "c"
steps = [{ compute = "const(1ms)" }]

[[lambda]]
name = "d"
steps = [{ call = "t1", op = "query" }]

[[table]]
name = "t1"
sdk_retry = { mode = "adaptive", max_attempts = 6 }

[[table]]
name = "t2"
"#;

#[test]
fn a_scenario_builds_one_client_per_function_and_table_with_the_function_first() {
    let s = scenario::parse_str(SCENARIO, "x.toml", &[]).unwrap();
    let mut cs = SdkClients::build(&s);
    assert_eq!(cs.len(), 4);
    let (a1, a2, b2, d1) = (
        cs.slot(0, 0).unwrap(),
        cs.slot(0, 1).unwrap(),
        cs.slot(1, 1).unwrap(),
        cs.slot(3, 0).unwrap(),
    );
    let mut slots = vec![a1, a2, b2, d1];
    slots.sort();
    assert_eq!(slots, [0, 1, 2, 3]);
    assert_eq!(cs.slot(1, 0), None);
    assert_eq!(cs.slot(2, 0), None);
    assert_eq!(cs.slot(9, 0), None);
    // Function a's legacy policy wins over both tables'.
    assert_eq!(cs[a1].policy().mode, SdkRetryMode::Legacy);
    assert_eq!(cs[a2].policy().mode, SdkRetryMode::Legacy);
    // Without its own, a function takes the table's.
    assert_eq!(cs[b2].policy(), &SdkRetry::standard());
    assert_eq!(cs[d1].policy().mode, SdkRetryMode::Adaptive);
    assert_eq!(cs[d1].policy().max_attempts, 6);
    assert!(cs[d1].limiter().is_some());
    // Each client keeps its own quota.
    let mut r = rng("clients");
    drain(&mut cs[b2], ErrorKind::Transient, &mut r);
    assert_eq!(cs[b2].quota_tokens(), Some(500 % 14));
    assert_eq!(cs[d1].quota_tokens(), Some(500));
    cs[b2].reset(0);
    assert_eq!(cs[b2].quota_tokens(), Some(500));
}
