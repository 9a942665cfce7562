//! SNS topics (aws-facts 3): fan-out to every subscription, the filter
//! share, delivery failures retried per SNS's policy for AWS-managed
//! endpoints (100,015 attempts over about 23 days) and then the
//! subscription's dead-letter queue, destinations to queues and topics,
//! the conservation of deliveries, and the SNS bill.

use crate::common::stats::*;
use crate::common::*;
use crate::queues::{queue, trigger, with_queues};
use slsim::cost::MONTH_SECONDS;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::topic::retry;
use slsim::model::*;
use slsim::sim::RunResult;
use slsim::workload::Arrival;

/// A function with no cold start and no asynchronous dispatch delay.
fn instant(name: &str, steps: Vec<Step>) -> Lambda {
    let mut l = lambda(name, steps);
    l.init = Dist::Const(0.0);
    l.async_invoke.dispatch = Dist::Const(0.0);
    l
}

/// A topic with no latency.
fn topic(name: &str, subs: Vec<Subscription>) -> Topic {
    Topic {
        latency: Dist::Const(0.0),
        ..Topic::new(name, subs)
    }
}

/// Workloads publishing to topics, with functions and queues.
fn scenario_with(
    sim: Simulation,
    workloads: Vec<Workload>,
    lambdas: Vec<Lambda>,
    queues: Vec<Queue>,
    topics: Vec<Topic>,
) -> Scenario {
    Scenario {
        topics,
        ..with_queues(sim, workloads, lambdas, queues)
    }
}

/// One publish to topic 0 at t = 1000 s.
fn one_publish() -> Workload {
    workload("one", Target::Topic(0), Arrival::Constant { rate: 1e-3 })
}

/// Every subscription's deliveries are conserved, and the topic's totals
/// are their sums.
fn conserved(r: &RunResult) {
    for (name, t) in &r.topics {
        for (sub, s) in &t.subscriptions {
            assert_eq!(s.matched + s.filtered, t.published, "{name}/{sub}: {s:?}");
            assert_eq!(
                s.matched,
                s.delivered + s.failed_deliveries + s.pending_end,
                "{name}/{sub}: {s:?}"
            );
            assert_eq!(
                s.failed_deliveries,
                s.dead_lettered + s.discarded,
                "{name}/{sub}"
            );
        }
        let sum = |f: fn(&slsim::services::topic::SubscriptionStats) -> u64| {
            t.subscriptions.values().map(f).sum::<u64>()
        };
        assert_eq!(t.deliveries, sum(|s| s.delivered), "{name}");
        assert_eq!(t.failed_deliveries, sum(|s| s.failed_deliveries), "{name}");
        assert_eq!(t.pending_end, sum(|s| s.pending_end), "{name}");
    }
}

#[test]
fn one_publish_to_k_subscribers_gives_k_deliveries() {
    for k in 1..=6usize {
        // k - 1 functions and one queue.
        let lambdas: Vec<Lambda> = (0..k - 1)
            .map(|i| instant(&format!("f{i}"), vec![]))
            .collect();
        let mut subs: Vec<Subscription> = (0..k - 1)
            .map(|i| Subscription::new(Endpoint::Lambda(i)))
            .collect();
        subs.push(Subscription::new(Endpoint::Queue(0)));
        let s = scenario_with(
            simulation(1500, 0, 21),
            vec![one_publish()],
            lambdas,
            vec![queue("q", QueueType::Standard, 30)],
            vec![topic("t", subs)],
        );
        let r = run(&s);
        conserved(&r);
        let t = &r.topics["t"];
        assert_eq!((t.published, t.deliveries), (1, k as u64), "k = {k}");
        for i in 0..k - 1 {
            let f = &r.functions[format!("f{i}").as_str()];
            let a = f.asynchronous.as_ref().expect("invoked asynchronously");
            assert_eq!((a.accepted, a.succeeded, f.invocations), (1, 1, 1), "f{i}");
        }
        assert_eq!(r.queues["q"].sent, 1);
        assert_eq!(r.workloads["one"].succeeded, 1);
    }
}

#[test]
fn a_filter_passes_its_share_of_messages() {
    let p = 0.3;
    let s = scenario_with(
        simulation(600, 0, 22),
        vec![workload(
            "w",
            Target::Topic(0),
            Arrival::Poisson { rate: 50.0 },
        )],
        vec![instant("f", vec![])],
        vec![],
        vec![topic(
            "t",
            vec![Subscription {
                filter: p,
                ..Subscription::new(Endpoint::Lambda(0))
            }],
        )],
    );
    let r = run(&s);
    conserved(&r);
    let t = &r.topics["t"];
    let n = t.published;
    let share = t.subscriptions["f"].matched as f64 / n as f64;
    check("filter share", p, share, n, binomial_se(p, n), Z);
}

#[test]
fn failed_attempts_are_retried_a_geometric_number_of_times() {
    // Each attempt fails with probability p: the failures before the
    // first success are geometric, mean p / (1 - p), variance
    // p / (1 - p)^2.
    let p = 0.4;
    let s = scenario_with(
        simulation(900, 0, 23),
        vec![workload(
            "w",
            Target::Topic(0),
            Arrival::Poisson { rate: 40.0 },
        )],
        vec![],
        vec![queue("q", QueueType::Standard, 30)],
        vec![topic(
            "t",
            vec![Subscription {
                delivery_failure: p,
                ..Subscription::new(Endpoint::Queue(0))
            }],
        )],
    );
    let r = run(&s);
    conserved(&r);
    let sub = &r.topics["t"].subscriptions["q"];
    let n = sub.delivered;
    assert_eq!(sub.failed_deliveries, 0);
    let mean = sub.retries as f64 / n as f64;
    let se = (p / (1.0 - p).powi(2) / n as f64).sqrt();
    check("retries per delivery", p / (1.0 - p), mean, n, se, Z);
    // Deliveries reached the queue: the queue's sends are the deliveries.
    assert_eq!(r.queues["q"].sent, n);
}

/// Time of the only publish of [`always_failing`] \[s\]: the next would
/// come after the run.
const T0: u64 = 2_100_000;

/// One publish at `T0` to a subscription that always fails, run for
/// `duration_s`.
fn always_failing(duration_s: u64, dead_letter: bool) -> RunResult {
    let mut sim = simulation(duration_s, 0, 24);
    sim.timeseries_interval = 3600 * SECONDS;
    let s = scenario_with(
        sim,
        vec![workload(
            "one",
            Target::Topic(0),
            Arrival::Constant {
                rate: 1.0 / T0 as f64,
            },
        )],
        vec![instant("f", vec![])],
        vec![queue("lost", QueueType::Standard, 30)],
        vec![topic(
            "t",
            vec![Subscription {
                delivery_failure: 1.0,
                dead_letter: dead_letter.then_some(0),
                ..Subscription::new(Endpoint::Lambda(0))
            }],
        )],
    );
    let r = run(&s);
    conserved(&r);
    r
}

#[test]
fn an_unreachable_endpoint_is_tried_for_23_days_then_the_dead_letter_queue_gets_it() {
    // The last of the 100,015 attempts comes ~23.15 days after the first
    // (aws-facts 3, "Delivery retry policy for AWS-managed endpoints";
    // aws-facts 9 item 10).
    let last = retry::offset(retry::ATTEMPTS - 1);
    let days = last as f64 / (86_400 * SECONDS) as f64;
    assert!((23.0..23.3).contains(&days), "{days}");
    let t0 = T0;
    let before = always_failing(t0 + last / SECONDS - 1, true);
    let s = &before.topics["t"].subscriptions["f"];
    assert_eq!((s.pending_end, s.failed_deliveries), (1, 0));
    assert_eq!(before.queues["lost"].sent, 0);
    let after = always_failing(t0 + last.div_ceil(SECONDS) + 1, true);
    let s = &after.topics["t"].subscriptions["f"];
    assert_eq!(
        (
            s.pending_end,
            s.failed_deliveries,
            s.dead_lettered,
            s.retries
        ),
        (0, 1, 1, retry::ATTEMPTS - 1)
    );
    assert_eq!(after.queues["lost"].sent, 1);
    assert_eq!(after.functions["f"].invocations, 0);
    // Without a dead-letter queue the message is discarded.
    let gone = always_failing(t0 + last.div_ceil(SECONDS) + 1, false);
    let s = &gone.topics["t"].subscriptions["f"];
    assert_eq!((s.failed_deliveries, s.discarded), (1, 1));
    assert_eq!(gone.queues["lost"].sent, 0);
}

#[test]
fn deliveries_are_conserved_with_filters_failures_and_the_end_of_the_run() {
    // A function publishes (with a 100 KB message) as well as a workload;
    // subscriptions filter, fail sometimes or always, with and without a
    // dead-letter queue; a queue subscriber is drained by a mapping.
    let publisher = lambda(
        "publisher",
        vec![
            Step::Io(Dist::Exp { mean: 0.05 }),
            Step::Publish {
                topic: 0,
                size_kb: 100.0,
            },
        ],
    );
    let a = lambda("a", vec![Step::Io(Dist::Exp { mean: 0.2 })]);
    let mut worker = lambda("worker", vec![Step::Io(Dist::Exp { mean: 0.1 })]);
    worker.triggers = vec![trigger(0, 10, 0, None)];
    let subs = vec![
        Subscription {
            filter: 0.5,
            ..Subscription::new(Endpoint::Lambda(1))
        },
        Subscription {
            delivery_failure: 0.9,
            dead_letter: Some(1),
            ..Subscription::new(Endpoint::Queue(0))
        },
        Subscription {
            delivery_failure: 1.0,
            ..Subscription::new(Endpoint::Lambda(3))
        },
    ];
    let b = lambda("b", vec![]);
    let s = scenario_with(
        simulation(1800, 0, 25),
        vec![
            workload("w", Target::Topic(0), Arrival::Poisson { rate: 20.0 }),
            workload("p", Target::Lambda(0), Arrival::Poisson { rate: 10.0 }),
        ],
        vec![publisher, a, worker, b],
        vec![
            queue("jobs", QueueType::Standard, 30),
            queue("lost", QueueType::Standard, 30),
        ],
        vec![Topic {
            latency: Dist::Exp { mean: 0.05 },
            ..Topic::new("t", subs)
        }],
    );
    let r = run(&s);
    conserved(&r);
    crate::queues::conserved(&r);
    let t = &r.topics["t"];
    let (a, jobs, b) = (
        &t.subscriptions["a"],
        &t.subscriptions["jobs"],
        &t.subscriptions["b"],
    );
    assert!(a.filtered > 0 && a.delivered > 0, "{a:?}");
    // p = 0.9: 9 failures on average, far from the 100,015 of the
    // policy: retried, never dead-lettered within the run.
    assert!(jobs.retries > 0 && jobs.pending_end > 0, "{jobs:?}");
    assert!(b.pending_end > 0 && b.delivered == 0, "{b:?}");
    assert_eq!(r.queues["jobs"].sent, jobs.delivered);
    assert_eq!(r.queues["lost"].sent, t.dead_lettered);
    let accepted = |f: &str| {
        r.functions[f]
            .asynchronous
            .as_ref()
            .map_or(0, |x| x.accepted)
    };
    assert_eq!(accepted("a"), a.delivered);
    assert_eq!(accepted("b"), 0);
    // Both publishers' messages were published: 100 KB = two chunks.
    let from_fn = r.workloads["p"].succeeded;
    let from_w = r.workloads["w"].succeeded;
    assert_eq!(t.published, from_fn + from_w);
    assert_eq!(t.publish_requests, 2 * from_fn + from_w);
}

#[test]
fn destinations_send_records_to_queues_and_topics() {
    // `bad` always fails (no retries): its record goes to queue `dlq`;
    // `good` succeeds: its record is published to `done`, which fans out
    // to two functions.
    let mut bad = instant("bad", vec![Step::Fail(1.0)]);
    bad.async_invoke.max_retry_attempts = 0;
    bad.async_invoke.on_failure = Some(Destination::Queue(0));
    let mut good = instant("good", vec![]);
    good.async_invoke.on_success = Some(Destination::Topic(0));
    let caller = instant(
        "caller",
        vec![
            Step::InvokeAsync { lambda: 1 },
            Step::InvokeAsync { lambda: 2 },
        ],
    );
    let s = scenario_with(
        simulation(1500, 0, 26),
        vec![workload(
            "one",
            Target::Lambda(0),
            Arrival::Constant { rate: 1e-3 },
        )],
        vec![
            caller,
            bad,
            good,
            instant("x", vec![]),
            instant("y", vec![]),
        ],
        vec![queue("dlq", QueueType::Standard, 30)],
        vec![topic(
            "done",
            vec![
                Subscription::new(Endpoint::Lambda(3)),
                Subscription::new(Endpoint::Lambda(4)),
            ],
        )],
    );
    let r = run(&s);
    conserved(&r);
    assert_eq!(r.queues["dlq"].sent, 1);
    let t = &r.topics["done"];
    assert_eq!((t.published, t.deliveries), (1, 2));
    assert_eq!(r.functions["x"].invocations, 1);
    assert_eq!(r.functions["y"].invocations, 1);
}

#[test]
fn the_sns_bill_is_publishes_times_the_price() {
    // 100 KB messages: two 64 KB chunks each, $0.50 per million
    // (aws-facts 3, "Pricing"), free tier off.
    let publisher = instant(
        "publisher",
        vec![Step::Publish {
            topic: 0,
            size_kb: 100.0,
        }],
    );
    let s = scenario_with(
        simulation(1000, 0, 27),
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Constant { rate: 2.0 },
        )],
        vec![publisher, instant("f", vec![])],
        vec![],
        vec![topic("t", vec![Subscription::new(Endpoint::Lambda(1))])],
    );
    let r = run(&s);
    let t = &r.topics["t"];
    assert!(t.published >= 1998, "{}", t.published);
    assert_eq!(t.publish_requests, 2 * t.published);
    let monthly = t.publish_requests as f64 * MONTH_SECONDS / r.measured_seconds * 0.50 / 1e6;
    let got = r.cost.by_service["sns"];
    assert!(
        (got - monthly).abs() <= 1e-9 * monthly,
        "{got} vs {monthly}"
    );
    assert!((r.cost.by_component["t"] - monthly).abs() <= 1e-9 * monthly);
}

/// A subscription whose endpoint is never reachable, flooded: every
/// delivery waits for its 23 days of retries, so deliveries in progress
/// pile up until the memory guard stops the run and names the topic.
#[test]
fn the_memory_guard_names_a_topic_whose_deliveries_pile_up() {
    let mut sim = simulation(3_600, 0, 28);
    sim.max_memory_bytes = Some(64 << 20);
    let s = scenario_with(
        sim,
        vec![workload(
            "flood",
            Target::Topic(0),
            Arrival::Poisson { rate: 1e6 },
        )],
        vec![instant("f", vec![])],
        vec![],
        vec![topic(
            "alerts",
            vec![Subscription {
                delivery_failure: 1.0,
                ..Subscription::new(Endpoint::Lambda(0))
            }],
        )],
    );
    let r = slsim::sim::run(&s).unwrap();
    let stop = r.stopped_early.as_ref().expect("the memory guard trips");
    assert!(stop.reason.contains("max_memory"), "{}", stop.reason);
    assert!(
        stop.reason.contains("topic `alerts`: ") && stop.reason.contains("deliveries"),
        "{}",
        stop.reason
    );
    assert!(stop.at_s < 60.0, "{}", stop.at_s);
    conserved(&r);
}
