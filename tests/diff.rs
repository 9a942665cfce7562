//! `slsim diff` through its binary: no change against itself, the expected
//! direction between two memory sizes (with significance over
//! replications), components on one side, bad inputs.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `slsim diff` with `args`; its JSON (exit 0 asserted).
fn diff_json(args: &[&str]) -> Value {
    let o = slsim()
        .arg("diff")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn run_into(dir: &Path) {
    let o = slsim()
        .args(["run", MINIMAL, "--quiet", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// The row `metric` of the group `kind` `name`.
fn row<'a>(d: &'a Value, kind: &str, name: Option<&str>, metric: &str) -> &'a Value {
    d["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == kind && g["name"].as_str() == name)
        .and_then(|g| {
            g["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["metric"] == metric)
        })
        .unwrap_or_else(|| panic!("no {kind} {name:?} {metric}"))
}

/// Every row unchanged: the same value (or undefined) on both sides.
fn assert_unchanged(d: &Value) {
    let mut rows = 0;
    for g in d["groups"].as_array().unwrap() {
        assert!(g["only_in"].is_null(), "{g}");
        for r in g["rows"].as_array().unwrap() {
            rows += 1;
            assert_eq!(r["a"], r["b"], "{r}");
            if r["a"].is_null() {
                assert!(r["change"].is_null(), "{r}");
            } else {
                assert_eq!(r["change"], 0.0, "{r}");
                assert_eq!(r["relative"], 0.0, "{r}");
            }
        }
    }
    assert!(rows >= 15, "{rows} rows");
    assert_eq!(d["findings"]["added"], serde_json::json!([]));
    assert_eq!(d["findings"]["removed"], serde_json::json!([]));
}

#[test]
fn a_result_against_itself_and_its_scenario_shows_no_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    run_into(&dir);
    let d = diff_json(&[dir.to_str().unwrap(), dir.to_str().unwrap()]);
    assert_unchanged(&d);
    assert_eq!(d["a"]["runs"], 1);
    // A summary.json file reads as its directory does; one replication of
    // the scenario is the run `slsim run` made (the same seed).
    let file = dir.join("summary.json");
    let d = diff_json(&[file.to_str().unwrap(), MINIMAL]);
    assert_unchanged(&d);
    assert_eq!(d["a"]["seeds"], d["b"]["seeds"]);
    // The text says so too.
    let o = slsim().args(["diff"]).arg(&dir).arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let t = text(&o.stdout);
    assert!(
        t.contains("workload users") && t.contains("function get-item"),
        "{t}"
    );
    assert!(t.contains("findings: none added or removed"), "{t}");
}

#[test]
fn more_memory_makes_the_function_faster_significantly() {
    let d = diff_json(&[
        MINIMAL,
        MINIMAL,
        "--set-a",
        "lambda.get-item.memory_mb=256",
        "--set-b",
        "lambda.get-item.memory_mb=1024",
        "--replications",
        "3",
    ]);
    assert_eq!(d["a"]["runs"], 3);
    assert_eq!(d["a"]["seeds"].as_array().unwrap().len(), 3);
    assert_eq!(
        d["a"]["seeds"][0], 1,
        "replication 0 runs the scenario's seed"
    );
    let dur = row(&d, "function", Some("get-item"), "mean_duration_ms");
    let (a, b) = (
        dur["a"]["mean"].as_f64().unwrap(),
        dur["b"]["mean"].as_f64().unwrap(),
    );
    assert!(b < a, "duration {a} ms at 256 MB, {b} ms at 1024 MB");
    assert_eq!(dur["change"].as_f64(), Some(b - a));
    assert!(dur["relative"].as_f64().unwrap() < 0.0);
    assert_eq!(dur["a"]["n"], 3);
    assert!(dur["a"]["ci95"].as_f64().unwrap() > 0.0);
    assert!(dur["welch"]["p"].as_f64().unwrap() < 0.05, "{dur}");
    assert_eq!(dur["significant"], true);
    let p50 = row(&d, "workload", Some("users"), "latency_ms.p50");
    assert!(p50["change"].as_f64().unwrap() < 0.0, "{p50}");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let args = [MINIMAL, MINIMAL, "--set-b", "lambda.get-item.memory_mb=512"];
    let one = diff_json(&[&args[..], &["--replications", "3", "--threads", "1"]].concat());
    let two = diff_json(&[&args[..], &["--replications", "3", "--threads", "2"]].concat());
    assert_eq!(one, two);
}

#[test]
fn components_on_one_side_are_shown_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let renamed = tmp.path().join("renamed.toml");
    let text_b = std::fs::read_to_string(MINIMAL)
        .unwrap()
        .replace("get-item", "fetch-item");
    std::fs::write(&renamed, text_b).unwrap();
    let d = diff_json(&[MINIMAL, renamed.to_str().unwrap()]);
    let only = |name: &str| {
        d["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap()["only_in"]
            .clone()
    };
    assert_eq!(only("get-item"), "a");
    assert_eq!(only("fetch-item"), "b");
    let r = row(&d, "function", Some("fetch-item"), "cold_starts");
    assert!(r["a"].is_null() && !r["b"].is_null() && r["change"].is_null());
    let o = slsim()
        .args(["diff", MINIMAL])
        .arg(&renamed)
        .output()
        .unwrap();
    let t = text(&o.stdout);
    assert!(t.contains("function get-item (only in A)"), "{t}");
    assert!(t.contains("function fetch-item (only in B)"), "{t}");
}

#[test]
fn bad_inputs_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    run_into(&dir);
    let not_ours = tmp.path().join("x.json");
    std::fs::write(&not_ours, "{\"a\": 1}").unwrap();
    for (args, want) in [
        (
            vec![dir.to_str().unwrap(), MINIMAL, "--replications", "2"],
            "needs scenario inputs",
        ),
        (
            vec![
                dir.to_str().unwrap(),
                MINIMAL,
                "--set-a",
                "simulation.seed=2",
            ],
            "--set-a applies to a scenario input",
        ),
        (
            vec![dir.to_str().unwrap(), dir.to_str().unwrap(), "--seed", "2"],
            "A and B are results",
        ),
        (
            vec![not_ours.to_str().unwrap(), MINIMAL],
            "not an slsim summary.json",
        ),
        (vec![MINIMAL, "nope.toml"], "nope.toml"),
        (
            vec![MINIMAL, MINIMAL, "--set-b", "lambda.get-itm.memory_mb=1"],
            "did you mean `get-item`?",
        ),
        (
            vec![MINIMAL, MINIMAL, "--replications", "0"],
            "--replications",
        ),
    ] {
        let o = slsim().arg("diff").args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(want),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
}
