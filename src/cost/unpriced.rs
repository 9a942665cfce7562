//! What slsim does not price: the charges AWS makes for what a scenario
//! uses that are not in `prices/`, so that the summary can say what its
//! bill leaves out.
//!
//! One line per charge, with the test of whether a scenario incurs it. To
//! price one, add its prices and its bill, and remove its line here; a new
//! kind adds the lines of the charges it leaves out.

use crate::model::Scenario;

/// A charge slsim does not price.
#[derive(Clone, Copy, Debug)]
pub struct Unpriced {
    /// What is not priced, as the summary says it.
    pub what: &'static str,
    /// Whether a scenario incurs it.
    pub applies: fn(&Scenario) -> bool,
}

/// The list, in the order the summary shows it.
pub const UNPRICED: &[Unpriced] = &[
    Unpriced {
        what: "CloudWatch Logs storage (aws-facts 10.3)",
        applies: |s| !s.lambdas.is_empty(),
    },
    Unpriced {
        what: "storage of tables without size_gb",
        applies: |s| s.tables.iter().any(|t| t.size_gb.is_none()),
    },
    Unpriced {
        what: "global tables' replica storage, reads and read capacity (aws-facts 10.12)",
        applies: |s| s.tables.iter().any(|t| t.global.is_some()),
    },
    Unpriced {
        what: "CloudWatch metrics and alarms, X-Ray, KMS (if used)",
        applies: |_| true,
    },
];

/// The lines of [`UNPRICED`] that apply to `s`.
pub fn not_priced(s: &Scenario) -> Vec<String> {
    UNPRICED
        .iter()
        .filter(|u| (u.applies)(s))
        .map(|u| u.what.to_string())
        .collect()
}
