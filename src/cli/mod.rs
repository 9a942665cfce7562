//! The command line: `slsim run | validate | graph | report | diff | sweep | merge | recommend | trace | teach`.
//!
//! Owns: argument parsing, exit codes, printing. Exit codes: 0 success (and
//! a closed stdout, e.g. `slsim graph x.toml | head`), 1 a runtime failure
//! (the run or writing its results, or a run a guard stopped early, even
//! if an SLO failed too), 2 bad input (arguments, scenario, unknown Region,
//! a `--out` that is not a directory or holds other files), 3 a completed
//! `slsim run` whose scenario has an `[[slo]]` that failed (a metric beyond
//! its bound, or undefined; its results are written all the same), or a
//! `slsim recommend` that found no feasible point (like
//! k6's dedicated threshold code, so that CI tells "too slow" from
//! "broken"), 130 / 143 interrupted by SIGINT /
//! SIGTERM (`slsim run` then leaves the output directory with its previous
//! results or its new ones, never a mix). Errors print as `error: <message>` on stderr, warnings as
//! `warning: <message>`.

mod diff;
mod graph;
mod recommend;
mod report;
mod run;
mod signals;
mod sweep;
mod teach;
mod trace;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Discrete-event simulator of serverless (AWS) architectures: latency,
/// cold starts, throttles, cost.
#[derive(Debug, Parser)]
#[command(name = "slsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario; write summary.json, timeseries.csv, latency.csv,
    /// topology.svg and the report.
    Run(run::RunArgs),
    /// Load and validate a scenario without running it.
    Validate(validate::ValidateArgs),
    /// Print the scenario's topology as Graphviz DOT or as an SVG drawing.
    Graph(graph::GraphArgs),
    /// Write report.md and a self-contained report.html from a result directory.
    Report(report::ReportArgs),
    /// Compare two results or scenarios: latency, errors, cold starts,
    /// throttles, cost, findings (with significance over replications).
    Diff(diff::DiffArgs),
    /// Run the scenario over a grid of settings x replications, in
    /// parallel; write sweep.csv, sweep_summary.csv and sweep.json.
    Sweep(sweep::SweepArgs),
    /// Search the [sweep] grid for the settings that meet every SLO and
    /// optimise the objective, with fewer runs than the full sweep.
    Recommend(recommend::RecommendArgs),
    /// Merge the shard directories of `slsim sweep --shard I/N` into the
    /// whole sweep's results.
    Merge(sweep::MergeArgs),
    /// Import a public trace (Azure Functions 2019, 2021) as a scenario.
    Trace(trace::TraceArgs),
    /// A lesson built from real simulations (cold starts, throttling,
    /// scaling); without a topic, the list of topics.
    Teach(teach::TeachArgs),
}

/// The scenario file and its overrides, shared by every sub-command.
#[derive(Debug, Args)]
struct ScenarioArgs {
    /// Scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    path: PathBuf,
    /// Override a scenario field, e.g. `--set lambda.api.memory_mb=1024`
    /// (repeatable; the value is read as TOML).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
}

/// How a command failed, which sets the exit code.
#[derive(Debug)]
enum Failure {
    /// Bad input (exit 2).
    Input(anyhow::Error),
    /// The run or its output failed (exit 1).
    Runtime(anyhow::Error),
    /// The run completed, but an SLO failed (exit 3).
    SloFailed(anyhow::Error),
    /// Stdout was closed by the reader (exit 0, print nothing).
    BrokenPipe,
}

impl Failure {
    fn input(e: impl Into<anyhow::Error>) -> Failure {
        Failure::Input(e.into())
    }

    fn runtime(e: impl Into<anyhow::Error>) -> Failure {
        Failure::Runtime(e.into())
    }
}

/// Writes `text` to stdout; a closed pipe becomes [`Failure::BrokenPipe`].
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::BrokenPipe,
            _ => Failure::runtime(anyhow::Error::new(e).context("cannot write to stdout")),
        })
}

/// The message of an error and those of its causes not already quoted in it.
fn message(err: &anyhow::Error) -> String {
    let mut msg = err.to_string();
    for cause in err.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

/// Entry point of the `slsim` binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are "errors" with exit code 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::validate(args),
        Command::Graph(args) => graph::graph(args),
        Command::Report(args) => report::report(args),
        Command::Diff(args) => diff::diff(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Recommend(args) => recommend::recommend(args),
        Command::Trace(args) => trace::trace(args),
        Command::Teach(args) => teach::teach(args),
    };
    let (code, err) = match outcome {
        Ok(()) | Err(Failure::BrokenPipe) => return ExitCode::SUCCESS,
        Err(Failure::Input(e)) => (2, e),
        Err(Failure::Runtime(e)) => (1, e),
        Err(Failure::SloFailed(e)) => (3, e),
    };
    // Scenario errors already open with "error: " (and may list several).
    let msg = message(&err);
    let prefix = if msg.starts_with("error:") {
        ""
    } else {
        "error: "
    };
    let _ = writeln!(std::io::stderr(), "{prefix}{msg}");
    ExitCode::from(code)
}
