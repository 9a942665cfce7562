//! A function's steps, prepared for the hot path (compute scaled for the
//! memory's CPU share, calls resolved to indices and capacity units), and
//! the plan of an invocation's next stretch: the waits summed up to the
//! next call step, a failure or the end.
//!
//! Must not know: events, other kinds' state.

use rand::Rng;

use super::Function;
use crate::dist::Dist;
use crate::engine::SimDuration;
use crate::model::{self, Step};
use crate::services::bucket::BucketRequest;
use crate::services::external::ExternalRequest;
use crate::services::table::TableRequest;

/// One prepared step of an invocation.
#[derive(Clone, Debug)]
pub enum PreparedStep {
    /// Compute or I/O: a duration, compute already scaled for memory \[s\].
    Wait(Dist),
    /// Fails with this probability.
    Fail(f64),
    /// A DynamoDB request.
    Table(TableRequest),
    /// A synchronous invoke of another function.
    Invoke {
        /// Function index.
        func: u16,
    },
    /// A message sent to a queue.
    Send {
        /// Queue index.
        queue: u16,
        /// Message size \[KB\].
        size_kb: f32,
    },
    /// A message published to a topic.
    Publish {
        /// Topic index.
        topic: u16,
        /// Message size \[KB\].
        size_kb: f32,
    },
    /// An asynchronous invoke: the callee accepts the event, the caller
    /// goes on at once.
    InvokeAsync {
        /// Function index.
        func: u16,
    },
    /// An S3 request.
    Bucket(BucketRequest),
    /// A call to an external service.
    External(ExternalRequest),
    /// A PutRecords call to a Kinesis stream.
    PutRecords(crate::services::stream::StreamPut),
}

/// What the next stretch of an invocation is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plan {
    /// After `after` ns, start the call at step `step`.
    Call {
        /// Delay before the call \[ns\].
        after: SimDuration,
        /// Index of the call step.
        step: u16,
    },
    /// After `after` ns the invocation ends, with an error if `error`.
    Finish {
        /// Delay \[ns\].
        after: SimDuration,
        /// Whether it ends in a function error.
        error: bool,
    },
}

/// The steps of function `cfg`, prepared: compute scaled by its CPU share
/// `cpu` \[vCPU\], table calls in capacity units (`tables` gives their
/// consistency) with their key models.
pub fn prepare(cfg: &model::Lambda, tables: &[model::Table], cpu: f64) -> Vec<PreparedStep> {
    cfg.steps
        .iter()
        .map(|s| match s {
            Step::Compute { dist, threads } => {
                PreparedStep::Wait(dist.scaled(1.0 / cpu.min(*threads)))
            }
            Step::Io(d) => PreparedStep::Wait(d.clone()),
            Step::Fail(p) => PreparedStep::Fail(*p),
            Step::Table {
                table,
                op,
                items,
                item_kb,
                keys,
                transactional,
                index,
            } => PreparedStep::Table(TableRequest::new(
                tables,
                *table,
                *op,
                *items,
                *item_kb,
                *keys,
                *transactional,
                *index,
            )),
            Step::Invoke { lambda } => PreparedStep::Invoke {
                func: *lambda as u16,
            },
            Step::Send { queue, size_kb } => PreparedStep::Send {
                queue: *queue as u16,
                size_kb: *size_kb as f32,
            },
            Step::Publish { topic, size_kb } => PreparedStep::Publish {
                topic: *topic as u16,
                size_kb: *size_kb as f32,
            },
            Step::InvokeAsync { lambda } => PreparedStep::InvokeAsync {
                func: *lambda as u16,
            },
            Step::Bucket {
                bucket,
                op,
                size_kb,
                prefixes,
            } => PreparedStep::Bucket(BucketRequest::new(*bucket, *op, *size_kb, *prefixes)),
            // The SDK client's slot is set by `Lambdas::build`.
            Step::External { service } => PreparedStep::External(ExternalRequest {
                service: *service as u16,
                slot: 0,
            }),
            // The SDK client's slot is set by `Lambdas::build`.
            Step::PutRecords(p) => PreparedStep::PutRecords(crate::services::stream::StreamPut {
                stream: p.stream as u16,
                records: p.records as u16,
                kb: p.size_kb as f32,
                keys: p.keys,
                slot: 0,
            }),
        })
        .collect()
}

impl Function {
    /// Whether some step runs once per record (then an invocation by a
    /// batch keeps its record count).
    #[inline]
    pub fn has_per_record(&self) -> bool {
        !self.per_record.is_empty()
    }

    /// Whether step `step` runs once per record of the invoking batch.
    #[inline]
    pub fn is_per_record(&self, step: u16) -> bool {
        self.per_record.get(step as usize).copied().unwrap_or(false)
    }

    /// Plans the invocation from step `from`: sums compute and I/O until a
    /// call step, a failure or the end (one record: a per-record step runs
    /// once).
    #[inline]
    pub fn plan(&mut self, from: usize) -> Plan {
        self.stretch::<false>(from, 1)
    }

    /// [`Function::plan`] for an invocation by a batch of `records` (> 1):
    /// a per-record compute or I/O step lasts one draw per record, summed.
    #[inline]
    pub fn plan_batch(&mut self, from: usize, records: u16) -> Plan {
        self.stretch::<true>(from, records)
    }

    /// The plan; `BATCH`: whether per-record waits draw `records` times
    /// (a constant, so that `plan` has no test for them).
    #[inline(always)]
    fn stretch<const BATCH: bool>(&mut self, from: usize, records: u16) -> Plan {
        let mut after: SimDuration = 0;
        for (i, step) in self.steps.iter().enumerate().skip(from) {
            match step {
                PreparedStep::Wait(d) if BATCH && self.is_per_record(i as u16) => {
                    for _ in 0..records {
                        after = after.saturating_add(d.sample_ns(&mut self.rng));
                    }
                }
                PreparedStep::Wait(d) => after = after.saturating_add(d.sample_ns(&mut self.rng)),
                PreparedStep::Fail(p) => {
                    if self.rng.random::<f64>() < *p {
                        return Plan::Finish { after, error: true };
                    }
                }
                PreparedStep::Table(_)
                | PreparedStep::Invoke { .. }
                | PreparedStep::Send { .. }
                | PreparedStep::Publish { .. }
                | PreparedStep::InvokeAsync { .. }
                | PreparedStep::Bucket(_)
                | PreparedStep::External(_)
                | PreparedStep::PutRecords(_) => {
                    return Plan::Call {
                        after,
                        step: i as u16,
                    }
                }
            }
        }
        Plan::Finish {
            after,
            error: false,
        }
    }
}
