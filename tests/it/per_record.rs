//! `per_record` steps end to end: a call step repeated once per record of
//! the batch that invoked the function (a Kinesis or an SQS mapping's), one
//! call after the other, so that the calls made equal the records
//! processed and the invocation lasts the sum of the calls; once per
//! invocation for any other caller; a failing repetition failing the whole
//! batch, which is retried from its first record.

use crate::common::stats::*;
use crate::common::*;
use crate::queues::{conserved, queue, trigger, with_queues};
use crate::services::conserve_services;
use crate::streams::conserve_streams;
use slsim::dist::Dist;
use slsim::model::service::ExternalService;
use slsim::model::stream::{PutRecords, StreamSource, StreamTrigger};
use slsim::model::*;
use slsim::sim::RunResult;

/// Mean latency of a `mail` call \[s\].
const MAIL_S: f64 = 0.010;
/// Latency of an `audit` call \[s\].
const AUDIT_S: f64 = 0.005;
/// Compute at the start of every consumer invocation \[s\].
const PREP_S: f64 = 0.001;

/// A producer `prod`, invoked at `rate`/s until `until_s`, putting one
/// record per call to a Kinesis stream of one shard, read by consumer
/// `cons` (`steps`, `per_record` their indices) in batches of `batch`;
/// services `mail` (exponential latency, mean [`MAIL_S`]) and `audit`
/// (constant [`AUDIT_S`]); extra functions `more`.
fn kinesis(
    rate: f64,
    until_s: f64,
    duration_s: u64,
    batch: u32,
    steps: Vec<Step>,
    per_record: Vec<usize>,
    more: Vec<Lambda>,
) -> Scenario {
    let prod = lambda(
        "prod",
        vec![Step::PutRecords(PutRecords {
            stream: 0,
            records: 1,
            size_kb: 1.0,
            keys: slsim::dist::keys::Keys::Many,
        })],
    );
    let mut cons = lambda("cons", steps);
    cons.per_record = per_record;
    cons.stream_triggers = vec![StreamTrigger {
        batch_size: batch,
        ..StreamTrigger::new(StreamSource::Kinesis(0))
    }];
    let mut sim = simulation(duration_s, 0, 41 + seed_offset());
    sim.account_concurrency = 5000;
    let mut lambdas = vec![prod, cons];
    lambdas.extend(more);
    let mut s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            poisson_until(rate, until_s),
        )],
        lambdas,
    );
    s.streams = vec![Stream {
        put_latency: Dist::Const(0.01),
        ..Stream::new("events", 1)
    }];
    s.services = services();
    s
}

fn services() -> Vec<ExternalService> {
    vec![
        ExternalService::new("mail", Dist::Exp { mean: MAIL_S }),
        ExternalService::new("audit", Dist::Const(AUDIT_S)),
    ]
}

fn mail() -> Step {
    Step::External { service: 0 }
}

fn audit() -> Step {
    Step::External { service: 1 }
}

fn prep() -> Step {
    Step::Io(Dist::Const(PREP_S))
}

/// Function `name`'s mean duration \[s\]: its theory, the simulated
/// mean, its standard error and the invocations. Each invocation is
/// `fixed` plus one exponential `mail` call per repetition, `calls` of
/// them over all invocations (variance MAIL_S² per call).
fn duration(r: &RunResult, name: &str, fixed: f64) -> (f64, f64, f64, u64) {
    let f = &r.functions[name];
    let mean = f.mean_duration_ms.expect("invocations ended") / 1e3;
    let calls = r.services["mail"].calls as f64;
    let n = f.invocations;
    let theory = fixed + MAIL_S * calls / n as f64;
    (theory, mean, MAIL_S * calls.sqrt() / n as f64, n)
}

/// Records back up in the shard (200/s against about 100/s processed
/// with one mail per record), so batches are full: with `per_record` the
/// mail calls equal the records processed exactly and each invocation
/// lasts B mails; without it, one mail per batch. The difference of the
/// mean durations is (B - 1) x the mail latency.
#[test]
fn a_per_record_call_runs_once_per_record_of_a_stream_batch() {
    let b = 10u32;
    let steps = vec![prep(), mail(), audit()];
    let per = run(&kinesis(
        200.0,
        60.0,
        240,
        b,
        steps.clone(),
        vec![1],
        vec![],
    ));
    let once = run(&kinesis(200.0, 60.0, 240, b, steps, vec![], vec![]));
    for (name, r) in [("per record", &per), ("once", &once)] {
        conserve_streams(name, r);
        conserve_services(name, r);
        let s = &r.streams["events"];
        let f = &r.functions["cons"];
        assert!(s.records_in > 10_000, "{name}: {}", s.records_in);
        assert_eq!(s.records_processed, s.records_in, "{name}: drained");
        assert_eq!(s.batches, f.invocations, "{name}");
        assert_eq!(f.errors + f.timeouts + f.throttles, 0, "{name}");
        assert_eq!(r.services["audit"].calls, f.invocations, "{name}");
    }
    let s = &per.streams["events"];
    // Exactly one mail per record processed.
    assert_eq!(per.services["mail"].calls, s.records_processed);
    assert_eq!(
        once.services["mail"].calls,
        once.functions["cons"].invocations
    );
    // Full batches but the last few.
    assert!(
        s.mean_batch_records >= 0.99 * f64::from(b),
        "{}",
        s.mean_batch_records
    );
    let fixed = PREP_S + AUDIT_S;
    let (t_per, m_per, se_per, n_per) = duration(&per, "cons", fixed);
    check(
        "per-record invocation duration [s]",
        t_per,
        m_per,
        n_per,
        se_per,
        Z,
    );
    let (t_once, m_once, se_once, _) = duration(&once, "cons", fixed);
    check(
        "once invocation duration [s]",
        t_once,
        m_once,
        once.functions["cons"].invocations,
        se_once,
        Z,
    );
    check(
        "duration growth = (B - 1) x mail latency [s]",
        (s.mean_batch_records - 1.0) * MAIL_S,
        m_per - m_once,
        n_per,
        (se_per * se_per + se_once * se_once).sqrt(),
        Z,
    );
}

/// An SQS mapping's batch: the per-record mail calls equal the messages
/// deleted, the once-per-batch audit the batches; the per-record compute
/// is one draw per message.
#[test]
fn a_per_record_call_runs_once_per_message_of_a_queue_batch() {
    let mut cons = lambda("cons", vec![prep(), mail(), audit()]);
    cons.per_record = vec![0, 1];
    cons.triggers = vec![Trigger {
        batch_window: 2 * slsim::engine::SECONDS,
        ..trigger(0, 10, 0, Some(2))
    }];
    let mut s = with_queues(
        simulation(300, 0, 43 + seed_offset()),
        vec![workload("w", Target::Queue(0), poisson_until(30.0, 200.0))],
        vec![cons],
        vec![queue("jobs", QueueType::Standard, 30)],
    );
    s.services = services();
    let r = run(&s);
    conserved(&r);
    conserve_services("queue", &r);
    let q = &r.queues["jobs"];
    let f = &r.functions["cons"];
    assert!(q.sent > 5_000, "{}", q.sent);
    assert_eq!(q.deleted, q.sent, "drained, nothing failed");
    assert_eq!(f.errors + f.timeouts + f.throttles, 0);
    assert_eq!(q.batches, f.invocations);
    assert_eq!(r.services["mail"].calls, q.deleted);
    assert_eq!(r.services["audit"].calls, q.batches);
    // Batches hold several messages, so the difference is real.
    let per_batch = q.mean_batch_size.expect("batches");
    assert!(per_batch > 5.0, "{q:?}");
    let (theory, mean, se, n) = duration(&r, "cons", PREP_S * per_batch + AUDIT_S);
    check(
        "queue batch invocation duration [s]",
        theory,
        mean,
        n,
        se,
        Z,
    );
}

/// An API request is one record: the per-record call runs once per
/// invocation, and a per-record wait is one draw.
#[test]
fn an_api_invocation_is_one_record() {
    let mut f = lambda("api-fn", vec![prep(), mail(), audit()]);
    f.per_record = vec![0, 1];
    let mut s = scenario(
        simulation(120, 0, 47 + seed_offset()),
        vec![api_workload("w", 0, poisson_until(50.0, 100.0))],
        vec![f],
    );
    s.apis = vec![api("front", 1000.0, 1000.0, 29.0, 0)];
    s.services = services();
    let r = run(&s);
    conserve_services("api", &r);
    let f = &r.functions["api-fn"];
    assert!(f.invocations > 4_000, "{}", f.invocations);
    assert_eq!(r.services["mail"].calls, f.invocations);
    assert_eq!(r.services["audit"].calls, f.invocations);
    let (theory, mean, se, n) = duration(&r, "api-fn", PREP_S + AUDIT_S);
    check("API invocation duration [s]", theory, mean, n, se, Z);
}

/// A per-record synchronous invoke of `work`, which fails with p = 0.05:
/// a batch of B = 10 fails when any of its calls fails, with probability
/// 1 - 0.95^10, stops at that call, and is retried from its first record
/// at the next poll until it succeeds. The per-record mail after it is
/// reached only in a batch's successful attempt: the mails equal the
/// records processed exactly.
#[test]
fn a_failing_repetition_fails_the_batch_which_is_retried() {
    let (b, p) = (10u32, 0.05);
    let work = lambda("work", vec![Step::Io(Dist::Const(0.005)), Step::Fail(p)]);
    let steps = vec![prep(), Step::Invoke { lambda: 2 }, mail()];
    let r = run(&kinesis(30.0, 60.0, 400, b, steps, vec![1, 2], vec![work]));
    conserve_streams("failing", &r);
    conserve_services("failing", &r);
    let s = &r.streams["events"];
    let cons = &r.functions["cons"];
    let work = &r.functions["work"];
    assert!(s.records_in > 1_500, "{}", s.records_in);
    // Retried until processed: nothing lost, nothing left.
    assert_eq!(s.records_processed, s.records_in);
    assert_eq!(s.records_failed + s.records_expired, 0);
    // Each failed call failed its consumer invocation, which failed its
    // batch, which was retried.
    assert!(work.errors > 50, "{}", work.errors);
    assert_eq!(cons.errors, work.errors);
    assert_eq!(s.failed_batches, cons.errors);
    assert_eq!(s.retries, s.failed_batches);
    assert_eq!(s.batches, cons.invocations);
    // The mails: once per record, in the successful attempt only.
    assert_eq!(r.services["mail"].calls, s.records_processed);
    // Every processed record's call succeeded once, and failed attempts
    // made successful calls too before their failing one.
    assert!(work.invocations - work.errors > s.records_processed);
    assert!(
        s.mean_batch_records >= 0.98 * f64::from(b),
        "{}",
        s.mean_batch_records
    );
    let theory = 1.0 - (1.0 - p).powi(b as i32);
    let fraction = cons.errors as f64 / cons.invocations as f64;
    check(
        "failed batch fraction = 1 - (1 - p)^B",
        theory,
        fraction,
        cons.invocations,
        binomial_se(theory, cons.invocations),
        Z,
    );
}
