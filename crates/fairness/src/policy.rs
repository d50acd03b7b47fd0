//! Verdicts: each policy bound checked against its figure over the groups
//! large enough to count, with the bootstrap interval deciding between pass,
//! fail and inconclusive.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::aggregate::headline;
use super::bootstrap;
use super::counts::{Confusion, Rates};
use super::spec::{FairnessOptions, Policy};

/// The outcome of a check; the order is from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Inconclusive,
    Fail,
}

impl Outcome {
    /// The lower-case word, as in JSON and the `reports.verdict` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Inconclusive => "inconclusive",
            Self::Fail => "fail",
        }
    }
}

/// One policy bound checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Verdict {
    /// The figure checked (between groups; equalized odds as worst case).
    pub figure: String,
    /// `<=` or `>=`.
    pub comparison: String,
    /// The bound from the policy.
    pub bound: f64,
    /// The figure over the groups considered.
    pub value: Option<f64>,
    /// Its bootstrap confidence interval.
    pub ci: Option<[f64; 2]>,
    /// Pass, fail or inconclusive.
    pub outcome: Outcome,
    /// Why.
    pub reason: String,
    /// Groups large enough to count.
    pub groups_considered: usize,
    /// Groups left out for having fewer than `min_group_size` rows.
    pub groups_excluded: Vec<Vec<String>>,
}

/// Worst outcome of a set of verdicts (inconclusive when there are none).
pub fn worst(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    outcomes.max().unwrap_or(Outcome::Inconclusive)
}

fn decide(
    value: Option<f64>,
    ci: Option<[f64; 2]>,
    bound: f64,
    at_most: bool,
) -> (Outcome, String) {
    let Some(value) = value else {
        return (
            Outcome::Inconclusive,
            "the figure is undefined for these groups".into(),
        );
    };
    let within = |v: f64| if at_most { v <= bound } else { v >= bound };
    let sign = if at_most { "<=" } else { ">=" };
    match ci {
        Some([low, high]) => {
            let (inner, outer) = if at_most { (high, low) } else { (low, high) };
            if within(inner) {
                (
                    Outcome::Pass,
                    format!(
                        "{value:.4}, and its whole interval [{low:.4}, {high:.4}], is {sign} {bound}"
                    ),
                )
            } else if !within(outer) {
                (
                    Outcome::Fail,
                    format!("the whole interval [{low:.4}, {high:.4}] violates {sign} {bound}"),
                )
            } else {
                (
                    Outcome::Inconclusive,
                    format!("the interval [{low:.4}, {high:.4}] straddles the bound {bound}"),
                )
            }
        }
        None if within(value) => (
            Outcome::Pass,
            format!("{value:.4} {sign} {bound} (no interval computed)"),
        ),
        None => (
            Outcome::Fail,
            format!("{value:.4} violates {sign} {bound} (no interval computed)"),
        ),
    }
}

/// Checks the policy over `eligible` groups.
pub fn verdicts(
    eligible: &[Confusion],
    excluded: &[Vec<String>],
    options: &FairnessOptions,
    policy: &Policy,
    stream: u64,
) -> Vec<Verdict> {
    let rules = [
        (
            "demographic_parity_difference",
            0usize,
            policy.demographic_parity_difference_max,
            true,
        ),
        (
            "demographic_parity_ratio",
            1,
            policy.demographic_parity_ratio_min,
            false,
        ),
        (
            "equalized_odds_difference",
            2,
            policy.equalized_odds_difference_max,
            true,
        ),
    ];
    let rates: Vec<Rates> = eligible.iter().map(Confusion::rates).collect();
    let figures = headline(&rates.iter().collect::<Vec<_>>()).entries();
    let intervals = if eligible.len() >= 2 {
        bootstrap::intervals(eligible, &options.bootstrap, stream).headline
    } else {
        Default::default()
    };
    rules
        .into_iter()
        .map(|(figure, index, bound, at_most)| {
            let value = Some(figures[index].1).filter(|v| !v.is_nan());
            let (outcome, reason) = if eligible.len() < 2 {
                (
                    Outcome::Inconclusive,
                    format!(
                        "fewer than two groups have at least {} rows",
                        options.min_group_size
                    ),
                )
            } else {
                decide(value, intervals[index], bound, at_most)
            };
            Verdict {
                figure: figure.to_string(),
                comparison: if at_most { "<=" } else { ">=" }.to_string(),
                bound,
                value,
                ci: intervals[index],
                outcome,
                reason,
                groups_considered: eligible.len(),
                groups_excluded: excluded.to_vec(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_decide_between_pass_fail_and_inconclusive() {
        assert_eq!(
            decide(Some(0.05), Some([0.02, 0.08]), 0.1, true).0,
            Outcome::Pass
        );
        assert_eq!(
            decide(Some(0.2), Some([0.15, 0.25]), 0.1, true).0,
            Outcome::Fail
        );
        assert_eq!(
            decide(Some(0.09), Some([0.05, 0.13]), 0.1, true).0,
            Outcome::Inconclusive
        );
        assert_eq!(
            decide(Some(0.9), Some([0.85, 0.95]), 0.8, false).0,
            Outcome::Pass
        );
        assert_eq!(decide(None, None, 0.8, false).0, Outcome::Inconclusive);
        assert_eq!(
            worst([Outcome::Pass, Outcome::Fail, Outcome::Inconclusive].into_iter()),
            Outcome::Fail
        );
    }
}
