//! AIF360's inequality indices of individual benefits, from confusion
//! counts. Each row's benefit is `b = prediction − label + 1`: 0 for a false
//! negative, 1 for a correct decision, 2 for a false positive. The
//! generalized entropy index of the benefits (α = 2), the Theil index (α = 1)
//! and their between-groups versions (each row's benefit replaced by its
//! group's mean benefit) follow `aif360.metrics.ClassificationMetric`
//! (goldens in tests/golden/*.aif360.json). Raw row counts: AIF360 does not
//! weight these indices.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::counts::{Confusion, FN, FP, TN, TP};

/// The inequality of benefits across individuals, and between groups.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Inequality {
    /// Generalized entropy index of the benefits, α = 2 (AIF360's default).
    pub generalized_entropy_index: f64,
    /// Theil index (the generalized entropy index with α = 1).
    pub theil_index: f64,
}

/// Rows with benefit 0, 1 and 2.
fn benefit_counts(counts: &Confusion) -> [f64; 3] {
    let rows = counts.rows;
    [
        rows[FN] as f64,
        (rows[TP] + rows[TN]) as f64,
        rows[FP] as f64,
    ]
}

/// The indices of a population given as (rows, benefit) classes.
fn indices(classes: &[(f64, f64)]) -> Option<Inequality> {
    let n: f64 = classes.iter().map(|(rows, _)| rows).sum();
    if n == 0.0 {
        return None;
    }
    let mean = classes.iter().map(|(rows, b)| rows * b).sum::<f64>() / n;
    if mean == 0.0 {
        return None;
    }
    // α = 2: mean((b / μ)² − 1) / 2
    let squares = classes
        .iter()
        .map(|(rows, b)| rows * ((b / mean).powi(2) - 1.0))
        .sum::<f64>()
        / n;
    // α = 1: mean(ln((b / μ)^b) / μ), with 0^0 = 1
    let theil = classes
        .iter()
        .filter(|(_, b)| *b != 0.0)
        .map(|(rows, b)| rows * (b * (b / mean).ln() / mean))
        .sum::<f64>()
        / n;
    Some(Inequality {
        generalized_entropy_index: squares / 2.0,
        theil_index: theil,
    })
}

/// The indices over individual rows (`None` without rows or without any benefit).
pub fn individual(counts: &Confusion) -> Option<Inequality> {
    let [zero, one, two] = benefit_counts(counts);
    indices(&[(zero, 0.0), (one, 1.0), (two, 2.0)])
}

/// The between-groups indices: every row's benefit replaced by its group's mean.
pub fn between_groups<'a>(groups: impl IntoIterator<Item = &'a Confusion>) -> Option<Inequality> {
    let classes: Vec<(f64, f64)> = groups
        .into_iter()
        .filter_map(|counts| {
            let [zero, one, two] = benefit_counts(counts);
            let rows = zero + one + two;
            (rows > 0.0).then(|| (rows, (one + 2.0 * two) / rows))
        })
        .collect();
    indices(&classes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(tp: u64, fp: u64, tn: u64, fn_: u64) -> Confusion {
        let rows = [tp, fp, tn, fn_];
        Confusion {
            rows,
            weight: rows.map(|r| r as f64),
        }
    }

    #[test]
    fn perfect_decisions_have_no_inequality() {
        let perfect = individual(&counts(5, 0, 5, 0)).unwrap();
        assert_eq!(perfect.generalized_entropy_index, 0.0);
        assert_eq!(perfect.theil_index, 0.0);
        // groups with equal mean benefit: nothing between them
        let between = between_groups([&counts(3, 1, 3, 1), &counts(6, 2, 6, 2)]).unwrap();
        assert!(between.generalized_entropy_index.abs() < 1e-15);
    }

    #[test]
    fn hand_computed_indices() {
        // benefits 0, 1, 2: μ = 1, GE(2) = mean(b² − 1) / 2 = (−1 + 0 + 3) / 3 / 2 = 1/3
        let one_each = individual(&counts(1, 1, 0, 1)).unwrap();
        assert!((one_each.generalized_entropy_index - 1.0 / 3.0).abs() < 1e-15);
        // Theil: mean(b ln b) = 2 ln 2 / 3
        assert!((one_each.theil_index - 2.0 * 2f64.ln() / 3.0).abs() < 1e-15);
        assert!(
            individual(&counts(0, 0, 0, 3)).is_none(),
            "no benefit at all"
        );
    }
}
