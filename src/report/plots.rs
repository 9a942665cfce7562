//! `plots/`: the charts of a run ([`crate::plot::run_charts`]), each as
//! `NN-what[-component].svg` and `.png`, rendered in parallel (rayon), then
//! written through the staging directory with the other result files, so
//! that they are committed (or not) with them.
//!
//! Speed: drawing a chart takes a few milliseconds; writing it is
//! dominated by its fsync (about 4 ms each here), so the files are written
//! and fsynced by several threads at once (IO, not CPU: more threads than
//! cores), while the CSV files are written on another.

use super::atomic::Staging;
use super::{Deadline, Files, ReportError};
use crate::plot::{run_charts, NamedChart, Size};
use crate::sim::RunResult;
use rayon::prelude::*;
use std::path::Path;

/// Threads writing and fsyncing plot files at once.
const WRITERS: usize = 8;

/// The subdirectory of the output directory holding the plots.
pub const PLOTS_DIR: &str = "plots";

/// One rendered file: its path relative to the output directory
/// (`plots/NN-....svg`) and its bytes.
pub(super) struct PlotFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Renders every chart of `result` and writes it in `plots/` of the
/// staging directory (`dir` is the output directory, for messages);
/// returns the files' digests in name order (empty without charts: then
/// there is no `plots/`).
pub(super) fn write(
    result: &RunResult,
    staging: &Staging<'_>,
    dir: &Path,
    deadline: &Deadline<'_>,
) -> Result<Files, ReportError> {
    write_charts(&run_charts(result), staging, dir, deadline)
}

/// Renders `charts` and writes each as `plots/<name>.svg` and `.png` in
/// the staging directory (for a run's charts or a sweep's); returns the
/// files' digests in name order (empty without charts: then there is no
/// `plots/`).
pub(super) fn write_charts(
    charts: &[NamedChart],
    staging: &Staging<'_>,
    dir: &Path,
    deadline: &Deadline<'_>,
) -> Result<Files, ReportError> {
    let plots = render(charts)?;
    let mut files = Files::new();
    if plots.is_empty() {
        return Ok(files);
    }
    deadline.check()?;
    staging.create_dir(PLOTS_DIR, &dir.join(PLOTS_DIR))?;
    let per = plots.len().div_ceil(WRITERS);
    let digests = std::thread::scope(|scope| {
        let handles: Vec<_> = plots
            .chunks(per)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|plot| {
                            deadline.check()?;
                            staging.write_bytes(&plot.name, &dir.join(&plot.name), &plot.bytes)
                        })
                        .collect::<Result<Vec<_>, ReportError>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Result<Vec<_>, ReportError>>()
    })?;
    for (plot, digest) in plots.iter().zip(digests.into_iter().flatten()) {
        files.insert(plot.name.clone(), digest);
    }
    Ok(files)
}

/// Renders every chart as SVG and PNG, in file-name order.
fn render(charts: &[NamedChart]) -> Result<Vec<PlotFile>, ReportError> {
    let jobs: Vec<(usize, bool)> = (0..charts.len())
        .flat_map(|i| [(i, true), (i, false)])
        .collect();
    jobs.par_iter()
        .map(|&(i, svg)| {
            let c = &charts[i];
            let (ext, bytes) = if svg {
                ("svg", c.chart.svg(Size::DEFAULT)?.into_bytes())
            } else {
                ("png", c.chart.png(Size::DEFAULT)?)
            };
            Ok(PlotFile {
                name: format!("{PLOTS_DIR}/{}.{ext}", c.name),
                bytes,
            })
        })
        .collect()
}

/// Whether `name` is a file slsim writes in `plots/`: a numbered chart
/// (`01-latency-cdf.svg`), lower-case ASCII letters, digits and `-`, as
/// SVG or PNG.
pub(super) fn is_plot_file(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".svg")
        .or_else(|| name.strip_suffix(".png"))
    else {
        return false;
    };
    stem.starts_with(|c: char| c.is_ascii_digit())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::is_plot_file;

    #[test]
    fn only_numbered_svg_and_png_charts_are_plot_files() {
        for n in ["01-latency-cdf.svg", "12-capacity-todos.png", "100-x.svg"] {
            assert!(is_plot_file(n), "{n}");
        }
        for n in [
            "notes.txt",
            "latency.svg",
            "01-A.svg",
            "01-x.svg.bak",
            ".01-x.svg",
            "01-x.jpg",
        ] {
            assert!(!is_plot_file(n), "{n}");
        }
    }
}
