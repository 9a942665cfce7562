//! The invariants every run must satisfy, and the cross-checks between
//! components' counters and time series.

use crate::common::stats::*;
use slsim::model::*;
use slsim::sim::RunResult;

/// What the end of the run looks like.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum End {
    /// Arrivals stop early enough for everything to finish.
    Drained,
    /// Requests are still in flight at the end.
    InFlight,
    /// Either.
    Any,
}

/// Checks every invariant that holds for any scenario, and the exact
/// cross-checks when the run drained (no warm-up).
pub fn conserve(name: &str, s: &Scenario, r: &RunResult, end: End) {
    let warm = s.simulation.warmup > 0;
    let drained = end == End::Drained;
    for (wname, w) in &r.workloads {
        let ended = w.succeeded + w.throttled + w.failed + w.timed_out;
        assert_eq!(
            w.requests,
            ended + w.in_flight,
            "{name}/{wname}: conservation {w:?}"
        );
        assert_eq!(
            w.status.values().sum::<u64>(),
            ended,
            "{name}/{wname}: status counts"
        );
        assert_eq!(
            w.routes.values().map(|x| x.requests).sum::<u64>(),
            w.requests,
            "{name}/{wname}: routes"
        );
        assert_eq!(
            w.routes.values().map(|x| x.succeeded).sum::<u64>(),
            w.succeeded,
            "{name}/{wname}: routes ok"
        );
        assert_eq!(
            w.latency_ms.count, w.succeeded,
            "{name}/{wname}: latency samples"
        );
        match end {
            End::Drained => assert_eq!(w.in_flight, 0, "{name}/{wname}: drained"),
            End::InFlight => assert!(
                w.in_flight > 0,
                "{name}/{wname}: expected requests in flight"
            ),
            End::Any => {}
        }
    }
    for (tname, t) in &r.tables {
        assert_eq!(
            t.throttled,
            t.retries + t.failed,
            "{name}/{tname}: throttled = retried + gave up"
        );
    }
    for (bname, b) in &r.buckets {
        assert_eq!(
            b.requests,
            b.succeeded + b.failed + b.in_flight_end,
            "{name}/{bname}: bucket requests {b:?}"
        );
        assert_eq!(
            b.slow_down,
            b.retries + b.failed,
            "{name}/{bname}: 503s = retried + gave up"
        );
        for n in &b.notify {
            assert_eq!(n.events, n.filtered + n.sent, "{name}/{bname}: {n:?}");
            assert_eq!(
                n.sent,
                n.delivered + n.failed + n.pending_end,
                "{name}/{bname}: notifications {n:?}"
            );
        }
        if drained {
            assert_eq!(b.in_flight_end, 0, "{name}/{bname}: drained");
        }
    }
    // External services: every call ends ok, failed or in flight; every
    // throttled attempt is retried or fails its call.
    crate::services::conserve_services(name, r);
    for (sname, st) in &r.services {
        if drained && !warm {
            assert_eq!(st.in_flight_end, 0, "{name}/{sname}: drained");
        }
        // Each call comes from one invocation of a function that calls it.
        let callers: u64 = s
            .lambdas
            .iter()
            .filter(|l| {
                l.steps.iter().any(|x| {
                    matches!(x, Step::External { service } if s.services[*service].name == *sname)
                })
            })
            .map(|l| r.functions[&l.name].invocations)
            .sum();
        if !warm {
            assert!(
                st.calls <= callers,
                "{name}/{sname}: {} calls > {callers} invocations",
                st.calls
            );
        }
    }
    // Schedules: every firing is sent or in transit at the end.
    crate::schedules::conserve_schedules(name, r);
    for (fname, f) in &r.functions {
        assert!(
            f.errors + f.timeouts <= f.invocations,
            "{name}/{fname}: {f:?}"
        );
        assert!(f.cold_starts <= f.invocations, "{name}/{fname}");
    }
    series_match_counters(name, r, warm);
    if warm {
        return; // the windows of callers and callees differ at the edge
    }
    // Attempts sent by the workloads targeting `t`, and their in-flight
    // requests (each can hold at most one pending attempt).
    let sent = |t: Target| -> (u64, u64) {
        s.workloads
            .iter()
            .filter(|w| w.target == t)
            .map(|w| {
                let st = &r.workloads[&w.name];
                (st.requests + st.retries, st.in_flight)
            })
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    let within = |what: &str, got: u64, upper: u64, slack: u64| {
        assert!(got <= upper, "{name}: {what}: {got} > {upper}");
        if drained {
            assert_eq!(got, upper, "{name}: {what} (drained)");
        } else {
            assert!(
                got + slack >= upper,
                "{name}: {what}: {got} + {slack} < {upper}"
            );
        }
    };
    let mut calls = vec![(0u64, 0u64); s.lambdas.len()];
    for (i, a) in s.apis.iter().enumerate() {
        let st = &r.apis[&a.name];
        let (attempts, slack) = sent(Target::Api(i));
        within(
            &format!("api {} requests", a.name),
            st.requests,
            attempts,
            slack,
        );
        assert_eq!(
            st.throttled,
            st.status.get("429").copied().unwrap_or(0),
            "{name}: 429s"
        );
        within(
            &format!("api {} responses", a.name),
            st.status.values().sum(),
            st.requests,
            slack,
        );
        // Zero gateway latency and no cache: admitted requests integrate
        // at once, one route per api.
        assert!(
            a.latency.is_zero() && a.cache.is_none() && a.auth.is_none() && a.routes.len() == 1
        );
        let c = &mut calls[a.routes[0].target];
        c.0 += st.requests - st.throttled;
        c.1 += slack;
    }
    for (i, _) in s.lambdas.iter().enumerate() {
        let (attempts, slack) = sent(Target::Lambda(i));
        calls[i].0 += attempts;
        calls[i].1 += slack;
    }
    for (i, l) in s.lambdas.iter().enumerate() {
        let f = &r.functions[&l.name];
        assert!(!s
            .lambdas
            .iter()
            .any(|x| x.steps.iter().any(|st| matches!(st, Step::Invoke { .. }))));
        within(
            &format!("function {} calls", l.name),
            f.invocations + f.throttles,
            calls[i].0,
            calls[i].1,
        );
    }
    // Tables: every invocation of a function whose first step is a table
    // call makes exactly one request (each SDK attempt counted once).
    for (ti, t) in s.tables.iter().enumerate() {
        let st = &r.tables[&t.name];
        let (mut reads, mut writes) = (0, 0);
        for l in &s.lambdas {
            let f = &r.functions[&l.name];
            assert!(
                l.steps
                    .iter()
                    .skip(1)
                    .all(|st| !matches!(st, Step::Table { .. })),
                "first step only"
            );
            if let Some(Step::Table { table, op, .. }) = l.steps.first() {
                if *table == ti {
                    if op.is_read() {
                        reads += f.invocations;
                    } else {
                        writes += f.invocations;
                    }
                }
            }
        }
        if drained {
            assert_eq!(
                (st.reads, st.writes),
                (reads, writes),
                "{name}: table {} requests",
                t.name
            );
        } else {
            assert!(
                st.reads <= reads && st.writes <= writes,
                "{name}: table {}",
                t.name
            );
        }
    }
    // Outcomes seen by a sole direct caller without retries mirror the
    // function's counters.
    if drained {
        for w in &s.workloads {
            let (Target::Lambda(fi), None) = (w.target, &w.retry) else {
                continue;
            };
            if s.workloads.len() > 1 || !s.apis.is_empty() {
                continue;
            }
            let st = &r.workloads[&w.name];
            let f = &r.functions[&s.lambdas[fi].name];
            assert_eq!(
                st.succeeded,
                f.invocations - f.errors - f.timeouts,
                "{name}: ok"
            );
            assert_eq!(st.throttled, f.throttles, "{name}: throttled");
            assert_eq!(st.failed, f.errors, "{name}: failed");
            assert_eq!(st.timed_out, f.timeouts, "{name}: timed out");
        }
    }
}

/// Over the measured window (whole buckets), the exported time series sum
/// to the run's counters.
pub fn series_match_counters(name: &str, r: &RunResult, warm: bool) {
    let dt = r.timeseries.interval_s;
    let sum = |c: &str, m: &str| measured(r, series(r, c, m)).iter().sum::<f64>();
    let close = |what: &str, got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0) * 1e3,
            "{name}: series {what}: {got} vs counter {want}"
        );
    };
    for (wn, w) in &r.workloads {
        close(&format!("{wn} rps"), sum(wn, "rps") * dt, w.requests as f64);
        if warm {
            continue; // outcomes are counted by arrival time, series by end time
        }
        close(
            &format!("{wn} succeeded_rps"),
            sum(wn, "succeeded_rps") * dt,
            w.succeeded as f64,
        );
        let unsuccessful = (w.throttled + w.failed + w.timed_out) as f64;
        close(
            &format!("{wn} unsuccessful_rps"),
            sum(wn, "unsuccessful_rps") * dt,
            unsuccessful,
        );
    }
    for (fname, f) in &r.functions {
        close(
            &format!("{fname} invocations"),
            sum(fname, "invocations"),
            f.invocations as f64,
        );
        close(
            &format!("{fname} throttles"),
            sum(fname, "throttles"),
            f.throttles as f64,
        );
        close(
            &format!("{fname} cold_starts"),
            sum(fname, "cold_starts"),
            f.cold_starts as f64,
        );
        let mean = sum(fname, "concurrency") * dt / r.measured_seconds;
        close(&format!("{fname} concurrency"), mean, f.mean_concurrency);
        let envs = sum(fname, "environments") * dt / r.measured_seconds;
        close(&format!("{fname} environments"), envs, f.mean_environments);
        let max = measured(r, series(r, fname, "concurrency_max"))
            .iter()
            .cloned()
            .fold(0.0, f64::max);
        close(
            &format!("{fname} concurrency_max"),
            max,
            f.max_concurrency as f64,
        );
    }
    for (tname, t) in &r.tables {
        close(
            &format!("{tname} consumed_rcu"),
            sum(tname, "consumed_rcu") * dt,
            t.consumed_rcu,
        );
        close(
            &format!("{tname} consumed_wcu"),
            sum(tname, "consumed_wcu") * dt,
            t.consumed_wcu,
        );
        close(
            &format!("{tname} throttled"),
            sum(tname, "throttled"),
            t.throttled as f64,
        );
    }
}
