//! `[[schedule]]`: an Amazon EventBridge schedule (EventBridge Scheduler,
//! or a scheduled rule) that sends an event to a target every period or
//! at the minutes a cron expression names, on the run's clock (UTC;
//! `[simulation] start` and `start_date`). Facts: aws-facts 10.13.
//!
//! Owns: the typed schedule, its cron expression as sets of allowed
//! values, the bounds and defaults with their sources. Must not know:
//! TOML or cron's text syntax (`scenario::kinds::schedule_cron`), how a
//! run finds the next firing (`services::schedule`).

use crate::engine::{SimDuration, SECONDS};

use super::Destination;

/// `[[schedule]]`.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Unique name.
    pub name: String,
    /// When it fires.
    pub when: When,
    /// Where each event goes: a function (invoked asynchronously), a
    /// queue (a message) or a topic (a publish).
    pub target: Destination,
    /// EventBridge Scheduler's flexible time window \[ns\]: each event is
    /// sent at a uniformly drawn moment of this window after its minute
    /// \[A\]; 0: off (the event is sent inside its minute).
    pub flexible_window: SimDuration,
    /// Which EventBridge feature (for the bill).
    pub kind: ScheduleType,
}

/// When a schedule fires.
#[derive(Clone, Debug, PartialEq)]
pub enum When {
    /// A rate expression: every this long \[ns\], a whole number of
    /// minutes, from the run's first whole clock minute.
    Every(SimDuration),
    /// A cron expression.
    Cron(Cron),
}

/// EventBridge Scheduler or a scheduled rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleType {
    /// EventBridge Scheduler: billed per invocation after a free tier
    /// (aws-facts 10.13, "Price").
    Scheduler,
    /// A scheduled rule on the default event bus (legacy): believed free
    /// (aws-facts 10.13: UNCONFIRMED); no flexible window.
    Rule,
}

impl ScheduleType {
    /// Every type by its name in scenario files.
    pub const NAMES: [(&'static str, ScheduleType); 2] = [
        ("scheduler", ScheduleType::Scheduler),
        ("rule", ScheduleType::Rule),
    ];

    /// Its name in scenario files and figures.
    pub fn name(self) -> &'static str {
        match self {
            ScheduleType::Scheduler => "scheduler",
            ScheduleType::Rule => "rule",
        }
    }
}

/// A cron expression (AWS's six fields: minutes, hours, day-of-month,
/// month, day-of-week, year) as the sets of values each field allows.
/// Day-of-week counts 1 = Sunday to 7 = Saturday, as AWS does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    /// Bit `m` set: minute `m` (0..=59).
    pub minutes: u64,
    /// Bit `h` set: hour `h` (0..=23).
    pub hours: u32,
    /// The day field that is not `?`.
    pub days: Days,
    /// Bit `m` set: month `m` (1..=12).
    pub months: u16,
    /// Bit `y - 1970` set: year `y` (1970..=2199).
    pub years: [u64; 4],
}

/// Which days a cron expression fires on: AWS requires `?` in one of
/// day-of-month and day-of-week; the other is this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Days {
    /// Day-of-month (day-of-week is `?`).
    OfMonth {
        /// Bit `d` set: day `d` (1..=31).
        days: u32,
        /// `L`: the last day of the month.
        last: bool,
        /// `LW`: the last weekday (Monday to Friday) of the month.
        last_weekday: bool,
        /// Bit `d` set: `dW`, the weekday nearest day `d` within the
        /// month.
        nearest_weekday: u32,
    },
    /// Day-of-week (day-of-month is `?`).
    OfWeek {
        /// Bit `d` set: weekday `d` (1 = Sunday ..= 7 = Saturday).
        days: u8,
        /// Bit `d` set: `dL`, the last weekday `d` of the month.
        last: u8,
        /// Bit `(d - 1) * 5 + (k - 1)` set: `d#k`, the `k`-th weekday `d`
        /// of the month (k 1..=5).
        nth: u64,
    },
}

/// First year a cron expression may name (AWS: 1970-2199).
pub const FIRST_YEAR: i64 = 1970;
/// Last year a cron expression may name.
pub const LAST_YEAR: i64 = 2199;

/// Shortest `every` \[ns\]: 1 minute (aws-facts 10.13: "minimum rate 1
/// minute").
pub const MIN_EVERY: SimDuration = 60 * SECONDS;
/// Longest `every` \[ns\]: 366 days, the longest run \[A\].
pub const MAX_EVERY: SimDuration = 366 * 86_400 * SECONDS;
/// A minute \[ns\]: the schedules' precision (aws-facts 10.13: "fires
/// somewhere inside the target minute (60 s precision)").
pub const MINUTE: SimDuration = 60 * SECONDS;
/// Bounds of `flexible_window` \[ns\]: 1 to 1,440 minutes (aws-facts 10.13,
/// `FlexibleTimeWindow`).
pub const FLEXIBLE_WINDOW: (SimDuration, SimDuration) = (MINUTE, 1440 * MINUTE);

impl Schedule {
    /// A Scheduler schedule firing every `every` \[ns\] to `target`, with
    /// no flexible window.
    pub fn every(name: &str, every: SimDuration, target: Destination) -> Self {
        Self {
            name: name.into(),
            when: When::Every(every),
            target,
            flexible_window: 0,
            kind: ScheduleType::Scheduler,
        }
    }
}

impl Cron {
    /// Whether the expression allows year `y`.
    pub fn year(&self, y: i64) -> bool {
        let i = y - FIRST_YEAR;
        (0..=(LAST_YEAR - FIRST_YEAR)).contains(&i)
            && self.years[(i / 64) as usize] >> (i % 64) & 1 == 1
    }
}

/// The proleptic Gregorian calendar, in days since 1970-01-01 (Howard
/// Hinnant's `days_from_civil` and `civil_from_days`).
pub mod calendar {
    /// Days since 1970-01-01 of date `y`-`m`-`d` (m 1..=12, d 1..=31).
    pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date (year, month 1..=12, day 1..=31) of day `z` since
    /// 1970-01-01.
    pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    /// Day of the week of day `z`, AWS cron's numbering: 1 = Sunday ..=
    /// 7 = Saturday (1970-01-01 was a Thursday).
    pub fn weekday(z: i64) -> u32 {
        ((z + 4).rem_euclid(7) + 1) as u32
    }

    /// Days in month `m` of year `y`.
    pub fn days_in_month(y: i64, m: u32) -> u32 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn dates_round_trip_and_weekdays_are_known() {
            assert_eq!(days_from_civil(1970, 1, 1), 0);
            assert_eq!(days_from_civil(2024, 1, 1), 19_723);
            assert_eq!(weekday(19_723), 2, "2024-01-01 was a Monday");
            assert_eq!(weekday(0), 5, "1970-01-01 was a Thursday");
            assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
            for z in -1000..100_000 {
                let (y, m, d) = civil_from_days(z);
                assert_eq!(days_from_civil(y, m, d), z);
                assert!(d <= days_in_month(y, m));
            }
            assert_eq!(days_in_month(2100, 2), 28);
            assert_eq!(days_in_month(2000, 2), 29);
        }
    }
}
