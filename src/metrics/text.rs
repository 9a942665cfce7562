//! Numbers for people: aligned tables, digit groups, percentages, dollars
//! (the text summary's vocabulary, shared by every kind's rows).

use std::fmt::Write;

/// Columns: the first left-aligned, the others right-aligned.
pub struct Table<const N: usize> {
    rows: Vec<[String; N]>,
}

impl<const N: usize> Table<N> {
    /// A table with these column headers.
    pub fn new(header: [&str; N]) -> Self {
        Table {
            rows: vec![header.map(str::to_string)],
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: [String; N]) {
        self.rows.push(cells);
    }

    /// Appends the aligned table to `out`.
    pub fn render(&self, out: &mut String) {
        let mut width = [0usize; N];
        for row in &self.rows {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        out.push('\n');
        for row in &self.rows {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(width).enumerate() {
                if i == 0 {
                    let _ = write!(line, "{cell:<w$}");
                } else {
                    let _ = write!(line, "  {cell:>w$}");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut s = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    s
}

/// Capacity units: one decimal below 1,000, whole and grouped above.
pub fn units(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1000.0 {
        let s = thousands(v.abs().round() as u64);
        if v < 0.0 {
            format!("-{s}")
        } else {
            s
        }
    } else {
        format!("{v:.1}")
    }
}

/// `part / whole` as a percentage, `-` when `whole` is 0; small non-zero
/// shares keep two significant digits (a 0.0016 % cold-start rate is not 0).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    let p = part as f64 / whole as f64 * 100.0;
    // Small shares keep two significant digits; a small gap to 100 % keeps
    // one, so that "100.00%" means all, and "0.00%" none.
    if p > 0.0 && p < 0.01 {
        let decimals = ((-p.log10()).floor() as usize + 2).min(12);
        format!("{p:.decimals$}%")
    } else if part < whole && p > 99.99 {
        let gap = (whole - part) as f64 / whole as f64 * 100.0;
        let decimals = ((-gap.log10()).floor() as usize + 1).min(12);
        // Truncate, not round: never print 100 for a share below it.
        let scale = 10f64.powi(decimals as i32);
        let shown = (p * scale).floor() / scale;
        format!("{shown:.decimals$}%")
    } else {
        format!("{p:.2}%")
    }
}

/// Milliseconds to 0.1 ms, or `-` when undefined.
pub fn ms(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.1}", v + 0.0))
}

/// Dollars: cents from $1 up, four decimals below (windows are often short).
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.abs() < 1.0 {
        return format!("{v:.4}");
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// Seconds to the millisecond, without trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn dollars_group_thousands_and_keep_small_amounts() {
        assert_eq!(usd(1257.554), "1,257.55");
        assert_eq!(usd(18.74), "18.74");
        assert_eq!(usd(0.00291), "0.0029");
        assert_eq!(usd(0.0), "0.0000");
        assert_eq!(usd(-2.5), "-2.50");
    }

    #[test]
    fn seconds_drop_trailing_zeros() {
        assert_eq!(num(120.0000001), "120");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0), "0");
    }

    #[test]
    fn percent_of_zero_is_a_dash() {
        assert_eq!(percent(1, 0), "-");
        assert_eq!(percent(1, 8), "12.50%");
        assert_eq!(percent(89, 5_697_373), "0.0016%");
        assert_eq!(percent(0, 5), "0.00%");
        // Two of 10,359,438 still in flight: not 100 %.
        assert_eq!(percent(10_359_436, 10_359_438), "99.99998%");
        assert_eq!(percent(9_999, 10_000), "99.99%");
        assert_eq!(percent(5, 5), "100.00%");
    }
}
