//! `trace(path=...)` arrivals at load time: each path resolved against
//! the scenario file's directory, the file opened, its header and first
//! rows checked against the workload's target (so that `slsim validate`
//! catches most problems; the rest are found while the run reads on).
//!
//! Must not know: how rows are replayed.

use std::sync::Arc;

use crate::engine::rng::stream;
use crate::model::{Scenario, Step};
use crate::scenario::context::Cx;
use crate::workload::trace::{TraceReader, TraceSpec};
use crate::workload::Arrival;

/// Rows of each trace read at load time.
pub const CHECKED_ROWS: usize = 1000;

/// Resolves and checks every trace arrival of `s`.
pub fn check(cx: &mut Cx<'_>, s: &mut Scenario) {
    for i in 0..s.workloads.len() {
        let Arrival::Trace(spec) = &s.workloads[i].arrival else {
            continue;
        };
        let spec = Arc::new(TraceSpec {
            path: cx.samples.base_dir().join(&spec.raw),
            ..(**spec).clone()
        });
        s.workloads[i].arrival = Arrival::Trace(spec.clone());
        let path = crate::fp!["workload", i, "arrival"];
        let w = &s.workloads[i];
        let whole = TraceSpec {
            scale: 1.0,
            ..(*spec).clone()
        };
        let mut reader = match TraceReader::open(&whole, w.trace_names(s)) {
            Ok(r) => r,
            Err(e) => {
                cx.err(&path, e.located(), e.hint);
                continue;
            }
        };
        let mut rng = stream(0, "validate", "trace");
        for _ in 0..CHECKED_ROWS {
            match reader.next_row(&mut rng) {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    cx.err(&path, e.located(), e.hint);
                    break;
                }
            }
        }
        if reader.has_durations() {
            for f in w.replayed_functions(s) {
                let l = &s.lambdas[f];
                if l.steps
                    .iter()
                    .any(|st| !matches!(st, Step::Compute { .. } | Step::Io(_) | Step::Fail(_)))
                {
                    cx.err(
                        &path,
                        format!("trace `{}` has a `duration_ms` column, and lambda `{}` (its target) has call steps", spec.raw, l.name),
                        "a row's duration_ms replaces the whole invocation, calls included: give the function compute and io steps only, or drop the column",
                    );
                }
            }
        }
    }
}
