//! The hold model on the future-event list.
//!
//! A queue holds `n` pending events; one "hold" pops the earliest event and
//! pushes one event at (its time + a random exponential increment), so the
//! queue size stays at `n`. Three variants share one bench group, per size:
//!
//! - `slsim-queue`: `slsim::engine::EventQueue<slsim::services::Event>`
//!   (packed `u128` (time, seq) key, 16-byte event, 32-byte heap entry);
//! - `slsim-engine`: the same through `Engine::run_until` (peek, pop, clock,
//!   guard check, handler that reschedules);
//! - `std-heap`: a bare `std::collections::BinaryHeap` of
//!   `Reverse((u64, u64))` keys carrying the same `Event` payload.
//!
//! Increments come from a precomputed table of exponential draws (mean 1 s in
//! ns) so that the variants do the same work and RNG cost is not measured.
//! Throughput is one element per hold, i.e. events/s.

// `criterion_group!` generates an undocumented `pub fn`.
#![allow(missing_docs)]

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use slsim::engine::{Engine, EventQueue, Guard};
use slsim::services::Event;

/// Holds per criterion iteration (amortises the timing loop).
const HOLDS_PER_ITER: u64 = 1_000;
/// Size of the increment table (power of two).
const TABLE: usize = 1 << 16;
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

fn increments() -> Vec<u64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    (0..TABLE)
        .map(|_| {
            let u: f64 = 1.0 - rng.random::<f64>();
            (-1e9 * u.ln()) as u64
        })
        .collect()
}

fn payload(i: u64) -> Event {
    slsim::services::Timer::event(
        slsim::services::Kind::Lambda,
        slsim::services::lambda::ENV_READY,
        (i & 0xffff) as usize,
        i as u32,
    )
}

/// The bare heap's entry: `Reverse((time, seq))` key and the same payload,
/// ordered by the key only (`Event` has no order).
struct Bare {
    key: Reverse<(u64, u64)>,
    ev: Event,
}
impl PartialEq for Bare {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl Eq for Bare {}
impl PartialOrd for Bare {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Bare {
    #[inline]
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.cmp(&o.key)
    }
}

fn hold(c: &mut Criterion) {
    let inc = increments();
    let mut g = c.benchmark_group("hold");
    g.throughput(Throughput::Elements(HOLDS_PER_ITER));
    g.sample_size(20);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));

    for &n in &SIZES {
        // slsim EventQueue, kept in steady state across iterations.
        {
            let mut q: EventQueue<Event> = EventQueue::with_capacity(n + 1);
            for i in 0..n as u64 {
                q.push(inc[i as usize % TABLE], payload(i));
            }
            let mut k = 0usize;
            g.bench_function(BenchmarkId::new("slsim-queue", n), |b| {
                b.iter(|| {
                    for _ in 0..HOLDS_PER_ITER {
                        let (t, ev) = q.pop().expect("n > 0");
                        q.push(t + inc[k & (TABLE - 1)], black_box(ev));
                        k = k.wrapping_add(1);
                    }
                })
            });
        }

        // Bare std BinaryHeap with Reverse((u64, u64)) keys.
        {
            let mut h: BinaryHeap<Bare> = BinaryHeap::with_capacity(n + 1);
            let mut seq = 0u64;
            for i in 0..n as u64 {
                h.push(Bare {
                    key: Reverse((inc[i as usize % TABLE], seq)),
                    ev: payload(i),
                });
                seq += 1;
            }
            let mut k = 0usize;
            g.bench_function(BenchmarkId::new("std-heap", n), |b| {
                b.iter(|| {
                    for _ in 0..HOLDS_PER_ITER {
                        let Bare {
                            key: Reverse((t, _)),
                            ev,
                        } = h.pop().expect("n > 0");
                        h.push(Bare {
                            key: Reverse((t + inc[k & (TABLE - 1)], seq)),
                            ev: black_box(ev),
                        });
                        seq += 1;
                        k = k.wrapping_add(1);
                    }
                })
            });
        }

        // The full engine loop: a fresh engine with n pending events per
        // sample (set-up not timed), stopped by the event guard after
        // exactly `iters * HOLDS_PER_ITER` events.
        g.bench_function(BenchmarkId::new("slsim-engine", n), |b| {
            b.iter_custom(|iters| {
                let mut e: Engine<Event> = Engine::new(Guard {
                    max_events: iters * HOLDS_PER_ITER,
                    max_wall: None,
                });
                for i in 0..n as u64 {
                    e.scheduler().schedule(inc[i as usize % TABLE], payload(i));
                }
                let mut k = 0usize;
                let start = Instant::now();
                let r = e.run_until(u64::MAX, |s, ev| {
                    s.schedule(inc[k & (TABLE - 1)], black_box(ev));
                    k = k.wrapping_add(1);
                });
                let spent = start.elapsed();
                assert!(r.is_err(), "the guard ends the run");
                spent
            })
        });
    }
    g.finish();
}

criterion_group!(benches, hold);
criterion_main!(benches);
