//! What the report says, section by section, read from a result
//! directory's files ([`ReportInputs`]): the scenario in brief, the
//! topology, the headline numbers, SLO verdicts, the plots, the cost, the
//! findings, the recommendation and, for a sweep, its summary.
//!
//! Everything comes from `summary.json` as written (read as JSON, so that
//! `slsim report DIR` on an old directory and the report a run writes say
//! the same), never from the simulation. A key that is missing is left
//! out or said to be missing, never guessed. `wall_seconds` and `files`
//! are not shown: the report is the same for the same results.

mod decide;
mod json;
mod sweep;

use super::doc::{Block, Doc, Figure, Section, Table};
use super::result_dir::ReportInputs;
use crate::metrics::text::{ms, percent, thousands, usd};
use decide::{recommendation, slos, sweep};
use json::{at, count, dollars, duration, f64_at, plain, str_at, u64_at};
use serde_json::Value;

/// The summary's sections, their kind's name, and its plural.
const KINDS: [(&str, &str, &str); 11] = [
    ("workloads", "workload", "workloads"),
    ("apis", "api", "apis"),
    ("cdns", "cdn", "cdns"),
    ("functions", "lambda", "lambdas"),
    ("tables", "table", "tables"),
    ("queues", "queue", "queues"),
    ("topics", "topic", "topics"),
    ("buckets", "bucket", "buckets"),
    ("services", "service", "services"),
    ("schedules", "schedule", "schedules"),
    ("streams", "stream", "streams"),
];

/// The report of a result directory.
pub fn build(inputs: &ReportInputs) -> Doc {
    let empty = Value::Null;
    let s = inputs.summary.as_ref().unwrap_or(&empty);
    let manifest = inputs.sweep.as_ref().filter(|_| inputs.summary.is_none());
    let name = str_at(s, &["scenario"])
        .or_else(|| manifest.and_then(|m| str_at(m, &["scenario", "name"])))
        .unwrap_or("sweep");
    let mut sections = Vec::new();
    if let Some(m) = manifest {
        sections.push(sweep::headline(m));
        sections.push(plots(inputs));
    } else if inputs.summary.is_some() {
        sections.push(scenario(s));
        sections.push(topology(inputs));
        sections.push(headline(s));
        sections.push(slos(s));
        sections.push(plots(inputs));
        sections.push(cost(s));
        sections.push(findings(s));
    } else {
        sections.push(plots(inputs));
    }
    if let Some(sweep) = sweep(inputs) {
        sections.push(sweep);
    }
    match manifest {
        Some(m) => sections.push(sweep::best(m)),
        None => sections.push(recommendation(s)),
    }
    let mut subtitle = Vec::new();
    if let Some(m) = manifest {
        subtitle.push(format!(
            "sweep of {} runs",
            u64_at(m, &["runs"]).map_or("-".into(), thousands)
        ));
        if let Some(v) = str_at(m, &["slsim_version"]) {
            subtitle.push(format!("slsim {v}"));
        }
    }
    if let Some(seed) = u64_at(s, &["seed"]) {
        subtitle.push(format!("seed {seed}"));
    }
    if let Some(d) = f64_at(s, &["simulated_seconds"]) {
        subtitle.push(format!("{} simulated", duration(d)));
    }
    if let Some(v) = str_at(s, &["provenance", "slsim_version"]) {
        subtitle.push(format!("slsim {v}"));
    }
    Doc {
        title: format!("slsim report: {name}"),
        subtitle: subtitle.join(" · "),
        sections,
        footer: "Written by slsim from the files of this result directory (summary.json, \
                 topology.svg, plots/); self-contained: no scripts, no network."
            .into(),
    }
}

fn scenario(s: &Value) -> Section {
    let mut facts = Vec::new();
    let mut fact = |k: &str, v: String| facts.push((k.to_string(), v));
    fact("scenario", str_at(s, &["scenario"]).unwrap_or("-").into());
    if let Some(d) = f64_at(s, &["simulated_seconds"]) {
        let measured = f64_at(s, &["measured_seconds"])
            .map(|m| format!(", {} measured (after the warm-up)", duration(m)))
            .unwrap_or_default();
        fact("duration", format!("{}{measured}", duration(d)));
    }
    if let Some(c) = str_at(s, &["start_clock"]) {
        fact("clock at t = 0", c.into());
    }
    if let Some(seed) = u64_at(s, &["seed"]) {
        fact("seed", seed.to_string());
    }
    let mut kinds = Vec::new();
    for (key, one, many) in KINDS {
        let Some(map) = at(s, &[key]).and_then(Value::as_object) else {
            continue;
        };
        if map.is_empty() {
            continue;
        }
        let names: Vec<&str> = map.keys().map(String::as_str).collect();
        let kind = if names.len() == 1 { one } else { many };
        kinds.push(format!("{} {kind} ({})", names.len(), names.join(", ")));
    }
    fact("components", kinds.join("; "));
    if let Some(events) = u64_at(s, &["events"]) {
        fact("events", thousands(events));
    }
    if let Some(i) = f64_at(s, &["timeseries_interval_s"]) {
        fact(
            "time-series interval",
            format!("{} s", crate::metrics::text::num(i)),
        );
    }
    let p = |k: &str| str_at(s, &["provenance", k]);
    if let Some(path) = p("scenario_path") {
        fact("scenario file", path.into());
    }
    if let Some(sha) = p("scenario_sha256") {
        fact("scenario SHA-256", sha.into());
    }
    if let Some(o) = at(s, &["provenance", "overrides"]).and_then(Value::as_array) {
        let sets: Vec<String> = o.iter().map(plain).collect();
        let text = if sets.is_empty() {
            "none".into()
        } else {
            sets.join("; ")
        };
        fact("--set overrides", text);
    }
    if let Some(v) = p("slsim_version") {
        fact("slsim version", v.into());
    }
    let mut blocks = vec![Block::Facts(facts)];
    if let Some(stop) = at(s, &["stopped_early"]).filter(|v| !v.is_null()) {
        blocks.push(Block::Para(format!(
            "The run stopped early at t = {} s: {}. The figures cover the run up to then.",
            f64_at(stop, &["at_s"]).map_or("-".into(), crate::metrics::text::num),
            str_at(stop, &["reason"]).unwrap_or("a guard tripped")
        )));
    }
    if let Some(w) = at(s, &["warnings"]).and_then(Value::as_array) {
        if !w.is_empty() {
            blocks.push(Block::Subheading("Warnings".into()));
            blocks.push(Block::List(w.iter().map(plain).collect()));
        }
    }
    Section {
        id: "scenario",
        title: "Scenario".into(),
        blocks,
    }
}

fn topology(inputs: &ReportInputs) -> Section {
    let block = match &inputs.topology {
        Some(t) => Block::Figure(Figure {
            caption: t.title.clone().unwrap_or_else(|| "Topology".into()),
            svg: t.svg.clone(),
            link: t.file.clone(),
        }),
        None => Block::Para(
            "No topology.svg in this directory (slsim run writes one; `slsim graph SCENARIO \
             --format svg` draws it)."
                .into(),
        ),
    };
    Section {
        id: "topology",
        title: "Topology".into(),
        blocks: vec![
            block,
            Block::Para(
                "Solid arrows are synchronous calls (the caller waits), dashed ones asynchronous \
                 (handed over), dotted ones event sources (a queue, stream, topic, bucket or \
                 schedule invoking a function)."
                    .into(),
            ),
        ],
    }
}

fn headline(s: &Value) -> Section {
    let mut t = Table::new(
        "headline",
        &[
            "workload",
            ">requests",
            ">ok",
            ">error ratio",
            ">p50 ms",
            ">p99 ms",
            ">met a cold start",
        ],
    );
    if let Some(ws) = at(s, &["workloads"]).and_then(Value::as_object) {
        for (name, w) in ws {
            let n = |k: &str| u64_at(w, &[k]);
            let requests = n("requests").unwrap_or(0);
            let ended = requests.saturating_sub(n("in_flight").unwrap_or(0));
            let errors = ["throttled", "failed", "timed_out"]
                .iter()
                .filter_map(|k| n(k))
                .sum::<u64>();
            let ratio = match f64_at(w, &["error_ratio"]) {
                Some(r) => format!("{:.4}%", r * 100.0),
                None => percent(errors, ended),
            };
            t.row(vec![
                name.as_str().into(),
                count(n("requests")).into(),
                percent(n("succeeded").unwrap_or(0), requests).into(),
                ratio.into(),
                ms(f64_at(w, &["latency_ms", "p50"])).into(),
                ms(f64_at(w, &["latency_ms", "p99"])).into(),
                count(n("cold_succeeded")).into(),
            ]);
        }
    }
    let c = |k: &str| f64_at(s, &["cost", k]);
    let mut blocks = vec![Block::Table(t)];
    let projection = str_at(s, &["cost", "projection"]).unwrap_or("repeat");
    let month_hours = c("month_hours").unwrap_or(730.0);
    blocks.push(Block::Para(format!(
        "Cost: {} per month ({} h; the window {}), {} for the simulated window, {} per million \
         requests.",
        dollars(c("monthly_usd")),
        crate::metrics::text::num(month_hours),
        if projection == "once" {
            "counted once, plus a month of the always-on charges"
        } else {
            "repeated to fill the month"
        },
        dollars(c("total_usd")),
        dollars(c("per_million_requests_usd")),
    )));
    if let Some(fs) = at(s, &["functions"]).and_then(Value::as_object) {
        if !fs.is_empty() {
            let mut t = Table::new(
                "functions",
                &[
                    "function",
                    ">invocations",
                    ">cold starts",
                    ">cold",
                    ">throttles",
                    ">errors",
                    ">timeouts",
                    ">max concurrency",
                ],
            );
            for (name, f) in fs {
                let n = |k: &str| u64_at(f, &[k]);
                t.row(vec![
                    name.as_str().into(),
                    count(n("invocations")).into(),
                    count(n("cold_starts")).into(),
                    percent(n("cold_starts").unwrap_or(0), n("invocations").unwrap_or(0)).into(),
                    count(n("throttles")).into(),
                    count(n("errors")).into(),
                    count(n("timeouts")).into(),
                    count(n("max_concurrency")).into(),
                ]);
            }
            blocks.push(Block::Subheading("Functions".into()));
            blocks.push(Block::Table(t));
        }
    }
    Section {
        id: "headline",
        title: "Headline numbers".into(),
        blocks,
    }
}

fn plots(inputs: &ReportInputs) -> Section {
    let mut blocks: Vec<Block> = inputs
        .plots
        .iter()
        .map(|p| {
            Block::Figure(Figure {
                caption: p.title.clone().unwrap_or_else(|| p.file.clone()),
                svg: p.svg.clone(),
                link: p.file.clone(),
            })
        })
        .collect();
    if blocks.is_empty() {
        blocks.push(Block::Para(
            "No plots in this directory (plots/*.svg).".into(),
        ));
    }
    if !inputs.skipped.is_empty() {
        blocks.push(Block::Para("Not shown:".into()));
        blocks.push(Block::List(inputs.skipped.clone()));
    }
    Section {
        id: "plots",
        title: "Plots".into(),
        blocks,
    }
}

fn cost(s: &Value) -> Section {
    let mut blocks = Vec::new();
    let total = f64_at(s, &["cost", "monthly_usd"]).unwrap_or(0.0);
    let share = |v: f64| {
        if total > 0.0 {
            format!("{:.1}%", v / total * 100.0 + 0.0)
        } else {
            "-".into()
        }
    };
    if let Some(by) = at(s, &["cost", "by_service"]).and_then(Value::as_object) {
        let mut t = Table::new(
            "cost-by-service",
            &["service", ">month USD", ">window USD", ">share"],
        );
        for (service, v) in by {
            let month = v.as_f64().unwrap_or(0.0);
            let window = f64_at(s, &["cost", "window_by_service", service]);
            t.row(vec![
                service.as_str().into(),
                usd(month).into(),
                window.map_or("-".into(), usd).into(),
                share(month).into(),
            ]);
        }
        t.row(vec![
            "total".into(),
            usd(total).into(),
            f64_at(s, &["cost", "total_usd"])
                .map_or("-".into(), usd)
                .into(),
            share(total).into(),
        ]);
        blocks.push(Block::Subheading("By service".into()));
        blocks.push(Block::Table(t));
    }
    if let Some(by) = at(s, &["cost", "by_component"]).and_then(Value::as_object) {
        let mut t = Table::new("cost-by-component", &["component", ">month USD", ">share"]);
        for (component, v) in by {
            let month = v.as_f64().unwrap_or(0.0);
            t.row(vec![
                component.as_str().into(),
                usd(month).into(),
                share(month).into(),
            ]);
        }
        blocks.push(Block::Subheading("By component".into()));
        blocks.push(Block::Table(t));
    }
    if let Some(a) = f64_at(s, &["cost", "always_on_monthly_usd"]) {
        blocks.push(Block::Para(format!(
            "Always-on charges (whatever the traffic): {} of the month.",
            dollars(Some(a))
        )));
    }
    for (key, title) in [("notes", "Notes"), ("not_priced", "Not priced")] {
        if let Some(list) = at(s, &["cost", key]).and_then(Value::as_array) {
            if !list.is_empty() {
                blocks.push(Block::Subheading(title.into()));
                blocks.push(Block::List(list.iter().map(plain).collect()));
            }
        }
    }
    if blocks.is_empty() {
        blocks.push(Block::Para("No cost in summary.json.".into()));
    }
    Section {
        id: "cost",
        title: "Cost".into(),
        blocks,
    }
}

fn findings(s: &Value) -> Section {
    let items: Vec<String> = at(s, &["findings"])
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(
                    |f| match (str_at(f, &["component"]), str_at(f, &["message"])) {
                        (Some(c), Some(m)) => format!("{c}: {m}"),
                        (None, Some(m)) => m.to_string(),
                        _ => plain(f),
                    },
                )
                .collect()
        })
        .unwrap_or_default();
    let blocks = if items.is_empty() {
        vec![Block::Para("No findings.".into())]
    } else {
        vec![Block::List(items)]
    };
    Section {
        id: "findings",
        title: "Findings".into(),
        blocks,
    }
}
