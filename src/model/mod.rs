//! The validated, typed scenario: what the simulator runs.
//!
//! Owns: one file per service kind with its typed settings, the defaults
//! taken from AWS's documentation (each with its source) and every bound on
//! a number ([`limits`]). Must not know: TOML (the `scenario` module builds
//! a model from a file; tests and benches build one in code from the same
//! defaults).
//!
//! Everything here has passed validation: names are unique, references are
//! resolved to indices into the per-kind vectors, and numbers are in range.
//! Times are nanoseconds, rates per second, sizes in their named unit.

pub mod api;
pub mod bucket;
pub mod cdn;
pub mod cost;
pub mod geo;
pub mod lambda;
pub mod limits;
pub mod metrics;
pub mod queue;
pub mod schedule;
pub mod sdk_retry;
pub mod service;
pub mod simulation;
pub mod slo;
pub mod stream;
pub mod sweep;
pub mod table;
pub mod timeline;
pub mod topic;
pub mod workload;

pub use api::*;
pub use bucket::{Bucket, BucketEvent, BucketOp, Notify};
pub use cdn::{Cdn, CdnOrigin};
pub use cost::{CostSettings, Projection};
pub use lambda::*;
pub use queue::{Queue, QueueType, Redrive, Trigger};
pub use schedule::{Schedule, ScheduleType, When};
pub use sdk_retry::{
    Jitter, RetryQuota, SdkRetry, SdkRetryMode, MAX_RETRY_QUOTA, MAX_SDK_ATTEMPTS,
};
pub use service::ExternalService;
pub use simulation::*;
pub use slo::{Bound, Direction, MetricPath, Objective, Slo};
pub use stream::{OnFailure, PutRecords, Stream, StreamMode, StreamSource, StreamTrigger};
pub use table::*;
pub use timeline::Timeline;
pub use topic::{Endpoint, Subscription, Topic};
pub use workload::*;

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
    /// `[[queue]]`, in file order.
    pub queues: Vec<Queue>,
    /// `[[topic]]`, in file order.
    pub topics: Vec<Topic>,
    /// `[[bucket]]`, in file order.
    pub buckets: Vec<Bucket>,
    /// `[[service]]`, in file order.
    pub services: Vec<ExternalService>,
    /// `[[schedule]]`, in file order.
    pub schedules: Vec<Schedule>,
    /// `[[stream]]`, in file order.
    pub streams: Vec<Stream>,
    /// `[[cdn]]`, in file order.
    pub cdns: Vec<Cdn>,
    /// `[[slo]]`, in file order: what every run must achieve.
    pub slos: Vec<Slo>,
    /// `[objective]`: what a search over settings optimises.
    pub objective: Option<Objective>,
    /// Warnings found by validation: the scenario runs, but probably not as
    /// meant (copied into the result's `warnings`).
    pub warnings: Vec<String>,
}

/// What a workload or a route sends its requests to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `[[api]]` index.
    Api(usize),
    /// `[[lambda]]` index (a direct synchronous invoke).
    Lambda(usize),
    /// `[[queue]]` index (a send; the request succeeds when it is accepted).
    Queue(usize),
    /// `[[topic]]` index (a publish; the request succeeds when it is
    /// accepted).
    Topic(usize),
    /// `[[bucket]]` index (a request with a presigned URL or temporary
    /// credentials; the workload's `routes` hold its operation mix, by
    /// [`BucketOp`] index).
    Bucket(usize),
    /// `[[cdn]]` index (through CloudFront to its origin; the workload's
    /// `routes` hold the origin's route or operation mix).
    Cdn(usize),
}
