//! A Lambda event source mapping's concurrency: how many batches it may
//! have in progress, and how that number moves.
//!
//! - Start: [`Trigger::initial`] (5, or `min_concurrency` if higher, never
//!   above the cap; aws-facts 2, "Initial pollers / concurrent batches").
//! - Scale-up: while messages wait and every slot is busy, one more slot
//!   every 200 ms (300 per minute, aws-facts 2 "New scale-up", applied
//!   continuously) up to the cap ([`Trigger::cap`]).
//! - Scale-down: an idle poller long-polls for 20 s (aws-facts 2, "Poller
//!   long-poll wait time": UNCONFIRMED, 20 s assumed); a long poll that
//!   comes back empty gives up its slot. Every 20 s the mapping drops the
//!   slots that stayed idle the whole 20 s, never below `min_concurrency`.
//! - No starvation: a mapping with no batch in progress that finds a
//!   message goes back to its initial concurrency at once (the pollers AWS
//!   keeps polling, aws-facts 2 "Low traffic": back to 5).
//!
//! Must not know: messages (the queue's store), events (the flow).

use std::collections::VecDeque;

use crate::engine::{SimDuration, SECONDS};
use crate::model::queue::ESM_SCALE_UP_PER_MINUTE;
use crate::model::Trigger;
use crate::services::FrameRef;

/// Time between two scale-up steps \[ns\]: 60 s / 300.
pub const RAMP_STEP: SimDuration = 60 * SECONDS / ESM_SCALE_UP_PER_MINUTE as u64;

/// One event source mapping (a function's trigger on this queue).
#[derive(Debug)]
pub struct Mapping {
    /// The function invoked (`[[lambda]]` index).
    pub func: usize,
    /// Most messages per batch.
    pub batch_size: u32,
    /// Batching window \[ns\].
    pub window: SimDuration,
    /// Only the failed messages of a batch return.
    pub item_failures: bool,
    /// The function's error probability (its `fail` steps), applied per
    /// message when `item_failures`.
    pub p_fail: f64,
    cap: u32,
    floor: u32,
    initial: u32,
    /// Concurrent batches allowed now.
    limit: u32,
    /// Batches in progress (slots taken).
    active: u32,
    /// Fewest idle slots since the last scale-down tick.
    min_idle: u32,
    /// Idle pollers last reported to the queue's level.
    billed: i64,
    /// A `RAMP` timer is pending.
    pub ramp_armed: bool,
    /// A `SHRINK` timer is pending.
    pub shrink_armed: bool,
    /// Batches whose window is open, oldest first.
    pub filling: VecDeque<FrameRef>,
}

impl Mapping {
    /// The mapping of `trigger` invoking function `func`, whose `fail`
    /// steps give `p_fail`.
    pub fn new(trigger: &Trigger, func: usize, p_fail: f64) -> Self {
        let initial = trigger.initial();
        Self {
            func,
            batch_size: trigger.batch_size.max(1),
            window: trigger.batch_window,
            item_failures: trigger.report_batch_item_failures,
            p_fail,
            cap: trigger.cap(),
            floor: trigger.min_concurrency.min(trigger.cap()),
            initial,
            limit: initial,
            active: 0,
            min_idle: initial,
            billed: 0,
            ramp_armed: false,
            shrink_armed: false,
            filling: VecDeque::new(),
        }
    }

    /// Bytes held.
    pub fn footprint(&self) -> usize {
        self.filling.capacity() * std::mem::size_of::<FrameRef>()
    }

    /// Batches in progress.
    pub fn active(&self) -> u32 {
        self.active
    }

    /// Concurrent batches allowed now.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Whether a new batch may start now (a mapping with none in progress
    /// goes back to its initial concurrency first).
    pub fn may_start(&mut self) -> bool {
        if self.active == 0 && self.limit < self.initial {
            self.limit = self.initial;
        }
        self.active < self.limit
    }

    /// A batch started.
    pub fn start(&mut self) {
        self.active += 1;
        self.min_idle = self.min_idle.min(self.limit - self.active);
    }

    /// A batch ended (its slot is free).
    pub fn end(&mut self) {
        self.active = self.active.saturating_sub(1);
    }

    /// Whether to scale up (in `RAMP_STEP`): messages wait, every slot
    /// is busy, below the cap, no step pending.
    pub fn wants_ramp(&self, waiting: bool) -> bool {
        waiting && self.active >= self.limit && self.limit < self.cap && !self.ramp_armed
    }

    /// One scale-up step, if still wanted.
    pub fn ramp(&mut self, waiting: bool) {
        if waiting && self.active >= self.limit && self.limit < self.cap {
            self.limit += 1;
        }
    }

    /// Whether a scale-down tick should be pending.
    pub fn wants_shrink(&self) -> bool {
        self.limit > self.floor && !self.shrink_armed
    }

    /// The scale-down tick: drops the slots idle since the last tick.
    pub fn shrink(&mut self) {
        let drop = self.min_idle.min(self.limit - self.floor.min(self.limit));
        self.limit -= drop;
        self.min_idle = self.limit - self.active.min(self.limit);
    }

    /// Change in idle pollers since the last call: the pollers polling are
    /// the slots allowed, and at least the initial ones (AWS keeps polling
    /// with them when it scales the batches down; aws-facts 2 "Low
    /// traffic"), less the busy ones.
    pub fn billed_delta(&mut self) -> i64 {
        let idle = i64::from(self.limit.max(self.initial)) - i64::from(self.active);
        let d = idle.max(0) - self.billed;
        self.billed += d;
        d
    }
}
