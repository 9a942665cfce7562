//! The execution-environment timeline (`[timeline]`, issue 11 item 1):
//! what it records agrees with the function's own accounting, an
//! environment is never busy twice at once, the window and the bounds
//! hold, and bad input is an error naming the field.

use std::collections::BTreeMap;
use std::time::Duration;

use assert_cmd::Command;
use slsim::engine::SECONDS;
use slsim::scenario::parse_str;
use slsim::services::lambda::billed_ms;
use slsim::services::lambda::timeline::{EnvTimeline, Phase, Span};
use slsim::services::Kind;
use slsim::sim::{run, RunResult};

/// One function invoked directly by Poisson arrivals: cold starts, warm
/// reuse, expiries (keep-alive 20 s), throttles (reserved concurrency 3)
/// and timeouts (a 3 s timeout against exp(800 ms) compute).
fn scenario(extra: &str) -> String {
    format!(
        "[simulation]\nname = \"tl\"\nduration = \"10m\"\nseed = 3\n\n\
         [[workload]]\nname = \"users\"\ntarget = \"f\"\narrival = \"poisson(rate=2)\"\n\n\
         [[lambda]]\nname = \"f\"\nmemory_mb = 1024\nkeep_alive = \"20s\"\nreserved_concurrency = 3\n\
         steps = [ {{ compute = \"exp(800ms)\" }} ]\n\n{extra}"
    )
}

fn result(text: &str) -> RunResult {
    run(&parse_str(text, "tl.toml", &[]).unwrap()).unwrap()
}

/// Per environment, its spans (instants included) in time order.
fn by_env(t: &EnvTimeline) -> BTreeMap<u32, Vec<Span>> {
    let mut m: BTreeMap<u32, Vec<Span>> = BTreeMap::new();
    for s in &t.spans {
        if let Some(e) = s.env {
            m.entry(e).or_default().push(*s);
        }
    }
    for v in m.values_mut() {
        v.sort_by_key(|s| (s.start, s.end));
    }
    m
}

#[test]
fn busy_time_per_environment_sums_to_the_billed_duration() {
    let r = result(&scenario("[timeline]\nfunctions = [\"f\"]\n"));
    let t = &r.timelines[0];
    let f = &r.functions["f"];
    assert!(
        f.cold_starts > 10 && f.timeouts > 10 && f.throttles > 10,
        "{f:?}"
    );
    assert_eq!((t.environments_omitted, t.records_omitted), (0, 0));
    let end = 600 * SECONDS;
    // An invocation is its environment's init (on a cold start) and the
    // busy span after it; billed rounded up to 1 ms, init included. One
    // still running at the end is not billed yet.
    let mut billed = 0u64;
    let mut invocations = 0u64;
    for spans in by_env(t).values() {
        let mut init = 0;
        for s in spans {
            match s.phase {
                Phase::Init => init += s.end - s.start,
                Phase::Busy if s.end < end => {
                    billed += billed_ms(init + s.end - s.start);
                    invocations += 1;
                    init = 0;
                }
                _ => {}
            }
        }
    }
    // 1,024 MB = 1 GB: GB-s are seconds. The bill sums each invocation's
    // whole ms x 1e-3 in f64 (a relative error of ~1e-16 per term, far
    // below 0.5 ms over these ~1,000 terms): rounded to the ms it is exact.
    let gb_s = f.gb_seconds;
    assert_eq!(
        billed,
        (gb_s * 1e3).round() as u64,
        "timeline {billed} ms, bill {gb_s} GB-s"
    );
    let in_flight = by_env(t)
        .values()
        .filter(|v| {
            v.last()
                .is_some_and(|s| s.phase == Phase::Busy && s.end == end)
        })
        .count() as u64;
    assert_eq!(invocations + in_flight, f.invocations);
    let cold = t.spans.iter().filter(|s| s.phase == Phase::Init).count() as u64;
    assert_eq!(cold, f.cold_starts);
    let throttled = t
        .spans
        .iter()
        .filter(|s| s.phase == Phase::Throttled)
        .count() as u64;
    assert_eq!(throttled, f.throttles);
}

#[test]
fn an_environment_is_never_busy_twice_and_its_spans_follow_each_other() {
    let r = result(&scenario("[timeline]\n"));
    let t = &r.timelines[0];
    for (env, spans) in by_env(t) {
        for w in spans.windows(2) {
            assert_eq!(w[0].end, w[1].start, "env {env}: a gap or an overlap {w:?}");
            assert!(
                !(w[0].phase == Phase::Busy && w[1].phase == Phase::Busy),
                "env {env}: two busy spans back to back {w:?}"
            );
        }
        // A life starts with init (cold) and ends at most once.
        assert_eq!(spans[0].phase, Phase::Init, "env {env}");
        let ends = spans
            .iter()
            .filter(|s| matches!(s.phase, Phase::Expired | Phase::Recycled | Phase::Reset))
            .count();
        assert!(ends <= 1, "env {env}: {ends} ends");
        if ends == 1 {
            let last = spans.last().unwrap();
            assert!(
                matches!(last.phase, Phase::Expired | Phase::Reset),
                "{last:?}"
            );
        }
        // An expiry comes after exactly the keep-alive of idleness.
        for w in spans.windows(2) {
            if w[1].phase == Phase::Expired {
                assert_eq!(w[0].phase, Phase::Idle);
                assert_eq!(w[0].end - w[0].start, 20 * SECONDS, "env {env}");
            }
        }
    }
}

#[test]
fn a_cold_start_names_the_request_that_caused_it() {
    let r = result(&scenario("[timeline]\n"));
    for s in r.timelines[0]
        .spans
        .iter()
        .filter(|s| s.phase == Phase::Init)
    {
        let c = s.cause.expect("every cold start here has a request");
        assert_eq!((c.kind, c.component), (Kind::Workload, 0));
        // A direct invoke: the request arrived as the environment started.
        assert_eq!(c.at, s.start);
    }
}

#[test]
fn the_window_clips_and_the_bounds_count_what_they_leave_out() {
    let r = result(&scenario(
        "[timeline]\nfrom = \"2m\"\nto = \"3m\"\nmax_environments = 2\n",
    ));
    let t = &r.timelines[0];
    assert_eq!((t.from, t.to), (120 * SECONDS, 180 * SECONDS));
    assert!(t.spans.iter().all(|s| s.start >= t.from && s.end <= t.to));
    assert_eq!(t.environments, 2);
    assert!(t.environments_omitted > 0);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("raise max_environments")),
        "{:?}",
        r.warnings
    );
    let r = result(&scenario("[timeline]\nmax_records = 50\n"));
    assert_eq!(r.timelines[0].spans.len(), 50);
    assert!(r.timelines[0].records_omitted > 0);
    // Without [timeline] nothing is recorded.
    assert!(result(&scenario("")).timelines.is_empty());
}

#[test]
fn recording_changes_no_figure() {
    let with = result(&scenario("[timeline]\n"));
    let without = result(&scenario(""));
    let a = serde_json::to_value(&with.functions).unwrap();
    let b = serde_json::to_value(&without.functions).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_timeline_input_names_the_field() {
    for (extra, needle) in [
        ("[timeline]\nfunctions = [\"g\"]\n", "`g` is not defined"),
        ("[timeline]\nfunctions = []\n", "`functions` is empty"),
        (
            "[timeline]\nmax_environments = 0\n",
            "max_environments 0 is out of range",
        ),
        ("[timeline]\nmax_records = 2000000\n", "out of range"),
        (
            "[timeline]\nfrom = \"20m\"\n",
            "at or after the end of the run",
        ),
        (
            "[timeline]\nfrom = \"2m\"\nto = \"1m\"\n",
            "`to` must be after `from`",
        ),
        ("[timeline]\nfrom = \"soon\"\n", "timeline.from"),
        ("[timeline]\ncolour = \"red\"\n", "colour"),
    ] {
        let e = parse_str(&scenario(extra), "tl.toml", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{extra}: {e}");
        assert!(e.contains("tl.toml:"), "{extra}: no line in {e}");
    }
    let text = format!("timeline = 3\n{}", scenario(""));
    let e = parse_str(&text, "tl.toml", &[]).unwrap_err().to_string();
    assert!(e.contains("`timeline` must be a table"), "{e}");
}

#[test]
fn slsim_run_writes_timeline_csv_and_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tl.toml");
    std::fs::write(&path, scenario("[timeline]\nto = \"1m\"\n")).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("slsim")
        .unwrap()
        .timeout(Duration::from_secs(60))
        .args(["run", path.to_str().unwrap(), "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("function,environment,phase,start_s,end_s,duration_s,cause_kind,cause,cause_at_s")
    );
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("f,0,init,") && first.contains(",workload,users,"),
        "{first}"
    );
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(
        summary.contains("\"timeline.csv\""),
        "not listed under files"
    );
    // The Gantt chart, SVG and PNG, listed too.
    let svg = std::fs::read_dir(out.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with("-timeline-f.svg"))
        .expect("a timeline chart");
    assert!(summary.contains(&format!("\"plots/{svg}\"")));
    assert!(out
        .join("plots")
        .join(svg.replace(".svg", ".png"))
        .is_file());
    let drawn = std::fs::read_to_string(out.join("plots").join(&svg)).unwrap();
    assert!(drawn.contains("Execution environments of f"));
}
