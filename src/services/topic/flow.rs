//! SNS's part of the event flow: a publish fans out into one delivery
//! frame per accepted subscription; a delivery's `Step` comes when it
//! ends, and hands the message to its endpoint (a function's
//! asynchronous queue, a queue) or to the subscription's dead-letter
//! queue.

use indexmap::IndexMap;

use super::{Delivery, Publishing, SnsTopic, TopicSeries, TopicStats, Topics};
use crate::model::{Endpoint, Scenario};
use crate::services::{
    lambda, queue, Build, Collect, Cx, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service,
    World,
};

impl Service for Topics {
    const LABEL: &'static str = "topic";
    const BACKLOG: &'static str = "deliveries and publishes in progress";
    const SERIES: usize = 2;
    type Stats = TopicStats;

    fn count(m: &Scenario) -> usize {
        m.topics.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let list = m
            .topics
            .iter()
            .map(|t| {
                let series = TopicSeries {
                    published: b.sum(&t.name, "published", "count", 1.0),
                    delivered: b.sum(&t.name, "delivered", "count", 1.0),
                };
                let names = t
                    .subscriptions
                    .iter()
                    .map(|s| match s.endpoint {
                        Endpoint::Lambda(f) => m.lambdas[f].name.clone(),
                        Endpoint::Queue(q) => m.queues[q].name.clone(),
                    })
                    .collect();
                SnsTopic::new(t, names, b.rng(&t.name, "topic"), series)
            })
            .collect();
        Topics { list }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(SnsTopic::footprint).sum()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::Delivery(d) => d.topic as usize,
            FrameState::Publishing(p) => p.topic as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = w.frames.free(fr) else {
            return;
        };
        match frame.state {
            FrameState::Publishing(_) => w.deliver(cx, frame.parent, Outcome::ok(Kind::Topic)),
            FrameState::Delivery(d) => deliver(w, cx, &d),
            _ => {}
        }
    }

    /// Nothing calls out of a topic's frames.
    fn on_reply(_w: &mut World, _cx: &mut Cx, _to: FrameRef, _outcome: Outcome) {}

    fn stats(&mut self, _c: &mut Collect<'_>) -> IndexMap<String, TopicStats> {
        self.list
            .iter()
            .map(|t| (t.name.clone(), super::stats::collect(t)))
            .collect()
    }

    fn text(stats: &IndexMap<String, TopicStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bill(
        stats: &IndexMap<String, TopicStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        // No topic, no `sns` line.
        (!stats.is_empty()).then(|| super::cost::bill(stats, p))
    }
}

/// A `Publish` call by frame `parent` (a publish step or a workload
/// request): the message fans out, and the call answers after the
/// topic's publish latency.
pub fn call(w: &mut World, cx: &mut Cx, t: usize, size_kb: f32, parent: FrameRef) {
    publish(w, cx, t, size_kb);
    let after = w.topics[t].publish_delay();
    if after == 0 {
        w.deliver(cx, parent, Outcome::ok(Kind::Topic));
    } else {
        let fr = w.frames.alloc(Frame {
            parent,
            start: cx.now(),
            state: FrameState::Publishing(Publishing { topic: t as u16 }),
        });
        cx.schedule(after, Event::Step(fr));
    }
}

/// A message of `size_kb` is published to topic `t` with no caller
/// waiting (or before the caller is answered): one delivery per
/// subscription whose filter accepts it.
pub fn publish(w: &mut World, cx: &mut Cx, t: usize, size_kb: f32) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let topic = &mut w.topics.list[t];
    topic.on_publish(measured, size_kb);
    w.rec.add(topic.series.published, now, 1.0);
    for s in 0..topic.subs.len() {
        let topic = &mut w.topics.list[t];
        if !topic.accepts(s, measured) {
            continue;
        }
        let (failed, exhausted, after) = topic.plan(s);
        let fr = w.frames.alloc(Frame {
            parent: FrameRef::NONE,
            start: now,
            state: FrameState::Delivery(Delivery {
                topic: t as u16,
                sub: s as u16,
                failed,
                size_kb,
                exhausted,
                measured,
            }),
        });
        cx.schedule(after, Event::Step(fr));
    }
}

/// A delivery ends: its endpoint receives the message, or its
/// dead-letter queue does (or nobody).
fn deliver(w: &mut World, cx: &mut Cx, d: &Delivery) {
    let (t, s) = (d.topic as usize, d.sub as usize);
    let topic = &mut w.topics.list[t];
    topic.on_end(s, d);
    let sub = &topic.subs[s];
    if d.exhausted {
        if let Some(q) = sub.dead_letter {
            queue::enqueue(w, cx, q, d.size_kb);
        }
        return;
    }
    w.rec.add(topic.series.delivered, cx.now(), 1.0);
    match sub.endpoint {
        Endpoint::Lambda(f) => lambda::async_invoke::accept(w, cx, f),
        Endpoint::Queue(q) => queue::enqueue(w, cx, q, d.size_kb),
    }
}
