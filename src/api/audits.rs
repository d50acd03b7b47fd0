//! `/v1/audits` (start an audit job) and `/v1/reports` (the stored reports).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use axum::response::Response;

use super::{AppState, blob_download, idempotency_key};
use crate::api::extract::{Path, Query};
use crate::audit_log;
use crate::audits::AuditRequest;
use crate::auth::{Principal, Role};
use crate::catalog;
use crate::error::{ApiError, Location, Problem};
use crate::jobs::{Job, JobQueue, NewJob, kinds};
use crate::pagination::{Cursor, Page, PageParams};
use crate::reports::{self, ReportFilter, ReportSummary, StoredReport};

/// Routes of audits and reports.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(start_audit)).routes(routes!(list_reports)).routes(routes!(get_report))
        .routes(routes!(get_pii_findings))
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
        Some(id) => Some(
            catalog::get_model(&state.pool, id)
                .await?
                .ok_or_else(|| ApiError::invalid_field("model_id", format!("model {id} does not exist")))?,
        ),
    };
    request.fairness_spec(model.as_ref().map(|m| m.threshold))?;
    let dataset = catalog::get_dataset(&state.pool, request.dataset_id)
        .await?
        .ok_or_else(|| ApiError::invalid_field("dataset_id", format!("dataset {} does not exist", request.dataset_id)))?;
    let columns: Vec<String> = dataset.columns.0.iter().map(|c| c.name.clone()).collect();
    request.check_columns(&columns)?;
    if let Some(model) = &model {
        if let Some(missing) = model.features.0.iter().find(|f| !columns.contains(f)) {
            return Err(ApiError::Validation {
                detail: format!("the model's feature `{missing}` is not a column of the dataset"),
                location: Some(Location { field: Some("model_id".into()), column: Some(missing.clone()), line: None }),
            });
        }
    }
    let mut job = NewJob::new(kinds::AUDIT, serde_json::to_value(&request).map_err(anyhow::Error::from)?);
    job.idempotency_key = idempotency_key(&headers)?;
    job.created_by = Some(principal.key_id);
    let job = JobQueue::new(state.pool.clone()).enqueue(job).await?;
    audit_log::record(&state.pool, &principal, "create", "job", &job.id.to_string(), json!({ "kind": job.kind, "dataset_id": dataset.id }))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Filters of the report list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only reports of this dataset.
    pub dataset_id: Option<Uuid>,
    /// Only reports of this model.
    pub model_id: Option<Uuid>,
    /// Only reports with this verdict: `pass`, `fail` or `inconclusive`.
    pub verdict: Option<String>,
    /// Only reports created at or after this time (RFC 3339).
    pub created_after: Option<DateTime<Utc>>,
    /// Only reports created before this time (RFC 3339).
    pub created_before: Option<DateTime<Utc>>,
}

/// List reports (headline figures, no body), newest first.
#[utoipa::path(get, path = "/v1/reports", tag = "reports", params(PageParams, ReportQuery),
    responses((status = 200, description = "A page of reports", body = Page<ReportSummary>),
              (status = 422, description = "Bad limit, cursor or filter", body = Problem, content_type = "application/problem+json")))]
async fn list_reports(
    State(state): State<AppState>,
    principal: Principal,
    Query(page): Query<PageParams>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<Page<ReportSummary>>, ApiError> {
    principal.require(Role::Viewer)?;
    let (limit, cursor) = page.resolve()?;
    if let Some(verdict) = &query.verdict {
        if !["pass", "fail", "inconclusive"].contains(&verdict.as_str()) {
            return Err(ApiError::invalid_field("verdict", "verdict is one of pass, fail, inconclusive"));
        }
    }
    let filter = ReportFilter {
        dataset_id: query.dataset_id,
        model_id: query.model_id,
        verdict: query.verdict,
        created_after: query.created_after,
        created_before: query.created_before,
    };
    let rows = reports::list(&state.pool, limit + 1, cursor, &filter).await?;
    Ok(Json(Page::from_rows(rows, limit, |r| Cursor { created_at: r.created_at, id: r.id })))
}

/// Get a report with its body.
#[utoipa::path(get, path = "/v1/reports/{id}", tag = "reports", params(("id" = Uuid, Path, description = "Report id")),
    responses((status = 200, description = "The report", body = StoredReport),
              (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json")))]
async fn get_report(State(state): State<AppState>, principal: Principal, Path(id): Path<Uuid>) -> Result<Json<StoredReport>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(reports::get(&state.pool, id).await?.ok_or(ApiError::NotFound { resource: "report", id: id.to_string() })?))
}

/// Download the PII findings of a report.
///
/// NDJSON, one line per finding: `row` (zero-based data row of the dataset),
/// `column`, `entity`, `start` and `end` (byte offsets in the cell),
/// `confidence` and `redacted` (the value as reports may show it, never the raw
/// value). Its sha256 is recorded in the report body, so the report vouches for it.
#[utoipa::path(get, path = "/v1/reports/{id}/pii-findings", tag = "reports", params(("id" = Uuid, Path, description = "Report id")),
    responses((status = 200, description = "The findings, one JSON object per line", content_type = "application/x-ndjson", body = String),
              (status = 404, description = "No such report, or the audit did not scan for PII", body = Problem, content_type = "application/problem+json")))]
async fn get_pii_findings(State(state): State<AppState>, principal: Principal, Path(id): Path<Uuid>) -> Result<Response, ApiError> {
    principal.require(Role::Viewer)?;
    let report = reports::get(&state.pool, id).await?.ok_or(ApiError::NotFound { resource: "report", id: id.to_string() })?;
    let sha256 = report
        .summary
        .pii_findings_sha256
        .ok_or(ApiError::NotFound { resource: "PII findings of report", id: id.to_string() })?;
    blob_download(&state, &sha256, "application/x-ndjson", &format!("pii-findings-{id}.ndjson")).await
}
