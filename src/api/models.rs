//! `/v1/models`: upload (TorchScript + metadata), list, get, download, delete.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};

use crate::api::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AppState, Located, blob_download, created, delete_with_blob};
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{Page, PageParams};
use crate::api::upload::{FileBytes, MAX_TEXT_PART, read_upload};
use crate::store::activity;
use crate::store::catalog::{self, Artifact, Model, NewModel};
use crate::store::cursor::Cursor;
use crate::store::keys::{Principal, Role};
use probity_audit::model::{ModelError, ModelKind, ModelMetadata, parse_metadata};
use probity_audit::ner::{MAX_VOCABULARY_BYTES, Vocabulary};

/// Multipart body of a model upload.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ModelUpload {
    /// TorchScript file (`torch.jit.save` / `torch.jit.trace(...).save`).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// JSON metadata.
    metadata: ModelMetadata,
    /// A token classifier's vocabulary, required for `kind: token_classifier`
    /// and refused otherwise: a UTF-8 text file of one token per line (the
    /// line's index from 0 is the token's id), at most 4 MiB and 200,000
    /// lines, no token twice, with `[UNK]` and `[PAD]`. Words are looked up
    /// lower-cased and whole.
    #[schema(format = Binary, content_media_type = "text/plain")]
    vocabulary: Option<String>,
}

/// Filters of the model list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelFilter {
    /// Only models whose name contains this text (case-insensitive).
    pub name: Option<String>,
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_model, list_models))
        .routes(routes!(get_model, delete_model))
        .routes(routes!(download_model))
}

/// Upload a TorchScript model with its metadata.
///
/// A scorer (`kind: scorer`, the default) is loaded with libtorch and run
/// once on a zero batch as wide as `features`; it must return one value per
/// row. A token classifier (`kind: token_classifier`, with `labels`,
/// `max_tokens` and a `vocabulary` part) is run on token ids `[2,
/// max_tokens]`, zeros and then the vocabulary's last id; it must return
/// `[2, max_tokens, len(labels)]`. Nothing is kept when validation fails.
#[utoipa::path(post, path = "/v1/models", tag = "models",
    request_body(content = ModelUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Validated and stored", body = Model,
               headers(("Location" = String, description = "Path of the new model"))),
        (status = 413, description = "Larger than the upload limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid metadata or model", body = Problem, content_type = "application/problem+json"),
    ))]
async fn upload_model(
    State(state): State<AppState>,
    principal: Principal,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Located<Model>, ApiError> {
    principal.require(Role::Auditor)?;
    let mut upload = read_upload(
        multipart,
        &state.blobs,
        state.http.upload_limit_bytes,
        &[
            ("metadata", MAX_TEXT_PART),
            ("vocabulary", MAX_VOCABULARY_BYTES),
        ],
    )
    .await?;
    let metadata_json = upload
        .texts
        .get("metadata")
        .ok_or_else(|| ApiError::invalid_field("metadata", "the `metadata` part is missing"))?;
    let metadata = parse_metadata(metadata_json.as_bytes())?;
    let vocabulary_text = upload.texts.remove("vocabulary");
    let vocabulary = match (metadata.kind, &vocabulary_text) {
        (ModelKind::Scorer, None) => None,
        (ModelKind::Scorer, Some(_)) => {
            return Err(ApiError::invalid_field(
                "vocabulary",
                "a vocabulary belongs to `kind: token_classifier` models only",
            ));
        }
        (ModelKind::TokenClassifier, None) => {
            return Err(ApiError::invalid_field(
                "vocabulary",
                "a token classifier needs its `vocabulary` part: one token per line, the line's index its id",
            ));
        }
        (ModelKind::TokenClassifier, Some(text)) => Some(
            Vocabulary::parse(text.as_bytes()).map_err(|e| ModelError::Vocabulary {
                detail: e.to_string(),
            })?,
        ),
    };
    let (path, checked) = (upload.file.path.to_path_buf(), metadata.clone());
    let (sandbox, tokens) = (
        state.sandbox.clone(),
        vocabulary.as_ref().map(Vocabulary::len),
    );
    tokio::task::spawn_blocking(move || match tokens {
        None => sandbox.validate(&path, &checked),
        Some(tokens) => sandbox.validate_token_classifier(&path, &checked, tokens),
    })
    .await
    .map_err(anyhow::Error::from)??;
    let sha256 = upload.file.sha256.clone();
    let mut tx = state.pool.begin().await?;
    let (model, placed) = catalog::register_model(
        &mut tx,
        &state.blobs,
        upload.file,
        NewModel {
            metadata: &metadata,
            vocabulary: vocabulary_text.as_deref().zip(vocabulary.as_ref()),
            lineage: None,
            created_by: Some(principal.key_id),
        },
    )
    .await?;
    activity::record(
        &mut *tx,
        &principal,
        "create",
        "model",
        &model.id.to_string(),
        json!({ "sha256": sha256 }),
    )
    .await?;
    tx.commit().await?;
    placed.keep();
    Ok(created(format!("/v1/models/{}", model.id), model))
}

/// List models, newest first.
///
/// Any key may list. Filter by text in `name`; pages are cursor-based (pass
/// `next_cursor` as `cursor`). Each model carries its declared features,
/// output and, for a model Probity trained, its lineage.
#[utoipa::path(get, path = "/v1/models", tag = "models", params(PageParams, ModelFilter),
    responses((status = 200, description = "A page of models", body = Page<Model>),
              (status = 422, description = "Bad limit, cursor or filter", body = Problem, content_type = "application/problem+json")))]
async fn list_models(
    State(state): State<AppState>,
    principal: Principal,
    Query(page): Query<PageParams>,
    Query(filter): Query<ModelFilter>,
) -> Result<Json<Page<Model>>, ApiError> {
    principal.require(Role::Viewer)?;
    let (limit, cursor) = page.resolve()?;
    let rows = catalog::list_models(&state.pool, limit + 1, cursor, filter.name.as_deref()).await?;
    Ok(Json(Page::from_rows(rows, limit, |m| Cursor {
        created_at: m.created_at,
        id: m.id,
    })))
}

async fn find_model(state: &AppState, id: Uuid) -> Result<Model, ApiError> {
    catalog::get_model(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "model",
            id: id.to_string(),
        })
}

/// Get a model's metadata.
///
/// Any key may read it: name, version, kind, declared features and output,
/// the file's sha256 and size, and where a trained model came from.
#[utoipa::path(get, path = "/v1/models/{id}", tag = "models", params(("id" = Uuid, Path, description = "Model id")),
    responses((status = 200, description = "The model", body = Model),
              (status = 404, description = "No such model", body = Problem, content_type = "application/problem+json")))]
async fn get_model(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<Model>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(find_model(&state, id).await?))
}

/// Download the TorchScript file.
///
/// For auditors and admins; a viewer key reads metadata, jobs and reports only.
#[utoipa::path(get, path = "/v1/models/{id}/download", tag = "models", params(("id" = Uuid, Path, description = "Model id")),
    responses((status = 200, description = "The TorchScript file", content_type = "application/octet-stream", body = inline(FileBytes),
               headers(("ETag" = String, description = "The file's sha256 in quotes"),
                       ("Content-Disposition" = String, description = "`attachment` with a file name"))),
              (status = 404, description = "No such model", body = Problem, content_type = "application/problem+json")))]
async fn download_model(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    principal.require(Role::Auditor)?;
    let model = find_model(&state, id).await?;
    let filename = format!("{}-{}.pt", model.name, model.version);
    blob_download(&state, &model.sha256, "application/octet-stream", &filename).await
}

/// Delete a model; its file is removed when nothing else references it.
///
/// Needs the `auditor` role. Reports that used it stay (they cite its
/// sha256). The deletion is recorded in the activity log.
#[utoipa::path(delete, path = "/v1/models/{id}", tag = "models", params(("id" = Uuid, Path, description = "Model id")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such model", body = Problem, content_type = "application/problem+json")))]
async fn delete_model(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Auditor)?;
    delete_with_blob(&state, &principal, Artifact::Model, id).await
}
