//! Remedies for a scored audit: per-group thresholds that satisfy a fairness
//! constraint at the least loss of accuracy.
//!
//! Two answers per constraint (demographic parity, equalized odds):
//!
//! - [`threshold_optimizer`]: Fairlearn 0.15's `ThresholdOptimizer` fitting
//!   (`objective="accuracy_score"`, `grid_size=1000`, no flipping), ported
//!   step for step from per-group (score, positive weight, negative weight)
//!   points: the upper convex hull of each group's trade-off curve,
//!   interpolated on Fairlearn's grid, and the grid point with the most
//!   expected accuracy (the first one, as pandas' `idxmax` picks). Its
//!   classifier is randomized (each group mixes two thresholds, and for
//!   equalized odds a coin) and equalizes the constraint exactly; its
//!   operations are Fairlearn's, `score > threshold`.
//! - [`bounded_thresholds`]: one deterministic threshold per group, decided
//!   as Probity decides (`score >= threshold`), such that the policy's bound
//!   holds for the grouping's groups that count in its verdict, maximising
//!   the (weighted) accuracy over all rows. The search is exact over every
//!   group's distinct scores (fine score bins' edges beyond 10^6 distinct
//!   pairs, flagged `approximate`): a sweep of the band's lower edge over
//!   every achievable rate in which each group independently keeps its best
//!   threshold inside the band, `O(N log N)` for `N` candidate thresholds in
//!   all. Equalized odds bounds two rates: that sweep runs over the false
//!   positive rate inside a branch and bound over the true positive rate
//!   band's lower edge, exact unless it stops at [`EQUALIZED_ODDS_WORK`]
//!   (flagged, with how much accuracy a better choice could add at most).
//!
//! Pure: no I/O, no polars; [`remedy_report`] assembles both for the report
//! from an audit's score statistics.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::GroupingReport;
use crate::aggregate::headline;
use crate::counts::{Confusion, Rates, TN, TP};
use crate::policy::Outcome;
use crate::scores::ScoreCounts;
use crate::spec::{FairnessSpec, Policy, PredictionSource};

/// Fairlearn's `grid_size` default, the grid the randomized optimum is found on.
pub const FAIRLEARN_GRID_SIZE: usize = 1000;

/// Candidate-threshold events the equalized-odds search may sweep in all (a
/// few tenths of a second); a search that has not proven its optimum by then
/// stops with the best choice found, flagged `approximate` with the most
/// accuracy a better one could add. Never reached below about 10^5 candidates.
pub const EQUALIZED_ODDS_WORK: usize = 40_000_000;

/// Groups named one by one in a `what_would_pass` sentence (the rest are counted).
const GROUPS_NAMED: usize = 8;

/// Options of the threshold remedies (scores only).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RemedyOptions {
    /// Compute per-group thresholds that would satisfy the policy (default true).
    pub enabled: bool,
}

impl Default for RemedyOptions {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// One distinct score of a group, with the weight of its positive and negative rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScorePoint {
    /// The score.
    pub score: f64,
    /// Weight (rows when unweighted) of the rows with a positive label at this score.
    pub positive: f64,
    /// Weight of the rows with a negative label at this score.
    pub negative: f64,
}

/// A group's rows as distinct scores (any order; equal scores are added up).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScores {
    /// The group's values.
    pub group: Vec<String>,
    /// Its distinct scores.
    pub points: Vec<ScorePoint>,
}

/// A group as [`bounded_thresholds`] takes it (with weight: a group whose
/// weights sum to 0 has no selection rate).
#[derive(Debug, Clone, PartialEq)]
pub struct RemedyGroup {
    /// The group's scores.
    pub scores: GroupScores,
    /// Weighted confusion cells `[TP, FP, TN, FN]` at the audited threshold, as the report counted them.
    pub audited_cells: [f64; 4],
    /// Whether the group counts in the grouping's verdict (weight above 0 and
    /// large enough); the others keep the audited threshold.
    pub in_verdict: bool,
}

/// A fairness constraint a remedy satisfies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FairnessConstraint {
    /// Equal selection rates (Fairlearn's `demographic_parity`); the policy
    /// bounds the difference and the ratio.
    DemographicParity,
    /// Equal true and false positive rates (Fairlearn's `equalized_odds`);
    /// the policy bounds the larger of the two differences.
    EqualizedOdds,
}

impl FairnessConstraint {
    /// Fairlearn's name (`demographic_parity`, `equalized_odds`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DemographicParity => "demographic_parity",
            Self::EqualizedOdds => "equalized_odds",
        }
    }

    /// In words.
    pub fn words(self) -> &'static str {
        match self {
            Self::DemographicParity => "demographic parity",
            Self::EqualizedOdds => "equalized odds",
        }
    }

    /// The verdicts' figures this constraint answers to.
    fn figures(self) -> &'static [&'static str] {
        match self {
            Self::DemographicParity => {
                &["demographic_parity_difference", "demographic_parity_ratio"]
            }
            Self::EqualizedOdds => &["equalized_odds_difference"],
        }
    }
}

/// Why Fairlearn's optimizer cannot be fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemedyError {
    /// Fairlearn raises "Degenerate labels for sensitive feature value" for a group with one label.
    #[error(
        "group `{group}` has only {present} rows; Fairlearn's ThresholdOptimizer refuses a group without both labels"
    )]
    DegenerateLabels {
        /// The group, its values joined with `,` as Fairlearn joins them.
        group: String,
        /// `positive` or `negative`: the one label the group has.
        present: &'static str,
    },
    /// No group has any weight.
    #[error("no group has rows with weight")]
    NoRows,
}

/// Fairlearn's `ThresholdOperation(">", threshold)`: a row is selected when
/// its score is strictly above the threshold (Probity's own decisions are
/// `score >= threshold`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StrictThreshold {
    /// `score > +∞`: no row.
    SelectsNone,
    /// `score > threshold` (a midpoint between two adjacent distinct scores).
    Above(f64),
    /// `score > −∞`: every row.
    SelectsAll,
}

impl StrictThreshold {
    /// The threshold as Fairlearn holds it (±∞ at the ends).
    pub fn value(self) -> f64 {
        match self {
            Self::SelectsNone => f64::INFINITY,
            Self::Above(t) => t,
            Self::SelectsAll => f64::NEG_INFINITY,
        }
    }

    fn from_value(t: f64) -> Self {
        if t == f64::INFINITY {
            Self::SelectsNone
        } else if t == f64::NEG_INFINITY {
            Self::SelectsAll
        } else {
            Self::Above(t)
        }
    }

    /// Whether a row with `score` is selected.
    pub fn selects(self, score: f64) -> bool {
        score > self.value()
    }
}

/// One group's randomized decision in Fairlearn's optimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RandomizedGroup {
    /// The group's values.
    pub group: Vec<String>,
    /// Probability of deciding by `threshold0`.
    pub p0: f64,
    /// The first operation (`score > threshold0`).
    pub threshold0: StrictThreshold,
    /// Probability of deciding by `threshold1` (1 − p0).
    pub p1: f64,
    /// The second operation (`score > threshold1`).
    pub threshold1: StrictThreshold,
    /// Equalized odds: probability of replacing that decision by a coin that
    /// selects with probability `prediction_constant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_ignore: Option<f64>,
    /// Equalized odds: the coin's probability of selecting (the shared false positive rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prediction_constant: Option<f64>,
}

/// Fairlearn 0.15's `ThresholdOptimizer` optimum (objective `accuracy_score`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RandomizedThresholds {
    /// The constraint fitted.
    pub constraint: FairnessConstraint,
    /// Fairlearn's `grid_size`.
    pub grid_size: u32,
    /// How the operations decide: always `score > threshold` (Fairlearn's
    /// `ThresholdOperation`), unlike Probity's `score >= threshold`.
    pub rule: String,
    /// Fairlearn's `_x_best`: the selection rate every group gets (demographic
    /// parity) or the false positive rate every group gets (equalized odds).
    pub x_best: f64,
    /// Equalized odds: Fairlearn's `_y_best`, the true positive rate every group gets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub true_positive_rate: Option<f64>,
    /// The expected accuracy over all rows that Fairlearn maximised (for
    /// equalized odds rounded to 15 decimals, as Fairlearn rounds it).
    pub expected_accuracy: f64,
    /// Per group, in Fairlearn's order (group values joined with `,`, sorted).
    pub groups: Vec<RandomizedGroup>,
    /// Computed from sample weights: Fairlearn 0.15's `ThresholdOptimizer`
    /// ignores them (it counts rows), so with weights this is the same
    /// algorithm on weighted counts, which Fairlearn does not offer.
    pub weighted: bool,
}

/// A point of a trade-off curve and the operation that reaches it.
#[derive(Debug, Clone, Copy)]
struct TradeoffPoint {
    x: f64,
    y: f64,
    operation: f64,
}

/// A trade-off curve interpolated at one grid point (Fairlearn's `_interpolate_curve` row).
#[derive(Debug, Clone, Copy)]
struct Interpolated {
    y: f64,
    p0: f64,
    operation0: f64,
    p1: f64,
    operation1: f64,
}

/// A group's distinct scores, descending, with their weights (zero-weight scores left out).
fn descending(points: &[ScorePoint]) -> Vec<ScorePoint> {
    let mut sorted: Vec<ScorePoint> = points
        .iter()
        .filter(|p| p.positive + p.negative > 0.0)
        .copied()
        .collect();
    sorted.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut merged: Vec<ScorePoint> = Vec::with_capacity(sorted.len());
    for point in sorted {
        match merged.last_mut() {
            Some(last) if last.score == point.score => {
                last.positive += point.positive;
                last.negative += point.negative;
            }
            _ => merged.push(point),
        }
    }
    merged
}

/// Fairlearn's `_calculate_tradeoff_points` then `_filter_points_to_get_convex_hull`.
fn convex_hull(points: &[ScorePoint], constraint: FairnessConstraint) -> Vec<TradeoffPoint> {
    let n_positive: f64 = points.iter().map(|p| p.positive).sum();
    let n: f64 = points.iter().map(|p| p.positive + p.negative).sum();
    let n_negative = n - n_positive;
    let mut curve = Vec::with_capacity(points.len() + 1);
    let (mut false_positives, mut true_positives) = (0.0, 0.0);
    let mut push = |fp: f64, tp: f64, operation: f64| {
        // _extend_confusion_matrix, then the metric functions of METRIC_DICT
        let (tn, fn_) = (n_negative - fp, n_positive - tp);
        let total = tp + tn + fp + fn_;
        let (x, y) = match constraint {
            FairnessConstraint::DemographicParity => ((tp + fp) / total, (tp + tn) / total),
            FairnessConstraint::EqualizedOdds => (fp / (tn + fp), tp / (tp + fn_)),
        };
        curve.push(TradeoffPoint { x, y, operation });
    };
    push(0.0, 0.0, f64::INFINITY);
    for (i, point) in points.iter().enumerate() {
        false_positives += point.negative;
        true_positives += point.positive;
        let next = points.get(i + 1).map_or(f64::NEG_INFINITY, |p| p.score);
        push(false_positives, true_positives, (point.score + next) / 2.0);
    }
    // sorted by (x, y): a stable sort, as the data frame's
    curve.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    let mut hull: Vec<TradeoffPoint> = Vec::with_capacity(curve.len());
    for r2 in curve {
        while hull.len() >= 2 {
            let (r0, r1) = (hull[hull.len() - 2], hull[hull.len() - 1]);
            if (r1.y - r0.y) * (r2.x - r0.x) <= (r2.y - r0.y) * (r1.x - r0.x) {
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(r2);
    }
    hull
}

/// `np.linspace(0, 1, grid_size + 1)` to the last bit.
fn fairlearn_grid(grid_size: usize) -> Vec<f64> {
    let step = 1.0 / grid_size as f64;
    let mut grid: Vec<f64> = (0..=grid_size).map(|i| i as f64 * step).collect();
    grid[grid_size] = 1.0;
    grid
}

/// Fairlearn's `_interpolate_curve` of a hull on the grid.
fn interpolate(hull: &[TradeoffPoint], grid: &[f64]) -> Vec<Interpolated> {
    grid.iter()
        .enumerate()
        .map(|(i, &x)| {
            // np.searchsorted(side="right") - 1, one to the left on an exact hit (but the first)
            let mut j = hull.partition_point(|p| p.x <= x).max(1) - 1;
            if i > 0 && x == hull[j].x {
                j -= 1;
            }
            let (left, right) = (hull[j], hull[j + 1]);
            let p0 = (right.x - x) / (right.x - left.x);
            let p1 = 1.0 - p0;
            Interpolated {
                y: p0 * left.y + p1 * right.y,
                p0,
                operation0: left.operation,
                p1,
                operation1: right.operation,
            }
        })
        .collect()
}

/// The first index of the largest value, NaN skipped (pandas' `idxmax`).
fn idxmax(values: &[f64]) -> usize {
    let mut best: Option<usize> = None;
    for (i, &v) in values.iter().enumerate() {
        if !v.is_nan() && best.is_none_or(|b| v > values[b]) {
            best = Some(i);
        }
    }
    best.unwrap_or(0)
}

/// Fairlearn 0.15's `ThresholdOptimizer(constraints=..., objective="accuracy_score",
/// grid_size=1000, flip=False)` fitted on these groups' scores: Fairlearn's
/// `_x_best`, its objective there and every group's interpolation.
///
/// Groups are taken in Fairlearn's order: their values joined with `,` (as
/// Fairlearn merges several sensitive features), sorted. Sample weights:
/// Fairlearn 0.15 ignores them (`fit` hands its keyword arguments only to the
/// estimator's own `fit`, which `prefit=True` skips; every row counts once),
/// so with unit weights (`positive`, `negative` = row counts) this is
/// Fairlearn's fit to the last bit, and with other weights it is the same
/// algorithm on weighted counts (`weighted` in the result says which the
/// caller passed). Fails as Fairlearn does on a group with only one label.
pub fn threshold_optimizer(
    groups: &[GroupScores],
    constraint: FairnessConstraint,
    weighted: bool,
) -> Result<RandomizedThresholds, RemedyError> {
    let mut order: Vec<(String, &GroupScores, Vec<ScorePoint>)> = groups
        .iter()
        .map(|g| (g.group.join(","), g, descending(&g.points)))
        .filter(|(_, _, points)| !points.is_empty())
        .collect();
    if order.is_empty() {
        return Err(RemedyError::NoRows);
    }
    order.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, _, points) in &order {
        let positive: f64 = points.iter().map(|p| p.positive).sum();
        let negative: f64 = points.iter().map(|p| p.negative).sum();
        if positive == 0.0 || negative == 0.0 {
            return Err(RemedyError::DegenerateLabels {
                group: name.clone(),
                present: if positive == 0.0 {
                    "negative"
                } else {
                    "positive"
                },
            });
        }
    }
    let grid = fairlearn_grid(FAIRLEARN_GRID_SIZE);
    let curves: Vec<Vec<Interpolated>> = order
        .iter()
        .map(|(_, _, points)| interpolate(&convex_hull(points, constraint), &grid))
        .collect();
    let sizes: Vec<f64> = order
        .iter()
        .map(|(_, _, points)| points.iter().map(|p| p.positive + p.negative).sum())
        .collect();
    let n: f64 = sizes.iter().sum();
    let operations = |curve: &Interpolated| {
        (
            StrictThreshold::from_value(curve.operation0),
            StrictThreshold::from_value(curve.operation1),
        )
    };
    match constraint {
        FairnessConstraint::DemographicParity => {
            // sensitive_feature_proportions, then the columns of p·y summed left to right
            let shares: Vec<f64> = sizes.iter().map(|size| size / n).collect();
            let overall: Vec<f64> = (0..grid.len())
                .map(|i| {
                    let mut terms = curves.iter().zip(&shares).map(|(c, p)| p * c[i].y);
                    let first = terms.next().unwrap_or(0.0);
                    terms.fold(first, |sum, term| sum + term)
                })
                .collect();
            let best = idxmax(&overall);
            Ok(RandomizedThresholds {
                constraint,
                grid_size: FAIRLEARN_GRID_SIZE as u32,
                rule: "score > threshold".into(),
                x_best: grid[best],
                true_positive_rate: None,
                expected_accuracy: overall[best],
                groups: order
                    .iter()
                    .zip(&curves)
                    .map(|((_, g, _), curve)| {
                        let (threshold0, threshold1) = operations(&curve[best]);
                        RandomizedGroup {
                            group: g.group.clone(),
                            p0: curve[best].p0,
                            threshold0,
                            p1: curve[best].p1,
                            threshold1,
                            p_ignore: None,
                            prediction_constant: None,
                        }
                    })
                    .collect(),
                weighted,
            })
        }
        FairnessConstraint::EqualizedOdds => {
            let n_positive: f64 = order
                .iter()
                .flat_map(|(_, _, points)| points.iter().map(|p| p.positive))
                .sum();
            let n_negative = n - n_positive;
            let lowest: Vec<f64> = (0..grid.len())
                .map(|i| curves.iter().map(|c| c[i].y).fold(f64::INFINITY, f64::min))
                .collect();
            let objective: Vec<f64> = grid
                .iter()
                .zip(&lowest)
                .map(|(&x, &y)| {
                    let (fp, tn) = (n_negative * x, n_negative * (1.0 - x));
                    let (tp, fn_) = (n_positive * y, n_positive * (1.0 - y));
                    let total = tp + tn + fp + fn_;
                    // np.around(accuracy, 15)
                    ((tp + tn) / total * 1e15).round_ties_even() / 1e15
                })
                .collect();
            let best = idxmax(&objective);
            let (x_best, y_best) = (grid[best], lowest[best]);
            Ok(RandomizedThresholds {
                constraint,
                grid_size: FAIRLEARN_GRID_SIZE as u32,
                rule: "score > threshold".into(),
                x_best,
                true_positive_rate: Some(y_best),
                expected_accuracy: objective[best],
                groups: order
                    .iter()
                    .zip(&curves)
                    .map(|((_, g, _), curve)| {
                        let point = &curve[best];
                        let p_ignore = if point.y == x_best {
                            0.0
                        } else {
                            (point.y - y_best) / (point.y - x_best)
                        };
                        let (threshold0, threshold1) = operations(point);
                        RandomizedGroup {
                            group: g.group.clone(),
                            p0: point.p0,
                            threshold0,
                            p1: point.p1,
                            threshold1,
                            p_ignore: Some(p_ignore),
                            prediction_constant: Some(x_best),
                        }
                    })
                    .collect(),
                weighted,
            })
        }
    }
}

/// A group's decisions at one threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupDecision {
    /// The threshold (`score >= threshold` is selected).
    pub threshold: f64,
    /// Share of the group's weight selected.
    pub selection_rate: f64,
    /// True positive rate (0 without positives, as the report counts it).
    pub true_positive_rate: f64,
    /// False positive rate (0 without negatives).
    pub false_positive_rate: f64,
}

impl GroupDecision {
    fn new(threshold: f64, cells: [f64; 4]) -> Self {
        let rates = Rates::from_cells(cells);
        Self {
            threshold,
            selection_rate: rates.selection_rate,
            true_positive_rate: rates.true_positive_rate,
            false_positive_rate: rates.false_positive_rate,
        }
    }
}

/// One group before and after the remedy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupThresholds {
    /// The group's values.
    pub group: Vec<String>,
    /// Whether the group counts in the verdict; the others keep the audited threshold.
    pub in_verdict: bool,
    /// At the audited threshold.
    pub before: GroupDecision,
    /// At the remedy's threshold, when one was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<GroupDecision>,
}

/// The figures of one set of thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RemedyFigures {
    /// Weighted accuracy over all rows.
    pub accuracy: f64,
    /// Demographic parity difference over the groups in the verdict (null when undefined).
    pub demographic_parity_difference: Option<f64>,
    /// Demographic parity ratio over the groups in the verdict.
    pub demographic_parity_ratio: Option<f64>,
    /// Equalized odds difference (the larger of the TPR and FPR differences) over the groups in the verdict.
    pub equalized_odds_difference: Option<f64>,
    /// Whether the constraint's figures are within the policy's bounds (point values; the
    /// verdict also weighs their bootstrap interval).
    pub within_bound: bool,
}

/// Deterministic per-group thresholds within the policy's bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ThresholdRemedy {
    /// The constraint satisfied.
    pub constraint: FairnessConstraint,
    /// Whether thresholds within the bound were found.
    pub found: bool,
    /// Why none were found, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The search was not over every distinct score: candidates were fine
    /// score bins' edges, or (equalized odds) the true positive rate band was
    /// tried at fewer lower edges; `search` says which. A better choice may exist.
    pub approximate: bool,
    /// What was searched.
    pub search: String,
    /// At the audited threshold.
    pub before: RemedyFigures,
    /// At the remedy's thresholds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<RemedyFigures>,
    /// Every group with weight, before and after.
    pub groups: Vec<GroupThresholds>,
}

/// A group's candidate thresholds: candidate `k` selects the `k` highest
/// distinct scores (0: none), so every rate grows with `k`.
struct Candidates {
    /// The distinct scores, descending (candidate `k` selects the first `k`).
    scores: Vec<f64>,
    /// Whether the scores are every distinct score (else bin edges).
    exact: bool,
    /// Weight of the positives and negatives in the group.
    totals: (f64, f64),
    /// Weight of the positives each candidate selects (TP).
    true_positives: Vec<f64>,
    /// Weight of the negatives each candidate selects (FP).
    false_positives: Vec<f64>,
    /// TP + TN: what the candidate adds to the accuracy's numerator.
    gain: Vec<f64>,
    selection_rate: Vec<f64>,
    true_positive_rate: Vec<f64>,
    false_positive_rate: Vec<f64>,
}

/// The shortest decimal in `(low, high]` (or `high`), so that thresholds read
/// well and decide exactly as `high` does for scores outside that interval.
fn shortest_decimal(low: f64, high: f64) -> f64 {
    for digits in 0..=17 {
        let scale = 10f64.powi(digits);
        let t = (high * scale).floor() / scale;
        if t > low && t <= high {
            return t;
        }
    }
    high
}

impl Candidates {
    /// `exact`: the points are every distinct score, so a threshold can be
    /// any number between two adjacent ones; otherwise they are bin edges
    /// and must stay as they are.
    fn new(points: &[ScorePoint], exact: bool) -> Self {
        let points = descending(points);
        let n_positive: f64 = points.iter().map(|p| p.positive).sum();
        let n_negative: f64 = points.iter().map(|p| p.negative).sum();
        let m = points.len();
        let mut out = Self {
            scores: points.iter().map(|p| p.score).collect(),
            exact,
            totals: (n_positive, n_negative),
            true_positives: Vec::with_capacity(m + 1),
            false_positives: Vec::with_capacity(m + 1),
            gain: Vec::with_capacity(m + 1),
            selection_rate: Vec::with_capacity(m + 1),
            true_positive_rate: Vec::with_capacity(m + 1),
            false_positive_rate: Vec::with_capacity(m + 1),
        };
        let (mut tp, mut fp) = (0.0, 0.0);
        for k in 0..=m {
            if k > 0 {
                tp += points[k - 1].positive;
                fp += points[k - 1].negative;
            }
            out.true_positives.push(tp);
            out.false_positives.push(fp);
            let cells = out.cells(k);
            let rates = Rates::from_cells(cells);
            out.gain.push(cells[TP] + cells[TN]);
            out.selection_rate.push(rates.selection_rate);
            out.true_positive_rate.push(rates.true_positive_rate);
            out.false_positive_rate.push(rates.false_positive_rate);
        }
        out
    }

    fn len(&self) -> usize {
        self.true_positives.len()
    }

    /// Confusion cells `[TP, FP, TN, FN]` of candidate `k`.
    fn cells(&self, k: usize) -> [f64; 4] {
        let (tp, fp) = (self.true_positives[k], self.false_positives[k]);
        [tp, fp, self.totals.1 - fp, self.totals.0 - tp]
    }

    /// The threshold candidate `k` reports (`score >= threshold`): with
    /// exact scores the shortest decimal that decides as the `k`-th score
    /// does, with bin edges the edge; above every score for `k = 0`
    /// (within [0, 1] where a score of 1 does not forbid it).
    fn threshold(&self, k: usize) -> f64 {
        let top = self.scores.first().copied().unwrap_or(0.0);
        match k {
            0 if self.exact && top < 1.0 => shortest_decimal(top, 1.0),
            0 if self.exact => top.next_up(),
            0 => 1f64.next_up(),
            _ if self.exact => {
                let below = self.scores.get(k).copied().unwrap_or(f64::NEG_INFINITY);
                shortest_decimal(below, self.scores[k - 1])
            }
            _ => self.scores[k - 1],
        }
    }
}

/// The band of one rate: `[lower, upper]` with `upper` as far as the policy allows.
#[derive(Debug, Clone, Copy)]
struct Band {
    /// Largest difference allowed.
    difference_max: f64,
    /// Smallest ratio (min / max) allowed; none at or below 0.
    ratio_min: f64,
}

impl Band {
    /// Whether a rate `value` may lie in the band whose lower edge is `lower`
    /// (apart from `value >= lower`), in the float operations the verdict uses:
    /// `max − min` and `min / max` over the chosen rates only improve when
    /// the real minimum is above `lower`.
    fn admits(self, lower: f64, value: f64) -> bool {
        value - lower <= self.difference_max
            && (self.ratio_min <= 0.0 || (value > 0.0 && lower / value >= self.ratio_min))
    }
}

/// Lower edges and, per candidate, the edges at which it is in the band.
struct BandSweep {
    /// Sorted distinct lower edges.
    edges: Vec<f64>,
    /// Per group, per candidate: in the band at edge `i` iff `enter <= i < exit`.
    spans: Vec<Vec<(u32, u32)>>,
    /// (edge index, removal, group, candidate), by edge with removals first,
    /// then by group and candidate: candidates enter and leave the band in
    /// this order as the lower edge grows.
    events: Vec<(u32, bool, u32, u32)>,
}

impl BandSweep {
    /// `values[g][k]`: the rate of group `g`'s candidate `k` (non-decreasing
    /// in `k`); `events`: whether to list the events too (the sweep needs
    /// them, a feasibility check only the spans).
    fn new(values: &[&[f64]], band: Band, events: bool) -> Self {
        // every value once, in order: the distinct ones are the lower edges
        let mut order: Vec<(f64, u32, u32)> = values
            .iter()
            .enumerate()
            .flat_map(|(g, rates)| {
                rates
                    .iter()
                    .enumerate()
                    .map(move |(k, &v)| (v, g as u32, k as u32))
            })
            .collect();
        // rates are in [0, 1], where the bits order as the numbers (−0 made +0)
        for item in &mut order {
            item.0 += 0.0;
        }
        order.sort_unstable_by_key(|item| item.0.to_bits());
        let mut edges: Vec<f64> = Vec::new();
        let mut spans: Vec<Vec<(u32, u32)>> =
            values.iter().map(|v| vec![(0, 0); v.len()]).collect();
        // the first edge that admits a value grows with the value
        let mut enter = 0usize;
        for &(value, g, k) in &order {
            if edges.last() != Some(&value) {
                edges.push(value);
            }
            let exit = edges.len();
            while enter < exit && !band.admits(edges[enter], value) {
                enter += 1;
            }
            spans[g as usize][k as usize] = (enter as u32, exit as u32);
        }
        drop(order);
        // an edge not yet seen when `enter` was found cannot admit the value
        // (it lies above it), so the spans are complete
        if !events {
            return Self {
                edges,
                spans,
                events: Vec::new(),
            };
        }
        // a counting sort on (edge, removal first), stable over (group, candidate)
        let slot = |edge: u32, removal: bool| edge as usize * 2 + usize::from(!removal);
        let last = edges.len() as u32;
        let mut starts = vec![0usize; edges.len() * 2 + 1];
        for &(enter, exit) in spans.iter().flatten() {
            if enter < exit {
                starts[slot(enter, false)] += 1;
                if exit < last {
                    starts[slot(exit, true)] += 1;
                }
            }
        }
        let mut at = 0;
        for start in &mut starts {
            (*start, at) = (at, at + *start);
        }
        let mut events = vec![(0, false, 0, 0); at];
        for (g, group) in spans.iter().enumerate() {
            for (k, &(enter, exit)) in group.iter().enumerate() {
                if enter < exit {
                    let place = &mut starts[slot(enter, false)];
                    events[*place] = (enter, false, g as u32, k as u32);
                    *place += 1;
                    if exit < last {
                        let place = &mut starts[slot(exit, true)];
                        events[*place] = (exit, true, g as u32, k as u32);
                        *place += 1;
                    }
                }
            }
        }
        Self {
            edges,
            spans,
            events,
        }
    }

    /// Whether at each lower edge every group has a candidate in the band.
    fn covered_by_every_group(&self) -> Vec<bool> {
        let mut change = vec![0i64; self.edges.len() + 1];
        for group in &self.spans {
            // spans grow with the candidate: merge the overlapping ones
            let mut current: Option<(u32, u32)> = None;
            for &(enter, exit) in group.iter().filter(|(enter, exit)| enter < exit) {
                match current {
                    Some((start, end)) if enter <= end => current = Some((start, end.max(exit))),
                    Some((start, end)) => {
                        change[start as usize] += 1;
                        change[end as usize] -= 1;
                        current = Some((enter, exit));
                    }
                    None => current = Some((enter, exit)),
                }
            }
            if let Some((start, end)) = current {
                change[start as usize] += 1;
                change[end as usize] -= 1;
            }
        }
        let mut covering = 0;
        change[..self.edges.len()]
            .iter()
            .map(|c| {
                covering += c;
                covering == self.spans.len() as i64
            })
            .collect()
    }

    /// The lower edge (index, from `from` on) at which the groups' best
    /// candidates in the band add up to the most gain, each group restricted
    /// to candidates `allowed[g]` (inclusive); `None` when at no such edge
    /// every group has one.
    fn best(&self, gains: &[&[f64]], allowed: &[(u32, u32)], from: usize) -> Option<(f64, usize)> {
        let groups = gains.len();
        let mut windows: Vec<VecDeque<u32>> = vec![VecDeque::new(); groups];
        let mut empty = groups;
        let mut total = 0.0;
        let mut best: Option<(f64, usize)> = None;
        let mut events = self.events.iter().peekable();
        for edge in 0..self.edges.len() as u32 {
            while let Some(&&(at, removal, g, k)) = events.peek() {
                if at != edge {
                    break;
                }
                events.next();
                let (g, (low, high)) = (g as usize, allowed[g as usize]);
                if k < low || k > high {
                    continue;
                }
                let window = &mut windows[g];
                let before = window.front().map(|&f| gains[g][f as usize]);
                if removal {
                    if window.front() == Some(&k) {
                        window.pop_front();
                    }
                } else {
                    while window
                        .back()
                        .is_some_and(|&b| gains[g][b as usize] <= gains[g][k as usize])
                    {
                        window.pop_back();
                    }
                    window.push_back(k);
                }
                let after = window.front().map(|&f| gains[g][f as usize]);
                match (before, after) {
                    (None, Some(a)) => {
                        empty -= 1;
                        total += a;
                    }
                    (Some(b), None) => {
                        empty += 1;
                        total -= b;
                    }
                    (Some(b), Some(a)) if a != b => total += a - b,
                    _ => {}
                }
            }
            if empty == 0 && edge as usize >= from && best.is_none_or(|(value, _)| total > value) {
                best = Some((total, edge as usize));
            }
        }
        best
    }

    /// Each group's best candidate in the band at `edge` within `allowed`
    /// (the largest `k` among equal gains, as the sweep keeps).
    fn choose(
        &self,
        values: &[&[f64]],
        gains: &[&[f64]],
        allowed: &[(u32, u32)],
        edge: usize,
        band: Band,
    ) -> Vec<usize> {
        let lower = self.edges[edge];
        values
            .iter()
            .zip(gains)
            .zip(allowed)
            .map(|((rates, gain), &(low, high))| {
                let mut chosen = None;
                for k in low as usize..=high as usize {
                    let value = rates[k];
                    if value >= lower
                        && band.admits(lower, value)
                        && chosen.is_none_or(|c: usize| gain[k] >= gain[c])
                    {
                        chosen = Some(k);
                    }
                }
                chosen.expect("the sweep found a candidate in every group's band")
            })
            .collect()
    }
}

/// The best choice with every selection rate in `[0, difference_max]` and at
/// least one above 0 (so that min / max is defined), and its total gain.
fn someone_selected(values: &[&[f64]], gains: &[&[f64]], band: Band) -> Option<(f64, Vec<usize>)> {
    let mut choice = Vec::with_capacity(values.len());
    let mut switch: Option<(f64, usize, usize)> = None;
    let mut total = 0.0;
    for (g, (rates, gain)) in values.iter().zip(gains).enumerate() {
        let (mut any, mut selecting): (Option<usize>, Option<usize>) = (None, None);
        for (k, &rate) in rates.iter().enumerate() {
            if rate > band.difference_max {
                continue;
            }
            if any.is_none_or(|a| gain[k] >= gain[a]) {
                any = Some(k);
            }
            if rate > 0.0 && selecting.is_none_or(|s| gain[k] >= gain[s]) {
                selecting = Some(k);
            }
        }
        let any = any?;
        total += gain[any];
        choice.push(any);
        if let Some(s) = selecting {
            let cost = gain[any] - gain[s];
            if switch.is_none_or(|(least, _, _)| cost < least) {
                switch = Some((cost, g, s));
            }
        }
    }
    if choice.iter().zip(values).all(|(&k, rates)| rates[k] == 0.0) {
        let (cost, g, s) = switch?;
        choice[g] = s;
        total -= cost;
    }
    Some((total, choice))
}

/// What the equalized-odds search found.
struct OddsSearch {
    /// Each group's candidate, when any choice is within the bound.
    choice: Option<Vec<usize>>,
    /// When the search stopped at its budget: how much more gain a better choice could have.
    gap: Option<f64>,
    /// Inner sweeps run.
    evaluations: usize,
    /// Lower edges of the true positive rate band at which every group has a candidate.
    lower_edges: usize,
}

/// An inner sweep's result: its total gain, the FPR band's lower edge and
/// every group's candidate range.
type Sweep = (f64, usize, Vec<(u32, u32)>);

/// A range of lower edges of the true positive rate band and the most gain
/// any choice with its lowest TPR among them can have.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bounded {
    bound: f64,
    first: usize,
    last: usize,
}

impl Eq for Bounded {}

impl PartialOrd for Bounded {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bounded {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(other.first.cmp(&self.first))
    }
}

/// Equalized odds: both the TPR and the FPR of every group within a band of
/// `band.difference_max`. For a lower edge `Lt` of the TPR band each group's
/// candidates are a range, and the FPR band's sweep within those ranges is
/// exact; over the `Lt`s, branch and bound: a range of `Lt`s is bounded by
/// the sweep with every TPR in `[first, last + band]` (a relaxation), ranges
/// are split best bound first, and the search ends when no range can beat the
/// best exact edge (the optimum) or after [`EQUALIZED_ODDS_WORK`] events (the
/// gap to the best bound left is reported).
fn equalized_odds_search(
    tpr: &[&[f64]],
    fpr: &[&[f64]],
    gains: &[&[f64]],
    band: Band,
) -> OddsSearch {
    let sweep = BandSweep::new(fpr, band, true);
    let lowers = BandSweep::new(tpr, band, false);
    let feasible: Vec<f64> = lowers
        .edges
        .iter()
        .zip(lowers.covered_by_every_group())
        .filter(|(_, covered)| *covered)
        .map(|(&lower, _)| lower)
        .collect();
    drop(lowers);
    let mut search = OddsSearch {
        choice: None,
        gap: None,
        evaluations: 0,
        lower_edges: feasible.len(),
    };
    if feasible.is_empty() {
        return search;
    }
    let budget = (EQUALIZED_ODDS_WORK / (sweep.events.len() + sweep.edges.len()).max(1)).max(16);
    // every TPR in [feasible[first], feasible[last] + band]: exact when first == last
    let evaluations = std::cell::Cell::new(0usize);
    let evaluate = |first: usize, last: usize| {
        evaluations.set(evaluations.get() + 1);
        let allowed: Vec<(u32, u32)> = tpr
            .iter()
            .map(|rates| {
                let low = rates.partition_point(|&v| v < feasible[first]);
                let high = rates.partition_point(|&v| band.admits(feasible[last], v));
                (low < high).then(|| (low as u32, high as u32 - 1))
            })
            .collect::<Option<_>>()?;
        let (total, edge) = sweep.best(gains, &allowed, 0)?;
        Some((total, edge, allowed))
    };
    let mut best: Option<Sweep> = None;
    let keep = |found: Option<Sweep>, best: &mut Option<Sweep>| {
        if let Some(found) = found
            && best.as_ref().is_none_or(|b| found.0 > b.0)
        {
            *best = Some(found);
        }
    };
    // a few exact edges first, for a bound to prune against
    let seeds = feasible.len().min(8);
    for i in 0..seeds {
        let edge = if seeds == 1 {
            0
        } else {
            i * (feasible.len() - 1) / (seeds - 1)
        };
        let found = evaluate(edge, edge);
        keep(found, &mut best);
    }
    let mut queue = std::collections::BinaryHeap::new();
    if feasible.len() > 1
        && let Some((bound, _, _)) = evaluate(0, feasible.len() - 1)
    {
        queue.push(Bounded {
            bound,
            first: 0,
            last: feasible.len() - 1,
        });
    }
    while let Some(range) = queue.pop() {
        let best_total = best.as_ref().map_or(f64::NEG_INFINITY, |b| b.0);
        if range.bound <= best_total {
            queue.clear();
            break;
        }
        if evaluations.get() >= budget {
            search.gap = Some(range.bound - best_total);
            break;
        }
        let middle = (range.first + range.last) / 2;
        for (first, last) in [(range.first, middle), (middle + 1, range.last)] {
            let found = evaluate(first, last);
            if first == last {
                keep(found, &mut best);
            } else if let Some((bound, _, _)) = found
                && bound > best.as_ref().map_or(f64::NEG_INFINITY, |b| b.0)
            {
                queue.push(Bounded { bound, first, last });
            }
        }
    }
    search.evaluations = evaluations.get();
    search.choice = best.map(|(_, edge, allowed)| sweep.choose(fpr, gains, &allowed, edge, band));
    search
}

/// The figures of per-group cells: accuracy over every group, the gaps over those in the verdict.
fn figures(
    cells: &[[f64; 4]],
    in_verdict: &[bool],
    constraint: FairnessConstraint,
    policy: &Policy,
) -> RemedyFigures {
    let mut all = Confusion::default();
    for c in cells {
        all.merge(&Confusion {
            rows: [0; 4],
            weight: *c,
        });
    }
    let rates: Vec<Rates> = cells
        .iter()
        .zip(in_verdict)
        .filter(|(_, counted)| **counted)
        .map(|(c, _)| Rates::from_cells(*c))
        .collect();
    let figures = headline(&rates.iter().collect::<Vec<_>>());
    let defined = |v: f64| (!v.is_nan() && rates.len() >= 2).then_some(v);
    let (difference, ratio, odds) = (
        defined(figures.demographic_parity_difference),
        defined(figures.demographic_parity_ratio),
        defined(figures.equalized_odds_difference),
    );
    let within_bound = match constraint {
        FairnessConstraint::DemographicParity => {
            difference.is_some_and(|d| d <= policy.demographic_parity_difference_max)
                && ratio.is_some_and(|r| r >= policy.demographic_parity_ratio_min)
        }
        FairnessConstraint::EqualizedOdds => {
            odds.is_some_and(|d| d <= policy.equalized_odds_difference_max)
        }
    };
    RemedyFigures {
        accuracy: all.rates().accuracy,
        demographic_parity_difference: difference,
        demographic_parity_ratio: ratio,
        equalized_odds_difference: odds,
        within_bound,
    }
}

/// One deterministic threshold per group (`score >= threshold`) such that the
/// policy's bound for `constraint` holds over the groups `in_verdict`
/// (demographic parity: difference ≤ `demographic_parity_difference_max` and
/// ratio ≥ `demographic_parity_ratio_min`; equalized odds: the larger of the
/// TPR and FPR differences ≤ `equalized_odds_difference_max`), at the most
/// weighted accuracy over all rows; groups not in the verdict keep
/// `audited_threshold`. `exact`: the points are every distinct score (else
/// bin edges, and the result is `approximate`). Rates are computed as the
/// report computes them (a rate without a denominator is 0, and counts).
///
/// The search: candidate `k` of a group selects its `k` highest distinct
/// scores. Any feasible choice has its rates within `[L, U(L)]`, `L` its
/// lowest rate and `U(L)` the most the bound allows above it, and with that
/// band each group can pick its best candidate alone; so sweeping `L` over
/// every achievable rate while each group keeps a sliding-window maximum of
/// its candidates in the band finds the optimum (`O(N log N)`). Equalized
/// odds sweeps the FPR band so inside every TPR band's lower edge (exact
/// while that is at most [`EQUALIZED_ODDS_WORK`] events, else at evenly
/// spaced edges, flagged `approximate`). The accuracy total is updated
/// incrementally, so between choices within float rounding of each other
/// either may be kept.
pub fn bounded_thresholds(
    groups: &[RemedyGroup],
    audited_threshold: f64,
    constraint: FairnessConstraint,
    policy: &Policy,
    exact: bool,
) -> ThresholdRemedy {
    let in_verdict: Vec<bool> = groups.iter().map(|g| g.in_verdict).collect();
    let audited: Vec<[f64; 4]> = groups.iter().map(|g| g.audited_cells).collect();
    let before = figures(&audited, &in_verdict, constraint, policy);
    let constrained: Vec<usize> = (0..groups.len()).filter(|&i| in_verdict[i]).collect();
    let candidates: Vec<Candidates> = constrained
        .iter()
        .map(|&i| Candidates::new(&groups[i].scores.points, exact))
        .collect();
    let total_candidates: usize = candidates.iter().map(Candidates::len).sum();
    let mut search = format!(
        "{} candidate thresholds ({}) of {} groups in the verdict",
        total_candidates,
        if exact {
            "every distinct score"
        } else {
            "edges of fine score bins: more than 10^6 distinct scores"
        },
        constrained.len()
    );
    let mut approximate = !exact;
    let not_found = |reason: String, search: String, approximate: bool| ThresholdRemedy {
        constraint,
        found: false,
        reason: Some(reason),
        approximate,
        search,
        before: before.clone(),
        after: None,
        groups: groups
            .iter()
            .map(|g| GroupThresholds {
                group: g.scores.group.clone(),
                in_verdict: g.in_verdict,
                before: GroupDecision::new(audited_threshold, g.audited_cells),
                after: None,
            })
            .collect(),
    };
    if constrained.len() < 2 {
        return not_found(
            "fewer than two groups count in the verdict, so there is no gap to close".into(),
            search,
            approximate,
        );
    }
    let gains: Vec<&[f64]> = candidates.iter().map(|c| &c.gain[..]).collect();
    let everything: Vec<(u32, u32)> = candidates.iter().map(|c| (0, c.len() as u32 - 1)).collect();
    let chosen: Option<Vec<usize>> = match constraint {
        FairnessConstraint::DemographicParity => {
            let band = Band {
                difference_max: policy.demographic_parity_difference_max,
                ratio_min: policy.demographic_parity_ratio_min,
            };
            let values: Vec<&[f64]> = candidates.iter().map(|c| &c.selection_rate[..]).collect();
            let sweep = BandSweep::new(&values, band, true);
            // without a ratio bound the ratio must still be defined: at the
            // lower edge 0 not every group may select nobody
            let from = usize::from(band.ratio_min <= 0.0 && sweep.edges.first() == Some(&0.0));
            let swept = sweep.best(&gains, &everything, from).map(|(total, edge)| {
                (
                    total,
                    sweep.choose(&values, &gains, &everything, edge, band),
                )
            });
            match (from == 1)
                .then(|| someone_selected(&values, &gains, band))
                .flatten()
            {
                Some((total, choice)) if swept.as_ref().is_none_or(|(best, _)| total >= *best) => {
                    Some(choice)
                }
                _ => swept.map(|(_, choice)| choice),
            }
        }
        FairnessConstraint::EqualizedOdds => {
            let band = Band {
                difference_max: policy.equalized_odds_difference_max,
                ratio_min: 0.0,
            };
            let tpr: Vec<&[f64]> = candidates
                .iter()
                .map(|c| &c.true_positive_rate[..])
                .collect();
            let fpr: Vec<&[f64]> = candidates
                .iter()
                .map(|c| &c.false_positive_rate[..])
                .collect();
            let weight: f64 = audited.iter().flatten().sum();
            let found = equalized_odds_search(&tpr, &fpr, &gains, band);
            if let Some(gap) = found.gap {
                approximate = true;
                search.push_str(&format!(
                    "; the true positive rate band's lower edge searched by branch and bound over {} values, stopped after {} sweeps at most {:.1e} in accuracy below the best choice",
                    found.lower_edges,
                    found.evaluations,
                    gap / weight
                ));
            }
            found.choice
        }
    };
    let Some(chosen) = chosen else {
        let bound = match constraint {
            FairnessConstraint::DemographicParity => format!(
                "a selection-rate difference of at most {} and ratio of at least {}",
                policy.demographic_parity_difference_max, policy.demographic_parity_ratio_min
            ),
            FairnessConstraint::EqualizedOdds => format!(
                "true and false positive rate differences of at most {} (a group without positives or negatives has a rate of 0 there)",
                policy.equalized_odds_difference_max
            ),
        };
        let reason = format!(
            "no choice of one threshold per group gives {bound} over the {} groups in the verdict{}",
            constrained.len(),
            if approximate {
                " among the candidates searched"
            } else {
                ""
            }
        );
        return not_found(reason, search, approximate);
    };
    let mut after_cells = audited.clone();
    let mut after_thresholds = vec![audited_threshold; groups.len()];
    for ((&group, candidate), &k) in constrained.iter().zip(&candidates).zip(&chosen) {
        after_cells[group] = candidate.cells(k);
        after_thresholds[group] = candidate.threshold(k);
    }
    let after = figures(&after_cells, &in_verdict, constraint, policy);
    ThresholdRemedy {
        constraint,
        found: true,
        reason: None,
        approximate,
        search,
        before,
        after: Some(after),
        groups: groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupThresholds {
                group: g.scores.group.clone(),
                in_verdict: g.in_verdict,
                before: GroupDecision::new(audited_threshold, g.audited_cells),
                after: Some(GroupDecision::new(after_thresholds[i], after_cells[i])),
            })
            .collect(),
    }
}

/// Both remedies for one constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConstraintRemedy {
    /// The constraint.
    pub constraint: FairnessConstraint,
    /// One deterministic threshold per group within the policy's bound (or why none exists).
    pub thresholds: ThresholdRemedy,
    /// Fairlearn's randomized optimum, which equalizes the constraint exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub randomized: Option<RandomizedThresholds>,
    /// Why Fairlearn's optimum could not be fitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub randomized_not_run: Option<String>,
    /// When a verdict on this constraint's figures failed: the thresholds that
    /// would pass, in one sentence (or that none would).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_would_pass: Option<String>,
}

/// Per-group thresholds that would satisfy the policy, for the headline grouping (scores only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Remedies {
    /// The sensitive features whose groups get a threshold each (the headline grouping).
    pub features: Vec<String>,
    /// The threshold the audit decided with (`score >= threshold`).
    pub audited_threshold: f64,
    /// Scores were counted in fine bins (more than 10^6 distinct), so thresholds are bin edges.
    pub approximate: bool,
    /// The rates and accuracy are weighted by the sample weights.
    pub weighted: bool,
    /// Demographic parity.
    pub demographic_parity: ConstraintRemedy,
    /// Equalized odds.
    pub equalized_odds: ConstraintRemedy,
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".into(), |v| format!("{v:.3}"))
}

/// The sentence of a failing constraint: the thresholds and the figures they would give.
fn what_would_pass(remedy: &ThresholdRemedy, policy: &Policy) -> String {
    let constraint = remedy.constraint;
    let (Some(after), true) = (&remedy.after, remedy.found) else {
        return format!(
            "No thresholds per group would pass {}: {}.",
            constraint.words(),
            remedy.reason.as_deref().unwrap_or("none found")
        );
    };
    let named: Vec<String> = remedy
        .groups
        .iter()
        .filter(|g| g.in_verdict)
        .filter_map(|g| {
            g.after
                .as_ref()
                .map(|a| format!("{}: {}", g.group.join("/"), a.threshold))
        })
        .collect();
    let mut thresholds = named
        .iter()
        .take(GROUPS_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if named.len() > GROUPS_NAMED {
        thresholds.push_str(&format!(" and {} more", named.len() - GROUPS_NAMED));
    }
    let figures = match constraint {
        FairnessConstraint::DemographicParity => format!(
            "the demographic parity difference to {} (bound {}) and its ratio to {} (bound {})",
            number(after.demographic_parity_difference),
            policy.demographic_parity_difference_max,
            number(after.demographic_parity_ratio),
            policy.demographic_parity_ratio_min
        ),
        FairnessConstraint::EqualizedOdds => format!(
            "the equalized odds difference to {} (bound {})",
            number(after.equalized_odds_difference),
            policy.equalized_odds_difference_max
        ),
    };
    let change = if after.accuracy < remedy.before.accuracy {
        format!("down from {}", number(Some(remedy.before.accuracy)))
    } else if after.accuracy > remedy.before.accuracy {
        format!("up from {}", number(Some(remedy.before.accuracy)))
    } else {
        "unchanged".into()
    };
    format!(
        "Thresholds {thresholds} would bring {figures} at an accuracy of {}, {change}{}.",
        number(Some(after.accuracy)),
        if remedy.approximate {
            " (an approximate search)"
        } else {
            ""
        }
    )
}

/// The remedies of a scored audit over the headline grouping (every
/// sensitive feature together): `groups` are its groups' confusion counts at
/// the audited threshold, `groupings` the report's groupings with their
/// verdicts. `None` without scores (a prediction column), when turned off,
/// or when no group has weight.
pub fn remedy_report(
    counts: &ScoreCounts,
    groups: &BTreeMap<Vec<String>, Confusion>,
    spec: &FairnessSpec,
    groupings: &[GroupingReport],
) -> Option<Remedies> {
    let PredictionSource::Score { threshold, .. } = spec.prediction else {
        return None;
    };
    let options = &spec.options;
    if !options.remedies.enabled {
        return None;
    }
    let features: Vec<usize> = (0..spec.sensitive_features.len()).collect();
    let mut weights = counts.score_weights(&features);
    let exact = counts.is_exact();
    let weighted = spec.sample_weight.is_some();
    // a group whose weights sum to 0 is left out, as from every aggregate
    let remedy_groups: Vec<RemedyGroup> = groups
        .iter()
        .filter(|(_, confusion)| confusion.weight_sum() > 0.0)
        .map(|(key, confusion)| RemedyGroup {
            scores: GroupScores {
                group: key.clone(),
                points: weights
                    .remove(key)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(score, positive, negative)| ScorePoint {
                        score,
                        positive,
                        negative,
                    })
                    .collect(),
            },
            audited_cells: confusion.weight,
            in_verdict: options.include_small_groups_in_verdicts
                || confusion.row_count() >= options.min_group_size,
        })
        .collect();
    if remedy_groups.is_empty() {
        return None;
    }
    let scored: Vec<GroupScores> = remedy_groups.iter().map(|g| g.scores.clone()).collect();
    let failing = |constraint: FairnessConstraint| {
        groupings.iter().flat_map(|g| &g.verdicts).any(|v| {
            v.outcome == Outcome::Fail && constraint.figures().contains(&v.figure.as_str())
        })
    };
    let remedy = |constraint: FairnessConstraint| {
        let thresholds =
            bounded_thresholds(&remedy_groups, threshold, constraint, &spec.policy, exact);
        let (randomized, randomized_not_run) =
            match threshold_optimizer(&scored, constraint, weighted) {
                Ok(optimum) => (Some(optimum), None),
                Err(error) => (None, Some(error.to_string())),
            };
        ConstraintRemedy {
            constraint,
            what_would_pass: failing(constraint)
                .then(|| what_would_pass(&thresholds, &spec.policy)),
            thresholds,
            randomized,
            randomized_not_run,
        }
    };
    Some(Remedies {
        features: spec.sensitive_features.clone(),
        audited_threshold: threshold,
        approximate: !exact,
        weighted,
        demographic_parity: remedy(FairnessConstraint::DemographicParity),
        equalized_odds: remedy(FairnessConstraint::EqualizedOdds),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_numpys_linspace() {
        let grid = fairlearn_grid(1000);
        assert_eq!(grid.len(), 1001);
        assert_eq!(grid[0], 0.0);
        assert_eq!(grid[1000], 1.0);
        // numpy multiplies by the step: 3 · 0.001 is not 3 / 1000
        assert_eq!(grid[3], 3.0 * 0.001);
    }

    #[test]
    fn shortest_decimals_decide_as_the_score_does() {
        assert_eq!(shortest_decimal(0.5, 0.623_45), 0.6);
        assert_eq!(shortest_decimal(0.62, 0.623_45), 0.623);
        assert_eq!(shortest_decimal(f64::NEG_INFINITY, 0.2), 0.0);
        assert_eq!(shortest_decimal(0.93, 1.0), 1.0);
        let t = shortest_decimal(0.1, 0.1f64.next_up());
        assert!(t > 0.1 && t <= 0.1f64.next_up());
    }

    #[test]
    fn a_group_with_one_label_is_refused_as_fairlearn_refuses_it() {
        let groups = [
            GroupScores {
                group: vec!["a".into()],
                points: vec![
                    ScorePoint {
                        score: 0.3,
                        positive: 1.0,
                        negative: 1.0,
                    },
                    ScorePoint {
                        score: 0.8,
                        positive: 2.0,
                        negative: 0.0,
                    },
                ],
            },
            GroupScores {
                group: vec!["b".into()],
                points: vec![ScorePoint {
                    score: 0.4,
                    positive: 0.0,
                    negative: 3.0,
                }],
            },
        ];
        let error =
            threshold_optimizer(&groups, FairnessConstraint::DemographicParity, false).unwrap_err();
        assert_eq!(
            error,
            RemedyError::DegenerateLabels {
                group: "b".into(),
                present: "negative"
            }
        );
    }
}
