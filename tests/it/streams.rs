//! Kinesis Data Streams and DynamoDB Streams end to end: per-lane order and
//! at most one batch per shard × parallelization factor, a failing batch
//! blocking its shard until its retries or its records' age run out (then
//! the on-failure destination), the iterator age growing meanwhile, the
//! shard write limit throttling a producer to 1,000 records/s, a table's
//! writes becoming its stream's records, and record conservation.

use crate::common::stats::series;
use crate::common::*;
use slsim::dist::Dist;
use slsim::engine::SECONDS;
use slsim::model::stream::{OnFailure, PutRecords, StreamSource, StreamTrigger};
use slsim::model::*;
use slsim::sim::RunResult;

/// A PutRecords step of one 1 KB record with keys over many values.
fn put(stream: usize) -> Step {
    Step::PutRecords(PutRecords {
        stream,
        records: 1,
        size_kb: 1.0,
        keys: slsim::dist::keys::Keys::Many,
    })
}

/// A producer function `prod` invoked at `rate`/s until `until_s`, writing
/// to stream 0 of `shards` shards; a consumer `cons` (`steps`) reading it
/// through `trigger`; a standard queue `dlq`.
fn kinesis(
    rate: f64,
    until_s: f64,
    duration_s: u64,
    shards: u32,
    cons: Vec<Step>,
    trigger: Option<StreamTrigger>,
) -> Scenario {
    let prod = lambda("prod", vec![put(0)]);
    let mut c = lambda("cons", cons);
    c.stream_triggers = trigger.into_iter().collect();
    let mut sim = simulation(duration_s, 0, 11 + seed_offset());
    sim.account_concurrency = 5000;
    let mut s = scenario(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            poisson_until(rate, until_s),
        )],
        vec![prod, c],
    );
    s.streams = vec![Stream {
        put_latency: Dist::Const(0.01),
        ..Stream::new("events", shards)
    }];
    s.queues = vec![Queue::new("dlq", QueueType::Standard)];
    s
}

fn work(s: f64) -> Step {
    Step::Io(Dist::Const(s))
}

/// Every record and call of every stream ends in exactly one state.
pub fn conserve_streams(name: &str, r: &RunResult) {
    for (st, s) in &r.streams {
        assert_eq!(
            s.records_in,
            s.records_processed
                + s.records_failed
                + s.records_expired
                + s.records_in_stream_end
                + s.records_in_flight_end,
            "{name}: stream {st}: in = processed + failed + expired + in stream + in flight"
        );
        assert!(s.records_to_destination <= s.records_failed + s.records_expired);
        assert_eq!(
            s.puts,
            s.puts_ok + s.puts_failed + s.puts_in_flight_end,
            "{name}: stream {st}: puts"
        );
        assert_eq!(
            s.throttled_puts,
            s.put_retries + s.puts_failed,
            "{name}: stream {st}: every throttled put is retried or fails"
        );
        assert_eq!(s.batches_out_of_order, 0, "{name}: stream {st}: order");
    }
}

#[test]
fn batches_keep_order_one_per_shard_times_factor() {
    for factor in [1u32, 3] {
        let t = StreamTrigger {
            batch_size: 100,
            parallelization_factor: factor,
            ..StreamTrigger::new(StreamSource::Kinesis(0))
        };
        // 300 records/s into 2 shards; each batch takes 0.2 s: the
        // consumer is busy, so every lane has a batch most of the time.
        let r = run(&kinesis(300.0, 50.0, 60, 2, vec![work(0.2)], Some(t)));
        conserve_streams("order", &r);
        let s = &r.streams["events"];
        let f = &r.functions["cons"];
        assert!(
            f.max_concurrency <= u64::from(2 * factor),
            "factor {factor}: {} concurrent batches",
            f.max_concurrency
        );
        assert_eq!(f.max_concurrency, u64::from(2 * factor), "every lane busy");
        assert!(s.records_in > 10_000, "{}", s.records_in);
        assert_eq!(s.records_failed + s.records_expired, 0);
        // Drained by the end (10 s after the producer stopped).
        assert_eq!(s.records_processed, s.records_in);
        assert_eq!(s.batches, f.invocations);
    }
}

#[test]
fn a_failing_batch_blocks_its_shard_until_its_retries_run_out() {
    let t = StreamTrigger {
        batch_size: 100,
        max_retry_attempts: Some(2),
        on_failure: Some(OnFailure::Queue(0)),
        ..StreamTrigger::new(StreamSource::Kinesis(0))
    };
    // Every invocation fails: each batch is tried 3 times, one Kinesis
    // poll (1 s) apart, then sent to the queue.
    let r = run(&kinesis(
        50.0,
        240.0,
        240,
        1,
        vec![work(0.01), Step::Fail(1.0)],
        Some(t),
    ));
    conserve_streams("blocked", &r);
    let s = &r.streams["events"];
    assert_eq!(s.records_processed, 0);
    assert!(s.records_failed > 0);
    assert_eq!(s.records_to_destination, s.records_failed);
    assert_eq!(r.queues["dlq"].sent, s.destination_messages);
    // Every answered batch failed (one may be in flight at the end).
    assert!(s.batches - s.failed_batches <= 1);
    // Every discarded batch was invoked exactly 3 times; the one at the
    // end at most 3.
    let done = 3 * s.destination_messages;
    assert!(
        s.batches >= done && s.batches <= done + 3,
        "{} batches, {} discarded",
        s.batches,
        s.destination_messages
    );
    assert!(s.retries >= 2 * s.destination_messages && s.retries <= 2 * s.destination_messages + 2);
    // The shard was blocked the whole time records waited.
    assert!(s.blocked_shard_s > 200.0, "{}", s.blocked_shard_s);
    // A batch takes ~2 s (3 tries 1 s apart) for 100 records arriving in
    // 2 s at 50/s: the backlog grows slowly; the iterator age rises.
    let age = series(&r, "events", "iterator_age_ms");
    let third = age.len() / 3;
    let first: f64 = age[..third].iter().copied().fold(0.0, f64::max);
    let last: f64 = age[2 * third..].iter().copied().fold(0.0, f64::max);
    assert!(last > first, "iterator age {first} -> {last}");
}

#[test]
fn records_past_their_maximum_age_go_to_the_destination() {
    let t = StreamTrigger {
        batch_size: 10,
        max_record_age: Some(60 * SECONDS),
        on_failure: Some(OnFailure::Queue(0)),
        ..StreamTrigger::new(StreamSource::Kinesis(0))
    };
    // Retried forever: only age ends a batch.
    let r = run(&kinesis(
        20.0,
        200.0,
        300,
        1,
        vec![Step::Fail(1.0)],
        Some(t),
    ));
    conserve_streams("age", &r);
    let s = &r.streams["events"];
    assert_eq!(s.records_processed + s.records_failed, 0);
    assert!(s.records_expired > 1000, "{}", s.records_expired);
    assert_eq!(s.records_to_destination, s.records_expired);
    // The iterator age climbs to the maximum age (a retry each second).
    assert!(
        s.iterator_age_max_ms >= 59_000.0 && s.iterator_age_max_ms <= 61_000.0,
        "{}",
        s.iterator_age_max_ms
    );
    assert!(r
        .findings
        .iter()
        .any(|f| f.component == "stream events" && f.message.contains("iterator age")));
}

#[test]
fn a_shard_takes_1000_records_per_second() {
    // 2,000 records/s into one shard for 30 s; nobody reads.
    let r = run(&kinesis(2000.0, 30.0, 32, 1, vec![], None));
    conserve_streams("throttle", &r);
    let s = &r.streams["events"];
    assert!(s.throttled_puts > 10_000, "{}", s.throttled_puts);
    assert!(s.puts_failed > 0);
    // Accepted: at most 1,000 in each whole second, and about that.
    let per_s = series(&r, "events", "records_in");
    let dt = r.timeseries.interval_s;
    assert!(dt >= 1.0);
    for v in per_s {
        assert!(*v <= 1000.0 + 1e-9, "{v} records/s");
    }
    // Retries may still land in the 2 s after the producer stops.
    let rate = s.records_in as f64 / 30.0;
    assert!((950.0..=1000.0 * 32.0 / 30.0).contains(&rate), "{rate}");
    assert!(r
        .findings
        .iter()
        .any(|f| f.component == "stream events" && f.topic == "throttles"));
}

#[test]
fn a_tables_writes_are_its_streams_records() {
    let mut t = table(
        "orders",
        Capacity::OnDemand {
            initial_read_peak: 4000.0,
            initial_write_peak: 4000.0,
        },
    );
    t.stream = true;
    t.partitions = Some(3);
    let prod = lambda(
        "prod",
        vec![Step::table(0, TableOp::Put, 1, 1.0), get(0, 1.0)],
    );
    let mut cons = lambda("cons", vec![work(0.02)]);
    cons.stream_triggers = vec![StreamTrigger::new(StreamSource::Table(0))];
    let mut s = scenario(
        simulation(60, 0, 5 + seed_offset()),
        vec![workload("w", Target::Lambda(0), poisson_until(100.0, 50.0))],
        vec![prod, cons],
    );
    s.tables = vec![t];
    let r = run(&s);
    conserve_streams("ddb", &r);
    let st = &r.streams["orders"];
    assert_eq!(st.source, "dynamodb");
    assert_eq!(st.shards, 3);
    assert_eq!(st.throttled_puts, 0);
    // One record per successful put (the gets add none).
    let ok = r.functions["prod"].invocations - r.functions["prod"].errors;
    assert!(
        st.records_in <= ok && st.records_in + 5 >= ok,
        "{} vs {ok}",
        st.records_in
    );
    assert_eq!(st.records_processed, st.records_in);
    // Polled 4 times a second: batches start within 250 ms.
    assert!(
        st.iterator_age_max_ms <= 300.0,
        "{}",
        st.iterator_age_max_ms
    );
    assert!(r.functions["cons"].max_concurrency <= 3);
}

#[test]
fn same_seed_same_streams() {
    let t = StreamTrigger {
        bisect_on_error: true,
        max_retry_attempts: Some(3),
        parallelization_factor: 2,
        on_failure: Some(OnFailure::Queue(0)),
        ..StreamTrigger::new(StreamSource::Kinesis(0))
    };
    let go = || {
        let mut r = run(&kinesis(
            800.0,
            40.0,
            60,
            1,
            vec![work(0.05), Step::Fail(0.3)],
            Some(t.clone()),
        ));
        r.wall_seconds = 0.0;
        conserve_streams("det", &r);
        (
            serde_json::to_string(&r).unwrap(),
            format!("{:?}", r.timeseries),
        )
    };
    let (a, b) = (go(), go());
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a.0).unwrap();
    let s = &v["streams"]["events"];
    assert!(s["splits"].as_u64().unwrap() > 0);
    assert!(s["records_processed"].as_u64().unwrap() > 0);
}

/// A provisioned stream's month: its shards for 730 hours at $0.015 and
/// its records at $0.014 per million 25 KB units, the window repeated; on
/// demand, the stream-hour and the GB written (prices/us-east-1.toml).
#[test]
fn kinesis_bills_shard_hours_and_put_units() {
    let month_s = 730.0 * 3600.0;
    let mut s = kinesis(200.0, 30.0, 30, 3, vec![], None);
    if let Step::PutRecords(p) = &mut s.lambdas[0].steps[0] {
        p.size_kb = 30.0;
    }
    let r = run(&s);
    let st = &r.streams["events"];
    assert_eq!(st.put_units, 2 * st.records_in, "30 KB = 2 units of 25 KB");
    let want = 3.0 * 730.0 * 0.015 + st.put_units as f64 * (month_s / 30.0) * 0.014 / 1e6;
    let got = r.cost.by_service["kinesis"];
    assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
    s.streams[0].mode = StreamMode::OnDemand;
    let r = run(&s);
    let st = &r.streams["events"];
    let gb = st.records_in as f64 * 30.0 / (1024.0 * 1024.0);
    let want = 730.0 * 0.04 + gb * (month_s / 30.0) * 0.08;
    let got = r.cost.by_service["kinesis"];
    assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
    // DynamoDB streams read by Lambda are free: no line without Kinesis.
    let mut t = table(
        "t",
        Capacity::Provisioned {
            rcu: 10.0,
            wcu: 10.0,
        },
    );
    t.stream = true;
    let mut d = scenario(simulation(10, 0, 1), vec![], vec![lambda("f", vec![])]);
    d.tables = vec![t];
    assert!(!run(&d).cost.by_service.contains_key("kinesis"));
}
