//! The run's calendar and when a schedule fires next: whole minutes of
//! the clock (UTC), from the run's `start_date` and `start` on; cron
//! expressions matched day by day (day-of-month with `L`, `LW`, `dW`;
//! day-of-week with `dL`, `d#k`), rate expressions every so many
//! minutes.
//!
//! Must not know: events, TOML.

use crate::engine::{SimDuration, SimTime};
use crate::model::schedule::calendar::{civil_from_days, days_in_month, weekday};
use crate::model::schedule::{Cron, Days, When, MINUTE};

/// Minutes in a day.
const DAY_MINUTES: i64 = 1440;

/// The clock of a run: t = 0 is `clock` after midnight (UTC) of day
/// `date` (days since 1970-01-01). Times of day are in absolute minutes
/// (since 1970-01-01 00:00).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// t = 0 in ns since 1970-01-01 00:00.
    origin: i128,
}

impl Clock {
    /// The clock of a run that starts at `clock` \[ns after midnight\] of
    /// day `date`.
    pub fn new(date: i64, clock: SimDuration) -> Self {
        Self {
            origin: i128::from(date) * i128::from(DAY_MINUTES) * i128::from(MINUTE)
                + i128::from(clock),
        }
    }

    /// The first whole minute at or after t = 0.
    pub fn first_minute(&self) -> i64 {
        let m = i128::from(MINUTE);
        ((self.origin + m - 1).div_euclid(m)) as i64
    }

    /// Run time of minute `minute` \[ns\]; `None` before t = 0 or beyond
    /// the clock's range.
    pub fn time_of(&self, minute: i64) -> Option<SimTime> {
        let t = i128::from(minute) * i128::from(MINUTE) - self.origin;
        u64::try_from(t).ok()
    }

    /// The minute that holds run time `t`.
    pub fn minute_of(&self, t: SimTime) -> i64 {
        ((self.origin + i128::from(t)).div_euclid(i128::from(MINUTE))) as i64
    }
}

/// The first minute at or after `from` at which `when` fires (a rate
/// fires at `first`, then every period), no later than `until`.
pub fn next(when: &When, first: i64, from: i64, until: i64) -> Option<i64> {
    match when {
        When::Every(period) => {
            let p = (*period / MINUTE).max(1) as i64;
            let k = (from - first).max(0);
            let m = first + (k + p - 1) / p * p;
            (m <= until).then_some(m)
        }
        When::Cron(c) => next_cron(c, from, until),
    }
}

/// The first minute at or after `from` that cron expression `c` names, no
/// later than `until`. Walks day by day (at most the run's days).
pub fn next_cron(c: &Cron, from: i64, until: i64) -> Option<i64> {
    let mut day = from.div_euclid(DAY_MINUTES);
    let mut at = from.rem_euclid(DAY_MINUTES);
    while day * DAY_MINUTES <= until {
        if day_matches(c, day) {
            if let Some(m) = first_time(c, at) {
                let minute = day * DAY_MINUTES + m;
                return (minute <= until).then_some(minute);
            }
        }
        day += 1;
        at = 0;
    }
    None
}

/// The first minute of the day at or after `from` (minutes after
/// midnight) that `c`'s hours and minutes allow.
fn first_time(c: &Cron, from: i64) -> Option<i64> {
    let (h0, m0) = (from / 60, from % 60);
    for h in h0..24 {
        if c.hours >> h & 1 == 0 {
            continue;
        }
        let start = if h == h0 { m0 } else { 0 };
        let mins = c.minutes >> start;
        if mins != 0 {
            return Some(h * 60 + start + i64::from(mins.trailing_zeros()));
        }
    }
    None
}

/// Whether cron expression `c` fires on day `z` (days since 1970-01-01).
pub fn day_matches(c: &Cron, z: i64) -> bool {
    let (y, m, d) = civil_from_days(z);
    if !c.year(y) || c.months >> m & 1 == 0 {
        return false;
    }
    let dim = days_in_month(y, m);
    let wd = weekday(z);
    match c.days {
        Days::OfMonth {
            days,
            last,
            last_weekday,
            nearest_weekday,
        } => {
            days >> d & 1 == 1
                || (last && d == dim)
                || (last_weekday && d == last_weekday_of(z - i64::from(d), dim))
                || (1..=31).any(|n| {
                    nearest_weekday >> n & 1 == 1
                        && n <= dim
                        && d == nearest_weekday_to(z - i64::from(d), n, dim)
                })
        }
        Days::OfWeek { days, last, nth } => {
            let k = (d - 1) / 7;
            days >> wd & 1 == 1
                || (last >> wd & 1 == 1 && d + 7 > dim)
                || (k < 5 && nth >> ((wd - 1) * 5 + k) & 1 == 1)
        }
    }
}

/// Whether day `z0 + d` (a day of a month whose day 0 is `z0`) falls on
/// Saturday (7) or Sunday (1).
fn weekday_of(z0: i64, d: u32) -> u32 {
    weekday(z0 + i64::from(d))
}

/// The last Monday-to-Friday day of the month whose day 0 is `z0` and
/// that has `dim` days.
fn last_weekday_of(z0: i64, dim: u32) -> u32 {
    match weekday_of(z0, dim) {
        7 => dim - 1,
        1 => dim - 2,
        _ => dim,
    }
}

/// `nW`: the Monday-to-Friday day nearest day `n`, within its month (AWS,
/// after Quartz: Saturday moves to Friday, or to Monday on the 1st;
/// Sunday to Monday, or to Friday on the month's last day).
fn nearest_weekday_to(z0: i64, n: u32, dim: u32) -> u32 {
    match weekday_of(z0, n) {
        7 if n == 1 => 3,
        7 => n - 1,
        1 if n == dim => n - 2,
        1 => n + 1,
        _ => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schedule::calendar::days_from_civil;

    fn cron(minutes: &[u32], hours: &[u32], days: Days) -> Cron {
        Cron {
            minutes: minutes.iter().fold(0, |m, v| m | 1 << v),
            hours: hours.iter().fold(0, |m, v| m | 1 << v),
            days,
            months: 0b1_1111_1111_1110,
            years: [u64::MAX; 4],
        }
    }

    #[test]
    fn rates_start_at_the_first_whole_minute() {
        let c = Clock::new(0, 90 * crate::engine::SECONDS);
        assert_eq!(c.first_minute(), 2);
        assert_eq!(c.time_of(2), Some(30 * crate::engine::SECONDS));
        let every5 = When::Every(5 * MINUTE);
        assert_eq!(next(&every5, 2, 2, 100), Some(2));
        assert_eq!(next(&every5, 2, 3, 100), Some(7));
        assert_eq!(next(&every5, 2, 98, 100), None);
    }

    #[test]
    fn special_days_follow_the_calendar() {
        // May 2026: the 1st is a Friday, the 31st a Sunday.
        let z0 = days_from_civil(2026, 5, 1) - 1;
        assert_eq!(last_weekday_of(z0, 31), 29);
        assert_eq!(
            nearest_weekday_to(z0, 2, 31),
            1,
            "Saturday the 2nd -> Friday"
        );
        assert_eq!(nearest_weekday_to(z0, 3, 31), 4, "Sunday the 3rd -> Monday");
        assert_eq!(
            nearest_weekday_to(z0, 31, 31),
            29,
            "Sunday the 31st -> Friday"
        );
        // The second Tuesday (3#2) of May 2026 is the 12th; the last Friday
        // (6L) the 29th.
        let nth = cron(
            &[0],
            &[9],
            Days::OfWeek {
                days: 0,
                last: 0,
                nth: 1 << (2 * 5 + 1),
            },
        );
        let last_fri = cron(
            &[0],
            &[9],
            Days::OfWeek {
                days: 0,
                last: 1 << 6,
                nth: 0,
            },
        );
        let days = |c: &Cron| -> Vec<u32> {
            (1..=31)
                .filter(|&d| day_matches(c, z0 + i64::from(d)))
                .collect()
        };
        assert_eq!(days(&nth), vec![12]);
        assert_eq!(days(&last_fri), vec![29]);
        let l = cron(
            &[0],
            &[9],
            Days::OfMonth {
                days: 0,
                last: true,
                last_weekday: false,
                nearest_weekday: 0,
            },
        );
        assert_eq!(days(&l), vec![31]);
    }

    #[test]
    fn the_next_minute_skips_to_an_allowed_day_and_time() {
        // Weekdays at 09:00 and 17:30; from Saturday 2024-01-06 10:00.
        let mut c = cron(
            &[0, 30],
            &[9, 17],
            Days::OfWeek {
                days: 0b0111_1100,
                last: 0,
                nth: 0,
            },
        );
        c.minutes = 1; // :00 only
        let sat = days_from_civil(2024, 1, 6);
        let m = next_cron(&c, sat * 1440 + 600, i64::MAX / 2).unwrap();
        assert_eq!(m, (sat + 2) * 1440 + 9 * 60, "Monday 09:00");
        let m2 = next_cron(&c, m + 1, i64::MAX / 2).unwrap();
        assert_eq!(m2, (sat + 2) * 1440 + 17 * 60, "Monday 17:00");
        assert_eq!(next_cron(&c, m + 1, m + 60), None, "not before `until`");
    }
}
