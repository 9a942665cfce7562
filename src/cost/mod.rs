//! Cost: price tables applied to what a run used.
