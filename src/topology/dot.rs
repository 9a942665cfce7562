//! The call graph as Graphviz DOT (`slsim graph x.toml | dot -Tsvg`).

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use super::{build, EdgeKind, NodeKind, Topology};
use crate::model::Scenario;

/// Quotes a DOT identifier or label.
fn dot_id(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// The topology of a scenario as DOT, titled with the scenario's name.
pub fn to_dot(s: &Scenario) -> String {
    build(s).to_dot(&s.simulation.name)
}

impl Topology {
    /// The graph as DOT: one node per component, shaped by kind; one edge
    /// per call, labelled with the route or operation, solid when
    /// synchronous, dashed when asynchronous, dotted for an event source.
    /// Nodes and edges come in index order, so the same graph always gives
    /// the same text.
    pub fn to_dot(&self, title: &str) -> String {
        let g = &self.graph;
        let mut out = String::new();
        let _ = writeln!(out, "digraph {} {{", dot_id(title));
        let _ = writeln!(out, "  rankdir=LR;\n  node [fontname=\"Helvetica\"];");
        for n in g.node_indices() {
            let node = &g[n];
            let shape = match node.kind {
                NodeKind::Workload => "ellipse",
                NodeKind::Api => "box",
                NodeKind::Lambda => "component",
                NodeKind::Table => "cylinder",
                NodeKind::Queue => "cds",
                NodeKind::Topic => "hexagon",
                NodeKind::Bucket => "folder",
                NodeKind::Service => "box3d",
                NodeKind::Schedule => "invhouse",
                NodeKind::Stream => "rarrow",
                NodeKind::Cdn => "tab",
            };
            let _ = writeln!(
                out,
                "  {} [shape={shape}, label={}];",
                dot_id(&node.name),
                dot_id(&format!("{}\n{}", node.kind.as_str(), node.name))
            );
        }
        for e in g.edge_references() {
            let (from, to) = (&g[e.source()].name, &g[e.target()].name);
            let edge = e.weight();
            let mut attrs = Vec::new();
            if !edge.label.is_empty() {
                attrs.push(format!("label={}", dot_id(&edge.label)));
            }
            match edge.kind {
                EdgeKind::Sync => {}
                EdgeKind::Async => attrs.push("style=dashed".into()),
                EdgeKind::EventSource => attrs.push("style=dotted".into()),
            }
            let _ = write!(out, "  {} -> {}", dot_id(from), dot_id(to));
            if !attrs.is_empty() {
                let _ = write!(out, " [{}]", attrs.join(", "));
            }
            out.push_str(";\n");
        }
        out.push_str("}\n");
        out
    }
}
