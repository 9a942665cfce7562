//! Malformed scenarios: each must be rejected (never a panic) with a message
//! naming the line, the field and, where it helps, a "did you mean" hint.

use slsim::scenario::{self, Capacity, Step, Target};

/// Lines 1-2 of most cases.
const SIM: &str = "[simulation]\nduration = \"1h\"\n";

struct Case {
    name: &'static str,
    toml: String,
    sets: &'static [&'static str],
    /// Substrings that must all appear in the error message.
    expect: &'static [&'static str],
}

fn case(name: &'static str, body: &str, expect: &'static [&'static str]) -> Case {
    Case {
        name,
        toml: format!("{SIM}{body}"),
        sets: &[],
        expect,
    }
}

fn cases() -> Vec<Case> {
    let fn_ok = "\n[[lambda]]\nname = \"fn\"\n"; // lines 3-5
    vec![
        case("misspelt field", "\n[[lambda]]\nname = \"fn\"\nmemroy_mb = 512\n", &["bad.toml:6:", "memroy_mb", "did you mean `memory_mb`?"]),
        case("misspelt kind", "\n[[lamda]]\nname = \"fn\"\n", &["bad.toml:4:", "unknown section `lamda`", "did you mean `lambda`?"]),
        case("wrong type", "\n[[lambda]]\nname = \"fn\"\nmemory_mb = \"512\"\n", &["bad.toml:6:", "memory_mb", "invalid type", "whole number"]),
        Case { name: "bad duration", toml: "[simulation]\nduration = \"1hr\"\n".into(), sets: &[], expect: &["bad.toml:2:", "simulation.duration", "did you mean `h`?"] },
        case("bad distribution", &format!("{fn_ok}steps = [{{ compute = \"lognorm(median=5ms, sigma=0.5)\" }}]\n"), &["bad.toml:6:", "steps[0].compute", "did you mean `lognormal`?"]),
        case("nonsense distribution", &format!("{fn_ok}steps = [{{ io = \"lognormal(median=50ms, p99=10ms)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "above the median"]),
        case("unknown runtime", "\n[[lambda]]\nname = \"fn\"\nruntime = \"pyhton3.12\"\n", &["bad.toml:6:", "runtime", "did you mean `python3.12`?"]),
        case("undefined reference with close name", "\n[[workload]]\nname = \"w\"\ntarget = \"fnn\"\narrival = \"poisson(rate=1)\"\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "target", "`fnn` is not defined", "did you mean `fn`?"]),
        case("reference to the wrong kind", "\n[[workload]]\nname = \"w\"\ntarget = \"t\"\narrival = \"poisson(rate=1)\"\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "target", "is a table", "api or lambda"]),
        case("call cycle", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"b\" }]\n\n[[lambda]]\nname = \"b\"\nsteps = [{ call = \"a\" }]\n", &["bad.toml:6:", "steps", "cycle: a -> b -> a"]),
        case("reserved over the account limit", "\n[[lambda]]\nname = \"a\"\nreserved_concurrency = 600\n\n[[lambda]]\nname = \"b\"\nreserved_concurrency = 400\n", &["bad.toml:10:", "reserved_concurrency", "900", "100 unreserved"]),
        case("self call reported with other problems", "\n[[lambda]]\nname = \"a\"\nmemory_mb = 1\nsteps = [{ call = \"a\" }]\n", &["bad.toml:6:", "bad.toml:7:", "cycle: a -> a"]),
        case("wrong type for a nested table", "\n[[api]]\nname = \"x\"\ncache = 5\nroutes = []\n", &["bad.toml:6:", "cache", "expected a table"]),
        case("provisioned above reserved", "\n[[lambda]]\nname = \"a\"\nreserved_concurrency = 5\nprovisioned_concurrency = 10\n", &["bad.toml:7:", "provisioned_concurrency", "<= reserved_concurrency"]),
        case("snap_start with provisioned", "\n[[lambda]]\nname = \"a\"\nruntime = \"java21\"\nsnap_start = true\nprovisioned_concurrency = 2\n", &["bad.toml:7:", "snap_start", "provisioned_concurrency"]),
        case("snap_start on node", "\n[[lambda]]\nname = \"a\"\nsnap_start = true\n", &["bad.toml:6:", "snap_start", "nodejs22.x"]),
        case("unsupported kind", "\n[[queue]]\nname = \"jobs\"\n", &["bad.toml:4:", "[[queue]]", "not supported yet"]),
        case("unsupported sweep", "\n[sweep]\nreplications = 5\n", &["bad.toml:4:", "[sweep]", "not supported yet"]),
        case("unsupported arrival", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"trace(path=x.csv)\"\n"), &["bad.toml:10:", "arrival", "not supported yet"]),
        case("unsupported triggers", &format!("{fn_ok}triggers = [{{ source = \"jobs\" }}]\n"), &["bad.toml:6:", "triggers", "not supported yet"]),
        case("unsupported async call", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"b\", mode = \"async\" }]\n\n[[lambda]]\nname = \"b\"\n", &["bad.toml:6:", "mode", "not supported yet"]),
        case("unsupported table autoscaling", "\n[[table]]\nname = \"t\"\nautoscaling = { target = 0.7 }\n", &["bad.toml:6:", "autoscaling", "not supported yet"]),
        case("missing required field", "\n[[workload]]\nname = \"w\"\narrival = \"poisson(rate=1)\"\n", &["bad.toml:4:", "workload[0]", "missing field `target`"]),
        Case { name: "missing duration", toml: "[simulation]\nseed = 1\n".into(), sets: &[], expect: &["bad.toml:1:", "simulation.duration", "required"] },
        case("call to table without op", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"t\" }]\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "steps[0]", "needs `op`"]),
        case("bad table op", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"t\", op = \"querry\" }]\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "op", "did you mean `query`?"]),
        case("two kinds in one step", &format!("{fn_ok}steps = [{{ io = \"const(1ms)\", fail = 0.1 }}]\n"), &["bad.toml:6:", "steps[0]", "more than one"]),
        case("duplicate name", "\n[[lambda]]\nname = \"x\"\n\n[[table]]\nname = \"x\"\n", &["bad.toml:8:", "table[0]", "already used by lambda[0]"]),
        case("memory out of range", "\n[[lambda]]\nname = \"fn\"\nmemory_mb = 64\n", &["bad.toml:6:", "memory_mb", "128..=10240"]),
        case("unknown workload route", "\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /todo\" = 1 }\n\n[[api]]\nname = \"api\"\nroutes = [{ route = \"GET /todos\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:8:", "routes", "did you mean `GET /todos`?"]),
        case("cache on http api", "\n[[api]]\nname = \"api\"\ntype = \"http\"\ncache = { hit_ratio = 0.5 }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:7:", "cache", "only available on rest"]),
        case("provisioned of unreserved functions over the account", "\n[[lambda]]\nname = \"a\"\nprovisioned_concurrency = 600\n\n[[lambda]]\nname = \"b\"\nprovisioned_concurrency = 400\n", &["bad.toml:10:", "provisioned_concurrency", "1000", "account_concurrency - 100 = 900"]),
        case("sdk retries out of range", "\n[[table]]\nname = \"t\"\nsdk_retry = { max_attempts = 300 }\n", &["bad.toml:6:", "max_attempts", "1..=100"]),
        case("client retries out of range", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\nretry = {{ max_attempts = 70000 }}\n"), &["bad.toml:11:", "max_attempts", "1..=1000"]),
        case("scaled rate out of range", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=10)\"\nscale = 1e300\n"), &["bad.toml:11:", "scale", "requests/s"]),
        Case { name: "no spurious missing duration", toml: "[simulation]\nduration = \"1h\"\nseed = -1\n".into(), sets: &[], expect: &["bad.toml:3:", "seed"] },
        case("provisioned table without rcu", "\n[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nwcu = 5\n", &["bad.toml:4:", "rcu", "required"]),
        case("unsupported region", "region = \"eu-west-1\"\n", &["bad.toml:3:", "region", "us-east-1"]),
        case("toml syntax error", "\n[[lambda]]\nname = fn\n", &["bad.toml:5:", "syntax"]),
        case("missing empirical file", &format!("{fn_ok}steps = [{{ io = \"empirical(nope.csv)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "cannot read"]),
        Case { name: "bad --set path", toml: format!("{SIM}{fn_ok}"), sets: &["lambda.fm.memory_mb=256"], expect: &["--set lambda.fm.memory_mb=256", "no lambda named `fm`", "did you mean `fn`?"] },
        Case { name: "bad --set kind", toml: format!("{SIM}{fn_ok}"), sets: &["lamda.fn.memory_mb=256"], expect: &["--set lamda.fn", "did you mean `lambda`?"] },
        Case { name: "--set with a bad value", toml: format!("{SIM}{fn_ok}"), sets: &["lambda.fn.memory_mb=99999"], expect: &["--set lambda.fn.memory_mb=99999", "memory_mb", "from --set", "128..=10240"] },
        Case { name: "--set with a misspelt field", toml: format!("{SIM}{fn_ok}"), sets: &["lambda.fn.memroy_mb=256"], expect: &["--set", "did you mean `memory_mb`?"] },
    ]
}

#[test]
fn malformed_scenarios_are_rejected_with_located_messages() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 25);
    for c in &all {
        let sets: Vec<String> = c.sets.iter().map(|s| s.to_string()).collect();
        let res = std::panic::catch_unwind(|| {
            scenario::parse_str(&c.toml, "tests/fixtures/bad.toml", &sets)
        });
        match res {
            Err(_) => failures.push(format!("{}: PANICKED", c.name)),
            Ok(Ok(_)) => failures.push(format!("{}: accepted", c.name)),
            Ok(Err(e)) => {
                let msg = e.to_string();
                for want in c.expect {
                    if !msg.contains(want) {
                        failures.push(format!("{}: missing {want:?} in:\n{msg}\n", c.name));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let toml = "[simulation]\nduration = \"1h\"\nsead = 1\n\n[[lambda]]\nname = \"a\"\nmemory_mb = 1\nruntime = \"x\"\n\n[[table]]\nname = \"t\"\nconsistency = \"strng\"\n";
    let e = scenario::parse_str(toml, "m.toml", &[]).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.problems().len(), 4, "{msg}");
    for want in [
        "m.toml:3:",
        "m.toml:7:",
        "m.toml:8:",
        "m.toml:12:",
        "did you mean `strong`?",
        "4 problems in m.toml",
    ] {
        assert!(msg.contains(want), "missing {want:?} in {msg}");
    }
}

const GOOD: &str = r#"
[simulation]
name = "todo"
duration = "1h"
warmup = "2m"
seed = 42
account_concurrency = 2000
scaling = "legacy-2019"
free_tier = true
max_wall = "30s"

[[workload]]
name = "users"
target = "todo-api"
arrival = "poisson(rate=100)"
scale = 2
routes = { "GET /todos" = 3, "POST /todos" = 1 }
retry = { max_attempts = 5 }

[[workload]]
name = "batch"
target = "create-todo"
arrival = "steps(0s=1, 10m=5)"

[[api]]
name = "todo-api"
auth = "lognormal(median=8ms, sigma=0.3)"
cache = { ttl = "60s", hit_ratio = 0.6 }
routes = [
  { route = "GET /todos", target = "list-todos" },
  { route = "POST /todos", target = "create-todo" },
]

[[lambda]]
name = "list-todos"
runtime = "python3.12"
architecture = "arm64"
memory_mb = 512
timeout = "6s"
keep_alive = "10m"
routing = "lru"
max_lifetime = "2h"
reserved_concurrency = 100
provisioned_concurrency = 10
steps = [
  { compute = "gamma(shape=2, mean=30ms)", threads = 2 },
  { io = "empirical(samples.csv)" },
  { call = "todos", op = "query", items = 20, item_kb = 0.5 },
  { call = "create-todo" },
  { fail = 0.001 },
]

[[lambda]]
name = "create-todo"
runtime = "java21"
snap_start = true
steps = [{ call = "todos", op = "put" }]

[[table]]
name = "todos"
capacity = "provisioned"
rcu = 400
wcu = 100
consistency = "strong"
dax = { hit_ratio = 0.85 }

[[table]]
name = "audit"
"#;

#[test]
fn a_valid_scenario_with_every_feature_parses() {
    let s = scenario::parse_str(GOOD, "tests/fixtures/good.toml", &[]).unwrap();
    assert_eq!(s.simulation.name, "todo");
    assert_eq!(s.simulation.warmup, 120_000_000_000);
    assert_eq!(s.simulation.account_concurrency, 2000);
    assert_eq!(s.simulation.max_wall_s, Some(30.0));
    assert_eq!(s.simulation.timeseries_interval, 1_000_000_000);
    let w = &s.workloads[0];
    assert_eq!(w.target, Target::Api(0));
    assert_eq!(w.arrival, slsim::workload::Arrival::Poisson { rate: 200.0 });
    assert_eq!(w.routes, vec![(0, 0.75), (1, 0.25)]);
    assert_eq!(w.retry.as_ref().unwrap().max_attempts, 5);
    assert_eq!(s.workloads[1].target, Target::Lambda(1));
    assert!(s.workloads[1].routes.is_empty());
    let api = &s.apis[0];
    assert_eq!(api.timeout, 29_000_000_000);
    assert_eq!(api.rate_limit, 10_000.0);
    assert!(api.routes[0].cacheable && !api.routes[1].cacheable);
    assert_eq!(api.cache.as_ref().unwrap().ttl, 60_000_000_000);
    let f = &s.lambdas[0];
    assert_eq!(f.memory_mb, 512);
    assert_eq!(f.keep_alive, 600_000_000_000);
    assert_eq!(f.steps.len(), 5);
    assert!(matches!(f.steps[0], Step::Compute { threads, .. } if threads == 2.0));
    match &f.steps[1] {
        Step::Io(slsim::dist::Dist::Empirical(v)) => assert_eq!(v.len(), 4),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        f.steps[2],
        Step::Table {
            table: 0,
            items: 20,
            ..
        }
    ));
    assert!(matches!(f.steps[3], Step::Invoke { lambda: 1 }));
    let g = &s.lambdas[1];
    assert_eq!(g.memory_mb, 128);
    assert_eq!(g.timeout, 3_000_000_000);
    assert_eq!(g.keep_alive, 360_000_000_000);
    assert!(g.snap_start);
    assert!(
        (g.init.mean() - 0.75).abs() < 0.1,
        "restore init {:?}",
        g.init
    );
    assert_eq!(
        s.tables[0].capacity,
        Capacity::Provisioned {
            rcu: 400.0,
            wcu: 100.0
        }
    );
    assert_eq!(s.tables[0].dax.as_ref().unwrap().ttl, 300_000_000_000);
    assert_eq!(
        s.tables[1].capacity,
        Capacity::OnDemand {
            initial_read_peak: 6000.0,
            initial_write_peak: 2000.0
        }
    );
    assert_eq!(s.tables[1].sdk_retry.max_attempts, 4);
    assert_eq!(s.tables[1].sdk_retry.base, 25_000_000);
    let dot = slsim::topology::to_dot(&s);
    assert!(
        dot.contains("\"todo-api\" -> \"list-todos\" [label=\"GET /todos\"]"),
        "{dot}"
    );
}

#[test]
fn set_overrides_change_values_and_are_validated() {
    let sets = [
        "lambda.list-todos.memory_mb=1024",
        "workload.users.arrival=\"constant(rate=5)\"",
        "simulation.duration=2h",
        "api.todo-api.cache.hit_ratio=0.9",
        "lambda.create-todo.steps=[{compute=\"const(5ms)\"}]",
        "workload.users.scale=3",
    ]
    .map(String::from);
    let s = scenario::parse_str(GOOD, "tests/fixtures/good.toml", &sets).unwrap();
    assert_eq!(s.lambdas[0].memory_mb, 1024);
    assert_eq!(
        s.workloads[0].arrival,
        slsim::workload::Arrival::Constant { rate: 15.0 }
    );
    assert_eq!(s.simulation.duration, 7_200_000_000_000);
    assert_eq!(s.apis[0].cache.as_ref().unwrap().hit_ratio, 0.9);
    assert!(matches!(s.lambdas[1].steps[..], [Step::Compute { .. }]));

    let bad = ["api.todo-api.cache.hit_ratio=1.5".to_string()];
    let msg = scenario::parse_str(GOOD, "good.toml", &bad)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("--set api.todo-api.cache.hit_ratio=1.5"),
        "{msg}"
    );
    assert!(msg.contains("hit_ratio"), "{msg}");
}

#[test]
fn load_reads_files_and_reports_missing_ones() {
    let e = scenario::load(std::path::Path::new("tests/fixtures/nope.toml"), &[]).unwrap_err();
    assert!(e.to_string().contains("nope.toml"));
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "[",
        "[[lambda]]",
        "[[lambda]]\nname = 1",
        "simulation = 3",
        "lambda = 3",
        "[[workload]]\nroutes = 5",
        "[simulation]\nduration = \"\"",
        "[simulation]\nduration = \"1h\"\n[[lambda]]\nname=\"a\"\nsteps = 7",
        "[simulation]\nduration = \"1h\"\n[[lambda]]\nname=\"a\"\nsteps = [7]",
        "\u{feff}[simulation]",
        "[simulation]\nduration = \"1µs\"\nwarmup = \"1é\"",
    ];
    for t in inputs {
        for sets in [
            vec![],
            vec!["=".to_string()],
            vec!["lambda".to_string()],
            vec!["lambda.a.steps.9.x=1".to_string()],
            vec!["simulation..x=1".to_string()],
        ] {
            let _ = scenario::parse_str(t, "g.toml", &sets);
        }
    }
}

/// A `[simulation]` that fails to parse is reported once, without its
/// present fields being called missing.
#[test]
fn a_broken_simulation_section_is_not_also_missing_its_duration() {
    let text = "[simulation]\nduration = \"1h\"\nseed = -1\n";
    let err = scenario::parse_str(text, "bad.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("seed"), "{err}");
    assert!(!err.contains("required"), "{err}");
}
