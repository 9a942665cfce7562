//! DynamoDB auto scaling: a step in load is followed after the alarm's two
//! minutes and the update delay, to the consumed rate over the target;
//! the daily decrease quota holds scale-ins back exactly as documented; a
//! GSI scales on its own policy; the bill follows the mean capacity.
//!
//! Times come from the model's constants (alarm minutes, default update
//! delay, SDK backoff); every tolerance is derived from them or from the
//! Poisson counts of the load.

use crate::common::stats::*;
use crate::common::*;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::services::table::cost::{table_cost, TableUsage};
use slsim::sim::RunResult;
use slsim::workload::Arrival;

/// 1 KB puts on table 0: one write unit each.
fn put() -> Step {
    Step::table(0, TableOp::Put, 1, 1.0)
}

/// A table with 1 RCU (reads never change: their minimum is 1) and `wcu`,
/// scaled by `auto` from its clock.
fn scaled(wcu: f64, auto: AutoScaling) -> Table {
    Table {
        auto_scaling: Some(AutoScaling {
            min: (1.0, auto.min.1),
            max: (1.0, auto.max.1),
            ..auto
        }),
        ..table("t", Capacity::Provisioned { rcu: 1.0, wcu })
    }
}

fn writes(sim: Simulation, arrival: Arrival, t: Table) -> Scenario {
    let mut s = scenario(
        sim,
        vec![workload("w", Target::Lambda(0), arrival)],
        vec![lambda("f", vec![put()])],
    );
    s.tables = vec![t];
    s
}

/// Units consumed in minute `m` (1-second buckets of a per-second rate).
fn minute_units(per_s: &[f64], m: usize) -> f64 {
    per_s[m * 60..(m + 1) * 60].iter().sum()
}

/// Target tracking's capacity for `units` consumed in one minute.
fn want(units: f64, target: f64) -> f64 {
    (units / 60.0 / target - 1e-9).ceil()
}

const MIN_S: u64 = 60;

/// 100 WCU at 60 writes/s (60 %: neither alarm), then 200/s from minute
/// 10. The burst credit (150 s of 100 WCU) serves the step for 150 s:
/// beyond the alarm's two minutes, so the datapoint that triggers is the
/// whole demand, but not up to the new capacity a delay later, so the
/// table throttles in between, and only then.
#[test]
fn capacity_follows_a_step_in_load_after_the_alarm_and_the_delay() {
    let (low, high, wcu, step_s) = (60.0, 200.0, 100.0, 600);
    let target = DEFAULT_TARGET_UTILISATION;
    let delay_s = DEFAULT_UPDATE_DELAY / SECONDS;
    let alarm_s = u64::from(SCALE_OUT_MINUTES) * MIN_S;
    let burst_s = 150.0;
    let lasts_s = burst_s * wcu / (high - wcu);
    assert!(lasts_s > alarm_s as f64 && lasts_s < (alarm_s + delay_s) as f64);
    let t = Table {
        burst_seconds: burst_s,
        ..scaled(wcu, AutoScaling::new(target))
    };
    let arrival = Arrival::Steps(vec![(0, low), (step_s * SECONDS, high)]);
    let r = run(&writes(simulation(20 * MIN_S, 0, 901), arrival, t.clone()));
    let cap = series(&r, "t", "capacity_wcu");
    // The provisioned-capacity series follows auto scaling too.
    assert_eq!(series(&r, "t", "provisioned_wcu"), cap);
    let used = series(&r, "t", "consumed_wcu");
    let thr = series(&r, "t", "throttled");
    let decided = (step_s + alarm_s) as usize;
    let effective = decided + delay_s as usize;
    // Not before the alarm's two minutes and the delay: the provisioned
    // 100 every second until then (the 60 % before the step never
    // alarmed either way).
    assert!(
        cap[..effective].iter().all(|&c| c == wcu),
        "{:?}",
        &cap[decided..effective]
    );
    // Then, in the interval it takes effect: the minute before the
    // decision, over the target.
    let units = minute_units(used, decided / 60 - 1);
    let expect = want(units, target);
    assert_eq!(cap[effective], expect, "{units} units in the minute");
    assert!(cap[effective..].iter().all(|&c| c >= expect));
    // That minute was the whole demand: Poisson, rounded up.
    let se = ((high * 60.0).sqrt() / 60.0 / target).hypot(12f64.powf(-0.5));
    check(
        "auto-scaled WCU after a step",
        high / target + 0.5,
        expect,
        1,
        se,
        Z,
    );
    // Throttles: none while the credit lasts (less 5 sigma of the Poisson
    // count of the step's arrivals, in seconds of excess demand), some
    // before the new capacity, none once it is in effect and the SDK's
    // last retry of a throttled request (max_backoff x retries) is over.
    let early = (step_s as f64 + lasts_s - Z * (high * lasts_s).sqrt() / (high - wcu)) as usize;
    assert_eq!(thr[..early].iter().sum::<f64>(), 0.0, "before {early} s");
    assert!(thr[early..effective].iter().sum::<f64>() > 0.0);
    let sdk = &t.sdk_retry;
    let tail = (sdk.max_backoff * u64::from(sdk.max_attempts - 1)).div_ceil(SECONDS) as usize + 1;
    assert_eq!(thr[effective + tail..].iter().sum::<f64>(), 0.0);
    // The summary: one scale-out at least, and the bill on the window's
    // mean capacity.
    let a = r.tables["t"].auto_scaling.expect("auto scaling figures");
    assert!(a.scale_outs >= 1 && a.scale_ins == 0, "{a:?}");
    assert_eq!((a.lowest_wcu, a.target), (wcu, 70.0));
    assert!(a.highest_wcu >= expect);
    let mean = cap.iter().sum::<f64>() / cap.len() as f64;
    assert!(
        (a.mean_wcu - mean).abs() <= 1e-9 * mean,
        "{} vs {mean}",
        a.mean_wcu
    );
    assert_bill_follows_the_mean(&r, &a);
}

/// The monthly DynamoDB bill of table `t`: its mean capacity by the hour.
fn assert_bill_follows_the_mean(r: &RunResult, a: &slsim::services::table::AutoScalingStats) {
    let prices = slsim::cost::builtin::for_region("us-east-1").unwrap();
    let usage = TableUsage::Provisioned {
        rcu: a.mean_rcu,
        wcu: a.mean_wcu,
    };
    let bill = table_cost(&usage, &prices.dynamodb);
    let got = r.cost.by_component["t"];
    assert!((got - bill).abs() <= 1e-9 * bill, "{got} vs {bill}");
}

/// The documented quota (DynamoDB developer guide `ServiceQuotas.md`,
/// aws-facts 5.2) over decrease attempts `[t, ...]` per cycle \[min\]
/// (each cycle stops at its first accepted one), with the UTC day
/// starting `clock` minutes before t = 0: up to 4 within an hour of the
/// day's first decrease, then one when none happened in the preceding
/// hour. Returns the accepted times and the cycles whose first attempt
/// was refused.
fn quota(cycles: &[Vec<u64>], clock: u64) -> (Vec<u64>, u32) {
    let (mut day, mut today, mut first, mut last) = (u64::MAX, 0, 0, 0);
    let (mut taken, mut refused) = (Vec::new(), 0);
    for attempts in cycles {
        for (k, &t) in attempts.iter().enumerate() {
            if (clock + t) / 1440 != day {
                (day, today) = ((clock + t) / 1440, 0);
            }
            if today == 0 || (today < 4 && t < first + 60) || t >= last + 60 {
                first = if today == 0 { t } else { first };
                (today, last) = (today + 1, t);
                taken.push(t);
                break;
            }
            refused += u32::from(k == 0);
        }
    }
    (taken, refused)
}

/// The quota's rule, checked on decreases `times` \[min\] themselves:
/// per UTC day at most 4 within the hour of the first, each later one at
/// least an hour after the one before, at most 27.
fn obeys_quota(times: &[u64], clock: u64) {
    let mut days: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
    for &t in times {
        days.entry((clock + t) / 1440).or_default().push(t);
    }
    for ts in days.values() {
        let burst = ts.iter().take_while(|&&t| t < ts[0] + 60).count();
        assert!(burst <= 4, "{ts:?}");
        assert!(
            ts[burst.max(1) - 1..].windows(2).all(|w| w[1] >= w[0] + 60),
            "{ts:?}"
        );
        assert!(ts.len() <= 27, "{ts:?}");
    }
}

/// Bursts of 65 writes/s for 3 minutes every 19 minutes, nothing in
/// between, from 23:00 UTC for 26 hours; 30..=80 WCU. At 30 WCU a burst
/// alarms (217 %) and scales out to ceil(65 / 0.7) = 93, held to the
/// maximum 80; at 80 a burst never alarms (81 % but already at the
/// maximum). Idle, the 15-minute alarm asks for the minimum, 30, at the
/// ends of minutes 17 and 18 of each cycle (15 idle minutes after the
/// scale-out at minute 3): so every decrease the quota allows happens at
/// one of those two, and the count is what the quota gives over them.
#[test]
fn scale_ins_are_held_to_the_daily_decrease_quota() {
    let (peak, every, length) = (65.0, 19u64, 3u64);
    let clock_min = 23 * 60;
    let hours = 26;
    let (min_wcu, max_wcu) = (30.0, 80.0);
    let target = DEFAULT_TARGET_UTILISATION;
    assert_eq!(
        DEFAULT_UPDATE_DELAY,
        MIN_S * SECONDS,
        "the cycle assumes a 1-minute delay"
    );
    // At the minimum a burst alarms and scales out to the maximum; at the
    // maximum it does not alarm low. The minimum's credit (300 s of 30)
    // serves a whole burst (by 5 sigma of its Poisson count), so no
    // throttled minute looks idle to the scale-in alarm.
    assert!(peak / min_wcu > target && (peak / target).ceil() > max_wcu);
    assert!(peak > (target - SCALE_IN_MARGIN) * max_wcu);
    let burst_units = peak * (length * MIN_S) as f64;
    let credit = DEFAULT_BURST_SECONDS * min_wcu + min_wcu * (length * MIN_S) as f64;
    assert!(credit >= burst_units + Z * burst_units.sqrt());
    let scale_in = u64::from(SCALE_IN_MINUTES);
    assert!(length + scale_in + 1 == every, "two attempts a cycle");
    let mut sim = simulation(hours * 3600, 0, 902);
    sim.start = clock_min * MIN_S * SECONDS;
    sim.timeseries_interval = MIN_S * SECONDS;
    let auto = AutoScaling {
        min: (1.0, min_wcu),
        max: (1.0, max_wcu),
        clock: sim.start,
        ..AutoScaling::new(target)
    };
    let arrival = Arrival::Burst {
        base: 0.0,
        peak,
        every: every * MIN_S * SECONDS,
        length: length * MIN_S * SECONDS,
        start: 0,
    };
    let r = run(&writes(sim, arrival, scaled(max_wcu, auto)));
    assert_eq!(r.timeseries.interval_s, 60.0);
    let cap = series(&r, "t", "capacity_wcu");
    // Decisions: a minute before the minute the capacity fell.
    let fell: Vec<u64> = (1..cap.len())
        .filter(|&m| cap[m] < cap[m - 1])
        .map(|m| m as u64 - 1)
        .collect();
    assert!(cap.iter().all(|&c| c == min_wcu || c == max_wcu));
    let end = hours * 60;
    let cycles: Vec<Vec<u64>> = (0..)
        .map(|k| k * every + length + scale_in)
        .take_while(|&t| t <= end)
        .map(|t| vec![t, t + 1].into_iter().filter(|&x| x <= end).collect())
        .collect();
    let (expect, refused) = quota(&cycles, clock_min);
    obeys_quota(&fell, clock_min);
    assert_eq!(fell, expect);
    let a = r.tables["t"].auto_scaling.expect("auto scaling figures");
    assert_eq!(a.scale_ins as usize, expect.len(), "{a:?}");
    assert_eq!(a.scale_ins_refused, refused, "{a:?}");
    assert_eq!((a.lowest_wcu, a.highest_wcu), (min_wcu, max_wcu));
    // The UTC day from 00:00 (t = 1 h) to 24:00: 4 in its first hour,
    // then one an hour at most, as many as the cycles allow.
    let day: Vec<u64> = fell
        .iter()
        .copied()
        .filter(|&t| (60..1500).contains(&t))
        .collect();
    assert_eq!(
        day.iter().take_while(|&&t| t < day[0] + 60).count(),
        4,
        "{day:?}"
    );
    assert!(day.len() > 4 && day.len() <= 27, "{day:?}");
    eprintln!(
        "CHECK | decreases in a UTC day | {} | {} | 1 | exact |",
        expect.iter().filter(|&&t| (60..1500).contains(&t)).count(),
        day.len()
    );
}

/// A GSI with its own policy scales like a table (the table's capacity
/// stays fixed): 50 WCU at 30 writes/s, then 100/s from minute 10; its
/// credit (300 s of 50) covers the alarm and the delay, so nothing
/// throttles and it reaches ceil(the triggering minute / 0.7).
#[test]
fn a_gsi_scales_on_its_own_policy() {
    let (low, high, wcu, step_s, duration_s) = (30.0, 100.0, 50.0, 600, 20 * MIN_S);
    let target = DEFAULT_TARGET_UTILISATION;
    let delay_s = DEFAULT_UPDATE_DELAY / SECONDS;
    let alarm_s = u64::from(SCALE_OUT_MINUTES) * MIN_S;
    assert!(DEFAULT_BURST_SECONDS * wcu >= (high - wcu) * (alarm_s + delay_s) as f64);
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 10.0,
            wcu: 1000.0,
        },
    );
    // Its reads stay at 10 (their minimum).
    t.gsis = vec![Gsi {
        auto_scaling: Some(AutoScaling {
            min: (10.0, DEFAULT_AUTO_SCALING_MIN),
            ..AutoScaling::new(target)
        }),
        ..Gsi::new("g", Capacity::Provisioned { rcu: 10.0, wcu })
    }];
    let arrival = Arrival::Steps(vec![(0, low), (step_s * SECONDS, high)]);
    let r = run(&writes(simulation(duration_s, 0, 903), arrival, t));
    let tab = &r.tables["t"];
    assert!(tab.auto_scaling.is_none());
    assert_eq!(tab.throttled, 0);
    assert!(series(&r, "t", "capacity_wcu").iter().all(|&c| c == 1000.0));
    // Every write is one 1 KB entry in the index: the table's
    // consumption is the index's.
    let used = series(&r, "t", "consumed_wcu");
    let decided = (step_s + alarm_s) as usize;
    let expect = want(minute_units(used, decided / 60 - 1), target);
    let g = tab.gsis["g"]
        .auto_scaling
        .expect("GSI auto scaling figures");
    assert!(g.scale_outs >= 1 && g.scale_ins == 0, "{g:?}");
    assert_eq!(g.lowest_wcu, wcu);
    assert!(g.highest_wcu >= expect, "{g:?} vs {expect}");
    // The mean over the run: 50 until the new capacity takes effect, then
    // at least `expect` and at most the highest.
    let on = (decided as u64 + delay_s) as f64 / duration_s as f64;
    let (lo, hi) = (
        wcu * on + expect * (1.0 - on),
        wcu * on + g.highest_wcu * (1.0 - on),
    );
    assert!(
        g.mean_wcu >= lo - 1e-9 && g.mean_wcu <= hi + 1e-9,
        "{} not in {lo}..={hi}",
        g.mean_wcu
    );
}
