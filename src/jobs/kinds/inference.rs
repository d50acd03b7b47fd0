//! The `inference` job: runs a stored model over a stored dataset and
//! registers the predictions (id columns, `score`, `prediction`) as a new
//! Parquet dataset with lineage.

use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use probity_audit::dataset::{
    self as datasets, ColumnProfile, DatasetFormat, DatasetLocation, DatasetProfile,
};
use probity_audit::inference::{DeviceChoice, InferenceRequest, feature_matrix};
use probity_audit::lineage::{DatasetRef, InferenceLineage, Lineage, ModelRef};
use probity_audit::sandbox::ModelSandbox;
use probity_fairness::polars_errors;

use super::to_result;
use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, load_dataset, load_model,
    verified_blob,
};
use crate::jobs::queue::Job;
use crate::store::blobs::{BlobStore, HashingWriter, StagedBlob};
use crate::store::catalog::{self, Dataset, NewDataset};
use sqlx::types::Json;

/// Wall-clock time of each phase of one run, logged at debug level (target
/// `probity::jobs::kinds::inference`) for the benchmark and for profiling.
#[derive(Debug, Default)]
struct Timings {
    read: std::time::Duration,
    matrix: std::time::Duration,
    forward: std::time::Duration,
    write: std::time::Duration,
    profile: std::time::Duration,
    register: std::time::Duration,
}

impl Timings {
    fn log(&self, job: Uuid, rows: usize) {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        tracing::debug!(
            %job,
            rows,
            read_ms = ms(self.read),
            matrix_ms = ms(self.matrix),
            forward_ms = ms(self.forward),
            write_ms = ms(self.write),
            profile_ms = ms(self.profile),
            register_ms = ms(self.register),
            "inference phases"
        );
    }
}

/// Scores every row and writes the predictions file; blocking.
fn predict_to_parquet(
    request: &InferenceRequest,
    (data, dataset): (&DatasetLocation, &catalog::Dataset),
    (model_file, model): (&std::path::Path, &catalog::Model),
    blobs: &BlobStore,
    sandbox: &ModelSandbox,
    control: &JobControl,
    timings: &mut Timings,
) -> Result<(StagedBlob, DatasetProfile, usize, String), JobFailure> {
    // The model runner starts (exec, libtorch) while this thread reads the data.
    let run = sandbox.start()?;
    let clock = std::time::Instant::now();
    let mut columns: Vec<Expr> = request.id_columns.iter().map(|c| col(c.as_str())).collect();
    columns.extend(
        model
            .features
            .0
            .iter()
            .filter(|f| !request.id_columns.contains(f))
            .map(|c| col(c.as_str())),
    );
    let frame = data
        .scan()
        .and_then(|f| f.select(columns).collect())
        .map_err(|e| {
            JobFailure::permanent(format!(
                "reading dataset {}: {}",
                dataset.id,
                polars_errors::describe(&e)
            ))
        })?;
    timings.read = clock.elapsed();
    let clock = std::time::Instant::now();
    let matrix = feature_matrix(&frame, &model.features.0)?;
    timings.matrix = clock.elapsed();
    let clock = std::time::Instant::now();
    let rows = matrix.rows;
    let scored = run.score_all(
        model_file,
        model.output,
        request.device == DeviceChoice::Cuda,
        &matrix,
        request.batch_size,
        |done| {
            control.set_progress(
                0.05 + 0.85 * done as f64 / rows.max(1) as f64,
                format!("scored {done} of {rows} rows"),
            );
            control.keep_going()
        },
    )?;
    let (scores, device) = (scored.scores, scored.device);
    timings.forward = clock.elapsed();
    let clock = std::time::Instant::now();
    let threshold = model.threshold as f32;
    let predictions: Vec<i32> = scores.iter().map(|&s| i32::from(s >= threshold)).collect();
    let mut output = frame
        .select(request.id_columns.iter().map(String::as_str))
        .map_err(|e| JobFailure::permanent(polars_errors::describe(&e)))?;
    output
        .with_column(Column::new(
            "score".into(),
            scores.iter().map(|&s| s as f64).collect::<Vec<_>>(),
        ))
        .and_then(|o| o.with_column(Column::new("prediction".into(), predictions)))
        .map_err(|e| JobFailure::permanent(polars_errors::describe(&e)))?;
    let path = blobs.staging_file(".parquet")?;
    let file = std::fs::File::create(&path)?;
    let mut writer = HashingWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    ParquetWriter::new(&mut writer)
        .finish(&mut output)
        .map_err(|e| JobFailure::transient(format!("writing predictions: {e}")))?;
    let staged = writer.finish(path).context("writing predictions")?;
    timings.write = clock.elapsed();
    let clock = std::time::Instant::now();
    let profile =
        written_profile(&staged.path, &output).map_err(|e| JobFailure::transient(e.to_string()))?;
    timings.profile = clock.elapsed();
    Ok((staged, profile, rows, device))
}

/// The profile of the predictions file just written from `output`, without reading the
/// data back: the column types as stored (from the file's footer, i.e. what a reader of the
/// file sees), the row count and the null counts from the frame that was written. Equal to
/// what [`datasets::profile_file`] finds in the file.
fn written_profile(
    path: &std::path::Path,
    output: &DataFrame,
) -> Result<DatasetProfile, datasets::DatasetError> {
    let format = DatasetFormat::Parquet;
    let invalid =
        |e: PolarsError| datasets::DatasetError::InvalidParquet(polars_errors::describe(&e));
    let schema = datasets::scan(path, format)
        .and_then(|mut f| f.collect_schema())
        .map_err(invalid)?;
    let columns = schema
        .iter()
        .map(|(name, dtype)| {
            let null_count = output.column(name).map_err(invalid)?.null_count() as u64;
            Ok(ColumnProfile {
                name: name.to_string(),
                dtype: dtype.to_string(),
                null_count,
            })
        })
        .collect::<Result<Vec<_>, datasets::DatasetError>>()?;
    if output.height() == 0 {
        return Err(datasets::DatasetError::NoRows);
    }
    Ok(DatasetProfile {
        format,
        rows: output.height() as u64,
        columns,
    })
}

/// Runs one attempt of an inference job.
pub async fn run(
    request: InferenceRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    if !(1..=1_000_000).contains(&request.batch_size) {
        return Err(JobFailure::permanent(
            "batch_size must be between 1 and 1000000",
        ));
    }
    let earlier = catalog::dataset_for_job(&context.pool, job.id)
        .await
        .context("looking up an earlier attempt's predictions")?;
    if let Some(Dataset {
        id,
        row_count,
        lineage: Some(Json(Lineage::Inference(lineage))),
        ..
    }) = earlier
    {
        return Ok(result(id, row_count as u64, &lineage.device));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    let model = load_model(&context, request.model_id).await?;
    control.set_progress(0.02, "loading features");
    let (blobs, control_for_thread, request_for_thread) =
        (context.blobs.clone(), control.clone(), request.clone());
    let sandbox = context.sandbox.clone();
    let (source, model_for_thread) = (dataset.clone(), model.clone());
    let data = dataset_rows(&context, &dataset).await?;
    let model_file = verified_blob(&context, &model.sha256, &format!("model {}", model.id)).await?;
    let (staged, profile, rows, device, mut timings) = tokio::task::spawn_blocking(move || {
        let mut timings = Timings::default();
        let (staged, profile, rows, device) = predict_to_parquet(
            &request_for_thread,
            (&data.location, &source),
            (model_file.path(), &model_for_thread),
            &blobs,
            &sandbox,
            &control_for_thread,
            &mut timings,
        )?;
        Ok::<_, JobFailure>((staged, profile, rows, device, timings))
    })
    .await??;
    control.check()?;
    let clock = std::time::Instant::now();
    control.set_progress(0.95, "registering predictions");
    let lineage = Lineage::Inference(InferenceLineage {
        job_id: job.id,
        model: ModelRef {
            id: model.id,
            name: model.name.clone(),
            version: model.version.clone(),
            sha256: model.sha256.clone(),
            threshold: model.threshold,
        },
        source_dataset: DatasetRef {
            id: dataset.id,
            sha256: dataset.sha256.clone(),
        },
        id_columns: request.id_columns.clone(),
        device: device.clone(),
    });
    let name = format!(
        "{} · predictions of {} {}",
        dataset.name, model.name, model.version
    );
    let mut tx = context.pool.begin().await?;
    let (created, placed) = catalog::register_dataset(
        &mut tx,
        &context.blobs,
        staged,
        NewDataset {
            name: &name,
            filename: None,
            profile: &profile,
            lineage: Some(lineage),
            created_by: job.created_by,
        },
    )
    .await?;
    tx.commit().await?;
    placed.keep();
    timings.register = clock.elapsed();
    timings.log(job.id, rows);
    Ok(result(created.id, rows as u64, &device))
}

/// The job's result: the predictions dataset, its rows and the device that ran.
fn result(dataset_id: Uuid, rows: u64, device: &str) -> Value {
    to_result(InferenceResult {
        dataset_id,
        dataset_url: format!("/v1/datasets/{dataset_id}"),
        rows,
        device: device.to_string(),
    })
}

/// The result of an `inference` job: the predictions dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InferenceResult {
    /// The predictions dataset (id columns, score, prediction).
    pub dataset_id: Uuid,
    /// Where to read it.
    pub dataset_url: String,
    /// Rows scored.
    pub rows: u64,
    /// The device the model ran on (`cpu` or `cuda`).
    pub device: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_are_staged_and_profiled_as_a_reread_would() {
        let mut frame = df!(
            "id" => [Some(1i64), None, Some(3)],
            "name" => [Some("a"), Some("b"), None],
            "flag" => [Some(true), Some(false), None],
            "x" => [1.5f32, 2.5, 3.5],
            "score" => [0.25f64, 0.5, 0.75],
            "prediction" => [0i32, 1, 1]
        )
        .unwrap();
        frame
            .with_column(
                Column::new("day".into(), [Some(1i32), None, Some(3)])
                    .cast(&DataType::Date)
                    .unwrap(),
            )
            .unwrap();
        frame
            .with_column(
                Column::new("group".into(), ["x", "y", "x"])
                    .cast(&DataType::from_categories(Categories::global()))
                    .unwrap(),
            )
            .unwrap();
        let path = tempfile::NamedTempFile::new().unwrap().into_temp_path();
        let mut writer = HashingWriter::new(std::io::BufWriter::new(
            std::fs::File::create(&path).unwrap(),
        ));
        ParquetWriter::new(&mut writer).finish(&mut frame).unwrap();
        let staged = writer.finish(path).unwrap();
        let profile = written_profile(&staged.path, &frame).unwrap();
        assert_eq!(profile, datasets::profile_file(&staged.path).unwrap());
        assert_eq!(
            profile
                .columns
                .iter()
                .map(|c| c.null_count)
                .collect::<Vec<_>>(),
            [1, 1, 1, 0, 0, 0, 1, 0]
        );
        let (sha256, size) = (staged.sha256.clone(), staged.size);
        let reread = BlobStore::stage_file(staged.path).unwrap();
        assert_eq!((sha256, size), (reread.sha256, reread.size));
    }
}
