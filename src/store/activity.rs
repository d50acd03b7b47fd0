//! The append-only audit log: who created, deleted or cancelled what.
//! Postgres rejects updates and deletes of its rows (see the migration).

use serde_json::Value;
use sqlx::PgExecutor;

use crate::store::keys::Principal;

/// Appends one entry recording `action` on a resource by `actor`.
pub async fn record<'e>(
    executor: impl PgExecutor<'e>,
    actor: &Principal,
    action: &str,
    resource_type: &str,
    resource_id: &str,
    details: Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor_key_id, actor, action, resource_type, resource_id, details)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor.key_id)
    .bind(&actor.name)
    .bind(action)
    .bind(resource_type)
    .bind(resource_id)
    .bind(details)
    .execute(executor)
    .await?;
    Ok(())
}
