//! The report (`report.md`, `report.html`): written by `slsim run` and by
//! `slsim report DIR`, the same bytes both ways and across runs; no
//! external reference in the HTML; hostile component names stay text; SLO
//! verdicts, a recommendation and a sweep's summary when present.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

/// Runs `scenario` for `duration` into `out`; panics unless it succeeds.
fn run(scenario: &Path, out: &Path, sets: &[&str]) {
    let mut cmd = slsim();
    cmd.arg("run")
        .arg(scenario)
        .arg("--quiet")
        .arg("--out")
        .arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
}

fn report(dir: &Path, out: Option<&Path>) -> std::process::Output {
    let mut cmd = slsim();
    cmd.arg("report").arg(dir).arg("--quiet");
    if let Some(o) = out {
        cmd.arg("--out").arg(o);
    }
    cmd.output().unwrap()
}

/// The values of attribute `name` (double-quoted) in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Every inline `<svg>...</svg>` of `html`, parsed as XML.
fn inline_svgs(html: &str) -> usize {
    let mut n = 0;
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..]
            .find("</svg>")
            .expect("an <svg> without its end")
            + start
            + 6;
        let svg = &rest[start..end];
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("inline SVG: {e}\n{svg}"));
        n += 1;
        rest = &rest[end..];
    }
    n
}

fn myblog() -> PathBuf {
    Path::new(SCENARIOS).join("myblog.toml")
}

const SHORT: [&str; 2] = ["simulation.duration=6m", "simulation.warmup=1m"];

#[test]
fn run_writes_a_self_contained_report_that_slsim_report_reproduces() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&myblog(), &a, &SHORT);
    run(&myblog(), &b, &SHORT);
    let html = read(&a, "report.html");
    let md = read(&a, "report.md");

    // Deterministic across runs.
    for f in ["report.html", "report.md", "topology.svg"] {
        assert_eq!(read(&a, f), read(&b, f), "{f} differs between two runs");
    }
    // `summary.json` lists them with their hashes.
    let summary: Value = serde_json::from_str(&read(&a, "summary.json")).unwrap();
    for f in ["topology.svg", "report.md", "report.html"] {
        let bytes = std::fs::read(a.join(f)).unwrap();
        assert_eq!(summary["files"][f]["bytes"], bytes.len() as u64, "{f}");
    }

    // No external reference: no script, no style sheet or image by URL,
    // links only to anchors, nothing over the network.
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    for bad in [
        "<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
    ] {
        assert!(!html.contains(bad), "report.html holds {bad}");
    }
    assert!(attribute_values(&html, "src").is_empty());
    for href in attribute_values(&html, "href") {
        assert!(href.starts_with('#'), "href={href}");
    }
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));

    // What it shows: the sections, the headline table with every workload,
    // the topology with every component, one inline SVG per drawing.
    for id in [
        "scenario",
        "topology",
        "headline",
        "slos",
        "plots",
        "cost",
        "findings",
        "recommendation",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "no section {id}"
        );
    }
    for w in summary["workloads"].as_object().unwrap().keys() {
        assert!(
            html.contains(&format!("<tr><td>{w}</td>")),
            "headline: no row for {w}"
        );
        assert!(
            md.contains(&format!("| {w} |")),
            "report.md: no row for {w}"
        );
    }
    assert!(html.contains("<table class=\"headline\">"));
    assert!(html.contains("<table class=\"cost-by-service\">"));
    assert!(html.contains("No recommendation was asked for"));
    // Each plot is written as SVG and PNG; the SVGs are inlined.
    let plots = std::fs::read_dir(a.join("plots")).map_or(0, |d| {
        d.filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension().is_some_and(|x| x == "svg")
        })
        .count()
    });
    assert_eq!(inline_svgs(&html), 1 + plots);
    assert!(html.contains("class=\"slsim-topology\""));
    assert!(md.contains("](topology.svg)"));

    // `slsim report DIR` rewrites the same bytes; --out elsewhere gives the
    // same HTML and Markdown whose image links reach the drawings.
    std::fs::remove_file(a.join("report.html")).unwrap();
    let o = report(&a, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&a, "report.html"), html);
    assert_eq!(read(&a, "report.md"), md);
    let elsewhere = tmp.path().join("elsewhere").join("r");
    let o = report(&a, Some(&elsewhere));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&elsewhere, "report.html"), html);
    let md2 = read(&elsewhere, "report.md");
    let links: Vec<&str> = md2
        .match_indices("](")
        .map(|(i, _)| {
            let rest = &md2[i + 2..];
            &rest[..rest.find(')').unwrap()]
        })
        .collect();
    assert!(!links.is_empty());
    for l in links {
        assert!(
            elsewhere.join(l).is_file(),
            "report.md links {l}, which is not there"
        );
    }
    // The directory stays slsim's: a run may replace it again.
    run(&myblog(), &a, &SHORT);
}

#[test]
fn hostile_names_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("hostile.toml");
    std::fs::write(
        &scenario,
        r#"
[simulation]
name = "<img src=x onerror=alert(1)> & co"
duration = "1m"
warmup = "5s"

[[workload]]
name = "<script>alert('w')</script>"
target = "a|b"
arrival = "poisson(rate=5)"

[[lambda]]
name = "a|b"
runtime = "python3.12"
steps = [{ io = "const(10ms)" }, { call = "t\"x", op = "get" }]

[[table]]
name = "t\"x"
capacity = "on-demand"
"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    run(&scenario, &out, &[]);
    let html = read(&out, "report.html");
    assert!(!html.contains("<script"), "a name became a script");
    assert!(!html.contains("<img"), "a name became an image");
    assert!(html.contains("&lt;script&gt;alert(&#39;w&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; co"));
    assert!(html.contains("t&quot;x"));
    inline_svgs(&html);
    let md = read(&out, "report.md");
    assert!(md.contains("\\<script\\>alert('w')\\</script\\>"), "{md}");
    assert!(
        md.contains("| a\\|b |"),
        "a pipe in a name breaks a Markdown table"
    );
}

#[test]
fn slos_recommendation_and_sweep_are_shown_when_present() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    run(
        &Path::new(SCENARIOS).join("minimal.toml"),
        &dir,
        &["simulation.duration=1m"],
    );
    let mut summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    summary["slos"] = serde_json::json!([
        { "metric": "workloads.users.latency_ms.p99", "max": 300, "value": 41.5, "pass": true },
        { "metric": "workloads.users.error_ratio", "max": 0.001, "value": 0.02, "pass": false }
    ]);
    summary["objective"] = serde_json::json!({
        "direction": "minimize", "metric": "cost.monthly_usd", "value": 12.5
    });
    summary["recommendation"] = serde_json::json!({
        "settings": { "lambda.get-item.memory_mb": 512 },
        "reasoning": ["<b>bold</b> claim", "cheapest feasible point"]
    });
    std::fs::write(dir.join("summary.json"), summary.to_string()).unwrap();
    let o = report(&dir, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = read(&dir, "report.html");
    assert!(html.contains("1 of 2 SLOs met"));
    assert!(html.contains("<td class=\"pass\">✓ pass</td>"));
    assert!(html.contains("<td class=\"fail\">✗ fail</td>"));
    assert!(html.contains("≤ 0.001"));
    assert!(html.contains("Objective: minimize cost.monthly_usd (this run: 12.5)."));
    assert!(html.contains("lambda.get-item.memory_mb = 512"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt; claim"));
    assert!(!html.contains("No recommendation was asked for"));

    // A sweep's directory: its summary as a table.
    let sweep = tmp.path().join("sweep");
    std::fs::create_dir(&sweep).unwrap();
    std::fs::write(
        sweep.join("sweep_summary.csv"),
        "lambda.f.memory_mb,p99_ms_mean,p99_ms_ci95\n128,80.5,1.5\n256,40.25,0.75\n",
    )
    .unwrap();
    let o = report(&sweep, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = read(&sweep, "report.html");
    assert!(html.contains("<table class=\"sweep-summary\">"));
    assert!(html.contains("<td class=\"num\">40.25</td>") || html.contains("<td>40.25</td>"));
}

#[test]
fn report_of_what_is_not_a_result_directory_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let o = report(&tmp.path().join("missing"), None);
    assert_eq!(o.status.code(), Some(2));
    let o = report(tmp.path(), None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not a result directory") && err.contains("hint:"),
        "{err}"
    );
    std::fs::write(tmp.path().join("summary.json"), "{ not json").unwrap();
    let o = report(tmp.path(), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("summary.json"));
}
