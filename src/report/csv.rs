//! `timeseries.csv` and `latency.csv`, rendered to bytes.

use super::{num, ReportError};
use crate::metrics::{LatencySummary, RunResult, TimeSeries};

/// Header of `timeseries.csv`.
pub const TIMESERIES_HEADER: [&str; 4] = ["t_s", "component", "metric", "value"];
/// Header of `latency.csv`.
pub const LATENCY_HEADER: [&str; 4] = ["workload", "route", "percentile", "latency_ms"];

fn writer() -> csv::Writer<Vec<u8>> {
    writer_to(Vec::new())
}

fn writer_to<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

fn finish(w: csv::Writer<Vec<u8>>, file: &'static str) -> Result<Vec<u8>, ReportError> {
    w.into_inner().map_err(|e| ReportError::Encode {
        file,
        message: e.to_string(),
    })
}

fn encode_err(file: &'static str) -> impl Fn(csv::Error) -> ReportError {
    move |e| ReportError::Encode {
        file,
        message: e.to_string(),
    }
}

/// `timeseries.csv`, streamed to `out` (a day at 1 s intervals is millions
/// of rows: they are not held in memory). Long format, one row per bucket
/// per series, ordered by bucket, then by series order; `t_s` is the
/// bucket's start \[s\].
pub fn write_timeseries<W: std::io::Write>(ts: &TimeSeries, out: W) -> Result<(), ReportError> {
    const FILE: &str = "timeseries.csv";
    let mut w = writer_to(out);
    w.write_record(TIMESERIES_HEADER)
        .map_err(encode_err(FILE))?;
    let buckets = ts.series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    for i in 0..buckets {
        // Rounded to the nanosecond so that 3 x 0.1 prints as 0.3.
        let t = num((i as f64 * ts.interval_s * 1e9).round() / 1e9);
        for s in &ts.series {
            if let Some(&v) = s.values.get(i) {
                w.write_record([t.as_str(), &s.component, &s.metric, &num(v)])
                    .map_err(encode_err(FILE))?;
            }
        }
    }
    w.flush().map_err(|source| ReportError::Encode {
        file: FILE,
        message: source.to_string(),
    })
}

/// One row per percentile of each workload's latency table (route `*`),
/// then of each of its routes.
pub fn latency(result: &RunResult) -> Result<Vec<u8>, ReportError> {
    const FILE: &str = "latency.csv";
    let mut w = writer();
    w.write_record(LATENCY_HEADER).map_err(encode_err(FILE))?;
    let mut rows = |workload: &str, route: &str, l: &LatencySummary| {
        for &(p, ms) in &l.table {
            w.write_record([workload, route, &num(p), &num(ms)])
                .map_err(encode_err(FILE))?;
        }
        Ok::<(), ReportError>(())
    };
    for (name, wl) in &result.workloads {
        rows(name, "*", &wl.latency_ms)?;
        for (route, r) in &wl.routes {
            rows(name, route, &r.latency_ms)?;
        }
    }
    finish(w, FILE)
}
