//! `empirical(FILE)` sample files: read once per scenario, regular files
//! only, bounded in size.
//!
//! A FIFO, a device (`/dev/zero`) or a directory is refused after a `stat`,
//! before it is opened, so reading never blocks and never runs without end.
//! A file is at most 64 MiB and 1,000,000 values, and all the files of a
//! scenario together at most 10,000,000 values (see `limits.rs`).

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::values::{duration_secs, Bad};
use crate::model::limits::{MAX_SAMPLES_PER_FILE, MAX_SAMPLES_TOTAL, MAX_SAMPLE_FILE_BYTES};

const LINE_FORM: &str =
    "one value per line: a number in ms (e.g. 12.5) or with a unit (e.g. 12.5ms)";
const SIZE_HINT: &str =
    "a sample file holds at most 1000000 values in at most 64 MiB; subsample larger data sets";

/// The sample files read so far for one scenario.
#[derive(Debug)]
pub struct Samples {
    base_dir: PathBuf,
    files: HashMap<PathBuf, Arc<[f64]>>,
    total: usize,
}

fn bad(message: String, hint: &str) -> Bad {
    Bad {
        message,
        hint: Some(hint.to_string()),
    }
}

impl Samples {
    /// Paths are relative to `base_dir` (the scenario file's directory).
    pub fn new(base_dir: &Path) -> Self {
        Self {
            base_dir: base_dir.to_path_buf(),
            files: HashMap::new(),
            total: 0,
        }
    }

    /// The directory relative paths start from (the scenario file's).
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// The values of the file `raw` names, in seconds.
    pub fn load(&mut self, raw: &str) -> Result<Arc<[f64]>, Bad> {
        let path = self.base_dir.join(raw);
        if let Some(v) = self.files.get(&path) {
            return Ok(v.clone());
        }
        let shown = format!("`{raw}` ({})", path.display());
        let text = read_bounded(&path, &shown)?;
        let values = parse(&text, raw)?;
        if self.total + values.len() > MAX_SAMPLES_TOTAL {
            return Err(bad(
                format!(
                    "empirical samples {shown}: the scenario's sample files hold more than {MAX_SAMPLES_TOTAL} values together"
                ),
                "use fewer or smaller sample files (a file named several times is read once)",
            ));
        }
        self.total += values.len();
        let values: Arc<[f64]> = values.into();
        self.files.insert(path, values.clone());
        Ok(values)
    }
}

/// What a non-regular file is, for the message.
fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn not_regular(shown: &str, meta: &Metadata) -> Bad {
    bad(
        format!(
            "empirical samples {shown} is {}: only regular files are read",
            kind(meta)
        ),
        "name a regular file of samples; pipes and devices are refused because they may never end",
    )
}

fn too_big(shown: &str, bytes: u64) -> Bad {
    bad(
        format!(
            "empirical samples {shown} is {bytes} bytes, above the limit of {MAX_SAMPLE_FILE_BYTES} bytes (64 MiB)"
        ),
        SIZE_HINT,
    )
}

/// Reads a regular file of at most `MAX_SAMPLE_FILE_BYTES`, checked by a
/// `stat` before opening it and on the opened file.
fn read_bounded(path: &Path, shown: &str) -> Result<String, Bad> {
    let io = |e: std::io::Error| {
        bad(
            format!("cannot read empirical samples {shown}: {e}"),
            "paths are relative to the scenario file's directory",
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(shown, &meta));
    }
    if meta.len() > MAX_SAMPLE_FILE_BYTES {
        return Err(too_big(shown, meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the stat and the open.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(shown, &meta));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SAMPLE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SAMPLE_FILE_BYTES {
        return Err(too_big(shown, bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| {
        bad(
            format!("empirical samples {shown} is not UTF-8 text"),
            LINE_FORM,
        )
    })
}

/// One value per line, with a unit or a bare number in ms; blank lines and
/// `#` comments skipped; only the first column of a CSV line is read; a
/// non-numeric first line is a header.
fn parse(text: &str, raw: &str) -> Result<Vec<f64>, Bad> {
    let mut values = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let l = line.split('#').next().unwrap_or("").trim();
        let l = l.split(',').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        let is_first = std::mem::replace(&mut first, false);
        let v = if l.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
            duration_secs(&format!("{l}ms"))
        } else {
            duration_secs(l)
        };
        match v {
            Ok(v) => {
                if values.len() == MAX_SAMPLES_PER_FILE {
                    return Err(bad(
                        format!(
                            "empirical samples `{raw}` hold more than {MAX_SAMPLES_PER_FILE} values"
                        ),
                        SIZE_HINT,
                    ));
                }
                values.push(v);
            }
            Err(_) if is_first => continue, // header
            Err(b) => {
                return Err(bad(
                    format!("`{raw}` line {}: {}", i + 1, b.message),
                    LINE_FORM,
                ))
            }
        }
    }
    if values.is_empty() {
        return Err(bad(
            format!("empirical samples `{raw}` contain no values"),
            LINE_FORM,
        ));
    }
    Ok(values)
}
