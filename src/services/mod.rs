//! One folder per AWS service kind, and the one list of kinds that turns
//! them into a world: the closed [`Event`] enum, [`Kind`], the frame states,
//! [`World`] and its dispatch, [`Sections`] of the result.
//!
//! A request is a chain of *frames*: the client's request, an API Gateway
//! call, a Lambda invocation, a DynamoDB request. Each frame lives in one
//! slab ([`Frames`]) and knows its parent; when a frame finishes it delivers
//! an [`Outcome`] to its parent. Frames carry a generation so that events
//! for a frame that has already finished (a timer, a late reply after a
//! timeout) are recognised and dropped. A handle ([`FrameRef`]) also
//! carries the kind that owns its frame, so that an event or a reply goes
//! to that kind's handler without reading the slab first.
//!
//! Each kind's folder holds its runtime state and decisions (`mod.rs`: plain
//! methods that return what should happen), its part of the event flow
//! (`flow.rs`: the only code that schedules events for it), its figures and
//! text rows (`stats.rs`) and, when billed, its bill (`cost.rs`). Adding a
//! kind means a folder and one line in the list below.
//!
//! Must not know: TOML, files, the CLI.

pub mod api_gateway;
pub mod bucket;
pub mod cache;
pub mod caches;
pub mod cdn;
pub mod client;
pub mod deadlines;
pub mod external;
pub mod findings;
pub mod frames;
pub mod lambda;
pub mod queue;
pub mod schedule;
pub mod sdk_retry;
pub mod stream;
pub mod table;
pub mod token_bucket;
pub mod topic;

mod outcome;
mod registry;

pub use findings::{Finding, FindingsCx};
pub use frames::{Frame, FrameRef, Frames};
pub use outcome::{Cause, End, Outcome};
pub use registry::{Build, Collect, Service};

use indexmap::IndexMap;
use serde::Serialize;

use crate::cost::{Bill, Pricing};
use crate::engine::{Scheduler, SimDuration, SimTime};
use crate::metrics::SeriesRecorder;
use crate::model::Scenario;

registry::services! {
    Workload { field: clients, service: client::Clients, frames: [Request(client::Request)], section: workloads },
    Api { field: apis, service: api_gateway::Apis, frames: [ApiCall(api_gateway::ApiCall)], section: apis },
    Lambda { field: lambdas, service: lambda::Lambdas, frames: [Invocation(lambda::Invocation), AsyncEvent(lambda::AsyncEvent)], section: functions },
    Table { field: tables, service: table::Tables, frames: [TableCall(table::TableCall)], section: tables },
    Queue { field: queues, service: queue::Queues, frames: [Batch(queue::Batch), Sending(queue::Sending)], section: queues },
    Topic { field: topics, service: topic::Topics, frames: [Delivery(topic::Delivery), Publishing(topic::Publishing)], section: topics },
    Bucket { field: buckets, service: bucket::Buckets, frames: [BucketCall(bucket::BucketCall), Notice(bucket::Notice)], section: buckets },
    External { field: externals, service: external::Externals, frames: [ExternalCall(external::ExternalCall)], section: services },
    Schedule { field: schedules, service: schedule::Schedules, frames: [Firing(schedule::Firing)], section: schedules },
    Stream { field: streams, service: stream::Streams, frames: [PutCall(stream::PutCall), StreamBatch(stream::StreamBatch)], section: streams },
    Cdn { field: cdns, service: cdn::Cdns, frames: [CdnCall(cdn::CdnCall)], section: cdns },
}

/// The scheduler the flows schedule through.
pub type Cx = Scheduler<Event>;

/// Everything that can happen. Small and `Copy`: a heap entry is 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A frame's pending work is done: continue it.
    Step(FrameRef),
    /// A frame's deadline falls inside its pending work.
    Expire(FrameRef),
    /// A kind's timer (arrivals, keep-alive, deadline queues, ...).
    Timer(Timer),
}

/// A timer of one component: which kind, which of the kind's timers
/// (`what`), which component (`index`) and a kind-defined argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timer {
    /// The kind that handles it.
    pub kind: Kind,
    /// Which of the kind's timers.
    pub what: u8,
    /// Component index.
    pub index: u16,
    /// Kind-defined (e.g. an environment).
    pub arg: u32,
}

impl Timer {
    /// A timer event.
    #[inline]
    pub fn event(kind: Kind, what: u8, index: usize, arg: u32) -> Event {
        Event::Timer(Timer {
            kind,
            what,
            index: index as u16,
            arg,
        })
    }
}

// The event stays within 16 bytes (the heap entry within 32).
const _: () = assert!(std::mem::size_of::<Event>() <= 16);
