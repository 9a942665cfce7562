//! `[[table]]`: a DynamoDB table, DAX in front of it, and the SDK's retries.

use crate::dist::keys::Keys;
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
    /// Table size \[GB\] (for storage cost and the partition count);
    /// `None`: not given, storage is listed as not priced.
    pub size_gb: Option<f64>,
    /// Partitions set explicitly (`partitions = N`); `None`: derived from
    /// the capacity, the warm throughput and the size
    /// ([`Table::derived_partitions`]).
    pub partitions: Option<u32>,
    /// Adaptive capacity (AWS: always on): a hot partition may use the
    /// table's unused capacity up to the partition maximum, and partitions
    /// split for heat. `false` gives each partition an equal share (for
    /// teaching).
    pub adaptive_capacity: bool,
    /// Warm throughput \[units/s\] (reads, writes): what the table serves
    /// at once. Pre-creates partitions in both modes; on demand, it also
    /// raises the starting capacity above twice the previous peak.
    pub warm: (Option<f64>, Option<f64>),
    /// On-demand maximum throughput \[units/s\] (reads, writes): the
    /// per-table quota, or a lower configured maximum.
    pub max_units: (f64, f64),
    /// Global secondary indexes.
    pub gsis: Vec<Gsi>,
    /// Auto scaling of the provisioned capacity; `None`: fixed.
    pub auto_scaling: Option<AutoScaling>,
    /// A DynamoDB stream (`stream = true`): every successful write adds
    /// one record to it, one shard per partition at the start.
    pub stream: bool,
    /// A global table's replicas in other Regions (`replicas`,
    /// `replication_lag`); `None`: a single-Region table.
    pub global: Option<super::geo::GlobalTable>,
}

/// A global secondary index.
#[derive(Clone, Debug)]
pub struct Gsi {
    /// Name, unique in its table.
    pub name: String,
    /// Its own provisioned capacity, or on-demand (the table's mode).
    pub capacity: Capacity,
    /// What each index entry holds.
    pub projection: GsiProjection,
    /// Popularity of the index's partition key (an attribute of each
    /// item: the same item always has the same index key).
    pub keys: Keys,
    /// Partitions set explicitly; `None`: derived from its capacity.
    pub partitions: Option<u32>,
    /// Auto scaling of its provisioned capacity (its own, not the
    /// table's); `None`: fixed.
    pub auto_scaling: Option<AutoScaling>,
}

/// DynamoDB auto scaling of a provisioned table or GSI: Application Auto
/// Scaling's target tracking, one policy per direction with the same
/// target (docs/model.md, "Auto scaling").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AutoScaling {
    /// Target utilisation, consumed / provisioned \[fraction,
    /// [`MIN_TARGET_UTILISATION`]..=[`MAX_TARGET_UTILISATION`]\].
    pub target: f64,
    /// Least capacity \[units/s\] (reads, writes).
    pub min: (f64, f64),
    /// Most capacity \[units/s\] (reads, writes), at most the per-table
    /// quota.
    pub max: (f64, f64),
    /// From the alarm to the new capacity taking effect \[ns\].
    pub update_delay: SimDuration,
    /// Clock time of t = 0, read as UTC \[ns after midnight\]: where the
    /// UTC days of the decrease quota begin. Validation copies
    /// `[simulation] start` here; a model built in code sets it itself.
    pub clock: SimDuration,
}

/// Default auto-scaling target: 70 % (aws-facts 5.2, "Auto scaling target
/// utilization": the console's default).
pub const DEFAULT_TARGET_UTILISATION: f64 = 0.70;
/// Lowest target AWS accepts: 20 % (aws-facts 5.2).
pub const MIN_TARGET_UTILISATION: f64 = 0.20;
/// Highest target AWS accepts: 90 % (aws-facts 5.2).
pub const MAX_TARGET_UTILISATION: f64 = 0.90;
/// Scale-out alarm: this many consecutive minutes with consumption above
/// the target (aws-facts 5.2 "Auto scaling reaction", 10.14 "Alarm
/// timing").
pub const SCALE_OUT_MINUTES: u32 = 2;
/// Scale-in alarm: this many consecutive minutes below the target less
/// [`SCALE_IN_MARGIN`] (aws-facts 5.2, 10.14).
pub const SCALE_IN_MINUTES: u32 = 15;
/// The scale-in alarm's threshold lies this far below the target: 20
/// points (aws-facts 10.14).
pub const SCALE_IN_MARGIN: f64 = 0.20;
/// Decreases allowed within one hour of a UTC day's first decrease
/// (aws-facts 5.2, "Provisioned decreases per day"; DynamoDB developer
/// guide `ServiceQuotas.md`).
pub const DECREASES_FIRST_HOUR: u32 = 4;
/// After those, one decrease when none happened in the preceding hour
/// \[ns\] (aws-facts 5.2: up to 27 a day).
pub const DECREASE_SPACING: SimDuration = 3600 * SECONDS;
/// Default minimum capacity \[units/s\]: 1, the lowest provisioned
/// capacity \[A\] (AWS's RegisterScalableTarget has no default).
pub const DEFAULT_AUTO_SCALING_MIN: f64 = 1.0;
/// Default maximum capacity \[units/s\]: the per-table quota of 40,000
/// (aws-facts 5.1) \[A\].
pub const DEFAULT_AUTO_SCALING_MAX: f64 = 40_000.0;
/// Default delay from the alarm to the new capacity \[ns\]: one minute
/// \[A\]. AWS publishes neither how long CloudWatch takes to deliver a
/// minute's datapoint nor how long the UpdateTable takes (aws-facts 8,
/// "UpdateTable time, UNCONFIRMED"); one minute, the alarms' own period,
/// stands for both.
pub const DEFAULT_UPDATE_DELAY: SimDuration = 60 * SECONDS;
/// Longest `update_delay` accepted \[ns\]: one hour, slsim's bound \[A\].
pub const MAX_UPDATE_DELAY: SimDuration = 3600 * SECONDS;

impl AutoScaling {
    /// A policy with `target` \[fraction\] and every other setting at its
    /// default (the clock at midnight).
    pub fn new(target: f64) -> Self {
        Self {
            target,
            min: (DEFAULT_AUTO_SCALING_MIN, DEFAULT_AUTO_SCALING_MIN),
            max: (DEFAULT_AUTO_SCALING_MAX, DEFAULT_AUTO_SCALING_MAX),
            update_delay: DEFAULT_UPDATE_DELAY,
            clock: 0,
        }
    }
}

/// The attributes a GSI copies from each item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GsiProjection {
    /// The whole item (`projection = "all"`).
    All,
    /// The table's and the index's keys only (`"keys"`): under 1 KB, so
    /// one write unit per item.
    KeysOnly,
    /// This many KB of each item \[KB\] (at most the item).
    Kb(f64),
}

impl GsiProjection {
    /// Size of the index entry of an item of `item_kb` \[KB\].
    pub fn entry_kb(self, item_kb: f64) -> f64 {
        match self {
            GsiProjection::All => item_kb,
            GsiProjection::KeysOnly => 0.0,
            GsiProjection::Kb(kb) => kb.min(item_kb),
        }
    }
}

/// Most read units one partition serves per second (aws-facts 5.1,
/// "Per-partition maximum").
pub const PARTITION_MAX_RCU: f64 = 3000.0;
/// Most write units one partition serves per second (aws-facts 5.1).
pub const PARTITION_MAX_WCU: f64 = 1000.0;
/// Data one partition holds before it splits \[GB\] (aws-facts 10.14,
/// "Partition splits").
pub const PARTITION_MAX_GB: f64 = 10.0;
/// Most partitions of a table or index, explicit, derived or after
/// splits: slsim's bound \[A\] (a 1 PB table at 10 GB each).
pub const MAX_PARTITIONS: u32 = 100_000;
/// Default on-demand maximum of each direction \[units/s\]: the per-table
/// quota of 40,000 read and 40,000 write units (aws-facts 5.1, 10.14).
pub const DEFAULT_MAX_UNITS: f64 = 40_000.0;
/// Largest `max_read_units` / `max_write_units` / warm throughput accepted
/// \[units/s\]: the quota is raisable on request; slsim's bound \[A\].
pub const MAX_RAISED_UNITS: f64 = 1_000_000.0;
/// Most distinct keys of a key model (`n`): exact in a double; slsim's
/// bound \[A\].
pub const MAX_KEYS: f64 = 1e12;
/// Largest Zipf exponent `s`: beyond 10 nearly every request uses the top
/// key; slsim's bound \[A\].
pub const MAX_ZIPF_S: f64 = 10.0;
/// Most GSIs per table (AWS's default quota is 20; slsim's bound).
pub const MAX_GSIS: usize = 20;
/// Split for heat \[A\]: a partition whose use stayed at or above this
/// fraction of its maximum ...
pub const HEAT_FRACTION: f64 = 0.8;
/// ... for this many consecutive seconds \[A\]: AWS does not publish the
/// delay, "minutes" of sustained load (aws-facts 10.14, "split for heat") ...
pub const HEAT_SECONDS: u32 = 300;
/// ... splits at the middle of its key range, when the lighter half
/// carried at least this share of the demand \[A\]: a split would not help a
/// single hot key, which can never exceed one partition's maximum.
pub const HEAT_MIN_SHARE: f64 = 0.1;

/// Partitions for a throughput of `read` and `write` units per second and
/// `size_gb` of data: ceil(read / 3,000 + write / 1,000) against
/// ceil(size / 10 GB), the larger (at least 1, at most
/// [`MAX_PARTITIONS`]). The classic sizing rule of the per-partition limits
/// (aws-facts 5.1).
pub fn partitions_for(read: f64, write: f64, size_gb: f64) -> u32 {
    let by_throughput = (read / PARTITION_MAX_RCU + write / PARTITION_MAX_WCU - 1e-9).ceil();
    let by_size = (size_gb / PARTITION_MAX_GB - 1e-9).ceil();
    by_throughput
        .max(by_size)
        .clamp(1.0, f64::from(MAX_PARTITIONS)) as u32
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
    /// `Some`: this fraction of eventually consistent reads is answered
    /// from the cache (the hit ratio is an input). `None`: the hit ratio
    /// emerges from the calls' key models and the TTLs: a GetItem hits
    /// when its item was fetched or written through within `ttl`, a Query
    /// or Scan when the same query was answered within `query_ttl`
    /// (`services::cache`, docs/model.md "Caches").
    pub hit_ratio: Option<f64>,
    /// Item cache TTL (`record-ttl-millis`) \[ns\].
    pub ttl: SimDuration,
    /// Query cache TTL (`query-ttl-millis`) \[ns\].
    pub query_ttl: SimDuration,
    /// Latency of a cache hit \[s\].
    pub hit_latency: Dist,
}

/// Default on-demand previous read peak \[RRU/s\]: a new table serves up to
/// 12,000 read units at once, i.e. twice 6,000 (aws-facts 5.3).
pub const DEFAULT_INITIAL_READ_PEAK: f64 = 6000.0;
/// Default on-demand previous write peak \[WRU/s\]: 4,000 write units, twice
/// 2,000 (aws-facts 5.3).
pub const DEFAULT_INITIAL_WRITE_PEAK: f64 = 2000.0;
/// How long on demand waits before its previous peak follows traffic
/// \[ns\]: capacity beyond twice the previous peak may throttle within 30
/// minutes (aws-facts 5.3, "Growth beyond 2x").
pub const ON_DEMAND_PEAK_WINDOW: SimDuration = 30 * 60 * SECONDS;
/// Default burst credit \[s of capacity\] (aws-facts 5.2: 300 s).
pub const DEFAULT_BURST_SECONDS: f64 = 300.0;
/// DAX item-cache TTL default \[ns\] (aws-facts 5.5: 5 min; 10.1:
/// `record-ttl-millis` 300,000 ms).
pub const DEFAULT_DAX_TTL: SimDuration = 300 * SECONDS;
/// Longest DAX TTL slsim accepts \[ns\]: 30 days **\[A\]** (AWS publishes
/// no maximum; a longer TTL keeps items for the whole of any run).
pub const MAX_DAX_TTL: SimDuration = 30 * 86_400 * SECONDS;
/// DAX query-cache TTL default \[ns\] (aws-facts 10.1: `query-ttl-millis`
/// 300,000 ms).
pub const DEFAULT_DAX_QUERY_TTL: SimDuration = 300 * SECONDS;

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
            partitions: None,
            adaptive_capacity: true,
            warm: (None, None),
            max_units: (DEFAULT_MAX_UNITS, DEFAULT_MAX_UNITS),
            gsis: Vec::new(),
            auto_scaling: None,
            stream: false,
            global: None,
        }
    }

    /// The throughput the table serves at once \[units/s\] (reads,
    /// writes): provisioned, its capacity (or the warm throughput if
    /// higher); on demand, twice the previous peak or the warm throughput,
    /// whichever is higher, within the maximum (at least 1 unit/s).
    pub fn warm_throughput(&self) -> (f64, f64) {
        let (wr, ww) = (self.warm.0.unwrap_or(0.0), self.warm.1.unwrap_or(0.0));
        match self.capacity {
            Capacity::Provisioned { rcu, wcu } => (rcu.max(wr), wcu.max(ww)),
            Capacity::OnDemand {
                initial_read_peak,
                initial_write_peak,
            } => (
                (2.0 * initial_read_peak)
                    .max(wr)
                    .min(self.max_units.0)
                    .max(1.0),
                (2.0 * initial_write_peak)
                    .max(ww)
                    .min(self.max_units.1)
                    .max(1.0),
            ),
        }
    }

    /// Partitions at the start: `partitions` if set, else
    /// [`partitions_for`] the warm throughput and the size.
    pub fn derived_partitions(&self) -> u32 {
        self.partitions.unwrap_or_else(|| {
            let (r, w) = self.warm_throughput();
            partitions_for(r, w, self.size_gb.unwrap_or(0.0))
        })
    }
}

impl Gsi {
    /// An index projecting the whole item, keys uniform over many values,
    /// with `capacity` (for a provisioned table, the table's by default).
    pub fn new(name: &str, capacity: Capacity) -> Self {
        Self {
            name: name.into(),
            capacity,
            projection: GsiProjection::All,
            keys: Keys::Many,
            partitions: None,
            auto_scaling: None,
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
