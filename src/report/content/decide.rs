//! The sections about decisions: SLO verdicts, the recommendation and a
//! sweep's summary. Each is shown when its key or file is there, and said
//! to be absent otherwise.

use super::json::{at, f64_at, plain, str_at};
use crate::metrics::text::thousands;
use crate::report::doc::{Block, Cell, Section, Table, Tone};
use crate::report::result_dir::ReportInputs;
use serde_json::Value;

/// Rows shown of a sweep's summary before the rest is left to the CSV.
const SWEEP_ROWS: usize = 200;

pub(super) fn slos(s: &Value) -> Section {
    let mut blocks = Vec::new();
    match at(s, &["slos"]).and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            let mut t = Table::new("slos", &["SLO", "metric", "objective", ">value", "verdict"]);
            let mut met = 0;
            for slo in list {
                let objective = match (f64_at(slo, &["max"]), f64_at(slo, &["min"])) {
                    (Some(max), _) => format!("≤ {}", crate::metrics::text::num(max)),
                    (None, Some(min)) => format!("≥ {}", crate::metrics::text::num(min)),
                    (None, None) => "-".into(),
                };
                let pass = at(slo, &["pass"]).and_then(Value::as_bool) == Some(true);
                met += usize::from(pass);
                let value = at(slo, &["value"]).map_or("-".into(), |v| match v.as_f64() {
                    Some(x) => crate::metrics::text::num(x),
                    None => plain(v),
                });
                t.row(vec![
                    str_at(slo, &["name"]).unwrap_or("-").into(),
                    str_at(slo, &["metric"]).unwrap_or("-").into(),
                    objective.into(),
                    value.into(),
                    Cell {
                        text: if pass { "✓ pass" } else { "✗ fail" }.into(),
                        tone: if pass { Tone::Pass } else { Tone::Fail },
                    },
                ]);
            }
            blocks.push(Block::Para(format!(
                "{met} of {} SLOs met{}.",
                list.len(),
                if met == list.len() {
                    ""
                } else {
                    ": slsim run exits non-zero"
                }
            )));
            blocks.push(Block::Table(t));
        }
        _ => blocks.push(Block::Para(
            "No SLOs in this scenario (add [[slo]] tables for pass/fail verdicts).".into(),
        )),
    }
    if let Some(o) = at(s, &["objective"]).filter(|o| !o.is_null()) {
        let direction = str_at(o, &["direction"]).unwrap_or("minimize");
        let metric = str_at(o, &["metric"]).unwrap_or("-");
        let value = f64_at(o, &["value"]).map_or("undefined".into(), crate::metrics::text::num);
        blocks.push(Block::Para(format!(
            "Objective: {direction} {metric} (this run: {value})."
        )));
    }
    Section {
        id: "slos",
        title: "Service-level objectives".into(),
        blocks,
    }
}

pub(super) fn recommendation(s: &Value) -> Section {
    let blocks = match at(s, &["recommendation"]).filter(|r| !r.is_null()) {
        None => vec![Block::Para(
            "No recommendation was asked for (`slsim recommend` searches the settings for the \
             cheapest that meets the SLOs)."
                .into(),
        )],
        Some(Value::String(text)) => vec![Block::Para(text.clone())],
        Some(Value::Object(map)) => {
            let mut facts = Vec::new();
            let mut lists = Vec::new();
            for (k, v) in map {
                match v {
                    Value::Array(items) => {
                        lists.push(Block::Subheading(k.clone()));
                        lists.push(Block::List(items.iter().map(plain).collect()));
                    }
                    Value::Object(inner) => {
                        let text: Vec<String> = inner
                            .iter()
                            .map(|(ik, iv)| format!("{ik} = {}", plain(iv)))
                            .collect();
                        facts.push((k.clone(), text.join(", ")));
                    }
                    other => facts.push((k.clone(), plain(other))),
                }
            }
            let mut blocks = vec![Block::Facts(facts)];
            blocks.extend(lists);
            blocks
        }
        Some(other) => vec![Block::Para(plain(other))],
    };
    Section {
        id: "recommendation",
        title: "Recommendation".into(),
        blocks,
    }
}

/// A sweep's summary (`sweep_summary.csv`), as a table.
pub(super) fn sweep(inputs: &ReportInputs) -> Option<Section> {
    let text = inputs.sweep_summary.as_ref()?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new("sweep-summary", &names);
    let mut rows = 0usize;
    for record in reader.records().map_while(Result::ok) {
        rows += 1;
        if rows <= SWEEP_ROWS {
            t.row(record.iter().map(Cell::from).collect());
        }
    }
    let mut blocks = vec![Block::Para(format!(
        "{} points (sweep_summary.csv: mean and 95 % confidence interval across replications).",
        thousands(rows as u64)
    ))];
    blocks.push(Block::Table(t));
    if rows > SWEEP_ROWS {
        blocks.push(Block::Para(format!(
            "The first {SWEEP_ROWS} shown; the rest are in sweep_summary.csv."
        )));
    }
    Some(Section {
        id: "sweep",
        title: "Sweep".into(),
        blocks,
    })
}
