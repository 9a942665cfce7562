//! `slsim sweep SCENARIO` and `slsim merge DIR...`: run a grid of settings
//! in parallel (or one shard of it), write `sweep.csv`,
//! `sweep_summary.csv`, the charts, the report and `sweep.json`; merge
//! shards into the whole.

use super::{emit, signals, Failure, ScenarioArgs};
use crate::report;
use crate::scenario::{self, ScenarioError};
use crate::sweep::exec::Job;
use crate::sweep::manifest::ScenarioRef;
use crate::sweep::{self, Definition, Row, Shard, Status};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Arguments of `slsim sweep`.
#[derive(Debug, Args)]
pub(super) struct SweepArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Vary a field over values, e.g. `--vary lambda.api.memory_mb=512,1024`
    /// (repeatable; adds to or replaces the scenario's [sweep.vary]). Values
    /// are TOML values separated by commas outside quotes, brackets, braces
    /// and parentheses: `--vary 'workload.w.arrival="poisson(rate=5)","poisson(rate=10)"'`.
    #[arg(long = "vary", value_name = "PATH=V1,V2,...")]
    vary: Vec<String>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Output directory [default: output/<scenario name>-sweep/, or
    /// output/<scenario name>-sweep-shard-I-of-N/ for a shard]. It is replaced
    /// as a whole, so it must be new or hold only slsim's results.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Master seed, 0..=9223372036854775807: each run's seed derives from it,
    /// its point and its replication.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Run only shard I of N (1-based): the runs whose number is I-1 modulo
    /// N; `slsim merge` combines the N shard directories.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Print nothing on success and no progress bar (warnings and errors
    /// still go to stderr).
    #[arg(long, short)]
    quiet: bool,
    /// Do not draw the charts in plots/ (the report is still written).
    #[arg(long)]
    no_plots: bool,
}

/// Arguments of `slsim merge`.
#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// The shard directories (`slsim sweep --shard I/N --out DIR`), all N.
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,
    /// Output directory [default: output/<scenario name>-sweep/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
    /// Do not draw the charts in plots/ (the report is still written).
    #[arg(long)]
    no_plots: bool,
}

/// A sweep's definition loaded from the command line, with what the runs
/// need.
pub(super) struct Loaded {
    /// The definition.
    pub def: Definition,
    /// The scenario file's text.
    pub text: String,
    /// The file as given.
    pub file: String,
    /// The scenario with the user's overrides.
    pub base: scenario::Scenario,
}

/// Reads the scenario, its `[sweep]` and `--vary`, and builds the
/// definition (bad input: exit 2).
pub(super) fn load(
    scenario: ScenarioArgs,
    seed: Option<u64>,
    vary: &[String],
) -> Result<Loaded, Failure> {
    let mut sets = scenario.sets;
    if let Some(seed) = seed {
        sets.push(format!("simulation.seed={seed}"));
    }
    let path = &scenario.path;
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| {
        Failure::input(ScenarioError::Io {
            path: file.clone(),
            source,
        })
    })?;
    let (base, grid) = scenario::sweep::load(&text, &file, &sets, vary).map_err(Failure::input)?;
    super::run::prices_for(&base)?;
    let def = Definition {
        scenario: ScenarioRef {
            name: base.simulation.name.clone(),
            path: file.clone(),
            sha256: report::sha256_hex(text.as_bytes()),
        },
        overrides: sets,
        seed: base.simulation.seed,
        sweep: grid,
        metrics: sweep::default_columns(&base),
        criteria: sweep::Criteria::of(&base),
    };
    Ok(Loaded {
        def,
        text,
        file,
        base,
    })
}

/// Loads the sweep, runs its runs (or a shard's), writes the results.
pub(super) fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let Loaded {
        def,
        text,
        file,
        base,
    } = load(args.scenario, args.seed, &args.vary)?;
    let shard = match &args.shard {
        Some(s) => Some(Shard::parse(s).map_err(|e| {
            Failure::Input(anyhow::anyhow!(
                "--shard {s}: {e}\n  hint: --shard I/N runs the I-th of N parts, 1 <= I <= N"
            ))
        })?),
        None => None,
    };
    let slug = base.simulation.slug();
    let dir = args.out.unwrap_or_else(|| {
        let name = match shard {
            Some(s) => format!("{slug}-sweep-shard-{}-of-{}", s.index, s.count),
            None => format!("{slug}-sweep"),
        };
        PathBuf::from("output").join(name)
    });
    report::check_out_dir(&dir).map_err(Failure::input)?;
    for w in &base.warnings {
        eprintln!("warning: {w}");
    }
    drop(base);
    signals::install().map_err(|e| {
        Failure::runtime(anyhow::Error::new(e).context("cannot install the SIGINT handler"))
    })?;

    let part = shard.unwrap_or(Shard::ALL);
    let total = part.runs(def.runs()).count() as u64;
    let bar = progress(total, args.quiet);
    let job = Job {
        def: &def,
        text: &text,
        file: &file,
    };
    let threads = args.threads.map(usize::from);
    let rows = sweep::run(&job, part, threads, &|| bar.inc(1))
        .map_err(|e| Failure::runtime(anyhow::Error::new(e).context("cannot start the threads")))?;
    bar.finish_and_clear();
    let (paths, points) =
        sweep::write(&dir, &def, shard, &rows, !args.no_plots).map_err(Failure::runtime)?;

    if !args.quiet {
        let mut out = match shard {
            Some(s) => format!(
                "{}: shard {s}: {} of the sweep's {} runs\n",
                def.scenario.name,
                rows.len(),
                def.runs()
            ),
            None => sweep::text::summary_text(&def, &points),
        };
        out.push('\n');
        for p in &paths {
            let _ = writeln!(out, "wrote {}", p.display());
        }
        emit(&out)?;
    }
    failures(&def, &rows, &dir)
}

/// A progress bar with an ETA on a terminal's stderr; nothing otherwise.
pub(super) fn progress(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {pos}/{len} runs, {per_sec}, ETA {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Exit 1 naming the runs that did not end `ok` (their rows are written).
fn failures(def: &Definition, rows: &[Row], dir: &Path) -> Result<(), Failure> {
    let bad: Vec<&Row> = rows.iter().filter(|r| r.status != Status::Ok).collect();
    if bad.is_empty() {
        return Ok(());
    }
    let mut msg = format!(
        "{} of {} runs did not end ok (status and message in {}):",
        bad.len(),
        rows.len(),
        dir.join("sweep.csv").display()
    );
    for r in bad.iter().take(10) {
        let id = sweep::grid::locate(&def.sweep, def.seed, r.run);
        let values: Vec<String> = sweep::table::point_labels(def, id.point)
            .into_iter()
            .zip(&def.sweep.vary)
            .map(|(l, v)| format!("{}={l}", v.path))
            .collect();
        let _ = write!(
            msg,
            "\n  run {} (point {} [{}], replication {}, seed {}): {}: {}",
            r.run,
            id.point,
            values.join(", "),
            id.rep,
            id.seed,
            r.status.as_str(),
            r.message
        );
    }
    if bad.len() > 10 {
        let _ = write!(msg, "\n  ... and {} more", bad.len() - 10);
    }
    Err(Failure::Runtime(anyhow::anyhow!(msg)))
}

/// Merges shard directories into one sweep's results.
pub(super) fn merge(args: MergeArgs) -> Result<(), Failure> {
    let (def, rows) = sweep::merge::read(&args.dirs).map_err(Failure::input)?;
    let dir = args.out.unwrap_or_else(|| {
        let slug = crate::model::simulation::slug_of(&def.scenario.name);
        PathBuf::from("output").join(format!("{slug}-sweep"))
    });
    report::check_out_dir(&dir).map_err(Failure::input)?;
    signals::install().map_err(|e| {
        Failure::runtime(anyhow::Error::new(e).context("cannot install the SIGINT handler"))
    })?;
    let (paths, points) =
        sweep::write(&dir, &def, None, &rows, !args.no_plots).map_err(Failure::runtime)?;
    if !args.quiet {
        let mut out = sweep::text::summary_text(&def, &points);
        out.push('\n');
        for p in &paths {
            let _ = writeln!(out, "wrote {}", p.display());
        }
        emit(&out)?;
    }
    failures(&def, &rows, &dir)
}
