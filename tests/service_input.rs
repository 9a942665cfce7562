//! `[[service]]`, `[[schedule]]`, service call steps and `[simulation]
//! start_date` in scenario files: a full valid example with its defaults,
//! and each mistake (an unknown target, a wrong kind, bad cron fields, a
//! rate below a minute, limits out of range, SES presets without or with
//! fixed quotas) rejected with a located message and a hint.

use slsim::dist::Dist;
use slsim::model::schedule::{calendar, Days, When, MINUTE};
use slsim::model::service::{Preset, RateLimit};
use slsim::model::{Destination, ScheduleType, Step};
use slsim::scenario;

#[path = "support/rejected.rs"]
mod rejected;

const SIM: &str = "[simulation]\nduration = \"1h\"\n";

const GOOD: &str = r#"[simulation]
duration = "2d"
start_date = 2026-03-02

[[lambda]]
name = "welcome"
steps = [{ call = "ses" }, { call = "crm" }, { call = "sandbox" }]

[[lambda]]
name = "report"

[[service]]
name = "ses"
preset = "ses"
latency = "lognormal(median=60ms, sigma=0.4)"
rate_limit = 14
daily_quota = 50000

[[service]]
name = "crm"
latency = "const(80ms)"
rate_limit = 2.5
burst = 10
price_per_1000 = 0.5

[[service]]
name = "sandbox"
preset = "ses-sandbox"
latency = "const(50ms)"

[[schedule]]
name = "nightly"
cron = "cron(0 2 ? * MON-FRI *)"
target = "report"

[[schedule]]
name = "tick"
every = "5m"
target = "jobs"
flexible_window = "15m"

[[schedule]]
name = "legacy"
every = "1h"
target = "news"
type = "rule"

[[queue]]
name = "jobs"

[[topic]]
name = "news"
subscribers = ["report"]
"#;

#[test]
fn services_and_schedules_parse_with_their_defaults() {
    let s = scenario::parse_str(GOOD, "good.toml", &[]).unwrap();
    assert_eq!(
        s.simulation.start_date,
        calendar::days_from_civil(2026, 3, 2)
    );
    assert_eq!(s.services.len(), 3);
    let ses = &s.services[0];
    assert_eq!(ses.preset, Some(Preset::Ses));
    assert_eq!(
        ses.rate_limit,
        Some(RateLimit {
            rate: 14.0,
            burst: 14.0
        })
    );
    assert_eq!((ses.daily_quota, ses.price_per_1000), (Some(50_000), 0.10));
    let crm = &s.services[1];
    assert_eq!(
        crm.rate_limit,
        Some(RateLimit {
            rate: 2.5,
            burst: 10.0
        })
    );
    assert_eq!(
        (crm.daily_quota, crm.price_per_1000, crm.preset),
        (None, 0.5, None)
    );
    assert_eq!(
        format!("{:?}", crm.latency),
        format!("{:?}", Dist::Const(0.08))
    );
    let sb = &s.services[2];
    assert_eq!(sb.rate_limit.map(|l| (l.rate, l.burst)), Some((1.0, 1.0)));
    assert_eq!(sb.daily_quota, Some(200));
    assert!(matches!(
        s.lambdas[0].steps[0],
        Step::External { service: 0 }
    ));
    assert!(matches!(
        s.lambdas[0].steps[1],
        Step::External { service: 1 }
    ));
    let nightly = &s.schedules[0];
    assert_eq!(nightly.target, Destination::Lambda(1));
    assert_eq!(
        (nightly.kind, nightly.flexible_window),
        (ScheduleType::Scheduler, 0)
    );
    match &nightly.when {
        When::Cron(c) => {
            assert_eq!((c.minutes, c.hours), (1, 1 << 2));
            assert!(matches!(
                c.days,
                Days::OfWeek {
                    days: 0b0111_1100,
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
    let tick = &s.schedules[1];
    assert_eq!(tick.when, When::Every(5 * MINUTE));
    assert_eq!(
        (tick.target, tick.flexible_window),
        (Destination::Queue(0), 15 * MINUTE)
    );
    let legacy = &s.schedules[2];
    assert_eq!(
        (legacy.target, legacy.kind),
        (Destination::Topic(0), ScheduleType::Rule)
    );
    // The report function is invoked asynchronously by a schedule: its
    // destinations would be reached (no warning either way here).
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The graph draws the calls and the schedules.
    let dot = slsim::topology::to_dot(&s);
    for x in [
        "\"welcome\" -> \"ses\" [label=\"call\"]",
        "\"nightly\" -> \"report\" [label=\"schedule\", style=dotted]",
        "\"tick\" -> \"jobs\" [label=\"send\", style=dashed]",
        "\"legacy\" -> \"news\" [label=\"publish\", style=dashed]",
        "shape=box3d",
        "shape=invhouse",
    ] {
        assert!(dot.contains(x), "{x:?} in\n{dot}");
    }
}

struct Case {
    name: &'static str,
    body: &'static str,
    expect: &'static [&'static str],
}

const LAMBDA: &str = "\n[[lambda]]\nname = \"f\"\n";

const CASES: &[Case] = &[
    // Targets and kinds.
    Case { name: "unknown schedule target", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"reprot\"\n\n[[lambda]]\nname = \"report\"\n", expect: &["bad.toml:7:", "schedule[0] \"s\" .target", "`reprot` is not defined", "did you mean `report`?"] },
    Case { name: "schedule target of the wrong kind", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"d\"\n\n[[table]]\nname = \"d\"\n", expect: &["bad.toml:7:", "`d` is a table", "must be a lambda, queue or topic"] },
    Case { name: "unknown service in a step", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"sse\" }]\n\n[[service]]\nname = \"ses\"\nlatency = \"const(1ms)\"\n", expect: &["bad.toml:6:", "steps[0].call", "`sse` is not defined", "did you mean `ses`?"] },
    Case { name: "op on a service call", body: "[[lambda]]\nname = \"f\"\nsteps = [{ call = \"ses\", op = \"put\" }]\n\n[[service]]\nname = \"ses\"\nlatency = \"const(1ms)\"\n", expect: &["bad.toml:6:", "`op` does not apply"] },
    Case { name: "schedule to a service", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"ses\"\n\n[[service]]\nname = \"ses\"\nlatency = \"const(1ms)\"\n", expect: &["bad.toml:7:", "`ses` is a service", "must be a lambda, queue or topic"] },
    // Rates.
    Case { name: "rate below a minute", body: "[[schedule]]\nname = \"s\"\nevery = \"30s\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "schedule[0] \"s\" .every", "below EventBridge's minimum rate of 1 minute", "aws-facts 10.13"] },
    Case { name: "rate not whole minutes", body: "[[schedule]]\nname = \"s\"\nevery = \"90s\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "not a whole number of minutes"] },
    Case { name: "bad rate", body: "[[schedule]]\nname = \"s\"\nevery = \"often\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "schedule[0] \"s\" .every"] },
    Case { name: "neither every nor cron", body: "[[schedule]]\nname = \"s\"\ntarget = \"f\"\n", expect: &["bad.toml:4:", "needs `every` or `cron`"] },
    Case { name: "both every and cron", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ncron = \"0 9 * * ? *\"\ntarget = \"f\"\n", expect: &["bad.toml:7:", "both `every` and `cron`"] },
    // Cron fields.
    Case { name: "cron hour out of range", body: "[[schedule]]\nname = \"s\"\ncron = \"0 25 * * ? *\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "schedule[0] \"s\" .cron", "hours value 25 is out of range (allowed 0-23)", "hours takes 0-23"] },
    Case { name: "cron with five fields", body: "[[schedule]]\nname = \"s\"\ncron = \"0 9 * * MON\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "has 5 fields, not 6", "minutes hours day-of-month month day-of-week year"] },
    Case { name: "cron with both day fields", body: "[[schedule]]\nname = \"s\"\ncron = \"0 9 * * MON *\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "are both given", "`?` in one of them"] },
    Case { name: "cron with a bad weekday", body: "[[schedule]]\nname = \"s\"\ncron = \"0 9 ? * MOM *\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "day-of-week `MOM` is not a value", "SUN-SAT"] },
    Case { name: "cron with a bad nth", body: "[[schedule]]\nname = \"s\"\ncron = \"0 9 ? * 2#7 *\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "1-5"] },
    Case { name: "cron year out of range", body: "[[schedule]]\nname = \"s\"\ncron = \"0 9 * * ? 2300\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "year value 2300 is out of range (allowed 1970-2199)"] },
    // Windows and types.
    Case { name: "flexible window too long", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"f\"\nflexible_window = \"2d\"\n", expect: &["bad.toml:8:", "flexible_window", "1-1,440 minutes"] },
    Case { name: "flexible window on a rule", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"f\"\ntype = \"rule\"\nflexible_window = \"15m\"\n", expect: &["bad.toml:9:", "a scheduled rule has no flexible window"] },
    Case { name: "bad schedule type", body: "[[schedule]]\nname = \"s\"\nevery = \"5m\"\ntarget = \"f\"\ntype = \"schedular\"\n", expect: &["bad.toml:8:", "`schedular` is not a valid value", "scheduler"] },
    Case { name: "misspelt schedule field", body: "[[schedule]]\nname = \"s\"\nevry = \"5m\"\ntarget = \"f\"\n", expect: &["bad.toml:6:", "evry", "did you mean `every`?"] },
    // Services.
    Case { name: "service without latency", body: "[[service]]\nname = \"x\"\n", expect: &["bad.toml:4:", "missing field `latency`"] },
    Case { name: "negative rate limit", body: "[[service]]\nname = \"x\"\nlatency = \"const(1ms)\"\nrate_limit = -1\n", expect: &["bad.toml:7:", "rate_limit", "-1 is out of range"] },
    Case { name: "burst without rate", body: "[[service]]\nname = \"x\"\nlatency = \"const(1ms)\"\nburst = 5\n", expect: &["bad.toml:7:", "`burst` without `rate_limit`"] },
    Case { name: "daily quota of zero", body: "[[service]]\nname = \"x\"\nlatency = \"const(1ms)\"\ndaily_quota = 0\n", expect: &["bad.toml:7:", "daily_quota 0 is out of range"] },
    Case { name: "ses without a quota", body: "[[service]]\nname = \"x\"\npreset = \"ses\"\nlatency = \"const(1ms)\"\n", expect: &["bad.toml:4:", "needs the account's sending quota: `rate_limit`", "`daily_quota`", "UNCONFIRMED", "ses-sandbox"] },
    Case { name: "sandbox with a quota", body: "[[service]]\nname = \"x\"\npreset = \"ses-sandbox\"\nlatency = \"const(1ms)\"\ndaily_quota = 1000\n", expect: &["bad.toml:8:", "cannot be set with preset = \"ses-sandbox\"", "200 per 24 h"] },
    Case { name: "unknown preset", body: "[[service]]\nname = \"x\"\npreset = \"sse\"\nlatency = \"const(1ms)\"\n", expect: &["bad.toml:6:", "`sse` is not a valid value", "ses"] },
    Case { name: "negative price", body: "[[service]]\nname = \"x\"\nlatency = \"const(1ms)\"\nprice_per_1000 = -0.1\n", expect: &["bad.toml:7:", "price_per_1000"] },
    Case { name: "misspelt service field", body: "[[service]]\nname = \"x\"\nlatency = \"const(1ms)\"\nrate_limt = 5\n", expect: &["bad.toml:7:", "rate_limt", "did you mean `rate_limit`?"] },
    // The calendar.
    Case { name: "bad start date", body: "start_date = \"2026-02-30\"\n", expect: &["bad.toml:3:", "start_date", "not a date of the calendar"] },
];

#[test]
fn service_and_schedule_mistakes_are_rejected_with_located_messages() {
    let failures = rejected::failures(CASES.iter().map(|c| {
        let lambda = if c.body.contains("target = \"f\"") {
            LAMBDA
        } else {
            ""
        };
        let text = format!(
            "{SIM}{}{}{lambda}",
            if c.body.starts_with('[') { "\n" } else { "" },
            c.body
        );
        (c.name, text, c.expect)
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_service_nobody_calls_warns() {
    let text = format!("{SIM}\n[[service]]\nname = \"ses\"\nlatency = \"const(1ms)\"\n");
    let s = scenario::parse_str(&text, "w.toml", &[]).unwrap();
    let all = s.warnings.join("\n");
    for x in [
        "w.toml:5:",
        "no function calls service `ses`",
        "{ call = \"ses\" }",
    ] {
        assert!(all.contains(x), "missing {x:?} in\n{all}");
    }
}
