//! DynamoDB partitions, key models, GSIs, transactions, warm throughput
//! and on-demand maxima, auto scaling in scenario files: a valid example
//! with its defaults, each bound and cross-check rejected with a located
//! message and hint, and the warnings of too few explicit partitions and
//! of a GSI that does not scale with its table.

use slsim::dist::keys::Keys;
use slsim::model::*;
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[lambda]]
name = "f"
steps = [
  { call = "todos", op = "get", keys = "zipf(n=100000, s=1.1)" },
  { call = "todos", op = "put", keys = "uniform(n=1000)", transactional = true },
  { call = "todos", op = "query", index = "by_status", items = 20, item_kb = 0.5 },
]

[[table]]
name = "todos"
capacity = "provisioned"
rcu = 400
wcu = 400
partitions = 4
adaptive_capacity = false
warm_writes = 2000
size_gb = 25

[[table.gsi]]
name = "by_owner"

[[table.gsi]]
name = "by_status"
wcu = 100
projection = "keys"
keys = "uniform(n=3)"
partitions = 2

[[table]]
name = "events"
max_read_units = 1000
warm_reads = 800
gsi = [{ name = "by_day", projection = 0.5 }]
"#;

#[test]
fn a_partitioned_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    let t = &s.tables[0];
    assert_eq!(t.partitions, Some(4));
    assert!(!t.adaptive_capacity);
    assert_eq!(t.warm, (None, Some(2000.0)));
    assert_eq!(t.derived_partitions(), 4);
    // Without `partitions`: ceil(400/3000 + 2000/1000) = 3 against
    // ceil(25 / 10) = 3.
    let derived = Table {
        partitions: None,
        ..t.clone()
    };
    assert_eq!(derived.derived_partitions(), 3);
    let (owner, status) = (&t.gsis[0], &t.gsis[1]);
    assert_eq!(
        owner.capacity, t.capacity,
        "a GSI defaults to the table's capacity"
    );
    assert_eq!(owner.projection, GsiProjection::All);
    assert_eq!(owner.keys, Keys::Many);
    assert_eq!(
        status.capacity,
        Capacity::Provisioned {
            rcu: 400.0,
            wcu: 100.0
        }
    );
    assert_eq!(status.projection, GsiProjection::KeysOnly);
    assert_eq!(status.keys, Keys::Uniform { n: 3 });
    assert_eq!(status.partitions, Some(2));
    let e = &s.tables[1];
    assert_eq!(e.max_units, (1000.0, DEFAULT_MAX_UNITS));
    // Twice the default previous peak (12,000), within the 1,000 maximum.
    assert_eq!(e.warm_throughput(), (1000.0, 4000.0));
    assert_eq!(e.gsis[0].projection, GsiProjection::Kb(0.5));
    let steps = &s.lambdas[0].steps;
    assert!(matches!(
        steps[0],
        Step::Table {
            keys: Keys::Zipf { n: 100_000, .. },
            transactional: false,
            index: None,
            ..
        }
    ));
    assert!(matches!(
        steps[1],
        Step::Table {
            keys: Keys::Uniform { n: 1000 },
            transactional: true,
            ..
        }
    ));
    assert!(matches!(steps[2], Step::Table { index: Some(1), .. }));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "malformed keys", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"zipf(n=10\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "steps[0].keys", "is not a key model", "uniform(n=1000)"] },
    Case { name: "unknown key model", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"zip(n=10, s=1)\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "unknown key model `zip`", "did you mean `zipf`?"] },
    Case { name: "zipf without s", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"zipf(n=10)\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "is missing `s`"] },
    Case { name: "zipf exponent above 10", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"zipf(n=10, s=12)\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "s 12 is out of range (allowed 0..=10)"] },
    Case { name: "no keys", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"uniform(n=0)\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "n 0 is out of range"] },
    Case { name: "fractional key count", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", keys = \"uniform(n=2.5)\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "not a whole number"] },
    Case { name: "keys on a lambda call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"g\", keys = \"uniform(n=3)\" }]\n\n[[lambda]]\nname = \"g\"\n", expect: &["bad.toml:6:", "`keys` does not apply"] },
    Case { name: "transactional query", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"query\", transactional = true }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "steps[0].transactional", "a query cannot be transactional", "TransactWriteItems"] },
    Case { name: "unknown index", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"query\", index = \"by_stat\" }]\n\n[[table]]\nname = \"t\"\ngsi = [{ name = \"by_status\" }]\n", expect: &["bad.toml:6:", "steps[0].index", "table `t` has no GSI named `by_stat`", "did you mean `by_status`?"] },
    Case { name: "index on a table without GSIs", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"query\", index = \"x\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "has no GSI named `x`", "[[table.gsi]]"] },
    Case { name: "index on a get", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", index = \"x\" }]\n\n[[table]]\nname = \"t\"\ngsi = [{ name = \"x\" }]\n", expect: &["bad.toml:6:", "only a query or a scan can read an index"] },
    Case { name: "zero partitions", body: "[[table]]\nname = \"t\"\npartitions = 0\n", expect: &["bad.toml:6:", "table[0] \"t\" .partitions", "partitions 0 is out of range (allowed 1..=100000)", "3,000 RCU"] },
    Case { name: "too many partitions", body: "[[table]]\nname = \"t\"\npartitions = 1000000\n", expect: &["bad.toml:6:", "allowed 1..=100000"] },
    Case { name: "partitions as a string", body: "[[table]]\nname = \"t\"\npartitions = \"4\"\n", expect: &["bad.toml:6:", "partitions"] },
    Case { name: "max units on a provisioned table", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nmax_read_units = 100\n", expect: &["bad.toml:9:", "`max_read_units` only applies to on-demand tables"] },
    Case { name: "max units above the bound", body: "[[table]]\nname = \"t\"\nmax_write_units = 2e6\n", expect: &["bad.toml:6:", "max_write_units", "out of range"] },
    Case { name: "warm above the maximum", body: "[[table]]\nname = \"t\"\nmax_read_units = 100\nwarm_reads = 500\n", expect: &["bad.toml:6:", "max_read_units 100 is below warm_reads 500"] },
    Case { name: "warm of zero", body: "[[table]]\nname = \"t\"\nwarm_writes = 0\n", expect: &["bad.toml:6:", "warm_writes", "out of range"] },
    Case { name: "adaptive capacity as a string", body: "[[table]]\nname = \"t\"\nadaptive_capacity = \"no\"\n", expect: &["bad.toml:6:", "adaptive_capacity", "true"] },
    Case { name: "GSI without a name", body: "[[table]]\nname = \"t\"\n\n[[table.gsi]]\nwcu = 5\n", expect: &["bad.toml:7:", "missing field `name`"] },
    Case { name: "GSI with an unknown field", body: "[[table]]\nname = \"t\"\n\n[[table.gsi]]\nname = \"g\"\nprojectoin = \"all\"\n", expect: &["bad.toml:9:", "unknown field `projectoin`", "did you mean `projection`?"] },
    Case { name: "GSI defined twice", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\" }, { name = \"g\" }]\n", expect: &["bad.toml:6:", "GSI `g` is defined twice on table `t`"] },
    Case { name: "unknown projection", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", projection = \"everything\" }]\n", expect: &["bad.toml:6:", "unknown projection `everything`", "\"keys\""] },
    Case { name: "projection above 400 KB", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", projection = 500 }]\n", expect: &["bad.toml:6:", "projection 500 KB is out of range"] },
    Case { name: "GSI capacity on demand", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", wcu = 5 }]\n", expect: &["bad.toml:6:", "`wcu` only applies to GSIs of provisioned tables"] },
    Case { name: "GSI capacity above the quota", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\ngsi = [{ name = \"g\", rcu = 50000 }]\n", expect: &["bad.toml:9:", "rcu", "out of range"] },
    Case { name: "GSI keys malformed", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", keys = \"uniform\" }]\n", expect: &["bad.toml:6:", "gsi[0].keys", "is not a key model"] },
    Case { name: "auto scaling on demand", body: "[[table]]\nname = \"t\"\nauto_scaling = { target = 70 }\n", expect: &["bad.toml:6:", "table[0] \"t\" .auto_scaling", "only applies to a provisioned table", "on demand scales by itself"] },
    Case { name: "auto scaling on an on-demand GSI", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", auto_scaling = {} }]\n", expect: &["bad.toml:6:", "gsi[0].auto_scaling", "only applies to a provisioned GSI"] },
    Case { name: "target below 20", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { target = 10 }\n", expect: &["bad.toml:9:", "auto_scaling.target", "10 is out of range (allowed 20..=90)", "percent"] },
    Case { name: "target above 90", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { target = 95 }\n", expect: &["bad.toml:9:", "allowed 20..=90"] },
    Case { name: "target as a fraction out of range", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { target = 0.95 }\n", expect: &["bad.toml:9:", "auto_scaling.target", "0.2..=0.9"] },
    Case { name: "min above max (both directions)", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { min = 10, max = 5 }\n", expect: &["bad.toml:9:", "min_rcu 10 is above max_rcu 5"] },
    Case { name: "minimum above the maximum", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 50\nwcu = 50\nauto_scaling = { min_wcu = 100, max_wcu = 20 }\n", expect: &["bad.toml:9:", "auto_scaling.min_wcu", "min_wcu 100 is above max_wcu 20", "lower min_wcu or raise max_wcu"] },
    Case { name: "capacity below the minimum", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { min_rcu = 10 }\n", expect: &["bad.toml:9:", "auto_scaling.min_rcu", "the table's rcu = 5 is outside min_rcu..=max_rcu (10..=40000)"] },
    Case { name: "capacity above the maximum", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 500\nauto_scaling = { max_wcu = 100 }\n", expect: &["bad.toml:9:", "auto_scaling.max_wcu", "wcu = 500 is outside"] },
    Case { name: "maximum above the quota", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { max_rcu = 50000 }\n", expect: &["bad.toml:9:", "auto_scaling.max_rcu", "50000 is out of range (allowed 1..=40000)", "per-table quota"] },
    Case { name: "minimum of zero", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { min_wcu = 0 }\n", expect: &["bad.toml:9:", "auto_scaling.min_wcu", "out of range"] },
    Case { name: "update delay too long", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { update_delay = \"2h\" }\n", expect: &["bad.toml:9:", "auto_scaling.update_delay", "out of range (allowed 0s..=1h)"] },
    Case { name: "update delay malformed", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { update_delay = \"soon\" }\n", expect: &["bad.toml:9:", "auto_scaling.update_delay"] },
    Case { name: "auto scaling unknown field", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = { targt = 70 }\n", expect: &["bad.toml:9:", "unknown field `targt`", "did you mean `target`?"] },
    Case { name: "GSI auto scaling unknown field", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\n\n[[table.gsi]]\nname = \"g\"\nauto_scaling = { max_wcuu = 70 }\n", expect: &["bad.toml:12:", "unknown field `max_wcuu`", "did you mean `max_wcu`?"] },
    Case { name: "GSI capacity outside its range", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 500\n\n[[table.gsi]]\nname = \"g\"\nauto_scaling = { max_wcu = 100 }\n", expect: &["bad.toml:12:", "gsi[0].auto_scaling.max_wcu", "the GSI's wcu = 500 is outside"] },
    Case { name: "auto scaling not a table", body: "[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 5\nauto_scaling = true\n", expect: &["bad.toml:9:", "auto_scaling", "inline table"] },
    Case { name: "GSI partitions of zero", body: "[[table]]\nname = \"t\"\ngsi = [{ name = \"g\", partitions = 0 }]\n", expect: &["bad.toml:6:", "gsi[0].partitions", "partitions 0 is out of range"] },
];

#[test]
fn ddb_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!("{SIM}\n{}", c.body);
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn too_few_explicit_partitions_warn() {
    let text = format!(
        "{SIM}\n[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 100\nwcu = 4000\npartitions = 2\n"
    );
    let s = scenario::parse_str(&text, "w.toml", &[]).unwrap();
    let all = s.warnings.join("\n");
    assert!(all.contains("w.toml:9:"), "{all}");
    assert!(
        all.contains("partitions = 2 is below the 5 its throughput needs"),
        "{all}"
    );
}

const SCALED: &str = r#"[simulation]
duration = "1h"
start = "22:30"

[[table]]
name = "orders"
capacity = "provisioned"
rcu = 100
wcu = 50
auto_scaling = { target = 50, min_rcu = 10, max_rcu = 1000, max_wcu = 400, update_delay = "30s" }

[[table.gsi]]
name = "by_customer"
wcu = 20
auto_scaling = {}

[[table.gsi]]
name = "by_day"
"#;

#[test]
fn auto_scaling_parses_with_its_defaults() {
    let s = scenario::parse_str(SCALED, "scaled.toml", &[]).unwrap();
    let t = &s.tables[0];
    let clock = 22 * 3600 * slsim::engine::SECONDS + 30 * 60 * slsim::engine::SECONDS;
    assert_eq!(
        t.auto_scaling,
        Some(AutoScaling {
            target: 0.5,
            min: (10.0, DEFAULT_AUTO_SCALING_MIN),
            max: (1000.0, 400.0),
            update_delay: 30 * slsim::engine::SECONDS,
            clock,
        })
    );
    // A GSI's `auto_scaling = {}`: every default (70 %, 1..=40000, 1 min).
    assert_eq!(
        t.gsis[0].auto_scaling,
        Some(AutoScaling {
            clock,
            ..AutoScaling::new(DEFAULT_TARGET_UTILISATION)
        })
    );
    assert_eq!(t.gsis[1].auto_scaling, None);
    // The spec's form: a fraction and one minimum and maximum for both
    // directions.
    let spec = SCALED.replace(
        "auto_scaling = { target = 50, min_rcu = 10, max_rcu = 1000, max_wcu = 400, update_delay = \"30s\" }",
        "auto_scaling = { target = 0.5, min = 10, max = 1000, max_wcu = 400, update_delay = \"30s\" }",
    );
    let s2 = scenario::parse_str(&spec, "spec.toml", &[]).unwrap();
    assert_eq!(
        s2.tables[0].auto_scaling.map(|a| (a.target, a.min, a.max)),
        Some((0.5, (10.0, 10.0), (1000.0, 400.0)))
    );
    // The GSI that does not scale with its scaling table is warned about.
    let all = s.warnings.join("\n");
    assert!(all.contains("scaled.toml:18:"), "{all}");
    assert!(
        all.contains("table `orders` scales but its GSI `by_day` does not"),
        "{all}"
    );
    assert_eq!(s.warnings.len(), 1, "{all}");
}
