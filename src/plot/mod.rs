//! Charts as SVG and PNG: line charts (with confidence bands, limits and
//! log axes), latency CDFs, heatmaps, the Power Tuning chart, Gantt
//! charts of execution environments and bar charts (categories compared
//! on several measures); and the charts of one run.
//!
//! Owns: chart descriptions (plain data, [`Chart`]), their rendering to an
//! SVG document and a PNG image from the same drawing code
//! ([`Chart::render`]), the embedded font, and which charts a
//! [`RunResult`](crate::sim::RunResult) gets ([`run_charts`]).
//! Must not know: files and directories (`report` writes what this
//! renders), how a run was simulated.
//!
//! Invariants:
//! * text renders without system fonts: PNG text is drawn from the
//!   embedded DejaVu Sans; SVG text is `<text>` naming that family with
//!   generic fallbacks;
//! * deterministic: the same description and size give byte-identical SVG
//!   and PNG;
//! * no NaN or infinity reaches plotters: an undefined value is a gap.
//!
//! A chart is a description; rendering it gives an SVG document and a PNG
//! image:
//!
//! ```
//! use slsim::plot::{Axis, Chart, Limit, Line, LineChart, Size};
//!
//! let mut chart = LineChart::new(
//!     "p99 latency against load",
//!     Axis::linear("load [requests/s]"),
//!     Axis::linear("p99 [ms]"),
//! );
//! // Mean and 95 % confidence interval per load; no value at 40 (a gap).
//! chart.lines.push(Line::with_band(
//!     "512 MB",
//!     [(10.0, Some(80.0), Some((75.0, 85.0))), (20.0, Some(120.0), Some((110.0, 130.0))),
//!      (40.0, None, None), (80.0, Some(290.0), Some((270.0, 310.0)))],
//! ));
//! chart.limits.push(Limit::new("SLO 300 ms", 300.0));
//! let drawn = Chart::from(chart).render(Size::DEFAULT).unwrap();
//! assert!(drawn.svg.starts_with("<svg") && drawn.svg.contains("<title>p99 latency against load</title>"));
//! assert_eq!(&drawn.png[1..4], b"PNG");
//! ```

mod axes;
mod bars;
mod cdf;
mod font;
mod frame;
mod gantt;
mod heatmap;
mod line;
mod power;
mod render;
mod run;
mod scale;
mod style;
mod timeline;

pub use bars::{Bar, BarChart, BarPanel};
pub use cdf::{cdf, Curve};
pub use gantt::{Gantt, GanttRow, Phase, RowEnd, Span};
pub use heatmap::{CellMark, Heatmap};
pub use line::{Limit, Line, LineChart, Marker, Point, Reach, Role, REACH};
pub use power::{Estimate, Picks, PowerPoint, PowerTuning};
pub use render::{PlotError, Rendered, Size};
pub use run::{run_charts, NamedChart};
pub use scale::{Axis, Scale};
pub use style::Colour;

use render::Draw;

/// A chart of any kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Series against an x axis (time series, CDFs, sweep curves).
    Line(LineChart),
    /// Two parameters to a value, with a colour scale.
    Heatmap(Heatmap),
    /// Duration and cost per invocation against memory.
    PowerTuning(PowerTuning),
    /// Items' phases in time, one row each (execution environments).
    Gantt(Gantt),
    /// Categories compared on several measures, a panel of bars each.
    Bars(BarChart),
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Line(c) => c.title(),
            Chart::Heatmap(c) => c.title(),
            Chart::PowerTuning(c) => c.title(),
            Chart::Gantt(c) => c.title(),
            Chart::Bars(c) => c.title(),
        }
    }

    /// The chart as an SVG document (with a `<title>`; no XML declaration,
    /// so that it can be inlined in HTML).
    pub fn svg(&self, size: Size) -> Result<String, PlotError> {
        match self {
            Chart::Line(c) => render::svg(c, size),
            Chart::Heatmap(c) => render::svg(c, size),
            Chart::PowerTuning(c) => render::svg(c, size),
            Chart::Gantt(c) => render::svg(c, size),
            Chart::Bars(c) => render::svg(c, size),
        }
    }

    /// The chart as a PNG image of `size` pixels.
    pub fn png(&self, size: Size) -> Result<Vec<u8>, PlotError> {
        match self {
            Chart::Line(c) => render::png(c, size),
            Chart::Heatmap(c) => render::png(c, size),
            Chart::PowerTuning(c) => render::png(c, size),
            Chart::Gantt(c) => render::png(c, size),
            Chart::Bars(c) => render::png(c, size),
        }
    }

    /// Both.
    pub fn render(&self, size: Size) -> Result<Rendered, PlotError> {
        Ok(Rendered {
            svg: self.svg(size)?,
            png: self.png(size)?,
        })
    }
}

impl From<LineChart> for Chart {
    fn from(c: LineChart) -> Chart {
        Chart::Line(c)
    }
}

impl From<Heatmap> for Chart {
    fn from(c: Heatmap) -> Chart {
        Chart::Heatmap(c)
    }
}

impl From<PowerTuning> for Chart {
    fn from(c: PowerTuning) -> Chart {
        Chart::PowerTuning(c)
    }
}

impl From<Gantt> for Chart {
    fn from(c: Gantt) -> Chart {
        Chart::Gantt(c)
    }
}

impl From<BarChart> for Chart {
    fn from(c: BarChart) -> Chart {
        Chart::Bars(c)
    }
}
