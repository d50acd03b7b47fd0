//! `/v1/keys`: API key management (admin only).

use axum::Json;
use axum::extract::State;

use crate::api::extract::Path;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, Located};
use crate::api::error::{ApiError, Problem};
use crate::store::activity;
use crate::store::keys::{self, ApiKey, CreatedApiKey, Principal, Role};

/// Body of a key creation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// Name to recognise the key by.
    pub name: String,
    /// Role of the key.
    pub role: Role,
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
}

/// List API keys (never their tokens).
///
/// Needs the `admin` role. Every key with its name, role, creation and
/// revocation times; tokens are stored hashed and never shown again.
#[utoipa::path(get, path = "/v1/keys", tag = "keys", responses((status = 200, description = "All keys", body = Vec<ApiKey>)))]
async fn list_keys(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    principal.require(Role::Admin)?;
    Ok(Json(keys::list_keys(&state.pool).await?))
}

/// Create an API key; its token is in this response only.
///
/// Needs the `admin` role. Roles, from least to most: `metrics` (reads
/// `/metrics` only), `viewer` (reads metadata, jobs and reports), `auditor`
/// (uploads, runs audits and jobs, downloads data), `admin` (manages keys).
/// Store the token: only its hash is kept.
#[utoipa::path(post, path = "/v1/keys", tag = "keys", request_body = NewApiKey,
    responses((status = 201, description = "Created", body = CreatedApiKey,
               headers(("Location" = String, description = "Path of the new key"))),
              (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json")))]
async fn create_key(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<Json<NewApiKey>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<CreatedApiKey>, ApiError> {
    principal.require(Role::Admin)?;
    let Json(body) = body?;
    if body.name.trim().is_empty() {
        return Err(ApiError::invalid_field("name", "name must not be empty"));
    }
    let created = keys::create_key(&state.pool, body.name.trim(), body.role).await?;
    activity::record(
        &state.pool,
        &principal,
        "create",
        "api_key",
        &created.key.id.to_string(),
        json!({ "role": body.role }),
    )
    .await?;
    Ok(super::created(
        format!("/v1/keys/{}", created.key.id),
        created,
    ))
}

/// Revoke an API key.
///
/// Needs the `admin` role. The key stops working at once, its open event
/// streams end, and it stays listed with its revocation time.
#[utoipa::path(delete, path = "/v1/keys/{id}", tag = "keys", params(("id" = Uuid, Path, description = "Key id")),
    responses((status = 204, description = "Revoked"),
              (status = 404, description = "No active key with this id", body = Problem, content_type = "application/problem+json")))]
async fn revoke_key(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Admin)?;
    if !keys::revoke_key(&state.pool, id).await? {
        return Err(ApiError::NotFound {
            resource: "api key",
            id: id.to_string(),
        });
    }
    activity::record(
        &state.pool,
        &principal,
        "revoke",
        "api_key",
        &id.to_string(),
        json!({}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
