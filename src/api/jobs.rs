//! `/v1/jobs`: list, get, cancel, and a server-sent event stream of progress.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;

use crate::api::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination::{Page, PageParams};
use crate::jobs::kinds::JobKind;
use crate::jobs::queue::CancelError;
use crate::jobs::{Job, JobQueue, JobStatus};
use crate::store::activity;
use crate::store::cursor::Cursor;
use crate::store::keys::{self, Principal, Role};

/// The name of every event of a job's stream.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum JobEventName {
    /// The job changed.
    Job,
}

/// One server-sent event of `GET /v1/jobs/{id}/events`, as SSE parsers
/// read it: the job as it is now.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JobEvent {
    /// `job`.
    event: JobEventName,
    /// When the job last changed (RFC 3339), the `updated_at` of `data`.
    id: String,
    /// The `Job` as JSON.
    #[schema(content_media_type = "application/json")]
    data: String,
}

/// Filters of the job list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilter {
    /// Only jobs in this state.
    pub status: Option<JobStatus>,
    /// Only jobs of this kind.
    pub kind: Option<JobKind>,
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(get_job))
        .routes(routes!(cancel_job))
        .routes(routes!(job_events))
}

/// List jobs, newest first.
///
/// Any key may list. Filter by `kind` or `status`; pages are cursor-based
/// (pass `next_cursor` as `cursor`). Each job carries its payload, progress,
/// attempts, error and, once succeeded, its result.
#[utoipa::path(get, path = "/v1/jobs", tag = "jobs", params(PageParams, JobFilter),
    responses((status = 200, description = "A page of jobs", body = Page<Job>),
              (status = 422, description = "Bad limit, cursor or filter", body = Problem, content_type = "application/problem+json")))]
async fn list_jobs(
    State(state): State<AppState>,
    principal: Principal,
    Query(page): Query<PageParams>,
    Query(filter): Query<JobFilter>,
) -> Result<Json<Page<Job>>, ApiError> {
    principal.require(Role::Viewer)?;
    let (limit, cursor) = page.resolve()?;
    let rows = JobQueue::new(state.pool.clone())
        .list(
            limit + 1,
            cursor,
            filter.status,
            filter.kind.map(JobKind::as_str),
        )
        .await?;
    Ok(Json(Page::from_rows(rows, limit, |j| Cursor {
        created_at: j.created_at,
        id: j.id,
    })))
}

async fn find_job(state: &AppState, id: Uuid) -> Result<Job, ApiError> {
    JobQueue::new(state.pool.clone())
        .get(id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: "job",
            id: id.to_string(),
        })
}

/// Get a job: status, progress, attempts, error and result.
///
/// Any key may read it. `result` is set when the job succeeded and links to
/// what it produced (a report, a dataset, a model); `error` says why a failed
/// job (or its last attempt) failed.
#[utoipa::path(get, path = "/v1/jobs/{id}", tag = "jobs", params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, description = "The job", body = Job),
              (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json")))]
async fn get_job(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Json<Job>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(find_job(&state, id).await?))
}

/// Cancel a job: a queued job is cancelled at once, a running job stops at its next check.
///
/// Needs the `auditor` role. Answers with the job as it is now (`cancelled`,
/// or still `running` until its worker sees the request); 409 when the job
/// has already finished.
#[utoipa::path(post, path = "/v1/jobs/{id}/cancel", tag = "jobs", params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 202, description = "Cancelled, or cancel requested", body = Job),
              (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "The job already finished", body = Problem, content_type = "application/problem+json")))]
async fn cancel_job(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    principal.require(Role::Auditor)?;
    let job = JobQueue::new(state.pool.clone())
        .request_cancel(id)
        .await
        .map_err(|e| match e {
            CancelError::NotFound => ApiError::NotFound {
                resource: "job",
                id: id.to_string(),
            },
            CancelError::AlreadyFinished(status) => ApiError::Conflict(format!(
                "job {id} already finished ({}); it cannot be cancelled",
                json!(status)
            )),
            CancelError::Database(e) => e.into(),
        })?;
    activity::record(
        &state.pool,
        &principal,
        "cancel",
        "job",
        &id.to_string(),
        json!({ "status": job.status }),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Stream the job's state as server-sent events (`job` events carrying the
/// job JSON) until it finishes.
///
/// A key may hold a few streams at once (429 beyond); a stream also ends when
/// its key is revoked and when the server shuts down.
#[utoipa::path(get, path = "/v1/jobs/{id}/events", tag = "jobs", params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, description = "`text/event-stream` of `job` events, each with the job as JSON", content_type = "text/event-stream", body = JobEvent),
              (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json")))]
async fn job_events(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    principal.require(Role::Viewer)?;
    let first = find_job(&state, id).await?;
    let slot = state.throttle.stream(principal.key_id)?;
    let shutdown = state.throttle.shutdown();
    let queue = JobQueue::new(state.pool.clone());
    let pool = state.pool.clone();
    let stream = async_stream::stream! {
        let _slot = slot;
        let mut last = first.updated_at;
        let mut done = first.status.is_terminal();
        yield Ok(job_event(&first));
        let mut polls = 0u64;
        while !done {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = shutdown.cancelled() => break,
            }
            polls += 1;
            if polls.is_multiple_of(4) && !keys::is_active(&pool, principal.key_id).await.unwrap_or(true) {
                break;
            }
            match queue.get(id).await {
                Ok(Some(job)) if job.updated_at != last => {
                    last = job.updated_at;
                    done = job.status.is_terminal();
                    yield Ok(job_event(&job));
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => tracing::warn!(job = %id, error = %e, "job event poll failed"),
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn job_event(job: &Job) -> Event {
    Event::default()
        .event("job")
        .id(job.updated_at.to_rfc3339())
        .json_data(job)
        .unwrap_or_else(|_| Event::default())
}
