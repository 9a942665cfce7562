//! Policies chosen once per run and called with plain data.
//!
//! [`IdlePool`] holds a function's idle execution environments in the order
//! they became idle and hands one out according to the [`Routing`] policy:
//! most recently used (the back), least recently used (the front) or random.
//! Every operation is O(1) and allocation-free once the pool has grown to
//! the largest number of environments the function ever had.

use rand::Rng;

use crate::engine::SimRng;
pub use crate::scenario::Routing;

const NIL: u32 = u32::MAX;

/// Idle environments, ordered by the time they became idle (front = oldest).
#[derive(Clone, Debug, Default)]
pub struct IdlePool {
    prev: Vec<u32>,
    next: Vec<u32>,
    /// Position in `members`, or NIL when not in the pool.
    pos: Vec<u32>,
    members: Vec<u32>,
    head: u32,
    tail: u32,
}

impl IdlePool {
    /// An empty pool.
    pub fn new() -> Self {
        Self {
            head: NIL,
            tail: NIL,
            ..Default::default()
        }
    }

    /// Number of idle environments.
    #[inline]
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when no environment is idle.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// True when `env` is in the pool.
    #[inline]
    pub fn contains(&self, env: u32) -> bool {
        self.pos.get(env as usize).is_some_and(|&p| p != NIL)
    }

    fn ensure(&mut self, env: u32) {
        let need = env as usize + 1;
        if self.pos.len() < need {
            self.prev.resize(need, NIL);
            self.next.resize(need, NIL);
            self.pos.resize(need, NIL);
        }
    }

    /// Adds `env` at the back (it just became idle).
    pub fn push_back(&mut self, env: u32) {
        self.ensure(env);
        debug_assert!(!self.contains(env));
        let e = env as usize;
        self.prev[e] = self.tail;
        self.next[e] = NIL;
        if self.tail != NIL {
            self.next[self.tail as usize] = env;
        } else {
            self.head = env;
        }
        self.tail = env;
        self.pos[e] = self.members.len() as u32;
        self.members.push(env);
    }

    /// Removes `env` from wherever it is; no-op if absent.
    pub fn remove(&mut self, env: u32) {
        if !self.contains(env) {
            return;
        }
        let e = env as usize;
        let (p, n) = (self.prev[e], self.next[e]);
        if p != NIL {
            self.next[p as usize] = n;
        } else {
            self.head = n;
        }
        if n != NIL {
            self.prev[n as usize] = p;
        } else {
            self.tail = p;
        }
        let at = self.pos[e] as usize;
        self.members.swap_remove(at);
        if at < self.members.len() {
            self.pos[self.members[at] as usize] = at as u32;
        }
        self.pos[e] = NIL;
    }

    /// The environment that has been idle longest.
    #[inline]
    pub fn front(&self) -> Option<u32> {
        (self.head != NIL).then_some(self.head)
    }

    /// Takes one environment out according to `routing`.
    #[inline]
    pub fn take(&mut self, routing: Routing, rng: &mut SimRng) -> Option<u32> {
        let env = match routing {
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
        let mut p = IdlePool::new();
        for e in [3, 1, 4, 5] {
            p.push_back(e);
        }
        assert_eq!(p.take(Routing::Mru, &mut rng), Some(5));
        assert_eq!(p.take(Routing::Lru, &mut rng), Some(3));
        p.remove(1);
        assert_eq!(p.front(), Some(4));
        assert_eq!(p.len(), 1);
        assert_eq!(p.take(Routing::Random, &mut rng), Some(4));
        assert_eq!(p.take(Routing::Random, &mut rng), None);
        assert!(p.is_empty());
        p.push_back(1);
        assert_eq!(p.front(), Some(1));
    }

    #[test]
    fn random_takes_each_member_equally_often() {
        let mut rng = stream(2, "pool", "");
        let mut counts = [0u32; 4];
        let n = 40_000;
        for _ in 0..n {
            let mut p = IdlePool::new();
            for e in 0..4 {
                p.push_back(e);
            }
            counts[p.take(Routing::Random, &mut rng).unwrap() as usize] += 1;
        }
        // Binomial(n, 1/4): sd = sqrt(n * 3/16) ~ 87; allow 5 sd.
        for c in counts {
            assert!((c as f64 - n as f64 / 4.0).abs() < 5.0 * (n as f64 * 3.0 / 16.0).sqrt());
        }
    }
}
