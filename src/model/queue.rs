//! `[[queue]]`: an Amazon SQS queue, and the Lambda event source mapping
//! (ESM, a function's `triggers`) that polls it.
//!
//! Sources: "aws-facts 2 (row)" is a row of the SQS + ESM table of the
//! project's fact sheet; "\[NF\]" marks a fact that is not in it, with the
//! page it comes from; "\[A\]" an assumption without a source.

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

/// Standard or FIFO.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    /// At-least-once, best-effort order, nearly unlimited throughput.
    #[default]
    Standard,
    /// Ordered within a message group; one batch in flight per group.
    Fifo,
}

/// A redrive policy: after `max_receive_count` receives a message that
/// comes back goes to `dead_letter` instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redrive {
    /// Receives before the move (1..=1000).
    pub max_receive_count: u32,
    /// `[[queue]]` index of the dead-letter queue.
    pub dead_letter: usize,
}

/// `[[queue]]`: an SQS queue.
#[derive(Clone, Debug)]
pub struct Queue {
    /// Unique name.
    pub name: String,
    /// Standard or FIFO.
    pub kind: QueueType,
    /// A received message stays invisible this long \[ns\]; if it is not
    /// deleted by then it becomes visible again.
    pub visibility_timeout: SimDuration,
    /// Every message becomes visible only this long after it is sent \[ns\].
    pub delay: SimDuration,
    /// Messages older than this are deleted by SQS (counted `expired`) \[ns\].
    pub retention: SimDuration,
    /// Redrive to a dead-letter queue; `None`: messages stay until retention.
    pub redrive: Option<Redrive>,
    /// From the send to the message being visible to pollers, on top of
    /// `delay` \[s\].
    pub latency: Dist,
    /// How long the producer's send call takes (the step's duration, or the
    /// workload request's latency) \[s\].
    pub send_latency: Dist,
    /// FIFO: message groups; each message joins one uniformly at random.
    pub groups: u32,
}

/// One `triggers` entry of a function: an event source mapping polling a
/// queue and invoking the function synchronously with batches.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    /// `[[queue]]` index.
    pub queue: usize,
    /// Most messages per batch.
    pub batch_size: u32,
    /// How long a batch waits for more messages after its first \[ns\].
    pub batch_window: SimDuration,
    /// Most concurrent batches; `None`: `mapping_cap`.
    pub max_concurrency: Option<u32>,
    /// The mapping's own cap on concurrent batches
    /// (`simulation.esm_max_concurrency`, default [`ESM_MAX_CONCURRENCY`]).
    pub mapping_cap: u32,
    /// Fewest concurrent batches the mapping scales down to (0: none kept;
    /// stands for the provisioned mode's minimum pollers).
    pub min_concurrency: u32,
    /// The function reports failed messages of a batch; only those return.
    pub report_batch_item_failures: bool,
}

/// Default visibility timeout \[ns\]: aws-facts 2 ("Visibility timeout":
/// default 30 s).
pub const DEFAULT_VISIBILITY_TIMEOUT: SimDuration = 30 * SECONDS;
/// Longest visibility timeout \[s\]: aws-facts 2 ("Visibility timeout":
/// 0 to 12 h).
pub const MAX_VISIBILITY_TIMEOUT_S: u64 = 12 * 3600;
/// Longest queue `delay` \[s\]: `DelaySeconds` 0 to 900 s, default 0 (\[NF\]
/// <https://www.rubydoc.info/gems/aws-sdk-sqs/1.10.0/Aws/SQS/Resource>).
pub const MAX_DELAY_S: u64 = 900;
/// Default retention \[ns\]: aws-facts 2 ("Retention": 4 days).
pub const DEFAULT_RETENTION: SimDuration = 4 * 86_400 * SECONDS;
/// Retention bounds \[s\]: aws-facts 2 ("Retention": 60 s to 14 days).
pub const RETENTION_S: (u64, u64) = (60, 14 * 86_400);
/// `max_receive_count` bounds: aws-facts 2 ("`maxReceiveCount`": 1 to 1,000).
pub const MAX_RECEIVE_COUNT: (i64, i64) = (1, 1000);
/// Below this `max_receive_count` a triggered queue is warned about:
/// aws-facts 2 ("Redrive": set it to at least 5).
pub const MIN_ADVISED_RECEIVE_COUNT: u32 = 5;
/// Below this reserved concurrency a function with a trigger is warned
/// about: aws-facts 2 ("Reserved concurrency for an SQS consumer": at
/// least 5, the mapping's initial concurrency).
pub const MIN_ADVISED_RESERVED: u32 = 5;
/// FIFO message groups: 1 to 1,000,000 \[A\] (AWS has no limit on groups;
/// each costs memory here).
pub const GROUPS: (i64, i64) = (1, 1_000_000);
/// Largest message \[KB\]: aws-facts 2 ("Max message size": 1 MiB).
pub const MAX_MESSAGE_KB: f64 = 1024.0;
/// Default message size \[KB\] of a send step or a workload \[A\].
pub const DEFAULT_MESSAGE_KB: f64 = 1.0;
/// One billed request per 64 KB chunk of a payload \[KB\]: aws-facts 2
/// ("Pricing").
pub const CHUNK_KB: f64 = 64.0;
/// Messages per SendMessageBatch / ReceiveMessage / DeleteMessageBatch
/// call: aws-facts 2 ("Batch": at most 10).
pub const MESSAGES_PER_CALL: u32 = 10;
/// Messages in flight (received, not deleted) per queue: aws-facts 2
/// ("In-flight messages": about 120,000 standard, 20,000 FIFO). Beyond it
/// a receive gets nothing.
pub fn in_flight_limit(kind: QueueType) -> u64 {
    match kind {
        QueueType::Standard => 120_000,
        QueueType::Fifo => 20_000,
    }
}

/// Initial concurrent batches of a mapping: aws-facts 2 ("Initial pollers /
/// concurrent batches": 5).
pub const ESM_INITIAL_CONCURRENCY: u32 = 5;
/// Scale-up of a mapping \[concurrent batches per minute\]: aws-facts 2
/// ("New scale-up": up to 300 per minute since 2023-11-06), applied
/// continuously: one more batch every 200 ms while messages wait.
pub const ESM_SCALE_UP_PER_MINUTE: u32 = 300;
/// Default cap on a mapping's concurrent batches: 1,000. aws-facts 2
/// ("Maximum concurrency of one standard-queue ESM") is conflicting: the
/// Lambda developer guide says 1,000, the Knowledge Center article and an
/// AWS blog 1,250; the current Knowledge Center text says 1,000 (\[NF\]
/// <https://repost.aws/knowledge-center/lambda-sqs-scaling>,
/// <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html>).
/// Set a trigger's `max_concurrency` for a lower cap, and
/// `simulation.esm_max_concurrency` to take the other source's 1,250.
pub const ESM_MAX_CONCURRENCY: u32 = 1000;
/// `simulation.esm_max_concurrency` bounds: from the initial 5 batches to
/// the larger published cap, 1,250 (aws-facts 2, "Maximum concurrency of
/// one standard-queue ESM").
pub const ESM_MAX_CONCURRENCY_RANGE: (i64, i64) = (5, 1250);
/// `max_concurrency` bounds: aws-facts 2 ("`MaximumConcurrency`
/// (ScalingConfig)": 2 to 1,000).
pub const MAX_CONCURRENCY: (i64, i64) = (2, 1000);
/// `min_concurrency` bounds: 0 to 1,000 \[A\] (at most the cap).
pub const MIN_CONCURRENCY: (i64, i64) = (0, 1000);
/// Default `batch_size`: aws-facts 2 ("Batch size": default 10).
pub const DEFAULT_BATCH_SIZE: u32 = 10;
/// Largest `batch_size` of a standard queue: aws-facts 2 ("Batch size":
/// 10,000); the lower bound 1 is the Lambda API's (\[NF\]
/// <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html>).
pub const MAX_BATCH_SIZE_STANDARD: i64 = 10_000;
/// Largest `batch_size` of a FIFO queue: aws-facts 2 ("Batch size": 10).
pub const MAX_BATCH_SIZE_FIFO: i64 = 10;
/// Longest `batch_window` \[s\]: aws-facts 2 ("Batching window": 300 s).
/// FIFO queues take none (\[NF\] services-sqs-parameters.html above).
pub const MAX_BATCH_WINDOW_S: u64 = 300;
/// An idle poller long-polls: one empty ReceiveMessage per poller per 20 s
/// \[ns\] (aws-facts 2, "Poller long-poll wait time": UNCONFIRMED, 20 s
/// assumed); billed (aws-facts 2, "Pricing": empty receives are billed).
pub const POLL_WAIT: SimDuration = 20 * SECONDS;
/// A poller whose invoke was throttled waits this long before it polls
/// again \[ns\] \[A\]: AWS says the mapping backs off, without a figure.
pub const THROTTLE_BACKOFF: SimDuration = SECONDS;

impl Queue {
    /// Default `latency` of a standard queue: lognormal with median 16 ms
    /// and p99 105 ms, fitted to one measurement of SQS -> Lambda delivery
    /// (\[A\], \[NF\] <https://bitesizedserverless.com/bite/serverless-messaging-latency-compared/>,
    /// eu-west-1, 2022).
    pub fn default_latency(kind: QueueType) -> Dist {
        match kind {
            QueueType::Standard => Dist::lognormal_median_p99(0.016, 0.105),
            // Same source, FIFO: median 28 ms, p99 645 ms.
            QueueType::Fifo => Dist::lognormal_median_p99(0.028, 0.645),
        }
    }

    /// Default `send_latency`: 0 \[A\]. AWS publishes no SendMessage
    /// latency; the end-to-end delivery time is in `latency`.
    pub fn default_send_latency() -> Dist {
        Dist::constant(0.0)
    }

    /// A queue with every setting at its default (as if the `[[queue]]`
    /// gave only `name` and `type`).
    pub fn new(name: &str, kind: QueueType) -> Self {
        Self {
            name: name.into(),
            kind,
            visibility_timeout: DEFAULT_VISIBILITY_TIMEOUT,
            delay: 0,
            retention: DEFAULT_RETENTION,
            redrive: None,
            latency: Self::default_latency(kind),
            send_latency: Self::default_send_latency(),
            groups: 1,
        }
    }
}

impl Trigger {
    /// A mapping of `queue` with every setting at its default.
    pub fn new(queue: usize) -> Self {
        Self {
            queue,
            batch_size: DEFAULT_BATCH_SIZE,
            batch_window: 0,
            max_concurrency: None,
            mapping_cap: ESM_MAX_CONCURRENCY,
            min_concurrency: 0,
            report_batch_item_failures: false,
        }
    }

    /// The cap on concurrent batches.
    pub fn cap(&self) -> u32 {
        self.max_concurrency
            .unwrap_or(self.mapping_cap)
            .min(self.mapping_cap)
            .max(1)
    }

    /// Concurrent batches at the start: [`ESM_INITIAL_CONCURRENCY`], or
    /// `min_concurrency` if higher, never above the cap.
    pub fn initial(&self) -> u32 {
        ESM_INITIAL_CONCURRENCY
            .max(self.min_concurrency)
            .min(self.cap())
    }
}

/// Billed requests for a payload of `kb` \[KB\]: one per 64 KB chunk, at
/// least one (aws-facts 2, "Pricing").
pub fn chunks(kb: f64) -> u64 {
    (kb / CHUNK_KB).ceil().max(1.0) as u64
}
