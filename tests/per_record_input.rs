//! `per_record` on a lambda's steps in scenario files: accepted on every
//! call kind and on compute and I/O (default false), a warning when no
//! queue or stream triggers the function, and the mistakes (on a `fail`
//! step, not a boolean) rejected with a located message and a hint.

use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[lambda]]
name = "consumer"
steps = [
  { compute = "const(2ms)", per_record = true },
  { io = "const(1ms)", per_record = false },
  { call = "items", op = "put", per_record = true },
  { call = "helper", per_record = true },
  { call = "helper", mode = "async", per_record = true },
  { call = "out", per_record = true },
  { call = "news", per_record = true },
  { s3 = "files", op = "put", per_record = true },
  { call = "mail", per_record = true },
  { call = "clicks", records = 1, per_record = true },
  { fail = 0.01 },
  { call = "mail" },
]
triggers = [{ source = "jobs", batch_size = 10 }]

[[lambda]]
name = "helper"

[[lambda]]
name = "direct"
steps = [{ call = "mail", per_record = true }]

[[table]]
name = "items"

[[queue]]
name = "jobs"

[[queue]]
name = "out"

[[topic]]
name = "news"

[[bucket]]
name = "files"

[[service]]
name = "mail"
latency = "const(10ms)"

[[stream]]
name = "clicks"
shards = 1
"#;

#[test]
fn per_record_is_accepted_on_calls_compute_and_io() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    let consumer = &s.lambdas[0];
    assert_eq!(consumer.per_record, vec![0, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert!(consumer.is_per_record(0) && !consumer.is_per_record(1));
    assert!(!consumer.is_per_record(11), "default false");
    assert!(s.lambdas[1].per_record.is_empty());
    assert_eq!(s.lambdas[2].per_record, vec![0]);
    // Only the function no batch invokes is warned about, at its step.
    let warned: Vec<&String> = s
        .warnings
        .iter()
        .filter(|w| w.contains("per_record"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", s.warnings);
    assert!(warned[0].contains("good.toml:27:"), "{}", warned[0]);
    assert!(warned[0].contains("steps[0].per_record"), "{}", warned[0]);
    assert!(warned[0].contains("`direct`"), "{}", warned[0]);
    assert!(warned[0].contains("no effect"), "{}", warned[0]);
}

/// (name, scenario body after `[simulation]`, expected substrings).
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "per_record on a fail step",
        "\n[[lambda]]\nname = \"fn\"\nsteps = [\n  { io = \"const(1ms)\" },\n  { fail = 0.1, per_record = true },\n]\n",
        &[
            "bad.toml:8:",
            "steps[1].per_record",
            "does not apply to a `fail` step",
            "1 - (1 - q)^B",
        ],
    ),
    (
        "per_record not a boolean",
        "\n[[lambda]]\nname = \"fn\"\nsteps = [\n  { call = \"mail\", per_record = \"yes\" },\n]\n\n[[service]]\nname = \"mail\"\nlatency = \"const(10ms)\"\n",
        &[
            "bad.toml:7:",
            "steps[0].per_record",
            "invalid type",
            "expected a boolean",
            "per_record = true",
        ],
    ),
    (
        "per_record misspelt",
        "\n[[lambda]]\nname = \"fn\"\nsteps = [\n  { call = \"mail\", per_records = true },\n]\n\n[[service]]\nname = \"mail\"\nlatency = \"const(10ms)\"\n",
        &["bad.toml:7:", "per_records", "did you mean `per_record`?"],
    ),
];

#[test]
fn per_record_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(
        CASES
            .iter()
            .map(|(name, body, expect)| (*name, format!("{SIM}{body}"), *expect)),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
