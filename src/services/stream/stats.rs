//! A stream's figures (puts, throttles, records by end state, batches,
//! iterator age, blocked time), its rows of the text summary and its
//! findings (the iterator age grew: a blocked shard or a slow consumer;
//! producers throttled by the shards' write limit).
//!
//! Conservation (tested), over the records accepted in the measured
//! window: `records_in = processed + failed + expired + in_stream_end +
//! in_flight_end`; `to_destination <= failed + expired`; over the calls:
//! `puts = puts_ok + puts_failed + puts_in_flight_end`, `throttled_puts =
//! put_retries + puts_failed`.

use indexmap::IndexMap;
use serde::Serialize;

use super::KStream;
use crate::engine::{ns_to_secs, MILLIS};
use crate::metrics::text::{thousands, Table};
use crate::model::StreamMode;
use crate::services::findings::{count, pct};
use crate::services::{Collect, Finding, FindingsCx};

/// One stream's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StreamStats {
    /// `"kinesis"` or `"dynamodb"`.
    pub source: &'static str,
    /// Kinesis capacity mode (`"provisioned"`, `"on-demand"`); DynamoDB
    /// streams: `null`.
    pub mode: Option<StreamMode>,
    /// Shards.
    pub shards: u32,
    /// Retention \[s\].
    pub retention_s: f64,
    /// The function reading it, if any.
    pub consumer: Option<String>,
    /// PutRecords calls made by functions (Kinesis).
    pub puts: u64,
    /// Calls accepted.
    pub puts_ok: u64,
    /// Calls failed: the SDK gave up after a throttled attempt.
    pub puts_failed: u64,
    /// Calls in progress at the end.
    pub puts_in_flight_end: u64,
    /// Attempts throttled by a shard's write limit
    /// (ProvisionedThroughputExceededException).
    pub throttled_puts: u64,
    /// Throttled attempts the SDK retried.
    pub put_retries: u64,
    /// Records accepted into the stream.
    pub records_in: u64,
    /// Records a batch processed.
    pub records_processed: u64,
    /// Records discarded after the batch's retries ran out.
    pub records_failed: u64,
    /// Records discarded past the maximum record age or the retention.
    pub records_expired: u64,
    /// Of the discarded records, sent to the on-failure destination.
    pub records_to_destination: u64,
    /// Records in the stream at the end, not in a batch.
    pub records_in_stream_end: u64,
    /// Records in a batch in progress at the end.
    pub records_in_flight_end: u64,
    /// Messages or publishes sent to the on-failure destination (one per
    /// discarded batch).
    pub destination_messages: u64,
    /// Batches handed to the function (retries included).
    pub batches: u64,
    /// Mean records per batch.
    pub mean_batch_records: f64,
    /// Batches that ended in a function error or timeout.
    pub failed_batches: u64,
    /// Batches throttled by the function's concurrency.
    pub throttled_batches: u64,
    /// Retries of batches.
    pub retries: u64,
    /// Batches split in two (bisect on error).
    pub splits: u64,
    /// Largest iterator age (the age of a batch's last record when it was
    /// sent) \[ms\]; per interval in the `iterator_age_ms` series.
    pub iterator_age_max_ms: f64,
    /// Lane time blocked by a failing batch \[s\] (lanes: shards ×
    /// parallelization factor).
    pub blocked_shard_s: f64,
    /// Processed batches that began before their lane's last processed
    /// record (an order check: 0).
    pub batches_out_of_order: u64,
    /// Kinesis PUT payload units (25 KB per record, rounded up).
    pub put_units: u64,
    /// Data accepted \[GB\].
    pub gb_in: f64,
    /// Hours of the measured window (for the shard-hours).
    pub hours: f64,
}

/// A stream's figures at the run's end.
pub fn collect(s: &mut KStream, c: &mut Collect<'_>) -> StreamStats {
    let end = c.end;
    let (mut in_stream, mut in_flight) = (0u64, 0u64);
    let retention = s.retention;
    let no_consumer = s.mapping.is_none();
    let warmup = end.saturating_sub(c.measured);
    for lane in &mut s.lanes {
        if no_consumer {
            while lane
                .buf
                .front()
                .is_some_and(|r| end.saturating_sub(r.born) >= retention)
            {
                let r = lane.buf.pop_front().expect("front exists");
                s.counters.expired += u64::from(r.measured);
            }
        }
        for (k, r) in lane.buf.iter().enumerate() {
            if r.measured {
                if k < lane.inflight as usize {
                    in_flight += 1;
                } else {
                    in_stream += 1;
                }
            }
        }
        if let Some(since) = lane.blocked_since {
            s.counters.blocked += end.saturating_sub(since.max(warmup));
        }
    }
    let k = &s.counters;
    StreamStats {
        source: if s.kinesis { "kinesis" } else { "dynamodb" },
        mode: s.kinesis.then_some(s.mode),
        shards: s.shards,
        retention_s: ns_to_secs(s.retention),
        consumer: s.consumer.clone(),
        puts: k.puts,
        puts_ok: k.puts_ok,
        puts_failed: k.puts_failed,
        puts_in_flight_end: s.pending,
        throttled_puts: k.throttled,
        put_retries: k.put_retries,
        records_in: k.records_in,
        records_processed: k.processed,
        records_failed: k.failed,
        records_expired: k.expired,
        records_to_destination: k.to_destination,
        records_in_stream_end: in_stream,
        records_in_flight_end: in_flight,
        destination_messages: k.destination_messages,
        batches: k.batches,
        mean_batch_records: if k.batches > 0 {
            k.batch_records as f64 / k.batches as f64
        } else {
            0.0
        },
        failed_batches: k.failed_batches,
        throttled_batches: k.throttled_batches,
        retries: k.retries,
        splits: k.splits,
        iterator_age_max_ms: k.iterator_age_max as f64 / MILLIS as f64,
        blocked_shard_s: ns_to_secs(k.blocked),
        batches_out_of_order: k.out_of_order,
        put_units: k.put_units,
        gb_in: k.kb_in / (1024.0 * 1024.0),
        hours: ns_to_secs(c.measured) / 3600.0,
    }
}

/// The streams' rows of the text summary.
pub fn text(stats: &IndexMap<String, StreamStats>, out: &mut String) {
    if stats.is_empty() {
        return;
    }
    let mut t = Table::new([
        "stream",
        "shards",
        "records in",
        "throttled puts",
        "processed",
        "failed",
        "expired",
        "to dest.",
        "left",
        "iter. age max",
    ]);
    for (name, s) in stats {
        t.row([
            name.clone(),
            s.shards.to_string(),
            thousands(s.records_in),
            thousands(s.throttled_puts),
            thousands(s.records_processed),
            thousands(s.records_failed),
            thousands(s.records_expired),
            thousands(s.records_to_destination),
            thousands(s.records_in_stream_end + s.records_in_flight_end),
            format!("{} ms", thousands(s.iterator_age_max_ms.round() as u64)),
        ]);
    }
    t.render(out);
}

/// Iterator age of 30 s or more \[A\], or throttled producers.
pub fn findings(
    stats: &IndexMap<String, StreamStats>,
    cx: &FindingsCx<'_>,
    out: &mut Vec<Finding>,
) {
    for (name, s) in stats {
        if s.iterator_age_max_ms >= 30_000.0 {
            let why = if s.failed_batches + s.throttled_batches > 0 {
                format!(
                    "a failing batch blocked its shard ({} failed and {} throttled batches, {} retries, lanes blocked {:.0} s in all)",
                    count(s.failed_batches),
                    count(s.throttled_batches),
                    count(s.retries),
                    s.blocked_shard_s
                )
            } else {
                "the consumer is slower than the producers: raise batch_size or parallelization_factor, or add shards".into()
            };
            let lost = s.records_failed + s.records_expired;
            let lost = if lost > 0 {
                format!(
                    "; {} records discarded ({} of those in), {} to the on-failure destination",
                    count(lost),
                    pct(lost as f64, s.records_in as f64),
                    count(s.records_to_destination)
                )
            } else {
                String::new()
            };
            out.push(Finding {
                topic: "failures",
                component: format!("stream {name}"),
                message: format!(
                    "the iterator age reached {:.0} s{}: {why}{lost}",
                    s.iterator_age_max_ms / 1e3,
                    cx.during(name, "iterator_age_ms"),
                ),
            });
        }
        if s.throttled_puts > 0 {
            out.push(Finding {
                topic: "throttles",
                component: format!("stream {name}"),
                message: format!(
                    "the shards' write limit (1,000 records or 1 MB per second per shard) throttled {} PutRecords attempts{}; the SDK retried {} and gave up on {}: add shards or spread the partition keys",
                    count(s.throttled_puts),
                    cx.during(name, "throttled_puts"),
                    count(s.put_retries),
                    count(s.puts_failed),
                ),
            });
        }
    }
}
