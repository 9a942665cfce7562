//! What a lesson prints and writes: the text (the terminal's and, as
//! Markdown, `lesson.md`), `lesson.json` (every figure of every step, as
//! read), and the comparison chart of the steps.

use super::figures::{show, Figure, Unit};
use super::lesson::Piece;
use super::{figure, step_dir, Lesson, Taught};
use crate::plot::{Bar, BarChart, BarPanel};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// A step's explanation with its figures filled in.
fn filled(lesson: &Lesson, i: usize, taught: &Taught) -> String {
    let mut out = String::new();
    for p in &lesson.steps[i].text {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Figure(f) => out.push_str(&show(f.unit, figure(lesson, i, taught, f))),
        }
    }
    wrap(&out, 74)
}

/// `text`'s paragraphs (split at blank lines) reflowed to lines of at
/// most `width` characters (a longer word stays whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut len = 0;
        for word in para.split_whitespace() {
            let n = word.chars().count();
            if len > 0 && len + 1 + n > width {
                out.push('\n');
                len = 0;
            } else if len > 0 {
                out.push(' ');
                len += 1;
            }
            out.push_str(word);
            len += n;
        }
    }
    out
}

/// The figures line of a step: `cold starts 18.2 % · p99 4,346 ms · ...`.
fn figures_line(lesson: &Lesson, i: usize, taught: &Taught) -> String {
    lesson
        .figures
        .iter()
        .map(|f| format!("{} {}", f.label, show(f.unit, figure(lesson, i, taught, f))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The overrides of a step as the command line would take them.
fn sets_line(sets: &[String]) -> String {
    if sets.is_empty() {
        "(the scenario as written)".into()
    } else {
        sets.iter()
            .map(|s| format!("--set {}", shell_word(s)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-=/:,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The closing table: a row per step, a column per figure.
fn table(lesson: &Lesson, taught: &[Taught]) -> String {
    let mut out = String::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["step".to_string()];
    header.extend(lesson.figures.iter().map(|f| f.label.to_string()));
    rows.push(header);
    for (i, t) in taught.iter().enumerate() {
        let mut row = vec![format!("{}. {}", i + 1, lesson.steps[i].name)];
        row.extend(
            lesson
                .figures
                .iter()
                .map(|f| show(f.unit, figure(lesson, i, t, f))),
        );
        rows.push(row);
    }
    let cols = rows[0].len();
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let w = width[c];
            if c == 0 {
                let _ = write!(line, "  {cell:<w$}");
            } else {
                let _ = write!(line, "  {cell:>w$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The lesson as printed in the terminal.
pub fn text(lesson: &Lesson, taught: &[Taught]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", lesson.title);
    let _ = writeln!(out, "{}", "=".repeat(lesson.title.chars().count()));
    let _ = writeln!(out, "{}\n", lesson.intro.trim());
    let n = lesson.steps.len();
    for (i, t) in taught.iter().enumerate() {
        let step = &lesson.steps[i];
        let _ = writeln!(out, "Step {} of {n}: {}", i + 1, step.title);
        let _ = writeln!(out, "  {}", sets_line(&step.sets));
        let _ = writeln!(out, "  measured: {}", figures_line(lesson, i, t));
        for line in filled(lesson, i, t).lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "The steps side by side:");
    out.push_str(&table(lesson, taught));
    if !lesson.outro.trim().is_empty() {
        let _ = writeln!(out, "\n{}", lesson.outro.trim());
    }
    out
}

/// The lesson as `lesson.md`: the same text, with links to each step's
/// report and the comparison chart.
pub fn markdown(lesson: &Lesson, taught: &[Taught]) -> String {
    let esc = crate::report::markdown_escape;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", esc(&lesson.title));
    let _ = writeln!(out, "{}\n", lesson.intro.trim());
    let _ = writeln!(
        out,
        "Every step runs `{}` with the overrides shown (`slsim run {} --set ...` gives the same \
         result).\n",
        lesson.scenario_file, lesson.scenario_file
    );
    let _ = writeln!(out, "![The steps compared](comparison.svg)\n");
    for (i, t) in taught.iter().enumerate() {
        let step = &lesson.steps[i];
        let dir = step_dir(lesson, i);
        let _ = writeln!(out, "## {}. {}\n", i + 1, esc(&step.title));
        let _ = writeln!(out, "`{}`\n", sets_line(&step.sets));
        let _ = writeln!(out, "Measured: {}\n", figures_line(lesson, i, t));
        let _ = writeln!(out, "{}\n", filled(lesson, i, t));
        let _ = writeln!(
            out,
            "The run: [{dir}/report.html]({dir}/report.html) ([summary.json]({dir}/summary.json))\n"
        );
    }
    let _ = writeln!(out, "## The steps side by side\n");
    let _ = write!(out, "| step |");
    for f in &lesson.figures {
        let _ = write!(out, " {} |", esc(f.label));
    }
    let _ = write!(out, "\n|---|");
    for _ in &lesson.figures {
        let _ = write!(out, "---:|");
    }
    out.push('\n');
    for (i, t) in taught.iter().enumerate() {
        let _ = write!(out, "| {}. {} |", i + 1, esc(&lesson.steps[i].title));
        for f in &lesson.figures {
            let _ = write!(out, " {} |", show(f.unit, figure(lesson, i, t, f)));
        }
        out.push('\n');
    }
    if !lesson.outro.trim().is_empty() {
        let _ = writeln!(out, "\n{}", lesson.outro.trim());
    }
    out
}

/// `lesson.json`: the topic, and for every step its directory, overrides
/// and the value of every figure it shows (as read from its summary;
/// `null` when undefined).
pub fn lesson_json(lesson: &Lesson, taught: &[Taught]) -> Vec<u8> {
    let steps: Vec<Value> = taught
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let step = &lesson.steps[i];
            let mut shown: Vec<&Figure> = lesson.figures.clone();
            shown.extend(lesson.chart.iter().copied());
            shown.extend(step.text.iter().filter_map(|p| match p {
                Piece::Figure(f) => Some(*f),
                Piece::Text(_) => None,
            }));
            let mut figs = Map::new();
            for f in shown {
                let v = figure(lesson, i, t, f);
                figs.insert(f.name.to_string(), number(f, v));
            }
            json!({
                "name": step.name,
                "title": step.title,
                "dir": step_dir(lesson, i),
                "set": step.sets,
                "figures": figs,
            })
        })
        .collect();
    let doc = json!({
        "topic": lesson.topic,
        "title": lesson.title,
        "scenario": lesson.scenario_file,
        "slsim_version": env!("CARGO_PKG_VERSION"),
        "steps": steps,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A figure's value in JSON: a whole count as an integer (as
/// `summary.json` writes counts), anything else as a float, `null` when
/// undefined.
fn number(f: &Figure, v: Option<f64>) -> Value {
    match v {
        Some(v) if f.unit == Unit::Count && v.fract() == 0.0 && v.abs() < 9.0e15 => {
            json!(v as i64)
        }
        Some(v) => json!(v),
        None => Value::Null,
    }
}

/// The comparison chart: a panel of bars per chart figure, a bar per step.
pub fn comparison_chart(lesson: &Lesson, taught: &[Taught]) -> BarChart {
    let panels = lesson
        .chart
        .iter()
        .map(|f| BarPanel {
            title: match f.unit {
                Unit::Count | Unit::Usd => f.label.to_string(),
                Unit::Percent => format!("{} [%]", f.label),
                Unit::Ms => format!("{} [ms]", f.label),
                Unit::Seconds => format!("{} [s]", f.label),
                Unit::PerSecond => format!("{} [req/s]", f.label),
            },
            bars: taught
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let v = figure(lesson, i, t, f);
                    Bar {
                        value: v.map(|v| {
                            if f.unit == Unit::Percent {
                                v * 100.0
                            } else {
                                v
                            }
                        }),
                        label: show(f.unit, v),
                    }
                })
                .collect(),
        })
        .collect();
    BarChart {
        title: format!("{}: the steps compared", lesson.title),
        categories: (0..taught.len())
            .map(|i| format!("{}. {}", i + 1, lesson.steps[i].name))
            .collect(),
        panels,
        notes: vec![format!(
            "slsim teach {}: each step is {} with its --set overrides",
            lesson.topic, lesson.scenario_file
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn paragraphs_are_reflowed() {
        assert_eq!(wrap("a b\nc  d\n\n\ne", 3), "a b\nc d\n\ne");
        assert_eq!(wrap("  longword x ", 4), "longword\nx");
        assert_eq!(wrap("", 10), "");
    }
}
