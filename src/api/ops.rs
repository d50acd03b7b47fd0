//! Operations endpoints: liveness, readiness, Prometheus metrics, the OpenAPI
//! document and an offline documentation page.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use crate::api::error::{ApiError, Problem};
use crate::jobs::JobQueue;
use crate::store::db;
use crate::store::keys::{Principal, Role};
use crate::store::reports;
use probity_audit::report::AuditReport;

/// Health or readiness answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when healthy or ready.
    pub status: String,
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .routes(routes!(openapi_json))
        .routes(routes!(docs))
}

/// `/healthz`, `/readyz` and `/metrics` alone: what a `probity worker` serves.
pub fn probes_router() -> axum::Router<AppState> {
    let (router, _) = OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .split_for_parts();
    router
}

/// Liveness: the process answers.
///
/// No API key needed, no database touched: a 200 means the process serves
/// requests. Use `/readyz` to know whether it can do work.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "Alive", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: Postgres is reachable and every migration is applied.
///
/// No API key needed. 503 with the reason (database unreachable, migrations
/// pending) while the server cannot serve database-backed requests; load
/// balancers should route only to ready instances.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, description = "Ready", body = Health),
              (status = 503, description = "Not ready, with the reason", body = Problem, content_type = "application/problem+json")))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    match db::migrations_applied(&state.pool).await {
        Ok(true) => Ok(Json(Health {
            status: "ok".into(),
        })),
        Ok(false) => Err(ApiError::Unavailable(
            "database migrations are pending".into(),
        )),
        Err(e) => Err(ApiError::Unavailable(format!("database unreachable: {e}"))),
    }
}

/// Prometheus metrics (any key, including a `metrics` key that may read nothing else):
/// request counts and latency, queue depth, job outcomes,
/// and the newest fairness figures per model and sensitive feature as gauges
/// (`probity_demographic_parity_difference{model, model_version, model_id, dataset, feature}`, ...).
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain", body = String)))]
async fn metrics(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Response, ApiError> {
    principal.require(Role::Metrics)?;
    for (status, count) in JobQueue::new(state.pool.clone()).depth().await? {
        let status = serde_json::to_value(status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        metrics::gauge!("probity_jobs", "status" => status).set(count as f64);
    }
    let latest: Vec<AuditReport> = reports::latest_per_subject(&state.pool)
        .await?
        .into_iter()
        .filter_map(|body| {
            serde_json::from_value(body)
                .map_err(
                    |e| tracing::warn!(error = %e, "a stored report does not read as a report"),
                )
                .ok()
        })
        .collect();
    crate::metrics::set_report_gauges(&latest);
    crate::metrics::set_monitor_gauges(&crate::store::monitors::newest_windows(&state.pool).await?);
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response())
}

/// An OpenAPI 3.1 document (<https://spec.openapis.org/oas/v3.1.0>), as
/// `/openapi.json` serves this API's.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OpenApiDocument {
    /// The OpenAPI version, `3.1.0`.
    openapi: String,
    /// Title, description and `version` (the service version).
    info: OpenApiInfo,
    /// The operations, by path.
    #[schema(value_type = HashMap<String, Object>)]
    paths: std::collections::HashMap<String, serde_json::Value>,
    /// Schemas, responses and security schemes the operations refer to.
    #[schema(value_type = HashMap<String, Object>)]
    components: std::collections::HashMap<String, serde_json::Value>,
}

/// The `info` object of an OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OpenApiInfo {
    /// The API's name.
    title: String,
    /// What the API is for.
    description: Option<String>,
    /// The service version; docs/changelog.md lists breaking changes between versions.
    version: String,
}

/// This API's OpenAPI 3.1 description.
///
/// No API key needed. The document this server implements, with
/// `info.version` the service version (docs/changelog.md lists breaking
/// changes between versions). Generate clients from it.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = OpenApiDocument)))]
async fn openapi_json(Extension(spec): Extension<Arc<String>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        spec.as_str().to_owned(),
    )
        .into_response()
}

/// Human-readable API documentation; works offline (no external assets).
///
/// No API key needed. Renders `/openapi.json` in the browser with no assets
/// from elsewhere, so it works on air-gapped deployments.
#[utoipa::path(get, path = "/docs", tag = "ops", responses((status = 200, description = "HTML page", content_type = "text/html", body = String)))]
async fn docs() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}
