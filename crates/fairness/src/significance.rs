//! Significance of a gap between two groups' proportions, and the
//! adjustment of many such p-values for multiple comparisons. Pure
//! arithmetic on counts; cross-checked against scipy and statsmodels in
//! tests/golden/*.aequitas.json.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which test gave a p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProportionTest {
    /// Pooled two-proportion z-test, two-sided (every expected cell count is 5 or more).
    TwoProportionZ,
    /// Fisher's exact test, two-sided as scipy computes it (some expected cell count is under 5).
    FisherExact,
}

/// How p-values are adjusted across all the comparisons of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// Holm's step-down method (controls the family-wise error rate).
    #[default]
    Holm,
    /// Benjamini and Hochberg's step-up method (controls the false discovery rate).
    BenjaminiHochberg,
}

/// The smallest expected cell count at which the z-test is used.
pub const MIN_EXPECTED_FOR_Z: f64 = 5.0;

/// Tests `x1` of `n1` against `x2` of `n2` (two-sided): the z-test when every
/// expected count of the 2x2 table is at least 5, Fisher's exact test
/// otherwise. `None` when a group has no rows to test.
pub fn compare_proportions(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(ProportionTest, f64)> {
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let total = (n1 + n2) as f64;
    let successes = (x1 + x2) as f64;
    let failures = total - successes;
    let smallest_expected = [n1 as f64, n2 as f64]
        .iter()
        .flat_map(|&row| [row * successes / total, row * failures / total])
        .fold(f64::INFINITY, f64::min);
    if smallest_expected >= MIN_EXPECTED_FOR_Z {
        Some((ProportionTest::TwoProportionZ, z_test(x1, n1, x2, n2)))
    } else {
        Some((
            ProportionTest::FisherExact,
            fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]),
        ))
    }
}

/// Two-sided p-value of the pooled two-proportion z-test.
pub fn z_test(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let standard_error = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    if standard_error == 0.0 {
        return 1.0;
    }
    let z = (x1 as f64 / n1f - x2 as f64 / n2f) / standard_error;
    // 2 · P(Z > |z|) = erfc(|z| / √2)
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Two-sided p-value of Fisher's exact test on `[[a, b], [c, d]]`, as scipy's
/// `fisher_exact` defines it: the probability, given the margins, of every
/// table no more likely than the observed one (with scipy's relative
/// tolerance of 1e-14), and 1 where the observed table is the most likely.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> f64 {
    let [[a, b], [c, d]] = table;
    if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
        return 1.0;
    }
    let (row1, row2, column1) = (a + b, c + d, a + c);
    // `a` is hypergeometric: row1 + row2 items, row1 marked, column1 drawn
    let low = column1.saturating_sub(row2);
    let high = column1.min(row1);
    // probabilities relative to the mode's (scaled to 1 there), from the
    // ratio of neighbours: no factorial, no underflow near the mode
    let mode = ((column1 + 1) as f64 * (row1 + 1) as f64 / (row1 + row2 + 2) as f64) as u64;
    let mode = mode.clamp(low, high);
    let ratio_up = |x: u64| {
        ((row1 - x) as f64 * (column1 - x) as f64)
            / ((x + 1) as f64 * (row2 + x + 1 - column1) as f64)
    };
    let mut weights = vec![0.0f64; (high - low + 1) as usize];
    weights[(mode - low) as usize] = 1.0;
    for x in mode..high {
        weights[(x + 1 - low) as usize] = weights[(x - low) as usize] * ratio_up(x);
    }
    for x in (low..mode).rev() {
        weights[(x - low) as usize] = weights[(x + 1 - low) as usize] / ratio_up(x);
    }
    let observed = weights[(a - low) as usize];
    if (observed - 1.0).abs() / observed.max(1.0) <= 1e-14 {
        return 1.0;
    }
    let bound = observed * (1.0 + 1e-14);
    let total: f64 = weights.iter().sum();
    (weights.iter().filter(|&&w| w <= bound).sum::<f64>() / total).min(1.0)
}

/// Adjusted p-values, in the order given (NaN entries are left out of the count and stay NaN).
pub fn adjust(p_values: &[f64], method: Adjustment) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&i, &j| p_values[i].total_cmp(&p_values[j]).then(i.cmp(&j)));
    let m = order.len() as f64;
    let mut adjusted = vec![f64::NAN; p_values.len()];
    match method {
        Adjustment::Holm => {
            let mut running = 0.0f64;
            for (rank, &i) in order.iter().enumerate() {
                running = running.max(((m - rank as f64) * p_values[i]).min(1.0));
                adjusted[i] = running;
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running = 1.0f64;
            for (rank, &i) in order.iter().enumerate().rev() {
                running = running.min((m / (rank + 1) as f64 * p_values[i]).min(1.0));
                adjusted[i] = running;
            }
        }
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_matches_textbook_tables() {
        // the tea-tasting table: p = 0.4857142857142857 (scipy)
        assert!((fisher_exact([[3, 1], [1, 3]]) - 0.4857142857142857).abs() < 1e-15);
        // scipy's documentation example
        assert!((fisher_exact([[6, 2], [1, 4]]) - 0.10256410256410256).abs() < 1e-15);
        assert_eq!(fisher_exact([[0, 0], [3, 4]]), 1.0);
        assert_eq!(fisher_exact([[2, 2], [2, 2]]), 1.0);
    }

    #[test]
    fn small_cells_go_to_fisher_and_large_ones_to_z() {
        assert_eq!(
            compare_proportions(1, 10, 5, 10).unwrap().0,
            ProportionTest::FisherExact
        );
        assert_eq!(
            compare_proportions(40, 100, 60, 100).unwrap().0,
            ProportionTest::TwoProportionZ
        );
        assert_eq!(compare_proportions(0, 0, 5, 10), None);
        // identical proportions: z = 0, p = 1
        assert_eq!(z_test(50, 100, 50, 100), 1.0);
    }

    #[test]
    fn adjustments_follow_holm_and_benjamini_hochberg() {
        let p = [0.01, 0.04, 0.03, f64::NAN, 0.2];
        let holm = adjust(&p, Adjustment::Holm);
        assert_eq!(holm[0], 0.04);
        assert!((holm[2] - 0.09).abs() < 1e-15 && (holm[1] - 0.09).abs() < 1e-15);
        assert_eq!(holm[4], 0.2);
        assert!(holm[3].is_nan());
        let bh = adjust(&p, Adjustment::BenjaminiHochberg);
        assert!((bh[0] - 0.04).abs() < 1e-15);
        assert!((bh[2] - 0.16 / 3.0).abs() < 1e-12 && (bh[1] - 0.16 / 3.0).abs() < 1e-12);
        assert_eq!(bh[4], 0.2);
    }
}
