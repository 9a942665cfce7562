//! The line chart: several series against one x axis, each with an
//! optional confidence band; limits (a reserved concurrency, a provisioned
//! capacity) as dashed horizontal lines or dashed series; vertical markers
//! (the end of the warm-up); linear or log axes.
//!
//! Undefined points (`y = None`, or a value the axis cannot show) are gaps:
//! the line stops and starts again. A limit is drawn and the y axis
//! reaches it, except a [`Reach::Near`] limit (a distant, shared one such
//! as the account's concurrency) more than [`REACH`] times the data's
//! peak: it would squash the data into the bottom of the chart, so it is
//! named in a note under the chart instead.

use super::axes::{axes, Pen};
use super::frame::{self, Entry, Swatch};
use super::render::{Draw, DrawFailed};
use super::scale::{number, Axis, Layout};
use super::style::{self, Colour};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A [`Reach::Near`] limit is drawn when it is at most this many times
/// the data's peak.
pub const REACH: f64 = 10.0;

/// Whether a limit far above the data is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reach {
    /// Always: the chart is about it (a reserved concurrency, a
    /// provisioned capacity, an SLO).
    #[default]
    Always,
    /// Only within [`REACH`] times the data's peak; else named in a note.
    Near,
}

/// One point of a series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Position on the x axis.
    pub x: f64,
    /// Value; `None` when undefined (a gap).
    pub y: Option<f64>,
    /// Confidence band around the value (low, high), if any.
    pub band: Option<(f64, f64)>,
}

/// What a series is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Role {
    /// Measured data: a solid line.
    #[default]
    Data,
    /// A limit that changes over time (a provisioned capacity under auto
    /// scaling): a dashed line.
    Limit(Reach),
}

/// One series.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Legend label.
    pub label: String,
    /// Points, in x order.
    pub points: Vec<Point>,
    /// Colour; `None` takes the palette's next.
    pub colour: Option<Colour>,
    /// Data or limit.
    pub role: Role,
    /// Draw a dot at every point (for series of few points).
    pub markers: bool,
}

impl Line {
    /// A data series from (x, y) pairs.
    pub fn new(
        label: impl Into<String>,
        points: impl IntoIterator<Item = (f64, Option<f64>)>,
    ) -> Line {
        Line {
            label: label.into(),
            points: points
                .into_iter()
                .map(|(x, y)| Point { x, y, band: None })
                .collect(),
            colour: None,
            role: Role::Data,
            markers: false,
        }
    }

    /// A data series with a confidence band: (x, mean, low, high).
    pub fn with_band(
        label: impl Into<String>,
        points: impl IntoIterator<Item = (f64, Option<f64>, Option<(f64, f64)>)>,
    ) -> Line {
        Line {
            label: label.into(),
            points: points
                .into_iter()
                .map(|(x, y, band)| Point { x, y, band })
                .collect(),
            colour: None,
            role: Role::Data,
            markers: false,
        }
    }

    /// This series in colour `c`.
    pub fn colour(mut self, c: Colour) -> Line {
        self.colour = Some(c);
        self
    }

    /// This series as a limit (dashed), always drawn.
    pub fn limit(mut self) -> Line {
        self.role = Role::Limit(Reach::Always);
        self
    }

    /// This series as a limit (dashed), drawn only near the data.
    pub fn limit_near(mut self) -> Line {
        self.role = Role::Limit(Reach::Near);
        self
    }

    /// With a dot at every point.
    pub fn markers(mut self) -> Line {
        self.markers = true;
        self
    }
}

/// A constant limit: a dashed horizontal line across the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// Legend label, e.g. `account concurrency 1000`.
    pub label: String,
    /// Its value.
    pub value: f64,
    /// Colour; `None` is [`Colour::LIMIT`].
    pub colour: Option<Colour>,
    /// Whether it is drawn when far above the data.
    pub reach: Reach,
}

impl Limit {
    /// A limit always drawn, in the limit colour.
    pub fn new(label: impl Into<String>, value: f64) -> Limit {
        Limit {
            label: label.into(),
            value,
            colour: None,
            reach: Reach::Always,
        }
    }
}

/// A vertical marker line with a short label at its top.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The label, e.g. `warm-up end`.
    pub label: String,
    /// Position on the x axis.
    pub x: f64,
}

/// A line chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    /// Title (also the SVG's `<title>`).
    pub title: String,
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// Whether a linear y axis starts at 0 when no value is negative.
    pub y_from_zero: bool,
    /// The series, drawn in order (legend in the same order).
    pub lines: Vec<Line>,
    /// Constant limits.
    pub limits: Vec<Limit>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
    /// Lines of text under the chart (at most three are shown).
    pub notes: Vec<String>,
    /// Categories of the x axis, left to right (e.g. a sweep's values that
    /// are not numbers): when not empty, category `i` spans `i..i+1` and
    /// its points are at `x = i + 0.5`; the x scale is not used.
    pub x_categories: Vec<String>,
    /// Ticks of a numeric x axis at the points' x values (a sweep's few
    /// values) instead of round numbers.
    pub x_ticks_at_data: bool,
}

impl LineChart {
    /// An empty chart with a title and axes; y starts at zero.
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> LineChart {
        LineChart {
            title: title.into(),
            x,
            y,
            y_from_zero: true,
            ..LineChart::default()
        }
    }

    /// Whether any series has a value to show.
    pub fn has_data(&self) -> bool {
        self.lines.iter().any(|l| {
            l.role == Role::Data && l.points.iter().any(|p| p.y.is_some_and(f64::is_finite))
        })
    }

    fn colour_of(&self, i: usize) -> Colour {
        self.lines[i].colour.unwrap_or_else(|| Colour::series(i))
    }

    /// The axes' layouts and the notes about limits left out.
    fn layout(&self) -> (Layout, Layout, Vec<bool>, Vec<bool>, Vec<String>) {
        let xs = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.x));
        let x = if !self.x_categories.is_empty() {
            Layout::categories(&self.x_categories)
        } else if self.x_ticks_at_data {
            let xs: Vec<f64> = xs.collect();
            let auto = Layout::fit(self.x.scale, xs.iter().copied(), false);
            Layout::with_ticks(self.x.scale, &xs, auto.lo, auto.hi)
        } else {
            Layout::fit(self.x.scale, xs, false)
        };
        let data = self.lines.iter().filter(|l| l.role == Role::Data);
        let values: Vec<f64> = data
            .flat_map(|l| {
                l.points
                    .iter()
                    .filter(|p| x.to_plot(p.x).is_some())
                    .flat_map(|p| {
                        p.y.into_iter()
                            .chain(p.band.into_iter().flat_map(|(lo, hi)| [lo, hi]))
                    })
            })
            .filter(|v| v.is_finite())
            .collect();
        let peak = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let reach = |v: f64, r: Reach| r == Reach::Always || (peak > 0.0 && v <= peak * REACH);
        let mut notes = Vec::new();
        let mut all = values;
        let limit_shown: Vec<bool> = self
            .limits
            .iter()
            .map(|l| {
                let shown = l.value.is_finite() && reach(l.value, l.reach);
                if shown {
                    all.push(l.value);
                } else if l.value.is_finite() {
                    notes.push(format!("{} is above the chart", l.label));
                }
                shown
            })
            .collect();
        let line_shown: Vec<bool> = self
            .lines
            .iter()
            .map(|l| {
                let Role::Limit(r) = l.role else {
                    return true;
                };
                let vs = l
                    .points
                    .iter()
                    .filter_map(|p| p.y)
                    .filter(|v| v.is_finite());
                let (min, max) = vs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
                if min > max {
                    return false;
                }
                let shown = reach(min, r);
                if shown {
                    all.extend([min, max]);
                } else {
                    notes.push(format!(
                        "{} ({}) is above the chart",
                        l.label,
                        if min == max {
                            number(min, 0.0)
                        } else {
                            format!("{} to {}", number(min, 0.0), number(max, 0.0))
                        }
                    ));
                }
                shown
            })
            .collect();
        let y = Layout::fit(self.y.scale, all, self.y_from_zero);
        (x, y, limit_shown, line_shown, notes)
    }
}

impl Draw for LineChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster: bool,
    ) -> Result<(), DrawFailed> {
        let (x, y, limit_shown, line_shown, limit_notes) = self.layout();
        let mut legend = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            if !line_shown[i] {
                continue;
            }
            let swatch = match l.role {
                Role::Limit(_) => Swatch::Dashed,
                Role::Data if l.points.iter().any(|p| p.band.is_some()) => Swatch::Band,
                Role::Data => Swatch::Line,
            };
            legend.push(Entry {
                label: l.label.clone(),
                colour: self.colour_of(i),
                swatch,
            });
        }
        for (l, _) in self.limits.iter().zip(&limit_shown).filter(|(_, s)| **s) {
            legend.push(Entry {
                label: l.label.clone(),
                colour: l.colour.unwrap_or(Colour::LIMIT),
                swatch: Swatch::Dashed,
            });
        }
        let notes: Vec<String> = self.notes.iter().cloned().chain(limit_notes).collect();
        let area = frame::draw(root, &self.title, &legend, &notes)?;
        // Room above the plot for the markers' labels.
        let top = if self.markers.is_empty() { 8 } else { 24 };
        let mut chart = axes(&area, &x, &y, &self.x.label, &self.y.label, top)?;
        let columns = area.dim_in_pixel().0 as usize;
        let pen = Pen::new(raster, &x, &y, chart.plotting_area().dim_in_pixel());

        // Bands first, under every line.
        for (i, l) in self.lines.iter().enumerate() {
            let c = self.colour_of(i).rgb();
            for run in runs(&l.points, |p| {
                let (lo, hi) = p.band?;
                Some((x.to_plot(p.x)?, (y.to_plot(lo)?, y.to_plot(hi)?)))
            }) {
                let mut poly: Vec<(f64, f64)> = run.iter().map(|&(px, (lo, _))| (px, lo)).collect();
                poly.extend(run.iter().rev().map(|&(px, (_, hi))| (px, hi)));
                chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.18).filled())))?;
            }
        }
        for (l, _) in self.limits.iter().zip(&limit_shown).filter(|(_, s)| **s) {
            let Some(v) = y.to_plot(l.value) else {
                continue;
            };
            let c = l.colour.unwrap_or(Colour::LIMIT).rgb();
            for dashes in pen.dashed(&[(x.lo, v), (x.hi, v)], c, 8, 5) {
                chart.draw_series(dashes)?;
            }
        }
        for (i, l) in self.lines.iter().enumerate() {
            if !line_shown[i] {
                continue;
            }
            let c = self.colour_of(i).rgb();
            for run in runs(&l.points, |p| Some((x.to_plot(p.x)?, y.to_plot(p.y?)?))) {
                let run = decimate(run, columns);
                if l.role != Role::Data {
                    for dashes in pen.dashed(&run, c, 8, 5) {
                        chart.draw_series(dashes)?;
                    }
                } else if run.len() == 1 || l.markers {
                    chart.draw_series(run.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
                }
                if l.role == Role::Data && run.len() > 1 {
                    chart.draw_series(pen.solid(&run, c))?;
                }
            }
        }
        let marker_style = style::text(style::NOTE).color(&style::AXIS);
        for m in &self.markers {
            let Some(px) = x.to_plot(m.x).filter(|p| *p >= x.lo && *p <= x.hi) else {
                continue;
            };
            chart.draw_series(DashedLineSeries::new(
                vec![(px, y.lo), (px, y.hi)],
                4,
                4,
                style::AXIS.stroke_width(1),
            ))?;
            let (cx, cy) = chart.backend_coord(&(px, y.hi));
            // Near an end of the axis the label starts (or ends) at the
            // line, so that it stays over the plot.
            let at = (px - x.lo) / (x.hi - x.lo);
            let (h, shift) = if at < 0.15 {
                (HPos::Left, -2)
            } else if at > 0.85 {
                (HPos::Right, 2)
            } else {
                (HPos::Center, 0)
            };
            area.draw_text(
                &m.label,
                &marker_style.pos(Pos::new(h, VPos::Bottom)),
                (
                    cx - area.get_base_pixel().0 + shift,
                    cy - area.get_base_pixel().1 - 3,
                ),
            )?;
        }
        Ok(())
    }
}

/// The maximal runs of consecutive points `f` maps (a point it does not map
/// ends a run: a gap).
pub(crate) fn runs<T, U>(points: &[T], f: impl Fn(&T) -> Option<U>) -> Vec<Vec<U>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for p in points {
        match f(p) {
            Some(u) => current.push(u),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// At most about two points per pixel column: a longer run is cut into
/// `columns` groups, each kept as its lowest and highest point (in x
/// order), so peaks survive.
pub(crate) fn decimate(run: Vec<(f64, f64)>, columns: usize) -> Vec<(f64, f64)> {
    let columns = columns.max(2);
    if run.len() <= 2 * columns {
        return run;
    }
    let per = run.len().div_ceil(columns);
    let mut out = Vec::with_capacity(2 * columns + 1);
    for group in run.chunks(per) {
        let lo = group
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
        let hi = group
            .iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
        if let (Some((i, &a)), Some((j, &b))) = (lo, hi) {
            match i.cmp(&j) {
                std::cmp::Ordering::Less => out.extend([a, b]),
                std::cmp::Ordering::Greater => out.extend([b, a]),
                std::cmp::Ordering::Equal => out.push(a),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_points_split_a_series_into_runs() {
        let pts = [Some(1), None, Some(2), Some(3), None, None, Some(4)];
        let r = runs(&pts, |p| *p);
        assert_eq!(r, vec![vec![1], vec![2, 3], vec![4]]);
        assert!(runs(&[None::<u8>], |p| *p).is_empty());
    }

    #[test]
    fn decimation_keeps_the_peaks() {
        let run: Vec<(f64, f64)> = (0..10_000)
            .map(|i| {
                (
                    f64::from(i),
                    if i == 5_003 { 100.0 } else { f64::from(i % 7) },
                )
            })
            .collect();
        let d = decimate(run.clone(), 500);
        assert!(d.len() <= 1_001, "{}", d.len());
        assert!(d.contains(&(5_003.0, 100.0)));
        assert!(d.windows(2).all(|w| w[0].0 < w[1].0), "x order kept");
        assert_eq!(decimate(run[..50].to_vec(), 500).len(), 50);
    }

    #[test]
    fn a_limit_far_above_the_data_becomes_a_note() {
        let mut c = LineChart::new("t", Axis::linear("x"), Axis::linear("y"));
        c.lines
            .push(Line::new("use", [(0.0, Some(3.0)), (1.0, Some(5.0))]));
        c.limits.push(Limit::new("reserved 20", 20.0));
        c.limits.push(Limit {
            reach: Reach::Near,
            ..Limit::new("account 1000", 1000.0)
        });
        c.lines
            .push(Line::new("provisioned", [(0.0, Some(500.0))]).limit());
        let (_, y, shown, lines, notes) = c.layout();
        assert_eq!(shown, [true, false]);
        assert_eq!(lines, [true, true]);
        assert!(y.hi >= 500.0 && y.hi < 1000.0);
        assert_eq!(notes, ["account 1000 is above the chart"]);
    }
}
