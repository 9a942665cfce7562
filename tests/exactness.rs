//! Numbers that came out slightly wrong with exit 0 (issue 5, finding 4):
//! a 0 ms invocation billed 0 GB-s, and `simulated_seconds` of a 2 min run
//! printed as 120.00000000000001.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn run(dir: &Path, scenario: &Path, set: &[&str]) -> serde_json::Value {
    let out_dir = dir.join("out");
    let mut cmd = Command::cargo_bin("slsim").unwrap();
    cmd.timeout(Duration::from_secs(60))
        .args(["run", "--quiet", "--out"])
        .arg(&out_dir)
        .arg(scenario);
    for s in set {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap()
}

/// AWS bills at least 1 ms per invocation (aws-facts 1.10, 1 ms
/// granularity); init is billed with the invocation that waited for it,
/// rounded up together (aws-facts 1.5).
#[test]
fn a_0ms_invocation_is_billed_1ms() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        r#"[simulation]
name = "zero"
duration = "1m"
seed = 3
region = "us-east-1"

[[workload]]
name = "w"
target = "f"
arrival = "poisson(rate=50)"

[[lambda]]
name = "f"
runtime = "python3.12"
memory_mb = 512
init = "const(0ms)"
steps = [{ compute = "const(0ms)" }]
"#,
    )
    .unwrap();
    let gb = 512.0 / 1024.0;
    let v = run(tmp.path(), &file, &[]);
    let f = &v["functions"]["f"];
    let n = f["invocations"].as_f64().unwrap();
    assert!(n > 2_000.0, "{n} invocations");
    let got = f["gb_seconds"].as_f64().unwrap();
    let want = n * 0.001 * gb;
    // A sum of n terms: relative rounding within n x 2^-53.
    assert!(
        (got - want).abs() <= 1e-12 * want,
        "{got} GB-s, expected {want}"
    );

    // With a 100 ms init, a cold invocation bills 100 ms (init and run
    // rounded up together), a warm one 1 ms.
    let v = run(tmp.path(), &file, &["lambda.f.init=\"const(100ms)\""]);
    let f = &v["functions"]["f"];
    let (n, cold) = (
        f["invocations"].as_f64().unwrap(),
        f["cold_starts"].as_f64().unwrap(),
    );
    assert!(cold >= 1.0 && cold < n, "{cold} cold of {n}");
    let got = f["gb_seconds"].as_f64().unwrap();
    let want = (cold * 100.0 + (n - cold)) * 0.001 * gb;
    assert!(
        (got - want).abs() <= 1e-12 * want,
        "{got} GB-s, expected {want}"
    );
}

/// Whole seconds stay whole in summary.json.
#[test]
fn simulated_seconds_are_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let v = run(tmp.path(), Path::new(MINIMAL), &["simulation.duration=2m"]);
    assert_eq!(
        v["simulated_seconds"].as_f64(),
        Some(120.0),
        "{}",
        v["simulated_seconds"]
    );
    assert_eq!(v["measured_seconds"].as_f64(), Some(110.0));
    assert_eq!(v["timeseries_interval_s"].as_f64(), Some(1.0));
    let v = run(
        tmp.path(),
        Path::new(MINIMAL),
        &["simulation.duration=14100ms"],
    );
    assert_eq!(
        v["simulated_seconds"].as_f64(),
        Some(14.1),
        "{}",
        v["simulated_seconds"]
    );
    assert_eq!(
        v["measured_seconds"].as_f64(),
        Some(4.1),
        "{}",
        v["measured_seconds"]
    );
}
