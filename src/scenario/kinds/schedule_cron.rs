//! A schedule's `cron`: AWS's six-field cron expression (EventBridge
//! "Schedule types", aws-facts 10.13) parsed into [`Cron`]: `minutes hours
//! day-of-month month day-of-week year`, optionally written
//! `cron(...)`.
//!
//! Each field takes `*`, a value, a list (`,`), a range (`-`) and a step
//! (`/`, after `*`, a value or a range). Months may be `JAN`..`DEC`,
//! days of the week `SUN`..`SAT` (1 = Sunday ..= 7 = Saturday, as AWS
//! counts). One of day-of-month and day-of-week must be `?` (AWS: "you
//! can't specify both"). Day-of-month also takes `L` (the last day),
//! `LW` (the last weekday) and `dW` (the weekday nearest day d);
//! day-of-week `L` (Saturday, the last day of the week), `dL` (the last
//! weekday d of the month) and `d#k` (the k-th weekday d).
//!
//! Must not know: how a run finds the next firing.

use crate::model::schedule::{Cron, Days, FIRST_YEAR, LAST_YEAR};

/// What a bad expression gets: a message naming the field, and a hint.
pub type CronError = (String, String);

const FORM: &str = "AWS cron has six fields: minutes hours day-of-month month day-of-week year, e.g. \"0 9 ? * MON-FRI *\" (09:00 UTC on weekdays); one of day-of-month and day-of-week must be `?`";
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One field: its name in messages, its range and its names (month and
/// weekday names).
struct Field {
    name: &'static str,
    lo: u32,
    hi: u32,
    names: &'static [&'static str],
}

const MINUTES: Field = Field {
    name: "minutes",
    lo: 0,
    hi: 59,
    names: &[],
};
const HOURS: Field = Field {
    name: "hours",
    lo: 0,
    hi: 23,
    names: &[],
};
const DOM: Field = Field {
    name: "day-of-month",
    lo: 1,
    hi: 31,
    names: &[],
};
const MONTH: Field = Field {
    name: "month",
    lo: 1,
    hi: 12,
    names: &MONTHS,
};
const DOW: Field = Field {
    name: "day-of-week",
    lo: 1,
    hi: 7,
    names: &WEEKDAYS,
};
const YEAR: Field = Field {
    name: "year",
    lo: FIRST_YEAR as u32,
    hi: LAST_YEAR as u32,
    names: &[],
};

/// Parses a cron expression.
pub fn parse(text: &str) -> Result<Cron, CronError> {
    let t = text.trim();
    let inner = match t.strip_prefix("cron(") {
        Some(rest) => rest.strip_suffix(')').ok_or_else(|| {
            (
                format!("cron `{text}` has no closing parenthesis"),
                FORM.to_string(),
            )
        })?,
        None => t,
    };
    let f: Vec<&str> = inner.split_whitespace().collect();
    if f.len() != 6 {
        return Err((
            format!("cron `{text}` has {} fields, not 6", f.len()),
            FORM.to_string(),
        ));
    }
    let err =
        |field: &Field, msg: String| (format!("cron `{text}`: {} {msg}", field.name), hint(field));
    let set = |field: &Field, s: &str| values(field, s).map_err(|m| err(field, m));
    let days = match (f[2], f[4]) {
        ("?", "?") => {
            return Err((
                format!("cron `{text}`: day-of-month and day-of-week are both `?`"),
                "one of them must be `?` and the other a value or `*`, e.g. \"0 9 * * ? *\"".into(),
            ))
        }
        ("?", dow) => day_of_week(dow).map_err(|m| err(&DOW, m))?,
        (dom, "?") => day_of_month(dom).map_err(|m| err(&DOM, m))?,
        _ => {
            return Err((
                format!(
                    "cron `{text}`: day-of-month `{}` and day-of-week `{}` are both given",
                    f[2], f[4]
                ),
                "AWS requires `?` in one of them, e.g. \"0 9 ? * MON-FRI *\" or \"0 9 1 * ? *\""
                    .into(),
            ))
        }
    };
    let mut years = [0u64; 4];
    for y in set(&YEAR, f[5])? {
        let i = (y - YEAR.lo) as usize;
        years[i / 64] |= 1 << (i % 64);
    }
    Ok(Cron {
        minutes: set(&MINUTES, f[0])?.iter().fold(0, |m, v| m | 1 << v),
        hours: set(&HOURS, f[1])?.iter().fold(0, |m, v| m | 1 << v),
        days,
        months: set(&MONTH, f[3])?.iter().fold(0, |m, v| m | 1 << v),
        years,
    })
}

fn hint(f: &Field) -> String {
    let names = if f.names.is_empty() {
        String::new()
    } else {
        format!(" or {}-{}", f.names[0], f.names[f.names.len() - 1])
    };
    format!(
        "{} takes {}-{}{names}, `*`, lists `a,b`, ranges `a-b` and steps `a/n`; {FORM}",
        f.name, f.lo, f.hi
    )
}

/// The values field `f` allows in `s` (a list of `*`, values, ranges and
/// steps), each in `f.lo..=f.hi`.
fn values(f: &Field, s: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for item in s.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, n)) => {
                let n: u32 =
                    n.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("step `{n}` in `{item}` is not a whole number > 0")
                    })?;
                (r, Some(n))
            }
            None => (item, None),
        };
        let (a, b) = if range == "*" {
            (f.lo, f.hi)
        } else if let Some((a, b)) = range.split_once('-') {
            let (a, b) = (value(f, a)?, value(f, b)?);
            if a > b {
                return Err(format!(
                    "range `{range}` runs backwards (write the smaller value first)"
                ));
            }
            (a, b)
        } else {
            let a = value(f, range)?;
            // `a/n`: from a to the end of the range.
            (a, if step.is_some() { f.hi } else { a })
        };
        let mut v = a;
        while v <= b {
            out.push(v);
            v += step.unwrap_or(1);
        }
    }
    Ok(out)
}

/// One value of field `f`: a number or a name, in range.
fn value(f: &Field, s: &str) -> Result<u32, String> {
    let upper = s.to_ascii_uppercase();
    if let Some(i) = f.names.iter().position(|n| *n == upper) {
        return Ok(f.lo + i as u32);
    }
    match s.parse::<u32>() {
        Ok(v) if (f.lo..=f.hi).contains(&v) => Ok(v),
        Ok(v) => Err(format!(
            "value {v} is out of range (allowed {}-{})",
            f.lo, f.hi
        )),
        Err(_) if s == "?" => Err("`?` must be the whole field".into()),
        Err(_) if s.contains(['L', 'W', '#']) => Err(format!(
            "`{s}`: `L`, `W` and `#` stand alone in day-of-month or day-of-week (e.g. `L`, `15W`, `6L`, `2#1`), not in a list, range or other field"
        )),
        Err(_) => Err(format!("`{s}` is not a value")),
    }
}

/// Day-of-month (day-of-week is `?`).
fn day_of_month(s: &str) -> Result<Days, String> {
    let (mut days, mut last, mut last_weekday, mut nearest_weekday) = (0u32, false, false, 0u32);
    match s {
        "L" => last = true,
        "LW" => last_weekday = true,
        _ if s.ends_with('W') && !s.contains(',') => {
            nearest_weekday = 1 << value(&DOM, &s[..s.len() - 1])?;
        }
        _ => days = values(&DOM, s)?.iter().fold(0, |m, v| m | 1 << v),
    }
    Ok(Days::OfMonth {
        days,
        last,
        last_weekday,
        nearest_weekday,
    })
}

/// Day-of-week (day-of-month is `?`).
fn day_of_week(s: &str) -> Result<Days, String> {
    let (mut days, mut last, mut nth) = (0u8, 0u8, 0u64);
    if s == "L" {
        days = 1 << 7;
    } else if let Some(d) = s.strip_suffix('L').filter(|_| !s.contains(',')) {
        last = 1 << value(&DOW, d)?;
    } else if let Some((d, k)) = s.split_once('#').filter(|_| !s.contains(',')) {
        let d = value(&DOW, d)?;
        let k: u32 = k
            .parse()
            .ok()
            .filter(|k| (1..=5).contains(k))
            .ok_or_else(|| format!("`{s}`: the week number after `#` is 1-5"))?;
        nth = 1 << ((d - 1) * 5 + (k - 1));
    } else {
        days = values(&DOW, s)?.iter().fold(0, |m, v| m | 1 << v);
    }
    Ok(Days::OfWeek { days, last, nth })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_sets() {
        let c = parse("0/15 9-17 ? * MON-FRI *").unwrap();
        assert_eq!(c.minutes, 1 | 1 << 15 | 1 << 30 | 1 << 45);
        assert_eq!(c.hours, (9..=17).fold(0, |m, h| m | 1 << h));
        assert_eq!(
            c.days,
            Days::OfWeek {
                days: 0b0111_1100,
                last: 0,
                nth: 0
            }
        );
        assert_eq!(c.months, 0b1_1111_1111_1110);
        assert!(c.year(2026) && c.year(1970) && c.year(2199) && !c.year(2200));
        let c = parse("cron(30 12 L JAN,jul ? 2026)").unwrap();
        assert!(matches!(c.days, Days::OfMonth { last: true, .. }));
        assert_eq!(c.months, 1 << 1 | 1 << 7);
        assert!(c.year(2026) && !c.year(2027));
        let c = parse("0 8 ? * 2#1 2026-2027").unwrap();
        assert_eq!(
            c.days,
            Days::OfWeek {
                days: 0,
                last: 0,
                nth: 1 << 5
            }
        );
        assert!(
            matches!(parse("0 0 15W * ? *").unwrap().days, Days::OfMonth { nearest_weekday, .. } if nearest_weekday == 1 << 15)
        );
        assert!(
            matches!(parse("0 0 ? * 6L *").unwrap().days, Days::OfWeek { last, .. } if last == 1 << 6)
        );
    }

    #[test]
    fn bad_fields_are_named() {
        for (text, word) in [
            ("0 25 * * ? *", "hours value 25 is out of range"),
            ("0 12 * * * *", "both given"),
            ("0 12 ? * ? *", "both `?`"),
            ("0 12 * *", "has 4 fields"),
            ("61 12 * * ? *", "minutes value 61"),
            ("0 12 * FOO ? *", "month `FOO` is not a value"),
            ("0 12 ? * MON#6 *", "1-5"),
            ("0 12 * * ? 1969", "year value 1969"),
            ("0/0 12 * * ? *", "step `0`"),
            ("0 17-9 * * ? *", "backwards"),
            ("0 9 1,L * ? *", "stand alone"),
        ] {
            let (msg, _) = parse(text).unwrap_err();
            assert!(msg.contains(word), "{text}: {msg}");
        }
    }
}
