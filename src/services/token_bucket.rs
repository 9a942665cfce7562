//! A token bucket refilled continuously: API Gateway throttling, DynamoDB
//! capacity, Lambda's per-function scaling rate.

use crate::engine::SimTime;

/// Tokens accrue at `rate` per second up to `capacity`.
#[derive(Clone, Debug)]
pub struct TokenBucket {
    /// Refill rate [tokens/s].
    pub rate: f64,
    /// Maximum tokens.
    pub capacity: f64,
    tokens: f64,
    last: SimTime,
}

impl TokenBucket {
    /// A full bucket at time zero.
    pub fn full(rate: f64, capacity: f64) -> Self {
        Self {
            rate,
            capacity,
            tokens: capacity,
            last: 0,
        }
    }

    #[inline]
    fn refill(&mut self, now: SimTime) {
        if now > self.last {
            self.tokens =
                (self.tokens + self.rate * (now - self.last) as f64 * 1e-9).min(self.capacity);
            self.last = now;
        }
    }

    /// Tokens available at `now`.
    pub fn available(&mut self, now: SimTime) -> f64 {
        self.refill(now);
        self.tokens
    }

    /// Takes `n` tokens if at least `min(n, capacity)` are available (a
    /// request larger than the bucket may drive it negative rather than
    /// never fit). Returns whether it succeeded.
    #[inline]
    pub fn try_take(&mut self, now: SimTime, n: f64) -> bool {
        // A small epsilon absorbs floating-point error in the refill sum.
        if self.has(now, n) {
            self.take(n);
            true
        } else {
            false
        }
    }

    /// Whether `n` tokens (at most the capacity) are available at `now`;
    /// takes none. With [`TokenBucket::take`]: check several buckets, then
    /// take from all of them only if all admit.
    #[inline]
    pub fn has(&mut self, now: SimTime, n: f64) -> bool {
        self.refill(now);
        self.tokens + 1e-9 >= n.min(self.capacity)
    }

    /// Takes `n` tokens without checking (after [`TokenBucket::has`] at the
    /// same time).
    #[inline]
    pub fn take(&mut self, n: f64) {
        self.tokens -= n;
    }

    /// Changes the rate and capacity from `now` on, keeping the tokens
    /// (capped at the new capacity).
    pub fn reconfigure(&mut self, now: SimTime, rate: f64, capacity: f64) {
        self.refill(now);
        self.rate = rate;
        self.capacity = capacity;
        self.tokens = self.tokens.min(capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const S: u64 = 1_000_000_000;

    #[test]
    fn refills_continuously_up_to_capacity() {
        let mut b = TokenBucket::full(10.0, 5.0);
        for _ in 0..5 {
            assert!(b.try_take(0, 1.0));
        }
        assert!(!b.try_take(0, 1.0));
        assert!(!b.try_take(S / 20, 1.0)); // 0.5 token
        assert!(b.try_take(S / 10, 1.0)); // 1 token
        assert!((b.available(100 * S) - 5.0).abs() < 1e-12);
    }

    #[test]
    fn oversized_requests_can_drain_a_full_bucket() {
        let mut b = TokenBucket::full(1.0, 2.0);
        assert!(b.try_take(0, 3.0));
        assert!(b.available(0) < 0.0);
        assert!(!b.try_take(S, 3.0));
        assert!(b.try_take(3 * S, 3.0));
    }
}
