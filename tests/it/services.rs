//! External services (`[[service]]`) end to end: a rate limit under
//! Poisson calls above it serves its rate, throttled attempts are each
//! retried or fail their call, a daily quota holds per day of the run's
//! clock and is named by a finding, and SES's price is exact.

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::service::RateLimit;
use slsim::model::*;
use slsim::sim::RunResult;

/// One function calling service 0 once per invocation, invoked directly by
/// `rate` Poisson arrivals until `until_s`, in a run of `duration_s`.
fn calling(svc: ExternalService, rate: f64, until_s: f64, duration_s: u64, seed: u64) -> Scenario {
    let f = lambda("sender", vec![Step::External { service: 0 }]);
    let mut sim = simulation(duration_s, 0, seed);
    sim.account_concurrency = 5000;
    let mut s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            poisson_until(rate, until_s),
        )],
        vec![f],
    );
    s.services = vec![svc];
    s
}

/// Every call and throttled attempt of every service ends in exactly one
/// state.
pub fn conserve_services(name: &str, r: &RunResult) {
    for (svc, s) in &r.services {
        assert_eq!(
            s.calls,
            s.ok + s.failed + s.in_flight_end,
            "{name}: service {svc}: calls = ok + failed + in flight"
        );
        assert_eq!(
            s.throttled,
            s.throttled_rate + s.throttled_daily_quota,
            "{name}: service {svc}: throttled by cause"
        );
        assert_eq!(
            s.throttled,
            s.retries + s.failed,
            "{name}: service {svc}: every throttled attempt is retried or fails its call"
        );
        assert_eq!(
            s.failed,
            s.gave_up_attempts + s.gave_up_quota,
            "{name}: service {svc}: failures by cause"
        );
    }
}

#[test]
fn a_rate_limit_serves_its_rate_and_the_sdk_accounts_for_every_throttle() {
    // 20 calls/s against 5/s: the bucket is nearly always empty, so the
    // accepted rate is its refill, r (at most r T + burst exactly).
    let (lambda_rate, r, until) = (20.0, 5.0, 600.0);
    let svc = ExternalService {
        rate_limit: Some(RateLimit { rate: r, burst: r }),
        ..ExternalService::new("mail", Dist::Const(0.02))
    };
    let s = calling(svc, lambda_rate, until, 700, 11);
    let res = run(&s);
    conserve_services("rate", &res);
    let m = &res.services["mail"];
    let f = &res.functions["sender"];
    // Drained: nothing in flight, and each failed call failed its
    // invocation (and nothing else did).
    assert_eq!(m.in_flight_end, 0);
    assert_eq!(f.errors, m.failed, "a failed call fails the function");
    assert_eq!(f.invocations, m.calls);
    assert_eq!(m.throttled_daily_quota, 0);
    // Four calls in five are throttled: the SDK's retry quota (500
    // tokens, 5 a throttling retry, 1 back per success) runs dry, after
    // which throttled calls fail at their first attempt.
    assert!(m.failed > 0 && m.retries > 0, "{m:?}");
    assert!(m.gave_up_quota > m.gave_up_attempts, "{m:?}");
    // The served rate during the arrivals, per second, by batch means.
    let acc = series(&res, "mail", "accepted");
    let during = &acc[..until as usize];
    let (mean, se) = batch_mean(during, BATCHES);
    // The batch means' error, at least one bucket's worth (the burst)
    // over the window: the bucket starts full.
    check(
        "service rate limit: accepted calls/s",
        r,
        mean,
        during.iter().sum::<f64>() as u64,
        se.max(r / until),
        Z,
    );
    assert!(
        (m.ok as f64) <= r * 700.0 + r,
        "at most r T + burst: {}",
        m.ok
    );
    // Calls arrive as Poisson: λ T within Z sqrt(λ T).
    let n = lambda_rate * until;
    check(
        "service calls (Poisson arrivals)",
        n,
        m.calls as f64,
        m.calls,
        n.sqrt(),
        Z,
    );
    // The throttled series add up to the counters (warm-up is 0).
    let thr: f64 = series(&res, "mail", "throttled_rate").iter().sum();
    assert_eq!(thr as u64, m.throttled_rate);
    assert_eq!(acc.iter().sum::<f64>() as u64, m.ok);
    let finding = res
        .findings
        .iter()
        .find(|x| x.component == "service mail")
        .expect("a throttles finding");
    assert!(
        finding.message.contains("rate limit of 5/s"),
        "{}",
        finding.message
    );
    assert!(
        !finding.message.contains("daily quota"),
        "{}",
        finding.message
    );
}

#[test]
fn a_daily_quota_holds_per_day_of_the_clock_and_is_named() {
    // 0.005 calls/s (about 430 a day) against 100 a day, over 2 days from
    // 12:00: the day windows are [0, 12 h), [12 h, 36 h), [36 h, 48 h).
    let q = 100;
    let svc = ExternalService {
        daily_quota: Some(q),
        ..ExternalService::new("ses", Dist::Const(0.05))
    };
    let mut s = calling(svc, 0.005, 2.0 * 86_400.0, 2 * 86_400, 5);
    s.simulation.start = 12 * 3600 * SECONDS;
    s.simulation.timeseries_interval = 3600 * SECONDS;
    let res = run(&s);
    conserve_services("quota", &res);
    let m = &res.services["ses"];
    assert_eq!(res.timeseries.interval_s, 3600.0);
    let acc = series(&res, "ses", "accepted");
    let day = |from: usize, to: usize| acc[from..to.min(acc.len())].iter().sum::<f64>() as u64;
    let windows = [day(0, 12), day(12, 36), day(36, 48)];
    // The demand in every window is far above the quota (216 and 432
    // expected calls): each window serves exactly its quota, no more.
    assert_eq!(windows, [q, q, q], "accepted per day window");
    assert_eq!(m.ok, 3 * q);
    assert_eq!(m.quota_reached_days, 3);
    assert_eq!(m.throttled_rate, 0);
    assert!(m.throttled_daily_quota > 0);
    // A 24 h window that straddles the clock's midnight may hold up to
    // two quotas: the windows are the clock's days, not rolling.
    assert!(day(6, 30) <= 2 * q);
    let first = m.quota_reached_s.expect("quota reached");
    assert!(first < 12.0 * 3600.0, "the first window's quota: {first}");
    let finding = res
        .findings
        .iter()
        .find(|x| x.component == "service ses")
        .expect("a throttles finding");
    for x in [
        "daily quota of 100",
        "3 day window",
        "Daily message quota exceeded",
    ] {
        assert!(finding.message.contains(x), "{x:?} in {}", finding.message);
    }
}

#[test]
fn ses_costs_ten_cents_per_thousand_emails_exactly() {
    // SES out of the sandbox with a quota nothing reaches: every call is
    // an e-mail sent and billed.
    let svc = ExternalService::ses("ses", Dist::Const(0.03), 1e6, 1_000_000_000);
    let mut s = calling(svc, 10.0, 300.0, 320, 3);
    s.simulation.cost.projection = Projection::Once;
    let res = run(&s);
    let m = &res.services["ses"];
    assert!(m.ok > 2500, "{m:?}");
    assert_eq!((m.throttled, m.failed), (0, 0));
    let expected = m.ok as f64 * 0.10 / 1000.0;
    let billed = res.cost.window_by_service["ses"];
    assert!(
        (billed - expected).abs() <= 1e-12 * expected,
        "{billed} vs {expected}"
    );
    assert!((m.cost_usd - expected).abs() <= 1e-12 * expected);
    assert!((res.cost.by_component["ses"] - expected).abs() <= 1e-12 * expected);
    assert!(!res.cost.by_service.contains_key("external"));
    // The sandbox preset: 1/s and 200 a day, SES's price.
    let sb = ExternalService::ses_sandbox("ses", Dist::Const(0.03));
    assert_eq!(sb.rate_limit.map(|l| l.rate), Some(1.0));
    assert_eq!(sb.daily_quota, Some(200));
    assert_eq!(sb.price_per_1000, 0.10);
}

#[test]
fn the_sandbox_throttles_a_burst_to_one_per_second() {
    // 300 calls in 10 s against the sandbox: 1/s with a bucket of one,
    // at most 200 a day; the SDK's 3 attempts cannot get them all through.
    let svc = ExternalService::ses_sandbox("ses", Dist::Const(0.01));
    let f = lambda("sender", vec![Step::External { service: 0 }]);
    let mut s = scenario(
        simulation(120, 0, 7),
        vec![workload(
            "w",
            Target::Lambda(0),
            slsim::workload::Arrival::Steps(vec![(0, 30.0), (10 * SECONDS, 0.0)]),
        )],
        vec![f],
    );
    s.services = vec![svc];
    let res = run(&s);
    conserve_services("sandbox", &res);
    let m = &res.services["ses"];
    assert_eq!(m.in_flight_end, 0);
    // Attempts come from the first cold start's end (0.5 s) until 10 s,
    // and retries at most 1 s + 2 s later: the bucket holds one token at
    // the start and refills one a second, so at most 1 + 13 are accepted,
    // and, with calls waiting every second, at least the 9 refills of
    // 0.5 s..10 s, less one for the phase of the refills.
    assert!(m.ok <= 14, "{m:?}");
    assert!(m.ok >= 8, "{m:?}");
    assert!(m.failed > 0 && m.throttled_rate > 0, "{m:?}");
    assert_eq!(res.functions["sender"].errors, m.failed);
}
