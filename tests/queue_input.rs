//! `[[queue]]`, lambda `triggers` and send steps in scenario files: a full
//! valid example with every default, each bound and cross-check rejected
//! with a located message and hint, and the warnings of a triggered queue.

use slsim::engine::SECONDS;
use slsim::model::queue::{DEFAULT_RETENTION, DEFAULT_VISIBILITY_TIMEOUT};
use slsim::model::{QueueType, Redrive, Step, Target, Trigger};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "1h"

[[workload]]
name = "shop"
target = "orders"
arrival = "poisson(rate=5)"

[[queue]]
name = "orders"
visibility_timeout = "2m"
max_receive_count = 5
dead_letter = "orders-dlq"

[[queue]]
name = "orders-dlq"

[[queue]]
name = "audit"
type = "fifo"
groups = 8
delay = "10s"
retention = "1d"
latency = "const(5ms)"
send_latency = "const(2ms)"

[[lambda]]
name = "worker"
timeout = "10s"
steps = [{ io = "const(20ms)" }, { call = "audit", size_kb = 200 }]
triggers = [{ source = "orders", batch_size = 50, batch_window = "2s", max_concurrency = 20, min_concurrency = 2, report_batch_item_failures = true }]

[[lambda]]
name = "auditor"
triggers = [{ source = "audit" }]
"#;

#[test]
fn a_queue_scenario_parses_with_its_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(s.workloads[0].target, Target::Queue(0));
    let (orders, dlq, audit) = (&s.queues[0], &s.queues[1], &s.queues[2]);
    assert_eq!(orders.kind, QueueType::Standard);
    assert_eq!(orders.visibility_timeout, 120 * SECONDS);
    assert_eq!(
        orders.redrive,
        Some(Redrive {
            max_receive_count: 5,
            dead_letter: 1
        })
    );
    assert_eq!(dlq.visibility_timeout, DEFAULT_VISIBILITY_TIMEOUT);
    assert_eq!(dlq.retention, DEFAULT_RETENTION);
    assert_eq!(dlq.delay, 0);
    assert_eq!(dlq.redrive, None);
    assert_eq!((audit.kind, audit.groups), (QueueType::Fifo, 8));
    assert_eq!(
        (audit.delay, audit.retention),
        (10 * SECONDS, 86_400 * SECONDS)
    );
    let w = &s.lambdas[0];
    assert!(matches!(w.steps[1], Step::Send { queue: 2, size_kb } if size_kb == 200.0));
    assert_eq!(
        w.triggers,
        [Trigger {
            queue: 0,
            batch_size: 50,
            batch_window: 2 * SECONDS,
            max_concurrency: Some(20),
            mapping_cap: 1000,
            min_concurrency: 2,
            report_batch_item_failures: true,
        }]
    );
    assert_eq!(s.lambdas[1].triggers, [Trigger::new(2)]);
    // The worker's 10 s timeout: the 2 min visibility timeout is below
    // the advised 6 x 10 s + 2 s? No: 120 s >= 62 s, no warning.
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { name: "visibility timeout above 12 h", body: "[[queue]]\nname = \"q\"\nvisibility_timeout = \"13h\"\n", expect: &["bad.toml:6:", "queue[0] \"q\" .visibility_timeout", "allowed 0s..=12h", "aws-facts 2"] },
    Case { name: "delay above 15 min", body: "[[queue]]\nname = \"q\"\ndelay = \"16m\"\n", expect: &["bad.toml:6:", ".delay", "allowed 0s..=15m"] },
    Case { name: "retention below a minute", body: "[[queue]]\nname = \"q\"\nretention = \"30s\"\n", expect: &["bad.toml:6:", ".retention", "allowed 60s..=14d"] },
    Case { name: "unknown type", body: "[[queue]]\nname = \"q\"\ntype = \"fif0\"\n", expect: &["bad.toml:6:", ".type", "did you mean `fifo`?"] },
    Case { name: "max_receive_count without dead_letter", body: "[[queue]]\nname = \"q\"\nmax_receive_count = 3\n", expect: &["bad.toml:6:", ".max_receive_count", "needs `dead_letter`"] },
    Case { name: "dead_letter without max_receive_count", body: "[[queue]]\nname = \"q\"\ndead_letter = \"d\"\n\n[[queue]]\nname = \"d\"\n", expect: &["bad.toml:6:", ".dead_letter", "needs `max_receive_count`"] },
    Case { name: "max_receive_count above 1000", body: "[[queue]]\nname = \"q\"\nmax_receive_count = 5000\ndead_letter = \"d\"\n\n[[queue]]\nname = \"d\"\n", expect: &["bad.toml:6:", "max_receive_count 5000 is out of range (allowed 1..=1000)"] },
    Case { name: "own dead-letter queue", body: "[[queue]]\nname = \"q\"\nmax_receive_count = 3\ndead_letter = \"q\"\n", expect: &["bad.toml:7:", "its own dead-letter queue"] },
    Case { name: "dead-letter queue of another type", body: "[[queue]]\nname = \"q\"\ntype = \"fifo\"\nmax_receive_count = 3\ndead_letter = \"d\"\n\n[[queue]]\nname = \"d\"\n", expect: &["bad.toml:8:", "`d` is a standard queue", "must be FIFO"] },
    Case { name: "dead letter to a function", body: "[[queue]]\nname = \"q\"\nmax_receive_count = 3\ndead_letter = \"f\"\n\n[[lambda]]\nname = \"f\"\n", expect: &["bad.toml:7:", "`f` is a lambda", "must be a queue"] },
    Case { name: "groups on a standard queue", body: "[[queue]]\nname = \"q\"\ngroups = 4\n", expect: &["bad.toml:6:", ".groups", "only applies to FIFO"] },
    Case { name: "groups above a million", body: "[[queue]]\nname = \"q\"\ntype = \"fifo\"\ngroups = 2000000\n", expect: &["bad.toml:7:", "groups 2000000 is out of range (allowed 1..=1000000)"] },
    Case { name: "trigger on a table without a stream", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"t\" }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "triggers[0].source", "table `t` has no stream", "stream = true"] },
    Case { name: "trigger without source", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ batch_size = 5 }]\n", expect: &["bad.toml:6:", "missing field `source`"] },
    Case { name: "misspelt trigger field", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_sise = 5 }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "batch_sise", "did you mean `batch_size`?"] },
    Case { name: "batch size above 10000", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_size = 20000, batch_window = \"1s\" }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "batch_size 20000 is out of range (allowed 1..=10000)"] },
    Case { name: "FIFO batch size above 10", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_size = 11 }]\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "batch_size 11 is out of range (allowed 1..=10)", "FIFO"] },
    Case { name: "big batch without a window", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_size = 100 }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "batch_size 100 needs a batch_window of at least 1s"] },
    Case { name: "window on a FIFO trigger", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_window = \"1s\" }]\n\n[[queue]]\nname = \"q\"\ntype = \"fifo\"\n", expect: &["bad.toml:6:", "batch_window", "FIFO"] },
    Case { name: "window above 300 s", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", batch_window = \"6m\" }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "batch_window", "allowed 0s..=300s"] },
    Case { name: "max concurrency of 1", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", max_concurrency = 1 }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "max_concurrency 1 is out of range (allowed 2..=1000)"] },
    Case { name: "min above max concurrency", body: "[[lambda]]\nname = \"f\"\ntriggers = [{ source = \"q\", max_concurrency = 5, min_concurrency = 10 }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "min_concurrency 10 is above the cap of 5"] },
    Case { name: "message above 1 MiB", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"q\", size_kb = 2048 }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "steps[0].size_kb", "2048 is out of range", "1 MiB"] },
    Case { name: "table op on a send", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"q\", op = \"get\" }]\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:6:", "`op` does not apply"] },
    Case { name: "size_kb on a table call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"t\", op = \"get\", size_kb = 1 }]\n\n[[table]]\nname = \"t\"\n", expect: &["bad.toml:6:", "`size_kb` does not apply"] },
    Case { name: "routes on a queue target", body: "[[workload]]\nname = \"w\"\ntarget = \"q\"\narrival = \"poisson(rate=1)\"\nroutes = { \"GET /\" = 1 }\n\n[[queue]]\nname = \"q\"\n", expect: &["bad.toml:8:", "routes only applies when the target is an api"] },
];

#[test]
fn queue_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let text = format!("{SIM}\n{}", c.body);
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_triggered_queue_warns_about_its_timeouts_receives_and_reservation() {
    let text = format!(
        "{SIM}\n[[queue]]\nname = \"q\"\nvisibility_timeout = \"5s\"\nmax_receive_count = 2\ndead_letter = \"d\"\n\n[[queue]]\nname = \"d\"\n\n[[queue]]\nname = \"r\"\nvisibility_timeout = \"20s\"\n\n[[lambda]]\nname = \"f\"\ntimeout = \"10s\"\nreserved_concurrency = 2\ntriggers = [{{ source = \"q\" }}, {{ source = \"r\" }}]\n"
    );
    let s = scenario::parse_str(&text, "w.toml", &[]).unwrap();
    let all = s.warnings.join("\n");
    for x in [
        "w.toml:6:",
        "visibility timeout 5s is shorter than the 10s timeout of function `f`",
        "w.toml:7:",
        "max_receive_count 2 is below 5",
        "w.toml:20:",
        "reserved concurrency below 5",
        "w.toml:15:",
        "visibility timeout 20s is shorter than 6 x the 10s timeout",
    ] {
        assert!(all.contains(x), "missing {x:?} in\n{all}");
    }
    // Untriggered queues and a generous timeout warn about nothing.
    let quiet = format!("{SIM}\n[[queue]]\nname = \"q\"\nvisibility_timeout = \"5s\"\n");
    assert!(scenario::parse_str(&quiet, "q.toml", &[])
        .unwrap()
        .warnings
        .is_empty());
}
