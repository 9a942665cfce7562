//! Asynchronous invocation: the function's internal event queue, retries
//! and destinations (aws-facts 1.2).
//!
//! An accepted event (the caller got 202 at once) is a frame of its own
//! ([`AsyncEvent`]) with no caller. After the dispatch delay it invokes the
//! function synchronously, as the internal queue's poller does. Then:
//! - success: the record goes to `on_success`, if set;
//! - throttle: retried after 1 s, doubling up to 5 min, while the event is
//!   younger than `max_event_age`;
//! - function error or timeout: retried after 1 min, then 2 min, up to
//!   `max_retry_attempts` retries;
//! - discarded (retries exhausted, or too old): to `on_failure` if set,
//!   else dropped and counted.
//!
//! A function with reserved concurrency 0 sends new events straight to the
//! failure path, without an attempt (aws-facts 1.1).

use serde::Serialize;

use super::Function;
use crate::engine::{SimDuration, SimTime};
use crate::model::{self, Destination, ERROR_RETRY_WAITS, THROTTLE_BACKOFF};
use crate::services::{Cx, End, Event, Frame, FrameRef, FrameState, Outcome, World};

/// An accepted asynchronous event in progress (its frame): waiting in the
/// internal queue, or being attempted.
#[derive(Clone, Copy, Debug)]
pub struct AsyncEvent {
    /// Function index.
    pub func: u16,
    /// Attempts that ran and failed with a function error.
    pub errors: u8,
    /// Attempts rejected by throttling.
    pub throttles: u16,
    /// Accepted in the measured window.
    pub measured: bool,
}

/// A function's asynchronous-invocation settings, prepared.
#[derive(Clone, Debug)]
pub struct AsyncPolicy {
    max_retry_attempts: u32,
    max_event_age: SimDuration,
    on_success: Option<Destination>,
    on_failure: Option<Destination>,
    dispatch: crate::dist::Dist,
    /// Reserved concurrency 0: events go straight to the failure path.
    disabled: bool,
}

impl AsyncPolicy {
    /// From the function's model.
    pub fn new(cfg: &model::Lambda) -> Self {
        let a = &cfg.async_invoke;
        Self {
            max_retry_attempts: a.max_retry_attempts,
            max_event_age: a.max_event_age,
            on_success: a.on_success,
            on_failure: a.on_failure,
            dispatch: a.dispatch.clone(),
            disabled: cfg.reserved_concurrency == Some(0),
        }
    }
}

/// Counters of asynchronous events accepted in the measured window.
#[derive(Clone, Debug, Default)]
pub struct AsyncCounters {
    /// Events accepted (202).
    pub accepted: u64,
    /// Ended with a successful attempt.
    pub succeeded: u64,
    /// Discarded after the last retry of a function error.
    pub retries_exhausted: u64,
    /// Discarded because they reached the maximum event age.
    pub expired: u64,
    /// Retries after a throttle.
    pub retried_throttle: u64,
    /// Retries after a function error or timeout.
    pub retried_error: u64,
    /// Records sent to the `on_success` destination.
    pub to_on_success: u64,
    /// Records sent to the `on_failure` destination.
    pub to_on_failure: u64,
    /// Discarded events without an `on_failure` destination.
    pub dropped: u64,
}

/// A function's asynchronous figures (in `functions.<name>.async`).
///
/// Conservation: `accepted = succeeded + retries_exhausted + expired +
/// pending_end`; `retries_exhausted + expired = to_on_failure + dropped`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AsyncStats {
    /// Events accepted (202).
    pub accepted: u64,
    /// Ended with a successful attempt.
    pub succeeded: u64,
    /// Discarded after the last retry of a function error.
    pub retries_exhausted: u64,
    /// Discarded at the maximum event age (throttled too long).
    pub expired: u64,
    /// Still queued or being attempted at the end of the run.
    pub pending_end: u64,
    /// Retries by reason.
    pub retried_throttle: u64,
    /// Retries after a function error or timeout.
    pub retried_error: u64,
    /// Records sent to the `on_success` destination.
    pub to_on_success: u64,
    /// Records sent to the `on_failure` destination.
    pub to_on_failure: u64,
    /// Discarded events without an `on_failure` destination.
    pub dropped: u64,
}

impl AsyncStats {
    /// From a function's counters and its live events at the end.
    pub fn new(k: &AsyncCounters, pending_end: u64) -> Self {
        Self {
            accepted: k.accepted,
            succeeded: k.succeeded,
            retries_exhausted: k.retries_exhausted,
            expired: k.expired,
            pending_end,
            retried_throttle: k.retried_throttle,
            retried_error: k.retried_error,
            to_on_success: k.to_on_success,
            to_on_failure: k.to_on_failure,
            dropped: k.dropped,
        }
    }
}

/// Function `f` accepts an asynchronous event (the caller has its 202).
#[inline]
pub fn accept(w: &mut World, cx: &mut Cx, f: usize) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let func = &mut w.lambdas[f];
    if measured {
        func.async_counters.accepted += 1;
        func.async_pending += 1;
    }
    let fr = w.frames.alloc(Frame {
        parent: FrameRef::NONE,
        start: now,
        state: FrameState::AsyncEvent(AsyncEvent {
            func: f as u16,
            errors: 0,
            throttles: 0,
            measured,
        }),
    });
    if func.async_policy.disabled {
        discard(w, cx, fr, false);
        return;
    }
    let delay = func.async_policy.dispatch.sample_ns(&mut func.rng);
    cx.schedule(delay, Event::Step(fr));
}

/// The event's wait is over: attempt it.
#[inline]
pub fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef, e: AsyncEvent) {
    // The request-rate limits applied when the event was accepted.
    super::flow::invoke_as(w, cx, e.func as usize, fr, false, 1);
}

/// An attempt ended.
pub fn on_reply(w: &mut World, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
    let Some(frame) = w.frames.get_mut(fr) else {
        return;
    };
    let born = frame.start;
    let FrameState::AsyncEvent(ref mut e) = frame.state else {
        return;
    };
    let now = cx.now();
    let func = &mut w.lambdas[e.func as usize];
    let wait = match outcome.end {
        End::Ok => {
            let (measured, f) = (e.measured, e.func as usize);
            w.frames.free(fr);
            let func = &mut w.lambdas[f];
            if measured {
                func.async_counters.succeeded += 1;
                func.async_pending -= 1;
            }
            if let Some(d) = func.async_policy.on_success {
                if measured {
                    func.async_counters.to_on_success += 1;
                }
                send_to(w, cx, d);
            }
            return;
        }
        End::Throttled => {
            let (base, cap) = THROTTLE_BACKOFF;
            let wait = base.saturating_mul(1u64 << e.throttles.min(20)).min(cap);
            e.throttles = e.throttles.saturating_add(1);
            if e.measured {
                func.async_counters.retried_throttle += 1;
            }
            wait
        }
        End::Failed | End::TimedOut => {
            if e.errors as u32 >= func.async_policy.max_retry_attempts {
                discard(w, cx, fr, true);
                return;
            }
            let wait = ERROR_RETRY_WAITS[(e.errors as usize).min(ERROR_RETRY_WAITS.len() - 1)];
            e.errors += 1;
            if e.measured {
                func.async_counters.retried_error += 1;
            }
            wait
        }
    };
    // A retry due after the maximum event age is not made: the event is
    // discarded now (AWS discards it when it comes due; the count is the
    // same, and the record leaves earlier).
    if too_old(born, now.saturating_add(wait), func) {
        if e.measured {
            // Undo the retry counted above: it will not happen.
            match outcome.end {
                End::Throttled => func.async_counters.retried_throttle -= 1,
                _ => func.async_counters.retried_error -= 1,
            }
        }
        discard(w, cx, fr, false);
        return;
    }
    cx.schedule(wait, Event::Step(fr));
}

fn too_old(born: SimTime, at: SimTime, f: &Function) -> bool {
    at.saturating_sub(born) > f.async_policy.max_event_age
}

/// The event is discarded: `exhausted` after its last error retry, else
/// for its age (or a disabled function). Its record goes to `on_failure`.
fn discard(w: &mut World, cx: &mut Cx, fr: FrameRef, exhausted: bool) {
    let Some(frame) = w.frames.free(fr) else {
        return;
    };
    let FrameState::AsyncEvent(e) = frame.state else {
        return;
    };
    let func = &mut w.lambdas[e.func as usize];
    let dest = func.async_policy.on_failure;
    if e.measured {
        let k = &mut func.async_counters;
        if exhausted {
            k.retries_exhausted += 1;
        } else {
            k.expired += 1;
        }
        match dest {
            Some(_) => k.to_on_failure += 1,
            None => k.dropped += 1,
        }
        func.async_pending -= 1;
    }
    if let Some(d) = dest {
        send_to(w, cx, d);
    }
}

/// Sends a record to a destination (asynchronously, like AWS does).
fn send_to(w: &mut World, cx: &mut Cx, d: Destination) {
    let kb = model::queue::DEFAULT_MESSAGE_KB as f32;
    match d {
        Destination::Lambda(g) => accept(w, cx, g),
        Destination::Queue(q) => crate::services::queue::enqueue(w, cx, q, kb),
        Destination::Topic(t) => crate::services::topic::publish(w, cx, t, kb),
    }
}
