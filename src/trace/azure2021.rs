//! The Azure Functions invocation trace 2021 (`app,func,end_timestamp,
//! duration`, one row per invocation, seconds, rows not sorted): each
//! invocation starts at `end_timestamp - duration`.
//!
//! The rows are held in memory to be sorted (24 bytes each); the written
//! per-function traces are sorted and replayed as streams.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use super::{
    columns, create, create_dir, scenario_text, short_names, Function, ImportError, Options,
};

const FORM: &str = "the 2021 trace's header is `app,func,end_timestamp,duration` (seconds)";

/// What an import wrote.
#[derive(Debug)]
pub struct Summary {
    /// Functions written.
    pub functions: usize,
    /// Invocations written.
    pub invocations: u64,
    /// The seconds by which start times were shifted so that none is
    /// negative (0 when none was).
    pub shift_s: f64,
}

/// Reads `input` and writes the scenario `out` and its traces beside it.
///
/// Functions are named `f01`, ... by invocation count (most first; ties by
/// app, then func); `top` keeps the first K. Each trace row is
/// `timestamp,function,duration_ms`: the start time in seconds (shifted by
/// the earliest start when that is negative) and the invocation's own
/// duration. The run lasts until the last invocation ends, rounded up to
/// the second, plus one second.
pub fn import(input: &Path, out: &Path, opts: &Options) -> Result<Summary, ImportError> {
    let file = std::fs::File::open(input)
        .map_err(ImportError::io(format!("cannot read {}", input.display())))?;
    let mut lines = BufReader::new(file).lines();
    let read = |r: std::io::Result<String>| {
        r.map_err(ImportError::io(format!("cannot read {}", input.display())))
    };
    let header = match lines.next() {
        Some(l) => read(l)?,
        None => return Err(ImportError::input(input, None, "the file is empty", FORM)),
    };
    let col = columns(
        input,
        &header,
        &["app", "func", "end_timestamp", "duration"],
        FORM,
    )?;
    let mut ids: HashMap<(String, String), u32> = HashMap::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    // (function id, start [s], duration [s])
    let mut rows: Vec<(u32, f64, f64)> = Vec::new();
    for (i, line) in lines.enumerate() {
        let line = read(line)?;
        let n = i as u64 + 2;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = super::cells(&line).collect();
        let cell = |k: usize| cells.get(col[k]).copied().unwrap_or("");
        let num = |k: usize, what: &str| -> Result<f64, ImportError> {
            match cell(k).parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(ImportError::input(
                    input,
                    Some(n),
                    format!("`{what}` is `{}`, not a number of seconds >= 0", cell(k)),
                    FORM,
                )),
            }
        };
        let (end, dur) = (num(2, "end_timestamp")?, num(3, "duration")?);
        let key = (cell(0).to_string(), cell(1).to_string());
        if key.0.is_empty() || key.1.is_empty() {
            return Err(ImportError::input(
                input,
                Some(n),
                "the row has no app or func",
                FORM,
            ));
        }
        let id = *ids.entry(key.clone()).or_insert_with(|| {
            keys.push(key);
            keys.len() as u32 - 1
        });
        rows.push((id, end - dur, dur));
    }
    if rows.is_empty() {
        return Err(ImportError::input(
            input,
            None,
            "the trace has no invocation",
            FORM,
        ));
    }
    let mut counts = vec![0u64; keys.len()];
    for r in &rows {
        counts[r.0 as usize] += 1;
    }
    // Most invocations first; ties by app, then func.
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| keys[a as usize].cmp(&keys[b as usize]))
    });
    order.truncate(opts.top.unwrap_or(usize::MAX));
    let names = short_names(order.len());
    let mut rank = vec![u32::MAX; keys.len()];
    for (k, &id) in order.iter().enumerate() {
        rank[id as usize] = k as u32;
    }
    rows.retain(|r| rank[r.0 as usize] != u32::MAX);
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let shift = (-rows[0].1).max(0.0);
    let last_end = rows.iter().map(|r| r.1 + r.2 + shift).fold(0.0, f64::max);
    let (dir, rel) = super::traces_dir(out);
    create_dir(&dir)?;
    let mut writers = Vec::new();
    for name in &names {
        let path = dir.join(format!("{name}.csv"));
        let mut w = create(&path)?;
        writeln!(w, "timestamp,function,duration_ms")
            .map_err(ImportError::io(format!("cannot write {}", path.display())))?;
        writers.push((w, path));
    }
    for &(id, start, dur) in &rows {
        let k = rank[id as usize] as usize;
        let (w, path) = &mut writers[k];
        writeln!(w, "{:.6},{},{:.3}", start + shift, names[k], dur * 1e3)
            .map_err(ImportError::io(format!("cannot write {}", path.display())))?;
    }
    for (mut w, path) in writers {
        w.flush()
            .map_err(ImportError::io(format!("cannot write {}", path.display())))?;
    }
    let functions: Vec<Function> = order
        .iter()
        .zip(&names)
        .map(|(&id, name)| {
            let (app, func) = &keys[id as usize];
            Function {
                name: name.clone(),
                about: vec![
                    format!("app {app}"),
                    format!("func {func}"),
                    format!("{} invocations", counts[id as usize]),
                ],
                memory_mb: None,
                // Replaced by each row's duration_ms.
                compute: "const(1ms)".into(),
            }
        })
        .collect();
    let header = vec![
        format!("Imported by `slsim trace import azure-2021` from {}", input.display()),
        "Azure Functions Invocation Trace 2021 (Zhang et al., SOSP 2021; CC-BY 4.0).".into(),
        format!(
            "{} invocations of {} functions (of {} in the file); start = end_timestamp - duration{}.",
            rows.len(),
            order.len(),
            keys.len(),
            if shift > 0.0 { format!(", shifted by {shift:.6} s so that none is negative") } else { String::new() }
        ),
        "Each workload replays one function's invocations, each with its own duration (duration_ms).".into(),
    ];
    let duration_s = last_end.ceil() as u64 + 1;
    let text = scenario_text(
        &header,
        "azure-2021 import",
        duration_s,
        &functions,
        &rel,
        opts,
    );
    super::write_atomic(out, &text)?;
    Ok(Summary {
        functions: order.len(),
        invocations: rows.len() as u64,
        shift_s: shift,
    })
}
