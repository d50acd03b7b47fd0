//! `/v1/audits`: start an audit job.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppState, start_job};
use crate::api::error::{ApiError, Location, Problem};
use crate::jobs::{Job, JobPayload};
use crate::store::catalog;
use crate::store::keys::{Principal, Role};
use probity_audit::audit::AuditRequest;

/// Routes of audits.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(start_audit))
}

/// Start an audit.
///
/// The request is checked against the dataset's columns at once; the data
/// itself is read by the `audit` job, which fails with the column and row of
/// the first bad value (missing sensitive value, label outside the two
/// classes, non-binary prediction, score outside [0, 1], bad weight).
#[utoipa::path(post, path = "/v1/audits", tag = "audits", request_body = AuditRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Audit job queued; its result links the report", body = Job),
              (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid request, with the field and column at fault", body = Problem, content_type = "application/problem+json")))]
async fn start_audit(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<AuditRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    principal.require(Role::Auditor)?;
    let Json(request) = body?;
    let model = match request.model_id {
        None => None,
        Some(id) => Some(catalog::get_model(&state.pool, id).await?.ok_or_else(|| {
            ApiError::invalid_field("model_id", format!("model {id} does not exist"))
        })?),
    };
    request.validate(model.as_ref().map(|m| m.threshold))?;
    let dataset = catalog::get_dataset(&state.pool, request.dataset_id)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field(
                "dataset_id",
                format!("dataset {} does not exist", request.dataset_id),
            )
        })?;
    let columns: Vec<String> = dataset.columns.0.iter().map(|c| c.name.clone()).collect();
    request.check_columns(&columns)?;
    if let Some(model) = &model
        && let Some(missing) = model.features.0.iter().find(|f| !columns.contains(f))
    {
        return Err(ApiError::Validation {
            detail: format!("the model's feature `{missing}` is not a column of the dataset"),
            location: Some(Location {
                field: Some("model_id".into()),
                column: Some(missing.clone()),
                line: None,
            }),
        });
    }
    let details = json!({ "dataset_id": dataset.id });
    let payload = JobPayload::Audit(Box::new(request));
    let job = start_job(&state, &principal, &headers, payload, details).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}
