//! `slsim graph SCENARIO [--format dot|svg]`: the topology as Graphviz DOT,
//! or drawn as SVG by slsim itself (no Graphviz needed).

use super::{emit, Failure, ScenarioArgs};
use crate::{scenario, topology};
use clap::{Args, ValueEnum};

/// What `slsim graph` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Graphviz DOT (`| dot -Tsvg`).
    #[default]
    Dot,
    /// A standalone SVG drawing, laid out by slsim.
    Svg,
}

/// Arguments of `slsim graph`.
#[derive(Debug, Args)]
pub(super) struct GraphArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output format: `dot` (Graphviz) or `svg` (drawn by slsim).
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    format: Format,
}

/// Loads a scenario and prints its graph as DOT (`slsim graph x.toml | dot
/// -Tsvg`) or SVG (`slsim graph x.toml --format svg > topology.svg`).
pub(super) fn graph(args: GraphArgs) -> Result<(), Failure> {
    let s = scenario::load(&args.scenario.path, &args.scenario.sets).map_err(Failure::input)?;
    let mut text = match args.format {
        Format::Dot => topology::to_dot(&s),
        Format::Svg => topology::to_svg(&s),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    emit(&text)
}
