//! The heatmap: a value for each pair of two parameters' values (e.g. p99
//! latency over memory x load), coloured on the viridis scale with a
//! colour bar, each cell labelled with its value when it fits, some cells
//! outlined (e.g. the cheapest feasible point).

use super::axes::{axes, label_width};
use super::frame::{self, Entry, Swatch};
use super::render::{Draw, DrawFailed};
use super::scale::{number, Layout, Scale};
use super::style::{self, Colour};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A cell to outline, with a legend label.
#[derive(Clone, Debug, PartialEq)]
pub struct CellMark {
    /// Column (index into `x_values`).
    pub x: usize,
    /// Row (index into `y_values`).
    pub y: usize,
    /// Legend label, e.g. `cheapest feasible`.
    pub label: String,
}

/// A heatmap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heatmap {
    /// Title (also the SVG's `<title>`).
    pub title: String,
    /// The x parameter's title (e.g. `memory [MB]`).
    pub x_label: String,
    /// Its values, left to right.
    pub x_values: Vec<String>,
    /// The y parameter's title.
    pub y_label: String,
    /// Its values, bottom to top.
    pub y_values: Vec<String>,
    /// `cells[row][column]`; `None` (or a missing entry) is a cell without
    /// a value, drawn grey.
    pub cells: Vec<Vec<Option<f64>>>,
    /// What the colour shows, with its unit (the colour bar's title).
    pub value_label: String,
    /// Linear or log colour scale (log leaves values <= 0 grey).
    pub scale: Scale,
    /// Cells to outline.
    pub marks: Vec<CellMark>,
    /// Lines of text under the chart.
    pub notes: Vec<String>,
}

/// A cell without a value.
const EMPTY: Colour = Colour(0xDD, 0xDD, 0xDD);
/// Outline colours of marks, in order.
const MARKS: [Colour; 3] = [
    Colour(0xFF, 0x00, 0x55),
    Colour(0x00, 0x00, 0x00),
    Colour(0xFF, 0xFF, 0xFF),
];

impl Heatmap {
    fn value(&self, row: usize, col: usize) -> Option<f64> {
        self.cells.get(row)?.get(col).copied().flatten()
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.cells.iter().flatten().filter_map(|v| *v)
    }
}

impl Draw for Heatmap {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _raster: bool,
    ) -> Result<(), DrawFailed> {
        let legend: Vec<Entry> = self
            .marks
            .iter()
            .enumerate()
            .map(|(i, m)| Entry {
                label: m.label.clone(),
                colour: MARKS[i % MARKS.len()],
                swatch: Swatch::Outline,
            })
            .collect();
        let area = frame::draw(root, &self.title, &legend, &self.notes)?;
        let scale = Layout::fit(self.scale, self.values(), false);
        let bar_w = 12 + 18 + label_width(&area, &scale)? + style::AXIS_LABEL as i32 + 22;
        let (w, _) = area.dim_in_pixel();
        let (cells_area, bar_area) = area.split_horizontally(w as i32 - bar_w);

        let x = Layout::categories(&self.x_values);
        let y = Layout::categories(&self.y_values);
        let mut chart = axes(&cells_area, &x, &y, &self.x_label, &self.y_label, 8)?;
        let colour = |v: f64| {
            scale
                .to_plot(v)
                .map(|p| {
                    let span = scale.hi - scale.lo;
                    style::viridis(if span > 0.0 {
                        (p - scale.lo) / span
                    } else {
                        0.5
                    })
                })
                .unwrap_or(EMPTY)
        };
        let (px0, px1) = (
            chart.backend_coord(&(0.0, 0.0)),
            chart.backend_coord(&(1.0, 1.0)),
        );
        let (cell_w, cell_h) = ((px1.0 - px0.0).abs(), (px1.1 - px0.1).abs());
        let label_style = style::text(style::TICK);
        for row in 0..self.y_values.len() {
            for col in 0..self.x_values.len() {
                let v = self.value(row, col);
                let c = v.map(colour).unwrap_or(EMPTY);
                let (x0, y0) = (col as f64, row as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x0 + 1.0, y0 + 1.0)],
                    c.rgb().filled(),
                )))?;
                let text = v.map_or_else(|| "–".to_string(), |v| number(v, 0.0));
                let (tw, th) = area.estimate_text_size(&text, &label_style)?;
                if (tw as i32) < cell_w - 4 && (th as i32) < cell_h - 2 {
                    chart.draw_series(std::iter::once(Text::new(
                        text,
                        (x0 + 0.5, y0 + 0.5),
                        label_style
                            .clone()
                            .color(&style::ink_on(c))
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
        }
        for (i, m) in self.marks.iter().enumerate() {
            if m.x >= self.x_values.len() || m.y >= self.y_values.len() {
                continue;
            }
            let (x0, y0) = (m.x as f64, m.y as f64);
            let inset = 0.04;
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (x0 + inset, y0 + inset),
                    (x0 + 1.0 - inset, y0 + 1.0 - inset),
                ],
                MARKS[i % MARKS.len()].rgb().stroke_width(3),
            )))?;
        }
        colour_bar(&bar_area, &scale, &self.value_label)
    }
}

/// The colour bar: the scale's range as a column of colours, its ticks on
/// the right, `label` as its title.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &Layout,
    label: &str,
) -> Result<(), DrawFailed> {
    let tick = style::text(style::TICK);
    let widest = label_width(area, scale)?;
    let mut chart = ChartBuilder::on(area)
        .margin_top(8)
        .margin_left(12)
        .x_label_area_size(style::TICK as i32 + style::AXIS_LABEL as i32 + 16)
        .right_y_label_area_size(widest + style::AXIS_LABEL as i32 + 22)
        .build_cartesian_2d(0.0..1.0, scale.coord())?;
    let steps = 64;
    let span = scale.hi - scale.lo;
    chart.draw_series((0..steps).map(|i| {
        let (a, b) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
        Rectangle::new(
            [(0.0, scale.lo + a * span), (1.0, scale.lo + b * span)],
            style::viridis((a + b) / 2.0).rgb().filled(),
        )
    }))?;
    let yf = |v: &f64| scale.label(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(0)
        .set_all_tick_mark_size(4)
        .y_labels(scale.ticks.len())
        .y_label_formatter(&yf)
        .axis_style(style::AXIS.stroke_width(1))
        .label_style(tick)
        .axis_desc_style(style::text(style::AXIS_LABEL))
        .y_desc(label)
        .draw()?;
    Ok(())
}
