//! The `profile` job: recomputes a stored dataset's profile.

use std::sync::Arc;

use probity_audit::dataset;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::to_result;
use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, load_dataset,
};
use crate::store::catalog;

/// Payload of a `profile` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePayload {
    /// The dataset to profile again.
    pub dataset_id: Uuid,
}

/// Runs one attempt of a `profile` job.
pub(super) async fn run(
    payload: ProfilePayload,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let id = payload.dataset_id;
    let dataset = load_dataset(&context, id).await?;
    control.check()?;
    control.set_progress(0.1, "profiling");
    let rows = dataset_rows(&context, &dataset).await?;
    let profile = tokio::task::spawn_blocking(move || dataset::profile(&rows.location, u64::MAX))
        .await?
        .context(format!("dataset {id} cannot be profiled"))?;
    control.check()?;
    control.set_progress(0.9, "saving profile");
    let updated = catalog::update_dataset_profile(&context.pool, id, &profile)
        .await
        .context(format!("saving profile of dataset {id}"))?;
    if !updated {
        return Err(JobFailure::permanent(format!(
            "dataset {id} was deleted while it was being profiled"
        )));
    }
    Ok(to_result(ProfileResult {
        dataset_id: id,
        dataset_url: format!("/v1/datasets/{id}"),
        rows: profile.rows,
        columns: profile.columns.len() as u64,
    }))
}

/// The result of a `profile` job: the dataset profiled, its rows and columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileResult {
    /// The dataset.
    pub dataset_id: Uuid,
    /// Where to read it.
    pub dataset_url: String,
    /// Rows.
    pub rows: u64,
    /// Columns.
    pub columns: u64,
}
