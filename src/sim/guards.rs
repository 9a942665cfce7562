//! The memory guard: how much a run holds, the limit, and, when the limit
//! is reached, which component's backlog grew.
//!
//! The measure, checked between engine slices, is the run's *footprint*:
//! the bytes allocated by every structure that grows during a run (event
//! heap, frame slab, environments and idle pools, deadline queues, latency
//! histograms) plus the time series. Everything else is fixed when the run is built. It is cheap
//! and deterministic, so a run that piles up work stops at the same event
//! on any machine, and it is per simulation, so runs side by side in one
//! process (tests, sweeps) each answer for their own memory, which the
//! process's resident set size could not tell apart.

use std::fmt::Write;

use crate::engine::Engine;

use crate::services::World;

/// The default limit when the scenario sets none: the smaller of 4 GiB and
/// half the machine's RAM (4 GiB when RAM cannot be read).
pub fn default_max_memory() -> u64 {
    const CAP: u64 = 4 << 30;
    total_ram().map_or(CAP, |ram| CAP.min(ram / 2))
}

/// Physical memory \[bytes\] (Linux `/proc/meminfo`).
fn total_ram() -> Option<u64> {
    kib_field(&std::fs::read_to_string("/proc/meminfo").ok()?, "MemTotal:")
}

/// `name   1234 kB` in a /proc file, in bytes.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Bytes held by what grows during a run: the event heap, the frame slab,
/// the time series and every kind's state.
pub fn footprint<E>(engine: &Engine<E>, world: &World) -> u64 {
    (engine.footprint() + world.footprint()) as u64
}

/// Human bytes: `1.5 GiB`, `640 MiB`.
pub fn bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The three components with the most calls in flight, for the memory
/// guard's message.
pub fn backlog(world: &World) -> String {
    let mut out = String::new();
    for (kind, name, what, n) in world.census(3) {
        if !out.is_empty() {
            out.push_str("; ");
        }
        let _ = write!(out, "{kind} `{name}`: {n} {what}");
    }
    if out.is_empty() {
        out.push_str(
            "no call is in flight (the time series or the component count need the memory)",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_fields_parse() {
        let text = "Name:\tslsim\nVmRSS:\t   5120 kB\nThreads: 1\n";
        assert_eq!(kib_field(text, "VmRSS:"), Some(5 << 20));
        assert_eq!(kib_field(text, "VmHWM:"), None);
        assert!(default_max_memory() <= 4 << 30);
        assert!(default_max_memory() > 0);
    }

    #[test]
    fn bytes_read_well() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3 << 29), "1.5 GiB");
    }
}
