//! Running a scenario through the real binary and checking its three result
//! files: exit status, no panic, conservation, no NaN / inf / -0, monotone
//! percentiles at most the max, and that the files come from one run.
//! The CSV checks are in `csv_files`, the conservation of queues, asynchronous
//! invocations and topics in `services`, the apis' counts in `apis`, the
//! cost section in `cost`.

pub mod apis;
pub mod cost;
mod csv_files;
mod services;

use csv_files::{csv_rows, latency_checks, timeseries_checks};

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The files of a run, in `--out DIR`.
pub const FILES: [&str; 6] = [
    "summary.json",
    "timeseries.csv",
    "latency.csv",
    "topology.svg",
    "report.md",
    "report.html",
];

/// Make the `files` map of summary.json (sha256 and size of the CSVs)
/// mandatory once every branch writes it.
pub const REQUIRE_FILES_MAP: bool = true;

/// Make `provenance` (version, scenario path and hash, overrides) mandatory.
pub const REQUIRE_PROVENANCE: bool = true;

/// Keys whose value may be `null` in summary.json (undefined statistics,
/// optional markers). Any other `null` is an error: serde_json writes NaN
/// and infinities as `null`, so an unexpected `null` hides one.
const NULLABLE: [&str; 41] = [
    "mean",
    "p50",
    "p90",
    "p99",
    "p999",
    "max",
    "per_million_requests_usd",
    "mean_duration_ms",
    "mean_init_ms",
    "cost_per_invocation_usd",
    "stopped_early",
    // apis: no cache, or no cacheable request in the window.
    "cache_hit_ratio",
    // caches: no lookup in the window; cdns: no lookup, no shield.
    "hit_ratio",
    "edge_hit_ratio",
    "shield_hit_ratio",
    // queues: no message at the head ever sampled; no batch.
    "oldest_age_s_max",
    "mean_batch_size",
    // functions without a reservation; workloads without a warm success.
    "reserved_concurrency",
    "p99_warm_ms",
    // tables and GSIs without auto scaling.
    "auto_scaling",
    // bucket notification rules that sent nothing.
    "mean_delay_ms",
    // services without a preset or a limit, limits never met; schedules
    // that never fired in the measured window.
    "preset",
    "rate_limit",
    "burst",
    "daily_quota",
    "first_rate_throttle_s",
    "first_quota_throttle_s",
    "quota_reached_s",
    "first_fired_s",
    // streams: a DynamoDB stream has no capacity mode; a stream nobody
    // reads has no consumer.
    "mode",
    "consumer",
    // workloads without a location; single-Region tables.
    "location",
    "replication",
    // workloads none of whose requests ended; functions never invoked.
    "error_ratio",
    "cold_start_ratio",
    // a scenario without [objective]; an SLO's optional name and
    // description, its other bound, an undefined value and, when defined,
    // the reason it is not.
    "objective",
    "name",
    "description",
    "min",
    "value",
    "undefined",
];

/// A hang guard only: a scenario of a few thousand requests runs in well
/// under a second; this catches processes that never end.
const HANG: Duration = Duration::from_secs(120);

/// One finished (or killed) run.
pub struct Run {
    pub scenario: PathBuf,
    pub out: PathBuf,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Writes `text` as `DIR/scenario.toml` (plus `samples.csv` when
/// `samples`), runs `slsim run scenario.toml --out DIR/out --quiet [args]`.
pub fn run(dir: &Path, text: &str, samples: bool, args: &[String]) -> Run {
    run_to(dir, text, samples, args, "out")
}

/// [`run`] with the output directory `DIR/OUT`.
pub fn run_to(dir: &Path, text: &str, samples: bool, args: &[String], out: &str) -> Run {
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, text).unwrap();
    if samples {
        std::fs::write(
            dir.join("samples.csv"),
            "latency_ms\n12\n15.5\n2ms\n# c\n\n30\n0.25\n",
        )
        .unwrap();
    }
    let out = dir.join(out);
    let output = Command::cargo_bin("slsim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .args(args)
        .timeout(HANG)
        .output()
        .unwrap();
    Run {
        scenario,
        out,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Everything the property test knows about the scenario it ran.
pub struct Expect {
    /// Simulated duration and measured window (after warm-up) [s].
    pub duration_s: f64,
    pub measured_s: f64,
    pub seed: u64,
    pub may_stop_early: bool,
    /// `--set` overrides the run was given, as provenance should list them.
    pub overrides: Vec<String>,
    /// The names of the scenario's queues and topics, each of which
    /// summary.json must report.
    pub queues: Vec<String>,
    pub topics: Vec<String>,
    /// The names of the scenario's buckets, each of which summary.json
    /// must report.
    pub buckets: Vec<String>,
    /// The names of the scenario's external services and schedules, each
    /// of which summary.json must report.
    pub services: Vec<String>,
    pub schedules: Vec<String>,
    /// The names of the scenario's apis, each of which summary.json must
    /// report.
    pub apis: Vec<String>,
    /// `[cost] projection`: `"repeat"` or `"once"`.
    pub projection: &'static str,
}

/// All problems found in a run (empty: it passed).
pub fn check(run: &Run, want: &Expect) -> Vec<String> {
    let mut p = Vec::new();
    for bad in ["panicked", "RUST_BACKTRACE", "this is a bug in slsim"] {
        if run.stderr.contains(bad) {
            p.push(format!("stderr contains {bad:?}"));
        }
    }
    match run.code {
        None => p.push(format!("killed after {HANG:?} (hang?) or by a signal")),
        Some(0) | Some(1) => {}
        Some(c) => p.push(format!("exit code {c}")),
    }
    if run.code == Some(0) && !run.stdout.is_empty() {
        p.push(format!("--quiet run printed to stdout: {:?}", run.stdout));
    }
    if run.code != Some(0) && run.code != Some(1) {
        return with_stderr(p, run);
    }
    p.extend(leftovers(run));
    let read = |name: &str| std::fs::read(run.out.join(name));
    let (Ok(summary), Ok(ts), Ok(lat)) = (read(FILES[0]), read(FILES[1]), read(FILES[2])) else {
        p.push(format!(
            "exit {:?} but the three result files are not all there",
            run.code
        ));
        return with_stderr(p, run);
    };
    let text = String::from_utf8_lossy(&summary);
    p.extend(
        json_tokens(&text)
            .into_iter()
            .map(|e| format!("summary.json: {e}")),
    );
    let json: Value = match serde_json::from_slice(&summary) {
        Ok(v) => v,
        Err(e) => {
            p.push(format!("summary.json does not parse: {e}"));
            return with_stderr(p, run);
        }
    };
    walk(&json, "", &mut p);
    let stopped = !json["stopped_early"].is_null();
    match run.code {
        Some(1) if !stopped => p.push("exit 1 without `stopped_early` in summary.json".into()),
        Some(0) if stopped => p.push("exit 0 with `stopped_early` set".into()),
        _ => {}
    }
    if stopped && !want.may_stop_early {
        p.push(format!(
            "stopped early without a small guard: {}",
            json["stopped_early"]
        ));
    }
    if json["seed"].as_u64() != Some(want.seed) {
        p.push(format!("seed {} != {}", json["seed"], want.seed));
    }
    if !stopped {
        for (k, v) in [
            ("simulated_seconds", want.duration_s),
            ("measured_seconds", want.measured_s),
        ] {
            if json[k].as_f64() != Some(v) {
                p.push(format!("summary.json {k} = {}, expected {v}", json[k]));
            }
        }
    }
    p.extend(summary_checks(&json));
    p.extend(services::service_checks(&json, &want.queues, &want.topics));
    p.extend(services::stream_checks(&json));
    p.extend(services::bucket_checks(&json, &want.buckets));
    p.extend(services::cache_checks(&json));
    p.extend(services::external_checks(
        &json,
        &want.services,
        &want.schedules,
    ));
    p.extend(apis::api_checks(&json, &want.apis));
    p.extend(cost::cost_checks(&json, want.projection));
    let lat_rows = csv_rows(
        &lat,
        "latency.csv",
        &["workload", "route", "percentile", "latency_ms"],
        &[2, 3],
        &mut p,
    );
    p.extend(latency_checks(&json, &lat_rows));
    let ts_rows = csv_rows(
        &ts,
        "timeseries.csv",
        &["t_s", "component", "metric", "value", "unit"],
        &[0, 3],
        &mut p,
    );
    p.extend(timeseries_checks(&json, &ts_rows, want.duration_s));
    p.extend(files_map(&json, &ts, &lat));
    p.extend(provenance(&json, run, want));
    with_stderr(p, run)
}

fn with_stderr(mut p: Vec<String>, run: &Run) -> Vec<String> {
    if !p.is_empty() {
        p.push(format!("exit {:?}; stderr:\n{}", run.code, run.stderr));
    }
    p
}

/// The output directory holds the three files and the plots and nothing
/// else, and nothing else was left beside it (staging directories,
/// temporary files).
fn leftovers(run: &Run) -> Vec<String> {
    let mut p = Vec::new();
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let mut want: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    want.sort();
    let mut got = names(&run.out);
    if let Some(i) = got.iter().position(|n| n == "plots") {
        got.remove(i);
        p.extend(plot_checks(&run.out.join("plots")));
    }
    if got != want {
        p.push(format!("output directory holds {got:?}, expected {want:?}"));
    }
    let parent = run.out.parent().unwrap();
    for n in names(parent) {
        if !["out", "scenario.toml", "samples.csv"].contains(&n.as_str()) {
            p.push(format!("left beside the output directory: {n}"));
        }
    }
    p
}

/// Every chart is an SVG and PNG pair, and no word of an SVG is a
/// non-finite number (undefined values are gaps).
fn plot_checks(dir: &Path) -> Vec<String> {
    let mut p = Vec::new();
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    if files.is_empty() {
        p.push("plots/ is empty".into());
    }
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let pair = match f.extension().and_then(|e| e.to_str()) {
            Some("svg") => f.with_extension("png"),
            Some("png") => f.with_extension("svg"),
            _ => {
                p.push(format!("plots/{name}: neither SVG nor PNG"));
                continue;
            }
        };
        if !pair.exists() {
            p.push(format!("plots/{name} has no {}", pair.display()));
        }
        if name.ends_with(".svg") {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let bad = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .find(|w| matches!(w.to_ascii_lowercase().as_str(), "nan" | "inf" | "infinity"));
            if let Some(w) = bad {
                p.push(format!("plots/{name}: {w:?} in the SVG"));
            }
        }
    }
    p
}

/// Scans JSON text outside strings: only structure, numbers and the
/// literals true/false/null (so no NaN, Infinity, inf), and no number that
/// is a negative zero.
pub fn json_tokens(text: &str) -> Vec<String> {
    let mut p = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' | b' ' | b'\n' | b'\r' | b'\t' => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !b"{}[]:,\" \n\r\t".contains(&b[i]) {
                    i += 1;
                }
                let tok = &text[start..i];
                if let Some(e) = bad_number(tok, &["true", "false", "null"]) {
                    p.push(e);
                }
            }
        }
    }
    p
}

/// Why `tok` is not an acceptable number (or one of `words`).
fn bad_number(tok: &str, words: &[&str]) -> Option<String> {
    if words.contains(&tok) {
        return None;
    }
    let is_num = tok
        .bytes()
        .all(|c| c.is_ascii_digit() || b"+-.eE".contains(&c))
        && tok.bytes().any(|c| c.is_ascii_digit());
    match tok.parse::<f64>() {
        Ok(v) if is_num && v.is_finite() => {
            (v == 0.0 && tok.starts_with('-')).then(|| format!("negative zero `{tok}`"))
        }
        _ => Some(format!("`{tok}` is not a finite number")),
    }
}

/// Every number finite and not -0; `null` only at [`NULLABLE`] keys.
fn walk(v: &Value, path: &str, p: &mut Vec<String>) {
    match v {
        Value::Null => {
            let key = path.rsplit('.').next().unwrap_or("");
            if !NULLABLE.contains(&key) {
                p.push(format!(
                    "summary.json: null at {path} (NaN and inf serialise as null; \
                     if this field is legitimately optional, add it to NULLABLE)"
                ));
            }
        }
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() && !(x == 0.0 && x.is_sign_negative()) => {}
            _ => p.push(format!("summary.json: bad number {n} at {path}")),
        },
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| walk(x, &format!("{path}[{i}]"), p)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| walk(x, &format!("{path}.{k}"), p)),
        _ => {}
    }
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or(u64::MAX)
}

/// Conservation per workload; latency summaries consistent.
fn summary_checks(json: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let Some(wls) = json["workloads"].as_object() else {
        return vec!["summary.json: no `workloads` map".into()];
    };
    for (name, w) in wls {
        let parts = ["succeeded", "throttled", "failed", "timed_out", "in_flight"].map(|k| u(w, k));
        let sum = parts.iter().try_fold(0u64, |a, &b| a.checked_add(b));
        if sum != Some(u(w, "requests")) {
            p.push(format!(
                "workload {name:?}: conservation: requests {} != succeeded + throttled + failed + timed_out + in_flight {parts:?}",
                w["requests"]
            ));
        }
        p.extend(latency_summary(
            &w["latency_ms"],
            &format!("workload {name:?}"),
        ));
        if u(&w["latency_ms"], "count") != u(w, "succeeded") {
            p.push(format!(
                "workload {name:?}: latency count {} != succeeded {}",
                w["latency_ms"]["count"], w["succeeded"]
            ));
        }
        for (route, r) in w["routes"].as_object().into_iter().flatten() {
            let at = format!("workload {name:?} route {route:?}");
            p.extend(latency_summary(&r["latency_ms"], &at));
            if u(r, "succeeded") > u(r, "requests") {
                p.push(format!(
                    "{at}: succeeded {} > requests {}",
                    r["succeeded"], r["requests"]
                ));
            }
        }
    }
    p
}

/// `p50 <= p90 <= p99 <= p999 <= max`, `mean <= max`; all null iff count 0.
fn latency_summary(l: &Value, at: &str) -> Vec<String> {
    let mut p = Vec::new();
    let keys = ["p50", "p90", "p99", "p999", "max"];
    let count = l["count"].as_u64();
    let vals: Vec<Option<f64>> = keys.iter().map(|k| l[*k].as_f64()).collect();
    let mean = l["mean"].as_f64();
    match count {
        Some(0) => {
            if vals.iter().any(Option::is_some) || mean.is_some() {
                p.push(format!(
                    "{at}: statistics of an empty sample must be null: {l}"
                ));
            }
        }
        Some(_) => {
            if vals.iter().any(Option::is_none) || mean.is_none() {
                p.push(format!("{at}: missing statistics: {l}"));
            }
            let v: Vec<f64> = vals.iter().flatten().copied().collect();
            if v.windows(2).any(|w| w[0] > w[1]) {
                p.push(format!(
                    "{at}: percentiles not monotone or above the max: {l}"
                ));
            }
            if let (Some(m), Some(Some(max))) = (mean, vals.last()) {
                if m > *max || m < 0.0 {
                    p.push(format!("{at}: mean {m} outside [0, max {max}]"));
                }
            }
        }
        None => p.push(format!("{at}: no count: {l}")),
    }
    p
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `files` in summary.json: the sha256 and size of each CSV, matching the
/// files beside it (so all three come from the same run). Accepts an entry
/// keyed by file name holding a `sha256` string and a size under a key
/// containing `bytes` or `size`.
fn files_map(json: &Value, ts: &[u8], lat: &[u8]) -> Vec<String> {
    let mut p = Vec::new();
    let Some(files) = json.get("files") else {
        if REQUIRE_FILES_MAP {
            p.push("summary.json has no `files` map".into());
        }
        return p;
    };
    for (name, bytes) in [("timeseries.csv", ts), ("latency.csv", lat)] {
        let e = &files[name];
        let sha = e
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.contains("sha256")))
            .and_then(|(_, v)| v.as_str());
        let size = e
            .as_object()
            .and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.contains("bytes") || k.contains("size"))
            })
            .and_then(|(_, v)| v.as_u64());
        match sha {
            Some(s) if s.eq_ignore_ascii_case(&sha256_hex(bytes)) => {}
            _ => p.push(format!(
                "summary.json files.{name}: sha256 {e} does not match the file"
            )),
        }
        match size {
            Some(n) if n == bytes.len() as u64 => {}
            _ => p.push(format!(
                "summary.json files.{name}: size {e} != {} bytes",
                bytes.len()
            )),
        }
    }
    p
}

/// `provenance`: the scenario's path and hash, the overrides, the version.
fn provenance(json: &Value, run: &Run, want: &Expect) -> Vec<String> {
    let mut p = Vec::new();
    let pv = &json["provenance"];
    let filled = pv["scenario_sha256"]
        .as_str()
        .is_some_and(|s| !s.is_empty());
    if !filled {
        if REQUIRE_PROVENANCE {
            p.push(format!("summary.json provenance not filled: {pv}"));
        }
        return p;
    }
    let text = std::fs::read(&run.scenario).unwrap();
    if !pv["scenario_sha256"]
        .as_str()
        .unwrap()
        .eq_ignore_ascii_case(&sha256_hex(&text))
    {
        p.push(format!(
            "provenance.scenario_sha256 {} is not the scenario's",
            pv["scenario_sha256"]
        ));
    }
    if pv["scenario_path"].as_str() != Some(&run.scenario.display().to_string()) {
        p.push(format!(
            "provenance.scenario_path {} != {}",
            pv["scenario_path"],
            run.scenario.display()
        ));
    }
    let overrides: Vec<&str> = pv["overrides"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if overrides != want.overrides {
        p.push(format!(
            "provenance.overrides {overrides:?} != {:?}",
            want.overrides
        ));
    }
    if pv["slsim_version"].as_str() != Some(env!("CARGO_PKG_VERSION")) {
        p.push(format!(
            "provenance.slsim_version {} != {}",
            pv["slsim_version"],
            env!("CARGO_PKG_VERSION")
        ));
    }
    p
}

/// summary.json with the one wall-clock field blanked.
pub fn without_wall(summary: &[u8]) -> String {
    let text = String::from_utf8_lossy(summary);
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with("\"wall_seconds\":") {
                "\"wall_seconds\": 0,".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
