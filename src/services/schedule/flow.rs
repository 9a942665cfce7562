//! A schedule's part of the event flow: one timer per schedule at its
//! next firing minute; each firing is a frame whose `Step` comes at the
//! moment drawn inside the minute (or the flexible window) and sends the
//! event to the target.

use indexmap::IndexMap;

use super::cron::Clock;
use super::{Firing, ScheduleSeries, ScheduleStats, Schedules, Timetable};
use crate::model::{queue::DEFAULT_MESSAGE_KB, Destination, Scenario};
use crate::services::{
    lambda, queue, topic, Build, Collect, Cx, Event, Frame, FrameRef, FrameState, Kind, Outcome,
    Service, Timer, World,
};

/// Timer: schedule `index` fires.
const FIRE: u8 = 0;

impl Service for Schedules {
    const LABEL: &'static str = "schedule";
    const BACKLOG: &'static str = "events fired, not yet sent";
    const SERIES: usize = 2;
    type Stats = ScheduleStats;

    fn count(m: &Scenario) -> usize {
        m.schedules.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let clock = Clock::new(m.simulation.start_date, m.simulation.start);
        let last = clock.minute_of(b.end.saturating_sub(1));
        let list = m
            .schedules
            .iter()
            .map(|s| {
                let series = ScheduleSeries {
                    fired: b.sum(&s.name, "fired", "count", 1.0),
                    delivered: b.sum(&s.name, "delivered", "count", 1.0),
                };
                let target = match s.target {
                    Destination::Lambda(f) => m.lambdas[f].name.clone(),
                    Destination::Queue(q) => m.queues[q].name.clone(),
                    Destination::Topic(t) => m.topics[t].name.clone(),
                };
                let rng = b.rng(&s.name, "schedule");
                Timetable::new(s, target, &clock, last, rng, series)
            })
            .collect();
        Schedules { list, clock, last }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(Timetable::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::Firing(e) => e.schedule as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    fn start(w: &mut World, cx: &mut Cx) {
        for i in 0..w.schedules.list.len() {
            arm(w, cx, i);
        }
    }

    /// An event's moment came: it goes to the target.
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame {
            state: FrameState::Firing(e),
            ..
        }) = w.frames.free(fr)
        else {
            return;
        };
        let s = &mut w.schedules[e.schedule as usize];
        s.on_sent(e.measured);
        w.rec.add(s.series.delivered, cx.now(), 1.0);
        let kb = DEFAULT_MESSAGE_KB as f32;
        match s.target {
            Destination::Lambda(f) => lambda::async_invoke::accept(w, cx, f),
            Destination::Queue(q) => queue::enqueue(w, cx, q, kb),
            Destination::Topic(t) => topic::publish(w, cx, t, kb),
        }
    }

    /// Nothing answers a schedule: its targets accept events without a
    /// caller waiting.
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        let i = t.index as usize;
        let now = cx.now();
        let measured = now >= w.warmup;
        let last = w.schedules.last;
        let s = &mut w.schedules[i];
        let after = s.fire(now, measured, last);
        w.rec.add(s.series.fired, now, 1.0);
        let fr = w.frames.alloc(Frame {
            parent: FrameRef::NONE,
            start: now,
            state: FrameState::Firing(Firing {
                schedule: i as u16,
                measured,
            }),
        });
        cx.schedule(after, Event::Step(fr));
        arm(w, cx, i);
    }

    fn stats(&mut self, _c: &mut Collect<'_>) -> IndexMap<String, ScheduleStats> {
        self.list
            .iter()
            .map(|s| (s.name.clone(), super::stats::collect(s)))
            .collect()
    }

    fn text(stats: &IndexMap<String, ScheduleStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bill(
        stats: &IndexMap<String, ScheduleStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        // No schedule, no `eventbridge` line.
        (!stats.is_empty()).then(|| super::cost::bill(stats, p))
    }
}

/// Schedules schedule `i`'s timer at its pending firing, if any.
fn arm(w: &mut World, cx: &mut Cx, i: usize) {
    let clock = w.schedules.clock;
    if let Some(at) = w.schedules[i].next.and_then(|m| clock.time_of(m)) {
        cx.schedule_at(at, Timer::event(Kind::Schedule, FIRE, i, 0));
    }
}
