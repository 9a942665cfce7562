//! The look shared by every chart: colours (a palette that colour-blind
//! readers can tell apart, and a sequential scale for heatmaps), text
//! sizes and styles.

use super::font::FAMILY;
use plotters::style::{IntoFont, RGBColor, TextStyle};

/// A colour (sRGB).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Colour(pub u8, pub u8, pub u8);

/// The Okabe-Ito palette without its yellow (too pale on white), then
/// grey: series take these in order.
const PALETTE: [Colour; 8] = [
    Colour(0x00, 0x72, 0xB2), // blue
    Colour(0xE6, 0x9F, 0x00), // orange
    Colour(0x00, 0x9E, 0x73), // bluish green
    Colour(0xD5, 0x5E, 0x00), // vermillion
    Colour(0xCC, 0x79, 0xA7), // reddish purple
    Colour(0x56, 0xB4, 0xE9), // sky blue
    Colour(0x00, 0x00, 0x00), // black
    Colour(0x88, 0x88, 0x88), // grey
];

impl Colour {
    /// What went well (succeeded requests).
    pub const OK: Colour = Colour(0x00, 0x9E, 0x73);
    /// What went wrong (failed requests).
    pub const FAILED: Colour = Colour(0xD5, 0x5E, 0x00);
    /// A limit shared by everything on the chart (the account's).
    pub const LIMIT: Colour = Colour(0x55, 0x55, 0x55);

    /// The colour of the `i`-th series (the palette repeats after 8).
    pub fn series(i: usize) -> Colour {
        PALETTE[i % PALETTE.len()]
    }

    /// As plotters' colour.
    pub(crate) fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Axis lines and tick marks.
pub(crate) const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);

/// Text sizes \[px\] (plotters' size: the line height; SVG font-size is
/// this / 1.24).
pub(crate) const TITLE: f64 = 21.0;
pub(crate) const AXIS_LABEL: f64 = 16.0;
pub(crate) const TICK: f64 = 14.0;
pub(crate) const LEGEND: f64 = 14.0;
pub(crate) const NOTE: f64 = 13.5;

/// Text in the embedded font at `size` \[px\], in the ink colour.
pub(crate) fn text(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

/// The sequential colour scale of heatmaps: viridis (dark blue for low,
/// yellow for high) at `t` in 0..=1, interpolated between nine of its
/// colours. Readable in grey and by colour-blind readers.
pub(crate) fn viridis(t: f64) -> Colour {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    Colour(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `background`.
pub(crate) fn ink_on(background: Colour) -> RGBColor {
    let l = 0.299 * f64::from(background.0)
        + 0.587 * f64::from(background.1)
        + 0.114 * f64::from(background.2);
    if l > 140.0 {
        INK
    } else {
        RGBColor(0xFF, 0xFF, 0xFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_runs_from_dark_to_light_and_clamps() {
        assert_eq!(viridis(0.0), Colour(68, 1, 84));
        assert_eq!(viridis(1.0), Colour(253, 231, 37));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        let lum = |c: Colour| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        let mut last = 0;
        for i in 0..=20 {
            let l = lum(viridis(f64::from(i) / 20.0));
            assert!(l >= last, "viridis gets lighter");
            last = l;
        }
    }

    #[test]
    fn text_reads_on_dark_and_light_cells() {
        assert_eq!(ink_on(viridis(0.0)), RGBColor(0xFF, 0xFF, 0xFF));
        assert_eq!(ink_on(viridis(1.0)), INK);
    }
}
