//! Stored datasets and models: their Postgres records and queries.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use super::blobs::{BlobStore, PlacedBlob, StagedBlob};
use super::cursor::Cursor;
use super::references::DatasetSource;
use probity_audit::dataset::{ColumnProfile, DatasetFormat, DatasetProfile};
use probity_audit::lineage::Lineage;
use probity_audit::model::{ModelKind, ModelMetadata, ModelOutput};
use probity_audit::ner::Vocabulary;

/// A stored dataset and its profile.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Dataset {
    /// Dataset id.
    pub id: Uuid,
    /// Name given at upload (defaults to the file name).
    pub name: String,
    /// File name sent with the upload, if any.
    pub filename: Option<String>,
    /// Format detected from the content.
    #[sqlx(try_from = "String")]
    pub format: DatasetFormat,
    /// sha256 of the stored file (content address); for a dataset by
    /// reference, of its `source` document.
    pub sha256: String,
    /// File size in bytes (for a dataset by reference, of all its objects).
    pub size_bytes: i64,
    /// Number of data rows.
    pub row_count: i64,
    /// Columns with dtype and null count.
    #[schema(value_type = Vec<ColumnProfile>)]
    pub columns: Json<Vec<ColumnProfile>>,
    /// When the profile was last computed.
    pub profiled_at: DateTime<Utc>,
    /// Where a derived dataset came from (model, source dataset, job).
    #[schema(value_type = Option<Lineage>)]
    pub lineage: Option<Json<Lineage>>,
    /// API key that uploaded it.
    pub created_by: Option<Uuid>,
    /// Upload time.
    pub created_at: DateTime<Utc>,
    /// For a dataset by reference: the objects it reads, as registered
    /// (absent for an uploaded file).
    #[schema(value_type = Option<DatasetSource>)]
    pub source: Option<Json<DatasetSource>>,
}

/// A stored TorchScript model and its declared metadata.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Model {
    /// Model id.
    pub id: Uuid,
    /// Name from the metadata.
    pub name: String,
    /// Version from the metadata.
    pub version: String,
    /// `scorer` or `token_classifier`.
    #[sqlx(try_from = "String")]
    pub kind: ModelKind,
    /// Dataset columns fed to a scorer, in input order (empty for a token classifier).
    #[schema(value_type = Vec<String>)]
    pub features: Json<Vec<String>>,
    /// What the model returns.
    #[sqlx(try_from = "String")]
    pub output: ModelOutput,
    /// Probability at or above which a scorer's prediction is positive.
    pub threshold: f64,
    /// A token classifier's BIO labels, one per output index.
    #[schema(value_type = Option<Vec<String>>)]
    pub labels: Option<Json<Vec<String>>>,
    /// A token classifier's tokens per sequence.
    pub max_tokens: Option<i32>,
    /// sha256 of a token classifier's vocabulary file.
    pub vocabulary_sha256: Option<String>,
    /// Tokens in a token classifier's vocabulary.
    pub vocabulary_tokens: Option<i32>,
    /// sha256 of the TorchScript file.
    pub sha256: String,
    /// File size in bytes.
    pub size_bytes: i64,
    /// Where a trained model came from (dataset, job, options).
    #[schema(value_type = Option<Lineage>)]
    pub lineage: Option<Json<Lineage>>,
    /// API key that uploaded it.
    pub created_by: Option<Uuid>,
    /// Upload time.
    pub created_at: DateTime<Utc>,
}

const DATASET_COLUMNS: &str = "id, name, filename, format, coalesce(blob_sha256, source_sha256) AS sha256, \
                               size_bytes, row_count, columns, profiled_at, lineage, created_by, created_at, source";
const MODEL_COLUMNS: &str = "id, name, version, kind, features, output, threshold, labels, max_tokens, \
                             vocabulary_sha256, vocabulary_tokens, blob_sha256 AS sha256, size_bytes, \
                             lineage, created_by, created_at";

/// Fields of a new dataset record (its file is the staged blob registered with it).
pub struct NewDataset<'a> {
    /// Display name.
    pub name: &'a str,
    /// File name sent with the upload, if any.
    pub filename: Option<&'a str>,
    /// Format, row count and columns of the file.
    pub profile: &'a DatasetProfile,
    /// Where a derived dataset came from (model, source dataset, job).
    pub lineage: Option<Lineage>,
    /// The API key that uploaded or asked for it.
    pub created_by: Option<Uuid>,
}

/// Registers a staged file as a dataset in `tx`: records the blob, inserts
/// the record that references it, then moves the file into place (unless
/// the content is stored already). Call `keep` on the returned guard once
/// `tx` has committed; dropped before, it removes the file it placed.
pub async fn register_dataset(
    tx: &mut Transaction<'_, Postgres>,
    blobs: &BlobStore,
    staged: StagedBlob,
    new: NewDataset<'_>,
) -> anyhow::Result<(Dataset, PlacedBlob)> {
    blobs.record(tx, &staged).await?;
    let dataset = insert_dataset(&mut **tx, &staged.sha256, staged.size, new).await?;
    Ok((dataset, blobs.place(staged).await?))
}

/// Registers a dataset by reference in `tx`: its objects as listed, no blob.
pub async fn register_reference<'e>(
    db: impl PgExecutor<'e>,
    source: &DatasetSource,
    new: NewDataset<'_>,
) -> sqlx::Result<Dataset> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO datasets (id, name, format, source, source_sha256, size_bytes, row_count, columns, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {DATASET_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(new.name)
    .bind(new.profile.format.as_str())
    .bind(Json(source))
    .bind(source.sha256())
    .bind(source.size_bytes() as i64)
    .bind(new.profile.rows as i64)
    .bind(Json(&new.profile.columns))
    .bind(new.created_by)
    .fetch_one(db)
    .await
}

async fn insert_dataset<'e>(
    db: impl PgExecutor<'e>,
    sha256: &str,
    size_bytes: u64,
    new: NewDataset<'_>,
) -> sqlx::Result<Dataset> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO datasets (id, name, filename, format, blob_sha256, size_bytes, row_count, columns, created_by, lineage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {DATASET_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(new.name)
    .bind(new.filename)
    .bind(new.profile.format.as_str())
    .bind(sha256)
    .bind(size_bytes as i64)
    .bind(new.profile.rows as i64)
    .bind(Json(&new.profile.columns))
    .bind(new.created_by)
    .bind(new.lineage.map(Json))
    .fetch_one(db)
    .await
}

/// The dataset a job derived, if an earlier attempt of the job stored one
/// (so a retried job does not store a second).
pub async fn dataset_for_job<'e>(
    db: impl PgExecutor<'e>,
    job_id: Uuid,
) -> sqlx::Result<Option<Dataset>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DATASET_COLUMNS} FROM datasets WHERE lineage->>'job_id' = $1::text"
    )))
    .bind(job_id)
    .fetch_optional(db)
    .await
}

/// One dataset by id.
pub async fn get_dataset<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<Dataset>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DATASET_COLUMNS} FROM datasets WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A page of datasets, newest first, optionally filtered by format and name substring.
pub async fn list_datasets(
    pool: &PgPool,
    limit: i64,
    after: Option<Cursor>,
    format: Option<DatasetFormat>,
    name_contains: Option<&str>,
) -> sqlx::Result<Vec<Dataset>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DATASET_COLUMNS} FROM datasets
         WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
           AND ($3::text IS NULL OR format = $3)
           AND ($4::text IS NULL OR strpos(lower(name), lower($4)) > 0)
         ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(after.map(|c| c.created_at))
    .bind(after.map(|c| c.id))
    .bind(format.map(DatasetFormat::as_str))
    .bind(name_contains)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Replaces a dataset's profile; false when the dataset no longer exists.
pub async fn update_dataset_profile(
    pool: &PgPool,
    id: Uuid,
    profile: &DatasetProfile,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE datasets SET row_count = $2, columns = $3, profiled_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(profile.rows as i64)
    .bind(Json(&profile.columns))
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Fields of a new model record besides its file (the staged blob).
pub struct NewModel<'a> {
    /// The declared metadata.
    pub metadata: &'a ModelMetadata,
    /// A token classifier's vocabulary: the file's text and what it parsed into.
    pub vocabulary: Option<(&'a str, &'a Vocabulary)>,
    /// Where a trained model came from.
    pub lineage: Option<Lineage>,
    /// The API key that uploaded or trained it.
    pub created_by: Option<Uuid>,
}

/// Registers a staged TorchScript file as a model in `tx`, as
/// `register_dataset` does a dataset.
pub async fn register_model(
    tx: &mut Transaction<'_, Postgres>,
    blobs: &BlobStore,
    staged: StagedBlob,
    new: NewModel<'_>,
) -> anyhow::Result<(Model, PlacedBlob)> {
    blobs.record(tx, &staged).await?;
    let model = insert_model(&mut **tx, new, &staged.sha256, staged.size).await?;
    Ok((model, blobs.place(staged).await?))
}

async fn insert_model<'e>(
    db: impl PgExecutor<'e>,
    new: NewModel<'_>,
    sha256: &str,
    size_bytes: u64,
) -> sqlx::Result<Model> {
    let metadata = new.metadata;
    let (vocabulary, parsed) = new.vocabulary.unzip();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO models (id, name, version, kind, features, output, threshold, labels, max_tokens,
                             vocabulary, vocabulary_sha256, vocabulary_tokens, blob_sha256, size_bytes,
                             created_by, lineage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING {MODEL_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(&metadata.name)
    .bind(&metadata.version)
    .bind(metadata.kind.as_str())
    .bind(Json(&metadata.features))
    .bind(metadata.output.as_str())
    .bind(metadata.threshold)
    .bind(metadata.labels.as_ref().map(Json))
    .bind(metadata.max_tokens.map(|n| n as i32))
    .bind(vocabulary)
    .bind(parsed.map(Vocabulary::sha256))
    .bind(parsed.map(|v| v.len() as i32))
    .bind(sha256)
    .bind(size_bytes as i64)
    .bind(new.created_by)
    .bind(new.lineage.map(Json))
    .fetch_one(db)
    .await
}

/// A token classifier's vocabulary file (`None`: no such model, or a scorer).
pub async fn model_vocabulary<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT vocabulary FROM models WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// The model a job trained, if an earlier attempt of the job stored one.
pub async fn model_for_job<'e>(
    db: impl PgExecutor<'e>,
    job_id: Uuid,
) -> sqlx::Result<Option<Model>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MODEL_COLUMNS} FROM models WHERE lineage->>'job_id' = $1::text"
    )))
    .bind(job_id)
    .fetch_optional(db)
    .await
}

/// One model by id.
pub async fn get_model<'e>(db: impl PgExecutor<'e>, id: Uuid) -> sqlx::Result<Option<Model>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MODEL_COLUMNS} FROM models WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A page of models, newest first, optionally filtered by name substring.
pub async fn list_models(
    pool: &PgPool,
    limit: i64,
    after: Option<Cursor>,
    name_contains: Option<&str>,
) -> sqlx::Result<Vec<Model>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MODEL_COLUMNS} FROM models
         WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
           AND ($3::text IS NULL OR strpos(lower(name), lower($3)) > 0)
         ORDER BY created_at DESC, id DESC LIMIT $4"
    )))
    .bind(after.map(|c| c.created_at))
    .bind(after.map(|c| c.id))
    .bind(name_contains)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The kinds of stored artifact that own a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    Dataset,
    Model,
}

impl Artifact {
    /// Singular noun used in messages and the audit log.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Dataset => "dataset",
            Self::Model => "model",
        }
    }
}

/// Deletes a dataset or model record: `None` when there was none, else its
/// blob hash (`None` inside for a dataset by reference, which has no blob).
pub async fn delete_artifact<'e>(
    db: impl PgExecutor<'e>,
    artifact: Artifact,
    id: Uuid,
) -> sqlx::Result<Option<Option<String>>> {
    let table = match artifact {
        Artifact::Dataset => "datasets",
        Artifact::Model => "models",
    };
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE id = $1 RETURNING blob_sha256"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}
