//! Confusion counts of one group (raw and weighted) and the rates derived
//! from them. Every fairness figure is computed from these counts.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// Raw and weighted confusion counts of one group. Counts add up, so groups
/// (and dataset parts) can be merged exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    /// Rows per cell: true positive, false positive, true negative, false negative.
    pub rows: [u64; 4],
    /// Sum of sample weights per cell, in the same order.
    pub weight: [f64; 4],
}

/// Index of each cell in [`Confusion`] arrays.
pub const TP: usize = 0;
pub const FP: usize = 1;
pub const TN: usize = 2;
pub const FN: usize = 3;

impl Confusion {
    /// Adds another group's counts.
    pub fn merge(&mut self, other: &Confusion) {
        for cell in 0..4 {
            self.rows[cell] += other.rows[cell];
            self.weight[cell] += other.weight[cell];
        }
    }

    /// Number of rows.
    pub fn row_count(&self) -> u64 {
        self.rows.iter().sum()
    }

    /// Sum of weights.
    pub fn weight_sum(&self) -> f64 {
        self.weight[TP] + self.weight[FP] + self.weight[TN] + self.weight[FN]
    }

    /// The weighted rates (rows when unweighted: weights are then 1).
    pub fn rates(&self) -> Rates {
        Rates::from_cells(self.weight)
    }
}

/// The rates of one group. A rate whose denominator is zero is 0 (the
/// scikit-learn/Fairlearn convention) and is named in `undefined`; rates over
/// the group's total weight (selection rate, accuracy, base rate) are null
/// when that weight is 0, as Fairlearn gives NaN, and the group then drops
/// out of their aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rates {
    #[serde(deserialize_with = "null_as_nan")]
    pub selection_rate: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub true_positive_rate: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub false_positive_rate: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub true_negative_rate: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub false_negative_rate: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub precision: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub negative_predictive_value: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub accuracy: f64,
    #[serde(deserialize_with = "null_as_nan")]
    pub base_rate: f64,
    /// Rates whose denominator was zero (reported as 0, or null for rates over the group's weight).
    pub undefined: Vec<Cow<'static, str>>,
}

impl Rates {
    /// Rates from confusion cells `[tp, fp, tn, fn]`.
    pub fn from_cells([tp, fp, tn, fn_]: [f64; 4]) -> Self {
        let mut undefined = Vec::new();
        let mut rate = |name: &'static str, numerator: f64, denominator: f64| {
            if denominator == 0.0 {
                undefined.push(Cow::Borrowed(name));
                let over_total = matches!(name, "selection_rate" | "accuracy" | "base_rate");
                if over_total { f64::NAN } else { 0.0 }
            } else {
                numerator / denominator
            }
        };
        let total = tp + fp + tn + fn_;
        Self {
            selection_rate: rate("selection_rate", tp + fp, total),
            true_positive_rate: rate("true_positive_rate", tp, tp + fn_),
            false_positive_rate: rate("false_positive_rate", fp, fp + tn),
            true_negative_rate: rate("true_negative_rate", tn, tn + fp),
            false_negative_rate: rate("false_negative_rate", fn_, fn_ + tp),
            precision: rate("precision", tp, tp + fp),
            negative_predictive_value: rate("negative_predictive_value", tn, tn + fn_),
            accuracy: rate("accuracy", tp + tn, total),
            base_rate: rate("base_rate", tp + fn_, total),
            undefined,
        }
    }

    /// The value of a named metric.
    pub fn get(&self, metric: Metric) -> f64 {
        match metric {
            Metric::SelectionRate => self.selection_rate,
            Metric::TruePositiveRate => self.true_positive_rate,
            Metric::FalsePositiveRate => self.false_positive_rate,
            Metric::FalseNegativeRate => self.false_negative_rate,
            Metric::Accuracy => self.accuracy,
            Metric::Precision => self.precision,
        }
    }

    /// Whether a named metric had a zero denominator.
    pub fn is_undefined(&self, metric: Metric) -> bool {
        self.undefined.iter().any(|u| u == metric.name())
    }
}

/// Reads a rate that JSON stores as null when it is NaN (a zero-weight group).
fn null_as_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// The metrics that fairness aggregates compare across groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    SelectionRate,
    TruePositiveRate,
    FalsePositiveRate,
    FalseNegativeRate,
    Accuracy,
    Precision,
}

impl Metric {
    /// snake_case name as in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::SelectionRate => "selection_rate",
            Self::TruePositiveRate => "true_positive_rate",
            Self::FalsePositiveRate => "false_positive_rate",
            Self::FalseNegativeRate => "false_negative_rate",
            Self::Accuracy => "accuracy",
            Self::Precision => "precision",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_follow_the_confusion_matrix_and_flag_zero_denominators() {
        let rates = Rates::from_cells([3.0, 1.0, 4.0, 2.0]);
        assert_eq!(rates.selection_rate, 0.4);
        assert_eq!(rates.true_positive_rate, 0.6);
        assert_eq!(rates.false_positive_rate, 0.2);
        assert_eq!(rates.precision, 0.75);
        assert_eq!(rates.accuracy, 0.7);
        assert!(rates.undefined.is_empty());
        let no_positives = Rates::from_cells([0.0, 2.0, 3.0, 0.0]);
        assert_eq!(no_positives.true_positive_rate, 0.0);
        assert_eq!(
            no_positives.undefined,
            ["true_positive_rate", "false_negative_rate"]
        );
    }
}
