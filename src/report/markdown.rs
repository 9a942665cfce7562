//! The report as Markdown (`report.md`): the same sections as the HTML
//! report, tables as pipe tables, the drawings as image links to their
//! files (`topology.svg`, `plots/*.svg`), relative to where the report is.
//!
//! Text is escaped so that a name such as `a|b` or `<script>` stays text:
//! Markdown's punctuation is backslash-escaped, line breaks become spaces.

use super::doc::{Block, Doc, Table};
use std::fmt::Write as _;

/// `text` as literal Markdown text on one line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // A leading marker would start a list or a heading.
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link target: spaces, parentheses and angle brackets percent-encoded.
fn link(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// The document as Markdown; image links start with `prefix` (empty when
/// the report sits in the result directory).
pub fn render(doc: &Doc, prefix: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "{}\n", escape(&doc.subtitle));
    }
    for s in &doc.sections {
        let _ = writeln!(out, "## {}\n", escape(&s.title));
        for b in &s.blocks {
            match b {
                Block::Para(text) => {
                    let _ = writeln!(out, "{}\n", escape(text));
                }
                Block::Subheading(text) => {
                    let _ = writeln!(out, "### {}\n", escape(text));
                }
                Block::Facts(facts) => {
                    for (k, v) in facts {
                        let _ = writeln!(out, "- **{}**: {}", escape(k), escape(v));
                    }
                    out.push('\n');
                }
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(out, "- {}", escape(i));
                    }
                    out.push('\n');
                }
                Block::Table(t) => table(&mut out, t),
                Block::Figure(f) => {
                    let _ = writeln!(
                        out,
                        "![{}]({})\n\n*{}*\n",
                        escape(&f.caption),
                        link(&format!("{prefix}{}", f.link)),
                        escape(&f.caption)
                    );
                }
            }
        }
    }
    let _ = writeln!(out, "---\n\n{}", escape(&doc.footer));
    out
}

fn table(out: &mut String, t: &Table) {
    let cells: Vec<String> = t.header.iter().map(|h| escape(h)).collect();
    let _ = writeln!(out, "| {} |", cells.join(" | "));
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(&c.text)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_stays_text() {
        assert_eq!(
            escape("<script>a|b</script>"),
            "\\<script\\>a\\|b\\</script\\>"
        );
        assert_eq!(escape("- x_y\nz"), "\\- x\\_y z");
        assert_eq!(escape("GET /todos/{id}"), "GET /todos/{id}");
    }
}
