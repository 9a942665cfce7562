//! What a sweep's points are judged by, as `sweep.json` records it: the
//! scenario's SLOs and objective (metric paths and bounds), so that a
//! merge, which reads no scenario, draws the same SLO lines as the
//! unsharded sweep.

use crate::model::slo::{Bound, Direction};
use crate::model::Scenario;
use serde::{Deserialize, Serialize};

/// One SLO: its label, metric path and inclusive bound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloRef {
    /// Its name, else its metric path.
    pub label: String,
    /// Dotted path into `summary.json`.
    pub metric: String,
    /// Upper bound (inclusive), if that is its bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Lower bound (inclusive), if that is its bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

/// The objective: a metric path to minimise or maximise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveRef {
    /// Dotted path into `summary.json`.
    pub metric: String,
    /// `minimize` or `maximize`.
    pub direction: String,
}

/// The SLOs and the objective of a sweep's scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// `[[slo]]` in file order.
    #[serde(default)]
    pub slos: Vec<SloRef>,
    /// `[objective]`, if any.
    #[serde(default)]
    pub objective: Option<ObjectiveRef>,
}

impl Goals {
    /// The goals of scenario `s` (after its overrides).
    pub fn of(s: &Scenario) -> Goals {
        Goals {
            slos: s
                .slos
                .iter()
                .map(|slo| {
                    let (max, min) = match slo.bound {
                        Bound::Max(v) => (Some(v), None),
                        Bound::Min(v) => (None, Some(v)),
                    };
                    SloRef {
                        label: slo.label().to_string(),
                        metric: slo.metric.text.clone(),
                        max,
                        min,
                    }
                })
                .collect(),
            objective: s.objective.as_ref().map(|o| ObjectiveRef {
                metric: o.metric.text.clone(),
                direction: match o.direction {
                    Direction::Minimize => "minimize",
                    Direction::Maximize => "maximize",
                }
                .into(),
            }),
        }
    }

    /// Whether there is neither an SLO nor an objective.
    pub fn is_empty(&self) -> bool {
        self.slos.is_empty() && self.objective.is_none()
    }

    /// The metric paths they name, the objective's first, each once.
    pub fn metrics(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let named = self
            .objective
            .iter()
            .map(|o| &o.metric)
            .chain(self.slos.iter().map(|s| &s.metric));
        for m in named {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }
}
