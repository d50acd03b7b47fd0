//! Counterfactual tests: the same case decided twice, once as it is and once
//! with one thing changed (a model input set to another observed value, or
//! another variant of the same prompt), counted per (feature, from, to) as
//! paired decisions. Each comparison gets the share of decisions that flip
//! with a Wilson interval, the exact McNemar test of the paired decisions
//! (adjusted across the report), and the mean and largest score change.
//! Pure apart from reading the paired dataset with polars.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::Outcome;
use crate::prepare::label_expr;
use crate::query::{CollectStreaming, row_count};
use crate::significance::{Adjustment, adjust};
use crate::spec::{FairnessError, LabelValue};

/// Score changes are summed as integers of this many units per 1.0, so that
/// sums do not depend on the order rows are added in (shards, threads): a
/// mean score change is exact to 2^-32.
pub const SCORE_CHANGE_SCALE: f64 = 4_294_967_296.0;

/// Options of the counterfactual check (`checks.counterfactual`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CounterfactualOptions {
    /// Columns besides the sensitive features that stand in for them (e.g. a
    /// postcode): each one that is a model input is tested too.
    pub proxy_columns: Vec<String>,
    /// Rows re-run through the model at most (an evenly spaced sample of the
    /// dataset's rows beyond it); for a paired dataset, the most rows it may have.
    #[schema(minimum = 1, maximum = 10_000_000)]
    pub max_rows: u64,
    /// Most distinct values a tested column (or the variant column) may have:
    /// every row is re-run once per other value.
    #[schema(minimum = 2, maximum = 100)]
    pub max_values: usize,
    /// Largest acceptable share of decisions that flip: a comparison passes when
    /// its interval's upper end is at or below it, fails when its lower end is above.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub max_flip_share: f64,
    /// Confidence of the flip-share intervals; 1 − confidence is the level the
    /// adjusted McNemar p-values are judged at.
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub confidence: f64,
    /// Adjustment of the McNemar p-values across every comparison of the report.
    pub adjustment: Adjustment,
    /// Audit the outputs of any system from a paired dataset instead of re-running a model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<PairedOutcomes>,
}

impl Default for CounterfactualOptions {
    fn default() -> Self {
        Self {
            proxy_columns: Vec::new(),
            max_rows: 100_000,
            max_values: 20,
            max_flip_share: 0.01,
            confidence: 0.95,
            adjustment: Adjustment::Holm,
            pairs: None,
        }
    }
}

impl CounterfactualOptions {
    /// Checks the bounds; the error names the option.
    pub fn validate(&self) -> Result<(), FairnessError> {
        let invalid = |field: &str, detail: &str| {
            Err(FairnessError::InvalidOption {
                field: format!("checks.counterfactual.{field}"),
                detail: detail.to_string(),
            })
        };
        if !(1..=10_000_000).contains(&self.max_rows) {
            return invalid("max_rows", "must be between 1 and 10,000,000");
        }
        if !(2..=100).contains(&self.max_values) {
            return invalid("max_values", "must be between 2 and 100");
        }
        if !(0.0..=1.0).contains(&self.max_flip_share) {
            return invalid("max_flip_share", "must be between 0 and 1");
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return invalid("confidence", "must be strictly between 0 and 1");
        }
        if let Some(pairs) = &self.pairs {
            let columns = [
                &pairs.pair_column,
                &pairs.variant_column,
                &pairs.outcome_column,
            ];
            if columns.iter().any(|c| c.is_empty()) {
                return invalid(
                    "pairs",
                    "pair_column, variant_column and outcome_column are required",
                );
            }
        }
        Ok(())
    }
}

/// A paired dataset: rows of the same case (`pair_column`) in several
/// variants (`variant_column`, e.g. the name in a prompt), each with the
/// system's outcome. Every variant is compared with the reference variant of
/// the same pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairedOutcomes {
    /// Column naming the case a row belongs to.
    pub pair_column: String,
    /// Column naming the row's variant of the case.
    pub variant_column: String,
    /// Column of the system's outcome.
    pub outcome_column: String,
    /// The favourable outcome (int, bool or string); any other value is unfavourable.
    pub positive_outcome: LabelValue,
    /// Column of scores in [0, 1], for the score changes (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_column: Option<String>,
    /// The variant others are compared with (default: the most frequent one;
    /// ties go to the first in text order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_variant: Option<String>,
}

/// Paired decisions of one comparison, as counted (they add up across parts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PairCounts {
    /// Cases decided twice.
    pub pairs: u64,
    /// Favourable as they are, unfavourable once changed.
    pub to_negative: u64,
    /// Unfavourable as they are, favourable once changed.
    pub to_positive: u64,
    /// Favourable both times.
    pub both_positive: u64,
    /// Σ (changed score − original score), in units of 1 / [`SCORE_CHANGE_SCALE`].
    pub score_change_units: i64,
    /// The score change of largest magnitude (positive on a tie).
    pub largest_score_change: f64,
    /// Whether the decisions came with scores.
    pub scored: bool,
}

impl PairCounts {
    /// Counts one paired decision; `score_change` is changed − original score.
    pub fn add(&mut self, original: bool, changed: bool, score_change: Option<f64>) {
        self.pairs += 1;
        match (original, changed) {
            (true, false) => self.to_negative += 1,
            (false, true) => self.to_positive += 1,
            (true, true) => self.both_positive += 1,
            (false, false) => {}
        }
        if let Some(change) = score_change {
            self.scored = true;
            self.score_change_units += (change * SCORE_CHANGE_SCALE).round() as i64;
            self.largest_score_change = larger_change(self.largest_score_change, change);
        }
    }

    /// Adds counts of other rows of the same comparison.
    pub fn merge(&mut self, other: &Self) {
        self.pairs += other.pairs;
        self.to_negative += other.to_negative;
        self.to_positive += other.to_positive;
        self.both_positive += other.both_positive;
        self.score_change_units += other.score_change_units;
        self.largest_score_change =
            larger_change(self.largest_score_change, other.largest_score_change);
        self.scored |= other.scored;
    }
}

/// The change of larger magnitude (the positive one on a tie).
fn larger_change(a: f64, b: f64) -> f64 {
    match a.abs().total_cmp(&b.abs()) {
        std::cmp::Ordering::Less => b,
        std::cmp::Ordering::Greater => a,
        std::cmp::Ordering::Equal => a.max(b),
    }
}

/// One comparison's key and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairCell {
    /// The column changed (a model input, or the variant column).
    pub feature: String,
    /// Its value as the rows are (the group), or the reference variant.
    pub from: String,
    /// The value it was changed to, or the other variant.
    pub to: String,
    /// The paired decisions.
    pub counts: PairCounts,
}

/// A column that was not tested, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct SkippedColumn {
    /// The column.
    pub column: String,
    /// Why it was not tested.
    pub reason: String,
}

/// Paired decisions counted so far, mergeable across parts of the rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CounterfactualTally {
    /// Rows decided as they are (the sample, or the paired rows compared).
    pub rows: u64,
    /// One cell per comparison, sorted by (feature, from, to).
    pub cells: Vec<PairCell>,
    /// Columns not tested.
    pub skipped: Vec<SkippedColumn>,
}

impl CounterfactualTally {
    /// A tally of the given cells (merged by key, then sorted).
    pub fn from_cells(
        rows: u64,
        cells: impl IntoIterator<Item = PairCell>,
        skipped: Vec<SkippedColumn>,
    ) -> Self {
        let mut tally = Self {
            rows,
            cells: Vec::new(),
            skipped,
        };
        tally.add_cells(cells);
        tally
    }

    fn add_cells(&mut self, cells: impl IntoIterator<Item = PairCell>) {
        let mut by_key: BTreeMap<(String, String, String), PairCounts> = self
            .cells
            .drain(..)
            .map(|c| ((c.feature, c.from, c.to), c.counts))
            .collect();
        for cell in cells {
            by_key
                .entry((cell.feature, cell.from, cell.to))
                .or_default()
                .merge(&cell.counts);
        }
        self.cells = by_key
            .into_iter()
            .map(|((feature, from, to), counts)| PairCell {
                feature,
                from,
                to,
                counts,
            })
            .collect();
    }

    /// Adds the tally of other rows.
    pub fn merge(&mut self, other: Self) {
        self.rows += other.rows;
        self.add_cells(other.cells);
        self.skipped.extend(other.skipped);
        self.skipped.sort();
        self.skipped.dedup();
    }
}

/// How the changed decisions were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CounterfactualMethod {
    /// The audited model re-run on the rows with one input changed.
    Model,
    /// A paired dataset of a system's outcomes.
    Pairs,
}

/// One comparison: rows with `feature` = `from`, decided again with it set to `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CounterfactualComparison {
    /// Value as the rows are (their group), or the reference variant.
    pub from: String,
    /// Value they were changed to, or the other variant.
    pub to: String,
    /// Cases decided twice.
    pub pairs: u64,
    /// Decisions that changed.
    pub flips: u64,
    /// flips / pairs.
    pub flip_share: f64,
    /// Wilson score interval of the flip share at the options' confidence.
    pub flip_share_interval: [f64; 2],
    /// Unfavourable decisions that became favourable.
    pub to_positive: u64,
    /// Favourable decisions that became unfavourable.
    pub to_negative: u64,
    /// Share favourable after the change − before: (to_positive − to_negative) / pairs.
    pub positive_rate_change: f64,
    /// Exact (binomial) McNemar test of the paired decisions, two-sided.
    pub mcnemar_p_value: f64,
    /// The p-value adjusted across every comparison of the report.
    pub adjusted_p_value: f64,
    /// Whether the adjusted p-value is below 1 − confidence: the change moves
    /// decisions one way more than the other.
    pub significant: bool,
    /// Mean score change (changed − original), when scores exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_score_change: Option<f64>,
    /// The score change of largest magnitude, when scores exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_score_change: Option<f64>,
    /// Pass when the interval lies at or below `max_flip_share`, fail when above it, inconclusive otherwise.
    pub outcome: Outcome,
}

/// The comparisons of one changed column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CounterfactualFeature {
    /// The column changed (a model input, or the variant column).
    pub feature: String,
    /// Cases decided twice, over all its comparisons.
    pub pairs: u64,
    /// Share of all its paired decisions that flipped.
    pub flip_share: f64,
    /// The score change of largest magnitude over its comparisons, when scores exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_score_change: Option<f64>,
    /// One per (from, to) with rows.
    pub comparisons: Vec<CounterfactualComparison>,
    /// Worst outcome of its comparisons.
    pub verdict: Outcome,
}

/// The counterfactual section of an audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CounterfactualReport {
    /// A model re-run, or a paired dataset.
    pub method: CounterfactualMethod,
    /// Rows decided as they are: the sampled rows, or the paired rows compared with their reference.
    pub rows: u64,
    /// Columns tested.
    pub features: Vec<CounterfactualFeature>,
    /// Columns not tested, and why.
    pub skipped: Vec<SkippedColumn>,
    /// Paired rows whose case has no reference variant (paired datasets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpaired_rows: Option<u64>,
    /// Worst outcome over the features (inconclusive when nothing was tested).
    pub verdict: Outcome,
    /// The options applied.
    pub options: CounterfactualOptions,
}

/// The report from the tally of every row.
pub fn report(
    tally: CounterfactualTally,
    method: CounterfactualMethod,
    unpaired_rows: Option<u64>,
    options: &CounterfactualOptions,
) -> CounterfactualReport {
    let p_values: Vec<f64> = tally
        .cells
        .iter()
        .map(|c| mcnemar_exact(c.counts.to_negative, c.counts.to_positive))
        .collect();
    let adjusted = adjust(&p_values, options.adjustment);
    let level = 1.0 - options.confidence;
    let mut features: Vec<CounterfactualFeature> = Vec::new();
    for ((cell, p), adjusted) in tally.cells.iter().zip(&p_values).zip(adjusted) {
        let c = &cell.counts;
        if c.pairs == 0 {
            continue;
        }
        let flips = c.to_negative + c.to_positive;
        let n = c.pairs as f64;
        let interval = wilson_interval(flips, c.pairs, options.confidence);
        let outcome = if interval[0] > options.max_flip_share {
            Outcome::Fail
        } else if interval[1] <= options.max_flip_share {
            Outcome::Pass
        } else {
            Outcome::Inconclusive
        };
        let comparison = CounterfactualComparison {
            from: cell.from.clone(),
            to: cell.to.clone(),
            pairs: c.pairs,
            flips,
            flip_share: flips as f64 / n,
            flip_share_interval: interval,
            to_positive: c.to_positive,
            to_negative: c.to_negative,
            positive_rate_change: (c.to_positive as f64 - c.to_negative as f64) / n,
            mcnemar_p_value: *p,
            adjusted_p_value: adjusted,
            significant: adjusted < level,
            mean_score_change: c
                .scored
                .then(|| c.score_change_units as f64 / SCORE_CHANGE_SCALE / n),
            largest_score_change: c.scored.then_some(c.largest_score_change),
            outcome,
        };
        match features.last_mut() {
            Some(feature) if feature.feature == cell.feature => {
                feature.comparisons.push(comparison)
            }
            _ => features.push(CounterfactualFeature {
                feature: cell.feature.clone(),
                pairs: 0,
                flip_share: 0.0,
                largest_score_change: None,
                comparisons: vec![comparison],
                verdict: Outcome::Pass,
            }),
        }
    }
    for feature in &mut features {
        let comparisons = &feature.comparisons;
        feature.pairs = comparisons.iter().map(|c| c.pairs).sum();
        let flips: u64 = comparisons.iter().map(|c| c.flips).sum();
        feature.flip_share = flips as f64 / feature.pairs as f64;
        feature.largest_score_change = comparisons
            .iter()
            .filter_map(|c| c.largest_score_change)
            .reduce(larger_change);
        feature.verdict = comparisons
            .iter()
            .map(|c| c.outcome)
            .max()
            .unwrap_or(Outcome::Inconclusive);
    }
    let verdict = features
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Outcome::Inconclusive);
    CounterfactualReport {
        method,
        rows: tally.rows,
        features,
        skipped: tally.skipped,
        unpaired_rows,
        verdict,
        options: options.clone(),
    }
}

/// Two-sided p-value of the exact McNemar test on `to_negative` (b) and
/// `to_positive` (c) discordant pairs: 2 · P(X ≤ min(b, c)) for X ~
/// Binomial(b + c, ½), capped at 1 (as statsmodels' `mcnemar(exact=True)`);
/// 1 without discordant pairs.
pub fn mcnemar_exact(to_negative: u64, to_positive: u64) -> f64 {
    let n = to_negative + to_positive;
    let m = to_negative.min(to_positive);
    // balanced (or one short of it when n is odd): P(X ≤ m) ≥ ½ by symmetry
    if n == 0 || 2 * m + 1 >= n {
        return 1.0;
    }
    // P(X = m), then down to 0 by the ratio of neighbours
    let mut term = binomial_half_pmf(m, n);
    let mut sum = term;
    let mut k = m;
    while k > 0 && term > sum * 1e-17 {
        term *= k as f64 / (n - k + 1) as f64;
        sum += term;
        k -= 1;
    }
    (2.0 * sum).min(1.0)
}

/// P(X = x) for X ~ Binomial(n, ½), by Loader's saddle-point expansion
/// (accurate to a few ulps where lgamma differences would lose digits).
fn binomial_half_pmf(x: u64, n: u64) -> f64 {
    let half_to_the_n = || (-(n as f64) * std::f64::consts::LN_2).exp();
    if x == 0 || x == n {
        return half_to_the_n();
    }
    let (xf, nf) = (x as f64, n as f64);
    let mean = nf / 2.0;
    let lc = stirling_error(n)
        - stirling_error(x)
        - stirling_error(n - x)
        - deviance_term(xf, mean)
        - deviance_term(nf - xf, mean);
    let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// ln(n!) − ln(√(2π n) (n/e)^n), the error of Stirling's formula.
fn stirling_error(n: u64) -> f64 {
    let nf = n as f64;
    if n <= 15 {
        // small arguments: lgamma is exact to about 1e-15 absolute here
        return libm::lgamma(nf + 1.0) - (nf + 0.5) * nf.ln() + nf
            - 0.5 * (2.0 * std::f64::consts::PI).ln();
    }
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let nn = nf * nf;
    if n > 500 {
        (S0 - S1 / nn) / nf
    } else if n > 80 {
        (S0 - (S1 - S2 / nn) / nn) / nf
    } else if n > 35 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / nf
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / nf
    }
}

/// x ln(x / mean) + mean − x, computed without cancellation near x = mean.
fn deviance_term(x: f64, mean: f64) -> f64 {
    if (x - mean).abs() < 0.1 * (x + mean) {
        let mut v = (x - mean) / (x + mean);
        let mut sum = (x - mean) * v;
        let mut term = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            term *= v;
            let next = sum + term / f64::from(2 * j + 1);
            if next == sum {
                return next;
            }
            sum = next;
        }
        return sum;
    }
    x * (x / mean).ln() + mean - x
}

/// Wilson score interval of `successes` of `trials` at `confidence`, as
/// scipy's `binomtest(...).proportion_ci(method="wilson")` computes it.
pub fn wilson_interval(successes: u64, trials: u64, confidence: f64) -> [f64; 2] {
    if trials == 0 {
        return [0.0, 1.0];
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z = normal_quantile(0.5 + confidence / 2.0);
    let t = 1.0 + z * z / n;
    let r = (p + z * z / (2.0 * n)) / t;
    let d = z * (p * (1.0 - p) / n + (z / (2.0 * n)).powi(2)).sqrt() / t;
    [(r - d).max(0.0), (r + d).min(1.0)]
}

/// The standard normal quantile (scipy's `ndtri`): Acklam's rational
/// approximation, refined by one Halley step on erfc.
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    };
    // one Halley step: e = Φ(x) − p
    let e = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

const PAIR: &str = "__probity_pair";
const VARIANT: &str = "__probity_variant";
const POSITIVE: &str = "__probity_positive";
const SCORE: &str = "__probity_score";
const ROW: &str = "__probity_row";
const REFERENCE_POSITIVE: &str = "__probity_reference_positive";
const REFERENCE_SCORE: &str = "__probity_reference_score";

/// Reads a paired dataset: every row whose case also has a row of the
/// reference variant is compared with it. Errors name the column and the
/// 1-based row (never a value): missing values, a score outside [0, 1], a
/// case holding the same variant twice, too many rows or variants.
/// Returns the tally and the number of rows whose case lacks the reference.
pub fn paired_tally(
    source: &LazyFrame,
    pairs: &PairedOutcomes,
    options: &CounterfactualOptions,
) -> Result<(CounterfactualTally, u64), FairnessError> {
    let mut source = source.clone();
    let schema = source.collect_schema()?;
    let mut columns = vec![
        &pairs.pair_column,
        &pairs.variant_column,
        &pairs.outcome_column,
    ];
    columns.extend(&pairs.score_column);
    for column in &columns {
        if schema.get(column.as_str()).is_none() {
            return Err(FairnessError::UnknownColumn {
                column: column.to_string(),
            });
        }
    }
    let rows = row_count(&source)?;
    if rows > options.max_rows {
        return Err(FairnessError::InvalidOption {
            field: "checks.counterfactual.max_rows".into(),
            detail: format!(
                "the paired dataset has {rows} rows, more than max_rows ({})",
                options.max_rows
            ),
        });
    }
    let indexed = source.clone().with_row_index(ROW, None);
    for column in &columns {
        if let Some(row) = first_row(&indexed, col(column.as_str()).is_null())? {
            return Err(FairnessError::MissingValue {
                column: column.to_string(),
                row,
            });
        }
    }
    if let Some(score) = &pairs.score_column {
        let dtype = schema.get(score.as_str()).expect("checked above");
        if !dtype.is_primitive_numeric() {
            return Err(FairnessError::UnsupportedType {
                column: score.clone(),
                dtype: dtype.to_string(),
                expected: "scores are numbers in [0, 1]".into(),
            });
        }
        let value = col(score.as_str()).cast(DataType::Float64);
        let outside = value
            .clone()
            .lt(lit(0.0))
            .or(value.clone().gt(lit(1.0)))
            .or(value.is_nan());
        if let Some(row) = first_row(&indexed, outside)? {
            return Err(FairnessError::ScoreOutOfRange {
                column: score.clone(),
                row,
            });
        }
    }
    let outcome_dtype = schema
        .get(pairs.outcome_column.as_str())
        .expect("checked above")
        .clone();
    let positive = label_expr(
        &pairs.outcome_column,
        &outcome_dtype,
        &pairs.positive_outcome,
    )?;
    let score = match &pairs.score_column {
        Some(column) => col(column.as_str()).cast(DataType::Float64),
        None => lit(NULL).cast(DataType::Float64),
    };
    let frame = indexed.select([
        col(ROW),
        col(pairs.pair_column.as_str())
            .cast(DataType::String)
            .alias(PAIR),
        col(pairs.variant_column.as_str())
            .cast(DataType::String)
            .alias(VARIANT),
        positive.alias(POSITIVE),
        score.alias(SCORE),
    ]);

    // the variants, bounded before any per-variant work
    let variants = frame
        .clone()
        .group_by([col(VARIANT)])
        .agg([len().alias("rows")])
        .sort(
            ["rows", VARIANT],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit((options.max_values + 1) as IdxSize)
        .collect_streaming()?;
    if variants.height() > options.max_values {
        return Err(FairnessError::InvalidOption {
            field: "checks.counterfactual.max_values".into(),
            detail: format!(
                "column `{}` has more than {} distinct variants",
                pairs.variant_column, options.max_values
            ),
        });
    }
    let names: Vec<String> = variants
        .column(VARIANT)?
        .str()?
        .iter()
        .map(|name| name.unwrap_or_default().to_string())
        .collect();
    let reference = match &pairs.reference_variant {
        Some(wanted) if names.contains(wanted) => wanted.clone(),
        Some(wanted) => {
            return Err(FairnessError::UnknownReferenceGroup {
                column: pairs.variant_column.clone(),
                value: wanted.clone(),
            });
        }
        None => names.first().cloned().ok_or(FairnessError::EmptyDataset)?,
    };

    // a case holds each variant once
    let repeated = frame
        .clone()
        .group_by([col(PAIR), col(VARIANT)])
        .agg([
            len().alias("rows"),
            col(ROW)
                .sort(SortOptions::default())
                .get(lit(1), true)
                .alias("second"),
        ])
        .filter(col("rows").gt(lit(1)))
        .select([col("second").min()])
        .collect_streaming()?;
    if let Some(row) = repeated
        .column("second")?
        .cast(&DataType::UInt64)?
        .u64()?
        .get(0)
    {
        return Err(FairnessError::RepeatedVariant {
            column: pairs.variant_column.clone(),
            row: row + 1,
        });
    }

    let is_reference = col(VARIANT).eq(lit(reference.clone()));
    let references = frame.clone().filter(is_reference.clone()).select([
        col(PAIR),
        col(POSITIVE).alias(REFERENCE_POSITIVE),
        col(SCORE).alias(REFERENCE_SCORE),
    ]);
    let others = frame.filter(is_reference.not());
    let change = col(SCORE) - col(REFERENCE_SCORE);
    let compared = others
        .clone()
        .join(
            references,
            [col(PAIR)],
            [col(PAIR)],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col(VARIANT)])
        .agg([
            len().cast(DataType::UInt64).alias("pairs"),
            (col(REFERENCE_POSITIVE).and(col(POSITIVE).not()))
                .sum()
                .cast(DataType::UInt64)
                .alias("to_negative"),
            (col(REFERENCE_POSITIVE).not().and(col(POSITIVE)))
                .sum()
                .cast(DataType::UInt64)
                .alias("to_positive"),
            (col(REFERENCE_POSITIVE).and(col(POSITIVE)))
                .sum()
                .cast(DataType::UInt64)
                .alias("both_positive"),
            rounded_units(change.clone() * lit(SCORE_CHANGE_SCALE))
                .sum()
                .alias("units"),
            change.clone().max().alias("largest_up"),
            change.min().alias("largest_down"),
        ])
        .sort([VARIANT], SortMultipleOptions::default())
        .collect_streaming()?;
    let other_rows = row_count(&others)?;
    let u64s = |name: &str| -> Result<Vec<u64>, PolarsError> {
        Ok(compared.column(name)?.u64()?.into_no_null_iter().collect())
    };
    let (pair_counts, to_negative, to_positive, both_positive) = (
        u64s("pairs")?,
        u64s("to_negative")?,
        u64s("to_positive")?,
        u64s("both_positive")?,
    );
    let units = compared.column("units")?.i64()?.clone();
    let up = compared.column("largest_up")?.f64()?.clone();
    let down = compared.column("largest_down")?.f64()?.clone();
    let variant_names = compared.column(VARIANT)?.str()?.clone();
    let scored = pairs.score_column.is_some();
    let cells: Vec<PairCell> = (0..compared.height())
        .map(|i| PairCell {
            feature: pairs.variant_column.clone(),
            from: reference.clone(),
            to: variant_names.get(i).unwrap_or_default().to_string(),
            counts: PairCounts {
                pairs: pair_counts[i],
                to_negative: to_negative[i],
                to_positive: to_positive[i],
                both_positive: both_positive[i],
                score_change_units: if scored { units.get(i).unwrap_or(0) } else { 0 },
                largest_score_change: if scored {
                    larger_change(up.get(i).unwrap_or(0.0), down.get(i).unwrap_or(0.0))
                } else {
                    0.0
                },
                scored,
            },
        })
        .collect();
    let compared_rows: u64 = pair_counts.iter().sum();
    let tally = CounterfactualTally::from_cells(compared_rows, cells, Vec::new());
    Ok((tally, other_rows - compared_rows))
}

/// Rounds to the nearest integer, halves away from zero (as `f64::round`).
fn rounded_units(value: Expr) -> Expr {
    when(value.clone().gt_eq(lit(0.0)))
        .then(value.clone() + lit(0.5))
        .otherwise(value - lit(0.5))
        .cast(DataType::Int64)
}

/// The 1-based row of the first row where `condition` holds.
fn first_row(indexed: &LazyFrame, condition: Expr) -> Result<Option<u64>, FairnessError> {
    let found = indexed
        .clone()
        .filter(condition)
        .select([col(ROW).min().cast(DataType::UInt64)])
        .collect_streaming()?;
    Ok(found.column(ROW)?.u64()?.get(0).map(|row| row + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcnemar_is_one_without_discordant_pairs_or_when_balanced() {
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        assert_eq!(mcnemar_exact(7, 7), 1.0);
        assert_eq!(mcnemar_exact(3, 4), 1.0);
        // 2 · P(X ≤ 0), X ~ Bin(10, ½) = 2 / 1024
        assert_eq!(mcnemar_exact(0, 10), 2.0 / 1024.0);
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
        assert!((normal_quantile(0.5)).abs() < 1e-16);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-13);
    }

    #[test]
    fn wilson_interval_of_no_flips_is_small_for_many_rows() {
        let [low, high] = wilson_interval(0, 10_000, 0.95);
        assert_eq!(low, 0.0);
        assert!(high < 0.0004, "{high}");
    }

    #[test]
    fn tallies_merge_in_any_order_to_the_same_counts() {
        let cell = |to: &str, original, changed, change| {
            let mut counts = PairCounts::default();
            counts.add(original, changed, Some(change));
            PairCell {
                feature: "sex".into(),
                from: "0".into(),
                to: to.into(),
                counts,
            }
        };
        let a = CounterfactualTally::from_cells(
            2,
            [cell("1", true, false, -0.3), cell("2", false, false, 0.1)],
            vec![],
        );
        let b = CounterfactualTally::from_cells(1, [cell("1", false, true, 0.3)], vec![]);
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, ba);
        assert_eq!(ab.cells[0].counts.pairs, 2);
        assert_eq!(ab.cells[0].counts.largest_score_change, 0.3);
    }
}
