//! Trace replay (`arrival = "trace(path=...)"`) and `slsim trace import`
//! (issue 11, item 3).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn slsim() -> Command {
    let mut c = Command::cargo_bin("slsim").unwrap();
    c.timeout(Duration::from_secs(120));
    c
}

/// A scenario invoking lambda `f` (no init time) from `trace.csv`.
fn scenario(dir: &Path, trace: &str, duration: &str) -> PathBuf {
    std::fs::write(dir.join("trace.csv"), trace).unwrap();
    let path = dir.join("s.toml");
    std::fs::write(
        &path,
        format!(
            "[simulation]\nduration = \"{duration}\"\n\n[[lambda]]\nname = \"f\"\nmemory_mb = 1769\ninit = \"const(0ms)\"\n\
             steps = [{{ compute = \"const(5ms)\" }}]\n\n[[workload]]\nname = \"w\"\ntarget = \"f\"\n\
             arrival = \"trace(path=trace.csv)\"\n"
        ),
    )
    .unwrap();
    path
}

fn run(path: &Path) -> slsim::sim::RunResult {
    let s = slsim::scenario::load(path, &[]).unwrap();
    slsim::sim::run(&s).unwrap()
}

fn series<'a>(r: &'a slsim::sim::RunResult, component: &str, metric: &str) -> &'a [f64] {
    &r.timeseries
        .series
        .iter()
        .find(|s| s.component == component && s.metric == metric)
        .unwrap()
        .values
}

/// Every row arrives at its timestamp: the arrivals per series interval
/// are the rows' counts per interval, and each invocation lasts its row's
/// `duration_ms` (an empty cell: the function's 5 ms).
#[test]
fn replays_exactly_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let ts = [0.25, 0.25, 1.5, 3.0, 3.0, 3.0, 7.75, 19.5];
    let durs = ["10", "20", "", "1.5", "2.5", "3.5", "100", "40"];
    let mut t = String::from("timestamp,duration_ms\n");
    for (a, d) in ts.iter().zip(durs) {
        t.push_str(&format!("{a},{d}\n"));
    }
    let r = run(&scenario(dir.path(), &t, "30s"));
    assert_eq!(r.workloads["w"].requests, ts.len() as u64);
    let dt = r.timeseries.interval_s;
    let rps = series(&r, "w", "rps");
    let mut want = vec![0.0; rps.len()];
    for a in ts {
        want[(a / dt) as usize] += 1.0;
    }
    let got: Vec<f64> = rps.iter().map(|v| (v * dt).round()).collect();
    assert_eq!(got, want);
    let f = &r.functions["f"];
    let mean = (10.0 + 20.0 + 5.0 + 1.5 + 2.5 + 3.5 + 100.0 + 40.0) / 8.0;
    assert!(
        (f.mean_duration_ms.unwrap() - mean).abs() < 1e-9,
        "{:?}",
        f.mean_duration_ms
    );
    // Concurrency: two at 0.25 s, three at 3 s (5 ms runs end before
    // 3 s... the 1.5 s one is long gone): 3 environments at most.
    assert_eq!(f.max_concurrency, 3);
}

/// Arrivals stop at the end of the run: rows past it are not replayed
/// (the run reads no further).
#[test]
fn rows_past_the_end_are_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&scenario(dir.path(), "timestamp\n1\n2\n9\n12\n", "10s"));
    assert_eq!(r.workloads["w"].requests, 3);
}

fn fails(dir: &Path, cmd: &str, trace: &str, duration: &str) -> String {
    let path = scenario(dir, trace, duration);
    let mut c = slsim();
    c.arg(cmd);
    if cmd == "run" {
        c.args(["--quiet", "--no-plots", "--out"])
            .arg(dir.join("out"));
    }
    let out = c.arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// Bad rows are clean errors naming the file, the line, the column and a
/// hint: at load time (`slsim validate`) for the first rows, at run time
/// for later ones, which leave no result directory.
#[test]
fn bad_traces_are_clean_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = fails(d, "validate", "timestamp\n1\n3\n2\n", "10s");
    for want in [
        "trace `trace.csv` line 4",
        "column `timestamp`",
        "sorted",
        "hint:",
    ] {
        assert!(e.contains(want), "{want}: {e}");
    }
    let e = fails(
        d,
        "validate",
        "timestamp,duration_ms\n1,12\n2,fast\n",
        "10s",
    );
    assert!(e.contains("line 3, column `duration_ms`: `fast`"), "{e}");
    let e = fails(d, "validate", "time,function\n1,f\n", "10s");
    assert!(
        e.contains("line 1") && e.contains("did you mean `timestamp`"),
        "{e}"
    );
    let e = fails(d, "validate", "function,duration_ms\nf,1\n", "10s");
    assert!(e.contains("no `timestamp` column"), "{e}");
    let e = fails(d, "validate", "timestamp,function\n1,g\n", "10s");
    assert!(e.contains("column `function`: unknown function `g`"), "{e}");
    // Beyond the rows checked at load time: found by the run.
    let mut t = String::from("timestamp\n");
    for i in 0..3000 {
        t.push_str(&format!("{}\n", f64::from(i) / 100.0));
    }
    t.push_str("0.5\n");
    let e = fails(d, "run", &t, "1m");
    assert!(
        e.contains("workload `w`: trace `trace.csv` line 3002, column `timestamp`"),
        "{e}"
    );
    assert!(!d.join("out").exists());
}

/// Cold starts of the 2021 sample under the simulator's model, computed
/// here independently: per function, an arrival takes the most recently
/// idled environment (Lambda's `mru` routing, the default) that has been
/// idle at most the keep-alive (counted from the end of its last use),
/// else it is a cold start and a new environment; each invocation lasts
/// its trace duration; no init time, no limit in the way.
///
/// Which idle environment is taken matters: with A idle since 0 and B
/// since 5 (keep-alive 10), an arrival at 8 taking B leaves A to expire at
/// 10, one taking A leaves B until 15, so two arrivals at 12 find one or
/// two warm environments. So the reference follows the simulator's policy.
#[test]
fn azure2021_sample_cold_starts_match_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a21.toml");
    let input = Path::new(FIXTURES).join("azure2021/azure2021-sample.csv");
    slsim()
        .args(["trace", "import", "azure-2021"])
        .arg(&input)
        .args(["--keep-alive", "600s", "--init", "const(0ms)", "--out"])
        .arg(&out)
        .assert()
        .success();
    let r = run(&out);
    let sim: u64 = r.functions.values().map(|f| f.cold_starts).sum();
    let throttles: u64 = r.functions.values().map(|f| f.throttles + f.timeouts).sum();
    assert_eq!(throttles, 0);

    let text = std::fs::read_to_string(&input).unwrap();
    let mut per: HashMap<(String, String), Vec<(f64, f64)>> = HashMap::new();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let (end, dur): (f64, f64) = (c[2].parse().unwrap(), c[3].parse().unwrap());
        per.entry((c[0].into(), c[1].into()))
            .or_default()
            .push((end - dur, dur));
    }
    let n: usize = per.values().map(Vec::len).sum();
    assert_eq!(n, 199);
    assert_eq!(r.workloads.values().map(|w| w.requests).sum::<u64>(), 199);
    let keep = 600.0;
    let mut cold = 0;
    for calls in per.values_mut() {
        calls.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Environments: the time each is busy until.
        let mut envs: Vec<f64> = Vec::new();
        for &(start, dur) in calls.iter() {
            for &until in &envs {
                // The model's answer is the same either side of a tie
                // only if there is none: check there is none near.
                assert!((until - start).abs() > 1e-3 && (start - until - keep).abs() > 1e-3);
            }
            // Idle, and not expired: the most recently idled.
            let pick = envs
                .iter()
                .enumerate()
                .filter(|(_, &u)| u <= start && start - u <= keep)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i);
            match pick {
                Some(i) => envs[i] = start + dur,
                None => {
                    cold += 1;
                    envs.retain(|&u| u > start || start - u <= keep);
                    envs.push(start + dur);
                }
            }
        }
    }
    assert_eq!(sim, cold);
}

/// The synthetic 2019-format sample converts and runs: the first ten
/// minutes replay exactly the counts of those minutes for the functions
/// with a duration row.
#[test]
fn azure2019_sample_converts_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a19.toml");
    let input = Path::new(FIXTURES).join("azure2019");
    slsim()
        .args(["trace", "import", "azure-2019"])
        .arg(&input)
        .args(["--keep-alive", "10m", "--out"])
        .arg(&out)
        .assert()
        .success();
    let s = slsim::scenario::load(&out, &["simulation.duration=\"10m\"".into()]).unwrap();
    let r = slsim::sim::run(&s).unwrap();
    let inv =
        std::fs::read_to_string(input.join("invocations_per_function_md.anon.d01.csv")).unwrap();
    let mut want = 0u64;
    for line in inv.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        // `fe` has no duration row: left out.
        if c[2] != "fe" {
            want += c[4..14]
                .iter()
                .map(|v| v.parse::<u64>().unwrap())
                .sum::<u64>();
        }
    }
    let got: u64 = r.workloads.values().map(|w| w.requests).sum();
    assert_eq!(got, want);
    let invocations: u64 = r.functions.values().map(|f| f.invocations).sum();
    assert_eq!(invocations, want);
    // 3 functions with invocations (fd has none); app a1's 99th
    // percentile of memory, 300.4 MB, rounded up.
    assert_eq!(s.lambdas.len(), 3);
    assert_eq!(s.lambdas[0].memory_mb, 301);
}

#[test]
fn import_errors_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "app,func,end_timestamp,duration\na,b,5,x\n").unwrap();
    let out = slsim()
        .args(["trace", "import", "azure-2021"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("bad.csv line 2") && e.contains("`duration`"),
        "{e}"
    );
    let out = slsim()
        .args(["trace", "import", "azure-2021"])
        .arg(Path::new(FIXTURES).join("azure2021/azure2021-sample.csv"))
        .args(["--init", "const(zero)"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The 2021 sample replayed under each keep-alive policy
/// (`--keep-alive-policy`): `none` makes every invocation a cold start and
/// keeps nothing idle; `fixed` is the reference above; the hybrid policy
/// replays every invocation and reports its idle memory-time.
#[test]
fn azure2021_sample_replays_under_each_keep_alive_policy() {
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(FIXTURES).join("azure2021/azure2021-sample.csv");
    let mut got = Vec::new();
    for policy in ["fixed", "none", "hybrid"] {
        let out = dir.path().join(format!("{policy}.toml"));
        slsim()
            .args(["trace", "import", "azure-2021"])
            .arg(&input)
            .args(["--init", "const(0ms)", "--keep-alive-policy", policy])
            .args(if policy == "fixed" {
                &["--keep-alive", "600s"][..]
            } else {
                &[]
            })
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains(&format!("keep_alive_policy = \"{policy}\"")));
        let r = run(&out);
        let sum = |f: fn(&slsim::services::lambda::FunctionStats) -> f64| -> f64 {
            r.functions.values().map(f).sum()
        };
        let cold = sum(|f| f.cold_starts as f64);
        let invocations = sum(|f| f.invocations as f64);
        assert_eq!(invocations, 199.0, "{policy}");
        got.push((cold, sum(|f| f.idle_gb_seconds)));
    }
    let [(fixed, fixed_idle), (none, none_idle), (_hybrid, hybrid_idle)] = got[..] else {
        unreachable!()
    };
    assert_eq!(fixed, 49.0);
    assert_eq!((none, none_idle), (199.0, 0.0));
    assert!(fixed_idle > 0.0 && hybrid_idle >= 0.0);
    // --keep-alive means nothing to the other policies: refused.
    let o = slsim()
        .args(["trace", "import", "azure-2021"])
        .arg(&input)
        .args([
            "--keep-alive",
            "600s",
            "--keep-alive-policy",
            "none",
            "--out",
        ])
        .arg(dir.path().join("x.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--keep-alive applies to the fixed policy only"),
        "{err}"
    );
}
