//! Fairness aggregates with Fairlearn 0.15 semantics: differences and
//! ratios between groups and to the overall value, equalized odds with
//! `worst_case` and `mean` aggregation, and AIF360-style comparisons with a
//! reference group. NaN (Fairlearn's "undefined") becomes a null figure
//! with a reason.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::counts::{Metric, Rates};

/// One reported number: a value, or null with the reason, and an optional
/// bootstrap confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    /// The figure; null when undefined.
    pub value: Option<f64>,
    /// Why the figure is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Bootstrap confidence interval `[low, high]`, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<[f64; 2]>,
    /// The most the value can differ from the exact figure, when it was computed from binned
    /// scores (ROC AUC over more distinct scores than are kept exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_bound: Option<f64>,
}

impl Figure {
    /// A figure from a float that may be NaN.
    pub fn from_f64(value: f64, reason: impl FnOnce() -> String) -> Self {
        if value.is_nan() {
            Self {
                value: None,
                reason: Some(reason()),
                ci: None,
                error_bound: None,
            }
        } else {
            Self {
                value: Some(value),
                reason: None,
                ci: None,
                error_bound: None,
            }
        }
    }

    /// The value as a float (NaN when null).
    pub fn as_f64(&self) -> f64 {
        self.value.unwrap_or(f64::NAN)
    }
}

/// A difference or ratio computed both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ByMethod {
    /// Between the groups: max − min, or min / max.
    pub between_groups: Figure,
    /// Against the overall value: max |m_g − m_all|, or min over groups of min(m_g/m_all, m_all/m_g).
    pub to_overall: Figure,
}

/// Equalized odds, aggregated over TPR and FPR both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ByAggregation {
    /// Larger difference (smaller ratio) of TPR and FPR.
    pub worst_case: ByMethod,
    /// Mean of the TPR and FPR differences (ratios).
    pub mean: ByMethod,
}

/// Every aggregate of one grouping, named as Fairlearn's functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Aggregates {
    pub demographic_parity_difference: ByMethod,
    pub demographic_parity_ratio: ByMethod,
    pub equalized_odds_difference: ByAggregation,
    pub equalized_odds_ratio: ByAggregation,
    pub equal_opportunity_difference: ByMethod,
    pub equal_opportunity_ratio: ByMethod,
    pub false_positive_rate_difference: ByMethod,
    pub false_positive_rate_ratio: ByMethod,
    pub false_negative_rate_difference: ByMethod,
    pub false_negative_rate_ratio: ByMethod,
    pub accuracy_difference: ByMethod,
    pub accuracy_ratio: ByMethod,
    pub precision_difference: ByMethod,
    pub precision_ratio: ByMethod,
}

impl Aggregates {
    /// The six headline figures between groups (equalized odds as the worst case), by name.
    pub fn headline_figures(&self) -> [(&'static str, &Figure); 6] {
        [
            (
                "demographic_parity_difference",
                &self.demographic_parity_difference.between_groups,
            ),
            (
                "demographic_parity_ratio",
                &self.demographic_parity_ratio.between_groups,
            ),
            (
                "equalized_odds_difference",
                &self.equalized_odds_difference.worst_case.between_groups,
            ),
            (
                "equalized_odds_ratio",
                &self.equalized_odds_ratio.worst_case.between_groups,
            ),
            (
                "equal_opportunity_difference",
                &self.equal_opportunity_difference.between_groups,
            ),
            (
                "equal_opportunity_ratio",
                &self.equal_opportunity_ratio.between_groups,
            ),
        ]
    }
}

fn defined(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|v| !v.is_nan())
}

/// max − min over groups (NaN groups skipped, as pandas does).
pub fn difference_between(values: &[f64]) -> f64 {
    let min = defined(values).fold(f64::NAN, f64::min);
    defined(values)
        .map(|v| (v - min).abs())
        .fold(f64::NAN, f64::max)
}

/// max |m_g − m_all| over groups.
pub fn difference_to_overall(values: &[f64], overall: f64) -> f64 {
    defined(values)
        .map(|v| (v - overall).abs())
        .filter(|d| !d.is_nan())
        .fold(f64::NAN, f64::max)
}

/// min / max over groups (0/0 is NaN).
pub fn ratio_between(values: &[f64]) -> f64 {
    let min = defined(values).fold(f64::NAN, f64::min);
    let max = defined(values).fold(f64::NAN, f64::max);
    min / max
}

/// min over groups of the group/overall ratio folded below one.
pub fn ratio_to_overall(values: &[f64], overall: f64) -> f64 {
    defined(values)
        .map(|v| {
            let ratio = v / overall;
            if ratio > 1.0 { 1.0 / ratio } else { ratio }
        })
        .filter(|r| !r.is_nan())
        .fold(f64::NAN, f64::min)
}

/// Python's built-in `max(a, b)`: `b` only when `b > a` (so a NaN `a` wins).
fn python_max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// Python's built-in `min(a, b)`.
fn python_min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// pandas' `Series.mean()`: NaN skipped.
fn nan_mean(a: f64, b: f64) -> f64 {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => (a + b) / 2.0,
        (false, true) => a,
        (true, false) => b,
        (true, true) => f64::NAN,
    }
}

/// Raw numbers before they become figures: [between, to_overall].
#[derive(Debug, Clone, Copy)]
struct Pair([f64; 2]);

fn differences(groups: &[&Rates], overall: &Rates, metric: Metric) -> Pair {
    let values: Vec<f64> = groups.iter().map(|r| r.get(metric)).collect();
    Pair([
        difference_between(&values),
        difference_to_overall(&values, overall.get(metric)),
    ])
}

fn ratios(groups: &[&Rates], overall: &Rates, metric: Metric) -> Pair {
    let values: Vec<f64> = groups.iter().map(|r| r.get(metric)).collect();
    Pair([
        ratio_between(&values),
        ratio_to_overall(&values, overall.get(metric)),
    ])
}

fn figures(pair: Pair, what: &str) -> ByMethod {
    let reason = |method: &str| {
        let what = what.to_string();
        let method = method.to_string();
        move || {
            format!("{what} ({method}) is undefined: no group has a defined value, or it is 0/0")
        }
    };
    ByMethod {
        between_groups: Figure::from_f64(pair.0[0], reason("between_groups")),
        to_overall: Figure::from_f64(pair.0[1], reason("to_overall")),
    }
}

/// The headline numbers of a grouping as plain floats (NaN = undefined), for bootstrap and verdicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub demographic_parity_difference: f64,
    pub demographic_parity_ratio: f64,
    pub equalized_odds_difference: f64,
    pub equalized_odds_ratio: f64,
    pub equal_opportunity_difference: f64,
    pub equal_opportunity_ratio: f64,
}

impl Headline {
    /// Names and values, in report order.
    pub fn entries(&self) -> [(&'static str, f64); 6] {
        [
            (
                "demographic_parity_difference",
                self.demographic_parity_difference,
            ),
            ("demographic_parity_ratio", self.demographic_parity_ratio),
            ("equalized_odds_difference", self.equalized_odds_difference),
            ("equalized_odds_ratio", self.equalized_odds_ratio),
            (
                "equal_opportunity_difference",
                self.equal_opportunity_difference,
            ),
            ("equal_opportunity_ratio", self.equal_opportunity_ratio),
        ]
    }
}

/// Between-groups headline figures (equalized odds as `worst_case`).
pub fn headline(groups: &[&Rates]) -> Headline {
    let values = |metric: Metric| groups.iter().map(|r| r.get(metric)).collect::<Vec<_>>();
    let (selection, tpr, fpr) = (
        values(Metric::SelectionRate),
        values(Metric::TruePositiveRate),
        values(Metric::FalsePositiveRate),
    );
    Headline {
        demographic_parity_difference: difference_between(&selection),
        demographic_parity_ratio: ratio_between(&selection),
        equalized_odds_difference: python_max(difference_between(&tpr), difference_between(&fpr)),
        equalized_odds_ratio: python_min(ratio_between(&tpr), ratio_between(&fpr)),
        equal_opportunity_difference: difference_between(&tpr),
        equal_opportunity_ratio: ratio_between(&tpr),
    }
}

/// Every aggregate of a grouping, given its groups' rates and the overall rates.
pub fn aggregates(groups: &[&Rates], overall: &Rates) -> Aggregates {
    let tpr_difference = differences(groups, overall, Metric::TruePositiveRate);
    let fpr_difference = differences(groups, overall, Metric::FalsePositiveRate);
    let tpr_ratio = ratios(groups, overall, Metric::TruePositiveRate);
    let fpr_ratio = ratios(groups, overall, Metric::FalsePositiveRate);
    let combine =
        |a: Pair, b: Pair, f: fn(f64, f64) -> f64| Pair([f(a.0[0], b.0[0]), f(a.0[1], b.0[1])]);
    Aggregates {
        demographic_parity_difference: figures(
            differences(groups, overall, Metric::SelectionRate),
            "demographic parity difference",
        ),
        demographic_parity_ratio: figures(
            ratios(groups, overall, Metric::SelectionRate),
            "demographic parity ratio",
        ),
        equalized_odds_difference: ByAggregation {
            worst_case: figures(
                combine(tpr_difference, fpr_difference, python_max),
                "equalized odds difference",
            ),
            mean: figures(
                combine(tpr_difference, fpr_difference, nan_mean),
                "equalized odds difference (mean)",
            ),
        },
        equalized_odds_ratio: ByAggregation {
            worst_case: figures(
                combine(tpr_ratio, fpr_ratio, python_min),
                "equalized odds ratio",
            ),
            mean: figures(
                combine(tpr_ratio, fpr_ratio, nan_mean),
                "equalized odds ratio (mean)",
            ),
        },
        equal_opportunity_difference: figures(tpr_difference, "equal opportunity difference"),
        equal_opportunity_ratio: figures(tpr_ratio, "equal opportunity ratio"),
        false_positive_rate_difference: figures(fpr_difference, "false positive rate difference"),
        false_positive_rate_ratio: figures(fpr_ratio, "false positive rate ratio"),
        false_negative_rate_difference: figures(
            differences(groups, overall, Metric::FalseNegativeRate),
            "false negative rate difference",
        ),
        false_negative_rate_ratio: figures(
            ratios(groups, overall, Metric::FalseNegativeRate),
            "false negative rate ratio",
        ),
        accuracy_difference: figures(
            differences(groups, overall, Metric::Accuracy),
            "accuracy difference",
        ),
        accuracy_ratio: figures(ratios(groups, overall, Metric::Accuracy), "accuracy ratio"),
        precision_difference: figures(
            differences(groups, overall, Metric::Precision),
            "precision difference",
        ),
        precision_ratio: figures(
            ratios(groups, overall, Metric::Precision),
            "precision ratio",
        ),
    }
}

/// Disparate impact and statistical parity difference of one group against
/// the reference (privileged) group, AIF360 conventions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReferenceComparison {
    /// The compared (unprivileged) group's values.
    pub group: Vec<String>,
    /// selection rate(group) / selection rate(reference).
    pub disparate_impact: Figure,
    /// selection rate(group) − selection rate(reference).
    pub statistical_parity_difference: Figure,
}

/// Compares a group's selection rate with the reference group's.
pub fn compare_to_reference(
    group: Vec<String>,
    rates: &Rates,
    reference: &Rates,
) -> ReferenceComparison {
    let (unprivileged, privileged) = (rates.selection_rate, reference.selection_rate);
    ReferenceComparison {
        group,
        disparate_impact: Figure::from_f64(unprivileged / privileged, || {
            "the reference group's selection rate is 0 (or a selection rate is undefined)".into()
        }),
        statistical_parity_difference: Figure::from_f64(unprivileged - privileged, || {
            "a selection rate is undefined (weights sum to 0)".into()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandas_semantics_for_undefined_groups() {
        assert_eq!(difference_between(&[0.2, f64::NAN, 0.5]), 0.3);
        assert!(difference_between(&[f64::NAN]).is_nan());
        assert!(ratio_between(&[0.0, 0.0]).is_nan());
        assert_eq!(ratio_between(&[0.0, 0.5]), 0.0);
        assert_eq!(ratio_to_overall(&[0.5, 0.25], 0.0), 0.0);
        assert!(ratio_to_overall(&[0.0], 0.0).is_nan());
        assert_eq!(ratio_to_overall(&[0.6, 0.3], 0.4), 0.4 / 0.6);
        assert!(python_max(f64::NAN, 0.3).is_nan());
        assert_eq!(python_max(0.3, f64::NAN), 0.3);
    }
}
