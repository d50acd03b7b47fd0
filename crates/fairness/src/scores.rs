//! With scores: per-group ROC AUC (the weighted trapezoid that
//! scikit-learn's `roc_auc_score` computes) and a threshold sweep of
//! selection rate, TPR and FPR per group, for plots. AUC is exact while the
//! data holds at most 1,000,000 distinct (group, score) pairs; beyond, it
//! comes from 65,536 equal-width score bins and carries its error bound.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::aggregate::Figure;
use super::prepare::{SCORE, W, Y, group_column};
use super::query::{CollectStreaming, for_each_batch};
use super::spec::FairnessError;

const BIN: &str = "__probity_bin";
const POS: &str = "__probity_pos";
const NEG: &str = "__probity_neg";

/// Group key → per-bin (positive weight, negative weight).
type Binned = BTreeMap<Vec<String>, BTreeMap<i64, (f64, f64)>>;

/// Positive and negative weight per group and `extra` value (not yet run).
fn weighted_by(frame: &LazyFrame, keys: Vec<Expr>, extra: Expr) -> LazyFrame {
    let mut by = keys;
    by.push(extra);
    frame.clone().group_by(by).agg([
        when(col(Y))
            .then(col(W))
            .otherwise(lit(0.0))
            .sum()
            .alias(POS),
        when(col(Y))
            .then(lit(0.0))
            .otherwise(col(W))
            .sum()
            .alias(NEG),
    ])
}

fn read_binned(
    frame: &DataFrame,
    features: &[usize],
    value: &str,
) -> Result<Binned, FairnessError> {
    let keys: Vec<StringChunked> = features
        .iter()
        .map(|&i| Ok(frame.column(&group_column(i))?.str()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let values = frame.column(value)?.cast(&DataType::Int64)?;
    let values = values.i64()?;
    let pos = frame.column(POS)?.f64()?.clone();
    let neg = frame.column(NEG)?.f64()?.clone();
    let mut out = Binned::new();
    for row in 0..frame.height() {
        let key: Vec<String> = keys
            .iter()
            .map(|k| k.get(row).unwrap_or_default().to_string())
            .collect();
        let bucket = values.get(row).unwrap_or(0);
        let cell = out
            .entry(key)
            .or_default()
            .entry(bucket)
            .or_insert((0.0, 0.0));
        cell.0 += pos.get(row).unwrap_or(0.0);
        cell.1 += neg.get(row).unwrap_or(0.0);
    }
    Ok(out)
}

/// Area under the ROC curve from (score, positive weight, negative weight) sorted by descending score.
pub fn roc_auc(points: &[(f64, f64, f64)]) -> Figure {
    let (total_pos, total_neg) = points
        .iter()
        .fold((0.0, 0.0), |(p, n), &(_, wp, wn)| (p + wp, n + wn));
    if total_pos == 0.0 || total_neg == 0.0 {
        return Figure::from_f64(f64::NAN, || {
            "only one class is present in this group".into()
        });
    }
    let (mut tp, mut fp, mut area) = (0.0, 0.0, 0.0);
    for &(_, wp, wn) in points {
        let (new_tp, new_fp) = (tp + wp, fp + wn);
        area += (new_fp - fp) / total_neg * (new_tp + tp) / total_pos / 2.0;
        (tp, fp) = (new_tp, new_fp);
    }
    Figure::from_f64(area, String::new)
}

/// Distinct (intersection group, score) pairs up to which ROC AUC is exact.
pub const EXACT_AUC_PAIRS: usize = 1_000_000;
/// Equal-width score bins AUC is computed from beyond that.
pub const AUC_BINS: u32 = 65_536;

/// How ROC AUC is computed for an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AucMethod {
    /// From every distinct score.
    Exact,
    /// From `AUC_BINS` score bins, with the error bound that implies.
    Binned,
}

/// Exact when the intersection groups hold at most `EXACT_AUC_PAIRS`
/// distinct (group, score) pairs: one streaming pass counts them and stops
/// once past the limit, so memory stays bounded either way.
pub fn auc_method(frame: &LazyFrame, features: usize) -> Result<AucMethod, FairnessError> {
    use std::hash::{Hash, Hasher};

    enum Stop {
        Exceeded,
        Failed(PolarsError),
    }
    impl From<PolarsError> for Stop {
        fn from(error: PolarsError) -> Self {
            Self::Failed(error)
        }
    }
    let mut names: Vec<Expr> = (0..features).map(|i| col(group_column(i))).collect();
    names.push(col(SCORE));
    let mut seen = std::collections::HashSet::new();
    let counted = for_each_batch(frame.clone().select(names), 65_536, |batch| {
        let keys: Vec<StringChunked> = (0..features)
            .map(|i| Ok(batch.column(&group_column(i))?.str()?.clone()))
            .collect::<PolarsResult<_>>()?;
        let scores = batch.column(SCORE)?.f64()?.clone();
        for row in 0..batch.height() {
            let mut hasher = std::hash::DefaultHasher::new();
            for key in &keys {
                key.get(row).hash(&mut hasher);
            }
            scores.get(row).map(f64::to_bits).hash(&mut hasher);
            seen.insert(hasher.finish());
            if seen.len() > EXACT_AUC_PAIRS {
                return Err(Stop::Exceeded);
            }
        }
        Ok(())
    });
    match counted {
        Ok(()) => Ok(AucMethod::Exact),
        Err(Stop::Exceeded) => Ok(AucMethod::Binned),
        Err(Stop::Failed(error)) => Err(error.into()),
    }
}

/// ROC AUC of every group of a grouping by `method`.
pub fn roc_auc_by_group(
    frame: &LazyFrame,
    features: &[usize],
    method: AucMethod,
) -> Result<BTreeMap<Vec<String>, Figure>, FairnessError> {
    match method {
        AucMethod::Exact => exact_roc_auc_by_group(frame, features),
        AucMethod::Binned => binned_roc_auc_by_group(frame, features),
    }
}

/// ROC AUC from `AUC_BINS` equal-width score bins: pairs in different bins
/// are ordered exactly, pairs within a bin count as ties, so the figure is
/// within `Σ_bins pos·neg / (2·P·N)` (weighted) of the exact one, which
/// is reported as its error bound.
fn binned_roc_auc_by_group(
    frame: &LazyFrame,
    features: &[usize],
) -> Result<BTreeMap<Vec<String>, Figure>, FairnessError> {
    let keys: Vec<Expr> = features.iter().map(|&i| col(group_column(i))).collect();
    // Scores are validated to lie in [0, 1], so truncation is the floor; 1.0 joins the top bin.
    let last = i64::from(AUC_BINS) - 1;
    let scaled = (col(SCORE) * lit(f64::from(AUC_BINS))).cast(DataType::Int64);
    let bin = when(scaled.clone().gt(lit(last)))
        .then(lit(last))
        .otherwise(scaled)
        .alias(BIN);
    let counts = weighted_by(frame, keys, bin).collect_streaming()?;
    let binned = read_binned(&counts, features, BIN)?;
    Ok(binned
        .into_iter()
        .map(|(key, by_bin)| {
            let (total_pos, total_neg) = by_bin
                .values()
                .fold((0.0, 0.0), |(p, n), &(wp, wn)| (p + wp, n + wn));
            let within: f64 = by_bin.values().map(|&(wp, wn)| wp * wn).sum();
            let points: Vec<(f64, f64, f64)> = by_bin
                .into_iter()
                .rev()
                .map(|(bin, (p, n))| (bin as f64, p, n))
                .collect();
            let mut figure = roc_auc(&points);
            if figure.value.is_some() {
                figure.error_bound = Some(within / (2.0 * total_pos * total_neg));
            }
            (key, figure)
        })
        .collect())
}

/// Exact ROC AUC of every group of a grouping (feature indexes), and of all
/// rows for an empty grouping: polars sums the weights per distinct (group,
/// score) pair (at most `EXACT_AUC_PAIRS` of them, see `auc_method`) and
/// sorts them, and one pass walks each group's curve.
fn exact_roc_auc_by_group(
    frame: &LazyFrame,
    features: &[usize],
) -> Result<BTreeMap<Vec<String>, Figure>, FairnessError> {
    let names: Vec<String> = features.iter().map(|&i| group_column(i)).collect();
    let keys: Vec<Expr> = names.iter().map(|n| col(n.as_str())).collect();
    let mut order = names.clone();
    order.push(SCORE.to_string());
    let mut descending = vec![false; names.len()];
    descending.push(true);
    let counts = weighted_by(frame, keys, col(SCORE))
        .sort(
            order,
            SortMultipleOptions::default().with_order_descending_multi(descending),
        )
        .collect_streaming()?;
    let key_columns: Vec<StringChunked> = names
        .iter()
        .map(|n| Ok(counts.column(n)?.str()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let score = counts.column(SCORE)?.f64()?.clone();
    let pos = counts.column(POS)?.f64()?.clone();
    let neg = counts.column(NEG)?.f64()?.clone();
    let key_at = |row: usize| -> Vec<String> {
        key_columns
            .iter()
            .map(|k| k.get(row).unwrap_or_default().to_string())
            .collect()
    };
    let mut out = BTreeMap::new();
    let mut points: Vec<(f64, f64, f64)> = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for row in 0..counts.height() {
        let key = key_at(row);
        if current.as_ref().is_some_and(|c| *c != key) {
            out.insert(current.take().unwrap_or_default(), roc_auc(&points));
            points.clear();
        }
        current = Some(key);
        points.push((
            score.get(row).unwrap_or(0.0),
            pos.get(row).unwrap_or(0.0),
            neg.get(row).unwrap_or(0.0),
        ));
    }
    if let Some(key) = current {
        out.insert(key, roc_auc(&points));
    }
    Ok(out)
}

/// One group's curve over the sweep thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SweepCurve {
    /// Group values (empty for all rows).
    pub group: Vec<String>,
    /// Selection rate at each threshold (null when the group's weight is 0).
    pub selection_rate: Vec<Option<f64>>,
    /// True positive rate at each threshold (null without positives).
    pub true_positive_rate: Vec<Option<f64>>,
    /// False positive rate at each threshold (null without negatives).
    pub false_positive_rate: Vec<Option<f64>>,
}

/// Rates per group at evenly spaced thresholds; a row is positive at `t` when `score >= t`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ThresholdSweep {
    pub thresholds: Vec<f64>,
    pub curves: Vec<SweepCurve>,
}

/// Sweep thresholds `k / (points - 1)`.
pub fn sweep_thresholds(points: u32) -> Vec<f64> {
    (0..points)
        .map(|k| k as f64 / (points - 1) as f64)
        .collect()
}

/// Index of the largest threshold `<= score`, computed in polars.
fn bin_expr(points: u32) -> Expr {
    let steps = (points - 1) as f64;
    let threshold = |k: Expr| k.cast(DataType::Float64) / lit(steps);
    // Scores are validated to lie in [0, 1], so truncation is the floor and the guess lies in 0..=steps.
    let guess = (col(SCORE) * lit(steps)).cast(DataType::Int64);
    let lowered = when(threshold(guess.clone()).gt(col(SCORE)))
        .then(guess.clone() - lit(1i64))
        .otherwise(guess);
    let next = lowered.clone() + lit(1i64);
    when(
        next.clone()
            .lt_eq(lit(steps as i64))
            .and(threshold(next.clone()).lt_eq(col(SCORE))),
    )
    .then(next)
    .otherwise(lowered)
}

/// Threshold sweep for each grouping (feature indexes); the empty grouping is all rows.
pub fn threshold_sweep(
    frame: &LazyFrame,
    features: &[usize],
    points: u32,
) -> Result<ThresholdSweep, FairnessError> {
    let keys: Vec<Expr> = features.iter().map(|&i| col(group_column(i))).collect();
    let counts = weighted_by(frame, keys, bin_expr(points).alias(BIN)).collect_streaming()?;
    let binned = read_binned(&counts, features, BIN)?;
    let thresholds = sweep_thresholds(points);
    let ratio = |num: f64, den: f64| if den == 0.0 { None } else { Some(num / den) };
    let curves = binned
        .into_iter()
        .map(|(group, bins)| {
            let (total_pos, total_neg) = bins
                .values()
                .fold((0.0, 0.0), |(p, n), &(wp, wn)| (p + wp, n + wn));
            let mut curve = SweepCurve {
                group,
                selection_rate: vec![],
                true_positive_rate: vec![],
                false_positive_rate: vec![],
            };
            for k in 0..points as i64 {
                let (pos, neg) = bins
                    .range(k..)
                    .fold((0.0, 0.0), |(p, n), (_, &(wp, wn))| (p + wp, n + wn));
                curve
                    .selection_rate
                    .push(ratio(pos + neg, total_pos + total_neg));
                curve.true_positive_rate.push(ratio(pos, total_pos));
                curve.false_positive_rate.push(ratio(neg, total_neg));
            }
            curve
        })
        .collect();
    Ok(ThresholdSweep { thresholds, curves })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_computation_with_ties() {
        // scores: 0.9(+), 0.8(-), 0.8(+), 0.1(-) → sklearn gives 0.875
        let points = [(0.9, 1.0, 0.0), (0.8, 1.0, 1.0), (0.1, 0.0, 1.0)];
        assert_eq!(roc_auc(&points).value, Some(0.875));
        assert!(roc_auc(&[(0.5, 1.0, 0.0)]).value.is_none());
    }

    fn scored_frame(rows: usize) -> LazyFrame {
        let score: Vec<f64> = (0..rows)
            .map(|i| ((i as u64 * 2_654_435_761) % 1_000_003) as f64 / 1_000_003.0)
            .collect();
        let y: Vec<bool> = (0..rows)
            .map(|i| (i as u64 * 40_503 % 1_000) as f64 / 1_000.0 < score[i])
            .collect();
        let group: Vec<&str> = (0..rows).map(|i| ["a", "b"][i % 2]).collect();
        df!(group_column(0) => group, SCORE => score, Y => y, W => vec![1.0; rows])
            .unwrap()
            .lazy()
    }

    #[test]
    fn binned_auc_lies_within_its_bound_of_the_exact_one() {
        let frame = scored_frame(200_000);
        assert_eq!(auc_method(&frame, 1).unwrap(), AucMethod::Exact);
        let exact = roc_auc_by_group(&frame, &[0], AucMethod::Exact).unwrap();
        let binned = roc_auc_by_group(&frame, &[0], AucMethod::Binned).unwrap();
        for (group, figure) in &binned {
            let bound = figure.error_bound.unwrap();
            let gap = (figure.value.unwrap() - exact[group].value.unwrap()).abs();
            assert!(gap <= bound && bound < 1e-3, "{group:?}: {gap} > {bound}");
            assert!(exact[group].error_bound.is_none());
        }
    }

    #[test]
    fn more_distinct_pairs_than_the_limit_switch_to_bins() {
        let frame = scored_frame(EXACT_AUC_PAIRS + 10_000);
        assert_eq!(auc_method(&frame, 1).unwrap(), AucMethod::Binned);
    }
}
