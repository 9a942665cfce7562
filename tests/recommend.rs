//! `slsim recommend` through its binary: the Erlang-B answer found by
//! bisection on reserved concurrency with fewer runs than the grid, the
//! point's numbers equal to the full sweep's, successive refinement on
//! memory finding the sweep's best point, and the exit codes.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One function invoked directly (synchronously, no retries) by Poisson
/// arrivals at 23/s, service time exp(mean 100 ms), no cold-start cost:
/// an M/G/c/c loss system with offered load a = 2.3, c the reserved
/// concurrency (varied 1..=30).
///
/// Sample size: at c = 9 a 2 h replication sees ~165,600 requests and
/// B(9) x 165,600 = 83 throttles, so the ratio's spread per replication is
/// about sqrt(B / N) = 5.5e-5 (Poisson counts); with 10 replications the
/// 95 % half-width is t(9) x 5.5e-5 / sqrt(10) = 3.9e-5 and the interval's
/// upper end ~0.00054, about 12 standard errors of the mean below the
/// 0.001 bound (measured, seed 1: 0.000504 [0.000474, 0.000534]); at
/// c = 8 (B = 0.00195) the lower end is ~0.0019, far above it. So the
/// verdicts at 8 and 9 do not depend on the seed.
const ERLANG: &str = r#"
[simulation]
name = "erlang"
duration = "2h"
warmup = "0s"
seed = 1
region = "us-east-1"
free_tier = false

[[workload]]
name = "users"
target = "fn"
arrival = "poisson(rate=23)"

[[lambda]]
name = "fn"
runtime = "python3.12"
memory_mb = 1769
init = "const(0ms)"
reserved_concurrency = 30
steps = [ { io = "exp(mean=100ms)" } ]

[sweep]
replications = 10
[sweep.vary]
"lambda.fn.reserved_concurrency" = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]

[[slo]]
metric = "workloads.users.error_ratio"
max = 0.001
"#;

/// Erlang B by the recurrence B(0) = 1, B(c) = a B(c-1) / (c + a B(c-1)).
fn erlang_b(a: f64, c: u32) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

/// `sweep_summary.csv` as (header, rows).
fn csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The JSON number or null as the CSV cell would print it.
fn same(cell: &str, v: &Value) -> bool {
    match v.as_f64() {
        None => cell.is_empty(),
        Some(x) => cell.parse::<f64>().ok() == Some(x),
    }
}

#[test]
fn reserved_concurrency_is_the_erlang_b_answer() {
    let a = 2.3;
    let want = (1..=30).find(|&c| erlang_b(a, c) <= 0.001).unwrap();
    assert_eq!(want, 9);
    assert!(
        (erlang_b(a, 8) - 0.00195).abs() < 1e-5,
        "{}",
        erlang_b(a, 8)
    );
    assert!(
        (erlang_b(a, 9) - 0.00050).abs() < 1e-5,
        "{}",
        erlang_b(a, 9)
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "erlang.toml", ERLANG);
    let rec = tmp.path().join("rec");
    let out = slsim()
        .args(["recommend", &file, "--quiet", "--threads", "2", "--out"])
        .arg(&rec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&rec.join("recommend.json"));
    let got = &r["recommended"]["values"]["lambda.fn.reserved_concurrency"];
    assert_eq!(got.as_str(), Some(want.to_string().as_str()), "{r:#}");
    let evaluated = r["evaluated_points"].as_u64().unwrap();
    assert!((2..30).contains(&evaluated), "{evaluated} points evaluated");
    assert_eq!(r["evaluated"].as_array().unwrap().len() as u64, evaluated);
    assert_eq!(r["grid_points"], 30);
    assert_eq!(r["vary"][0]["search"], "bisection");
    // The neighbour below was evaluated and found infeasible.
    let below = r["evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["values"]["lambda.fn.reserved_concurrency"] == "8")
        .expect("c = 8 evaluated");
    assert_eq!(below["verdict"], "infeasible");

    // summary.json carries the recommendation, and the report shows it.
    let summary = json(&rec.join("summary.json"));
    let recommendation = &summary["recommendation"];
    assert_eq!(
        recommendation["settings"]["lambda.fn.reserved_concurrency"],
        "9"
    );
    assert!(!recommendation["reasoning"].as_array().unwrap().is_empty());
    let md = std::fs::read_to_string(rec.join("report.md")).unwrap();
    assert!(md.contains("bisection over 30 values"), "{md}");

    // The result is `slsim run` at the point's settings and seed.
    let cmd = r["recommended"]["command"].as_str().unwrap();
    let args: Vec<&str> = cmd.split(' ').skip(2).collect(); // "slsim run"
    let run = tmp.path().join("run");
    let out = slsim()
        .arg("run")
        .args(&args)
        .args(["--quiet", "--out"])
        .arg(&run)
        .output()
        .unwrap();
    assert!(out.status.success(), "{cmd}: {}", stderr(&out));
    let mut a = json(&run.join("summary.json"));
    let mut b = summary.clone();
    for v in [&mut a, &mut b] {
        let m = v.as_object_mut().unwrap();
        for k in ["wall_seconds", "files", "recommendation"] {
            m.remove(k);
        }
    }
    assert!(a == b, "the recommended run differs from `{cmd}`");

    // The full sweep gives that point the same numbers and verdict.
    let sweep = tmp.path().join("sweep");
    let out = slsim()
        .args(["sweep", &file, "--quiet", "--out"])
        .arg(&sweep)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv(&sweep.join("sweep_summary.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for e in r["evaluated"].as_array().unwrap() {
        let point = e["point"].as_u64().unwrap() as usize;
        let row = &rows[point];
        assert_eq!(row[col("verdict")], e["verdict"].as_str().unwrap());
        for (metric, est) in e["metrics"].as_object().unwrap() {
            for (k, suffix) in [("mean", "mean"), ("ci95", "ci95")] {
                let cell = &row[col(&format!("{metric}.{suffix}"))];
                assert!(
                    same(cell, &est[k]),
                    "point {point} {metric}.{k}: {cell} vs {}",
                    est[k]
                );
            }
        }
    }
    // In the sweep every c >= 9 is feasible and every c <= 8 is not.
    for (i, row) in rows.iter().enumerate() {
        let c = i + 1;
        let feasible = row[col("verdict")] == "feasible";
        assert_eq!(feasible, c >= 9, "c = {c}: {}", row[col("verdict")]);
    }
}

/// A CPU-bound function whose memory is varied: duration 1024 ms x 1769 /
/// memory below 1,769 MB and 1024 ms above; cost per request about flat
/// below and rising above. The p99 SLO (2 s) excludes 512 MB and less.
const MEMORY: &str = r#"
[simulation]
name = "memory"
duration = "10m"
warmup = "0s"
seed = 3
region = "us-east-1"
free_tier = false

[[workload]]
name = "users"
target = "fn"
arrival = "poisson(rate=5)"

[[lambda]]
name = "fn"
runtime = "python3.12"
memory_mb = 1024
init = "const(0ms)"
timeout = "60s"
steps = [ { compute = "const(1024ms)" } ]

[sweep]
replications = 3
[sweep.vary]
"lambda.fn.memory_mb" = [128, 256, 512, 1024, 2048, 3072, 4096, 5120, 6144, 8192, 10240]

[[slo]]
metric = "workloads.users.latency_ms.p99"
max = 2000

[objective]
minimize = "cost.per_million_requests_usd"
"#;

#[test]
fn refinement_on_memory_finds_the_sweeps_best_point() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "memory.toml", MEMORY);
    let sweep = tmp.path().join("sweep");
    let out = slsim()
        .args(["sweep", &file, "--quiet", "--out"])
        .arg(&sweep)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = json(&sweep.join("sweep.json"));
    let best = &manifest["best"];
    assert_eq!(best["values"]["lambda.fn.memory_mb"], "1024", "{best:#}");
    assert_eq!(best["feasible"], 8);
    assert_eq!(best["infeasible"], 3);
    let (header, rows) = csv(&sweep.join("sweep_summary.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[3][col("best")], "yes");
    assert_eq!(
        rows[3][col("workloads.users.latency_ms.p99 <= 2000")],
        "feasible"
    );
    assert_eq!(rows[2][col("verdict")], "infeasible");

    let rec = tmp.path().join("rec");
    let out = slsim()
        .args(["recommend", &file, "--out"])
        .arg(&rec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("successive refinement over 11 values"),
        "{text}"
    );
    assert!(
        text.contains("--set lambda.fn.memory_mb=1024 --seed"),
        "{text}"
    );
    let r = json(&rec.join("recommend.json"));
    assert_eq!(r["recommended"]["point"], best["point"]);
    // The search and its files do not depend on the thread count.
    let one = tmp.path().join("rec1");
    let out = slsim()
        .args(["recommend", &file, "--quiet", "--threads", "1", "--out"])
        .arg(&one)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = |d: &Path| std::fs::read(d.join("recommend.json")).unwrap();
    assert!(
        bytes(&rec) == bytes(&one),
        "recommend.json differs with --threads 1"
    );
    assert_eq!(r["vary"][0]["search"], "refinement");
    assert!(r["evaluated_points"].as_u64().unwrap() < 11);
}

#[test]
fn exit_3_when_nothing_is_feasible_and_2_without_slo_or_objective() {
    let tmp = tempfile::tempdir().unwrap();
    // p99 of at least 1769 ms everywhere: nothing meets 500 ms.
    let strict = MEMORY
        .replace("max = 2000", "max = 500")
        .replace("duration = \"10m\"", "duration = \"2m\"");
    let file = write(tmp.path(), "strict.toml", &strict);
    let rec = tmp.path().join("rec");
    let out = slsim()
        .args(["recommend", &file, "--quiet", "--out"])
        .arg(&rec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("nearest"), "{}", stderr(&out));
    let r = json(&rec.join("recommend.json"));
    assert!(r["recommended"].is_null());
    // The nearest misses by the least: the fastest function, 1769 MB or more.
    let nearest: u64 = r["nearest"]["values"]["lambda.fn.memory_mb"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(nearest >= 2048, "{nearest}");

    let bare: String = MEMORY.split("[[slo]]").next().unwrap().to_string();
    let file = write(tmp.path(), "bare.toml", &bare);
    let out = slsim()
        .args(["recommend", &file, "--quiet", "--out"])
        .arg(tmp.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no [[slo]] and no [objective]"));
    assert!(!tmp.path().join("none").exists());
}

#[test]
fn a_varied_workload_is_a_condition_not_a_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "erlang.toml", ERLANG);
    let load = "workload.users.arrival=\"poisson(rate=23)\",\"poisson(rate=46)\"";
    let out = slsim()
        .args(["recommend", &file, "--quiet", "--vary", load, "--out"])
        .arg(tmp.path().join("r"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("\"workload.users.arrival\" varies a condition"),
        "{err}"
    );
    assert!(
        err.contains("hint: pin it") && err.contains("poisson(rate=46)"),
        "{err}"
    );
    assert!(!tmp.path().join("r").exists());
    // One value is no choice: it is held, and the search runs.
    let out = slsim()
        .args([
            "recommend",
            &file,
            "--quiet",
            "--set",
            "simulation.duration=10m",
            "--set",
            "sweep.replications=2",
            "--vary",
            "workload.users.arrival=\"poisson(rate=46)\"",
            "--out",
        ])
        .arg(tmp.path().join("r"))
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(3),
        "{}",
        stderr(&out)
    );
    let r = json(&tmp.path().join("r").join("recommend.json"));
    let text = r.to_string();
    assert!(!text.contains("refinement over 1 values"), "{text}");
}
