//! Bounds and limits of the scenario format, through the `slsim` binary
//! (issue 5: findings 2(c), 4, 7 and 8 where they showed at the CLI).
//! Every command runs under a timeout, so a regression to a hang fails
//! instead of blocking the test suite.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// Far above the few milliseconds validation takes, far below "hangs".
const TIMEOUT: Duration = Duration::from_secs(20);

fn slsim() -> Command {
    let mut c = Command::cargo_bin("slsim").unwrap();
    c.timeout(TIMEOUT);
    c
}

const MINIMAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");

/// Runs `slsim validate` on `path` (with `sets`); returns exit code and
/// stderr. A command killed by the timeout has no exit code.
fn validate(path: &Path, sets: &[&str]) -> (Option<i32>, String) {
    let mut cmd = slsim();
    cmd.arg("validate").arg(path);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scenario in `dir` whose one function waits on `empirical(samples)`.
fn with_samples(dir: &Path, samples: &str) -> PathBuf {
    let path = dir.join("s.toml");
    let text = format!(
        "[simulation]\nduration = \"1m\"\n\n[[workload]]\nname = \"w\"\ntarget = \"fn\"\narrival = \"poisson(rate=1)\"\n\n[[lambda]]\nname = \"fn\"\nsteps = [{{ io = \"empirical({samples})\" }}]\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Finding 7: a seed beyond 64 bits is out of range, not "invalid type".
#[test]
fn set_seed_beyond_64_bits_is_out_of_range() {
    let (code, err) = validate(
        Path::new(MINIMAL),
        &["simulation.seed=18446744073709551615"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("simulation.seed"), "{err}");
    assert!(err.contains("out of range"), "{err}");
    assert!(err.contains("0..=9223372036854775807"), "{err}");
    assert!(!err.contains("invalid type"), "{err}");
    // The largest seed is accepted.
    let (code, err) = validate(Path::new(MINIMAL), &["simulation.seed=9223372036854775807"]);
    assert_eq!(code, Some(0), "{err}");
}

/// Finding 2(c) / 1: `empirical(FIFO)` is refused at once, never opened
/// (opening a FIFO blocks until a writer appears).
#[cfg(unix)]
#[test]
fn empirical_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("samples.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (code, err) = validate(&with_samples(dir.path(), "samples.fifo"), &[]);
    assert_eq!(code, Some(2), "timed out or wrong exit code: {err}");
    assert!(err.contains("samples.fifo"), "{err}");
    assert!(err.contains("FIFO"), "{err}");
    assert!(err.contains("only regular files are read"), "{err}");
    assert!(err.contains("s.toml:11:"), "{err}");
}

/// Finding 2(c): `empirical(/dev/zero)` is refused, not read for ever.
#[cfg(unix)]
#[test]
fn empirical_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = validate(&with_samples(dir.path(), "/dev/zero"), &[]);
    assert_eq!(code, Some(2), "timed out or wrong exit code: {err}");
    assert!(err.contains("/dev/zero"), "{err}");
    assert!(err.contains("character device"), "{err}");
    // A directory is no better.
    let (code, err) = validate(&with_samples(dir.path(), "."), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a directory"), "{err}");
}

/// Finding 2(c): a sample file above 64 MiB is refused by its size alone
/// (a sparse file: nothing is written or read).
#[test]
fn empirical_file_above_64_mib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("big.csv")).unwrap();
    f.set_len((64 << 20) + 1).unwrap();
    let (code, err) = validate(&with_samples(dir.path(), "big.csv"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("big.csv"), "{err}");
    assert!(
        err.contains("67108865 bytes, above the limit of 67108864 bytes (64 MiB)"),
        "{err}"
    );
}

/// Finding 2(c): at most 1,000,000 values per file, and 10,000,000 over
/// the files of a scenario.
#[test]
fn empirical_sample_counts_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.csv"), "1\n".repeat(1_000_001)).unwrap();
    let (code, err) = validate(&with_samples(dir.path(), "many.csv"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("`many.csv` hold more than 1000000 values"),
        "{err}"
    );

    std::fs::write(dir.path().join("full.csv"), "1\n".repeat(1_000_000)).unwrap();
    let (code, err) = validate(&with_samples(dir.path(), "full.csv"), &[]);
    assert_eq!(code, Some(0), "exactly 1000000 values are fine: {err}");

    // Eleven different files of a million values each.
    let steps: Vec<String> = (0..11)
        .map(|i| {
            let name = format!("f{i}.csv");
            std::fs::copy(dir.path().join("full.csv"), dir.path().join(&name)).unwrap();
            format!("{{ io = \"empirical({name})\" }}")
        })
        .collect();
    let path = dir.path().join("eleven.toml");
    std::fs::write(
        &path,
        format!(
            "[simulation]\nduration = \"1m\"\n\n[[lambda]]\nname = \"fn\"\nsteps = [{}]\n",
            steps.join(", ")
        ),
    )
    .unwrap();
    let (code, err) = validate(&path, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("more than 10000000 values together"), "{err}");
}

/// Finding 4: `rcu = 1e308` gave inf and NaN costs with exit 0; now the
/// run does not start (exit 2) and the message cites the AWS quota.
#[test]
fn run_refuses_capacity_beyond_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    let out = slsim()
        .args(["run", MINIMAL, "--out"])
        .arg(dir.path())
        .args([
            "--set",
            "table.items.capacity=\"provisioned\"",
            "--set",
            "table.items.rcu=1e308",
            "--set",
            "table.items.wcu=5",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("rcu"), "{err}");
    assert!(err.contains("allowed 1..=40000"), "{err}");
    assert!(!err.contains("inf") && !err.contains("NaN"), "{err}");
}

/// Finding 8: `validate` prints the warnings on stderr, one line each,
/// and still succeeds.
#[test]
fn validate_prints_warnings() {
    let (code, err) = validate(
        Path::new(MINIMAL),
        &[
            "simulation.duration=10s",
            "simulation.warmup=0s",
            "workload.users.arrival=\"diurnal(mean=5, peak=10, period=1h)\"",
            "lambda.get-item.timeout=60s",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings.iter().any(|w| w.contains(".arrival")
            && w.contains("diurnal period 1h is longer than the run (10s)")),
        "{err}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(".timeout") && w.contains("integration timeout of api `api`")),
        "{err}"
    );
}
