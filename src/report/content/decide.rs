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

/// Metric columns shown when the sweep has no SLOs or objective.
const SWEEP_METRICS: usize = 6;

/// `v` to 4 significant digits, without trailing zeros.
fn sig(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let decimals = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// A sweep's summary (`sweep_summary.csv`), as a table of what a reader
/// decides by: the varied values, the runs, the judged metrics (else the
/// first few) as mean ± 95 % half-width to 4 significant digits, the
/// verdicts and the best point. Every column is in the CSV.
pub(super) fn sweep(inputs: &ReportInputs) -> Option<Section> {
    let text = inputs.sweep_summary.as_ref()?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    // Judged metrics from the manifest: the objective's, then each SLO's.
    let mut judged: Vec<String> = Vec::new();
    if let Some(m) = &inputs.sweep {
        let named = at(m, &["objective", "metric"]).into_iter().chain(
            at(m, &["slos"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|s| at(s, &["metric"])),
        );
        for v in named.filter_map(Value::as_str) {
            if !judged.iter().any(|j| j == v) {
                judged.push(v.to_string());
            }
        }
    }
    if judged.is_empty() {
        judged = header
            .iter()
            .filter_map(|h| h.strip_suffix(".mean").map(str::to_string))
            .take(SWEEP_METRICS)
            .collect();
    }
    // (title, the column, its half-width's column)
    let mut shown: Vec<(String, usize, Option<usize>)> = Vec::new();
    let metrics_from = header.iter().position(|h| h.ends_with(".mean"));
    for (i, h) in header.iter().enumerate() {
        if metrics_from.is_none_or(|m| i < m) {
            shown.push((h.clone(), i, None));
        }
    }
    for m in &judged {
        if let Some(i) = col(&format!("{m}.mean")) {
            shown.push((format!(">{m}"), i, col(&format!("{m}.ci95"))));
        }
    }
    for (i, h) in header.iter().enumerate() {
        if h.contains(" <= ") || h.contains(" >= ") || h == "verdict" || h == "best" {
            shown.push((h.clone(), i, None));
        }
    }
    let names: Vec<&str> = shown.iter().map(|(t, _, _)| t.as_str()).collect();
    let mut t = Table::new("sweep-summary", &names);
    let mut rows = 0usize;
    for record in reader.records().map_while(Result::ok) {
        rows += 1;
        if rows > SWEEP_ROWS {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let cells = shown
            .iter()
            .map(|(_, i, ci)| {
                let v = cell(*i);
                let text = match (v.parse::<f64>(), ci.map(cell)) {
                    (Ok(x), Some(c)) if !c.is_empty() => match c.parse::<f64>() {
                        Ok(h) => format!("{} ± {}", sig(x), sig(h)),
                        Err(_) => sig(x),
                    },
                    (Ok(x), Some(_)) => sig(x),
                    _ => v.to_string(),
                };
                Cell::from(text.as_str())
            })
            .collect();
        t.row(cells);
    }
    let mut blocks = vec![Block::Para(format!(
        "{} points: mean ± half-width of the 95 % confidence interval across replications, \
         to 4 significant digits; every metric, in full precision, is in sweep_summary.csv.",
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

#[cfg(test)]
mod tests {
    use super::sig;

    #[test]
    fn four_significant_digits() {
        assert_eq!(sig(1211.810636795348), "1212");
        assert_eq!(sig(52.399), "52.4");
        assert_eq!(sig(0.00000030166782800409983), "0.0000003017");
        assert_eq!(sig(-0.0), "0");
        assert_eq!(sig(0.5), "0.5");
    }
}
