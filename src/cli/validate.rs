//! `slsim validate SCENARIO`: load and check, do not run.

use super::{emit, Failure, ScenarioArgs};
use crate::scenario;
use clap::Args;

/// Arguments of `slsim validate`.
#[derive(Debug, Args)]
pub(super) struct ValidateArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
}

/// Loads a scenario, checks it has a price table, prints a one-line census.
pub(super) fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let s = scenario::load(&args.scenario.path, &args.scenario.sets).map_err(Failure::input)?;
    super::run::prices_for(&s)?;
    emit(&format!(
        "ok: {}: {} workloads, {} apis, {} functions, {} tables\n",
        s.simulation.name,
        s.workloads.len(),
        s.apis.len(),
        s.lambdas.len(),
        s.tables.len()
    ))
}
