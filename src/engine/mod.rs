//! The discrete-event engine. It knows nothing about AWS: it orders opaque
//! events in simulated time and hands them, one at a time, to a handler.
//!
//! Owns: simulated time, the future-event list, the run guard.
//! Must not know: components, scenarios, reports.

pub mod queue;
pub mod rng;
pub mod time;

pub use queue::{EventQueue, Lane};
pub use rng::{stream, SimRng};
pub use time::{ns_to_secs, secs_to_ns, SimDuration, SimTime, MICROS, MILLIS, SECONDS};

use std::time::{Duration, Instant};

/// What a handler may do: read the clock and schedule further events.
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    /// Current simulated time \[ns\].
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `ev` to happen `after` from now.
    #[inline]
    pub fn schedule(&mut self, after: SimDuration, ev: E) {
        self.queue.push(self.now.saturating_add(after), ev);
    }

    /// Schedules `ev` at absolute time `at` (not before now).
    #[inline]
    pub fn schedule_at(&mut self, at: SimTime, ev: E) {
        self.queue.push(at.max(self.now), ev);
    }

    /// Schedules `ev` at absolute time `at` in `lane`, which holds at most
    /// one pending event (see [`EventQueue`]'s lanes).
    #[inline]
    pub fn schedule_lane_at(&mut self, lane: Lane, at: SimTime, ev: E) {
        self.queue.push_lane(lane, at.max(self.now), ev);
    }

    /// Adds a lane.
    pub fn add_lane(&mut self) -> Lane {
        self.queue.add_lane()
    }

    /// Number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// Limits that stop a runaway run with a clear message instead of hanging.
#[derive(Clone, Copy, Debug)]
pub struct Guard {
    /// Stop after this many events.
    pub max_events: u64,
    /// Stop after this much wall-clock time.
    pub max_wall: Option<Duration>,
}

impl Default for Guard {
    fn default() -> Self {
        Self {
            max_events: u64::MAX,
            max_wall: None,
        }
    }
}

/// Why a run stopped before its end time.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GuardTripped {
    /// Too many events.
    #[error("the run stopped after {events} events at simulated t = {at_s:.3} s: it reached the event limit ({limit}); raise [simulation].max_events or shorten [simulation].duration")]
    Events {
        /// Events processed.
        events: u64,
        /// The limit.
        limit: u64,
        /// Simulated time reached \[s\].
        at_s: f64,
    },
    /// Too much wall-clock time.
    #[error("the run stopped after {wall_s:.1} s of wall-clock time at simulated t = {at_s:.3} s ({events} events): it reached the time limit; raise [simulation].max_wall or shorten [simulation].duration")]
    Wall {
        /// Events processed.
        events: u64,
        /// Wall-clock seconds spent.
        wall_s: f64,
        /// Simulated time reached \[s\].
        at_s: f64,
    },
}

/// The engine: a clock, a future-event list and a guard.
pub struct Engine<E> {
    sched: Scheduler<E>,
    events: u64,
    guard: Guard,
}

impl<E> Engine<E> {
    /// A new engine at time zero.
    pub fn new(guard: Guard) -> Self {
        Self {
            sched: Scheduler {
                now: 0,
                queue: EventQueue::with_capacity(1024),
            },
            events: 0,
            guard,
        }
    }

    /// The scheduler, to seed initial events before running.
    pub fn scheduler(&mut self) -> &mut Scheduler<E> {
        &mut self.sched
    }

    /// Events handled so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Current simulated time \[ns\].
    pub fn now(&self) -> SimTime {
        self.sched.now
    }

    /// Runs events in time order until the next one would be after `end`
    /// (events at exactly `end` are handled). The clock is left at `end`.
    pub fn run_until<F>(&mut self, end: SimTime, mut handle: F) -> Result<(), GuardTripped>
    where
        F: FnMut(&mut Scheduler<E>, E),
    {
        let started = Instant::now();
        const WALL_CHECK_MASK: u64 = (1 << 20) - 1;
        while let Some(t) = self.sched.queue.peek_time() {
            if t > end {
                break;
            }
            if self.events >= self.guard.max_events {
                return Err(GuardTripped::Events {
                    events: self.events,
                    limit: self.guard.max_events,
                    at_s: ns_to_secs(self.sched.now),
                });
            }
            let (t, ev) = self.sched.queue.pop().expect("peeked");
            self.sched.now = t;
            self.events += 1;
            handle(&mut self.sched, ev);
            if self.events & WALL_CHECK_MASK == 0 {
                if let Some(max) = self.guard.max_wall {
                    let spent = started.elapsed();
                    if spent > max {
                        return Err(GuardTripped::Wall {
                            events: self.events,
                            wall_s: spent.as_secs_f64(),
                            at_s: ns_to_secs(t),
                        });
                    }
                }
            }
        }
        self.sched.now = self.sched.now.max(end);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_in_order_and_stops_at_end() {
        let mut e: Engine<u32> = Engine::new(Guard::default());
        e.scheduler().schedule(10, 1);
        e.scheduler().schedule(30, 3);
        e.scheduler().schedule(20, 2);
        let mut seen = vec![];
        e.run_until(20, |s, ev| {
            seen.push((s.now(), ev));
            if ev == 1 {
                s.schedule(5, 99);
            }
        })
        .unwrap();
        assert_eq!(seen, vec![(10, 1), (15, 99), (20, 2)]);
        assert_eq!(e.now(), 20);
        assert_eq!(e.events(), 3);
    }

    #[test]
    fn guard_stops_runaway_runs() {
        let mut e: Engine<()> = Engine::new(Guard {
            max_events: 100,
            max_wall: None,
        });
        e.scheduler().schedule(1, ());
        let r = e.run_until(u64::MAX, |s, ()| s.schedule(1, ()));
        let err = r.unwrap_err();
        // A run that needs exactly the limit finishes.
        let mut ok: Engine<()> = Engine::new(Guard {
            max_events: 3,
            max_wall: None,
        });
        for t in 1..=3 {
            ok.scheduler().schedule(t, ());
        }
        assert!(ok.run_until(10, |_, ()| {}).is_ok());
        assert!(matches!(err, GuardTripped::Events { events: 100, .. }));
        assert!(err.to_string().contains("max_events"));
    }
}
