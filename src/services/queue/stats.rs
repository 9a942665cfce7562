//! A queue's figures (messages, waits, its mappings' batches, billed
//! requests) and its rows of the text summary.
//!
//! Conservation (tested): `sent = deleted + dead_lettered + expired +
//! visible_end + delayed_end + in_flight_end`, over the messages sent (or
//! moved in) in the measured window.

use indexmap::IndexMap;
use serde::Serialize;

use super::SqsQueue;
use crate::engine::ns_to_secs;
use crate::metrics::text::{thousands, Table};
use crate::model::queue::POLL_WAIT;
use crate::model::QueueType;
use crate::services::Collect;

/// Billed SQS requests in the measured window (aws-facts 2, "Pricing":
/// every 64 KB chunk of a payload is a request; empty receives count).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Requests {
    /// SendMessage, one per message and chunk.
    pub send: u64,
    /// ReceiveMessage returning messages: one per 10 messages received
    /// together (aws-facts 2, "Batch"), times their chunks.
    pub receive: u64,
    /// DeleteMessageBatch: one per 10 messages deleted together.
    pub delete: u64,
    /// Empty ReceiveMessage of idle pollers: one per poller per 20 s.
    pub empty_receive: u64,
    /// All of them.
    pub total: u64,
}

/// Wait from the send to the first receive \[s\]; `None` without a receive.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct WaitSummary {
    /// Messages received at least once.
    pub count: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Median (1 µs resolution: a wait of 0 reads as 0.000001).
    pub p50: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
}

/// A queue's figures. Message flows count messages sent (or moved in) in
/// the measured window; requests those made in it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QueueStats {
    /// `"standard"` or `"fifo"` (for pricing).
    #[serde(rename = "type")]
    pub kind: QueueType,
    /// Messages sent (a dead-letter queue: moved in).
    pub sent: u64,
    /// Receives (a message received three times counts three).
    pub received: u64,
    /// Deleted after their batch succeeded.
    pub deleted: u64,
    /// Moved to the dead-letter queue.
    pub dead_lettered: u64,
    /// Removed by SQS after the retention period.
    pub expired: u64,
    /// Visible at the end.
    pub visible_end: u64,
    /// Not visible yet at the end (delay, latency).
    pub delayed_end: u64,
    /// Received and not deleted at the end (in a batch, or invisible
    /// until their visibility timeout ends).
    pub in_flight_end: u64,
    /// Time-weighted mean of visible messages (all messages).
    pub mean_visible: f64,
    /// Most visible messages at once.
    pub max_visible: u64,
    /// Time-weighted mean of messages in flight.
    pub mean_in_flight: f64,
    /// Largest age of the oldest visible message \[s\]; `None` if none waited.
    pub oldest_age_s_max: Option<f64>,
    /// Messages whose first receive came after they became visible (they
    /// waited for a poller).
    pub waited: u64,
    /// Send to first receive.
    pub wait_s: WaitSummary,
    /// Batches handed to functions.
    pub batches: u64,
    /// Most batches in progress at once.
    pub max_concurrent_batches: u64,
    /// Mean messages per batch; `None` without batches.
    pub mean_batch_size: Option<f64>,
    /// Batches whose invocation failed or timed out.
    pub failed_batches: u64,
    /// Batches whose invocation was throttled.
    pub throttled_batches: u64,
    /// FIFO: messages deleted after a later one of their group (0 when
    /// order holds).
    pub out_of_order: u64,
    /// Billed requests.
    pub requests: Requests,
}

/// A queue's figures (finishes its levels; counts what outlived retention
/// by the end).
pub fn collect(q: &mut SqsQueue, c: &mut Collect<'_>) -> QueueStats {
    for l in [
        &mut q.visible_level,
        &mut q.in_flight_level,
        &mut q.batches_level,
        &mut q.idle_level,
    ] {
        l.finish(c.end, c.rec);
    }
    if q.visible_count() > 0 {
        q.sample_age(c.end, c.end.saturating_sub(c.measured), c.rec);
    }
    let (visible_end, delayed_end, in_flight_end) = q.settle_end(c.end);
    let k = &q.counters;
    let mut requests = k.requests;
    requests.empty_receive = (q.idle_level.area() / ns_to_secs(POLL_WAIT)).round() as u64;
    requests.total = requests.send + requests.receive + requests.delete + requests.empty_receive;
    let w = q.wait.summary();
    let s = |v: Option<f64>| v.map(|ms| ms / 1e3);
    QueueStats {
        kind: q.kind,
        sent: k.sent,
        received: k.received,
        deleted: k.deleted,
        dead_lettered: k.dead_lettered,
        expired: k.expired,
        visible_end,
        delayed_end,
        in_flight_end,
        mean_visible: c.mean(q.visible_level.area()),
        max_visible: q.visible_level.max().max(0) as u64,
        mean_in_flight: c.mean(q.in_flight_level.area()),
        oldest_age_s_max: q.oldest_age_max,
        waited: k.waited,
        wait_s: WaitSummary {
            count: w.count,
            mean: s(w.mean),
            p50: s(w.p50),
            p99: s(w.p99),
            max: s(w.max),
        },
        batches: k.batches,
        max_concurrent_batches: q.batches_level.max().max(0) as u64,
        mean_batch_size: (k.batches > 0).then(|| k.batch_messages as f64 / k.batches as f64),
        failed_batches: k.failed_batches,
        throttled_batches: k.throttled_batches,
        out_of_order: k.out_of_order,
        requests,
    }
}

/// Seconds for the text, `-` when undefined.
fn secs(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.3}", v + 0.0))
}

/// One row per queue.
pub fn text(stats: &IndexMap<String, QueueStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "queue",
        "sent",
        "deleted",
        "dead-lettered",
        "expired",
        "left",
        "wait p99 s",
        "oldest s",
        "max batches",
    ]);
    for (name, q) in stats {
        t.row([
            name.clone(),
            thousands(q.sent),
            thousands(q.deleted),
            thousands(q.dead_lettered),
            thousands(q.expired),
            thousands(q.visible_end + q.delayed_end + q.in_flight_end),
            secs(q.wait_s.p99),
            secs(q.oldest_age_s_max),
            thousands(q.max_concurrent_batches),
        ]);
    }
    t.render(out);
}
