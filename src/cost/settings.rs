//! What pricing needs of a scenario beyond a run's figures: the free tier,
//! the projection, and the settings of components that cost money whether
//! or not the run used them (DAX nodes, table sizes, log output,
//! SnapStart). Small and owned, so that a run keeps it without the whole
//! scenario.

use crate::model::{DaxNodes, Lambda, Projection, Scenario};

/// What pricing needs of a scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BillSettings {
    /// Subtract the monthly free tier.
    pub free_tier: bool,
    /// How the window becomes a month.
    pub projection: Projection,
    /// Per `[[lambda]]`, in model order.
    pub functions: Vec<FunctionBilling>,
    /// Per `[[table]]`, in model order.
    pub tables: Vec<TableBilling>,
    /// What the scenario uses that slsim does not price
    /// ([`super::unpriced`]).
    pub not_priced: Vec<String>,
}

/// A function's settings that its bill needs.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionBilling {
    /// The function's name.
    pub name: String,
    /// Log output per invocation \[KB\].
    pub log_kb: f64,
    /// SnapStart on and charged (Python, .NET).
    pub snap_start_charged: bool,
}

/// A table's settings that its bill needs.
#[derive(Clone, Debug, PartialEq)]
pub struct TableBilling {
    /// The table's name.
    pub name: String,
    /// Table size \[GB\]; `None`: storage not priced.
    pub size_gb: Option<f64>,
    /// The DAX cluster's nodes, when the table has DAX.
    pub dax: Option<DaxNodes>,
}

impl BillSettings {
    /// The settings of scenario `s`.
    pub fn from_model(s: &Scenario) -> Self {
        Self {
            free_tier: s.simulation.free_tier,
            projection: s.simulation.cost.projection,
            functions: s
                .lambdas
                .iter()
                .map(|f| FunctionBilling {
                    name: f.name.clone(),
                    log_kb: f.log_kb,
                    snap_start_charged: snap_start_charged(f),
                })
                .collect(),
            tables: s
                .tables
                .iter()
                .map(|t| TableBilling {
                    name: t.name.clone(),
                    size_gb: t.size_gb,
                    dax: t.dax.as_ref().map(|_| t.dax_nodes.clone()),
                })
                .collect(),
            not_priced: super::unpriced::not_priced(s),
        }
    }

    /// The function at `i` if it is named `name`.
    pub fn function(&self, i: usize, name: &str) -> Option<&FunctionBilling> {
        self.functions.get(i).filter(|f| f.name == name)
    }

    /// The table at `i` if it is named `name`.
    pub fn table(&self, i: usize, name: &str) -> Option<&TableBilling> {
        self.tables.get(i).filter(|t| t.name == name)
    }
}

/// True when a function's SnapStart is on and charged: Python and .NET
/// (Java's SnapStart is free, aws-facts 10.6 "SnapStart charges").
pub fn snap_start_charged(f: &Lambda) -> bool {
    f.snap_start && (f.runtime.starts_with("python") || f.runtime.starts_with("dotnet"))
}
