//! `[[topic]]`, its `subscribers`, publish steps, workloads publishing,
//! destinations to queues and topics, and `simulation.esm_max_concurrency`
//! in scenario files: a full valid example with every default, each bound
//! and cross-check rejected with a located message and hint, and the
//! warnings.

use slsim::dist::Dist;
use slsim::model::queue::ESM_MAX_CONCURRENCY;
use slsim::model::{Destination, Endpoint, Step, Subscription, Target, Topic};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"
esm_max_concurrency = 1250

[[workload]]
name = "signups"
target = "users"
arrival = "poisson(rate=5)"

[[topic]]
name = "users"
subscribers = ["welcome", { target = "audit", filter = 0.25, delivery_failure = 0.01, dead_letter = "lost" }]

[[topic]]
name = "alarms"
latency = "const(5ms)"
publish_latency = "const(2ms)"
subscribers = [{ target = "pager" }]

[[queue]]
name = "audit"

[[queue]]
name = "lost"

[[lambda]]
name = "welcome"
steps = [{ call = "alarms", size_kb = 100 }]
destinations = { on_success = "audit", on_failure = "alarms" }

[[lambda]]
name = "pager"

[[lambda]]
name = "auditor"
triggers = [{ source = "audit" }]
"#;

#[test]
fn a_topic_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.workloads[0].target, Target::Topic(0));
    let users = &s.topics[0];
    assert_eq!(
        users.subscriptions,
        [
            Subscription::new(Endpoint::Lambda(0)),
            Subscription {
                filter: 0.25,
                delivery_failure: 0.01,
                dead_letter: Some(1),
                ..Subscription::new(Endpoint::Queue(0))
            }
        ]
    );
    let show = |d: &Dist| format!("{d:?}");
    assert_eq!(show(&users.latency), show(&Topic::default_latency()));
    assert_eq!(
        show(&users.publish_latency),
        show(&Topic::default_publish_latency())
    );
    let alarms = &s.topics[1];
    assert_eq!(show(&alarms.latency), show(&Dist::Const(0.005)));
    assert_eq!(show(&alarms.publish_latency), show(&Dist::Const(0.002)));
    match &s.lambdas[0].steps[0] {
        Step::Publish { topic, size_kb } => assert_eq!((*topic, *size_kb), (1, 100.0)),
        other => panic!("{other:?}"),
    }
    let a = &s.lambdas[0].async_invoke;
    assert_eq!(a.on_success, Some(Destination::Queue(0)));
    assert_eq!(a.on_failure, Some(Destination::Topic(1)));
    // The mapping's own cap, from [simulation].
    assert_eq!(s.simulation.esm_max_concurrency, 1250);
    assert_eq!(s.lambdas[2].triggers[0].cap(), 1250);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // By default the cap is the Lambda developer guide's 1,000.
    let d = scenario::parse_str(
        &GOOD.replace("esm_max_concurrency = 1250\n", ""),
        "d.toml",
        &[],
    )
    .unwrap();
    assert_eq!(d.lambdas[2].triggers[0].cap(), ESM_MAX_CONCURRENCY);
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "subscriber not defined", body: "[[topic]]\nname = \"t\"\nsubscribers = [\"nope\"]\n", expect: &["bad.toml:6:", "subscribers[0].target", "`nope` is not defined"] },
    Case { name: "subscriber is a table", body: "[[topic]]\nname = \"t\"\nsubscribers = [\"d\"]\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:6:", "`d` is a table", "must be a lambda or queue"] },
    Case { name: "FIFO subscriber", body: "[[topic]]\nname = \"t\"\nsubscribers = [\"q\"]\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "`q` is a FIFO queue, which cannot subscribe", "standard queue"] },
    Case { name: "subscribed twice", body: "[[topic]]\nname = \"t\"\nsubscribers = [\"f\", { target = \"f\", filter = 0.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "subscribers[1].target", "`f` is subscribed twice"] },
    Case { name: "filter above 1", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ target = \"f\", filter = 1.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "subscribers[0].filter", "1.5 is out of range (allowed 0..=1)"] },
    Case { name: "negative delivery failure", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ target = \"f\", delivery_failure = -0.1 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "delivery_failure", "-0.1 is out of range (allowed 0..=1)"] },
    Case { name: "misspelt subscriber field", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ target = \"f\", filtre = 0.5 }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "filtre", "did you mean `filter`?"] },
    Case { name: "subscriber without target", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ filter = 0.5 }]\n", expect: &["bad.toml:6:", "missing field `target`"] },
    Case { name: "dead letter to a function", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ target = \"f\", dead_letter = \"f\" }]\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:6:", "dead_letter", "`f` is a lambda", "must be a queue"] },
    Case { name: "FIFO dead letter", body: "[[topic]]\nname = \"t\"\nsubscribers = [{ target = \"f\", dead_letter = \"q\" }]\n\n[[lambda]]\nname = \"f\"\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "`q` is a FIFO queue"] },
    Case { name: "bad latency", body: "[[topic]]\nname = \"t\"\nlatency = \"fast\"\n", expect: &["bad.toml:6:", ".latency"] },
    Case { name: "unknown topic field", body: "[[topic]]\nname = \"t\"\nsubscriber = [\"f\"]\n", expect: &["bad.toml:6:", "subscriber", "did you mean `subscribers`?"] },
    Case { name: "message above 256 KB", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", size_kb = 300 }]\n\n[[topic]]\nname = \"t\"\n", expect: &["bad.toml:6:", "steps[0].size_kb", "300 is out of range", "256"] },
    Case { name: "mode on a publish", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", mode = \"async\" }]\n\n[[topic]]\nname = \"t\"\n", expect: &["bad.toml:6:", "`mode` does not apply"] },
    Case { name: "FIFO destination", body: "[[lambda]]\nname = \"f\"\ndestinations = { on_failure = \"q\" }\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "destinations.on_failure", "`q` is a FIFO queue, which cannot be a destination"] },
    Case { name: "destination on a table", body: "[[lambda]]\nname = \"f\"\ndestinations = { on_success = \"d\" }\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:6:", "`d` is a table", "must be a lambda, queue or topic"] },
    Case { name: "routes on a topic target", body: "[[workload]]\nname = \"w\"\ntarget = \"t\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /\" = 1 }\n\n[[topic]]\nname = \"t\"\n", expect: &["bad.toml:8:", "routes only applies when the target is an api"] },
    Case { name: "ESM cap above 1250", body: "esm_max_concurrency = 2000\n", expect: &["bad.toml:3:", "esm_max_concurrency 2000 is out of range (allowed 5..=1250)", "aws-facts 2"] },
];

#[test]
fn topic_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!(
            "{SIM}{}{}",
            if c.body.starts_with('[') { "\n" } else { "" },
            c.body
        );
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_empty_topic_and_unreachable_destinations_warn() {
    let text = format!(
        "{SIM}\n[[topic]]\nname = \"t\"\n\n[[lambda]]\nname = \"f\"\ndestinations = {{ on_failure = \"t\" }}\n"
    );
    let s = scenario::parse_str(&text, "w.toml", &[]).unwrap();
    let all = s.warnings.join("\n");
    for x in [
        "w.toml:4:",
        "has no subscribers",
        "w.toml:9:",
        "nothing invokes this function asynchronously",
    ] {
        assert!(all.contains(x), "missing {x:?} in\n{all}");
    }
    // Subscribed, the function's destinations are reached: no warning.
    let quiet = format!(
        "{SIM}\n[[topic]]\nname = \"t\"\nsubscribers = [\"f\"]\n\n[[lambda]]\nname = \"f\"\ndestinations = {{ on_failure = \"q\" }}\n\n[[queue]]\nname = \"q\"\n"
    );
    let s = scenario::parse_str(&quiet, "q.toml", &[]).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}
