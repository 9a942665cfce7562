//! Policies chosen once per run and called with plain data.
//!
//! [`IdlePool`] holds a function's idle execution environments in the order
//! they became idle and hands one out according to the [`Routing`] policy:
//! most recently used (the back), least recently used (the front) or random.
//! Every operation is O(1) and allocation-free once the pool has grown to
//! the largest number of environments the function ever had.

use rand::Rng;

use crate::engine::SimRng;
pub use crate::model::Routing;

const NIL: u32 = u32::MAX;

/// An environment's links in the idle list.
#[derive(Clone, Copy, Debug)]
struct Node {
    prev: u32,
    next: u32,
    /// NIL when not in the pool; otherwise, for random routing, the
    /// position in `members` (0 for the other policies).
    pos: u32,
}

const UNLINKED: Node = Node {
    prev: NIL,
    next: NIL,
    pos: NIL,
};

/// Idle environments, ordered by the time they became idle (front = oldest).
#[derive(Clone, Debug)]
pub struct IdlePool {
    routing: Routing,
    /// Per environment: links and position, side by side (one cache line).
    nodes: Vec<Node>,
    /// The members in no particular order (random routing only).
    members: Vec<u32>,
    head: u32,
    tail: u32,
    len: usize,
}

impl IdlePool {
    /// Bytes allocated by the pool.
    pub fn footprint(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>() + self.members.capacity() * 4
    }

    /// An empty pool that hands out environments by `routing`.
    pub fn new(routing: Routing) -> Self {
        Self {
            routing,
            nodes: Vec::new(),
            members: Vec::new(),
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }

    /// Number of idle environments.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no environment is idle.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when `env` is in the pool.
    #[inline]
    pub fn contains(&self, env: u32) -> bool {
        self.nodes.get(env as usize).is_some_and(|n| n.pos != NIL)
    }

    #[inline]
    fn ensure(&mut self, env: u32) {
        let need = env as usize + 1;
        if self.nodes.len() < need {
            self.grow(need);
        }
    }

    #[cold]
    fn grow(&mut self, need: usize) {
        self.nodes.resize(need, UNLINKED);
    }

    /// Adds `env` at the back (it just became idle).
    #[inline]
    pub fn push_back(&mut self, env: u32) {
        self.ensure(env);
        debug_assert!(!self.contains(env));
        let e = env as usize;
        self.nodes[e].prev = self.tail;
        self.nodes[e].next = NIL;
        if self.tail != NIL {
            self.nodes[self.tail as usize].next = env;
        } else {
            self.head = env;
        }
        self.tail = env;
        self.len += 1;
        if self.routing == Routing::Random {
            self.nodes[e].pos = self.members.len() as u32;
            self.members.push(env);
        } else {
            self.nodes[e].pos = 0;
        }
    }

    /// Removes `env` from wherever it is; no-op if absent.
    #[inline]
    pub fn remove(&mut self, env: u32) {
        if !self.contains(env) {
            return;
        }
        let e = env as usize;
        let (p, n) = (self.nodes[e].prev, self.nodes[e].next);
        if p != NIL {
            self.nodes[p as usize].next = n;
        } else {
            self.head = n;
        }
        if n != NIL {
            self.nodes[n as usize].prev = p;
        } else {
            self.tail = p;
        }
        if self.routing == Routing::Random {
            let at = self.nodes[e].pos as usize;
            self.members.swap_remove(at);
            if at < self.members.len() {
                self.nodes[self.members[at] as usize].pos = at as u32;
            }
        }
        self.nodes[e].pos = NIL;
        self.len -= 1;
    }

    /// The environment that has been idle longest.
    #[inline]
    pub fn front(&self) -> Option<u32> {
        (self.head != NIL).then_some(self.head)
    }

    /// Takes one environment out according to the routing policy.
    #[inline]
    pub fn take(&mut self, rng: &mut SimRng) -> Option<u32> {
        let env = match self.routing {
            Routing::Mru => self.tail,
            Routing::Lru => self.head,
            Routing::Random => {
                if self.members.is_empty() {
                    NIL
                } else {
                    self.members[rng.random_range(0..self.members.len())]
                }
            }
        };
        if env == NIL {
            return None;
        }
        self.remove(env);
        Some(env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    #[test]
    fn mru_lru_and_removal() {
        let mut rng = stream(1, "pool", "");
        for routing in [Routing::Mru, Routing::Lru, Routing::Random] {
            let mut p = IdlePool::new(routing);
            for e in [3, 1, 4, 5] {
                p.push_back(e);
            }
            let first = p.take(&mut rng).unwrap();
            match routing {
                Routing::Mru => assert_eq!(first, 5),
                Routing::Lru => assert_eq!(first, 3),
                Routing::Random => assert!([3, 1, 4, 5].contains(&first)),
            }
            p.remove(1);
            assert!(!p.contains(1));
            assert_eq!(p.len(), 2);
            let second = p.take(&mut rng).unwrap();
            let third = p.take(&mut rng).unwrap();
            let mut got = vec![first, second, third, 1];
            got.sort();
            assert_eq!(got, vec![1, 3, 4, 5], "{routing:?}");
            assert_eq!(p.take(&mut rng), None);
            assert!(p.is_empty());
            p.push_back(1);
            assert_eq!(p.front(), Some(1));
        }
    }

    #[test]
    fn random_takes_each_member_equally_often() {
        let mut rng = stream(2, "pool", "");
        let mut counts = [0u32; 4];
        let n = 40_000;
        for _ in 0..n {
            let mut p = IdlePool::new(Routing::Random);
            for e in 0..4 {
                p.push_back(e);
            }
            counts[p.take(&mut rng).unwrap() as usize] += 1;
        }
        // Binomial(n, 1/4): sd = sqrt(n * 3/16) ~ 87; allow 5 sd.
        for c in counts {
            assert!((c as f64 - n as f64 / 4.0).abs() < 5.0 * (n as f64 * 3.0 / 16.0).sqrt());
        }
    }
}
