//! The figures a lesson can show: measured ones, read from a step's
//! `summary.json` as the run wrote it, and predicted ones, computed from
//! the step's scenario (and its measured mean duration) by the theory a
//! lesson teaches. A closed list: a lesson names them as `{name}`
//! placeholders and in its `figures` and `chart` lists.

use crate::metrics::text::thousands;
use crate::model::{ScalingModel, Scenario};
use crate::workload::Arrival;
use serde_json::Value;

/// How a figure is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count: whole, with digit groups (`57,679`).
    Count,
    /// A ratio written as a percentage (`18.2 %`).
    Percent,
    /// Milliseconds (`4,346 ms`, `86.2 ms`).
    Ms,
    /// Seconds (`134.3 s`).
    Seconds,
    /// Requests per second (`50 req/s`).
    PerSecond,
    /// US dollars (`$0.14`).
    Usd,
}

/// What a lesson needs of its scenario for a figure to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Nothing beyond the lesson's workload and function.
    Nothing,
    /// An `[[api]]` (the first is the lesson's).
    Api,
    /// A `[[queue]]` (the first is the lesson's).
    Queue,
    /// A Poisson arrival for the workload (the theory assumes one).
    Poisson,
}

/// One figure: its placeholder name, its label, its unit and where it
/// comes from.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    /// The placeholder's name, e.g. `cold_start_ratio`.
    pub name: &'static str,
    /// The label in tables and charts, e.g. `cold starts`.
    pub label: &'static str,
    /// How it is written.
    pub unit: Unit,
    /// What the scenario must have.
    pub needs: Needs,
    /// What it is (`slsim teach --help` and the docs list these).
    pub about: &'static str,
    source: Source,
}

/// Where a figure's value comes from.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// `workloads.<workload>.` + path.
    Workload(&'static str),
    /// `functions.<function>.` + path.
    Function(&'static str),
    /// `apis.<api>.` + path.
    Api(&'static str),
    /// `queues.<queue>.` + path.
    Queue(&'static str),
    /// A path from the summary's root.
    Root(&'static str),
    /// throttled / requests of the workload.
    ThrottleRatio,
    /// Theory.
    Predicted(Theory),
}

/// The predictions a lesson can print beside what it measured.
#[derive(Clone, Copy, Debug)]
enum Theory {
    /// One environment, Poisson arrivals at rate λ, keep-alive T: a
    /// request finds the environment gone when the gap since the last one
    /// exceeds T, with probability e^(-λT).
    ColdStartRatio,
    /// Environments the peak needs: peak rate x mean duration (Little's law).
    Environments,
    /// The most requests a second the function's concurrency limit serves:
    /// limit / mean duration.
    Capacity,
    /// Seconds the scaling model takes to add the environments the peak
    /// needs.
    ScaleSeconds,
}

macro_rules! fig {
    ($name:literal, $label:literal, $unit:ident, $needs:ident, $source:expr, $about:literal) => {
        Figure {
            name: $name,
            label: $label,
            unit: Unit::$unit,
            needs: Needs::$needs,
            about: $about,
            source: $source,
        }
    };
}

/// Every figure, in the order the docs list them.
pub const FIGURES: [Figure; 21] = [
    fig!(
        "requests",
        "requests",
        Count,
        Nothing,
        Source::Workload("requests"),
        "requests the workload sent"
    ),
    fig!(
        "throttled",
        "throttled",
        Count,
        Nothing,
        Source::Workload("throttled"),
        "the workload's requests answered with a throttle (429)"
    ),
    fig!(
        "throttle_ratio",
        "share throttled",
        Percent,
        Nothing,
        Source::ThrottleRatio,
        "throttled over requests"
    ),
    fig!(
        "cold_starts",
        "cold starts",
        Count,
        Nothing,
        Source::Function("cold_starts"),
        "the function's cold starts"
    ),
    fig!(
        "cold_start_ratio",
        "cold starts",
        Percent,
        Nothing,
        Source::Function("cold_start_ratio"),
        "cold starts over invocations"
    ),
    fig!(
        "p50_ms",
        "p50",
        Ms,
        Nothing,
        Source::Workload("latency_ms.p50"),
        "the workload's median latency"
    ),
    fig!(
        "p99_ms",
        "p99",
        Ms,
        Nothing,
        Source::Workload("latency_ms.p99"),
        "the workload's p99 latency, cold starts included"
    ),
    fig!(
        "p99_warm_ms",
        "p99 warm",
        Ms,
        Nothing,
        Source::Workload("p99_warm_ms"),
        "the p99 of the requests that met no cold start"
    ),
    fig!(
        "init_ms",
        "init",
        Ms,
        Nothing,
        Source::Function("mean_init_ms"),
        "the function's mean init (or SnapStart restore)"
    ),
    fig!(
        "duration_ms",
        "duration",
        Ms,
        Nothing,
        Source::Function("mean_duration_ms"),
        "the function's mean duration"
    ),
    fig!(
        "max_concurrency",
        "max concurrency",
        Count,
        Nothing,
        Source::Function("max_concurrency"),
        "the most environments busy at once"
    ),
    fig!(
        "function_throttles",
        "function throttles",
        Count,
        Nothing,
        Source::Function("throttles"),
        "invocations Lambda refused (concurrency or rate)"
    ),
    fig!(
        "rate_throttles",
        "rate throttles",
        Count,
        Nothing,
        Source::Function("rate_throttles"),
        "of which over a request-rate limit"
    ),
    fig!(
        "api_throttled",
        "API throttled",
        Count,
        Api,
        Source::Api("throttled"),
        "requests the API's token buckets refused"
    ),
    fig!(
        "queue_wait_p99_s",
        "queue wait p99",
        Seconds,
        Queue,
        Source::Queue("wait_s.p99"),
        "the p99 of a message's wait in the queue"
    ),
    fig!(
        "queue_max_visible",
        "queue backlog",
        Count,
        Queue,
        Source::Queue("max_visible"),
        "the most messages waiting in the queue"
    ),
    fig!(
        "cost_month",
        "cost/month",
        Usd,
        Nothing,
        Source::Root("cost.monthly_usd"),
        "the monthly bill"
    ),
    fig!(
        "predicted_cold_start_ratio",
        "predicted cold starts",
        Percent,
        Poisson,
        Source::Predicted(Theory::ColdStartRatio),
        "e^(-λT): one environment, Poisson arrivals at λ, keep-alive T"
    ),
    fig!(
        "needed_environments",
        "environments needed",
        Count,
        Nothing,
        Source::Predicted(Theory::Environments),
        "peak rate x mean duration (Little's law)"
    ),
    fig!(
        "capacity_rps",
        "capacity",
        PerSecond,
        Nothing,
        Source::Predicted(Theory::Capacity),
        "concurrency limit / mean duration"
    ),
    fig!(
        "scale_s",
        "time to scale",
        Seconds,
        Nothing,
        Source::Predicted(Theory::ScaleSeconds),
        "seconds the scaling model takes to add the environments needed"
    ),
];

/// The figure named `name`.
pub fn find(name: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.name == name)
}

/// The figure names closest to `name` (for "did you mean").
pub fn closest(name: &str) -> Option<&'static str> {
    FIGURES
        .iter()
        .map(|f| (strsim::jaro_winkler(name, f.name), f.name))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// Per-function scaling since 2023-11-27: 1,000 environments at once, then
/// 1,000 every 10 s (aws-facts 1.1).
const PER_FUNCTION_BURST: f64 = 1000.0;
/// Its refill \[environments/s\] (aws-facts 1.1).
const PER_FUNCTION_RATE: f64 = 100.0;
/// The 2019-2023 account burst in us-east-1, us-west-2, eu-west-1; 1,000
/// in ap-northeast-1, eu-central-1, us-east-2; 500 elsewhere (aws-facts 1.1).
fn legacy_burst(region: &str) -> f64 {
    match region {
        "us-west-2" | "us-east-1" | "eu-west-1" => 3000.0,
        "ap-northeast-1" | "eu-central-1" | "us-east-2" => 1000.0,
        _ => 500.0,
    }
}
/// Then +500 environments a minute (aws-facts 1.1).
const LEGACY_PER_MINUTE: f64 = 500.0;

/// The names of a lesson's components: its first workload, function, api
/// and queue.
#[derive(Clone, Debug)]
pub struct Subjects {
    /// The workload.
    pub workload: String,
    /// The function.
    pub function: String,
    /// The api, if any.
    pub api: Option<String>,
    /// The queue, if any.
    pub queue: Option<String>,
}

impl Subjects {
    /// The lesson's components in `s`, or what is missing.
    pub fn of(s: &Scenario) -> Result<Subjects, &'static str> {
        Ok(Subjects {
            workload: s.workloads.first().ok_or("a [[workload]]")?.name.clone(),
            function: s.lambdas.first().ok_or("a [[lambda]]")?.name.clone(),
            api: s.apis.first().map(|a| a.name.clone()),
            queue: s.queues.first().map(|q| q.name.clone()),
        })
    }

    /// Whether `s` has what `needs` asks for; else what is missing.
    pub fn check(&self, s: &Scenario, needs: Needs) -> Result<(), &'static str> {
        match needs {
            Needs::Nothing => Ok(()),
            Needs::Api if self.api.is_none() => Err("an [[api]]"),
            Needs::Queue if self.queue.is_none() => Err("a [[queue]]"),
            Needs::Poisson => match s.workloads.first().map(|w| &w.arrival) {
                Some(Arrival::Poisson { .. }) => Ok(()),
                _ => Err("a poisson(...) arrival for the first [[workload]]"),
            },
            _ => Ok(()),
        }
    }
}

/// A figure's value in one step: `None` when undefined (e.g. a p99 of no
/// requests).
pub fn value(f: &Figure, s: &Scenario, who: &Subjects, summary: &Value) -> Option<f64> {
    let at = |section: &str, name: &str, path: &str| {
        crate::slo::lookup_dotted(summary, &format!("{section}.{name}.{path}"))
    };
    let v = match f.source {
        Source::Workload(p) => at("workloads", &who.workload, p),
        Source::Function(p) => at("functions", &who.function, p),
        Source::Api(p) => at("apis", who.api.as_deref()?, p),
        Source::Queue(p) => at("queues", who.queue.as_deref()?, p),
        Source::Root(p) => crate::slo::lookup_dotted(summary, p),
        Source::ThrottleRatio => {
            let requests = at("workloads", &who.workload, "requests")?;
            let throttled = at("workloads", &who.workload, "throttled")?;
            (requests > 0.0).then(|| throttled / requests)
        }
        Source::Predicted(t) => predict(t, s, who, summary),
    }?;
    v.is_finite().then_some(v + 0.0)
}

fn predict(t: Theory, s: &Scenario, who: &Subjects, summary: &Value) -> Option<f64> {
    let workload = s.workloads.first()?;
    let function = s.lambdas.first()?;
    let duration_s = || {
        crate::slo::lookup_dotted(
            summary,
            &format!("functions.{}.mean_duration_ms", who.function),
        )
        .map(|ms| ms / 1000.0)
        .filter(|d| *d > 0.0)
    };
    let needed = || Some((workload.arrival.peak_rate() * duration_s()?).ceil());
    match t {
        Theory::ColdStartRatio => match workload.arrival {
            Arrival::Poisson { rate } => {
                let keep_alive_s = function.keep_alive as f64 / 1e9;
                Some((-rate * keep_alive_s).exp())
            }
            _ => None,
        },
        Theory::Environments => needed(),
        Theory::Capacity => {
            let limit = function
                .reserved_concurrency
                .unwrap_or(s.simulation.account_concurrency);
            Some(f64::from(limit) / duration_s()?)
        }
        Theory::ScaleSeconds => {
            let n = needed()?;
            Some(match s.simulation.scaling {
                ScalingModel::PerFunction => {
                    ((n - PER_FUNCTION_BURST) / PER_FUNCTION_RATE).max(0.0)
                }
                ScalingModel::Legacy2019 => {
                    let over = n - legacy_burst(&s.simulation.region);
                    (over / LEGACY_PER_MINUTE).ceil().max(0.0) * 60.0
                }
            })
        }
    }
}

/// `v` written in `unit` (an undefined value as `–`).
pub fn show(unit: Unit, v: Option<f64>) -> String {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return "–".into();
    };
    let v = v + 0.0;
    match unit {
        Unit::Count => grouped(v.round()),
        Unit::Percent => format!("{} %", significant(v * 100.0)),
        Unit::Ms => format!("{} ms", significant(v)),
        Unit::Seconds => format!("{} s", significant(v)),
        Unit::PerSecond => format!("{} req/s", significant(v)),
        Unit::Usd if v.abs() >= 0.01 || v == 0.0 => {
            let cents = (v.abs() * 100.0).round();
            let sign = if v < 0.0 { "-" } else { "" };
            format!(
                "{sign}${}.{:02}",
                grouped((cents / 100.0).floor()),
                cents as u64 % 100
            )
        }
        Unit::Usd => format!("${}", significant(v)),
    }
}

/// A whole number with digit groups.
fn grouped(v: f64) -> String {
    let s = thousands(v.abs() as u64);
    if v < 0.0 {
        format!("-{s}")
    } else {
        s
    }
}

/// From 100 up, whole and grouped; below, three significant digits at
/// most, one decimal at least, without a trailing zero after the point
/// beyond that (`18.2`, `0.027`, `5.0`, `0`).
fn significant(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 100.0 {
        return grouped(v.round());
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(1, 12) as usize;
    let s = format!("{v:.digits$}");
    let trimmed = s.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        for (i, f) in FIGURES.iter().enumerate() {
            assert!(f
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()));
            assert!(FIGURES[..i].iter().all(|g| g.name != f.name), "{}", f.name);
        }
    }

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(show(Unit::Percent, Some(0.18225)), "18.2 %");
        assert_eq!(show(Unit::Percent, Some(0.00027312)), "0.0273 %");
        assert_eq!(show(Unit::Percent, Some(0.0)), "0 %");
        assert_eq!(show(Unit::Ms, Some(4345.855)), "4,346 ms");
        assert_eq!(show(Unit::Ms, Some(86.23)), "86.2 ms");
        assert_eq!(show(Unit::Ms, Some(5.0)), "5.0 ms");
        assert_eq!(show(Unit::Count, Some(57679.0)), "57,679");
        assert_eq!(show(Unit::Usd, Some(0.138)), "$0.14");
        assert_eq!(show(Unit::Usd, Some(1234.567)), "$1,234.57");
        assert_eq!(show(Unit::Usd, Some(0.0045)), "$0.0045");
        assert_eq!(show(Unit::Seconds, None), "–");
        assert_eq!(show(Unit::Ms, Some(-0.0)), "0 ms");
    }
}
