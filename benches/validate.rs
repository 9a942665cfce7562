//! Loading and validating scenario text at 1k, 10k and 50k components.
//!
//! One iteration is `slsim::scenario::parse_str` on the text of a big valid
//! scenario (TOML parse, `--set`-free shape check, validation into the typed
//! model), the same work as `slsim validate` minus reading the file. The
//! text comes from `examples/big_scenario/gen.rs` (groups of workload -> api
//! -> function -> table, short call chains), generated once per size outside
//! the timed loop. Throughput is components per second; validation is meant
//! to be close to linear, so it should stay roughly flat across sizes.

// `criterion_group!` generates an undocumented `pub fn`.
#![allow(missing_docs)]

#[path = "../examples/big_scenario/gen.rs"]
mod gen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn validate(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    for n in SIZES {
        // 10 samples of about 2 s each at 50k on a quiet machine.
        g.measurement_time(Duration::from_secs(if n > 10_000 { 30 } else { 10 }));
        let text = gen::big_scenario(n);
        let s = slsim::scenario::parse_str(&text, "big.toml", &[])
            .expect("generated scenario is valid");
        let count = s.workloads.len() + s.apis.len() + s.lambdas.len() + s.tables.len();
        assert_eq!(count, n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("parse_str", n), &text, |b, text| {
            b.iter(|| slsim::scenario::parse_str(black_box(text), "big.toml", &[]).is_ok())
        });
    }
    g.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
