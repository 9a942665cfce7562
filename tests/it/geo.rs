//! Global users and global tables: a client's round trip from its
//! location (aws-facts 10.11), a function in another Region reaching a
//! local replica or the home table across Regions, replicated writes
//! (count, units, price: aws-facts 10.12), replication lag and the
//! conservation of replicated writes.
//!
//! The round trip is a constant added outside the simulated services, and
//! every random stream is named by component and purpose, so a scenario
//! and its control draw the same numbers: latency differences are exact
//! (means: to float rounding; medians: to the histogram's resolution,
//! 3 significant digits).

use crate::common::run;
use crate::common::stats::{check, Z};
use slsim::cost::{MONTH_HOURS, MONTH_SECONDS};
use slsim::scenario::parse_str;

/// A reader behind an API: the workload's `location`, the api's and the
/// function's `region`, the table's `replicas` (each `""` to omit). The
/// function has provisioned environments to spare and the arrivals stop a
/// minute before the end: a slower table call changes no cold start and
/// no request is left in flight, so the control's requests are the same.
fn reader(location: &str, region: &str, replicas: &str) -> String {
    let loc = opt("location", location);
    let reg = opt("region", region);
    let rep = if replicas.is_empty() {
        String::new()
    } else {
        format!("replicas = [{replicas}]\n")
    };
    format!(
        r#"
[simulation]
duration = "10m"
warmup = "1m"
seed = 7

[[workload]]
name = "readers"
target = "api"
arrival = "steps(0s=20, 9m=0)"
{loc}

[[api]]
name = "api"
{reg}
routes = [{{ route = "GET /item", target = "read" }}]

[[lambda]]
name = "read"
{reg}
provisioned_concurrency = 40
steps = [{{ compute = "exp(mean=20ms)" }}, {{ call = "items", op = "get" }}]

[[table]]
name = "items"
capacity = "on-demand"
{rep}
"#
    )
}

fn opt(key: &str, v: &str) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!("{key} = \"{v}\"\n")
    }
}

/// (mean, p50, count) of the workload's latency \[ms\].
fn latency(toml: &str) -> (f64, f64, u64) {
    let s = parse_str(toml, "geo.toml", &[]).expect("valid");
    let r = run(&s);
    let l = &r.workloads["readers"].latency_ms;
    (l.mean.unwrap(), l.p50.unwrap(), l.count)
}

/// `sim - control` equals `rtt` \[ms\]: the mean to float rounding, the
/// median to the histogram's resolution (3 significant digits).
fn same_plus(name: &str, control: (f64, f64, u64), sim: (f64, f64, u64), rtt: f64) {
    assert_eq!(sim.2, control.2, "{name}: the same requests succeed");
    assert!(control.2 > 5_000, "{name}: {} requests", control.2);
    check(
        &format!("{name}: mean latency difference [ms]"),
        rtt,
        sim.0 - control.0,
        sim.2,
        1e-9 * sim.0,
        1.0,
    );
    // An HDR bucket is at most 1/1024 of its value wide (3 significant
    // digits): each median is off by at most that.
    let res = (sim.1 + control.1) / 1024.0;
    check(
        &format!("{name}: median latency difference [ms]"),
        rtt,
        sim.1 - control.1,
        sim.2,
        res,
        1.0,
    );
}

#[test]
fn a_reader_in_seoul_sees_the_documented_round_trip_to_us_east_1() {
    let home = latency(&reader("", "", ""));
    // aws-facts 10.11: Seoul -> us-east-1 p50 179 ms; Virginia 5 ms.
    let seoul = latency(&reader("seoul", "", ""));
    same_plus("seoul -> us-east-1", home, seoul, 179.0);
    let virginia = latency(&reader("virginia", "", ""));
    same_plus("virginia -> us-east-1", home, virginia, 5.0);
    same_plus("seoul vs virginia", virginia, seoul, 174.0);
}

#[test]
fn served_from_a_local_replica_a_seoul_reader_pays_no_cross_region_trip() {
    let home = latency(&reader("", "", ""));
    // API, function and a replica in Seoul: only Seoul's intra-Region 4 ms.
    let local = latency(&reader("seoul", "ap-northeast-2", "\"ap-northeast-2\""));
    same_plus("seoul -> local replica", home, local, 4.0);
    // Without the replica the function's one table call crosses to
    // us-east-1 and back: 179 ms more.
    let remote = latency(&reader("seoul", "ap-northeast-2", ""));
    same_plus("seoul -> home table from seoul", home, remote, 4.0 + 179.0);
    // A replica elsewhere does not help.
    let elsewhere = latency(&reader("seoul", "ap-northeast-2", "\"eu-west-1\""));
    same_plus("seoul -> replica elsewhere", home, elsewhere, 4.0 + 179.0);
}

/// A writer: a put of 2.5 KB (3 WRU) to `put`, a batch of 4 items of
/// 1.5 KB (8 WRU) to `batch`, a transaction of 2 items of 1 KB (4 WRU
/// locally, 2 replicated) to `tx`; every table with `capacity`, `replicas`
/// and `replication_lag`.
fn writer(capacity: &str, replicas: &str, lag: &str, until: &str) -> String {
    let rep = if replicas.is_empty() {
        String::new()
    } else {
        format!("replicas = [{replicas}]\n")
    };
    let lag = opt("replication_lag", lag);
    let arrival = if until.is_empty() {
        "poisson(rate=50)".to_string()
    } else {
        format!("steps(0s=50, {until}=0)")
    };
    let table = |name: &str| format!("[[table]]\nname = \"{name}\"\n{capacity}\n{rep}{lag}\n");
    format!(
        r#"
[simulation]
duration = "10m"
warmup = "1m"
seed = 11

[[workload]]
name = "writers"
target = "write"
arrival = "{arrival}"

[[lambda]]
name = "write"
steps = [
  {{ call = "put", op = "put", item_kb = 2.5 }},
  {{ call = "batch", op = "put", items = 4, item_kb = 1.5 }},
  {{ call = "tx", op = "put", items = 2, transactional = true }},
]

{}{}{}"#,
        table("put"),
        table("batch"),
        table("tx")
    )
}

const ON_DEMAND: &str = "capacity = \"on-demand\"";

#[test]
fn every_write_is_replicated_to_every_replica_and_priced_per_rwru() {
    let regions = "\"ap-northeast-2\", \"eu-west-1\"";
    let r = run(&parse_str(&writer(ON_DEMAND, regions, "", ""), "w.toml", &[]).unwrap());
    let single = run(&parse_str(&writer(ON_DEMAND, "", "", ""), "w.toml", &[]).unwrap());
    let scale = MONTH_SECONDS / r.measured_seconds;
    // (table, local WRU per write, replicated WRU per write): a
    // transaction replicates as standard writes.
    for (name, local, replicated) in [("put", 3.0, 3.0), ("batch", 8.0, 8.0), ("tx", 4.0, 2.0)] {
        let t = &r.tables[name];
        assert_eq!(t.failed + t.throttled, 0, "{name}");
        assert!(t.writes > 10_000, "{name}: {} writes", t.writes);
        assert_eq!(t.consumed_wcu, local * t.writes as f64, "{name}");
        let rep = t.replication.as_ref().expect("a global table");
        assert_eq!(rep.replicas.len(), 2);
        for (region, x) in &rep.replicas {
            assert_eq!(x.replicated_writes, t.writes, "{name} {region}");
            assert_eq!(
                x.replicated_write_units,
                replicated * t.writes as f64,
                "{name} {region}"
            );
            assert_eq!(
                x.replicated_writes,
                x.arrived + x.pending_end,
                "{name} {region}"
            );
        }
        // The bill: the same table without replicas, plus rWRU x $0.625/M
        // (aws-facts 10.12), projected to the month.
        assert!(single.tables[name].replication.is_none());
        let rwru = rep.write_units();
        let expected = rwru * scale * 0.625 / 1e6;
        let got = r.cost.by_component[name] - single.cost.by_component[name];
        eprintln!("CHECK | {name} replicated writes usd | {expected} | {got} | {rwru} | exact |");
        assert!(
            (got - expected).abs() <= 1e-9 * expected,
            "{name}: {got} vs {expected}"
        );
    }
}

#[test]
fn provisioned_replicas_pay_the_source_wcu_per_rwcu_hour() {
    let cap = "capacity = \"provisioned\"\nrcu = 10\nwcu = 2000";
    let r = run(&parse_str(
        &writer(
            cap,
            "\"ap-northeast-2\", \"eu-west-1\", \"us-west-2\"",
            "",
            "",
        ),
        "w.toml",
        &[],
    )
    .unwrap());
    let single = run(&parse_str(&writer(cap, "", "", ""), "w.toml", &[]).unwrap());
    // 3 replicas x 2,000 WCU x 730 h x $0.00065 (aws-facts 10.12).
    let expected = 3.0 * 2000.0 * MONTH_HOURS * 0.00065;
    let got = r.cost.by_component["put"] - single.cost.by_component["put"];
    assert!(
        (got - expected).abs() <= 1e-9 * expected,
        "{got} vs {expected}"
    );
    let rep = r.tables["put"].replication.as_ref().unwrap();
    assert_eq!(
        rep.replicas["us-west-2"].replicated_writes,
        r.tables["put"].writes
    );
}

#[test]
fn replication_lag_follows_its_distribution_and_writes_in_transit_are_conserved() {
    // Writes stop at 9 min: by the end at 10 min every lag (exp, mean
    // 800 ms) has long elapsed, but for a chance of e^-75.
    let s = parse_str(
        &writer(ON_DEMAND, "\"ap-northeast-2\"", "exp(mean=800ms)", "9m"),
        "w.toml",
        &[],
    )
    .unwrap();
    let r = run(&s);
    let x = &r.tables["put"].replication.as_ref().unwrap().replicas["ap-northeast-2"];
    assert_eq!(x.pending_end, 0);
    assert_eq!(x.arrived, x.replicated_writes);
    let n = x.arrived;
    // Mean of n exponential draws: SE = mean / sqrt(n).
    check(
        "replication lag mean [ms]",
        800.0,
        x.lag_ms.mean.unwrap(),
        n,
        800.0 / (n as f64).sqrt(),
        Z,
    );
    // Writes to the end: those in transit at the end form an M/G/inf
    // population, Poisson with mean rate x mean lag (Little): 50 writes/s
    // x 5 s.
    let s = parse_str(
        &writer(ON_DEMAND, "\"ap-northeast-2\"", "exp(mean=5s)", ""),
        "w.toml",
        &[],
    )
    .unwrap();
    let r = run(&s);
    let x = &r.tables["put"].replication.as_ref().unwrap().replicas["ap-northeast-2"];
    assert_eq!(x.replicated_writes, x.arrived + x.pending_end);
    let expected = 50.0 * 5.0;
    check(
        "replicated writes pending at the end",
        expected,
        x.pending_end as f64,
        x.replicated_writes,
        expected.sqrt(),
        Z,
    );
}
