//! What the shard jobs of a sharded audit store for its merge: each shard's
//! counts (`probity_audit::audit::AuditPart` as JSON) and the blob of its PII
//! findings lines. The merge deletes them with the report's transaction.

use serde_json::Value;
use sqlx::{PgExecutor, Postgres, Transaction};
use uuid::Uuid;

/// One shard's stored part.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredPart {
    /// Position of the shard in the audit.
    pub shard: i32,
    /// The shard's counts.
    pub part: Value,
    /// sha256 of the blob of its PII findings lines, if it wrote any file.
    pub findings_sha256: Option<String>,
}

/// Stores a shard's part (in the transaction that records its findings blob).
pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    shard_job: Uuid,
    audit_job: Uuid,
    shard: i32,
    part: &Value,
    findings_sha256: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_parts (job_id, audit_job_id, shard, part, findings_sha256)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(shard_job)
    .bind(audit_job)
    .bind(shard)
    .bind(part)
    .bind(findings_sha256)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether the shard job stored its part already (an earlier attempt did).
pub async fn exists<'e>(db: impl PgExecutor<'e>, shard_job: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM audit_parts WHERE job_id = $1)")
        .bind(shard_job)
        .fetch_one(db)
        .await
}

/// The parts of an audit, in shard order.
pub async fn for_audit<'e>(
    db: impl PgExecutor<'e>,
    audit_job: Uuid,
) -> sqlx::Result<Vec<StoredPart>> {
    sqlx::query_as(
        "SELECT shard, part, findings_sha256 FROM audit_parts WHERE audit_job_id = $1 ORDER BY shard",
    )
    .bind(audit_job)
    .fetch_all(db)
    .await
}

/// Deletes an audit's parts; the findings blobs they referenced.
pub async fn delete_for_audit(
    tx: &mut Transaction<'_, Postgres>,
    audit_job: Uuid,
) -> sqlx::Result<Vec<String>> {
    let blobs: Vec<Option<String>> = sqlx::query_scalar(
        "DELETE FROM audit_parts WHERE audit_job_id = $1 RETURNING findings_sha256",
    )
    .bind(audit_job)
    .fetch_all(&mut **tx)
    .await?;
    Ok(blobs.into_iter().flatten().collect())
}
