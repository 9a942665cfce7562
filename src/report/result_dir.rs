//! A result directory as the report reads it, and the report written into
//! a directory (`slsim report DIR [--out DIR]`).
//!
//! The report is made of the directory's files only: `summary.json`,
//! `topology.svg`, `plots/*.svg` (sorted by file name) and, for a sweep,
//! `sweep_summary.csv`. A run writes its report from its staging directory
//! the same way, so that `slsim report DIR` on a run's directory gives the
//! same bytes as the run did.
//!
//! An SVG is inlined only if it is one `<svg>` element without scripts,
//! `<foreignObject>`, event handlers or external references (the report
//! promises no scripts and no network); another is listed as not shown.

use super::ReportError;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The report's files, in the order written.
pub const REPORT_FILES: [&str; 2] = ["report.md", "report.html"];

/// Largest SVG file inlined \[bytes\].
const MAX_SVG_BYTES: u64 = 16 << 20;

/// One SVG drawing of the directory.
#[derive(Clone, Debug, PartialEq)]
pub struct Svg {
    /// Its path relative to the directory (`plots/01-latency.svg`).
    pub file: String,
    /// Its `<title>`, if it has one.
    pub title: Option<String>,
    /// The `<svg>` element, from `<svg` to `</svg>`.
    pub svg: String,
}

/// What a report is made of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportInputs {
    /// `summary.json`, if the directory has one (a sweep's may not).
    pub summary: Option<serde_json::Value>,
    /// `topology.svg`.
    pub topology: Option<Svg>,
    /// `plots/*.svg`, sorted by file name.
    pub plots: Vec<Svg>,
    /// `sweep_summary.csv`, as text.
    pub sweep_summary: Option<String>,
    /// `sweep.json` (a sweep's manifest), if the directory has one.
    pub sweep: Option<serde_json::Value>,
    /// Files that could not be shown, each with why.
    pub skipped: Vec<String>,
}

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads `path` if it exists.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, ReportError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(read_err(path)(e)),
    }
}

impl ReportInputs {
    /// Reads the files of result directory `dir`. Refuses a directory with
    /// neither `summary.json` nor `sweep_summary.csv`.
    pub fn load(dir: &Path) -> Result<ReportInputs, ReportError> {
        let meta = std::fs::metadata(dir).map_err(read_err(dir))?;
        if !meta.is_dir() {
            return Err(ReportError::NotAResultDir {
                dir: dir.to_path_buf(),
            });
        }
        let summary = match read_optional(&dir.join("summary.json"))? {
            Some(bytes) => Some(parse_summary(&dir.join("summary.json"), &bytes)?),
            None => None,
        };
        let mut inputs = ReportInputs::load_with(dir, summary)?;
        if let Some(bytes) = read_optional(&dir.join("sweep.json"))? {
            inputs.sweep = Some(parse_summary(&dir.join("sweep.json"), &bytes)?);
        }
        if inputs.summary.is_none() && inputs.sweep_summary.is_none() {
            return Err(ReportError::NotAResultDir {
                dir: dir.to_path_buf(),
            });
        }
        Ok(inputs)
    }

    /// Reads the drawings and the sweep summary of `dir`, with `summary`
    /// given (a run passes the summary it is about to write, reading the
    /// drawings from its staging directory); not `sweep.json` (a sweep
    /// sets [`ReportInputs::sweep`] to the manifest it is about to write).
    pub fn load_with(
        dir: &Path,
        summary: Option<serde_json::Value>,
    ) -> Result<ReportInputs, ReportError> {
        let mut inputs = ReportInputs {
            summary,
            ..ReportInputs::default()
        };
        match load_svg(dir, "topology.svg")? {
            Some(Ok(svg)) => inputs.topology = Some(svg),
            Some(Err(why)) => inputs.skipped.push(why),
            None => {}
        }
        let plots = dir.join("plots");
        let mut names: Vec<String> = match std::fs::read_dir(&plots) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".svg") && !n.starts_with('.'))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(read_err(&plots)(e)),
        };
        names.sort();
        for name in names {
            match load_svg(dir, &format!("plots/{name}"))? {
                Some(Ok(svg)) => inputs.plots.push(svg),
                Some(Err(why)) => inputs.skipped.push(why),
                None => {}
            }
        }
        if let Some(bytes) = read_optional(&dir.join("sweep_summary.csv"))? {
            match String::from_utf8(bytes) {
                Ok(text) => inputs.sweep_summary = Some(text),
                Err(_) => inputs
                    .skipped
                    .push("sweep_summary.csv: not UTF-8 text".into()),
            }
        }
        Ok(inputs)
    }
}

/// `summary.json`'s (or `sweep.json`'s) bytes as JSON.
pub(super) fn parse_summary(path: &Path, bytes: &[u8]) -> Result<serde_json::Value, ReportError> {
    serde_json::from_slice(bytes).map_err(|e| ReportError::BadFile {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads `dir/file` as an inlinable SVG: `None` if absent, `Some(Err(why))`
/// if it cannot be shown.
fn load_svg(dir: &Path, file: &str) -> Result<Option<Result<Svg, String>>, ReportError> {
    let path = dir.join(file);
    match std::fs::metadata(&path) {
        Ok(m) if m.len() > MAX_SVG_BYTES => {
            return Ok(Some(Err(format!(
                "{file}: {} bytes, more than the {} inlined",
                m.len(),
                MAX_SVG_BYTES
            ))))
        }
        _ => {}
    }
    let Some(bytes) = read_optional(&path)? else {
        return Ok(None);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Some(Err(format!("{file}: not UTF-8 text"))));
    };
    Ok(Some(
        inlinable(&text)
            .map(|(svg, title)| Svg {
                file: file.to_string(),
                title,
                svg,
            })
            .map_err(|why| format!("{file}: {why}")),
    ))
}

/// The `<svg>` element of an SVG file and its title, or why it cannot be
/// inlined.
pub fn inlinable(text: &str) -> Result<(String, Option<String>), String> {
    let start = text.find("<svg").ok_or("no <svg> element")?;
    let end = text.rfind("</svg>").ok_or("no </svg> end")? + "</svg>".len();
    if end <= start {
        return Err("no <svg> element".into());
    }
    let svg = &text[start..end];
    let lower = svg.to_ascii_lowercase();
    for (needle, why) in [
        ("<script", "it holds a script"),
        ("<foreignobject", "it holds a foreignObject"),
        ("javascript:", "it holds a javascript: link"),
        ("<!entity", "it declares entities"),
        ("http://", "it holds an external reference"),
        ("https://", "it holds an external reference"),
        ("url(//", "it holds an external reference"),
        ("href=\"//", "it holds an external reference"),
    ] {
        // The SVG namespace itself is not a reference.
        let hits = lower.matches(needle).count();
        let ns = if needle == "http://" {
            lower.matches("http://www.w3.org/").count()
        } else {
            0
        };
        if hits > ns {
            return Err(why.into());
        }
    }
    if has_event_handler(&lower) {
        return Err("it holds an event handler (on...=)".into());
    }
    let title = lower.find("<title").and_then(|t| {
        let open_end = t + svg[t..].find('>')? + 1;
        let close = open_end + svg[open_end..].find("</title>")?;
        let title = unescape(svg[open_end..close].trim());
        (!title.is_empty()).then_some(title)
    });
    Ok((svg.to_string(), title))
}

/// Whether an attribute named `on...` appears (`onload=`, ` onclick =`).
fn has_event_handler(lower: &str) -> bool {
    let b = lower.as_bytes();
    lower.match_indices("on").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        if !matches!(
            before,
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'/')
        ) {
            return false;
        }
        let rest = &b[i + 2..];
        let name_len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        if name_len == 0 {
            return false;
        }
        let after = rest[name_len..].iter().find(|c| !c.is_ascii_whitespace());
        after == Some(&b'=') && inside_tag(lower, i)
    })
}

/// Whether byte `i` is inside a tag (after a `<` with no `>` since).
fn inside_tag(text: &str, i: usize) -> bool {
    let before = &text[..i];
    match (before.rfind('<'), before.rfind('>')) {
        (Some(lt), Some(gt)) => lt > gt,
        (Some(_), None) => true,
        _ => false,
    }
}

/// XML's predefined entities and numeric references, decoded.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => e
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes `report.md` and `report.html` of result directory `dir` into
/// `out` (default: `dir` itself), each through a temporary file renamed
/// into place (a reader never sees half a report), and returns their paths.
pub fn write_report(dir: &Path, out: Option<&Path>) -> Result<Vec<PathBuf>, ReportError> {
    let inputs = ReportInputs::load(dir)?;
    let out = out.unwrap_or(dir);
    std::fs::create_dir_all(out).map_err(|source| ReportError::CreateDir {
        path: out.to_path_buf(),
        source,
    })?;
    let prefix = link_prefix(dir, out);
    let (md, html) = render(&inputs, &prefix);
    let mut written = Vec::new();
    for (name, bytes) in REPORT_FILES.iter().zip([md, html]) {
        let path = out.join(name);
        replace_file(&path, bytes.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Both renderings of the report, `(report.md, report.html)`; Markdown
/// links start with `prefix` (empty when the report sits in the result
/// directory). For a writer with its own staging (a sweep): load the
/// inputs with [`ReportInputs::load_with`], render, write both files.
pub fn render(inputs: &ReportInputs, prefix: &str) -> (String, String) {
    let doc = super::content::build(inputs);
    (
        super::markdown::render(&doc, prefix),
        super::html::render(&doc),
    )
}

/// How `out` reaches `dir`'s files: empty when the same directory, else a
/// relative path (or `dir` made absolute when none exists) ending in `/`.
fn link_prefix(dir: &Path, out: &Path) -> String {
    let (Ok(d), Ok(o)) = (std::fs::canonicalize(dir), std::fs::canonicalize(out)) else {
        return format!("{}/", dir.display());
    };
    if d == o {
        return String::new();
    }
    let common = d
        .components()
        .zip(o.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in o.components().skip(common) {
        rel.push("..");
    }
    for c in d.components().skip(common) {
        rel.push(c);
    }
    format!("{}/", rel.display())
}

/// Writes `path` through a temporary file beside it, fsynced, renamed over.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let err = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.unwrap_or_default()))
        .suffix(".tmp")
        .rand_bytes(6)
        .tempfile_in(parent)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svgs_are_cut_to_their_element_and_titled() {
        let text =
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<svg xmlns=\"http://www.w3.org/2000/svg\">\
                    <title>Latency &amp; more</title><rect x=\"1\"/></svg>\n";
        let (svg, title) = inlinable(text).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(title.as_deref(), Some("Latency & more"));
    }

    #[test]
    fn unsafe_svgs_are_refused() {
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><image href=\"https://x.org/a.png\"/></svg>",
            "<svg onload=\"alert(1)\"></svg>",
            "<svg><rect\nonclick = \"x\"/></svg>",
            "<svg><foreignObject/></svg>",
            "no svg here",
        ] {
            assert!(inlinable(bad).is_err(), "{bad}");
        }
        // Text that merely mentions "on" is fine.
        assert!(inlinable("<svg><text>on = off</text></svg>").is_ok());
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            unescape("a &lt;b&gt; &#38; &#x41; &bogus; &"),
            "a <b> & A &bogus; &"
        );
    }
}
