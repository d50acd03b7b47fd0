//! The `training` job: trains a model on a stored dataset, reports progress
//! per epoch, exports a self-contained TorchScript model, validates it like
//! an upload and registers it with lineage. With reweighing it also trains
//! the unmitigated baseline on the same data and seed and reports both.

use std::sync::Arc;

use probity_audit::lineage::{DatasetRef, Lineage, TrainingLineage};
use probity_audit::model::{ModelMetadata, ModelOutput};
use probity_audit::training::{
    self, Architecture, EpochStats, Evaluation, MitigationKind, Trained, TrainingOptions,
    TrainingRequest, TrainingSet, evaluate, prepare,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::to_result;
use crate::jobs::control::{
    FailureContext, JobContext, JobControl, JobFailure, dataset_rows, load_dataset,
};
use crate::jobs::queue::Job;
use crate::store::blobs::BlobStore;
use crate::store::catalog;
use sqlx::types::Json;
use utoipa::ToSchema;
use uuid::Uuid;

fn train_once(
    set: &TrainingSet,
    options: &TrainingOptions,
    control: &JobControl,
    label: &str,
    progress: (f64, f64),
) -> Result<Trained, JobFailure> {
    let epochs = options.epochs as f64;
    training::train(
        set,
        options,
        || control.keep_going(),
        |stats: &EpochStats| {
            let auc = stats
                .validation_auc
                .map(|a| format!("{a:.4}"))
                .unwrap_or_else(|| "n/a".into());
            control.set_progress(
                progress.0 + (progress.1 - progress.0) * stats.epoch as f64 / epochs,
                format!(
                    "{label}: epoch {}/{}: loss {:.4}, validation accuracy {:.4}, AUC {auc}",
                    stats.epoch, options.epochs, stats.loss, stats.validation_accuracy
                ),
            );
            control.keep_going()
        },
    )
    .map_err(JobFailure::from)
}

/// Runs one attempt of a training job.
pub async fn run(
    request: TrainingRequest,
    job: &Job,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    let options = request.options();
    options
        .validate()
        .map_err(|(field, detail)| JobFailure::permanent(format!("{field}: {detail}")))?;
    let earlier = catalog::model_for_job(&context.pool, job.id)
        .await
        .context("looking up an earlier attempt's model")?;
    if let Some(model) = earlier
        && let Some(Json(Lineage::Training(lineage))) = &model.lineage
    {
        return Ok(result(
            model.id,
            &lineage.training_curve,
            &lineage.evaluation,
        ));
    }
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.set_progress(0.01, "loading data");
    let data = dataset_rows(&context, &dataset).await?;
    let (blobs, thread_control, thread_request) =
        (context.blobs.clone(), control.clone(), request.clone());
    let sandbox = context.sandbox.clone();
    let (staged, curve, evaluations) = tokio::task::spawn_blocking(move || {
        let request = thread_request;
        let prepared = prepare(&request, &data.location)?;
        let reweighing = !prepared.set.groups.is_empty();
        let trained = train_once(
            &prepared.set,
            &options,
            &thread_control,
            "training",
            (0.05, if reweighing { 0.5 } else { 0.9 }),
        )?;
        let mut evaluations = vec![evaluate(
            &prepared,
            &trained,
            request.sensitive_features(),
            if reweighing {
                MitigationKind::Reweighing
            } else {
                MitigationKind::None
            },
        )?];
        if reweighing {
            let baseline_set = TrainingSet {
                features: prepared.set.features.clone(),
                labels: prepared.set.labels.clone(),
                groups: Vec::new(),
            };
            let baseline = train_once(
                &baseline_set,
                &options,
                &thread_control,
                "baseline without mitigation",
                (0.5, 0.9),
            )?;
            evaluations.push(evaluate(
                &prepared,
                &baseline,
                request.sensitive_features(),
                MitigationKind::None,
            )?);
        }
        let path = blobs.staging_file(".pt")?;
        trained
            .module
            .save(&path)
            .map_err(|e| JobFailure::transient(format!("saving the model: {e}")))?;
        let metadata = ModelMetadata::scorer(
            "trained".into(),
            "1".into(),
            request.feature_columns.clone(),
            ModelOutput::Logit,
            0.5,
        );
        sandbox
            .validate(&path, &metadata)
            .context("the exported model fails validation")?;
        let staged = BlobStore::stage_file(path)?;
        Ok::<_, JobFailure>((staged, trained.curve, evaluations))
    })
    .await??;
    control.check()?;
    control.set_progress(0.95, "registering the model");
    let architecture = match &request.model {
        Architecture::LogisticRegression => "logistic-regression".to_string(),
        Architecture::Mlp { hidden } => format!(
            "mlp-{}",
            hidden
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("x")
        ),
    };
    let metadata = ModelMetadata::scorer(
        request
            .name
            .clone()
            .unwrap_or_else(|| format!("{} {architecture}", dataset.name)),
        job.id.simple().to_string()[..8].to_string(),
        request.feature_columns.clone(),
        ModelOutput::Logit,
        0.5,
    );
    let lineage = Lineage::Training(TrainingLineage {
        job_id: job.id,
        dataset: DatasetRef {
            id: dataset.id,
            sha256: dataset.sha256.clone(),
        },
        options: request.clone(),
        training_curve: curve.clone(),
        evaluation: evaluations.clone(),
    });
    let mut tx = context.pool.begin().await?;
    let (model, placed) = catalog::register_model(
        &mut tx,
        &context.blobs,
        staged,
        catalog::NewModel {
            metadata: &metadata,
            vocabulary: None,
            lineage: Some(lineage),
            created_by: job.created_by,
        },
    )
    .await?;
    tx.commit().await?;
    placed.keep();
    Ok(result(model.id, &curve, &evaluations))
}

/// The job's result: the model, its training curve and evaluations.
fn result(model_id: Uuid, curve: &[EpochStats], evaluations: &[Evaluation]) -> Value {
    to_result(TrainingResult {
        model_id,
        model_url: format!("/v1/models/{model_id}"),
        training_curve: curve.to_vec(),
        evaluation: evaluations.to_vec(),
    })
}

/// The result of a `training` job: the model, its training curve and evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrainingResult {
    /// The trained model.
    pub model_id: Uuid,
    /// Where to read it.
    pub model_url: String,
    /// Loss and figures per epoch.
    pub training_curve: Vec<EpochStats>,
    /// The model evaluated (and, with a mitigation, the unmitigated one beside it).
    pub evaluation: Vec<Evaluation>,
}
