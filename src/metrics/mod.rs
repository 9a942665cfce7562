//! Metrics: counters, histograms and time series recorded during a run.
pub mod result;
pub use result::*;
