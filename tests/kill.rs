//! The kill test (issue 5, finding 3): SIGINT (and some SIGTERM) at random
//! moments of `slsim run` with large outputs, spread over the simulation
//! and the write phase. After each, the output directory holds either the
//! previous run's complete results or the new run's, never a mix, and no
//! staging directory remains.
//!
//! Each run uses a new seed, so `summary.json`'s seed says which run the
//! directory holds, and its `files` map (size and SHA-256 of every other
//! file: both CSV files, every plot, the drawing and the report) says
//! whether they came from that same run. The moments
//! are drawn from a seeded generator (reproducible choices; the timing of
//! the machine still varies).

#![cfg(unix)]

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mytodolist.toml");
/// Kills: at least 20 (the issue).
const KILLS: u64 = 24;

/// Six hours at 1 s intervals (about 25 MB of timeseries.csv) at a fifth of
/// the traffic: the write phase is about as long as the simulation.
fn start(out: &Path, seed: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_slsim"))
        .args(["run", SCENARIO, "--quiet"])
        .args(["--set", "simulation.duration=6h"])
        .args(["--set", "simulation.timeseries_interval=1s"])
        .args(["--set", "workload.users.scale=0.2"])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    // The process may have exited already: then kill fails, harmlessly.
    let _ = status;
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// The seed of the complete run `out` holds; panics on a mix (of the CSV
/// files or of the plots).
fn complete_run(out: &Path, context: &str) -> u64 {
    assert_eq!(
        names(out),
        [
            "latency.csv",
            "plots",
            "report.html",
            "report.md",
            "summary.json",
            "timeseries.csv",
            "topology.svg"
        ],
        "{context}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap())
            .unwrap_or_else(|e| panic!("{context}: summary.json: {e}"));
    let plots: Vec<String> = names(&out.join("plots"))
        .into_iter()
        .map(|n| format!("plots/{n}"))
        .collect();
    assert!(plots.len() >= 12, "{context}: {plots:?}");
    let files = summary["files"].as_object().unwrap();
    assert_eq!(files.len(), 5 + plots.len(), "{context}: partial plots");
    let others = [
        "timeseries.csv",
        "latency.csv",
        "topology.svg",
        "report.md",
        "report.html",
    ]
    .map(String::from);
    for f in others.iter().chain(&plots) {
        let f = f.as_str();
        let bytes = std::fs::read(out.join(f)).unwrap();
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let entry = &summary["files"][f];
        assert_eq!(entry["bytes"], bytes.len() as u64, "{context}: {f} mixed");
        assert_eq!(entry["sha256"], sha, "{context}: {f} mixed");
    }
    summary["seed"].as_u64().unwrap()
}

fn staging_seen(parent: &Path) -> bool {
    names(parent).iter().any(|n| n.contains(".slsim-staging-"))
}

#[test]
fn sigint_at_random_moments_leaves_old_or_new_results_never_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");

    // A complete first run, also timing a whole run on this machine.
    let t0 = Instant::now();
    let first = start(&out, 1).wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let whole = t0.elapsed();
    let mut held = complete_run(&out, "first run");
    assert_eq!(held, 1);

    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let (mut in_write, mut interrupted, mut finished) = (0, 0, 0);
    for i in 0..KILLS {
        let seed = 100 + i;
        let (name, code) = if i % 4 == 3 {
            ("TERM", 143)
        } else {
            ("INT", 130)
        };
        let child = start(&out, seed);
        let launched = Instant::now();
        // Half the kills at a moment drawn over a whole run; half at a
        // moment drawn over the write phase, once staging has appeared.
        let mut aimed_at_write = false;
        if i % 2 == 0 {
            std::thread::sleep(whole.mul_f64(rng.random_range(0.0..1.1)));
        } else {
            let delay = whole.mul_f64(rng.random_range(0.0..0.6));
            while !staging_seen(tmp.path()) && launched.elapsed() < whole * 3 {
                std::thread::sleep(Duration::from_millis(1));
            }
            aimed_at_write = staging_seen(tmp.path());
            std::thread::sleep(delay);
        }
        signal(&child, name);
        let done = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&done.stderr);
        let context = format!("kill {i} (SIG{name}, seed {seed}): {:?} {err}", done.status);

        let now = complete_run(&out, &context);
        assert!(now == held || now == seed, "{context}: holds seed {now}");
        assert_eq!(names(tmp.path()), ["out"], "{context}: staging left");
        match done.status.code() {
            Some(0) => {
                assert_eq!(now, seed, "{context}");
                finished += 1;
            }
            Some(c) if c == code => {
                interrupted += 1;
                if aimed_at_write && now == held {
                    in_write += 1;
                }
            }
            // Killed before the handler was installed: nothing written.
            None => assert_eq!(now, held, "{context}"),
            Some(_) => panic!("{context}: unexpected exit"),
        }
        held = now;
    }
    eprintln!(
        "{KILLS} kills: {interrupted} interrupted ({in_write} during the write phase), \
         {finished} finished first; a whole run takes {whole:?}"
    );
    assert!(in_write >= 1, "no kill landed in the write phase");
}
