//! DynamoDB transactions, GSIs (write amplification, back-pressure on the
//! table's writes, index reads) and requests larger than the remaining
//! balance.

use crate::common::stats::*;
use crate::common::*;
use crate::partitions::{put, writer};
use slsim::dist::keys::Keys;
use slsim::model::*;
use slsim::workload::Arrival;

fn on_demand(name: &str) -> Table {
    table(
        name,
        Capacity::OnDemand {
            initial_read_peak: DEFAULT_INITIAL_READ_PEAK,
            initial_write_peak: DEFAULT_INITIAL_WRITE_PEAK,
        },
    )
}

fn step(table: usize, op: TableOp, item_kb: f64, transactional: bool) -> Step {
    Step::Table {
        table,
        op,
        items: 1,
        item_kb,
        keys: Keys::Many,
        transactional,
        index: None,
    }
}

/// A transactional write costs twice a standard one (1.5 KB: 4 WCU against
/// 2), a transactional read twice a strongly consistent one (8 KB: 4 RCU
/// against 2). Exact: no request is throttled.
#[test]
fn transactions_cost_twice_the_units() {
    let mut lambdas = Vec::new();
    let mut workloads = Vec::new();
    for (t, transactional) in [(0, false), (1, true)] {
        for (op, kb) in [(TableOp::Put, 1.5), (TableOp::Get, 8.0)] {
            let name = format!("f{t}{op:?}");
            workloads.push(workload(
                &name,
                Target::Lambda(lambdas.len()),
                Arrival::Poisson { rate: 20.0 },
            ));
            lambdas.push(lambda(&name, vec![step(t, op, kb, transactional)]));
        }
    }
    let mut s = scenario(simulation(300, 0, 301), workloads, lambdas);
    s.tables = vec![on_demand("std"), on_demand("tx")];
    let r = run(&s);
    let (std, tx) = (&r.tables["std"], &r.tables["tx"]);
    assert_eq!(std.throttled + tx.throttled, 0);
    assert!(std.writes > 1000 && tx.writes > 1000);
    assert_eq!(std.consumed_wcu, 2.0 * std.writes as f64);
    assert_eq!(tx.consumed_wcu, 4.0 * tx.writes as f64);
    assert_eq!(std.consumed_rcu, 2.0 * std.reads as f64);
    assert_eq!(tx.consumed_rcu, 4.0 * tx.reads as f64);
}

/// Two GSIs projecting the whole item: the table and each index consume
/// the write's units, 3 x in all. An index projecting keys only takes one
/// unit per 3 KB item.
#[test]
fn gsis_amplify_writes_by_their_projection() {
    let mut t = on_demand("t");
    t.gsis = vec![
        Gsi::new("by_status", t.capacity.clone()),
        Gsi::new("by_owner", t.capacity.clone()),
        Gsi {
            projection: GsiProjection::KeysOnly,
            ..Gsi::new("keys_only", t.capacity.clone())
        },
    ];
    let r = run(&writer(t, put(Keys::Many, 3.0), 100.0, 300, 0, 311));
    let tab = &r.tables["t"];
    assert_eq!(tab.throttled, 0);
    let w = tab.consumed_wcu;
    assert_eq!(w, 3.0 * tab.writes as f64);
    let full: f64 = ["by_status", "by_owner"]
        .iter()
        .map(|g| tab.gsis[*g].consumed_wcu)
        .sum();
    assert_eq!(w + full, 3.0 * w, "table + 2 full GSIs = 3 x the table");
    assert_eq!(tab.gsis["keys_only"].consumed_wcu, w / 3.0);
    assert_eq!(tab.gsis["by_status"].partitions, 8);
}

/// AWS: a table write succeeds only if every GSI can take its entry. A
/// 1,000 WCU table with a 100 WCU index (no burst credit, no SDK retries)
/// serves 100 writes/s of 300, every throttle attributed to the index.
/// An index short of read capacity throttles its Queries only: reads of
/// the table are not affected.
#[test]
fn a_gsi_short_of_capacity_throttles_writes_but_not_table_reads() {
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 1000.0,
            wcu: 1000.0,
        },
    );
    t.burst_seconds = 0.0;
    t.sdk_retry = sdk_retry(1);
    t.gsis = vec![Gsi::new(
        "idx",
        Capacity::Provisioned {
            rcu: 10.0,
            wcu: 100.0,
        },
    )];
    let query = Step::Table {
        table: 0,
        op: TableOp::Query,
        items: 1,
        item_kb: 4.0,
        keys: Keys::Many,
        transactional: false,
        index: Some(0),
    };
    let lambdas = vec![
        lambda("writer", vec![put(Keys::Many, 1.0)]),
        lambda("reader", vec![get(0, 4.0)]),
        lambda("querier", vec![query]),
    ];
    let workloads = ["writer", "reader", "querier"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let rate = [300.0, 50.0, 50.0][i];
            workload(n, Target::Lambda(i), Arrival::Poisson { rate })
        })
        .collect();
    let mut s = scenario(simulation(610, 10, 321), workloads, lambdas);
    s.tables = vec![t];
    let r = run(&s);
    let tab = &r.tables["t"];
    let secs = r.measured_seconds;
    check(
        "table writes served under a 100 WCU index: WCU/s",
        100.0,
        tab.consumed_wcu / secs,
        tab.writes,
        101.0 / secs,
        1.0,
    );
    let idx = &tab.gsis["idx"];
    assert!(idx.throttled > 0);
    assert_eq!(tab.throttle_causes.gsi, tab.throttled);
    assert_eq!(tab.throttle_causes.partition + tab.throttle_causes.table, 0);
    // Queries: 50/s x 0.5 RCU (eventually consistent, as every index read)
    // against 10 RCU/s; the table's own reads all pass.
    assert_eq!(r.functions["reader"].errors, 0);
    let q = &r.workloads["querier"];
    let (frac, se) = batch_ratio(
        &measured(&r, series(&r, "querier", "unsuccessful_rps")),
        &measured(&r, series(&r, "querier", "rps")),
        BATCHES,
    );
    check_fraction(
        "index queries refused",
        1.0 - 10.0 / 25.0,
        frac,
        q.requests,
        se,
    );
    assert!(r
        .findings
        .iter()
        .any(|f| f.message.starts_with("GSI idx refused")));
}

/// Requests larger than the remaining balance (docs/model.md): a budget
/// admits an attempt while its balance is positive and then takes the
/// attempt's full cost, so admission does not depend on size. 1-RCU gets
/// at 60/s and 10-RCU queries at 8/s (140 RCU/s) on 100 RCU without burst
/// credit or retries: both are refused in the same proportion, the one
/// that leaves the table serving its capacity, 1 - 100 / 140. (Under
/// "the full cost must be there" the queries starved.)
#[test]
fn large_requests_are_admitted_like_small_ones() {
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 100.0,
            wcu: 10.0,
        },
    );
    t.burst_seconds = 0.0;
    t.sdk_retry = sdk_retry(1);
    let q = Step::Table {
        table: 0,
        op: TableOp::Query,
        items: 10,
        item_kb: 4.0,
        keys: Keys::Many,
        transactional: false,
        index: None,
    };
    let lambdas = vec![lambda("small", vec![get(0, 4.0)]), lambda("big", vec![q])];
    let workloads = vec![
        workload("small", Target::Lambda(0), Arrival::Poisson { rate: 60.0 }),
        workload("big", Target::Lambda(1), Arrival::Poisson { rate: 8.0 }),
    ];
    let mut s = scenario(simulation(1210, 10, 331), workloads, lambdas);
    s.tables = vec![t];
    let r = run(&s);
    let theory = 1.0 - 100.0 / 140.0;
    for name in ["small", "big"] {
        let (frac, se) = batch_ratio(
            &measured(&r, series(&r, name, "unsuccessful_rps")),
            &measured(&r, series(&r, name, "rps")),
            BATCHES,
        );
        check_fraction(
            &format!("{name} requests refused"),
            theory,
            frac,
            r.workloads[name].requests,
            se,
        );
    }
}
