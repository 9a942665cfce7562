//! `timeseries.csv` and `latency.csv`, streamed to a writer.

use super::{num, Deadline, ReportError};
use crate::metrics::{LatencySummary, TimeSeries};
use crate::sim::RunResult;
use std::path::Path;

/// Header of `timeseries.csv`.
pub const TIMESERIES_HEADER: [&str; 5] = ["t_s", "component", "metric", "value", "unit"];
/// Header of `latency.csv`.
pub const LATENCY_HEADER: [&str; 4] = ["workload", "route", "percentile", "latency_ms"];

fn writer_to<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

/// An I/O error is one (with the file's path); anything else is a bug.
fn csv_err<'a>(file: &'static str, path: &'a Path) -> impl Fn(csv::Error) -> ReportError + 'a {
    move |e| {
        let message = e.to_string();
        match e.into_kind() {
            csv::ErrorKind::Io(source) => ReportError::Write {
                path: path.to_path_buf(),
                source,
            },
            _ => ReportError::Encode { file, message },
        }
    }
}

fn flush<W: std::io::Write>(mut w: csv::Writer<W>, path: &Path) -> Result<(), ReportError> {
    w.flush().map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// `timeseries.csv`, streamed to `out` (a day at 1 s intervals is millions
/// of rows: they are not held in memory). Long format, one row per bucket
/// per series, ordered by bucket, then by series order; `t_s` is the
/// bucket's start \[s\]. `path` names the file in errors.
pub(super) fn write_timeseries<W: std::io::Write>(
    ts: &TimeSeries,
    out: W,
    path: &Path,
    deadline: &Deadline,
) -> Result<(), ReportError> {
    let err = csv_err("timeseries.csv", path);
    let mut w = writer_to(out);
    w.write_record(TIMESERIES_HEADER).map_err(&err)?;
    let buckets = ts.series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let mut rows = 0u64;
    for i in 0..buckets {
        // Rounded to the nanosecond so that 3 x 0.1 prints as 0.3.
        let t = num((i as f64 * ts.interval_s * 1e9).round() / 1e9);
        for s in &ts.series {
            if let Some(&v) = s.values.get(i) {
                w.write_record([t.as_str(), &s.component, &s.metric, &num(v), s.unit])
                    .map_err(&err)?;
                rows += 1;
                if rows % Deadline::ROWS == 0 {
                    deadline.check()?;
                }
            }
        }
    }
    flush(w, path)
}

/// `latency.csv`: one row per percentile of each workload's latency table
/// (route `*`), then of each of its routes.
pub(super) fn write_latency<W: std::io::Write>(
    result: &RunResult,
    out: W,
    path: &Path,
    deadline: &Deadline,
) -> Result<(), ReportError> {
    let err = csv_err("latency.csv", path);
    let mut w = writer_to(out);
    w.write_record(LATENCY_HEADER).map_err(&err)?;
    let mut count = 0u64;
    let mut rows = |workload: &str, route: &str, l: &LatencySummary| {
        for &(p, ms) in &l.table {
            w.write_record([workload, route, &num(p), &num(ms)])
                .map_err(&err)?;
            count += 1;
            if count % Deadline::ROWS == 0 {
                deadline.check()?;
            }
        }
        Ok::<(), ReportError>(())
    };
    for (name, wl) in &result.workloads {
        rows(name, "*", &wl.latency_ms)?;
        for (route, r) in &wl.routes {
            rows(name, route, &r.latency_ms)?;
        }
    }
    flush(w, path)
}

/// Header of `timeline.csv`.
pub const TIMELINE_HEADER: [&str; 9] = [
    "function",
    "environment",
    "phase",
    "start_s",
    "end_s",
    "duration_s",
    "cause_kind",
    "cause",
    "cause_at_s",
];

/// `timeline.csv`: per recorded function, each environment's spans in
/// time order (environments numbered in order of first appearance), then
/// the throttled arrivals (no environment). A cold start's `init` names
/// the request (or event) at the root of the chain that caused it: its
/// kind, component and start.
pub(super) fn write_timeline<W: std::io::Write>(
    result: &RunResult,
    out: W,
    path: &Path,
    deadline: &Deadline,
) -> Result<(), ReportError> {
    let err = csv_err("timeline.csv", path);
    let mut w = writer_to(out);
    w.write_record(TIMELINE_HEADER).map_err(&err)?;
    let s = |ns: u64| num(crate::services::lambda::timeline::seconds(ns));
    let mut count = 0u64;
    for t in &result.timelines {
        let mut order: Vec<usize> = (0..t.spans.len()).collect();
        order.sort_by_key(|&i| {
            let sp = &t.spans[i];
            (sp.env.unwrap_or(u32::MAX), sp.start, i)
        });
        for i in order {
            let sp = &t.spans[i];
            let env = sp.env.map(|e| e.to_string()).unwrap_or_default();
            let (kind, cause, at) = match sp.cause {
                Some(c) => (
                    c.kind.label(),
                    result
                        .sections
                        .name(c.kind, c.component as usize)
                        .unwrap_or_default(),
                    s(c.at),
                ),
                None => ("", "", String::new()),
            };
            w.write_record([
                t.function.as_str(),
                &env,
                sp.phase.label(),
                &s(sp.start),
                &s(sp.end),
                &s(sp.end - sp.start),
                kind,
                cause,
                &at,
            ])
            .map_err(&err)?;
            count += 1;
            if count % Deadline::ROWS == 0 {
                deadline.check()?;
            }
        }
    }
    flush(w, path)
}
