//! The embedded font: DejaVu Sans (Bitstream Vera licence, see
//! `assets/fonts/`), registered with plotters once per process so that
//! PNG text renders on a machine without system fonts.
//!
//! SVG text is emitted as `<text>` elements naming [`FAMILY`]: the font
//! itself with generic fallbacks, so a viewer without DejaVu Sans uses a
//! close sans-serif.

use plotters::style::{register_font, FontStyle};
use std::sync::Once;

/// The font's bytes (a subset of DejaVu Sans 2.37).
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family every text of a chart uses. plotters writes it as the SVG
/// `font-family` and looks the registered font up by it for PNG.
pub(crate) const FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, Arial, sans-serif";

static REGISTER: Once = Once::new();

/// Registers the embedded font under [`FAMILY`] (normal and bold: bold text
/// falls back to the regular face). Idempotent and thread-safe.
pub(crate) fn register() {
    REGISTER.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The bytes are a valid TrueType font (tested); were they not,
            // drawing text would fail with a PlotError, not panic.
            let _ = register_font(FAMILY, style, DEJAVU_SANS);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_parses_and_has_the_glyphs_plots_use() {
        use ab_glyph::Font;
        let font = ab_glyph::FontRef::try_from_slice(DEJAVU_SANS).expect("a TrueType font");
        for c in "Latency CDF 0123456789 µs ≤ × – … ✓ ✗ [ms] % $".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
    }
}
