use petgraph::graph::EdgeIndex;

use super::*;
use crate::engine::SECONDS;
use crate::model::{
    Api, ApiRoute, ApiType, Capacity, Lambda, Simulation, Table, TableOp, Workload,
};
use crate::workload::Arrival;

fn invoke(lambda: usize) -> Step {
    Step::Invoke { lambda }
}

fn get(table: usize) -> Step {
    Step::table(table, TableOp::Get, 1, 1.0)
}

/// Functions `f0, f1, ...` with the given steps, one table `t`, and a
/// workload into `f0` through an api `api` with one route.
fn scenario(steps: Vec<Vec<Step>>) -> Scenario {
    let lambdas = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| Lambda::new(&format!("f{i}"), s))
        .collect();
    let route = ApiRoute::new("GET /x", 0, false);
    Scenario {
        simulation: Simulation::new(60 * SECONDS),
        workloads: vec![Workload::new(
            "users",
            Target::Api(0),
            Arrival::Constant { rate: 1.0 },
        )],
        apis: vec![Api::new("api", ApiType::Http, vec![route])],
        lambdas,
        tables: vec![Table::new(
            "t",
            Capacity::OnDemand {
                initial_read_peak: 0.0,
                initial_write_peak: 0.0,
            },
        )],
        queues: vec![],
        topics: vec![],
        buckets: vec![],
        services: vec![],
        schedules: vec![],
        streams: vec![],
        cdns: vec![],
        slos: vec![],
        objective: None,
        warnings: Vec::new(),
    }
}

/// Names around each cycle, the first repeated at the end.
fn named(topo: &Topology, cycles: &[Vec<EdgeIndex>]) -> Vec<String> {
    cycles
        .iter()
        .map(|c| {
            let nodes = topo.cycle_nodes(c);
            let mut names: Vec<&str> = nodes.iter().map(|&n| topo.graph[n].name.as_str()).collect();
            names.push(&topo.graph[nodes[0]].name);
            names.join(" -> ")
        })
        .collect()
}

fn origins(topo: &Topology, cycle: &[EdgeIndex]) -> Vec<Origin> {
    cycle.iter().map(|&e| topo.graph[e].origin).collect()
}

#[test]
fn builds_one_node_per_component_and_one_edge_per_call() {
    let topo = build(&scenario(vec![vec![get(0), invoke(1), get(0)], vec![]]));
    let g = &topo.graph;
    let kinds: Vec<(NodeKind, usize)> = g.node_weights().map(|n| (n.kind, n.index)).collect();
    assert_eq!(
        kinds,
        [
            (NodeKind::Workload, 0),
            (NodeKind::Api, 0),
            (NodeKind::Lambda, 0),
            (NodeKind::Lambda, 1),
            (NodeKind::Table, 0),
        ]
    );
    let edges: Vec<(&str, &str, &str, Origin)> = g
        .edge_indices()
        .map(|e| {
            let (a, b) = g.edge_endpoints(e).unwrap();
            let w = &g[e];
            assert_eq!(w.kind, EdgeKind::Sync);
            (
                g[a].name.as_str(),
                g[b].name.as_str(),
                w.label.as_str(),
                w.origin,
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("users", "api", "", Origin::Workload { workload: 0 }),
            ("api", "f0", "GET /x", Origin::Route { api: 0, route: 0 }),
            ("f0", "t", "get", Origin::Step { lambda: 0, step: 0 }),
            ("f0", "f1", "invoke", Origin::Step { lambda: 0, step: 1 }),
            ("f0", "t", "get", Origin::Step { lambda: 0, step: 2 }),
        ]
    );
}

#[test]
fn a_self_call_is_a_cycle_of_one() {
    let topo = build(&scenario(vec![vec![get(0)], vec![get(0), invoke(1)]]));
    let cycles = topo.sync_cycles();
    assert_eq!(named(&topo, &cycles), ["f1 -> f1"]);
    assert_eq!(
        origins(&topo, &cycles[0]),
        [Origin::Step { lambda: 1, step: 1 }]
    );
}

#[test]
fn two_functions_calling_each_other_are_a_cycle_of_two() {
    // f1 -> f2 -> f1, entered from f0; the cycle starts at its smallest node.
    let topo = build(&scenario(vec![
        vec![invoke(2)],
        vec![get(0), invoke(2)],
        vec![invoke(1)],
    ]));
    let cycles = topo.sync_cycles();
    assert_eq!(named(&topo, &cycles), ["f1 -> f2 -> f1"]);
    assert_eq!(
        origins(&topo, &cycles[0]),
        [
            Origin::Step { lambda: 1, step: 1 },
            Origin::Step { lambda: 2, step: 0 },
        ]
    );
}

#[test]
fn a_diamond_has_no_cycle() {
    // f0 calls f1 and f2, which both call f3 (and the table).
    let topo = build(&scenario(vec![
        vec![invoke(1), invoke(2)],
        vec![invoke(3)],
        vec![invoke(3), get(0)],
        vec![get(0)],
    ]));
    assert_eq!(topo.graph.edge_count(), 2 + 6);
    assert!(topo.sync_cycles().is_empty());
}

#[test]
fn cycles_come_sorted_by_their_smallest_node() {
    // Two separate loops, the later one declared first in the file's calls,
    // and a component {f4, f5, f6, f7} whose walk from f4 closes the loop
    // f6 -> f5 -> f6 (reported from f5).
    let topo = build(&scenario(vec![
        vec![],
        vec![invoke(2)],
        vec![invoke(1)],
        vec![invoke(3)],
        vec![invoke(6)],
        vec![invoke(6)],
        vec![invoke(5), invoke(7)],
        vec![invoke(4)],
    ]));
    let cycles = topo.sync_cycles();
    assert_eq!(
        named(&topo, &cycles),
        ["f1 -> f2 -> f1", "f3 -> f3", "f5 -> f6 -> f5"]
    );
}

#[test]
fn async_and_event_source_edges_close_no_sync_cycle() {
    let mut topo = build(&scenario(vec![vec![invoke(1)], vec![]]));
    let (f0, f1) = (2.into(), 3.into());
    for kind in [EdgeKind::Async, EdgeKind::EventSource] {
        let e = Edge {
            kind,
            label: String::new(),
            origin: Origin::Step { lambda: 1, step: 0 },
        };
        topo.graph.add_edge(f1, f0, e.clone());
        topo.graph.add_edge(f1, f1, e);
    }
    assert!(topo.sync_cycles().is_empty());
    // The same back edge, synchronous, closes one.
    topo.graph.add_edge(
        f1,
        f0,
        Edge {
            kind: EdgeKind::Sync,
            label: "invoke".into(),
            origin: Origin::Step { lambda: 1, step: 1 },
        },
    );
    let cycles = topo.sync_cycles();
    assert_eq!(named(&topo, &cycles), ["f0 -> f1 -> f0"]);
    assert_eq!(
        origins(&topo, &cycles[0])[1],
        Origin::Step { lambda: 1, step: 1 }
    );
}

#[test]
fn a_long_cycle_is_found_in_linear_time() {
    let n = 50_000;
    let topo = build(&scenario(
        (0..n).map(|i| vec![invoke((i + 1) % n)]).collect(),
    ));
    let cycles = topo.sync_cycles();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].len(), n);
    assert_eq!(topo.graph[topo.cycle_nodes(&cycles[0])[0]].name, "f0");
}

#[test]
fn dot_is_deterministic_and_styles_edges_by_kind() {
    let s = scenario(vec![vec![invoke(1), get(0)], vec![get(0)]]);
    let dot = to_dot(&s);
    assert_eq!(dot, to_dot(&s.clone()));
    assert_eq!(dot, build(&s).to_dot(&s.simulation.name));
    let pos = |x: &str| dot.find(x).unwrap_or_else(|| panic!("{x} in {dot}"));
    // Nodes in declaration order, then edges in field order.
    assert!(pos("\"users\" [") < pos("\"api\" [") && pos("\"f1\" [") < pos("\"t\" ["));
    assert!(pos("\"f0\" -> \"f1\" [label=\"invoke\"];") < pos("\"f0\" -> \"t\""));
    assert!(dot.contains("  \"users\" -> \"api\";\n"), "{dot}");
    assert!(!dot.contains("style="), "{dot}");

    let mut topo = build(&s);
    let (f0, f1) = (2.into(), 3.into());
    for (kind, label) in [(EdgeKind::Async, "send"), (EdgeKind::EventSource, "")] {
        let e = Edge {
            kind,
            label: label.into(),
            origin: Origin::Step { lambda: 1, step: 0 },
        };
        topo.graph.add_edge(f1, f0, e);
    }
    let dot = topo.to_dot("x");
    assert!(
        dot.contains("  \"f1\" -> \"f0\" [label=\"send\", style=dashed];\n"),
        "{dot}"
    );
    assert!(
        dot.contains("  \"f1\" -> \"f0\" [style=dotted];\n"),
        "{dot}"
    );
    assert_eq!(dot, topo.clone().to_dot("x"));
}

#[test]
fn queues_add_send_poll_and_dead_letter_edges_but_no_sync_cycle() {
    use crate::model::{Queue, QueueType, Redrive, Trigger};
    // f0 sends to `jobs`, which triggers f0 again (legal: asynchronous),
    // and redrives to `dlq`; a workload sends to `dlq` directly.
    let send = |queue| Step::Send {
        queue,
        size_kb: 1.0,
    };
    let mut s = scenario(vec![vec![send(0)], vec![]]);
    s.lambdas[0].triggers = vec![Trigger::new(0)];
    let mut jobs = Queue::new("jobs", QueueType::Standard);
    jobs.redrive = Some(Redrive {
        max_receive_count: 5,
        dead_letter: 1,
    });
    s.queues = vec![jobs, Queue::new("dlq", QueueType::Standard)];
    s.workloads.push(Workload::new(
        "ops",
        Target::Queue(1),
        Arrival::Constant { rate: 1.0 },
    ));
    let topo = build(&s);
    let g = &topo.graph;
    let edges: Vec<(&str, &str, &str, EdgeKind, Origin)> = g
        .edge_indices()
        .map(|e| {
            let (a, b) = g.edge_endpoints(e).unwrap();
            let w = &g[e];
            (
                g[a].name.as_str(),
                g[b].name.as_str(),
                w.label.as_str(),
                w.kind,
                w.origin,
            )
        })
        .collect();
    for want in [
        (
            "ops",
            "dlq",
            "send",
            EdgeKind::Async,
            Origin::Workload { workload: 1 },
        ),
        (
            "f0",
            "jobs",
            "send",
            EdgeKind::Async,
            Origin::Step { lambda: 0, step: 0 },
        ),
        (
            "jobs",
            "f0",
            "poll",
            EdgeKind::EventSource,
            Origin::Trigger {
                lambda: 0,
                trigger: 0,
            },
        ),
        (
            "jobs",
            "dlq",
            "dead-letter",
            EdgeKind::Async,
            Origin::DeadLetter { queue: 0 },
        ),
    ] {
        assert!(edges.contains(&want), "{want:?} not in {edges:?}");
    }
    assert!(topo.sync_cycles().is_empty());
    assert!(to_dot(&s).contains("\"jobs\" [shape=cds, label=\"queue\\njobs\"];"));
}
