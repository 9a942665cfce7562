//! The whole bill (issue 7, items 1 and 2): the `[cost]` projection, DAX
//! nodes, DynamoDB storage, CloudWatch Logs ingestion and SnapStart, each
//! against a hand computation from the published prices (aws-facts 5.7,
//! 10.1, 10.3, 10.6); the summary's notes and "not priced" list; and every
//! new field's bad input. Arithmetic is deterministic, so the tolerance is
//! floating-point rounding (1e-9 relative).

use slsim::cost::{BillSettings, MONTH_HOURS, MONTH_SECONDS};
use slsim::model::{Projection, DAX_NODE_TYPES};
use slsim::scenario;
use slsim::services::lambda::cost::log_costs;
use slsim::services::table::cost::{dax_cost, storage_costs};
use slsim::sim::price::{price, price_scenario};

#[path = "support/rejected.rs"]
mod rejected;

fn prices() -> slsim::cost::PriceTable {
    slsim::cost::builtin::for_region("us-east-1").unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// One hour of an API -> function -> table chain with every always-on
/// charge: provisioned concurrency, provisioned capacity, a 0.5 GB API
/// cache, 40 GB of storage and 3 DAX nodes.
const CHAIN: &str = r#"[simulation]
duration = "1h"
seed = 7

[[workload]]
name = "users"
target = "api"
arrival = "poisson(rate=20)"

[[api]]
name = "api"
type = "rest"
cache = { hit_ratio = 0.5, size_gb = 0.5 }
routes = [{ route = "POST /x", target = "fn" }]

[[lambda]]
name = "fn"
memory_mb = 512
provisioned_concurrency = 2
log_kb = 2
steps = [{ compute = "const(20ms)" }, { call = "t", op = "get", item_kb = 1 }]

[[table]]
name = "t"
capacity = "provisioned"
rcu = 10
wcu = 5
size_gb = 40
dax = { hit_ratio = 0.8, node_type = "dax.t3.small", nodes = 3 }
"#;

fn run(text: &str, sets: &[&str]) -> (slsim::model::Scenario, slsim::sim::RunResult) {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = scenario::parse_str(text, "bill.toml", &sets).unwrap();
    let r = slsim::sim::run(&s).unwrap();
    (s, r)
}

/// The always-on charges of `CHAIN` for the 730-hour month, by hand from
/// the published prices.
fn chain_always_on() -> (f64, f64, f64, f64) {
    let pc = 2.0 * 0.5 * MONTH_SECONDS * 0.0000041667; // facts 1.10 PC
    let cache = 0.02 * MONTH_HOURS; // facts 4 cache, 0.5 GB
    let table = (10.0 * 0.00013 + 5.0 * 0.00065) * MONTH_HOURS + 40.0 * 0.25; // facts 5.7
    let dax = 3.0 * 0.04 * MONTH_HOURS; // facts 10.1 t3.small
    (pc, cache, table, dax)
}

/// The usage charges of `CHAIN`'s run, multiplied by `k`.
fn chain_usage(r: &slsim::sim::RunResult, k: f64) -> (f64, f64, f64) {
    let api = r.apis["api"].requests as f64 * k * 3.50 / 1e6; // facts 4, first tier
    let f = &r.functions["fn"];
    let lambda = f.invocations as f64 * k * 0.20 / 1e6
        + f.gb_seconds * k * 0.0000166667
        + f.provisioned_gb_seconds * k * 0.0000097222;
    let logs = f.invocations as f64 * k * 2.0 / (1024.0 * 1024.0) * 0.50; // facts 10.3
    (api, lambda, logs)
}

#[test]
fn once_is_the_window_usage_plus_a_month_of_the_always_on_charges() {
    let (_, r) = run(CHAIN, &["cost.projection=\"once\""]);
    assert!(
        r.apis["api"].requests > 60_000,
        "{}",
        r.apis["api"].requests
    );
    assert!(r.functions["fn"].provisioned_gb_seconds > 0.0);
    let c = &r.cost;
    assert_eq!(c.projection, "once");
    let (pc, cache, table, dax) = chain_always_on();
    let (api, lambda, logs) = chain_usage(&r, 1.0);
    assert!(close(c.by_service["api_gateway"], api + cache), "{c:#?}");
    assert!(close(c.by_service["lambda"], lambda + pc), "{c:#?}");
    assert!(close(c.by_service["cloudwatch_logs"], logs), "{c:#?}");
    assert!(close(c.by_service["dynamodb"], table), "{c:#?}");
    assert!(close(c.by_service["dax"], dax), "{c:#?}");
    let always_on = pc + cache + table + dax;
    assert!(close(c.always_on_monthly_usd, always_on));
    // Data transfer out of the API's responses (hand-checked in
    // tests/it/api_gateway.rs) is usage too.
    let dto = c.by_service.get("data_transfer").copied().unwrap_or(0.0);
    assert!(close(c.monthly_usd, api + lambda + logs + dto + always_on));
    // The window's own cost: its usage and one hour of the always-on charges.
    let hour = 3600.0 / MONTH_SECONDS;
    assert!(close(
        c.total_usd,
        api + lambda + logs + dto + always_on * hour
    ));
    assert!(close(c.window_by_service["dax"], dax * hour));
    // The projection changes the month, not the window's usage.
    let s = scenario::parse_str(CHAIN, "bill.toml", &[]).unwrap();
    let repeat = price_scenario(&r, &prices(), &BillSettings::from_model(&s));
    assert_eq!(repeat.projection, "repeat");
    let (api, lambda, logs) = chain_usage(&r, MONTH_HOURS);
    let dto = repeat
        .by_service
        .get("data_transfer")
        .copied()
        .unwrap_or(0.0);
    assert!(close(
        repeat.monthly_usd,
        api + lambda + logs + dto + always_on
    ));
    assert!(close(repeat.total_usd, repeat.monthly_usd / MONTH_HOURS));
}

/// `repeat` without the new charges is what `price` computed before them,
/// field for field.
#[test]
fn repeat_is_unchanged() {
    for path in [
        "scenarios/minimal.toml",
        "scenarios/simfaas-reference.toml",
        "scenarios/orders.toml",
    ] {
        let text = std::fs::read_to_string(path).unwrap();
        let s = scenario::parse_str(&text, path, &["simulation.duration=\"10m\"".into()]).unwrap();
        let r = slsim::sim::run(&s).unwrap();
        let mut settings = BillSettings::from_model(&s);
        for f in &mut settings.functions {
            f.log_kb = 0.0;
        }
        let new = price_scenario(&r, &prices(), &settings);
        let old = price(&r, &prices(), s.simulation.free_tier);
        assert_eq!(new.projection, "repeat");
        assert_eq!(new.total_usd, old.total_usd, "{path}");
        assert_eq!(new.monthly_usd, old.monthly_usd, "{path}");
        assert_eq!(new.by_component, old.by_component, "{path}");
        for (k, v) in &old.by_service {
            assert_eq!(new.by_service[k], *v, "{path} {k}");
        }
        assert_eq!(new.by_service.get("cloudwatch_logs"), Some(&0.0), "{path}");
    }
}

#[test]
fn dax_nodes_cost_every_node_every_hour() {
    let p = prices().dynamodb;
    // facts 10.1, derived row: 3 x t3.small ~ $88, 3 x r5.large ~ $558 a month.
    let t3 = dax_cost(3, p.dax_node_usd_per_hour["dax.t3.small"], 1.0);
    let r5 = dax_cost(3, p.dax_node_usd_per_hour["dax.r5.large"], 1.0);
    assert!(close(t3, 3.0 * 0.04 * 730.0));
    assert!(close(r5, 3.0 * 0.255 * 730.0));
    assert_eq!((t3.round(), r5.round()), (88.0, 558.0));
    // Every node type the scenario accepts has a price.
    for t in DAX_NODE_TYPES {
        assert!(p.dax_node_usd_per_hour.contains_key(*t), "{t}");
    }
    // Through a run: the default node type (r5.large) and 11 nodes.
    let (_, r) = run(CHAIN, &["table.t.dax={ hit_ratio = 0.8, nodes = 11 }"]);
    assert!(close(r.cost.by_service["dax"], 11.0 * 0.255 * 730.0));
    // A table without DAX has no DAX line.
    let no_dax = CHAIN.replace("dax = {", "# dax = {");
    let (_, r) = run(&no_dax, &[]);
    assert!(!r.cost.by_service.contains_key("dax"), "{:?}", r.cost);
}

#[test]
fn storage_is_billed_per_gb_month_less_the_free_25_gb() {
    let p = prices().dynamodb;
    assert!(close(
        storage_costs(&[40.0], &p, false, 1.0)[0],
        40.0 * 0.25
    ));
    // 20 + 30 GB with the free tier: (50 - 25) x $0.25, split 2:3.
    let c = storage_costs(&[20.0, 30.0], &p, true, 1.0);
    assert!(close(c[0] + c[1], 25.0 * 0.25));
    assert!(close(c[1], 1.5 * c[0]));
    assert_eq!(storage_costs(&[10.0], &p, true, 1.0), vec![0.0]);
    // Through a run, with the free tier on.
    let (_, r) = run(CHAIN, &["simulation.free_tier=true"]);
    let capacity = (10.0 * 0.00013 + 5.0 * 0.00065) * MONTH_HOURS;
    assert!(close(r.cost.by_service["dynamodb"], capacity + 15.0 * 0.25));
}

#[test]
fn log_ingestion_uses_the_lambda_logs_volume_tiers() {
    let p = prices().cloudwatch_logs;
    // facts 10.3: 60 TB of Lambda logs a month cost $12,500 instead of $30,000.
    let c = log_costs(&[60_000.0], &p, false);
    assert!(close(c[0], 12_500.0), "{c:?}");
    // First tier, and the free 5 GB shared in proportion.
    assert!(close(log_costs(&[100.0], &p, false)[0], 50.0));
    let c = log_costs(&[10.0, 30.0], &p, true);
    assert!(close(c[0] + c[1], 35.0 * 0.50));
    assert!(close(c[1], 3.0 * c[0]));
    // The default: Lambda's START/END/REPORT lines, 0.3 KB per invocation.
    let (_, r) = run(CHAIN, &["lambda.fn.log_kb=0.3"]);
    let n = r.functions["fn"].invocations as f64 * MONTH_HOURS;
    assert!(close(
        r.cost.by_service["cloudwatch_logs"],
        n * 0.3 / 1048576.0 * 0.50
    ));
}

#[test]
fn snap_start_cache_and_restores_are_billed_for_python_not_java() {
    let text = |runtime: &str| {
        format!(
            "[simulation]\nduration = \"1h\"\n\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=0.01)\"\n\n[[lambda]]\nname = \"fn\"\nruntime = \"{runtime}\"\nmemory_mb = 1024\nsnap_start = true\nkeep_alive = \"1s\"\nlog_kb = 0\nsteps = [{{ compute = \"const(10ms)\" }}]\n"
        )
    };
    let (_, py) = run(&text("python3.12"), &[]);
    let (_, java) = run(&text("java21"), &[]);
    let f = &py.functions["fn"];
    assert!(f.cold_starts > 10, "{}", f.cold_starts);
    let base =
        f.invocations as f64 * MONTH_HOURS * 0.20 / 1e6 + f.gb_seconds * MONTH_HOURS * 0.0000166667;
    // facts 10.6: cache $0.0000015046 per GB-s (1 GB, all month), restore
    // $0.0001397998 per GB restored (1 GB per cold start).
    let snap = MONTH_SECONDS * 0.0000015046 + f.cold_starts as f64 * MONTH_HOURS * 0.0001397998;
    assert!(close(py.cost.by_service["lambda"], base + snap));
    let j = &java.functions["fn"];
    let java_base =
        j.invocations as f64 * MONTH_HOURS * 0.20 / 1e6 + j.gb_seconds * MONTH_HOURS * 0.0000166667;
    assert!(close(java.cost.by_service["lambda"], java_base));
}

/// A window that saw no request: the month holds only the always-on
/// charges, and the summary says so.
#[test]
fn an_empty_window_is_named_and_not_priced_is_listed() {
    let (_, r) = run(CHAIN, &["workload.users.arrival=\"steps(0s=0, 2h=10)\""]);
    assert_eq!(r.workloads["users"].requests, 0);
    let c = &r.cost;
    let (pc, cache, table, dax) = chain_always_on();
    assert!(close(c.monthly_usd, pc + cache + table + dax));
    assert!(
        c.notes.iter().any(|n| n.contains("no request arrived")),
        "{c:#?}"
    );
    let text = slsim::report::summary_text(&r);
    assert!(text.contains("note: no request arrived"), "{text}");
    assert!(text.contains("projection \"repeat\""), "{text}");
    assert!(text.contains("not priced: "), "{text}");
    // Data transfer out and Cognito are priced now.
    assert!(!text.contains("not priced: data transfer"), "{text}");
    // Re-initialisation of provisioned environments is priced now, and
    // storage is priced (size_gb given): neither is listed.
    assert!(!c.not_priced.iter().any(|n| n.contains("re-init")));
    assert!(!c.not_priced.iter().any(|n| n.contains("size_gb")));
}

#[test]
fn warnings_for_a_partial_cycle_and_a_small_dax_cluster() {
    // A 5-minute sale once a day, in a 1-hour window: repeat overstates.
    let sale = "workload.users.arrival=\"burst(base=1, peak=50, every=1d, length=5m)\"";
    let s = scenario::parse_str(CHAIN, "bill.toml", &[sale.into()]).unwrap();
    let w = s.warnings.join("\n");
    assert!(w.contains("shorter than the arrival's period (1d)"), "{w}");
    assert!(w.contains("overstates"), "{w}");
    // With `once` the window is meant as a one-off: no warning.
    let once = scenario::parse_str(
        CHAIN,
        "bill.toml",
        &[sale.into(), "cost.projection=\"once\"".into()],
    )
    .unwrap();
    assert!(once.warnings.is_empty(), "{:?}", once.warnings);
    let two = scenario::parse_str(CHAIN, "bill.toml", &["table.t.dax.nodes=2".into()]).unwrap();
    assert!(
        two.warnings
            .iter()
            .any(|w| w.contains(".dax.nodes") && w.contains("AWS recommends at least 3 nodes")),
        "{:?}",
        two.warnings
    );
    assert_eq!(s.simulation.cost.projection, Projection::Repeat);
}

#[test]
fn bad_cost_and_bill_fields_are_rejected_with_location_and_hint() {
    let sim = "[simulation]\nduration = \"1h\"\n";
    let fn_ = "\n[[lambda]]\nname = \"fn\"\n";
    let table = |extra: &str| format!("{sim}\n[[table]]\nname = \"t\"\n{extra}\n");
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "projection value",
            format!("{sim}\n[cost]\nprojection = \"twice\"\n"),
            &[
                "bad.toml:5:",
                "cost.projection",
                "`twice` is not a valid value",
                "`repeat`, `once`",
            ],
        ),
        (
            "cost not a table",
            format!("cost = 3\n{sim}"),
            &["bad.toml:1:", "`cost` must be a table"],
        ),
        (
            "cost unknown field",
            format!("{sim}\n[cost]\nprojektion = \"once\"\n"),
            &[
                "bad.toml:5:",
                "unknown field `projektion`",
                "did you mean `projection`?",
            ],
        ),
        (
            "node type unknown",
            table("dax = { hit_ratio = 0.5, node_type = \"dax.r5.larg\" }"),
            &[
                "bad.toml:6:",
                ".dax.node_type",
                "unpriced DAX node type `dax.r5.larg`",
                "did you mean `dax.r5.large`?",
            ],
        ),
        (
            "node type unpriced",
            table("dax = { hit_ratio = 0.5, node_type = \"cache.m5.large\" }"),
            &[
                "bad.toml:6:",
                ".dax.node_type",
                "priced node types (aws-facts 10.1): ",
            ],
        ),
        (
            "nodes zero",
            table("dax = { hit_ratio = 0.5, nodes = 0 }"),
            &[
                "bad.toml:6:",
                ".dax.nodes",
                "allowed 1..=11",
                "1 primary + up to 10 replicas",
            ],
        ),
        (
            "nodes too many",
            table("dax = { hit_ratio = 0.5, nodes = 12 }"),
            &["bad.toml:6:", ".dax.nodes", "allowed 1..=11"],
        ),
        (
            "nodes not a number",
            table("dax = { hit_ratio = 0.5, nodes = \"3\" }"),
            &["bad.toml:6:", "nodes"],
        ),
        (
            "size negative",
            table("size_gb = -1"),
            &[
                "bad.toml:6:",
                ".size_gb",
                "-1 is out of range (allowed 0..=1000000)",
                "storage cost",
            ],
        ),
        (
            "size too large",
            table("size_gb = 2e6"),
            &["bad.toml:6:", ".size_gb", "out of range"],
        ),
        (
            "size nan",
            table("size_gb = nan"),
            &["bad.toml:6:", ".size_gb", "out of range"],
        ),
        (
            "log negative",
            format!("{sim}{fn_}log_kb = -0.5\n"),
            &[
                "bad.toml:6:",
                ".log_kb",
                "out of range (allowed 0..=1048576)",
                "START/END/REPORT",
            ],
        ),
        (
            "log too large",
            format!("{sim}{fn_}log_kb = 1e9\n"),
            &["bad.toml:6:", ".log_kb", "out of range"],
        ),
        (
            "log inf",
            format!("{sim}{fn_}log_kb = inf\n"),
            &["bad.toml:6:", ".log_kb", "out of range"],
        ),
    ];
    let failures = rejected::failures(cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Data transfer out is one bill for the account: an API's responses and a
/// bucket's direct gets share the free 100 GB and the tiers (aws-facts
/// 10.2), so the month's DTO is tiered(api + bucket - 100 GB), split in
/// proportion to each one's GB.
#[test]
fn api_responses_and_bucket_gets_share_one_data_transfer_allowance() {
    let text = r#"[simulation]
duration = "10m"
seed = 3
free_tier = true

[[workload]]
name = "readers"
target = "api"
arrival = "constant(rate=20)"

[[workload]]
name = "downloads"
target = "files"
arrival = "constant(rate=4)"

[[api]]
name = "api"
type = "http"
routes = [{ route = "GET /x", target = "fn", response_kb = 64 }]

[[lambda]]
name = "fn"
steps = [{ compute = "const(5ms)" }]

[[bucket]]
name = "files"
object_kb = 500
"#;
    let (_, r) = run(text, &[]);
    let scale = MONTH_SECONDS / r.measured_seconds;
    let api_gb = r.apis["api"].data_out_gb * scale;
    let bucket_gb = r.buckets["files"].gb_out_internet * scale;
    // Both above the allowance alone, so a separate allowance each would
    // bill less; together in the first tier ($0.09/GB up to 10 TB).
    assert!(api_gb > 100.0 && bucket_gb > 100.0, "{api_gb} {bucket_gb}");
    assert!(api_gb + bucket_gb < 10_240.0, "{api_gb} {bucket_gb}");
    let want = (api_gb + bucket_gb - 100.0) * 0.09;
    let got = r.cost.by_service["data_transfer"];
    assert!(close(got, want), "{got} vs {want}");
    let api_share = want * api_gb / (api_gb + bucket_gb);
    let rows = &r.cost.by_component;
    assert!(close(
        rows["files"] - r.cost.by_service["s3"],
        want - api_share
    ));
}
