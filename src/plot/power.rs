//! The Power Tuning chart (after AWS Lambda Power Tuning): a function's
//! duration and its cost per invocation against its memory size, on two y
//! axes, with the cheapest, the fastest and the balanced size marked.
//!
//! Balanced: the size that minimises `w * cost / max cost + (1 - w) *
//! duration / max duration` over the sizes that have both (`w` =
//! [`PowerTuning::balanced_weight`], 0.5 by default: cost and speed count
//! alike). Ties go to the smaller memory size.

use super::axes::{label_width, thin, Pen};
use super::frame::{self, Entry, Swatch};
use super::line::runs;
use super::render::{Draw, DrawFailed};
use super::scale::{number, Layout, Scale};
use super::style::{self, Colour};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A mean and, with replications, its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// The confidence interval (low, high), if known.
    pub ci: Option<(f64, f64)>,
}

/// One memory size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PowerPoint {
    /// Memory size \[MB\].
    pub memory_mb: f64,
    /// Mean duration of an invocation \[ms\]; `None` when undefined.
    pub duration_ms: Option<Estimate>,
    /// Mean cost of an invocation \[USD\]; `None` when undefined.
    pub cost_usd: Option<Estimate>,
}

/// The picked sizes, as indices into [`PowerTuning::points`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Picks {
    /// Lowest cost per invocation.
    pub cheapest: Option<usize>,
    /// Lowest duration.
    pub fastest: Option<usize>,
    /// Best weighted sum of the normalised cost and duration.
    pub balanced: Option<usize>,
}

/// A Power Tuning chart.
#[derive(Clone, Debug, PartialEq)]
pub struct PowerTuning {
    /// Title (also the SVG's `<title>`).
    pub title: String,
    /// The memory sizes measured (any order; drawn in memory order).
    pub points: Vec<PowerPoint>,
    /// Weight of cost against duration for the balanced pick, in 0..=1.
    pub balanced_weight: f64,
    /// Lines of text under the chart (the picks are added).
    pub notes: Vec<String>,
}

/// Cost is shown per million invocations (a readable number of dollars).
const PER: f64 = 1e6;
const DURATION: Colour = Colour(0x00, 0x72, 0xB2);
const COST: Colour = Colour(0xE6, 0x9F, 0x00);
const PICK: Colour = Colour(0xD5, 0x5E, 0x00);

fn finite(e: Option<Estimate>) -> Option<f64> {
    e.map(|e| e.mean).filter(|m| m.is_finite())
}

impl PowerTuning {
    /// A chart of `points` with the default balance (0.5).
    pub fn new(title: impl Into<String>, points: Vec<PowerPoint>) -> PowerTuning {
        PowerTuning {
            title: title.into(),
            points,
            balanced_weight: 0.5,
            notes: Vec::new(),
        }
    }

    /// The cheapest, fastest and balanced sizes.
    pub fn picks(&self) -> Picks {
        let order = self.order();
        let best = |key: &dyn Fn(&PowerPoint) -> Option<f64>| {
            let mut best: Option<(usize, f64)> = None;
            for &i in &order {
                if let Some(k) = key(&self.points[i]).filter(|k| k.is_finite()) {
                    if best.is_none_or(|(_, b)| k < b) {
                        best = Some((i, k));
                    }
                }
            }
            best.map(|(i, _)| i)
        };
        let both = |p: &PowerPoint| Some((finite(p.cost_usd)?, finite(p.duration_ms)?));
        let max_cost = self
            .points
            .iter()
            .filter_map(both)
            .map(|b| b.0)
            .fold(0f64, f64::max);
        let max_dur = self
            .points
            .iter()
            .filter_map(both)
            .map(|b| b.1)
            .fold(0f64, f64::max);
        let w = self.balanced_weight.clamp(0.0, 1.0);
        let norm = |v: f64, max: f64| if max > 0.0 { v / max } else { 0.0 };
        Picks {
            cheapest: best(&|p| finite(p.cost_usd)),
            fastest: best(&|p| finite(p.duration_ms)),
            balanced: best(&|p| {
                let (c, d) = both(p)?;
                Some(w * norm(c, max_cost) + (1.0 - w) * norm(d, max_dur))
            }),
        }
    }

    /// Point indices in memory order (stable for equal sizes).
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.points.len())
            .filter(|&i| self.points[i].memory_mb.is_finite() && self.points[i].memory_mb > 0.0)
            .collect();
        order.sort_by(|&a, &b| {
            self.points[a]
                .memory_mb
                .total_cmp(&self.points[b].memory_mb)
        });
        order
    }

    /// The notes naming the picks.
    fn pick_notes(&self, picks: &Picks) -> Vec<String> {
        let mb = |i: usize| format!("{} MB", number(self.points[i].memory_mb, 0.0));
        let mut notes = self.notes.clone();
        let mut parts = Vec::new();
        if let Some(i) = picks.fastest {
            let d = finite(self.points[i].duration_ms).unwrap_or(0.0);
            parts.push(format!("fastest {} ({} ms)", mb(i), number(d, 0.0)));
        }
        if let Some(i) = picks.cheapest {
            let c = finite(self.points[i].cost_usd).unwrap_or(0.0) * PER;
            parts.push(format!("cheapest {} (${} per 1M)", mb(i), number(c, 0.0)));
        }
        if let Some(i) = picks.balanced {
            parts.push(format!(
                "balanced {} (cost weight {})",
                mb(i),
                number(self.balanced_weight.clamp(0.0, 1.0), 0.0)
            ));
        }
        if !parts.is_empty() {
            notes.insert(0, parts.join(" · "));
        }
        notes
    }
}

impl Draw for PowerTuning {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster: bool,
    ) -> Result<(), DrawFailed> {
        let picks = self.picks();
        let order = self.order();
        let pts: Vec<&PowerPoint> = order.iter().map(|&i| &self.points[i]).collect();
        let band = |e: Option<Estimate>| {
            e.and_then(|e| e.ci)
                .filter(|(a, b)| a.is_finite() && b.is_finite())
        };
        let has_band =
            |f: fn(&PowerPoint) -> Option<Estimate>| pts.iter().any(|p| band(f(p)).is_some());
        let legend = vec![
            Entry {
                label: "duration (left axis)".into(),
                colour: DURATION,
                swatch: if has_band(|p| p.duration_ms) {
                    Swatch::Band
                } else {
                    Swatch::Line
                },
            },
            Entry {
                label: "cost (right axis)".into(),
                colour: COST,
                swatch: if has_band(|p| p.cost_usd) {
                    Swatch::Band
                } else {
                    Swatch::Line
                },
            },
            Entry {
                label: "fastest / cheapest / balanced".into(),
                colour: PICK,
                swatch: Swatch::Ring,
            },
        ];
        let notes = self.pick_notes(&picks);
        let area = frame::draw(root, &self.title, &legend, &notes)?;

        let mems: Vec<f64> = pts.iter().map(|p| p.memory_mb).collect();
        let auto = Layout::fit(Scale::Log, mems.iter().copied(), false);
        let x = if mems.len() <= 12 {
            Layout::with_ticks(Scale::Log, &mems, auto.lo, auto.hi)
        } else {
            auto
        };
        let values = |f: fn(&PowerPoint) -> Option<Estimate>, k: f64| {
            pts.iter()
                .flat_map(move |p| {
                    let e = f(p);
                    finite(e)
                        .into_iter()
                        .chain(band(e).into_iter().flat_map(|(a, b)| [a, b]))
                })
                .map(move |v| v * k)
                .collect::<Vec<f64>>()
        };
        let y = Layout::fit(Scale::Linear, values(|p| p.duration_ms, 1.0), true);
        let y2 = Layout::fit(Scale::Linear, values(|p| p.cost_usd, PER), true);

        let tick = style::text(style::TICK);
        let left = label_width(&area, &y)? + style::AXIS_LABEL as i32 + 18;
        let right = label_width(&area, &y2)? + style::AXIS_LABEL as i32 + 18;
        let bottom = style::TICK as i32 + style::AXIS_LABEL as i32 + 16;
        let (x, y) = thin(&area, &x, &y, left, right, bottom)?;
        let (_, y2) = thin(&area, &x, &y2, left, right, bottom)?;
        let mut chart = ChartBuilder::on(&area)
            .margin_top(8)
            .x_label_area_size(bottom)
            .y_label_area_size(left)
            .right_y_label_area_size(right)
            .build_cartesian_2d(x.coord(), y.coord())?
            .set_secondary_coord(x.coord(), y2.coord());
        let (xf, yf, y2f) = (
            |v: &f64| x.label(*v),
            |v: &f64| y.label(*v),
            |v: &f64| y2.label(*v),
        );
        chart
            .configure_mesh()
            .bold_line_style(style::GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(style::AXIS.stroke_width(1))
            .set_all_tick_mark_size(4)
            .x_labels(x.ticks.len())
            .y_labels(y.ticks.len())
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .label_style(tick.clone())
            .axis_desc_style(style::text(style::AXIS_LABEL))
            .x_desc("memory [MB] (log scale)")
            .y_desc("duration [ms]")
            .draw()?;
        chart
            .configure_secondary_axes()
            .axis_style(style::AXIS.stroke_width(1))
            .set_all_tick_mark_size(4)
            .y_labels(y2.ticks.len())
            .y_label_formatter(&y2f)
            .label_style(tick)
            .axis_desc_style(style::text(style::AXIS_LABEL))
            .y_desc("cost per 1M invocations [USD]")
            .draw()?;

        // Bands, then lines with a dot per size.
        type Get = fn(&PowerPoint) -> Option<Estimate>;
        let series: [(Get, f64, Colour); 2] = [
            (|p| p.duration_ms, 1.0, DURATION),
            (|p| p.cost_usd, PER, COST),
        ];
        for (secondary, (get, k, colour)) in series.into_iter().enumerate() {
            let l = if secondary == 1 { &y2 } else { &y };
            let c = colour.rgb();
            for run in runs(&pts, |p| {
                let (a, b) = band(get(p))?;
                Some((
                    x.to_plot(p.memory_mb)?,
                    l.to_plot(a * k)?,
                    l.to_plot(b * k)?,
                ))
            }) {
                let mut poly: Vec<(f64, f64)> = run.iter().map(|&(px, a, _)| (px, a)).collect();
                poly.extend(run.iter().rev().map(|&(px, _, b)| (px, b)));
                let p = Polygon::new(poly, c.mix(0.18).filled());
                if secondary == 1 {
                    chart.draw_secondary_series(std::iter::once(p))?;
                } else {
                    chart.draw_series(std::iter::once(p))?;
                }
            }
            let pen = Pen::new(raster, &x, l, chart.plotting_area().dim_in_pixel());
            for run in runs(&pts, |p| {
                Some((x.to_plot(p.memory_mb)?, l.to_plot(finite(get(p))? * k)?))
            }) {
                let dots = run.iter().map(|&p| Circle::new(p, 4, c.filled()));
                if secondary == 1 {
                    chart.draw_secondary_series(pen.solid(&run, c))?;
                    chart.draw_secondary_series(dots)?;
                } else {
                    chart.draw_series(pen.solid(&run, c))?;
                    chart.draw_series(dots)?;
                }
            }
        }

        // The picks: a ring on the point and a label above it.
        let pick = PICK.rgb();
        let label_style = style::text(style::NOTE).color(&pick);
        let ring = |i: usize, secondary: bool| -> Option<(f64, f64)> {
            let p = &self.points[i];
            let (l, v) = if secondary {
                (&y2, finite(p.cost_usd)? * PER)
            } else {
                (&y, finite(p.duration_ms)?)
            };
            Some((x.to_plot(p.memory_mb)?, l.to_plot(v)?))
        };
        let mut marks: Vec<(usize, bool, &str)> = Vec::new();
        if let Some(i) = picks.fastest {
            marks.push((i, false, "fastest"));
        }
        if let Some(i) = picks.cheapest {
            marks.push((i, true, "cheapest"));
        }
        if let Some(i) = picks.balanced {
            marks.push((i, false, "balanced"));
        }
        for (n, &(i, secondary, name)) in marks.iter().enumerate() {
            let Some(at) = ring(i, secondary) else {
                continue;
            };
            // Two picks on the same dot share one ring and one label.
            if marks[..n].iter().any(|&(j, s, _)| j == i && s == secondary) {
                continue;
            }
            let names: Vec<&str> = marks
                .iter()
                .filter(|&&(j, s, _)| j == i && s == secondary)
                .map(|m| m.2)
                .collect();
            let text = if names.len() > 1 {
                names.join(", ")
            } else {
                name.to_string()
            };
            let style = label_style
                .clone()
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            let ring = Circle::new(at, 8, PICK.rgb().stroke_width(2));
            let shifted = EmptyElement::at(at) + Text::new(text, (0, -11), style);
            if secondary {
                chart.draw_secondary_series(std::iter::once(ring))?;
                chart.draw_secondary_series(std::iter::once(shifted))?;
            } else {
                chart.draw_series(std::iter::once(ring))?;
                chart.draw_series(std::iter::once(shifted))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(mb: f64, ms: f64, usd: f64) -> PowerPoint {
        PowerPoint {
            memory_mb: mb,
            duration_ms: Some(Estimate { mean: ms, ci: None }),
            cost_usd: Some(Estimate {
                mean: usd,
                ci: None,
            }),
        }
    }

    #[test]
    fn picks_the_cheapest_the_fastest_and_the_balanced() {
        // A CPU-bound function: duration halves up to 1769 MB, cost is flat
        // below it and rises above.
        let pts = vec![
            point(1024.0, 200.0, 3.3e-6),
            point(128.0, 1600.0, 3.3e-6),
            point(3008.0, 118.0, 5.8e-6),
            point(2048.0, 118.0, 3.9e-6),
            point(512.0, 400.0, 3.3e-6),
        ];
        let c = PowerTuning::new("t", pts);
        let p = c.picks();
        // Equal costs: the smallest memory wins the tie.
        assert_eq!(p.cheapest, Some(1));
        // Equal durations: the smaller memory.
        assert_eq!(p.fastest, Some(3));
        // 1024 MB: 0.5 * 3.3/5.8 + 0.5 * 200/1600 = 0.347, the least.
        assert_eq!(p.balanced, Some(0));
        assert_eq!(c.points[p.balanced.unwrap()].memory_mb, 1024.0);
    }

    #[test]
    fn undefined_points_are_not_picked() {
        let mut pts = vec![point(128.0, 10.0, 1e-6), point(256.0, 5.0, 2e-6)];
        pts[0].cost_usd = None;
        pts[1].duration_ms = Some(Estimate {
            mean: f64::NAN,
            ci: None,
        });
        let p = PowerTuning::new("t", pts).picks();
        assert_eq!(
            p,
            Picks {
                cheapest: Some(1),
                fastest: Some(0),
                balanced: None
            }
        );
    }
}
