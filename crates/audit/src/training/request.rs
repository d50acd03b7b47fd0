//! A training request and the data work around training that needs no
//! runtime: reading the request's columns from a dataset file into a
//! training set, and measuring a trained model's accuracy and fairness on
//! its validation rows.

use std::collections::HashMap;

use polars::prelude::*;
use probity_fairness::polars_errors;
use probity_fairness::{FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Architecture, Mitigation, Trained, TrainingError, TrainingOptions, TrainingSet};
use crate::dataset::DatasetLocation;
use crate::inference::feature_matrix;

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
    /// Passes over the training rows (1 to 10,000).
    #[serde(default = "default_epochs")]
    #[schema(minimum = 1, maximum = 10_000)]
    pub epochs: u32,
    /// Rows per optimiser step (1 to 1,000,000).
    #[serde(default = "default_batch_size")]
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub batch_size: usize,
    /// Adam's learning rate, in (0, 10].
    #[serde(default = "default_learning_rate")]
    #[schema(exclusive_minimum = 0.0, maximum = 10.0)]
    pub learning_rate: f64,
    /// Same seed, same data → same weights.
    #[serde(default)]
    pub seed: u64,
    /// Share of rows held out for validation, strictly between 0 and 1.
    #[serde(default = "default_validation_fraction")]
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
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

/// Which mitigation a model was trained with (without its options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MitigationKind {
    /// Plain training.
    None,
    /// Kamiran–Calders reweighing.
    Reweighing,
}

impl MitigationKind {
    /// The serialised name (`none`, `reweighing`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Reweighing => "reweighing",
        }
    }
}

/// Accuracy and fairness of a model on the validation rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub mitigation: MitigationKind,
    pub validation_accuracy: f64,
    pub validation_auc: Option<f64>,
    /// Over the mitigation's sensitive features (all together), at threshold 0.5.
    pub demographic_parity_difference: Option<f64>,
    pub equalized_odds_difference: Option<f64>,
}

/// The training set of a request, with each sensitive feature's values per row.
pub struct Prepared {
    /// Features, labels and reweighing groups.
    pub set: TrainingSet,
    /// Values of each sensitive feature per row.
    pub sensitive: Vec<Vec<String>>,
}

/// Reads the request's features, label and sensitive features from the
/// dataset into a training set.
pub fn prepare(
    request: &TrainingRequest,
    location: &DatasetLocation,
) -> Result<Prepared, TrainingError> {
    let bad = TrainingError::Invalid;
    let mut columns: Vec<String> = request.feature_columns.clone();
    for extra in std::iter::once(&request.label_column).chain(request.sensitive_features()) {
        if !columns.contains(extra) {
            columns.push(extra.clone());
        }
    }
    let mut source = location
        .scan()
        .map_err(|e| bad(polars_errors::describe(&e)))?
        .select(columns.iter().map(|c| col(c.as_str())).collect::<Vec<_>>());
    let indicator = probity_fairness::prepare::label_indicator(
        &mut source,
        &request.label_column,
        &request.positive_label,
    )
    .map_err(|e| bad(e.to_string()))?;
    let frame = source
        .with_column(indicator.cast(DataType::Float32).alias("__probity_label"))
        .collect()
        .map_err(|e| bad(polars_errors::describe(&e)))?;
    let features =
        feature_matrix(&frame, &request.feature_columns).map_err(|e| bad(e.to_string()))?;
    let labels: Vec<f32> = frame
        .column("__probity_label")
        .and_then(|c| c.f32().cloned())
        .map_err(|e| bad(polars_errors::describe(&e)))?
        .into_no_null_iter()
        .collect();
    let mut sensitive = Vec::new();
    for name in request.sensitive_features() {
        let values = frame
            .column(name)
            .and_then(|c| c.cast(&DataType::String))
            .map_err(|e| bad(polars_errors::describe(&e)))?;
        let values = values.str().map_err(|e| bad(polars_errors::describe(&e)))?;
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

/// Accuracy, AUC and (with sensitive features) the fairness headline
/// figures of `trained` on its validation rows.
pub fn evaluate(
    prepared: &Prepared,
    trained: &Trained,
    features: &[String],
    mitigation: MitigationKind,
) -> Result<Evaluation, TrainingError> {
    let rows = &trained.validation_rows;
    let last = trained.curve.last();
    let mut evaluation = Evaluation {
        mitigation,
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
        DataFrame::new_infer_height(columns).map_err(|e| TrainingError::Invalid(e.to_string()))?;
    let spec = FairnessSpec {
        label: "label".into(),
        prediction: PredictionSource::Column("prediction".into()),
        positive_label: LabelValue::Int(1),
        sensitive_features: features.to_vec(),
        sample_weight: None,
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            bootstrap: probity_fairness::spec::BootstrapOptions {
                resamples: 0,
                ..Default::default()
            },
            ..Default::default()
        },
        policy: Policy::default(),
    };
    let report = probity_fairness::audit(frame.lazy(), &spec)
        .map_err(|e| TrainingError::Invalid(format!("evaluating fairness: {e}")))?;
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
