//! `[[stream]]`, a table's `stream = true`, PutRecords steps and stream
//! triggers in scenario files: a full valid example with its defaults, and
//! each mistake (a wrong source, a table without a stream, queue-only or
//! stream-only fields on the wrong trigger, bounds from the fact sheet)
//! rejected with a located message and a hint.

use slsim::engine::SECONDS;
use slsim::model::stream::{
    OnFailure, StreamSource, DEFAULT_BATCH_SIZE, DEFAULT_RETENTION, KINESIS_POLL,
};
use slsim::model::{Step, StreamMode};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[lambda]]
name = "collect"
steps = [{ call = "clicks", records = 10, size_kb = 2, keys = "uniform(n=100)" }]

[[lambda]]
name = "aggregate"
steps = [{ call = "counts", op = "update" }]
triggers = [
  { source = "clicks", batch_size = 500, batch_window = "2s", parallelization_factor = 4, starting_position = "latest", bisect_on_error = true, max_retry_attempts = 5, max_record_age = "1h", on_failure = "bad" },
]

[[lambda]]
name = "board"
triggers = [{ source = "counts" }, { source = "jobs" }]

[[stream]]
name = "clicks"
shards = 3

[[stream]]
name = "elastic"
mode = "on-demand"
retention = "7d"

[[table]]
name = "counts"
stream = true

[[queue]]
name = "bad"

[[queue]]
name = "jobs"
"#;

#[test]
fn streams_and_stream_triggers_parse_with_their_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.streams.len(), 2);
    let (clicks, elastic) = (&s.streams[0], &s.streams[1]);
    assert_eq!(
        (clicks.mode, clicks.shards, clicks.retention),
        (StreamMode::Provisioned, 3, DEFAULT_RETENTION)
    );
    assert_eq!(
        (elastic.mode, elastic.shards, elastic.retention),
        (StreamMode::OnDemand, 4, 7 * 24 * 3600 * SECONDS)
    );
    assert!(s.tables[0].stream);
    match &s.lambdas[0].steps[0] {
        Step::PutRecords(p) => assert_eq!((p.stream, p.records, p.size_kb), (0, 10, 2.0)),
        other => panic!("{other:?}"),
    }
    let t = &s.lambdas[1].stream_triggers[0];
    assert_eq!(t.source, StreamSource::Kinesis(0));
    assert_eq!(
        (t.batch_size, t.batch_window, t.parallelization_factor),
        (500, 2 * SECONDS, 4)
    );
    assert!(!t.trim_horizon && t.bisect_on_error);
    assert_eq!(t.max_retry_attempts, Some(5));
    assert_eq!(t.max_record_age, Some(3600 * SECONDS));
    assert_eq!(t.on_failure, Some(OnFailure::Queue(0)));
    // Defaults, and a queue trigger beside a stream trigger.
    let b = &s.lambdas[2];
    assert_eq!(b.stream_triggers.len(), 1);
    assert_eq!(b.triggers.len(), 1);
    let d = &b.stream_triggers[0];
    assert_eq!(d.source, StreamSource::Table(0));
    assert_eq!(
        (d.batch_size, d.batch_window, d.parallelization_factor),
        (DEFAULT_BATCH_SIZE, 0, 1)
    );
    assert!(d.trim_horizon && !d.bisect_on_error);
    assert_eq!(
        (d.max_retry_attempts, d.max_record_age, d.on_failure),
        (None, None, None)
    );
    assert_eq!(KINESIS_POLL, SECONDS);
    // Nobody writes to `elastic`.
    let all = s.warnings.join("\n");
    assert!(
        all.contains("no function writes to stream `elastic`") && !all.contains("`clicks`"),
        "{all}"
    );
    // The graph draws the puts, the polls and the on-failure destination.
    let dot = slsim::topology::to_dot(&s);
    for x in [
        "\"collect\" -> \"clicks\" [label=\"put records\"]",
        "\"clicks\" -> \"aggregate\" [label=\"poll\", style=dotted]",
        "\"counts\" -> \"board\" [label=\"poll\", style=dotted]",
        "\"clicks\" -> \"bad\" [label=\"on_failure\", style=dashed]",
        "shape=rarrow",
    ] {
        assert!(dot.contains(x), "{x:?} in\n{dot}");
    }
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "table without a stream", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"t\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "triggers[0].source", "table `t` has no stream", "stream = true"] },
    Case { name: "bucket as a trigger source", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"b\" }]\n\n[[bucket]]\nname = \"b\"\n", expect: &["bad.toml:6:", "triggers[0].source", "`b` is a bucket"] },
    Case { name: "undefined stream in a step", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"clikcs\" }]\n\n[[stream]]\nname = \"clicks\"\n", expect: &["bad.toml:6:", "steps[0].call", "did you mean `clicks`?"] },
    Case { name: "op on a put", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"s\", op = \"put\" }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "`op` does not apply"] },
    Case { name: "records on a table call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"put\", records = 2 }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "`records` does not apply"] },
    Case { name: "too many records", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"s\", records = 501 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "records", "1 to 500"] },
    Case { name: "record too large", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"s\", size_kb = 2000 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "size_kb", "1 MB"] },
    Case { name: "zero shards", body: "[[stream]]\nname = \"s\"\nshards = 0\n", expect: &["bad.toml:6:", "stream[0] \"s\" .shards", "20000"] },
    Case { name: "shards on demand", body: "[[stream]]\nname = \"s\"\nmode = \"on-demand\"\nshards = 2\n", expect: &["bad.toml:7:", "an on-demand stream has no shard count"] },
    Case { name: "bad mode", body: "[[stream]]\nname = \"s\"\nmode = \"ondemand\"\n", expect: &["bad.toml:6:", "`ondemand` is not a valid value", "on-demand"] },
    Case { name: "retention too short", body: "[[stream]]\nname = \"s\"\nretention = \"1h\"\n", expect: &["bad.toml:6:", "retention", "24 hours to 365 days"] },
    Case { name: "misspelt stream field", body: "[[stream]]\nname = \"s\"\nshard = 2\n", expect: &["bad.toml:6:", "shard", "did you mean `shards`?"] },
    Case { name: "parallelization out of range", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", parallelization_factor = 11 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "parallelization_factor", "1 to 10", "aws-facts 5.6"] },
    Case { name: "batch too large", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", batch_size = 10001 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "batch_size", "1 to 10000"] },
    Case { name: "retries out of range", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", max_retry_attempts = 10001 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "max_retry_attempts", "-1"] },
    Case { name: "record age too short", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", max_record_age = \"10s\" }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "max_record_age", "60 s to 7 days"] },
    Case { name: "bad starting position", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", starting_position = \"oldest\" }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "starting_position", "trim-horizon"] },
    Case { name: "on_failure to a function", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", on_failure = \"f\" }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "on_failure", "`f` is a lambda", "queue or topic"] },
    Case { name: "queue field on a stream trigger", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\", max_concurrency = 5 }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:6:", "max_concurrency", "applies to a queue's trigger", "parallelization_factor"] },
    Case { name: "stream field on a queue trigger", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", bisect_on_error = true }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "bisect_on_error", "applies to a stream's trigger", "dead_letter"] },
    Case { name: "two mappings on one stream", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"s\" }]\n\n[[lambda]]\nname = \"g\"\ntriggers = [{ source = \"s\" }]\n\n[[stream]]\nname = \"s\"\n", expect: &["bad.toml:10:", "one function", "`s`"] },
];

#[test]
fn stream_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(
        CASES
            .iter()
            .map(|c| (c.name, format!("{SIM}\n{}", c.body), c.expect)),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
