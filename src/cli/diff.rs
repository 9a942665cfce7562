//! `slsim diff A B`: compare two result directories, two scenarios (run in
//! memory, replicated with `--replications N`), or one of each.

use super::{emit, Failure};
use crate::diff::{self, runs, Side};
use crate::scenario::{self, Scenario};
use clap::Args;
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `slsim diff`.
#[derive(Debug, Args)]
pub(super) struct DiffArgs {
    /// The baseline: a result directory (its summary.json), a summary.json
    /// file, or a scenario file (run in memory, nothing written).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// What is compared with it (same forms as A).
    #[arg(value_name = "B")]
    b: PathBuf,
    /// Print the diff as JSON.
    #[arg(long)]
    json: bool,
    /// Runs of each scenario input (seeds derived from its seed and the
    /// replication index); from 2, each metric gets its mean ± 95 %
    /// confidence interval and Welch's t-test.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    replications: u16,
    /// Override a field of both scenario inputs (repeatable), e.g. `--set
    /// simulation.duration=1h`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// Override a field of scenario A only, after `--set` (repeatable).
    #[arg(long = "set-a", value_name = "PATH=VALUE")]
    sets_a: Vec<String>,
    /// Override a field of scenario B only, after `--set` (repeatable),
    /// e.g. `slsim diff s.toml s.toml --set-b lambda.api.memory_mb=1024`.
    #[arg(long = "set-b", value_name = "PATH=VALUE")]
    sets_b: Vec<String>,
    /// Master seed of the scenario inputs (same as `--set simulation.seed=N`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Threads running the scenario inputs' runs [default: the machine's
    /// cores]. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

/// One input: a summary read from disk, or a scenario to run.
enum Input {
    Summary(Value),
    Scenario(Box<Scenario>),
}

/// Reads `path`: a directory's summary.json, a `.json` file, or a scenario.
fn input(path: &Path, sets: &[String]) -> Result<Input, Failure> {
    let summary = if path.is_dir() {
        Some(path.join("summary.json"))
    } else if path.extension().is_some_and(|e| e == "json") {
        Some(path.to_path_buf())
    } else {
        None
    };
    let Some(file) = summary else {
        let s = scenario::load(path, sets).map_err(Failure::input)?;
        super::run::prices_for(&s)?;
        return Ok(Input::Scenario(Box::new(s)));
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Failure::Input(anyhow::anyhow!(
            "cannot read {}: {e}\n  hint: A and B are result directories (written by `slsim run`), \
             summary.json files or scenario files",
            file.display()
        ))
    })?;
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        Failure::Input(anyhow::anyhow!("{} is not valid JSON: {e}", file.display()))
    })?;
    if !(v.get("workloads").is_some_and(Value::is_object) && v.get("cost").is_some()) {
        return Err(Failure::Input(anyhow::anyhow!(
            "{} is not an slsim summary.json (it has no `workloads` and `cost`)",
            file.display()
        )));
    }
    Ok(Input::Summary(v))
}

/// Rejects options that a result input cannot take: replications (it is
/// one run), its own `--set-a`/`--set-b`, and `--set`/`--seed` when both
/// inputs are results.
fn check_inputs(
    args: &DiffArgs,
    a: &Input,
    b: &Input,
    n: usize,
    sets: &[String],
) -> Result<(), Failure> {
    let is_result = |i: &Input| matches!(i, Input::Summary(_));
    for (i, path, own, flag) in [
        (a, &args.a, &args.sets_a, "--set-a"),
        (b, &args.b, &args.sets_b, "--set-b"),
    ] {
        if !is_result(i) {
            continue;
        }
        if n > 1 {
            return Err(Failure::Input(anyhow::anyhow!(
                "--replications {n} needs scenario inputs, but {} is a result (one run)\n  hint: \
                 give the scenario file instead, e.g. slsim diff a.toml b.toml --replications {n}",
                path.display()
            )));
        }
        if !own.is_empty() {
            return Err(Failure::Input(anyhow::anyhow!(
                "{flag} applies to a scenario input, but {} is a result\n  hint: run its \
                 scenario again with the override, or give the scenario file",
                path.display()
            )));
        }
    }
    if is_result(a) && is_result(b) && !sets.is_empty() {
        return Err(Failure::Input(anyhow::anyhow!(
            "--set and --seed apply to scenario inputs, but A and B are results\n  hint: give \
             scenario files to run them with overrides"
        )));
    }
    Ok(())
}

/// Compares A and B; prints the diff (exit 0 whatever changed).
pub(super) fn diff(args: DiffArgs) -> Result<(), Failure> {
    let mut sets = args.sets.clone();
    if let Some(seed) = args.seed {
        sets.push(format!("simulation.seed={seed}"));
    }
    let n = usize::from(args.replications);
    let with = |own: &[String]| -> Vec<String> { sets.iter().chain(own).cloned().collect() };
    let (sets_a, sets_b) = (with(&args.sets_a), with(&args.sets_b));
    let (a, b) = (input(&args.a, &sets_a)?, input(&args.b, &sets_b)?);
    check_inputs(&args, &a, &b, n, &sets)?;
    if let Some(dir) = [(&a, &args.a), (&b, &args.b)].iter().find_map(|(i, p)| {
        matches!(i, Input::Summary(v) if v.get("stopped_early").is_some_and(|s| !s.is_null()))
            .then_some(p)
    }) {
        warn(&format!(
            "{} holds a run a guard stopped early: its figures cover part of the run",
            dir.display()
        ));
    }
    // Every scenario run, both sides, in one pool of threads.
    let mut jobs: Vec<Scenario> = Vec::new();
    for i in [&a, &b] {
        if let Input::Scenario(s) = i {
            for w in &s.warnings {
                warn(w.strip_prefix("warning: ").unwrap_or(w));
            }
            jobs.extend(runs::seeded(s, n));
        }
    }
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let mut results = runs::run_many(&jobs, threads).into_iter();
    let mut side = |i: Input, path: &Path| -> Result<Side, Failure> {
        let label = path.display().to_string();
        match i {
            Input::Summary(v) => Ok(Side::new(label, vec![v])),
            Input::Scenario(_) => {
                let got: Result<Vec<Value>, _> = results.by_ref().take(n).collect();
                let got = got
                    .map_err(|e| Failure::Runtime(anyhow::Error::new(e).context(label.clone())))?;
                Ok(Side::new(label, got))
            }
        }
    };
    let (a, b) = (side(a, &args.a)?, side(b, &args.b)?);
    let d = diff::compare(&a, &b);
    if args.json {
        let mut text = serde_json::to_string_pretty(&d).map_err(Failure::runtime)?;
        text.push('\n');
        emit(&text)
    } else {
        emit(&diff::text::diff_text(&d))
    }
}

fn warn(w: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {w}");
}
