//! A layered (Sugiyama-style) drawing of the call graph, left to right,
//! computed here so that no Graphviz is needed.
//!
//! The steps: parallel calls between two components of one kind become one
//! drawn edge (their labels joined); cycles (asynchronous ones: a function
//! that sends to the queue that triggers it) are broken by reversing the
//! edges a depth-first search from the sources finds going back; layers are
//! the longest path from the sources (workloads, schedules); an edge that
//! spans several layers gets a dummy vertex in each layer between, so that
//! it is routed around the boxes; a few barycentre sweeps reduce crossings
//! (the order with the fewest is kept); vertical positions follow the
//! neighbours' (each layer placed by isotonic regression under the minimum
//! gaps, so boxes never overlap) and horizontal ones the layers.
//!
//! Everything is computed from node and edge indices in order, with no
//! hashing and no randomness: the same graph always gives the same layout.

use indexmap::IndexMap;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

mod place;
mod rank;

use super::{EdgeKind, NodeKind, Topology};
use place::{place_vertically, Ports};
use rank::{back_edges, longest_path_layers, order_layers};

/// Margin around the drawing \[px\].
pub const MARGIN: f64 = 16.0;
/// Height of a component's box \[px\].
pub const NODE_H: f64 = 42.0;
/// Font size of a component's name \[px\].
pub const NAME_PX: f64 = 12.0;
/// Font size of a component's kind and of edge labels \[px\].
pub const SMALL_PX: f64 = 10.0;
/// Extra space above a component that calls itself, for the loop \[px\].
const LOOP_H: f64 = 24.0;
/// Height of a dummy vertex (a long edge passing a layer) \[px\].
const DUMMY_H: f64 = 6.0;
/// Vertical gap between two boxes of a layer \[px\].
const GAP: f64 = 20.0;
/// Vertical gap next to a dummy vertex \[px\].
const DUMMY_GAP: f64 = 8.0;
/// Horizontal gap between two layers, before room for labels \[px\].
const LAYER_GAP: f64 = 56.0;
/// Most room given to labels between two layers \[px\].
const MAX_LABEL_ROOM: f64 = 220.0;
/// Barycentre sweeps (down and up alternate).
const SWEEPS: usize = 12;
/// Passes of vertical placement (down and up alternate).
const PLACEMENT_PASSES: usize = 8;

/// A component's box: top-left corner and size \[px\].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeBox {
    /// Left \[px\].
    pub x: f64,
    /// Top \[px\].
    pub y: f64,
    /// Width \[px\].
    pub w: f64,
    /// Height \[px\].
    pub h: f64,
    /// Layer (column), 0 for the sources.
    pub layer: usize,
}

impl NodeBox {
    /// Whether two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, o: &NodeBox) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// One drawn edge: every call of one kind from one component to another.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    /// The caller.
    pub from: NodeIndex,
    /// The callee.
    pub to: NodeIndex,
    /// Sync, async or event source.
    pub kind: EdgeKind,
    /// The calls it stands for, in index order.
    pub edges: Vec<EdgeIndex>,
    /// Their distinct non-empty labels, joined with ", ".
    pub label: String,
    /// Where the path goes, from the caller's side to the callee's: joined
    /// by curves that leave and arrive horizontally. For a call to itself,
    /// the two ends of the loop on top of the box.
    pub points: Vec<(f64, f64)>,
    /// Where the label's centre goes.
    pub label_at: (f64, f64),
    /// A component calling itself (drawn as a loop above its box).
    pub self_loop: bool,
}

/// The drawing: a box per node (by node index), a path per edge group.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the drawing \[px\].
    pub width: f64,
    /// Height of the drawing \[px\].
    pub height: f64,
    /// Boxes, indexed by `NodeIndex::index()`.
    pub nodes: Vec<NodeBox>,
    /// Edges, in the order of their first call's index.
    pub edges: Vec<EdgePath>,
}

/// Estimated width of `text` at `px` (sans-serif: most characters about
/// 0.6 em, East Asian wide ones 1 em) \[px\].
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x1100 { 1.0 } else { 0.62 })
        .sum::<f64>()
        * px
}

/// Width of a component's box: its name or its kind, whichever is wider.
fn node_width(name: &str, kind: NodeKind) -> f64 {
    let text = text_width(name, NAME_PX).max(text_width(kind.as_str(), SMALL_PX));
    (text + 24.0).max(84.0) + text_shift(kind).abs() * 2.0
}

/// How far a kind's text sits left of its box's centre, to clear the
/// decoration on the right (a queue's message slots) \[px\].
pub fn text_shift(kind: NodeKind) -> f64 {
    match kind {
        NodeKind::Queue => 9.0,
        _ => 0.0,
    }
}

/// A vertex of the layered graph: a component or a dummy on a long edge.
struct Vertex {
    layer: usize,
    w: f64,
    h: f64,
    /// Extra room above (a self-loop).
    top: f64,
    dummy: bool,
}

/// Lays out the topology.
pub fn layout(t: &Topology) -> Layout {
    let g = &t.graph;
    let n = g.node_count();
    let groups = group_edges(t);
    // Layering edges: one per (from, to) without self-loops.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for grp in &groups {
        let p = (grp.from.index(), grp.to.index());
        if p.0 != p.1 && seen.insert(p) {
            pairs.push(p);
        }
    }
    let sources: Vec<bool> = g
        .node_indices()
        .map(|v| matches!(g[v].kind, NodeKind::Workload | NodeKind::Schedule))
        .collect();
    let reversed = back_edges(n, &pairs, &sources);
    let dag: Vec<(usize, usize)> = pairs
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let layers = longest_path_layers(n, &dag, &sources);

    // The layered graph: components first, then dummies.
    let mut vertices: Vec<Vertex> = g
        .node_indices()
        .map(|v| Vertex {
            layer: layers[v.index()],
            w: node_width(&g[v].name, g[v].kind),
            h: NODE_H,
            top: 0.0,
            dummy: false,
        })
        .collect();
    for grp in groups.iter().filter(|grp| grp.from == grp.to) {
        vertices[grp.from.index()].top = LOOP_H;
    }
    // Each group's chain of vertices in DAG direction, and whether reversed.
    let mut chains: Vec<(Vec<usize>, bool)> = Vec::with_capacity(groups.len());
    for grp in &groups {
        let (a, b) = (grp.from.index(), grp.to.index());
        if a == b {
            chains.push((vec![a], false));
            continue;
        }
        let rev = layers[a] > layers[b];
        let (lo, hi) = if rev { (b, a) } else { (a, b) };
        let mut chain = vec![lo];
        for layer in layers[lo] + 1..layers[hi] {
            vertices.push(Vertex {
                layer,
                w: 0.0,
                h: DUMMY_H,
                top: 0.0,
                dummy: true,
            });
            chain.push(vertices.len() - 1);
        }
        chain.push(hi);
        chains.push((chain, rev));
    }
    let nlayers = layers.iter().max().map_or(0, |m| m + 1);
    // Segments between adjacent layers (upper vertex, lower vertex).
    let segments: Vec<(usize, usize)> = chains
        .iter()
        .flat_map(|(c, _)| c.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let order = order_layers(&vertices, nlayers, &segments);
    let ys = place_vertically(&vertices, &order, &segments);

    // Horizontal: layer columns, with room for the labels that sit in the
    // gap after each.
    let mut col_w = vec![0.0f64; nlayers];
    for v in &vertices {
        col_w[v.layer] = col_w[v.layer].max(v.w);
    }
    let mut label_room = vec![0.0f64; nlayers];
    for (grp, (chain, _)) in groups.iter().zip(&chains) {
        if chain.len() > 1 {
            let l = vertices[chain[0]].layer;
            let need = text_width(&grp.label, SMALL_PX) + 16.0;
            label_room[l] = label_room[l].max(need.min(MAX_LABEL_ROOM));
        }
    }
    let mut col_x = vec![MARGIN; nlayers];
    for l in 1..nlayers {
        col_x[l] = col_x[l - 1] + col_w[l - 1] + LAYER_GAP + label_room[l - 1];
    }
    let xs: Vec<f64> = vertices
        .iter()
        .map(|v| col_x[v.layer] + (col_w[v.layer] - v.w) / 2.0)
        .collect();

    let nodes: Vec<NodeBox> = (0..n)
        .map(|i| NodeBox {
            x: xs[i],
            y: ys[i] - NODE_H / 2.0,
            w: vertices[i].w,
            h: NODE_H,
            layer: vertices[i].layer,
        })
        .collect();
    let ports = Ports::new(&vertices, &ys, &segments);
    let mut first_segment = 0;
    let mut edges: Vec<EdgePath> = groups
        .into_iter()
        .zip(chains)
        .map(|(grp, (chain, rev))| {
            let seg0 = first_segment;
            first_segment += chain.len() - 1;
            let (points, label_at) = if grp.from == grp.to {
                let b = &nodes[grp.from.index()];
                let cx = b.x + b.w / 2.0;
                let pts = vec![(cx - 14.0, b.y), (cx + 14.0, b.y)];
                (pts, (cx, b.y - LOOP_H + 4.0))
            } else {
                let mut pts = Vec::with_capacity(chain.len());
                for (k, &v) in chain.iter().enumerate() {
                    let (x, w) = (xs[v], vertices[v].w);
                    if k == 0 {
                        pts.push((x + w, ports.at[seg0].0));
                    } else if k == chain.len() - 1 {
                        pts.push((x, ports.at[seg0 + k - 1].1));
                    } else {
                        pts.push((x, ys[v]));
                    }
                }
                let (p, q) = (pts[0], pts[1]);
                let mid = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
                if rev {
                    pts.reverse();
                }
                (pts, mid)
            };
            EdgePath {
                self_loop: grp.from == grp.to,
                from: grp.from,
                to: grp.to,
                kind: grp.kind,
                edges: grp.edges,
                label: grp.label,
                points,
                label_at,
            }
        })
        .collect();
    separate_labels(&mut edges);
    let width = (0..nlayers)
        .map(|l| col_x[l] + col_w[l])
        .fold(0.0, f64::max)
        + MARGIN;
    let height = vertices
        .iter()
        .zip(&ys)
        .map(|(v, y)| y + v.h / 2.0)
        .fold(0.0, f64::max)
        + MARGIN;
    Layout {
        width: width.max(2.0 * MARGIN),
        height: height.max(2.0 * MARGIN),
        nodes,
        edges,
    }
}

/// Moves labels down until none overlaps one placed before it (two
/// calls between the same components have their labels at one place).
fn separate_labels(edges: &mut [EdgePath]) {
    const LINE: f64 = 12.0;
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for e in edges.iter_mut().filter(|e| !e.label.is_empty()) {
        let half = text_width(&e.label, SMALL_PX) / 2.0;
        let (x, mut y) = e.label_at;
        for _ in 0..32 {
            let clash = placed
                .iter()
                .any(|&(px, py, ph)| (px - x).abs() < ph + half && (py - y).abs() < LINE);
            if !clash {
                break;
            }
            y += LINE;
        }
        e.label_at.1 = y;
        placed.push((x, y, half));
    }
}

/// Calls grouped by (caller, callee, kind), in the order of their first.
struct Group {
    from: NodeIndex,
    to: NodeIndex,
    kind: EdgeKind,
    edges: Vec<EdgeIndex>,
    label: String,
}

fn group_edges(t: &Topology) -> Vec<Group> {
    type Calls<'a> = (Vec<EdgeIndex>, Vec<&'a str>);
    let mut map: IndexMap<(usize, usize, EdgeKind), Calls<'_>> = IndexMap::new();
    for e in t.graph.edge_references() {
        let key = (e.source().index(), e.target().index(), e.weight().kind);
        let (edges, labels) = map.entry(key).or_default();
        edges.push(e.id());
        let label = e.weight().label.as_str();
        if !label.is_empty() && !labels.contains(&label) {
            labels.push(label);
        }
    }
    map.into_iter()
        .map(|((a, b, kind), (edges, labels))| Group {
            from: NodeIndex::new(a),
            to: NodeIndex::new(b),
            kind,
            edges,
            label: labels.join(", "),
        })
        .collect()
}
