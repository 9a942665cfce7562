//! The statistical and invariant test suite: the simulator against queueing
//! theory, published AWS examples, and its own conservation laws.

mod common;
mod conservation;
mod determinism;
mod dynamodb;
mod scaling;
mod theory;
