//! `slsim graph SCENARIO`: the topology as Graphviz DOT.

use super::{emit, Failure, ScenarioArgs};
use crate::{scenario, topology};
use clap::Args;

/// Arguments of `slsim graph`.
#[derive(Debug, Args)]
pub(super) struct GraphArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
}

/// Loads a scenario and prints its DOT graph (`slsim graph x.toml | dot -Tsvg`).
pub(super) fn graph(args: GraphArgs) -> Result<(), Failure> {
    let s = scenario::load(&args.scenario.path, &args.scenario.sets).map_err(Failure::input)?;
    let mut dot = topology::to_dot(&s);
    if !dot.is_empty() && !dot.ends_with('\n') {
        dot.push('\n');
    }
    emit(&dot)
}
