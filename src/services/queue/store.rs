//! A queue's messages: where each one is (delayed, visible, in flight,
//! returning), the counts and levels that follow, and the decisions on one
//! message (visible, expired, moved to the dead-letter queue). Plain
//! methods: the flow schedules the timers they ask for.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand::Rng;

use super::fifo::Fifo;
use super::{Mapping, QueueCounters, QueueSeries};
use crate::dist::Dist;
use crate::engine::{ns_to_secs, SimDuration, SimRng, SimTime};
use crate::metrics::{LatencyHistogram, Level, SeriesRecorder};
use crate::model::queue::{chunks, in_flight_limit, MESSAGES_PER_CALL};
use crate::model::{QueueType, Redrive};

/// Where a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Slot unused.
    Free,
    /// Sent, not visible yet (delay and latency).
    Delayed,
    /// Waiting to be received.
    Visible,
    /// Received into a batch.
    InFlight,
    /// Its batch failed: invisible until the visibility timeout ends.
    Returning,
}

/// One message.
#[derive(Clone, Copy, Debug)]
struct Msg {
    /// Arrived in this queue (sent, or moved here) \[ns\]: its age.
    sent: SimTime,
    /// Retention counts from here \[ns\] (a standard dead-letter queue keeps
    /// the original send time; a FIFO one resets it).
    born: SimTime,
    /// Visible since, received at, or due at \[ns\], by state.
    at: SimTime,
    /// FIFO message group.
    group: u32,
    /// FIFO: position in its group (from 1).
    seq: u32,
    /// Changes at every receive and at release (stale FIFO order entries).
    ticket: u32,
    /// Size \[KB\].
    size_kb: f32,
    /// Receives so far in this queue.
    receives: u16,
    state: At,
    /// Sent in the measured window: counted in the flows.
    measured: bool,
}

/// Indexes into `counts`.
const VISIBLE: usize = 0;
const DELAYED: usize = 1;
const IN_FLIGHT: usize = 2;

/// What happened to a message that came due.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Came {
    /// It is visible now.
    Visible,
    /// It expired.
    Expired,
    /// It left for the dead-letter queue: (size \[KB\], born \[ns\], measured).
    DeadLetter(f32, SimTime, bool),
}

/// A queue's runtime state.
pub struct SqsQueue {
    /// Name.
    pub name: String,
    /// Standard or FIFO.
    pub kind: QueueType,
    /// Visibility timeout \[ns\].
    pub visibility_timeout: SimDuration,
    delay: SimDuration,
    retention: SimDuration,
    /// Redrive policy.
    pub redrive: Option<Redrive>,
    latency: Dist,
    send_latency: Dist,
    in_flight_cap: u64,
    msgs: Vec<Msg>,
    free: Vec<u32>,
    /// Standard: visible messages in receive order.
    visible: VecDeque<u32>,
    fifo: Option<Fifo>,
    /// Delayed and returning messages: (due, order of push, message).
    pending: BinaryHeap<Reverse<(SimTime, u64, u32)>>,
    pending_seq: u64,
    /// Visible / delayed / in-flight (received or returning) messages.
    counts: [u64; 3],
    /// Event source mappings polling this queue.
    pub mappings: Vec<Mapping>,
    /// Counters.
    pub counters: QueueCounters,
    /// Series handles.
    pub series: QueueSeries,
    /// Visible messages.
    pub visible_level: Level,
    /// Messages in flight.
    pub in_flight_level: Level,
    /// Batches in progress (all mappings).
    pub batches_level: Level,
    /// Idle pollers (all mappings), for the empty receives they bill.
    pub idle_level: Level,
    /// Wait from send to first receive of measured messages.
    pub wait: LatencyHistogram,
    /// Largest age of the oldest visible message in the window \[s\].
    pub oldest_age_max: Option<f64>,
    /// Pending `DUE` timer \[ns\].
    pub due_at: Option<SimTime>,
    /// Pending `EXPIRE` timer \[ns\].
    pub expire_at: Option<SimTime>,
    /// Pending `SAMPLE` timer \[ns\].
    pub sample_at: Option<SimTime>,
    /// A `POLL` timer is pending.
    pub poll_armed: bool,
    /// A message became visible: the mappings should poll.
    pub poll_wanted: bool,
    rng: SimRng,
    /// Draws of item failures (`report_batch_item_failures`).
    esm_rng: SimRng,
}

impl SqsQueue {
    /// Builds a queue's state; `levels`: visible, in flight, batches, idle
    /// pollers.
    pub fn new(
        cfg: &crate::model::Queue,
        rngs: (SimRng, SimRng),
        series: QueueSeries,
        levels: [Level; 4],
    ) -> Self {
        let [visible_level, in_flight_level, batches_level, idle_level] = levels;
        Self {
            name: cfg.name.clone(),
            kind: cfg.kind,
            visibility_timeout: cfg.visibility_timeout,
            delay: cfg.delay,
            retention: cfg.retention,
            redrive: cfg.redrive,
            latency: cfg.latency.clone(),
            send_latency: cfg.send_latency.clone(),
            in_flight_cap: in_flight_limit(cfg.kind),
            msgs: Vec::new(),
            free: Vec::new(),
            visible: VecDeque::new(),
            fifo: (cfg.kind == QueueType::Fifo).then(|| Fifo::new(cfg.groups)),
            pending: BinaryHeap::new(),
            pending_seq: 0,
            counts: [0; 3],
            mappings: Vec::new(),
            counters: QueueCounters::default(),
            series,
            visible_level,
            in_flight_level,
            batches_level,
            idle_level,
            wait: LatencyHistogram::new(),
            oldest_age_max: None,
            due_at: None,
            expire_at: None,
            sample_at: None,
            poll_armed: false,
            poll_wanted: false,
            rng: rngs.0,
            esm_rng: rngs.1,
        }
    }

    /// Bytes held by messages and their indexes.
    pub fn footprint(&self) -> usize {
        self.msgs.capacity() * std::mem::size_of::<Msg>()
            + self.free.capacity() * 4
            + self.visible.capacity() * 4
            + self.pending.capacity() * 24
            + self.mappings.iter().map(Mapping::footprint).sum::<usize>()
            + self.wait.footprint()
            + self.fifo.as_ref().map_or(0, Fifo::footprint)
    }

    /// Messages held: visible, delayed and in flight.
    pub fn held(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// How long a producer's send call takes \[ns\].
    pub fn send_delay(&mut self) -> SimDuration {
        self.send_latency.sample_ns(&mut self.rng)
    }

    /// Visible messages.
    pub fn visible_count(&self) -> u64 {
        self.counts[VISIBLE]
    }

    /// Whether this is a FIFO queue.
    pub fn is_fifo(&self) -> bool {
        self.fifo.is_some()
    }

    fn change(&mut self, which: usize, delta: i64, now: SimTime, rec: &mut SeriesRecorder) {
        self.counts[which] = self.counts[which].wrapping_add_signed(delta);
        match which {
            VISIBLE => self.visible_level.change(now, delta, rec),
            IN_FLIGHT => self.in_flight_level.change(now, delta, rec),
            _ => {}
        }
    }

    fn alloc(&mut self, m: Msg) -> u32 {
        if let Some(i) = self.free.pop() {
            let ticket = self.msgs[i as usize].ticket;
            self.msgs[i as usize] = Msg { ticket, ..m };
            i
        } else {
            self.msgs.push(m);
            (self.msgs.len() - 1) as u32
        }
    }

    fn release(&mut self, id: u32) {
        let m = &mut self.msgs[id as usize];
        m.state = At::Free;
        m.ticket = m.ticket.wrapping_add(1);
        self.free.push(id);
    }

    /// A message of `size_kb` arrives at `now`: sent (billed; visible after
    /// the delay and a latency draw) or, with `moved = Some(born)`, moved
    /// here by a redrive (visible at once). When it is not visible at once
    /// it waits in `pending` (see [`SqsQueue::next_due`]).
    pub fn enqueue(
        &mut self,
        (now, warmup): (SimTime, SimTime),
        measured: bool,
        size_kb: f32,
        moved: Option<SimTime>,
        rec: &mut SeriesRecorder,
    ) {
        if measured {
            self.counters.sent += 1;
        }
        rec.add(self.series.sent, now, 1.0);
        let mut due = now;
        if moved.is_none() {
            if now >= warmup {
                self.counters.requests.send += chunks(f64::from(size_kb));
            }
            due = now
                .saturating_add(self.delay)
                .saturating_add(self.latency.sample_ns(&mut self.rng));
        }
        let born = match (moved, self.kind) {
            (Some(b), QueueType::Standard) => b,
            _ => now,
        };
        let (group, seq, due) = match self.fifo.as_mut() {
            Some(f) => f.assign(&mut self.rng, due),
            None => (0, 0, due),
        };
        let id = self.alloc(Msg {
            sent: now,
            born,
            at: due,
            group,
            seq,
            ticket: 0,
            size_kb,
            receives: 0,
            state: At::Delayed,
            measured,
        });
        self.change(DELAYED, 1, now, rec);
        if due <= now {
            self.came_due(id, now, rec);
        } else {
            self.push_pending(due, id);
        }
    }

    fn push_pending(&mut self, due: SimTime, id: u32) {
        self.pending_seq += 1;
        self.pending.push(Reverse((due, self.pending_seq, id)));
    }

    /// The earliest due time of a delayed or returning message.
    pub fn next_due(&self) -> Option<SimTime> {
        self.pending.peek().map(|r| r.0 .0)
    }

    /// The next delayed or returning message due at `now`, if any.
    pub fn pop_due(&mut self, now: SimTime) -> Option<u32> {
        match self.pending.peek() {
            Some(Reverse((due, _, id))) if *due <= now => {
                let id = *id;
                self.pending.pop();
                Some(id)
            }
            _ => None,
        }
    }

    fn expired(&self, id: u32, now: SimTime) -> bool {
        now >= self.msgs[id as usize].born.saturating_add(self.retention)
    }

    fn count_expired(&mut self, id: u32) {
        if self.msgs[id as usize].measured {
            self.counters.expired += 1;
        }
        self.release(id);
    }

    /// A delayed or returning message came due: it becomes visible, or
    /// expires, or, returning after its last allowed receive, leaves for
    /// the dead-letter queue (aws-facts 2, "`maxReceiveCount`").
    pub fn came_due(&mut self, id: u32, now: SimTime, rec: &mut SeriesRecorder) -> Came {
        let m = self.msgs[id as usize];
        let returning = m.state == At::Returning;
        self.change(if returning { IN_FLIGHT } else { DELAYED }, -1, now, rec);
        let came = match self.redrive {
            Some(r) if returning && u32::from(m.receives) >= r.max_receive_count => {
                if m.measured {
                    self.counters.dead_lettered += 1;
                }
                self.release(id);
                Came::DeadLetter(m.size_kb, m.born, m.measured)
            }
            _ if self.expired(id, now) => {
                self.count_expired(id);
                Came::Expired
            }
            _ => {
                self.show(id, now, returning, rec);
                Came::Visible
            }
        };
        if returning {
            if let Some(f) = self.fifo.as_mut() {
                f.returned(m.group);
                self.poll_wanted |= f.any_ready() && !self.mappings.is_empty();
            }
        }
        came
    }

    /// Makes a message visible. A returned one goes to the front (it is
    /// older than what waits; FIFO: back to its place in its group), a new
    /// one to the back.
    fn show(&mut self, id: u32, now: SimTime, returned: bool, rec: &mut SeriesRecorder) {
        let m = &mut self.msgs[id as usize];
        m.state = At::Visible;
        m.at = now;
        let (group, seq, ticket) = (m.group, m.seq, m.ticket);
        match self.fifo.as_mut() {
            None if returned => self.visible.push_front(id),
            None => self.visible.push_back(id),
            Some(f) => {
                let msgs = &self.msgs;
                f.show((id, ticket, group), returned.then_some(seq), |o| {
                    msgs[o as usize].seq
                });
            }
        }
        self.change(VISIBLE, 1, now, rec);
        self.poll_wanted = !self.mappings.is_empty();
    }

    /// Whether a receive would find a message now.
    pub fn available(&self) -> bool {
        self.counts[IN_FLIGHT] < self.in_flight_cap
            && match &self.fifo {
                None => !self.visible.is_empty(),
                Some(f) => f.any_ready(),
            }
    }

    /// Receives up to `max` messages into `list` at `now`, within the
    /// in-flight limit. FIFO: from the first ready group, which the batch
    /// then holds (`group`). Expired messages met are removed. Returns how
    /// many were taken.
    pub fn receive(
        &mut self,
        (now, warmup): (SimTime, SimTime),
        max: usize,
        list: &mut Vec<u32>,
        group: &mut u32,
        rec: &mut SeriesRecorder,
    ) -> usize {
        let room = self.in_flight_cap.saturating_sub(self.counts[IN_FLIGHT]) as usize;
        let max = max.min(room);
        if max == 0 {
            return 0;
        }
        self.sample_age(now, warmup, rec);
        if let Some(f) = self.fifo.as_mut() {
            match f.start_batch() {
                Some(g) => *group = g,
                None => return 0,
            }
        }
        let start = list.len();
        while list.len() - start < max {
            let next = match self.fifo.as_mut() {
                None => self.visible.pop_front(),
                Some(f) => f.pop(*group),
            };
            let Some(id) = next else { break };
            self.change(VISIBLE, -1, now, rec);
            if self.expired(id, now) {
                self.count_expired(id);
                continue;
            }
            self.take(id, now, rec);
            list.push(id);
        }
        let taken = list.len() - start;
        if taken == 0 {
            // FIFO: every message of the group had expired; let it go.
            self.release_group(*group);
        }
        if now >= warmup {
            let mut kb = 0.0;
            for (k, &id) in list[start..].iter().enumerate() {
                kb += f64::from(self.msgs[id as usize].size_kb);
                if (k as u32 + 1) % MESSAGES_PER_CALL == 0 || k + 1 == taken {
                    self.counters.requests.receive += chunks(kb);
                    kb = 0.0;
                }
            }
        }
        taken
    }

    /// Received: in flight; its first receive ends its wait.
    fn take(&mut self, id: u32, now: SimTime, rec: &mut SeriesRecorder) {
        let m = &mut self.msgs[id as usize];
        m.state = At::InFlight;
        m.receives = m.receives.saturating_add(1);
        m.ticket = m.ticket.wrapping_add(1);
        let (first, waited, wait, measured) = (
            m.receives == 1,
            now > m.at,
            now - m.sent.min(now),
            m.measured,
        );
        m.at = now;
        self.change(IN_FLIGHT, 1, now, rec);
        if measured {
            self.counters.received += 1;
        }
        if first {
            let s = self.series;
            rec.add(s.first_receives, now, 1.0);
            rec.add(s.wait_s_sum, now, ns_to_secs(wait));
            if waited {
                rec.add(s.waited, now, 1.0);
            }
            if measured {
                self.wait.record(wait);
                self.counters.waited += u64::from(waited);
            }
        }
    }

    /// Deletes message `id` after its batch succeeded.
    pub fn delete(&mut self, id: u32, now: SimTime, rec: &mut SeriesRecorder) {
        let m = self.msgs[id as usize];
        if m.measured {
            self.counters.deleted += 1;
        }
        if let Some(f) = self.fifo.as_mut() {
            if f.deleted(m.group, m.seq) {
                self.counters.out_of_order += 1;
            }
        }
        self.change(IN_FLIGHT, -1, now, rec);
        self.release(id);
    }

    /// Message `id`'s batch failed: it becomes visible again one visibility
    /// timeout after its receive (aws-facts 2, "Failed batch"). Returns its
    /// due time; the caller [`SqsQueue::hold`]s it, or, when due now,
    /// hands it to [`SqsQueue::came_due`] (after [`SqsQueue::release_group`]).
    pub fn give_back(&mut self, id: u32) -> SimTime {
        let vt = self.visibility_timeout;
        let m = &mut self.msgs[id as usize];
        m.state = At::Returning;
        m.at = m.at.saturating_add(vt);
        let (due, group) = (m.at, m.group);
        if let Some(f) = self.fifo.as_mut() {
            f.returning(group);
        }
        due
    }

    /// Keeps a returning message invisible until `due`.
    pub fn hold(&mut self, id: u32, due: SimTime) {
        self.push_pending(due, id);
    }

    /// FIFO: the batch holding `group` ended; the group is free unless
    /// messages of it are returning.
    pub fn release_group(&mut self, group: u32) {
        if let Some(f) = self.fifo.as_mut() {
            f.release(group);
            self.poll_wanted |= f.any_ready() && !self.mappings.is_empty();
        }
    }

    /// Send time of the oldest visible message (the head of the receive
    /// order; FIFO: of the order in which messages became visible).
    pub fn oldest_sent(&mut self) -> Option<SimTime> {
        self.oldest().map(|id| self.msgs[id as usize].sent)
    }

    fn oldest(&mut self) -> Option<u32> {
        match self.fifo.as_mut() {
            None => self.visible.front().copied(),
            Some(f) => {
                let msgs = &self.msgs;
                f.oldest(|id, t| {
                    let m = &msgs[id as usize];
                    m.ticket == t && m.state == At::Visible
                })
            }
        }
    }

    /// Records the age of the oldest visible message at `now`.
    pub fn sample_age(&mut self, now: SimTime, warmup: SimTime, rec: &mut SeriesRecorder) {
        if let Some(sent) = self.oldest_sent() {
            let age = ns_to_secs(now - sent.min(now));
            rec.max(self.series.oldest_age_s, now, age);
            if now >= warmup {
                self.oldest_age_max = Some(self.oldest_age_max.map_or(age, |a| a.max(age)));
            }
        }
    }

    /// When the oldest visible message expires.
    pub fn next_expiry(&mut self) -> Option<SimTime> {
        let id = self.oldest()?;
        Some(self.msgs[id as usize].born.saturating_add(self.retention))
    }

    /// Removes the expired visible messages at the head of the order.
    pub fn sweep(&mut self, now: SimTime, rec: &mut SeriesRecorder) {
        while self.next_expiry().is_some_and(|t| t <= now) {
            let id = match self.fifo.as_mut() {
                None => self.visible.pop_front(),
                Some(f) => {
                    let msgs = &self.msgs;
                    f.remove_oldest(|id| msgs[id as usize].group)
                }
            };
            let Some(id) = id else { break };
            self.change(VISIBLE, -1, now, rec);
            self.count_expired(id);
        }
    }

    /// At the end of the run: counts as expired what outlived retention
    /// outside a batch, and returns the measured messages still held as
    /// (visible, delayed, in flight).
    pub fn settle_end(&mut self, end: SimTime) -> (u64, u64, u64) {
        let mut left = (0, 0, 0);
        for i in 0..self.msgs.len() {
            let m = self.msgs[i];
            if m.state == At::Free || !m.measured {
                continue;
            }
            if m.state != At::InFlight && self.expired(i as u32, end) {
                self.counters.expired += 1;
                continue;
            }
            match m.state {
                At::Visible => left.0 += 1,
                At::Delayed => left.1 += 1,
                _ => left.2 += 1,
            }
        }
        left
    }

    /// Draws whether an item of a batch fails, with probability `p`.
    pub fn item_fails(&mut self, p: f64) -> bool {
        p > 0.0 && self.esm_rng.random::<f64>() < p
    }
}
