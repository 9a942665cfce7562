//! Scenario errors: every problem carries where it is (file, line, column
//! or the `--set` it came from), which field, what is wrong and a hint.

use std::fmt;

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// In the scenario file, at a 1-based line and column.
    File {
        /// The file label given to `parse_str`.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
    },
    /// In the file, position unknown.
    FileOnly(String),
    /// In a `--set PATH=VALUE` override (the whole argument).
    Set(String),
    /// In a `slsim sweep --vary PATH=V1,V2,...` (the whole argument).
    Vary(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Origin::FileOnly(file) => write!(f, "{file}"),
            Origin::Set(arg) => write!(f, "--set {arg}"),
            Origin::Vary(arg) => write!(f, "--vary {arg}"),
        }
    }
}

/// One problem found in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub origin: Origin,
    /// The field, e.g. `lambda[1] "list-todos" .memory_mb`; empty for
    /// whole-file problems (syntax errors).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we know.
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: ", one_line(&self.origin.to_string()))?;
        if !self.field.is_empty() {
            write!(f, "{}: ", one_line(&self.field))?;
        }
        write!(f, "{}", one_line(&self.message))?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {}", one_line(h))?;
        }
        Ok(())
    }
}

/// `s` with its control characters escaped (`\n`, `\t`, `\u{7}`), so that
/// a name or value quoted in a message cannot break its line.
pub fn one_line(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A scenario that could not be loaded. `Display` is the full human message.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("error: cannot read scenario file {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// One or more problems in the scenario (syntax, unknown fields, bad
    /// values, bad references, bad `--set` overrides).
    #[error("{}", render(.file, .problems))]
    Invalid {
        /// The file label.
        file: String,
        /// Every problem found, in file order where known.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The individual problems (empty for I/O errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Io { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render(file: &str, problems: &[Problem]) -> String {
    let mut s = String::new();
    for p in problems {
        s.push_str(&p.to_string());
        s.push('\n');
    }
    let n = problems.len();
    s.push_str(&format!(
        "{n} problem{} in {file}",
        if n == 1 { "" } else { "s" }
    ));
    s
}

/// The closest candidate to `word` (Jaro-Winkler >= 0.8 or edit distance
/// <= 2), as a "did you mean" hint.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lw = word.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let lc = c.to_ascii_lowercase();
        let jw = strsim::jaro_winkler(&lw, &lc);
        let lev = strsim::levenshtein(&lw, &lc);
        let score = if (lev <= 2 && lc.len() > 2) || (lev == 1 && lc.len() == 2) {
            jw.max(0.9)
        } else {
            jw
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

/// `did_you_mean`, else a list of the valid choices.
pub fn suggest(word: &str, candidates: &[&str]) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(h) => format!("{h} (valid: {})", list(candidates)),
        None => format!("valid: {}", list(candidates)),
    }
}

/// `a`, `b`, `c`
pub fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let c = ["memory_mb", "timeout", "runtime"];
        assert_eq!(
            did_you_mean("memroy_mb", c).as_deref(),
            Some("did you mean `memory_mb`?")
        );
        assert_eq!(did_you_mean("zzz", c), None);
        assert!(suggest("runtim", &c).contains("`runtime`"));
    }

    #[test]
    fn problems_stay_on_their_lines() {
        let p = Problem {
            origin: Origin::FileOnly("f.toml".into()),
            field: "lambda[0] \"a\nb\" .name".into(),
            message: "`a\nb` is not defined".into(),
            hint: Some("x\ty".into()),
        };
        let text = p.to_string();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("a\\nb"), "{text}");
        assert!(text.contains("x\\ty"), "{text}");
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<T: Send + Sync + 'static>() {}
        check::<ScenarioError>();
    }
}
