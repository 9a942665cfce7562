//! The bar chart: a few categories (e.g. the steps of a lesson) compared
//! on one or more measures, one panel of horizontal bars per measure side
//! by side (small multiples: each panel has its own axis and unit), the
//! category names once on the left, each bar labelled with its value.

use super::frame;
use super::render::{Draw, DrawFailed};
use super::scale::{number, Layout, Scale};
use super::style::{self, Colour};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: its value and the text written beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The value; `None` (undefined) draws no bar and the label `–`.
    pub value: Option<f64>,
    /// The text beside the bar (e.g. `18.2 %`); empty: the value as a
    /// plain number.
    pub label: String,
}

/// One measure: a bar per category.
#[derive(Clone, Debug, PartialEq)]
pub struct BarPanel {
    /// The measure and its unit (the panel's title), e.g. `p99 [ms]`.
    pub title: String,
    /// A bar per category, in the chart's category order (missing ones are
    /// undefined).
    pub bars: Vec<Bar>,
}

/// Categories compared on several measures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarChart {
    /// Title (also the SVG's `<title>`).
    pub title: String,
    /// The categories, top to bottom.
    pub categories: Vec<String>,
    /// The measures, left to right.
    pub panels: Vec<BarPanel>,
    /// Lines of text under the chart.
    pub notes: Vec<String>,
}

impl BarChart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// Bar thickness as a share of a category's height.
const FILL: f64 = 0.64;

impl Draw for BarChart {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _raster: bool,
    ) -> Result<(), DrawFailed> {
        let area = frame::draw(root, &self.title, &[], &self.notes)?;
        let (w, _) = area.dim_in_pixel();
        let w = w as i32;
        let tick = style::text(style::TICK);
        let mut widest = 0;
        for c in &self.categories {
            widest = widest.max(area.estimate_text_size(c, &tick)?.0 as i32);
        }
        let label_w = (widest + 12).min(w * 2 / 5);
        let (labels, rest) = area.split_horizontally(label_w);
        let panels = self.panels.len().max(1);
        let cells = rest.split_evenly((1, panels));
        let n = self.categories.len();
        let y = Layout::categories(&vec![String::new(); n]);
        let mut centres: Vec<i32> = Vec::new();
        for (p, (panel, cell)) in self.panels.iter().zip(&cells).enumerate() {
            let rows = draw_panel(cell, panel, n, &y, Colour::series(p))?;
            if centres.is_empty() {
                centres = rows;
            }
        }
        // Category names, right-aligned, at each row's centre.
        let (_, ly) = labels.get_base_pixel();
        for (name, cy) in self.categories.iter().zip(centres) {
            let text = frame::fit(&labels, name, &tick, label_w - 8)?;
            labels.draw_text(
                &text,
                &tick.pos(Pos::new(HPos::Right, VPos::Center)),
                (label_w - 8, cy - ly),
            )?;
        }
        Ok(())
    }
}

/// Draws one panel on `cell`; returns the pixel row (absolute) of each
/// category's centre.
fn draw_panel<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    panel: &BarPanel,
    n: usize,
    y: &Layout,
    colour: Colour,
) -> Result<Vec<i32>, DrawFailed> {
    let head = style::text(style::AXIS_LABEL);
    let (cw, _) = cell.dim_in_pixel();
    let title = frame::fit(cell, &panel.title, &head, cw as i32 - 8)?;
    cell.draw_text(
        &title,
        &head.pos(Pos::new(HPos::Center, VPos::Top)),
        (cw as i32 / 2, 0),
    )?;
    let values = || panel.bars.iter().filter_map(|b| b.value);
    let x = Layout::fit(Scale::Linear, values(), true);
    let tick = style::text(style::TICK);
    // Room on the right for the longest value label beyond the longest bar.
    let mut widest = 0;
    for b in &panel.bars {
        widest = widest.max(cell.estimate_text_size(&bar_text(b), &tick)?.0 as i32);
    }
    let mut chart = ChartBuilder::on(cell)
        .margin_top(style::AXIS_LABEL as i32 + 10)
        .margin_left(6)
        .margin_right((widest + 12).min(cw as i32 / 2))
        .x_label_area_size(style::TICK as i32 + 12)
        .build_cartesian_2d(x.coord(), y.coord())?;
    let xf = |v: &f64| x.label(*v);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .bold_line_style(style::GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(style::AXIS.stroke_width(1))
        .set_all_tick_mark_size(4)
        .x_labels(x.ticks.len())
        .x_label_formatter(&xf)
        .label_style(tick.clone())
        .draw()?;
    let mut centres = Vec::with_capacity(n);
    for i in 0..n {
        // Category 0 at the top.
        let row = (n - 1 - i) as f64;
        let mid = row + 0.5;
        centres.push(chart.backend_coord(&(x.lo, mid)).1);
        let bar = panel.bars.get(i);
        let value = bar.and_then(|b| b.value).and_then(|v| x.to_plot(v));
        let end = value.map_or(x.lo, |v| v.clamp(x.lo, x.hi));
        if value.is_some() && end > x.lo {
            let half = FILL / 2.0;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x.lo, mid - half), (end, mid + half)],
                colour.rgb().filled(),
            )))?;
        }
        let text = bar.map_or_else(|| "–".to_string(), bar_text);
        chart.draw_series(std::iter::once(
            EmptyElement::at((end, mid))
                + Text::new(
                    text,
                    (5, 0),
                    tick.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ),
        ))?;
    }
    Ok(centres)
}

/// The text beside a bar: its label, else its value, else `–`.
fn bar_text(b: &Bar) -> String {
    match (&b.value, b.label.is_empty()) {
        (Some(_), false) | (None, false) => b.label.clone(),
        (Some(v), true) if v.is_finite() => number(*v, 0.0),
        _ => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Chart, Size};

    fn chart() -> BarChart {
        BarChart {
            title: "Steps compared".into(),
            categories: vec!["low traffic".into(), "bursty".into(), "steady".into()],
            panels: vec![
                BarPanel {
                    title: "cold starts [%]".into(),
                    bars: vec![
                        Bar {
                            value: Some(18.2),
                            label: "18.2 %".into(),
                        },
                        Bar {
                            value: Some(4.3),
                            label: String::new(),
                        },
                        Bar {
                            value: None,
                            label: String::new(),
                        },
                    ],
                },
                BarPanel {
                    title: "p99 [ms]".into(),
                    bars: vec![Bar {
                        value: Some(4346.0),
                        label: "4,346 ms".into(),
                    }],
                },
            ],
            notes: vec!["a note".into()],
        }
    }

    #[test]
    fn labels_and_values_are_drawn_deterministically() {
        let c = Chart::from(chart());
        let a = c.render(Size::DEFAULT).unwrap();
        assert_eq!(a, c.render(Size::DEFAULT).unwrap());
        for text in [
            "low traffic",
            "steady",
            "18.2 %",
            "4.3",
            "4,346 ms",
            "–",
            "p99 [ms]",
        ] {
            assert!(a.svg.contains(text), "{text} missing");
        }
        assert!(!a.svg.contains("NaN"));
        assert_eq!(&a.png[1..4], b"PNG");
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let c = Chart::from(BarChart {
            title: "empty".into(),
            ..BarChart::default()
        });
        assert!(c.render(Size::MIN).is_ok());
    }
}
