//! The report as one self-contained HTML file (`report.html`): inline CSS,
//! the drawings inlined as SVG elements, no script, no external font,
//! image or style sheet. A Content-Security-Policy that allows nothing but
//! inline styles makes the browser refuse (and report) any reference that
//! would reach out, so a test that opens it sees one as a console error.
//!
//! Every string from the scenario or the results (names, labels, messages)
//! is HTML-escaped; the SVG drawings come from `result_dir.rs`, which
//! inlines only those without scripts or external references.

use super::doc::{Block, Cell, Doc, Figure, Section, Table, Tone};
use std::fmt::Write as _;

/// The style sheet, inline.
const CSS: &str = "\
:root{color-scheme:light;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--head:#f3f4f6;\
--pass:#166534;--pass-bg:#dcfce7;--fail:#991b1b;--fail-bg:#fee2e2}
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--ink);\
background:#fff;line-height:1.45;font-size:15px}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:18px 0 6px}
.subtitle{color:var(--muted);margin:0 0 10px}
nav a{margin-right:14px;color:#1d4ed8;text-decoration:none;font-size:14px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.pass{color:var(--pass);background:var(--pass-bg);font-weight:600}
td.fail{color:var(--fail);background:var(--fail-bg);font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:8px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
figure{margin:12px 0 20px;overflow-x:auto}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
ul{padding-left:22px}
li{margin:3px 0;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:13px;padding-top:24px;padding-bottom:32px}
";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped (the drawings' XML
/// escaping, which HTML text and attribute values accept alike).
pub fn escape(text: &str) -> String {
    crate::topology::xml_escape(text)
}

/// The document as HTML.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src \
         'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&doc.title));
    let _ = writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>\n<header>");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(&doc.subtitle));
    }
    out.push_str("<nav>");
    for s in &doc.sections {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", s.id, escape(&s.title));
    }
    out.push_str("</nav>\n</header>\n<main>\n");
    for s in &doc.sections {
        section(&mut out, s);
    }
    let _ = writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        escape(&doc.footer)
    );
    out
}

fn section(out: &mut String, s: &Section) {
    let _ = writeln!(
        out,
        "<section id=\"{}\">\n<h2>{}</h2>",
        s.id,
        escape(&s.title)
    );
    for b in &s.blocks {
        match b {
            Block::Para(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::Subheading(text) => {
                let _ = writeln!(out, "<h3>{}</h3>", escape(text));
            }
            Block::Facts(facts) => {
                out.push_str("<dl class=\"facts\">\n");
                for (k, v) in facts {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
                }
                out.push_str("</dl>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", escape(i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(out, t),
            Block::Figure(f) => figure(out, f),
        }
    }
    out.push_str("</section>\n");
}

fn table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "<table class=\"{}\">\n<thead><tr>", t.class);
    for (h, &num) in t.header.iter().zip(&t.numeric) {
        let class = if num { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (cell, &num) in row.iter().zip(&t.numeric) {
            cell_html(out, cell, num);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn cell_html(out: &mut String, cell: &Cell, num: bool) {
    let mut classes = Vec::new();
    if num {
        classes.push("num");
    }
    match cell.tone {
        Tone::Plain => {}
        Tone::Pass => classes.push("pass"),
        Tone::Fail => classes.push("fail"),
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    };
    let _ = write!(out, "<td{class}>{}</td>", escape(&cell.text));
}

fn figure(out: &mut String, f: &Figure) {
    let _ = writeln!(
        out,
        "<figure data-file=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
        escape(&f.link),
        f.svg.trim(),
        escape(&f.caption)
    );
}
