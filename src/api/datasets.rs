//! `/v1/datasets`: upload, list, get, download, delete, re-profile.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};

use crate::api::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, blob_download, delete_with_blob, start_job};
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{Page, PageParams};
use crate::api::upload::{FileBytes, read_upload};
use crate::jobs::kinds::ProfilePayload;
use crate::jobs::{Job, JobPayload};
use crate::store::activity;
use crate::store::catalog::{self, Artifact, Dataset, NewDataset};
use crate::store::cursor::Cursor;
use crate::store::keys::{Principal, Role};
use probity_audit::dataset::{DatasetFormat, profile_file_within};

/// Multipart body of a dataset upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DatasetUpload {
    /// The data file: CSV with a header row, Parquet, or NDJSON (detected from content).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// Display name; defaults to the file name.
    #[schema(nullable = false)]
    name: Option<String>,
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
        .routes(routes!(upload_dataset, list_datasets))
        .routes(routes!(get_dataset, delete_dataset))
        .routes(routes!(download_dataset))
        .routes(routes!(profile_dataset))
}

/// Upload a dataset.
///
/// The file is streamed to the content-addressed store, validated and
/// profiled; identical content is stored once. Nothing is kept when
/// validation fails.
#[utoipa::path(post, path = "/v1/datasets", tag = "datasets",
    request_body(content = DatasetUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored and profiled", body = Dataset),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid file, with the line and column where known", body = Problem, content_type = "application/problem+json"),
    ))]
async fn upload_dataset(
    State(state): State<AppState>,
    principal: Principal,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Dataset>), ApiError> {
    principal.require(Role::Auditor)?;
    let upload = read_upload(
        multipart,
        &state.blobs,
        state.http.upload_limit_bytes,
        &["name"],
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
    Ok((StatusCode::CREATED, Json(dataset)))
}

/// List datasets, newest first.
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
    responses((status = 200, description = "The file as uploaded", content_type = "application/octet-stream", body = inline(FileBytes)),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json")))]
async fn download_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    principal.require(Role::Auditor)?;
    let dataset = find_dataset(&state, id).await?;
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
#[utoipa::path(post, path = "/v1/datasets/{id}/profile", tag = "datasets",
    params(("id" = Uuid, Path, description = "Dataset id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the same job")),
    responses((status = 202, description = "Job queued", body = Job),
              (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json")))]
async fn profile_dataset(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    principal.require(Role::Auditor)?;
    find_dataset(&state, id).await?;
    let payload = JobPayload::Profile(ProfilePayload { dataset_id: id });
    let job = start_job(&state, &principal, &headers, payload, Value::Null).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}
