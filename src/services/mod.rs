//! One module per AWS service kind, plus the vocabulary they share: the
//! closed [`Event`] enum, call frames and [`Outcome`]s.
//!
//! A request is a chain of *frames*: the client's request, an API Gateway
//! call, a Lambda invocation, a DynamoDB request. Each frame lives in one
//! slab ([`Frames`]) and knows its parent; when a frame finishes it delivers
//! an [`Outcome`] to its parent. Frames carry a generation so that events
//! for a frame that has already finished (a timer, a late reply after a
//! timeout) are recognised and dropped.
//!
//! Components own their state and decisions; they never touch the event
//! queue directly but return what should happen next, and the simulation
//! (`sim`) routes effects between them.

pub mod api_gateway;
pub mod client;
pub mod deadlines;
pub mod frames;
pub mod lambda;
pub mod table;
pub mod token_bucket;

pub use frames::{Frame, FrameRef, FrameState, Frames};

/// How a call ended, as its caller sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Outcome {
    /// Success.
    Ok,
    /// Rejected by API Gateway's token bucket (429).
    ApiThrottled,
    /// Lambda had no concurrency or scaling room (429 to a direct caller,
    /// 500 through API Gateway).
    FunctionThrottled,
    /// The function raised an error (502 through API Gateway).
    FunctionError,
    /// The function hit its timeout (502 through API Gateway).
    FunctionTimeout,
    /// API Gateway's integration timeout expired (504).
    GatewayTimeout,
}

impl Outcome {
    /// Every outcome, in reporting order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Ok,
        Outcome::ApiThrottled,
        Outcome::FunctionThrottled,
        Outcome::FunctionError,
        Outcome::FunctionTimeout,
        Outcome::GatewayTimeout,
    ];

    /// The HTTP status API Gateway returns for this outcome (aws-facts §4:
    /// throttle 429, Lambda throttle 500, function error 502, timeout 504).
    pub fn api_status(self) -> u16 {
        match self {
            Outcome::Ok => 200,
            Outcome::ApiThrottled => 429,
            Outcome::FunctionThrottled => 500,
            Outcome::FunctionError | Outcome::FunctionTimeout => 502,
            Outcome::GatewayTimeout => 504,
        }
    }

    /// The name used for direct (non-API) callers.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::ApiThrottled => "api_throttled",
            Outcome::FunctionThrottled => "throttled",
            Outcome::FunctionError => "function_error",
            Outcome::FunctionTimeout => "function_timeout",
            Outcome::GatewayTimeout => "gateway_timeout",
        }
    }

    /// The end state a client counts this outcome as.
    pub fn end_state(self) -> EndState {
        match self {
            Outcome::Ok => EndState::Succeeded,
            Outcome::ApiThrottled | Outcome::FunctionThrottled => EndState::Throttled,
            Outcome::FunctionError => EndState::Failed,
            Outcome::FunctionTimeout | Outcome::GatewayTimeout => EndState::TimedOut,
        }
    }
}

/// The terminal states of a request (plus "in flight" at the end of a run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndState {
    /// 2xx.
    Succeeded,
    /// Throttled somewhere.
    Throttled,
    /// An error.
    Failed,
    /// A timeout.
    TimedOut,
}

/// Everything that can happen. Small (16 bytes) and `Copy`: the heap entry
/// is 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next request of workload `.0` arrives.
    Arrival(u16),
    /// A frame's pending work is done: continue it.
    Step(FrameRef),
    /// An invocation's deadline falls inside its current compute/I/O stretch.
    Timeout(FrameRef),
    /// Function `.0`'s keep-alive timer: expire environments idle too long.
    KeepAlive(u16),
    /// Function `.0`'s deadline timer: time out invocations stuck in calls.
    Deadline(u16),
    /// API `.0`'s integration-timeout timer.
    ApiDeadline(u16),
    /// Function `.0`'s provisioned environment `.1` finished re-initialising.
    EnvReady(u16, u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_is_small() {
        assert!(std::mem::size_of::<Event>() <= 16);
    }
}
