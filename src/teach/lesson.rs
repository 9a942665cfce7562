//! A lesson file (`<topic>.lesson.toml`): its shape, and its validation
//! into a [`Lesson`] whose every step's scenario (the lesson's scenario
//! file with the step's `--set` overrides) is already parsed and checked,
//! and whose every placeholder names a figure the step can have.

use super::figures::{self, Figure, Subjects};
use super::TeachError;
use crate::model::Scenario;
use crate::scenario;
use serde::Deserialize;

/// The most steps a lesson may have (its directories are numbered with
/// two digits; a lesson people read is far shorter) \[A\].
pub const MAX_STEPS: usize = 20;

/// A lesson file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    title: String,
    summary: String,
    scenario: String,
    intro: String,
    figures: Vec<String>,
    chart: Vec<String>,
    #[serde(default)]
    outro: String,
    step: Vec<RawStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    name: String,
    title: String,
    #[serde(default)]
    set: Vec<String>,
    text: String,
}

/// A piece of a step's text: literal text or a figure.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Text as written (`{{` and `}}` already read as braces).
    Text(String),
    /// A `{name}` placeholder.
    Figure(&'static Figure),
}

/// One step: a run of the lesson's scenario with some overrides, and what
/// it shows.
#[derive(Clone, Debug)]
pub struct Step {
    /// Its name (a slug: its directory is `NN-name`).
    pub name: String,
    /// Its title, one line.
    pub title: String,
    /// The `--set PATH=VALUE` overrides applied to the scenario.
    pub sets: Vec<String>,
    /// The explanation, with its placeholders.
    pub text: Vec<Piece>,
    /// The scenario with the overrides, validated.
    pub scenario: Scenario,
}

/// A validated lesson.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The topic (the file's name without `.lesson.toml`).
    pub topic: String,
    /// The lesson file as named in messages.
    pub file: String,
    /// Its title.
    pub title: String,
    /// One line for the list of topics.
    pub summary: String,
    /// The scenario file as named in messages and provenance.
    pub scenario_file: String,
    /// SHA-256 of the scenario's text.
    pub scenario_sha256: String,
    /// The introduction.
    pub intro: String,
    /// The figures shown under each step and in the closing table.
    pub figures: Vec<&'static Figure>,
    /// The figures of the comparison chart, a panel each.
    pub chart: Vec<&'static Figure>,
    /// The closing text (no placeholders).
    pub outro: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Its workload, function, api and queue.
    pub subjects: Subjects,
}

/// Reads the scenario file a lesson names: (its name in messages, its
/// text).
pub type ReadScenario<'a> = &'a dyn Fn(&str) -> Result<(String, String), TeachError>;

/// What a lesson is read from: its file's text and its scenario's.
pub struct Source<'a> {
    /// The topic.
    pub topic: &'a str,
    /// The lesson file as named in messages.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Reads the scenario file the lesson names.
    pub scenario: ReadScenario<'a>,
}

/// Reads and validates a lesson.
pub fn load(src: &Source<'_>) -> Result<Lesson, TeachError> {
    let err = |field: &str, message: String, hint: &str| TeachError::Lesson {
        file: src.file.to_string(),
        field: field.to_string(),
        message,
        hint: hint.to_string(),
    };
    let raw: RawLesson = toml::from_str(src.text).map_err(|e| {
        let message = e.message().to_string();
        let at = e
            .span()
            .map(|s| {
                let line = src.text[..s.start.min(src.text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                format!("line {line}")
            })
            .unwrap_or_else(|| "the file".into());
        err(
            &at,
            message,
            "a lesson has title, summary, scenario, intro, figures, chart, an optional \
             outro, and [[step]] tables with name, title, set and text (docs/teaching.md)",
        )
    })?;
    for (field, value) in [
        ("title", &raw.title),
        ("summary", &raw.summary),
        ("scenario", &raw.scenario),
        ("intro", &raw.intro),
    ] {
        if value.trim().is_empty() {
            return Err(err(field, "is empty".into(), "write it"));
        }
    }
    if raw.step.is_empty() || raw.step.len() > MAX_STEPS {
        return Err(err(
            "step",
            format!("has {} steps", raw.step.len()),
            &format!("a lesson has 1 to {MAX_STEPS} [[step]] tables"),
        ));
    }
    let (scenario_file, scenario_text) = (src.scenario)(&raw.scenario)?;
    let named = |field: &str, names: &[String]| -> Result<Vec<&'static Figure>, TeachError> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| figure(n).map_err(|(m, h)| err(&format!("{field}[{i}]"), m, &h)))
            .collect()
    };
    let figures = named("figures", &raw.figures)?;
    let chart = named("chart", &raw.chart)?;
    if figures.is_empty() || chart.is_empty() {
        return Err(err(
            if figures.is_empty() {
                "figures"
            } else {
                "chart"
            },
            "is empty".into(),
            "name at least one figure, e.g. [\"cold_start_ratio\", \"p99_ms\"]",
        ));
    }
    for (field, text) in [("intro", &raw.intro), ("outro", &raw.outro)] {
        let pieces = pieces(text).map_err(|(m, h)| err(field, m, &h))?;
        if pieces.iter().any(|p| matches!(p, Piece::Figure(_))) {
            return Err(err(
                field,
                "holds a {placeholder}".into(),
                "only a step's text shows figures (write {{ for a brace)",
            ));
        }
    }
    let mut steps: Vec<Step> = Vec::with_capacity(raw.step.len());
    let mut subjects: Option<Subjects> = None;
    for (i, rs) in raw.step.into_iter().enumerate() {
        let field = |f: &str| format!("step[{i}] \"{}\" .{f}", rs.name);
        if !slug(&rs.name) {
            return Err(err(
                &format!("step[{i}].name"),
                format!("{:?} is not a name a directory can take", rs.name),
                "use lowercase letters, digits and -, starting with a letter (e.g. low-traffic)",
            ));
        }
        if steps.iter().any(|s| s.name == rs.name) {
            return Err(err(
                &field("name"),
                "is the name of an earlier step".into(),
                "give each step its own name",
            ));
        }
        if rs.title.trim().is_empty() || rs.title.contains('\n') {
            return Err(err(
                &field("title"),
                "must be one line of text".into(),
                "write it",
            ));
        }
        let text = pieces(&rs.text).map_err(|(m, h)| err(&field("text"), m, &h))?;
        let scenario =
            scenario::parse_str(&scenario_text, &scenario_file, &rs.set).map_err(|source| {
                TeachError::Step {
                    file: src.file.to_string(),
                    step: rs.name.clone(),
                    source: Box::new(source),
                }
            })?;
        let who = Subjects::of(&scenario).map_err(|missing| {
            err(
                "scenario",
                format!("{scenario_file} has no {missing}"),
                "a lesson's scenario has a workload and a function (the first of each is the lesson's)",
            )
        })?;
        let used = text
            .iter()
            .filter_map(|p| match p {
                Piece::Figure(f) => Some(*f),
                Piece::Text(_) => None,
            })
            .chain(figures.iter().copied())
            .chain(chart.iter().copied());
        for f in used {
            who.check(&scenario, f.needs).map_err(|missing| {
                err(
                    &field("text"),
                    format!("{{{}}} needs {missing} in the step's scenario", f.name),
                    "change the step's set, or show another figure",
                )
            })?;
        }
        subjects.get_or_insert(who);
        steps.push(Step {
            name: rs.name,
            title: rs.title,
            sets: rs.set,
            text,
            scenario,
        });
    }
    Ok(Lesson {
        topic: src.topic.to_string(),
        file: src.file.to_string(),
        title: raw.title,
        summary: raw.summary.trim().to_string(),
        scenario_sha256: crate::report::sha256_hex(scenario_text.as_bytes()),
        scenario_file,
        intro: raw.intro,
        figures,
        chart,
        outro: raw.outro,
        steps,
        subjects: subjects.expect("at least one step"),
    })
}

/// A slug: a lowercase letter, then lowercase letters, digits and `-`.
fn slug(name: &str) -> bool {
    name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The figure `name`, or a message and a hint.
fn figure(name: &str) -> Result<&'static Figure, (String, String)> {
    figures::find(name).ok_or_else(|| {
        let hint = match figures::closest(name) {
            Some(c) => format!("did you mean {c:?}? (`slsim teach --help` lists the figures)"),
            None => format!(
                "a figure is one of: {}",
                figures::FIGURES.map(|f| f.name).join(", ")
            ),
        };
        (format!("unknown figure {name:?}"), hint)
    })
}

/// `text` split into literal text and `{name}` placeholders; `{{` and
/// `}}` are braces.
pub fn pieces(text: &str) -> Result<Vec<Piece>, (String, String)> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        lit.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let brace = rest.as_bytes()[i];
        if after.as_bytes().first() == Some(&brace) {
            lit.push(brace as char);
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err((
                "a } closes no placeholder".into(),
                "write }} for a brace".into(),
            ));
        }
        let Some(end) = after.find('}') else {
            return Err((
                "a { opens a placeholder that is not closed".into(),
                "write {name} for a figure, {{ for a brace".into(),
            ));
        };
        let name = &after[..end];
        let f = figure(name).map_err(|(m, h)| (format!("{{{name}}}: {m}"), h))?;
        if !lit.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut lit)));
        }
        out.push(Piece::Figure(f));
        rest = &after[end + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Piece::Text(lit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_braces() {
        let p = pieces("a {p99_ms} b {{x}} c").unwrap();
        assert!(matches!(&p[0], Piece::Text(t) if t == "a "));
        assert!(matches!(&p[1], Piece::Figure(f) if f.name == "p99_ms"));
        assert!(matches!(&p[2], Piece::Text(t) if t == " b {x} c"));
        assert!(pieces("{p99}").unwrap_err().1.contains("p99_ms"));
        assert!(pieces("a { b").is_err());
        assert!(pieces("a } b").is_err());
    }

    #[test]
    fn step_names_are_slugs() {
        assert!(slug("low-traffic") && slug("pc10"));
        assert!(!slug("Low") && !slug("1x") && !slug("a b") && !slug(""));
    }
}
