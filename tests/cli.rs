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
        "ok: minimal: 1 workloads, 1 apis, 1 functions, 1 tables\n"
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
