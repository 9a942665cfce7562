//! Property tests over random valid scenarios, through the real binary
//! (issue 5, "Tests that must pass"):
//!
//! * every run exits 0 (or 1 with `stopped_early` in summary.json), never
//!   panics, and writes the three result files, from one run, and nothing
//!   else;
//! * conservation per workload;
//! * no NaN, inf, -inf or -0 in summary.json, timeseries.csv, latency.csv;
//! * latency percentiles monotone in the percentile and at most the max;
//! * the same scenario and seed give byte-identical files (but
//!   `wall_seconds`);
//! * conservation per queue, per function's asynchronous events, per topic
//!   and subscription, per bucket and notification rule
//!   (`props/check/services.rs`);
//! * per api: billed requests at most the admitted ones, 429s by cause
//!   adding up to the throttles, authorizer and cache counts within the
//!   admitted requests (`props/check/apis.rs`);
//! * the cost section adds up, in both projections: month and window
//!   totals are the sums of their parts, `repeat` windows are the month's
//!   share, `once` windows at most the month (`props/check/cost.rs`;
//!   [`api_and_cost_checks_can_fail`] shows these checks can fail);
//! * every generated scenario is valid (checked in-process, cheaply, over
//!   more cases), and the generator reaches every feature it should
//!   ([`generator_covers_every_feature`]).
//!
//! The generator (`props/scen/`) keeps each scenario to a few simulated
//! seconds and a few thousand requests, or (a quarter of them) to hours or
//! days with a few hundred requests per workload, so that asynchronous
//! retries, retention and SNS's 23-day delivery policy run out. Runs use a fixed proptest seed, so
//! CI is reproducible; explore with `PROPTEST_RNG_SEED=N` (and
//! `SLSIM_PROP_CASES=N` for more cases). Failure persistence is off: a
//! failure found here is kept as a fixture in `tests/props/regressions/`,
//! which [`regressions_still_pass`] replays.

#[path = "props/check/mod.rs"]
mod check;
#[path = "props/scen/mod.rs"]
mod scen;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError};
use std::path::Path;

fn config(cases: u32) -> Config {
    let cases = std::env::var("SLSIM_PROP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        // A failing case runs the binary per shrink step; keep shrinking bounded.
        max_shrink_iters: 512,
        max_shrink_time: 300_000,
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            Config::default().rng_seed
        } else {
            RngSeed::Fixed(0x51_5eed_0005)
        },
        ..Config::default()
    }
}

fn args(s: &scen::Scen) -> (Vec<String>, Vec<String>) {
    match s.cli_seed {
        Some(n) => (
            vec!["--seed".into(), n.to_string()],
            vec![format!("simulation.seed={n}")],
        ),
        None => (Vec::new(), Vec::new()),
    }
}

fn expect(s: &scen::Scen) -> check::Expect {
    check::Expect {
        duration_s: s.duration_s(),
        measured_s: s.measured_s(),
        seed: s.seed(),
        may_stop_early: s.may_stop_early(),
        overrides: args(s).1,
        queues: s.queue_names(),
        topics: s.topic_names(),
        buckets: s.bucket_names(),
        services: s.service_names(),
        schedules: s.schedule_names(),
        apis: s.api_names(),
        projection: s.projection(),
    }
}

fn fail(problems: Vec<String>) -> Result<(), TestCaseError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(problems.join("\n")))
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_valid_scenarios_run_cleanly(s in scen::scen()) {
        let dir = tempfile::tempdir().unwrap();
        let run = check::run(dir.path(), &s.render(), s.uses_samples(), &args(&s).0);
        fail(check::check(&run, &expect(&s)))?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn random_valid_scenarios_are_deterministic(s in scen::scen()) {
        let dir = tempfile::tempdir().unwrap();
        let text = s.render();
        let ra = check::run_to(dir.path(), &text, s.uses_samples(), &args(&s).0, "a");
        let rb = check::run_to(dir.path(), &text, s.uses_samples(), &args(&s).0, "b");
        prop_assert_eq!(ra.code, rb.code, "exit codes differ; stderr:\n{}\n---\n{}", ra.stderr, rb.stderr);
        for name in check::FILES {
            let (fa, fb) = (std::fs::read(ra.out.join(name)), std::fs::read(rb.out.join(name)));
            match (fa, fb) {
                (Ok(x), Ok(y)) => {
                    let (x, y) = if name == "summary.json" {
                        (check::without_wall(&x).into_bytes(), check::without_wall(&y).into_bytes())
                    } else {
                        (x, y)
                    };
                    if x != y {
                        let line = String::from_utf8_lossy(&x)
                            .lines()
                            .zip(String::from_utf8_lossy(&y).lines())
                            .position(|(l, r)| l != r);
                        return Err(TestCaseError::fail(format!(
                            "{name} differs between two runs (first differing line {line:?})"
                        )));
                    }
                }
                (Err(_), Err(_)) => {}
                (x, y) => return Err(TestCaseError::fail(format!(
                    "{name} written by one run only ({} / {})", x.is_ok(), y.is_ok()
                ))),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Cheap (in-process, no run): every generated scenario validates
    /// without error, so a failure of the run tests is never a bad input.
    #[test]
    fn random_scenarios_are_valid(s in scen::scen()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scenario.toml");
        let text = s.render();
        std::fs::write(&path, &text).unwrap();
        if s.uses_samples() {
            std::fs::write(dir.path().join("samples.csv"), "latency_ms\n12\n").unwrap();
        }
        if let Err(e) = slsim::scenario::load(&path, &args(&s).1) {
            return Err(TestCaseError::fail(format!("invalid scenario: {e:?}")));
        }
    }
}

/// A feature of the generated text: its name and whether a scenario has it.
type Feature = (&'static str, fn(&str) -> bool);

/// The generator reaches every feature it is meant to, often enough to be
/// seen in the 256 run cases: each pattern below must appear in at least
/// 1.5 % of 1000 generated scenarios (each appears in 4 % or more with the
/// fixed seed).
#[test]
fn generator_covers_every_feature() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::new(config(1000));
    let texts: Vec<String> = (0..1000)
        .map(|_| {
            scen::scen()
                .new_tree(&mut runner)
                .unwrap()
                .current()
                .render()
        })
        .collect();
    let features: &[Feature] = &[
        ("long run", |t| t.contains("timeseries_interval = \"1h\"")),
        ("async call", |t| t.contains("mode = \"async\"")),
        ("explicit sync call", |t| t.contains("mode = \"sync\"")),
        ("max_retry_attempts", |t| {
            t.contains("max_retry_attempts = ")
        }),
        ("max_event_age", |t| t.contains("max_event_age = ")),
        ("async_dispatch", |t| t.contains("async_dispatch = ")),
        ("destination to a function", |t| dest(t, "fn")),
        ("destination to a queue", |t| dest(t, "q")),
        ("destination to a topic", |t| dest(t, "tp")),
        ("standard queue", |t| t.contains("[[queue]]")),
        ("fifo queue", |t| t.contains("type = \"fifo\"")),
        ("redrive", |t| t.contains("dead_letter = ")),
        ("fifo trigger", |t| fifo_trigger(t)),
        ("trigger with batch > 10", |t| big_batch(t)),
        ("min_concurrency", |t| t.contains("min_concurrency = ")),
        ("send step", |t| t.contains("{ call = \"q")),
        ("publish step", |t| t.contains("{ call = \"tp")),
        ("workload to a queue", |t| t.contains("\ntarget = \"q")),
        ("workload to a topic", |t| t.contains("\ntarget = \"tp")),
        ("topic filter", |t| t.contains("filter = ")),
        ("delivery_failure 1.0", |t| {
            t.contains("delivery_failure = 1 ") || t.contains("delivery_failure = 1,")
        }),
        ("subscription DLQ", |t| {
            t.contains("[[topic]]") && sub_dlq(t)
        }),
        ("esm_max_concurrency", |t| {
            t.contains("esm_max_concurrency = ")
        }),
        // Global users, global tables, DynamoDB streams (issue 9).
        ("workload location", |t| t.contains("\nlocation = ")),
        ("functions and apis in ap-northeast-2", |t| {
            blocks(t, "lambda").any(|b| b.contains("\nregion = "))
                && blocks(t, "api").any(|b| b.contains("\nregion = "))
        }),
        ("global table", |t| t.contains("\nreplicas = [")),
        ("replication_lag", |t| t.contains("\nreplication_lag = ")),
        ("table stream read by a function", |t| {
            t.contains("\nstream = true") && t.contains("{ source = \"tbl")
        }),
        // API Gateway (issue 7).
        ("rest api, default overhead", |t| {
            blocks(t, "api").any(|b| !b.contains("\nlatency = ") && !b.contains("type = \"http\""))
        }),
        ("http api, default overhead", |t| {
            blocks(t, "api").any(|b| !b.contains("\nlatency = ") && b.contains("type = \"http\""))
        }),
        ("api without type", |t| {
            blocks(t, "api").any(|b| !b.contains("\ntype = "))
        }),
        ("api_rate_limit", |t| t.contains("\napi_rate_limit = ")),
        ("api_burst", |t| t.contains("\napi_burst = ")),
        ("stage rate_limit", |t| {
            blocks(t, "api").any(|b| b.contains("\nrate_limit = "))
        }),
        ("stage burst alone", |t| {
            blocks(t, "api").any(|b| b.contains("\nburst = ") && !b.contains("\nrate_limit = "))
        }),
        ("route rate_limit", |t| route_has(t, "rate_limit = ")),
        ("route burst", |t| route_has(t, "burst = ")),
        ("response_kb", |t| route_has(t, "response_kb = ")),
        ("response_kb above 1 MB", |t| {
            numbers_after(t, "response_kb = ").any(|v| v > 1024.0)
        }),
        ("usage plan", |t| t.contains("\nusage_plan = { keys = ")),
        ("usage plan per-key rate", |t| {
            line_has(t, "usage_plan = ", "rate_limit = ")
        }),
        ("usage plan per-key burst", |t| {
            line_has(t, "usage_plan = ", "burst = ")
        }),
        ("usage plan quota", |t| {
            line_has(t, "usage_plan = ", "quota = ")
        }),
        ("usage plan quota_period", |t| {
            line_has(t, "usage_plan = ", "quota_period = ")
        }),
        ("lambda authorizer", |t| t.contains("\nauth = { lambda = ")),
        ("authorizer cache_ttl", |t| t.contains("cache_ttl = ")),
        ("authorizer cache off", |t| {
            t.contains("cache_ttl = \"0ms\"")
        }),
        ("authorizer identities", |t| t.contains("identities = ")),
        ("cognito authorizer", |t| {
            t.contains("\nauth = { cognito = ")
        }),
        ("cognito latency", |t| {
            line_has(t, "auth = { cognito", "latency = ")
        }),
        ("built-in authorizer latency", |t| t.contains("\nauth = \"")),
        // Lambda (issue 7).
        ("max_lifetime never", |t| {
            t.contains("max_lifetime = \"never\"")
        }),
        ("max_lifetime duration", |t| {
            t.lines()
                .any(|l| l.starts_with("max_lifetime = ") && !l.contains("never"))
        }),
        ("arm64", |t| t.contains("architecture = \"arm64\"")),
        ("snap_start", |t| t.contains("\nsnap_start = true")),
        ("timeout in whole seconds, not in s", |t| {
            blocks(t, "lambda").any(|b| {
                b.lines().any(|l| {
                    l.starts_with("timeout = ") && (!l.ends_with("s\"") || l.ends_with("ms\""))
                })
            })
        }),
        ("log_kb", |t| t.contains("\nlog_kb = ")),
        // External services and schedules (issue 9).
        ("service", |t| t.contains("[[service]]")),
        ("service call step", |t| t.contains("{ call = \"svc")),
        ("service rate_limit", |t| {
            blocks(t, "service").any(|b| b.contains("\nrate_limit = "))
        }),
        ("service daily_quota", |t| {
            blocks(t, "service").any(|b| b.contains("\ndaily_quota = "))
        }),
        ("ses preset", |t| t.contains("preset = \"ses\"")),
        ("ses-sandbox preset", |t| {
            t.contains("preset = \"ses-sandbox\"")
        }),
        ("schedule every", |t| {
            blocks(t, "schedule").any(|b| b.contains("\nevery = "))
        }),
        ("schedule cron", |t| {
            blocks(t, "schedule").any(|b| b.contains("\ncron = "))
        }),
        ("schedule to a function", |t| {
            blocks(t, "schedule").any(|b| b.contains("\ntarget = \"fn"))
        }),
        ("schedule to a queue", |t| {
            blocks(t, "schedule").any(|b| b.contains("\ntarget = \"q"))
        }),
        ("schedule to a topic", |t| {
            blocks(t, "schedule").any(|b| b.contains("\ntarget = \"tp"))
        }),
        ("scheduled rule", |t| t.contains("type = \"rule\"")),
        ("flexible window", |t| {
            t.contains("flexible_window = ") && !t.contains("flexible_window = \"off\"")
        }),
        ("start_date", |t| t.contains("\nstart_date = ")),
        // Streams.
        ("stream", |t| t.contains("[[stream]]")),
        ("on-demand stream", |t| {
            blocks(t, "stream").any(|b| b.contains("\nmode = \"on-demand\""))
        }),
        ("put records step", |t| t.contains("{ call = \"st")),
        ("stream trigger", |t| t.contains("{ source = \"st")),
        ("parallelization factor", |t| {
            t.contains("parallelization_factor = ")
        }),
        ("bisect on error", |t| t.contains("bisect_on_error = true")),
        // Cost (issue 7).
        ("projection once", |t| t.contains("projection = \"once\"")),
        ("projection repeat", |t| {
            t.contains("projection = \"repeat\"")
        }),
        ("table size_gb", |t| {
            blocks(t, "table").any(|b| b.contains("\nsize_gb = "))
        }),
        ("dax node_type", |t| line_has(t, "dax = ", "node_type = ")),
        // DynamoDB auto scaling (issue 8).
        ("table auto_scaling", |t| t.contains("\nauto_scaling = { ")),
        ("auto_scaling bounds", |t| {
            line_has(t, "auto_scaling = ", "max_wcu = ")
        }),
        ("auto_scaling update_delay", |t| {
            line_has(t, "auto_scaling = ", "update_delay = ")
        }),
        ("dax nodes", |t| line_has(t, "dax = ", " nodes = ")),
        // CloudFront and the common cache model (issue 9).
        ("cdn to a bucket", |t| {
            blocks(t, "cdn").any(|b| b.contains("\norigin = \"bk"))
        }),
        ("cdn to an api", |t| {
            blocks(t, "cdn").any(|b| b.contains("\norigin = \"api"))
        }),
        ("cdn origin shield", |t| t.contains("origin_shield = true")),
        ("cdn edges", |t| {
            blocks(t, "cdn").any(|b| b.contains("\nedges = "))
        }),
        ("workload to a cdn", |t| {
            blocks(t, "workload").any(|b| b.contains("\ntarget = \"cdn"))
        }),
        ("dax emergent", |t| line_has(t, "dax = ", "item_ttl = ")),
        // Traffic shapes (issue 7).
        ("diurnal offset", |t| {
            line_has(t, "arrival = \"diurnal(", "offset=")
        }),
        ("burst start", |t| {
            line_has(t, "arrival = \"burst(", "start=")
        }),
        ("ramp", |t| t.contains("arrival = \"ramp(")),
        ("ramp down", |t| ramp_down(t)),
        ("simulation start", |t| t.contains("\nstart = ")),
        ("start as a TOML local time", |t| {
            t.lines()
                .any(|l| l.starts_with("start = ") && !l.contains('"'))
        }),
        // S3 (issue 9).
        ("bucket", |t| t.contains("[[bucket]]")),
        ("workload to a bucket", |t| t.contains("\ntarget = \"bk")),
        ("workload ops", |t| t.contains("\nops = { ")),
        ("S3 call step", |t| t.contains("{ call = \"bk")),
        ("S3 step by its s3 alias", |t| t.contains("{ s3 = \"bk")),
        ("S3 step prefixes", |t| {
            t.lines()
                .any(|l| l.contains("= \"bk") && l.contains("prefixes = "))
        }),
        ("bucket prefixes", |t| t.contains("\nprefixes = ")),
        ("bucket object_kb distribution", |t| {
            t.contains("\nobject_kb = \"lognormal(")
        }),
        ("notify to a function", |t| line_has(t, "notify = ", "\"fn")),
        ("notify on delete", |t| {
            line_has(t, "notify = ", "on = \"delete\"")
        }),
        ("notify_delay", |t| t.contains("\nnotify_delay = ")),
    ];
    let mut missing = Vec::new();
    for (name, has) in features {
        let n = texts.iter().filter(|t| has(t)).count();
        if n < 15 {
            missing.push(format!("{name}: {n} of 1000"));
        }
    }
    assert!(missing.is_empty(), "rare features:\n{}", missing.join("\n"));
}

/// The `[[kind]]` blocks of a scenario's text.
fn blocks<'a>(t: &'a str, kind: &'a str) -> impl Iterator<Item = &'a str> {
    t.split("\n[[")
        .filter(move |b| b.strip_prefix(kind).is_some_and(|r| r.starts_with("]]")))
}

/// A line starting with `start` (after indentation) that contains `has`.
fn line_has(t: &str, start: &str, has: &str) -> bool {
    t.lines()
        .any(|l| l.trim_start().starts_with(start) && l.contains(has))
}

/// An api route entry (`{ route = ... }`) holding `has`.
fn route_has(t: &str, has: &str) -> bool {
    line_has(t, "{ route = ", has)
}

/// The numbers written after `key` anywhere in the text.
fn numbers_after<'a>(t: &'a str, key: &'a str) -> impl Iterator<Item = f64> + 'a {
    t.split(key).skip(1).filter_map(|r| {
        r.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .and_then(|n| n.parse().ok())
    })
}

/// A `ramp` whose `to` is below its `from`.
fn ramp_down(t: &str) -> bool {
    t.lines()
        .filter_map(|l| l.split("ramp(from=").nth(1))
        .any(|r| {
            let mut n = r
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse::<f64>().ok());
            matches!((n.next(), n.next()), (Some(f), Some(to)) if to < f)
        })
}

/// A `destinations` line naming a component of this kind prefix.
fn dest(t: &str, prefix: &str) -> bool {
    t.lines().any(|l| {
        l.starts_with("destinations = ")
            && (l.contains(&format!("on_success = \"{prefix}"))
                || l.contains(&format!("on_failure = \"{prefix}")))
    })
}

/// A trigger on a FIFO queue: a trigger line whose source is a queue
/// declared `type = "fifo"`.
fn fifo_trigger(t: &str) -> bool {
    let fifo: Vec<String> = t
        .split("\n[[")
        .filter(|b| b.starts_with("queue]]") && b.contains("type = \"fifo\""))
        .filter_map(|b| b.lines().nth(1).map(|l| l.replace("name = ", "")))
        .collect();
    t.lines()
        .filter(|l| l.contains("{ source = "))
        .any(|l| fifo.iter().any(|n| l.contains(&format!("source = {n},"))))
}

/// A trigger with `batch_size` above 10.
fn big_batch(t: &str) -> bool {
    t.lines()
        .filter_map(|l| l.split("batch_size = ").nth(1))
        .filter_map(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .any(|n| n.parse::<u32>().is_ok_and(|n| n > 10))
}

/// A subscription with a dead-letter queue (a `{ target = ..., dead_letter
/// = ... }` entry, unlike a queue's own `dead_letter = ` line).
fn sub_dlq(t: &str) -> bool {
    t.lines()
        .any(|l| l.contains("{ target = ") && l.contains("dead_letter = "))
}

/// The api and cost checks can fail: the issue-7 baseline passes them
/// under both projections, and each doctored copy of its summary.json
/// fails them.
#[test]
fn api_and_cost_checks_can_fail() {
    use serde_json::{json, Value};
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/props/regressions/issue7-features.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let apis = vec!["shop".to_string(), "login".to_string()];
    fn add(v: &mut Value, n: i64) {
        *v = json!(v.as_i64().unwrap() + n);
    }
    fn add_f(v: &mut Value, x: f64) {
        *v = json!(v.as_f64().unwrap() + x);
    }
    type Doctor = (&'static str, fn(&mut Value));
    let doctors: &[Doctor] = &[
        ("billed above admitted", |j| {
            add(&mut j["apis"]["shop"]["billed_requests"], 1)
        }),
        ("throttled_by off by one", |j| {
            add(&mut j["apis"]["shop"]["throttled_by"]["route"], 1)
        }),
        ("unknown throttle cause", |j| {
            j["apis"]["login"]["throttled_by"]["gateway"] = json!(0)
        }),
        ("a 429 not throttled", |j| {
            add(&mut j["apis"]["login"]["status"]["429"], -1)
        }),
        ("more responses than requests", |j| {
            add(&mut j["apis"]["login"]["status"]["200"], 1000)
        }),
        ("authorizer beyond admitted", |j| {
            let a = &mut j["apis"]["shop"];
            let n = a["billed_requests"].as_i64().unwrap();
            add(&mut a["authorizer_cache_hits"], n);
        }),
        ("a window cost doubled", |j| {
            let c = &mut j["cost"];
            let w = c["window_by_service"]["lambda"].as_f64().unwrap();
            add_f(&mut c["window_by_service"]["lambda"], w);
            add_f(&mut c["total_usd"], w);
        }),
        ("a component's cost off", |j| {
            add_f(&mut j["cost"]["by_component"]["app"], 1.0)
        }),
        ("always-on above the month", |j| {
            let m = j["cost"]["monthly_usd"].as_f64().unwrap();
            j["cost"]["always_on_monthly_usd"] = json!(m + 1.0);
        }),
        ("the other projection", |j| {
            let other = if j["cost"]["projection"] == "once" {
                "repeat"
            } else {
                "once"
            };
            j["cost"]["projection"] = json!(other);
        }),
        ("a negative cost", |j| {
            let c = &mut j["cost"];
            let v = c["by_service"]["dax"].as_f64().unwrap();
            c["by_service"]["dax"] = json!(-v);
            add_f(&mut c["monthly_usd"], -2.0 * v);
        }),
    ];
    for projection in ["once", "repeat"] {
        let tmp = tempfile::tempdir().unwrap();
        let set = ["--set".into(), format!("cost.projection={projection}")];
        let run = check::run(tmp.path(), &text, false, &set);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let summary = std::fs::read(run.out.join("summary.json")).unwrap();
        let json: Value = serde_json::from_slice(&summary).unwrap();
        let problems = |j: &Value| {
            let mut p = check::apis::api_checks(j, &apis);
            p.extend(check::cost::cost_checks(j, projection));
            p
        };
        assert_eq!(problems(&json), Vec::<String>::new(), "{projection}");
        for (what, doctor) in doctors {
            let mut j = json.clone();
            doctor(&mut j);
            assert!(
                !problems(&j).is_empty(),
                "{projection}: the checks miss {what}"
            );
        }
    }
}

/// Scenarios that once failed a property, kept as fixtures: each file is a
/// scenario run with the same checks (`# args: --seed N` on the first line
/// gives command-line arguments).
#[test]
fn regressions_still_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/props/regressions");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        n += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let args: Vec<String> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# args:"))
            .map(|a| a.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let tmp = tempfile::tempdir().unwrap();
        let run = check::run(
            tmp.path(),
            &text,
            text.contains("empirical(samples.csv)"),
            &args,
        );
        let sets: Vec<String> = args
            .chunks(2)
            .filter(|c| c[0] == "--seed")
            .map(|c| format!("simulation.seed={}", c[1]))
            .collect();
        let parsed = slsim::scenario::load(&run.scenario, &sets).expect("fixture is valid");
        let want = check::Expect {
            duration_s: parsed.simulation.duration as f64 / 1e9,
            measured_s: (parsed.simulation.duration - parsed.simulation.warmup) as f64 / 1e9,
            seed: parsed.simulation.seed,
            may_stop_early: text.contains("max_events"),
            overrides: sets,
            queues: parsed.queues.iter().map(|q| q.name.clone()).collect(),
            topics: parsed.topics.iter().map(|t| t.name.clone()).collect(),
            buckets: parsed.buckets.iter().map(|b| b.name.clone()).collect(),
            services: parsed.services.iter().map(|s| s.name.clone()).collect(),
            schedules: parsed.schedules.iter().map(|s| s.name.clone()).collect(),
            apis: parsed.apis.iter().map(|a| a.name.clone()).collect(),
            projection: parsed.simulation.cost.projection.as_str(),
        };
        let problems = check::check(&run, &want);
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", path.display(), problems.join("\n")));
        }
    }
    assert!(n > 0, "no fixtures in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
