//! Aequitas's disparity table, from confusion counts: every confusion-matrix
//! rate of every group, its ratio to a reference group's (the disparity) and
//! whether that ratio lies in the parity band. Formulas, reference rules,
//! tie-breaking and the handling of zero denominators follow Aequitas 1.1
//! (`Group.get_crosstabs`, `Bias.get_disparity_*`,
//! `Fairness.get_group_value_fairness`), so the figures equal its figures bit
//! for bit on unweighted data (tests/golden/*.aequitas.json). With sample
//! weights, which Aequitas does not take, the same formulas run on the
//! weighted counts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::counts::{Confusion, FN, FP, TN, TP};
use crate::significance::{self, Adjustment, ProportionTest};

/// A rate Aequitas reports per group (its abbreviation in brackets).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DisparityMetric {
    /// The group's share of all predicted positives (ppr).
    PredictedPositiveShare,
    /// Predicted positives over the group's size (pprev).
    SelectionRate,
    /// True over predicted positives (precision, PPV).
    Precision,
    /// False over predicted positives (fdr).
    FalseDiscoveryRate,
    /// False over predicted negatives (for).
    FalseOmissionRate,
    /// False positives over actual negatives (fpr).
    FalsePositiveRate,
    /// False negatives over actual positives (fnr).
    FalseNegativeRate,
    /// True positives over actual positives (tpr).
    TruePositiveRate,
    /// True negatives over actual negatives (tnr).
    TrueNegativeRate,
    /// True over predicted negatives (npv).
    NegativePredictiveValue,
    /// Correct decisions over the group's size (accuracy).
    Accuracy,
    /// Actual positives over the group's size (prev).
    Prevalence,
}

impl DisparityMetric {
    /// Every metric, in Aequitas's order (its ten disparities, then accuracy and prevalence).
    pub const ALL: [DisparityMetric; 12] = [
        Self::PredictedPositiveShare,
        Self::SelectionRate,
        Self::Precision,
        Self::FalseDiscoveryRate,
        Self::FalseOmissionRate,
        Self::FalsePositiveRate,
        Self::FalseNegativeRate,
        Self::TruePositiveRate,
        Self::TrueNegativeRate,
        Self::NegativePredictiveValue,
        Self::Accuracy,
        Self::Prevalence,
    ];

    /// Aequitas's column name (`ppr`, `pprev`, `precision`, `fdr`, ...).
    pub fn aequitas_name(self) -> &'static str {
        match self {
            Self::PredictedPositiveShare => "ppr",
            Self::SelectionRate => "pprev",
            Self::Precision => "precision",
            Self::FalseDiscoveryRate => "fdr",
            Self::FalseOmissionRate => "for",
            Self::FalsePositiveRate => "fpr",
            Self::FalseNegativeRate => "fnr",
            Self::TruePositiveRate => "tpr",
            Self::TrueNegativeRate => "tnr",
            Self::NegativePredictiveValue => "npv",
            Self::Accuracy => "accuracy",
            Self::Prevalence => "prev",
        }
    }

    /// The successes and trials of the proportion a metric is, from raw
    /// counts `[tp, fp, tn, fn]` (none for the share of predicted positives,
    /// which is no proportion of the group's own rows).
    fn proportion(self, [tp, fp, tn, fn_]: [u64; 4]) -> Option<(u64, u64)> {
        let size = tp + fp + tn + fn_;
        Some(match self {
            Self::PredictedPositiveShare => return None,
            Self::SelectionRate => (tp + fp, size),
            Self::Precision => (tp, tp + fp),
            Self::FalseDiscoveryRate => (fp, tp + fp),
            Self::FalseOmissionRate => (fn_, fn_ + tn),
            Self::NegativePredictiveValue => (tn, fn_ + tn),
            Self::FalsePositiveRate => (fp, fp + tn),
            Self::TrueNegativeRate => (tn, fp + tn),
            Self::FalseNegativeRate => (fn_, fn_ + tp),
            Self::TruePositiveRate => (tp, fn_ + tp),
            Self::Accuracy => (tp + tn, size),
            Self::Prevalence => (tp + fn_, size),
        })
    }

    /// The metric whose test a metric shares (one minus the other tests the
    /// same gap): a gap is counted once among a report's comparisons.
    fn tested_as(self) -> Self {
        match self {
            Self::FalseDiscoveryRate => Self::Precision,
            Self::NegativePredictiveValue => Self::FalseOmissionRate,
            Self::TrueNegativeRate => Self::FalsePositiveRate,
            Self::TruePositiveRate => Self::FalseNegativeRate,
            other => other,
        }
    }

    /// The metric of a group with cells `[tp, fp, tn, fn]` whose attribute has
    /// `predicted_positives` in all; NaN where the denominator is 0.
    fn value(self, cells: [f64; 4], predicted_positives: f64) -> f64 {
        let [tp, fp, tn, fn_] = cells;
        let divide = |x: f64, y: f64| if y != 0.0 { x / y } else { f64::NAN };
        let size = tp + tn + fp + fn_;
        match self {
            Self::PredictedPositiveShare => divide(tp + fp, predicted_positives),
            Self::SelectionRate => divide(tp + fp, (tp + fp) + (fn_ + tn)),
            Self::Precision => divide(tp, tp + fp),
            Self::FalseDiscoveryRate => divide(fp, tp + fp),
            Self::FalseOmissionRate => divide(fn_, fn_ + tn),
            Self::FalsePositiveRate => divide(fp, fp + tn),
            Self::FalseNegativeRate => divide(fn_, fn_ + tp),
            Self::TruePositiveRate => divide(tp, fn_ + tp),
            Self::TrueNegativeRate => divide(tn, fp + tn),
            Self::NegativePredictiveValue => divide(tn, fn_ + tn),
            Self::Accuracy => divide(tp + tn, size),
            Self::Prevalence => divide(fn_ + tp, size),
        }
    }
}

/// How the reference group of each metric is chosen (Aequitas's three rules).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DisparityReference {
    /// The largest group (by weight; the first in order on a tie), for every metric.
    #[default]
    LargestGroup,
    /// For each metric, the group with its lowest value (the first on a tie;
    /// the first group when every value is undefined).
    LowestValue,
    /// The named group, for every metric: its values in grouping order.
    Named {
        /// The group's values, one per sensitive feature of the grouping.
        group: Vec<String>,
    },
}

/// The disparity band inside which a group is at parity with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ParityBand {
    /// Lowest disparity at parity (Aequitas's tau; default 0.8).
    #[schema(minimum = 0.0, maximum = 1.0, exclusive_minimum = 0.0)]
    pub low: f64,
    /// Highest disparity at parity (default 1 / low, 1.25).
    pub high: f64,
}

impl Default for ParityBand {
    fn default() -> Self {
        ParityBand::symmetric(0.8)
    }
}

impl ParityBand {
    /// Aequitas's band `[tau, 1 / tau]`.
    pub fn symmetric(tau: f64) -> Self {
        ParityBand {
            low: tau,
            high: 1.0 / tau,
        }
    }

    /// Whether the band is usable: 0 < low ≤ 1 ≤ high, both finite.
    pub fn is_valid(&self) -> bool {
        self.low.is_finite()
            && self.high.is_finite()
            && self.low > 0.0
            && self.low <= 1.0
            && self.high >= 1.0
    }

    /// Aequitas's verdict: undefined for an undefined disparity.
    pub fn parity(&self, disparity: f64) -> Option<bool> {
        (!disparity.is_nan()).then_some(self.low <= disparity && disparity <= self.high)
    }
}

/// How gaps are tested across a report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SignificanceSettings {
    /// Adjustment for multiple comparisons (Holm by default).
    pub adjustment: Adjustment,
    /// A gap is significant when its adjusted p-value is below this level (default 0.05).
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub level: f64,
}

impl Default for SignificanceSettings {
    fn default() -> Self {
        SignificanceSettings {
            adjustment: Adjustment::Holm,
            level: 0.05,
        }
    }
}

/// Aequitas's stand-in for a disparity whose reference value is 0 (a positive value over 0).
pub const DIVIDED_BY_ZERO: f64 = 10.0;

/// One group's value of a metric, against the reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupDisparity {
    /// The group's values.
    pub group: Vec<String>,
    /// The metric's value in the group (null where its denominator is 0).
    #[serde(with = "nan_as_null")]
    #[schema(value_type = Option<f64>)]
    pub value: f64,
    /// value / the reference group's value; 10 where only the reference's is 0
    /// (Aequitas's cap); null where either is undefined or both are 0.
    #[serde(with = "nan_as_null")]
    #[schema(value_type = Option<f64>)]
    pub disparity: f64,
    /// Whether the disparity lies in the parity band (null when it is undefined).
    pub parity: Option<bool>,
    /// Whether the gap to the reference is significant (not for the
    /// reference itself, nor for the share of predicted positives).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<GapTest>,
}

/// The test of one group's gap to the reference on one metric, on raw row counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GapTest {
    /// The test used: the z-test, or Fisher's exact test when an expected cell count is under 5.
    pub test: ProportionTest,
    /// Two-sided p-value.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub p_value: f64,
    /// The p-value adjusted across every comparison of the report.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub adjusted_p_value: f64,
    /// Whether the adjusted p-value is below the significance level.
    pub significant: bool,
}

/// One metric across the groups of a grouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetricDisparities {
    /// The metric.
    pub metric: DisparityMetric,
    /// The reference group's values.
    pub reference: Vec<String>,
    /// Every group, in grouping order, the reference included (disparity 1 where its value is defined).
    pub groups: Vec<GroupDisparity>,
}

/// A grouping's disparity table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DisparityTable {
    /// How the reference groups were chosen.
    pub reference_rule: DisparityReference,
    /// The parity band.
    pub band: ParityBand,
    /// How the gaps' p-values were adjusted, and the level they are judged at.
    pub significance: SignificanceSettings,
    /// One entry per metric, in [`DisparityMetric::ALL`] order.
    pub metrics: Vec<MetricDisparities>,
}

/// Why a disparity table could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DisparityError {
    /// The named reference group is not among the grouping's groups.
    #[error("the reference group {0:?} is not observed in this grouping")]
    UnknownReference(Vec<String>),
}

/// Builds the disparity table of a grouping from each group's values and
/// confusion counts, given in the grouping's order (Aequitas's order: sorted
/// by the values joined with `|`).
pub fn disparities(
    groups: &[(Vec<String>, Confusion)],
    reference: &DisparityReference,
    band: ParityBand,
    significance: SignificanceSettings,
) -> Result<DisparityTable, DisparityError> {
    let cells: Vec<[f64; 4]> = groups.iter().map(|(_, counts)| counts.weight).collect();
    let predicted_positives: f64 = cells.iter().map(|c| c[TP] + c[FP]).sum();
    let named = match reference {
        DisparityReference::Named { group } => Some(
            groups
                .iter()
                .position(|(values, _)| values == group)
                .ok_or_else(|| DisparityError::UnknownReference(group.clone()))?,
        ),
        _ => None,
    };
    // pandas' idxmax: the first of the largest
    let largest = cells
        .iter()
        .map(|c| c[TP] + c[FP] + c[TN] + c[FN])
        .enumerate()
        .fold(None::<(usize, f64)>, |best, (index, size)| match best {
            Some((_, top)) if top >= size => best,
            _ => Some((index, size)),
        })
        .map_or(0, |(index, _)| index);
    let metrics = DisparityMetric::ALL
        .iter()
        .map(|&metric| {
            let values: Vec<f64> = cells
                .iter()
                .map(|&c| metric.value(c, predicted_positives))
                .collect();
            let reference_index = match reference {
                DisparityReference::LargestGroup => largest,
                DisparityReference::Named { .. } => named.unwrap_or(0),
                // pandas' idxmin skips NaN and takes the first of the lowest
                DisparityReference::LowestValue => values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| !v.is_nan())
                    .fold(None::<(usize, f64)>, |best, (index, &value)| match best {
                        Some((_, low)) if low <= value => best,
                        _ => Some((index, value)),
                    })
                    .map_or(0, |(index, _)| index),
            };
            let reference_value = values.get(reference_index).copied().unwrap_or(f64::NAN);
            let reference_rows = groups.get(reference_index).map(|(_, c)| c.rows);
            let test = |index: usize| {
                let (x1, n1) = metric.proportion(groups[index].1.rows)?;
                let (x2, n2) = metric.proportion(reference_rows?)?;
                if index == reference_index {
                    return None;
                }
                let (test, p_value) = significance::compare_proportions(x1, n1, x2, n2)?;
                Some(GapTest {
                    test,
                    p_value,
                    adjusted_p_value: p_value,
                    significant: p_value < significance.level,
                })
            };
            MetricDisparities {
                metric,
                reference: groups
                    .get(reference_index)
                    .map(|(v, _)| v.clone())
                    .unwrap_or_default(),
                groups: groups
                    .iter()
                    .zip(&values)
                    .enumerate()
                    .map(|(index, ((group, _), &value))| {
                        let disparity = ratio(value, reference_value);
                        GroupDisparity {
                            group: group.clone(),
                            value,
                            disparity,
                            parity: band.parity(disparity),
                            significance: test(index),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(DisparityTable {
        reference_rule: reference.clone(),
        band,
        significance,
        metrics,
    })
}

/// Adjusts the p-values of every gap of a report's tables together (a gap
/// and its complement, FDR to precision, TPR to FNR, ..., counted once) and
/// judges them at the tables' level.
pub fn adjust_across(tables: &mut [&mut DisparityTable], settings: SignificanceSettings) {
    // one comparison per (table, tested metric, group, reference), by index
    type Gap = (usize, DisparityMetric, Vec<String>, Vec<String>);
    let key = |t: usize, metric: &MetricDisparities, row: &GroupDisparity| -> Gap {
        (
            t,
            metric.metric.tested_as(),
            row.group.clone(),
            metric.reference.clone(),
        )
    };
    let mut index: HashMap<Gap, usize> = HashMap::new();
    let mut p_values: Vec<f64> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for metric in &table.metrics {
            for row in &metric.groups {
                if let Some(gap) = &row.significance {
                    index.entry(key(t, metric, row)).or_insert_with(|| {
                        p_values.push(gap.p_value);
                        p_values.len() - 1
                    });
                }
            }
        }
    }
    let adjusted = significance::adjust(&p_values, settings.adjustment);
    for (t, table) in tables.iter_mut().enumerate() {
        table.significance = settings;
        for metric in &mut table.metrics {
            for r in 0..metric.groups.len() {
                let Some(&i) = index.get(&key(t, metric, &metric.groups[r])) else {
                    continue;
                };
                if let Some(gap) = &mut metric.groups[r].significance {
                    gap.adjusted_p_value = adjusted[i];
                    gap.significant = adjusted[i] < settings.level;
                }
            }
        }
    }
}

/// value / reference as pandas divides, with +inf replaced by Aequitas's cap.
fn ratio(value: f64, reference: f64) -> f64 {
    let ratio = value / reference;
    if ratio == f64::INFINITY {
        DIVIDED_BY_ZERO
    } else {
        ratio
    }
}

/// Serializes NaN as null and reads null back as NaN.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_nan() {
            serializer.serialize_none()
        } else {
            serializer.serialize_f64(*value)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, rows: [u64; 4]) -> (Vec<String>, Confusion) {
        (
            vec![name.to_string()],
            Confusion {
                rows,
                weight: rows.map(|r| r as f64),
            },
        )
    }

    #[test]
    fn zero_denominators_follow_aequitas() {
        // a: tp 1 fp 1 tn 1 fn 0; b: tp 2 fp 0 tn 1 fn 1; c: one true negative
        let groups = [
            group("a", [1, 1, 1, 0]),
            group("b", [2, 0, 1, 1]),
            group("c", [0, 0, 1, 0]),
        ];
        let table = disparities(
            &groups,
            &DisparityReference::LargestGroup,
            ParityBand::default(),
            SignificanceSettings::default(),
        )
        .unwrap();
        let fpr = &table.metrics[5];
        assert_eq!(fpr.metric, DisparityMetric::FalsePositiveRate);
        assert_eq!(fpr.reference, ["b"]);
        // 0.5 / 0 is capped at 10; 0 / 0 is undefined
        assert_eq!(fpr.groups[0].disparity, 10.0);
        assert!(fpr.groups[1].disparity.is_nan());
        assert_eq!(fpr.groups[1].parity, None);
        // c has no predicted positive: precision undefined, and so its disparity
        let precision = &table.metrics[2];
        assert!(precision.groups[2].value.is_nan() && precision.groups[2].disparity.is_nan());
        assert_eq!(table.metrics[1].groups[2].parity, Some(false));
    }

    #[test]
    fn reference_rules_pick_as_pandas_does() {
        let groups = [
            group("a", [1, 1, 1, 1]),
            group("b", [2, 0, 1, 1]),
            group("c", [0, 0, 2, 0]),
        ];
        let largest = disparities(
            &groups,
            &DisparityReference::LargestGroup,
            ParityBand::default(),
            SignificanceSettings::default(),
        )
        .unwrap();
        assert_eq!(
            largest.metrics[0].reference,
            ["a"],
            "a tie goes to the first group"
        );
        let lowest = disparities(
            &groups,
            &DisparityReference::LowestValue,
            ParityBand::default(),
            SignificanceSettings::default(),
        )
        .unwrap();
        // selection rate: c (0) is lowest; precision: c is undefined, a (0.5) is lowest
        assert_eq!(lowest.metrics[1].reference, ["c"]);
        assert_eq!(lowest.metrics[2].reference, ["a"]);
        let named = DisparityReference::Named {
            group: vec!["b".into()],
        };
        assert_eq!(
            disparities(
                &groups,
                &named,
                ParityBand::default(),
                SignificanceSettings::default()
            )
            .unwrap()
            .metrics[3]
                .reference,
            ["b"]
        );
        let unknown = DisparityReference::Named {
            group: vec!["z".into()],
        };
        assert!(
            disparities(
                &groups,
                &unknown,
                ParityBand::default(),
                SignificanceSettings::default()
            )
            .is_err()
        );
    }

    #[test]
    fn the_band_is_inclusive_and_symmetric_by_default() {
        let band = ParityBand::default();
        assert_eq!(band.high, 1.25);
        assert_eq!(band.parity(0.8), Some(true));
        assert_eq!(band.parity(1.25), Some(true));
        assert_eq!(band.parity(0.79), Some(false));
        assert_eq!(band.parity(f64::NAN), None);
        assert!(band.is_valid());
        assert!(
            !ParityBand {
                low: 0.0,
                high: 2.0
            }
            .is_valid()
        );
    }
}
