//! Deadline queues: one timer event per component instead of one per call.
//!
//! Used for Lambda invocations waiting on a call (all share the function's
//! timeout, so deadlines arrive almost in order) and for API Gateway
//! integrations (all share the API's timeout, so deadlines arrive in order).

use std::collections::VecDeque;

use crate::engine::SimTime;
use crate::services::FrameRef;

/// Deadlines of calls in progress, sorted by deadline. Calls of one
/// component share one timeout, so deadlines arrive (almost) in order and
/// insertion from the back is cheap; the event queue then holds one timer
/// per component instead of one per call. Entries of calls that ended are
/// dropped lazily (`drop_stale`, or when due).
#[derive(Default)]
pub struct Deadlines {
    q: VecDeque<(SimTime, FrameRef)>,
    /// Earliest pending timer event, if any.
    pub timer_at: Option<SimTime>,
}

impl Deadlines {
    /// Bytes allocated by the queue.
    pub fn footprint(&self) -> usize {
        self.q.capacity() * std::mem::size_of::<(SimTime, FrameRef)>()
    }

    /// Registers an invocation's deadline; returns a time at which the
    /// caller must schedule the function's deadline timer, if needed.
    #[inline]
    pub fn push(&mut self, deadline: SimTime, fr: FrameRef) -> Option<SimTime> {
        let mut i = self.q.len();
        while i > 0 && self.q[i - 1].0 > deadline {
            i -= 1;
        }
        self.q.insert(i, (deadline, fr));
        match self.timer_at {
            Some(t) if t <= deadline => None,
            _ => {
                self.timer_at = Some(deadline);
                Some(deadline)
            }
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    #[inline]
    pub fn pop_due(&mut self, now: SimTime) -> Option<FrameRef> {
        match self.q.front() {
            Some(&(d, fr)) if d <= now => {
                self.q.pop_front();
                Some(fr)
            }
            _ => None,
        }
    }

    /// Drops entries at the front whose invocation has ended.
    #[inline]
    pub fn drop_stale(&mut self, ended: impl Fn(FrameRef) -> bool) {
        while let Some(&(_, fr)) = self.q.front() {
            if !ended(fr) {
                break;
            }
            self.q.pop_front();
        }
    }

    /// The timer event fired at `now`: forget it if it is the pending one.
    #[inline]
    pub fn fired(&mut self, now: SimTime) {
        if self.timer_at == Some(now) {
            self.timer_at = None;
        }
    }

    /// After the due entries were handled: when the next timer event must
    /// be scheduled, if no earlier one is pending.
    #[inline]
    pub fn rearm(&mut self) -> Option<SimTime> {
        let next = self.next()?;
        if self.timer_at.is_none_or(|t| t > next) {
            self.timer_at = Some(next);
            Some(next)
        } else {
            None
        }
    }

    /// The earliest deadline, if any.
    pub fn next(&self) -> Option<SimTime> {
        self.q.front().map(|e| e.0)
    }

    /// Entries held (in-flight calls plus not yet dropped stale ones).
    pub fn len(&self) -> usize {
        self.q.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
    }
}
