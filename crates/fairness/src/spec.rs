//! What a fairness audit is asked to compute: columns, the positive label,
//! options and the policy, and the errors bad input produces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::disparity::{ParityBand, SignificanceSettings};
use crate::regulation::Profile;
use crate::remedies::RemedyOptions;
use crate::subgroups::SubgroupOptions;

/// A label value as users write it: `1`, `true` or `"approved"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum LabelValue {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl std::fmt::Display for LabelValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Text(s) => write!(f, "{s}"),
        }
    }
}

/// Where predictions come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PredictionSource {
    /// A column of predicted labels (same values as the label column).
    Column(String),
    /// A column of probabilities in [0, 1]; positive when `score >= threshold`.
    Score { column: String, threshold: f64 },
}

/// Bootstrap settings for confidence intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BootstrapOptions {
    /// Number of resamples (0 disables intervals; at most 100,000).
    #[schema(maximum = 100_000)]
    pub resamples: u32,
    /// Seed of the random generator; the same seed gives the same intervals.
    pub seed: u64,
    /// Two-sided confidence level, e.g. 0.95 for the 2.5 % and 97.5 % quantiles.
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub confidence: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        Self {
            resamples: 1000,
            seed: 0,
            confidence: 0.95,
        }
    }
}

/// Options of the fairness check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FairnessOptions {
    /// Groups with fewer rows are reported but flagged, and kept out of verdicts.
    pub min_group_size: u64,
    /// Keep small groups in verdicts anyway.
    pub include_small_groups_in_verdicts: bool,
    /// Confidence intervals.
    pub bootstrap: BootstrapOptions,
    /// Number of evenly spaced thresholds in [0, 1] for the threshold sweep (scores only; 2 to 1001).
    #[schema(minimum = 2, maximum = 1001)]
    pub sweep_points: u32,
    /// Run the proxy check (mutual information between other columns and each sensitive feature).
    pub proxies: bool,
    /// Share of a sensitive feature's entropy a column must explain to be flagged as a proxy.
    pub proxy_threshold: f64,
    /// Most groups the intersection of the sensitive features may have (1 to 1,000,000;
    /// default 10,000): an id column used as a sensitive feature is refused before any
    /// per-group work, not run through the bootstrap a million times over.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub max_groups: usize,
    /// The disparity table (Aequitas's rates, reference rules and parity band).
    pub disparities: DisparityOptions,
    /// Regulation-shaped tables to add to every grouping (`nyc_ll144`, `four_fifths`).
    pub profiles: Vec<Profile>,
    /// Group values that mean "unknown" (case-insensitive): counted, never
    /// compared, in the profiles' tables (default `unknown`).
    pub unknown_categories: Vec<String>,
    /// The search for slices nobody declared (off by default).
    pub subgroups: SubgroupOptions,
    /// Per-group thresholds that would satisfy the policy (scores only; on by default).
    pub remedies: RemedyOptions,
}

/// How a grouping's disparity table chooses its reference groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisparityRule {
    /// The largest group (by weight), for every metric (Aequitas's `get_disparity_major_group`).
    #[default]
    LargestGroup,
    /// Per metric, the group with its lowest value (Aequitas's `get_disparity_min_metric`).
    LowestValue,
    /// The request's `reference_groups` (every sensitive feature must name one;
    /// Aequitas's `get_disparity_predefined_groups`). An intersection whose
    /// named combination was not observed falls back to its largest group.
    ReferenceGroups,
}

/// Options of the disparity table.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DisparityOptions {
    /// How reference groups are chosen.
    pub reference: DisparityRule,
    /// The disparities at parity (default 0.8 to 1.25).
    pub band: ParityBand,
    /// How the gaps' p-values are adjusted and judged.
    pub significance: SignificanceSettings,
}

impl Default for FairnessOptions {
    fn default() -> Self {
        Self {
            min_group_size: 30,
            include_small_groups_in_verdicts: false,
            bootstrap: BootstrapOptions::default(),
            sweep_points: 21,
            proxies: true,
            proxy_threshold: 0.1,
            max_groups: 10_000,
            disparities: DisparityOptions::default(),
            profiles: Vec::new(),
            unknown_categories: vec!["unknown".to_string()],
            subgroups: SubgroupOptions::default(),
            remedies: RemedyOptions::default(),
        }
    }
}

/// Bounds the verdicts check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Largest acceptable demographic parity difference.
    pub demographic_parity_difference_max: f64,
    /// Smallest acceptable demographic parity ratio.
    pub demographic_parity_ratio_min: f64,
    /// Largest acceptable equalized odds difference.
    pub equalized_odds_difference_max: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            demographic_parity_difference_max: 0.1,
            demographic_parity_ratio_min: 0.8,
            equalized_odds_difference_max: 0.1,
        }
    }
}

/// Everything the engine needs besides the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessSpec {
    pub label: String,
    pub prediction: PredictionSource,
    pub positive_label: LabelValue,
    pub sensitive_features: Vec<String>,
    pub sample_weight: Option<String>,
    /// Privileged (reference) value per sensitive feature, for disparate impact.
    pub reference_groups: BTreeMap<String, String>,
    pub options: FairnessOptions,
    pub policy: Policy,
}

impl FairnessSpec {
    /// Checks the spec itself (not the data).
    pub fn validate(&self) -> Result<(), FairnessError> {
        let invalid = |field: &str, detail: &str| {
            Err(FairnessError::InvalidOption {
                field: field.into(),
                detail: detail.into(),
            })
        };
        if self.sensitive_features.is_empty() {
            return invalid("sensitive_features", "name at least one sensitive feature");
        }
        let mut seen = std::collections::HashSet::new();
        for feature in &self.sensitive_features {
            if !seen.insert(feature) {
                return invalid(
                    "sensitive_features",
                    &format!("`{feature}` is listed twice"),
                );
            }
            if *feature == self.label {
                return invalid(
                    "sensitive_features",
                    "the label cannot be a sensitive feature",
                );
            }
        }
        for feature in self.reference_groups.keys() {
            if !self.sensitive_features.contains(feature) {
                return invalid(
                    "reference_groups",
                    &format!("`{feature}` is not a sensitive feature"),
                );
            }
        }
        if let PredictionSource::Score { threshold, .. } = &self.prediction
            && !(0.0..=1.0).contains(threshold)
        {
            return invalid("threshold", "threshold must be within [0, 1]");
        }
        let bootstrap = &self.options.bootstrap;
        if !(bootstrap.confidence > 0.0 && bootstrap.confidence < 1.0) {
            return invalid(
                "checks.fairness.bootstrap.confidence",
                "confidence must be strictly between 0 and 1",
            );
        }
        if bootstrap.resamples > 100_000 {
            return invalid(
                "checks.fairness.bootstrap.resamples",
                "at most 100000 resamples",
            );
        }
        if !(1..=1_000_000).contains(&self.options.max_groups) {
            return invalid("checks.fairness.max_groups", "between 1 and 1000000 groups");
        }
        if !self.options.disparities.band.is_valid() {
            return invalid(
                "checks.fairness.disparities.band",
                "the band needs 0 < low <= 1 <= high, both finite",
            );
        }
        let subgroups = &self.options.subgroups;
        if !(1..=3).contains(&subgroups.max_depth) {
            return invalid(
                "checks.fairness.subgroups.max_depth",
                "between 1 and 3 columns",
            );
        }
        if !(2..=100).contains(&subgroups.max_cardinality) {
            return invalid(
                "checks.fairness.subgroups.max_cardinality",
                "between 2 and 100 distinct values",
            );
        }
        if !(1..=100).contains(&subgroups.top) || subgroups.min_support == 0 {
            return invalid(
                "checks.fairness.subgroups",
                "top is between 1 and 100 and min_support at least 1",
            );
        }
        let level = self.options.disparities.significance.level;
        if !(level > 0.0 && level < 1.0) {
            return invalid(
                "checks.fairness.disparities.significance.level",
                "the level must be strictly between 0 and 1",
            );
        }
        if self.options.disparities.reference == DisparityRule::ReferenceGroups
            && let Some(feature) = self
                .sensitive_features
                .iter()
                .find(|feature| !self.reference_groups.contains_key(*feature))
        {
            return invalid(
                "checks.fairness.disparities.reference",
                &format!("`reference_groups` names no group of `{feature}`"),
            );
        }
        if !(2..=1001).contains(&self.options.sweep_points) {
            return invalid(
                "checks.fairness.sweep_points",
                "between 2 and 1001 thresholds",
            );
        }
        Ok(())
    }
}

/// Why the data cannot be audited. Rows are 1-based data rows (a CSV's line is row + 1).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FairnessError {
    #[error("column `{column}` does not exist in the dataset")]
    UnknownColumn { column: String },
    #[error("the dataset has no rows")]
    EmptyDataset,
    #[error("column `{column}`, row {row}: missing value")]
    MissingValue { column: String, row: u64 },
    /// Cell values never appear in these messages: the column, the row and
    /// what kind of value was wrong say enough to find it.
    #[error(
        "column `{column}`, row {row}: a third label value; a label column holds the positive label and one other value"
    )]
    LabelNotBinary { column: String, row: u64 },
    #[error(
        "column `{column}`, row {row}: a third prediction value; predictions are binary (the positive label and one other value)"
    )]
    PredictionNotBinary { column: String, row: u64 },
    #[error("column `{column}`, row {row}: a score outside [0, 1]")]
    ScoreOutOfRange { column: String, row: u64 },
    #[error(
        "column `{column}`, row {row}: a sample weight that is negative, not a number or infinite"
    )]
    InvalidWeight { column: String, row: u64 },
    #[error("column `{column}` has type {dtype}; {expected}")]
    UnsupportedType {
        column: String,
        dtype: String,
        expected: String,
    },
    #[error("`positive_label` {value} cannot be compared with column `{column}` of type {dtype}")]
    PositiveLabelType {
        column: String,
        value: String,
        dtype: String,
    },
    #[error("{field}: {detail}")]
    InvalidOption { field: String, detail: String },
    #[error(
        "the sensitive features have {groups} groups together (column `{column}` alone has {distinct} distinct values); the limit is {limit} (checks.fairness.max_groups)"
    )]
    TooManyGroups {
        column: String,
        distinct: usize,
        groups: usize,
        limit: usize,
    },
    #[error("reference group `{value}` does not occur in column `{column}`")]
    UnknownReferenceGroup { column: String, value: String },
    #[error(
        "column `{column}`, row {row}: a second row of the same case with the same variant; a case holds each variant once"
    )]
    RepeatedVariant { column: String, row: u64 },
    #[error("reading the data failed: {0}")]
    Data(String),
}

impl FairnessError {
    /// The dataset column the error is about, if any.
    pub fn column(&self) -> Option<&str> {
        match self {
            Self::UnknownColumn { column }
            | Self::MissingValue { column, .. }
            | Self::LabelNotBinary { column, .. }
            | Self::PredictionNotBinary { column, .. }
            | Self::ScoreOutOfRange { column, .. }
            | Self::InvalidWeight { column, .. }
            | Self::UnsupportedType { column, .. }
            | Self::PositiveLabelType { column, .. }
            | Self::UnknownReferenceGroup { column, .. }
            | Self::RepeatedVariant { column, .. } => Some(column),
            _ => None,
        }
    }

    /// The same error about a part of the rows that starts at dataset row
    /// `offset`: its row becomes the dataset row.
    pub fn shifted_by(mut self, offset: u64) -> Self {
        match &mut self {
            Self::MissingValue { row, .. }
            | Self::LabelNotBinary { row, .. }
            | Self::PredictionNotBinary { row, .. }
            | Self::ScoreOutOfRange { row, .. }
            | Self::InvalidWeight { row, .. }
            | Self::RepeatedVariant { row, .. } => *row += offset,
            _ => {}
        }
        self
    }

    /// The 1-based data row the error is about, if any.
    pub fn row(&self) -> Option<u64> {
        match self {
            Self::MissingValue { row, .. }
            | Self::LabelNotBinary { row, .. }
            | Self::PredictionNotBinary { row, .. }
            | Self::ScoreOutOfRange { row, .. }
            | Self::InvalidWeight { row, .. }
            | Self::RepeatedVariant { row, .. } => Some(*row),
            _ => None,
        }
    }
}

impl From<polars::prelude::PolarsError> for FairnessError {
    fn from(error: polars::prelude::PolarsError) -> Self {
        Self::Data(crate::polars_errors::describe(&error))
    }
}
