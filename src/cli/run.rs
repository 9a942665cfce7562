//! `slsim run SCENARIO`: simulate, price, write the results, summarise.

use super::{emit, Failure, ScenarioArgs};
use crate::cost::{self, PriceTable};
use crate::scenario::{self, prices, Scenario};
use crate::{report, sim};
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

/// Arguments of `slsim run`.
#[derive(Debug, Args)]
pub(super) struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output directory [default: output/<scenario name>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Master seed, 0..=9223372036854775807 (same as `--set simulation.seed=N`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
}

/// The price table of the scenario's Region, or a bad-input failure.
pub(super) fn prices_for(s: &Scenario) -> Result<PriceTable, Failure> {
    let region = &s.simulation.region;
    prices::for_region(region).ok_or_else(|| {
        Failure::Input(anyhow::anyhow!(
            "no price table for region {region:?}\n  hint: set simulation.region to one of: {} \
             (e.g. --set simulation.region=us-east-1)",
            prices::REGIONS.join(", ")
        ))
    })
}

/// Loads, runs, prices and reports a scenario.
pub(super) fn run(args: RunArgs) -> Result<(), Failure> {
    let mut sets = args.scenario.sets;
    if let Some(seed) = args.seed {
        sets.push(format!("simulation.seed={seed}"));
    }
    let scenario = scenario::load(&args.scenario.path, &sets).map_err(Failure::input)?;
    let prices = prices_for(&scenario)?;

    let mut result = sim::run(&scenario).map_err(Failure::runtime)?;
    result.cost = cost::compute(&result, &prices, scenario.simulation.free_tier);

    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(scenario.simulation.slug()));
    let files = report::write_outputs(&dir, &result).map_err(Failure::runtime)?;

    if !args.quiet {
        let mut text = report::summary_text(&result);
        text.push('\n');
        for f in &files {
            let _ = writeln!(text, "wrote {}", f.display());
        }
        emit(&text)?;
    }
    match &result.stopped_early {
        Some(stop) => Err(Failure::Runtime(anyhow::anyhow!(
            "{}\n  (results up to the stop were written to {})",
            stop.reason,
            dir.display()
        ))),
        None => Ok(()),
    }
}
