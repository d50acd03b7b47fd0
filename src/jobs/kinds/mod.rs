//! The job kinds workers know, and what each one does. Later capabilities
//! (`audit`, `inference`, `training`) add a variant here.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use std::io::Write;

use crate::audit_report::{AuditReport, DatasetInput, ModelInput, ModelTraining};
use crate::audits::{self, AuditError, AuditRequest, ModelToRun};
use crate::blobs::{HashingWriter, StagedBlob};
use crate::catalog;
use crate::datasets;
use crate::jobs::worker::{JobContext, JobControl, StopReason};
use crate::jobs::{Job, inference_job, training_job};
use crate::pii_check::PiiError;
use crate::reports;

/// Recomputes a stored dataset's profile.
pub const PROFILE: &str = "profile";
/// Runs an audit into a stored report.
pub const AUDIT: &str = "audit";
/// Runs a model over a dataset into a predictions dataset.
pub const INFERENCE: &str = "inference";
/// Trains a model into a stored TorchScript model.
pub const TRAINING: &str = "training";
/// Holds a worker for a given time, reporting progress and honouring cancel:
/// a liveness probe for the worker fleet, and what queue tests run.
pub const CANARY: &str = "canary";

/// Every kind a worker claims.
pub const KINDS: &[&str] = &[PROFILE, AUDIT, INFERENCE, TRAINING, CANARY];

/// How a job attempt ended other than with a result.
#[derive(Debug)]
pub enum JobFailure {
    /// The attempt failed; `retryable` says whether another attempt may help.
    Failed { message: String, retryable: bool },
    /// The job stopped because it was asked to.
    Stopped(StopReason),
}

impl JobFailure {
    /// A failure that another attempt will not fix (bad payload, missing input).
    pub fn permanent(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            retryable: false,
        }
    }

    /// A failure that may pass on retry (database or filesystem trouble).
    pub fn transient(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            retryable: true,
        }
    }
}

/// Payload of a `profile` job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilePayload {
    pub dataset_id: Uuid,
}

/// Payload of a `canary` job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanaryPayload {
    /// How long to hold the worker, in milliseconds.
    pub duration_ms: u64,
}

fn parse<T: serde::de::DeserializeOwned>(kind: &str, payload: Value) -> Result<T, JobFailure> {
    serde_json::from_value(payload)
        .map_err(|e| JobFailure::permanent(format!("invalid {kind} payload: {e}")))
}

/// Runs one attempt of `job`.
pub async fn execute(
    job: Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let payload = job.payload.clone();
    match job.kind.as_str() {
        PROFILE => profile(parse(PROFILE, payload)?, context, control).await,
        AUDIT => audit(parse(AUDIT, payload)?, &job, context, control).await,
        INFERENCE => inference_job::run(parse(INFERENCE, payload)?, &job, context, control).await,
        TRAINING => training_job::run(parse(TRAINING, payload)?, &job, context, control).await,
        CANARY => canary(parse(CANARY, payload)?, control).await,
        other => Err(JobFailure::permanent(format!(
            "no worker handles job kind `{other}`"
        ))),
    }
}

/// The dataset a job works on; gone is a permanent failure, unreachable a transient one.
pub async fn load_dataset(context: &JobContext, id: Uuid) -> Result<catalog::Dataset, JobFailure> {
    catalog::get_dataset(&context.pool, id)
        .await
        .map_err(|e| JobFailure::transient(format!("reading dataset {id}: {e}")))?
        .ok_or_else(|| JobFailure::permanent(format!("dataset {id} no longer exists")))
}

async fn profile(
    payload: ProfilePayload,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let id = payload.dataset_id;
    let dataset = load_dataset(&context, id).await?;
    control.check()?;
    control.set_progress(0.1, "profiling");
    let path = context.blobs.path_of(&dataset.sha256);
    let profile = tokio::task::spawn_blocking(move || datasets::profile_file(&path))
        .await
        .map_err(|e| JobFailure::transient(format!("profiling thread failed: {e}")))?
        .map_err(|e| JobFailure::permanent(format!("dataset {id} cannot be profiled: {e}")))?;
    control.check()?;
    control.set_progress(0.9, "saving profile");
    let updated = catalog::update_dataset_profile(&context.pool, id, &profile)
        .await
        .map_err(|e| JobFailure::transient(format!("saving profile of dataset {id}: {e}")))?;
    if !updated {
        return Err(JobFailure::permanent(format!(
            "dataset {id} was deleted while it was being profiled"
        )));
    }
    Ok(json!({
        "dataset_id": id,
        "dataset_url": format!("/v1/datasets/{id}"),
        "rows": profile.rows,
        "columns": profile.columns.len(),
    }))
}

async fn audit(
    request: AuditRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let result = |report: &reports::ReportSummary| json!({ "report_id": report.id, "report_url": format!("/v1/reports/{}", report.id), "verdict": report.verdict });
    let existing: Option<reports::ReportSummary> = reports::for_job(&context.pool, job.id)
        .await
        .map_err(|e| JobFailure::transient(format!("looking up an earlier report: {e}")))?;
    if let Some(report) = existing {
        return Ok(result(&report));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.check()?;
    control.set_progress(0.05, "auditing fairness");
    let model = match request.model_id {
        None => None,
        Some(id) => {
            let model = catalog::get_model(&context.pool, id)
                .await
                .map_err(|e| JobFailure::transient(format!("reading model {id}: {e}")))?
                .ok_or_else(|| JobFailure::permanent(format!("model {id} no longer exists")))?;
            Some(ModelToRun {
                input: ModelInput {
                    id: model.id,
                    name: model.name.clone(),
                    version: model.version.clone(),
                    sha256: model.sha256.clone(),
                    threshold: model.threshold,
                    features: model.features.0.clone(),
                    training: model
                        .lineage
                        .as_ref()
                        .and_then(|l| ModelTraining::from_lineage(&l.0)),
                },
                path: context.blobs.path_of(&model.sha256),
                features: model.features.0.clone(),
                output: model.output,
                batch_size: 8192,
            })
        }
    };
    let path = context.blobs.path_of(&dataset.sha256);
    let input = DatasetInput {
        id: Some(dataset.id),
        name: dataset.name.clone(),
        sha256: dataset.sha256.clone(),
    };
    let format = dataset.format;
    let findings_path = match request.checks.pii {
        None => None,
        Some(_) => Some(context.blobs.staging_file(".ndjson").map_err(|e| {
            JobFailure::transient(format!("creating the PII findings file: {e:#}"))
        })?),
    };
    let (report, findings) = tokio::task::spawn_blocking(move || {
        run_audit(&request, &path, format, input, model, findings_path)
    })
    .await
    .map_err(|e| JobFailure::transient(format!("audit thread failed: {e}")))??;
    control.check()?;
    control.set_progress(0.95, "storing report");
    let store = async {
        let mut tx = context.pool.begin().await?;
        if let Some(findings) = findings {
            context.blobs.commit(&mut tx, findings).await?;
        }
        let stored = reports::insert(
            &mut *tx,
            &report,
            dataset.id,
            Some(job.id),
            job.created_by,
            context.signer.as_ref(),
        )
        .await?;
        tx.commit().await?;
        anyhow::Ok(stored)
    };
    let stored = store
        .await
        .map_err(|e| JobFailure::transient(format!("storing the report: {e:#}")))?;
    Ok(result(&stored))
}

/// Runs the audit (blocking), writing PII findings to `findings_path` and
/// recording that file's hash in the report.
fn run_audit(
    request: &AuditRequest,
    path: &std::path::Path,
    format: datasets::DatasetFormat,
    input: DatasetInput,
    model: Option<ModelToRun>,
    findings_path: Option<tempfile::TempPath>,
) -> Result<(AuditReport, Option<StagedBlob>), JobFailure> {
    let io_failure =
        |e: std::io::Error| JobFailure::transient(format!("writing the PII findings: {e}"));
    let mut export = match &findings_path {
        None => None,
        Some(path) => Some(HashingWriter::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(io_failure)?,
        ))),
    };
    let mut sink = std::io::sink();
    let writer: &mut dyn Write = match export.as_mut() {
        Some(export) => export,
        None => &mut sink,
    };
    let mut report =
        audits::run(request, path, format, input, model, writer).map_err(|e| match e {
            AuditError::Read(message) => JobFailure::transient(message),
            AuditError::Pii(PiiError::Export(e)) => io_failure(e),
            other => JobFailure::permanent(other.to_string()),
        })?;
    let findings = match (findings_path, export) {
        (Some(path), Some(export)) => Some(export.finish(path).map_err(io_failure)?),
        _ => None,
    };
    if let (Some(pii), Some(findings)) = (report.pii.as_mut(), &findings) {
        pii.findings_export.sha256 = Some(findings.sha256.clone());
    }
    Ok((report, findings))
}

async fn canary(payload: CanaryPayload, control: Arc<JobControl>) -> Result<Value, JobFailure> {
    let total = Duration::from_millis(payload.duration_ms);
    let started = tokio::time::Instant::now();
    loop {
        control.check()?;
        let elapsed = started.elapsed();
        if elapsed >= total {
            return Ok(json!({ "held_ms": elapsed.as_millis() as u64 }));
        }
        control.set_progress(
            elapsed.as_secs_f64() / total.as_secs_f64().max(1e-9),
            "holding",
        );
        tokio::time::sleep(Duration::from_millis(20).min(total - elapsed)).await;
    }
}
