//! SQS's part of the event flow: sends, messages coming due (delay,
//! latency, visibility timeout), expiry, and the event source mappings'
//! polls, batches, invocations and scaling.
//!
//! A poll never invokes a function from inside another component's call
//! chain: a message that becomes visible, or a slot that frees, asks for a
//! `POLL` timer at the same instant, and the poll starts the batches.

use indexmap::IndexMap;

use super::esm::RAMP_STEP;
use super::{
    Batch, Came, Lists, Mapping, Phase, QueueSeries, QueueStats, Queues, Sending, SqsQueue,
};
use crate::metrics::Level;
use crate::model::queue::{POLL_WAIT, THROTTLE_BACKOFF};
use crate::model::{Scenario, Step};
use crate::services::{
    lambda, Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind, Outcome, Service,
    Timer, World,
};

/// Timer: queue `index`'s mappings poll.
pub const POLL: u8 = 0;
/// Timer: queue `index`'s delayed or returning messages come due.
pub const DUE: u8 = 1;
/// Timer: queue `index`'s oldest visible message expires.
pub const EXPIRE: u8 = 2;
/// Timer: queue `index` samples the age of its oldest message (at the end
/// of each series interval while messages wait).
pub const SAMPLE: u8 = 3;
/// Timer: mapping `arg` of queue `index` scales up by one batch.
pub const RAMP: u8 = 4;
/// Timer: mapping `arg` of queue `index` drops its idle slots.
pub const SHRINK: u8 = 5;

impl Service for Queues {
    const LABEL: &'static str = "queue";
    const BACKLOG: &'static str = "batches and sends in progress";
    const HELD: &'static str = "messages held (visible, delayed or in flight)";
    const SERIES: usize = 8;
    type Stats = QueueStats;

    fn count(m: &Scenario) -> usize {
        m.queues.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let mut list: Vec<SqsQueue> = m
            .queues
            .iter()
            .map(|q| {
                let series = QueueSeries {
                    sent: b.sum(&q.name, "sent", "count", 1.0),
                    first_receives: b.sum(&q.name, "first_receives", "count", 1.0),
                    waited: b.sum(&q.name, "waited", "count", 1.0),
                    wait_s_sum: b.sum(&q.name, "wait_s_sum", "s", 1.0),
                    oldest_age_s: b.max(&q.name, "oldest_age_s", "s"),
                };
                let visible = b.sum(&q.name, "visible", "messages", b.per_s);
                let in_flight = b.sum(&q.name, "in_flight", "messages", b.per_s);
                let batches = b.max(&q.name, "batches_max", "batches");
                let levels = [
                    Level::new(b.warmup, Some(visible), None, &b.rec),
                    Level::new(b.warmup, Some(in_flight), None, &b.rec),
                    Level::new(b.warmup, None, Some(batches), &b.rec),
                    Level::new(b.warmup, None, None, &b.rec),
                ];
                let rngs = (b.rng(&q.name, "queue"), b.rng(&q.name, "esm"));
                SqsQueue::new(q, rngs, series, levels)
            })
            .collect();
        for (f, l) in m.lambdas.iter().enumerate() {
            let p_fail = 1.0
                - l.steps
                    .iter()
                    .map(|s| match s {
                        Step::Fail(p) => 1.0 - p,
                        _ => 1.0,
                    })
                    .product::<f64>();
            for t in &l.triggers {
                list[t.queue]
                    .mappings
                    .push(Mapping::new(t, f, p_fail.max(0.0)));
            }
        }
        Queues {
            list,
            lists: Lists::default(),
        }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(SqsQueue::footprint).sum::<usize>() + self.lists.footprint()
    }

    fn held(&self) -> Vec<(usize, u64)> {
        self.list
            .iter()
            .enumerate()
            .map(|(i, q)| (i, q.held()))
            .filter(|c| c.1 > 0)
            .collect()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::Batch(b) => b.queue as usize,
            FrameState::Sending(s) => s.queue as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    /// The idle pollers of every mapping from time zero.
    fn start(w: &mut World, _cx: &mut Cx) {
        for q in &mut w.queues.list {
            sync_idle(q, 0, &mut w.rec);
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(frame) = w.frames.get(fr).copied() else {
            return;
        };
        let now = cx.now();
        match frame.state {
            FrameState::Sending(_) => {
                w.frames.free(fr);
                w.deliver(cx, frame.parent, Outcome::ok(Kind::Queue));
            }
            FrameState::Batch(b) if b.wake == now && b.phase == Phase::Filling => {
                let filling =
                    &mut w.queues.list[b.queue as usize].mappings[b.mapping as usize].filling;
                if let Some(k) = filling.iter().position(|&x| x == fr) {
                    filling.remove(k);
                }
                invoke_batch(w, cx, fr);
            }
            FrameState::Batch(b) if b.wake == now && b.phase == Phase::Backoff => {
                w.frames.free(fr);
                end_slot(w, cx, b.queue as usize, b.mapping as usize);
            }
            _ => {}
        }
    }

    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        batch_done(w, cx, to, outcome);
    }

    #[inline]
    fn on_timer(w: &mut World, cx: &mut Cx, t: Timer) {
        let q = t.index as usize;
        let now = cx.now();
        let queue = &mut w.queues.list[q];
        match t.what {
            POLL => {
                queue.poll_armed = false;
                dispatch(w, cx, q);
            }
            DUE => {
                if queue.due_at == Some(now) {
                    queue.due_at = None;
                }
                while let Some(id) = w.queues.list[q].pop_due(now) {
                    if let Came::DeadLetter(kb, born, measured) =
                        w.queues.list[q].came_due(id, now, &mut w.rec)
                    {
                        dead_letter(w, cx, q, (kb, born, measured));
                    }
                }
                arm(w, cx, q);
            }
            EXPIRE => {
                if queue.expire_at == Some(now) {
                    queue.expire_at = None;
                }
                queue.sweep(now, &mut w.rec);
                arm(w, cx, q);
            }
            SAMPLE => {
                if queue.sample_at == Some(now) {
                    queue.sample_at = None;
                }
                queue.sample_age(now, w.warmup, &mut w.rec);
                arm(w, cx, q);
            }
            RAMP => {
                let waiting = queue.available();
                let m = &mut queue.mappings[t.arg as usize];
                m.ramp_armed = false;
                m.ramp(waiting);
                dispatch(w, cx, q);
            }
            _ => {
                let m = &mut queue.mappings[t.arg as usize];
                m.shrink_armed = false;
                m.shrink();
                if m.wants_shrink() {
                    m.shrink_armed = true;
                    cx.schedule(POLL_WAIT, Timer::event(Kind::Queue, SHRINK, q, t.arg));
                }
                sync_idle(queue, now, &mut w.rec);
            }
        }
    }

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, QueueStats> {
        self.list
            .iter_mut()
            .map(|q| (q.name.clone(), super::stats::collect(q, c)))
            .collect()
    }

    fn text(stats: &IndexMap<String, QueueStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bill(
        stats: &IndexMap<String, QueueStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Option<crate::cost::Bill> {
        // No queue, no `sqs` line.
        (!stats.is_empty()).then(|| super::cost::bill(stats, p))
    }
}

/// A message of `size_kb` sent to queue `q` by frame `parent` (a send step
/// or a workload request): accepted after the queue's send latency.
#[inline]
pub fn send(w: &mut World, cx: &mut Cx, q: usize, size_kb: f32, parent: FrameRef) {
    let now = cx.now();
    enqueue(w, cx, q, size_kb);
    let after = w.queues.list[q].send_delay();
    if after == 0 {
        w.deliver(cx, parent, Outcome::ok(Kind::Queue));
    } else {
        let fr = w.frames.alloc(Frame {
            parent,
            start: now,
            state: FrameState::Sending(Sending { queue: q as u16 }),
        });
        cx.schedule(after, Event::Step(fr));
    }
}

/// A message of `size_kb` is sent to queue `q` with no caller waiting (a
/// topic's delivery, a destination's record).
#[inline]
pub fn enqueue(w: &mut World, cx: &mut Cx, q: usize, size_kb: f32) {
    let now = cx.now();
    let queue = &mut w.queues.list[q];
    queue.enqueue((now, w.warmup), now >= w.warmup, size_kb, None, &mut w.rec);
    arm(w, cx, q);
}

/// A message leaves queue `q` for its dead-letter queue.
fn dead_letter(w: &mut World, cx: &mut Cx, q: usize, (kb, born, measured): (f32, u64, bool)) {
    let Some(r) = w.queues.list[q].redrive else {
        return;
    };
    let now = cx.now();
    let dlq = &mut w.queues.list[r.dead_letter];
    dlq.enqueue((now, w.warmup), measured, kb, Some(born), &mut w.rec);
    arm(w, cx, r.dead_letter);
}

/// Schedules the timers queue `q` asked for.
fn arm(w: &mut World, cx: &mut Cx, q: usize) {
    let now = cx.now();
    let interval = w.rec.interval();
    let queue = &mut w.queues.list[q];
    let ev = |what| Timer::event(Kind::Queue, what, q, 0);
    if std::mem::take(&mut queue.poll_wanted) && !queue.poll_armed {
        queue.poll_armed = true;
        cx.schedule(0, ev(POLL));
    }
    if let Some(next) = queue.next_due() {
        if queue.due_at.is_none_or(|t| t > next) {
            queue.due_at = Some(next);
            cx.schedule_at(next, ev(DUE));
        }
    }
    if queue.expire_at.is_none() {
        if let Some(t) = queue.next_expiry() {
            queue.expire_at = Some(t);
            cx.schedule_at(t, ev(EXPIRE));
        }
    }
    if queue.sample_at.is_none() && queue.visible_count() > 0 {
        // The last instant of the current interval (of the next one when
        // this is that instant).
        let t = ((now + 1) / interval + 1) * interval - 1;
        queue.sample_at = Some(t);
        cx.schedule_at(t, ev(SAMPLE));
    }
}

/// The idle pollers of queue `q`'s mappings into its level.
fn sync_idle(queue: &mut SqsQueue, now: u64, rec: &mut crate::metrics::SeriesRecorder) {
    let d: i64 = queue.mappings.iter_mut().map(Mapping::billed_delta).sum();
    if d != 0 {
        queue.idle_level.change(now, d, rec);
    }
}

/// Every mapping of queue `q` takes what it can: open batches fill first,
/// then free slots start batches; then the scaling timers.
fn dispatch(w: &mut World, cx: &mut Cx, q: usize) {
    let now = cx.now();
    for m in 0..w.queues.list[q].mappings.len() {
        loop {
            let queue = &mut w.queues.list[q];
            if !queue.available() {
                break;
            }
            let map = &mut queue.mappings[m];
            if let Some(&fr) = map.filling.front() {
                fill(w, cx, q, m, fr);
            } else if map.may_start() {
                start_batch(w, cx, q, m);
            } else {
                break;
            }
        }
        let queue = &mut w.queues.list[q];
        let waiting = queue.available();
        let map = &mut queue.mappings[m];
        if map.wants_ramp(waiting) {
            map.ramp_armed = true;
            cx.schedule(RAMP_STEP, Timer::event(Kind::Queue, RAMP, q, m as u32));
        }
        if map.wants_shrink() {
            map.shrink_armed = true;
            cx.schedule(POLL_WAIT, Timer::event(Kind::Queue, SHRINK, q, m as u32));
        }
    }
    let queue = &mut w.queues.list[q];
    sync_idle(queue, now, &mut w.rec);
    arm(w, cx, q);
}

/// A free slot of mapping `m` receives a batch; invoked at once unless its
/// window is open and it is not full.
fn start_batch(w: &mut World, cx: &mut Cx, q: usize, m: usize) {
    let now = cx.now();
    let Queues { list, lists } = &mut w.queues;
    let queue = &mut list[q];
    let (size, window) = (queue.mappings[m].batch_size, queue.mappings[m].window);
    let li = lists.take();
    let mut group = 0;
    let n = queue.receive(
        (now, w.warmup),
        size as usize,
        lists.get(li),
        &mut group,
        &mut w.rec,
    );
    if n == 0 {
        lists.give(li);
        return;
    }
    queue.mappings[m].start();
    queue.batches_level.change(now, 1, &mut w.rec);
    let filling = window > 0 && n < size as usize;
    let fr = w.frames.alloc(Frame {
        parent: FrameRef::NONE,
        start: now,
        state: FrameState::Batch(Batch {
            queue: q as u16,
            mapping: m as u16,
            list: li,
            group,
            phase: if filling {
                Phase::Filling
            } else {
                Phase::Invoked
            },
            wake: now.saturating_add(window),
        }),
    });
    if filling {
        queue.mappings[m].filling.push_back(fr);
        cx.schedule(window, Event::Step(fr));
    } else {
        invoke_batch(w, cx, fr);
    }
}

/// Messages join the oldest open batch of mapping `m`; a full one is
/// invoked.
fn fill(w: &mut World, cx: &mut Cx, q: usize, m: usize, fr: FrameRef) {
    let now = cx.now();
    let Queues { list, lists } = &mut w.queues;
    let queue = &mut list[q];
    let Some(&Frame {
        state: FrameState::Batch(mut b),
        ..
    }) = w.frames.get(fr)
    else {
        queue.mappings[m].filling.pop_front();
        return;
    };
    let size = queue.mappings[m].batch_size as usize;
    let have = lists.get(b.list).len();
    let n = queue.receive(
        (now, w.warmup),
        size - have,
        lists.get(b.list),
        &mut b.group,
        &mut w.rec,
    );
    if have + n >= size {
        queue.mappings[m].filling.pop_front();
        invoke_batch(w, cx, fr);
    }
}

/// Hands a batch to its function (a synchronous invoke).
fn invoke_batch(w: &mut World, cx: &mut Cx, fr: FrameRef) {
    let Some(Frame {
        state: FrameState::Batch(ref mut b),
        ..
    }) = w.frames.get_mut(fr)
    else {
        return;
    };
    b.phase = Phase::Invoked;
    let (q, m, li) = (b.queue as usize, b.mapping as usize, b.list);
    let n = w.queues.lists.get(li).len() as u64;
    let queue = &mut w.queues.list[q];
    if cx.now() >= w.warmup {
        queue.counters.batches += 1;
        queue.counters.batch_messages += n;
    }
    let f = queue.mappings[m].func;
    lambda::invoke_batch(w, cx, f, fr, n as usize);
}

/// The function answered a batch: delete what succeeded, return the rest
/// (visible again one visibility timeout after its receive).
fn batch_done(w: &mut World, cx: &mut Cx, fr: FrameRef, outcome: Outcome) {
    let Some(Frame {
        state: FrameState::Batch(b),
        ..
    }) = w.frames.get(fr).copied()
    else {
        return;
    };
    let now = cx.now();
    let (q, m) = (b.queue as usize, b.mapping as usize);
    let Queues { list, lists } = &mut w.queues;
    let queue = &mut list[q];
    let (items, p) = (queue.mappings[m].item_failures, queue.mappings[m].p_fail);
    let whole = match outcome.end {
        End::Ok | End::Failed if items => false,
        End::Ok => false,
        _ => true,
    };
    let measured = now >= w.warmup;
    if measured {
        match outcome.end {
            End::Throttled => queue.counters.throttled_batches += 1,
            End::Failed | End::TimedOut => queue.counters.failed_batches += 1,
            End::Ok => {}
        }
    }
    // Decide each message in order; FIFO: after a failed one, the rest of
    // the group's batch fails too (to keep the order). Messages due again
    // at once stay in the list for after the group is released.
    let fifo = queue.is_fifo();
    let msgs = lists.get(b.list);
    let (mut failing, mut deleted, mut now_due) = (false, 0u64, 0);
    for k in 0..msgs.len() {
        let id = msgs[k];
        let fails = whole || failing || (items && queue.item_fails(p));
        failing |= fails && fifo;
        if fails {
            let due = queue.give_back(id);
            if due > now {
                queue.hold(id, due);
            } else {
                msgs[now_due] = id;
                now_due += 1;
            }
        } else {
            queue.delete(id, now, &mut w.rec);
            deleted += 1;
        }
    }
    msgs.truncate(now_due);
    if measured {
        queue.counters.requests.delete += deleted.div_ceil(10);
    }
    queue.release_group(b.group);
    for k in 0..now_due {
        let id = w.queues.lists.get(b.list)[k];
        if let Came::DeadLetter(kb, born, measured) = w.queues.list[q].came_due(id, now, &mut w.rec)
        {
            dead_letter(w, cx, q, (kb, born, measured));
        }
    }
    w.queues.lists.give(b.list);
    if outcome.end == End::Throttled {
        // The poller backs off; its slot stays taken meanwhile.
        if let Some(Frame {
            state: FrameState::Batch(ref mut b),
            ..
        }) = w.frames.get_mut(fr)
        {
            b.phase = Phase::Backoff;
            b.wake = now.saturating_add(THROTTLE_BACKOFF);
        }
        cx.schedule(THROTTLE_BACKOFF, Event::Step(fr));
        arm(w, cx, q);
    } else {
        w.frames.free(fr);
        end_slot(w, cx, q, m);
    }
}

/// Mapping `m`'s slot is free: its poller polls again.
fn end_slot(w: &mut World, cx: &mut Cx, q: usize, m: usize) {
    let queue = &mut w.queues.list[q];
    queue.mappings[m].end();
    queue.batches_level.change(cx.now(), -1, &mut w.rec);
    queue.poll_wanted = true;
    sync_idle(queue, cx.now(), &mut w.rec);
    arm(w, cx, q);
}
