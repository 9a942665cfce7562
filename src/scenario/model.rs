//! The validated, typed scenario: what the simulator runs.
//!
//! Everything here has passed validation: names are unique, references are
//! resolved to indices into the per-kind vectors, and numbers are in range.
//! Times are nanoseconds, rates per second, sizes in their named unit.

use crate::dist::Dist;
use crate::engine::SimDuration;
use crate::workload::Arrival;

/// A whole scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// `[simulation]`.
    pub simulation: Simulation,
    /// `[[workload]]`, in file order.
    pub workloads: Vec<Workload>,
    /// `[[api]]`, in file order.
    pub apis: Vec<Api>,
    /// `[[lambda]]`, in file order.
    pub lambdas: Vec<Lambda>,
    /// `[[table]]`, in file order.
    pub tables: Vec<Table>,
    /// Warnings found by validation: the scenario runs, but probably not as
    /// meant (copied into the result's `warnings`).
    pub warnings: Vec<String>,
}

/// `[simulation]`: run settings.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// Human name; also names the output folder (see [`Simulation::slug`]).
    pub name: String,
    /// Simulated length, warm-up included \[ns\].
    pub duration: SimDuration,
    /// Initial period excluded from statistics \[ns\].
    pub warmup: SimDuration,
    /// Master seed.
    pub seed: u64,
    /// Lambda account concurrency limit, shared by all functions.
    pub account_concurrency: u32,
    /// Lambda scale-up model.
    pub scaling: ScalingModel,
    /// AWS Region (selects the price table and the legacy burst).
    pub region: String,
    /// Subtract the monthly free tier in cost figures.
    pub free_tier: bool,
    /// Stop the run after this many events.
    pub max_events: u64,
    /// Stop the run after this much wall-clock time \[s\]; `None`: no limit.
    pub max_wall_s: Option<f64>,
    /// Stop the run when its memory exceeds this many bytes; `None`: the
    /// default (the smaller of 4 GiB and half the machine's RAM).
    pub max_memory_bytes: Option<u64>,
    /// Width of one time-series bucket \[ns\].
    pub timeseries_interval: SimDuration,
}

impl Simulation {
    /// A file-system-safe version of the name: lowercase ASCII letters,
    /// digits and `-`.
    pub fn slug(&self) -> String {
        let mut s = String::new();
        for c in self.name.chars() {
            if c.is_ascii_alphanumeric() {
                s.push(c.to_ascii_lowercase());
            } else if !s.ends_with('-') {
                s.push('-');
            }
        }
        let s = s.trim_matches('-').to_string();
        if s.is_empty() {
            "scenario".into()
        } else {
            s
        }
    }
}

/// How Lambda adds execution environments under a burst of load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingModel {
    /// Since 2023-11-27: per function, 1,000 new environments per 10 s,
    /// refilled continuously, no accumulation beyond 1,000.
    PerFunction,
    /// 2019-07 .. 2023-11: an account-wide initial burst (3,000 / 1,000 / 500
    /// by Region), then +500 environments per minute.
    Legacy2019,
}

/// What a workload or a route sends its requests to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `[[api]]` index.
    Api(usize),
    /// `[[lambda]]` index (a direct synchronous invoke).
    Lambda(usize),
}

/// `[[workload]]`: traffic entering the system.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Unique name.
    pub name: String,
    /// Where requests go.
    pub target: Target,
    /// Arrival process, already multiplied by `scale`.
    pub arrival: Arrival,
    /// Route mix: (route index in the target api's `routes`, probability);
    /// probabilities sum to 1. Empty when the target is not an api.
    pub routes: Vec<(usize, f64)>,
    /// Client retries on throttles and 5xx; `None`: no retries.
    pub retry: Option<ClientRetry>,
}

/// Largest client `retry.max_attempts` accepted.
pub const MAX_CLIENT_ATTEMPTS: u32 = 1000;
/// Largest table `sdk_retry.max_attempts` accepted.
pub const MAX_SDK_ATTEMPTS: u32 = 100;

/// Client-side retry policy.
#[derive(Clone, Debug)]
pub struct ClientRetry {
    /// Total attempts including the first (>= 1).
    pub max_attempts: u32,
    /// Wait before each retry \[s\].
    pub backoff: Dist,
}

/// API Gateway flavour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiType {
    /// REST API (v1).
    Rest,
    /// HTTP API (v2).
    Http,
}

/// `[[api]]`: an API Gateway.
#[derive(Clone, Debug)]
pub struct Api {
    /// Unique name.
    pub name: String,
    /// REST or HTTP.
    pub kind: ApiType,
    /// Token-bucket refill rate [requests/s].
    pub rate_limit: f64,
    /// Token-bucket size \[requests\].
    pub burst: f64,
    /// Integration timeout \[ns\].
    pub timeout: SimDuration,
    /// Gateway overhead added to every request \[s\].
    pub latency: Dist,
    /// Authorizer latency \[s\]; `None`: no authorizer.
    pub auth: Option<Dist>,
    /// Response cache; `None`: no cache.
    pub cache: Option<ApiCache>,
    /// Routes, in file order.
    pub routes: Vec<ApiRoute>,
}

/// API Gateway response cache.
#[derive(Clone, Debug)]
pub struct ApiCache {
    /// Time to live \[ns\].
    pub ttl: SimDuration,
    /// Fraction of cacheable (GET) requests answered from the cache.
    pub hit_ratio: f64,
    /// Latency of a cache hit \[s\].
    pub hit_latency: Dist,
    /// Provisioned cache size \[GB\] (for cost).
    pub size_gb: f64,
}

/// One API route.
#[derive(Clone, Debug)]
pub struct ApiRoute {
    /// `"GET /todos"`.
    pub route: String,
    /// The integration: a `[[lambda]]` index.
    pub target: usize,
    /// Whether the response cache applies (GET routes when a cache exists).
    pub cacheable: bool,
}

/// Instruction set of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    /// x86_64.
    X86_64,
    /// arm64 (Graviton): 20 % lower duration price.
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
    /// Idle-environment choice.
    pub routing: Routing,
    /// Recycle an environment once idle after this age \[ns\].
    pub max_lifetime: Option<SimDuration>,
    /// Reserved concurrency (floor and ceiling).
    pub reserved_concurrency: Option<u32>,
    /// Pre-initialised environments that never expire.
    pub provisioned_concurrency: u32,
    /// SnapStart enabled (init replaced by restore).
    pub snap_start: bool,
    /// What one invocation does, in order.
    pub steps: Vec<Step>,
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
    },
    /// A synchronous invocation of another function.
    Invoke {
        /// `[[lambda]]` index.
        lambda: usize,
    },
    /// The invocation fails here with this probability.
    Fail(f64),
}

/// DynamoDB operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableOp {
    /// GetItem.
    Get,
    /// PutItem.
    Put,
    /// UpdateItem.
    Update,
    /// DeleteItem.
    Delete,
    /// Query.
    Query,
    /// Scan.
    Scan,
}

impl TableOp {
    /// True for get, query and scan.
    pub fn is_read(self) -> bool {
        matches!(self, TableOp::Get | TableOp::Query | TableOp::Scan)
    }
}

/// Read consistency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consistency {
    /// Eventually consistent: half a read unit per 4 KB; DAX may answer.
    Eventual,
    /// Strongly consistent: one read unit per 4 KB; bypasses DAX.
    Strong,
}

/// DynamoDB capacity mode.
#[derive(Clone, Debug, PartialEq)]
pub enum Capacity {
    /// Provisioned read and write capacity units.
    Provisioned {
        /// Read capacity units [RCU = 4 KB strong reads/s].
        rcu: f64,
        /// Write capacity units [WCU = 1 KB writes/s].
        wcu: f64,
    },
    /// Pay per request: instant capacity up to twice the previous peak.
    OnDemand {
        /// Previous read peak at the start [RRU/s].
        initial_read_peak: f64,
        /// Previous write peak at the start [WRU/s].
        initial_write_peak: f64,
    },
}

/// `[[table]]`: a DynamoDB table.
#[derive(Clone, Debug)]
pub struct Table {
    /// Unique name.
    pub name: String,
    /// Capacity mode.
    pub capacity: Capacity,
    /// Read consistency used by the calls.
    pub consistency: Consistency,
    /// Burst credit kept from unused provisioned capacity [s of capacity].
    pub burst_seconds: f64,
    /// Read latency \[s\].
    pub read_latency: Dist,
    /// Write latency \[s\].
    pub write_latency: Dist,
    /// DAX in front of the table.
    pub dax: Option<Dax>,
    /// SDK retries on throttling.
    pub sdk_retry: SdkRetry,
}

/// DAX cluster in front of a table.
#[derive(Clone, Debug)]
pub struct Dax {
    /// Fraction of eventually consistent reads answered from the cache.
    pub hit_ratio: f64,
    /// Item cache TTL \[ns\].
    pub ttl: SimDuration,
    /// Latency of a cache hit \[s\].
    pub hit_latency: Dist,
}

/// The SDK's retry policy for throttled requests (exponential backoff with
/// full jitter: wait ~ U(0, min(max_backoff, base * 2^retry))).
#[derive(Clone, Debug)]
pub struct SdkRetry {
    /// Total attempts including the first (>= 1).
    pub max_attempts: u32,
    /// Base backoff \[ns\].
    pub base: SimDuration,
    /// Backoff cap \[ns\].
    pub max_backoff: SimDuration,
}
