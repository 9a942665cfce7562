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

use super::{EdgeKind, NodeKind, Topology};

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
    for grp in &groups {
        let p = (grp.from.index(), grp.to.index());
        if p.0 != p.1 && !pairs.contains(&p) {
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
    let mut map: IndexMap<(usize, usize, EdgeKind), (Vec<EdgeIndex>, Vec<&str>)> = IndexMap::new();
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

/// Which of `pairs` close a cycle: those a depth-first search, started from
/// the sources and then from every node in index order, finds pointing at a
/// node still on its stack.
fn back_edges(n: usize, pairs: &[(usize, usize)], sources: &[bool]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        out[a].push((b, i));
    }
    let has_pred: Vec<bool> = (0..n).map(|v| pairs.iter().any(|p| p.1 == v)).collect();
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; pairs.len()];
    let starts = (0..n)
        .filter(|&v| sources[v])
        .chain((0..n).filter(|&v| !has_pred[v]))
        .chain(0..n);
    for s in starts.collect::<Vec<_>>() {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, i)) = out[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[i] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Layer of every node: the longest path from a node with no caller;
/// a component nobody calls that is not a source sits one layer before
/// its nearest callee, and one with no calls at all in the last layer.
fn longest_path_layers(n: usize, dag: &[(usize, usize)], sources: &[bool]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indeg[b] += 1;
        out[a].push(b);
    }
    let mut layer = vec![0usize; n];
    let mut ready: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut left = indeg.clone();
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = ready.pop_front() {
        topo.push(v);
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            left[w] -= 1;
            if left[w] == 0 {
                ready.push_back(w);
            }
        }
    }
    let last = layer.iter().copied().max().unwrap_or(0);
    // Later nodes first, so that a chain of uncalled nodes moves as a whole.
    for &v in topo.iter().rev() {
        if indeg[v] != 0 || sources[v] {
            continue;
        }
        layer[v] = match out[v].iter().map(|&w| layer[w]).min() {
            Some(m) => m.saturating_sub(1).max(layer[v]),
            None if last > 0 => last,
            None => 0,
        };
    }
    layer
}

/// Order of the vertices in each layer: barycentre sweeps from the initial
/// index order, keeping the order with the fewest crossings.
fn order_layers(
    vertices: &[Vertex],
    nlayers: usize,
    segments: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); nlayers];
    for (i, v) in vertices.iter().enumerate() {
        order[v.layer].push(i);
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for &(a, b) in segments {
        down[a].push(b);
        up[b].push(a);
    }
    let mut pos = vec![0usize; vertices.len()];
    let reindex = |order: &[Vec<usize>], pos: &mut [usize]| {
        for layer in order {
            for (k, &v) in layer.iter().enumerate() {
                pos[v] = k;
            }
        }
    };
    reindex(&order, &mut pos);
    let mut best = order.clone();
    let mut best_crossings = crossings(&order, &pos, &down);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..nlayers).collect()
        } else {
            (0..nlayers.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let nbrs = if downward { &up } else { &down };
            let mut keyed: Vec<(f64, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    let key = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            // Stable: ties keep their current order.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            order[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (k, &v) in order[l].iter().enumerate() {
                pos[v] = k;
            }
        }
        let c = crossings(&order, &pos, &down);
        if c < best_crossings {
            best_crossings = c;
            best = order.clone();
        }
    }
    best
}

/// Edge crossings between adjacent layers: inversions of the lower ends
/// when the segments are sorted by their upper ends (merge sort).
fn crossings(order: &[Vec<usize>], pos: &[usize], down: &[Vec<usize>]) -> u64 {
    let mut total = 0;
    for layer in order {
        let mut ends: Vec<usize> = Vec::new();
        for &v in layer {
            let mut lower: Vec<usize> = down[v].iter().map(|&w| pos[w]).collect();
            lower.sort_unstable();
            ends.extend(lower);
        }
        total += inversions(&mut ends);
    }
    total
}

fn inversions(v: &mut [usize]) -> u64 {
    if v.len() < 2 {
        return 0;
    }
    let mid = v.len() / 2;
    let mut n = inversions(&mut v[..mid]) + inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if v[j] < v[i] {
            n += (mid - i) as u64;
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
    n
}

/// Centre heights of the vertices: each layer in its order, as close as
/// the gaps allow to the mean of its neighbours' in the layer before (down
/// passes) or after (up passes).
fn place_vertically(
    vertices: &[Vertex],
    order: &[Vec<usize>],
    segments: &[(usize, usize)],
) -> Vec<f64> {
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for &(a, b) in segments {
        down[a].push(b);
        up[b].push(a);
    }
    // Minimum distance between the centres of consecutive vertices.
    let sep = |a: &Vertex, b: &Vertex| {
        let gap = if a.dummy || b.dummy { DUMMY_GAP } else { GAP };
        a.h / 2.0 + gap + b.top + b.h / 2.0
    };
    let mut y = vec![0.0f64; vertices.len()];
    for layer in order {
        let mut at = 0.0;
        for (k, &v) in layer.iter().enumerate() {
            if k > 0 {
                at += sep(&vertices[layer[k - 1]], &vertices[v]);
            }
            y[v] = at;
        }
    }
    let nlayers = order.len();
    for pass in 0..PLACEMENT_PASSES {
        let downward = pass % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..nlayers).collect()
        } else {
            (0..nlayers.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let nbrs = if downward { &up } else { &down };
            let want: Vec<f64> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    if ns.is_empty() {
                        y[v]
                    } else {
                        ns.iter().map(|&u| y[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let gaps: Vec<f64> = order[l]
                .windows(2)
                .map(|w| sep(&vertices[w[0]], &vertices[w[1]]))
                .collect();
            for (&v, yv) in order[l].iter().zip(isotonic(&want, &gaps)) {
                y[v] = yv;
            }
        }
    }
    // Shift so that the highest top (self-loops included) is at the margin.
    let top = order
        .iter()
        .flatten()
        .map(|&v| y[v] - vertices[v].h / 2.0 - vertices[v].top)
        .fold(f64::INFINITY, f64::min);
    let shift = if top.is_finite() { MARGIN - top } else { 0.0 };
    y.iter().map(|v| v + shift).collect()
}

/// Positions closest (least squares) to `want` that keep at least `gaps[k]`
/// between the k-th and the next: pool-adjacent-violators on the positions
/// less their cumulative gaps.
fn isotonic(want: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(want.len());
    let mut acc = 0.0;
    for k in 0..want.len() {
        if k > 0 {
            acc += gaps[k - 1];
        }
        offset.push(acc);
    }
    // Blocks of (sum, count) whose means increase.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (w, o) in want.iter().zip(&offset) {
        blocks.push((w - o, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f64 > s1 / c1 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s0 + s1, c0 + c1);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(want.len());
    for (s, c) in blocks {
        for _ in 0..c {
            out.push(s / c as f64);
        }
    }
    out.iter().zip(&offset).map(|(z, o)| z + o).collect()
}

/// Where edges attach to a box: spread over its side in the order of
/// their other ends, so that they do not all leave from one point.
struct Ports {
    /// Per segment: the height where it leaves its upper vertex's right
    /// side and where it enters its lower vertex's left side.
    at: Vec<(f64, f64)>,
}

impl Ports {
    fn new(vertices: &[Vertex], ys: &[f64], segments: &[(usize, usize)]) -> Ports {
        let mut at: Vec<(f64, f64)> = segments.iter().map(|&(a, b)| (ys[a], ys[b])).collect();
        let mut right: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
        let mut left: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
        for (i, &(a, b)) in segments.iter().enumerate() {
            right[a].push(i);
            left[b].push(i);
        }
        for (v, vx) in vertices.iter().enumerate() {
            if vx.dummy {
                continue;
            }
            for (side, is_right) in [(&mut right[v], true), (&mut left[v], false)] {
                let other = |i: usize| {
                    if is_right {
                        segments[i].1
                    } else {
                        segments[i].0
                    }
                };
                side.sort_by(|&i, &j| ys[other(i)].total_cmp(&ys[other(j)]).then(i.cmp(&j)));
                let k = side.len();
                let step = (vx.h * 0.6 / k.max(1) as f64).min(8.0);
                for (rank, &i) in side.iter().enumerate() {
                    let y = ys[v] + (rank as f64 - (k as f64 - 1.0) / 2.0) * step;
                    if is_right {
                        at[i].0 = y;
                    } else {
                        at[i].1 = y;
                    }
                }
            }
        }
        Ports { at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_keeps_gaps_and_order() {
        // Everyone wants 0: spread around it, 10 apart.
        let y = isotonic(&[0.0, 0.0, 0.0], &[10.0, 10.0]);
        assert_eq!(y, vec![-10.0, 0.0, 10.0]);
        // Far apart already: unchanged.
        let y = isotonic(&[0.0, 50.0, 100.0], &[10.0, 10.0]);
        assert_eq!(y, vec![0.0, 50.0, 100.0]);
        // Out of order wishes are pooled.
        let y = isotonic(&[30.0, 0.0], &[10.0]);
        assert_eq!(y, vec![10.0, 20.0]);
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions(&mut [0, 1, 2]), 0);
        assert_eq!(inversions(&mut [2, 1, 0]), 3);
        assert_eq!(inversions(&mut [1, 0, 1, 0]), 3);
    }

    #[test]
    fn back_edges_break_every_cycle() {
        // 0 -> 1 -> 2 -> 1, 2 -> 0.
        let pairs = [(0, 1), (1, 2), (2, 1), (2, 0)];
        let back = back_edges(3, &pairs, &[true, false, false]);
        assert_eq!(back, vec![false, false, true, true]);
        let dag: Vec<_> = pairs
            .iter()
            .zip(&back)
            .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
            .collect();
        let layers = longest_path_layers(3, &dag, &[true, false, false]);
        assert_eq!(layers, vec![0, 1, 2]);
    }

    #[test]
    fn uncalled_components_sit_before_their_callee_or_last() {
        // 0 (source) -> 1 -> 2; 3 -> 2 (uncalled); 4 alone.
        let dag = [(0, 1), (1, 2), (3, 2)];
        let sources = [true, false, false, false, false];
        let layers = longest_path_layers(5, &dag, &sources);
        assert_eq!(layers, vec![0, 1, 2, 1, 2]);
    }
}
