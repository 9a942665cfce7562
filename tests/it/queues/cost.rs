//! The SQS bill against hand calculation: requests counted as AWS bills
//! them (64 KB chunks, batches of 10, empty receives of idle pollers), the
//! standard tiers, the FIFO price and the shared free tier (aws-facts 2,
//! "Pricing"; prices/us-east-1.toml).

use super::*;
use slsim::cost::MONTH_SECONDS;
use slsim::services::queue::cost::{sqs_costs, QueueUsage};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// A function sends one 100 KB message per second; a mapping reads them
/// one by one (batch_size 1) with a 0.1 s function.
fn one_per_second(free_tier: bool) -> Scenario {
    let producer_fn = lambda(
        "producer",
        vec![Step::Send {
            queue: 0,
            size_kb: 100.0,
        }],
    );
    let mut worker = lambda("worker", vec![Step::Io(Dist::Const(0.1))]);
    worker.triggers = vec![trigger(0, 1, 0, None)];
    let mut sim = simulation(1_000, 0, 7);
    sim.free_tier = free_tier;
    with_queues(
        sim,
        vec![workload(
            "w",
            Target::Lambda(0),
            Arrival::Constant { rate: 1.0 },
        )],
        vec![producer_fn, worker],
        vec![queue("jobs", QueueType::Standard, 30)],
    )
}

#[test]
fn sqs_requests_and_bill_match_a_hand_calculation() {
    let r = run(&one_per_second(false));
    conserved(&r);
    let q = &r.queues["jobs"];
    let n = q.sent;
    assert!(n >= 998, "{n}");
    let k = &q.requests;
    // 100 KB = two 64 KB chunks per send and per one-message receive; one
    // DeleteMessageBatch per batch.
    assert_eq!(k.send, 2 * n);
    assert_eq!(q.batches, q.received);
    assert_eq!(k.receive, 2 * q.batches);
    assert_eq!(k.delete, q.deleted);
    // Idle pollers: the 5 that AWS keeps polling (aws-facts 2, "Low
    // traffic"), less the busy one, one empty receive each per 20 s.
    let t = r.measured_seconds;
    let busy = r.functions["worker"].mean_concurrency * t;
    let empty = ((5.0 * t - busy) / 20.0).round() as u64;
    assert_eq!(k.empty_receive, empty);
    assert_eq!(k.total, k.send + k.receive + k.delete + k.empty_receive);
    // $0.40 per million (first tier), no free tier.
    let scale = MONTH_SECONDS / t;
    let monthly = k.total as f64 * scale * 0.40 / 1e6;
    let c = &r.cost;
    eprintln!(
        "CHECK | sqs monthly usd | {monthly} | {} | {} | exact |",
        c.by_service["sqs"], k.total
    );
    assert!(
        close(c.by_service["sqs"], monthly),
        "{} vs {monthly}",
        c.by_service["sqs"]
    );
    assert!(close(c.by_component["jobs"], monthly));
    // With the free tier: the first million monthly requests are free.
    let r = run(&one_per_second(true));
    let total = r.queues["jobs"].requests.total as f64 * scale;
    assert!(total > 1e6);
    assert!(close(r.cost.by_service["sqs"], (total - 1e6) * 0.40 / 1e6));
}

#[test]
fn standard_tiers_fifo_price_and_the_shared_free_tier() {
    let prices = slsim::cost::builtin::for_region("us-east-1").unwrap().sqs;
    let std_ = |requests| QueueUsage {
        kind: QueueType::Standard,
        requests,
    };
    let fifo = |requests| QueueUsage {
        kind: QueueType::Fifo,
        requests,
    };
    // 150 B standard requests: 100 B at $0.40/M, 50 B at $0.30/M.
    let c = sqs_costs(&[std_(150e9)], &prices, false);
    assert!(close(c[0], 100e9 * 0.40 / 1e6 + 50e9 * 0.30 / 1e6), "{c:?}");
    // Beyond 200 B: $0.24/M; the tiers apply to the sum, split by share.
    let c = sqs_costs(&[std_(150e9), std_(100e9)], &prices, false);
    let all = 40_000.0 + 30_000.0 + 50e9 * 0.24 / 1e6;
    assert!(close(c[0] + c[1], all));
    assert!(close(c[0] / c[1], 1.5));
    // Free tier: 1M shared by standard and FIFO in proportion to requests.
    let c = sqs_costs(&[std_(3e6), fifo(1e6)], &prices, true);
    assert!(close(c[0], 2.25e6 * 0.40 / 1e6), "{c:?}");
    assert!(close(c[1], 0.75e6 * 0.50 / 1e6), "{c:?}");
    // Within the free tier: nothing; no usage: nothing (and no -0.0).
    let c = sqs_costs(&[std_(4e5), fifo(5e5)], &prices, true);
    assert_eq!(c, vec![0.0, 0.0]);
    let c = sqs_costs(&[std_(0.0)], &prices, false);
    assert!(c[0] == 0.0 && c[0].is_sign_positive());
}
