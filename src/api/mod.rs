//! The HTTP API: shared state, the router with its middleware, the OpenAPI
//! document, and helpers shared by resources.

pub mod audits;
pub mod dashboard;
pub mod datasets;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod keys;
pub mod ml_jobs;
pub mod models;
pub mod monitors;
pub mod openapi;
pub mod ops;
pub mod pagination;
pub mod principal;
pub mod reports;
pub mod throttle;
pub mod upload;

use crate::jobs::kinds::webhook::WebhookAccess;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::PrometheusHandle;
use serde_json::json;
use sqlx::PgPool;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::config::HttpConfig;
use crate::jobs::JobPayload;
use crate::jobs::queue::{self, Job, NewJob};
use crate::store::activity;
use crate::store::blobs::BlobStore;
use crate::store::catalog::{self, Artifact};
use crate::store::keys::Principal;
use crate::store::references::ReferenceAccess;
use probity_audit::sandbox::ModelSandbox;
use probity_audit::signing::ReportSigner;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub blobs: BlobStore,
    /// Where datasets by reference may be read, and how.
    pub references: ReferenceAccess,
    pub http: Arc<HttpConfig>,
    pub metrics: PrometheusHandle,
    /// The report signing key, whose public half `/v1/signing-key` shows.
    pub signer: Option<ReportSigner>,
    /// Where uploaded models are validated.
    pub sandbox: ModelSandbox,
    /// Per-key request rates and event streams.
    pub throttle: Arc<throttle::Throttle>,
    /// Where monitor webhooks may be sent.
    pub webhooks: WebhookAccess,
}

/// Every documented route, with the base document they are described into.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(datasets::router())
        .merge(audits::router())
        .merge(reports::router())
        .merge(ml_jobs::router())
        .merge(models::router())
        .merge(jobs::router())
        .merge(monitors::router())
        .merge(keys::router())
        .merge(ops::router())
}

/// The probes of a worker process (`/healthz`, `/readyz`, `/metrics`), with the
/// same request ids, tracing and problem answers as the API.
pub fn probes_router(state: AppState) -> Router {
    ops::probes_router()
        .layer(middleware::from_fn_with_state(state.clone(), limits))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .fallback(|| async {
            ApiError::NotFound {
                resource: "route",
                id: "requested".into(),
            }
        })
        .with_state(state)
}

/// The complete application router with its middleware.
pub fn router(state: AppState) -> Router {
    let (router, _) = routes().split_for_parts();
    let router = router.merge(dashboard::router());
    let spec =
        Arc::new(serde_json::to_string_pretty(&openapi::document()).expect("OpenAPI serialises"));
    router
        .layer(axum::Extension(spec))
        .layer(middleware::from_fn_with_state(state.clone(), limits))
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(crate::metrics::track_requests))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .fallback(|| async {
            ApiError::NotFound {
                resource: "route",
                id: "requested".into(),
            }
        })
        .with_state(state)
}

fn is_upload(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Body-size limit and timeout: large and long for multipart uploads, small
/// and short for the rest, except that registering a dataset by reference
/// (which reads its objects once) gets the upload timeout.
async fn limits(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let upload = is_upload(&request);
    let path = request.uri().path();
    let is_post = request.method() == axum::http::Method::POST;
    let registers_dataset = is_post && ["/v1/datasets", "/v1/dataset-references"].contains(&path);
    // NDJSON decisions and labels sent to a monitor are bulk data, as uploads are.
    let ingests = is_post
        && path.starts_with("/v1/monitors/")
        && (path.ends_with("/records") || path.ends_with("/labels"));
    let (limit, timeout) = if upload || ingests {
        (
            state.http.upload_limit_bytes,
            state.http.upload_timeout_secs,
        )
    } else if registers_dataset {
        (state.http.json_limit_bytes, state.http.upload_timeout_secs)
    } else {
        (state.http.json_limit_bytes, state.http.request_timeout_secs)
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit + if upload { 64 * 1024 } else { 0 }) {
        return ApiError::PayloadTooLarge(format!(
            "the request body exceeds the limit of {limit} bytes"
        ))
        .into_response();
    }
    // Multipart framing adds a little to the file itself; the file part is checked exactly while streaming.
    let body_limit = if upload {
        limit.saturating_add(64 * 1024)
    } else {
        limit
    };
    let request =
        request.map(|body| Body::new(http_body_util::Limited::new(body, body_limit as usize)));
    match tokio::time::timeout(Duration::from_secs(timeout), next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable(format!("the request took longer than {timeout} s"))
            .into_response(),
    }
}

/// A 201 or 202 answer carrying the `Location` of what it created or queued.
pub type Located<T> = (StatusCode, [(header::HeaderName, String); 1], axum::Json<T>);

/// `201 Created` with the new resource at `location`.
pub fn created<T>(location: String, body: T) -> Located<T> {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(body),
    )
}

/// `202 Accepted` with the queued job, located at `/v1/jobs/{id}`.
pub fn job_accepted(job: Job) -> Located<Job> {
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/v1/jobs/{}", job.id))],
        axum::Json(job),
    )
}

/// Starts a job for the caller: the job (or, for a repeated
/// `Idempotency-Key`, the existing one) and its activity-log row commit in
/// one transaction. The log row records the job's `kind` and the fields of
/// `details` (a JSON object, or `Value::Null` for none).
pub async fn start_job(
    state: &AppState,
    principal: &Principal,
    headers: &HeaderMap,
    payload: JobPayload,
    details: serde_json::Value,
) -> Result<Job, ApiError> {
    let mut new = NewJob::new(payload);
    new.idempotency_key = idempotency_key(headers)?;
    new.created_by = Some(principal.key_id);
    let mut tx = state.pool.begin().await?;
    let job = queue::enqueue(&mut tx, &new).await?;
    let mut entry = serde_json::Map::from_iter([("kind".to_string(), job.kind.clone().into())]);
    if let serde_json::Value::Object(fields) = details {
        entry.extend(fields);
    }
    activity::record(
        &mut *tx,
        principal,
        "create",
        "job",
        &job.id.to_string(),
        entry.into(),
    )
    .await?;
    tx.commit().await?;
    Ok(job)
}

/// Reads an `Idempotency-Key` header.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or_else(|| {
            ApiError::invalid_field(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(key.to_string()))
}

/// Streams a stored blob as an attachment.
pub async fn blob_download(
    state: &AppState,
    sha256: &str,
    media_type: &str,
    filename: &str,
) -> Result<Response, ApiError> {
    let Some((length, stream)) = state.blobs.read(sha256).await? else {
        // Deleted between reading its record and opening it (a concurrent DELETE).
        tracing::warn!(sha256, "blob gone when downloading it");
        return Err(ApiError::NotFound {
            resource: "file",
            id: filename.to_string(),
        });
    };
    let safe_name: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type).map_err(anyhow::Error::from)?,
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&format!("\"{sha256}\"")).map_err(anyhow::Error::from)?,
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{safe_name}\""))
            .map_err(anyhow::Error::from)?,
    );
    Ok(response)
}

/// Deletes a dataset or model and its blob when no longer referenced, with an audit-log entry.
pub async fn delete_with_blob(
    state: &AppState,
    principal: &Principal,
    artifact: Artifact,
    id: Uuid,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.pool.begin().await?;
    let sha256 = catalog::delete_artifact(&mut *tx, artifact, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: artifact.noun(),
            id: id.to_string(),
        })?;
    let removal = match &sha256 {
        Some(sha256) => state.blobs.release_if_unreferenced(&mut tx, sha256).await?,
        None => None,
    };
    let blob_removed = removal.is_some();
    activity::record(
        &mut *tx,
        principal,
        "delete",
        artifact.noun(),
        &id.to_string(),
        json!({ "sha256": sha256, "blob_removed": blob_removed }),
    )
    .await?;
    tx.commit().await?;
    if let Some(removal) = removal {
        removal.finish();
    }
    Ok(StatusCode::NO_CONTENT)
}
