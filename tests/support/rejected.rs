//! Shared by the `*_input` tests: each case is a scenario text that must be
//! rejected, never panic, and name every expected substring.

use slsim::scenario;

/// Parses each case (`name`, scenario text, expected substrings of the
/// error) as `tests/fixtures/bad.toml`; returns what went wrong (a case
/// accepted, a panic, a missing substring), empty when all is well.
pub fn failures<'a>(
    cases: impl IntoIterator<Item = (&'a str, String, &'a [&'a str])>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, text, expect) in cases {
        let res =
            std::panic::catch_unwind(|| scenario::parse_str(&text, "tests/fixtures/bad.toml", &[]));
        match res {
            Err(_) => out.push(format!("{name}: PANICKED")),
            Ok(Ok(_)) => out.push(format!("{name}: accepted")),
            Ok(Err(e)) => {
                let msg = e.to_string();
                for x in expect {
                    if !msg.contains(x) {
                        out.push(format!("{name}: missing {x:?} in\n{msg}"));
                    }
                }
            }
        }
    }
    out
}
