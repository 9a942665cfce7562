//! The report as a document: sections of headings, paragraphs, tables,
//! lists and figures, built once (`content.rs`) and rendered twice, as HTML
//! (`html.rs`) and as Markdown (`markdown.rs`), so that both say the same.
//!
//! Text here is plain: each renderer escapes it for its format.

/// A table cell: its text and how it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// A verdict colour, if any.
    pub tone: Tone,
}

/// A cell's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Nothing to say.
    Plain,
    /// A pass (an SLO met).
    Pass,
    /// A fail (an SLO missed).
    Fail,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            tone: Tone::Plain,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table: a class (for styles and tests), a header, rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// CSS class of the table (`headline`, `cost-by-service`, ...).
    pub class: &'static str,
    /// Column titles.
    pub header: Vec<String>,
    /// Which columns are numbers (aligned right).
    pub numeric: Vec<bool>,
    /// Rows, each as wide as the header.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table; `header` names the columns, a leading `>` marks a
    /// numeric one (`">requests"`).
    pub fn new(class: &'static str, header: &[&str]) -> Table {
        Table {
            class,
            numeric: header.iter().map(|h| h.starts_with('>')).collect(),
            header: header
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (cut or padded to the header's width).
    pub fn row(&mut self, cells: Vec<Cell>) {
        let mut cells = cells;
        cells.resize(self.header.len(), Cell::from(""));
        self.rows.push(cells);
    }
}

/// An SVG drawing shown inline in HTML and linked from Markdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The caption (the SVG's title, or its file name).
    pub caption: String,
    /// The SVG element itself (from `<svg` to `</svg>`).
    pub svg: String,
    /// Its path relative to the report (`plots/01-latency.svg`).
    pub link: String,
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para(String),
    /// A sub-heading.
    Subheading(String),
    /// Label: value pairs.
    Facts(Vec<(String, String)>),
    /// A table.
    Table(Table),
    /// A bulleted list.
    List(Vec<String>),
    /// A drawing.
    Figure(Figure),
}

/// A section with an anchor id and a title.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Anchor id (`headline`, `cost`, ...).
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// What it holds.
    pub blocks: Vec<Block>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// The document's title.
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// A closing line.
    pub footer: String,
}
