//! Malformed scenarios: each must be rejected (never a panic) with a message
//! naming the line, the field and, where it helps, a "did you mean" hint.

use slsim::model::{CacheHits, Capacity, Step, Target};
use slsim::scenario;

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
        case("reference to the wrong kind", "\n[[workload]]\nname = \"w\"\ntarget = \"t\"\narrival = \"poisson(rate=1)\"\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "target", "is a table", "an api, lambda, queue, topic, bucket or cdn"]),
        case("call cycle", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"b\" }]\n\n[[lambda]]\nname = \"b\"\nsteps = [{ call = \"a\" }]\n", &["bad.toml:6:", "steps", "cycle: a -> b -> a"]),
        case("reserved over the account limit", "\n[[lambda]]\nname = \"a\"\nreserved_concurrency = 600\n\n[[lambda]]\nname = \"b\"\nreserved_concurrency = 400\n", &["bad.toml:10:", "reserved_concurrency", "900", "100 unreserved"]),
        case("self call", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"a\" }]\n", &["bad.toml:6:", "lambda[0] \"a\" .steps: synchronous call cycle: a -> a", "hint: a function cannot (indirectly) call itself synchronously"]),
        // Cycles are asked of the call graph, built from the valid model:
        // the other problems come first.
        case("self call reported once the rest is valid", "\n[[lambda]]\nname = \"a\"\nmemory_mb = 1\nsteps = [{ call = \"a\" }]\n", &["bad.toml:6:", "memory_mb", "1 problem in"]),
        case("wrong type for a nested table", "\n[[api]]\nname = \"x\"\ncache = 5\nroutes = []\n", &["bad.toml:6:", "cache", "expected a table"]),
        case("provisioned above reserved", "\n[[lambda]]\nname = \"a\"\nreserved_concurrency = 5\nprovisioned_concurrency = 10\n", &["bad.toml:7:", "provisioned_concurrency", "<= reserved_concurrency"]),
        case("snap_start with provisioned", "\n[[lambda]]\nname = \"a\"\nruntime = \"java21\"\nsnap_start = true\nprovisioned_concurrency = 2\n", &["bad.toml:7:", "snap_start", "provisioned_concurrency"]),
        case("snap_start on node", "\n[[lambda]]\nname = \"a\"\nsnap_start = true\n", &["bad.toml:6:", "snap_start", "nodejs22.x"]),
        case("unsupported kind", "\n[[workflow]]\nname = \"jobs\"\n", &["bad.toml:4:", "[[workflow]]", "not supported yet"]),
        case("sweep without replications", "\n[sweep]\nreplications = 0\n", &["bad.toml:5:", "sweep.replications", "1..=1000"]),
        case("missing trace file", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"trace(path=x.csv)\"\n"), &["bad.toml:10:", "arrival", "cannot read", "hint: paths are relative to the scenario file"]),
        case("topic as a trigger source", &format!("{fn_ok}triggers = [{{ source = \"jobs\" }}]\n\n[[topic]]\nname = \"jobs\"\n"), &["bad.toml:6:", "triggers[0].source", "`jobs` is a topic", "add it to `subscribers`"]),
        case("bucket as a trigger source", &format!("{fn_ok}triggers = [{{ source = \"jobs\" }}]\n\n[[bucket]]\nname = \"jobs\"\n"), &["bad.toml:6:", "triggers[0].source", "jobs"]),
        case("bad async mode", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"b\", mode = \"asynch\" }]\n\n[[lambda]]\nname = \"b\"\n", &["bad.toml:6:", "mode", "did you mean `async`?"]),
        case("unknown keep-alive policy", "\n[[lambda]]\nname = \"a\"\nkeep_alive_policy = \"hybird\"\n", &["bad.toml:6:", "keep_alive_policy", "unknown keep-alive policy", "did you mean `hybrid`?"]),
        case("hybrid margin out of range", "\n[[lambda]]\nname = \"a\"\nkeep_alive_policy = \"hybrid(margin=120)\"\n", &["bad.toml:6:", "keep_alive_policy", "margin 120 is out of range", "hint: hybrid(range=4h"]),
        case("hybrid with too many bins", "\n[[lambda]]\nname = \"a\"\nkeep_alive_policy = \"hybrid(range=24h, bin=1s)\"\n", &["bad.toml:6:", "keep_alive_policy", "86400 bins", "2..=10000"]),
        case("hybrid head above tail", "\n[[lambda]]\nname = \"a\"\nkeep_alive_policy = \"hybrid(head=99, tail=5)\"\n", &["bad.toml:6:", "keep_alive_policy", "head 99 is above tail 5"]),
        case("async retries out of range", "\n[[lambda]]\nname = \"a\"\nmax_retry_attempts = 3\n", &["bad.toml:6:", "max_retry_attempts", "0..=2", "aws-facts 1.2"]),
        case("event age out of range", "\n[[lambda]]\nname = \"a\"\nmax_event_age = \"7h\"\n", &["bad.toml:6:", "max_event_age", "60s..=6h"]),
        case("undefined destination", "\n[[lambda]]\nname = \"a\"\ndestinations = { on_failure = \"b\" }\n", &["bad.toml:6:", "destinations.on_failure", "`b` is not defined"]),
        case("unknown destination field", "\n[[lambda]]\nname = \"a\"\ndestinations = { on_sucess = \"a\" }\n", &["bad.toml:6:", "destinations.on_sucess", "did you mean `on_success`?"]),
        case("misspelt table auto_scaling", "\n[[table]]\nname = \"t\"\nautoscaling = { target = 70 }\n", &["bad.toml:6:", "unknown field `autoscaling`", "did you mean `auto_scaling`?"]),
        case("missing required field", "\n[[workload]]\nname = \"w\"\narrival = \"poisson(rate=1)\"\n", &["bad.toml:4:", "workload[0]", "missing field `target`"]),
        Case { name: "missing duration", toml: "[simulation]\nseed = 1\n".into(), sets: &[], expect: &["bad.toml:1:", "simulation.duration", "required"] },
        case("call to table without op", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"t\" }]\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "steps[0]", "needs `op`"]),
        case("bad table op", "\n[[lambda]]\nname = \"a\"\nsteps = [{ call = \"t\", op = \"querry\" }]\n\n[[table]]\nname = \"t\"\n", &["bad.toml:6:", "op", "did you mean `query`?"]),
        case("two kinds in one step", &format!("{fn_ok}steps = [{{ io = \"const(1ms)\", fail = 0.1 }}]\n"), &["bad.toml:6:", "steps[0]", "more than one"]),
        case("duplicate name", "\n[[lambda]]\nname = \"x\"\n\n[[table]]\nname = \"x\"\n", &["bad.toml:8:", "table[0]", "already used by lambda[0]"]),
        case("memory out of range", "\n[[lambda]]\nname = \"fn\"\nmemory_mb = 64\n", &["bad.toml:6:", "memory_mb", "128..=10240"]),
        case("unknown workload route", "\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /todo\" = 1 }\n\n[[api]]\nname = \"api\"\nroutes = [{ route = \"GET /todos\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:8:", "routes", "did you mean `GET /todos`?"]),
        case("cache on http api", "\n[[api]]\nname = \"api\"\ntype = \"http\"\ncache = { hit_ratio = 0.5 }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:7:", "cache", "only available on rest"]),
        case("api cache with keys and hit_ratio", "\n[[api]]\nname = \"api\"\ncache = { hit_ratio = 0.5, keys = \"zipf(n=100, s=1)\" }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "cache.hit_ratio", "both `hit_ratio` and `keys`", "not both"]),
        case("api cache with neither keys nor hit_ratio", "\n[[api]]\nname = \"api\"\ncache = { ttl = \"60s\" }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "a cache needs `keys` or `hit_ratio`"]),
        case("api cache with a bad key model", "\n[[api]]\nname = \"api\"\ncache = { keys = \"zipf(n=0, s=1)\" }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "cache.keys"]),
        case("provisioned of unreserved functions over the account", "\n[[lambda]]\nname = \"a\"\nprovisioned_concurrency = 600\n\n[[lambda]]\nname = \"b\"\nprovisioned_concurrency = 400\n", &["bad.toml:10:", "provisioned_concurrency", "1000", "account_concurrency - 100 = 900"]),
        case("sdk retries out of range", "\n[[table]]\nname = \"t\"\nsdk_retry = { max_attempts = 300 }\n", &["bad.toml:6:", "max_attempts", "1..=100"]),
        case("client retries out of range", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\nretry = {{ max_attempts = 70000 }}\n"), &["bad.toml:11:", "max_attempts", "1..=1000"]),
        case("scaled rate out of range", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=10)\"\nscale = 200000\n"), &["bad.toml:11:", ".scale", "scale 200000 makes the arrival rate peak at 2000000 requests/s, above the limit of 1000000 requests/s"]),
        case("scale out of range", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=10)\"\nscale = 1e300\n"), &["bad.toml:11:", ".scale", "1e300 is out of range (allowed 0..=1000000)"]),
        Case { name: "no spurious missing duration", toml: "[simulation]\nduration = \"1h\"\nseed = -1\n".into(), sets: &[], expect: &["bad.toml:3:", "seed"] },
        case("provisioned table without rcu", "\n[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nwcu = 5\n", &["bad.toml:4:", "rcu", "required"]),
        case("unsupported region", "region = \"eu-west-1\"\n", &["bad.toml:3:", "region", "us-east-1"]),
        case("toml syntax error", "\n[[lambda]]\nname = fn\n", &["bad.toml:5:", "syntax"]),
        case("missing empirical file", &format!("{fn_ok}steps = [{{ io = \"empirical(nope.csv)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "cannot read"]),
        // Finding 4: every numeric field has bounds (AWS quotas where they exist).
        case("rcu above the per-table quota", "\n[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 1e308\nwcu = 5\n", &["bad.toml:7:", ".rcu", "1e308 is out of range (allowed 1..=40000)", "aws-facts 5.1"]),
        case("wcu below one unit", "\n[[table]]\nname = \"t\"\ncapacity = \"provisioned\"\nrcu = 5\nwcu = 0.5\n", &["bad.toml:8:", ".wcu", "0.5 is out of range (allowed 1..=40000)"]),
        case("on-demand peak above the quota", "\n[[table]]\nname = \"t\"\ninitial_read_peak = 1e9\n", &["bad.toml:6:", "initial_read_peak", "allowed 0..=40000"]),
        case("route weight that overflows", "\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /a\" = 1e308, \"GET /b\" = 1e308 }\n\n[[api]]\nname = \"api\"\nroutes = [{ route = \"GET /a\", target = \"fn\" }, { route = \"GET /b\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:8:", "routes.\"GET /a\"", "1e308 is out of range (allowed 1e-9..=1000000000)", "routes.\"GET /b\""]),
        case("client backoff of 1000 days", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\nretry = {{ backoff = \"const(1000d)\" }}\n"), &["bad.toml:11:", "retry.backoff", "longer than 366 days"]),
        case("client backoff mean above an hour", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\nretry = {{ backoff = \"exp(mean=2h)\" }}\n"), &["bad.toml:11:", "retry.backoff", "mean backoff is 7200s, above the limit of 1h"]),
        case("client backoff with no finite mean", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\nretry = {{ backoff = \"pareto(scale=1s, shape=0.5)\" }}\n"), &["bad.toml:11:", "retry.backoff", "infinite"]),
        case("sdk max_backoff above an hour", "\n[[table]]\nname = \"t\"\nsdk_retry = { max_backoff = \"2h\" }\n", &["bad.toml:6:", "sdk_retry.max_backoff", "allowed 0s..=1h"]),
        case("keep_alive of a month", &format!("{fn_ok}keep_alive = \"30d\"\n"), &["bad.toml:6:", ".keep_alive", "allowed 0s..=24h", "provisioned_concurrency"]),
        case("max_lifetime of a month", &format!("{fn_ok}max_lifetime = \"30d\"\n"), &["bad.toml:6:", ".max_lifetime", "allowed 1ns..=24h"]),
        Case { name: "run longer than a year", toml: "[simulation]\nduration = \"400d\"\n".into(), sets: &[], expect: &["bad.toml:2:", "simulation.duration", "longer than 366 days"] },
        case("timeseries interval longer than a year", "timeseries_interval = \"1000d\"\n", &["bad.toml:3:", "timeseries_interval", "366 days"]),
        case("memory beyond 32 bits", &format!("{fn_ok}memory_mb = 99999999999\n"), &["bad.toml:6:", ".memory_mb", "memory_mb 99999999999 is out of range (allowed 128..=10240)"]),
        case("account concurrency above a million", "account_concurrency = 2000000\n", &["bad.toml:3:", "account_concurrency 2000000 is out of range (allowed 1..=1000000)"]),
        case("max_events above 10^15", "max_events = 1000000000000000000\n", &["bad.toml:3:", "max_events", "allowed 1..=1000000000000000"]),
        case("negative reserved concurrency", &format!("{fn_ok}reserved_concurrency = -5\n"), &["bad.toml:6:", "reserved_concurrency -5 is out of range (allowed 0..=1000)"]),
        case("threads too small", &format!("{fn_ok}steps = [{{ compute = \"const(1ms)\", threads = 1e-300 }}]\n"), &["bad.toml:6:", "steps[0].threads", "1e-300 is out of range (allowed 0.01..=6)"]),
        case("threads above the vCPUs of a function", &format!("{fn_ok}steps = [{{ compute = \"const(1ms)\", threads = 100 }}]\n"), &["bad.toml:6:", "steps[0].threads", "allowed 0.01..=6"]),
        case("items above a million", &format!("{fn_ok}steps = [{{ call = \"t\", op = \"scan\", items = 5000000 }}]\n\n[[table]]\nname = \"t\"\n"), &["bad.toml:6:", "steps[0].items", "items 5000000 is out of range (allowed 1..=1000000)"]),
        case("api rate limit above a million", "\n[[api]]\nname = \"api\"\nrate_limit = 1e308\nburst = 1e308\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", ".rate_limit", "bad.toml:7:", ".burst", "1e308 is out of range (allowed 1..=1000000)"]),
        case("lognormal sigma of 50", &format!("{fn_ok}steps = [{{ io = \"lognormal(median=1ms, sigma=50)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "sigma 50 is out of range"]),
        case("pareto shape whose draws overflow", &format!("{fn_ok}steps = [{{ io = \"pareto(scale=1ms, shape=0.001)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "pareto shape 0.001 is out of range (allowed 0.1..=1000000)"]),
        case("max_memory below 16 MiB", "max_memory = \"8MiB\"\n", &["bad.toml:3:", "simulation.max_memory", "allowed 16MiB..=1TiB"]),
        case("max_memory above 1 TiB", "max_memory = \"2TiB\"\n", &["bad.toml:3:", "max_memory", "allowed 16MiB..=1TiB"]),
        case("max_memory without a known unit", "max_memory = \"4G\"\n", &["bad.toml:3:", "max_memory", "unknown size unit `G`", "GiB"]),
        case("max_memory as a bare number", "max_memory = 4096\n", &["bad.toml:3:", "max_memory", "invalid type"]),
        // Finding 7: messages.
        case("arrival above the rate limit names the arrival", &format!("{fn_ok}\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1000001)\"\n"), &["bad.toml:10:11:", "workload[0] \"w\" .arrival:", "poisson rate 1000001 requests/s is above the limit of 1000000 requests/s"]),
        case("tiny rate limit printed compactly", "\n[[api]]\nname = \"api\"\nrate_limit = 5e-324\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", ".rate_limit: 5e-324 is out of range (allowed 1e-6..=1000000)"]),
        case("missing target and arrival both reported", "\n[[workload]]\nname = \"w\"\n", &["bad.toml:4:", "missing field `target`", "missing field `arrival`", "2 problems"]),
        case("missing route fields both reported", "\n[[api]]\nname = \"api\"\nroutes = [{}]\n", &["missing field `route`", "missing field `target`", "2 problems"]),
        case("article before api", "\n[[workload]]\nname = \"w\"\ntarget = \"q\"\narrival = \"poisson(rate=1)\"\n\n[[table]]\nname = \"q\"\n", &["bad.toml:6:", "`q` is a table", "a workload target must be an api, lambda, queue, topic, bucket or cdn"]),
        case("article before a step kind", &format!("{fn_ok}steps = [{{ io = \"const(1ms)\", threads = 2 }}]\n"), &["bad.toml:6:", "does not apply to an `io` step"]),
        case("leading underscore in a duration", &format!("{fn_ok}timeout = \"_1s\"\n"), &["bad.toml:6:", ".timeout", "`_1s` is not a duration", "`_` may only separate two digits"]),
        case("double underscore in a duration", &format!("{fn_ok}timeout = \"1__0s\"\n"), &["bad.toml:6:", ".timeout", "`1__0s` is not a duration"]),
        case("two spaces in a route", "\n[[api]]\nname = \"api\"\nroutes = [{ route = \"GET  /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "routes[0].route", "\"GET  /x\" is not a route: more than one space", "hint: write METHOD, one space"]),
        case("space in a route path", "\n[[api]]\nname = \"api\"\nroutes = [{ route = \"GET /x y\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\n", &["bad.toml:6:", "routes[0].route", "\"GET /x y\" is not a route", "without spaces"]),
        case("newline in a name", "\n[[lambda]]\nname = \"a\\nb\"\n", &["bad.toml:5:", "lambda[0] \"a\\nb\" .name: \"a\\nb\" contains a control character", "hint: names appear in tables"]),
        case("tab in the scenario name", "name = \"x\\ty\"\n", &["bad.toml:3:", "simulation.name", "control character"]),
        case("huge value in an empirical file", &format!("{fn_ok}steps = [{{ io = \"empirical(huge.csv)\" }}]\n"), &["bad.toml:6:", "steps[0].io", "huge.csv` line 2", "longer than 366 days"]),
        Case { name: "--set seed beyond 64 bits", toml: format!("{SIM}{fn_ok}"), sets: &["simulation.seed=18446744073709551615"], expect: &["--set simulation.seed=18446744073709551615", "out of range", "0..=9223372036854775807"] },
        Case { name: "--set negative seed", toml: format!("{SIM}{fn_ok}"), sets: &["simulation.seed=-1"], expect: &["--set simulation.seed=-1", "seed -1 is out of range (allowed 0..=9223372036854775807)"] },
        Case { name: "--set float beyond f64", toml: format!("{SIM}{fn_ok}"), sets: &["api.x.rate_limit=1e400"], expect: &["--set api.x.rate_limit=1e400", "out of range"] },
        Case { name: "seed beyond 64 bits in the file", toml: "[simulation]\nduration = \"1h\"\nseed = 18446744073709551615\n".into(), sets: &[], expect: &["bad.toml:3:", "too large", "9223372036854775807"] },
        Case { name: "--set index beyond one item", toml: format!("{SIM}{fn_ok}steps = [{{ io = \"const(1ms)\" }}]\n"), sets: &["lambda.fn.steps.3.io=\"const(2ms)\""], expect: &["index 3 is out of range (the array has 1 item)"] },
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
    assert!(
        api.stage.is_none(),
        "no stage limits given: only the account's apply"
    );
    assert_eq!(s.simulation.api_account.rate, 10_000.0);
    assert_eq!(s.simulation.api_account.burst, 5_000.0);
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
    assert_eq!(
        s.apis[0].cache.as_ref().unwrap().hits,
        CacheHits::Fixed(0.9)
    );
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

/// Finding 7: a lambda and a table with the same name: one problem, the
/// duplicate, and no false errors from guessing which one a call means.
#[test]
fn a_name_shared_across_kinds_is_reported_once() {
    let text = "[simulation]\nduration = \"1h\"\n\n[[workload]]\nname = \"w\"\ntarget = \"x\"\narrival = \"poisson(rate=1)\"\n\n[[lambda]]\nname = \"x\"\nsteps = [{ call = \"x\", op = \"get\" }]\n\n[[table]]\nname = \"x\"\n";
    let e = scenario::parse_str(text, "dup.toml", &[]).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.problems().len(), 1, "{msg}");
    assert!(msg.contains("dup.toml:14:"), "{msg}");
    assert!(
        msg.contains("name `x` is already used by lambda[0]"),
        "{msg}"
    );
    assert!(
        msg.contains("unique across all components of every kind"),
        "{msg}"
    );
}

/// Finding 7: `µs` and `μs` are microseconds, exponents are accepted, and
/// a message about a tiny number stays short.
#[test]
fn microseconds_exponents_and_compact_numbers() {
    let text = format!(
        "{SIM}\n[[lambda]]\nname = \"fn\"\nkeep_alive = \"1e3s\"\nsteps = [{{ io = \"const(5\u{3bc}s)\" }}, {{ io = \"const(5\u{b5}s)\" }}]\n"
    );
    let s = scenario::parse_str(&text, "ok.toml", &[]).unwrap();
    assert_eq!(s.lambdas[0].keep_alive, 1_000_000_000_000);
    for step in &s.lambdas[0].steps {
        match step {
            Step::Io(slsim::dist::Dist::Const(v)) => assert!((v - 5e-6).abs() < 1e-18),
            other => panic!("{other:?}"),
        }
    }
    let bad = format!("{SIM}\n[[api]]\nname = \"a\"\nrate_limit = 5e-324\nroutes = [{{ route = \"GET /x\", target = \"fn\" }}]\n\n[[lambda]]\nname = \"fn\"\n");
    let msg = scenario::parse_str(&bad, "b.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(msg.lines().all(|l| l.len() < 200), "{msg}");
}

/// Finding 4: route weights are normalised without overflow (divided by
/// the largest first), at both ends of their range.
#[test]
fn route_weights_are_normalised_without_overflow() {
    let text = format!("{SIM}\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"poisson(rate=1)\"\nroutes = {{ \"GET /a\" = 1e9, \"GET /b\" = 1e9, \"GET /c\" = 1e-9 }}\n\n[[api]]\nname = \"api\"\nroutes = [{{ route = \"GET /a\", target = \"fn\" }}, {{ route = \"GET /b\", target = \"fn\" }}, {{ route = \"GET /c\", target = \"fn\" }}]\n\n[[lambda]]\nname = \"fn\"\n");
    let s = scenario::parse_str(&text, "w.toml", &[]).unwrap();
    let r = &s.workloads[0].routes;
    assert_eq!(r.len(), 3);
    assert!((r[0].1 - 0.5).abs() < 1e-15 && r[0].1 == r[1].1, "{r:?}");
    assert!(r[2].1 > 0.0 && r[2].1 < 1e-17, "{r:?}");
    let total: f64 = r.iter().map(|x| x.1).sum();
    assert!((total - 1.0).abs() < 1e-15, "{r:?}");
}

/// Task 5: `max_memory` is parsed into bytes; absent means the run-time
/// default.
#[test]
fn max_memory_is_parsed() {
    let at = |v: &str| {
        let text = format!("{SIM}max_memory = \"{v}\"\n");
        scenario::parse_str(&text, "m.toml", &[])
            .unwrap()
            .simulation
            .max_memory_bytes
    };
    assert_eq!(at("4GiB"), Some(4 << 30));
    assert_eq!(at("16MiB"), Some(16 << 20));
    assert_eq!(at("1TiB"), Some(1 << 40));
    assert_eq!(at("500MB"), Some(500_000_000));
    let none = scenario::parse_str(SIM, "m.toml", &[]).unwrap();
    assert_eq!(none.simulation.max_memory_bytes, None);
    let set = scenario::parse_str(SIM, "m.toml", &["simulation.max_memory=2GiB".into()]).unwrap();
    assert_eq!(set.simulation.max_memory_bytes, Some(2 << 30));
}

/// Finding 8: warnings at validation time, one line each, naming the file,
/// line and field.
#[test]
fn validation_warnings() {
    let text = "[simulation]\nduration = \"10s\"\n\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"diurnal(mean=10, peak=20, period=24h)\"\n\n[[api]]\nname = \"api\"\ncache = { ttl = \"60s\", hit_ratio = 0.5 }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\ntimeout = \"60s\"\n\n[[table]]\nname = \"t\"\ndax = { hit_ratio = 0.5, ttl = \"5m\" }\n";
    let s = scenario::parse_str(text, "w.toml", &[]).unwrap();
    let w = &s.warnings;
    assert_eq!(w.len(), 4, "{w:#?}");
    let expect = [
        (
            "w.toml:7:11: workload[0] \"w\" .arrival:",
            "diurnal period 1d is longer than the run (10s)",
        ),
        (
            "w.toml:11:17: api[0] \"api\" .cache.ttl:",
            "cache ttl with a fixed hit_ratio is not used",
        ),
        (
            "w.toml:16:11: lambda[0] \"fn\" .timeout:",
            "timeout 1m is longer than the 29s integration timeout of api `api`",
        ),
        (
            "w.toml:20:32: table[0] \"t\" .dax.ttl:",
            "not used by the model yet",
        ),
    ];
    for ((at, what), got) in expect.iter().zip(w) {
        assert!(got.starts_with(at) && got.contains(what), "{got}");
        assert!(!got.contains('\n'), "{got}");
    }
    // None of them for a scenario that does not call for them.
    let quiet = "[simulation]\nduration = \"1h\"\n\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"diurnal(mean=10, peak=20, period=10m)\"\n\n[[api]]\nname = \"api\"\ncache = { hit_ratio = 0.5 }\nroutes = [{ route = \"GET /x\", target = \"fn\" }]\n\n[[lambda]]\nname = \"fn\"\ntimeout = \"29s\"\n";
    let s = scenario::parse_str(quiet, "q.toml", &[]).unwrap();
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);
}
