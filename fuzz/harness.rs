//! The fuzzed entry point, shared by the fuzz target (`fuzz_targets/`) and
//! the corpus replay test (`tests/fuzz_corpus.rs`), so both exercise exactly
//! the same code.
//!
//! Input: scenario TOML text, then optionally `\0`-separated `--set
//! PATH=VALUE` overrides (TOML text cannot hold a NUL, so the split is
//! unambiguous). Bytes that are not UTF-8 are replaced, as a lossy reader
//! would.

/// Parses and validates one input, as `slsim validate` does, and renders
/// the outcome (the error message, or the topology). Panics on a bug:
/// a panic inside slsim, or an error that locates a problem outside the
/// text or holds no problem.
pub fn parse_and_validate(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.split('\0');
    let text = parts.next().unwrap_or_default();
    let sets: Vec<String> = parts.map(str::to_string).collect();
    match slsim::scenario::parse_str(text, "fuzz.toml", &sets) {
        Ok(scenario) => {
            let _ = slsim::topology::to_dot(&scenario);
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("error: "), "{message}");
            assert!(!e.problems().is_empty(), "an error without problems");
            let lines = text.split('\n').count();
            for p in e.problems() {
                if let slsim::scenario::Origin::File { line, column, .. } = p.origin {
                    assert!(
                        (1..=lines).contains(&line) && column >= 1,
                        "problem located at {line}:{column}, outside the text ({lines} lines): {p}"
                    );
                }
            }
        }
    }
}
