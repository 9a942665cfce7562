//! `slsim sweep --shard I/N` and `slsim merge`: the merged shards equal
//! the unsharded sweep byte for byte; missing, duplicate, foreign and
//! altered shards are refused as bad input.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// 7 memory sizes, one replication: 7 runs do not split evenly into 3
/// shards.
const GRID: [&str; 6] = [
    "--vary",
    "lambda.get-item.memory_mb=128,256,512,1024,2048,3008,4096",
    "--set",
    "sweep.replications=1",
    "--seed",
    "7",
];

fn sweep(out: &Path, extra: &[&str]) -> std::process::Output {
    slsim()
        .args(["sweep", MINIMAL, "--quiet", "--out"])
        .arg(out)
        .args(GRID)
        .args(extra)
        .output()
        .unwrap()
}

fn shards(tmp: &Path, n: u64) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let dir = tmp.join(format!("shard-{i}"));
            let out = sweep(&dir, &["--shard", &format!("{i}/{n}")]);
            assert!(out.status.success(), "{}", stderr(&out));
            dir
        })
        .collect()
}

fn merge(dirs: &[PathBuf], out: &Path) -> std::process::Output {
    slsim()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .unwrap()
}

#[test]
fn merged_shards_equal_the_unsharded_sweep_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    let out = sweep(&whole, &["--threads", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dirs = shards(tmp.path(), 3);
    // A shard holds its runs only: 7 runs, shard 1 takes 0, 3, 6.
    let shard1 = std::fs::read_to_string(dirs[0].join("sweep.csv")).unwrap();
    let runs: Vec<&str> = shard1
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(runs, ["0", "3", "6"]);
    assert!(!dirs[0].join("sweep_summary.csv").exists());
    // Merged in any order.
    let merged = tmp.path().join("merged");
    let reordered = [dirs[2].clone(), dirs[0].clone(), dirs[1].clone()];
    let out = merge(&reordered, &merged);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every file, the charts and the report included.
    let files = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = ["", "plots"]
            .iter()
            .flat_map(|sub| std::fs::read_dir(d.join(sub)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| p.strip_prefix(d).unwrap().display().to_string())
            .collect();
        v.sort();
        v
    };
    let names = files(&whole);
    assert_eq!(names, files(&merged));
    for f in [
        "sweep.csv",
        "sweep_summary.csv",
        "sweep.json",
        "report.html",
        "report.md",
    ] {
        assert!(names.iter().any(|n| n == f), "{f} missing: {names:?}");
    }
    assert!(
        names
            .iter()
            .any(|n| n == "plots/01-power-tuning-get-item.svg"),
        "{names:?}"
    );
    for f in &names {
        let a = std::fs::read(whole.join(f)).unwrap();
        let b = std::fs::read(merged.join(f)).unwrap();
        assert!(a == b, "{f}: merged differs from unsharded");
    }
    // A shard has neither charts nor a report.
    assert!(!dirs[0].join("plots").exists() && !dirs[0].join("report.html").exists());
    // More shards than runs: the empty shards merge too.
    let many = tmp.path().join("many");
    std::fs::create_dir(&many).unwrap();
    let dirs = shards(&many, 9);
    let merged9 = tmp.path().join("merged9");
    let out = merge(&dirs, &merged9);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = std::fs::read(whole.join("sweep.csv")).unwrap();
    assert_eq!(a, std::fs::read(merged9.join("sweep.csv")).unwrap());
}

#[test]
fn missing_duplicate_foreign_and_altered_shards_are_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path(), 3);
    let out_dir = tmp.path().join("merged");
    let check = |dirs: &[PathBuf], expect: &[&str]| {
        let out = merge(dirs, &out_dir);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        for e in expect {
            assert!(err.contains(e), "`{e}` not in:\n{err}");
        }
        assert!(err.contains("hint:"), "{err}");
        assert!(!out_dir.exists());
    };
    check(&dirs[..2], &["1 of 3 shards missing: 3/3"]);
    check(
        &[
            dirs[0].clone(),
            dirs[1].clone(),
            dirs[1].clone(),
            dirs[2].clone(),
        ],
        &["shard 2/3 is given twice"],
    );
    // Another override: another sweep.
    let foreign = tmp.path().join("foreign");
    let out = sweep(
        &foreign,
        &["--shard", "2/3", "--set", "workload.users.scale=2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    check(
        &[dirs[0].clone(), foreign.clone(), dirs[2].clone()],
        &["is a shard of another sweep", "workload.users.scale=2"],
    );
    // The same sweep split in 2: not a shard of 3.
    let half = tmp.path().join("half");
    let out = sweep(&half, &["--shard", "2/2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    check(&[dirs[0].clone(), half], &["is shard 2/2 while"]);
    // A whole sweep is not a shard.
    let whole = tmp.path().join("whole");
    let out = sweep(&whole, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    check(&[whole], &["holds a whole sweep, not a shard"]);
    // An edited sweep.csv no longer matches its manifest.
    let csv = dirs[1].join("sweep.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replacen(",ok,", ",ok,1", 1)).unwrap();
    check(&dirs, &["is not the file its sweep.json names"]);
    std::fs::write(&csv, text).unwrap();
    // Not a shard directory at all.
    check(&[tmp.path().to_path_buf()], &["cannot read", "sweep.json"]);
    let out = merge(&dirs, &out_dir);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn merged_shards_keep_the_verdicts_and_the_best_point() {
    // minimal.toml with an SLO and an objective: verdict columns and `best`.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(MINIMAL).unwrap()
        + "\n[[slo]]\nmetric = \"workloads.users.latency_ms.p99\"\nmax = 200\n\n\
           [objective]\nminimize = \"cost.per_million_requests_usd\"\n";
    let file = tmp.path().join("slo.toml");
    std::fs::write(&file, text).unwrap();
    let run = |out: &Path, extra: &[&str]| {
        let out = slsim()
            .arg("sweep")
            .arg(&file)
            .args(["--quiet", "--out"])
            .arg(out)
            .args(["--vary", "lambda.get-item.memory_mb=128,512,1024"])
            .args(["--set", "sweep.replications=2"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    let whole = tmp.path().join("whole");
    run(&whole, &[]);
    let dirs: Vec<PathBuf> = (1..=2)
        .map(|i| {
            let d = tmp.path().join(format!("s{i}"));
            run(&d, &["--shard", &format!("{i}/2")]);
            d
        })
        .collect();
    let merged = tmp.path().join("merged");
    let out = merge(&dirs, &merged);
    assert!(out.status.success(), "{}", stderr(&out));
    for f in ["sweep.csv", "sweep_summary.csv", "sweep.json"] {
        let a = std::fs::read(whole.join(f)).unwrap();
        let b = std::fs::read(merged.join(f)).unwrap();
        assert!(a == b, "{f}: merged differs from unsharded");
    }
    let summary = std::fs::read_to_string(whole.join("sweep_summary.csv")).unwrap();
    let header = summary.lines().next().unwrap();
    assert!(
        header.ends_with(",workloads.users.latency_ms.p99 <= 200,verdict,best"),
        "{header}"
    );
    assert_eq!(summary.matches(",yes\n").count(), 1, "{summary}");
    let manifest = std::fs::read_to_string(whole.join("sweep.json")).unwrap();
    assert!(manifest.contains("\"best\": {"), "{manifest}");
    let shard = std::fs::read_to_string(dirs[0].join("sweep.json")).unwrap();
    assert!(!shard.contains("\"best\""), "{shard}");
}
