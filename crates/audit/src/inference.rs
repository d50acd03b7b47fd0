//! Running a TorchScript model over a dataset: the model's declared feature
//! columns become a contiguous row-major f32 matrix, which the model sandbox
//! (`crate::sandbox`) scores in batches under no-grad; logits pass through
//! the sigmoid and the threshold gives the prediction. No database, no HTTP.

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Where to run the model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeviceChoice {
    /// The CPU (default).
    #[default]
    Cpu,
    /// A CUDA GPU when one is available; the CPU otherwise (the result says which ran).
    Cuda,
}

fn default_batch_size() -> usize {
    8192
}

/// Body of `POST /v1/inference-jobs` and payload of the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InferenceRequest {
    /// Model to run.
    pub model_id: Uuid,
    /// Dataset holding the model's feature columns.
    pub dataset_id: Uuid,
    /// Columns copied into the predictions to join them back (e.g. an id).
    #[serde(default)]
    pub id_columns: Vec<String>,
    /// Rows per forward pass (1 to 1,000,000; default 8192).
    #[serde(default = "default_batch_size")]
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub batch_size: usize,
    /// `cpu` (default) or `cuda`.
    #[serde(default)]
    pub device: DeviceChoice,
}

/// Why inference failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InferenceError {
    #[error("feature column `{column}` does not exist in the dataset")]
    MissingColumn { column: String },
    #[error(
        "feature column `{column}` has type {dtype}; features must be numeric (no encoding is declared for it)"
    )]
    NonNumeric { column: String, dtype: String },
    #[error("feature column `{column}`, row {row}: missing value")]
    MissingValue { column: String, row: u64 },
    #[error("feature column `{column}`, row {row}: NaN")]
    NotANumber { column: String, row: u64 },
    #[error("the model failed: {0}")]
    Model(String),
    #[error(
        "the model's output for a batch of {rows} rows is not one value per row; expected shape [{rows}] or [{rows}, 1]"
    )]
    OutputShape { rows: usize },
    #[error("stopped")]
    Stopped,
    #[error("reading the data failed: {0}")]
    Data(String),
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
}

impl InferenceError {
    /// The error with its row moved down by `rows` (for a batch that starts there).
    pub fn shifted_by(self, rows: u64) -> Self {
        match self {
            Self::MissingValue { column, row } => Self::MissingValue {
                column,
                row: row + rows,
            },
            Self::NotANumber { column, row } => Self::NotANumber {
                column,
                row: row + rows,
            },
            other => other,
        }
    }
}

impl From<PolarsError> for InferenceError {
    fn from(error: PolarsError) -> Self {
        Self::Data(probity_fairness::polars_errors::describe(&error))
    }
}

/// Feature values, row-major: row `i` is `values[i * width..(i + 1) * width]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    pub rows: usize,
    pub width: usize,
    pub values: Vec<f32>,
}

/// Builds the feature matrix from `frame`'s columns named in `features`, in that order.
///
/// Errors come in feature order: the first feature that is missing, non-numeric, or has a
/// missing value or NaN (at its first such row) is the one reported. The columns are cast to
/// f32 once, then copied into the row-major matrix in blocks of rows (each block's rows fit in
/// the cache while every column writes its slot), the row range split across threads.
pub fn feature_matrix(
    frame: &DataFrame,
    features: &[String],
) -> Result<FeatureMatrix, InferenceError> {
    let rows = frame.height();
    let width = features.len();
    let mut columns: Vec<Float32Chunked> = Vec::with_capacity(width);
    for name in features {
        match feature_column(frame, name) {
            Ok(column) => columns.push(column),
            Err(error) => {
                // A bad value in an earlier column is reported first, as a column-by-column pass would.
                for (name, column) in features.iter().zip(&columns) {
                    check_values(name, column)?;
                }
                return Err(error);
            }
        }
    }
    let chunks: Vec<Vec<(usize, &[f32])>> = columns
        .iter()
        .map(|column| {
            let mut start = 0;
            column
                .downcast_iter()
                .map(|array| {
                    let chunk = (start, array.values().as_slice());
                    start += array.len();
                    chunk
                })
                .collect()
        })
        .collect();
    let mut values = vec![0f32; rows * width];
    let mut has_nan = vec![false; width];
    if width > 0 && rows > 0 {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(rows.div_ceil(FILL_ROWS_PER_THREAD))
            .max(1);
        let per_thread = rows.div_ceil(threads);
        std::thread::scope(|scope| {
            let chunks = &chunks;
            let workers: Vec<_> = values
                .chunks_mut(per_thread * width)
                .enumerate()
                .map(|(t, out)| scope.spawn(move || fill_rows(chunks, t * per_thread, out, width)))
                .collect();
            for worker in workers {
                let nan = worker.join().expect("feature matrix thread panicked");
                for (seen, nan) in has_nan.iter_mut().zip(nan) {
                    *seen |= nan;
                }
            }
        });
    }
    for ((name, column), &nan) in features.iter().zip(&columns).zip(&has_nan) {
        if nan || column.null_count() > 0 {
            check_values(name, column)?;
        }
    }
    Ok(FeatureMatrix {
        rows,
        width,
        values,
    })
}

/// The model to score a dataset with, and how.
pub struct ScoringModel<'a> {
    /// The TorchScript file.
    pub path: &'a std::path::Path,
    /// Declared feature columns, in input order.
    pub features: &'a [String],
    /// What the model returns.
    pub output: crate::model::ModelOutput,
    /// Rows per forward pass.
    pub batch_size: usize,
}

/// Scores every row of `frame` with `model` in a sandbox child already
/// started (`run`) and writes each row with its score (an f64 column named
/// `score_column`) to a Parquet file at `out`. The dataset is read, scored and
/// written in batches of 65,536 rows, so memory does not grow with its
/// length. Errors name the feature column and the 1-based dataset row.
pub fn score_to_parquet(
    run: crate::sandbox::ModelRun<'_>,
    model: &ScoringModel<'_>,
    frame: LazyFrame,
    score_column: &str,
    out: &std::path::Path,
) -> Result<(), InferenceError> {
    use probity_fairness::query::BATCH_ROWS;
    use std::sync::mpsc;

    let mut frame = frame;
    let mut schema = (*frame.collect_schema()?).clone();
    for name in model.features {
        if schema.get(name).is_none() {
            return Err(InferenceError::MissingColumn {
                column: name.clone(),
            });
        }
    }
    let rows = probity_fairness::query::row_count(&frame)? as usize;
    schema.insert(score_column.into(), DataType::Float64);
    let file = std::fs::File::create(out).map_err(|e| InferenceError::Data(e.to_string()))?;
    let mut writer = ParquetWriter::new(file).batched(&schema)?;
    let (rows_out, rows_in) = mpsc::sync_channel::<Vec<f32>>(1);
    let (batches_out, batches_in) = mpsc::channel::<DataFrame>();
    let shape = crate::sandbox::RowShape {
        rows,
        width: model.features.len(),
        batch_size: model.batch_size.max(1),
    };
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut first_row = 0u64;
            probity_fairness::query::for_each_batch(frame, BATCH_ROWS, |batch| {
                let matrix = feature_matrix(&batch, model.features)
                    .map_err(|error| error.shifted_by(first_row))?;
                first_row += batch.height() as u64;
                // The batch is queued before its rows go out, so it waits when its scores come.
                batches_out
                    .send(batch)
                    .map_err(|_| InferenceError::Stopped)?;
                rows_out
                    .send(matrix.values)
                    .map_err(|_| InferenceError::Stopped)
            })
        });
        let mut scores: Vec<f32> = Vec::new();
        let mut waiting: Option<DataFrame> = None;
        let mut written: Result<(), InferenceError> = Ok(());
        let scored = run.score_rows(model.path, model.output, false, shape, rows_in, |batch| {
            scores.extend_from_slice(batch);
            while written.is_ok() && !scores.is_empty() {
                // Scores exist only for rows already sent, whose batch was queued first.
                let data = match waiting.take() {
                    Some(data) => data,
                    None => match batches_in.recv() {
                        Ok(data) => data,
                        Err(_) => break,
                    },
                };
                let height = data.height();
                if scores.len() < height {
                    waiting = Some(data);
                    break;
                }
                let column: Vec<f64> = scores.drain(..height).map(f64::from).collect();
                let mut data = data;
                written = data
                    .with_column(Column::new(score_column.into(), column))
                    .and_then(|data| writer.write_batch(data.rechunk_mut()))
                    .map_err(InferenceError::from);
            }
            written.is_ok()
        });
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The reader's own error (a bad feature value) explains a child that ran out of rows;
        // a reader stopped because the child ended defers to the child's error.
        if let Err(error) = read
            && error != InferenceError::Stopped
        {
            return Err(error);
        }
        written?;
        scored?;
        writer.finish()?;
        Ok(())
    })
}

/// Rows per thread below which filling the matrix is not split further.
const FILL_ROWS_PER_THREAD: usize = 16_384;
/// Rows filled together: all columns write into these rows while they are in the cache.
const FILL_BLOCK_ROWS: usize = 256;

/// The named column cast to f32, or why it cannot be a feature.
fn feature_column(frame: &DataFrame, name: &str) -> Result<Float32Chunked, InferenceError> {
    let column = frame
        .column(name)
        .map_err(|_| InferenceError::MissingColumn {
            column: name.to_string(),
        })?;
    let dtype = column.dtype();
    if !(dtype.is_primitive_numeric() || dtype == &DataType::Boolean) {
        return Err(InferenceError::NonNumeric {
            column: name.to_string(),
            dtype: dtype.to_string(),
        });
    }
    Ok(column.cast(&DataType::Float32)?.f32()?.clone())
}

/// The first missing value or NaN of the column, as an error (rows are 1-based).
fn check_values(name: &str, column: &Float32Chunked) -> Result<(), InferenceError> {
    for (i, value) in column.iter().enumerate() {
        match value {
            None => {
                return Err(InferenceError::MissingValue {
                    column: name.to_string(),
                    row: i as u64 + 1,
                });
            }
            Some(value) if value.is_nan() => {
                return Err(InferenceError::NotANumber {
                    column: name.to_string(),
                    row: i as u64 + 1,
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Fills `out` (rows from `first_row` on, row-major) from the columns' chunks; returns per
/// column whether a NaN was seen (values under nulls are copied too; nulls are checked apart).
fn fill_rows(
    columns: &[Vec<(usize, &[f32])>],
    first_row: usize,
    out: &mut [f32],
    width: usize,
) -> Vec<bool> {
    let mut has_nan = vec![false; width];
    let rows = out.len() / width;
    let mut block_start = 0;
    while block_start < rows {
        let block_end = (block_start + FILL_BLOCK_ROWS).min(rows);
        let block = &mut out[block_start * width..block_end * width];
        for (j, chunks) in columns.iter().enumerate() {
            let (from, to) = (first_row + block_start, first_row + block_end);
            // The chunk holding row `from`, then the following ones up to `to`.
            let mut index = chunks
                .partition_point(|&(start, _)| start <= from)
                .saturating_sub(1);
            let mut row = from;
            let mut nan = false;
            while row < to {
                let (start, values) = chunks[index];
                let end = (start + values.len()).min(to);
                let source = &values[row - start..end - start];
                let offset = row - from;
                for (k, &value) in source.iter().enumerate() {
                    block[(offset + k) * width + j] = value;
                    nan |= value.is_nan();
                }
                row = end;
                index += 1;
            }
            has_nan[j] |= nan;
        }
        block_start = block_end;
    }
    has_nan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_matrix_is_row_major_and_rejects_bad_columns() {
        let frame =
            df!("a" => [1i64, 2, 3], "b" => [0.5f64, 1.5, 2.5], "s" => ["x", "y", "z"]).unwrap();
        let matrix = feature_matrix(&frame, &["b".into(), "a".into()]).unwrap();
        assert_eq!(matrix.values, [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
        assert!(matches!(
            feature_matrix(&frame, &["s".into()]),
            Err(InferenceError::NonNumeric { .. })
        ));
        assert!(matches!(
            feature_matrix(&frame, &["q".into()]),
            Err(InferenceError::MissingColumn { .. })
        ));
        let gaps = df!("a" => [Some(1.0f64), None]).unwrap();
        assert_eq!(
            feature_matrix(&gaps, &["a".into()]),
            Err(InferenceError::MissingValue {
                column: "a".into(),
                row: 2
            })
        );
        let nan = df!("a" => [1.0f64, f64::NAN]).unwrap();
        assert_eq!(
            feature_matrix(&nan, &["a".into()]),
            Err(InferenceError::NotANumber {
                column: "a".into(),
                row: 2
            })
        );
    }

    /// The straightforward column-by-column, row-by-row copy the blocked fill replaces: the
    /// same matrix and the same error (first bad feature in order, first bad row in it).
    fn reference_feature_matrix(
        frame: &DataFrame,
        features: &[String],
    ) -> Result<FeatureMatrix, InferenceError> {
        let (rows, width) = (frame.height(), features.len());
        let mut values = vec![0f32; rows * width];
        for (j, name) in features.iter().enumerate() {
            let column = feature_column(frame, name)?;
            for (i, value) in column.iter().enumerate() {
                let value = value.ok_or(InferenceError::MissingValue {
                    column: name.clone(),
                    row: i as u64 + 1,
                })?;
                if value.is_nan() {
                    return Err(InferenceError::NotANumber {
                        column: name.clone(),
                        row: i as u64 + 1,
                    });
                }
                values[i * width + j] = value;
            }
        }
        Ok(FeatureMatrix {
            rows,
            width,
            values,
        })
    }

    /// Several chunks per column, chunk boundaries inside fill blocks, more rows than one thread fills.
    fn chunked_frame(
        rows: usize,
        split: usize,
        edit: impl Fn(&str, usize, f64) -> Option<f64>,
    ) -> DataFrame {
        let part = |range: std::ops::Range<usize>| {
            let values = |name: &str, scale: f64| -> Vec<Option<f64>> {
                range
                    .clone()
                    .map(|i| edit(name, i, i as f64 * scale))
                    .collect()
            };
            df!(
                "i" => range.clone().map(|i| i as i64 - 7).collect::<Vec<_>>(),
                "f" => values("f", 0.25),
                "g" => values("g", -1.5),
                "b" => range.clone().map(|i| i % 3 == 0).collect::<Vec<_>>()
            )
            .unwrap()
        };
        let mut frame = part(0..split);
        frame.vstack_mut(&part(split..split + 1000)).unwrap();
        frame.vstack_mut(&part(split + 1000..rows)).unwrap();
        frame
    }

    #[test]
    fn feature_matrix_matches_a_row_by_row_copy_across_chunks_and_threads() {
        let rows = 3 * FILL_ROWS_PER_THREAD + 77;
        let frame = chunked_frame(rows, 2 * FILL_BLOCK_ROWS + 13, |_, _, v| Some(v));
        assert!(
            frame
                .column("f")
                .unwrap()
                .as_materialized_series()
                .n_chunks()
                >= 3
        );
        let features: Vec<String> = ["g", "b", "i", "f"].map(String::from).into();
        let matrix = feature_matrix(&frame, &features).unwrap();
        assert_eq!((matrix.rows, matrix.width), (rows, 4));
        for i in [
            0,
            1,
            FILL_BLOCK_ROWS - 1,
            FILL_BLOCK_ROWS,
            2 * FILL_BLOCK_ROWS + 13,
            FILL_ROWS_PER_THREAD + 5,
            rows - 1,
        ] {
            let expected = [
                i as f32 * -1.5,
                f32::from(i % 3 == 0),
                (i as i64 - 7) as f32,
                i as f32 * 0.25,
            ];
            assert_eq!(matrix.values[i * 4..(i + 1) * 4], expected, "row {i}");
        }
        assert_eq!(Ok(matrix), reference_feature_matrix(&frame, &features));
    }

    #[test]
    fn feature_matrix_reports_the_first_bad_value_in_feature_order() {
        let rows = 2 * FILL_ROWS_PER_THREAD + 5;
        let late = rows - 3;
        // `f`: a missing value late, a NaN later; `g`: a NaN early.
        let frame = chunked_frame(rows, 600, |name, i, v| match (name, i) {
            ("f", i) if i == late - 100 => None,
            ("f", i) if i == late => Some(f64::NAN),
            ("g", 5) => Some(f64::NAN),
            _ => Some(v),
        });
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let check = |frame: &DataFrame, features: &[&str]| {
            let got = feature_matrix(frame, &names(features));
            assert_eq!(
                got,
                reference_feature_matrix(frame, &names(features)),
                "{features:?}"
            );
            got
        };
        let missing_value = InferenceError::MissingValue {
            column: "f".into(),
            row: (late - 100) as u64 + 1,
        };
        let nan_g = InferenceError::NotANumber {
            column: "g".into(),
            row: 6,
        };
        assert_eq!(check(&frame, &["i", "f", "g"]), Err(missing_value.clone()));
        assert_eq!(check(&frame, &["g", "f"]), Err(nan_g.clone()));
        // A bad value before a missing or non-numeric column is reported first, and after it not at all.
        assert_eq!(check(&frame, &["i", "f", "nope"]), Err(missing_value));
        assert_eq!(
            check(&frame, &["nope", "g"]),
            Err(InferenceError::MissingColumn {
                column: "nope".into()
            })
        );
        let mut with_text = frame.clone();
        with_text
            .with_column(Column::new("s".into(), vec!["x"; rows]))
            .unwrap();
        assert_eq!(check(&with_text, &["g", "s"]), Err(nan_g));
        assert!(matches!(
            check(&with_text, &["i", "s", "g"]),
            Err(InferenceError::NonNumeric { .. })
        ));
        let nan_only = chunked_frame(rows, 600, |name, i, v| {
            if name == "f" && i == late {
                Some(f64::NAN)
            } else {
                Some(v)
            }
        });
        assert_eq!(
            check(&nan_only, &["b", "f"]),
            Err(InferenceError::NotANumber {
                column: "f".into(),
                row: late as u64 + 1
            })
        );
    }
}
