//! `[[table]]`: a DynamoDB table, DAX in front of it, and the SDK's retries.

use crate::dist::Dist;
use crate::engine::{SimDuration, SECONDS};

use super::SdkRetry;

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
    /// The DAX cluster's nodes (priced only when `dax` is set).
    pub dax_nodes: DaxNodes,
    /// SDK retries of the calls to it (`model::sdk_retry`); a function's
    /// own `sdk_retry` takes precedence ([`SdkRetry::for_call`]).
    pub sdk_retry: SdkRetry,
    /// Table size \[GB\] (for storage cost); `None`: not given, storage
    /// is listed as not priced.
    pub size_gb: Option<f64>,
}

/// The nodes of a DAX cluster (for cost; the cache's behaviour is
/// [`Dax`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DaxNodes {
    /// Node type, one of [`DAX_NODE_TYPES`].
    pub node_type: String,
    /// Nodes in the cluster (1 primary + replicas), 1..=[`MAX_DAX_NODES`].
    pub count: u32,
}

/// DAX node types slsim has prices for (aws-facts 10.1, "Node types" and
/// "On-demand price per node-hour"): the burstable t3 (dev/test) and the
/// r5 family. t2 and r4 are still accepted by AWS but unpriced here.
pub const DAX_NODE_TYPES: &[&str] = &[
    "dax.t3.small",
    "dax.t3.medium",
    "dax.r5.large",
    "dax.r5.xlarge",
    "dax.r5.2xlarge",
    "dax.r5.4xlarge",
    "dax.r5.8xlarge",
    "dax.r5.12xlarge",
    "dax.r5.16xlarge",
    "dax.r5.24xlarge",
];
/// Default DAX node type: the smallest node AWS rates for throughput
/// (75,000 normalized requests/s, aws-facts 10.1 "Per-node capacity"); the
/// t3 nodes are burstable and meant for dev/test (aws-facts 10.1 "Node
/// types"). A choice of slsim's \[A\].
pub const DEFAULT_DAX_NODE_TYPE: &str = "dax.r5.large";
/// Default DAX nodes: AWS recommends at least 3 in different Availability
/// Zones for production (aws-facts 10.1 "Production sizing").
pub const DEFAULT_DAX_NODES: u32 = 3;
/// Most DAX nodes in a cluster: 1 primary + 10 replicas (aws-facts 10.1
/// "Production sizing").
pub const MAX_DAX_NODES: u32 = 11;
/// Largest `size_gb` accepted \[GB\] (1 PB): slsim's sanity bound; AWS
/// sets no table size limit.
pub const MAX_TABLE_SIZE_GB: f64 = 1e6;

impl Default for DaxNodes {
    fn default() -> Self {
        Self {
            node_type: DEFAULT_DAX_NODE_TYPE.into(),
            count: DEFAULT_DAX_NODES,
        }
    }
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

/// Default on-demand previous read peak \[RRU/s\]: a new table serves up to
/// 12,000 read units at once, i.e. twice 6,000 (aws-facts 5.3).
pub const DEFAULT_INITIAL_READ_PEAK: f64 = 6000.0;
/// Default on-demand previous write peak \[WRU/s\]: 4,000 write units, twice
/// 2,000 (aws-facts 5.3).
pub const DEFAULT_INITIAL_WRITE_PEAK: f64 = 2000.0;
/// Default burst credit \[s of capacity\] (aws-facts 5.2: 300 s).
pub const DEFAULT_BURST_SECONDS: f64 = 300.0;
/// DAX item-cache TTL default \[ns\] (aws-facts 5.5: 5 min).
pub const DEFAULT_DAX_TTL: SimDuration = 300 * SECONDS;

impl Table {
    /// Default read latency: a lognormal with median 4 ms and p99 12 ms. An
    /// assumption: AWS says "single-digit milliseconds" (aws-facts 5.4).
    pub fn default_read_latency() -> Dist {
        Dist::lognormal_median_p99(0.004, 0.012)
    }

    /// Default write latency: median 6 ms, p99 18 ms (an assumption, as
    /// for reads).
    pub fn default_write_latency() -> Dist {
        Dist::lognormal_median_p99(0.006, 0.018)
    }

    /// A table with every setting at its default (as if the `[[table]]`
    /// gave only `name` and its capacity).
    pub fn new(name: &str, capacity: Capacity) -> Self {
        Self {
            name: name.into(),
            capacity,
            consistency: Consistency::Eventual,
            burst_seconds: DEFAULT_BURST_SECONDS,
            read_latency: Self::default_read_latency(),
            write_latency: Self::default_write_latency(),
            dax: None,
            dax_nodes: DaxNodes::default(),
            sdk_retry: SdkRetry::standard(),
            size_gb: None,
        }
    }
}

impl Dax {
    /// Default latency of a DAX hit: median 0.4 ms (an assumption: AWS says
    /// "microseconds", aws-facts 5.5).
    pub fn default_hit_latency() -> Dist {
        Dist::lognormal_median_sigma(0.0004, 0.3)
    }
}
