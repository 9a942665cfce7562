//! The architecture as a graph: who calls whom.
//!
//! Nodes are components (workloads, apis, lambdas, tables); edges are calls
//! (workload -> target, api route -> lambda, lambda step -> table or
//! lambda). Owns: graph construction, DOT output and cycle detection.
//! Must not know: TOML (it reads the validated [`Scenario`]).

use std::collections::HashMap;
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{Scenario, Step, Target};

/// What kind of component a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// `[[workload]]`.
    Workload,
    /// `[[api]]`.
    Api,
    /// `[[lambda]]`.
    Lambda,
    /// `[[table]]`.
    Table,
}

impl NodeKind {
    /// The scenario-format name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Workload => "workload",
            NodeKind::Api => "api",
            NodeKind::Lambda => "lambda",
            NodeKind::Table => "table",
        }
    }
}

/// A component in the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its kind.
    pub kind: NodeKind,
    /// Index in the scenario's vector of that kind.
    pub index: usize,
    /// Its unique name.
    pub name: String,
}

/// How a call is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// The caller waits for the answer.
    Sync,
}

/// A call from one component to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Sync (async calls are not supported yet).
    pub kind: EdgeKind,
    /// A short label: the route, the table operation, or empty.
    pub label: String,
}

/// The call graph of a scenario.
#[derive(Clone, Debug)]
pub struct Topology {
    /// Components and calls. Parallel edges are kept (one per route or step).
    pub graph: DiGraph<Node, Edge>,
    /// Node of each component, by name.
    pub by_name: HashMap<String, NodeIndex>,
}

/// Builds the call graph of a (validated) scenario.
pub fn build(s: &Scenario) -> Topology {
    let mut graph = DiGraph::new();
    let mut by_name = HashMap::new();
    let mut add = |g: &mut DiGraph<Node, Edge>, kind, index, name: &str| {
        let n = g.add_node(Node {
            kind,
            index,
            name: name.to_string(),
        });
        by_name.insert(name.to_string(), n);
        n
    };
    let w: Vec<_> = s
        .workloads
        .iter()
        .enumerate()
        .map(|(i, x)| add(&mut graph, NodeKind::Workload, i, &x.name))
        .collect();
    let a: Vec<_> = s
        .apis
        .iter()
        .enumerate()
        .map(|(i, x)| add(&mut graph, NodeKind::Api, i, &x.name))
        .collect();
    let l: Vec<_> = s
        .lambdas
        .iter()
        .enumerate()
        .map(|(i, x)| add(&mut graph, NodeKind::Lambda, i, &x.name))
        .collect();
    let t: Vec<_> = s
        .tables
        .iter()
        .enumerate()
        .map(|(i, x)| add(&mut graph, NodeKind::Table, i, &x.name))
        .collect();
    let sync = |label: &str| Edge {
        kind: EdgeKind::Sync,
        label: label.to_string(),
    };
    for (i, wl) in s.workloads.iter().enumerate() {
        let to = match wl.target {
            Target::Api(k) => a.get(k),
            Target::Lambda(k) => l.get(k),
        };
        if let Some(&to) = to {
            graph.add_edge(w[i], to, sync(""));
        }
    }
    for (i, api) in s.apis.iter().enumerate() {
        for r in &api.routes {
            if let Some(&to) = l.get(r.target) {
                graph.add_edge(a[i], to, sync(&r.route));
            }
        }
    }
    for (i, f) in s.lambdas.iter().enumerate() {
        for st in &f.steps {
            match st {
                Step::Table { table, op, .. } => {
                    if let Some(&to) = t.get(*table) {
                        graph.add_edge(l[i], to, sync(&format!("{op:?}").to_lowercase()));
                    }
                }
                Step::Invoke { lambda } => {
                    if let Some(&to) = l.get(*lambda) {
                        graph.add_edge(l[i], to, sync("invoke"));
                    }
                }
                _ => {}
            }
        }
    }
    Topology { graph, by_name }
}

impl Topology {
    /// Every synchronous cycle among functions, as lambda indices in call
    /// order (the first is not repeated at the end).
    pub fn lambda_call_cycles(&self) -> Vec<Vec<usize>> {
        let g = &self.graph;
        let n = g
            .node_weights()
            .filter(|w| w.kind == NodeKind::Lambda)
            .count();
        let edges: Vec<(usize, usize)> = g
            .edge_references()
            .filter(|e| {
                g[e.source()].kind == NodeKind::Lambda && g[e.target()].kind == NodeKind::Lambda
            })
            .map(|e| (g[e.source()].index, g[e.target()].index))
            .collect();
        cycles(n, &edges)
    }
}

/// Cycles of a directed graph on nodes `0..n`: one per strongly connected
/// component that has a cycle (including self-loops), each in edge order
/// starting from its smallest node, sorted.
pub fn cycles(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|i| g.add_node(i)).collect();
    for &(a, b) in edges {
        if a < n && b < n {
            g.add_edge(nodes[a], nodes[b], ());
        }
    }
    let mut out = Vec::new();
    // Per node: the component being walked, and where the walk saw it
    // (`usize::MAX`: not yet), so that the walk is linear in its length.
    let mut comp = vec![usize::MAX; n];
    let mut seen_at = vec![usize::MAX; n];
    for (c, scc) in petgraph::algo::tarjan_scc(&g).into_iter().enumerate() {
        let self_loop = scc.len() == 1 && g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        for x in &scc {
            comp[x.index()] = c;
        }
        // Walk inside the component from its smallest node until a node repeats.
        let mut cur = *scc.iter().min().unwrap_or(&scc[0]);
        let mut seen: Vec<NodeIndex> = Vec::new();
        loop {
            let pos = seen_at[cur.index()];
            if pos != usize::MAX {
                out.push(seen[pos..].iter().map(|&x| g[x]).collect());
                break;
            }
            seen_at[cur.index()] = seen.len();
            seen.push(cur);
            match g
                .edges(cur)
                .map(|e| e.target())
                .filter(|x| comp[x.index()] == c)
                .min()
            {
                Some(x) => cur = x,
                None => break,
            }
        }
    }
    out.sort();
    out
}

fn dot_id(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// The topology as Graphviz DOT (`dot -Tsvg`): one node per component,
/// shaped by kind, one edge per call, labelled with the route or operation.
pub fn to_dot(s: &Scenario) -> String {
    let topo = build(s);
    let g = &topo.graph;
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_id(&s.simulation.name));
    let _ = writeln!(out, "  rankdir=LR;\n  node [fontname=\"Helvetica\"];");
    for n in g.node_indices() {
        let node = &g[n];
        let shape = match node.kind {
            NodeKind::Workload => "ellipse",
            NodeKind::Api => "box",
            NodeKind::Lambda => "component",
            NodeKind::Table => "cylinder",
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
        let label = &e.weight().label;
        if label.is_empty() {
            let _ = writeln!(out, "  {} -> {};", dot_id(from), dot_id(to));
        } else {
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                dot_id(from),
                dot_id(to),
                dot_id(label)
            );
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_self_loops() {
        assert_eq!(cycles(3, &[(0, 1), (1, 2)]), Vec::<Vec<usize>>::new());
        assert_eq!(cycles(3, &[(0, 1), (1, 2), (2, 0)]), vec![vec![0, 1, 2]]);
        assert_eq!(cycles(2, &[(1, 1)]), vec![vec![1]]);
    }
}
