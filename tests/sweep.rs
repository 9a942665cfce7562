//! `slsim sweep` through its binary: determinism across thread counts,
//! a row reproduced by `slsim run`, the summary's statistics, failed
//! points, and bad `[sweep]` input.

use assert_cmd::Command;
use std::path::Path;

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `slsim sweep MINIMAL --out DIR` with `args`; its output.
fn sweep(dir: &Path, args: &[&str]) -> std::process::Output {
    slsim()
        .args(["sweep", MINIMAL, "--quiet", "--out"])
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// 2 memory sizes x 2 arrival scales x 3 replications: 12 runs of 2
/// simulated minutes each.
const GRID: [&str; 6] = [
    "--vary",
    "lambda.get-item.memory_mb=128,512",
    "--vary",
    "workload.users.scale=1,2",
    "--set",
    "sweep.replications=3",
];

/// `sweep.csv` as a header and records (cells).
fn csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn threads_1_and_2_give_byte_identical_results() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let mut args = GRID.to_vec();
        args.extend(["--threads", threads]);
        let out = sweep(dir, &args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for f in ["sweep.csv", "sweep_summary.csv", "sweep.json"] {
        let (a, b) = (read(&one.join(f)), read(&two.join(f)));
        assert!(a == b, "{f} differs between --threads 1 and --threads 2");
    }
    let (header, rows) = csv(&one.join("sweep.csv"));
    assert_eq!(rows.len(), 12);
    assert_eq!(
        &header[..7],
        [
            "run",
            "point",
            "replication",
            "seed",
            "lambda.get-item.memory_mb",
            "workload.users.scale",
            "status"
        ]
    );
    // Nested loops, the last field fastest, replications innermost.
    let cells: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[4].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(cells[0], ("0", "0", "128", "1"));
    assert_eq!(cells[2], ("0", "2", "128", "1"));
    assert_eq!(cells[3], ("1", "0", "128", "2"));
    assert_eq!(cells[11], ("3", "2", "512", "2"));
    // Every run has its own seed, and every run ran.
    let mut seeds: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    seeds.sort_unstable();
    seeds.dedup();
    assert_eq!(seeds.len(), 12);
    assert!(rows.iter().all(|r| r[6] == "ok"));
}

#[test]
fn a_row_is_the_run_of_its_point_and_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let out = sweep(&dir, &GRID);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv(&dir.join("sweep.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Run 10: point 3 (512 MB, scale 2), replication 1.
    let row = &rows[10];
    let run_dir = tmp.path().join("run");
    let out = slsim()
        .args(["run", MINIMAL, "--quiet", "--out"])
        .arg(&run_dir)
        .args(["--set", "lambda.get-item.memory_mb=512"])
        .args([
            "--set",
            "workload.users.scale=2",
            "--seed",
            &row[col("seed")],
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&run_dir.join("summary.json"))).unwrap();
    let cost = summary["cost"]["monthly_usd"].as_f64().unwrap();
    let p99 = summary["workloads"]["users"]["latency_ms"]["p99"]
        .as_f64()
        .unwrap();
    let requests = summary["workloads"]["users"]["requests"].as_u64().unwrap();
    assert_eq!(row[col("cost.monthly_usd")].parse::<f64>().unwrap(), cost);
    assert_eq!(
        row[col("workloads.users.latency_ms.p99")]
            .parse::<f64>()
            .unwrap(),
        p99
    );
    assert_eq!(row[col("workloads.users.requests")], requests.to_string());
}

/// The 0.975 quantile of Student's t with 2 degrees of freedom.
const T2: f64 = 4.302_652_729_749_464;

#[test]
fn the_summary_gives_mean_and_confidence_interval_per_point() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let out = sweep(&dir, &GRID);
    assert!(out.status.success(), "{}", stderr(&out));
    let (rh, rows) = csv(&dir.join("sweep.csv"));
    let (sh, points) = csv(&dir.join("sweep_summary.csv"));
    assert_eq!(points.len(), 4);
    let metric = "workloads.users.latency_ms.p99";
    let (rc, mc, cc) = (
        rh.iter().position(|h| h == metric).unwrap(),
        sh.iter()
            .position(|h| *h == format!("{metric}.mean"))
            .unwrap(),
        sh.iter()
            .position(|h| *h == format!("{metric}.ci95"))
            .unwrap(),
    );
    for (p, point) in points.iter().enumerate() {
        let xs: Vec<f64> = rows[3 * p..3 * p + 3]
            .iter()
            .map(|r| r[rc].parse().unwrap())
            .collect();
        let mean = xs.iter().sum::<f64>() / 3.0;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
        let half = T2 * sd / 3f64.sqrt();
        let (m, c): (f64, f64) = (point[mc].parse().unwrap(), point[cc].parse().unwrap());
        assert!(
            (m - mean).abs() <= 1e-9 * mean.abs(),
            "point {p}: {m} vs {mean}"
        );
        assert!(
            (c - half).abs() <= 1e-9 * half.max(1.0),
            "point {p}: {c} vs {half}"
        );
        assert_eq!(point[sh.iter().position(|h| h == "ok").unwrap()], "3");
    }
    // Twice the load through the same function at 512 MB: more requests.
    let req = sh
        .iter()
        .position(|h| h == "workloads.users.requests.mean")
        .unwrap();
    let r = |p: usize| points[p][req].parse::<f64>().unwrap();
    assert!(r(3) > 1.5 * r(2), "{} vs {}", r(3), r(2));
}

#[test]
fn one_replication_leaves_the_interval_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let out = sweep(&dir, &["--vary", "lambda.get-item.memory_mb=128,256"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (sh, points) = csv(&dir.join("sweep_summary.csv"));
    let c = sh
        .iter()
        .position(|h| h == "cost.monthly_usd.ci95")
        .unwrap();
    assert!(points
        .iter()
        .all(|p| p[c].is_empty() && !p[c - 1].is_empty()));
}

#[test]
fn failed_points_are_reported_and_the_sweep_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    // 100 events stop a run early; an account of 200 cannot reserve 500
    // (each value alone is valid).
    let out = sweep(
        &dir,
        &[
            "--vary",
            "simulation.max_events=100,100000000",
            "--vary",
            "simulation.account_concurrency=1000,200",
            "--vary",
            "lambda.get-item.reserved_concurrency=50,500",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("5 of 8 runs did not end ok"), "{err}");
    assert!(err.contains("stopped_early"), "{err}");
    assert!(err.contains("invalid"), "{err}");
    let (h, rows) = csv(&dir.join("sweep.csv"));
    let status = h.iter().position(|c| c == "status").unwrap();
    let cost = h.iter().position(|c| c == "cost.monthly_usd").unwrap();
    let st: Vec<&str> = rows.iter().map(|r| r[status].as_str()).collect();
    assert_eq!(
        st,
        [
            "stopped_early",
            "stopped_early",
            "stopped_early",
            "invalid",
            "ok",
            "ok",
            "ok",
            "invalid"
        ]
    );
    for r in &rows {
        assert_eq!(r[cost].is_empty(), r[status] != "ok", "{r:?}");
        assert_eq!(r.last().unwrap().is_empty(), r[status] == "ok", "{r:?}");
    }
    let (sh, points) = csv(&dir.join("sweep_summary.csv"));
    let ok = sh.iter().position(|c| c == "ok").unwrap();
    let mean = sh
        .iter()
        .position(|c| c == "cost.monthly_usd.mean")
        .unwrap();
    assert_eq!(points[0][ok], "0");
    assert!(points[0][mean].is_empty());
    assert_eq!(points[4][ok], "1");
    assert!(!points[4][mean].is_empty());
}

/// `slsim sweep` of `body` appended to `[simulation]` (lines 1-2) in
/// `bad.toml`: the exit code and stderr.
fn bad(body: &str, args: &[&str]) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.toml");
    let text = format!(
        "[simulation]\nduration = \"1m\"\n\n[[lambda]]\nname = \"fn\"\n\n\
         [[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\n{body}"
    );
    std::fs::write(&file, text).unwrap();
    let out = slsim()
        .current_dir(tmp.path())
        .args(["sweep", "bad.toml", "--quiet", "--out", "out"])
        .args(args)
        .output()
        .unwrap();
    assert!(!tmp.path().join("out").exists());
    (out.status.code(), stderr(&out))
}

#[test]
fn bad_sweep_input_names_file_line_and_field() {
    // Lines 1-10 are the scenario; [sweep] is line 12.
    let values: Vec<String> = (128..=628).map(|m| m.to_string()).collect();
    let many = format!("lambda.fn.memory_mb={}", values.join(","));
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "unknown path",
            "\n[sweep]\n[sweep.vary]\n\"lambda.fm.memory_mb\" = [128, 256]\n",
            &[],
            &[
                "bad.toml:14:26:",
                "sweep.vary.\"lambda.fm.memory_mb\"[0]",
                "no lambda named `fm`",
                "did you mean `fn`?",
            ],
        ),
        (
            "bad value",
            "\n[sweep]\n[sweep.vary]\n\"lambda.fn.memory_mb\" = [128, 64]\n",
            &[],
            &[
                "bad.toml:14:31:",
                "sweep.vary.\"lambda.fn.memory_mb\"[1]",
                "value `64`",
                "128..=10240",
            ],
        ),
        (
            "replications 0",
            "\n[sweep]\nreplications = 0\n",
            &[],
            &[
                "bad.toml:13:16:",
                "sweep.replications",
                "0 is out of range (allowed 1..=1000)",
            ],
        ),
        (
            "misspelt field",
            "\n[sweep]\nreplicatons = 2\n",
            &[],
            &[
                "bad.toml:13:1:",
                "sweep.replicatons",
                "did you mean `replications`?",
            ],
        ),
        (
            "too many runs",
            "\n[sweep]\nreplications = 1000\n[sweep.vary]\n\"workload.w.scale\" = [1, 2]\n",
            &["--vary", many.as_str()],
            &[
                "bad.toml:12:2:",
                "sweep",
                "1002000 runs",
                "2 values of `workload.w.scale`",
                "501 values of `lambda.fn.memory_mb`",
                "limit of 1000000",
            ],
        ),
        (
            "duplicate value",
            "\n[sweep]\n[sweep.vary]\n\"workload.w.scale\" = [1, 2, 1]\n",
            &[],
            &[
                "bad.toml:14:29:",
                "sweep.vary.\"workload.w.scale\"[2]",
                "appears twice",
            ],
        ),
        (
            "varied seed",
            "\n[sweep]\n[sweep.vary]\n\"simulation.seed\" = [1, 2]\n",
            &[],
            &["bad.toml:14:1:", "`simulation.seed` cannot be varied"],
        ),
        (
            "unquoted path",
            "\n[sweep]\n[sweep.vary]\nlambda.fn.memory_mb = [128]\n",
            &[],
            &[
                "bad.toml:14:1:",
                "sweep.vary.lambda",
                "quote the whole path",
            ],
        ),
        (
            "bad --vary value",
            "",
            &[
                "--vary",
                "workload.w.arrival=\"poisson(rate=2)\",\"poisson(rate=x)\"",
            ],
            &[
                "--vary workload.w.arrival=",
                "workload.w.arrival[1]",
                "value `poisson(rate=x)`",
                "is not a number",
            ],
        ),
        (
            "--vary without values",
            "",
            &["--vary", "workload.w.scale"],
            &["--vary workload.w.scale", "not of the form PATH=V1,V2"],
        ),
        (
            "bad shard",
            "",
            &["--shard", "4/3"],
            &["--shard 4/3", "shards are numbered 1..=3"],
        ),
    ];
    for (name, body, args, expect) in cases {
        let (code, err) = bad(body, args);
        assert_eq!(code, Some(2), "{name}: {err}");
        for e in *expect {
            assert!(err.contains(e), "{name}: `{e}` not in:\n{err}");
        }
    }
}

#[test]
fn run_ignores_the_sweep_and_validate_checks_its_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(MINIMAL).unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        format!("{text}\n[sweep]\nreplications = 2\n[sweep.vary]\n\"lambda.get-item.memory_mb\" = [128, 256]\n"),
    )
    .unwrap();
    let out = slsim()
        .args(["run", "--quiet", "--out"])
        .arg(tmp.path().join("run"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(&file, format!("{text}\n[sweep]\nreplications = \"2\"\n")).unwrap();
    let out = slsim().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("sweep.replications"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_end_table_shows_each_point() {
    let tmp = tempfile::tempdir().unwrap();
    let out = slsim()
        .args(["sweep", MINIMAL, "--out"])
        .arg(tmp.path().join("s"))
        .args(GRID)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cost $/month") && text.contains("users p99 ms"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains(" 3/3 ")).count(),
        4,
        "{text}"
    );
    assert!(text.contains("wrote "), "{text}");
    // Not a terminal: no progress bar on stderr.
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn the_grid_follows_the_file_then_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(MINIMAL).unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        format!(
            "{text}\n[sweep.vary]\n\"workload.users.scale\" = [1, 2]\n\
             \"lambda.get-item.memory_mb\" = [128, 256]\n\"simulation.warmup\" = [\"5s\"]\n"
        ),
    )
    .unwrap();
    let dir = tmp.path().join("out");
    let out = slsim()
        .args(["sweep", "--quiet", "--out"])
        .arg(&dir)
        .arg(&file)
        .args([
            "--vary",
            "simulation.duration=1m",
            "--vary",
            "workload.users.scale=3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv(&dir.join("sweep.csv"));
    assert_eq!(
        &header[4..8],
        [
            "workload.users.scale",
            "lambda.get-item.memory_mb",
            "simulation.warmup",
            "simulation.duration"
        ]
    );
    let values: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [r[4].as_str(), r[5].as_str(), r[6].as_str(), r[7].as_str()])
        .collect();
    assert_eq!(values, [["3", "128", "5s", "1m"], ["3", "256", "5s", "1m"]]);
}
