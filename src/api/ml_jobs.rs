//! `/v1/inference-jobs` and `/v1/training-jobs`: start libtorch jobs after
//! checking the request against the stored dataset and model.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppState, Located, job_accepted, start_job};
use crate::api::error::{ApiError, Location, Problem};
use crate::jobs::{Job, JobPayload};
use crate::store::catalog::{self, Dataset};
use crate::store::keys::{Principal, Role};
use probity_audit::inference::InferenceRequest;
use probity_audit::model::ModelKind;
use probity_audit::training::TrainingRequest;

/// Routes of the libtorch jobs.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_inference))
        .routes(routes!(start_training))
}

fn column_problem(field: &str, column: &str, detail: String) -> ApiError {
    ApiError::Validation {
        detail,
        location: Some(Location {
            field: Some(field.into()),
            column: Some(column.into()),
            line: None,
        }),
    }
}

/// Fails unless `column` exists in the dataset and, when `numeric`, has a numeric (or boolean) type.
fn check_column(
    dataset: &Dataset,
    field: &str,
    column: &str,
    numeric: bool,
) -> Result<(), ApiError> {
    let profile = dataset
        .columns
        .0
        .iter()
        .find(|c| c.name == column)
        .ok_or_else(|| {
            column_problem(
                field,
                column,
                format!("column `{column}` does not exist in the dataset"),
            )
        })?;
    let is_numeric = profile.dtype == "bool"
        || profile.dtype.starts_with('i')
        || profile.dtype.starts_with('u')
        || profile.dtype.starts_with('f');
    if numeric && !is_numeric {
        return Err(column_problem(
            field,
            column,
            format!(
                "feature column `{column}` has type {}; features must be numeric",
                profile.dtype
            ),
        ));
    }
    Ok(())
}

async fn find_dataset(state: &AppState, id: uuid::Uuid) -> Result<Dataset, ApiError> {
    catalog::get_dataset(&state.pool, id).await?.ok_or_else(|| {
        ApiError::invalid_field("dataset_id", format!("dataset {id} does not exist"))
    })
}

/// Run a model over a dataset.
///
/// The job scores every row in batches and registers the predictions (the
/// `id_columns`, `score`, `prediction`) as a new Parquet dataset whose lineage
/// names the model, the source dataset and the job.
#[utoipa::path(post, path = "/v1/inference-jobs", tag = "inference", request_body = InferenceRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Inference job queued", body = Job,
               headers(("Location" = String, description = "Path of the queued job (`/v1/jobs/{id}`)"))),
              (status = 422, description = "Invalid request, with the field and column at fault", body = Problem, content_type = "application/problem+json")))]
async fn start_inference(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<InferenceRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<Job>, ApiError> {
    principal.require(Role::Auditor)?;
    let Json(request) = body?;
    if !(1..=1_000_000).contains(&request.batch_size) {
        return Err(ApiError::invalid_field(
            "batch_size",
            "batch_size must be between 1 and 1000000",
        ));
    }
    let model = catalog::get_model(&state.pool, request.model_id)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field(
                "model_id",
                format!("model {} does not exist", request.model_id),
            )
        })?;
    if model.kind != ModelKind::Scorer {
        return Err(ApiError::invalid_field(
            "model_id",
            format!(
                "model {} is a token classifier (NER model); inference runs scorers, and the PII check's `ner_model_id` runs token classifiers",
                model.id
            ),
        ));
    }
    let dataset = find_dataset(&state, request.dataset_id).await?;
    for feature in &model.features.0 {
        check_column(&dataset, "model_id", feature, true)?;
    }
    for column in &request.id_columns {
        check_column(&dataset, "id_columns", column, false)?;
        if column == "score" || column == "prediction" {
            return Err(column_problem(
                "id_columns",
                column,
                format!("`{column}` is a column Probity writes"),
            ));
        }
    }
    let job = start_job(
        &state,
        &principal,
        &headers,
        JobPayload::Inference(request),
        Value::Null,
    )
    .await?;
    Ok(job_accepted(job))
}

/// Train a model on a dataset.
///
/// Adam on binary cross-entropy in mini-batches, deterministic for a seed,
/// progress per epoch, cancellable between batches. The result is a
/// TorchScript model (standardisation baked in) registered under
/// `/v1/models` with its lineage and training curve; with reweighing the job
/// also trains the unmitigated baseline and reports accuracy and fairness of both.
#[utoipa::path(post, path = "/v1/training-jobs", tag = "training", request_body = TrainingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Training job queued", body = Job,
               headers(("Location" = String, description = "Path of the queued job (`/v1/jobs/{id}`)"))),
              (status = 422, description = "Invalid request, with the field and column at fault", body = Problem, content_type = "application/problem+json")))]
async fn start_training(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<TrainingRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<Job>, ApiError> {
    principal.require(Role::Auditor)?;
    let Json(request) = body?;
    request
        .options()
        .validate()
        .map_err(|(field, detail)| ApiError::invalid_field(field, detail))?;
    if request.feature_columns.is_empty() {
        return Err(ApiError::invalid_field(
            "feature_columns",
            "name at least one feature column",
        ));
    }
    if let probity_audit::training::Mitigation::Reweighing { sensitive_features } =
        &request.mitigation
        && sensitive_features.is_empty()
    {
        return Err(ApiError::invalid_field(
            "mitigation.sensitive_features",
            "reweighing needs at least one sensitive feature",
        ));
    }
    let dataset = find_dataset(&state, request.dataset_id).await?;
    for (field, column) in request.named_columns() {
        check_column(&dataset, field, column, field == "feature_columns")?;
    }
    if request.feature_columns.contains(&request.label_column) {
        return Err(column_problem(
            "feature_columns",
            &request.label_column,
            "the label cannot be a feature".into(),
        ));
    }
    let job = start_job(
        &state,
        &principal,
        &headers,
        JobPayload::Training(request),
        Value::Null,
    )
    .await?;
    Ok(job_accepted(job))
}
