//! Message conservation: `sent = deleted + dead_lettered + expired +
//! visible_end + delayed_end + in_flight_end` for every queue, under
//! throttling, function failures and timeouts, partial batch failures,
//! batching windows, retention expiry, a redrive chain, FIFO groups, sends
//! from functions (several 64 KB chunks), with and without a warm-up, the
//! run ending with work in flight.

use super::*;

/// Producer API-less chain: workload -> `orders` (standard) -> `worker`
/// (throttled by reserved concurrency, failing, sometimes timing out),
/// which also sends to `audit` (FIFO, partial failures); `orders`
/// redrives to `orders-dlq`, itself drained by a flaky `janitor`; `slow`
/// is a delay queue nobody reads whose messages expire.
fn messy(warmup_s: u64, seed: u64) -> Scenario {
    let mut worker = lambda(
        "worker",
        vec![
            Step::Io(Dist::Exp { mean: 1.0 }),
            Step::Send {
                queue: 2,
                size_kb: 100.0,
            },
            Step::Fail(0.2),
        ],
    );
    worker.reserved_concurrency = Some(4);
    worker.timeout = 2 * SECONDS; // exp(1 s) runs past it now and then
    worker.triggers = vec![Trigger {
        batch_size: 20,
        batch_window: 2 * SECONDS,
        ..trigger(0, 20, 0, Some(10))
    }];
    let mut auditor = lambda(
        "auditor",
        vec![Step::Io(Dist::Const(0.05)), Step::Fail(0.3)],
    );
    auditor.triggers = vec![Trigger {
        report_batch_item_failures: true,
        ..trigger(2, 10, 0, Some(3))
    }];
    let mut janitor = lambda("janitor", vec![Step::Fail(0.5)]);
    janitor.triggers = vec![trigger(1, 5, 0, Some(2))];
    let orders = Queue {
        retention: 60 * SECONDS,
        redrive: Some(Redrive {
            max_receive_count: 2,
            dead_letter: 1,
        }),
        latency: Dist::Exp { mean: 0.02 },
        ..queue("orders", QueueType::Standard, 5)
    };
    let dlq = Queue {
        retention: 120 * SECONDS,
        ..queue("orders-dlq", QueueType::Standard, 3)
    };
    let audit = Queue {
        groups: 5,
        latency: Queue::default_latency(QueueType::Fifo),
        ..queue("audit", QueueType::Fifo, 4)
    };
    let slow = Queue {
        delay: 90 * SECONDS,
        retention: 60 * SECONDS,
        ..queue("slow", QueueType::Standard, 30)
    };
    with_queues(
        simulation(400, warmup_s, seed),
        vec![
            producer("orders-in", 0, Arrival::Poisson { rate: 60.0 }),
            producer("slow-in", 3, Arrival::Poisson { rate: 2.0 }),
        ],
        vec![worker, auditor, janitor],
        vec![orders, dlq, audit, slow],
    )
}

#[test]
fn messages_are_conserved_under_throttles_failures_expiry_and_redrive() {
    for (warmup_s, seed) in [(0, 41), (0, 42), (50, 43), (120, 44)] {
        let r = run(&messy(warmup_s, seed));
        conserved(&r);
        let q = &r.queues;
        let (orders, dlq, audit, slow) = (&q["orders"], &q["orders-dlq"], &q["audit"], &q["slow"]);
        // Every path was taken.
        assert!(orders.throttled_batches > 0, "{orders:?}");
        assert!(orders.failed_batches > 0, "{orders:?}");
        assert!(orders.dead_lettered > 0, "{orders:?}");
        assert!(orders.deleted > 0, "{orders:?}");
        assert!(r.functions["worker"].timeouts > 0);
        assert!(dlq.deleted > 0 && dlq.expired + dlq.visible_end + dlq.in_flight_end > 0);
        assert!(
            audit.deleted > 0 && audit.received > audit.deleted,
            "{audit:?}"
        );
        assert_eq!(audit.out_of_order, 0);
        assert!(slow.expired > 0, "{slow:?}");
        assert_eq!(
            slow.deleted + slow.visible_end,
            0,
            "90 s delay > 60 s retention"
        );
        // Moved messages arrive in the dead-letter queue as its sends.
        assert_eq!(dlq.sent, orders.dead_lettered, "seed {seed}");
        // A send costs two requests (100 KB = two 64 KB chunks).
        assert_eq!(audit.requests.send, 2 * audit.sent);
        // Sends are accepted at once (send latency 0): every request ended.
        assert_eq!(
            r.workloads["orders-in"].succeeded,
            r.workloads["orders-in"].requests
        );
    }
}
