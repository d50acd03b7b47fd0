//! The `inference` job: runs a stored model over a stored dataset and
//! registers the predictions (id columns, `score`, `prediction`) as a new
//! Parquet dataset with lineage.

use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::blobs::BlobStore;
use crate::catalog::{self, NewDataset};
use crate::datasets;
use crate::inference::{InferenceError, LoadedModel, choose_device, feature_matrix};
use crate::jobs::Job;
use crate::jobs::kinds::{JobFailure, load_dataset};
use crate::jobs::worker::{JobContext, JobControl};

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
    pub batch_size: usize,
    /// `cpu` (default) or `cuda`.
    #[serde(default)]
    pub device: DeviceChoice,
}

fn failure(error: InferenceError, control: &JobControl) -> JobFailure {
    match error {
        InferenceError::Stopped => JobFailure::Stopped(control.stop_reason().unwrap_or(crate::jobs::worker::StopReason::Cancelled)),
        other => JobFailure::permanent(other.to_string()),
    }
}

/// Scores every row and writes the predictions file; blocking.
fn predict_to_parquet(
    request: &InferenceRequest,
    dataset: &catalog::Dataset,
    model: &catalog::Model,
    blobs: &BlobStore,
    control: &JobControl,
) -> Result<(tempfile::TempPath, usize, String), JobFailure> {
    let mut columns: Vec<Expr> = request.id_columns.iter().map(|c| col(c.as_str())).collect();
    columns.extend(model.features.0.iter().filter(|f| !request.id_columns.contains(f)).map(|c| col(c.as_str())));
    let frame = datasets::scan(&blobs.path_of(&dataset.sha256), dataset.format)
        .and_then(|f| f.select(columns).collect())
        .map_err(|e| JobFailure::permanent(format!("reading dataset {}: {e}", dataset.id)))?;
    let matrix = feature_matrix(&frame, &model.features.0).map_err(|e| failure(e, control))?;
    let device = choose_device(request.device == DeviceChoice::Cuda);
    let loaded = LoadedModel::load(&blobs.path_of(&model.sha256), model.output, device).map_err(|e| failure(e, control))?;
    let rows = matrix.rows;
    let scores = loaded
        .score_all(&matrix, request.batch_size, |done| {
            control.set_progress(0.05 + 0.85 * done as f64 / rows.max(1) as f64, format!("scored {done} of {rows} rows"));
            control.check().is_ok()
        })
        .map_err(|e| failure(e, control))?;
    let threshold = model.threshold as f32;
    let predictions: Vec<i32> = scores.iter().map(|&s| i32::from(s >= threshold)).collect();
    let mut output = frame
        .select(request.id_columns.iter().map(String::as_str))
        .map_err(|e| JobFailure::permanent(e.to_string()))?;
    output
        .with_column(Column::new("score".into(), scores.iter().map(|&s| s as f64).collect::<Vec<_>>()))
        .and_then(|o| o.with_column(Column::new("prediction".into(), predictions)))
        .map_err(|e| JobFailure::permanent(e.to_string()))?;
    let path = blobs.staging_file(".parquet").map_err(|e| JobFailure::transient(e.to_string()))?;
    let file = std::fs::File::create(&path).map_err(|e| JobFailure::transient(e.to_string()))?;
    ParquetWriter::new(file).finish(&mut output).map_err(|e| JobFailure::transient(format!("writing predictions: {e}")))?;
    Ok((path, rows, format!("{device:?}").to_lowercase()))
}

/// Runs one attempt of an inference job.
pub async fn run(request: InferenceRequest, job: &Job, context: JobContext, control: Arc<JobControl>) -> Result<Value, JobFailure> {
    if !(1..=1_000_000).contains(&request.batch_size) {
        return Err(JobFailure::permanent("batch_size must be between 1 and 1000000"));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    let model = catalog::get_model(&context.pool, request.model_id)
        .await
        .map_err(|e| JobFailure::transient(format!("reading model {}: {e}", request.model_id)))?
        .ok_or_else(|| JobFailure::permanent(format!("model {} no longer exists", request.model_id)))?;
    control.set_progress(0.02, "loading features");
    let (blobs, control_for_thread, request_for_thread) = (context.blobs.clone(), control.clone(), request.clone());
    let (source, model_for_thread) = (dataset.clone(), model.clone());
    let (staged, profile, rows, device) = tokio::task::spawn_blocking(move || {
        let (path, rows, device) = predict_to_parquet(&request_for_thread, &source, &model_for_thread, &blobs, &control_for_thread)?;
        let staged = BlobStore::stage_file(path).map_err(|e| JobFailure::transient(e.to_string()))?;
        let profile = datasets::profile_file(&staged.path).map_err(|e| JobFailure::transient(e.to_string()))?;
        Ok::<_, JobFailure>((staged, profile, rows, device))
    })
    .await
    .map_err(|e| JobFailure::transient(format!("inference thread failed: {e}")))??;
    control.check()?;
    control.set_progress(0.95, "registering predictions");
    let lineage = json!({
        "kind": "inference",
        "job_id": job.id,
        "model": { "id": model.id, "name": model.name, "version": model.version, "sha256": model.sha256, "threshold": model.threshold },
        "source_dataset": { "id": dataset.id, "sha256": dataset.sha256 },
        "id_columns": request.id_columns,
        "device": device,
    });
    let (sha256, size) = (staged.sha256.clone(), staged.size);
    let name = format!("{} · predictions of {} {}", dataset.name, model.name, model.version);
    let mut tx = context.pool.begin().await.map_err(|e| JobFailure::transient(e.to_string()))?;
    context.blobs.commit(&mut tx, staged).await.map_err(|e| JobFailure::transient(e.to_string()))?;
    let created = catalog::insert_dataset(
        &mut *tx,
        NewDataset { name: &name, filename: None, sha256: &sha256, size_bytes: size, profile: &profile, lineage: Some(lineage), created_by: job.created_by },
    )
    .await
    .map_err(|e| JobFailure::transient(e.to_string()))?;
    tx.commit().await.map_err(|e| JobFailure::transient(e.to_string()))?;
    Ok(json!({ "dataset_id": created.id, "dataset_url": format!("/v1/datasets/{}", created.id), "rows": rows, "device": device }))
}
