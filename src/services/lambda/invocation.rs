//! A Lambda invocation in progress: its frame.

use crate::engine::SimTime;

/// A Lambda invocation in progress (its frame).
#[derive(Clone, Copy, Debug)]
pub struct Invocation {
    /// Function index.
    pub func: u16,
    /// Step to run when the pending work finishes ([`INIT_STEP`] while the
    /// environment initialises).
    pub step: u16,
    /// The pending work ends the invocation with an error.
    pub failing: bool,
    /// The function's deadline queue holds this invocation.
    pub timer: bool,
    /// Execution environment.
    pub env: u32,
    /// Invocation phase started (after init) \[ns\].
    pub run_start: SimTime,
    /// Init duration \[ns\] (0 when warm).
    pub init: u64,
    /// The function timeout fires here \[ns\].
    pub deadline: SimTime,
    /// Records in the batch that invoked it (1 when not a batch, or when
    /// the function has no per-record step): how many times a per-record
    /// step runs.
    pub records: u16,
    /// Repetitions of the current per-record call step done before the
    /// one in progress.
    pub rep: u16,
}

// The two counters fill the struct's padding: an invocation stays 40
// bytes, as before them (the frame slab's slot size follows the largest
// frame).
const _: () = assert!(std::mem::size_of::<Invocation>() <= 40);

/// `Invocation.step` while the environment initialises.
pub const INIT_STEP: u16 = u16::MAX;
