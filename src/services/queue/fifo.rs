//! The FIFO side of a queue: message groups, each delivered in order with
//! at most one batch holding it (aws-facts 2, "Ordering and concurrency":
//! one batch in flight per message group), and the order in which visible
//! messages arrived across groups (for their age and expiry).

use std::collections::VecDeque;

use rand::Rng;

use crate::engine::{SimRng, SimTime};

/// A FIFO message group.
#[derive(Clone, Debug, Default)]
struct Group {
    /// Visible messages in order.
    msgs: VecDeque<u32>,
    /// Next sequence number to give.
    next_seq: u32,
    /// Sequence number of the last deleted message (order check).
    last_deleted: u32,
    /// Messages of its failed batch not back yet (the group stays locked).
    returning: u32,
    /// Latest visibility time given (keeps the group in send order) \[ns\].
    last_due: SimTime,
    /// A batch holds the group.
    locked: bool,
    /// Listed in `ready`.
    in_ready: bool,
}

/// The message groups of a FIFO queue.
#[derive(Debug, Default)]
pub struct Fifo {
    groups: Vec<Group>,
    /// Unlocked groups with visible messages, in the order they became so.
    ready: VecDeque<u32>,
    /// Visible messages in the order they became visible, as (message,
    /// ticket); entries whose message was received since are stale and
    /// dropped lazily from the front.
    order: VecDeque<(u32, u32)>,
}

impl Fifo {
    /// `groups` empty groups.
    pub fn new(groups: u32) -> Self {
        Self {
            groups: vec![Group::default(); groups.max(1) as usize],
            ..Self::default()
        }
    }

    /// Bytes held.
    pub fn footprint(&self) -> usize {
        self.groups.capacity() * std::mem::size_of::<Group>()
            + self
                .groups
                .iter()
                .map(|g| g.msgs.capacity() * 4)
                .sum::<usize>()
            + self.ready.capacity() * 4
            + self.order.capacity() * 8
    }

    /// A new message: its group (uniformly at random), its sequence number
    /// in the group and its visibility time, never before the group's
    /// previous message's (so a group stays in send order).
    pub fn assign(&mut self, rng: &mut SimRng, due: SimTime) -> (u32, u32, SimTime) {
        let g = rng.random_range(0..self.groups.len());
        let gr = &mut self.groups[g];
        gr.next_seq += 1;
        let due = due.max(gr.last_due);
        gr.last_due = due;
        (g as u32, gr.next_seq, due)
    }

    /// A message becomes visible: a returned one goes back to its place in
    /// the group (by sequence number), a new one to the group's end.
    /// `seq_of` gives a message's sequence number.
    pub fn show(
        &mut self,
        (id, ticket, group): (u32, u32, u32),
        returned: Option<u32>,
        seq_of: impl Fn(u32) -> u32,
    ) {
        let g = &mut self.groups[group as usize];
        match returned {
            Some(seq) => {
                let at = g.msgs.partition_point(|&o| seq_of(o) < seq);
                g.msgs.insert(at, id);
            }
            None => g.msgs.push_back(id),
        }
        self.order.push_back((id, ticket));
        self.mark_ready(group);
    }

    /// Lists a group as ready if it is unlocked and has messages.
    pub fn mark_ready(&mut self, group: u32) {
        let g = &mut self.groups[group as usize];
        if !g.locked && !g.in_ready && !g.msgs.is_empty() {
            g.in_ready = true;
            self.ready.push_back(group);
        }
    }

    /// Whether a group is ready for a batch.
    pub fn any_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// A batch takes the first ready group and holds it.
    pub fn start_batch(&mut self) -> Option<u32> {
        let g = self.ready.pop_front()?;
        let gr = &mut self.groups[g as usize];
        gr.in_ready = false;
        gr.locked = true;
        Some(g)
    }

    /// The next visible message of a group.
    pub fn pop(&mut self, group: u32) -> Option<u32> {
        self.groups[group as usize].msgs.pop_front()
    }

    /// A message of the group's batch failed and will return.
    pub fn returning(&mut self, group: u32) {
        self.groups[group as usize].returning += 1;
    }

    /// A returning message of the group is back (visible, expired or
    /// moved); the group is free once all are.
    pub fn returned(&mut self, group: u32) {
        let g = &mut self.groups[group as usize];
        g.returning = g.returning.saturating_sub(1);
        if g.returning == 0 {
            g.locked = false;
        }
        self.mark_ready(group);
    }

    /// The batch holding the group ended: unlocked unless messages of it
    /// are returning.
    pub fn release(&mut self, group: u32) {
        let g = &mut self.groups[group as usize];
        if g.returning == 0 {
            g.locked = false;
        }
        self.mark_ready(group);
    }

    /// A message of the group was deleted: true if a later one of the
    /// group was deleted before it (out of order).
    pub fn deleted(&mut self, group: u32, seq: u32) -> bool {
        let g = &mut self.groups[group as usize];
        let out_of_order = seq < g.last_deleted;
        g.last_deleted = g.last_deleted.max(seq);
        out_of_order
    }

    /// The earliest visible message still listed (`live` tells whether an
    /// entry is current), dropping stale entries.
    pub fn oldest(&mut self, live: impl Fn(u32, u32) -> bool) -> Option<u32> {
        while let Some(&(id, t)) = self.order.front() {
            if live(id, t) {
                return Some(id);
            }
            self.order.pop_front();
        }
        None
    }

    /// Removes the oldest listed message (it expired) from its group.
    pub fn remove_oldest(&mut self, group_of: impl Fn(u32) -> u32) -> Option<u32> {
        let (id, _) = self.order.pop_front()?;
        let g = &mut self.groups[group_of(id) as usize];
        if let Some(k) = g.msgs.iter().position(|&o| o == id) {
            g.msgs.remove(k);
        }
        Some(id)
    }
}
