//! API keys: random bearer tokens stored as sha256 hashes, with roles
//! `metrics` < `viewer` < `auditor` < `admin`. The HTTP extractor that enforces them is
//! `api::principal`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

/// What a key may do. Each role includes the ones below it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    sqlx::Type,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Role {
    /// Scrape `/metrics` and nothing else (Prometheus).
    Metrics,
    /// Read reports, jobs and metadata.
    Viewer,
    /// Read, upload, start and cancel jobs, delete artifacts.
    Auditor,
    /// Everything, including key management.
    Admin,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Metrics => "metrics",
            Self::Viewer => "viewer",
            Self::Auditor => "auditor",
            Self::Admin => "admin",
        })
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Id of the API key used.
    pub key_id: Uuid,
    /// Name given to the key.
    pub name: String,
    /// Role of the key.
    pub role: Role,
}

/// An API key as listed (never with its token).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ApiKey {
    /// Key id.
    pub id: Uuid,
    /// Name given at creation.
    pub name: String,
    /// Role of the key.
    pub role: Role,
    /// First characters of the token, to recognise it.
    pub token_prefix: String,
    /// When the key was created.
    pub created_at: DateTime<Utc>,
    /// When the key was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A newly created key with its token, shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedApiKey {
    /// The key's stored record.
    #[serde(flatten)]
    pub key: ApiKey,
    /// Bearer token; it is not stored and cannot be shown again.
    pub token: String,
}

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    format!("prb_{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// Whether `token` has the shape `new_token` gives (`prb_` and 64 lower-case
/// hex digits); anything else is refused without a database round trip.
pub fn is_well_formed(token: &str) -> bool {
    token.len() == 68
        && token.starts_with("prb_")
        && token[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Creates a key and returns it with its token.
pub async fn create_key(pool: &PgPool, name: &str, role: Role) -> anyhow::Result<CreatedApiKey> {
    let token = new_token();
    let key: ApiKey = sqlx::query_as(
        "INSERT INTO api_keys (id, name, role, token_prefix, token_sha256) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, role, token_prefix, created_at, revoked_at",
    )
    .bind(Uuid::new_v4())
    .bind(name)
    .bind(role)
    .bind(&token[..12])
    .bind(hash_token(&token))
    .fetch_one(pool)
    .await?;
    Ok(CreatedApiKey { key, token })
}

/// All keys, newest first.
pub async fn list_keys(pool: &PgPool) -> anyhow::Result<Vec<ApiKey>> {
    Ok(sqlx::query_as(
        "SELECT id, name, role, token_prefix, created_at, revoked_at FROM api_keys ORDER BY created_at DESC",
    )
    .fetch_all(pool)
    .await?)
}

/// Revokes a key; false when no active key has this id.
pub async fn revoke_key(pool: &PgPool, id: Uuid) -> anyhow::Result<bool> {
    let result =
        sqlx::query("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .execute(pool)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// Creates an admin key when the database has no key at all (first start).
/// An advisory lock keeps concurrent first starts from creating two.
pub async fn ensure_initial_admin(pool: &PgPool) -> anyhow::Result<Option<CreatedApiKey>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7207341)")
        .execute(&mut *tx)
        .await?;
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM api_keys)")
        .fetch_one(&mut *tx)
        .await?;
    if any {
        return Ok(None);
    }
    let token = new_token();
    let key: ApiKey = sqlx::query_as(
        "INSERT INTO api_keys (id, name, role, token_prefix, token_sha256) VALUES ($1, 'initial-admin', 'admin', $2, $3)
         RETURNING id, name, role, token_prefix, created_at, revoked_at",
    )
    .bind(Uuid::new_v4())
    .bind(&token[..12])
    .bind(hash_token(&token))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(CreatedApiKey { key, token }))
}

/// Whether the key exists and is not revoked.
pub async fn is_active(pool: &PgPool, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL)",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// Looks up an active key by its token.
pub async fn authenticate(pool: &PgPool, token: &str) -> anyhow::Result<Option<Principal>> {
    let row: Option<(Uuid, String, Role)> = sqlx::query_as(
        "SELECT id, name, role FROM api_keys WHERE token_sha256 = $1 AND revoked_at IS NULL",
    )
    .bind(hash_token(token))
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(key_id, name, role)| Principal { key_id, name, role }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_token_shapes_are_well_formed() {
        let issued = new_token();
        assert!(is_well_formed(&issued));
        assert!(!is_well_formed(&issued[..67]));
        assert!(!is_well_formed(&issued.to_uppercase()));
        assert!(!is_well_formed(&format!("prx_{}", &issued[4..])));
        assert!(!is_well_formed(&"x".repeat(100_000)));
    }
}
