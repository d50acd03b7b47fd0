//! The `canary` job: holds a worker for a given time, reporting progress and
//! honouring cancel.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::to_result;
use crate::jobs::control::{JobControl, JobFailure};

/// Payload of a `canary` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CanaryPayload {
    /// How long to hold the worker, in milliseconds.
    pub duration_ms: u64,
}

/// The result of a `canary` job: how long it held its worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CanaryResult {
    /// Milliseconds held.
    pub held_ms: u64,
}

/// Runs one attempt of a `canary` job.
pub(super) async fn run(
    payload: CanaryPayload,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let total = Duration::from_millis(payload.duration_ms);
    let started = tokio::time::Instant::now();
    loop {
        control.check()?;
        let elapsed = started.elapsed();
        if elapsed >= total {
            return Ok(to_result(CanaryResult {
                held_ms: elapsed.as_millis() as u64,
            }));
        }
        control.set_progress(
            elapsed.as_secs_f64() / total.as_secs_f64().max(1e-9),
            "holding",
        );
        tokio::time::sleep(Duration::from_millis(20).min(total - elapsed)).await;
    }
}
