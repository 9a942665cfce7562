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
    #[error("the run reached the event limit ({limit} events) at simulated t = {at_s:.3} s; raise [simulation].max_events or shorten [simulation].duration")]
    Events {
        /// Events processed.
        events: u64,
        /// The limit.
        limit: u64,
        /// Simulated time reached \[s\].
        at_s: f64,
    },
    /// Too much wall-clock time.
    #[error("the run reached the wall-clock limit after {wall_s:.1} s, at simulated t = {at_s:.3} s ({events} events); raise [simulation].max_wall or shorten [simulation].duration")]
    Wall {
        /// Events processed.
        events: u64,
        /// Wall-clock seconds spent.
        wall_s: f64,
        /// Simulated time reached \[s\].
        at_s: f64,
    },
    /// Too much memory; the message names what grew (the caller's words).
    #[error("{what}, at simulated t = {at_s:.3} s ({events} events); raise [simulation].max_memory or change the scenario so that work does not pile up")]
    Memory {
        /// Events processed.
        events: u64,
        /// What exceeded the limit, and which component's backlog grew.
        what: String,
        /// Simulated time reached \[s\].
        at_s: f64,
    },
}

impl GuardTripped {
    /// Simulated time at which the guard stopped the run \[s\].
    pub fn at_s(&self) -> f64 {
        match self {
            GuardTripped::Events { at_s, .. }
            | GuardTripped::Wall { at_s, .. }
            | GuardTripped::Memory { at_s, .. } => *at_s,
        }
    }
}

/// How far [`Engine::run_slice`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    /// No event is left at or before the end time; the clock is at the end.
    Done,
    /// The slice's event budget is spent; call again to continue.
    More,
}

/// The engine: a clock, a future-event list and a guard.
pub struct Engine<E> {
    sched: Scheduler<E>,
    events: u64,
    guard: Guard,
    started: Instant,
}

impl<E> Engine<E> {
    /// Events per slice of [`Engine::run_until`] between wall-clock checks:
    /// a few milliseconds of work, so a limit stops a run well within a
    /// second, for a negligible cost per event.
    pub const SLICE: u64 = 1 << 14;

    /// A new engine at time zero. The wall-clock limit counts from now.
    pub fn new(guard: Guard) -> Self {
        Self::started_at(guard, Instant::now())
    }

    /// A new engine at time zero whose wall-clock limit counts from
    /// `started` (e.g. the start of the process, so setup counts too).
    pub fn started_at(guard: Guard, started: Instant) -> Self {
        Self {
            sched: Scheduler {
                now: 0,
                queue: EventQueue::with_capacity(1024),
            },
            events: 0,
            guard,
            started,
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

    /// Pending events (a measure of the work in flight).
    pub fn pending(&self) -> usize {
        self.sched.queue.len()
    }

    /// Bytes held by the future-event list.
    pub fn footprint(&self) -> usize {
        self.sched.queue.footprint()
    }

    /// Stops with [`GuardTripped::Wall`] if the wall-clock limit has passed.
    pub fn check_wall(&self) -> Result<(), GuardTripped> {
        if let Some(max) = self.guard.max_wall {
            let spent = self.started.elapsed();
            if spent > max {
                return Err(GuardTripped::Wall {
                    events: self.events,
                    wall_s: spent.as_secs_f64(),
                    at_s: ns_to_secs(self.sched.now),
                });
            }
        }
        Ok(())
    }

    /// Runs events in time order until the next one would be after `end`
    /// (events at exactly `end` are handled); the clock is then left at
    /// `end`. Checks the event limit before every event and the wall-clock
    /// limit every [`Self::SLICE`] events.
    pub fn run_until<F>(&mut self, end: SimTime, mut handle: F) -> Result<(), GuardTripped>
    where
        F: FnMut(&mut Scheduler<E>, E),
    {
        loop {
            self.check_wall()?;
            if self.run_slice(end, Self::SLICE, &mut handle)? == Slice::Done {
                return Ok(());
            }
        }
    }

    /// Like [`Engine::run_until`], but returns [`Slice::More`] after at most
    /// `budget` events so that the caller can check its own limits (and the
    /// wall clock, with [`Engine::check_wall`]) between slices.
    pub fn run_slice<F>(
        &mut self,
        end: SimTime,
        budget: u64,
        mut handle: F,
    ) -> Result<Slice, GuardTripped>
    where
        F: FnMut(&mut Scheduler<E>, E),
    {
        let stop = self.events.saturating_add(budget);
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
            if self.events >= stop {
                return Ok(Slice::More);
            }
            let (t, ev) = self.sched.queue.pop().expect("peeked");
            self.sched.now = t;
            self.events += 1;
            handle(&mut self.sched, ev);
        }
        self.sched.now = self.sched.now.max(end);
        Ok(Slice::Done)
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

    #[test]
    fn a_tiny_wall_limit_stops_the_run_at_once() {
        let mut e: Engine<()> = Engine::new(Guard {
            max_events: u64::MAX,
            max_wall: Some(Duration::from_nanos(1)),
        });
        e.scheduler().schedule(1, ());
        std::thread::sleep(Duration::from_millis(1));
        let err = e
            .run_until(u64::MAX, |s, ()| s.schedule(1, ()))
            .unwrap_err();
        assert!(
            matches!(err, GuardTripped::Wall { events: 0, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn slices_resume_where_they_stopped() {
        let mut e: Engine<u32> = Engine::new(Guard::default());
        for t in 1..=10 {
            e.scheduler().schedule(t, t as u32);
        }
        let mut seen = vec![];
        let mut slices = 0;
        while e.run_slice(100, 3, |_, ev| seen.push(ev)).unwrap() == Slice::More {
            slices += 1;
        }
        assert_eq!(seen, (1..=10).collect::<Vec<_>>());
        assert_eq!(slices, 3);
        assert_eq!(e.now(), 100);
    }
}
