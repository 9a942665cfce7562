//! A sweep: the scenario's `[sweep]` table (and `slsim sweep --vary`), typed.
//!
//! A sweep runs the scenario at every point of a grid, the cartesian
//! product of the values of its varied fields, `replications` times each.
//! The values are kept as the text of a `--set PATH=VALUE` override (TOML
//! value syntax): the model knows no TOML, and each point's scenario is
//! the scenario file parsed with those overrides, validated like any other.

/// Replications per point, at most (and at least 1).
pub const MAX_REPLICATIONS: u32 = 1_000;

/// Runs in one sweep (points x replications), at most: a guard against a
/// grid that multiplies out of reach (10 fields of 10 values is 10^10).
/// Shards (`--shard I/N`) split one sweep over machines; they do not raise
/// this bound.
pub const MAX_RUNS: u64 = 1_000_000;

/// One varied field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vary {
    /// The field, as a `--set` path: `lambda.list-todos.memory_mb`.
    pub path: String,
    /// Its values, in order: each the VALUE text of a `--set PATH=VALUE`
    /// (TOML: `256`, `"poisson(rate=5)"`).
    pub values: Vec<String>,
    /// Each value as written in results: a string without its quotes,
    /// anything else as its TOML text.
    pub labels: Vec<String>,
}

impl Vary {
    /// The `--set` argument that gives the field its `i`-th value.
    pub fn set(&self, i: usize) -> String {
        format!("{}={}", self.path, self.values[i])
    }
}

/// A validated sweep definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sweep {
    /// Runs per point, each with its own seed: 1..=[`MAX_REPLICATIONS`].
    pub replications: u32,
    /// The varied fields: the file's `[sweep.vary]` in file order, then
    /// those `--vary` added. The last varies fastest.
    pub vary: Vec<Vary>,
}

impl Default for Sweep {
    fn default() -> Self {
        Sweep {
            replications: 1,
            vary: Vec::new(),
        }
    }
}

impl Sweep {
    /// Points of the grid: the product of the value counts (1 with nothing
    /// varied); `None` when it overflows.
    pub fn points(&self) -> Option<u64> {
        self.vary
            .iter()
            .try_fold(1u64, |n, v| n.checked_mul(v.values.len() as u64))
    }

    /// Runs of the sweep: points x replications; `None` when it overflows.
    pub fn runs(&self) -> Option<u64> {
        self.points()?.checked_mul(u64::from(self.replications))
    }

    /// The value index of each varied field at `point` (mixed radix, the
    /// last field fastest: the order of nested loops in file order).
    pub fn coordinates(&self, point: u64) -> Vec<usize> {
        let mut rest = point;
        let mut out = vec![0; self.vary.len()];
        for (slot, v) in out.iter_mut().zip(&self.vary).rev() {
            let n = v.values.len() as u64;
            *slot = (rest % n) as usize;
            rest /= n;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary(path: &str, n: usize) -> Vary {
        let values: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        Vary {
            path: path.into(),
            labels: values.clone(),
            values,
        }
    }

    #[test]
    fn points_are_nested_loops_in_file_order() {
        let s = Sweep {
            replications: 3,
            vary: vec![vary("a.x.f", 2), vary("b.y.g", 3)],
        };
        assert_eq!(s.points(), Some(6));
        assert_eq!(s.runs(), Some(18));
        let all: Vec<Vec<usize>> = (0..6).map(|p| s.coordinates(p)).collect();
        assert_eq!(
            all,
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(Vec::from)
        );
        assert_eq!(s.vary[1].set(2), "b.y.g=2");
        assert_eq!(Sweep::default().points(), Some(1));
        assert_eq!(Sweep::default().coordinates(0), Vec::<usize>::new());
    }

    #[test]
    fn an_overflowing_grid_has_no_count() {
        let s = Sweep {
            replications: 1,
            vary: (0..20).map(|i| vary(&format!("k.n.f{i}"), 1000)).collect(),
        };
        assert_eq!(s.points(), None);
    }
}
