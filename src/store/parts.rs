//! What the shard jobs of a sharded audit store for its merge: each shard's
//! counts (`probity_audit::audit::AuditPart` as JSON) and the blob of its PII
//! findings lines. The merge deletes them with the report's transaction.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, Transaction};
use uuid::Uuid;

/// Stores a shard's part (in the transaction that records its findings blob).
pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    shard_job: Uuid,
    audit_job: Uuid,
    shard: i32,
    part: &impl Serialize,
    findings_sha256: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_parts (job_id, audit_job_id, shard, part, findings_sha256)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(shard_job)
    .bind(audit_job)
    .bind(shard)
    .bind(Json(part))
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

/// The shards of an audit that stored a part, in order, with the sha256 of
/// their findings blob.
pub async fn stored_shards<'e>(
    db: impl PgExecutor<'e>,
    audit_job: Uuid,
) -> sqlx::Result<Vec<(i32, Option<String>)>> {
    sqlx::query_as(
        "SELECT shard, findings_sha256 FROM audit_parts WHERE audit_job_id = $1 ORDER BY shard",
    )
    .bind(audit_job)
    .fetch_all(db)
    .await
}

/// One shard's part, read straight into `T` (one part in memory at a time
/// while an audit merges them).
pub async fn load<'e, T: DeserializeOwned + Send + Unpin + 'static>(
    db: impl PgExecutor<'e>,
    audit_job: Uuid,
    shard: i32,
) -> sqlx::Result<Option<T>> {
    let part: Option<Json<T>> =
        sqlx::query_scalar("SELECT part FROM audit_parts WHERE audit_job_id = $1 AND shard = $2")
            .bind(audit_job)
            .bind(shard)
            .fetch_optional(db)
            .await?;
    Ok(part.map(|Json(part)| part))
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
