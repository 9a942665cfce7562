//! `cargo fuzz run scenario`: scenario text (and `--set` overrides) through
//! parsing and validation. See `../harness.rs` for the input format.

#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::parse_and_validate(data));
