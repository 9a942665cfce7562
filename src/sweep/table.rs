//! `sweep.csv` (one row per run) and `sweep_summary.csv` (one row per
//! point), written from [`Row`]s and read back by `slsim merge`.
//!
//! A merged sweep is byte-identical to the unsharded one because both are
//! written by these functions from the same rows: numbers print as the
//! shortest text that reads back to the same `f64` (`report::num`), so
//! reading a shard's `sweep.csv` gives back the very values, and the
//! summary is computed from them in the same order.

use super::grid::{self, locate};
use super::manifest::Definition;
use super::stats::{estimate, Estimate};
use super::verdict::{self, Judgement};
use super::{Row, Status};
use crate::report::num;
use std::io::{self, Write};

/// The columns of `sweep.csv` before the varied fields.
const RUN_COLUMNS: [&str; 4] = ["run", "point", "replication", "seed"];

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

fn io_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A metric's cell: empty when undefined.
fn cell(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// The header of `sweep.csv`: run, point, replication, seed, the varied
/// fields, status, the metrics, message.
pub fn runs_header(def: &Definition) -> Vec<String> {
    let mut h: Vec<String> = RUN_COLUMNS.iter().map(|s| s.to_string()).collect();
    h.extend(def.sweep.vary.iter().map(|v| v.path.clone()));
    h.push("status".into());
    h.extend(def.metrics.iter().cloned());
    h.push("message".into());
    h
}

/// The varied values of `point`, as labels.
pub fn point_labels(def: &Definition, point: u64) -> Vec<String> {
    def.sweep
        .coordinates(point)
        .into_iter()
        .zip(&def.sweep.vary)
        .map(|(i, v)| v.labels[i].clone())
        .collect()
}

/// Writes `sweep.csv`: the header and one line per row, in row order.
pub fn write_runs(out: &mut dyn Write, def: &Definition, rows: &[Row]) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(runs_header(def)).map_err(io_err)?;
    for r in rows {
        let id = locate(&def.sweep, def.seed, r.run);
        let mut rec = vec![
            id.run.to_string(),
            id.point.to_string(),
            id.rep.to_string(),
            id.seed.to_string(),
        ];
        rec.extend(point_labels(def, id.point));
        rec.push(r.status.as_str().into());
        rec.extend(r.values.iter().map(|v| cell(*v)));
        rec.push(r.message.clone());
        w.write_record(&rec).map_err(io_err)?;
    }
    w.flush()
}

/// Reads a `sweep.csv` written by [`write_runs`] for `def`: its rows, or
/// what is wrong (header, a run out of range, a cell that is not a number,
/// columns that disagree with the grid).
pub fn read_runs(input: impl io::Read, def: &Definition) -> Result<Vec<Row>, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(input);
    let mut records = r.records();
    let header = match records.next() {
        Some(h) => h.map_err(|e| e.to_string())?,
        None => return Err("it is empty (no header)".into()),
    };
    let want = runs_header(def);
    if header.iter().ne(want.iter().map(String::as_str)) {
        return Err("its header is not the one this sweep writes".into());
    }
    let (nv, nm) = (def.sweep.vary.len(), def.metrics.len());
    let runs = def.runs();
    let mut rows = Vec::new();
    for (line, rec) in records.enumerate() {
        let line = line + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let run: u64 =
            rec[0].parse().ok().filter(|r| *r < runs).ok_or_else(|| {
                format!("line {line}: run `{}` is not a run of the sweep", &rec[0])
            })?;
        let id = locate(&def.sweep, def.seed, run);
        let mut expect = vec![
            id.point.to_string(),
            id.rep.to_string(),
            id.seed.to_string(),
        ];
        expect.extend(point_labels(def, id.point));
        if rec
            .iter()
            .skip(1)
            .take(3 + nv)
            .ne(expect.iter().map(String::as_str))
        {
            return Err(format!(
                "line {line}: the point, replication, seed or values of run {run} are not the \
                 grid's"
            ));
        }
        let status = Status::parse(&rec[4 + nv])
            .ok_or_else(|| format!("line {line}: unknown status `{}`", &rec[4 + nv]))?;
        let values = (0..nm)
            .map(|i| {
                let c = &rec[5 + nv + i];
                if c.is_empty() {
                    return Ok(None);
                }
                c.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| format!("line {line}: `{c}` is not a number"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        rows.push(Row {
            run,
            status,
            message: rec[5 + nv + nm].to_string(),
            values,
        });
    }
    Ok(rows)
}

/// One point across its replications.
#[derive(Clone, Debug)]
pub struct PointSummary {
    /// Point number.
    pub point: u64,
    /// Its varied values, as labels.
    pub labels: Vec<String>,
    /// Replications run.
    pub runs: u64,
    /// Of which ran to the end.
    pub ok: u64,
    /// Per metric: over the replications that ran to the end and where it
    /// is defined.
    pub metrics: Vec<Estimate>,
}

/// Per point, in point order, from the rows of the whole sweep (sorted by
/// run).
pub fn summarize(def: &Definition, rows: &[Row]) -> Vec<PointSummary> {
    let reps = def.sweep.replications.max(1) as usize;
    rows.chunks(reps)
        .map(|chunk| {
            let point = grid::locate(&def.sweep, def.seed, chunk[0].run).point;
            let ok: Vec<&Row> = chunk.iter().filter(|r| r.status == Status::Ok).collect();
            let metrics = (0..def.metrics.len())
                .map(|m| {
                    let values: Vec<f64> = ok.iter().filter_map(|r| r.values[m]).collect();
                    estimate(&values)
                })
                .collect();
            PointSummary {
                point,
                labels: point_labels(def, point),
                runs: chunk.len() as u64,
                ok: ok.len() as u64,
                metrics,
            }
        })
        .collect()
}

/// Judges point `p` by the sweep's criteria (see [`super::verdict`]).
pub fn judge(def: &Definition, p: &PointSummary) -> Judgement {
    verdict::judge(
        &def.criteria,
        |m| def.metrics.iter().position(|c| c == m),
        p,
    )
}

/// The best feasible point of `points` (see [`super::verdict`]).
pub fn best(def: &Definition, points: &[PointSummary]) -> Option<u64> {
    let judged: Vec<(u64, Judgement)> = points.iter().map(|p| (p.point, judge(def, p))).collect();
    verdict::best(&def.criteria, judged.iter().map(|(p, j)| (*p, j)))
}

/// Verdict columns of `sweep_summary.csv`: with SLOs one per SLO
/// (`<metric> <= <bound>`) and the point's `verdict`; with SLOs or an
/// objective, `best` (`yes` on the best feasible point). Both this and
/// [`verdict`] return as many cells.
fn verdict_header(def: &Definition) -> Vec<String> {
    let c = &def.criteria;
    let mut h: Vec<String> = c.slos.iter().map(|s| s.column()).collect();
    if !c.slos.is_empty() {
        h.push("verdict".into());
    }
    if !c.is_empty() {
        h.push("best".into());
    }
    h
}

/// The verdict cells of one point (see [`verdict_header`]).
fn verdict(def: &Definition, p: &PointSummary, best: Option<u64>) -> Vec<String> {
    let c = &def.criteria;
    if c.is_empty() {
        return Vec::new();
    }
    let j = judge(def, p);
    let mut cells: Vec<String> = j.slos.iter().map(|s| s.verdict.as_str().into()).collect();
    if !c.slos.is_empty() {
        cells.push(j.verdict.as_str().into());
    }
    cells.push(if best == Some(p.point) { "yes" } else { "" }.into());
    cells
}

/// Writes `sweep_summary.csv`: per point its values, `runs`, `ok`, then
/// per metric its mean and the half-width of its 95 % confidence interval
/// (`<metric>.mean`, `<metric>.ci95`; empty below two values), then the
/// verdict columns (`verdict_header`).
pub fn write_summary(
    out: &mut dyn Write,
    def: &Definition,
    points: &[PointSummary],
) -> io::Result<()> {
    let mut w = writer(out);
    let mut h = vec!["point".to_string()];
    h.extend(def.sweep.vary.iter().map(|v| v.path.clone()));
    h.extend(["runs".to_string(), "ok".to_string()]);
    for m in &def.metrics {
        h.push(format!("{m}.mean"));
        h.push(format!("{m}.ci95"));
    }
    h.extend(verdict_header(def));
    w.write_record(&h).map_err(io_err)?;
    let best = best(def, points);
    for p in points {
        let mut rec = vec![p.point.to_string()];
        rec.extend(p.labels.iter().cloned());
        rec.extend([p.runs.to_string(), p.ok.to_string()]);
        for e in &p.metrics {
            rec.push(cell(e.mean));
            rec.push(cell(e.ci95));
        }
        rec.extend(verdict(def, p, best));
        w.write_record(&rec).map_err(io_err)?;
    }
    w.flush()
}
