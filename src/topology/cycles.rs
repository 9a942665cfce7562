//! Synchronous call cycles: a calls b calls ... calls a, each waiting for
//! the next, so none ever finishes.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EdgeKind, Topology};

impl Topology {
    /// One synchronous cycle per group of components that call each other
    /// synchronously in a loop (a strongly connected component of the
    /// [`EdgeKind::Sync`] edges, a self call included), whatever the kinds
    /// of its nodes.
    ///
    /// Each cycle is its edges (indices into [`Topology::graph`]) in call
    /// order, starting with the edge that leaves the cycle's smallest node;
    /// the last edge comes back to that node. Cycles are sorted by that
    /// first node. Within a component the walk follows, from each node, the
    /// edge to the smallest node (then the smallest edge) of the component,
    /// so the answer is the same on every run. Linear in the graph's size,
    /// and iterative: petgraph's `kosaraju_scc` keeps its own stack, where
    /// its recursive `tarjan_scc` overflows the thread's stack on a cycle of
    /// some 10^5 functions.
    pub fn sync_cycles(&self) -> Vec<Vec<EdgeIndex>> {
        // The same nodes (same indices), only the sync edges, each carrying
        // its index in `graph`.
        let sync: DiGraph<(), EdgeIndex> = self.graph.filter_map(
            |_, _| Some(()),
            |e, w| (w.kind == EdgeKind::Sync).then_some(e),
        );
        let n = sync.node_count();
        // Per node: the component being walked, and where the walk saw it
        // (`usize::MAX`: not yet), so that the walk is linear in its length.
        let mut comp = vec![usize::MAX; n];
        let mut seen_at = vec![usize::MAX; n];
        let mut out: Vec<(NodeIndex, Vec<EdgeIndex>)> = Vec::new();
        for (c, scc) in petgraph::algo::kosaraju_scc(&sync).into_iter().enumerate() {
            let Some(&start) = scc.iter().min() else {
                continue;
            };
            if scc.len() < 2 && !sync.contains_edge(start, start) {
                continue;
            }
            for x in &scc {
                comp[x.index()] = c;
            }
            // (node, the edge the walk left it by), until a node repeats.
            let mut walk: Vec<(NodeIndex, EdgeIndex)> = Vec::new();
            let mut cur = start;
            loop {
                let pos = seen_at[cur.index()];
                if pos != usize::MAX {
                    let mut cycle = walk.split_off(pos);
                    let first = (0..cycle.len()).min_by_key(|&k| cycle[k].0).unwrap_or(0);
                    cycle.rotate_left(first);
                    out.push((cycle[0].0, cycle.into_iter().map(|(_, e)| e).collect()));
                    break;
                }
                seen_at[cur.index()] = walk.len();
                let next = sync
                    .edges(cur)
                    .filter(|e| comp[e.target().index()] == c)
                    .map(|e| (e.target(), *e.weight()))
                    .min();
                // Every node of a component with a cycle has a way on.
                let Some((to, e)) = next else { break };
                walk.push((cur, e));
                cur = to;
            }
        }
        out.sort_by_key(|(first, _)| *first);
        out.into_iter().map(|(_, c)| c).collect()
    }

    /// The nodes a cycle from [`Topology::sync_cycles`] passes through, in
    /// call order (the first is not repeated at the end).
    pub fn cycle_nodes(&self, cycle: &[EdgeIndex]) -> Vec<NodeIndex> {
        cycle
            .iter()
            .filter_map(|&e| self.graph.edge_endpoints(e).map(|(from, _)| from))
            .collect()
    }
}
