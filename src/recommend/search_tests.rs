//! Unit tests of the search with a synthetic evaluator.

use super::*;
use crate::sweep::stats::Estimate;

fn labels(values: impl Iterator<Item = i64>) -> Vec<String> {
    values.map(|v| v.to_string()).collect()
}

fn judgement(feasible: bool, cost: f64, violation: f64) -> Judgement {
    Judgement {
        verdict: if feasible {
            Verdict::Feasible
        } else {
            Verdict::Infeasible
        },
        slos: Vec::new(),
        objective: Some(Estimate {
            n: 3,
            mean: Some(cost),
            ci95: None,
        }),
        violation,
    }
}

fn criteria() -> Criteria {
    Criteria {
        slos: Vec::new(),
        objective: Some(crate::sweep::verdict::ObjectiveRef {
            path: crate::sweep::verdict::PathRef {
                metric: "c".into(),
                keys: vec!["c".into()],
                absent_is_zero: false,
            },
            direction: "minimize".into(),
        }),
    }
}

#[test]
fn capacity_fields_are_recognised() {
    assert!(is_capacity("lambda.fn.reserved_concurrency"));
    assert!(is_capacity("table.t.rcu"));
    assert!(is_capacity("table.t.dax.nodes"));
    assert!(is_capacity("stream.s.shards"));
    assert!(is_capacity("lambda.fn.triggers.0.max_concurrency"));
    assert!(!is_capacity("lambda.fn.memory_mb"));
    assert!(!is_capacity("workload.users.scale"));
    // Values that are not numbers cannot be bisected.
    let f = Field::new("table.t.rcu", &["\"a\"".into(), "\"b\"".into()]);
    assert!(!f.capacity);
    // Sorted ascending whatever the file's order.
    let f = Field::new("table.t.rcu", &labels([30, 10, 20].into_iter()));
    assert_eq!(f.order, [1, 2, 0]);
}

#[test]
fn bisection_finds_the_smallest_feasible_value() {
    for want in 1..=31i64 {
        let fields = [Field::new("lambda.f.reserved_concurrency", &labels(1..=30))];
        let mut calls = 0;
        let mut eval = |pts: &[u64]| -> Vec<Judgement> {
            calls += pts.len();
            pts.iter()
                .map(|&p| {
                    let c = p as i64 + 1;
                    judgement(c >= want, 1.0, (want - c).max(0) as f64)
                })
                .collect()
        };
        let found = search(&fields, &criteria(), &mut eval);
        let expect = (want <= 30).then(|| want as u64 - 1);
        assert_eq!(found.best, expect, "want {want}");
        assert!(calls <= 5, "{calls} evaluations for {want}");
        if want > 30 {
            assert_eq!(found.nearest, Some(29));
        }
    }
}

#[test]
fn refinement_with_capacity_matches_the_exhaustive_optimum() {
    // b non-monotone (0..=16), a capacity (1..=20); a point is feasible
    // when a >= 4 + |b - 6|; cost (b - 9)^2 + a / 100.
    let fields = [
        Field::new("lambda.f.reserved_concurrency", &labels(1..=20)),
        Field::new("lambda.f.memory_mb", &labels(0..=16)),
    ];
    let judge = |p: u64| {
        let (a, b) = ((p / 17) as i64 + 1, (p % 17) as i64);
        let need = 4 + (b - 6).abs();
        let cost = ((b - 9) * (b - 9)) as f64 + a as f64 / 100.0;
        judgement(a >= need, cost, (need - a).max(0) as f64)
    };
    let exhaustive = crate::sweep::verdict::best(
        &criteria(),
        (0..340u64)
            .map(|p| (p, judge(p)))
            .collect::<Vec<_>>()
            .iter()
            .map(|(p, j)| (*p, j)),
    );
    let mut eval = |pts: &[u64]| pts.iter().map(|&p| judge(p)).collect();
    let found = search(&fields, &criteria(), &mut eval);
    assert_eq!(found.best, exhaustive);
    assert_eq!(found.best, Some(6 * 17 + 9)); // a = 7, b = 9
    assert!(found.judged.len() < 340 / 3, "{}", found.judged.len());
    assert!(found.steps.iter().any(|s| s.contains("bisection")));
    assert!(found
        .steps
        .iter()
        .any(|s| s.contains("successive refinement")));
}
