//! EventBridge schedules (`[[schedule]]`) end to end: a rate fires at
//! whole clock minutes, a known number of times, each event sent inside
//! its minute (or its flexible window); cron expressions fire at the
//! minutes of a hand-computed list; every firing ends sent or in transit;
//! the targets receive what was sent; Scheduler invocations are priced.

use crate::common::stats::series;
use crate::common::*;
use slsim::engine::SECONDS;
use slsim::model::schedule::{When, MINUTE};
use slsim::model::*;
use slsim::sim::RunResult;

/// A run of `duration_s` with these schedules, one function `f` (a
/// 10 ms body), one standard queue `q` and one topic `t` subscribed by
/// nothing, and the series bucket `interval_s`.
fn with_schedules(duration_s: u64, schedules: Vec<Schedule>, interval_s: u64) -> Scenario {
    let mut sim = simulation(duration_s, 0, 3);
    sim.timeseries_interval = interval_s * SECONDS;
    let f = lambda("f", vec![Step::Io(slsim::dist::Dist::Const(0.01))]);
    let mut s = scenario(sim, vec![], vec![f]);
    s.queues = vec![Queue::new("q", QueueType::Standard)];
    s.topics = vec![Topic::new("t", vec![])];
    s.schedules = schedules;
    s
}

fn cron(name: &str, text: &str, target: Destination) -> Schedule {
    let toml = format!(
        "[simulation]\nduration = \"1h\"\n\n[[schedule]]\nname = \"{name}\"\ncron = \"{text}\"\ntarget = \"q\"\n\n[[queue]]\nname = \"q\"\n"
    );
    let parsed = slsim::scenario::parse_str(&toml, "cron.toml", &[]).expect("valid cron");
    Schedule {
        target,
        ..parsed.schedules[0].clone()
    }
}

/// Every firing of every schedule ends sent or in transit.
pub fn conserve_schedules(name: &str, r: &RunResult) {
    for (sch, s) in &r.schedules {
        assert_eq!(
            s.fired,
            s.delivered + s.pending_end,
            "{name}: schedule {sch}: fired = delivered + pending_end"
        );
    }
}

/// The buckets in which `metric` of `component` is non-zero, each as many
/// times as its count.
fn hits(r: &RunResult, component: &str, metric: &str) -> Vec<usize> {
    series(r, component, metric)
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| std::iter::repeat_n(i, v as usize))
        .collect()
}

#[test]
fn every_five_minutes_over_an_hour_fires_twelve_times_inside_each_minute() {
    // From 00:00: firings at 0, 5, ..., 55 min; the one at 60 min would be
    // the run's end, outside it: 12.
    let s = with_schedules(
        3600,
        vec![Schedule::every("tick", 5 * MINUTE, Destination::Lambda(0))],
        1,
    );
    let r = run(&s);
    conserve_schedules("every 5m", &r);
    let t = &r.schedules["tick"];
    assert_eq!((t.fired, t.delivered, t.pending_end), (12, 12, 0));
    let want: Vec<usize> = (0..12).map(|k| 300 * k).collect();
    assert_eq!(hits(&r, "tick", "fired"), want, "firing minutes");
    let sent = hits(&r, "tick", "delivered");
    assert_eq!(sent.len(), 12);
    for (k, at) in sent.iter().enumerate() {
        assert!(
            (300 * k..300 * k + 60).contains(at),
            "event {k} sent at {at} s, outside its minute"
        );
    }
    // Not all at the minute's start: the moment is drawn inside it.
    assert!(sent.iter().enumerate().any(|(k, at)| *at > 300 * k + 1));
    // The function accepted each as an asynchronous event and ran it.
    let f = &r.functions["f"];
    assert_eq!(f.asynchronous.as_ref().map(|a| a.accepted), Some(12));
    assert_eq!(f.invocations, 12);
    // EventBridge Scheduler: 12 invocations in the hour, repeated to a
    // month at $1.00 per million (no free tier here).
    let month = 12.0 * (730.0 * 3600.0 / 3600.0) * 1.00 / 1e6;
    let got = r.cost.by_service["eventbridge"];
    assert!((got - month).abs() <= 1e-12 * month, "{got} vs {month}");
}

#[test]
fn a_clock_between_minutes_fires_at_the_next_whole_minute() {
    // start 00:00:30: the first whole minute is t = 30 s; then every 5
    // minutes: 30, 330, ..., 3330 s (12 in the hour).
    let mut s = with_schedules(
        3600,
        vec![Schedule::every("tick", 5 * MINUTE, Destination::Queue(0))],
        1,
    );
    s.simulation.start = 30 * SECONDS;
    let r = run(&s);
    conserve_schedules("offset clock", &r);
    let want: Vec<usize> = (0..12).map(|k| 30 + 300 * k).collect();
    assert_eq!(hits(&r, "tick", "fired"), want);
    assert_eq!(r.queues["q"].sent, r.schedules["tick"].delivered);
}

#[test]
fn cron_expressions_fire_at_hand_computed_minutes() {
    // 2024-01-01 (the default start_date) is a Monday. Over 91 days
    // (to 2024-04-01), in minutes of the run (day × 1440 + minute):
    // - weekdays at 09:00 in the first week: days 0-4;
    // - the last Friday of each month at 10:15: Jan 26, Feb 23, Mar 29
    //   (days 25, 53, 88);
    // - the last weekday of each month at 12:00: Wed Jan 31, Thu Feb 29
    //   (leap year), Fri Mar 29 (the 31st is a Sunday): days 30, 59, 88;
    // - the first Monday of each month at 08:00 (2#1): Jan 1, Feb 5,
    //   Mar 4 (days 0, 35, 63);
    // - the weekday nearest the 10th at 07:30 (10W): Wed Jan 10, Fri Feb 9
    //   (the 10th is a Saturday), Mon Mar 11 (a Sunday): days 9, 39, 70.
    let schedules = vec![
        cron("weekdays", "0 9 ? * MON-FRI 2024", Destination::Queue(0)),
        cron("last-friday", "15 10 ? * 6L 2024", Destination::Queue(0)),
        cron("last-weekday", "0 12 LW * ? *", Destination::Topic(0)),
        cron("first-monday", "0 8 ? * 2#1 *", Destination::Lambda(0)),
        cron("near-tenth", "30 7 10W * ? *", Destination::Queue(0)),
    ];
    // 5-minute buckets (91 days of 1-minute buckets exceed a series'
    // 86,400): every minute above starts one, and a send inside the
    // minute stays in it.
    let s = with_schedules(91 * 86_400, schedules, 300);
    let r = run(&s);
    conserve_schedules("cron", &r);
    let at = |day: usize, h: usize, m: usize| (day * 1440 + h * 60 + m) / 5;
    let weekdays: Vec<usize> = (0..91).filter(|d| d % 7 < 5).map(|d| at(d, 9, 0)).collect();
    let cases: [(&str, Vec<usize>); 5] = [
        ("weekdays", weekdays),
        (
            "last-friday",
            vec![at(25, 10, 15), at(53, 10, 15), at(88, 10, 15)],
        ),
        (
            "last-weekday",
            vec![at(30, 12, 0), at(59, 12, 0), at(88, 12, 0)],
        ),
        (
            "first-monday",
            vec![at(0, 8, 0), at(35, 8, 0), at(63, 8, 0)],
        ),
        (
            "near-tenth",
            vec![at(9, 7, 30), at(39, 7, 30), at(70, 7, 30)],
        ),
    ];
    assert_eq!(r.timeseries.interval_s, 300.0);
    for (name, want) in cases {
        assert_eq!(hits(&r, name, "fired"), want, "{name}");
        // Sent inside the minute: the same 5-minute bucket.
        assert_eq!(hits(&r, name, "delivered"), want, "{name} sent");
    }
    // The targets got what was sent.
    let sent_to_q: u64 = ["weekdays", "last-friday", "near-tenth"]
        .iter()
        .map(|n| r.schedules[*n].delivered)
        .sum();
    assert_eq!(r.queues["q"].sent, sent_to_q);
    assert_eq!(r.topics["t"].published, 3);
    assert_eq!(r.functions["f"].invocations, 3);
}

#[test]
fn a_cron_on_another_start_date_and_clock_follows_the_calendar() {
    // From Saturday 2026-02-28 at 23:00, "every day at 00:00 in March"
    // first fires at t = 1 h (Sunday March 1st), then daily: 3 firings in
    // 3 days, none on February 28th.
    let mut s = with_schedules(
        3 * 86_400,
        vec![cron("march", "0 0 * MAR ? *", Destination::Queue(0))],
        60,
    );
    s.simulation.start_date = slsim::model::schedule::calendar::days_from_civil(2026, 2, 28);
    s.simulation.start = 23 * 3600 * SECONDS;
    let r = run(&s);
    assert_eq!(hits(&r, "march", "fired"), vec![60, 60 + 1440, 60 + 2880]);
}

#[test]
fn a_flexible_window_spreads_sends_and_the_last_ones_may_be_in_transit() {
    // Every minute for 30 min with a 15-minute window: each event is sent
    // within 15 min of its minute; those fired late in the run may still
    // be in transit at its end.
    let mut sch = Schedule::every("spread", MINUTE, Destination::Queue(0));
    sch.flexible_window = 15 * MINUTE;
    let s = with_schedules(1800, vec![sch], 1);
    let r = run(&s);
    conserve_schedules("flexible window", &r);
    let t = &r.schedules["spread"];
    assert_eq!(t.fired, 30);
    assert!(t.pending_end > 0, "{t:?}");
    let fired = hits(&r, "spread", "fired");
    let sent = hits(&r, "spread", "delivered");
    assert_eq!(sent.len() as u64, t.delivered);
    // Matching the k-th smallest send to the k-th firing is not possible
    // (sends reorder), but every send lies within 15 min after some
    // firing, and beyond the first minute for some.
    for at in &sent {
        assert!(fired.iter().any(|f| (*f..*f + 900).contains(at)), "{at}");
    }
    assert!(sent.iter().zip(&fired).any(|(s, f)| s > &(f + 60)));
    assert_eq!(r.queues["q"].sent, t.delivered);
}

#[test]
fn a_scheduled_rule_is_not_billed() {
    let mut sch = Schedule::every("rule", MINUTE, Destination::Queue(0));
    sch.kind = ScheduleType::Rule;
    let r = run(&with_schedules(600, vec![sch], 1));
    let t = &r.schedules["rule"];
    assert_eq!((t.fired, t.billed_invocations), (10, 0));
    assert_eq!(r.cost.by_service["eventbridge"], 0.0);
    assert!(matches!(
        slsim::model::Schedule::every("x", MINUTE, Destination::Queue(0)).when,
        When::Every(MINUTE)
    ));
}
