//! With scores: per-group ROC AUC (the weighted trapezoid that
//! scikit-learn's `roc_auc_score` computes) and a threshold sweep of
//! selection rate, TPR and FPR per group, for plots. One streaming pass
//! gathers per-intersection score statistics with bounded memory; every
//! grouping rolls them up. AUC is exact while the data holds at most
//! 1,000,000 distinct (intersection, score) pairs; beyond, it comes from
//! equal-width score bins and carries its error bound. The statistics of
//! disjoint parts of the rows merge into those of one pass over all rows:
//! bin counts are powers of two, so a part's finer bins coarsen exactly.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::aggregate::Figure;
use super::prepare::{SCORE, W, Y, group_column};
use super::query::{BATCH_ROWS, for_each_batch};
use super::spec::FairnessError;

/// Distinct (intersection group, score) pairs up to which ROC AUC is exact.
pub const EXACT_AUC_PAIRS: usize = 1_000_000;
/// Score bins per intersection group beyond that (fewer when there are more
/// than 16 groups, so that all groups together keep about 2^20 bins).
pub const MAX_AUC_BINS: u32 = 65_536;
const MIN_AUC_BINS: u32 = 256;

/// Positive and negative weight.
type Weights = (f64, f64);

/// Per-intersection score statistics: positive and negative weight per
/// distinct score (while few enough), per score bin, and per sweep bin.
/// Serialised (as lists) to travel from a shard to the merge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "ScoreCountsData", from = "ScoreCountsData")]
pub struct ScoreCounts {
    /// Intersection group values, by index.
    groups: Vec<Vec<String>>,
    /// (group, score bits) → weights; `None` once past `EXACT_AUC_PAIRS`.
    exact: Option<HashMap<(u32, u64), Weights>>,
    /// Equal-width score bins over [0, 1] per group (a power of two).
    bins: u32,
    /// (group, bin) → weights.
    binned: HashMap<(u32, u32), Weights>,
    /// (group, sweep bin) → weights; sweep bin `k` holds scores in `[t_k, t_{k+1})`.
    sweep: HashMap<(u32, u32), Weights>,
    points: u32,
}

/// `ScoreCounts` as lists, for JSON.
#[derive(Serialize, Deserialize)]
struct ScoreCountsData {
    groups: Vec<Vec<String>>,
    exact: Option<Vec<(u32, u64, f64, f64)>>,
    bins: u32,
    binned: Vec<(u32, u32, f64, f64)>,
    sweep: Vec<(u32, u32, f64, f64)>,
    points: u32,
}

fn cells_to_list<X: Copy + Ord>(cells: &HashMap<(u32, X), Weights>) -> Vec<(u32, X, f64, f64)> {
    let mut list: Vec<_> = cells
        .iter()
        .map(|(&(g, x), &(p, n))| (g, x, p, n))
        .collect();
    list.sort_unstable_by_key(|cell| (cell.0, cell.1));
    list
}

fn list_to_cells<X: Copy + Eq + std::hash::Hash>(
    list: Vec<(u32, X, f64, f64)>,
) -> HashMap<(u32, X), Weights> {
    list.into_iter()
        .map(|(g, x, p, n)| ((g, x), (p, n)))
        .collect()
}

impl From<ScoreCounts> for ScoreCountsData {
    fn from(counts: ScoreCounts) -> Self {
        Self {
            exact: counts.exact.as_ref().map(cells_to_list),
            binned: cells_to_list(&counts.binned),
            sweep: cells_to_list(&counts.sweep),
            groups: counts.groups,
            bins: counts.bins,
            points: counts.points,
        }
    }
}

impl From<ScoreCountsData> for ScoreCounts {
    fn from(data: ScoreCountsData) -> Self {
        Self {
            groups: data.groups,
            exact: data.exact.map(list_to_cells),
            bins: data.bins,
            binned: list_to_cells(data.binned),
            sweep: list_to_cells(data.sweep),
            points: data.points,
        }
    }
}

/// AUC bins per intersection group when there are `groups` of them: about
/// 2^20 in all, at least 256 and at most 65,536 each, a power of two.
fn bins_for(groups: usize) -> u32 {
    let share =
        ((1usize << 20) / groups.max(1)).clamp(MIN_AUC_BINS as usize, MAX_AUC_BINS as usize);
    1 << share.ilog2()
}

fn add_cells<X: Copy + Eq + std::hash::Hash>(
    into: &mut HashMap<(u32, X), Weights>,
    cells: impl IntoIterator<Item = ((u32, X), Weights)>,
) {
    for (key, (p, n)) in cells {
        let cell = into.entry(key).or_default();
        cell.0 += p;
        cell.1 += n;
    }
}

/// Index of the largest sweep threshold `k / (points - 1)` at or below `score`.
fn sweep_bin(score: f64, points: u32) -> u32 {
    let steps = f64::from(points - 1);
    let threshold = |k: i64| k as f64 / steps;
    // Scores are validated to lie in [0, 1], so truncation is the floor.
    let guess = (score * steps) as i64;
    let lowered = if threshold(guess) > score {
        guess - 1
    } else {
        guess
    };
    let next = lowered + 1;
    let bin = if next <= steps as i64 && threshold(next) <= score {
        next
    } else {
        lowered
    };
    bin.clamp(0, i64::from(points - 1)) as u32
}

/// One streaming pass over the prepared frame (`features` sensitive
/// columns, `groups` intersection groups as counted before): the score
/// statistics of every intersection group, for a sweep of `points` thresholds.
pub fn score_counts(
    frame: &LazyFrame,
    features: usize,
    groups: usize,
    points: u32,
) -> Result<ScoreCounts, FairnessError> {
    let bins = bins_for(groups);
    let mut counts = ScoreCounts {
        groups: Vec::new(),
        exact: Some(HashMap::new()),
        bins,
        binned: HashMap::new(),
        sweep: HashMap::new(),
        points,
    };
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut columns: Vec<Expr> = (0..features).map(|i| col(group_column(i))).collect();
    columns.extend([col(SCORE), col(Y), col(W)]);
    let mut key = String::new();
    for_each_batch(frame.clone().select(columns), BATCH_ROWS, |batch| {
        let keys: Vec<StringChunked> = (0..features)
            .map(|i| Ok(batch.column(&group_column(i))?.str()?.clone()))
            .collect::<PolarsResult<_>>()?;
        let score = batch.column(SCORE)?.f64()?.clone();
        let positive = batch.column(Y)?.bool()?.clone();
        let weight = batch.column(W)?.f64()?.clone();
        for row in 0..batch.height() {
            key.clear();
            for column in &keys {
                let value = column.get(row).unwrap_or_default();
                let _ = write!(key, "{}:{value}", value.len());
            }
            let group = match index.get(key.as_str()) {
                Some(&group) => group,
                None => {
                    let group = counts.groups.len() as u32;
                    index.insert(key.clone(), group);
                    counts.groups.push(
                        keys.iter()
                            .map(|c| c.get(row).unwrap_or_default().to_string())
                            .collect(),
                    );
                    group
                }
            };
            let (Some(score), Some(w)) = (score.get(row), weight.get(row)) else {
                continue;
            };
            let add = |cell: &mut Weights| {
                if positive.get(row).unwrap_or(false) {
                    cell.0 += w;
                } else {
                    cell.1 += w;
                }
            };
            if let Some(exact) = &mut counts.exact {
                add(exact.entry((group, score.to_bits())).or_default());
                if exact.len() > EXACT_AUC_PAIRS {
                    counts.exact = None;
                }
            }
            let bin = ((score * f64::from(bins)) as u32).min(bins - 1);
            add(counts.binned.entry((group, bin)).or_default());
            add(counts
                .sweep
                .entry((group, sweep_bin(score, points)))
                .or_default());
        }
        Ok::<(), PolarsError>(())
    })?;
    Ok(counts)
}

impl ScoreCounts {
    /// Adds the statistics of another, disjoint part of the rows (the same
    /// sweep points). Exact scores stay while the union holds at most
    /// `EXACT_AUC_PAIRS` pairs; bins coarsen to the coarser of the two.
    pub fn merge(&mut self, other: Self) {
        let mut index: HashMap<Vec<String>, u32> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.clone(), i as u32))
            .collect();
        let remap: Vec<u32> = other
            .groups
            .into_iter()
            .map(|group| {
                *index.entry(group.clone()).or_insert_with(|| {
                    self.groups.push(group);
                    (self.groups.len() - 1) as u32
                })
            })
            .collect();
        let moved = |cells: HashMap<(u32, u32), Weights>| {
            cells
                .into_iter()
                .map(|((g, x), w)| ((remap[g as usize], x), w))
                .collect::<Vec<_>>()
        };
        self.exact = match (self.exact.take(), other.exact) {
            (Some(mut mine), Some(theirs)) => {
                add_cells(
                    &mut mine,
                    theirs
                        .into_iter()
                        .map(|((g, bits), w)| ((remap[g as usize], bits), w)),
                );
                (mine.len() <= EXACT_AUC_PAIRS).then_some(mine)
            }
            _ => None,
        };
        let bins = self.bins.min(other.bins);
        self.coarsen(bins);
        let shift = (other.bins / bins).ilog2();
        add_cells(
            &mut self.binned,
            moved(other.binned)
                .into_iter()
                .map(|((g, bin), w)| ((g, bin >> shift), w)),
        );
        add_cells(&mut self.sweep, moved(other.sweep));
    }

    /// Coarsens the score bins to `bins` per group (a power of two, at most the current count).
    fn coarsen(&mut self, bins: u32) {
        if bins >= self.bins {
            return;
        }
        let shift = (self.bins / bins).ilog2();
        let cells = std::mem::take(&mut self.binned);
        add_cells(
            &mut self.binned,
            cells
                .into_iter()
                .map(|((g, bin), w)| ((g, bin >> shift), w)),
        );
        self.bins = bins;
    }

    /// The statistics as one pass over all rows with `groups` intersection
    /// groups would have gathered them (bins coarsened to that many groups' share).
    pub fn finished(mut self, groups: usize) -> Self {
        self.coarsen(bins_for(groups));
        self
    }

    /// Whether AUC is exact (false: from bins, with an error bound).
    pub fn is_exact(&self) -> bool {
        self.exact.is_some()
    }

    /// Sums `cells` (group, x) → weights into the groups of a grouping.
    fn roll_up<X: Copy + Ord>(
        &self,
        cells: impl Iterator<Item = ((u32, X), Weights)>,
        features: &[usize],
    ) -> BTreeMap<Vec<String>, BTreeMap<X, Weights>> {
        let mut out: BTreeMap<Vec<String>, BTreeMap<X, Weights>> = BTreeMap::new();
        for ((group, x), (p, n)) in cells {
            let values = &self.groups[group as usize];
            let key = features.iter().map(|&i| values[i].clone()).collect();
            let cell = out.entry(key).or_default().entry(x).or_default();
            cell.0 += p;
            cell.1 += n;
        }
        out
    }

    /// ROC AUC of every group of a grouping (feature indexes; all rows for
    /// none). From bins, pairs in different bins are ordered exactly and
    /// pairs within a bin count as ties, so the figure lies within
    /// `Σ_bins pos·neg / (2·P·N)` (weighted) of the exact one: its error bound.
    pub fn roc_auc_by_group(&self, features: &[usize]) -> BTreeMap<Vec<String>, Figure> {
        match &self.exact {
            Some(exact) => self.exact_auc(exact, features),
            None => self.binned_auc(features),
        }
    }

    fn exact_auc(
        &self,
        exact: &HashMap<(u32, u64), Weights>,
        features: &[usize],
    ) -> BTreeMap<Vec<String>, Figure> {
        let by_score = self.roll_up(
            exact
                .iter()
                .map(|(&(g, bits), &w)| ((g, OrderedScore(bits)), w)),
            features,
        );
        by_score
            .into_iter()
            .map(|(key, scores)| {
                let points: Vec<(f64, f64, f64)> = scores
                    .into_iter()
                    .rev()
                    .map(|(score, (p, n))| (score.value(), p, n))
                    .collect();
                (key, roc_auc(&points))
            })
            .collect()
    }

    fn binned_auc(&self, features: &[usize]) -> BTreeMap<Vec<String>, Figure> {
        let by_bin = self.roll_up(self.binned.iter().map(|(&k, &w)| (k, w)), features);
        by_bin
            .into_iter()
            .map(|(key, bins)| {
                let (total_pos, total_neg) = bins
                    .values()
                    .fold((0.0, 0.0), |(p, n), &(wp, wn)| (p + wp, n + wn));
                let within: f64 = bins.values().map(|&(wp, wn)| wp * wn).sum();
                let points: Vec<(f64, f64, f64)> = bins
                    .into_iter()
                    .rev()
                    .map(|(bin, (p, n))| (f64::from(bin), p, n))
                    .collect();
                let mut figure = roc_auc(&points);
                if figure.value.is_some() {
                    figure.error_bound = Some(within / (2.0 * total_pos * total_neg));
                }
                (key, figure)
            })
            .collect()
    }

    /// Reliability of every group's scores (feature indexes; all rows for
    /// none): [`CALIBRATION_BINS`] equal-width bins cut as scikit-learn's
    /// `calibration_curve(strategy="uniform")` cuts them. Beyond
    /// `EXACT_AUC_PAIRS` distinct scores each score counts at the centre of its
    /// AUC bin, and the figures say they are approximate.
    pub fn calibration_by_group(&self, features: &[usize]) -> BTreeMap<Vec<String>, Calibration> {
        let mut scored: Vec<((u32, f64), Weights)> = match &self.exact {
            Some(exact) => exact
                .iter()
                .map(|(&(g, bits), &w)| ((g, f64::from_bits(bits)), w))
                .collect(),
            None => self
                .binned
                .iter()
                .map(|(&(g, bin), &w)| ((g, (f64::from(bin) + 0.5) / f64::from(self.bins)), w))
                .collect(),
        };
        // summed in (intersection values, score) order: the same sums, to the
        // last bit, in every run and however the rows were split into shards
        // (group indexes follow the order rows came in)
        let mut by_values: Vec<usize> = (0..self.groups.len()).collect();
        by_values.sort_by(|&a, &b| self.groups[a].cmp(&self.groups[b]));
        let mut rank = vec![0usize; self.groups.len()];
        for (position, &group) in by_values.iter().enumerate() {
            rank[group] = position;
        }
        scored.sort_by(|a, b| {
            rank[a.0.0 as usize]
                .cmp(&rank[b.0.0 as usize])
                .then(a.0.1.total_cmp(&b.0.1))
        });
        let step = (1.0 + 1e-8) / CALIBRATION_BINS as f64;
        let edges: Vec<f64> = (1..CALIBRATION_BINS).map(|i| i as f64 * step).collect();
        // per group, per reliability bin: weight, weighted score sum, positive weight
        let mut sums: BTreeMap<Vec<String>, Vec<(f64, f64, f64)>> = BTreeMap::new();
        for ((group, score), (p, n)) in scored {
            let values = &self.groups[group as usize];
            let key = features.iter().map(|&i| values[i].clone()).collect();
            // numpy's searchsorted(edges, score, side="left")
            let bin = edges.partition_point(|&edge| edge < score);
            let cell = &mut sums
                .entry(key)
                .or_insert_with(|| vec![(0.0, 0.0, 0.0); CALIBRATION_BINS])[bin];
            cell.0 += p + n;
            cell.1 += score * (p + n);
            cell.2 += p;
        }
        let approximate = self.exact.is_none();
        sums.into_iter()
            .map(|(key, cells)| {
                let total: f64 = cells.iter().map(|c| c.0).sum();
                let bins: Vec<ReliabilityBin> = cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.0 > 0.0)
                    .map(|(i, &(weight, score_sum, positive))| ReliabilityBin {
                        lower: if i == 0 { 0.0 } else { edges[i - 1] },
                        upper: edges.get(i).copied().unwrap_or(1.0),
                        weight,
                        mean_score: score_sum / weight,
                        positive_rate: positive / weight,
                    })
                    .collect();
                let ece = bins
                    .iter()
                    .map(|b| b.weight / total * (b.positive_rate - b.mean_score).abs())
                    .sum();
                let mean_score = cells.iter().map(|c| c.1).sum::<f64>() / total;
                let positive_rate = cells.iter().map(|c| c.2).sum::<f64>() / total;
                (
                    key,
                    Calibration {
                        bins,
                        expected_calibration_error: ece,
                        calibration_in_the_large: mean_score - positive_rate,
                        approximate,
                    },
                )
            })
            .collect()
    }

    /// Every group's (score, positive weight, negative weight) of a grouping
    /// (feature indexes; all rows for none), ascending by score, for the
    /// threshold remedies: each distinct score while `is_exact`, otherwise each
    /// fine score bin at its lower edge (`score >= edge` selects exactly the
    /// rows of that bin and the bins above). Summed in (group, score,
    /// intersection values) order, so the weights are the same in every run.
    pub fn score_weights(&self, features: &[usize]) -> BTreeMap<Vec<String>, Vec<(f64, f64, f64)>> {
        // each intersection's group in the grouping, and its rank by values
        let keys: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|values| features.iter().map(|&i| values[i].clone()).collect())
            .collect();
        let mut distinct: Vec<&Vec<String>> = keys.iter().collect();
        distinct.sort();
        distinct.dedup();
        let key_of: Vec<u32> = keys
            .iter()
            .map(|key| distinct.partition_point(|k| *k < key) as u32)
            .collect();
        let mut by_values: Vec<usize> = (0..self.groups.len()).collect();
        by_values.sort_by(|&a, &b| self.groups[a].cmp(&self.groups[b]));
        let mut rank = vec![0u32; self.groups.len()];
        for (position, &group) in by_values.iter().enumerate() {
            rank[group] = position as u32;
        }
        let cell =
            |g: u32, score: f64, w: Weights| (key_of[g as usize], score, rank[g as usize], w);
        let mut cells: Vec<(u32, f64, u32, Weights)> = match &self.exact {
            Some(exact) => exact
                .iter()
                .map(|(&(g, bits), &w)| cell(g, f64::from_bits(bits), w))
                .collect(),
            None => self
                .binned
                .iter()
                .map(|(&(g, bin), &w)| cell(g, f64::from(bin) / f64::from(self.bins), w))
                .collect(),
        };
        cells.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut points: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); distinct.len()];
        for (key, score, _, (p, n)) in cells {
            let points = &mut points[key as usize];
            match points.last_mut() {
                Some(last) if last.0 == score => {
                    last.1 += p;
                    last.2 += n;
                }
                _ => points.push((score, p, n)),
            }
        }
        distinct.into_iter().cloned().zip(points).collect()
    }

    /// Threshold sweep of a grouping (feature indexes; all rows for none).
    pub fn threshold_sweep(&self, features: &[usize]) -> ThresholdSweep {
        let points = self.points;
        let binned = self.roll_up(self.sweep.iter().map(|(&k, &w)| (k, w)), features);
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
                for k in 0..points {
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
        ThresholdSweep { thresholds, curves }
    }
}

/// Reliability bins of the calibration figures.
pub const CALIBRATION_BINS: usize = 10;

/// One reliability bin of a group's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReliabilityBin {
    /// Lowest score of the bin (exclusive, but for the first).
    pub lower: f64,
    /// Highest score of the bin (inclusive).
    pub upper: f64,
    /// Weight (rows when unweighted) in the bin.
    pub weight: f64,
    /// Mean score in the bin.
    pub mean_score: f64,
    /// Share of positives in the bin.
    pub positive_rate: f64,
}

/// How well a group's scores are calibrated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Calibration {
    /// The non-empty reliability bins.
    pub bins: Vec<ReliabilityBin>,
    /// Σ over bins of weight share × |positive rate − mean score|.
    pub expected_calibration_error: f64,
    /// Mean score − share of positives (positive: scores too high on average).
    pub calibration_in_the_large: f64,
    /// Scores were counted at the centres of fine bins (more than 10^6 distinct scores).
    pub approximate: bool,
}

/// A score's bits, ordered as the score (scores are finite and in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OrderedScore(u64);

impl OrderedScore {
    fn value(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl PartialOrd for OrderedScore {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedScore {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value().total_cmp(&other.value())
    }
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
        let counts = score_counts(&scored_frame(200_000), 1, 2, 11).unwrap();
        let exact = counts.roc_auc_by_group(&[0]);
        assert!(counts.is_exact() && exact.values().all(|f| f.error_bound.is_none()));
        let binned = counts.binned_auc(&[0]);
        assert_eq!(binned.len(), 2);
        for (group, figure) in &binned {
            let bound = figure.error_bound.unwrap();
            let gap = (figure.value.unwrap() - exact[group].value.unwrap()).abs();
            assert!(gap <= bound && bound < 1e-3, "{group:?}: {gap} > {bound}");
        }
    }

    #[test]
    fn more_distinct_pairs_than_the_limit_switch_to_bins() {
        let counts = score_counts(&scored_frame(EXACT_AUC_PAIRS + 10_000), 1, 2, 11).unwrap();
        assert!(!counts.is_exact());
        assert!(
            counts
                .roc_auc_by_group(&[])
                .values()
                .all(|f| f.error_bound.is_some())
        );
    }

    #[test]
    fn a_sweep_bin_is_the_largest_threshold_at_or_below_the_score() {
        for points in [2, 3, 11, 101] {
            let thresholds = sweep_thresholds(points);
            for i in 0..=10_000 {
                let score = f64::from(i) / 10_000.0;
                let bin = sweep_bin(score, points) as usize;
                assert!(thresholds[bin] <= score, "{score} in bin {bin} of {points}");
                assert!(bin + 1 == thresholds.len() || thresholds[bin + 1] > score);
            }
        }
    }
}
