//! DynamoDB capacity: provisioned burst credit then capacity, and on-demand
//! instant capacity of twice the previous peak.

use crate::common::stats::*;
use crate::common::theory::token_bucket_reject;
use crate::common::*;
use slsim::model::*;
use slsim::workload::Arrival;

/// A function doing one strongly consistent 4 KB GetItem (1 RCU), called
/// `rate` times a second, against table `t`.
fn reader(rate: f64, t: Table, duration_s: u64, seed: u64) -> Scenario {
    let f = lambda("f", vec![get(0, 4.0)]);
    let mut s = scenario(
        simulation(duration_s, 0, seed),
        vec![workload("w", Target::Lambda(0), Arrival::Poisson { rate })],
        vec![f],
    );
    s.tables = vec![t];
    s
}

/// rcu = 100, demand 150 RCU/s: the bucket starts with 300 s x 100 RCU of
/// credit and drains at 150 - 100 = 50 RCU/s, so it is empty at
/// t* = 300 rcu / (demand - rcu) = 600 s; before, everything is served
/// (150 RCU/s), after, exactly the provisioned 100 RCU/s, the rest
/// throttled and retried by the SDK.
#[test]
fn provisioned_burst_then_capacity() {
    let (rcu, demand, burst_s) = (100.0, 150.0, 300.0);
    let t = table("t", Capacity::Provisioned { rcu, wcu: 10.0 });
    let r = run(&reader(demand, t, 1200, 31));
    let tab = &r.tables["t"];
    assert!(tab.throttled > 0 && tab.retries > 0, "{tab:?}");
    assert_eq!(tab.throttled, tab.retries + tab.failed);

    // When the credit runs out: the bucket level is burst + rcu t - N(t)
    // with N Poisson(demand t), a drifted random walk; its first passage
    // through 0 has mean t* and variance demand t* / (demand - rcu)^2
    // (inverse Gaussian: sigma^2 x / mu^3 with x = burst credit).
    let t_star = burst_s * rcu / (demand - rcu);
    let se_t = (demand * t_star).sqrt() / (demand - rcu);
    let throttled = series(&r, "t", "throttled");
    let first = throttled.iter().position(|&v| v > 0.0).expect("throttles") as f64;
    check(
        "ddb credit exhausted at [s]",
        t_star,
        first + 0.5,
        1,
        (se_t * se_t + 0.25f64).sqrt(),
        Z,
    );

    let rcu_s = series(&r, "t", "consumed_rcu");
    let margin = (Z * se_t).ceil() as usize + 10;
    // Before: the whole demand, Poisson per second.
    let before = &rcu_s[10..t_star as usize - margin];
    let (m, se) = batch_mean(before, BATCHES);
    check(
        "ddb consumed RCU/s on burst credit",
        demand,
        m,
        before.len() as u64,
        se,
        Z,
    );
    // After: the provisioned rate. Over a window the served units are
    // rcu x length + (tokens at start - tokens at end), so batch means
    // overstate the error; they are the derived (conservative) tolerance.
    let after = &rcu_s[t_star as usize + margin..];
    let (m, se) = batch_mean(after, BATCHES);
    check(
        "ddb consumed RCU/s after credit",
        rcu,
        m,
        after.len() as u64,
        se,
        Z,
    );
}

/// On demand, previous read peak 50 RRU/s: the table serves up to 2 x 50
/// = 100 RRU/s at once (a bucket of 100 units refilled at 100/s). Without
/// SDK retries the rejected fraction is that of a token bucket fed by
/// Poisson arrivals (`token_bucket_reject`): about zero at 90/s, the excess
/// at 130/s. The runs stay inside the first 30-minute peak window.
#[test]
fn on_demand_twice_previous_peak() {
    let peak = 50.0;
    for (rate, seed) in [(90.0, 41), (130.0, 42)] {
        let mut t = table(
            "t",
            Capacity::OnDemand {
                initial_read_peak: peak,
                initial_write_peak: peak,
            },
        );
        t.sdk_retry = sdk_retry(1);
        let r = run(&reader(rate, t, 1700, seed));
        let tab = &r.tables["t"];
        let n = tab.reads;
        let thr = series(&r, "t", "throttled");
        let inv = series(&r, "f", "invocations");
        let (_, se) = batch_ratio(thr, inv, BATCHES);
        let theory = token_bucket_reject(rate, 2.0 * peak, 2.0 * peak);
        check_fraction(
            &format!("on-demand peak {peak}, {rate}/s rejected"),
            theory,
            tab.throttled as f64 / n as f64,
            n,
            se,
        );
        let served = tab.consumed_rcu / r.measured_seconds;
        let expected = rate * (1.0 - theory);
        // Served units are a thinned Poisson count: SE sqrt(served n)/T at
        // most (the bucket makes it less variable, not more).
        check(
            &format!("on-demand peak {peak}, {rate}/s served RRU/s"),
            expected,
            served,
            n,
            (rate / r.measured_seconds).sqrt(),
            Z,
        );
    }
}

/// Capacity arithmetic (aws-facts §9.6) and DAX: eventually consistent
/// 4 KB gets cost 0.5 RCU and DAX answers a fraction `hit_ratio` of them
/// without touching capacity; 2.5 KB puts cost 3 WCU.
#[test]
fn capacity_units_and_dax() {
    let h = 0.7;
    let reader = lambda("reader", vec![get(0, 4.0)]);
    let writer = lambda("writer", vec![Step::table(0, TableOp::Put, 1, 2.5)]);
    let mut t = table("t", Capacity::Provisioned { rcu: 1e4, wcu: 1e4 });
    t.consistency = Consistency::Eventual;
    t.dax = Some(Dax {
        hit_ratio: Some(h),
        ttl: DEFAULT_DAX_TTL,
        query_ttl: DEFAULT_DAX_TTL,
        hit_latency: slsim::dist::Dist::Const(0.001),
    });
    let mut s = scenario(
        simulation(2000, 0, 51),
        vec![
            workload("r", Target::Lambda(0), Arrival::Poisson { rate: 100.0 }),
            workload("w", Target::Lambda(1), Arrival::Poisson { rate: 20.0 }),
        ],
        vec![reader, writer],
    );
    s.tables = vec![t];
    let r = run(&s);
    let tab = &r.tables["t"];
    assert_eq!(tab.throttled, 0);
    // Each read independently hits DAX: binomial.
    check_fraction(
        "DAX hit fraction",
        h,
        tab.dax_hits as f64 / tab.reads as f64,
        tab.reads,
        0.0,
    );
    let misses = (tab.reads - tab.dax_hits) as f64;
    check(
        "eventual 4 KB get RCU per DAX miss",
        0.5,
        tab.consumed_rcu / misses,
        tab.reads,
        0.0,
        Z,
    );
    check(
        "2.5 KB put WCU per write",
        3.0,
        tab.consumed_wcu / tab.writes as f64,
        tab.writes,
        0.0,
        Z,
    );
}

/// On demand, the previous peak follows traffic after a 30-minute window:
/// demand 130/s against a previous peak of 50 is capped at 100/s for the
/// first 30 minutes; the peak then becomes the highest per-second use seen
/// (at least 100), doubling capacity to >= 200/s, and throttling stops.
#[test]
fn on_demand_peak_follows_traffic() {
    let (peak, rate) = (50.0, 130.0);
    let mut t = table(
        "t",
        Capacity::OnDemand {
            initial_read_peak: peak,
            initial_write_peak: peak,
        },
    );
    t.sdk_retry = sdk_retry(1);
    let r = run(&reader(rate, t, 3600, 43));
    let thr = series(&r, "t", "throttled");
    let inv = series(&r, "f", "invocations");
    let window = 1800;
    let (first, second) = (&thr[10..window], &thr[window + 1..]);
    let n1: f64 = inv[10..window].iter().sum();
    let n2: f64 = inv[window + 1..].iter().sum();
    let (_, se) = batch_ratio(first, &inv[10..window], BATCHES);
    check_fraction(
        "on-demand first window rejected",
        token_bucket_reject(rate, 2.0 * peak, 2.0 * peak),
        first.iter().sum::<f64>() / n1,
        n1 as u64,
        se,
    );
    // Second window: new peak >= 100, so capacity >= 200/s with a 200-unit
    // bucket; theory is an upper bound there.
    // Throttles there are a (nearly) Poisson count of mean n2 x bound.
    let bound = token_bucket_reject(rate, 200.0, 200.0);
    let count: f64 = second.iter().sum();
    let mean = n2 * bound;
    let allowed = mean + Z * mean.sqrt();
    eprintln!("CHECK | on-demand second window throttles (<=) | {mean:.3e} | {count} | {n2} | {allowed:.3e} | ok");
    assert!(count <= allowed, "{count} throttles > {allowed}");
}
