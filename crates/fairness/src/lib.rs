//! The fairness engine: pure functions from a lazy polars frame and a spec
//! to a report. One group-by produces weighted confusion counts of every
//! intersection group; every other grouping (each sensitive feature alone,
//! all rows) is an exact roll-up of those counts, and every figure is
//! computed from counts. Counts of disjoint parts of the rows add up, so an
//! audit can be split into parts (`partial`), merged (`FairnessPartial::merge`)
//! and finished (`finish`) with the figures of one pass over all rows.

pub mod aggregate;
pub mod bootstrap;
pub mod counterfactual;
pub mod counts;
pub mod disparity;
pub mod inequality;
pub mod monitoring;
pub mod polars_errors;
pub mod policy;
pub mod prepare;
pub mod proxy;
pub mod query;
pub mod regulation;
pub mod remedies;
pub mod scores;
pub mod significance;
pub mod spec;
pub mod subgroups;

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use aggregate::{Aggregates, Figure, ReferenceComparison};
use bootstrap::RateIntervals;
use counts::{Confusion, FN, FP, Rates, TN, TP};
use disparity::{DisparityReference, DisparityTable};
use inequality::Inequality;
use policy::{Outcome, Verdict};
use prepare::{ObservedValues, P, Prepared, W, Y, group_column};
pub use proxy::ProxyReport;
use query::CollectStreaming;
use regulation::{Category, FourFifths, ImpactTable, Profile};
use scores::ThresholdSweep;
pub use spec::{
    DisparityOptions, DisparityRule, FairnessError, FairnessOptions, FairnessSpec, LabelValue,
    Policy, PredictionSource,
};

/// Confusion counts as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Counts<T> {
    pub positives: T,
    pub negatives: T,
    pub predicted_positives: T,
    pub true_positives: T,
    pub false_positives: T,
    pub true_negatives: T,
    pub false_negatives: T,
}

impl<T: Copy + std::ops::Add<Output = T>> Counts<T> {
    fn from_cells(cells: [T; 4]) -> Self {
        Self {
            positives: cells[TP] + cells[FN],
            negatives: cells[FP] + cells[TN],
            predicted_positives: cells[TP] + cells[FP],
            true_positives: cells[TP],
            false_positives: cells[FP],
            true_negatives: cells[TN],
            false_negatives: cells[FN],
        }
    }
}

/// Everything reported about one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupReport {
    /// Values of the grouping's features, in order (empty for all rows).
    pub group: Vec<String>,
    /// Rows in the group.
    pub rows: u64,
    /// Sum of sample weights (equals rows when unweighted).
    pub weight_sum: f64,
    /// Raw confusion counts.
    #[schema(value_type = Counts<u64>)]
    pub counts: Counts<u64>,
    /// Weighted confusion counts.
    #[schema(value_type = Counts<f64>)]
    pub weighted_counts: Counts<f64>,
    /// Rates from the weighted counts (the raw ones when unweighted).
    pub rates: Rates,
    /// Rates from the raw counts, when sample weights are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unweighted_rates: Option<Rates>,
    /// Fewer rows than `min_group_size`: reported, kept out of verdicts.
    pub small: bool,
    /// Why the group is left out of every aggregate (its weights sum to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
    /// ROC AUC of the scores within the group (scores only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roc_auc: Option<Figure>,
    /// Reliability bins, expected calibration error and calibration-in-the-large (scores only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<scores::Calibration>,
    /// Bootstrap intervals of the selection rate, TPR and FPR (groups of a grouping, when bootstrapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_intervals: Option<RateIntervals>,
}

/// How a grouping's reference group was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceChoice {
    /// Named in the request's `reference_groups`.
    ReferenceGroups,
    /// The group with the largest weight.
    LargestGroup,
}

impl ReferenceChoice {
    /// The serialised name (`reference_groups`, `largest_group`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReferenceGroups => "reference_groups",
            Self::LargestGroup => "largest_group",
        }
    }
}

/// Which rows a grouping splits by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupingKind {
    /// One sensitive feature on its own.
    Feature,
    /// All sensitive features together (observed combinations).
    Intersection,
}

/// The reference (privileged) group of a grouping and the comparisons with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReferenceReport {
    /// The reference group's values.
    pub group: Vec<String>,
    /// `reference_groups` when given, otherwise `largest_group` (by weight).
    pub chosen_by: ReferenceChoice,
    /// Disparate impact and statistical parity difference of every other group.
    pub comparisons: Vec<ReferenceComparison>,
}

/// Results for one way of grouping rows (one feature, or their intersection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupingReport {
    /// The sensitive features of this grouping.
    pub features: Vec<String>,
    /// `feature` for one sensitive feature, `intersection` for all of them together.
    pub kind: GroupingKind,
    /// Every observed group, sorted by values.
    pub groups: Vec<GroupReport>,
    /// Fairlearn's aggregates over all groups; headline between-groups figures carry intervals.
    pub aggregates: Aggregates,
    /// Comparisons with the reference group.
    pub reference: ReferenceReport,
    /// Policy checks over the groups large enough.
    pub verdicts: Vec<Verdict>,
    /// Rates per group across thresholds (scores only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_sweep: Option<ThresholdSweep>,
    /// Every confusion-matrix rate per group with its disparity to a
    /// reference group and parity verdict, as Aequitas computes them (absent
    /// in reports made before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disparities: Option<DisparityTable>,
    /// AIF360's between-groups generalized entropy and Theil indices of the
    /// benefits (each row's benefit replaced by its group's mean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub between_groups_inequality: Option<Inequality>,
    /// New York City Local Law 144's impact-ratio table (profile `nyc_ll144`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_ratios: Option<ImpactTable>,
    /// The EEOC four-fifths rule (profile `four_fifths`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub four_fifths: Option<FourFifths>,
    /// LL144's table by scoring rate, the share above the median score
    /// (profile `nyc_ll144` with scores in an unweighted audit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring_rate_impact_ratios: Option<ImpactTable>,
}

/// The fairness section of an audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FairnessReport {
    /// Rows audited.
    pub rows: u64,
    /// The favourable label value.
    pub positive_label: String,
    /// The other label value, when present.
    pub negative_label: Option<String>,
    /// All rows together.
    pub overall: GroupReport,
    /// Each sensitive feature alone, then (with several) their intersection.
    pub groupings: Vec<GroupingReport>,
    /// Proxy check, when enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxies: Option<ProxyReport>,
    /// AIF360's generalized entropy (α = 2) and Theil indices of the individual
    /// benefits (0 for a false negative, 1 for a correct decision, 2 for a false positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inequality: Option<Inequality>,
    /// Slices nobody declared whose error or selection rate is furthest from the rest (when asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subgroups: Option<subgroups::SubgroupReport>,
    /// Worst outcome over all verdicts.
    pub verdict: Outcome,
    /// Per-group thresholds that would satisfy the policy's demographic parity
    /// and equalized odds bounds over the headline grouping, and Fairlearn's
    /// randomized optimum (scores only; absent with a prediction column or
    /// when `options.remedies` turns them off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedies: Option<remedies::Remedies>,
    /// The policy applied.
    pub policy: Policy,
    /// The options applied.
    pub options: FairnessOptions,
}

impl FairnessReport {
    /// The grouping over all sensitive features together (the one Fairlearn computes when given them all).
    pub fn headline_grouping(&self) -> &GroupingReport {
        self.groupings.last().expect("at least one grouping")
    }
}

/// The median score of every row (unweighted counts: each row weighs 1).
fn median_of_rows(scores: &scores::ScoreCounts) -> Option<f64> {
    let mut points: Vec<(f64, u64)> = scores
        .score_weights(&[])
        .into_values()
        .flatten()
        .map(|(score, positive, negative)| (score, (positive + negative).round() as u64))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    regulation::median_score(&points)
}

/// Rows scoring strictly above `median`, per group of the grouping (unweighted counts).
fn rows_above(
    scores: &scores::ScoreCounts,
    features: &[usize],
    median: f64,
) -> BTreeMap<Vec<String>, u64> {
    scores
        .score_weights(features)
        .into_iter()
        .map(|(group, points)| {
            let above = points
                .iter()
                .filter(|p| p.0 > median)
                .map(|p| (p.1 + p.2).round() as u64)
                .sum();
            (group, above)
        })
        .collect()
}

/// Refuses more intersection groups than `options.max_groups` (before any
/// per-group work), naming the sensitive feature with the most distinct values.
fn check_group_count(
    groups: &BTreeMap<Vec<String>, Confusion>,
    spec: &FairnessSpec,
) -> Result<(), FairnessError> {
    let limit = spec.options.max_groups;
    if groups.len() <= limit {
        return Ok(());
    }
    let mut widest = (0, 0);
    for index in 0..spec.sensitive_features.len() {
        let distinct = groups
            .keys()
            .map(|key| key[index].as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if distinct > widest.1 {
            widest = (index, distinct);
        }
    }
    Err(FairnessError::TooManyGroups {
        column: spec.sensitive_features[widest.0].clone(),
        distinct: widest.1,
        groups: groups.len(),
        limit,
    })
}

/// Weighted confusion counts of every intersection group.
fn intersection_counts(
    frame: &LazyFrame,
    spec: &FairnessSpec,
) -> Result<BTreeMap<Vec<String>, Confusion>, FairnessError> {
    let features = spec.sensitive_features.len();
    let cells = [
        col(Y).and(col(P)),
        col(Y).not().and(col(P)),
        col(Y).not().and(col(P).not()),
        col(Y).and(col(P).not()),
    ];
    let mut aggs = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        aggs.push(
            cell.clone()
                .cast(DataType::UInt64)
                .sum()
                .alias(format!("rows{i}")),
        );
        aggs.push(
            when(cell.clone())
                .then(col(W))
                .otherwise(lit(0.0))
                .sum()
                .alias(format!("weight{i}")),
        );
    }
    let keys: Vec<Expr> = (0..features).map(|i| col(group_column(i))).collect();
    let frame = frame.clone().group_by(keys).agg(aggs).collect_streaming()?;
    let key_columns: Vec<StringChunked> = (0..features)
        .map(|i| Ok(frame.column(&group_column(i))?.str()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let rows: Vec<UInt64Chunked> = (0..4)
        .map(|i| Ok(frame.column(&format!("rows{i}"))?.u64()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let weights: Vec<Float64Chunked> = (0..4)
        .map(|i| Ok(frame.column(&format!("weight{i}"))?.f64()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let mut out = BTreeMap::new();
    for row in 0..frame.height() {
        let key = key_columns
            .iter()
            .map(|k| k.get(row).unwrap_or_default().to_string())
            .collect();
        let mut confusion = Confusion::default();
        for cell in 0..4 {
            confusion.rows[cell] = rows[cell].get(row).unwrap_or(0);
            confusion.weight[cell] = weights[cell].get(row).unwrap_or(0.0);
        }
        out.insert(key, confusion);
    }
    check_group_count(&out, spec)?;
    Ok(out)
}

/// Sums intersection counts into the groups of a subset of features.
fn roll_up(
    intersections: &BTreeMap<Vec<String>, Confusion>,
    features: &[usize],
) -> BTreeMap<Vec<String>, Confusion> {
    let mut out: BTreeMap<Vec<String>, Confusion> = BTreeMap::new();
    for (key, confusion) in intersections {
        let projected = features.iter().map(|&i| key[i].clone()).collect();
        out.entry(projected).or_default().merge(confusion);
    }
    out
}

fn group_report(
    group: Vec<String>,
    confusion: &Confusion,
    weighted: bool,
    min_group_size: u64,
) -> GroupReport {
    let rows = confusion.row_count();
    GroupReport {
        group,
        rows,
        weight_sum: confusion.weight_sum(),
        counts: Counts::from_cells(confusion.rows),
        weighted_counts: Counts::from_cells(confusion.weight),
        rates: confusion.rates(),
        unweighted_rates: weighted.then(|| Rates::from_cells(confusion.rows.map(|r| r as f64))),
        small: rows < min_group_size,
        dropped: (confusion.weight_sum() == 0.0)
            .then(|| "its sample weights sum to 0; left out of every aggregate".into()),
        roc_auc: None,
        calibration: None,
        rate_intervals: None,
    }
}

/// The disparity table of a grouping: its groups with weight, in Aequitas's
/// order (values joined with `|`, sorted), against the references the options ask for.
fn disparity_table(
    counts: &BTreeMap<Vec<String>, Confusion>,
    reference: &ReferenceReport,
    options: DisparityOptions,
) -> DisparityTable {
    let mut groups: Vec<(Vec<String>, Confusion)> = counts
        .iter()
        .filter(|(_, c)| c.weight_sum() > 0.0)
        .map(|(key, c)| (key.clone(), *c))
        .collect();
    groups.sort_by_cached_key(|(key, _)| key.join("|"));
    let observed = |group: &Vec<String>| groups.iter().any(|(key, _)| key == group);
    let rule = match options.reference {
        DisparityRule::LargestGroup => DisparityReference::LargestGroup,
        DisparityRule::LowestValue => DisparityReference::LowestValue,
        DisparityRule::ReferenceGroups
            if reference.chosen_by == ReferenceChoice::ReferenceGroups
                && observed(&reference.group) =>
        {
            DisparityReference::Named {
                group: reference.group.clone(),
            }
        }
        DisparityRule::ReferenceGroups => DisparityReference::LargestGroup,
    };
    disparity::disparities(&groups, &rule, options.band, options.significance)
        .expect("a named reference is one of the groups")
}

fn reference_report(
    spec: &FairnessSpec,
    features: &[usize],
    groups: &[GroupReport],
) -> Result<ReferenceReport, FairnessError> {
    let names: Vec<&String> = features
        .iter()
        .map(|&i| &spec.sensitive_features[i])
        .collect();
    let requested: Option<Vec<String>> = names
        .iter()
        .map(|n| spec.reference_groups.get(*n).cloned())
        .collect();
    let (reference, chosen_by) = match requested {
        Some(values) => {
            if names.len() == 1 && !groups.iter().any(|g| g.group == values) {
                return Err(FairnessError::UnknownReferenceGroup {
                    column: names[0].clone(),
                    value: values[0].clone(),
                });
            }
            (values, ReferenceChoice::ReferenceGroups)
        }
        None => {
            let largest = groups
                .iter()
                .filter(|g| g.dropped.is_none())
                .max_by(|a, b| {
                    a.weight_sum
                        .total_cmp(&b.weight_sum)
                        .then_with(|| b.group.cmp(&a.group))
                })
                .map(|g| g.group.clone())
                .unwrap_or_default();
            (largest, ReferenceChoice::LargestGroup)
        }
    };
    let reference_rates = groups
        .iter()
        .find(|g| g.group == reference && g.dropped.is_none())
        .map(|g| &g.rates);
    let comparisons = match reference_rates {
        Some(reference_rates) => groups
            .iter()
            .filter(|g| g.group != reference && g.dropped.is_none())
            .map(|g| aggregate::compare_to_reference(g.group.clone(), &g.rates, reference_rates))
            .collect(),
        None => Vec::new(),
    };
    Ok(ReferenceReport {
        group: reference,
        chosen_by,
        comparisons,
    })
}

fn attach_intervals(
    aggregates: &mut Aggregates,
    intervals: &[Option<[f64; 2]>; bootstrap::HEADLINE_FIGURES],
) {
    let targets = [
        &mut aggregates.demographic_parity_difference.between_groups,
        &mut aggregates.demographic_parity_ratio.between_groups,
        &mut aggregates
            .equalized_odds_difference
            .worst_case
            .between_groups,
        &mut aggregates.equalized_odds_ratio.worst_case.between_groups,
        &mut aggregates.equal_opportunity_difference.between_groups,
        &mut aggregates.equal_opportunity_ratio.between_groups,
    ];
    for (figure, interval) in targets.into_iter().zip(intervals) {
        if figure.value.is_some() {
            figure.ci = *interval;
        }
    }
}

/// What a part of the rows contributes to a fairness audit: its row count,
/// label (and prediction) values, intersection counts and score statistics.
/// Partials of disjoint row ranges merge exactly, and `finish` turns the
/// merged partial into the report one pass over all rows would give
/// (bit for bit, where sample weights add up exactly in binary: none,
/// integers, halves...; otherwise up to the order of float additions).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FairnessPartial {
    rows: u64,
    values: ObservedValues,
    intersections: Vec<(Vec<String>, Confusion)>,
    scores: Option<scores::ScoreCounts>,
    /// The slice search's counts, when the parts count them (a model's decisions
    /// exist only in the parts); absent in parts made before they did.
    #[serde(default)]
    slices: Option<subgroups::SliceCounts>,
}

impl FairnessPartial {
    /// Rows counted.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds the slice search's counts of the same rows ([`count_slices`]).
    pub fn with_slices(mut self, slices: subgroups::SliceCounts) -> Self {
        self.slices = Some(slices);
        self
    }

    /// Adds another, disjoint part of the rows.
    pub fn merge(&mut self, other: Self) {
        self.rows += other.rows;
        self.slices = match (self.slices.take(), other.slices) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            _ => None,
        };
        self.values.merge(other.values);
        let mut groups: BTreeMap<Vec<String>, Confusion> = std::mem::take(&mut self.intersections)
            .into_iter()
            .collect();
        for (key, confusion) in other.intersections {
            groups.entry(key).or_default().merge(&confusion);
        }
        self.intersections = groups.into_iter().collect();
        self.scores = match (self.scores.take(), other.scores) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
    }
}

/// The column the decisions come from (predictions or scores).
fn decisions_column(spec: &FairnessSpec) -> &str {
    match &spec.prediction {
        PredictionSource::Column(c) => c.as_str(),
        PredictionSource::Score { column, .. } => column.as_str(),
    }
}

/// The columns other than the ones the spec names: proxy and slice candidates.
fn other_columns(schema: &Schema, spec: &FairnessSpec) -> Vec<(String, DataType)> {
    let mut used: Vec<&str> = vec![spec.label.as_str(), decisions_column(spec)];
    used.extend(spec.sensitive_features.iter().map(String::as_str));
    used.extend(spec.sample_weight.as_deref());
    schema
        .iter()
        .filter(|(name, _)| !used.contains(&name.as_str()))
        .map(|(name, dtype)| (name.to_string(), dtype.clone()))
        .collect()
}

/// The slice search's columns, decided from every row of the dataset
/// (`all_rows`), for parts that count slices themselves ([`count_slices`]).
pub fn slice_plan(
    all_rows: &LazyFrame,
    spec: &FairnessSpec,
) -> Result<subgroups::SlicePlan, FairnessError> {
    let schema = all_rows.clone().collect_schema()?;
    let others: Vec<String> = other_columns(&schema, spec)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    subgroups::plan(
        all_rows,
        &spec.sensitive_features,
        &others,
        spec.options.subgroups,
    )
}

/// Counts the plan's slices in a part's rows (which hold the decisions
/// column, e.g. a model's scores); the counts go with the part
/// ([`FairnessPartial::with_slices`]) and are merged with the others.
pub fn count_slices(
    rows: LazyFrame,
    spec: &FairnessSpec,
    plan: subgroups::SlicePlan,
) -> Result<subgroups::SliceCounts, FairnessError> {
    let mut rows = rows;
    let (y, p) = prepare::decision_indicators(&mut rows, spec)?;
    subgroups::count(&rows, plan, y, p)
}

/// Counts a part of the rows that starts at dataset row `offset` (0 for all
/// rows): validation errors name dataset rows.
pub fn partial(
    source: LazyFrame,
    spec: &FairnessSpec,
    offset: u64,
) -> Result<FairnessPartial, FairnessError> {
    let Prepared {
        frame,
        rows,
        values,
    } = prepare::prepare_part(source, spec, offset)?;
    let intersections = intersection_counts(&frame, spec)?;
    let scores = match spec.prediction {
        PredictionSource::Score { .. } => Some(scores::score_counts(
            &frame,
            spec.sensitive_features.len(),
            intersections.len(),
            spec.options.sweep_points,
        )?),
        PredictionSource::Column(_) => None,
    };
    Ok(FairnessPartial {
        rows,
        values,
        intersections: intersections.into_iter().collect(),
        scores,
        slices: None,
    })
}

/// Runs the whole fairness check over `source`.
pub fn audit(source: LazyFrame, spec: &FairnessSpec) -> Result<FairnessReport, FairnessError> {
    let counted = partial(source.clone(), spec, 0)?;
    finish(counted, spec, &source)
}

/// The report from the merged partial of every row; `source` (all rows) is
/// read again only by the proxy check, when it is on.
pub fn finish(
    partial: FairnessPartial,
    spec: &FairnessSpec,
    source: &LazyFrame,
) -> Result<FairnessReport, FairnessError> {
    let FairnessPartial {
        rows,
        values,
        intersections,
        scores: score_counts,
        slices,
    } = partial;
    if rows == 0 {
        return Err(FairnessError::EmptyDataset);
    }
    let negative_label = values.negative_label(spec)?;
    let intersections: BTreeMap<Vec<String>, Confusion> = intersections.into_iter().collect();
    check_group_count(&intersections, spec)?;
    let options = &spec.options;
    let weighted = spec.sample_weight.is_some();
    let n = spec.sensitive_features.len();

    let mut grouping_features: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    if n > 1 {
        grouping_features.push((0..n).collect());
    }
    let overall_counts = roll_up(&intersections, &[])
        .remove(&Vec::new())
        .unwrap_or_default();
    let mut overall = group_report(Vec::new(), &overall_counts, weighted, 0);
    overall.small = false;
    let score_counts = score_counts.map(|counts| counts.finished(intersections.len()));
    if let Some(counts) = &score_counts {
        overall.roc_auc = counts.roc_auc_by_group(&[]).remove(&Vec::new());
        overall.calibration = counts.calibration_by_group(&[]).remove(&Vec::new());
    }

    // LL144's scoring rates count applicants, so they need unweighted score counts
    let median = match &score_counts {
        Some(scores) if options.profiles.contains(&Profile::NycLl144) && !weighted => {
            median_of_rows(scores)
        }
        _ => None,
    };
    let mut groupings = Vec::new();
    for (index, features) in grouping_features.iter().enumerate() {
        let counts = roll_up(&intersections, features);
        let mut groups: Vec<GroupReport> = counts
            .iter()
            .map(|(key, c)| group_report(key.clone(), c, weighted, options.min_group_size))
            .collect();
        if let Some(counts) = &score_counts {
            let mut aucs = counts.roc_auc_by_group(features);
            let mut calibrations = counts.calibration_by_group(features);
            for group in &mut groups {
                group.roc_auc = aucs.remove(&group.group);
                group.calibration = calibrations.remove(&group.group);
            }
        }
        let all_rates: Vec<&Rates> = groups
            .iter()
            .filter(|g| g.dropped.is_none())
            .map(|g| &g.rates)
            .collect();
        let mut aggregates = aggregate::aggregates(&all_rates, &overall.rates);
        let confusions: Vec<Confusion> = counts
            .values()
            .filter(|c| c.weight_sum() > 0.0)
            .copied()
            .collect();
        let stream = index as u64 * 2;
        let intervals = bootstrap::intervals(&confusions, &options.bootstrap, stream);
        attach_intervals(&mut aggregates, &intervals.headline);
        if options.bootstrap.resamples > 0 {
            let kept = groups.iter_mut().filter(|g| g.dropped.is_none());
            for (group, rate_intervals) in kept.zip(intervals.groups) {
                group.rate_intervals = Some(rate_intervals);
            }
        }

        let eligible: Vec<Confusion> = confusions
            .iter()
            .filter(|c| {
                options.include_small_groups_in_verdicts || c.row_count() >= options.min_group_size
            })
            .copied()
            .collect();
        let excluded: Vec<Vec<String>> = groups
            .iter()
            .filter(|g| g.small && !options.include_small_groups_in_verdicts)
            .map(|g| g.group.clone())
            .collect();
        let verdicts = policy::verdicts(&eligible, &excluded, options, &spec.policy, stream + 1);

        let reference = reference_report(spec, features, &groups)?;
        let disparities = disparity_table(&counts, &reference, options.disparities);
        let feature_names: Vec<String> = features
            .iter()
            .map(|&i| spec.sensitive_features[i].clone())
            .collect();
        let categories: Vec<Category<'_>> = counts
            .iter()
            .map(|(values, c)| Category {
                values,
                applicants: c.row_count(),
                selected: c.rows[TP] + c.rows[FP],
            })
            .collect();
        let threshold_sweep = score_counts
            .as_ref()
            .map(|counts| counts.threshold_sweep(features));
        let scoring_rate_impact_ratios = match (&score_counts, median) {
            (Some(scores), Some(median)) => {
                let above = rows_above(scores, features, median);
                let scored: Vec<Category<'_>> = categories
                    .iter()
                    .map(|c| Category {
                        values: c.values,
                        applicants: c.applicants,
                        selected: above.get(c.values).copied().unwrap_or(0),
                    })
                    .collect();
                Some(regulation::ll144_scoring_rates(
                    &feature_names,
                    &scored,
                    &options.unknown_categories,
                    median,
                    !scores.is_exact(),
                ))
            }
            _ => None,
        };
        groupings.push(GroupingReport {
            features: feature_names.clone(),
            kind: if features.len() == 1 && n > 1 || n == 1 {
                GroupingKind::Feature
            } else {
                GroupingKind::Intersection
            },
            groups,
            aggregates,
            reference,
            verdicts,
            threshold_sweep,
            disparities: Some(disparities),
            between_groups_inequality: inequality::between_groups(counts.values()),
            impact_ratios: options.profiles.contains(&Profile::NycLl144).then(|| {
                regulation::ll144(&feature_names, &categories, &options.unknown_categories)
            }),
            four_fifths: options.profiles.contains(&Profile::FourFifths).then(|| {
                regulation::four_fifths(&feature_names, &categories, &options.unknown_categories)
            }),
            scoring_rate_impact_ratios,
        });
    }

    let mut tables: Vec<&mut DisparityTable> = groupings
        .iter_mut()
        .filter_map(|g| g.disparities.as_mut())
        .collect();
    disparity::adjust_across(&mut tables, options.disparities.significance);

    let mut source_frame = source.clone();
    let schema = source_frame.collect_schema()?;
    let candidates = other_columns(&schema, spec);
    let decisions = decisions_column(spec);
    let subgroups = if !options.subgroups.enabled {
        None
    } else if let Some(counted) = slices {
        // counted by the parts, which read a model's decisions
        Some(subgroups::report(
            counted,
            options.subgroups,
            options.disparities.significance,
        ))
    } else if schema.get(decisions).is_none() {
        Some(subgroups::SubgroupReport::not_run(
            options.subgroups,
            decisions,
            "the decisions come from a model run during the audit, and the parts of this audit did not count its slices",
        ))
    } else {
        let (y, p) = prepare::decision_indicators(&mut source_frame, spec)?;
        let others: Vec<String> = candidates.iter().map(|(name, _)| name.clone()).collect();
        Some(subgroups::search(
            &source_frame,
            y,
            p,
            &spec.sensitive_features,
            &others,
            options.subgroups,
            options.disparities.significance,
        )?)
    };
    let proxies = if options.proxies {
        let source = source_frame.clone();
        Some(proxy::proxy_check(
            &source,
            &candidates,
            &spec.sensitive_features,
            options.proxy_threshold,
        )?)
    } else {
        None
    };

    let verdict = policy::worst(
        groupings
            .iter()
            .flat_map(|g| g.verdicts.iter().map(|v| v.outcome)),
    );
    let remedies = score_counts
        .as_ref()
        .and_then(|counts| remedies::remedy_report(counts, &intersections, spec, &groupings));
    Ok(FairnessReport {
        rows,
        positive_label: spec.positive_label.to_string(),
        negative_label,
        overall,
        groupings,
        proxies,
        inequality: inequality::individual(&overall_counts),
        subgroups,
        verdict,
        remedies,
        policy: spec.policy.clone(),
        options: options.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `rows` rows: two sensitive features, a binary label, a
    /// score and a prediction, and weights that add up exactly in binary.
    fn frame(rows: usize, distinct_scores: u64) -> LazyFrame {
        let score: Vec<f64> = (0..rows as u64)
            .map(|i| (i * 2_654_435_761 % distinct_scores) as f64 / distinct_scores as f64)
            .collect();
        df!(
            "sex" => (0..rows).map(|i| ["f", "m"][i % 2]).collect::<Vec<_>>(),
            "region" => (0..rows).map(|i| ["n", "s", "e"][i / 7 % 3]).collect::<Vec<_>>(),
            "label" => (0..rows).map(|i| (i * 31 % 7 < 3) as i64).collect::<Vec<_>>(),
            "pred" => (0..rows).map(|i| (i * 17 % 5 < 2) as i64).collect::<Vec<_>>(),
            "weight" => (0..rows).map(|i| [0.5, 1.0, 2.25][i % 3]).collect::<Vec<_>>(),
            "score" => score,
        )
        .unwrap()
        .lazy()
    }

    fn spec(prediction: PredictionSource) -> FairnessSpec {
        let mut options = FairnessOptions::default();
        options.bootstrap.resamples = 200;
        FairnessSpec {
            label: "label".into(),
            prediction,
            positive_label: LabelValue::Int(1),
            sensitive_features: vec!["sex".into(), "region".into()],
            sample_weight: Some("weight".into()),
            reference_groups: BTreeMap::new(),
            options,
            policy: Policy::default(),
        }
    }

    /// The report of `source` split at `cuts`, each part counted alone and merged.
    fn in_parts(source: &LazyFrame, spec: &FairnessSpec, cuts: &[u64]) -> FairnessReport {
        let rows = query::row_count(source).unwrap();
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(rows);
        let mut merged: Option<FairnessPartial> = None;
        // Merged out of order: the merge may not depend on it.
        for window in bounds.windows(2).rev() {
            let part = source
                .clone()
                .slice(window[0] as i64, (window[1] - window[0]) as IdxSize);
            let counted = partial(part, spec, window[0]).unwrap();
            let counted: FairnessPartial =
                serde_json::from_str(&serde_json::to_string(&counted).unwrap()).unwrap();
            match &mut merged {
                None => merged = Some(counted),
                Some(total) => total.merge(counted),
            }
        }
        finish(merged.unwrap(), spec, source).unwrap()
    }

    /// The first path at which two JSON documents differ, with both values.
    fn difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
        use serde_json::Value;
        match (a, b) {
            (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
                x.iter().find_map(|(k, v)| match y.get(k) {
                    Some(w) => difference(v, w, format!("{path}/{k}")),
                    None => Some(format!("{path}/{k} missing")),
                })
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| difference(v, w, format!("{path}/{i}"))),
            _ if a == b => None,
            _ => Some(format!("{path}: {a} vs {b}")),
        }
    }

    #[test]
    fn parts_merge_into_the_report_of_one_pass() {
        let scored = spec(PredictionSource::Score {
            column: "score".into(),
            threshold: 0.5,
        });
        let predicted = spec(PredictionSource::Column("pred".into()));
        // Exact AUC (few distinct scores), then binned (more than 10^6 distinct pairs).
        for (rows, distinct, cuts) in [
            (30_000, 997, vec![1, 12_345, 29_999]),
            (1_100_000, 1_000_003, vec![400_000, 700_001]),
        ] {
            let source = frame(rows, distinct);
            for spec in [&scored, &predicted] {
                let whole = audit(source.clone(), spec).unwrap();
                let merged = in_parts(&source, spec, &cuts);
                let (whole, merged) = (
                    serde_json::to_value(&whole).unwrap(),
                    serde_json::to_value(&merged).unwrap(),
                );
                assert_eq!(
                    difference(&merged, &whole, String::new()),
                    None,
                    "{rows} rows"
                );
            }
        }
    }

    #[test]
    fn a_part_names_dataset_rows_and_the_merge_finds_a_third_label() {
        let spec = spec(PredictionSource::Column("pred".into()));
        let rows = 100usize;
        let labels: Vec<i64> = (0..rows)
            .map(|i| if i == 80 { 7 } else { (i % 2) as i64 })
            .collect();
        let source = df!(
            "sex" => vec!["f"; rows], "region" => vec!["n"; rows], "label" => labels,
            "pred" => vec![1i64; rows], "weight" => vec![1.0; rows],
        )
        .unwrap()
        .lazy();
        let error = partial(source.clone().slice(60, 40), &spec, 60).unwrap_err();
        assert!(
            matches!(error, FairnessError::LabelNotBinary { row: 81, .. }),
            "{error}"
        );

        // Each part alone is binary (0 and 1; then 1 and 7): only the merge sees three values.
        let relabelled: Vec<i64> = (0..rows)
            .map(|i| {
                if i < 50 {
                    (i % 2) as i64
                } else {
                    [1, 7][i % 2]
                }
            })
            .collect();
        let source = source.with_column(Series::new("label".into(), relabelled).lit());
        let mut total = partial(source.clone().slice(0, 50), &spec, 0).unwrap();
        total.merge(partial(source.clone().slice(50, 50), &spec, 50).unwrap());
        let error = finish(total, &spec, &source).unwrap_err();
        assert!(
            matches!(error, FairnessError::LabelNotBinary { row: 52, .. }),
            "{error}"
        );
        let whole = audit(source, &spec).unwrap_err();
        assert_eq!(whole.to_string(), error.to_string());
    }
}
