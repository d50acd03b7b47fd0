//! The `audit_shard` job: one row range of a sharded audit. It runs the
//! audit's checks (and model) over its rows and stores what it counted and
//! its PII findings lines for the audit job to merge. A retried shard finds
//! the part an earlier attempt stored.

use std::sync::Arc;

use probity_audit::audit::{self, RowRange};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::{FindingsExport, findings_file, models_to_run};
use super::{JobPayload, to_result};
use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, load_dataset,
};
use crate::jobs::queue::{Job, JobQueue};
use crate::store::parts;

/// Payload of an `audit_shard` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditShardPayload {
    /// The audit job this shard is a part of (its request says what to run).
    pub audit_job_id: Uuid,
    /// Position of the shard (0-based).
    pub shard: u32,
    /// First dataset row of the shard (0-based).
    pub offset: u64,
    /// Rows in the shard.
    pub rows: u64,
    /// Rows in the whole dataset.
    pub total_rows: u64,
}

/// The result of an `audit_shard` job: which shard, of how many rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditShardResult {
    /// Position of the shard (0-based).
    pub shard: u32,
    /// Rows counted.
    pub rows: u64,
}

/// Runs one attempt of an `audit_shard` job.
pub(super) async fn run(
    payload: AuditShardPayload,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let result = to_result(AuditShardResult {
        shard: payload.shard,
        rows: payload.rows,
    });
    if parts::exists(&context.pool, job.id)
        .await
        .context("looking up an earlier part")?
    {
        return Ok(result);
    }
    let audit_job = JobQueue::new(context.pool.clone())
        .get(payload.audit_job_id)
        .await
        .context("reading the audit job")?
        .ok_or_else(|| JobFailure::permanent("the audit job of this shard no longer exists"))?;
    let request = match JobPayload::from_row(&audit_job.kind, &audit_job.payload) {
        Ok(JobPayload::Audit(request)) => *request,
        _ => return Err(JobFailure::permanent("the parent job is not an audit")),
    };
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.check()?;
    control.set_progress(0.05, "auditing the shard's rows");
    let (models, model_files) = models_to_run(&context, &request).await?;
    let data = dataset_rows(&context, &dataset).await?;
    let findings_path = findings_file(&context, &request)?;
    let range = RowRange {
        offset: payload.offset,
        rows: payload.rows,
        total: payload.total_rows,
    };
    let location = data.location.clone();
    let (part, findings) = tokio::task::spawn_blocking(move || {
        let mut export = FindingsExport::create(findings_path)?;
        let part = audit::run_part(&request, &location, Some(range), &models, export.lines())?;
        Ok::<_, JobFailure>((part, export.finish()?))
    })
    .await??;
    drop((model_files, data));
    control.check()?;
    control.set_progress(0.95, "storing the shard's part");
    let store = async {
        let mut tx = context.pool.begin().await?;
        if let Some(findings) = &findings {
            context.blobs.record(&mut tx, findings).await?;
        }
        parts::insert(
            &mut *tx,
            job.id,
            payload.audit_job_id,
            payload.shard as i32,
            &part,
            findings.as_ref().map(|f| f.sha256.as_str()),
        )
        .await?;
        context.blobs.place_and_commit(tx, findings).await?;
        anyhow::Ok(())
    };
    store.await.context("storing the shard's part")?;
    Ok(result)
}
