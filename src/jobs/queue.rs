//! The durable job queue in Postgres: enqueue, claim with
//! `FOR UPDATE SKIP LOCKED` under a lease, heartbeat, finish, retry with
//! backoff, cancel. Every worker-side update is guarded by `locked_by`, so a
//! worker that lost its lease cannot overwrite the job's new owner.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use super::kinds::JobPayload;
use crate::store::cursor::Cursor;

/// Runnable running jobs: the lease expired, attempts are left and no cancel was asked.
const EXPIRED: &str = "status = 'running' AND lease_expires_at < now()
                  AND attempts < max_attempts AND NOT cancel_requested";
/// Runnable queued jobs: due.
const QUEUED: &str = "status = 'queued' AND run_after <= now()";

/// The claim statement, with parameters `$1` worker, `$2` lease in
/// milliseconds, `$3` kinds; public so that tests and benchmarks can EXPLAIN
/// exactly what a worker runs. It picks a running job whose lease expired
/// (attempts left, no cancel asked) first, as it was claimed before anything
/// still queued; else the queued, due job with the earliest `run_after`.
/// Each choice is its own subquery on its own partial index (`jobs_running`,
/// a handful of rows; `jobs_claimable`, read in order), and the second runs
/// only when the first finds nothing, so a claim costs the same with an empty
/// queue and with a deep backlog.
pub fn claim_statement() -> String {
    let pick = |runnable: &str| {
        format!(
            "(SELECT id FROM jobs WHERE kind = ANY($3) AND {runnable}
              ORDER BY run_after, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
        )
    };
    format!(
        "WITH next AS (
            SELECT coalesce({expired}, {queued}) AS id
         ), lost AS (
            UPDATE job_runs SET finished_at = now(), outcome = 'lease_expired'
            WHERE finished_at IS NULL AND job_id IN (SELECT id FROM next)
         ), claimed AS (
            UPDATE jobs j SET
                status = 'running', attempts = j.attempts + 1, locked_by = $1,
                lease_expires_at = now() + $2 * interval '1 millisecond',
                started_at = coalesce(j.started_at, now()), updated_at = now(),
                progress_message = CASE WHEN j.status = 'running'
                                        THEN 'resumed after the previous worker stopped responding'
                                        ELSE j.progress_message END
            FROM next WHERE j.id = next.id
            RETURNING j.*
         ), run AS (
            INSERT INTO job_runs (job_id, attempt, worker) SELECT id, attempts, $1 FROM claimed
         )
         SELECT {JOB_COLUMNS} FROM claimed",
        expired = pick(EXPIRED),
        queued = pick(QUEUED),
    )
}

/// Life-cycle state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting for a worker (also while waiting for a retry).
    Queued,
    /// Claimed by a worker under a lease.
    Running,
    /// Finished with a result.
    Succeeded,
    /// Finished with an error, attempts exhausted or not retryable.
    Failed,
    /// Cancelled on request.
    Cancelled,
}

impl JobStatus {
    /// True for succeeded, failed and cancelled.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }
}

/// A job as stored and as returned by the API.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Job {
    /// Job id.
    pub id: Uuid,
    /// What the job does.
    #[schema(value_type = crate::jobs::kinds::JobKind)]
    pub kind: String,
    /// Current state.
    pub status: JobStatus,
    /// Parameters of the job: the request of its kind.
    #[schema(value_type = crate::jobs::kinds::JobParameters)]
    pub payload: Value,
    /// Result of a succeeded job (links to what it produced), per kind.
    #[schema(value_type = Option<crate::jobs::kinds::JobResult>)]
    pub result: Option<Value>,
    /// Why the job failed (or the last attempt failed).
    pub error: Option<String>,
    /// Progress from 0 to 1.
    pub progress: f64,
    /// What the job is doing now.
    pub progress_message: Option<String>,
    /// Claims so far.
    pub attempts: i32,
    /// Claims allowed before the job fails for good.
    pub max_attempts: i32,
    /// Earliest time of the next claim (retry backoff).
    pub run_after: DateTime<Utc>,
    /// When the current lease runs out unless renewed.
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// Worker holding the lease.
    pub locked_by: Option<String>,
    /// Whether cancellation was asked for.
    pub cancel_requested: bool,
    /// API key that created the job.
    pub created_by: Option<Uuid>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// First claim time.
    pub started_at: Option<DateTime<Utc>>,
    /// Time the job reached a terminal state.
    pub finished_at: Option<DateTime<Utc>>,
    /// Last change of any field.
    pub updated_at: DateTime<Utc>,
    /// The job this one is a part of (an `audit_shard`'s audit).
    pub parent_id: Option<Uuid>,
}

const JOB_COLUMNS: &str = "id, kind, status, payload, result, error, progress, progress_message, attempts, \
                           max_attempts, run_after, lease_expires_at, locked_by, cancel_requested, created_by, \
                           created_at, started_at, finished_at, updated_at, parent_id";

/// A job to enqueue: what it does and how it may run.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The kind and its typed payload.
    pub payload: JobPayload,
    /// Attempts before a retryable failure becomes final.
    pub max_attempts: i32,
    /// Repeat-safe key: the same key, caller and kind return the same job.
    pub idempotency_key: Option<String>,
    /// The API key that asked for it.
    pub created_by: Option<Uuid>,
    /// The job this one is a part of.
    pub parent_id: Option<Uuid>,
}

impl NewJob {
    /// A job with the default of 3 attempts.
    pub fn new(payload: JobPayload) -> Self {
        Self {
            payload,
            max_attempts: 3,
            idempotency_key: None,
            created_by: None,
            parent_id: None,
        }
    }
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heartbeat {
    /// Lease renewed; keep going.
    Renewed,
    /// Lease renewed, and a cancel was requested.
    CancelRequested,
    /// The job is no longer ours (lease expired and re-claimed, or finished).
    Lost,
}

/// Why a cancel request was refused.
#[derive(Debug, thiserror::Error)]
pub enum CancelError {
    #[error("job not found")]
    NotFound,
    #[error("the job already finished as {0:?}")]
    AlreadyFinished(JobStatus),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Handle on the queue tables.
#[derive(Debug, Clone)]
pub struct JobQueue {
    pool: PgPool,
}

fn millis(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

impl JobQueue {
    /// Queue on this pool.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Enqueues a job on its own; `enqueue` does it inside a caller's transaction.
    pub async fn enqueue(&self, job: &NewJob) -> sqlx::Result<Job> {
        enqueue(&mut *self.pool.acquire().await?, job).await
    }

    /// One job by id.
    pub async fn get(&self, id: Uuid) -> sqlx::Result<Option<Job>> {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    /// A page of jobs, newest first, optionally filtered by status and kind.
    pub async fn list(
        &self,
        limit: i64,
        after: Option<Cursor>,
        status: Option<JobStatus>,
        kind: Option<&str>,
    ) -> sqlx::Result<Vec<Job>> {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM jobs
             WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
               AND ($3::text IS NULL OR status = $3)
               AND ($4::text IS NULL OR kind = $4)
             ORDER BY created_at DESC, id DESC LIMIT $5"
        )))
        .bind(after.map(|c| c.created_at))
        .bind(after.map(|c| c.id))
        .bind(status)
        .bind(kind)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// Number of jobs per status, for metrics.
    pub async fn depth(&self) -> sqlx::Result<Vec<(JobStatus, i64)>> {
        sqlx::query_as("SELECT status, count(*) FROM jobs GROUP BY status")
            .fetch_all(&self.pool)
            .await
    }

    /// Ends running jobs whose lease expired and that may not be retried:
    /// attempts exhausted (failed) or cancel requested (cancelled).
    pub async fn settle_expired(&self) -> sqlx::Result<u64> {
        let result = sqlx::query(
            "WITH settled AS (
                UPDATE jobs SET
                    status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'failed' END,
                    error = CASE WHEN cancel_requested THEN error
                                 ELSE 'the worker stopped responding (lease expired) on attempt '
                                      || attempts || ' of ' || max_attempts END,
                    finished_at = now(), updated_at = now(), locked_by = NULL, lease_expires_at = NULL
                WHERE status = 'running' AND lease_expires_at < now()
                  AND (attempts >= max_attempts OR cancel_requested)
                RETURNING id)
             UPDATE job_runs SET finished_at = now(), outcome = 'lease_expired'
             WHERE finished_at IS NULL AND job_id IN (SELECT id FROM settled)",
        )
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Claims the next runnable job for `worker`, among `kinds` (see
    /// `claim_statement` for which comes first and why it stays cheap).
    pub async fn claim(
        &self,
        worker: &str,
        kinds: &[&str],
        lease: Duration,
    ) -> sqlx::Result<Option<Job>> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        sqlx::query_as(sqlx::AssertSqlSafe(claim_statement()))
            .bind(worker)
            .bind(millis(lease))
            .bind(&kinds)
            .fetch_optional(&self.pool)
            .await
    }

    /// Renews the lease and records progress; tells whether to keep going.
    pub async fn heartbeat(
        &self,
        id: Uuid,
        worker: &str,
        lease: Duration,
        progress: Option<(f64, &str)>,
    ) -> sqlx::Result<Heartbeat> {
        let cancel: Option<bool> = sqlx::query_scalar(
            "UPDATE jobs SET lease_expires_at = now() + $3 * interval '1 millisecond',
                    progress = coalesce($4, progress), progress_message = coalesce($5, progress_message),
                    updated_at = CASE WHEN $4 IS NULL THEN updated_at ELSE now() END
             WHERE id = $1 AND locked_by = $2 AND status = 'running'
             RETURNING cancel_requested",
        )
        .bind(id)
        .bind(worker)
        .bind(millis(lease))
        .bind(progress.map(|p| p.0.clamp(0.0, 1.0)))
        .bind(progress.map(|p| p.1))
        .fetch_optional(&self.pool)
        .await?;
        Ok(match cancel {
            None => Heartbeat::Lost,
            Some(true) => Heartbeat::CancelRequested,
            Some(false) => Heartbeat::Renewed,
        })
    }

    async fn finish(
        &self,
        id: Uuid,
        worker: &str,
        status: JobStatus,
        result: Option<&Value>,
        error: Option<&str>,
        outcome: &str,
    ) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "WITH done AS (
                UPDATE jobs SET status = $3, result = $4, error = $5, finished_at = now(), updated_at = now(),
                       progress = CASE WHEN $3 = 'succeeded' THEN 1 ELSE progress END,
                       locked_by = NULL, lease_expires_at = NULL
                WHERE id = $1 AND locked_by = $2 AND status = 'running'
                RETURNING id)
             UPDATE job_runs SET finished_at = now(), outcome = $6
             WHERE job_id IN (SELECT id FROM done) AND worker = $2 AND finished_at IS NULL
             RETURNING job_id",
        )
        .bind(id)
        .bind(worker)
        .bind(status)
        .bind(result)
        .bind(error)
        .bind(outcome)
        .fetch_optional(&self.pool)
        .await?;
        Ok(done.is_some())
    }

    /// Marks the job succeeded with its result.
    pub async fn succeed(&self, id: Uuid, worker: &str, result: &Value) -> sqlx::Result<bool> {
        self.finish(
            id,
            worker,
            JobStatus::Succeeded,
            Some(result),
            None,
            "succeeded",
        )
        .await
    }

    /// Marks the job cancelled (after the worker stopped on a cancel request).
    pub async fn mark_cancelled(&self, id: Uuid, worker: &str) -> sqlx::Result<bool> {
        self.finish(id, worker, JobStatus::Cancelled, None, None, "cancelled")
            .await
    }

    /// Records a failed attempt: back to the queue after a backoff when
    /// `retryable` and attempts remain, otherwise failed for good.
    pub async fn fail(
        &self,
        id: Uuid,
        worker: &str,
        error: &str,
        retryable: bool,
    ) -> sqlx::Result<JobStatus> {
        let requeued = sqlx::query(
            "WITH requeued AS (
                UPDATE jobs SET status = 'queued', error = $3, locked_by = NULL, lease_expires_at = NULL,
                       run_after = now() + (2 ^ least(attempts, 8)) * interval '1 second', updated_at = now()
                WHERE id = $1 AND locked_by = $2 AND status = 'running' AND $4 AND attempts < max_attempts
                  AND NOT cancel_requested
                RETURNING id)
             UPDATE job_runs SET finished_at = now(), outcome = 'failed'
             WHERE job_id IN (SELECT id FROM requeued) AND worker = $2 AND finished_at IS NULL
             RETURNING job_id",
        )
        .bind(id)
        .bind(worker)
        .bind(error)
        .bind(retryable)
        .fetch_optional(&self.pool)
        .await?;
        if requeued.is_some() {
            return Ok(JobStatus::Queued);
        }
        self.finish(id, worker, JobStatus::Failed, None, Some(error), "failed")
            .await?;
        Ok(JobStatus::Failed)
    }

    /// Hands a running job back to the queue without counting the attempt (graceful shutdown).
    pub async fn release(&self, id: Uuid, worker: &str) -> sqlx::Result<bool> {
        let released = sqlx::query(
            "WITH released AS (
                UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL,
                       lease_expires_at = NULL, run_after = now(), updated_at = now(),
                       progress_message = 'returned to the queue by a worker shutting down'
                WHERE id = $1 AND locked_by = $2 AND status = 'running'
                RETURNING id)
             UPDATE job_runs SET finished_at = now(), outcome = 'released'
             WHERE job_id IN (SELECT id FROM released) AND worker = $2 AND finished_at IS NULL
             RETURNING job_id",
        )
        .bind(id)
        .bind(worker)
        .fetch_optional(&self.pool)
        .await?;
        Ok(released.is_some())
    }

    /// Hands a running job back to the queue until `after` has passed,
    /// without counting the attempt: a job waiting for its parts.
    pub async fn defer(
        &self,
        id: Uuid,
        worker: &str,
        after: std::time::Duration,
        progress: f64,
        message: &str,
    ) -> sqlx::Result<bool> {
        let deferred = sqlx::query(
            "WITH deferred AS (
                UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL,
                       lease_expires_at = NULL, run_after = now() + $3 * interval '1 millisecond',
                       progress = $4, progress_message = $5, updated_at = now()
                WHERE id = $1 AND locked_by = $2 AND status = 'running' AND NOT cancel_requested
                RETURNING id)
             UPDATE job_runs SET finished_at = now(), outcome = 'deferred'
             WHERE job_id IN (SELECT id FROM deferred) AND worker = $2 AND finished_at IS NULL
             RETURNING job_id",
        )
        .bind(id)
        .bind(worker)
        .bind(after.as_millis() as f64)
        .bind(progress)
        .bind(message)
        .fetch_optional(&self.pool)
        .await?;
        if deferred.is_none() {
            // Cancel was asked for while it ran: it ends here.
            return self.mark_cancelled(id, worker).await;
        }
        Ok(true)
    }

    /// The jobs that are parts of `parent`, oldest first.
    pub async fn children(&self, parent: Uuid) -> sqlx::Result<Vec<Job>> {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE parent_id = $1 ORDER BY created_at, id"
        )))
        .bind(parent)
        .fetch_all(&self.pool)
        .await
    }

    /// Cancels a queued job at once, or asks a running job to stop; its
    /// parts (shards) likewise.
    pub async fn request_cancel(&self, id: Uuid) -> Result<Job, CancelError> {
        sqlx::query(
            "UPDATE jobs SET
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
                cancel_requested = true, updated_at = now()
             WHERE parent_id = $1 AND status IN ('queued', 'running')",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        let job: Option<Job> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE jobs SET
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
                cancel_requested = true, updated_at = now()
             WHERE id = $1 AND status IN ('queued', 'running')
             RETURNING {JOB_COLUMNS}"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match job {
            Some(job) => Ok(job),
            None => match self.get(id).await? {
                Some(existing) => Err(CancelError::AlreadyFinished(existing.status)),
                None => Err(CancelError::NotFound),
            },
        }
    }
}

/// Enqueues `job` on `connection` (typically a transaction, so the job
/// commits together with what asked for it), or returns the existing job for
/// the same idempotency key, caller and kind.
pub async fn enqueue(connection: &mut PgConnection, job: &NewJob) -> sqlx::Result<Job> {
    let kind = job.payload.kind();
    let inserted: Option<Job> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO jobs (id, kind, status, payload, max_attempts, idempotency_key, created_by, parent_id)
         VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7)
         ON CONFLICT (created_by, kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING {JOB_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(kind)
    .bind(job.payload.to_payload())
    .bind(job.max_attempts.max(1))
    .bind(&job.idempotency_key)
    .bind(job.created_by)
    .bind(job.parent_id)
    .fetch_optional(&mut *connection)
    .await?;
    match inserted {
        Some(job) => Ok(job),
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {JOB_COLUMNS} FROM jobs
                 WHERE created_by IS NOT DISTINCT FROM $1 AND kind = $2 AND idempotency_key = $3"
            )))
            .bind(job.created_by)
            .bind(kind)
            .bind(&job.idempotency_key)
            .fetch_one(&mut *connection)
            .await
        }
    }
}
