//! What surrounds every chart: the title on top, the legend in a column
//! on the right (outside the plot, so it never hides data), notes under
//! the plot. Returns the area left for the axes and the data.

use super::render::DrawFailed;
use super::style::{self, Colour};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How a legend entry shows its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Swatch {
    /// A solid line.
    Line,
    /// A solid line over a pale band (a confidence band).
    Band,
    /// A dashed line (a limit).
    Dashed,
    /// A ring (a picked point).
    Ring,
    /// An outlined square (a marked heatmap cell).
    Outline,
    /// A filled bar (a Gantt chart's phase).
    Block,
    /// A thin vertical tick (a Gantt chart's throttled arrival).
    Tick,
    /// A vertical end cap (a Gantt row that expired).
    Cap,
    /// A cross (a Gantt row that was recycled).
    Cross,
    /// A filled triangle (a Gantt row reset after a timeout).
    Triangle,
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub label: String,
    pub colour: Colour,
    pub swatch: Swatch,
}

/// Padding around the chart \[px\].
const PAD: i32 = 10;

/// Draws the title, the legend and the notes; returns the plot's area.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[Entry],
    notes: &[String],
) -> Result<DrawingArea<DB, Shift>, DrawFailed> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let inner = root.margin(PAD, PAD, PAD, PAD);

    // Title, centred, shortened to fit.
    let title_style = style::text(style::TITLE);
    let title = fit(root, title, &title_style, w - 2 * PAD)?;
    let (_, th) = root.estimate_text_size(&title, &title_style)?;
    inner.draw_text(
        &title,
        &title_style.pos(Pos::new(HPos::Center, VPos::Top)),
        ((w - 2 * PAD) / 2, 0),
    )?;
    let top = th as i32 + 8;

    // Notes, one line each, at the bottom.
    let note_style = style::text(style::NOTE);
    let line = style::NOTE as i32 + 3;
    let shown_notes = notes.len().min(3);
    let bottom = shown_notes as i32 * line;
    for (i, note) in notes.iter().take(shown_notes).enumerate() {
        let text = fit(root, note, &note_style, w - 2 * PAD)?;
        let y = h - 2 * PAD - bottom + i as i32 * line + 2;
        inner.draw_text(&text, &note_style, (0, y))?;
    }

    // Legend column on the right.
    let legend_style = style::text(style::LEGEND);
    let swatch_w = 26;
    let max_w = (w as f64 * 0.3) as i32;
    let mut widest = 0;
    for e in legend {
        let (lw, _) = root.estimate_text_size(&e.label, &legend_style)?;
        widest = widest.max(lw as i32);
    }
    let legend_w = if legend.is_empty() {
        0
    } else {
        (widest + swatch_w + 12).min(max_w)
    };
    let plot_h = h - 2 * PAD - top - bottom - 4;
    if legend_w > 0 {
        let x0 = w - 2 * PAD - legend_w + 8;
        let row = style::LEGEND as i32 + 6;
        let rows = ((plot_h - 10) / row).max(1) as usize;
        let shown = if legend.len() > rows {
            rows - 1
        } else {
            legend.len()
        };
        for (i, e) in legend.iter().take(shown).enumerate() {
            let y = top + 10 + i as i32 * row + row / 2;
            swatch(&inner, e, x0, y, swatch_w)?;
            let label = fit(root, &e.label, &legend_style, legend_w - swatch_w - 12)?;
            inner.draw_text(
                &label,
                &legend_style.pos(Pos::new(HPos::Left, VPos::Center)),
                (x0 + swatch_w + 6, y),
            )?;
        }
        if shown < legend.len() {
            let y = top + 10 + shown as i32 * row + row / 2;
            inner.draw_text(
                &format!("+ {} more", legend.len() - shown),
                &legend_style.pos(Pos::new(HPos::Left, VPos::Center)),
                (x0, y),
            )?;
        }
    }
    Ok(inner.shrink((0, top), ((w - 2 * PAD - legend_w).max(1), plot_h.max(1))))
}

/// Draws the swatch of `e` at (`x`, `y`) (left, vertical centre).
fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    e: &Entry,
    x: i32,
    y: i32,
    width: i32,
) -> Result<(), DrawFailed> {
    let c = e.colour.rgb();
    match e.swatch {
        Swatch::Line | Swatch::Band => {
            if e.swatch == Swatch::Band {
                area.draw(&Rectangle::new(
                    [(x, y - 6), (x + width, y + 6)],
                    c.mix(0.2).filled(),
                ))?;
            }
            area.draw(&PathElement::new(
                vec![(x, y), (x + width, y)],
                c.stroke_width(2),
            ))?;
        }
        Swatch::Dashed => {
            for s in (0..width).step_by(9) {
                area.draw(&PathElement::new(
                    vec![(x + s, y), (x + (s + 5).min(width), y)],
                    c.stroke_width(2),
                ))?;
            }
        }
        Swatch::Ring => {
            area.draw(&Circle::new((x + width / 2, y), 6, c.stroke_width(2)))?;
        }
        Swatch::Outline => {
            area.draw(&Rectangle::new(
                [(x + width / 2 - 7, y - 7), (x + width / 2 + 7, y + 7)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::Block => {
            area.draw(&Rectangle::new(
                [(x, y - 6), (x + width, y + 6)],
                c.filled(),
            ))?;
        }
        Swatch::Tick | Swatch::Cap => {
            // A tick is 2 px wide, a cap 3 px.
            let (cx, wide) = (x + width / 2, i32::from(e.swatch == Swatch::Cap));
            area.draw(&Rectangle::new(
                [(cx - 1, y - 7), (cx + 1 + wide, y + 8)],
                c.filled(),
            ))?;
        }
        Swatch::Cross => {
            let (cx, r) = (x + width / 2, 6);
            for (a, b) in [
                ((cx - r, y - r), (cx + r, y + r)),
                ((cx - r, y + r), (cx + r, y - r)),
            ] {
                area.draw(&PathElement::new(vec![a, b], c.stroke_width(2)))?;
            }
        }
        Swatch::Triangle => {
            let (cx, r) = (x + width / 2, 6);
            area.draw(&Polygon::new(
                vec![(cx - r, y + r), (cx + r, y + r), (cx, y - r)],
                c.filled(),
            ))?;
        }
    }
    Ok(())
}

/// `text`, shortened with an ellipsis until it fits in `width` px.
pub(crate) fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Result<String, DrawFailed> {
    let (tw, _) = area.estimate_text_size(text, style)?;
    if tw as i32 <= width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        let (cw, _) = area.estimate_text_size(&candidate, style)?;
        if cw as i32 <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(chars[..lo].iter().chain(['…'].iter()).collect())
}
