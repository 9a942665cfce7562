//! Property tests over random valid scenarios, through the real binary
//! (issue 5, "Tests that must pass"):
//!
//! * every run exits 0 (or 1 with `stopped_early` in summary.json), never
//!   panics, and writes the three result files, from one run, and nothing
//!   else;
//! * conservation per workload;
//! * no NaN, inf, -inf or -0 in summary.json, timeseries.csv, latency.csv;
//! * latency percentiles monotone in the percentile and at most the max;
//! * the same scenario and seed give byte-identical files (but
//!   `wall_seconds`).
//!
//! The generator (`props/scen.rs`) keeps each scenario to a few simulated
//! seconds and a few thousand requests. Runs use a fixed proptest seed, so
//! CI is reproducible; explore with `PROPTEST_RNG_SEED=N` (and
//! `SLSIM_PROP_CASES=N` for more cases). Failure persistence is off: a
//! failure found here is kept as a fixture in `tests/props/regressions/`,
//! which [`regressions_still_pass`] replays.

#[path = "props/check.rs"]
mod check;
#[path = "props/scen.rs"]
mod scen;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError};
use std::path::Path;

fn config(cases: u32) -> Config {
    let cases = std::env::var("SLSIM_PROP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        // A failing case runs the binary per shrink step; keep shrinking bounded.
        max_shrink_iters: 512,
        max_shrink_time: 300_000,
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            Config::default().rng_seed
        } else {
            RngSeed::Fixed(0x51_5eed_0005)
        },
        ..Config::default()
    }
}

fn args(s: &scen::Scen) -> (Vec<String>, Vec<String>) {
    match s.cli_seed {
        Some(n) => (
            vec!["--seed".into(), n.to_string()],
            vec![format!("simulation.seed={n}")],
        ),
        None => (Vec::new(), Vec::new()),
    }
}

fn expect(s: &scen::Scen) -> check::Expect {
    check::Expect {
        duration_s: s.duration_s(),
        measured_s: s.measured_s(),
        seed: s.seed(),
        may_stop_early: s.may_stop_early(),
        overrides: args(s).1,
    }
}

fn fail(problems: Vec<String>) -> Result<(), TestCaseError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(problems.join("\n")))
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_valid_scenarios_run_cleanly(s in scen::scen()) {
        let dir = tempfile::tempdir().unwrap();
        let run = check::run(dir.path(), &s.render(), s.uses_samples(), &args(&s).0);
        fail(check::check(&run, &expect(&s)))?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn random_valid_scenarios_are_deterministic(s in scen::scen()) {
        let dir = tempfile::tempdir().unwrap();
        let text = s.render();
        let ra = check::run_to(dir.path(), &text, s.uses_samples(), &args(&s).0, "a");
        let rb = check::run_to(dir.path(), &text, s.uses_samples(), &args(&s).0, "b");
        prop_assert_eq!(ra.code, rb.code, "exit codes differ; stderr:\n{}\n---\n{}", ra.stderr, rb.stderr);
        for name in check::FILES {
            let (fa, fb) = (std::fs::read(ra.out.join(name)), std::fs::read(rb.out.join(name)));
            match (fa, fb) {
                (Ok(x), Ok(y)) => {
                    let (x, y) = if name == "summary.json" {
                        (check::without_wall(&x).into_bytes(), check::without_wall(&y).into_bytes())
                    } else {
                        (x, y)
                    };
                    if x != y {
                        let line = String::from_utf8_lossy(&x)
                            .lines()
                            .zip(String::from_utf8_lossy(&y).lines())
                            .position(|(l, r)| l != r);
                        return Err(TestCaseError::fail(format!(
                            "{name} differs between two runs (first differing line {line:?})"
                        )));
                    }
                }
                (Err(_), Err(_)) => {}
                (x, y) => return Err(TestCaseError::fail(format!(
                    "{name} written by one run only ({} / {})", x.is_ok(), y.is_ok()
                ))),
            }
        }
    }
}

/// Scenarios that once failed a property, kept as fixtures: each file is a
/// scenario run with the same checks (`# args: --seed N` on the first line
/// gives command-line arguments).
#[test]
fn regressions_still_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/props/regressions");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        n += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let args: Vec<String> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# args:"))
            .map(|a| a.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let tmp = tempfile::tempdir().unwrap();
        let run = check::run(
            tmp.path(),
            &text,
            text.contains("empirical(samples.csv)"),
            &args,
        );
        let sets: Vec<String> = args
            .chunks(2)
            .filter(|c| c[0] == "--seed")
            .map(|c| format!("simulation.seed={}", c[1]))
            .collect();
        let parsed = slsim::scenario::load(&run.scenario, &sets).expect("fixture is valid");
        let want = check::Expect {
            duration_s: parsed.simulation.duration as f64 / 1e9,
            measured_s: (parsed.simulation.duration - parsed.simulation.warmup) as f64 / 1e9,
            seed: parsed.simulation.seed,
            may_stop_early: text.contains("max_events"),
            overrides: sets,
        };
        let problems = check::check(&run, &want);
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", path.display(), problems.join("\n")));
        }
    }
    assert!(n > 0, "no fixtures in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
