//! The job kinds workers know: one serde-tagged payload enum (the `kind`
//! column names the variant, the `payload` column holds its fields) and one
//! file per kind with what it does.

mod audit;
mod audit_shard;
mod canary;
pub mod inference;
mod profile;
pub mod training;
pub mod webhook;

use std::sync::Arc;

use probity_audit::audit::AuditRequest;
use probity_audit::inference::InferenceRequest;
use probity_audit::training::TrainingRequest;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

pub use audit::{AuditResult, Reproduction};
pub use audit_shard::{AuditShardPayload, AuditShardResult};
pub use canary::{CanaryPayload, CanaryResult};
pub use inference::InferenceResult;
pub use profile::{ProfilePayload, ProfileResult};
pub use training::TrainingResult;
pub use webhook::{WebhookPayload, WebhookResult};

use super::control::{JobContext, JobControl, JobFailure};
use super::queue::Job;

/// What a job does, with everything it needs: the typed form of a job's
/// `kind` and `payload`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum JobPayload {
    /// Recomputes a stored dataset's profile.
    Profile(ProfilePayload),
    /// Runs an audit into a stored report (sharded, it waits for its shards and merges them).
    Audit(Box<AuditRequest>),
    /// Counts one row range of a sharded audit for its merge.
    AuditShard(AuditShardPayload),
    /// Runs a model over a dataset into a predictions dataset.
    Inference(InferenceRequest),
    /// Trains a model into a stored TorchScript model.
    Training(TrainingRequest),
    /// Holds a worker for a given time, reporting progress and honouring
    /// cancel: a liveness probe for the worker fleet, and what queue tests run.
    Canary(CanaryPayload),
    /// Posts a monitor alert to the monitor's webhook, signed.
    Webhook(WebhookPayload),
}

/// A job's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Recomputes a stored dataset's profile.
    Profile,
    /// Runs an audit into a stored report.
    Audit,
    /// Counts one row range of a sharded audit.
    AuditShard,
    /// Runs a model over a dataset into a predictions dataset.
    Inference,
    /// Trains a model.
    Training,
    /// Holds a worker for a given time (a liveness probe).
    Canary,
    /// Delivers a monitor alert to its webhook.
    Webhook,
}

impl JobKind {
    /// The `kind` column's value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::Audit => "audit",
            Self::AuditShard => "audit_shard",
            Self::Inference => "inference",
            Self::Training => "training",
            Self::Canary => "canary",
            Self::Webhook => "webhook",
        }
    }
}

/// A job's `payload`: the parameters of its kind (the request that started it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum JobParameters {
    /// An `audit` job's request.
    Audit(Box<AuditRequest>),
    /// A `profile` job's dataset.
    Profile(ProfilePayload),
    /// An `audit_shard` job's row range.
    AuditShard(AuditShardPayload),
    /// An `inference` job's request.
    Inference(InferenceRequest),
    /// A `training` job's request.
    Training(TrainingRequest),
    /// A `canary` job's duration.
    Canary(CanaryPayload),
    /// A `webhook` job's alert.
    Webhook(WebhookPayload),
}

/// A succeeded job's `result`: what its kind produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum JobResult {
    /// An `audit` job's report.
    Audit(AuditResult),
    /// A `profile` job's dataset.
    Profile(ProfileResult),
    /// An `inference` job's predictions dataset.
    Inference(InferenceResult),
    /// A `training` job's model.
    Training(TrainingResult),
    /// An `audit_shard` job's shard.
    AuditShard(AuditShardResult),
    /// A `canary` job's hold.
    Canary(CanaryResult),
    /// A `webhook` job's delivery.
    Webhook(WebhookResult),
}

/// A kind's result as the job stores it.
fn to_result(result: impl Serialize) -> Value {
    serde_json::to_value(result).expect("job results serialise")
}

/// Every kind a worker claims.
pub const KINDS: &[&str] = &[
    JobKind::Profile.as_str(),
    JobKind::Audit.as_str(),
    JobKind::AuditShard.as_str(),
    JobKind::Inference.as_str(),
    JobKind::Training.as_str(),
    JobKind::Canary.as_str(),
    JobKind::Webhook.as_str(),
];

impl JobPayload {
    /// The `kind` column's value.
    pub fn kind(&self) -> &'static str {
        let kind = match self {
            Self::Profile(_) => JobKind::Profile,
            Self::Audit(_) => JobKind::Audit,
            Self::AuditShard(_) => JobKind::AuditShard,
            Self::Inference(_) => JobKind::Inference,
            Self::Training(_) => JobKind::Training,
            Self::Canary(_) => JobKind::Canary,
            Self::Webhook(_) => JobKind::Webhook,
        };
        kind.as_str()
    }

    /// The `payload` column's value.
    pub fn to_payload(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => tagged.remove("payload").unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// Reads a stored job's kind and payload back.
    pub fn from_row(kind: &str, payload: &Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(json!({ "kind": kind, "payload": payload }))
    }
}

/// Runs one attempt of `job`.
pub async fn execute(
    job: Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let payload = JobPayload::from_row(&job.kind, &job.payload)
        .map_err(|e| JobFailure::permanent(format!("invalid `{}` job payload: {e}", job.kind)))?;
    match payload {
        JobPayload::Profile(payload) => profile::run(payload, context, control).await,
        JobPayload::Audit(request) => audit::run(*request, &job, context, control).await,
        JobPayload::AuditShard(payload) => audit_shard::run(payload, &job, context, control).await,
        JobPayload::Inference(request) => inference::run(request, &job, context, control).await,
        JobPayload::Training(request) => training::run(request, &job, context, control).await,
        JobPayload::Canary(payload) => canary::run(payload, control).await,
        JobPayload::Webhook(payload) => webhook::run(payload, context, control).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_and_payload_round_trip_and_every_kind_is_claimed() {
        let payload = JobPayload::Canary(CanaryPayload { duration_ms: 5 });
        assert_eq!(payload.kind(), "canary");
        assert_eq!(payload.to_payload(), json!({ "duration_ms": 5 }));
        let read = JobPayload::from_row(payload.kind(), &payload.to_payload()).unwrap();
        assert_eq!(read, payload);
        assert!(KINDS.contains(&payload.kind()));
        assert!(JobPayload::from_row("nope", &json!({})).is_err());
        assert!(JobPayload::from_row("canary", &json!({ "duration_ms": 5, "x": 1 })).is_err());
    }

    #[test]
    fn every_claimed_kind_is_a_job_kind_with_the_same_name() {
        for kind in KINDS {
            let typed: JobKind = serde_json::from_value(json!(kind)).unwrap();
            assert_eq!(typed.as_str(), *kind);
            assert_eq!(json!(typed), json!(kind));
        }
    }
}
