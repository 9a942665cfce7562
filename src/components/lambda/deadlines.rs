//! Deadlines of invocations waiting on calls.

use std::collections::VecDeque;

use crate::components::FrameRef;
use crate::engine::SimTime;

/// Deadlines of a function's invocations that wait on a call, sorted by
/// deadline. All invocations of a function share one timeout, so deadlines
/// arrive almost in order and insertion from the back is cheap; the event
/// queue then holds one timer per function instead of one per invocation.
#[derive(Default)]
pub struct Deadlines {
    q: VecDeque<(SimTime, FrameRef)>,
    /// Earliest pending timer event, if any.
    pub timer_at: Option<SimTime>,
}

impl Deadlines {
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
