//! The `training` job: trains a model on a stored dataset, reports progress
//! per epoch, exports a self-contained TorchScript model, validates it like
//! an upload and registers it with lineage. With reweighing it also trains
//! the unmitigated baseline on the same data and seed and reports both.

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::blobs::BlobStore;
use crate::catalog;
use crate::datasets;
use crate::fairness::{self, FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource};
use crate::inference::feature_matrix;
use crate::jobs::Job;
use crate::jobs::kinds::{JobFailure, load_dataset};
use crate::jobs::worker::{JobContext, JobControl, StopReason};
use crate::models::{self, ModelMetadata, ModelOutput};
use crate::training::{
    self, Architecture, EpochStats, Mitigation, Trained, TrainingError, TrainingOptions,
    TrainingSet,
};

fn default_epochs() -> u32 {
    20
}
fn default_batch_size() -> usize {
    256
}
fn default_learning_rate() -> f64 {
    0.01
}
fn default_validation_fraction() -> f64 {
    0.2
}
fn default_mitigation() -> Mitigation {
    Mitigation::None
}

/// Body of `POST /v1/training-jobs` and payload of the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingRequest {
    /// Dataset to train on.
    pub dataset_id: Uuid,
    /// Column of true labels.
    pub label_column: String,
    /// The favourable label value.
    pub positive_label: LabelValue,
    /// Numeric feature columns, in model input order.
    pub feature_columns: Vec<String>,
    /// `{"type": "logistic_regression"}` or `{"type": "mlp", "hidden": [64, 32]}`.
    pub model: Architecture,
    #[serde(default = "default_epochs")]
    pub epochs: u32,
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// Same seed, same data → same weights.
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "default_validation_fraction")]
    pub validation_fraction: f64,
    /// `{"type": "none"}` or `{"type": "reweighing", "sensitive_features": [...]}`.
    #[serde(default = "default_mitigation")]
    pub mitigation: Mitigation,
    /// Name of the new model (default: dataset name + architecture).
    #[serde(default)]
    pub name: Option<String>,
}

impl TrainingRequest {
    /// The hyper-parameters.
    pub fn options(&self) -> TrainingOptions {
        TrainingOptions {
            architecture: self.model.clone(),
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.learning_rate,
            seed: self.seed,
            validation_fraction: self.validation_fraction,
        }
    }

    /// Sensitive features of the mitigation (also used to evaluate fairness).
    pub fn sensitive_features(&self) -> &[String] {
        match &self.mitigation {
            Mitigation::None => &[],
            Mitigation::Reweighing { sensitive_features } => sensitive_features,
        }
    }

    /// Every dataset column the request names, with the field naming it.
    pub fn named_columns(&self) -> Vec<(&'static str, &str)> {
        let mut named = vec![("label_column", self.label_column.as_str())];
        named.extend(
            self.feature_columns
                .iter()
                .map(|c| ("feature_columns", c.as_str())),
        );
        named.extend(
            self.sensitive_features()
                .iter()
                .map(|c| ("mitigation.sensitive_features", c.as_str())),
        );
        named
    }
}

/// Accuracy and fairness of a model on the validation rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub mitigation: String,
    pub validation_accuracy: f64,
    pub validation_auc: Option<f64>,
    /// Over the mitigation's sensitive features (all together), at threshold 0.5.
    pub demographic_parity_difference: Option<f64>,
    pub equalized_odds_difference: Option<f64>,
}

struct Prepared {
    set: TrainingSet,
    /// Values of each sensitive feature per row.
    sensitive: Vec<Vec<String>>,
}

fn prepare(
    request: &TrainingRequest,
    dataset: &catalog::Dataset,
    blobs: &BlobStore,
) -> Result<Prepared, JobFailure> {
    let bad = |e: String| JobFailure::permanent(e);
    let mut columns: Vec<String> = request.feature_columns.clone();
    for extra in std::iter::once(&request.label_column).chain(request.sensitive_features()) {
        if !columns.contains(extra) {
            columns.push(extra.clone());
        }
    }
    let mut source = datasets::scan(&blobs.path_of(&dataset.sha256), dataset.format)
        .map_err(|e| bad(e.to_string()))?
        .select(columns.iter().map(|c| col(c.as_str())).collect::<Vec<_>>());
    let indicator = fairness::prepare::label_indicator(
        &mut source,
        &request.label_column,
        &request.positive_label,
    )
    .map_err(|e| bad(e.to_string()))?;
    let frame = source
        .with_column(indicator.cast(DataType::Float32).alias("__probity_label"))
        .collect()
        .map_err(|e| bad(e.to_string()))?;
    let features =
        feature_matrix(&frame, &request.feature_columns).map_err(|e| bad(e.to_string()))?;
    let labels: Vec<f32> = frame
        .column("__probity_label")
        .and_then(|c| c.f32().cloned())
        .map_err(|e| bad(e.to_string()))?
        .into_no_null_iter()
        .collect();
    let mut sensitive = Vec::new();
    for name in request.sensitive_features() {
        let values = frame
            .column(name)
            .and_then(|c| c.cast(&DataType::String))
            .map_err(|e| bad(e.to_string()))?;
        let values = values.str().map_err(|e| bad(e.to_string()))?;
        let mut out = Vec::with_capacity(frame.height());
        for (row, value) in values.iter().enumerate() {
            out.push(
                value
                    .ok_or_else(|| bad(format!("column `{name}`, row {}: missing value", row + 1)))?
                    .to_string(),
            );
        }
        sensitive.push(out);
    }
    let groups = if sensitive.is_empty() {
        Vec::new()
    } else {
        let mut codes: HashMap<Vec<&str>, u32> = HashMap::new();
        (0..frame.height())
            .map(|row| {
                let key: Vec<&str> = sensitive
                    .iter()
                    .map(|values| values[row].as_str())
                    .collect();
                let next = codes.len() as u32;
                *codes.entry(key).or_insert(next)
            })
            .collect()
    };
    Ok(Prepared {
        set: TrainingSet {
            features,
            labels,
            groups,
        },
        sensitive,
    })
}

fn evaluate(
    prepared: &Prepared,
    trained: &Trained,
    features: &[String],
    mitigation: &str,
) -> Result<Evaluation, JobFailure> {
    let rows = &trained.validation_rows;
    let last = trained.curve.last();
    let mut evaluation = Evaluation {
        mitigation: mitigation.to_string(),
        validation_accuracy: last.map(|s| s.validation_accuracy).unwrap_or(0.0),
        validation_auc: last.and_then(|s| s.validation_auc),
        demographic_parity_difference: None,
        equalized_odds_difference: None,
    };
    if prepared.sensitive.is_empty() {
        return Ok(evaluation);
    }
    let mut columns = vec![
        Column::new(
            "label".into(),
            rows.iter()
                .map(|&i| prepared.set.labels[i] as i32)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "prediction".into(),
            trained
                .validation_scores
                .iter()
                .map(|&s| i32::from(s >= 0.5))
                .collect::<Vec<_>>(),
        ),
    ];
    for (name, values) in features.iter().zip(&prepared.sensitive) {
        columns.push(Column::new(
            name.as_str().into(),
            rows.iter().map(|&i| values[i].clone()).collect::<Vec<_>>(),
        ));
    }
    let frame =
        DataFrame::new_infer_height(columns).map_err(|e| JobFailure::permanent(e.to_string()))?;
    let spec = FairnessSpec {
        label: "label".into(),
        prediction: PredictionSource::Column("prediction".into()),
        positive_label: LabelValue::Int(1),
        sensitive_features: features.to_vec(),
        sample_weight: None,
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            bootstrap: crate::fairness::spec::BootstrapOptions {
                resamples: 0,
                ..Default::default()
            },
            ..Default::default()
        },
        policy: Policy::default(),
    };
    let report = fairness::audit(frame.lazy(), &spec)
        .map_err(|e| JobFailure::permanent(format!("evaluating fairness: {e}")))?;
    let aggregates = &report.headline_grouping().aggregates;
    evaluation.demographic_parity_difference = aggregates
        .demographic_parity_difference
        .between_groups
        .value;
    evaluation.equalized_odds_difference = aggregates
        .equalized_odds_difference
        .worst_case
        .between_groups
        .value;
    Ok(evaluation)
}

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
        || control.check().is_ok(),
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
            control.check().is_ok()
        },
    )
    .map_err(|e| match e {
        TrainingError::Stopped => {
            JobFailure::Stopped(control.stop_reason().unwrap_or(StopReason::Cancelled))
        }
        other => JobFailure::permanent(other.to_string()),
    })
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
    let dataset = load_dataset(&context, request.dataset_id).await?;
    control.set_progress(0.01, "loading data");
    let (blobs, thread_control, thread_request, thread_dataset) = (
        context.blobs.clone(),
        control.clone(),
        request.clone(),
        dataset.clone(),
    );
    let (staged, curve, evaluations) = tokio::task::spawn_blocking(move || {
        let request = thread_request;
        let prepared = prepare(&request, &thread_dataset, &blobs)?;
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
            if reweighing { "reweighing" } else { "none" },
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
                "none",
            )?);
        }
        let path = blobs
            .staging_file(".pt")
            .map_err(|e| JobFailure::transient(e.to_string()))?;
        trained
            .module
            .save(&path)
            .map_err(|e| JobFailure::transient(format!("saving the model: {e}")))?;
        let metadata = ModelMetadata {
            name: "trained".into(),
            version: "1".into(),
            features: request.feature_columns.clone(),
            output: ModelOutput::Logit,
            threshold: 0.5,
        };
        models::validate_torchscript(&path, &metadata).map_err(|e| {
            JobFailure::permanent(format!("the exported model fails validation: {e}"))
        })?;
        let staged =
            BlobStore::stage_file(path).map_err(|e| JobFailure::transient(e.to_string()))?;
        Ok::<_, JobFailure>((staged, trained.curve, evaluations))
    })
    .await
    .map_err(|e| JobFailure::transient(format!("training thread failed: {e}")))??;
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
    let metadata = ModelMetadata {
        name: request
            .name
            .clone()
            .unwrap_or_else(|| format!("{} {architecture}", dataset.name)),
        version: job.id.simple().to_string()[..8].to_string(),
        features: request.feature_columns.clone(),
        output: ModelOutput::Logit,
        threshold: 0.5,
    };
    let lineage = json!({
        "kind": "training",
        "job_id": job.id,
        "dataset": { "id": dataset.id, "sha256": dataset.sha256 },
        "options": request,
        "training_curve": curve,
        "evaluation": evaluations,
    });
    let (sha256, size) = (staged.sha256.clone(), staged.size);
    let mut tx = context
        .pool
        .begin()
        .await
        .map_err(|e| JobFailure::transient(e.to_string()))?;
    context
        .blobs
        .commit(&mut tx, staged)
        .await
        .map_err(|e| JobFailure::transient(e.to_string()))?;
    let model = catalog::insert_model(
        &mut *tx,
        &metadata,
        &sha256,
        size,
        Some(lineage),
        job.created_by,
    )
    .await
    .map_err(|e| JobFailure::transient(e.to_string()))?;
    tx.commit()
        .await
        .map_err(|e| JobFailure::transient(e.to_string()))?;
    Ok(json!({
        "model_id": model.id,
        "model_url": format!("/v1/models/{}", model.id),
        "training_curve": curve,
        "evaluation": evaluations,
    }))
}
