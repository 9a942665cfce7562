//! SQS queues and the Lambda event source mapping: Erlang C (an M/M/c queue
//! in front of c pollers), a poison message's receives and redrive, the
//! mapping's scale-up ramp, FIFO order and group concurrency; message
//! conservation (`conservation.rs`) and the SQS bill (`cost.rs`).

mod conservation;
mod cost;

use crate::common::stats::*;
use crate::common::theory::*;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::*;
use slsim::workload::Arrival;

/// A queue that makes messages visible at once (no delay, latency or send
/// latency), with the given visibility timeout \[s\].
pub fn queue(name: &str, kind: QueueType, visibility_timeout_s: u64) -> Queue {
    Queue {
        latency: Dist::Const(0.0),
        send_latency: Dist::Const(0.0),
        visibility_timeout: visibility_timeout_s * SECONDS,
        ..Queue::new(name, kind)
    }
}

/// A trigger on queue `q` with `batch_size`, no window, and the given
/// concurrency bounds.
pub fn trigger(q: usize, batch_size: u32, min: u32, max: Option<u32>) -> Trigger {
    Trigger {
        batch_size,
        min_concurrency: min,
        max_concurrency: max,
        ..Trigger::new(q)
    }
}

/// A workload of `arrival` into queue `q`.
pub fn producer(name: &str, q: usize, arrival: Arrival) -> Workload {
    workload(name, Target::Queue(q), arrival)
}

/// Workloads, functions and queues in one scenario.
pub fn with_queues(
    sim: Simulation,
    workloads: Vec<Workload>,
    lambdas: Vec<Lambda>,
    queues: Vec<Queue>,
) -> Scenario {
    Scenario {
        queues,
        topics: vec![],
        buckets: vec![],
        services: vec![],
        schedules: vec![],
        streams: vec![],
        cdns: vec![],
        ..scenario(sim, workloads, lambdas)
    }
}

/// Messages: sent = deleted + dead-lettered + expired + left at the end.
pub fn conserved(r: &slsim::sim::RunResult) {
    for (name, q) in &r.queues {
        assert_eq!(
            q.sent,
            q.deleted
                + q.dead_lettered
                + q.expired
                + q.visible_end
                + q.delayed_end
                + q.in_flight_end,
            "queue {name}: {q:?}"
        );
    }
    for (name, w) in &r.workloads {
        assert_eq!(
            w.requests,
            w.succeeded + w.throttled + w.failed + w.timed_out + w.in_flight,
            "workload {name}"
        );
    }
}

/// Poisson(8/s) into a queue polled by 10 concurrent batches of one
/// message each, served by exp(1 s): M/M/10 with a = 8 (notes 3.1). The
/// wait (visible to first receive) has mean Wq = C / (c mu - lambda) with
/// C = Erlang C; the share that waited is C; the mean visible backlog is
/// lambda Wq (Little). Standard errors: batch means over 30 batches,
/// floored by the exact asymptotic variances of the M/M/c chain (notes
/// 3.1: s2_W = 15.104 s^2, s2_P = 7.9314, s2_Q = 126.77 per second).
#[test]
fn an_sqs_mapping_with_c_slots_is_an_erlang_c_queue() {
    let (c, lambda_rate) = (10, 8.0);
    let mut f = lambda("worker", vec![Step::Io(Dist::Exp { mean: 1.0 })]);
    f.reserved_concurrency = Some(c);
    f.provisioned_concurrency = c;
    f.triggers = vec![trigger(0, 1, c, Some(c))];
    let s = with_queues(
        simulation(200_000, 1_000, 11),
        vec![producer("w", 0, Arrival::Poisson { rate: lambda_rate })],
        vec![f],
        vec![Queue {
            retention: 14 * 86_400 * SECONDS,
            ..queue("jobs", QueueType::Standard, 900)
        }],
    );
    let r = run(&s);
    conserved(&r);
    let q = &r.queues["jobs"];
    assert_eq!(r.functions["worker"].throttles, 0);
    assert_eq!(q.max_concurrent_batches, u64::from(c));
    let first = measured(&r, series(&r, "jobs", "first_receives"));
    let waited = measured(&r, series(&r, "jobs", "waited"));
    let wait_sum = measured(&r, series(&r, "jobs", "wait_s_sum"));
    let visible = measured(&r, series(&r, "jobs", "visible"));
    let n = first.iter().sum::<f64>() as u64;
    let erlang = erlang_c(c, lambda_rate);
    let wq = erlang / (f64::from(c) - lambda_rate);
    let (mean_wait, se_w) = batch_ratio(&wait_sum, &first, BATCHES);
    let floor = |s2: f64, n: f64| (s2 / n).sqrt();
    check(
        "sqs M/M/10 mean wait",
        wq,
        mean_wait,
        n,
        se_w.max(floor(15.103795, n as f64)),
        Z,
    );
    let (p_wait, se_p) = batch_ratio(&waited, &first, BATCHES);
    check(
        "sqs M/M/10 P(wait)",
        erlang,
        p_wait,
        n,
        se_p.max(floor(7.931448, n as f64)),
        Z,
    );
    let (_, se_q) = batch_mean(&visible, BATCHES);
    check(
        "sqs M/M/10 mean visible = lambda Wq",
        lambda_rate * wq,
        q.mean_visible,
        n,
        se_q.max(floor(126.766219, r.measured_seconds)),
        Z,
    );
    // The summary's wait agrees with the series.
    let mean = q.wait_s.mean.unwrap();
    assert!(
        (mean - mean_wait).abs() < 1e-3 * mean_wait + 1e-6,
        "{mean} {mean_wait}"
    );
}

/// A function that always fails, `max_receive_count = 3`: every message is
/// received exactly three times (one visibility timeout apart), then moves
/// to the dead-letter queue; nothing is lost.
#[test]
fn a_poison_message_is_received_max_receive_count_times_then_dead_lettered() {
    let mut f = lambda("worker", vec![Step::Fail(1.0)]);
    f.triggers = vec![trigger(0, 1, 0, None)];
    let jobs = Queue {
        redrive: Some(Redrive {
            max_receive_count: 3,
            dead_letter: 1,
        }),
        ..queue("jobs", QueueType::Standard, 10)
    };
    let s = with_queues(
        simulation(200, 0, 3),
        vec![producer("w", 0, poisson_until(5.0, 20.0))],
        vec![f],
        vec![jobs, queue("dlq", QueueType::Standard, 30)],
    );
    let r = run(&s);
    conserved(&r);
    let (q, dlq) = (&r.queues["jobs"], &r.queues["dlq"]);
    assert!(q.sent > 50, "{q:?}");
    assert_eq!(q.received, 3 * q.sent);
    assert_eq!(q.dead_lettered, q.sent);
    assert_eq!(q.deleted + q.expired + q.visible_end + q.in_flight_end, 0);
    assert_eq!(dlq.sent, q.sent);
    assert_eq!(dlq.visible_end, dlq.sent);
    assert_eq!(q.failed_batches, 3 * q.sent);
    assert_eq!(r.functions["worker"].invocations, 3 * q.sent);
    assert_eq!(r.functions["worker"].errors, 3 * q.sent);
    // Each message waits one visibility timeout (10 s) between receives,
    // so the last one is in the DLQ by 20 s + 3 x 10 s.
    assert_eq!(r.workloads["w"].succeeded, q.sent);
}

/// A backlog at t = 0: the mapping starts with 5 concurrent batches and
/// adds up to 300 a minute (one every 200 ms) while messages wait, up to
/// its cap of 1,000 (aws-facts 2). Checked on the per-second maximum of
/// batches in progress, within one batch duration (1 s = 5 steps).
#[test]
fn the_mapping_ramps_from_5_by_300_per_minute_to_the_cap() {
    let mut f = lambda("worker", vec![Step::Io(Dist::Const(1.0))]);
    f.triggers = vec![trigger(0, 1, 0, None)];
    let mut sim = simulation(240, 0, 5);
    sim.account_concurrency = 2000;
    sim.timeseries_interval = SECONDS;
    let s = with_queues(
        sim,
        vec![producer("burst", 0, poisson_until(1e6, 0.3))],
        vec![f],
        vec![queue("jobs", QueueType::Standard, 900)],
    );
    let r = run(&s);
    conserved(&r);
    let q = &r.queues["jobs"];
    assert!(q.sent > 250_000, "{}", q.sent);
    let batches = series(&r, "jobs", "batches_max");
    assert!(batches[0] <= 10.0, "first second: {}", batches[0]);
    for t in [30usize, 60, 120] {
        // The maximum over the bucket [t - 1, t): 5 + 5 t at most, and
        // within one batch duration (1 s = 5 steps) of it.
        let expect = 5.0 + 5.0 * t as f64;
        let got = batches[t - 1];
        eprintln!("CHECK | esm ramp at {t} s | {expect} | {got} | - | 5 (one batch) | ");
        assert!(
            got <= expect && got >= expect - 5.0,
            "at {t} s: {got}, expected ~{expect}"
        );
    }
    assert_eq!(q.max_concurrent_batches, 1000, "the cap");
    assert!(r.functions["worker"].max_concurrency <= 1000);
    let reached = batches.iter().position(|&b| b >= 1000.0).unwrap();
    // 5 -> 1000 at 5 per second: 199 s.
    assert!((198..=201).contains(&reached), "cap reached at {reached} s");
}

/// A FIFO queue with g groups: the function never runs more than g batches
/// at once and every group is deleted in send order, also when batches
/// fail and their messages come back (report_batch_item_failures: the rest
/// of a failed group's batch returns with the failed message).
#[test]
fn fifo_groups_bound_concurrency_and_keep_order() {
    for (groups, fail, seed) in [(4u32, 0.0, 21u64), (7, 0.3, 22), (1, 0.2, 23)] {
        // A group serves 10 messages a second at most: 100/s saturates
        // every group.
        let mut steps = vec![Step::Io(Dist::Exp { mean: 1.0 })];
        if fail > 0.0 {
            steps.push(Step::Fail(fail));
        }
        let mut f = lambda("worker", steps);
        f.triggers = vec![Trigger {
            report_batch_item_failures: fail > 0.0,
            ..trigger(0, 10, 0, None)
        }];
        let jobs = Queue {
            groups,
            // FIFO's default latency (random): order must survive it.
            latency: Queue::default_latency(QueueType::Fifo),
            ..queue("jobs", QueueType::Fifo, 2)
        };
        let s = with_queues(
            simulation(600, 0, seed),
            vec![producer("w", 0, Arrival::Poisson { rate: 100.0 })],
            vec![f],
            vec![jobs],
        );
        let r = run(&s);
        conserved(&r);
        let q = &r.queues["jobs"];
        let g = u64::from(groups);
        assert_eq!(q.out_of_order, 0, "groups {groups}: {q:?}");
        assert!(q.deleted > 500, "{q:?}");
        assert!(q.max_concurrent_batches <= g, "{q:?}");
        let conc = r.functions["worker"].max_concurrency;
        assert!(conc <= g, "groups {groups}: concurrency {conc}");
        if fail > 0.0 {
            assert!(q.received > q.deleted, "some messages came back: {q:?}");
        } else {
            assert_eq!(conc, g, "saturated: every group busy at some time");
        }
    }
}

/// The same order check can fail: a standard queue's batches of a
/// partially failing function delete later messages before earlier ones
/// come back (the check counts only FIFO queues, so this reads the
/// conservation side: returned messages are not lost).
#[test]
fn partial_batch_failures_return_only_the_failed_messages() {
    let mut f = lambda(
        "worker",
        vec![Step::Io(Dist::Const(0.05)), Step::Fail(0.25)],
    );
    f.triggers = vec![Trigger {
        report_batch_item_failures: true,
        ..trigger(0, 10, 0, None)
    }];
    let s = with_queues(
        simulation(300, 0, 31),
        vec![producer("w", 0, poisson_until(200.0, 200.0))],
        vec![f],
        vec![queue("jobs", QueueType::Standard, 1)],
    );
    let r = run(&s);
    conserved(&r);
    let q = &r.queues["jobs"];
    assert_eq!(q.deleted, q.sent, "every message succeeds eventually");
    // Each receive fails independently with 0.25: receives per message
    // are geometric with mean 1 / 0.75.
    let per_message = q.received as f64 / q.sent as f64;
    let n = q.sent;
    let se = (0.25f64 / (0.75 * 0.75) / n as f64).sqrt();
    check(
        "receives per message, p = 0.25",
        1.0 / 0.75,
        per_message,
        n,
        se,
        Z,
    );
    // The invocations themselves fail too (the function's own draw) but
    // do not return whole batches.
    assert!(r.functions["worker"].errors > 0);
    assert_eq!(q.failed_batches, r.functions["worker"].errors);
}

/// A queue nobody reads, filled at 1e6 messages/s: the memory guard stops
/// the run and names the queue and its messages.
#[test]
fn the_memory_guard_names_a_growing_queue() {
    let mut sim = simulation(3_600, 0, 9);
    sim.max_memory_bytes = Some(64 << 20);
    let s = with_queues(
        sim,
        vec![producer("flood", 0, Arrival::Poisson { rate: 1e6 })],
        vec![],
        vec![queue("backlog", QueueType::Standard, 30)],
    );
    let r = slsim::sim::run(&s).unwrap();
    let stop = r.stopped_early.as_ref().expect("the memory guard trips");
    assert!(stop.reason.contains("max_memory"), "{}", stop.reason);
    assert!(
        stop.reason.contains("queue `backlog`: ") && stop.reason.contains("messages held"),
        "{}",
        stop.reason
    );
    assert!(stop.at_s < 60.0, "{}", stop.at_s);
    conserved(&r);
}
