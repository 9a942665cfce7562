//! From a field path to a place in the file: byte spans from the
//! `toml_edit` document, then 1-based line and column.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

use toml_edit::{Item, Table, Value};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}
impl From<&String> for Seg {
    fn from(s: &String) -> Self {
        Seg::Key(s.clone())
    }
}
impl From<String> for Seg {
    fn from(s: String) -> Self {
        Seg::Key(s)
    }
}
impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// A field path such as `lambda[1].steps[0].compute`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// This path plus one more step.
    pub fn join(&self, s: impl Into<Seg>) -> FieldPath {
        let mut v = self.0.clone();
        v.push(s.into());
        FieldPath(v)
    }

    /// True when `self` starts with `prefix`.
    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// Human form: `lambda[1] "list-todos" .memory_mb` when the component
    /// name is known, else `lambda[1].memory_mb`.
    pub fn display(&self, name: Option<&str>) -> String {
        let mut s = String::new();
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if i > 0 {
                        s.push('.');
                    }
                    if k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        s.push_str(k);
                    } else {
                        s.push_str(&format!("\"{k}\""));
                    }
                }
                Seg::Index(n) => {
                    s.push_str(&format!("[{n}]"));
                    if i == 1 {
                        if let Some(name) = name {
                            s.push_str(&format!(" \"{name}\" "));
                        }
                    }
                }
            }
        }
        s.trim_end().to_string()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(None))
    }
}

/// Builds a [`FieldPath`]: `fp!["lambda", 1, "memory_mb"]`.
#[macro_export]
#[doc(hidden)]
macro_rules! fp {
    ($($s:expr),* $(,)?) => {
        $crate::scenario::locate::FieldPath(vec![$($crate::scenario::locate::Seg::from($s)),*])
    };
}

enum Cur<'a> {
    Item(&'a Item),
    Val(&'a Value),
    Tab(&'a Table),
}

impl<'a> Cur<'a> {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Cur::Item(i) => match i {
                Item::Table(t) => t.span(),
                Item::ArrayOfTables(a) => a.span(),
                Item::Value(v) => v.span(),
                Item::None => None,
            },
            Cur::Val(v) => v.span(),
            Cur::Tab(t) => t.span(),
        }
    }

    fn key(&self, k: &str) -> Option<(Option<Range<usize>>, Cur<'a>)> {
        let (key, item) = match self {
            Cur::Item(i) => i.as_table_like()?.get_key_value(k)?,
            Cur::Val(v) => v.as_inline_table()?.get_key_value(k)?,
            Cur::Tab(t) => t.get_key_value(k)?,
        };
        Some((key.span(), Cur::Item(item)))
    }

    fn index(&self, n: usize) -> Option<Cur<'a>> {
        match self {
            Cur::Item(Item::ArrayOfTables(a)) => a.get(n).map(Cur::Tab),
            Cur::Item(Item::Value(Value::Array(a))) | Cur::Val(Value::Array(a)) => {
                a.get(n).map(Cur::Val)
            }
            _ => None,
        }
    }
}

/// The byte span of the value at `path` (or of its key when `key` is set).
/// When the path does not exist (a missing field), the span of the deepest
/// existing ancestor.
pub fn span_of(root: &Table, path: &FieldPath, key: bool) -> Option<Range<usize>> {
    let mut cur = Cur::Tab(root);
    let mut best: Option<Range<usize>> = None;
    let n = path.0.len();
    for (i, seg) in path.0.iter().enumerate() {
        let next = match seg {
            Seg::Key(k) => match cur.key(k) {
                Some((kspan, c)) => {
                    if key && i + 1 == n && kspan.is_some() {
                        return kspan;
                    }
                    if kspan.is_some() {
                        best = kspan;
                    }
                    Some(c)
                }
                None => None,
            },
            Seg::Index(ix) => cur.index(*ix),
        };
        match next {
            Some(c) => {
                if let Some(s) = c.span() {
                    best = Some(s);
                }
                cur = c;
            }
            None => break,
        }
    }
    best
}

/// Places in one text, found from field paths. The `toml_edit` document
/// (about as big as the value tree) and the table of line starts are built
/// on the first lookup: a valid scenario never needs them.
pub struct Spans<'a> {
    text: &'a str,
    doc: OnceCell<Option<toml_edit::ImDocument<&'a str>>>,
    /// Byte offset of the start of each line.
    lines: OnceCell<Vec<usize>>,
}

impl<'a> Spans<'a> {
    /// Places in `text` (TOML that has already parsed without error).
    pub fn new(text: &'a str) -> Self {
        Spans {
            text,
            doc: OnceCell::new(),
            lines: OnceCell::new(),
        }
    }

    /// The byte span of `path` (see [`span_of`]); `None` when the text does
    /// not parse.
    pub fn span_of(&self, path: &FieldPath, key: bool) -> Option<Range<usize>> {
        let doc = self
            .doc
            .get_or_init(|| toml_edit::ImDocument::parse(self.text).ok());
        span_of(doc.as_ref()?.as_table(), path, key)
    }

    /// [`line_col`], by binary search in the line starts.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let lines = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let mut off = offset.min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let line = lines.partition_point(|&start| start <= off);
        let column = text[lines[line - 1]..off].chars().count() + 1;
        (line, column)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..off].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_lines() {
        let text = "[simulation]\nduration = \"1h\"\n\n[[lambda]]\nname = \"a\"\nsteps = [{ io = \"x\" }]\n";
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        let sp = span_of(doc.as_table(), &crate::fp!["simulation", "duration"], false).unwrap();
        assert_eq!(line_col(text, sp.start), (2, 12));
        let sp = span_of(
            doc.as_table(),
            &crate::fp!["lambda", 0, "steps", 0, "io"],
            false,
        )
        .unwrap();
        assert_eq!(line_col(text, sp.start), (6, 17));
        let sp = span_of(doc.as_table(), &crate::fp!["lambda", 0, "name"], true).unwrap();
        assert_eq!(line_col(text, sp.start), (5, 1));
        // Missing field: the table itself.
        let sp = span_of(doc.as_table(), &crate::fp!["lambda", 0, "memory_mb"], false).unwrap();
        assert_eq!(line_col(text, sp.start).0, 4);
    }

    #[test]
    fn spans_agree_with_a_scan_from_the_start() {
        let text = "a = 1\n\n[t]\nb = \"é\"\nc = [1,\n 2]\n";
        let spans = Spans::new(text);
        for off in 0..=text.len() + 2 {
            assert_eq!(spans.line_col(off), line_col(text, off), "offset {off}");
        }
        let sp = spans.span_of(&crate::fp!["t", "c", 1], false).unwrap();
        assert_eq!(spans.line_col(sp.start), (6, 2));
    }

    #[test]
    fn display() {
        let p = crate::fp!["lambda", 1, "memory_mb"];
        assert_eq!(
            p.display(Some("list-todos")),
            "lambda[1] \"list-todos\" .memory_mb"
        );
        assert_eq!(p.to_string(), "lambda[1].memory_mb");
        let p = crate::fp!["workload", 0, "routes", "GET /todos"];
        assert_eq!(p.to_string(), "workload[0].routes.\"GET /todos\"");
    }
}
