//! The `slsim` command through its binary.

use assert_cmd::Command;

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

#[test]
fn help_lists_the_subcommands() {
    let out = slsim().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    for cmd in ["run", "validate", "graph"] {
        assert!(text.contains(cmd), "{cmd} missing from:\n{text}");
    }
    let out = slsim().args(["run", "--help"]).output().unwrap();
    assert!(out.status.success());
    for flag in ["--out", "--seed", "--set", "--quiet"] {
        assert!(stdout(&out).contains(flag), "{flag}");
    }
}

#[test]
fn version_prints() {
    let out = slsim().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("slsim "));
}

#[test]
fn bad_arguments_exit_2() {
    let out = slsim().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = slsim().arg("run").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "missing SCENARIO");
}

#[test]
fn validate_missing_file_names_the_path() {
    let path = "does/not/exist/scenario.toml";
    let out = slsim().args(["validate", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(path), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn run_and_graph_missing_file_exit_2() {
    for cmd in ["run", "graph"] {
        let out = slsim().args([cmd, "nope.toml"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(stderr(&out).contains("nope.toml"), "{cmd}");
    }
}

#[test]

fn validate_minimal() {
    let out = slsim().args(["validate", MINIMAL]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "ok: minimal: 1 workload, 1 api, 1 function, 1 table\n"
    );
}

#[test]

fn validate_rejects_an_unknown_region() {
    let out = slsim()
        .args(["validate", MINIMAL, "--set", "simulation.region=mars-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("us-east-1"), "{}", stderr(&out));
}

#[test]

fn run_minimal_writes_outputs_deterministically() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let out = slsim()
            .args(["run", MINIMAL, "--seed", "7", "--out"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("users"), "{text}");
        assert!(text.contains("summary.json"), "{text}");
    }
    for f in ["timeseries.csv", "latency.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["seed"], 7);
    assert!(v["cost"]["monthly_usd"].as_f64().unwrap() > 0.0);
}

#[test]

fn run_default_output_dir_and_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = slsim()
        .current_dir(tmp.path())
        .args(["run", MINIMAL, "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(tmp.path().join("output/minimal/summary.json").exists());
}

#[test]

fn graph_minimal_is_dot() {
    let out = slsim().args(["graph", MINIMAL]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("digraph"));
}

/// Malformed scenarios through the binary: exit code 2, the message names
/// the line and the field, and nothing panics.
#[test]
fn malformed_scenarios_exit_2_with_line_and_field() {
    let base = std::fs::read_to_string(MINIMAL).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        // (text to replace, replacement, field the message must name)
        ("memory_mb", "memroy_mb", "memroy_mb"),
        ("duration = ", "durashun = ", "durashun"),
        ("[[lambda]]", "[[lamda]]", "lamda"),
        ("runtime = \"", "runtime = \"x", "runtime"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (i, (from, to, field)) in cases.iter().enumerate() {
        assert!(base.contains(from), "minimal.toml has no `{from}`");
        let text = base.replacen(from, to, 1);
        let line = text.lines().position(|l| l.contains(to)).unwrap() + 1;
        let path = tmp.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, &text).unwrap();
        for cmd in ["run", "validate"] {
            let out = slsim().arg(cmd).arg(&path).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{cmd} {to}: {err}");
            assert!(
                err.contains(&format!(":{line}:")),
                "{to}: want line {line}: {err}"
            );
            assert!(err.contains(field), "{to}: want field {field}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

/// `--set` reaches the simulation, and the run guard stops a runaway run
/// with exit code 1 and a message that says what to change; the results up
/// to the stop are written and marked.
#[test]
fn set_overrides_and_the_event_guard() {
    let out = slsim()
        .args(["validate", MINIMAL, "--set", "lambda.memroy=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let tmp = tempfile::tempdir().unwrap();
    let out = slsim()
        .args([
            "run",
            MINIMAL,
            "--quiet",
            "--set",
            "simulation.max_events=1000",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("max_events"), "{err}");
    let summary = std::fs::read_to_string(tmp.path().join("summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let stop = &v["stopped_early"];
    assert!(
        stop["reason"].as_str().unwrap().contains("max_events"),
        "{stop}"
    );
    assert!(stop["at_s"].as_f64().unwrap() > 0.0, "{stop}");
    assert_eq!(v["events"], 1000);
}

/// Every bundled scenario is valid.
#[test]
fn every_bundled_scenario_validates() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            let out = slsim().arg("validate").arg(&p).output().unwrap();
            assert!(out.status.success(), "{}: {}", p.display(), stderr(&out));
            n += 1;
        }
    }
    assert!(n >= 5, "{n} scenarios");
}

/// The README's hot-key example: one key throttles on its partition while
/// the table has capacity, and the finding names the partition; sharded
/// over ten keys (the `--set` in the scenario's header) nothing fails.
#[test]
fn the_hot_key_example_finds_the_hot_partition_and_sharding_fixes_it() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/hot-key.toml");
    let sharded = r#"lambda.count-vote.steps=[{ compute = "const(1ms)" }, { call = "polls", op = "update", item_kb = 0.2, keys = "uniform(n=10)" }]"#;
    let summary = |extra: &[&str]| {
        let tmp = tempfile::tempdir().unwrap();
        let out = slsim()
            .args(["run", path, "--quiet", "--out"])
            .arg(tmp.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = std::fs::read_to_string(tmp.path().join("summary.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let hot = summary(&[]);
    let t = &hot["tables"]["polls"];
    let writes = t["writes"].as_f64().unwrap();
    let wcu = t["consumed_wcu"].as_f64().unwrap();
    // One partition's 1,000 WCU/s over the 540 s measured, of 1,500/s.
    assert!((wcu / 540.0 - 1000.0).abs() < 10.0, "{t}");
    assert!(t["throttle_causes"]["partition"].as_u64().unwrap() > 0);
    assert!(writes > wcu);
    let findings = hot["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .starts_with("hot partition: partition")),
        "{findings:#?}"
    );
    let fixed = summary(&["--set", sharded]);
    let t = &fixed["tables"]["polls"];
    assert_eq!(t["throttled"], 0, "{t}");
    assert_eq!(fixed["workloads"]["voters"]["failed"], 0);
}

/// A run in which no request arrived succeeds with a warning on stderr
/// (even with --quiet) and in summary.json, and undefined statistics are
/// null, not 0.
#[test]
fn a_run_without_requests_warns_and_reports_null_statistics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = slsim()
        .args([
            "run",
            MINIMAL,
            "--quiet",
            "--set",
            "simulation.duration=1s",
            "--set",
            "simulation.warmup=0s",
            "--set",
            r#"workload.users.arrival="poisson(rate=0.0001)""#,
            "--out",
        ])
        .arg(tmp.path().join("r"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: no request arrived"), "{err}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("r/summary.json")).unwrap()).unwrap();
    assert!(v["warnings"][0]
        .as_str()
        .unwrap()
        .contains("no request arrived"));
    let lat = &v["workloads"]["users"]["latency_ms"];
    for k in ["mean", "p50", "p99", "max"] {
        assert!(lat[k].is_null(), "latency_ms.{k} = {}", lat[k]);
    }
    assert!(v["cost"]["per_million_requests_usd"].is_null());
    assert!(v["cost"]["monthly_usd"].as_f64().unwrap() >= 0.0);
}

/// Work in flight without bound (Poisson 1e6/s into a function with
/// reserved concurrency 0, every throttle retried after an hour) is stopped
/// by the memory guard: exit 1, a message naming the limit and the
/// workload whose backlog grew, and the results up to the stop.
#[test]
fn the_memory_guard_stops_a_growing_backlog() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = tmp.path().join("pile.toml");
    std::fs::write(
        &scen,
        r#"
[simulation]
name = "pile-up"
duration = "1h"
max_memory = "64MiB"

[[workload]]
name = "users"
target = "f"
arrival = "poisson(rate=1000000)"
retry = { max_attempts = 1000, backoff = "const(1h)" }

[[lambda]]
name = "f"
runtime = "python3.12"
reserved_concurrency = 0
steps = [ { compute = "const(2ms)" } ]
"#,
    )
    .unwrap();
    let out = slsim()
        .arg("run")
        .arg(&scen)
        .args(["--quiet", "--out"])
        .arg(tmp.path().join("r"))
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("max_memory"), "{err}");
    assert!(err.contains("workload `users`"), "{err}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("r/summary.json")).unwrap()).unwrap();
    let at = v["stopped_early"]["at_s"].as_f64().unwrap();
    assert!(at > 0.0 && at < 3600.0, "{at}");
    let w = &v["workloads"]["users"];
    assert_eq!(w["requests"], w["in_flight"]);
}
