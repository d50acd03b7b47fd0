//! Running a TorchScript model over a dataset: the model's declared feature
//! columns become a contiguous row-major f32 matrix, which goes through the
//! model in batches under no-grad; logits pass through the sigmoid and the
//! threshold gives the prediction. No database, no HTTP.

use std::path::Path;

use polars::prelude::*;
use tch::{Device, Kind, Tensor};

use crate::models::ModelOutput;

/// Why inference failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InferenceError {
    #[error("feature column `{column}` does not exist in the dataset")]
    MissingColumn { column: String },
    #[error("feature column `{column}` has type {dtype}; features must be numeric (no encoding is declared for it)")]
    NonNumeric { column: String, dtype: String },
    #[error("feature column `{column}`, row {row}: missing value")]
    MissingValue { column: String, row: u64 },
    #[error("feature column `{column}`, row {row}: NaN")]
    NotANumber { column: String, row: u64 },
    #[error("the model failed: {0}")]
    Model(String),
    #[error("the model returned shape {got:?} for a batch of {rows} rows; expected [{rows}] or [{rows}, 1]")]
    OutputShape { got: Vec<i64>, rows: usize },
    #[error("stopped")]
    Stopped,
    #[error("reading the data failed: {0}")]
    Data(String),
}

impl From<PolarsError> for InferenceError {
    fn from(error: PolarsError) -> Self {
        Self::Data(error.to_string())
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
pub fn feature_matrix(frame: &DataFrame, features: &[String]) -> Result<FeatureMatrix, InferenceError> {
    let rows = frame.height();
    let width = features.len();
    let mut values = vec![0f32; rows * width];
    for (j, name) in features.iter().enumerate() {
        let column = frame.column(name).map_err(|_| InferenceError::MissingColumn { column: name.clone() })?;
        let dtype = column.dtype();
        if !(dtype.is_primitive_numeric() || dtype == &DataType::Boolean) {
            return Err(InferenceError::NonNumeric { column: name.clone(), dtype: dtype.to_string() });
        }
        let cast = column.cast(&DataType::Float32)?;
        let cast = cast.f32()?;
        for (i, value) in cast.iter().enumerate() {
            let value = value.ok_or(InferenceError::MissingValue { column: name.clone(), row: i as u64 + 1 })?;
            if value.is_nan() {
                return Err(InferenceError::NotANumber { column: name.clone(), row: i as u64 + 1 });
            }
            values[i * width + j] = value;
        }
    }
    Ok(FeatureMatrix { rows, width, values })
}

/// A loaded model ready for batches.
pub struct LoadedModel {
    module: tch::CModule,
    output: ModelOutput,
    device: Device,
}

/// Picks the device: CUDA when asked for and available, else the CPU.
pub fn choose_device(want_cuda: bool) -> Device {
    if want_cuda { Device::cuda_if_available() } else { Device::Cpu }
}

fn first_line(message: &str) -> String {
    message.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("unknown libtorch error").to_string()
}

impl LoadedModel {
    /// Loads a TorchScript file onto `device`.
    pub fn load(path: &Path, output: ModelOutput, device: Device) -> Result<Self, InferenceError> {
        let mut module =
            tch::CModule::load_on_device(path, device).map_err(|e| InferenceError::Model(first_line(&e.to_string())))?;
        module.set_eval();
        Ok(Self { module, output, device })
    }

    /// Scores (probabilities) of `rows` rows starting at `start`.
    pub fn score_rows(&self, matrix: &FeatureMatrix, start: usize, rows: usize) -> Result<Vec<f32>, InferenceError> {
        let slice = &matrix.values[start * matrix.width..(start + rows) * matrix.width];
        let input = Tensor::from_slice(slice).view([rows as i64, matrix.width as i64]).to_device(self.device);
        let output = tch::no_grad(|| self.module.forward_ts(&[input]))
            .map_err(|e| InferenceError::Model(first_line(&e.to_string())))?;
        let shape = output.size();
        if !(shape == [rows as i64] || shape == [rows as i64, 1]) {
            return Err(InferenceError::OutputShape { got: shape, rows });
        }
        let output = match self.output {
            ModelOutput::Logit => output.sigmoid(),
            ModelOutput::Probability => output,
        };
        Vec::<f32>::try_from(output.to_device(Device::Cpu).to_kind(Kind::Float).flatten(0, -1))
            .map_err(|e| InferenceError::Model(e.to_string()))
    }

    /// Scores every row in batches; `between_batches` gets the rows done and may stop the run.
    pub fn score_all(
        &self,
        matrix: &FeatureMatrix,
        batch_size: usize,
        mut between_batches: impl FnMut(usize) -> bool,
    ) -> Result<Vec<f32>, InferenceError> {
        let mut scores = Vec::with_capacity(matrix.rows);
        let mut start = 0;
        while start < matrix.rows {
            let rows = batch_size.max(1).min(matrix.rows - start);
            scores.extend(self.score_rows(matrix, start, rows)?);
            start += rows;
            if !between_batches(start) {
                return Err(InferenceError::Stopped);
            }
        }
        Ok(scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_matrix_is_row_major_and_rejects_bad_columns() {
        let frame = df!("a" => [1i64, 2, 3], "b" => [0.5f64, 1.5, 2.5], "s" => ["x", "y", "z"]).unwrap();
        let matrix = feature_matrix(&frame, &["b".into(), "a".into()]).unwrap();
        assert_eq!(matrix.values, [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
        assert!(matches!(feature_matrix(&frame, &["s".into()]), Err(InferenceError::NonNumeric { .. })));
        assert!(matches!(feature_matrix(&frame, &["q".into()]), Err(InferenceError::MissingColumn { .. })));
        let gaps = df!("a" => [Some(1.0f64), None]).unwrap();
        assert_eq!(feature_matrix(&gaps, &["a".into()]), Err(InferenceError::MissingValue { column: "a".into(), row: 2 }));
        let nan = df!("a" => [1.0f64, f64::NAN]).unwrap();
        assert_eq!(feature_matrix(&nan, &["a".into()]), Err(InferenceError::NotANumber { column: "a".into(), row: 2 }));
    }
}
