//! `/v1/audits`: start an audit job.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppState, Located, job_accepted, start_job};
use crate::api::error::{ApiError, Location, Problem};
use crate::jobs::{Job, JobPayload};
use crate::store::catalog::{self, Model};
use crate::store::keys::{Principal, Role};
use probity_audit::audit::AuditRequest;
use probity_audit::model::ModelKind;
use uuid::Uuid;

/// Routes of audits.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(start_audit))
}

/// The model `field` names, which must exist and be of `kind`.
async fn find_model(
    state: &AppState,
    field: &str,
    id: Uuid,
    kind: ModelKind,
) -> Result<Model, ApiError> {
    let model = catalog::get_model(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::invalid_field(field, format!("model {id} does not exist")))?;
    if model.kind != kind {
        let detail = match kind {
            ModelKind::Scorer => format!(
                "model {id} is a token classifier (NER model): audits score rows with a scorer; give it as checks.pii.ner_model_id"
            ),
            ModelKind::TokenClassifier => format!(
                "model {id} is a scorer: ner_model_id takes a token classifier (`kind: token_classifier`)"
            ),
        };
        return Err(ApiError::invalid_field(field, detail));
    }
    Ok(model)
}

/// Start an audit.
///
/// The request is checked against the dataset's columns at once; the data
/// itself is read by the `audit` job, which fails with the column and row of
/// the first bad value (missing sensitive value, label outside the two
/// classes, non-binary prediction, score outside [0, 1], bad weight).
#[utoipa::path(post, path = "/v1/audits", tag = "audits", request_body = AuditRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Audit job queued; its result links the report", body = Job,
               headers(("Location" = String, description = "Path of the queued job (`/v1/jobs/{id}`)"))),
              (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid request, with the field and column at fault", body = Problem, content_type = "application/problem+json")))]
async fn start_audit(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<AuditRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<Job>, ApiError> {
    principal.require(Role::Auditor)?;
    let Json(request) = body?;
    let model = match request.model_id {
        None => None,
        Some(id) => Some(find_model(&state, "model_id", id, ModelKind::Scorer).await?),
    };
    if let Some(id) = request.checks.pii.as_ref().and_then(|p| p.ner_model_id) {
        find_model(
            &state,
            "checks.pii.ner_model_id",
            id,
            ModelKind::TokenClassifier,
        )
        .await?;
    }
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
    Ok(job_accepted(job))
}
