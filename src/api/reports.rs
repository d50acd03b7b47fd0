//! `/v1/reports`: stored audit reports as JSON, HTML and Markdown, their
//! comparison, integrity check and PII findings export; `/v1/signing-key`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, Located, blob_download, job_accepted, start_job};
use crate::api::error::{ApiError, Problem};
use crate::api::extract::{Path, Query};
use crate::api::pagination::{Page, PageParams};
use crate::api::upload::FileBytes;
use crate::jobs::queue::JobQueue;
use crate::jobs::{Job, JobPayload};
use crate::store::catalog;
use crate::store::cursor::Cursor;
use crate::store::keys::{Principal, Role};
use crate::store::reports::{self, ReportFilter, ReportSummary, StoredReport};
use probity_audit::compare::{self, ReportComparison};
use probity_audit::pii_check::PiiFindingLine;
use probity_audit::render::{self, StoredFacts};
use probity_audit::report::{self, AuditReport, ReportVerification};
use probity_audit::signing::PublicKeyInfo;
use probity_fairness::policy::Outcome;

/// Routes of reports and the signing key.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports))
        .routes(routes!(compare_reports))
        .routes(routes!(get_report))
        .routes(routes!(verify_report))
        .routes(routes!(reproduce_report))
        .routes(routes!(get_pii_findings))
        .routes(routes!(signing_key))
}

/// Filters of the report list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only reports of this dataset.
    pub dataset_id: Option<Uuid>,
    /// Only reports of this model.
    pub model_id: Option<Uuid>,
    /// Only reports with this verdict.
    pub verdict: Option<Outcome>,
    /// Only reports created at or after this time (RFC 3339).
    pub created_after: Option<DateTime<Utc>>,
    /// Only reports created before this time (RFC 3339).
    pub created_before: Option<DateTime<Utc>>,
}

/// List reports (headline figures, no body), newest first.
///
/// Any key may list. Filter by dataset, model, verdict and creation time;
/// pages are cursor-based (pass `next_cursor` as `cursor`). Read one report
/// for its full body.
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
    let filter = ReportFilter {
        dataset_id: query.dataset_id,
        model_id: query.model_id,
        verdict: query.verdict.map(|v| v.as_str().to_string()),
        created_after: query.created_after,
        created_before: query.created_before,
    };
    let rows = reports::list(&state.pool, limit + 1, cursor, &filter).await?;
    Ok(Json(Page::from_rows(rows, limit, |r| Cursor {
        created_at: r.created_at,
        id: r.id,
    })))
}

async fn load(state: &AppState, id: Uuid) -> Result<StoredReport, ApiError> {
    reports::get(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "report",
            id: id.to_string(),
        })
}

/// The body as the typed document (every stored body was written from one).
fn document(stored: &StoredReport) -> Result<AuditReport, ApiError> {
    serde_json::from_value(stored.body.clone()).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!(
            "report {} does not read as a report document: {e}",
            stored.summary.id
        ))
    })
}

fn parse_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text)
        .map_err(|_| ApiError::invalid_field("id", format!("`{text}` is not a report id (a UUID)")))
}

/// How `GET /v1/reports/{id}` renders the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// The stored report with its JSON body (`application/json`).
    Json,
    /// One self-contained HTML page (`text/html`).
    Html,
    /// Markdown with the same sections and tables (`text/markdown`).
    Markdown,
}

/// The rendering of a report to return.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFormatQuery {
    /// `json`, `html` or `markdown`; overrides the `Accept` header.
    #[param(inline)]
    pub format: Option<ReportFormat>,
}

impl ReportFormat {
    /// The format an `Accept` header asks for: the first of `text/html`,
    /// `text/markdown` and JSON it names, JSON when it names none.
    fn negotiate(headers: &HeaderMap) -> Self {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accept
            .split(',')
            .filter_map(|range| {
                let media = range.split(';').next()?.trim().to_ascii_lowercase();
                match media.as_str() {
                    "text/html" => Some(Self::Html),
                    "text/markdown" => Some(Self::Markdown),
                    "application/json" => Some(Self::Json),
                    _ => None,
                }
            })
            .next()
            .unwrap_or(Self::Json)
    }
}

/// Get a report with its body, as JSON, HTML or Markdown.
///
/// Any key may read it. JSON (the default) is the stored report: headline
/// figures, integrity (`sha256`, `signature`) and the typed report document
/// in `body`. `format=html` (or `Accept: text/html`) renders one
/// self-contained HTML page: verdict, policy, inputs with hashes, per-group
/// tables and inline SVG charts, PII table with redacted examples, no
/// external assets. `format=markdown` (or `Accept: text/markdown`) renders
/// the same sections as Markdown. `format` wins over `Accept`. The paths
/// `/v1/reports/{id}.html` and `/v1/reports/{id}.md` are aliases of the two
/// renderings, kept for links.
#[utoipa::path(get, path = "/v1/reports/{id}", tag = "reports",
    params(("id" = Uuid, Path, description = "Report id"), ReportFormatQuery),
    responses((status = 200, description = "The report, in the negotiated format", content(
                  (StoredReport = "application/json"),
                  (String = "text/html"),
                  (String = "text/markdown"))),
              (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "The id is not a UUID, or an unknown format", body = Problem, content_type = "application/problem+json")))]
async fn get_report(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Query(query): Query<ReportFormatQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    principal.require(Role::Viewer)?;
    let (id, suffix_format) = if let Some(id) = id.strip_suffix(".html") {
        (id, Some(ReportFormat::Html))
    } else if let Some(id) = id.strip_suffix(".md") {
        (id, Some(ReportFormat::Markdown))
    } else {
        (id.as_str(), None)
    };
    let id = parse_id(id)?;
    let format = suffix_format
        .or(query.format)
        .unwrap_or_else(|| ReportFormat::negotiate(&headers));
    let mut response = match format {
        ReportFormat::Json => Json(load(&state, id).await?).into_response(),
        ReportFormat::Html => report_html(&state, id).await?,
        ReportFormat::Markdown => report_markdown(&state, id).await?,
    };
    if suffix_format.is_none() && query.format.is_none() {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept"));
    }
    Ok(response)
}

fn stored_facts(stored: &StoredReport) -> StoredFacts {
    StoredFacts {
        id: stored.summary.id,
        stored_at: stored.summary.created_at,
        sha256: stored.summary.sha256.clone(),
        signature: stored.summary.signature.as_ref().map(|s| s.0.clone()),
    }
}

/// The report as one self-contained HTML page.
async fn report_html(state: &AppState, id: Uuid) -> Result<Response, ApiError> {
    let stored = load(state, id).await?;
    let page = render::to_html(&document(&stored)?, &stored_facts(&stored));
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
    );
    Ok(response)
}

/// The report as Markdown (the same sections and tables as the HTML page).
async fn report_markdown(state: &AppState, id: Uuid) -> Result<Response, ApiError> {
    let stored = load(state, id).await?;
    let text = render::to_markdown(&document(&stored)?, &stored_facts(&stored));
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        text,
    )
        .into_response())
}

/// The two reports to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The earlier (reference) report.
    pub base: Uuid,
    /// The report compared against it.
    pub head: Uuid,
}

/// Compare two reports.
///
/// Every headline figure of either report side by side with the change
/// (`head − base`), every check with both outcomes and whether it flipped,
/// and whether the dataset, model and policy were the same.
#[utoipa::path(get, path = "/v1/reports/compare", tag = "reports", params(CompareQuery),
    responses((status = 200, description = "The comparison", body = ReportComparison),
              (status = 404, description = "A report does not exist", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Missing or malformed base/head", body = Problem, content_type = "application/problem+json")))]
async fn compare_reports(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<CompareQuery>,
) -> Result<Json<ReportComparison>, ApiError> {
    principal.require(Role::Viewer)?;
    let base = document(&load(&state, query.base).await?)?;
    let head = document(&load(&state, query.head).await?)?;
    Ok(Json(compare::compare(&base, &head)))
}

/// Verify a report's integrity.
///
/// Recomputes the sha256 of the stored body's canonical JSON (keys sorted,
/// no whitespace) and compares it with the sha256 stored at creation; when
/// the report is signed, checks the Ed25519 signature of that sha256 with the
/// public key recorded beside it, and says whether that key is this server's;
/// with a PII findings export, re-hashes the stored file against the sha256
/// the body records.
#[utoipa::path(get, path = "/v1/reports/{id}/verify", tag = "reports", params(("id" = Uuid, Path, description = "Report id")),
    responses((status = 200, description = "The outcome (`valid` false when altered or badly signed)", body = ReportVerification),
              (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json")))]
async fn verify_report(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<ReportVerification>, ApiError> {
    principal.require(Role::Viewer)?;
    let stored = load(&state, id).await?;
    let current_key = state.signer.as_ref().map(|s| s.public_key().key_id);
    let recorded_export = stored
        .body
        .pointer("/pii/findings_export/sha256")
        .and_then(Value::as_str)
        .map(str::to_string);
    let export_matches = match recorded_export {
        None => None,
        Some(sha256) => Some(
            state
                .blobs
                .content_matches(&sha256)
                .await
                .map_err(|e| e.context("hashing the findings export"))?
                .is_ok(),
        ),
    };
    Ok(Json(report::verify(
        id,
        &stored.body,
        &stored.summary.sha256,
        stored.summary.signature.as_ref().map(|s| &s.0),
        current_key.as_deref(),
        export_matches,
    )))
}

/// Re-run the audit that made a report.
///
/// Queues an `audit` job with the request stored for the job that made the
/// report: the same dataset and models by id (their files are re-hashed
/// against the hashes the report cites before use), the same checks,
/// options and seeds, marked `reproduces`. Its result's `reproduction` says
/// whether the new report's results digest (`results_sha256`: the report
/// without ids, times and timings) matches this one's. 409 when that request
/// is no longer stored or its dataset was deleted.
#[utoipa::path(post, path = "/v1/reports/{id}/reproduce", tag = "reports",
    params(("id" = Uuid, Path, description = "Report id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Audit job queued; its result's `reproduction` compares the digests", body = Job,
               headers(("Location" = String, description = "Path of the queued job (`/v1/jobs/{id}`)"))),
              (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "The audit request or its dataset is no longer stored", body = Problem, content_type = "application/problem+json")))]
async fn reproduce_report(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> Result<Located<Job>, ApiError> {
    principal.require(Role::Auditor)?;
    let stored = load(&state, id).await?;
    let gone = || {
        ApiError::Conflict(format!(
            "report {id} cannot be re-run: the request of the audit job that made it is no longer stored"
        ))
    };
    let job_id = stored.summary.job_id.ok_or_else(gone)?;
    let job = JobQueue::new(state.pool.clone())
        .get(job_id)
        .await?
        .ok_or_else(gone)?;
    let Ok(JobPayload::Audit(mut request)) = JobPayload::from_row(&job.kind, &job.payload) else {
        return Err(gone());
    };
    if catalog::get_dataset(&state.pool, request.dataset_id)
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict(format!(
            "report {id} cannot be re-run: its dataset {} was deleted",
            request.dataset_id
        )));
    }
    request.reproduces = Some(id);
    let details = serde_json::json!({ "dataset_id": request.dataset_id, "reproduces": id });
    let job = start_job(
        &state,
        &principal,
        &headers,
        JobPayload::Audit(request),
        details,
    )
    .await?;
    Ok(job_accepted(job))
}

/// Download the PII findings of a report.
///
/// NDJSON, one line per finding: `row` (zero-based data row of the dataset),
/// `column`, `entity`, `start` and `end` (byte offsets in the cell),
/// `confidence` and `redacted` (the value as reports may show it, never the raw
/// value). Its sha256 is recorded in the report body, so the report vouches for it.
/// Served as `application/x-ndjson`, or as `application/octet-stream` (the
/// same bytes) to clients that accept only that.
#[utoipa::path(get, path = "/v1/reports/{id}/pii-findings", tag = "reports", params(("id" = Uuid, Path, description = "Report id")),
    responses((status = 200, description = "The findings, one JSON object per line", content(
                  (PiiFindingLine<'static> = "application/x-ndjson"),
                  (inline(FileBytes) = "application/octet-stream"))),
              (status = 404, description = "No such report, or the audit did not scan for PII", body = Problem, content_type = "application/problem+json")))]
async fn get_pii_findings(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    principal.require(Role::Viewer)?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = if accept.contains("application/octet-stream") && !accept.contains("ndjson") {
        "application/octet-stream"
    } else {
        "application/x-ndjson"
    };
    let sha256 = reports::pii_findings_sha256(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "report",
            id: id.to_string(),
        })?
        .ok_or(ApiError::NotFound {
            resource: "PII findings of report",
            id: id.to_string(),
        })?;
    blob_download(
        &state,
        &sha256,
        media_type,
        &format!("pii-findings-{id}.ndjson"),
    )
    .await
}

/// The public key that signs new reports.
///
/// Anyone may verify a report's `signature` with it: Ed25519 over the
/// report's `sha256` as 64 lower-case hex characters. No API key needed.
#[utoipa::path(get, path = "/v1/signing-key", tag = "reports",
    responses((status = 200, description = "The public key", body = PublicKeyInfo),
              (status = 404, description = "This server does not sign reports", body = Problem, content_type = "application/problem+json")))]
async fn signing_key(State(state): State<AppState>) -> Result<Json<PublicKeyInfo>, ApiError> {
    state
        .signer
        .as_ref()
        .map(|s| Json(s.public_key()))
        .ok_or(ApiError::NotFound {
            resource: "signing key",
            id: "configured".into(),
        })
}
