//! The axes every cartesian chart shares: the grid, the ticks (thinned so
//! that labels never overlap) and the axis titles, over two laid-out axes.

use super::render::DrawFailed;
use super::scale::{Coord, Layout};
use super::style;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The cartesian chart over `x` and `y` on `area`, with its grid, ticks
/// and axis titles drawn, `top` px below the area's top.
pub(crate) fn axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Layout,
    y: &Layout,
    x_label: &str,
    y_label: &str,
    top: i32,
) -> Result<Chart2d<'a, DB>, DrawFailed> {
    let tick = style::text(style::TICK);
    let y_area = label_width(area, y)? + style::AXIS_LABEL as i32 + 18;
    let x_area = style::TICK as i32 + style::AXIS_LABEL as i32 + 16;
    let (x, y) = thin(area, x, y, y_area, 0, x_area + top)?;
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(14)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.coord(), y.coord())?;
    let xf = |v: &f64| x.label(*v);
    let yf = |v: &f64| y.label(*v);
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
        .label_style(tick)
        .axis_desc_style(style::text(style::AXIS_LABEL))
        .x_desc(x_label)
        .y_desc(y_label)
        .draw()?;
    Ok(chart)
}

/// The widest tick label of `axis` \[px\].
pub(crate) fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    axis: &Layout,
) -> Result<i32, DrawFailed> {
    let tick = style::text(style::TICK);
    let mut widest = 0;
    for l in &axis.labels {
        widest = widest.max(area.estimate_text_size(l, &tick)?.0 as i32);
    }
    Ok(widest)
}

/// `x` and `y` without the ticks whose labels would overlap, on `area`
/// less the label areas (left, right, bottom) \[px\].
pub(crate) fn thin<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: &Layout,
    y: &Layout,
    left: i32,
    right: i32,
    bottom: i32,
) -> Result<(Layout, Layout), DrawFailed> {
    let tick = style::text(style::TICK);
    let (w, h) = area.dim_in_pixel();
    let mut widths = std::collections::HashMap::new();
    for l in &x.labels {
        widths.insert(l.clone(), f64::from(area.estimate_text_size(l, &tick)?.0));
    }
    let x = x.thinned(f64::from(w as i32 - left - right - 14), |l| {
        widths.get(l).copied().unwrap_or(0.0)
    });
    let y = y.thinned(f64::from(h as i32 - bottom - 8), |_| style::TICK);
    Ok((x, y))
}

/// A chart over two laid-out axes.
pub(crate) type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<Coord, Coord>>;

/// How a 2 px data line is drawn. SVG strokes it (viewers join the
/// segments with a miter limit); plotters' raster backend would miter
/// every sharp turn of a wide line into a long spike, so in PNG the line
/// is three 1 px lines a pixel apart (right and up), which has no joins.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pen {
    raster: bool,
    /// One pixel in data units, along x and y.
    dx: f64,
    dy: f64,
}

impl Pen {
    /// The pen of a plot of `px` pixels showing `x` and `y`.
    pub fn new(raster: bool, x: &Layout, y: &Layout, px: (u32, u32)) -> Pen {
        let per = |l: &Layout, n: u32| (l.hi - l.lo) / f64::from(n.max(1));
        Pen {
            raster,
            dx: per(x, px.0),
            dy: per(y, px.1),
        }
    }

    fn copies(&self, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
        if !self.raster {
            return vec![points.to_vec()];
        }
        [(0.0, 0.0), (self.dx, 0.0), (0.0, self.dy)]
            .iter()
            .map(|(ox, oy)| points.iter().map(|(x, y)| (x + ox, y + oy)).collect())
            .collect()
    }

    fn width(&self) -> u32 {
        if self.raster {
            1
        } else {
            2
        }
    }

    /// A solid line through `points`.
    pub fn solid(&self, points: &[(f64, f64)], c: RGBColor) -> Vec<PathElement<(f64, f64)>> {
        self.copies(points)
            .into_iter()
            .map(|p| PathElement::new(p, c.stroke_width(self.width())))
            .collect()
    }

    /// A dashed line through `points` (`dash` and `gap` in px).
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        c: RGBColor,
        dash: i32,
        gap: i32,
    ) -> Vec<DashedLineSeries<std::vec::IntoIter<(f64, f64)>, i32>> {
        self.copies(points)
            .into_iter()
            .map(|p| DashedLineSeries::new(p, dash, gap, c.stroke_width(self.width())))
            .collect()
    }
}
