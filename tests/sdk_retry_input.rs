//! `sdk_retry` in scenario files, on a `[[table]]` and on a `[[lambda]]`:
//! modes with their defaults, explicit fields over them, and each bound
//! and cross-check rejected with a located message and hint.

use slsim::engine::{MILLIS, SECONDS};
use slsim::model::{Jitter, SdkRetry, SdkRetryMode};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[lambda]]
name = "plain"
steps = [{ call = "full", op = "get" }]

[[lambda]]
name = "own"
sdk_retry = { mode = "adaptive", max_attempts = 2 }
steps = [{ call = "full", op = "put" }]

[[table]]
name = "default"

[[table]]
name = "full"
sdk_retry = { mode = "standard", max_attempts = 5, base = "100ms", throttle_base = "2s", max_backoff = "30s", quota = 800 }

[[table]]
name = "legacy"
sdk_retry = { mode = "legacy" }

[[table]]
name = "one-base"
sdk_retry = { base = "5ms" }

[[table]]
name = "throttle-only"
sdk_retry = { throttle_base = "500ms" }
"#;

#[test]
fn sdk_retry_parses_modes_defaults_and_overrides() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    let t = |i: usize| s.tables[i].sdk_retry;
    // No sdk_retry: the SDK's current default (standard, 2026 defaults).
    assert_eq!(t(0), SdkRetry::standard());
    assert_eq!(t(0).mode, SdkRetryMode::Standard2026);
    // Every field given.
    let full = t(1);
    assert_eq!(full.mode, SdkRetryMode::Standard);
    assert_eq!(
        (
            full.max_attempts,
            full.base,
            full.throttle_base,
            full.max_backoff
        ),
        (5, 100 * MILLIS, 2 * SECONDS, 30 * SECONDS)
    );
    let q = full.quota.unwrap();
    assert_eq!((q.capacity, q.transient_cost, q.timeout_cost), (800, 5, 10));
    assert_eq!(full.jitter, Jitter::FullThenCap);
    // A mode alone: its defaults.
    assert_eq!(t(2), SdkRetry::mode(SdkRetryMode::Legacy));
    // `base` sets both bases; `throttle_base` only its own.
    assert_eq!((t(3).base, t(3).throttle_base), (5 * MILLIS, 5 * MILLIS));
    assert_eq!((t(4).base, t(4).throttle_base), (25 * MILLIS, 500 * MILLIS));
    // Functions: none of their own, or a whole policy that wins.
    assert_eq!(s.lambdas[0].sdk_retry, None);
    let own = s.lambdas[1].sdk_retry.unwrap();
    assert_eq!(
        own,
        SdkRetry {
            max_attempts: 2,
            ..SdkRetry::mode(SdkRetryMode::Adaptive)
        }
    );
    assert_eq!(SdkRetry::for_call(&s.lambdas[0], &s.tables[1]), &full);
    assert_eq!(SdkRetry::for_call(&s.lambdas[1], &s.tables[1]), &own);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn set_overrides_reach_sdk_retry() {
    let sets = [
        "table.full.sdk_retry.mode=\"adaptive\"",
        "lambda.own.sdk_retry.max_attempts=9",
    ];
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = scenario::parse_str(GOOD, "good.toml", &sets).unwrap();
    assert_eq!(s.tables[1].sdk_retry.mode, SdkRetryMode::Adaptive);
    assert!(s.tables[1].sdk_retry.rate_limiter);
    assert_eq!(s.lambdas[1].sdk_retry.unwrap().max_attempts, 9);
}

#[test]
fn a_function_sdk_retry_without_table_calls_is_a_warning() {
    let text = format!(
        "{SIM}\n[[lambda]]\nname = \"f\"\nsdk_retry = {{ mode = \"legacy\" }}\nsteps = [{{ compute = \"const(1ms)\" }}]\n"
    );
    let s = scenario::parse_str(&text, "x.toml", &[]).unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("sdk_retry"), "{:?}", s.warnings);
    assert!(
        s.warnings[0].contains("no DynamoDB, service, S3 or Kinesis calls"),
        "{:?}",
        s.warnings
    );
}

struct Case {
    name: &'static str,
    /// The `sdk_retry` value, on line 6.
    value: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "misspelt mode",
        value: "{ mode = \"standart\" }",
        expect: &[
            "sdk_retry.mode",
            "`standart` is not a valid value",
            "did you mean `standard`?",
        ],
    },
    Case {
        name: "unknown mode",
        value: "{ mode = \"aggressive\" }",
        expect: &[
            "sdk_retry.mode",
            "`legacy`, `standard`, `standard-2026`, `adaptive`",
        ],
    },
    Case {
        name: "zero attempts",
        value: "{ max_attempts = 0 }",
        expect: &[
            "sdk_retry.max_attempts",
            "max_attempts 0 is out of range (allowed 1..=100)",
            "1 = no retries",
        ],
    },
    Case {
        name: "too many attempts",
        value: "{ mode = \"legacy\", max_attempts = 101 }",
        expect: &["sdk_retry.max_attempts", "(allowed 1..=100)"],
    },
    Case {
        name: "quota on legacy",
        value: "{ mode = \"legacy\", quota = 500 }",
        expect: &[
            "sdk_retry.quota",
            "mode `legacy` has no retry quota",
            "remove `quota`",
        ],
    },
    Case {
        name: "zero quota",
        value: "{ quota = 0 }",
        expect: &[
            "sdk_retry.quota",
            "quota 0 is out of range (allowed 1..=1000000)",
            "start with 500",
        ],
    },
    Case {
        name: "huge quota",
        value: "{ mode = \"adaptive\", quota = 2000000 }",
        expect: &["sdk_retry.quota", "(allowed 1..=1000000)"],
    },
    Case {
        name: "throttle base above an hour",
        value: "{ throttle_base = \"2h\" }",
        expect: &["sdk_retry.throttle_base", "allowed 0s..=1h", "20s"],
    },
    Case {
        name: "bad base",
        value: "{ base = \"25 milliseconds\" }",
        expect: &["sdk_retry.base"],
    },
    Case {
        name: "cap below the base",
        value: "{ base = \"1s\", max_backoff = \"500ms\" }",
        expect: &[
            "sdk_retry.max_backoff",
            "max_backoff (500ms) is below base (1s)",
            "raise max_backoff",
        ],
    },
    Case {
        name: "cap below the default base",
        value: "{ max_backoff = \"10ms\" }",
        expect: &[
            "sdk_retry.max_backoff",
            "max_backoff (10ms) is below base (25ms, mode `standard-2026`'s default)",
        ],
    },
    Case {
        name: "cap below the throttle base",
        value: "{ throttle_base = \"5s\", max_backoff = \"2s\" }",
        expect: &[
            "sdk_retry.max_backoff",
            "max_backoff (2s) is below throttle_base (5s)",
        ],
    },
    Case {
        name: "misspelt field",
        value: "{ max_attempt = 3 }",
        expect: &["max_attempt", "did you mean `max_attempts`?"],
    },
    Case {
        name: "wrong type",
        value: "5",
        expect: &["sdk_retry", "expected a table"],
    },
    Case {
        name: "attempts as a string",
        value: "{ max_attempts = \"3\" }",
        expect: &["max_attempts", "invalid type"],
    },
];

/// Each case on a table and on a function, with the value on line 6.
#[test]
fn sdk_retry_mistakes_are_rejected_with_located_messages() {
    let mut all = Vec::new();
    for c in CASES {
        let table = format!("{SIM}\n[[table]]\nname = \"t\"\nsdk_retry = {}\n", c.value);
        let lambda = format!(
            "{SIM}\n[[lambda]]\nname = \"f\"\nsdk_retry = {}\nsteps = [{{ call = \"t\", op = \"get\" }}]\n\n[[table]]\nname = \"t\"\n",
            c.value
        );
        for (on, text) in [("table", table), ("lambda", lambda)] {
            let name: &'static str = Box::leak(format!("{} ({on})", c.name).into_boxed_str());
            let mut expect = vec!["bad.toml:6:"];
            expect.extend_from_slice(c.expect);
            all.push((name, text, &*Box::leak(expect.into_boxed_slice())));
        }
    }
    let failures = rejected::failures(all);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_function_policy_error_names_the_function() {
    let text =
        format!("{SIM}\n[[lambda]]\nname = \"orders\"\nsdk_retry = {{ mode = \"adaptve\" }}\n");
    let e = scenario::parse_str(&text, "bad.toml", &[])
        .unwrap_err()
        .to_string();
    for x in [
        "bad.toml:6:",
        "lambda[0] \"orders\"",
        "sdk_retry.mode",
        "did you mean `adaptive`?",
    ] {
        assert!(e.contains(x), "{x:?} in {e}");
    }
}
