//! `[[stream]]` (Amazon Kinesis Data Streams), a table's DynamoDB stream
//! (`stream = true`), and the Lambda event source mapping that reads a
//! stream (a function's `triggers` entry whose source is a stream or a
//! table with a stream).
//!
//! Sources: "aws-facts 5.6", "aws-facts 6" and "aws-facts 10.9" are rows of
//! the project's fact sheet; "\[A\]" marks an assumption without a source.

use crate::dist::keys::Keys;
use crate::dist::Dist;
use crate::engine::{SimDuration, MILLIS, SECONDS};

/// Kinesis capacity mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamMode {
    /// A fixed number of shards, billed by the shard-hour.
    #[default]
    Provisioned,
    /// Capacity AWS manages; billed by the stream-hour and the GB.
    OnDemand,
}

/// `[[stream]]`: a Kinesis data stream.
#[derive(Clone, Debug)]
pub struct Stream {
    /// Unique name.
    pub name: String,
    /// Capacity mode.
    pub mode: StreamMode,
    /// Shards (on demand: the shards a new stream starts with, kept for
    /// the run \[A\]).
    pub shards: u32,
    /// Records older than this are trimmed \[ns\].
    pub retention: SimDuration,
    /// A PutRecords call's duration, request to response \[s\].
    pub put_latency: Dist,
}

/// Default shards of a provisioned stream \[A\]: one.
pub const DEFAULT_SHARDS: u32 = 1;
/// On demand, the shards of a new stream: 4 MB/s of write capacity
/// (aws-facts 6, "On-demand mode") at 1 MB/s per shard; kept for the run
/// (on-demand scaling is not modelled) \[A\].
pub const ON_DEMAND_SHARDS: u32 = 4;
/// Most shards of a stream: the account's shard quota in us-east-1
/// (aws-facts 6, "Shard quota": 20,000).
pub const MAX_SHARDS: u32 = 20_000;
/// Default retention \[ns\]: 24 h (aws-facts 6, "Retention"; DynamoDB
/// Streams: aws-facts 5.6).
pub const DEFAULT_RETENTION: SimDuration = 24 * 3600 * SECONDS;
/// Longest retention \[s\]: one year (aws-facts 6, "Retention"; 365 days).
pub const MAX_RETENTION_S: u64 = 365 * 24 * 3600;
/// Records a shard accepts per second (aws-facts 6, "Shard write limit").
pub const SHARD_RECORDS_PER_S: u32 = 1_000;
/// Bytes a shard accepts per second \[KB\]: 1 MB (aws-facts 6, "Shard
/// write limit"; 1 MB = 1,024 KB \[A\]).
pub const SHARD_KB_PER_S: f64 = 1024.0;
/// Largest record \[KB\]: 1 MB (aws-facts 6, "Record size").
pub const MAX_RECORD_KB: f64 = 1024.0;
/// Most records in one PutRecords call: 500 (Kinesis API reference,
/// PutRecords; not in the fact sheet \[A\]).
pub const MAX_PUT_RECORDS: u32 = 500;

impl Stream {
    /// The default PutRecords latency: median 20 ms \[A\] (AWS publishes
    /// none).
    pub fn default_put_latency() -> Dist {
        Dist::lognormal_median_sigma(0.020, 0.4)
    }

    /// A provisioned stream of `shards` shards with the defaults.
    pub fn new(name: &str, shards: u32) -> Self {
        Self {
            name: name.into(),
            mode: StreamMode::Provisioned,
            shards,
            retention: DEFAULT_RETENTION,
            put_latency: Self::default_put_latency(),
        }
    }
}

/// Which stream a trigger reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamSource {
    /// `[[stream]]` index (Kinesis).
    Kinesis(usize),
    /// `[[table]]` index: the table's DynamoDB stream.
    Table(usize),
}

/// Where a trigger's discarded batches go (one message or publish per
/// batch \[A\]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFailure {
    /// `[[queue]]` index.
    Queue(usize),
    /// `[[topic]]` index.
    Topic(usize),
}

/// A `triggers` entry whose source is a stream: the event source mapping
/// reading each shard in order and invoking the function synchronously
/// with batches.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamTrigger {
    /// What it reads.
    pub source: StreamSource,
    /// Most records per batch (aws-facts 10.9: default 100, 1..=10,000).
    pub batch_size: u32,
    /// Longest wait for a batch to fill \[ns\] (aws-facts 10.9: default 0,
    /// at most 300 s).
    pub batch_window: SimDuration,
    /// Concurrent batches per shard (aws-facts 5.6: 1..=10, default 1);
    /// order holds per partition key.
    pub parallelization_factor: u32,
    /// Start from the oldest record (`trim-horizon`) or only new ones
    /// (`latest`). The run starts with an empty stream, so both read every
    /// record \[A\].
    pub trim_horizon: bool,
    /// On a function error, split the batch in two and retry.
    pub bisect_on_error: bool,
    /// Retries of a failed batch; `None`: until the records expire
    /// (aws-facts 10.9: −1 = infinite, or 0..=10,000).
    pub max_retry_attempts: Option<u32>,
    /// Oldest a record may be when it is sent \[ns\]; `None`: the stream's
    /// retention (aws-facts 10.9: −1, or 60..=604,800 s).
    pub max_record_age: Option<SimDuration>,
    /// Where discarded batches go; `None`: dropped.
    pub on_failure: Option<OnFailure>,
}

/// Default batch size (aws-facts 10.9).
pub const DEFAULT_BATCH_SIZE: u32 = 100;
/// Largest batch (aws-facts 10.9).
pub const MAX_BATCH_SIZE: u32 = 10_000;
/// Largest batch payload \[KB\]: 6 MB (aws-facts 10.9).
pub const MAX_BATCH_KB: f64 = 6.0 * 1024.0;
/// Longest batching window \[s\] (aws-facts 10.9).
pub const MAX_BATCH_WINDOW_S: u64 = 300;
/// Parallelization factor bounds (aws-facts 5.6).
pub const PARALLELIZATION: (i64, i64) = (1, 10);
/// Retry attempts bounds, besides −1 (aws-facts 10.9).
pub const MAX_RETRY_ATTEMPTS: i64 = 10_000;
/// Record age bounds \[s\], besides −1 (aws-facts 10.9: the API's minimum
/// is 60 s).
pub const RECORD_AGE_S: (u64, u64) = (60, 604_800);
/// Time between two polls of a Kinesis shard \[ns\]: once per second
/// (aws-facts 6, "Polling").
pub const KINESIS_POLL: SimDuration = SECONDS;
/// Time between two polls of a DynamoDB stream's shard \[ns\]: 4 times per
/// second (aws-facts 5.6, "Poll rate").
pub const DDB_POLL: SimDuration = 250 * MILLIS;

impl StreamTrigger {
    /// A trigger on `source` with every setting at its default.
    pub fn new(source: StreamSource) -> Self {
        Self {
            source,
            batch_size: DEFAULT_BATCH_SIZE,
            batch_window: 0,
            parallelization_factor: 1,
            trim_horizon: true,
            bisect_on_error: false,
            max_retry_attempts: None,
            max_record_age: None,
            on_failure: None,
        }
    }
}

/// A function's PutRecords step, in the model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PutRecords {
    /// `[[stream]]` index.
    pub stream: usize,
    /// Records per call (1..=500).
    pub records: u32,
    /// Size of one record \[KB\].
    pub size_kb: f64,
    /// Partition keys (drawn once per call: the call's records go to one
    /// shard \[A\]).
    pub keys: Keys,
}
