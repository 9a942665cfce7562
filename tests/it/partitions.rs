//! DynamoDB partitions: per-partition maxima, hot keys, adaptive capacity,
//! burst credit capped by the partition maximum, and the hot-partition
//! finding.
//!
//! A partition admits an attempt while its second has room left (then the
//! attempt consumes its full cost), so with 1-unit writes a saturated
//! partition serves exactly its maximum in every second: those checks are
//! exact. Token-bucket checks use the bucket bound: over T seconds a
//! bucket of rate r and capacity b serves r T + (b at the start - what is
//! left, at least minus one request), so the rate is within (b + 1) / T.

use crate::common::stats::*;
use crate::common::*;
use slsim::dist::keys::{key_hash, Keys};
use slsim::model::*;
use slsim::workload::Arrival;

/// 1 KB puts (1 WCU) with key model `keys`.
pub fn put(keys: Keys, item_kb: f64) -> Step {
    Step::Table {
        table: 0,
        op: TableOp::Put,
        items: 1,
        item_kb,
        keys,
        transactional: false,
        index: None,
    }
}

/// One function `f` doing `step`, called at `rate` (Poisson) for
/// `duration_s` with `warmup_s` of warm-up, against table `t`.
pub fn writer(
    t: Table,
    step: Step,
    rate: f64,
    duration_s: u64,
    warmup_s: u64,
    seed: u64,
) -> Scenario {
    let mut s = scenario(
        simulation(duration_s, warmup_s, seed),
        vec![workload("w", Target::Lambda(0), Arrival::Poisson { rate })],
        vec![lambda("f", vec![step])],
    );
    s.tables = vec![t];
    s
}

/// A provisioned table `t` with `wcu` (and 1 RCU).
fn provisioned(wcu: f64) -> Table {
    table("t", Capacity::Provisioned { rcu: 1.0, wcu })
}

/// The buckets of the measured window, whole seconds only.
fn measured_series(r: &slsim::sim::RunResult, metric: &str) -> Vec<f64> {
    measured(r, series(r, "t", metric))
}

/// 4,000 WCU over 5 partitions (ceil(1/3000 + 4000/1000)): 1,500 writes/s
/// over many keys are all served (300/s a partition); on one key, the
/// partition serves exactly 1,000 WCU in every second, which adaptive
/// capacity cannot lift, and throttles the rest.
#[test]
fn one_key_is_held_to_the_partition_maximum() {
    let t = provisioned(4000.0);
    assert_eq!(t.derived_partitions(), 5);
    let r = run(&writer(
        t.clone(),
        put(Keys::Many, 1.0),
        1500.0,
        70,
        10,
        101,
    ));
    let tab = &r.tables["t"];
    assert_eq!(tab.partitions, 5);
    assert_eq!(tab.throttled, 0, "{tab:?}");
    let n = tab.writes;
    check(
        "many keys: WCU/s served",
        1500.0,
        tab.consumed_wcu / r.measured_seconds,
        n,
        (1500.0 / r.measured_seconds).sqrt(),
        Z,
    );

    let r = run(&writer(
        t,
        put(Keys::Uniform { n: 1 }, 1.0),
        1500.0,
        70,
        10,
        102,
    ));
    let tab = &r.tables["t"];
    let per_second = measured_series(&r, "consumed_wcu");
    assert!(per_second.len() >= 59);
    for (i, v) in per_second.iter().enumerate() {
        assert_eq!(*v, 1000.0, "second {i}: {v} WCU");
    }
    let hot = measured_series(&r, "hot_partition_wcu");
    assert!(hot.iter().all(|&v| v == 1000.0), "{hot:?}");
    assert!(tab.throttled > 0);
    assert_eq!(tab.throttle_causes.partition, tab.throttled);
    assert_eq!(tab.hot_partitions[0].throttled, tab.throttled);
    assert!(
        (tab.utilisation_wcu - 0.25).abs() < 0.01,
        "{}",
        tab.utilisation_wcu
    );
    // The finding names the partition and the table's spare capacity.
    let f = r
        .findings
        .iter()
        .find(|f| f.message.starts_with("hot partition"))
        .expect("a hot-partition finding");
    assert!(f.message.contains("of 5"), "{}", f.message);
    assert!(
        f.message.contains("25.0 % of its WCU capacity"),
        "{}",
        f.message
    );
}

/// The study notes' example: 400 WCU over 4 partitions, one hot key at
/// 300 writes/s, no burst credit. Adaptive capacity off: the key's
/// partition serves its share, 100 WCU/s. On: the key may use the table's
/// unused capacity (all 300/s), and at 600/s it gets the whole table (400).
#[test]
fn adaptive_capacity_lends_the_table_to_a_hot_partition() {
    let base = || Table {
        partitions: Some(4),
        burst_seconds: 0.0,
        ..provisioned(400.0)
    };
    let one = Keys::Uniform { n: 1 };
    let cases = [
        (false, 300.0, 100.0),
        (true, 300.0, 300.0),
        (true, 600.0, 400.0),
    ];
    for (k, (adaptive, rate, expect)) in cases.into_iter().enumerate() {
        let t = Table {
            adaptive_capacity: adaptive,
            ..base()
        };
        let r = run(&writer(t, put(one, 1.0), rate, 130, 10, 110 + k as u64));
        let tab = &r.tables["t"];
        let served = tab.consumed_wcu / r.measured_seconds;
        let name = format!("adaptive {adaptive}, {rate}/s on one key: WCU/s");
        if expect < rate {
            // A saturated bucket (capacity = 1 s of its rate, burst 0).
            check(
                &name,
                expect,
                served,
                tab.writes,
                (expect + 1.0) / r.measured_seconds,
                1.0,
            );
            assert!(tab.throttled > 0);
        } else {
            // Every write served: a Poisson count.
            check(
                &name,
                rate,
                served,
                tab.writes,
                (rate / r.measured_seconds).sqrt(),
                Z,
            );
            assert_eq!(tab.throttled, 0, "{tab:?}");
        }
        assert_eq!(tab.adaptive_capacity, adaptive);
    }
}

/// Share of the requests each of `n` equal partitions gets under `keys`
/// (from the key model's probabilities and the fixed key hash).
fn partition_shares(keys: &Keys, ranks: u64, n: u64) -> Vec<f64> {
    let mut share = vec![0.0; n as usize];
    for k in 1..=ranks {
        let p = ((u64::from(key_hash(k)) * n) >> 32) as usize;
        share[p] += keys.probability(k).unwrap();
    }
    share
}

/// Zipf(s = 1.2) over 1,000 keys on 4,000 WCU (5 partitions): the rate is
/// chosen from the key model so that the hottest partition's demand is
/// 1.3 x its 1,000 WCU maximum while the table's is below 90 % of its
/// capacity. The hottest partition throttles (and serves its maximum in
/// every second); uniform keys at the same rate stay below every
/// partition's maximum and never throttle.
#[test]
fn zipf_keys_throttle_the_hottest_partition_below_table_capacity() {
    let zipf = Keys::zipf(1000, 1.2).unwrap();
    let shares = partition_shares(&zipf, 1000, 5);
    let hottest = shares.iter().cloned().fold(0.0, f64::max);
    let rate = 1.3 * 1000.0 / hottest;
    assert!(rate < 0.9 * 4000.0, "rate {rate} (hottest share {hottest})");
    let uniform = Keys::Uniform { n: 1000 };
    let ushare = partition_shares(&uniform, 1000, 5);
    let umax = ushare.iter().cloned().fold(0.0, f64::max);
    // 5 standard deviations of a second's Poisson count below the maximum.
    assert!(
        rate * umax + 5.0 * (rate * umax).sqrt() < 1000.0,
        "{ushare:?}"
    );

    let r = run(&writer(
        provisioned(4000.0),
        put(zipf, 1.0),
        rate,
        130,
        10,
        121,
    ));
    let tab = &r.tables["t"];
    assert!(tab.throttled > 0);
    assert!(
        tab.throttle_causes.partition > 0 && tab.throttle_causes.table == 0,
        "{tab:?}"
    );
    let hot = &tab.hot_partitions[0];
    assert!(hot.throttled > 0);
    // Served on the hottest partition: its maximum each second.
    check(
        "zipf: hottest partition WCU/s",
        1000.0,
        hot.consumed_wcu / r.measured_seconds,
        tab.writes,
        1.0 / r.measured_seconds,
        1.0,
    );
    check(
        "zipf: hottest partition key share",
        1.0 / 5.0,
        hot.key_share,
        1,
        1e-9,
        1.0,
    );
    assert!(tab.utilisation_wcu < 0.9, "{}", tab.utilisation_wcu);

    let r = run(&writer(
        provisioned(4000.0),
        put(uniform, 1.0),
        rate,
        130,
        10,
        122,
    ));
    let tab = &r.tables["t"];
    assert_eq!(tab.throttled, 0, "{tab:?}");
}

/// Burst credit never takes a partition past its maximum: 4,000 WCU with
/// 300 s of credit (1.2 million units) and one key at 2,500 writes/s is
/// held to 1,000 WCU in every second. With adaptive capacity off and 8
/// partitions (a 500 WCU share each, 150,000 units of credit), the hot
/// partition first spends its credit above its share, at the maximum and
/// never above it, then falls to its share. Large items (3 WCU) overshoot
/// a second by less than one write, carried into the next.
#[test]
fn burst_credit_is_capped_by_the_partition_maximum() {
    let one = Keys::Uniform { n: 1 };
    let r = run(&writer(
        provisioned(4000.0),
        put(one, 1.0),
        2500.0,
        70,
        10,
        131,
    ));
    for v in measured_series(&r, "hot_partition_wcu") {
        assert_eq!(v, 1000.0);
    }

    let t = Table {
        adaptive_capacity: false,
        partitions: Some(8),
        ..provisioned(4000.0)
    };
    // 2,500 writes of 3 WCU a second: credit 150,000 drains at
    // 3,000 - 500 ... at most 1,000 - 500 = 500 WCU/s: 300 s at the
    // maximum, then the 500 WCU/s share.
    let r = run(&writer(t, put(one, 2.5), 2500.0, 420, 10, 132));
    let hot = measured_series(&r, "hot_partition_wcu");
    let max = hot.iter().cloned().fold(0.0, f64::max);
    assert!(max <= 1000.0 + 2.0, "a second at {max} WCU");
    let early = &hot[..250];
    let late = &hot[320..];
    assert!(
        early.iter().all(|&v| v >= 998.0),
        "credit in use: {early:?}"
    );
    let (m, _) = batch_mean(late, 10);
    check(
        "share after the credit: WCU/s",
        500.0,
        m,
        late.len() as u64,
        (500.0 + 3.0) / late.len() as f64,
        1.0,
    );
}

/// Split for heat (an assumption: 300 s at >= 80 % of the partition
/// maximum, split at the middle of the key range when the lighter half
/// carried at least 10 % of the demand; docs/model.md). Zipf(1.0) keys:
/// the rate is chosen from the key model so that the hottest partition is
/// 10 % over its maximum and, once split, its busier half is 5 standard
/// deviations of a second's count below it. It throttles, splits once
/// after 300 s, and the throttles stop. The same scenario and seed give
/// the same result, splits included.
#[test]
fn a_hot_partition_splits_for_heat_and_runs_are_reproducible() {
    let zipf = Keys::zipf(1000, 1.0).unwrap();
    let shares = partition_shares(&zipf, 1000, 5);
    let (hot, hottest) = shares
        .iter()
        .cloned()
        .enumerate()
        .fold((0, 0.0), |b, (i, x)| if x > b.1 { (i, x) } else { b });
    // The halves of the hottest partition's key range.
    let start = |i: u64| (i << 32).div_ceil(5);
    let (lo, hi) = (start(hot as u64), start(hot as u64 + 1));
    let mid = lo + (hi - lo) / 2;
    let mut halves = [0.0; 2];
    for k in 1..=1000 {
        let h = u64::from(key_hash(k));
        if (lo..hi).contains(&h) {
            halves[usize::from(h >= mid)] += zipf.probability(k).unwrap();
        }
    }
    let rate = 1.1 * 1000.0 / hottest;
    let busier = halves[0].max(halves[1]) * rate;
    assert!(
        busier + 5.0 * busier.sqrt() < 1000.0,
        "{halves:?} at {rate}/s"
    );
    assert!(halves[0].min(halves[1]) >= 0.1 * hottest, "{halves:?}");

    let s = writer(provisioned(4000.0), put(zipf, 1.0), rate, 480, 10, 141);
    let mut a = run(&s);
    let tab = &a.tables["t"];
    assert_eq!((tab.partitions, tab.heat_splits), (6, 1), "{tab:?}");
    let thr = series(&a, "t", "throttled");
    let before: f64 = thr[100..280].iter().sum();
    let after: f64 = thr[360..480].iter().sum();
    assert!(before > 1000.0 && after == 0.0, "{before} then {after}");
    let mut b = run(&s);
    a.wall_seconds = 0.0;
    b.wall_seconds = 0.0;
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_eq!(format!("{:?}", a.timeseries), format!("{:?}", b.timeseries));
}
