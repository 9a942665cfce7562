//! DynamoDB on demand: the initial throughput as one normalised budget
//! (12,000 reads or 4,000 writes a second, or a linear combination), twice
//! the previous peak after 30 minutes, and never above the table maximum.

use crate::common::stats::*;
use crate::common::*;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

fn on_demand(read_peak: f64, write_peak: f64) -> Table {
    table(
        "t",
        Capacity::OnDemand {
            initial_read_peak: read_peak,
            initial_write_peak: write_peak,
        },
    )
}

/// A new on-demand table (defaults: 12,000 RRU/s, 4,000 WRU/s) takes
/// 12,000 reads/s, 4,000 writes/s, or 6,000 reads + 2,000 writes/s (each
/// exactly one budget) without a throttle. Constant arrivals: the budget is
/// refilled exactly as fast as it is spent. The account's concurrency is
/// raised so that Lambda's request rate (10 x concurrency) is not the
/// limit.
#[test]
fn a_new_table_takes_its_initial_throughput_in_any_mix() {
    let t = on_demand(DEFAULT_INITIAL_READ_PEAK, DEFAULT_INITIAL_WRITE_PEAK);
    assert_eq!(t.derived_partitions(), 8);
    for (k, (reads, writes)) in [(12_000.0, 0.0), (0.0, 4_000.0), (6_000.0, 2_000.0)]
        .into_iter()
        .enumerate()
    {
        let mut lambdas = Vec::new();
        let mut workloads = Vec::new();
        for (name, rate, step) in [
            ("reader", reads, get(0, 4.0)),
            ("writer", writes, Step::table(0, TableOp::Put, 1, 1.0)),
        ] {
            if rate > 0.0 {
                let target = Target::Lambda(lambdas.len());
                lambdas.push(lambda(name, vec![step]));
                workloads.push(workload(name, target, Arrival::Constant { rate }));
            }
        }
        let mut sim = simulation(40, 10, 200 + k as u64);
        sim.account_concurrency = 3000;
        let mut s = scenario(sim, workloads, lambdas);
        s.tables = vec![t.clone()];
        let r = run(&s);
        let tab = &r.tables["t"];
        assert_eq!(tab.throttled, 0, "{reads} reads + {writes} writes: {tab:?}");
        let served = tab.consumed_rcu / reads.max(1.0) + tab.consumed_wcu / writes.max(1.0);
        // Strong 4 KB reads are 1 RRU, 1 KB writes 1 WRU: each direction
        // served its whole rate (Lambda's own start-up throttles aside).
        let expect = r.measured_seconds * f64::from(u8::from(reads > 0.0) + u8::from(writes > 0.0));
        assert!(
            (served - expect).abs() < 0.01 * expect,
            "{served} vs {expect}: {tab:?}"
        );
    }
}

/// A table with a previous read peak of 60 (120 RRU/s at once) runs at
/// 100 reads/s for the first 30 minutes; at the window's end its warm
/// throughput becomes exactly twice the highest per-second use seen, and
/// 200 reads/s (which a new table would throttle) pass without a throttle.
/// With a maximum of 150 RRU/s, the same table stops at 150 and serves
/// 150 RRU/s of 300 demanded.
#[test]
fn twice_the_previous_peak_but_never_above_the_maximum() {
    let window = (ON_DEMAND_PEAK_WINDOW / SECONDS) as usize;
    let steps = |second: f64| Arrival::Steps(vec![(0, 100.0), (ON_DEMAND_PEAK_WINDOW, second)]);
    let build = |t: Table, second: f64, seed: u64| {
        let mut s = scenario(
            simulation(window as u64 + 600, 0, seed),
            vec![workload("w", Target::Lambda(0), steps(second))],
            vec![lambda("f", vec![get(0, 4.0)])],
        );
        s.tables = vec![t];
        s
    };
    let r = run(&build(on_demand(60.0, 60.0), 200.0, 211));
    let used = series(&r, "t", "consumed_rcu");
    let cap = series(&r, "t", "capacity_rcu");
    let peak = used[..window].iter().cloned().fold(0.0, f64::max);
    assert_eq!(cap[10], 120.0);
    assert!(peak > 100.0 && peak <= 240.0, "{peak}");
    assert!(
        cap[window + 1..].iter().all(|&c| c == 2.0 * peak),
        "{peak} {:?}",
        &cap[window..window + 3]
    );
    // After the window: no throttle at 200/s (a fresh table throttles).
    let thr = series(&r, "t", "throttled");
    assert_eq!(thr[window + 1..].iter().sum::<f64>(), 0.0);
    let mut cold = scenario(
        simulation(120, 0, 212),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Poisson { rate: 200.0 },
        )],
        vec![lambda("f", vec![get(0, 4.0)])],
    );
    cold.tables = vec![on_demand(60.0, 60.0)];
    let r = run(&cold);
    assert!(r.tables["t"].throttled > 0);

    // The maximum: 150 RRU/s.
    let t = Table {
        max_units: (150.0, 150.0),
        ..on_demand(60.0, 60.0)
    };
    let r = run(&build(t, 300.0, 213));
    let cap = series(&r, "t", "capacity_rcu");
    assert!(cap.iter().all(|&c| c <= 150.0));
    assert_eq!(cap[window + 1], 150.0);
    let used = series(&r, "t", "consumed_rcu");
    let after = &used[window + 60..];
    let mean = after.iter().sum::<f64>() / after.len() as f64;
    // A saturated one-second budget: within (150 + 1) / T of the rate.
    check(
        "on-demand maximum RRU/s",
        150.0,
        mean,
        after.len() as u64,
        151.0 / after.len() as f64,
        1.0,
    );
}
