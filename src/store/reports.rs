//! Stored reports: their Postgres records and queries. Reports are
//! immutable (Postgres rejects updates); the body's sha256 is kept beside it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::store::cursor::Cursor;
use probity_audit::report::{AuditReport, canonical_sha256};
use probity_audit::signing::{ReportSignature, ReportSigner};

/// A report as listed: headline figures without the body.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ReportSummary {
    /// Report id.
    pub id: Uuid,
    /// The audit job that produced it.
    pub job_id: Option<Uuid>,
    /// Dataset audited.
    pub dataset_id: Uuid,
    /// sha256 of the dataset file audited.
    pub dataset_sha256: String,
    /// Model audited, when the audit ran one.
    pub model_id: Option<Uuid>,
    /// `pass`, `fail` or `inconclusive`.
    #[schema(value_type = probity_fairness::policy::Outcome)]
    pub verdict: String,
    /// Demographic parity difference over all sensitive features together.
    pub demographic_parity_difference: Option<f64>,
    /// Equalized odds difference (worst case) over all sensitive features together.
    pub equalized_odds_difference: Option<f64>,
    /// sha256 of the body's canonical JSON.
    pub sha256: String,
    /// sha256 of the PII findings export (NDJSON), when the audit scanned for PII.
    pub pii_findings_sha256: Option<String>,
    /// Ed25519 signature of `sha256`, when the server had a signing key.
    #[schema(value_type = Option<ReportSignature>)]
    pub signature: Option<Json<ReportSignature>>,
    /// API key that started the audit.
    pub created_by: Option<Uuid>,
    /// When the report was stored.
    pub created_at: DateTime<Utc>,
}

/// A full report: summary fields plus the body.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct StoredReport {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub summary: ReportSummary,
    /// The report document, exactly as signed (its canonical JSON has `sha256`).
    #[schema(value_type = probity_audit::report::AuditReport)]
    pub body: Value,
}

const SUMMARY_COLUMNS: &str = "id, job_id, dataset_id, dataset_sha256, model_id, verdict, demographic_parity_difference, \
                               equalized_odds_difference, sha256, pii_findings_sha256, signature, created_by, created_at";

/// Stores a report produced by `job_id`, signed when a signer is given.
pub async fn insert<'e>(
    db: impl PgExecutor<'e>,
    report: &AuditReport,
    dataset_id: Uuid,
    job_id: Option<Uuid>,
    created_by: Option<Uuid>,
    signer: Option<&ReportSigner>,
) -> anyhow::Result<ReportSummary> {
    let body = serde_json::to_value(report)?;
    let sha256 = canonical_sha256(&body);
    let signature = signer.map(|s| Json(s.sign(&sha256)));
    let headline = report.headline();
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO reports (id, job_id, dataset_id, dataset_sha256, model_id, verdict, demographic_parity_difference,
                              equalized_odds_difference, body, sha256, created_by, created_at, pii_findings_sha256, signature)
         VALUES ($1, $2, $3, $4, $12, $5, $6, $7, $8, $9, $10, $11, $13, $14) RETURNING {SUMMARY_COLUMNS}"
    )))
    .bind(report.id)
    .bind(job_id)
    .bind(dataset_id)
    .bind(&report.inputs.dataset.sha256)
    .bind(headline.verdict.as_str())
    .bind(headline.demographic_parity_difference)
    .bind(headline.equalized_odds_difference)
    .bind(&body)
    .bind(&sha256)
    .bind(created_by)
    .bind(report.created_at)
    .bind(report.inputs.model.as_ref().map(|m| m.id))
    .bind(report.pii.as_ref().and_then(|p| p.findings_export.sha256.as_deref()))
    .bind(signature)
    .fetch_one(db)
    .await?)
}

/// One report with its body.
pub async fn get(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<StoredReport>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS}, body FROM reports WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The sha256 of a report's PII findings export: `None` when there is no such
/// report, `Some(None)` when its audit did not scan for PII.
pub async fn pii_findings_sha256(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<Option<String>>> {
    sqlx::query_scalar("SELECT pii_findings_sha256 FROM reports WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The report an audit job stored, if it got that far.
pub async fn for_job(pool: &PgPool, job_id: Uuid) -> sqlx::Result<Option<ReportSummary>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM reports WHERE job_id = $1"
    )))
    .bind(job_id)
    .fetch_optional(pool)
    .await
}

/// The newest report body of every model (and, for audits of predictions
/// already in the data, of every dataset): what the fairness gauges show.
pub async fn latest_per_subject(pool: &PgPool) -> sqlx::Result<Vec<Value>> {
    sqlx::query_scalar(
        "SELECT DISTINCT ON (coalesce(model_id::text, 'dataset:' || dataset_id::text)) body FROM reports
         ORDER BY coalesce(model_id::text, 'dataset:' || dataset_id::text), created_at DESC, id DESC",
    )
    .fetch_all(pool)
    .await
}

/// Filters of the report list.
#[derive(Debug, Default, Clone)]
pub struct ReportFilter {
    pub dataset_id: Option<Uuid>,
    pub model_id: Option<Uuid>,
    pub verdict: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
}

/// A page of report summaries, newest first.
pub async fn list(
    pool: &PgPool,
    limit: i64,
    after: Option<Cursor>,
    filter: &ReportFilter,
) -> sqlx::Result<Vec<ReportSummary>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM reports
         WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
           AND ($3::uuid IS NULL OR dataset_id = $3)
           AND ($4::uuid IS NULL OR model_id = $4)
           AND ($5::text IS NULL OR verdict = $5)
           AND ($6::timestamptz IS NULL OR created_at >= $6)
           AND ($7::timestamptz IS NULL OR created_at < $7)
         ORDER BY created_at DESC, id DESC LIMIT $8"
    )))
    .bind(after.map(|c| c.created_at))
    .bind(after.map(|c| c.id))
    .bind(filter.dataset_id)
    .bind(filter.model_id)
    .bind(&filter.verdict)
    .bind(filter.created_after)
    .bind(filter.created_before)
    .bind(limit)
    .fetch_all(pool)
    .await
}
