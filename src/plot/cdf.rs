//! The cumulative distribution chart: for each curve, the share of values
//! at or below each value (e.g. a workload's latency percentiles). A line
//! chart with the values on x (log when they span more than 20x) and the
//! share in percent on y.

use super::line::{Line, LineChart};
use super::scale::Axis;

/// One distribution: points (value, fraction at or below it in 0..=1), in
/// increasing order of both.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Legend label.
    pub label: String,
    /// (value, fraction in 0..=1).
    pub points: Vec<(f64, f64)>,
}

/// The CDF chart of `curves` with x axis title `x_label` (with the unit,
/// e.g. `latency [ms]`). Curves with no point are left out of the chart.
pub fn cdf(title: impl Into<String>, x_label: impl Into<String>, curves: Vec<Curve>) -> LineChart {
    let (mut min, mut max) = (f64::INFINITY, 0f64);
    for &(v, _) in curves.iter().flat_map(|c| &c.points) {
        if v.is_finite() && v > 0.0 {
            min = min.min(v);
            max = max.max(v);
        }
    }
    let x_label = x_label.into();
    let x = if max > 0.0 && max / min > 20.0 {
        Axis::log(format!("{x_label} (log scale)"))
    } else {
        Axis::linear(x_label)
    };
    let mut chart = LineChart::new(title, x, Axis::linear("at or below [%]"));
    for c in curves.into_iter().filter(|c| !c.points.is_empty()) {
        let points = c.points.iter().map(|&(v, f)| (v, Some(f * 100.0)));
        chart.lines.push(Line::new(c.label, points).markers());
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::Scale;

    #[test]
    fn wide_distributions_get_a_log_axis_and_percent() {
        let c = cdf(
            "t",
            "latency [ms]",
            vec![Curve {
                label: "a".into(),
                points: vec![(2.0, 0.5), (400.0, 1.0)],
            }],
        );
        assert_eq!(c.x.scale, Scale::Log);
        assert_eq!(c.lines[0].points[1].y, Some(100.0));
        let narrow = cdf(
            "t",
            "ms",
            vec![Curve {
                label: "a".into(),
                points: vec![(10.0, 0.5), (20.0, 1.0)],
            }],
        );
        assert_eq!(narrow.x.scale, Scale::Linear);
    }
}
