//! A big, valid scenario as TOML text, for measuring `slsim validate` (and
//! setup) at many components. Shared by `examples/big_scenario` (prints it),
//! `benches/validate.rs` and `tests/validate_scale.rs` through `#[path]`.
//!
//! `n` components in groups of four: workload `w{i}` -> api `a{i}` (three
//! routes: two to `f{i}`, one to `f{i-1}`) -> lambda `f{i}` -> table `t{i}`.
//! Every lambda but the first of each run of ten also calls `f{i-1}`
//! synchronously (call chains of at most ten functions, no cycle). The last
//! `n % 4` components are extra tables.

use std::fmt::Write as _;

/// The scenario text with exactly `n` components (`n >= 1`).
pub fn big_scenario(n: usize) -> String {
    let groups = n / 4;
    let mut s = String::with_capacity(n * 160);
    s.push_str(
        "[simulation]\nname = \"big\"\nduration = \"1s\"\nseed = 1\n\
         account_concurrency = 1000\ntimeseries_interval = \"1s\"\n",
    );
    for i in 0..groups {
        let prev = if i == 0 { 0 } else { i - 1 };
        let _ = write!(
            s,
            "\n[[workload]]\nname = \"w{i}\"\ntarget = \"a{i}\"\n\
             arrival = \"poisson(rate=0.5)\"\n\
             routes = {{ \"GET /items\" = 0.7, \"POST /items\" = 0.2, \"GET /prev\" = 0.1 }}\n\
             retry = {{ max_attempts = 2, backoff = \"exp(mean=100ms)\" }}\n\
             \n[[api]]\nname = \"a{i}\"\ntype = \"http\"\ntimeout = \"10s\"\n\
             routes = [\n  {{ route = \"GET /items\", target = \"f{i}\" }},\n  \
             {{ route = \"POST /items\", target = \"f{i}\" }},\n  \
             {{ route = \"GET /prev\", target = \"f{prev}\" }},\n]\n\
             \n[[lambda]]\nname = \"f{i}\"\nruntime = \"python3.12\"\nmemory_mb = 256\n\
             timeout = \"5s\"\nsteps = [\n  {{ compute = \"lognormal(median=2ms, sigma=0.4)\" }},\n  \
             {{ call = \"t{i}\", op = \"get\", item_kb = 1 }},\n"
        );
        if i % 10 != 0 {
            let _ = writeln!(s, "  {{ call = \"f{prev}\" }},");
        }
        let _ = write!(
            s,
            "]\n\n[[table]]\nname = \"t{i}\"\ncapacity = \"on-demand\"\n"
        );
    }
    for k in 0..n % 4 {
        let _ = write!(
            s,
            "\n[[table]]\nname = \"x{k}\"\ncapacity = \"on-demand\"\n"
        );
    }
    s
}
