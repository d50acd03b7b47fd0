//! The `audit` job: runs an audit request over a stored dataset (and model)
//! into a stored, optionally signed report, with its PII findings export
//! committed as a blob in the same transaction. A retried job finds the
//! report an earlier attempt stored.

use std::io::Write;
use std::sync::Arc;

use probity_audit::audit::{self, AuditRequest, ModelToRun};
use probity_audit::dataset::DatasetLocation;
use probity_audit::report::{AuditReport, DatasetInput, ModelInput, ModelTraining};
use serde_json::{Value, json};

use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, ensure_unchanged,
    load_dataset, load_model, verified_blob,
};
use crate::jobs::queue::Job;
use crate::store::blobs::{HashingWriter, StagedBlob};
use crate::store::reports::{self, ReportSummary};

/// Runs one attempt of an `audit` job.
pub(super) async fn run(
    request: AuditRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let result = |report: &ReportSummary| {
        json!({
            "report_id": report.id,
            "report_url": format!("/v1/reports/{}", report.id),
            "verdict": report.verdict,
        })
    };
    let existing = reports::for_job(&context.pool, job.id)
        .await
        .context("looking up an earlier report")?;
    if let Some(report) = existing {
        return Ok(result(&report));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.check()?;
    control.set_progress(0.05, "auditing fairness");
    // The verified local copies stay alive (and on disk) until the audit ends.
    let (model, model_file) = match request.model_id {
        None => (None, None),
        Some(id) => {
            let model = load_model(&context, id).await?;
            let file = verified_blob(&context, &model.sha256, &format!("model {id}")).await?;
            let model = ModelToRun {
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
                path: file.path().to_path_buf(),
                features: model.features.0.clone(),
                output: model.output,
                batch_size: 8192,
                sandbox: context.sandbox.clone(),
                scratch_dir: context.blobs.staging_dir(),
            };
            (Some(model), Some(file))
        }
    };
    let data = dataset_rows(&context, &dataset).await?;
    let input = DatasetInput {
        id: Some(dataset.id),
        name: dataset.name.clone(),
        sha256: dataset.sha256.clone(),
    };
    let findings_path = match request.checks.pii {
        None => None,
        Some(_) => Some(
            context
                .blobs
                .staging_file(".ndjson")
                .context("creating the PII findings file")?,
        ),
    };
    let location = data.location.clone();
    let (report, findings) = tokio::task::spawn_blocking(move || {
        run_audit(&request, &location, input, model, findings_path)
    })
    .await??;
    drop(model_file);
    // Objects rewritten while they were read would make the report cite rows it did not see.
    ensure_unchanged(&context, &dataset).await?;
    drop(data);
    control.check()?;
    report
        .ensure_storable()
        .map_err(|e| JobFailure::permanent(e.to_string()))?;
    control.set_progress(0.95, "storing report");
    let store = async {
        let mut tx = context.pool.begin().await?;
        if let Some(findings) = &findings {
            context.blobs.record(&mut tx, findings).await?;
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
        let placed = match findings {
            Some(findings) => Some(context.blobs.place(findings).await?),
            None => None,
        };
        tx.commit().await?;
        if let Some(placed) = placed {
            placed.keep();
        }
        anyhow::Ok(stored)
    };
    let stored = store.await.context("storing the report")?;
    Ok(result(&stored))
}

/// Runs the audit (blocking), writing PII findings to `findings_path` and
/// recording that file's hash in the report.
fn run_audit(
    request: &AuditRequest,
    location: &DatasetLocation,
    input: DatasetInput,
    model: Option<ModelToRun>,
    findings_path: Option<tempfile::TempPath>,
) -> Result<(AuditReport, Option<StagedBlob>), JobFailure> {
    const EXPORT: &str = "writing the PII findings";
    let mut export = match &findings_path {
        None => None,
        Some(path) => Some(HashingWriter::new(std::io::BufWriter::new(
            std::fs::File::create(path).context(EXPORT)?,
        ))),
    };
    let mut sink = std::io::sink();
    let writer: &mut dyn Write = match export.as_mut() {
        Some(export) => export,
        None => &mut sink,
    };
    let mut report = audit::run(request, location, input, model, writer)?;
    let findings = match (findings_path, export) {
        (Some(path), Some(export)) => Some(export.finish(path).context(EXPORT)?),
        _ => None,
    };
    if let (Some(pii), Some(findings)) = (report.pii.as_mut(), &findings) {
        pii.findings_export.sha256 = Some(findings.sha256.clone());
    }
    Ok((report, findings))
}
