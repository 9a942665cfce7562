//! The pending-event set: a binary heap ordered by (time, insertion sequence).
//!
//! Ties in time are broken by the order in which events were scheduled (FIFO),
//! which makes every run deterministic. Time and sequence are packed into one
//! `u128` key so a comparison is a single integer compare; with a 16-byte
//! event the heap entry is 32 bytes.
//!
//! Besides the heap, the queue has *lanes*: slots that each hold at most one
//! pending event, for sources that always have exactly one event ahead (a
//! workload's next arrival). A lane event is ordered by the same
//! (time, sequence) key as a heap event, so lanes change speed, not order:
//! they save one heap push and pop per request.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

struct Entry<E> {
    /// `time << 64 | seq`.
    key: u128,
    ev: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse to pop the earliest key first.
        other.key.cmp(&self.key)
    }
}

/// A deterministic future-event list.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    lanes: Vec<Option<Entry<E>>>,
    /// The lane holding the earliest lane event, if any.
    lane_min: Option<usize>,
}

/// Index of a lane (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lane(pub u32);

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty queue with room for `n` pending events.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(n),
            seq: 0,
            lanes: Vec::new(),
            lane_min: None,
        }
    }

    /// Adds a lane.
    pub fn add_lane(&mut self) -> Lane {
        self.lanes.push(None);
        Lane(self.lanes.len() as u32 - 1)
    }

    #[inline]
    fn key(&mut self, at: SimTime) -> u128 {
        let key = ((at as u128) << 64) | self.seq as u128;
        self.seq += 1;
        key
    }

    /// Schedules `ev` at `at` in `lane`, replacing any event pending there.
    #[inline]
    pub fn push_lane(&mut self, lane: Lane, at: SimTime, ev: E) {
        let key = self.key(at);
        let i = lane.0 as usize;
        self.lanes[i] = Some(Entry { key, ev });
        match self.lane_min {
            Some(m) if m != i && self.lanes[m].as_ref().is_some_and(|e| e.key < key) => {}
            Some(m) if m == i => self.rescan_lanes(),
            _ => self.lane_min = Some(i),
        }
    }

    fn rescan_lanes(&mut self) {
        self.lane_min = self
            .lanes
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (e.key, i)))
            .min()
            .map(|(_, i)| i);
    }

    #[inline]
    fn lane_key(&self) -> Option<u128> {
        self.lane_min
            .and_then(|i| self.lanes[i].as_ref().map(|e| e.key))
    }

    /// Schedules `ev` at absolute time `at`.
    #[inline]
    pub fn push(&mut self, at: SimTime, ev: E) {
        let key = self.key(at);
        self.heap.push(Entry { key, ev });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let lane_first = match (self.lane_key(), self.heap.peek()) {
            (Some(l), Some(h)) => l < h.key,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let e = if lane_first {
            let i = self.lane_min.expect("a lane key exists");
            let e = self.lanes[i].take().expect("lane_min points at an event");
            self.rescan_lanes();
            e
        } else {
            self.heap.pop()?
        };
        Some(((e.key >> 64) as SimTime, e.ev))
    }

    /// Time of the earliest pending event.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        let heap = self.heap.peek().map(|e| e.key);
        let key = match (self.lane_key(), heap) {
            (Some(l), Some(h)) => l.min(h),
            (l, h) => l.or(h)?,
        };
        Some((key >> 64) as SimTime)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().filter(|e| e.is_some()).count()
    }

    /// Bytes allocated for pending events.
    pub fn footprint(&self) -> usize {
        (self.heap.capacity() + self.lanes.capacity()) * std::mem::size_of::<Entry<E>>()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_fifo_order() {
        let mut q = EventQueue::new();
        q.push(5, 'a');
        q.push(1, 'b');
        q.push(5, 'c');
        q.push(1, 'd');
        q.push(0, 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['e', 'b', 'd', 'a', 'c']);
    }

    #[test]
    fn lanes_keep_the_time_then_fifo_order() {
        let mut q = EventQueue::new();
        let a = q.add_lane();
        let b = q.add_lane();
        q.push(5, 'h');
        q.push_lane(a, 5, 'a'); // same time as 'h', scheduled later
        q.push_lane(b, 1, 'b');
        q.push(1, 'i'); // same time as 'b', scheduled later
        q.push_lane(b, 3, 'B'); // replaces 'b'
        assert_eq!(q.len(), 4);
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['i', 'B', 'h', 'a']);
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn lanes_and_heap_match_a_heap_only_queue() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        let (mut mixed, mut plain) = (EventQueue::new(), EventQueue::new());
        let lanes: Vec<Lane> = (0..3).map(|_| mixed.add_lane()).collect();
        let mut pending = [false; 3];
        let mut now = 0u64;
        for step in 0..20_000u32 {
            let at = now + rng.random_range(0..5u64);
            let lane = rng.random_range(0..4usize);
            if lane < 3 && !pending[lane] {
                mixed.push_lane(lanes[lane], at, step);
                pending[lane] = true;
            } else {
                mixed.push(at, step);
            }
            plain.push(at, step);
            if rng.random::<bool>() {
                let (t1, e1) = mixed.pop().unwrap();
                let (t2, e2) = plain.pop().unwrap();
                assert_eq!((t1, e1), (t2, e2));
                now = t1;
                for (l, p) in pending.iter_mut().enumerate() {
                    if *p && mixed.lanes[l].is_none() {
                        *p = false;
                    }
                }
            }
        }
        while let Some(x) = plain.pop() {
            assert_eq!(mixed.pop(), Some(x));
        }
        assert!(mixed.is_empty());
    }

    #[test]
    fn entry_is_32_bytes_with_16_byte_event() {
        assert_eq!(std::mem::size_of::<Entry<[u32; 4]>>(), 32);
    }
}
