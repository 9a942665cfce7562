//! The Gantt chart: one row per item (a Lambda execution environment),
//! each row a sequence of phases in time (initialising, busy, idle) and a
//! marker where it ended (expired, recycled, reset); arrivals that found
//! no item (throttled) as ticks on a row of their own, at the bottom.
//!
//! Drawn in pixel columns: each row is reduced to one phase per column (the
//! phase covering most of it), runs of equal columns become one rectangle,
//! so tens of thousands of spans cost at most a row's columns. A busy span
//! narrower than a column is never lost: if no column shows it, the column
//! of its midpoint does (likewise an init span, unless that column is
//! busy). Spans are clamped to the window; empty or non-finite ones skipped.

use super::axes::axes;
use super::frame::{self, Entry, Swatch};
use super::render::{Draw, DrawFailed};
use super::scale::{Layout, Scale};
use super::style::Colour;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What an item is doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Starting (a cold start's initialisation).
    Init,
    /// Serving a request.
    Busy,
    /// Warm and waiting.
    Idle,
}

/// How an item ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEnd {
    /// Idle for longer than the keep-alive.
    Expired,
    /// Retired at its maximum lifetime.
    Recycled,
    /// Torn down after a timeout.
    Reset,
}

/// A phase from `from` to `to` \[s\].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Start \[s\].
    pub from: f64,
    /// End \[s\].
    pub to: f64,
    /// What the item was doing.
    pub phase: Phase,
}

/// One row: an item's spans (in any order) and how it ended, if it did
/// (at that time \[s\]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GanttRow {
    /// The row's label on the y axis (shortened to 24 characters).
    pub label: String,
    /// Its spans.
    pub spans: Vec<Span>,
    /// When and how it ended; `None` when alive at the window's end.
    pub end: Option<(f64, RowEnd)>,
}

/// A Gantt chart.
///
/// ```
/// use slsim::plot::{Chart, Gantt, GanttRow, Phase, RowEnd, Size, Span};
///
/// let mut chart = Gantt::new("execution environments", "time [s]", 0.0, 60.0);
/// chart.rows.push(GanttRow {
///     label: "env 1".into(),
///     spans: vec![
///         Span { from: 0.0, to: 0.4, phase: Phase::Init },
///         Span { from: 0.4, to: 1.2, phase: Phase::Busy },
///         Span { from: 1.2, to: 31.2, phase: Phase::Idle },
///     ],
///     end: Some((31.2, RowEnd::Expired)),
/// });
/// chart.throttled = vec![12.5, 12.6];
/// chart.notes.push("1 environment".into());
/// let drawn = Chart::from(chart).render(Size::DEFAULT).unwrap();
/// assert!(drawn.svg.contains("<title>execution environments</title>"));
/// assert_eq!(&drawn.png[1..4], b"PNG");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gantt {
    /// Title (also the SVG's `<title>`).
    pub title: String,
    /// The x axis title, e.g. `time [s]`.
    pub x_label: String,
    /// The y axis title, e.g. `execution environment` (may be empty).
    pub y_label: String,
    /// Start of the window shown \[s\].
    pub from: f64,
    /// End of the window shown \[s\] (after `from`; else the data's extent
    /// is shown).
    pub to: f64,
    /// The rows, top to bottom.
    pub rows: Vec<GanttRow>,
    /// Times of arrivals that found no item \[s\], marked on the bottom
    /// row `throttled`.
    pub throttled: Vec<f64>,
    /// Lines of text under the chart (at most three are shown).
    pub notes: Vec<String>,
}

impl Gantt {
    /// An empty chart over `from..to` \[s\].
    pub fn new(title: impl Into<String>, x_label: impl Into<String>, from: f64, to: f64) -> Gantt {
        Gantt {
            title: title.into(),
            x_label: x_label.into(),
            from,
            to,
            ..Gantt::default()
        }
    }

    /// The window shown: `from..to` when valid, else the extent of the
    /// finite times in the data, else `0..1`.
    fn window(&self) -> (f64, f64) {
        if self.from.is_finite() && self.to.is_finite() && self.to > self.from {
            return (self.from, self.to);
        }
        let times = self
            .rows
            .iter()
            .flat_map(|r| {
                r.spans
                    .iter()
                    .flat_map(|s| [s.from, s.to])
                    .chain(r.end.map(|e| e.0))
            })
            .chain(self.throttled.iter().copied())
            .filter(|t| t.is_finite());
        let (lo, hi) = times.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
            (a.min(t), b.max(t))
        });
        if hi > lo {
            (lo, hi)
        } else if lo.is_finite() {
            (lo - 0.5, lo + 0.5)
        } else {
            (0.0, 1.0)
        }
    }
}

/// Colours: Okabe-Ito blue (dark) for busy, its pale tint for idle,
/// orange (mid) for init: apart in hue for colour-blind readers and in
/// lightness in grey.
const BUSY: Colour = Colour(0x00, 0x72, 0xB2);
const IDLE: Colour = Colour(0xBF, 0xDD, 0xF0);
const INIT: Colour = Colour(0xE6, 0x9F, 0x00);
/// Throttled arrivals and resets (vermillion).
const ALARM: Colour = Colour(0xD5, 0x5E, 0x00);
/// Expiry and recycling marks.
const MARK: Colour = Colour(0x00, 0x00, 0x00);

/// The shown phase of a pixel column.
const NONE: u8 = 0;
const IDLE_COL: u8 = 1;
const INIT_COL: u8 = 2;
const BUSY_COL: u8 = 3;

/// Reduces `spans` to one phase per column of `width` columns over
/// `lo..hi`: the phase covering most of a column (ties: busy, then init,
/// then idle), then every busy and init span that no column shows gets
/// the column of its midpoint (busy before init). `cover` is scratch
/// space, reused across rows.
pub(crate) fn columns(
    spans: &[Span],
    lo: f64,
    hi: f64,
    width: usize,
    cover: &mut Vec<[f32; 3]>,
) -> Vec<u8> {
    let mut out = vec![NONE; width];
    if width == 0 || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return out;
    }
    cover.clear();
    cover.resize(width, [0.0; 3]);
    let scale = width as f64 / (hi - lo);
    // Each span as (first column, end column) in fractional columns.
    let place = |s: &Span| -> Option<(f64, f64)> {
        if !(s.from.is_finite() && s.to.is_finite()) {
            return None;
        }
        let (a, b) = (s.from.max(lo), s.to.min(hi));
        if b <= a {
            return None;
        }
        let (a, b) = ((a - lo) * scale, (b - lo) * scale);
        Some((a.clamp(0.0, width as f64), b.clamp(0.0, width as f64)))
    };
    let slot = |p: Phase| match p {
        Phase::Idle => 0,
        Phase::Init => 1,
        Phase::Busy => 2,
    };
    for s in spans {
        let Some((a, b)) = place(s) else { continue };
        let first = (a.floor() as usize).min(width - 1);
        let last = ((b.ceil() as usize).max(first + 1)).min(width);
        for (c, cell) in cover.iter_mut().enumerate().take(last).skip(first) {
            let overlap = b.min(c as f64 + 1.0) - a.max(c as f64);
            if overlap > 0.0 {
                cell[slot(s.phase)] += overlap as f32;
            }
        }
    }
    for (o, c) in out.iter_mut().zip(cover.iter()) {
        let [idle, init, busy] = *c;
        *o = if busy > 0.0 && busy >= init && busy >= idle {
            BUSY_COL
        } else if init > 0.0 && init >= idle {
            INIT_COL
        } else if idle > 0.0 {
            IDLE_COL
        } else {
            NONE
        };
    }
    for (phase, col) in [(Phase::Busy, BUSY_COL), (Phase::Init, INIT_COL)] {
        for s in spans.iter().filter(|s| s.phase == phase) {
            let Some((a, b)) = place(s) else { continue };
            let first = (a.floor() as usize).min(width - 1);
            let last = ((b.ceil() as usize).max(first + 1)).min(width);
            if out[first..last].contains(&col) {
                continue;
            }
            let mid = (((a + b) / 2.0).floor() as usize).min(width - 1);
            if out[mid] != BUSY_COL {
                out[mid] = col;
            }
        }
    }
    out
}

/// The maximal runs `(first, end)` of columns for which `keep` holds.
fn runs(cols: &[u8], keep: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in cols.iter().enumerate() {
        match (keep(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, cols.len()));
    }
    out
}

/// `label` shortened to 24 characters.
fn short(label: &str) -> String {
    if label.chars().count() <= 24 {
        label.to_string()
    } else {
        label.chars().take(23).chain(['…']).collect()
    }
}

impl Draw for Gantt {
    fn title(&self) -> &str {
        &self.title
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _raster: bool,
    ) -> Result<(), DrawFailed> {
        let entry = |label: &str, colour, swatch| Entry {
            label: label.to_string(),
            colour,
            swatch,
        };
        let legend = [
            entry("init", INIT, Swatch::Block),
            entry("busy", BUSY, Swatch::Block),
            entry("idle", IDLE, Swatch::Block),
            entry("throttled arrival", ALARM, Swatch::Tick),
            entry("expired", MARK, Swatch::Cap),
            entry("recycled", MARK, Swatch::Cross),
            entry("reset after timeout", ALARM, Swatch::Triangle),
        ];
        let mut notes = self.notes.clone();
        if self.rows.is_empty() {
            notes.insert(0, "no execution environment in the window".to_string());
        }
        let area = frame::draw(root, &self.title, &legend, &notes)?;

        let (lo, hi) = self.window();
        let auto = Layout::fit(Scale::Linear, [lo, hi], false);
        let x = Layout::with_ticks(Scale::Linear, &auto.ticks, lo, hi);
        // Categories bottom to top: the throttled row (at least a twentieth
        // of the plot, so that it stays visible among many rows), then the
        // rows from the last to the first.
        let n = self.rows.len() + 1;
        let labels: Vec<String> = std::iter::once("throttled".to_string())
            .chain(self.rows.iter().rev().map(|r| short(&r.label)))
            .collect();
        let first = (self.rows.len() as f64 / 20.0).max(1.0);
        let y = Layout::categories_tall_first(&labels, first);
        let chart = axes(&area, &x, &y, &self.x_label, &self.y_label, 8)?;

        // Pixel geometry, from the chart's own mapping.
        let (px_lo, _) = chart.backend_coord(&(x.lo, 0.0));
        let (px_hi, _) = chart.backend_coord(&(x.hi, 0.0));
        let width = (px_hi - px_lo).max(1) as usize;
        let edge = |i: usize| {
            let v = if i == 0 { 0.0 } else { first + (i - 1) as f64 };
            chart.backend_coord(&(x.lo, v)).1
        };
        // The bar of category `i`: its row less a gap (none when rows are
        // thin), at least one pixel high.
        let bar = |i: usize| {
            let (bottom, top) = (edge(i), edge(i + 1));
            let h = bottom - top;
            let gap = if h >= 6 { h / 6 } else { 0 };
            let (y0, y1) = (top + gap, bottom - gap);
            (y0, y1.max(y0 + 1))
        };
        let rect = |c0: usize, c1: usize, (y0, y1): (i32, i32), c: Colour| {
            Rectangle::new(
                [(px_lo + c0 as i32, y0), (px_lo + c1 as i32, y1)],
                c.rgb().filled(),
            )
        };

        let mut cover = Vec::new();
        for (k, row) in self.rows.iter().enumerate() {
            let cat = n - 1 - k;
            let b = bar(cat);
            let cols = columns(&row.spans, lo, hi, width, &mut cover);
            // Idle under the whole life, then init and busy on top.
            let mut shapes = Vec::new();
            for (c0, c1) in runs(&cols, |c| c != NONE) {
                shapes.push(rect(c0, c1, b, IDLE));
            }
            for (c0, c1) in runs(&cols, |c| c == INIT_COL) {
                shapes.push(rect(c0, c1, b, INIT));
            }
            for (c0, c1) in runs(&cols, |c| c == BUSY_COL) {
                shapes.push(rect(c0, c1, b, BUSY));
            }
            for s in &shapes {
                root.draw(s)?;
            }
            if let Some((t, kind)) = row.end {
                if t.is_finite() && t >= lo && t <= hi {
                    let cx = px_lo + (((t - lo) / (hi - lo)) * width as f64).round() as i32;
                    end_mark(root, cx, b, kind)?;
                }
            }
        }

        // Throttled arrivals: a tick per column holding one.
        let b = bar(0);
        let mut cols = vec![NONE; width];
        for &t in &self.throttled {
            if t.is_finite() && t >= lo && t <= hi {
                let c = (((t - lo) / (hi - lo)) * width as f64) as usize;
                cols[c.min(width - 1)] = BUSY_COL;
            }
        }
        for (c0, c1) in runs(&cols, |c| c != NONE) {
            root.draw(&rect(c0, c1, b, ALARM))?;
        }
        Ok(())
    }
}

/// The mark of how a row ended, at column `x` of bar `(y0, y1)`: a
/// vertical cap (expired), a cross (recycled), a triangle (reset); shapes
/// differ, not only colours.
fn end_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    (y0, y1): (i32, i32),
    kind: RowEnd,
) -> Result<(), DrawFailed> {
    let h = (y1 - y0).max(2);
    let r = (h / 2).clamp(1, 6);
    let mid = (y0 + y1) / 2;
    match kind {
        RowEnd::Expired => {
            root.draw(&Rectangle::new(
                [(x, mid - r), (x + 2, mid + r + 1)],
                MARK.rgb().filled(),
            ))?;
        }
        RowEnd::Recycled => {
            let s = MARK.rgb().stroke_width(if r >= 3 { 2 } else { 1 });
            root.draw(&PathElement::new(
                vec![(x - r, mid - r), (x + r, mid + r)],
                s,
            ))?;
            root.draw(&PathElement::new(
                vec![(x - r, mid + r), (x + r, mid - r)],
                s,
            ))?;
        }
        RowEnd::Reset => {
            root.draw(&Polygon::new(
                vec![(x - r, mid + r), (x + r, mid + r), (x, mid - r)],
                ALARM.rgb().filled(),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Chart, Size};

    fn span(from: f64, to: f64, phase: Phase) -> Span {
        Span { from, to, phase }
    }

    #[test]
    fn columns_take_the_phase_covering_most_of_each() {
        let mut cover = Vec::new();
        // 10 columns over 0..10 s.
        let spans = [
            span(0.0, 1.0, Phase::Init),
            span(1.0, 3.5, Phase::Busy),
            span(3.5, 8.0, Phase::Idle),
        ];
        let c = columns(&spans, 0.0, 10.0, 10, &mut cover);
        assert_eq!(
            c,
            [
                INIT_COL, BUSY_COL, BUSY_COL, BUSY_COL, IDLE_COL, IDLE_COL, IDLE_COL, IDLE_COL,
                NONE, NONE
            ]
        );
    }

    #[test]
    fn decimation_keeps_every_busy_span_visible() {
        // 10,000 busy spans of 1 ms among idle, over 1,000 s on 500
        // columns: each column holds ~10 of them but is mostly idle.
        let mut spans = Vec::new();
        for i in 0..10_000 {
            let t = f64::from(i) * 0.1;
            spans.push(span(t, t + 0.001, Phase::Busy));
            spans.push(span(t + 0.001, t + 0.1, Phase::Idle));
        }
        let mut cover = Vec::new();
        let cols = columns(&spans, 0.0, 1_000.0, 500, &mut cover);
        let scale = 500.0 / 1_000.0;
        for s in spans.iter().filter(|s| s.phase == Phase::Busy) {
            let first = (s.from * scale).floor() as usize;
            let last = ((s.to * scale).ceil() as usize).min(500);
            assert!(
                cols[first..last].contains(&BUSY_COL),
                "busy span at {} not shown",
                s.from
            );
        }
        // A lone busy microsecond in a long idle stretch still shows.
        let spans = [
            span(0.0, 500.0, Phase::Idle),
            span(500.0, 500.000_001, Phase::Busy),
            span(500.000_001, 1_000.0, Phase::Idle),
            span(700.0, 700.000_001, Phase::Init),
        ];
        let cols = columns(&spans, 0.0, 1_000.0, 500, &mut cover);
        assert_eq!(cols.iter().filter(|&&c| c == BUSY_COL).count(), 1);
        assert_eq!(cols[250], BUSY_COL);
        assert_eq!(cols[350], INIT_COL);
        assert_eq!(cols.iter().filter(|&&c| c == IDLE_COL).count(), 498);
    }

    #[test]
    fn spans_are_clamped_and_bad_ones_skipped() {
        let mut cover = Vec::new();
        let spans = [
            span(-100.0, 2.0, Phase::Busy),
            span(8.0, 1e300, Phase::Idle),
            span(f64::NAN, 5.0, Phase::Busy),
            span(4.0, f64::INFINITY, Phase::Init),
            span(5.0, 5.0, Phase::Busy),
            span(6.0, 5.5, Phase::Busy),
            span(20.0, 30.0, Phase::Busy),
        ];
        let c = columns(&spans, 0.0, 10.0, 10, &mut cover);
        assert_eq!(
            c,
            [BUSY_COL, BUSY_COL, NONE, NONE, NONE, NONE, NONE, NONE, IDLE_COL, IDLE_COL]
        );
        // A chart of such spans, with bad markers and throttled times,
        // renders.
        let mut g = Gantt::new("bad input", "time [s]", 0.0, 10.0);
        g.rows.push(GanttRow {
            label: "e".into(),
            spans: spans.to_vec(),
            end: Some((f64::NAN, RowEnd::Reset)),
        });
        g.throttled = vec![f64::NAN, -1.0, 10.0, 1e9, 3.0];
        let svg = Chart::from(g).svg(Size::DEFAULT).unwrap();
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    fn big(rows: usize, spans_per_row: usize) -> Gantt {
        let to = 3_600.0;
        let mut g = Gantt::new("environments", "time [s]", 0.0, to);
        g.y_label = "environment".into();
        let ends = [RowEnd::Expired, RowEnd::Recycled, RowEnd::Reset];
        for r in 0..rows {
            let mut spans = Vec::with_capacity(spans_per_row);
            let start = (r * 7 % 600) as f64;
            let step = (to - start) / spans_per_row as f64;
            spans.push(span(start, start + 0.3, Phase::Init));
            for i in 1..spans_per_row {
                let t = start + i as f64 * step;
                let busy = step * (0.05 + 0.4 * ((i * 31 + r) % 10) as f64 / 10.0);
                spans.push(if i % 2 == 0 {
                    span(t, t + busy, Phase::Busy)
                } else {
                    span(t - step + busy, t + step, Phase::Idle)
                });
            }
            g.rows.push(GanttRow {
                label: format!("environment number {r} with a long name"),
                spans,
                end: (r % 4 != 0).then(|| (to - 1.0 - r as f64, ends[r % 3])),
            });
        }
        g.throttled = (0..500).map(|i| 100.0 + f64::from(i) * 0.5).collect();
        g
    }

    #[test]
    fn a_gantt_renders_deterministically() {
        let g = Chart::from(big(12, 40));
        let a = g.render(Size::DEFAULT).unwrap();
        assert_eq!(a, g.render(Size::DEFAULT).unwrap());
        assert!(a.svg.starts_with("<svg") && a.svg.contains("<title>environments</title>"));
        for label in [
            "init",
            "busy",
            "idle",
            "throttled arrival",
            "expired",
            "recycled",
        ] {
            assert!(a.svg.contains(&format!(">\n{label}\n<")), "legend: {label}");
        }
        assert!(a.svg.contains(">\nthrottled\n<"), "the throttled row");
        assert!(a.svg.contains("#0072B2") && a.svg.contains("#E69F00"));
        assert_eq!(&a.png[1..4], b"PNG");
    }

    #[test]
    fn an_empty_gantt_renders_with_a_note() {
        let g = Chart::from(Gantt::new("none", "time [s]", 0.0, 0.0));
        let a = g.render(Size::DEFAULT).unwrap();
        assert!(a.svg.contains("no execution environment in the window"));
    }

    #[test]
    fn many_rows_and_spans_stay_small_and_labels_do_not_overlap() {
        let g = big(200, 250);
        let spans: usize = g.rows.iter().map(|r| r.spans.len()).sum();
        assert_eq!(spans, 50_000);
        let chart = Chart::from(g);
        let t = std::time::Instant::now();
        let svg = chart.svg(Size::DEFAULT).unwrap();
        let svg_time = t.elapsed();
        let t = std::time::Instant::now();
        let png = chart.png(Size::DEFAULT).unwrap();
        let png_time = t.elapsed();
        let rects = svg.matches("<rect").count();
        eprintln!(
            "200 rows x {spans} spans: SVG {} bytes, {rects} rects, {svg_time:?}; PNG {} bytes, {png_time:?}",
            svg.len(),
            png.len()
        );
        // At most one rectangle per column and phase per row (plus the
        // frame's): decimation bounds the SVG whatever the spans.
        assert!(rects <= 200 * 3 * 800 + 100, "{rects}");
        // Row labels thinned: far fewer than 200 at 450 px.
        let labels = svg.matches(">\nenvironment number").count();
        assert!(labels > 3 && labels < 40, "{labels}");
    }
}
