//! The counterfactual check with a model: a sample of the dataset's rows is
//! scored again with one input changed at a time (each sensitive feature or
//! declared proxy that is a model input, set to every other value it takes in
//! the sample), in one sandbox child through the inference path, and the
//! paired decisions are counted by `probity_fairness::counterfactual`.
//! libtorch's kernels can round the last bit of a score differently with the
//! size and make-up of a forward pass, so each pass holds one row and all its
//! variants: a row's scores do not depend on which other rows were sampled.
//! The sample is every `stride`-th row of the dataset, so the parts of a
//! sharded audit count exactly the rows one pass would.

use std::collections::BTreeMap;
use std::sync::mpsc;

use polars::prelude::*;
use probity_fairness::counterfactual::{
    CounterfactualOptions, CounterfactualTally, PairCell, PairCounts, SkippedColumn,
};
use probity_fairness::query::{CollectStreaming, row_count};

use crate::audit::{AuditError, ModelToRun};
use crate::inference::{InferenceError, feature_matrix};
use crate::sandbox::RowShape;

/// Rows sent to the model runner per message (about; whole sampled rows with their variants).
const MESSAGE_ROWS: usize = 4096;
const ROW: &str = "__probity_counterfactual_row";

/// What every part of an audit re-runs: the sample's spacing and, per tested
/// model input, the values it is set to. Computed once from the whole dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterfactualPlan {
    /// Every `stride`-th dataset row (from row 0) is re-run.
    pub stride: u64,
    /// Tested model inputs with their sampled values, in model input order.
    pub tested: Vec<TestedInput>,
    /// Columns not tested, and why.
    pub skipped: Vec<SkippedColumn>,
}

/// A model input the check changes, and the values it takes in the sample.
#[derive(Debug, Clone, PartialEq)]
pub struct TestedInput {
    /// The column.
    pub column: String,
    /// Its index among the model's features.
    pub feature: usize,
    /// Its distinct values in the sample, ascending.
    pub values: Vec<f32>,
}

/// Decides the sample and the values from the whole dataset (`all_rows`):
/// the columns tested are the sensitive features and proxies that are model
/// inputs with at most `max_values` distinct values in the sample.
pub fn plan(
    all_rows: &LazyFrame,
    sensitive_features: &[String],
    model: &ModelToRun,
    options: &CounterfactualOptions,
) -> Result<CounterfactualPlan, AuditError> {
    let read = |e: PolarsError| AuditError::Read(probity_fairness::polars_errors::describe(&e));
    let rows = row_count(all_rows).map_err(read)?;
    let stride = rows.div_ceil(options.max_rows).max(1);
    let mut candidates: Vec<&String> = sensitive_features.iter().collect();
    for proxy in &options.proxy_columns {
        if !candidates.contains(&proxy) {
            candidates.push(proxy);
        }
    }
    let mut tested = Vec::new();
    let mut skipped = Vec::new();
    for column in candidates {
        let Some(feature) = model.features.iter().position(|f| f == column) else {
            skipped.push(SkippedColumn {
                column: column.clone(),
                reason: "not an input of the model, so changing it cannot change a decision directly; name the inputs that stand in for it in proxy_columns".into(),
            });
            continue;
        };
        let values = all_rows
            .clone()
            .with_row_index(ROW, None)
            .filter((col(ROW).cast(DataType::UInt64) % lit(stride)).eq(lit(0u64)))
            .select([col(column.as_str()).cast(DataType::Float32)])
            .unique(None, UniqueKeepStrategy::Any)
            .limit((options.max_values + 1) as IdxSize)
            .collect_streaming()
            .map_err(read)?;
        let values = values
            .column(column.as_str())
            .and_then(|c| c.f32().cloned())
            .map_err(read)?;
        let mut values: Vec<f32> = values.iter().flatten().filter(|v| !v.is_nan()).collect();
        if values.len() > options.max_values {
            skipped.push(SkippedColumn {
                column: column.clone(),
                reason: format!(
                    "more than {} distinct values (checks.counterfactual.max_values)",
                    options.max_values
                ),
            });
            continue;
        }
        values.sort_by(f32::total_cmp);
        tested.push(TestedInput {
            column: column.clone(),
            feature,
            values,
        });
    }
    tested.sort_by_key(|t| t.feature);
    skipped.sort();
    Ok(CounterfactualPlan {
        stride,
        tested,
        skipped,
    })
}

/// Re-runs the model on the sampled rows of a part: `rows` holds the part's
/// rows (from dataset row `offset`) with the model's inputs; a decision is
/// `score >= threshold`. Each forward pass scores one sampled row as it is
/// and with each tested input set to each of its values, so a row's scores
/// are computed together, the same way whichever part reads it.
pub fn run_part(
    plan: &CounterfactualPlan,
    rows: LazyFrame,
    offset: u64,
    model: &ModelToRun,
    threshold: f64,
) -> Result<CounterfactualTally, AuditError> {
    let read = |e: PolarsError| AuditError::Read(probity_fairness::polars_errors::describe(&e));
    let inputs: Vec<Expr> = model.features.iter().map(|f| col(f.as_str())).collect();
    // the part's rows whose dataset row (offset + index) is a multiple of the stride
    let sample = rows
        .with_row_index(ROW, None)
        .filter(
            ((col(ROW).cast(DataType::UInt64) + lit(offset % plan.stride)) % lit(plan.stride))
                .eq(lit(0u64)),
        )
        .select(inputs)
        .collect_streaming()
        .map_err(read)?;
    let sampled = sample.height();
    let matrix = feature_matrix(&sample, &model.features).map_err(AuditError::Inference)?;
    let width = matrix.width;
    let variants = 1 + plan.tested.iter().map(|t| t.values.len()).sum::<usize>();
    let mut cells: BTreeMap<(usize, u32, u32), PairCounts> = BTreeMap::new();
    if sampled > 0 && variants > 1 {
        let run = model.sandbox.start().map_err(InferenceError::Sandbox)?;
        let shape = RowShape {
            rows: sampled * variants,
            width,
            batch_size: variants,
        };
        let (rows_out, rows_in) = mpsc::sync_channel::<Vec<f32>>(2);
        let matrix = &matrix;
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let per_message = (MESSAGE_ROWS / variants).max(1);
                for first in (0..sampled).step_by(per_message) {
                    let last = (first + per_message).min(sampled);
                    let mut message = Vec::with_capacity((last - first) * variants * width);
                    for row in first..last {
                        let original = &matrix.values[row * width..(row + 1) * width];
                        message.extend_from_slice(original);
                        for tested in &plan.tested {
                            for &value in &tested.values {
                                message.extend_from_slice(original);
                                let at = message.len() - width + tested.feature;
                                message[at] = value;
                            }
                        }
                    }
                    if rows_out.send(message).is_err() {
                        return;
                    }
                }
            });
            let decided = |score: f32| f64::from(score) >= threshold;
            let mut row = 0;
            run.score_rows(&model.path, model.output, false, shape, rows_in, |scores| {
                for row_scores in scores.chunks_exact(variants) {
                    let before = row_scores[0];
                    let mut changed = row_scores[1..].iter();
                    for tested in &plan.tested {
                        let from = matrix.values[row * width + tested.feature];
                        for (&value, &score) in tested.values.iter().zip(&mut changed) {
                            if value == from {
                                continue;
                            }
                            let (after, change) = if is_numerical_noise(before, score) {
                                (decided(before), 0.0)
                            } else {
                                (decided(score), f64::from(score) - f64::from(before))
                            };
                            cells
                                .entry((tested.feature, from.to_bits(), value.to_bits()))
                                .or_default()
                                .add(decided(before), after, Some(change));
                        }
                    }
                    row += 1;
                }
                true
            })
        })
        .map_err(AuditError::Inference)?;
    }
    let name_of = |feature: usize| model.features[feature].clone();
    let cells = cells
        .into_iter()
        .map(|((feature, from, to), counts)| PairCell {
            feature: name_of(feature),
            from: f32::from_bits(from).to_string(),
            to: f32::from_bits(to).to_string(),
            counts,
        });
    Ok(CounterfactualTally::from_cells(
        sampled as u64,
        cells,
        plan.skipped.clone(),
    ))
}

/// Whether two scores of the same row differ only as libtorch's kernels do
/// between batch sizes (a few units in the last place of an f32): such a
/// change is counted as none, and the decision as unchanged.
fn is_numerical_noise(before: f32, after: f32) -> bool {
    (after - before).abs() <= 4.0 * f32::EPSILON * before.abs().max(after.abs())
}
