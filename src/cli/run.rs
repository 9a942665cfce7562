//! `slsim run SCENARIO`: simulate, price, write the results (with the
//! topology drawing and the report), summarise.

use super::{emit, signals, Failure, ScenarioArgs};
use crate::cost::builtin as prices;
use crate::cost::PriceTable;
use crate::model::REGIONS;
use crate::scenario::{self, Scenario, ScenarioError};
use crate::sim::Provenance;
use crate::{report, sim};
use clap::Args;
use std::fmt::Write;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `slsim run`.
#[derive(Debug, Args)]
pub(super) struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output directory [default: output/<scenario name>/]. It is replaced
    /// as a whole, so it must be new or hold only slsim's results.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Master seed, 0..=9223372036854775807 (same as `--set simulation.seed=N`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Print nothing on success (warnings, errors and failed SLOs still go
    /// to stderr).
    #[arg(long, short)]
    quiet: bool,
    /// Print summary.json to stdout instead of the text summary (the
    /// output files are written all the same).
    #[arg(long)]
    json: bool,
    /// Do not draw the charts (plots/*.svg, *.png): for scripts and
    /// benchmarks that read only summary.json and the CSV files.
    #[arg(long)]
    no_plots: bool,
}

/// The price table of the scenario's Region, or a bad-input failure.
pub(super) fn prices_for(s: &Scenario) -> Result<PriceTable, Failure> {
    let region = &s.simulation.region;
    prices::for_region(region).ok_or_else(|| {
        Failure::Input(anyhow::anyhow!(
            "no price table for region {region:?}\n  hint: set simulation.region to one of: {} \
             (e.g. --set simulation.region=us-east-1)",
            REGIONS.join(", ")
        ))
    })
}

/// Reads and validates the scenario; also returns the SHA-256 of the very
/// bytes parsed (the file is read once: it may be a pipe).
fn load(path: &Path, sets: &[String]) -> Result<(Scenario, String), ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let scenario = scenario::parse_str(&text, &path.display().to_string(), sets)?;
    Ok((scenario, report::sha256_hex(text.as_bytes())))
}

/// Loads, runs, prices and reports a scenario.
pub(super) fn run(args: RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut sets = args.scenario.sets;
    if let Some(seed) = args.seed {
        sets.push(format!("simulation.seed={seed}"));
    }
    let path = &args.scenario.path;
    let (scenario, scenario_sha256) = load(path, &sets).map_err(Failure::input)?;
    // The run prices itself; a region without prices is bad input, found
    // before simulating.
    prices_for(&scenario)?;
    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(scenario.simulation.slug()));
    // A bad --out is bad input, found before simulating.
    report::check_out_dir(&dir).map_err(Failure::input)?;
    signals::install().map_err(|e| {
        Failure::runtime(anyhow::Error::new(e).context("cannot install the SIGINT handler"))
    })?;

    let mut result = sim::run_from(&scenario, started).map_err(|e| match e {
        // A bad row of a trace is bad input, found late.
        sim::SimError::Trace { .. } => Failure::input(e),
        e => Failure::runtime(e),
    })?;
    result.provenance = Provenance {
        slsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_path: path.display().to_string(),
        scenario_sha256,
        overrides: sets,
    };
    warn(&result.warnings);

    // A run a guard stopped writes what it has, whatever the time.
    let deadline = match (&result.stopped_early, scenario.simulation.max_wall_s) {
        (None, Some(s)) => Duration::try_from_secs_f64(s)
            .ok()
            .and_then(|d| started.checked_add(d)),
        _ => None,
    };
    let topology_svg = crate::topology::to_svg(&scenario);
    let extra = report::RunFiles {
        plots: !args.no_plots,
        topology_svg: Some(&topology_svg),
        report: true,
        extra: &[],
    };
    let (files, summary) =
        report::write_run(&dir, &result, &extra, deadline).map_err(Failure::runtime)?;

    if args.json {
        emit(&String::from_utf8_lossy(&summary))?;
    } else if !args.quiet {
        let mut text = report::summary_text(&result);
        text.push('\n');
        let plots = dir.join(report::PLOTS_DIR);
        let (charts, data): (Vec<_>, Vec<_>) = files.iter().partition(|f| f.starts_with(&plots));
        for f in data {
            let _ = writeln!(text, "wrote {}", f.display());
        }
        if !charts.is_empty() {
            let _ = writeln!(
                text,
                "wrote {} ({} charts, SVG and PNG)",
                plots.display(),
                charts.len() / 2
            );
        }
        emit(&text)?;
    }
    if let Some(stop) = &result.stopped_early {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "the run stopped early at simulated t = {:.3} s: {}\n  the results written to {} cover \
             the run up to that time",
            stop.at_s,
            stop.reason,
            dir.display()
        )));
    }
    slo_verdict(&result.slos, args.quiet || args.json)
}

/// Exit code 3 when an SLO failed; its `✗` line goes to stderr when the
/// text summary (which shows it) was not printed.
fn slo_verdict(slos: &[crate::slo::SloVerdict], to_stderr: bool) -> Result<(), Failure> {
    let failed: Vec<&crate::slo::SloVerdict> = slos.iter().filter(|v| !v.pass).collect();
    if failed.is_empty() {
        return Ok(());
    }
    if to_stderr {
        let mut err = std::io::stderr().lock();
        for v in &failed {
            let _ = writeln!(err, "{}", crate::slo::line(v));
        }
    }
    let names: Vec<String> = failed.iter().map(|v| v.label()).collect();
    Err(Failure::SloFailed(anyhow::anyhow!(
        "{} of {} SLOs failed: {}",
        failed.len(),
        slos.len(),
        names.join(", ")
    )))
}

/// Prints each warning to stderr as `warning: ...` (also with --quiet).
fn warn(warnings: &[String]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let w = w.strip_prefix("warning: ").unwrap_or(w);
        let _ = writeln!(err, "warning: {w}");
    }
}
