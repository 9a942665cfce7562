//! Build a simulation from a scenario and run it.
use crate::metrics::RunResult;
use crate::scenario::Scenario;

/// Why a run did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The guard stopped it.
    #[error(transparent)]
    Guard(#[from] crate::engine::GuardTripped),
}

/// Runs a scenario to its end.
pub fn run(_s: &Scenario) -> Result<RunResult, SimError> {
    todo!()
}
