//! The call graph as a standalone SVG drawing (`slsim graph --format svg`,
//! `topology.svg` in a run's directory, inlined in `report.html`).
//!
//! The layout is `layout.rs`'s; this file only draws it: a shape and
//! a colour per component kind, the kind above the name; a curve per edge,
//! solid when synchronous, dashed when asynchronous, dotted for an event
//! source, with an arrowhead drawn as a triangle (no markers, so no ids
//! that could clash with another SVG on the same page) and its labels; a
//! legend. No script, no external font or reference. Names are
//! XML-escaped. Numbers print with one decimal, so the same graph always
//! gives the same bytes.

use std::fmt::Write as _;

use super::layout::{layout, text_shift, EdgePath, Layout, NodeBox, NAME_PX, SMALL_PX};
use super::{build, EdgeKind, NodeKind, Topology};
use crate::model::Scenario;

/// Height of the legend under the drawing \[px\].
const LEGEND_H: f64 = 28.0;
/// Width the legend needs \[px\].
const LEGEND_W: f64 = 430.0;

/// The topology of a scenario as SVG, titled with the scenario's name.
pub fn to_svg(s: &Scenario) -> String {
    build(s).to_svg(&s.simulation.name)
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for XML text and
/// attribute values alike.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 (names cannot
            // hold them, labels neither; kept out to be sure).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal, never `-0.0`.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 || !r.is_finite() {
        "0".into()
    } else if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Stroke colour and fill of a kind (AWS's category colours, lightened
/// for the fill).
fn colours(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Workload => ("#1f6feb", "#e8f0fd"),
        NodeKind::Api => ("#c7136a", "#fce8f2"),
        NodeKind::Lambda => ("#c45e00", "#fdf0e3"),
        NodeKind::Table => ("#a51fad", "#f8e9f9"),
        NodeKind::Queue | NodeKind::Topic | NodeKind::Schedule => ("#c7136a", "#fce8f2"),
        NodeKind::Bucket => ("#5c7a10", "#eff5e3"),
        NodeKind::Service => ("#4b5563", "#f0f1f3"),
        NodeKind::Stream | NodeKind::Cdn => ("#6d3fd6", "#f0ebfd"),
    }
}

/// The outline of a kind's shape inside box `b`, as SVG elements.
fn shape(kind: NodeKind, b: &NodeBox, stroke: &str, fill: &str) -> String {
    let (x, y, w, h) = (b.x, b.y, b.w, b.h);
    let style = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"");
    let rect = |rx: f64| {
        format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {style}/>",
            n(x),
            n(y),
            n(w),
            n(h),
            n(rx)
        )
    };
    let poly = |pts: &[(f64, f64)]| {
        let p: Vec<String> = pts
            .iter()
            .map(|&(px, py)| format!("{},{}", n(px), n(py)))
            .collect();
        format!("<polygon points=\"{}\" {style}/>", p.join(" "))
    };
    let line = |x1: f64, y1: f64, x2: f64, y2: f64| {
        format!(
            "<path d=\"M{} {}L{} {}\" fill=\"none\" stroke=\"{stroke}\"/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        )
    };
    match kind {
        NodeKind::Workload => rect(h / 2.0),
        NodeKind::Api => rect(2.0),
        NodeKind::Lambda => rect(9.0),
        NodeKind::Table => {
            // A cylinder: the body, and the front of its top ellipse.
            let ry = 5.0;
            let body = format!(
                "<path d=\"M{x0} {y1}A{rx} {ry} 0 0 1 {x1} {y1}L{x1} {y2}A{rx} {ry} 0 0 1 {x0} \
                 {y2}Z\" {style}/>",
                x0 = n(x),
                x1 = n(x + w),
                y1 = n(y + ry),
                y2 = n(y + h - ry),
                rx = n(w / 2.0),
                ry = n(ry),
            );
            let rim = format!(
                "<path d=\"M{x0} {y1}A{rx} {ry} 0 0 0 {x1} {y1}\" fill=\"none\" \
                 stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
                x0 = n(x),
                x1 = n(x + w),
                y1 = n(y + ry),
                rx = n(w / 2.0),
                ry = n(ry),
            );
            body + &rim
        }
        NodeKind::Queue => {
            // A box with message slots at its right end.
            let mut s = rect(2.0);
            for k in 1..=3 {
                let lx = x + w - 6.0 * k as f64;
                s += &line(lx, y + 4.0, lx, y + h - 4.0);
            }
            s
        }
        NodeKind::Topic => {
            let d = 10.0;
            poly(&[
                (x + d, y),
                (x + w - d, y),
                (x + w, y + h / 2.0),
                (x + w - d, y + h),
                (x + d, y + h),
                (x, y + h / 2.0),
            ])
        }
        NodeKind::Bucket => {
            let d = 7.0;
            poly(&[(x, y), (x + w, y), (x + w - d, y + h), (x + d, y + h)])
        }
        NodeKind::Service => {
            let inner = format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"none\" \
                 stroke=\"{stroke}\"/>",
                n(x + 3.0),
                n(y + 3.0),
                n(w - 6.0),
                n(h - 6.0)
            );
            rect(4.0) + &inner
        }
        NodeKind::Schedule => format!(
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" {style}/>",
            n(x + w / 2.0),
            n(y + h / 2.0),
            n(w / 2.0),
            n(h / 2.0)
        ),
        NodeKind::Stream => {
            let d = 8.0;
            poly(&[(x + d, y), (x + w, y), (x + w - d, y + h), (x, y + h)])
        }
        NodeKind::Cdn => {
            let d = 8.0;
            poly(&[
                (x + d, y),
                (x + w - d, y),
                (x + w, y + d),
                (x + w, y + h - d),
                (x + w - d, y + h),
                (x + d, y + h),
                (x, y + h - d),
                (x, y + d),
            ])
        }
    }
}

/// Dash pattern and name of an edge kind.
fn edge_style(kind: EdgeKind) -> (&'static str, &'static str) {
    match kind {
        EdgeKind::Sync => ("", "sync"),
        EdgeKind::Async => (" stroke-dasharray=\"7 4\"", "async"),
        EdgeKind::EventSource => (" stroke-dasharray=\"2 3\"", "event-source"),
    }
}

/// The curve through an edge's points: cubic pieces that leave and arrive
/// horizontally (a loop above the box for a self-call).
fn path_d(e: &EdgePath) -> String {
    let p = &e.points;
    if e.self_loop {
        let ((x0, y0), (x1, y1)) = (p[0], p[1]);
        return format!(
            "M{} {}C{} {} {} {} {} {}",
            n(x0),
            n(y0),
            n(x0 - 14.0),
            n(y0 - 30.0),
            n(x1 + 14.0),
            n(y1 - 30.0),
            n(x1),
            n(y1)
        );
    }
    let mut d = format!("M{} {}", n(p[0].0), n(p[0].1));
    for w in p.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let mx = (x0 + x1) / 2.0;
        let _ = write!(
            d,
            "C{} {} {} {} {} {}",
            n(mx),
            n(y0),
            n(mx),
            n(y1),
            n(x1),
            n(y1)
        );
    }
    d
}

/// The arrowhead at the end of an edge: a triangle pointing along the
/// curve's last direction (horizontal, or down into a self-loop's end).
fn arrow(e: &EdgePath) -> String {
    let p = &e.points;
    let (tx, ty) = p[p.len() - 1];
    let (len, half) = (8.0, 4.0);
    let pts = if e.self_loop {
        [
            (tx, ty),
            (tx + half * 0.6, ty - len),
            (tx + half * 2.2, ty - len * 0.6),
        ]
    } else {
        let dir = if p[p.len() - 2].0 <= tx { 1.0 } else { -1.0 };
        let bx = tx - dir * len;
        [(tx, ty), (bx, ty - half), (bx, ty + half)]
    };
    let s: Vec<String> = pts
        .iter()
        .map(|&(x, y)| format!("{},{}", n(x), n(y)))
        .collect();
    s.join(" ")
}

impl Topology {
    /// The graph as a standalone SVG document, titled `Topology of <title>`.
    /// Every component is one `<g class="node">` (with `data-kind`,
    /// `data-name` and its box in `data-box="x y w h"`), every group of
    /// calls of one kind between two components one `<g class="edge">`
    /// (with `data-from`, `data-to`, `data-kind` and `data-calls`, the
    /// number of calls it stands for).
    pub fn to_svg(&self, title: &str) -> String {
        let lay = layout(self);
        render(self, &lay, title)
    }
}

fn render(t: &Topology, lay: &Layout, title: &str) -> String {
    let g = &t.graph;
    let width = lay.width.max(LEGEND_W).ceil();
    let height = (lay.height + LEGEND_H).ceil();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"slsim-topology\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" font-family=\"Helvetica, Arial, \
         sans-serif\" font-size=\"{NAME_PX}\">",
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>Topology of {}</title>", xml_escape(title));
    let _ = writeln!(
        out,
        "<desc>{} components, {} calls; solid: synchronous, dashed: asynchronous, dotted: event \
         source</desc>",
        g.node_count(),
        g.edge_count()
    );
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(width),
        n(height)
    );
    out.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#374151\" stroke-width=\"1.3\">\n");
    for e in &lay.edges {
        let (dash, kind) = edge_style(e.kind);
        let _ = writeln!(
            out,
            "<g class=\"edge\" data-from=\"{}\" data-to=\"{}\" data-kind=\"{kind}\" \
             data-calls=\"{}\"><path d=\"{}\"{dash}/><polygon points=\"{}\" fill=\"#374151\" \
             stroke=\"none\"/></g>",
            xml_escape(&g[e.from].name),
            xml_escape(&g[e.to].name),
            e.edges.len(),
            path_d(e),
            arrow(e)
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for v in g.node_indices() {
        let node = &g[v];
        let b = &lay.nodes[v.index()];
        let (stroke, fill) = colours(node.kind);
        let cx = b.x + b.w / 2.0 - text_shift(node.kind);
        // A cylinder's rim takes the top of the box.
        let dy = if node.kind == NodeKind::Table {
            3.0
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "<g class=\"node\" data-kind=\"{kind}\" data-name=\"{name}\" data-box=\"{} {} {} \
             {}\">{}<text x=\"{cx}\" y=\"{ky}\" text-anchor=\"middle\" font-size=\"{SMALL_PX}\" \
             fill=\"{stroke}\">{kind}</text><text x=\"{cx}\" y=\"{ny}\" text-anchor=\"middle\" \
             fill=\"#111827\">{name}</text></g>",
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h),
            shape(node.kind, b, stroke, fill),
            kind = node.kind.as_str(),
            name = xml_escape(&node.name),
            cx = n(cx),
            ky = n(b.y + 16.0 + dy),
            ny = n(b.y + 32.0 + dy),
        );
    }
    out.push_str(
        "</g>\n<g class=\"labels\" font-size=\"10\" fill=\"#374151\" stroke=\"#ffffff\" \
                  stroke-width=\"3\" paint-order=\"stroke\" text-anchor=\"middle\">\n",
    );
    for e in lay.edges.iter().filter(|e| !e.label.is_empty()) {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n(e.label_at.0),
            n(e.label_at.1 - 3.0),
            xml_escape(&e.label)
        );
    }
    out.push_str("</g>\n");
    legend(&mut out, lay.height);
    out.push_str("</svg>\n");
    out
}

/// The three edge styles, under the drawing.
fn legend(out: &mut String, top: f64) {
    let y = top + LEGEND_H / 2.0;
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"{SMALL_PX}\" fill=\"#374151\">"
    );
    let mut x = 16.0;
    for (kind, text) in [
        (EdgeKind::Sync, "synchronous (waits)"),
        (EdgeKind::Async, "asynchronous (hands over)"),
        (EdgeKind::EventSource, "event source"),
    ] {
        let (dash, _) = edge_style(kind);
        let _ = writeln!(
            out,
            "<path d=\"M{} {}L{} {}\" stroke=\"#374151\" stroke-width=\"1.3\"{dash}/><text \
             x=\"{}\" y=\"{}\">{text}</text>",
            n(x),
            n(y),
            n(x + 30.0),
            n(y),
            n(x + 36.0),
            n(y + 3.5)
        );
        x += 40.0 + text.len() as f64 * 5.6 + 16.0;
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(n(-0.0), "0");
        assert_eq!(n(-0.04), "0");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.3");
        assert_eq!(n(-3.25), "-3.3");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            xml_escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
