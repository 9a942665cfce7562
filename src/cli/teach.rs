//! `slsim teach [TOPIC]`: a lesson built from real runs; without a topic,
//! the list of topics.

use super::{emit, Failure};
use crate::report::{self, LessonStep};
use crate::teach::{self, Lesson, TeachError, TopicInfo};
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

/// Arguments of `slsim teach`.
#[derive(Debug, Args)]
#[command(after_help = figures_help())]
pub(super) struct TeachArgs {
    /// The topic, e.g. `cold-starts`; without one, list the topics.
    #[arg(value_name = "TOPIC")]
    topic: Option<String>,
    /// Output directory [default: output/teach/<topic>/]: a result
    /// directory per step, the comparison chart, lesson.md and
    /// lesson.json. It is replaced as a whole, so it must be new or hold
    /// only slsim's results.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Read the lessons from DIR (`<topic>.lesson.toml` and the scenario
    /// each names) instead of the built-in ones: e.g. a teacher's edited
    /// copy of scenarios/teaching.
    #[arg(long, value_name = "DIR")]
    lessons: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
}

/// The figures a lesson may name, for `--help`.
fn figures_help() -> String {
    let mut s = String::from("Figures a lesson may show as {name} (docs/teaching.md):\n");
    for f in teach::FIGURES {
        let _ = writeln!(s, "  {:<27} {}", f.name, f.about);
    }
    s
}

fn input(e: TeachError) -> Failure {
    if e.is_input() {
        Failure::input(e)
    } else {
        Failure::runtime(e)
    }
}

fn list(topics: &[TopicInfo]) -> String {
    let mut s =
        String::from("Lessons built from real simulations. Run one with `slsim teach TOPIC`:\n\n");
    let width = topics.iter().map(|t| t.topic.len()).max().unwrap_or(0);
    for t in topics {
        let _ = writeln!(s, "  {:<width$}  {}: {}", t.topic, t.title, t.summary);
    }
    s
}

/// Lists the topics, or gives the lesson.
pub(super) fn teach(args: TeachArgs) -> Result<(), Failure> {
    let Some(topic) = args.topic else {
        let topics = match &args.lessons {
            Some(dir) => teach::topics_in(dir).map_err(input)?,
            None => teach::topics(),
        };
        return emit(&list(&topics));
    };
    let lesson = match &args.lessons {
        Some(dir) => teach::from_dir(dir, &topic),
        None => teach::builtin(&topic),
    }
    .map_err(input)?;
    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join("teach").join(&topic));
    report::check_out_dir(&dir).map_err(Failure::input)?;
    super::signals::install().map_err(|e| {
        Failure::runtime(anyhow::Error::new(e).context("cannot install the SIGINT handler"))
    })?;
    let taught = teach::run(&lesson).map_err(input)?;
    write(&lesson, &taught, &dir)?;
    if !args.quiet {
        let mut text = teach::text(&lesson, &taught);
        let _ = writeln!(
            text,
            "\nwrote {}: a result directory per step (summary, charts, report), \
             comparison.svg and .png, lesson.md, lesson.json",
            dir.display()
        );
        emit(&text)?;
    }
    Ok(())
}

fn write(lesson: &Lesson, taught: &[teach::Taught], dir: &std::path::Path) -> Result<(), Failure> {
    let chart = crate::plot::Chart::from(teach::comparison_chart(lesson, taught));
    let drawn = chart
        .render(crate::plot::Size {
            width: 900,
            height: 120 + 42 * taught.len() as u32,
        })
        .map_err(Failure::runtime)?;
    let md = teach::markdown(lesson, taught);
    let json = teach::lesson_json(lesson, taught);
    let dirs: Vec<String> = (0..taught.len())
        .map(|i| teach::step_dir(lesson, i))
        .collect();
    let svgs: Vec<String> = lesson
        .steps
        .iter()
        .map(|s| crate::topology::to_svg(&s.scenario))
        .collect();
    let steps: Vec<LessonStep> = taught
        .iter()
        .enumerate()
        .map(|(i, t)| LessonStep {
            dir: &dirs[i],
            result: &t.result,
            topology_svg: Some(&svgs[i]),
        })
        .collect();
    let files: [(&'static str, &[u8]); 4] = [
        ("lesson.md", md.as_bytes()),
        ("lesson.json", &json),
        ("comparison.svg", drawn.svg.as_bytes()),
        ("comparison.png", &drawn.png),
    ];
    report::write_lesson(dir, &steps, &files).map_err(Failure::runtime)?;
    Ok(())
}
