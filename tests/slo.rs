//! SLOs and the objective: `slsim run`'s exit code (3 exactly when an SLO
//! fails), bad `[[slo]]` input, the list of metrics against the
//! `summary.json` of real runs, `error_ratio` and `cold_start_ratio`.

use assert_cmd::Command;
use serde_json::Value;
use slsim::model::metrics::{self, SECTIONS};
use slsim::scenario;
use std::collections::BTreeSet;
use std::path::Path;

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `slsim run` of minimal.toml into `out` with extra arguments.
fn run(out: &Path, extra: &[String]) -> std::process::Output {
    slsim()
        .args(["run", MINIMAL, "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn summary(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

/// `--set`s adding one SLO.
fn slo(metric: &str, key: &str, bound: f64) -> Vec<String> {
    vec![
        format!("--set=slo.0.metric={metric}"),
        // `{:?}` prints the shortest text that reads back to the same f64.
        format!("--set=slo.0.{key}={bound:?}"),
    ]
}

#[test]
fn run_exits_3_exactly_when_an_slo_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let base = run(&out, &[]);
    assert_eq!(base.status.code(), Some(0), "{}", text(&base.stderr));
    let s = summary(&out);
    assert_eq!(s["slos"], serde_json::json!([]));
    assert!(s["objective"].is_null());
    let metric = "workloads.users.latency_ms.p99";
    let p99 = s["workloads"]["users"]["latency_ms"]["p99"]
        .as_f64()
        .unwrap();
    let below = p99 - p99 * 1e-9;
    let above = p99 + p99 * 1e-9;
    // Bounds are inclusive: the measured value itself passes both ways.
    for (key, bound, code) in [
        ("max", p99, 0),
        ("max", above, 0),
        ("max", below, 3),
        ("min", p99, 0),
        ("min", below, 0),
        ("min", above, 3),
    ] {
        let o = run(&out, &slo(metric, key, bound));
        assert_eq!(
            o.status.code(),
            Some(code),
            "{key} = {bound} (p99 {p99}): {}",
            text(&o.stderr)
        );
        let v = &summary(&out)["slos"][0];
        assert_eq!(v["value"].as_f64(), Some(p99), "the same run, the same p99");
        assert_eq!(v[key].as_f64(), Some(bound));
        assert_eq!(v["pass"], code == 0);
        let err = text(&o.stderr);
        // --quiet: nothing on stdout, a failed SLO's ✗ line on stderr.
        assert!(o.stdout.is_empty());
        if code == 0 {
            assert!(err.is_empty(), "{err}");
        } else {
            assert!(err.contains(&format!("✗ {metric}: ")), "{err}");
            assert!(err.contains("error: 1 of 1 SLOs failed"), "{err}");
        }
    }
}

#[test]
fn an_undefined_metric_fails_and_a_count_maps_absent_key_is_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // get-item accepts no asynchronous event: no `async` figures.
    let o = run(&out, &slo("functions.get-item.async.accepted", "max", 1e9));
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let v = &summary(&out)["slos"][0];
    assert!(v["value"].is_null() && v["pass"] == false);
    assert!(v["undefined"].as_str().unwrap().contains("async"), "{v}");
    assert!(text(&o.stderr).contains("undefined"));
    // No request failed: no "502" in `status`, which reads as 0.
    let o = run(&out, &slo("workloads.users.status.502", "max", 0.0));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(summary(&out)["slos"][0]["value"], 0.0);
}

#[test]
fn slos_from_the_file_print_marks_and_the_objective() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("s.toml");
    let mut toml = std::fs::read_to_string(MINIMAL).unwrap();
    toml.push_str(
        "\n[[slo]]\nname = \"fast\"\nmetric = \"workloads.users.latency_ms.p99\"\nmax = 1000\n\
         \n[[slo]]\nmetric = \"functions.get-item.cold_starts\"\nmax = 0\n\
         \n[objective]\nminimize = \"cost.monthly_usd\"\n",
    );
    std::fs::write(&path, toml).unwrap();
    let out = tmp.path().join("out");
    let o = slsim()
        .args(["run"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    // One cold start at least (the first request): the second SLO fails.
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("SLOs: 1 of 2 met"), "{stdout}");
    assert!(stdout.contains("✓ fast (workloads.users.latency_ms.p99): "));
    assert!(stdout.contains("✗ functions.get-item.cold_starts: "));
    assert!(stdout.contains("objective: minimize cost.monthly_usd = "));
    let s = summary(&out);
    assert_eq!(s["objective"]["value"], s["cost"]["monthly_usd"]);
    assert_eq!(s["objective"]["direction"], "minimize");
    assert_eq!(s["slos"][0]["name"], "fast");
    // --json prints summary.json itself, byte for byte; the exit code
    // still says the SLO failed.
    let o = slsim()
        .args(["run", "--json"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let file = std::fs::read(out.join("summary.json")).unwrap();
    assert_eq!(o.stdout, file);
    assert!(text(&o.stderr).contains("✗ functions.get-item.cold_starts"));
}

#[test]
fn a_run_a_guard_stops_exits_1_even_when_an_slo_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut args = slo("workloads.users.requests", "min", 1e9);
    args.push("--set=simulation.max_events=500".into());
    let o = run(&out, &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("stopped early"));
    assert_eq!(summary(&out)["slos"][0]["pass"], false);
}

/// The problems of `text` with `sets`, one string each.
fn problems(text: &str, sets: &[&str]) -> Vec<String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::parse_str(text, "slo.toml", &sets) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
    }
}

fn minimal_with(extra: &str) -> String {
    format!("{}\n{extra}", std::fs::read_to_string(MINIMAL).unwrap())
}

#[test]
fn bad_slos_name_file_line_field_and_hint() {
    let base_lines = std::fs::read_to_string(MINIMAL).unwrap().lines().count() + 1;
    let line = |k: usize| format!("slo.toml:{}:", base_lines + k);
    let cases: &[(&str, usize, &str, &str)] = &[
        // (the [[slo]] body, line of the problem in it (1 = its header),
        // text of the problem, text of its hint)
        (
            "metric = \"workload.users.latency_ms.p99\"\nmax = 1",
            2,
            "unknown section `workload`",
            "`workloads`",
        ),
        (
            "metric = \"lambda.get-item.cold_starts\"\nmax = 1",
            2,
            "unknown section `lambda`",
            "`functions`",
        ),
        (
            "metric = \"workloads.user.latency_ms.p99\"\nmax = 1",
            2,
            "no workload named `user`",
            "did you mean `users`?",
        ),
        (
            "metric = \"workloads.get-item.latency_ms.p99\"\nmax = 1",
            2,
            "`get-item` is a lambda, not a workload",
            "`functions`",
        ),
        (
            "metric = \"workloads.users.latency_ms.p95\"\nmax = 1",
            2,
            "`latency_ms.p95` is not a metric of `workloads`",
            "did you mean",
        ),
        (
            "metric = \"workloads.users\"\nmax = 1",
            2,
            "names no field",
            "latency_ms.{count",
        ),
        (
            "metric = \"workloads.users.status.5o2\"\nmax = 1",
            2,
            "`5o2` is not a key of `status`",
            "did you mean",
        ),
        (
            "metric = \"cost.by_service.lamda\"\nmax = 1",
            2,
            "`lamda` is not a key of `by_service`",
            "`lambda`",
        ),
        (
            "metric = \"workloads.users.latency_ms.p99.\"\nmax = 1",
            2,
            "not a metric path",
            "section.component.field",
        ),
        (
            "metric = \"cost.monthly_usd\"\nmax = nan",
            3,
            "not a finite number",
            "max = 300",
        ),
        (
            "metric = \"cost.monthly_usd\"\nmax = 1\nmin = 0",
            4,
            "not both",
            "two [[slo]]",
        ),
        (
            "metric = \"cost.monthly_usd\"\nmaximum = 1",
            3,
            "unknown field `maximum`",
            "did you mean `max`?",
        ),
        ("max = 1", 1, "missing field `metric`", "metric = ..."),
        (
            "metric = \"cost.monthly_usd\"",
            1,
            "needs a bound",
            "max = 300",
        ),
        ("metric = 300\nmax = 1", 2, "expected a string", ""),
    ];
    for &(body, at, message, hint) in cases {
        let got = problems(&minimal_with(&format!("[[slo]]\n{body}\n")), &[]);
        // An unknown field leaves the SLO without its bound too.
        let most = if body.contains("maximum") { 2 } else { 1 };
        assert!(!got.is_empty() && got.len() <= most, "{body}: {got:?}");
        let p = got
            .iter()
            .find(|p| p.contains(message))
            .unwrap_or_else(|| panic!("{body}: want {message:?} in {got:?}"));
        assert!(p.contains(&line(at)), "{body}: want {} in {p}", line(at));
        assert!(p.contains("slo[0]"), "{body}: {p}");
        assert!(p.contains(message), "{body}: want {message:?} in {p}");
        assert!(p.contains(hint), "{body}: want hint {hint:?} in {p}");
    }
}

#[test]
fn bad_objectives_and_too_many_slos_are_reported() {
    let p = problems(
        &minimal_with("[objective]\nminimize = \"cost.monthly\"\n"),
        &[],
    );
    assert!(
        p[0].contains("objective.minimize") && p[0].contains("monthly_usd"),
        "{p:?}"
    );
    let p = problems(
        &minimal_with(
            "[objective]\nminimize = \"cost.monthly_usd\"\nmaximize = \"cost.monthly_usd\"\n",
        ),
        &[],
    );
    assert!(p[0].contains("not both"), "{p:?}");
    let p = problems(&minimal_with("[objective]\n"), &[]);
    assert!(p[0].contains("`minimize` or `maximize`"), "{p:?}");
    let many: String = (0..101)
        .map(|_| "[[slo]]\nmetric = \"cost.monthly_usd\"\nmax = 1\n")
        .collect();
    let p = problems(&minimal_with(&many), &[]);
    assert!(
        p.iter()
            .any(|x| x.contains("101 [[slo]] entries: at most 100")),
        "{p:?}"
    );
    let p = problems(
        &minimal_with("[[slo]]\nmetric = \"cost.monthly_usd\"\nmax = 1\n"),
        &[],
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn set_overrides_slos_by_index_and_name() {
    let text = minimal_with(
        "[[slo]]\nname = \"p99\"\nmetric = \"workloads.users.latency_ms.p99\"\nmax = 300\n",
    );
    let s = scenario::parse_str(&text, "s.toml", &["slo.0.max=250".into()]).unwrap();
    assert_eq!(s.slos[0].bound, slsim::model::Bound::Max(250.0));
    let s = scenario::parse_str(&text, "s.toml", &["slo.p99.max=200".into()]).unwrap();
    assert_eq!(s.slos[0].bound, slsim::model::Bound::Max(200.0));
    // The index one past the last adds an SLO; [objective] is a table.
    let sets: Vec<String> = [
        "slo.1.metric=workloads.users.error_ratio",
        "slo.1.max=0.001",
        "objective.maximize=workloads.users.requests",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s = scenario::parse_str(&text, "s.toml", &sets).unwrap();
    assert_eq!(s.slos.len(), 2);
    assert_eq!(s.slos[1].metric.keys, ["workloads", "users", "error_ratio"]);
    let o = s.objective.unwrap();
    assert_eq!(o.direction, slsim::model::Direction::Maximize);
    // Problems in an SLO added by --set point at the --set.
    let p = problems(&text, &["slo.1.metric=workloads.users.error_ratio"]);
    assert!(
        p[0].contains("--set slo.1.metric=") && p[0].contains("needs a bound"),
        "{p:?}"
    );
    let p = problems(&text, &["slo.p9.max=1"]);
    assert!(
        p[0].contains("no slo named `p9`") && p[0].contains("`p99`"),
        "{p:?}"
    );
    let p = problems(&text, &["slo.5.max=1"]);
    assert!(p[0].contains("out of range"), "{p:?}");
}

/// A scenario with what the bundled ones lack: a throttling stage (an
/// API's `throttled_by`), auto scaling of a table and of its GSI, and a
/// function invoked asynchronously.
const COVERAGE: &str = r#"
[simulation]
name = "coverage"
duration = "10m"
seed = 3

[[workload]]
name = "users"
target = "api"
arrival = "poisson(rate=50)"
routes = { "GET /items" = 1.0 }

[[api]]
name = "api"
rate_limit = 30
burst = 10
routes = [{ route = "GET /items", target = "get-item" }]

[[lambda]]
name = "get-item"
memory_mb = 256
steps = [
  { compute = "const(2ms)" },
  { call = "items", op = "put", items = 1, item_kb = 1 },
  { call = "worker", mode = "async" },
]

[[lambda]]
name = "worker"
steps = [{ compute = "const(5ms)" }]

[[table]]
name = "items"
capacity = "provisioned"
rcu = 10
wcu = 10
auto_scaling = { target = 70 }
gsi = [{ name = "by-user", auto_scaling = { target = 70 } }]
"#;

/// The summary of every bundled scenario (30 minutes of each) and of
/// [`COVERAGE`], as `summary.json` holds it.
fn summaries() -> &'static [(String, Value)] {
    static RUNS: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    RUNS.get_or_init(run_all)
}

fn run_all() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let sets: Vec<String> = vec![
        "simulation.duration=30m".into(),
        "simulation.warmup=1m".into(),
    ];
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut out: Vec<(String, Value)> = paths
        .iter()
        .map(|p| {
            let s = scenario::load(p, &sets).unwrap();
            let r = slsim::sim::run(&s).unwrap();
            (p.display().to_string(), serde_json::to_value(&r).unwrap())
        })
        .collect();
    let s = scenario::parse_str(COVERAGE, "coverage.toml", &[]).unwrap();
    let r = slsim::sim::run(&s).unwrap();
    out.push(("coverage".into(), serde_json::to_value(&r).unwrap()));
    out
}

/// Every leaf under `v` that is a number or null (arrays skipped: not
/// addressable), as its keys.
fn leaves(v: &Value, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, bool)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(k.clone());
                leaves(x, at, out);
                at.pop();
            }
        }
        Value::Number(_) => out.push((at.clone(), true)),
        Value::Null => out.push((at.clone(), false)),
        _ => {}
    }
}

/// Whether `keys` match a pattern: `*` and `#` match one key.
fn matches(pattern: &str, keys: &[String]) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    p.len() == keys.len()
        && p.iter()
            .zip(keys)
            .all(|(p, k)| *p == "*" || *p == "#" || p == k)
}

/// The components of a section in a summary: (name, object).
fn components<'a>(summary: &'a Value, section: &str) -> Vec<(String, &'a Value)> {
    match &summary[section] {
        c if section == "cost" => vec![("cost".into(), c)],
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .map(|v| (v["name"].as_str().unwrap().to_string(), v))
            .collect(),
        other => panic!("{section}: {other}"),
    }
}

#[test]
fn the_metric_list_matches_summary_json() {
    let runs = summaries();
    // Both ways: every number of every section is a listed metric, and
    // every listed metric appears (a number, or null where undefined).
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut count_keys: BTreeSet<(&str, String, String)> = BTreeSet::new();
    for (file, s) in runs {
        for section in SECTIONS {
            let patterns = section.patterns();
            for (name, c) in components(s, section.name) {
                let mut found = Vec::new();
                leaves(c, &mut Vec::new(), &mut found);
                for (keys, is_number) in found {
                    let hit = patterns.iter().find(|p| matches(p, &keys));
                    match hit {
                        Some(p) => {
                            seen.insert((section.name, p.clone()));
                            if p.ends_with(".#") {
                                count_keys.insert((
                                    section.name,
                                    keys[keys.len() - 2].clone(),
                                    keys[keys.len() - 1].clone(),
                                ));
                            }
                        }
                        None => assert!(
                            !is_number,
                            "{file}: {}.{name}.{} is a number missing from \
                             model/metrics.rs",
                            section.name,
                            keys.join(".")
                        ),
                    }
                }
            }
        }
    }
    for section in SECTIONS {
        for p in section.patterns() {
            assert!(
                seen.contains(&(section.name, p.clone())),
                "{}.{p} is listed in model/metrics.rs but appears in no summary",
                section.name
            );
        }
    }
    // A count map's keys (absent reads as 0) are known, so that a typo is
    // an error rather than a silent 0.
    for (section, map, key) in count_keys {
        match metrics::count_keys(section, &map) {
            Some(known) => assert!(known.contains(&key.as_str()), "{section}.{map}.{key}"),
            None => assert_eq!((section, map.as_str()), ("cost", "by_component")),
        }
    }
    // The sections are those of summary.json that hold components.
    let (_, first) = &runs[0];
    for section in SECTIONS {
        assert!(first.get(section.name).is_some(), "{}", section.name);
    }
}

#[test]
fn error_and_cold_start_ratios_follow_the_counts() {
    let mut errors_seen = false;
    for (file, s) in summaries() {
        for (name, w) in s["workloads"].as_object().unwrap() {
            let n = |k: &str| w[k].as_u64().unwrap();
            let ended = n("requests") - n("in_flight");
            let bad = n("failed") + n("throttled") + n("timed_out");
            errors_seen |= bad > 0;
            let want = (ended > 0).then(|| bad as f64 / ended as f64);
            assert_eq!(w["error_ratio"].as_f64(), want, "{file}: {name}");
        }
        for (name, f) in s["functions"].as_object().unwrap() {
            let n = |k: &str| f[k].as_u64().unwrap();
            let want =
                (n("invocations") > 0).then(|| n("cold_starts") as f64 / n("invocations") as f64);
            assert_eq!(f["cold_start_ratio"].as_f64(), want, "{file}: {name}");
        }
    }
    assert!(
        errors_seen,
        "no workload had an error: the test checks nothing"
    );
}
