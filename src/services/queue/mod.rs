//! Amazon SQS queues and the Lambda event source mappings (ESM) that poll
//! them.
//!
//! A message is sent (by a function's send step or a workload), becomes
//! visible after the queue's `delay` plus a `latency` draw, is received by
//! a mapping's poller into a batch (in flight, invisible), and is then
//! deleted (the function succeeded), or becomes visible again one
//! visibility timeout after its receive (the function failed, timed out or
//! was throttled), or moves to the dead-letter queue once it was received
//! `max_receive_count` times, or expires `retention` after it was sent.
//! FIFO queues keep one batch in flight per message group and deliver a
//! group in order. Sources: aws-facts 2 (SQS and ESM rows, cited where
//! used); the model and its assumptions: `docs/model.md`.
//!
//! `store.rs` owns a queue's messages (where each one is, the counts);
//! `fifo.rs` the message groups of a FIFO queue; `esm.rs` a mapping's
//! concurrency (start, ramp, scale-down); `flow.rs` the events; this file
//! the frames (a batch, a send) and the pooled message lists.
//! Must not know: TOML, files.

pub mod cost;
mod esm;
mod fifo;
mod flow;
mod stats;
mod store;

pub use esm::Mapping;
pub use flow::{enqueue, send, DUE, EXPIRE, POLL, RAMP, SAMPLE, SHRINK};
pub use stats::{QueueStats, Requests, WaitSummary};
pub use store::{Came, SqsQueue};

use crate::engine::SimTime;
use crate::metrics::SeriesId;
use crate::services::registry::index_by;

/// Counters over the measured window (flows of messages sent in it;
/// requests made in it).
#[derive(Clone, Debug, Default)]
pub struct QueueCounters {
    /// Messages sent (or moved in from a redrive).
    pub sent: u64,
    /// Receives (a message received three times counts three).
    pub received: u64,
    /// Messages deleted after a successful batch.
    pub deleted: u64,
    /// Messages moved to the dead-letter queue.
    pub dead_lettered: u64,
    /// Messages that outlived the retention period.
    pub expired: u64,
    /// Messages whose first receive came after they became visible.
    pub waited: u64,
    /// Batches handed to a function.
    pub batches: u64,
    /// Messages in those batches.
    pub batch_messages: u64,
    /// Batches whose invocation failed or timed out.
    pub failed_batches: u64,
    /// Batches whose invocation was throttled.
    pub throttled_batches: u64,
    /// FIFO: messages deleted before an earlier one of their group.
    pub out_of_order: u64,
    /// Billed requests.
    pub requests: Requests,
}

/// Time-series handles of a queue.
#[derive(Clone, Copy, Debug)]
pub struct QueueSeries {
    /// Messages sent per interval.
    pub sent: SeriesId,
    /// First receives per interval.
    pub first_receives: SeriesId,
    /// Of which waited for a poller.
    pub waited: SeriesId,
    /// Sum of their waits (send to first receive) per interval \[s\].
    pub wait_s_sum: SeriesId,
    /// Age of the oldest visible message, maximum per interval \[s\].
    pub oldest_age_s: SeriesId,
}

/// A batch in progress (its frame): received messages on their way to a
/// function.
#[derive(Clone, Copy, Debug)]
pub struct Batch {
    /// Queue index.
    pub queue: u16,
    /// Mapping index in the queue's `mappings`.
    pub mapping: u16,
    /// Its message list in the pool.
    pub list: u32,
    /// FIFO: the group it holds.
    pub group: u32,
    /// What it waits for.
    pub phase: Phase,
    /// When its pending `Step` is due (window end, back-off end) \[ns\].
    pub wake: SimTime,
}

/// What a batch waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Its batching window: more messages may join.
    Filling,
    /// The function's answer.
    Invoked,
    /// Its poller's back-off after a throttle (the slot stays taken).
    Backoff,
}

/// A send whose `send_latency` is running (its frame).
#[derive(Clone, Copy, Debug)]
pub struct Sending {
    /// Queue index.
    pub queue: u16,
}

/// Pooled message lists of batches (no allocation per batch once grown).
#[derive(Debug, Default)]
pub struct Lists {
    lists: Vec<Vec<u32>>,
    free: Vec<u32>,
}

impl Lists {
    /// An empty list.
    pub fn take(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.lists.push(Vec::new());
            (self.lists.len() - 1) as u32
        })
    }

    /// Gives a list back (emptied).
    pub fn give(&mut self, i: u32) {
        self.lists[i as usize].clear();
        self.free.push(i);
    }

    /// The list.
    pub fn get(&mut self, i: u32) -> &mut Vec<u32> {
        &mut self.lists[i as usize]
    }

    fn footprint(&self) -> usize {
        self.lists
            .iter()
            .map(|l| l.capacity() * 4 + 24)
            .sum::<usize>()
            + self.free.capacity() * 4
    }
}

/// Every queue.
pub struct Queues {
    /// In model order.
    pub list: Vec<SqsQueue>,
    /// Message lists of batches.
    pub lists: Lists,
}

index_by!(Queues, list, SqsQueue);
