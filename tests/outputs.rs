//! Outputs are all or nothing (issue 5, finding 3; `--out` messages from
//! finding 7; the write-side wall-time limit from finding 5): staging
//! beside the output directory, the previous results intact on any
//! failure, directories holding other files never replaced, provenance and
//! the `files` map in `summary.json`.

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use slsim::report::{write_outputs, ReportError, FILES, RUN_FILES};
use std::path::Path;
use std::time::{Duration, Instant};

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sorted entry names of `dir`.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of `dir` and its subdirectories (`plots/`) with its bytes
/// (to compare before and after).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for n in entries(dir) {
        let path = dir.join(&n);
        if path.is_dir() {
            files.extend(
                snapshot(&path)
                    .into_iter()
                    .map(|(sub, bytes)| (format!("{n}/{sub}"), bytes)),
            );
        } else {
            files.push((n, std::fs::read(path).unwrap()));
        }
    }
    files
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

/// The `files` map of `summary.json` names the size and SHA-256 of every
/// other file on disk: both CSV files, the plots, the drawing and the report.
fn assert_files_match(dir: &Path) {
    let v = summary(dir);
    let files: Vec<String> = snapshot(dir)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n != "summary.json")
        .collect();
    assert_eq!(v["files"].as_object().unwrap().len(), files.len());
    for f in &files {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        let entry = &v["files"][f];
        assert_eq!(entry["bytes"], bytes.len() as u64, "{f}: {entry}");
        assert_eq!(entry["sha256"], sha256(&bytes), "{f}: {entry}");
    }
}

fn run_minimal(out: &Path, seed: u64) -> std::process::Output {
    slsim()
        .args([
            "run",
            MINIMAL,
            "--quiet",
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_run_commits_files_that_belong_together_and_leaves_no_staging() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for seed in [1, 2] {
        let o = run_minimal(&out, seed);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(entries(tmp.path()), ["out"], "staging left beside it");
        let mut files = FILES.to_vec();
        files.extend(RUN_FILES);
        files.push("plots");
        files.sort();
        assert_eq!(entries(&out), files);
        assert_files_match(&out);
        let v = summary(&out);
        assert_eq!(v["seed"], seed);
        for k in ["scenario", "simulated_seconds", "workloads", "cost"] {
            assert!(v.get(k).is_some(), "summary.json lost {k}");
        }
    }
}

#[test]
fn summary_records_what_produced_it() {
    let root = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let out = slsim()
        .current_dir(root)
        .args([
            "run",
            "scenarios/minimal.toml",
            "--quiet",
            "--set",
            "simulation.duration=1m",
            "--seed",
            "5",
            "--set",
            "workload.users.scale=2",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = summary(&tmp.path().join("out"));
    let p = &v["provenance"];
    assert_eq!(p["slsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["scenario_path"], "scenarios/minimal.toml", "as given");
    assert_eq!(
        p["scenario_sha256"],
        sha256(&std::fs::read(MINIMAL).unwrap())
    );
    // --set in order; --seed last, as the override it is.
    assert_eq!(
        p["overrides"],
        serde_json::json!([
            "simulation.duration=1m",
            "workload.users.scale=2",
            "simulation.seed=5"
        ])
    );
    assert_eq!(v["seed"], 5);
}

/// `ulimit -f` makes every write past the limit fail with EFBIG, as a full
/// disk would fail with ENOSPC.
#[cfg(unix)]
fn run_with_file_size_limit(out: &Path, seed: u64) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_slsim");
    // 20 blocks is 10 or 20 KiB (the unit depends on the shell): more than
    // latency.csv, less than timeseries.csv (about 37 KB).
    std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 20; exec "$0" "$@""#)
        .arg(bin)
        .args([
            "run",
            MINIMAL,
            "--quiet",
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_disk_error_is_reported_as_one_and_keeps_the_previous_results() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_minimal(&out, 1);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);

    let o = run_with_file_size_limit(&out, 2);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&out.join("timeseries.csv").display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains("os error 27"), "the OS error (EFBIG): {err}");
    assert!(!err.contains("bug"), "a disk error is not a bug: {err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(snapshot(&out), before, "previous results changed");
    assert_eq!(entries(tmp.path()), ["out"], "staging left behind");

    // Without previous results: nothing at all is left.
    let fresh = tmp.path().join("fresh");
    let o = run_with_file_size_limit(&fresh, 2);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(entries(tmp.path()), ["out"], "a partial directory was left");
}

#[test]
fn out_naming_a_file_says_it_is_not_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("afile");
    std::fs::write(&file, "keep me").unwrap();
    for out in [file.clone(), file.join("sub")] {
        let o = run_minimal(&out, 1);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("not a directory"), "{err}");
        assert!(!err.contains("File exists"), "{err}");
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    assert_eq!(entries(tmp.path()), ["afile"]);
}

#[test]
fn a_directory_holding_other_files_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("summary.json"), "{}").unwrap();
    let before = snapshot(&dir.join("src"));
    let check = |o: std::process::Output, entry: &str, shown: &str| {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("refusing to replace"), "{err}");
        assert!(err.contains(shown), "names the directory: {err}");
        assert!(err.contains(entry), "names {entry}: {err}");
        assert!(err.contains("hint:"), "{err}");
    };
    check(
        run_minimal(&dir, 1),
        "notes.txt",
        &dir.display().to_string(),
    );
    // `--out .` from inside it.
    let o = slsim()
        .current_dir(&dir)
        .args(["run", MINIMAL, "--quiet", "--out", "."])
        .output()
        .unwrap();
    check(o, "notes.txt", ".");
    // A subdirectory is not ours either.
    std::fs::remove_file(dir.join("notes.txt")).unwrap();
    check(run_minimal(&dir, 1), "src", &dir.display().to_string());
    assert_eq!(entries(&dir), ["src", "summary.json"]);
    assert_eq!(std::fs::read(dir.join("summary.json")).unwrap(), b"{}");
    assert_eq!(snapshot(&dir.join("src")), before);
    assert_eq!(entries(tmp.path()), ["project"], "staging left behind");

    // The current directory, even empty, is not swapped from under the shell.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = slsim()
        .current_dir(&empty)
        .args(["run", MINIMAL, "--quiet", "--out", "."])
        .output()
        .unwrap();
    check(o, "current directory", ".");
    assert!(entries(&empty).is_empty());
}

fn minimal_result(seed: u64) -> slsim::sim::RunResult {
    let text = std::fs::read_to_string(MINIMAL).unwrap();
    let sets = [format!("simulation.seed={seed}")];
    let s = slsim::scenario::parse_str(&text, MINIMAL, &sets).unwrap();
    slsim::sim::run(&s).unwrap()
}

#[test]
fn the_wall_time_limit_while_writing_keeps_the_previous_results() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    write_outputs(&out, &minimal_result(1), None).unwrap();
    let before = snapshot(&out);

    // Already past: stops before the first file.
    let next = minimal_result(2);
    let err = write_outputs(&out, &next, Some(Instant::now())).unwrap_err();
    assert!(matches!(err, ReportError::WallTime { .. }), "{err:?}");
    assert!(err.to_string().contains("[simulation].max_wall"), "{err}");

    // Passing while a large timeseries.csv is streamed (checked every
    // 65,536 rows; a million rows take far longer than a millisecond).
    let mut big = next.clone();
    big.timeseries.series.truncate(1);
    big.timeseries.series[0].values = vec![1.5; 1_000_000];
    let deadline = Instant::now() + Duration::from_millis(1);
    let err = write_outputs(&out, &big, Some(deadline)).unwrap_err();
    assert!(matches!(err, ReportError::WallTime { .. }), "{err:?}");

    assert_eq!(snapshot(&out), before, "previous results changed");
    assert_eq!(entries(tmp.path()), ["out"], "staging left behind");

    // A far deadline does not get in the way.
    let later = Instant::now() + Duration::from_secs(3600);
    write_outputs(&out, &next, Some(later)).unwrap();
    assert_eq!(summary(&out)["seed"], 2);
    assert_files_match(&out);
}
