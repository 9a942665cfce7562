//! `[[lambda]]`: a function, its settings and its steps.

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

use super::{TableOp, Trigger};
use crate::dist::keys::Keys;

/// Known runtimes and their default init (cold start) duration as
/// (median, p99) \[ms\]: aws-facts 1.6 (lambda-perf, zip, x86_64, 512 MB row).
pub const RUNTIMES: [(&str, f64, f64); 10] = [
    ("nodejs22.x", 140.0, 181.0),
    ("nodejs20.x", 141.0, 180.0),
    ("python3.12", 84.0, 135.0),
    ("python3.13", 84.0, 116.0),
    ("java21", 239.0, 579.0),
    ("java17", 204.0, 308.0),
    ("java25", 190.0, 443.0),
    ("dotnet8", 251.0, 616.0),
    ("provided.al2023", 50.0, 61.0),
    ("ruby3.3", 239.0, 460.0),
];

/// SnapStart restore duration (median, p99) \[ms\]: aws-facts 1.6, SnapStart
/// paragraph (java21 + SnapStart, 512 MB).
pub const SNAPSTART_RESTORE_MS: (f64, f64) = (733.0, 1053.0);

/// Runtimes with SnapStart: Java 11+, Python 3.12+, .NET 8+ (aws-facts 1.8).
pub fn snap_start_supported(runtime: &str) -> bool {
    runtime.starts_with("java") || matches!(runtime, "python3.12" | "python3.13" | "dotnet8")
}

/// Default runtime.
pub const DEFAULT_RUNTIME: &str = "nodejs22.x";
/// Default memory \[MB\] (aws-facts 1.3: 128).
pub const DEFAULT_MEMORY_MB: u32 = 128;
/// Default timeout \[ns\] (aws-facts 1.3: 3 s).
pub const DEFAULT_TIMEOUT: SimDuration = 3 * SECONDS;
/// Default idle lifetime of an environment \[ns\]: 6 min. An assumption:
/// AWS publishes none; the latest measurement is 5-7 min (aws-facts 1.4).
pub const DEFAULT_KEEP_ALIVE: SimDuration = 6 * 60 * SECONDS;
/// Default age after which an environment is recycled once idle \[ns\]:
/// 4 h. An assumption: AWS ends environments "every few hours" even under
/// continuous load and publishes no figure (aws-facts 10.6, 1.1 "PC
/// environments re-run init every few hours"); 4 h is the upper end of
/// "a few", so as not to overstate cold starts.
pub const DEFAULT_MAX_LIFETIME: SimDuration = 4 * 3600 * SECONDS;
/// Concurrency that must stay unreserved (aws-facts 1.1: 100).
pub const UNRESERVED_FLOOR: u32 = 100;

/// Instruction set of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Architecture {
    /// x86_64.
    #[serde(rename = "x86_64")]
    X86_64,
    /// arm64 (Graviton): 20 % lower duration price.
    #[serde(rename = "arm64")]
    Arm64,
}

/// Which idle environment takes a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// Most recently used (what AWS appears to do).
    Mru,
    /// Least recently used.
    Lru,
    /// Uniformly at random.
    Random,
}

/// How idle on-demand environments are kept alive (`keep_alive_policy`);
/// provisioned environments are never affected.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeepAlivePolicy {
    /// Idle environments expire `keep_alive` after their last use (AWS's
    /// behaviour; the default).
    Fixed,
    /// An environment is destroyed as soon as its invocation ends.
    None,
    /// The hybrid histogram policy of Shahrad et al., "Serverless in the
    /// Wild", USENIX ATC '20, section 4.2: pre-warm and keep-alive windows
    /// from the function's idle-time histogram.
    Hybrid(Hybrid),
}

/// Parameters of the hybrid histogram policy (ATC '20, section 4.2; the
/// defaults are the paper's, or its reference implementations' where it
/// gives no figure, see [`Hybrid::PAPER`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hybrid {
    /// Histogram range \[ns\]: idle times beyond it are out of bounds.
    pub range: SimDuration,
    /// Bin width \[ns\].
    pub bin: SimDuration,
    /// Head percentile \[%\]: the pre-warm window's start.
    pub head: f64,
    /// Tail percentile \[%\]: the keep-alive window's end.
    pub tail: f64,
    /// Margin \[%\]: the head is shortened and the tail lengthened by it.
    pub margin: f64,
    /// Below this coefficient of variation of the bin counts the
    /// histogram is not representative (fallback).
    pub cv: f64,
    /// Fewer in-range idle times than this: not representative (fallback).
    pub min_samples: u32,
    /// Out-of-bounds share \[%\] at or above which the function is
    /// out of bounds (the paper's ARIMA case; slsim's fallback).
    pub oob: f64,
}

impl Hybrid {
    /// The defaults: range 4 h, 1-minute bins, head 5th and tail 99th
    /// percentile, margin 10 % (ATC '20, section 4.2); CV threshold 2 and
    /// out-of-bounds share 50 % as in the reference implementations of the
    /// paper's policy (DSLab FaaS `hybrid_histogram.rs`); at least 10
    /// idle times is an assumption (the paper gives no figure).
    pub const PAPER: Hybrid = Hybrid {
        range: 4 * 3600 * SECONDS,
        bin: 60 * SECONDS,
        head: 5.0,
        tail: 99.0,
        margin: 10.0,
        cv: 2.0,
        min_samples: 10,
        oob: 50.0,
    };

    /// Number of histogram bins (`range / bin`, rounded up).
    pub fn bins(&self) -> usize {
        self.range.div_ceil(self.bin.max(1)) as usize
    }
}

/// `[[lambda]]`: a function.
#[derive(Clone, Debug)]
pub struct Lambda {
    /// Unique name.
    pub name: String,
    /// Runtime identifier, e.g. `nodejs20.x`.
    pub runtime: String,
    /// Instruction set.
    pub arch: Architecture,
    /// Memory \[MB\], 128..=10240.
    pub memory_mb: u32,
    /// Invocation timeout \[ns\].
    pub timeout: SimDuration,
    /// Cold-start (init) duration \[s\]; with SnapStart, the restore duration.
    pub init: Dist,
    /// Idle environments expire after this \[ns\].
    pub keep_alive: SimDuration,
    /// How idle on-demand environments are kept (`keep_alive_policy`).
    pub keep_alive_policy: KeepAlivePolicy,
    /// Idle-environment choice.
    pub routing: Routing,
    /// Recycle an environment once idle after this age \[ns\]; `None`:
    /// never.
    pub max_lifetime: Option<SimDuration>,
    /// Reserved concurrency (floor and ceiling).
    pub reserved_concurrency: Option<u32>,
    /// Pre-initialised environments that never expire.
    pub provisioned_concurrency: u32,
    /// SnapStart enabled (init replaced by restore).
    pub snap_start: bool,
    /// What one invocation does, in order.
    pub steps: Vec<Step>,
    /// Indices into `steps` of the steps run once per record of
    /// the batch that invoked the function (`per_record = true`): a call
    /// repeated one call after the other, a compute or I/O wait summed over
    /// one draw per record. A batch is an SQS or stream event source
    /// mapping's; any other invocation is one record.
    pub per_record: Vec<usize>,
    /// Event source mappings: queues polled for batches to invoke it with.
    pub triggers: Vec<Trigger>,
    /// Event source mappings reading streams (Kinesis, DynamoDB).
    pub stream_triggers: Vec<super::StreamTrigger>,
    /// How asynchronous invocations of this function are retried and
    /// where their results go.
    pub async_invoke: AsyncInvoke,
    /// Log output per invocation sent to CloudWatch Logs \[KB\] (for
    /// cost).
    pub log_kb: f64,
    /// The SDK retry policy of this function's DynamoDB requests; `None`:
    /// each table's own ([`super::SdkRetry::for_call`]).
    pub sdk_retry: Option<super::SdkRetry>,
    /// The Region it is deployed in (`region`); `None`: the home Region
    /// (`[simulation] region`). Only its DynamoDB calls and a client's
    /// round trip depend on it (docs/model.md, "Global users and global
    /// tables").
    pub region: Option<super::geo::Region>,
}

/// Default log output per invocation \[KB\]: Lambda's START, END and
/// REPORT platform lines alone, about 70 + 50 + 140..230 bytes = 0.3 KB
/// (aws-facts 10.3, "Platform lines per invoke"). An assumption \[A\]:
/// a function that logs anything itself writes more.
pub const DEFAULT_LOG_KB: f64 = 0.3;
/// Largest `log_kb` accepted \[KB\] (1 GB per invocation): slsim's sanity
/// bound.
pub const MAX_LOG_KB: f64 = 1_048_576.0;

/// Asynchronous invocation settings (AWS's `EventInvokeConfig`):
/// retries, the maximum event age and the destinations.
#[derive(Clone, Debug)]
pub struct AsyncInvoke {
    /// Retries after a function error (0..=2; aws-facts 1.2: default 2).
    pub max_retry_attempts: u32,
    /// An event older than this is discarded instead of retried
    /// \[ns\] (aws-facts 1.2: default and maximum 6 h, minimum 60 s).
    pub max_event_age: SimDuration,
    /// Where a successful event's record goes.
    pub on_success: Option<Destination>,
    /// Where a discarded event goes (retries exhausted or too old);
    /// without one it is dropped and counted.
    pub on_failure: Option<Destination>,
    /// Delay from acceptance (202) to the first attempt \[s\]: the
    /// internal queue's dispatch.
    pub dispatch: Dist,
}

/// Default retries after a function error (aws-facts 1.2).
pub const DEFAULT_MAX_RETRY_ATTEMPTS: u32 = 2;
/// Largest `max_retry_attempts` (aws-facts 1.2).
pub const MAX_RETRY_ATTEMPTS: u32 = 2;
/// Default and largest `max_event_age` \[ns\] (aws-facts 1.2: 6 h).
pub const MAX_EVENT_AGE: SimDuration = 6 * 3600 * SECONDS;
/// Smallest `max_event_age` \[ns\] (aws-facts 1.2: 60 s).
pub const MIN_EVENT_AGE: SimDuration = 60 * SECONDS;
/// Wait before the first and the second retry after a function error
/// \[ns\]: "a one-minute wait between the first two attempts, and two
/// minutes between the second and third" (aws-facts 1.2).
pub const ERROR_RETRY_WAITS: [SimDuration; 2] = [60 * SECONDS, 120 * SECONDS];
/// Throttles and system errors: the first retry waits 1 s, doubling up to
/// 5 min (aws-facts 1.2) \[ns\].
pub const THROTTLE_BACKOFF: (SimDuration, SimDuration) = (SECONDS, 300 * SECONDS);

impl AsyncInvoke {
    /// The internal queue's dispatch delay: median 40 ms. An assumption:
    /// AWS publishes none; a 2022 measurement found asynchronous invokes
    /// about 40 ms slower than synchronous ones at the median
    /// (bitesizedserverless.com, "serverless messaging latency compared").
    pub fn default_dispatch() -> Dist {
        Dist::lognormal_median_sigma(0.040, 0.5)
    }
}

impl Default for AsyncInvoke {
    fn default() -> Self {
        Self {
            max_retry_attempts: DEFAULT_MAX_RETRY_ATTEMPTS,
            max_event_age: MAX_EVENT_AGE,
            on_success: None,
            on_failure: None,
            dispatch: Self::default_dispatch(),
        }
    }
}

/// Where an asynchronous invocation's record goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Another function, invoked asynchronously with the record.
    Lambda(usize),
    /// A standard `[[queue]]`: the record is sent to it.
    Queue(usize),
    /// A `[[topic]]`: the record is published to it.
    Topic(usize),
}

/// One step of an invocation.
#[derive(Clone, Debug)]
pub enum Step {
    /// CPU work [s at one full vCPU]; stretched when memory gives less CPU
    /// than `threads` vCPUs.
    Compute {
        /// Duration at 1 vCPU \[s\].
        dist: Dist,
        /// Threads the code can keep busy (1 = single-threaded).
        threads: f64,
    },
    /// Waiting that memory does not speed up \[s\].
    Io(Dist),
    /// A DynamoDB request.
    Table {
        /// `[[table]]` index.
        table: usize,
        /// Operation.
        op: TableOp,
        /// Items read or written.
        items: u32,
        /// Size of one item \[KB\].
        item_kb: f64,
        /// Popularity of the partition keys the requests use.
        keys: Keys,
        /// TransactGetItems / TransactWriteItems: twice the units of a
        /// standard request (aws-facts 5.1).
        transactional: bool,
        /// A Query or Scan of this GSI (its position in the table's
        /// `gsi` list) instead of the table.
        index: Option<usize>,
    },
    /// A synchronous invocation of another function.
    Invoke {
        /// `[[lambda]]` index.
        lambda: usize,
    },
    /// An asynchronous invocation (`mode = "async"`): accepted at once
    /// (202); the callee runs from its internal queue.
    InvokeAsync {
        /// `[[lambda]]` index.
        lambda: usize,
    },
    /// The invocation fails here with this probability.
    Fail(f64),
    /// A message sent to a queue (the call lasts the queue's send latency).
    Send {
        /// `[[queue]]` index.
        queue: usize,
        /// Message size \[KB\].
        size_kb: f64,
    },
    /// A message published to a topic (the call lasts the topic's publish
    /// latency).
    Publish {
        /// `[[topic]]` index.
        topic: usize,
        /// Message size \[KB\].
        size_kb: f64,
    },
    /// An S3 request (the call lasts the bucket's latency for the
    /// operation, plus the SDK's retries after 503 Slow Down).
    Bucket {
        /// `[[bucket]]` index.
        bucket: usize,
        /// Operation.
        op: super::BucketOp,
        /// Object size \[KB\]; `None`: the bucket's `object_kb`.
        size_kb: Option<f64>,
        /// Which prefixes the requests use; `None`: the bucket's.
        prefixes: Option<Keys>,
    },
    /// A call to an external service (SES, ...), retried by the SDK when
    /// throttled.
    External {
        /// `[[service]]` index.
        service: usize,
    },
    /// A PutRecords call to a Kinesis stream (retried by the SDK when a
    /// shard's write limit throttles it).
    PutRecords(super::PutRecords),
}

impl Lambda {
    /// A function with every setting at its default (as if the `[[lambda]]`
    /// table gave only `name` and `steps`).
    pub fn new(name: &str, steps: Vec<Step>) -> Self {
        Self {
            name: name.into(),
            runtime: DEFAULT_RUNTIME.into(),
            arch: Architecture::X86_64,
            memory_mb: DEFAULT_MEMORY_MB,
            timeout: DEFAULT_TIMEOUT,
            init: default_init(DEFAULT_RUNTIME, Architecture::X86_64, false),
            keep_alive: DEFAULT_KEEP_ALIVE,
            keep_alive_policy: KeepAlivePolicy::Fixed,
            routing: Routing::Mru,
            max_lifetime: Some(DEFAULT_MAX_LIFETIME),
            reserved_concurrency: None,
            provisioned_concurrency: 0,
            snap_start: false,
            steps,
            per_record: Vec::new(),
            triggers: Vec::new(),
            stream_triggers: Vec::new(),
            async_invoke: AsyncInvoke::default(),
            log_kb: DEFAULT_LOG_KB,
            sdk_retry: None,
            region: None,
        }
    }
}

/// arm64 (Graviton) init relative to x86_64 for Node.js and Python: 0.925,
/// the middle of "~5-10 % lower" (aws-facts 1.6, lambda-perf); other
/// runtimes were not measured on arm64 and keep their x86_64 figures.
pub const ARM64_INIT_FACTOR: f64 = 0.925;
/// The one runtime measured on arm64: nodejs22.x, 512 MB, init (median,
/// p99) \[ms\] (aws-facts 1.6).
pub const ARM64_NODEJS22_INIT_MS: (f64, f64) = (130.0, 163.0);

/// The default init (cold start) duration of a runtime on an architecture:
/// a lognormal through its measured median and p99 (aws-facts 1.6); with
/// SnapStart, the restore duration. An unknown runtime gets the default
/// runtime's.
pub fn default_init(runtime: &str, arch: Architecture, snap_start: bool) -> Dist {
    let (med, p99) = if snap_start {
        SNAPSTART_RESTORE_MS
    } else {
        let r = RUNTIMES
            .iter()
            .find(|(n, _, _)| *n == runtime)
            .unwrap_or(&RUNTIMES[0]);
        match arch {
            Architecture::X86_64 => (r.1, r.2),
            Architecture::Arm64 if r.0 == "nodejs22.x" => ARM64_NODEJS22_INIT_MS,
            Architecture::Arm64 if r.0.starts_with("nodejs") || r.0.starts_with("python") => {
                (r.1 * ARM64_INIT_FACTOR, r.2 * ARM64_INIT_FACTOR)
            }
            Architecture::Arm64 => (r.1, r.2),
        }
    };
    Dist::lognormal_median_p99(med / 1e3, p99 / 1e3)
}

impl Lambda {
    /// Whether step `i` runs once per record of the invoking batch.
    pub fn is_per_record(&self, i: usize) -> bool {
        self.per_record.contains(&i)
    }
}

impl Step {
    /// A standard (not transactional) request to table `table`'s base
    /// table, keys uniform over many values.
    pub fn table(table: usize, op: TableOp, items: u32, item_kb: f64) -> Self {
        Step::Table {
            table,
            op,
            items,
            item_kb,
            keys: Keys::Many,
            transactional: false,
            index: None,
        }
    }
}
