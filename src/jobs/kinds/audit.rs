//! The `audit` job: runs an audit request over a stored dataset (and model)
//! into a stored, optionally signed report, with its PII findings export
//! committed as a blob in the same transaction. A retried job finds the
//! report an earlier attempt stored.
//!
//! A Parquet dataset of more than `PROBITY_AUDIT_SHARD_ROWS` rows is audited
//! in shards: the job enqueues one `audit_shard` job per row range (any
//! worker runs them; a lost one is retried alone), waits for them back in the
//! queue, then merges the parts they stored into the report one pass over
//! every row would give.

use std::io::Write;
use std::sync::Arc;

use probity_audit::audit::{self, AuditModels, AuditPart, AuditRequest, ModelToRun, RowRange};
use probity_audit::dataset::DatasetFormat;
use probity_audit::model::ModelKind;
use probity_audit::ner::{LabelMap, NerModel, Vocabulary};
use probity_audit::report::{
    AuditReport, DatasetInput, ModelInput, ModelTraining, NerModelInput, results_digest_of,
};
use probity_fairness::policy::Outcome;
use probity_fairness::query::BATCH_ROWS;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit_shard::AuditShardPayload;
use super::{JobPayload, to_result};
use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, ensure_unchanged,
    load_dataset, load_model, verified_blob,
};
use crate::jobs::queue::{self, Job, JobQueue, JobStatus, NewJob};
use crate::store::blobs::{HashingWriter, LocalBlob, StagedBlob};
use crate::store::catalog::{self, Dataset};
use crate::store::parts;
use crate::store::reports::{self, ReportSummary};

/// Runs one attempt of an `audit` job; one that re-runs a report
/// (`reproduces`) also says whether its results digest matches that report's.
pub(super) async fn run(
    request: AuditRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let reproduces = request.reproduces;
    let pool = context.pool.clone();
    let mut result = run_audit(request, job, context, control).await?;
    if let Some(original) = reproduces {
        let comparison = reproduction(&pool, original, &result).await?;
        if let Value::Object(fields) = &mut result {
            fields.insert("reproduction".into(), comparison);
        }
    }
    Ok(result)
}

/// The results digests of the original report and of the one this job stored.
async fn reproduction(
    pool: &sqlx::PgPool,
    original: Uuid,
    result: &Value,
) -> Result<Value, JobFailure> {
    let digest = |body: Option<Value>| body.map(|body| results_digest_of(&body));
    let original_body = reports::get(pool, original)
        .await
        .context("reading the reproduced report")?
        .map(|stored| stored.body);
    let new_id = result["report_id"]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok());
    let new_body = match new_id {
        Some(id) => reports::get(pool, id)
            .await
            .context("reading the new report")?
            .map(|stored| stored.body),
        None => None,
    };
    let (before, after) = (digest(original_body), digest(new_body));
    Ok(to_result(Reproduction {
        report_id: original,
        matches: before.is_some() && before == after,
        original_results_sha256: before,
        results_sha256: after,
    }))
}

/// The result of an `audit` job: where its report is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditResult {
    /// The report the audit stored.
    pub report_id: Uuid,
    /// Where to read it.
    pub report_url: String,
    /// Its verdict.
    #[schema(value_type = Outcome)]
    pub verdict: String,
    /// For a re-run (`POST /v1/reports/{id}/reproduce`): whether its results match the original's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduction: Option<Reproduction>,
}

/// How a re-run's results compare with the report it re-ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reproduction {
    /// The report re-run.
    pub report_id: Uuid,
    /// Its `results_sha256` (null when it can no longer be read).
    pub original_results_sha256: Option<String>,
    /// The new report's `results_sha256`.
    pub results_sha256: Option<String>,
    /// Whether the two digests are the same.
    pub matches: bool,
}

/// Runs the audit itself (or finds the report an earlier attempt stored).
async fn run_audit(
    request: AuditRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let existing = reports::for_job(&context.pool, job.id)
        .await
        .context("looking up an earlier report")?;
    if let Some(report) = existing {
        return Ok(result(&report));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.check()?;
    // Shards an earlier claim enqueued decide, whatever this worker's shard size.
    let children = JobQueue::new(context.pool.clone())
        .children(job.id)
        .await
        .context("reading the audit's shards")?;
    let shards = plan_shards(&dataset, context.config.audit_shard_rows);
    if !children.is_empty() || shards.len() > 1 {
        return run_sharded(
            request, job, &context, &control, &dataset, &shards, children,
        )
        .await;
    }
    control.set_progress(0.05, "auditing fairness");
    // The verified local copies stay alive (and on disk) until the audit ends.
    let (models, model_files) = models_to_run(&context, &request).await?;
    let data = dataset_rows(&context, &dataset).await?;
    let input = dataset_input(&dataset);
    let findings_path = findings_file(&context, &request)?;
    let location = data.location.clone();
    let (report, findings) = tokio::task::spawn_blocking(move || {
        let mut export = FindingsExport::create(findings_path)?;
        let report = audit::run(&request, &location, input, models, export.lines())?;
        Ok::<_, JobFailure>((report, export.finish()?))
    })
    .await??;
    drop(model_files);
    // Objects rewritten while they were read would make the report cite rows it did not see.
    ensure_unchanged(&context, &dataset).await?;
    drop(data);
    control.check()?;
    store_report(&context, job, &dataset, report, findings, false).await
}

/// The row ranges of the shards of an audit of `dataset` (one range: not sharded).
fn plan_shards(dataset: &Dataset, shard_rows: u64) -> Vec<RowRange> {
    let total = dataset.row_count.max(0) as u64;
    if shard_rows == 0 || total <= shard_rows || dataset.format != DatasetFormat::Parquet {
        return vec![RowRange {
            offset: 0,
            rows: total,
            total,
        }];
    }
    // Shards start at multiples of the batch size, so every shard reads the
    // same batches (and PII chunks) as one pass over all rows would.
    let size = shard_rows.next_multiple_of(BATCH_ROWS as u64);
    (0..total)
        .step_by(size as usize)
        .map(|offset| RowRange {
            offset,
            rows: size.min(total - offset),
            total,
        })
        .collect()
}

/// A sharded audit: enqueue the shards (`children` is empty on the first
/// claim), wait for them, merge their parts.
async fn run_sharded(
    request: AuditRequest,
    job: &Job,
    context: &JobContext,
    control: &JobControl,
    dataset: &Dataset,
    shards: &[RowRange],
    children: Vec<Job>,
) -> Result<Value, JobFailure> {
    let queue = JobQueue::new(context.pool.clone());
    let total = if children.is_empty() {
        shards.len()
    } else {
        children.len()
    };
    let wait = |done: usize| JobFailure::Wait {
        after: context.config.poll_interval(),
        progress: 0.05 + 0.85 * done as f64 / total as f64,
        message: format!("{done} of {total} shards done"),
    };
    if children.is_empty() {
        let mut tx = context.pool.begin().await.context("enqueuing shards")?;
        for (shard, range) in shards.iter().enumerate() {
            let payload = JobPayload::AuditShard(AuditShardPayload {
                audit_job_id: job.id,
                shard: shard as u32,
                offset: range.offset,
                rows: range.rows,
                total_rows: range.total,
            });
            let shard_job = NewJob {
                created_by: job.created_by,
                parent_id: Some(job.id),
                ..NewJob::new(payload)
            };
            queue::enqueue(&mut tx, &shard_job)
                .await
                .context("enqueuing shards")?;
        }
        tx.commit().await.context("enqueuing shards")?;
        return Err(wait(0));
    }
    for child in &children {
        if matches!(child.status, JobStatus::Failed | JobStatus::Cancelled) {
            for sibling in children.iter().filter(|c| !c.status.is_terminal()) {
                let _ = queue.request_cancel(sibling.id).await;
            }
            let shard = serde_json::from_value::<AuditShardPayload>(child.payload.clone())
                .map(|p| {
                    let last = p.offset + p.rows;
                    format!("shard {} (rows {} to {last})", p.shard, p.offset + 1)
                })
                .unwrap_or_else(|_| format!("shard job {}", child.id));
            let why = match child.status {
                JobStatus::Cancelled => "was cancelled".to_string(),
                _ => format!(
                    "failed: {}",
                    child.error.as_deref().unwrap_or("no reason given")
                ),
            };
            return Err(JobFailure::permanent(format!("{shard} {why}")));
        }
    }
    let done = children
        .iter()
        .filter(|c| c.status == JobStatus::Succeeded)
        .count();
    if done < total {
        return Err(wait(done));
    }
    control.set_progress(0.9, "merging shards");
    merge_shards(request, job, context, dataset).await
}

/// Merges the parts every shard stored into the report and stores it.
async fn merge_shards(
    request: AuditRequest,
    job: &Job,
    context: &JobContext,
    dataset: &Dataset,
) -> Result<Value, JobFailure> {
    let stored = parts::stored_shards(&context.pool, job.id)
        .await
        .context("reading the shards' parts")?;
    let mut merged: Option<AuditPart> = None;
    let mut findings_copies: Vec<LocalBlob> = Vec::new();
    for (shard, findings_sha256) in stored {
        let part: AuditPart = parts::load(&context.pool, job.id, shard)
            .await
            .map_err(|e| {
                JobFailure::permanent(format!("shard {shard} stored an unreadable part: {e}"))
            })?
            .ok_or_else(|| JobFailure::permanent(format!("the part of shard {shard} is gone")))?;
        match &mut merged {
            None => merged = Some(part),
            Some(total) => total.merge(part),
        }
        if let Some(sha256) = &findings_sha256 {
            let what = format!("the PII findings of shard {shard}");
            findings_copies.push(verified_blob(context, sha256, &what).await?);
        }
    }
    let merged =
        merged.ok_or_else(|| JobFailure::permanent("the audit's shards stored no parts"))?;
    let model = match request.model_id {
        None => None,
        Some(id) => Some(model_input(&load_model(context, id).await?)),
    };
    let ner_model = match ner_model_id(&request) {
        None => None,
        Some(id) => Some(ner_model_input(&load_model(context, id).await?)?),
    };
    let data = dataset_rows(context, dataset).await?;
    let (location, input) = (data.location.clone(), dataset_input(dataset));
    let findings_path = findings_file(context, &request)?;
    let (report, findings) = tokio::task::spawn_blocking(move || {
        let mut export = FindingsExport::create(findings_path)?;
        for copy in &findings_copies {
            let mut file =
                std::fs::File::open(copy.path()).context("reading a shard's findings")?;
            std::io::copy(&mut file, export.lines()).context(EXPORT)?;
        }
        let report = audit::finish(&request, merged, &location, input, (model, ner_model))?;
        Ok::<_, JobFailure>((report, export.finish()?))
    })
    .await??;
    ensure_unchanged(context, dataset).await?;
    drop(data);
    store_report(context, job, dataset, report, findings, true).await
}

/// The job's result: where its report is.
fn result(report: &ReportSummary) -> Value {
    to_result(AuditResult {
        report_id: report.id,
        report_url: format!("/v1/reports/{}", report.id),
        verdict: report.verdict.clone(),
        reproduction: None,
    })
}

/// The dataset as the report cites it.
fn dataset_input(dataset: &Dataset) -> DatasetInput {
    DatasetInput {
        id: Some(dataset.id),
        name: dataset.name.clone(),
        sha256: dataset.sha256.clone(),
    }
}

/// The model as the report cites it.
pub(super) fn model_input(model: &catalog::Model) -> ModelInput {
    ModelInput {
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
    }
}

/// The token classifier as the report cites it; a model of another kind
/// fails the job (the API checks the kind when the audit starts).
fn ner_model_input(model: &catalog::Model) -> Result<NerModelInput, JobFailure> {
    let not_ner = || {
        JobFailure::permanent(format!(
            "model {} is not a token classifier (checks.pii.ner_model_id)",
            model.id
        ))
    };
    if model.kind != ModelKind::TokenClassifier {
        return Err(not_ner());
    }
    Ok(NerModelInput {
        id: model.id,
        name: model.name.clone(),
        version: model.version.clone(),
        sha256: model.sha256.clone(),
        vocabulary_sha256: model.vocabulary_sha256.clone().ok_or_else(not_ner)?,
        labels: model.labels.as_ref().ok_or_else(not_ner)?.0.clone(),
        max_tokens: model.max_tokens.ok_or_else(not_ner)? as u32,
    })
}

/// The NER model a request's PII check names.
fn ner_model_id(request: &AuditRequest) -> Option<Uuid> {
    request.checks.pii.as_ref().and_then(|p| p.ner_model_id)
}

/// The request's models, ready to run, with their verified local copies
/// (keep them alive while the models run).
pub(super) async fn models_to_run(
    context: &JobContext,
    request: &AuditRequest,
) -> Result<(AuditModels, Vec<LocalBlob>), JobFailure> {
    let mut models = AuditModels::default();
    let mut files = Vec::new();
    if let Some(id) = request.model_id {
        let model = load_model(context, id).await?;
        let file = verified_blob(context, &model.sha256, &format!("model {id}")).await?;
        models.scorer = Some(ModelToRun {
            input: model_input(&model),
            path: file.path().to_path_buf(),
            features: model.features.0.clone(),
            output: model.output,
            batch_size: 8192,
            sandbox: context.sandbox.clone(),
            scratch_dir: context.blobs.staging_dir(),
        });
        files.push(file);
    }
    if let Some(id) = ner_model_id(request) {
        let model = load_model(context, id).await?;
        let input = ner_model_input(&model)?;
        let vocabulary = catalog::model_vocabulary(&context.pool, id)
            .await
            .context(format!("reading the vocabulary of model {id}"))?
            .ok_or_else(|| JobFailure::permanent(format!("model {id} has no vocabulary")))?;
        let vocabulary = Vocabulary::parse(vocabulary.as_bytes())
            .map_err(|e| JobFailure::permanent(format!("the vocabulary of model {id}: {e}")))?;
        if vocabulary.sha256() != input.vocabulary_sha256 {
            return Err(JobFailure::permanent(format!(
                "the vocabulary of model {id} no longer matches its sha256"
            )));
        }
        let labels = LabelMap::parse(&input.labels)
            .map_err(|e| JobFailure::permanent(format!("the labels of model {id}: {e}")))?;
        let file = verified_blob(context, &model.sha256, &format!("model {id}")).await?;
        models.ner = Some(NerModel {
            path: file.path().to_path_buf(),
            output: model.output,
            labels,
            max_tokens: input.max_tokens as usize,
            vocabulary,
            sandbox: context.sandbox.clone(),
            input,
        });
        files.push(file);
    }
    Ok((models, files))
}

/// A fresh staging file for the PII findings, when the request scans for PII.
pub(super) fn findings_file(
    context: &JobContext,
    request: &AuditRequest,
) -> Result<Option<tempfile::TempPath>, JobFailure> {
    match request.checks.pii {
        None => Ok(None),
        Some(_) => Ok(Some(
            context
                .blobs
                .staging_file(".ndjson")
                .context("creating the PII findings file")?,
        )),
    }
}

const EXPORT: &str = "writing the PII findings";

/// PII findings lines going to a hashed staging file, or nowhere when the
/// audit scans for no PII.
pub(super) struct FindingsExport {
    path: Option<tempfile::TempPath>,
    file: Option<HashingWriter<std::io::BufWriter<std::fs::File>>>,
    sink: std::io::Sink,
}

impl FindingsExport {
    /// Writes to the staging file at `path`, if any (blocking).
    pub(super) fn create(path: Option<tempfile::TempPath>) -> Result<Self, JobFailure> {
        let file = match &path {
            None => None,
            Some(path) => Some(HashingWriter::new(std::io::BufWriter::new(
                std::fs::File::create(path).context(EXPORT)?,
            ))),
        };
        Ok(Self {
            path,
            file,
            sink: std::io::sink(),
        })
    }

    /// Where lines go.
    pub(super) fn lines(&mut self) -> &mut dyn Write {
        match self.file.as_mut() {
            Some(file) => file,
            None => &mut self.sink,
        }
    }

    /// The staged file with its hash (none without a PII check).
    pub(super) fn finish(self) -> Result<Option<StagedBlob>, JobFailure> {
        match (self.path, self.file) {
            (Some(path), Some(file)) => Ok(Some(file.finish(path).context(EXPORT)?)),
            _ => Ok(None),
        }
    }
}

/// Stores the report (with its findings export's hash and blob) in one
/// transaction; with `merged`, the shards' parts and their findings blobs go
/// in the same transaction.
async fn store_report(
    context: &JobContext,
    job: &Job,
    dataset: &Dataset,
    mut report: AuditReport,
    findings: Option<StagedBlob>,
    merged: bool,
) -> Result<Value, JobFailure> {
    if let (Some(pii), Some(findings)) = (report.pii.as_mut(), &findings) {
        pii.findings_export.sha256 = Some(findings.sha256.clone());
    }
    report.seal_results();
    report
        .ensure_storable()
        .map_err(|e| JobFailure::permanent(e.to_string()))?;
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
        let mut removals = Vec::new();
        if merged {
            for sha256 in parts::delete_for_audit(&mut tx, job.id).await? {
                removals.extend(
                    context
                        .blobs
                        .release_if_unreferenced(&mut tx, &sha256)
                        .await?,
                );
            }
        }
        context.blobs.place_and_commit(tx, findings).await?;
        removals.into_iter().for_each(|removal| removal.finish());
        anyhow::Ok(stored)
    };
    let stored = store.await.context("storing the report")?;
    Ok(result(&stored))
}
