//! One chart description, two outputs: an SVG document (text as `<text>`
//! elements, a `<title>`) and a PNG image (text rasterised from the
//! embedded font), both drawn by the same code through plotters' backends.
//!
//! Deterministic: the same description and size give the same bytes (no
//! clock, no randomness, no hash-map order; PNG encoding is deterministic).

use super::font;
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::prelude::{IntoDrawingArea, SVGBackend};

/// The size of a chart \[px\]; the SVG's `viewBox` and the PNG's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Width \[px\].
    pub width: u32,
    /// Height \[px\].
    pub height: u32,
}

impl Size {
    /// The size of the charts `slsim run` writes: 800 x 450.
    pub const DEFAULT: Size = Size {
        width: 800,
        height: 450,
    };

    /// Smallest size a chart is drawn at: the title, axes and legend need
    /// room.
    pub const MIN: Size = Size {
        width: 320,
        height: 200,
    };
}

impl Default for Size {
    fn default() -> Size {
        Size::DEFAULT
    }
}

/// A chart as SVG text and PNG bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// A standalone SVG document (no XML declaration, so that it can be
    /// inlined in HTML), starting with `<svg` and holding a `<title>`.
    pub svg: String,
    /// A PNG image (8-bit RGB).
    pub png: Vec<u8>,
}

/// Why a chart could not be drawn. Not expected with valid descriptions
/// (every value is checked before it reaches plotters); reported, never a
/// panic.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// plotters failed to draw.
    #[error("cannot draw the chart {title:?}: {message}\n  hint: this is a bug in slsim; please report it (run with --no-plots meanwhile)")]
    Draw {
        /// The chart's title.
        title: String,
        /// What plotters said.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("cannot encode the chart {title:?} as PNG: {message}\n  hint: this is a bug in slsim; please report it (run with --no-plots meanwhile)")]
    Png {
        /// The chart's title.
        title: String,
        /// What the encoder said.
        message: String,
    },
}

/// A failure inside a drawing function, before the chart's title is
/// attached.
#[derive(Debug)]
pub(crate) struct DrawFailed(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawFailed {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawFailed {
        DrawFailed(e.to_string())
    }
}

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Draw {
    /// Its title (also the SVG's `<title>`).
    fn title(&self) -> &str;
    /// Draws the whole chart on `root` (white, of the chart's size);
    /// `raster` for a bitmap (see `axes::Pen`).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster: bool,
    ) -> Result<(), DrawFailed>;
}

fn failed(title: &str) -> impl Fn(DrawFailed) -> PlotError + '_ {
    move |e| PlotError::Draw {
        title: title.to_string(),
        message: e.0,
    }
}

fn clamp(size: Size) -> Size {
    Size {
        width: size.width.clamp(Size::MIN.width, 8192),
        height: size.height.clamp(Size::MIN.height, 8192),
    }
}

/// The chart as an SVG document.
pub(crate) fn svg(chart: &impl Draw, size: Size) -> Result<String, PlotError> {
    font::register();
    let size = clamp(size);
    let mut out = String::with_capacity(64 * 1024);
    {
        let root = SVGBackend::with_string(&mut out, (size.width, size.height)).into_drawing_area();
        root.fill(&plotters::style::WHITE)
            .map_err(DrawFailed::from)
            .map_err(failed(chart.title()))?;
        chart.draw(&root, false).map_err(failed(chart.title()))?;
        root.present()
            .map_err(DrawFailed::from)
            .map_err(failed(chart.title()))?;
    }
    Ok(with_title(&out, chart.title()))
}

/// The chart as a PNG image.
pub(crate) fn png(chart: &impl Draw, size: Size) -> Result<Vec<u8>, PlotError> {
    font::register();
    let size = clamp(size);
    let mut pixels = vec![0u8; size.width as usize * size.height as usize * 3];
    {
        let root =
            BitMapBackend::with_buffer(&mut pixels, (size.width, size.height)).into_drawing_area();
        root.fill(&plotters::style::WHITE)
            .map_err(DrawFailed::from)
            .map_err(failed(chart.title()))?;
        chart.draw(&root, true).map_err(failed(chart.title()))?;
        root.present()
            .map_err(DrawFailed::from)
            .map_err(failed(chart.title()))?;
    }
    encode_png(&pixels, size).map_err(|e| PlotError::Png {
        title: chart.title().to_string(),
        message: e.to_string(),
    })
}

/// RGB pixels to PNG: `Fast` compression (fdeflate), which suits charts
/// (large flat areas) and costs a few milliseconds.
fn encode_png(pixels: &[u8], size: Size) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(pixels.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, size.width, size.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}

/// `svg` with `<title>` as the first child of the root element (what
/// screen readers and browsers show for the image).
fn with_title(svg: &str, title: &str) -> String {
    let mut escaped = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    let svg = svg.trim_start();
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => {
            let (open, rest) = svg.split_at(end + 1);
            format!("{open}\n<title>{escaped}</title>{rest}")
        }
        _ => svg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_first_child_and_escaped() {
        let s = with_title("<svg a=\"1\">\n<rect/>\n</svg>\n", "a < b & c");
        assert_eq!(
            s,
            "<svg a=\"1\">\n<title>a &lt; b &amp; c</title>\n<rect/>\n</svg>\n"
        );
    }

    #[test]
    fn png_encoding_is_deterministic_and_decodes() {
        let size = Size {
            width: 4,
            height: 2,
        };
        let pixels: Vec<u8> = (0..24).collect();
        let a = encode_png(&pixels, size).unwrap();
        assert_eq!(a, encode_png(&pixels, size).unwrap());
        let decoder = png::Decoder::new(std::io::Cursor::new(&a));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (4, 2));
        assert_eq!(&buf[..info.buffer_size()], &pixels[..]);
    }
}
