//! The topology drawing (`slsim graph --format svg`, `topology.svg`): on
//! every bundled scenario, a valid SVG where every component appears once,
//! no two boxes overlap and every call is drawn.

use slsim::topology::{self, layout::NodeBox};
use std::collections::BTreeSet;

fn scenarios() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "bundled scenarios: {v:?}");
    v
}

fn kind_name(k: topology::EdgeKind) -> &'static str {
    match k {
        topology::EdgeKind::Sync => "sync",
        topology::EdgeKind::Async => "async",
        topology::EdgeKind::EventSource => "event-source",
    }
}

#[test]
fn every_bundled_scenario_draws_a_valid_complete_svg() {
    for path in scenarios() {
        let name = path.display().to_string();
        let s = slsim::scenario::load(&path, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let t = topology::build(&s);
        let svg = topology::to_svg(&s);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{name}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let title = root.children().find(|c| c.has_tag_name("title")).unwrap();
        assert_eq!(
            title.text(),
            Some(format!("Topology of {}", s.simulation.name).as_str())
        );
        let (w, h): (f64, f64) = (
            root.attribute("width").unwrap().parse().unwrap(),
            root.attribute("height").unwrap().parse().unwrap(),
        );

        // Every component once, in a box inside the drawing, none overlapping.
        let nodes: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("node"))
            .collect();
        let g = &t.graph;
        assert_eq!(nodes.len(), g.node_count(), "{name}");
        let mut boxes: Vec<(String, NodeBox)> = Vec::new();
        for v in g.node_indices() {
            let comp = &g[v];
            let found: Vec<_> = nodes
                .iter()
                .filter(|n| n.attribute("data-name") == Some(comp.name.as_str()))
                .collect();
            assert_eq!(
                found.len(),
                1,
                "{name}: {} drawn {} times",
                comp.name,
                found.len()
            );
            let node = found[0];
            assert_eq!(node.attribute("data-kind"), Some(comp.kind.as_str()));
            let texts: Vec<_> = node.descendants().filter_map(|d| d.text()).collect();
            assert!(texts.contains(&comp.name.as_str()), "{name}: {texts:?}");
            let b: Vec<f64> = node
                .attribute("data-box")
                .unwrap()
                .split(' ')
                .map(|x| x.parse().unwrap())
                .collect();
            let b = NodeBox {
                x: b[0],
                y: b[1],
                w: b[2],
                h: b[3],
                layer: 0,
            };
            assert!(
                b.x >= 0.0 && b.y >= 0.0 && b.x + b.w <= w && b.y + b.h <= h,
                "{name}: {b:?}"
            );
            boxes.push((comp.name.clone(), b));
        }
        for (i, (a, ba)) in boxes.iter().enumerate() {
            for (b, bb) in &boxes[i + 1..] {
                assert!(!ba.overlaps(bb), "{name}: boxes of {a} and {b} overlap");
            }
        }

        // Every call drawn: each (caller, callee, kind) is one edge group,
        // with a path and an arrowhead, standing for all of its calls.
        let mut want: BTreeSet<(String, String, &str)> = BTreeSet::new();
        for e in g.edge_indices() {
            let (a, b) = g.edge_endpoints(e).unwrap();
            want.insert((g[a].name.clone(), g[b].name.clone(), kind_name(g[e].kind)));
        }
        let edges: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("edge"))
            .collect();
        let mut got = BTreeSet::new();
        let mut calls = 0;
        for e in &edges {
            let key = (
                e.attribute("data-from").unwrap().to_string(),
                e.attribute("data-to").unwrap().to_string(),
                e.attribute("data-kind").unwrap(),
            );
            let kind = match key.2 {
                "sync" => "sync",
                "async" => "async",
                "event-source" => "event-source",
                k => panic!("{name}: edge kind {k}"),
            };
            assert!(
                got.insert((key.0.clone(), key.1.clone(), kind)),
                "{name}: {key:?} twice"
            );
            let path = e.children().find(|c| c.has_tag_name("path")).unwrap();
            let d = path.attribute("d").unwrap();
            assert!(d.starts_with('M') && d.contains('C'), "{name}: {d}");
            match kind {
                "sync" => assert_eq!(path.attribute("stroke-dasharray"), None),
                _ => assert!(path.attribute("stroke-dasharray").is_some()),
            }
            assert!(
                e.children().any(|c| c.has_tag_name("polygon")),
                "{name}: no arrowhead"
            );
            calls += e.attribute("data-calls").unwrap().parse::<usize>().unwrap();
        }
        assert_eq!(got, want, "{name}");
        assert_eq!(calls, g.edge_count(), "{name}");
        assert!(!svg.contains("<script") && !svg.contains("href"), "{name}");
    }
}

#[test]
fn the_drawing_is_deterministic_and_escapes_names() {
    let toml = r#"
[simulation]
name = "a <b> & \"c\""
duration = "1m"

[[workload]]
name = "<script>alert(1)</script>"
target = "f&g"
arrival = "constant(rate=1)"

[[lambda]]
name = "f&g"
runtime = "python3.12"
steps = [{ io = "const(10ms)" }, { call = "f'h", mode = "async" }]

[[lambda]]
name = "f'h"
runtime = "python3.12"
steps = [{ io = "const(10ms)" }, { call = "f'h", mode = "async" }]
"#;
    let s = slsim::scenario::parse_str(toml, "hostile.toml", &[]).unwrap();
    let a = topology::to_svg(&s);
    assert_eq!(a, topology::to_svg(&s));
    assert!(!a.contains("<script>"), "{a}");
    let doc = roxmltree::Document::parse(&a).unwrap();
    let names: Vec<_> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-name"))
        .collect();
    assert_eq!(names, ["<script>alert(1)</script>", "f&g", "f'h"]);
    // The function that invokes itself asynchronously gets a loop.
    let own = doc
        .descendants()
        .find(|n| n.attribute("data-from") == Some("f'h") && n.attribute("data-to") == Some("f'h"))
        .expect("self-call drawn");
    assert_eq!(own.attribute("data-kind"), Some("async"));
}

#[test]
fn slsim_graph_prints_svg_on_request_and_dot_by_default() {
    let minimal = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/minimal.toml");
    let run = |args: &[&str]| {
        let o = assert_cmd::Command::cargo_bin("slsim")
            .unwrap()
            .arg("graph")
            .arg(minimal)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let svg = run(&["--format", "svg"]);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    roxmltree::Document::parse(&svg).unwrap();
    assert!(run(&[]).starts_with("digraph"));
    let bad = assert_cmd::Command::cargo_bin("slsim")
        .unwrap()
        .args(["graph", minimal, "--format", "png"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
