//! The execution-environment timeline: each recorded environment's life
//! (initialising, busy, idle; its end by expiry, recycling or a reset after
//! a timeout), the request that caused each cold start, and the arrivals
//! that found no environment, over a window and within bounds.
//!
//! A [`Recorder`] belongs to a function only when `[timeline]` names it
//! (`Function::timeline` is `None` otherwise: one pointer test per
//! environment change). It keeps one open span per environment slot and
//! closes it at the next change; a span that overlaps the window becomes a
//! [`Span`], clipped to it. Memory: the open spans grow with the function's
//! environment slots (as its own state does), the spans with
//! `max_records`; an environment beyond `max_environments` and a span
//! beyond `max_records` are counted, not kept.

use super::{Function, Lambdas};
use crate::engine::{SimTime, SECONDS};
use crate::model::Scenario;
use crate::services::{FrameRef, Kind, World};

/// What an environment is doing over a span, or what happened at an
/// instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Initialising (a cold start, or a provisioned environment's
    /// (re-)initialisation).
    Init,
    /// Running an invocation.
    Busy,
    /// Idle, kept warm.
    Idle,
    /// Ended: idle past its keep-alive (an instant).
    Expired,
    /// Ended: recycled after its maximum lifetime (an instant).
    Recycled,
    /// Ended: reset after an invocation timed out (an instant).
    Reset,
    /// An arrival found no environment (an instant; no environment).
    Throttled,
}

impl Phase {
    /// The name in `timeline.csv`.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Init => "init",
            Phase::Busy => "busy",
            Phase::Idle => "idle",
            Phase::Expired => "expired",
            Phase::Recycled => "recycled",
            Phase::Reset => "reset",
            Phase::Throttled => "throttled",
        }
    }
}

/// Where a chain of calls began: the kind and component of the frame at
/// its root and when that frame started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Kind of the root frame (a workload's request, an asynchronous event,
    /// a queue's batch, ...).
    pub kind: Kind,
    /// Its component index.
    pub component: u32,
    /// When it started \[ns\] (a request's arrival).
    pub at: SimTime,
}

/// One recorded span (or instant, `start == end`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Row: environments numbered from 0 in order of first appearance in
    /// the window; `None` for a throttled arrival.
    pub env: Option<u32>,
    /// What happened.
    pub phase: Phase,
    /// Start \[ns\], clipped to the window.
    pub start: SimTime,
    /// End \[ns\], clipped to the window.
    pub end: SimTime,
    /// For a cold start's `Init`: the request (or event) that caused it;
    /// `None` for a provisioned environment's initialisation.
    pub cause: Option<Origin>,
}

/// A function's recorded timeline (plain data, in the run's result).
#[derive(Clone, Debug, PartialEq)]
pub struct EnvTimeline {
    /// Function name.
    pub function: String,
    /// Window \[ns\] (the end clipped to the run's end).
    pub from: SimTime,
    /// Window end \[ns\].
    pub to: SimTime,
    /// Environments recorded (rows).
    pub environments: u32,
    /// Environments seen in the window beyond `max_environments`.
    pub environments_omitted: u64,
    /// Spans beyond `max_records` (of recorded environments or throttles).
    pub records_omitted: u64,
    /// The spans, in the order they closed.
    pub spans: Vec<Span>,
}

impl EnvTimeline {
    /// What the bounds left out, as a warning (`None` when nothing was).
    pub fn omitted(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.environments_omitted > 0 {
            parts.push(format!(
                "{} environments beyond the first {} (raise max_environments)",
                self.environments_omitted, self.environments
            ));
        }
        if self.records_omitted > 0 {
            parts.push(format!(
                "{} spans beyond the first {} (raise max_records)",
                self.records_omitted,
                self.spans.len()
            ));
        }
        (!parts.is_empty()).then(|| {
            format!(
                "[timeline] of function {} left out {}",
                self.function,
                parts.join(" and ")
            )
        })
    }
}

const NO_ROW: u32 = u32::MAX;
const OMITTED: u32 = u32::MAX - 1;

#[derive(Clone, Copy, Debug)]
struct Open {
    since: SimTime,
    row: u32,
    phase: Phase,
    cause: Option<Origin>,
}

/// Records one function's environments (see the module's text).
#[derive(Debug)]
pub struct Recorder {
    from: SimTime,
    to: SimTime,
    max_envs: u32,
    max_records: u32,
    rows: u32,
    open: Vec<Option<Open>>,
    spans: Vec<Span>,
    envs_omitted: u64,
    records_omitted: u64,
}

impl Recorder {
    /// A recorder of the window `[from, to]` with these bounds.
    pub fn new(from: SimTime, to: SimTime, max_envs: u32, max_records: u32) -> Self {
        Self {
            from,
            to,
            max_envs,
            max_records,
            rows: 0,
            open: Vec::new(),
            spans: Vec::new(),
            envs_omitted: 0,
            records_omitted: 0,
        }
    }

    /// Bytes held.
    pub fn footprint(&self) -> usize {
        self.open.capacity() * std::mem::size_of::<Option<Open>>()
            + self.spans.capacity() * std::mem::size_of::<Span>()
    }

    /// Environment slot `env` starts a life in `phase` at `now` (a new
    /// environment, or a reused slot).
    #[inline(never)]
    pub fn born(&mut self, env: u32, phase: Phase, now: SimTime) {
        let i = env as usize;
        if self.open.len() <= i {
            self.open.resize(i + 1, None);
        }
        self.open[i] = Some(Open {
            since: now,
            row: NO_ROW,
            phase,
            cause: None,
        });
    }

    /// The request that caused `env`'s cold start.
    pub fn cause(&mut self, env: u32, cause: Origin) {
        if let Some(Some(o)) = self.open.get_mut(env as usize) {
            o.cause = Some(cause);
        }
    }

    /// `env` changes to `phase` at `now`.
    #[inline(never)]
    pub fn phase(&mut self, env: u32, phase: Phase, now: SimTime) {
        let Some(Some(o)) = self.open.get(env as usize).copied() else {
            return;
        };
        let row = self.close(o, now);
        self.open[env as usize] = Some(Open {
            since: now,
            row,
            phase,
            cause: None,
        });
    }

    /// `env` ends at `now` (`how`: expired, recycled or reset).
    #[inline(never)]
    pub fn ended(&mut self, env: u32, how: Phase, now: SimTime) {
        let Some(Some(o)) = self.open.get(env as usize).copied() else {
            return;
        };
        let row = self.close(o, now);
        if self.within(now, now) {
            let row = self.row(row);
            self.push(row, how, now, now, None);
        }
        self.open[env as usize] = None;
    }

    /// An arrival at `now` found no environment.
    #[inline(never)]
    pub fn throttled(&mut self, now: SimTime) {
        if self.within(now, now) {
            if self.spans.len() < self.max_records as usize {
                self.spans.push(Span {
                    env: None,
                    phase: Phase::Throttled,
                    start: now,
                    end: now,
                    cause: None,
                });
            } else {
                self.records_omitted += 1;
            }
        }
    }

    /// The recording at the run's `end`: open spans closed there (in
    /// flight), the window clipped to it.
    pub fn finish(mut self, function: &str, end: SimTime) -> EnvTimeline {
        for i in 0..self.open.len() {
            if let Some(o) = self.open[i] {
                self.close(o, end);
                self.open[i] = None;
            }
        }
        EnvTimeline {
            function: function.to_string(),
            from: self.from.min(end),
            to: self.to.min(end),
            environments: self.rows,
            environments_omitted: self.envs_omitted,
            records_omitted: self.records_omitted,
            spans: self.spans,
        }
    }

    fn within(&self, start: SimTime, end: SimTime) -> bool {
        end >= self.from && start <= self.to
    }

    /// Closes the open span `o` at `now`; returns the environment's row
    /// (assigned when it first shows in the window).
    fn close(&mut self, o: Open, now: SimTime) -> u32 {
        // An empty span (a change at the instant of another) shows nothing.
        if now == o.since || !self.within(o.since, now) {
            return o.row;
        }
        let row = self.row(o.row);
        self.push(
            row,
            o.phase,
            o.since.max(self.from),
            now.min(self.to),
            o.cause,
        );
        row
    }

    fn row(&mut self, row: u32) -> u32 {
        if row != NO_ROW {
            return row;
        }
        if self.rows < self.max_envs {
            self.rows += 1;
            self.rows - 1
        } else {
            self.envs_omitted += 1;
            OMITTED
        }
    }

    fn push(
        &mut self,
        row: u32,
        phase: Phase,
        start: SimTime,
        end: SimTime,
        cause: Option<Origin>,
    ) {
        if row == OMITTED {
            return;
        }
        if self.spans.len() < self.max_records as usize {
            self.spans.push(Span {
                env: Some(row),
                phase,
                start,
                end,
                cause,
            });
        } else {
            self.records_omitted += 1;
        }
    }
}

/// Gives the functions `[timeline]` names a recorder (at build time).
pub fn attach(functions: &mut [Function], m: &Scenario) {
    if let Some(t) = &m.simulation.timeline {
        for &f in &t.functions {
            functions[f].timeline = Some(Box::new(Recorder::new(
                t.from,
                t.to,
                t.max_environments,
                t.max_records,
            )));
        }
    }
}

/// Records what caused function `f`'s cold start on `env`: the frame at
/// the root of `parent`'s chain of callers.
#[cold]
#[inline(never)]
pub fn note_cause(w: &mut World, f: usize, env: u32, parent: FrameRef) {
    let Some((kind, component, at)) = w.root_of(parent) else {
        return;
    };
    if let Some(t) = &mut w.lambdas[f].timeline {
        t.cause(
            env,
            Origin {
                kind,
                component: component as u32,
                at,
            },
        );
    }
}

impl Lambdas {
    /// The recorded timelines at the run's `end`, in `[timeline]`'s order
    /// of functions (empty without one); the recorders are consumed.
    pub fn timelines(&mut self, order: &[usize], end: SimTime) -> Vec<EnvTimeline> {
        order
            .iter()
            .filter_map(|&i| {
                let f = &mut self.functions[i];
                f.timeline.take().map(|t| t.finish(&f.name, end))
            })
            .collect()
    }
}

/// Seconds of a time, for the CSV and the chart.
pub fn seconds(t: SimTime) -> f64 {
    t as f64 / SECONDS as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clipped_to_the_window_and_rows_assigned_on_first_sight() {
        let mut r = Recorder::new(10, 100, 1, 100);
        r.born(0, Phase::Init, 0);
        r.phase(0, Phase::Busy, 5); // init [0, 5): before the window
        r.phase(0, Phase::Idle, 20); // busy [5, 20) -> [10, 20)
        r.born(1, Phase::Init, 30); // a second environment: over the bound
        r.phase(1, Phase::Busy, 40);
        r.ended(0, Phase::Expired, 50);
        r.throttled(60);
        r.throttled(200); // after the window
        let t = r.finish("f", 80);
        assert_eq!(t.environments, 1);
        assert_eq!(t.environments_omitted, 1);
        assert_eq!(t.to, 80);
        let got: Vec<(Option<u32>, Phase, u64, u64)> = t
            .spans
            .iter()
            .map(|s| (s.env, s.phase, s.start, s.end))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(0), Phase::Busy, 10, 20),
                (Some(0), Phase::Idle, 20, 50),
                (Some(0), Phase::Expired, 50, 50),
                (None, Phase::Throttled, 60, 60),
            ]
        );
    }

    #[test]
    fn records_beyond_the_bound_are_counted() {
        let mut r = Recorder::new(0, u64::MAX, 10, 2);
        r.born(0, Phase::Init, 0);
        for t in 1..=5 {
            r.phase(0, if t % 2 == 0 { Phase::Idle } else { Phase::Busy }, t);
        }
        let t = r.finish("f", 10);
        assert_eq!(t.spans.len(), 2);
        assert_eq!(t.records_omitted, 4); // 3 closed by changes, 1 at the end
    }
}
