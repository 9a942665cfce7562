//! `slsim teach`: the topics, each lesson's files, its figures read from
//! its steps' summaries (not canned), the cold-starts lesson's numbers
//! going the way the theory says, and bad lessons as clear errors.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn slsim() -> Command {
    Command::cargo_bin("slsim").unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const TOPICS: [&str; 3] = ["cold-starts", "throttling", "scaling"];
const LESSONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/teaching");

fn json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

/// Runs `slsim teach TOPIC --out DIR`; its stdout and lesson.json.
fn teach(topic: &str, dir: &Path) -> (String, Value) {
    let out = slsim()
        .args(["teach", topic, "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (text(&out.stdout), json(&dir.join("lesson.json")))
}

/// Where each measured figure is in summary.json (the test's own map:
/// `W` the workload, `F` the function, `A` the api, `Q` the queue).
fn path_of(figure: &str) -> Option<&'static str> {
    Some(match figure {
        "requests" => "workloads.W.requests",
        "throttled" => "workloads.W.throttled",
        "cold_starts" => "functions.F.cold_starts",
        "cold_start_ratio" => "functions.F.cold_start_ratio",
        "p50_ms" => "workloads.W.latency_ms.p50",
        "p99_ms" => "workloads.W.latency_ms.p99",
        "p99_warm_ms" => "workloads.W.p99_warm_ms",
        "init_ms" => "functions.F.mean_init_ms",
        "duration_ms" => "functions.F.mean_duration_ms",
        "max_concurrency" => "functions.F.max_concurrency",
        "function_throttles" => "functions.F.throttles",
        "rate_throttles" => "functions.F.rate_throttles",
        "api_throttled" => "apis.A.throttled",
        "queue_wait_p99_s" => "queues.Q.wait_s.p99",
        "queue_max_visible" => "queues.Q.max_visible",
        "cost_month" => "cost.monthly_usd",
        _ => return None,
    })
}

fn first_key(v: &Value, section: &str) -> String {
    v[section]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .unwrap_or_default()
}

fn at<'a>(summary: &'a Value, path: &str) -> &'a Value {
    let mut cur = summary;
    for (i, part) in path.split('.').enumerate() {
        let key = match (i, part) {
            (1, "W") => first_key(summary, "workloads"),
            (1, "F") => first_key(summary, "functions"),
            (1, "A") => first_key(summary, "apis"),
            (1, "Q") => first_key(summary, "queues"),
            _ => part.to_string(),
        };
        cur = &cur[key.as_str()];
    }
    cur
}

/// A whole number with digit groups, as the lesson writes counts.
fn grouped(n: u64) -> String {
    let d = n.to_string();
    let mut s = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    s
}

/// Each step's figures in lesson.json equal its summary.json's; its
/// result directory is complete; the printed step shows the counts.
fn check_lesson(dir: &Path, stdout: &str, lesson: &Value) -> Vec<Value> {
    for f in [
        "comparison.svg",
        "comparison.png",
        "lesson.md",
        "lesson.json",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let svg = std::fs::read_to_string(dir.join("comparison.svg")).unwrap();
    assert!(svg.starts_with("<svg") && !svg.contains("NaN"));
    let md = std::fs::read_to_string(dir.join("lesson.md")).unwrap();
    let steps = lesson["steps"].as_array().unwrap();
    let sections: Vec<&str> = stdout.split("\nStep ").skip(1).collect();
    assert_eq!(sections.len(), steps.len(), "{stdout}");
    let mut summaries = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let sub = dir.join(step["dir"].as_str().unwrap());
        for f in [
            "summary.json",
            "timeseries.csv",
            "report.html",
            "topology.svg",
        ] {
            assert!(sub.join(f).is_file(), "{}/{f}", sub.display());
        }
        assert!(sub.join("plots").is_dir());
        let summary = json(&sub.join("summary.json"));
        assert_eq!(
            summary["provenance"]["overrides"], step["set"],
            "the step's overrides are recorded"
        );
        let section = sections[i];
        assert!(section.starts_with(&format!("{} of", i + 1)), "{section}");
        assert!(md.contains(step["title"].as_str().unwrap()));
        let figures = step["figures"].as_object().unwrap();
        let mut checked = 0;
        for (name, value) in figures {
            let Some(path) = path_of(name) else { continue };
            let expected = at(&summary, path);
            assert_eq!(
                value.as_f64(),
                expected.as_f64(),
                "step {i} {name}: lesson.json vs summary.json {path}"
            );
            assert_eq!(value.is_null(), expected.is_null(), "step {i} {name}");
            checked += 1;
            let count = matches!(name.as_str(), "requests" | "throttled" | "cold_starts");
            if let (true, Some(n)) = (count, value.as_u64()) {
                assert!(
                    section.contains(&grouped(n)),
                    "step {i}: {name} {n} not printed in:\n{section}"
                );
            }
        }
        assert!(checked > 0, "step {i} shows measured figures");
        summaries.push(summary);
    }
    summaries
}

#[test]
fn without_a_topic_the_topics_are_listed() {
    let out = slsim().arg("teach").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    for t in TOPICS {
        assert!(s.contains(t), "{t} missing from:\n{s}");
    }
    let out = slsim().args(["teach", "--help"]).output().unwrap();
    assert!(text(&out.stdout).contains("cold_start_ratio"));
}

#[test]
fn an_unknown_topic_is_bad_input_listing_the_topics() {
    let out = slsim().args(["teach", "cold-start"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: unknown topic"), "{err}");
    for t in TOPICS {
        assert!(err.contains(t), "{err}");
    }
}

/// Two proportions differ by more than 4 standard errors.
fn clearly_below(p1: f64, n1: f64, p2: f64, n2: f64) -> bool {
    let se = (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    p2 - p1 > 4.0 * se.max(1.0 / n1.min(n2))
}

#[test]
fn the_cold_starts_lesson_runs_and_its_numbers_go_the_expected_way() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cs");
    let (stdout, lesson) = teach("cold-starts", &dir);
    let summaries = check_lesson(&dir, &stdout, &lesson);
    let steps = lesson["steps"].as_array().unwrap();
    let index = |name: &str| steps.iter().position(|s| s["name"] == name).unwrap();
    let f = |i: usize| &summaries[i]["functions"]["app"];
    let w = |i: usize| &summaries[i]["workloads"]["clients"];
    let num = |v: &Value| v.as_f64().unwrap();
    let ratio_n = |i: usize| (num(&f(i)["cold_start_ratio"]), num(&f(i)["invocations"]));

    // Provisioned concurrency at or above the peak: no cold start.
    let pc = index("provisioned");
    let provisioned = num(&f(pc)["provisioned_concurrency"]);
    assert!(provisioned > 0.0);
    assert!(num(&f(pc)["max_concurrency"]) <= provisioned);
    assert_eq!(num(&f(pc)["cold_starts"]), 0.0);

    // A longer keep-alive: fewer cold starts at low traffic.
    let (low, n_low) = ratio_n(index("low-traffic"));
    let (long, n_long) = ratio_n(index("keep-alive-30m"));
    assert!(clearly_below(long, n_long, low, n_low), "{long} vs {low}");
    // Steady traffic: fewer than bursty, fewer than low.
    let (steady, n_steady) = ratio_n(index("steady"));
    let (bursty, n_bursty) = ratio_n(index("bursty"));
    assert!(clearly_below(steady, n_steady, bursty, n_bursty));
    assert!(clearly_below(bursty, n_bursty, low, n_low));

    // The theory: one environment, Poisson arrivals, keep-alive T, cold with
    // probability e^(-λT); within 4 standard errors of the measured share
    // (plus the first request, always cold).
    let predicted = steps[index("low-traffic")]["figures"]["predicted_cold_start_ratio"]
        .as_f64()
        .unwrap();
    assert!((predicted - (-0.005f64 * 360.0).exp()).abs() < 1e-12);
    let se = (predicted * (1.0 - predicted) / n_low).sqrt();
    assert!(
        (low - predicted).abs() < 4.0 * se + 1.0 / n_low,
        "{low} vs {predicted}"
    );

    // SnapStart: the restore (733 ms median) is shorter than the 3 s init,
    // so the mean init and the cold-start-dominated p99 fall. The init is
    // lognormal with sigma = ln(p99/median)/2.326; the standard error of a
    // mean of n draws is mean x sqrt(e^(sigma^2) - 1) / sqrt(n).
    let (b, s) = (index("bursty"), index("snapstart"));
    let se_mean = |median: f64, p99: f64, n: f64| {
        let sigma = (p99 / median).ln() / 2.326;
        median * (sigma * sigma / 2.0).exp() * ((sigma * sigma).exp() - 1.0).sqrt() / n.sqrt()
    };
    let init_b = num(&f(b)["mean_init_ms"]);
    let init_s = num(&f(s)["mean_init_ms"]);
    let margin = 4.0
        * (se_mean(3000.0, 5000.0, num(&f(b)["cold_starts"]))
            + se_mean(733.0, 1053.0, num(&f(s)["cold_starts"])));
    assert!(init_s + margin < init_b, "{init_s} vs {init_b}");
    assert!(num(&w(s)["latency_ms"]["p99"]) < num(&w(b)["latency_ms"]["p99"]));
    // More memory: a faster handler.
    let m = index("more-memory");
    assert!(num(&f(m)["mean_duration_ms"]) < num(&f(b)["mean_duration_ms"]));
}

#[test]
fn the_throttling_and_scaling_lessons_run_and_write_their_files() {
    let tmp = tempfile::tempdir().unwrap();
    for topic in ["throttling", "scaling"] {
        let dir = tmp.path().join(topic);
        let (stdout, lesson) = teach(topic, &dir);
        let summaries = check_lesson(&dir, &stdout, &lesson);
        let throttled = |i: usize| {
            summaries[i]["workloads"]["clients"]["throttled"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(throttled(0) == 0, topic == "throttling", "{topic} step 1");
        assert!(summaries
            .iter()
            .any(|s| s["workloads"]["clients"]["throttled"].as_u64() > Some(0)));
    }
    // The same lesson again: the same figures and chart, into the same
    // directory (replaced).
    let dir = tmp.path().join("throttling");
    let before = std::fs::read(dir.join("comparison.svg")).unwrap();
    let (_, again) = teach("throttling", &dir);
    assert_eq!(again, json(&dir.join("lesson.json")));
    assert_eq!(before, std::fs::read(dir.join("comparison.svg")).unwrap());
}

/// A copy of scenarios/teaching with `edit` applied to `file`.
fn edited_copy(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(LESSONS).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let mut body = std::fs::read_to_string(&p).unwrap();
        if name == file {
            body = edit(&body);
        }
        std::fs::write(tmp.path().join(name), body).unwrap();
    }
    tmp
}

#[test]
fn an_edited_lesson_runs_from_lessons_dir() {
    let copy = edited_copy("throttling.lesson.toml", |s| {
        s.replacen("title = \"Throttling\"", "title = \"Refusals\"", 1)
    });
    let out_dir = copy.path().join("out");
    let out = slsim()
        .args(["teach", "throttling", "--lessons"])
        .arg(copy.path())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Refusals\n"));
    let list = slsim()
        .args(["teach", "--lessons"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(text(&list.stdout).contains("Refusals"));
}

/// A bad lesson: what is wrong, the edit that makes it so, and what the
/// message must mention.
type BadCase = (&'static str, fn(&str) -> String, &'static str);

#[test]
fn a_bad_lesson_is_bad_input_naming_the_file() {
    let cases: [BadCase; 4] = [
        (
            "unknown placeholder",
            |s| s.replacen("{duration_ms}", "{duration}", 1),
            "duration_ms",
        ),
        (
            "bad --set",
            |s| {
                s.replacen(
                    "lambda.work.reserved_concurrency=10",
                    "lambda.wrok.reserved_concurrency=10",
                    1,
                )
            },
            "reserved-10",
        ),
        (
            "unknown field",
            |s| s.replacen("summary =", "sumary =", 1),
            "sumary",
        ),
        (
            "unknown figure",
            |s| s.replacen("\"max_concurrency\"]", "\"max_conc\"]", 1),
            "max_concurrency",
        ),
    ];
    for (what, edit, mention) in cases {
        let copy = edited_copy("throttling.lesson.toml", edit);
        let out = slsim()
            .args(["teach", "throttling", "--lessons"])
            .arg(copy.path())
            .arg("--out")
            .arg(copy.path().join("out"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        let err = text(&out.stderr);
        assert!(err.starts_with("error: "), "{what}: {err}");
        assert!(err.contains("throttling.lesson.toml"), "{what}: {err}");
        assert!(err.contains(mention), "{what}: {mention} not in {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(!copy.path().join("out").exists(), "{what}: nothing written");
    }
}

#[test]
fn a_foreign_out_directory_is_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = slsim()
        .args(["teach", "throttling", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("notes.txt"));
    assert!(tmp.path().join("notes.txt").is_file());
}
