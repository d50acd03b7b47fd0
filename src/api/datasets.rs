//! `/v1/datasets`: upload or register by reference, list, get, download,
//! delete, re-profile.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};

use crate::api::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, Located, blob_download, created, delete_with_blob, job_accepted, start_job};
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{Page, PageParams};
use crate::api::upload::{FileBytes, MAX_TEXT_PART, read_upload};
use crate::jobs::kinds::ProfilePayload;
use crate::jobs::{Job, JobPayload};
use crate::store::activity;
use crate::store::catalog::{self, Artifact, Dataset, NewDataset};
use crate::store::cursor::Cursor;
use crate::store::keys::{Principal, Role};
use crate::store::references::{DatasetSource, ReferenceError};
use probity_audit::dataset::{DatasetFormat, profile, profile_file_within};

/// Multipart body of a dataset upload.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DatasetUpload {
    /// The data file: CSV with a header row, Parquet, or NDJSON (detected from content).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// Display name; defaults to the file name.
    #[schema(nullable = false)]
    name: Option<String>,
}

/// JSON body registering Parquet objects already in object storage as a
/// dataset, without uploading them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetReference {
    /// `s3://bucket/key` (one Parquet object) or `s3://bucket/prefix/` (every
    /// `.parquet` object under it, in key order), under one of the locations
    /// the server allows (`PROBITY_REFERENCE_URLS`).
    #[schema(example = "s3://decisions/2026/q1/")]
    pub source: String,
    /// Display name; defaults to the source's last path segment.
    pub name: Option<String>,
}

/// Filters of the dataset list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DatasetFilter {
    /// Only datasets of this format.
    pub format: Option<DatasetFormat>,
    /// Only datasets whose name contains this text (case-insensitive).
    pub name: Option<String>,
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_dataset, list_datasets))
        .routes(routes!(register_dataset_reference))
        .routes(routes!(get_dataset, delete_dataset))
        .routes(routes!(download_dataset))
        .routes(routes!(profile_dataset))
}

/// Upload a dataset.
///
/// The file is streamed to the content-addressed store, validated and
/// profiled; identical content is stored once. Nothing is kept when
/// validation fails. The same path also takes a JSON `DatasetReference`
/// body, as `POST /v1/dataset-references` does (documented there, so that
/// each operation has one body type).
#[utoipa::path(post, path = "/v1/datasets", tag = "datasets", operation_id = "upload_dataset",
    request_body(content = DatasetUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored and profiled", body = Dataset,
               headers(("Location" = String, description = "Path of the new dataset"))),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid file, with the line and column where known", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_dataset(
    State(state): State<AppState>,
    principal: Principal,
    request: Request,
) -> Result<Located<Dataset>, ApiError> {
    principal.require(Role::Auditor)?;
    let is_json = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        let Json(reference) = Json::<DatasetReference>::from_request(request, &state).await?;
        return register_reference(&state, &principal, reference).await;
    }
    let multipart = Multipart::from_request(request, &state).await;
    let upload = read_upload(
        multipart,
        &state.blobs,
        state.http.upload_limit_bytes,
        &[("name", MAX_TEXT_PART)],
    )
    .await?;
    let (staged_path, max_rows) = (upload.file.path.to_path_buf(), state.http.max_dataset_rows);
    let profile = tokio::task::spawn_blocking(move || profile_file_within(&staged_path, max_rows))
        .await
        .map_err(anyhow::Error::from)??;
    let name = upload
        .texts
        .get("name")
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| upload.filename.clone())
        .unwrap_or_else(|| format!("dataset-{}", &upload.file.sha256[..12]));
    let sha256 = upload.file.sha256.clone();
    let mut tx = state.pool.begin().await?;
    let (dataset, placed) = catalog::register_dataset(
        &mut tx,
        &state.blobs,
        upload.file,
        NewDataset {
            name: &name,
            filename: upload.filename.as_deref(),
            profile: &profile,
            lineage: None,
            created_by: Some(principal.key_id),
        },
    )
    .await?;
    activity::record(
        &mut *tx,
        &principal,
        "create",
        "dataset",
        &dataset.id.to_string(),
        json!({ "sha256": sha256 }),
    )
    .await?;
    tx.commit().await?;
    placed.keep();
    Ok(created(format!("/v1/datasets/{}", dataset.id), dataset))
}

/// Register Parquet objects already in object storage as a dataset.
///
/// Nothing is uploaded: each object's URL, size and ETag are recorded (the
/// dataset's `sha256` is the hash of that record, so reports cite exactly
/// these objects), the objects are read once to profile them, and every job
/// checks them again and refuses objects that changed. Only locations under
/// `PROBITY_REFERENCE_URLS` may be referenced. Also accepted as a JSON body
/// of `POST /v1/datasets`.
#[utoipa::path(post, path = "/v1/dataset-references", tag = "datasets",
    request_body = DatasetReference,
    responses(
        (status = 201, description = "Registered and profiled", body = Dataset,
               headers(("Location" = String, description = "Path of the new dataset"))),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an allowed S3 location, nothing Parquet there, or invalid Parquet", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The object storage could not be read", body = Problem, content_type = "application/problem+json"),
    ))]
async fn register_dataset_reference(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<Json<DatasetReference>, axum::extract::rejection::JsonRejection>,
) -> Result<Located<Dataset>, ApiError> {
    principal.require(Role::Auditor)?;
    let Json(reference) = body?;
    register_reference(&state, &principal, reference).await
}

/// Registers the Parquet objects a reference names as a dataset.
async fn register_reference(
    state: &AppState,
    principal: &Principal,
    reference: DatasetReference,
) -> Result<Located<Dataset>, ApiError> {
    let source: DatasetSource = state
        .references
        .resolve(&reference.source)
        .await
        .map_err(|e| match e {
            ReferenceError::Storage { .. } => ApiError::Unavailable(e.to_string()),
            other => ApiError::invalid_field("source", other.to_string()),
        })?;
    let (location, max_rows) = (
        state.references.location(&source),
        state.http.max_dataset_rows,
    );
    let profile = tokio::task::spawn_blocking(move || profile(&location, max_rows))
        .await
        .map_err(anyhow::Error::from)??;
    let name = reference
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            source
                .url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| source.url.clone());
    let mut tx = state.pool.begin().await?;
    let dataset = catalog::register_reference(
        &mut *tx,
        &source,
        NewDataset {
            name: &name,
            filename: None,
            profile: &profile,
            lineage: None,
            created_by: Some(principal.key_id),
        },
    )
    .await?;
    activity::record(
        &mut *tx,
        principal,
        "create",
        "dataset",
        &dataset.id.to_string(),
        json!({ "sha256": dataset.sha256, "source": source.url, "objects": source.objects.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(created(format!("/v1/datasets/{}", dataset.id), dataset))
}

/// List datasets, newest first.
///
/// Any key may list. Pages are cursor-based: pass the response's
/// `next_cursor` as `cursor` to read on; filter by `format` or by text in
/// `name` (case-insensitive). Each dataset carries its profile (columns, types, counts).
#[utoipa::path(get, path = "/v1/datasets", tag = "datasets", params(PageParams, DatasetFilter),
    responses((status = 200, description = "A page of datasets", body = Page<Dataset>),
              (status = 422, description = "Bad limit, cursor or filter", body = Problem, content_type = "application/problem+json")))]
async fn list_datasets(
    State(state): State<AppState>,
    principal: Principal,
    Query(page): Query<PageParams>,
    Query(filter): Query<DatasetFilter>,
) -> Result<Json<Page<Dataset>>, ApiError> {
    principal.require(Role::Viewer)?;
    let (limit, cursor) = page.resolve()?;
    let rows = catalog::list_datasets(
        &state.pool,
        limit + 1,
        cursor,
        filter.format,
        filter.name.as_deref(),
    )
    .await?;
    Ok(Json(Page::from_rows(rows, limit, |d| Cursor {
        created_at: d.created_at,
        id: d.id,
    })))
}

async fn find_dataset(state: &AppState, id: Uuid) -> Result<Dataset, ApiError> {
    catalog::get_dataset(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "dataset",
            id: id.to_string(),
        })
}

/// Get a dataset with its profile.
///
/// Any key may read it: the stored file's sha256, size and format, its
/// profile (per column: type, missing values, distinct values or range), and
/// where a derived dataset came from (`lineage`).
#[utoipa::path(get, path = "/v1/datasets/{id}", tag = "datasets", params(("id" = Uuid, Path, description = "Dataset id")),
    responses((status = 200, description = "The dataset", body = Dataset),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json")))]
async fn get_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<Dataset>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(find_dataset(&state, id).await?))
}

/// Download the stored file.
///
/// Raw data is for auditors and admins; a viewer key (dashboards, Prometheus) reads
/// metadata, jobs and reports only.
#[utoipa::path(get, path = "/v1/datasets/{id}/download", tag = "datasets", params(("id" = Uuid, Path, description = "Dataset id")),
    responses((status = 200, description = "The file as uploaded, in its format's media type", content(
                  (inline(FileBytes) = "text/csv"),
                  (inline(FileBytes) = "application/vnd.apache.parquet"),
                  (inline(FileBytes) = "application/x-ndjson")),
               headers(("ETag" = String, description = "The file's sha256 in quotes"),
                       ("Content-Disposition" = String, description = "`attachment` with a file name"))),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "A dataset by reference: its objects are read from their bucket, not served here", body = Problem, content_type = "application/problem+json")))]
async fn download_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    principal.require(Role::Auditor)?;
    let dataset = find_dataset(&state, id).await?;
    if let Some(source) = &dataset.source {
        return Err(ApiError::Conflict(format!(
            "dataset {id} is a reference to {} ({} objects); read it from there",
            source.url,
            source.objects.len()
        )));
    }
    let stem = dataset
        .name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&dataset.name)
        .to_string();
    let filename = format!("{stem}.{}", dataset.format.extension());
    blob_download(
        &state,
        &dataset.sha256,
        dataset.format.media_type(),
        &filename,
    )
    .await
}

/// Delete a dataset; its file is removed when nothing else references it.
///
/// Needs the `auditor` role. Reports made from the dataset stay (they cite
/// its sha256); jobs that still need it fail with the reason. The deletion is
/// recorded in the activity log.
#[utoipa::path(delete, path = "/v1/datasets/{id}", tag = "datasets", params(("id" = Uuid, Path, description = "Dataset id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json")))]
async fn delete_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Auditor)?;
    delete_with_blob(&state, &principal, Artifact::Dataset, id).await
}

/// Recompute the dataset's profile in a `profile` job.
///
/// Needs the `auditor` role. Returns the queued job at once; follow it with
/// `GET /v1/jobs/{id}` or its event stream. The same `Idempotency-Key`
/// returns the same job instead of queueing another.
#[utoipa::path(post, path = "/v1/datasets/{id}/profile", tag = "datasets",
    params(("id" = Uuid, Path, description = "Dataset id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Job queued", body = Job,
               headers(("Location" = String, description = "Path of the queued job (`/v1/jobs/{id}`)"))),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json")))]
async fn profile_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Located<Job>, ApiError> {
    principal.require(Role::Auditor)?;
    find_dataset(&state, id).await?;
    let payload = JobPayload::Profile(ProfilePayload { dataset_id: id });
    let job = start_job(&state, &principal, &headers, payload, Value::Null).await?;
    Ok(job_accepted(job))
}
