//! Turns the raw columns into what the engine counts — `y` (label is
//! positive), `p` (prediction is positive), `w` (weight), optional `score`
//! and the sensitive features as text — after validating them, with the
//! column and the first offending row on error. Everything stays lazy and
//! columnar (polars).

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::query::{CollectStreaming, row_count};

use super::spec::{FairnessError, FairnessSpec, LabelValue, PredictionSource};

/// Name of the label indicator column.
pub const Y: &str = "__probity_y";
/// Name of the prediction indicator column.
pub const P: &str = "__probity_p";
/// Name of the weight column.
pub const W: &str = "__probity_w";
/// Name of the score column (when scores are given).
pub const SCORE: &str = "__probity_score";
const ROW: &str = "__probity_row";
const TEXT: &str = "__probity_text";
const IS_POSITIVE: &str = "__probity_is_positive";

/// Name of the `i`-th sensitive feature column in the prepared frame.
pub fn group_column(i: usize) -> String {
    format!("__probity_g{i}")
}

/// The validated, encoded data of one part of the rows (or all of them).
pub struct Prepared {
    /// Columns `__probity_g0..`, `Y`, `P`, `W` and, with scores, `SCORE`.
    pub frame: LazyFrame,
    /// Number of rows.
    pub rows: u64,
    /// What the binary checks across parts need.
    pub values: ObservedValues,
}

/// A column's distinct values in order of first occurrence (at most 64),
/// each with whether it is positive and its 1-based dataset row.
pub type DistinctValues = Vec<(Option<String>, bool, u64)>;

/// The distinct label (and prediction) values a part of the rows holds.
/// Parts merge (`merge`); `negative_label` checks the merged values as one
/// pass over all rows would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedValues {
    labels: DistinctValues,
    /// For a prediction column: its values, and whether it has the label's dtype.
    predictions: Option<(DistinctValues, bool)>,
}

const MAX_DISTINCT: usize = 64;

fn merge_distinct(into: &mut DistinctValues, more: DistinctValues) {
    for (value, positive, row) in more {
        match into.iter_mut().find(|(v, _, _)| *v == value) {
            Some(existing) if existing.2 <= row => {}
            Some(existing) => *existing = (value, positive, row),
            None => into.push((value, positive, row)),
        }
    }
    into.sort_by_key(|(_, _, row)| *row);
    into.truncate(MAX_DISTINCT);
}

impl ObservedValues {
    /// Adds the values of another, disjoint part of the rows.
    pub fn merge(&mut self, other: Self) {
        merge_distinct(&mut self.labels, other.labels);
        if let (Some((mine, _)), Some((theirs, _))) = (&mut self.predictions, other.predictions) {
            merge_distinct(mine, theirs);
        }
    }

    /// Checks that labels (and predictions) are binary; the label value
    /// counted as negative, when one occurs. `spec` names the columns.
    pub fn negative_label(&self, spec: &FairnessSpec) -> Result<Option<String>, FairnessError> {
        let negative = binary_check(&spec.label, &self.labels, None, true)?;
        if let (Some((predictions, same_type)), PredictionSource::Column(column)) =
            (&self.predictions, &spec.prediction)
        {
            binary_check(
                column,
                predictions,
                negative.as_deref().filter(|_| *same_type),
                false,
            )?;
        }
        Ok(negative)
    }

    /// Moves the rows by `offset` (a part that starts at dataset row `offset`).
    fn shifted_by(mut self, offset: u64) -> Self {
        let shift = |values: &mut DistinctValues| {
            values.iter_mut().for_each(|(_, _, row)| *row += offset);
        };
        shift(&mut self.labels);
        if let Some((predictions, _)) = &mut self.predictions {
            shift(predictions);
        }
        self
    }
}

fn positive_literal(
    column: &str,
    dtype: &DataType,
    value: &LabelValue,
) -> Result<Expr, FairnessError> {
    let mismatch = || FairnessError::PositiveLabelType {
        column: column.into(),
        value: value.to_string(),
        dtype: dtype.to_string(),
    };
    Ok(match (dtype, value) {
        (DataType::Boolean, LabelValue::Bool(b)) => lit(*b),
        (DataType::Boolean, LabelValue::Int(i @ (0 | 1))) => lit(*i == 1),
        (DataType::Boolean, LabelValue::Text(t)) => {
            lit(t.parse::<bool>().map_err(|_| mismatch())?)
        }
        (d, LabelValue::Int(i)) if d.is_integer() => lit(*i),
        (d, LabelValue::Bool(b)) if d.is_integer() => lit(*b as i64),
        (d, LabelValue::Text(t)) if d.is_integer() => {
            lit(t.trim().parse::<i64>().map_err(|_| mismatch())?)
        }
        (d, LabelValue::Int(i)) if d.is_float() => lit(*i as f64),
        (d, LabelValue::Text(t)) if d.is_float() => {
            lit(t.trim().parse::<f64>().map_err(|_| mismatch())?)
        }
        (DataType::String, value) => lit(value.to_string()),
        _ => return Err(mismatch()),
    })
}

pub(crate) fn label_expr(
    column: &str,
    dtype: &DataType,
    positive: &LabelValue,
) -> Result<Expr, FairnessError> {
    if let (DataType::String, LabelValue::Bool(b)) = (dtype, positive) {
        // Booleans written as text ("True", "false") compare case-insensitively.
        return Ok(col(column).str().to_lowercase().eq(lit(b.to_string())));
    }
    Ok(col(column).eq(positive_literal(column, dtype, positive)?))
}

/// Distinct values of a column in order of first occurrence, with that row and whether each is positive.
fn distinct_values(
    source: &LazyFrame,
    column: &str,
    is_positive: Expr,
) -> Result<DistinctValues, FairnessError> {
    let frame = source
        .clone()
        .with_row_index(ROW, None)
        .select([col(ROW), col(column), is_positive.alias(IS_POSITIVE)])
        .group_by_stable([col(column)])
        .agg([
            col(ROW).first().cast(DataType::UInt64),
            col(IS_POSITIVE).first(),
        ])
        .with_column(col(column).cast(DataType::String).alias(TEXT))
        .sort([ROW], SortMultipleOptions::default())
        .limit(MAX_DISTINCT as IdxSize)
        .collect_streaming()?;
    let text = frame.column(TEXT)?.str()?.clone();
    let positive = frame.column(IS_POSITIVE)?.bool()?.clone();
    let row = frame.column(ROW)?.u64()?.clone();
    Ok((0..frame.height())
        .map(|i| {
            (
                text.get(i).map(str::to_string),
                positive.get(i).unwrap_or(false),
                row.get(i).unwrap_or(0) + 1,
            )
        })
        .collect())
}

/// First 1-based row where `condition` holds.
fn first_row_where(
    source: &LazyFrame,
    condition: Expr,
    value: Expr,
) -> Result<Option<(u64, f64)>, FairnessError> {
    let frame = source
        .clone()
        .with_row_index(ROW, None)
        .filter(condition)
        .select([
            col(ROW).cast(DataType::UInt64),
            value.cast(DataType::Float64).alias(TEXT),
        ])
        .limit(1)
        .collect_streaming()?;
    if frame.height() == 0 {
        return Ok(None);
    }
    let row = frame.column(ROW)?.u64()?.get(0).unwrap_or(0) + 1;
    let value = frame.column(TEXT)?.f64()?.get(0).unwrap_or(f64::NAN);
    Ok(Some((row, value)))
}

fn require_numeric(column: &str, dtype: &DataType, expected: &str) -> Result<(), FairnessError> {
    if dtype.is_primitive_numeric() {
        Ok(())
    } else {
        Err(FairnessError::UnsupportedType {
            column: column.into(),
            dtype: dtype.to_string(),
            expected: expected.into(),
        })
    }
}

/// Checks `values` (distinct, first-seen order) form a binary set around the positive value.
fn binary_check(
    column: &str,
    values: &[(Option<String>, bool, u64)],
    known_negative: Option<&str>,
    is_label: bool,
) -> Result<Option<String>, FairnessError> {
    let mut negative: Option<String> = known_negative.map(str::to_string);
    for (value, is_positive, row) in values {
        let Some(value) = value else {
            return Err(FairnessError::MissingValue {
                column: column.into(),
                row: *row,
            });
        };
        if *is_positive {
            continue;
        }
        match &negative {
            None => negative = Some(value.clone()),
            Some(n) if n == value => {}
            Some(_) => {
                let (column, row) = (column.to_string(), *row);
                return Err(if is_label {
                    FairnessError::LabelNotBinary { column, row }
                } else {
                    FairnessError::PredictionNotBinary { column, row }
                });
            }
        }
    }
    Ok(negative)
}

/// Checks that `column` holds the positive label and at most one other value
/// (no missing values) and returns the expression "label is positive".
pub fn label_indicator(
    source: &mut LazyFrame,
    column: &str,
    positive: &LabelValue,
) -> Result<Expr, FairnessError> {
    let schema = source.collect_schema()?;
    let dtype = schema
        .get(column)
        .cloned()
        .ok_or_else(|| FairnessError::UnknownColumn {
            column: column.to_string(),
        })?;
    let indicator = label_expr(column, &dtype, positive)?;
    let values = distinct_values(source, column, indicator.clone())?;
    binary_check(column, &values, None, true)?;
    Ok(indicator)
}

/// The label and decision indicators (booleans) of already validated data.
pub(crate) fn decision_indicators(
    source: &mut LazyFrame,
    spec: &FairnessSpec,
) -> Result<(Expr, Expr), FairnessError> {
    let schema = source.collect_schema()?;
    let dtype_of = |column: &str| {
        schema
            .get(column)
            .cloned()
            .ok_or_else(|| FairnessError::UnknownColumn {
                column: column.to_string(),
            })
    };
    let y = label_expr(&spec.label, &dtype_of(&spec.label)?, &spec.positive_label)?;
    let p = match &spec.prediction {
        PredictionSource::Column(column) => {
            label_expr(column, &dtype_of(column)?, &spec.positive_label)?
        }
        PredictionSource::Score { column, threshold } => col(column.as_str())
            .cast(DataType::Float64)
            .gt_eq(lit(*threshold)),
    };
    Ok((y, p))
}

/// Validates the columns named in `spec` and encodes them.
pub fn prepare(source: LazyFrame, spec: &FairnessSpec) -> Result<Prepared, FairnessError> {
    prepare_part(source, spec, 0)
}

/// `prepare` for a part of the rows that starts at dataset row `offset`:
/// the rows in its errors and values are dataset rows. The binary checks
/// run on the part's own values here and again, on all parts' values, in
/// `ObservedValues::negative_label`.
pub fn prepare_part(
    source: LazyFrame,
    spec: &FairnessSpec,
    offset: u64,
) -> Result<Prepared, FairnessError> {
    prepare_rows(source, spec)
        .map_err(|e| e.shifted_by(offset))
        .map(|mut prepared| {
            prepared.values = prepared.values.shifted_by(offset);
            prepared
        })
}

fn prepare_rows(source: LazyFrame, spec: &FairnessSpec) -> Result<Prepared, FairnessError> {
    spec.validate()?;
    let mut source = source;
    let schema = source.collect_schema()?;
    let dtype_of = |column: &str| {
        schema
            .get(column)
            .cloned()
            .ok_or_else(|| FairnessError::UnknownColumn {
                column: column.to_string(),
            })
    };
    let label_dtype = dtype_of(&spec.label)?;
    for feature in &spec.sensitive_features {
        dtype_of(feature)?;
    }
    let rows = row_count(&source)?;
    if rows == 0 {
        return Err(FairnessError::EmptyDataset);
    }

    let y = label_expr(&spec.label, &label_dtype, &spec.positive_label)?;
    let labels = distinct_values(&source, &spec.label, y.clone())?;
    let negative_label = binary_check(&spec.label, &labels, None, true)?;
    let mut values = ObservedValues {
        labels,
        predictions: None,
    };

    let (p, score) = match &spec.prediction {
        PredictionSource::Column(column) => {
            let dtype = dtype_of(column)?;
            let p = label_expr(column, &dtype, &spec.positive_label)?;
            let predictions = distinct_values(&source, column, p.clone())?;
            let same_type = dtype == label_dtype;
            binary_check(
                column,
                &predictions,
                negative_label.as_deref().filter(|_| same_type),
                false,
            )?;
            values.predictions = Some((predictions, same_type));
            (p, None)
        }
        PredictionSource::Score { column, threshold } => {
            let dtype = dtype_of(column)?;
            require_numeric(
                column,
                &dtype,
                "scores must be numeric probabilities in [0, 1]",
            )?;
            let score = col(column).cast(DataType::Float64);
            let bad = score
                .clone()
                .is_null()
                .or(score.clone().is_nan())
                .or(score.clone().lt(lit(0.0)))
                .or(score.clone().gt(lit(1.0)));
            if let Some((row, value)) = first_row_where(&source, bad, score.clone())? {
                return Err(if value.is_nan() {
                    FairnessError::MissingValue {
                        column: column.clone(),
                        row,
                    }
                } else {
                    FairnessError::ScoreOutOfRange {
                        column: column.clone(),
                        row,
                    }
                });
            }
            (score.clone().gt_eq(lit(*threshold)), Some(score))
        }
    };

    for feature in &spec.sensitive_features {
        if let Some((row, _)) = first_row_where(&source, col(feature).is_null(), lit(0.0))? {
            return Err(FairnessError::MissingValue {
                column: feature.clone(),
                row,
            });
        }
    }

    let w = match &spec.sample_weight {
        None => lit(1.0f64),
        Some(column) => {
            let dtype = dtype_of(column)?;
            require_numeric(column, &dtype, "sample weights must be numeric")?;
            let w = col(column).cast(DataType::Float64);
            let bad = w
                .clone()
                .is_null()
                .or(w.clone().is_nan())
                .or(w.clone().lt(lit(0.0)))
                .or(w.clone().is_infinite());
            if let Some((row, _)) = first_row_where(&source, bad, w.clone())? {
                return Err(FairnessError::InvalidWeight {
                    column: column.clone(),
                    row,
                });
            }
            w
        }
    };

    let mut columns: Vec<Expr> = spec
        .sensitive_features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            col(feature.as_str())
                .cast(DataType::String)
                .alias(group_column(i))
        })
        .collect();
    columns.extend([y.alias(Y), p.alias(P), w.alias(W)]);
    if let Some(score) = score {
        columns.push(score.alias(SCORE));
    }
    Ok(Prepared {
        frame: source.select(columns),
        rows,
        values,
    })
}
