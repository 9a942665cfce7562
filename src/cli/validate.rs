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

/// Loads a scenario, checks it has a price table, prints its warnings (to
/// stderr) and a one-line census.
pub(super) fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let s = scenario::load(&args.scenario.path, &args.scenario.sets).map_err(Failure::input)?;
    super::run::prices_for(&s)?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    let n = scenario::numbers::count;
    let mut goals = String::new();
    if !s.slos.is_empty() {
        goals.push_str(&format!(", {}", n(s.slos.len(), "SLO")));
    }
    if s.objective.is_some() {
        goals.push_str(", an objective");
    }
    emit(&format!(
        "ok: {}: {}, {}, {}, {}{goals}\n",
        s.simulation.name,
        n(s.workloads.len(), "workload"),
        n(s.apis.len(), "api"),
        n(s.lambdas.len(), "function"),
        n(s.tables.len(), "table")
    ))
}
