//! Trace replay: `arrival = "trace(path=FILE)"`, a CSV of timestamps read
//! one row at a time.
//!
//! The file is streamed with a buffered reader and one reused line buffer:
//! memory does not grow with the trace (no row is kept once replayed) and
//! no allocation is made per arrival. Rows are checked as they are read
//! (sorted timestamps, numbers, known names); a problem found in the
//! middle of a run is kept as a [`TraceError`] and ends the workload's
//! arrivals, and the run reports it as an error.
//!
//! Columns (header required, any order): `timestamp` (seconds from the
//! start of the run, required), `function`, `route` (which route or
//! function a row goes to, resolved through [`Names`]), `duration_ms`
//! (the invocation's exact duration), `memory_mb` (informational, not
//! read). The work per arrival is the rows read for it: one, plus the
//! rows skipped by thinning (`scale < 1`) or naming another workload's
//! function.
//!
//! Must not know: the scenario format, where requests go.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use rand::Rng;

use crate::engine::{secs_to_ns, SimRng, SimTime};

/// The columns a trace may have.
pub const COLUMNS: [&str; 5] = ["timestamp", "function", "route", "duration_ms", "memory_mb"];

/// Largest `duration_ms` accepted \[ms\] (one hour: above Lambda's
/// longest timeout of 15 minutes).
pub const MAX_DURATION_MS: f64 = 3_600_000.0;

/// No route picked by the row: the workload's route mix decides.
pub const NO_ROUTE: u16 = u16::MAX;
/// No duration given by the row: the function's steps decide.
pub const NO_DURATION: u32 = u32::MAX;

/// A trace arrival as the scenario gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceSpec {
    /// The path as written in the scenario (for messages).
    pub raw: String,
    /// The file to read: `raw` relative to the scenario file's directory
    /// once the scenario is loaded.
    pub path: PathBuf,
    /// Thinning (< 1) or multiplication (> 1) of the rows: `trace(...,
    /// scale=X)` times the workload's `scale`.
    pub scale: f64,
}

/// What a name in a row's `function` or `route` cell stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// This route of the workload (index in its route list).
    Route(u16),
    /// Another workload's function: the row is skipped.
    Skip,
}

/// The names a trace's rows may use, resolved for one workload.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// `function` cell -> what it picks.
    pub functions: HashMap<String, Pick>,
    /// `route` cell -> what it picks.
    pub routes: HashMap<String, Pick>,
    /// What the columns may name, for the hint of an unknown name.
    pub hint: String,
    /// Why a `function` or `route` column is refused (the target takes
    /// neither); `None`: both are allowed.
    pub refuse: Option<String>,
}

/// One replayed row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Arrival time \[ns\].
    pub at: SimTime,
    /// Workload route index, or [`NO_ROUTE`].
    pub route: u16,
    /// The invocation's duration \[µs\], or [`NO_DURATION`].
    pub duration_us: u32,
}

/// A problem in a trace file: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// The file as the scenario names it.
    pub file: String,
    /// 1-based line (1: the header; 0: the file itself).
    pub line: u64,
    /// The column, when one is at fault.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl TraceError {
    /// The message with the file, line and column, without the hint.
    pub fn located(&self) -> String {
        let mut s = format!("trace `{}`", self.file);
        if self.line > 0 {
            s.push_str(&format!(" line {}", self.line));
        }
        if let Some(c) = self.column {
            s.push_str(&format!(", column `{c}`"));
        }
        format!("{s}: {}", self.message)
    }
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}; hint: {}", self.located(), self.hint)
    }
}

impl std::error::Error for TraceError {}

/// Where each known column is in a row (field index).
#[derive(Clone, Copy, Debug, Default)]
struct Layout {
    timestamp: usize,
    function: Option<usize>,
    route: Option<usize>,
    duration: Option<usize>,
}

/// A trace being replayed.
pub struct TraceReader {
    file: String,
    reader: BufReader<File>,
    line: String,
    line_no: u64,
    layout: Layout,
    names: Names,
    scale: f64,
    /// Timestamp of the last row read [s] (rows are sorted).
    last: f64,
    /// Copies of `copy` still to send after it.
    copies: u32,
    /// The row being copied (scale > 1).
    copy: Row,
    /// The row of the arrival scheduled next.
    next: Row,
    /// The row of the arrival being handled.
    current: Row,
    done: bool,
    error: Option<TraceError>,
}

impl TraceReader {
    /// Opens the trace and reads its header (a regular file only, so that
    /// reading ends).
    pub fn open(spec: &TraceSpec, names: Names) -> Result<TraceReader, TraceError> {
        let err = |line, column, message: String, hint: &str| TraceError {
            file: spec.raw.clone(),
            line,
            column,
            message,
            hint: hint.to_string(),
        };
        let io = |e: std::io::Error| {
            err(
                0,
                None,
                format!("cannot read {}: {e}", spec.path.display()),
                "paths are relative to the scenario file's directory",
            )
        };
        let file = File::open(&spec.path).map_err(io)?;
        if !file.metadata().map_err(io)?.is_file() {
            return Err(err(
                0,
                None,
                format!("{} is not a regular file", spec.path.display()),
                "name a CSV file; pipes and devices are refused because they may never end",
            ));
        }
        let mut r = TraceReader {
            file: spec.raw.clone(),
            reader: BufReader::with_capacity(64 * 1024, file),
            line: String::with_capacity(256),
            line_no: 0,
            layout: Layout::default(),
            names,
            scale: spec.scale,
            last: 0.0,
            copies: 0,
            copy: Row {
                at: 0,
                route: NO_ROUTE,
                duration_us: NO_DURATION,
            },
            next: Row {
                at: 0,
                route: NO_ROUTE,
                duration_us: NO_DURATION,
            },
            current: Row {
                at: 0,
                route: NO_ROUTE,
                duration_us: NO_DURATION,
            },
            done: false,
            error: None,
        };
        r.header()?;
        Ok(r)
    }

    fn err(&self, column: Option<&'static str>, message: String, hint: &str) -> TraceError {
        TraceError {
            file: self.file.clone(),
            line: self.line_no,
            column,
            message,
            hint: hint.to_string(),
        }
    }

    /// Reads the next line into the buffer; `false` at the end.
    fn read_line(&mut self) -> Result<bool, TraceError> {
        self.line.clear();
        match self.reader.read_line(&mut self.line) {
            Ok(0) => Ok(false),
            Ok(_) => {
                self.line_no += 1;
                Ok(true)
            }
            Err(e) => {
                self.line_no += 1;
                Err(self.err(
                    None,
                    format!("cannot read: {e}"),
                    "a trace is UTF-8 CSV text",
                ))
            }
        }
    }

    fn header(&mut self) -> Result<(), TraceError> {
        const FORM: &str = "the first line names the columns, e.g. `timestamp,function,duration_ms`; `timestamp` (seconds from the start) is required";
        if !self.read_line()? {
            return Err(self.err(None, "the file is empty".into(), FORM));
        }
        let mut seen: [Option<usize>; 5] = [None; 5];
        for (i, cell) in self
            .line
            .trim_end_matches(['\n', '\r'])
            .split(',')
            .enumerate()
        {
            let name = unquote(cell);
            let Some(k) = COLUMNS.iter().position(|c| *c == name) else {
                let hint = match closest(name) {
                    Some(c) => format!("did you mean `{c}`? {FORM}"),
                    None => format!("the columns are {}; {FORM}", COLUMNS.join(", ")),
                };
                return Err(self.err(None, format!("unknown column `{name}`"), &hint));
            };
            if seen[k].replace(i).is_some() {
                return Err(self.err(
                    Some(COLUMNS[k]),
                    format!("the column `{name}` appears twice"),
                    FORM,
                ));
            }
        }
        let Some(timestamp) = seen[0] else {
            return Err(self.err(
                Some("timestamp"),
                "the header has no `timestamp` column".into(),
                FORM,
            ));
        };
        if let (Some(why), true) = (&self.names.refuse, seen[1].is_some() || seen[2].is_some()) {
            let col = if seen[1].is_some() {
                "function"
            } else {
                "route"
            };
            let why = why.clone();
            return Err(self.err(
                Some(col),
                why,
                "remove the column, or aim the workload at an api or a lambda",
            ));
        }
        self.layout = Layout {
            timestamp,
            function: seen[1],
            route: seen[2],
            duration: seen[3],
        };
        Ok(())
    }

    /// The next row to replay (after thinning, copies and skipped rows),
    /// or `None` at the end of the file. Does not look at the run's end.
    pub fn next_row(&mut self, rng: &mut SimRng) -> Result<Option<Row>, TraceError> {
        if self.copies > 0 {
            self.copies -= 1;
            return Ok(Some(self.copy));
        }
        loop {
            if !self.read_line()? {
                return Ok(None);
            }
            let Some(row) = self.parse()? else { continue };
            // floor(scale) copies, and one more with probability
            // frac(scale): thinning when scale < 1. No draw at whole
            // scales, so scale = 1 replays the file exactly.
            let whole = self.scale.floor();
            let frac = self.scale - whole;
            let mut n = whole as u32;
            if frac > 0.0 && rng.random::<f64>() < frac {
                n += 1;
            }
            if n == 0 {
                continue;
            }
            self.copies = n - 1;
            self.copy = row;
            return Ok(Some(row));
        }
    }

    /// Parses the line in the buffer; `None` for a blank line or a row
    /// naming another workload's function.
    fn parse(&mut self) -> Result<Option<Row>, TraceError> {
        let text = self.line.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return Ok(None);
        }
        let l = self.layout;
        let (mut ts, mut func, mut route, mut dur) = (None, "", "", "");
        for (i, cell) in text.split(',').enumerate() {
            if i == l.timestamp {
                ts = Some(unquote(cell));
            } else if Some(i) == l.function {
                func = unquote(cell);
            } else if Some(i) == l.route {
                route = unquote(cell);
            } else if Some(i) == l.duration {
                dur = unquote(cell);
            }
        }
        let col = Some("timestamp");
        let Some(ts) = ts.filter(|s| !s.is_empty()) else {
            return Err(self.err(
                col,
                "the row has no timestamp".into(),
                "every row needs a timestamp in seconds from the start, e.g. 12.5",
            ));
        };
        let secs: f64 = match ts.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => v,
            _ => {
                let m = format!("`{ts}` is not a number of seconds >= 0");
                return Err(self.err(
                    col,
                    m,
                    "timestamps are seconds from the start of the run, e.g. 12.5",
                ));
            }
        };
        if secs < self.last {
            let m = format!("{ts} is before the previous row's {}", self.last);
            return Err(self.err(col, m, "rows must be sorted by timestamp (e.g. `sort -t, -k1,1g`, keeping the header first)"));
        }
        self.last = secs;
        let mut pick = NO_ROUTE;
        let (cell, col, map) = if !route.is_empty() {
            (route, "route", &self.names.routes)
        } else {
            (func, "function", &self.names.functions)
        };
        if !cell.is_empty() {
            match map.get(cell) {
                Some(Pick::Route(k)) => pick = *k,
                Some(Pick::Skip) => return Ok(None),
                None => {
                    let (m, h) = (format!("unknown {col} `{cell}`"), self.names.hint.clone());
                    return Err(self.err(
                        Some(if col == "route" { "route" } else { "function" }),
                        m,
                        &h,
                    ));
                }
            }
        }
        let mut duration_us = NO_DURATION;
        if !dur.is_empty() {
            match dur.parse::<f64>() {
                Ok(v) if (0.0..=MAX_DURATION_MS).contains(&v) => {
                    duration_us = (v * 1e3).round() as u32;
                }
                _ => {
                    let m = format!("`{dur}` is not a duration in ms in 0..=3600000");
                    return Err(self.err(Some("duration_ms"), m, "duration_ms is the invocation's duration in milliseconds, e.g. 250.5; leave it empty to use the function's steps"));
                }
            }
        }
        Ok(Some(Row {
            at: secs_to_ns(secs),
            route: pick,
            duration_us,
        }))
    }

    /// Advances to the next arrival strictly after... at or after `now`
    /// and at most `end` (copies share their row's time): the row just
    /// scheduled becomes the current one. `None` at the end of the trace,
    /// past `end`, or after an error (kept for [`TraceReader::error`]).
    #[inline]
    pub fn next_after(&mut self, now: SimTime, end: SimTime, rng: &mut SimRng) -> Option<SimTime> {
        self.current = self.next;
        if self.done {
            return None;
        }
        match self.next_row(rng) {
            Ok(Some(row)) if row.at <= end => {
                self.next = Row {
                    at: row.at.max(now),
                    ..row
                };
                Some(self.next.at)
            }
            Ok(_) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                self.error = Some(e);
                None
            }
        }
    }

    /// The row of the arrival being handled.
    #[inline]
    pub fn current(&self) -> Row {
        self.current
    }

    /// The problem that ended the replay early, if any.
    pub fn error(&self) -> Option<&TraceError> {
        self.error.as_ref()
    }

    /// Whether the rows carry a `duration_ms` column.
    pub fn has_durations(&self) -> bool {
        self.layout.duration.is_some()
    }
}

/// A cell without surrounding spaces and double quotes.
fn unquote(cell: &str) -> &str {
    let c = cell.trim();
    c.strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(c)
        .trim()
}

/// The known column nearest to `name` (for "did you mean").
pub fn closest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    COLUMNS
        .iter()
        .find(|c| {
            lower == **c
                || lower.starts_with(*c)
                || c.starts_with(lower.as_str()) && lower.len() >= 3
        })
        .copied()
}

#[cfg(test)]
#[path = "trace_tests.rs"]
mod tests;
