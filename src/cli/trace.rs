//! `slsim trace import FORMAT INPUT`: a public trace to a scenario and its
//! trace CSVs (`crate::trace`).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{emit, Failure};
use crate::scenario;
use crate::trace::{azure2019, azure2021, ImportError, Options};

/// Arguments of `slsim trace`.
#[derive(Debug, Args)]
pub(super) struct TraceArgs {
    #[command(subcommand)]
    command: TraceCommand,
}

#[derive(Debug, Subcommand)]
enum TraceCommand {
    /// Write a scenario replaying a public trace: one function and one
    /// workload per trace function, its trace CSVs beside the scenario.
    Import(ImportArgs),
}

/// The trace formats read.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// Azure Functions invocation trace 2021: a CSV `app,func,end_timestamp,duration`.
    #[value(name = "azure-2021")]
    Azure2021,
    /// Azure Functions trace 2019: a directory with one day's
    /// invocations_per_function, function_durations_percentiles and
    /// app_memory_percentiles CSVs.
    #[value(name = "azure-2019")]
    Azure2019,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The trace's format.
    format: Format,
    /// The trace: a CSV file (azure-2021) or a directory (azure-2019).
    input: PathBuf,
    /// Every function's init distribution, e.g. `const(0ms)` or
    /// `lognormal(median=300ms, sigma=0.4)`.
    #[arg(long, value_name = "DIST")]
    init: Option<String>,
    /// Every function's keep-alive, e.g. `600s`.
    #[arg(long = "keep-alive", value_name = "DURATION")]
    keep_alive: Option<String>,
    /// Every function's keep-alive policy: `fixed`, `none` or
    /// `hybrid(...)` (the ATC'20 histogram policy).
    #[arg(long = "keep-alive-policy", value_name = "POLICY")]
    keep_alive_policy: Option<String>,
    /// Keep only the K functions with the most invocations.
    #[arg(long, value_name = "K")]
    top: Option<usize>,
    /// The scenario to write; its traces go to `<stem>-traces/` beside it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `slsim trace`.
pub(super) fn trace(args: TraceArgs) -> Result<(), Failure> {
    let TraceCommand::Import(a) = args.command;
    let bad = |what: &str, v: &str, b: scenario::values::Bad| {
        Failure::input(anyhow::anyhow!(
            "{what} `{v}`: {}{}",
            b.message,
            b.hint.map(|h| format!(" (hint: {h})")).unwrap_or_default()
        ))
    };
    if let Some(i) = &a.init {
        scenario::values::dist(i, std::path::Path::new(".")).map_err(|b| bad("--init", i, b))?;
    }
    if let Some(k) = &a.keep_alive {
        scenario::values::duration(k).map_err(|b| bad("--keep-alive", k, b))?;
    }
    if let Some(p) = &a.keep_alive_policy {
        let policy =
            scenario::values::keep_alive_policy(p).map_err(|b| bad("--keep-alive-policy", p, b))?;
        if a.keep_alive.is_some() && policy != crate::model::KeepAlivePolicy::Fixed {
            return Err(Failure::input(anyhow::anyhow!(
                "--keep-alive applies to the fixed policy only, not to `{p}` (hint: leave \
                 --keep-alive out; the hybrid policy's fallback keeps environments for its `range`)"
            )));
        }
    }
    if a.top == Some(0) {
        return Err(Failure::input(anyhow::anyhow!(
            "--top 0 keeps no function (hint: give K >= 1, or leave it out to keep all)"
        )));
    }
    let opts = Options {
        init: a.init,
        keep_alive: a.keep_alive,
        keep_alive_policy: a.keep_alive_policy,
        top: a.top,
    };
    let (out, line) = match a.format {
        Format::Azure2021 => {
            let out = a.out.unwrap_or_else(|| "azure-2021.toml".into());
            let s = azure2021::import(&a.input, &out, &opts).map_err(import_failure)?;
            let line = format!("{} invocations of {} functions", s.invocations, s.functions);
            (out, line)
        }
        Format::Azure2019 => {
            let out = a.out.unwrap_or_else(|| "azure-2019.toml".into());
            let s = azure2019::import(&a.input, &out, &opts).map_err(import_failure)?;
            let line = format!(
                "{} invocations of {} functions ({} without a duration row left out)",
                s.invocations, s.functions, s.no_duration
            );
            (out, line)
        }
    };
    // The written scenario loads like any other (a keep-alive beyond its
    // bounds, say, is reported here).
    let s = scenario::load(&out, &[]).map_err(Failure::input)?;
    emit(&format!(
        "wrote {} ({line}, {}s); run it with: slsim run {}\n",
        out.display(),
        s.simulation.duration / crate::engine::SECONDS,
        out.display()
    ))
}

fn import_failure(e: ImportError) -> Failure {
    match e {
        ImportError::Input { .. } => Failure::input(e),
        ImportError::Io { .. } => Failure::runtime(e),
    }
}
