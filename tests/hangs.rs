//! Arrival processes that used to hang `slsim run` (issue 5, finding 1):
//! each run must finish well within its timeout, with exit 0 and a request
//! count that matches the integrated rate (within 5 Poisson sd).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// Generous for a shared machine: each run takes well under a second.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A workload with `arrival` invoking a 1 ms function directly, for
/// `duration`.
fn scenario(arrival: &str, duration: &str) -> String {
    format!(
        r#"[simulation]
name = "hang"
duration = "{duration}"
seed = 1
region = "us-east-1"

[[workload]]
name = "w"
target = "f"
arrival = "{arrival}"

[[lambda]]
name = "f"
runtime = "python3.12"
memory_mb = 128
steps = [{{ compute = "const(1ms)" }}]
"#
    )
}

/// Runs `slsim run` on the scenario with a timeout; returns the summary.
fn run(dir: &Path, arrival: &str, duration: &str) -> serde_json::Value {
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario(arrival, duration)).unwrap();
    let out_dir = dir.join("out");
    let out = Command::cargo_bin("slsim")
        .unwrap()
        .timeout(TIMEOUT)
        .args(["run", "--quiet", "--out"])
        .arg(&out_dir)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`{arrival}` for {duration}: {} (killed after {TIMEOUT:?} if no code)\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap()
}

/// Requests of workload `w`.
fn requests(v: &serde_json::Value) -> f64 {
    v["workloads"]["w"]["requests"].as_f64().unwrap()
}

fn assert_count(arrival: &str, duration: &str, expected: f64) {
    let tmp = tempfile::tempdir().unwrap();
    let n = requests(&run(tmp.path(), arrival, duration));
    assert!(
        (n - expected).abs() <= 5.0 * expected.sqrt(),
        "`{arrival}` for {duration}: {n} requests, expected {expected}"
    );
}

/// The daily example: the first hours have a rate of about zero (below
/// 1e-6 expected arrivals in 10 s), so no request arrives.
#[test]
fn diurnal_with_a_long_night_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let v = run(
        tmp.path(),
        "diurnal(mean=100, peak=100000, period=24h)",
        "10s",
    );
    assert_eq!(requests(&v), 0.0);
}

/// A period of 1 ns: about 1e10 periods in the run; the rate averages to
/// the mean.
#[test]
fn diurnal_with_a_1ns_period_finishes() {
    assert_count("diurnal(mean=100, peak=100000, period=1ns)", "10s", 1_000.0);
}

/// A diurnal period of a year (the longest duration accepted): the run
/// sits in the night of its first period or, without a night, at the
/// trough.
#[test]
fn diurnal_with_a_year_long_period_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let v = run(tmp.path(), "diurnal(mean=100, peak=300, period=366d)", "1h");
    assert_eq!(requests(&v), 0.0);
    // Trough rate 2 x 100 - 150 = 50/s, constant to within 1e-10 over 1 h.
    assert_count(
        "diurnal(mean=100, peak=150, period=366d)",
        "1h",
        50.0 * 3600.0,
    );
}

/// A burst process with a 2 ns period: 1e6 periods between arrivals at a
/// mean of 1,000/s (the old piece-by-piece walk took milliseconds per
/// arrival).
#[test]
fn burst_with_a_2ns_period_finishes() {
    assert_count(
        "burst(base=500, peak=1500, every=2ns, length=1ns)",
        "2m",
        1_000.0 * 120.0,
    );
}

/// A burst with a 1 ns period at 20/s: 5e7 periods between arrivals (the old
/// walk gave up after 1e7 and ended the workload).
#[test]
fn burst_with_a_1ns_period_keeps_its_rate() {
    assert_count(
        "burst(base=0, peak=20, every=1ns, length=1ns)",
        "1h",
        20.0 * 3600.0,
    );
}

/// Steps far past the end: no arrival, and the run stops at its end.
#[test]
fn steps_far_past_the_end_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let v = run(tmp.path(), "steps(0s=0, 366d=1000000)", "10s");
    assert_eq!(requests(&v), 0.0);
    assert_count("steps(0s=5, 5s=0, 366d=1000000)", "10s", 25.0);
}
