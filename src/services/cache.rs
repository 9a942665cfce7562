//! A cache whose hit ratio emerges from the traffic: which keys are asked
//! for (a key model's ranks), a time to live, and optionally a capacity.
//!
//! - An entry is created (or refreshed) by a miss, when the object is
//!   fetched from the origin, and lives `ttl` from then; hits do not
//!   extend it (CloudFront's and API Gateway's TTL, DAX's record TTL).
//!   The fetch's own latency is not counted: the entry counts from the
//!   miss **\[A\]** (docs/model.md, "Caches").
//! - With a capacity (entries), the least recently used entry is evicted
//!   to make room (LRU, hits included in the recency).
//!
//! Memory: with a capacity, at most `capacity` entries. Without one,
//! expired entries are dropped as time passes (a queue in expiry order:
//! the TTL is the same for every entry), so what is held is bounded by
//! the misses of one TTL, never by the length of the run.
//!
//! Must not know: which service it fronts, events, key models' syntax.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::engine::{SimDuration, SimTime};

/// Hashes a key rank with SplitMix64's finaliser (fast, and mixes every
/// bit, as the map's bucket and control bits need).
#[derive(Default)]
pub struct RankHasher(u64);

impl Hasher for RankHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ u64::from(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, x: u64) {
        let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.0 = z ^ (z >> 31);
    }
}

const NIL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u64,
    expires: SimTime,
    /// Neighbours in recency order (capacity only).
    prev: u32,
    next: u32,
}

/// A TTL cache, optionally with an LRU capacity.
#[derive(Clone, Debug)]
pub struct TtlCache {
    ttl: SimDuration,
    /// Entries at most; 0: no limit.
    capacity: u32,
    map: HashMap<u64, u32, BuildHasherDefault<RankHasher>>,
    slots: Vec<Entry>,
    free: Vec<u32>,
    /// Most and least recently used (capacity only).
    head: u32,
    tail: u32,
    /// (expiry, slot) in expiry order (no capacity only).
    expiring: VecDeque<(SimTime, u32)>,
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that went to the origin.
    pub misses: u64,
    /// Entries evicted for room.
    pub evictions: u64,
}

impl TtlCache {
    /// A cache of entries living `ttl` \[ns\], at most `capacity` of them
    /// (0: no limit).
    pub fn new(ttl: SimDuration, capacity: u32) -> Self {
        Self {
            ttl,
            capacity,
            map: HashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            expiring: VecDeque::new(),
            hits: 0,
            misses: 0,
            evictions: 0,
        }
    }

    /// Entries held now (expired ones not yet dropped included).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A request for `key` at `now`: true if the cache answers it (a
    /// fresh entry); else the object is fetched and cached from `now`
    /// ([`TtlCache::probe`] then, on a miss, [`TtlCache::fill`]).
    #[inline]
    pub fn lookup(&mut self, now: SimTime, key: u64) -> bool {
        let hit = self.probe(now, key);
        if !hit {
            self.fill(now, key);
        }
        hit
    }

    /// A request for `key` at `now`, counted: true if a fresh entry
    /// answers it (a hit refreshes its recency, not its expiry). A miss
    /// caches nothing: the caller fills the entry when the origin's answer
    /// arrives ([`TtlCache::fill`]), so that an origin error is not cached.
    #[inline]
    pub fn probe(&mut self, now: SimTime, key: u64) -> bool {
        if self.capacity == 0 {
            self.drop_expired(now);
        }
        let hit = match self.map.get(&key) {
            Some(&slot) => {
                let hit = self.slots[slot as usize].expires > now;
                if hit && self.capacity > 0 {
                    self.touch(slot);
                }
                hit
            }
            None => false,
        };
        if hit {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        hit
    }

    /// Caches `key` at `now` (an origin's answer, or a write-through): a
    /// new entry, or the entry's expiry set to `now + ttl`. Nothing with a
    /// zero TTL.
    #[inline]
    pub fn fill(&mut self, now: SimTime, key: u64) {
        if self.ttl == 0 {
            return;
        }
        if self.capacity == 0 {
            self.drop_expired(now);
        }
        let expires = now.saturating_add(self.ttl);
        if let Some(&slot) = self.map.get(&key) {
            let e = &mut self.slots[slot as usize];
            let old = e.expires;
            e.expires = expires;
            if self.capacity > 0 {
                self.touch(slot);
            } else if old != expires {
                self.expiring.push_back((expires, slot));
            }
            return;
        }
        if self.capacity > 0 && self.map.len() >= self.capacity as usize {
            self.evict();
        }
        let entry = Entry {
            key,
            expires,
            prev: NIL,
            next: NIL,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = entry;
                s
            }
            None => {
                self.slots.push(entry);
                (self.slots.len() - 1) as u32
            }
        };
        self.map.insert(key, slot);
        if self.capacity > 0 {
            self.push_front(slot);
        } else {
            self.expiring.push_back((expires, slot));
        }
    }

    /// Drops `key`'s entry, if any (a delete written through).
    pub fn invalidate(&mut self, key: u64) {
        let Some(slot) = self.map.remove(&key) else {
            return;
        };
        if self.capacity > 0 {
            self.unlink(slot);
        }
        // Without a capacity, the slot's record in the expiry queue is
        // skipped when it comes due (its key no longer maps to it, or a
        // new entry in the slot has another expiry; one with the same
        // expiry is due then anyway).
        self.free.push(slot);
    }

    /// Drops the entries expired by `now` (no capacity: the queue is in
    /// expiry order; a refreshed entry's old record is skipped).
    fn drop_expired(&mut self, now: SimTime) {
        while let Some(&(t, slot)) = self.expiring.front() {
            if t > now {
                break;
            }
            self.expiring.pop_front();
            let e = self.slots[slot as usize];
            if e.expires == t && self.map.get(&e.key) == Some(&slot) {
                self.map.remove(&e.key);
                self.free.push(slot);
            }
        }
    }

    /// Evicts the least recently used entry.
    fn evict(&mut self) {
        let slot = self.tail;
        if slot == NIL {
            return;
        }
        self.unlink(slot);
        let key = self.slots[slot as usize].key;
        self.map.remove(&key);
        self.free.push(slot);
        self.evictions += 1;
    }

    fn touch(&mut self, slot: u32) {
        if self.head != slot {
            self.unlink(slot);
            self.push_front(slot);
        }
    }

    fn push_front(&mut self, slot: u32) {
        let old = self.head;
        {
            let e = &mut self.slots[slot as usize];
            e.prev = NIL;
            e.next = old;
        }
        if old != NIL {
            self.slots[old as usize].prev = slot;
        } else {
            self.tail = slot;
        }
        self.head = slot;
    }

    fn unlink(&mut self, slot: u32) {
        let Entry { prev, next, .. } = self.slots[slot as usize];
        if prev != NIL {
            self.slots[prev as usize].next = next;
        } else {
            self.head = next;
        }
        if next != NIL {
            self.slots[next as usize].prev = prev;
        } else {
            self.tail = prev;
        }
    }

    /// Bytes held by what grows.
    pub fn footprint(&self) -> usize {
        self.map.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
            + self.slots.capacity() * std::mem::size_of::<Entry>()
            + self.free.capacity() * 4
            + self.expiring.capacity() * std::mem::size_of::<(SimTime, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SECONDS;

    #[test]
    fn an_entry_lives_its_ttl_from_the_miss_and_hits_do_not_extend_it() {
        let mut c = TtlCache::new(10 * SECONDS, 0);
        assert!(!c.lookup(0, 7));
        assert!(c.lookup(5 * SECONDS, 7));
        assert!(c.lookup(10 * SECONDS - 1, 7));
        assert!(!c.lookup(10 * SECONDS, 7), "expired at 10 s");
        assert!(c.lookup(19 * SECONDS, 7), "refreshed at 10 s");
        assert_eq!((c.hits, c.misses), (3, 2));
    }

    #[test]
    fn without_a_capacity_expired_entries_are_dropped() {
        let mut c = TtlCache::new(SECONDS, 0);
        for i in 0..10_000u64 {
            c.lookup(i * SECONDS / 100, i);
        }
        // One second of misses at 100 a second.
        assert!(c.len() <= 101, "{}", c.len());
        assert!(c.expiring.len() <= 101);
    }

    #[test]
    fn with_a_capacity_the_least_recently_used_goes() {
        let mut c = TtlCache::new(1000 * SECONDS, 2);
        c.lookup(0, 1);
        c.lookup(1, 2);
        assert!(c.lookup(2, 1)); // 1 is now the most recent
        c.lookup(3, 3); // evicts 2
        assert_eq!(c.evictions, 1);
        assert!(c.lookup(4, 1));
        assert!(c.lookup(5, 3));
        assert!(!c.lookup(6, 2));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn a_probe_caches_nothing_until_the_fill() {
        let mut c = TtlCache::new(10 * SECONDS, 0);
        assert!(!c.probe(0, 7));
        assert!(!c.probe(SECONDS, 7), "not filled yet");
        c.fill(2 * SECONDS, 7);
        assert!(c.probe(11 * SECONDS, 7));
        assert!(!c.probe(12 * SECONDS, 7), "expired 10 s after the fill");
        // A write-through refreshes a fresh entry.
        c.fill(12 * SECONDS, 7);
        c.fill(20 * SECONDS, 7);
        assert!(c.probe(29 * SECONDS, 7));
        c.invalidate(7);
        assert!(!c.probe(29 * SECONDS, 7));
        assert_eq!((c.hits, c.misses), (2, 4));
        // The invalidated slot's old records do not drop a new entry.
        c.fill(30 * SECONDS, 8);
        assert!(c.probe(35 * SECONDS, 8));
        let mut l = TtlCache::new(100 * SECONDS, 2);
        l.fill(0, 1);
        l.fill(1, 2);
        l.invalidate(1);
        l.fill(2, 3);
        assert_eq!(l.evictions, 0);
        assert!(l.probe(3, 2) && l.probe(3, 3) && !l.probe(3, 1));
    }

    #[test]
    fn a_zero_ttl_never_hits() {
        let mut c = TtlCache::new(0, 0);
        assert!(!c.lookup(0, 1));
        assert!(!c.lookup(0, 1));
        assert!(c.is_empty());
    }
}
