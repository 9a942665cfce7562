//! Lessons in the terminal (`slsim teach`), built from real simulations.
//!
//! Owns: lesson files (`scenarios/teaching/<topic>.lesson.toml`, beside the
//! scenario each one runs, embedded in the binary so that `slsim teach`
//! works from any directory), their validation (`lesson.rs`), the figures
//! a lesson shows (`figures.rs`: read from each step's summary as the run
//! wrote it, or predicted by theory), running the steps through the one
//! priced-run pipeline ([`crate::sim::run`]), and what a lesson prints and
//! writes (`render.rs`: the text, `lesson.md`, `lesson.json`, the
//! comparison chart).
//! Must not know: how a run works, how files are committed (`report`
//! writes them).
//!
//! A lesson is a scenario and steps: each step is that scenario with some
//! `--set` overrides (as `slsim run --set` takes them) and a short text
//! whose `{placeholders}` are filled from the step's measured result.
//!
//! ```
//! let topics = slsim::teach::topics();
//! assert!(topics.iter().any(|t| t.topic == "cold-starts"));
//! let lesson = slsim::teach::builtin("cold-starts").unwrap();
//! assert!(lesson.steps.len() >= 5);
//! ```

mod figures;
mod lesson;
mod render;

pub use figures::{Figure, Unit, FIGURES};
pub use lesson::{Lesson, Step, MAX_STEPS};
pub use render::{comparison_chart, lesson_json, markdown, text};

use crate::scenario::ScenarioError;
use crate::sim::{Provenance, RunResult, SimError};
use rayon::prelude::*;
use std::path::Path;

/// The lessons built into slsim: (topic, lesson file, scenario file name,
/// scenario text).
const BUILTIN: [(&str, &str, &str, &str); 3] = [
    (
        "cold-starts",
        include_str!("../../scenarios/teaching/cold-starts.lesson.toml"),
        "cold-starts.toml",
        include_str!("../../scenarios/teaching/cold-starts.toml"),
    ),
    (
        "throttling",
        include_str!("../../scenarios/teaching/throttling.lesson.toml"),
        "throttling.toml",
        include_str!("../../scenarios/teaching/throttling.toml"),
    ),
    (
        "scaling",
        include_str!("../../scenarios/teaching/scaling.lesson.toml"),
        "scaling.toml",
        include_str!("../../scenarios/teaching/scaling.toml"),
    ),
];

/// Where the built-in lessons live in the source tree (named in messages
/// and provenance).
pub const LESSONS_DIR: &str = "scenarios/teaching";

/// The suffix of a lesson file.
pub const LESSON_SUFFIX: &str = ".lesson.toml";

/// Why a lesson could not be given.
#[derive(Debug, thiserror::Error)]
pub enum TeachError {
    /// No lesson of that name.
    #[error("unknown topic {topic:?}\n  hint: the topics are: {}", topics.join(", "))]
    UnknownTopic {
        /// What was asked for.
        topic: String,
        /// The topics there are.
        topics: Vec<String>,
    },
    /// A lesson file is malformed.
    #[error("{file}: {field}: {message}\n  hint: {hint}")]
    Lesson {
        /// The lesson file.
        file: String,
        /// Where in it.
        field: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
    /// A step's scenario (the lesson's scenario with the step's overrides)
    /// is invalid.
    #[error("{file}: step {step:?}: its scenario is invalid:\n{source}")]
    Step {
        /// The lesson file.
        file: String,
        /// The step.
        step: String,
        /// The scenario's problems.
        source: Box<ScenarioError>,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A step's run failed.
    #[error("step {step:?}: {source}")]
    Run {
        /// The step.
        step: String,
        /// Why.
        source: SimError,
    },
    /// A step's run was stopped by a guard.
    #[error("step {step:?}: the run stopped early at simulated t = {at_s:.3} s: {reason}")]
    StoppedEarly {
        /// The step.
        step: String,
        /// When.
        at_s: f64,
        /// Why.
        reason: String,
    },
}

impl TeachError {
    /// Whether the error is bad input (a topic, a lesson file, a step's
    /// overrides), as opposed to a failed run.
    pub fn is_input(&self) -> bool {
        !matches!(
            self,
            TeachError::Run { .. } | TeachError::StoppedEarly { .. }
        )
    }
}

/// A topic in the list `slsim teach` prints.
#[derive(Clone, Debug)]
pub struct TopicInfo {
    /// The topic (`slsim teach TOPIC`).
    pub topic: String,
    /// The lesson's title.
    pub title: String,
    /// Its one-line summary.
    pub summary: String,
}

/// The built-in topics, in teaching order (a lesson that fails to load is
/// listed with its error as summary; the tests keep them valid).
pub fn topics() -> Vec<TopicInfo> {
    BUILTIN
        .iter()
        .map(|(topic, ..)| info(topic, builtin(topic)))
        .collect()
}

fn info(topic: &str, lesson: Result<Lesson, TeachError>) -> TopicInfo {
    match lesson {
        Ok(l) => TopicInfo {
            topic: topic.to_string(),
            title: l.title,
            summary: l.summary,
        },
        Err(e) => TopicInfo {
            topic: topic.to_string(),
            title: "(invalid lesson)".into(),
            summary: e.to_string().lines().next().unwrap_or_default().to_string(),
        },
    }
}

/// The built-in lesson `topic`.
pub fn builtin(topic: &str) -> Result<Lesson, TeachError> {
    let Some((_, text, scenario_name, scenario_text)) = BUILTIN.iter().find(|(t, ..)| *t == topic)
    else {
        return Err(TeachError::UnknownTopic {
            topic: topic.to_string(),
            topics: BUILTIN.iter().map(|(t, ..)| t.to_string()).collect(),
        });
    };
    let file = format!("{LESSONS_DIR}/{topic}{LESSON_SUFFIX}");
    let scenario = |name: &str| -> Result<(String, String), TeachError> {
        if name == *scenario_name {
            Ok((format!("{LESSONS_DIR}/{name}"), scenario_text.to_string()))
        } else {
            Err(TeachError::Lesson {
                file: file.clone(),
                field: "scenario".into(),
                message: format!("{name:?} is not a scenario built into slsim"),
                hint: format!(
                    "a built-in lesson runs {scenario_name:?}; to run another scenario, \
                     edit a copy and use --lessons DIR"
                ),
            })
        }
    };
    lesson::load(&lesson::Source {
        topic,
        file: &file,
        text,
        scenario: &scenario,
    })
}

/// The topics of the lesson files in `dir` (`*.lesson.toml`), sorted.
pub fn topics_in(dir: &Path) -> Result<Vec<TopicInfo>, TeachError> {
    Ok(names_in(dir)?
        .iter()
        .map(|t| info(t, from_dir(dir, t)))
        .collect())
}

fn names_in(dir: &Path) -> Result<Vec<String>, TeachError> {
    let io = |source| TeachError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(LESSON_SUFFIX))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// The lesson `topic` read from `dir` (`DIR/<topic>.lesson.toml` and the
/// scenario it names, relative to `DIR`): a teacher's edited copy.
pub fn from_dir(dir: &Path, topic: &str) -> Result<Lesson, TeachError> {
    let path = dir.join(format!("{topic}{LESSON_SUFFIX}"));
    if !path.is_file() {
        return Err(TeachError::UnknownTopic {
            topic: topic.to_string(),
            topics: names_in(dir)?,
        });
    }
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| TeachError::Io {
            path: p.display().to_string(),
            source,
        })
    };
    let text = read(&path)?;
    let scenario = |name: &str| -> Result<(String, String), TeachError> {
        let p = dir.join(name);
        Ok((p.display().to_string(), read(&p)?))
    };
    lesson::load(&lesson::Source {
        topic,
        file: &path.display().to_string(),
        text: &text,
        scenario: &scenario,
    })
}

/// A step as run: its result and its figures.
pub struct Taught {
    /// The step's run (its provenance names the scenario and overrides).
    pub result: RunResult,
    /// `summary.json` as a value (the figures are read from it).
    pub summary: serde_json::Value,
}

/// Runs every step of `lesson` (in parallel; the results in step order).
pub fn run(lesson: &Lesson) -> Result<Vec<Taught>, TeachError> {
    lesson
        .steps
        .par_iter()
        .with_max_len(1)
        .map(|step| run_step(lesson, step))
        .collect()
}

fn run_step(lesson: &Lesson, step: &Step) -> Result<Taught, TeachError> {
    let mut result = crate::sim::run(&step.scenario).map_err(|source| TeachError::Run {
        step: step.name.clone(),
        source,
    })?;
    if let Some(stop) = &result.stopped_early {
        return Err(TeachError::StoppedEarly {
            step: step.name.clone(),
            at_s: stop.at_s,
            reason: stop.reason.clone(),
        });
    }
    result.provenance = Provenance {
        slsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_path: lesson.scenario_file.clone(),
        scenario_sha256: lesson.scenario_sha256.clone(),
        overrides: step.sets.clone(),
    };
    // The figures are read from the summary as summary.json holds it.
    let summary = serde_json::to_value(&result).unwrap_or(serde_json::Value::Null);
    Ok(Taught { result, summary })
}

/// The value of figure `f` in step `i`.
pub fn figure(lesson: &Lesson, i: usize, taught: &Taught, f: &Figure) -> Option<f64> {
    figures::value(
        f,
        &lesson.steps[i].scenario,
        &lesson.subjects,
        &taught.summary,
    )
}

/// The name of step `i`'s directory: `NN-name`.
pub fn step_dir(lesson: &Lesson, i: usize) -> String {
    format!("{:02}-{}", i + 1, lesson.steps[i].name)
}
