//! Numbers inside scenario strings (`"1_000ms"`, `"rate=2e3"`), read the
//! way TOML reads numbers, and numbers printed compactly in messages.

/// Why a number could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumErr {
    /// Not a number at all (or `_` not between two digits).
    Malformed,
    /// A number too large for a 64-bit float (e.g. `1e400`).
    TooLarge,
}

/// Reads a number written as TOML writes floats: optional sign, digits,
/// optional fraction and exponent; `_` only between two digits (`1_000`,
/// not `_1`, `1_` or `1__0`). `inf` and `nan` are not numbers here.
pub fn parse(s: &str) -> Result<f64, NumErr> {
    let t = s.trim();
    let b = t.as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for (i, &c) in b.iter().enumerate() {
        let ok = match c {
            b'0'..=b'9' | b'.' | b'e' | b'E' => true,
            b'+' | b'-' => i == 0 || matches!(b[i - 1], b'e' | b'E'),
            b'_' => i > 0 && digit_at(i - 1) && digit_at(i + 1),
            _ => false,
        };
        if !ok {
            return Err(NumErr::Malformed);
        }
    }
    if !b.iter().any(u8::is_ascii_digit) {
        return Err(NumErr::Malformed);
    }
    let clean: String = t.chars().filter(|&c| c != '_').collect();
    match clean.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(NumErr::TooLarge),
        Err(_) => Err(NumErr::Malformed),
    }
}

/// The length of the number at the start of `s` (digits, `.`, `_`, a
/// leading sign, and an exponent `e[+-]digits`), so that a unit can follow:
/// `"1e3s"` -> 3, `"250ms"` -> 3.
pub fn prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    i
}

/// A number printed compactly and exactly enough to tell it from a limit:
/// the shortest text that reads back as the same `f64`, in plain decimals
/// for ordinary magnitudes (`1000001`, `0.25`) and in scientific notation
/// for extreme ones (`5e-324`, `1e300`). Never prints `-0`.
pub fn show(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if (1e-4..1e16).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A duration \[ns\] in the largest unit that shows it exactly: `24h`,
/// `90s`, `1.5s`, `250ms`.
pub fn show_ns(ns: u64) -> String {
    const UNITS: [(u64, &str); 7] = [
        (86_400_000_000_000, "d"),
        (3_600_000_000_000, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
        (1_000_000, "ms"),
        (1_000, "us"),
        (1, "ns"),
    ];
    if ns == 0 {
        return "0s".into();
    }
    for (u, name) in UNITS {
        if ns % u == 0 {
            return format!("{}{name}", ns / u);
        }
        // Not a whole number of seconds but at least one: decimal seconds.
        if name == "s" && ns >= u {
            return format!("{}s", show(ns as f64 / 1e9));
        }
    }
    format!("{ns}ns")
}

/// `lo..=hi`, or `> 0 and <= hi` when `lo` is the smallest positive float.
pub fn show_range(lo: f64, hi: f64) -> String {
    if lo == f64::MIN_POSITIVE {
        format!("> 0 and <= {}", show(hi))
    } else {
        format!("{}..={}", show(lo), show(hi))
    }
}

/// `1 workload`, `2 workloads`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `a lambda`, `an api`: a kind name with its indefinite article.
pub fn a(word: &str) -> String {
    format!("{} {word}", article(word))
}

/// `a` or `an` for a kind name (they are read letter by letter only when
/// they start with a vowel: `an api`).
pub fn article(word: &str) -> &'static str {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    if vowel {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_toml() {
        assert_eq!(parse("1_000"), Ok(1000.0));
        assert_eq!(parse("2e3"), Ok(2000.0));
        assert_eq!(parse("+1.5E-1"), Ok(0.15));
        assert_eq!(parse("-3"), Ok(-3.0));
        for bad in [
            "_1", "1_", "1__0", "1_.5", "", "e5", "inf", "nan", "1-2", "0x10",
        ] {
            assert_eq!(parse(bad), Err(NumErr::Malformed), "{bad}");
        }
        assert_eq!(parse("1e400"), Err(NumErr::TooLarge));
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix_len("1e3s"), 3);
        assert_eq!(prefix_len("250ms"), 3);
        assert_eq!(prefix_len("1.5e-3h"), 6);
        assert_eq!(prefix_len("5μs"), 1);
        assert_eq!(prefix_len("2e"), 1);
        assert_eq!(prefix_len("_1s"), 2);
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(show(5e-324), "5e-324");
        assert_eq!(show(1e300), "1e300");
        assert_eq!(show(1000001.0), "1000001");
        assert_eq!(show(1e6), "1000000");
        assert_eq!(show(0.25), "0.25");
        assert_eq!(show(-0.0), "0");
        assert_eq!(show(40000.5), "40000.5");
        assert_eq!(show_range(f64::MIN_POSITIVE, 1e6), "> 0 and <= 1000000");
        assert_eq!(show_ns(86_400_000_000_000), "1d");
        assert_eq!(show_ns(29_000_000_000), "29s");
        assert_eq!(show_ns(1_500_000_000), "1.5s");
        assert_eq!(show_ns(90_000_000_000), "90s");
        assert_eq!(show_ns(50_000_000), "50ms");
        assert_eq!(show_ns(7), "7ns");
        assert_eq!(count(1, "workload"), "1 workload");
        assert_eq!(count(0, "api"), "0 apis");
        assert_eq!(a("api or lambda"), "an api or lambda");
        assert_eq!(a("table"), "a table");
    }
}
