//! `/v1/monitors`: continuous fairness monitoring of a deployed model —
//! create and read monitors, send decisions (NDJSON, or a CSV/Parquet history
//! file) and late labels, read windows and alerts.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, Located, created};
use crate::api::error::{ApiError, Problem};
use crate::api::extract::{Path, Query};
use crate::api::pagination::{Page, PageParams};
use crate::api::upload::read_upload;
use crate::monitoring::{self, IngestOutcome, MonitorWindow};
use crate::store::activity;
use crate::store::catalog;
use crate::store::cursor::Cursor;
use crate::store::keys::{Principal, Role};
use crate::store::monitors::{self, Monitor, MonitorAlert};
use probity_audit::dataset::detect_format;
use probity_audit::monitor::{MAX_LINES, MonitorRequest, parse_labels, parse_records, parse_table};

/// Routes of monitors.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_monitor, list_monitors))
        .routes(routes!(get_monitor, delete_monitor))
        .routes(routes!(ingest_records))
        .routes(routes!(ingest_labels))
        .routes(routes!(list_windows))
        .routes(routes!(list_alerts))
}

/// Multipart body of a history upload.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct HistoryUpload {
    /// CSV with a header row, Parquet, or NDJSON rows: `record_id`,
    /// `timestamp`, one column per sensitive feature, `prediction` and/or
    /// `score`, optionally `label`.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

async fn find(state: &AppState, id: Uuid) -> Result<Monitor, ApiError> {
    monitors::get(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "monitor",
            id: id.to_string(),
        })
}

/// Create a monitor.
///
/// Needs the `auditor` role. A monitor binds a model (or just a name), the
/// sensitive features every decision carries, the favourable label, a window
/// (hour, day or week, by the decisions' own timestamps), the policy its
/// windows are checked against, the error rate of its alerts, how long
/// decisions are kept for late labels, and an optional webhook that receives
/// each alert signed with HMAC-SHA256 (`Probity-Signature`). The webhook
/// secret is never shown again. A webhook URL must be under the server's
/// `PROBITY_WEBHOOK_URLS` prefixes or, with none set, name a host that
/// resolves to public addresses only (422 otherwise).
#[utoipa::path(post, path = "/v1/monitors", tag = "monitors", request_body = MonitorRequest,
    responses((status = 201, description = "Created", body = Monitor,
               headers(("Location" = String, description = "Path of the new monitor"))),
              (status = 422, description = "Invalid request, with the field at fault", body = Problem, content_type = "application/problem+json")))]
async fn create_monitor(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<Json<MonitorRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<Monitor>, ApiError> {
    principal.require(Role::Auditor)?;
    let Json(request) = body?;
    request
        .validate()
        .map_err(|e| ApiError::invalid_field(e.field, e.detail))?;
    if let Some(webhook) = &request.webhook
        && let Err(refused) = state.webhooks.resolve(&webhook.url).await
    {
        return Err(ApiError::invalid_field("webhook.url", refused.to_string()));
    }
    if let Some(model_id) = request.model_id
        && catalog::get_model(&state.pool, model_id).await?.is_none()
    {
        return Err(ApiError::invalid_field(
            "model_id",
            format!("model {model_id} does not exist"),
        ));
    }
    let mut tx = state.pool.begin().await?;
    let monitor = monitors::create(&mut *tx, &request, principal.key_id).await?;
    activity::record(
        &mut *tx,
        &principal,
        "create",
        "monitor",
        &monitor.id.to_string(),
        json!({ "name": request.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(created(
        format!("/v1/monitors/{}", monitor.id),
        monitor.redacted(),
    ))
}

/// List monitors, newest first.
///
/// Any key may list. Pages are cursor-based (pass `next_cursor` as `cursor`).
#[utoipa::path(get, path = "/v1/monitors", tag = "monitors", params(PageParams),
    responses((status = 200, description = "A page of monitors", body = Page<Monitor>)))]
async fn list_monitors(
    State(state): State<AppState>,
    principal: Principal,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<Monitor>>, ApiError> {
    principal.require(Role::Viewer)?;
    let (limit, cursor) = page.resolve()?;
    let rows = monitors::list(&state.pool, limit + 1, cursor).await?;
    let rows = rows.into_iter().map(Monitor::redacted).collect();
    Ok(Json(Page::from_rows(rows, limit, |m| Cursor {
        created_at: m.created_at,
        id: m.id,
    })))
}

/// Get a monitor.
///
/// Any key may read it: its request (webhook secret hidden) and the newest
/// decision time it has seen (`watermark`).
#[utoipa::path(get, path = "/v1/monitors/{id}", tag = "monitors", params(("id" = Uuid, Path, description = "Monitor id")),
    responses((status = 200, description = "The monitor", body = Monitor),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json")))]
async fn get_monitor(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<Monitor>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(find(&state, id).await?.redacted()))
}

/// Delete a monitor with its decisions, counts and alerts.
///
/// Needs the `auditor` role; recorded in the activity log.
#[utoipa::path(delete, path = "/v1/monitors/{id}", tag = "monitors", params(("id" = Uuid, Path, description = "Monitor id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json")))]
async fn delete_monitor(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Auditor)?;
    let mut tx = state.pool.begin().await?;
    if !monitors::delete(&mut *tx, id).await? {
        return Err(ApiError::NotFound {
            resource: "monitor",
            id: id.to_string(),
        });
    }
    activity::record(
        &mut *tx,
        &principal,
        "delete",
        "monitor",
        &id.to_string(),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Most bytes of one NDJSON request (larger histories go as several requests or a file).
pub const MAX_NDJSON_BYTES: usize = 256 * 1024 * 1024;

/// Reads an NDJSON body of at most [`MAX_NDJSON_BYTES`].
async fn ndjson_body(request: Request) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(request.into_body(), MAX_NDJSON_BYTES)
        .await
        .map_err(|_| {
            ApiError::PayloadTooLarge(format!(
                "an NDJSON body of at most {MAX_NDJSON_BYTES} bytes; send more in several requests"
            ))
        })
}

fn body_text(bytes: &Bytes) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| ApiError::Validation {
        detail: "the body is not UTF-8 text".into(),
        location: Some(crate::api::error::Location {
            field: Some("body".into()),
            line: Some(
                bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64
                    + 1,
            ),
            column: None,
        }),
    })
}

/// Send decisions.
///
/// Needs the `auditor` role. Either an `application/x-ndjson` body, one
/// decision a line: `{"record_id": "r-1", "timestamp": "2026-03-01T09:30:00Z",
/// "features": {"sex": "F"}, "prediction": 1, "score": 0.83, "label": 1}`
/// (`prediction` and/or `score`; `label` optional, or sent later), or a
/// `multipart/form-data` history file (CSV, Parquet or NDJSON rows with one
/// column per feature). Every line is checked first: a bad line is a 422
/// naming it and nothing is stored. Idempotent by `record_id`: a record sent
/// again is ignored. Records older than the label window are refused. The
/// counts and any alert this raises commit together.
#[utoipa::path(post, path = "/v1/monitors/{id}/records", tag = "monitors",
    params(("id" = Uuid, Path, description = "Monitor id")),
    request_body(content(
        (String = "application/x-ndjson"),
        (HistoryUpload = "multipart/form-data"))),
    responses((status = 200, description = "Counted", body = IngestOutcome),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A bad line, with its number and field (never its value)", body = Problem, content_type = "application/problem+json")))]
async fn ingest_records(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    request: Request,
) -> Result<Json<IngestOutcome>, ApiError> {
    principal.require(Role::Auditor)?;
    let monitor = find(&state, id).await?;
    let spec = monitor.request.0;
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let records = if is_multipart {
        let multipart = Multipart::from_request(request, &state).await;
        let upload =
            read_upload(multipart, &state.blobs, state.http.upload_limit_bytes, &[]).await?;
        let path = upload.file.path.to_path_buf();
        let max_rows = state.http.max_dataset_rows;
        tokio::task::spawn_blocking(move || {
            let format = detect_format(&path)?;
            let rows = max_rows.min(MAX_LINES as u64);
            Ok::<_, ApiError>(parse_table(&path, format, &spec.record_schema(), rows)?)
        })
        .await
        .map_err(anyhow::Error::from)??
    } else {
        let bytes = ndjson_body(request).await?;
        let text = body_text(&bytes)?;
        parse_records(text, &spec.record_schema())?
    };
    if records.is_empty() {
        let (field, detail) = if is_multipart {
            ("file", "no decision: the file holds no row of decisions")
        } else {
            ("body", "no decision: send at least one line")
        };
        return Err(ApiError::invalid_field(field, detail));
    }
    let outcome =
        monitoring::ingest_records(&state.pool, state.signer.as_ref(), id, records).await?;
    Ok(Json(outcome))
}

/// Send late labels.
///
/// Needs the `auditor` role. An `application/x-ndjson` body, one label a
/// line: `{"record_id": "r-1", "label": 0}`. Each updates the counts of its
/// record's window (and so its figures and the alert test). A record already
/// labelled keeps its first label. An unknown record id (never sent, or past
/// the label window) is a 422 naming the line, and nothing is stored.
#[utoipa::path(post, path = "/v1/monitors/{id}/labels", tag = "monitors",
    params(("id" = Uuid, Path, description = "Monitor id")),
    request_body(content((String = "application/x-ndjson"))),
    responses((status = 200, description = "Counted", body = IngestOutcome),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A bad line, with its number and field", body = Problem, content_type = "application/problem+json")))]
async fn ingest_labels(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    request: Request,
) -> Result<Json<IngestOutcome>, ApiError> {
    principal.require(Role::Auditor)?;
    let body = ndjson_body(request).await?;
    let monitor = find(&state, id).await?;
    let labels = parse_labels(body_text(&body)?, &monitor.request.0.positive_label)?;
    if labels.is_empty() {
        return Err(ApiError::invalid_field(
            "body",
            "no label: send at least one line",
        ));
    }
    let outcome = monitoring::ingest_labels(&state.pool, state.signer.as_ref(), id, labels).await?;
    Ok(Json(outcome))
}

/// Which windows to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// Only windows starting at or after this time (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Only windows starting before this time (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// The newest this many windows of those (1 to 5000, default 366).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<usize>,
}

/// Read the monitor's windows.
///
/// Any key may read them, oldest first: per window its decisions, label
/// coverage, per feature and group the selection, true and false positive
/// rates with bootstrap intervals and the AUC of binned scores, the
/// demographic parity and equalized odds differences, and which of the
/// policy's checks pass, fail or are inconclusive on that window alone. A
/// late label updates its window.
#[utoipa::path(get, path = "/v1/monitors/{id}/windows", tag = "monitors",
    params(("id" = Uuid, Path, description = "Monitor id"), WindowQuery),
    responses((status = 200, description = "The windows, oldest first", body = Vec<MonitorWindow>),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json")))]
async fn list_windows(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    Query(query): Query<WindowQuery>,
) -> Result<Json<Vec<MonitorWindow>>, ApiError> {
    principal.require(Role::Viewer)?;
    let limit = query.limit.unwrap_or(366);
    if !(1..=5000).contains(&limit) {
        return Err(ApiError::invalid_field("limit", "between 1 and 5000"));
    }
    let monitor = find(&state, id).await?;
    let mut windows = monitors::windows(&state.pool, id, None).await?;
    windows.retain(|(start, _)| {
        query.since.is_none_or(|since| *start >= since)
            && query.until.is_none_or(|until| *start < until)
    });
    let skip = windows.len().saturating_sub(limit);
    let request = monitor.request.0;
    let figures =
        tokio::task::spawn_blocking(move || monitoring::window_figures(&request, &windows[skip..]))
            .await
            .map_err(anyhow::Error::from)?;
    Ok(Json(figures))
}

/// Read the monitor's alerts.
///
/// Any key may read them, oldest first. Each names the feature and rate
/// whose gap crossed the policy's bound with confidence that holds under
/// continuous monitoring, the window at whose end it fired, and its
/// immutable evidence (the test's figures and the counts it read) with the
/// evidence's sha256 and, when the server signs, an Ed25519 signature of it.
#[utoipa::path(get, path = "/v1/monitors/{id}/alerts", tag = "monitors",
    params(("id" = Uuid, Path, description = "Monitor id")),
    responses((status = 200, description = "The alerts, oldest first", body = Vec<MonitorAlert>),
              (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json")))]
async fn list_alerts(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<MonitorAlert>>, ApiError> {
    principal.require(Role::Viewer)?;
    find(&state, id).await?;
    Ok(Json(monitors::alerts(&state.pool, id).await?))
}
