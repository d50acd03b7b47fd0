//! The worker runtime: claims jobs, runs them off the async runtime's hot
//! path, renews their lease with a heartbeat that also carries progress and
//! picks up cancel requests, and settles the outcome. Any number of workers
//! in any number of processes share the queue.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::control::{JobContext, JobControl, JobFailure, StopReason};
use super::kinds;
use super::queue::{Heartbeat, Job, JobQueue, JobStatus};

/// A unique worker name: host, process and slot.
pub fn worker_name(slot: usize) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "local".into());
    format!(
        "{host}:{}:{slot}:{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Starts `count` workers; they stop (returning unfinished jobs to the queue) when `shutdown` fires.
pub fn spawn_workers(
    count: usize,
    context: JobContext,
    shutdown: CancellationToken,
) -> tokio::task::JoinSet<()> {
    let mut set = tokio::task::JoinSet::new();
    if context.config.torch_threads > 0 {
        tch::set_num_threads(context.config.torch_threads);
    }
    for slot in 0..count {
        set.spawn(run_worker(
            worker_name(slot),
            context.clone(),
            shutdown.clone(),
        ));
    }
    set
}

async fn run_worker(name: String, context: JobContext, shutdown: CancellationToken) {
    let queue = JobQueue::new(context.pool.clone());
    let lease = context.config.lease();
    tracing::info!(worker = name, "worker started");
    while !shutdown.is_cancelled() {
        let claimed = match queue.settle_expired().await {
            Ok(_) => queue.claim(&name, kinds::KINDS, lease).await,
            Err(e) => Err(e),
        };
        match claimed {
            Ok(Some(job)) => run_job(&name, &queue, &context, job, &shutdown).await,
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(context.config.poll_interval()) => {}
                    _ = shutdown.cancelled() => {}
                }
            }
            Err(e) => {
                tracing::warn!(worker = name, error = %e, "cannot reach the queue; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(context.config.poll_interval().max(Duration::from_secs(1))) => {}
                    _ = shutdown.cancelled() => {}
                }
            }
        }
    }
    tracing::info!(worker = name, "worker stopped");
}

async fn run_job(
    name: &str,
    queue: &JobQueue,
    context: &JobContext,
    job: Job,
    shutdown: &CancellationToken,
) {
    let started = Instant::now();
    let lease = context.config.lease();
    let beat = (lease / 3).min(Duration::from_secs(1));
    let control = Arc::new(JobControl::default());
    tracing::info!(worker = name, job = %job.id, kind = job.kind, attempt = job.attempts, "job claimed");

    let handler = kinds::execute(job.clone(), context.clone(), control.clone());
    tokio::pin!(handler);
    let mut ticker = tokio::time::interval(beat);
    ticker.tick().await;
    let mut shutdown_deadline: Option<tokio::time::Instant> = None;
    let outcome: Result<Value, JobFailure> = loop {
        let grace = async {
            match shutdown_deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            outcome = &mut handler => break outcome,
            _ = ticker.tick() => {
                let progress = control.take_progress();
                let report = progress.as_ref().map(|(f, m)| (*f, m.as_str()));
                match queue.heartbeat(job.id, name, lease, report).await {
                    Ok(Heartbeat::Renewed) => {}
                    Ok(Heartbeat::CancelRequested) => control.request_stop(StopReason::Cancelled),
                    Ok(Heartbeat::Lost) => control.request_stop(StopReason::LeaseLost),
                    Err(e) => tracing::warn!(job = %job.id, error = %e, "heartbeat failed"),
                }
            }
            _ = shutdown.cancelled(), if shutdown_deadline.is_none() => {
                control.request_stop(StopReason::Shutdown);
                shutdown_deadline = Some(tokio::time::Instant::now() + context.config.shutdown_grace());
            }
            _ = grace => break Err(JobFailure::Stopped),
        }
    };

    let stop_reason = control.stop_reason().unwrap_or(StopReason::Cancelled);
    let outcome_label = settle(name, queue, &job, outcome, stop_reason).await;
    metrics::counter!("probity_jobs_finished_total", "kind" => job.kind.clone(), "outcome" => outcome_label)
        .increment(1);
    metrics::histogram!("probity_job_duration_seconds", "kind" => job.kind.clone())
        .record(started.elapsed().as_secs_f64());
}

async fn settle(
    name: &str,
    queue: &JobQueue,
    job: &Job,
    outcome: Result<Value, JobFailure>,
    stop_reason: StopReason,
) -> &'static str {
    let settled = match &outcome {
        Ok(result) => queue
            .succeed(job.id, name, result)
            .await
            .map(|_| "succeeded"),
        Err(JobFailure::Stopped) => match stop_reason {
            StopReason::Cancelled => queue
                .mark_cancelled(job.id, name)
                .await
                .map(|_| "cancelled"),
            StopReason::Shutdown => queue.release(job.id, name).await.map(|_| "released"),
            StopReason::LeaseLost => Ok("lease_lost"),
        },
        Err(JobFailure::Wait {
            after,
            progress,
            message,
        }) => queue
            .defer(job.id, name, *after, *progress, message)
            .await
            .map(|_| "deferred"),
        Err(JobFailure::Failed { message, retryable }) => queue
            .fail(job.id, name, message, *retryable)
            .await
            .map(|status| match status {
                JobStatus::Queued => "retried",
                _ => "failed",
            }),
    };
    match settled {
        Ok(label) => {
            tracing::info!(worker = name, job = %job.id, kind = job.kind, outcome = label, "job settled");
            label
        }
        Err(e) => {
            tracing::error!(job = %job.id, error = %e, "could not record the job outcome; its lease will expire");
            "unrecorded"
        }
    }
}
