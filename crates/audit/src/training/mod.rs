//! Training binary classifiers with libtorch: logistic regression or an MLP,
//! Adam on weighted binary cross-entropy, mini-batches, a seeded split and
//! shuffle (same seed, same weights), optional Kamiran–Calders reweighing,
//! and export to a self-contained TorchScript model with the feature
//! standardisation baked in. No database, no HTTP.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, OptimizerConfig};
use tch::{Device, Kind, Tensor};
use utoipa::ToSchema;

use crate::inference::FeatureMatrix;
use probity_fairness::scores::roc_auc;

mod request;

pub use request::{Evaluation, MitigationKind, Prepared, TrainingRequest, evaluate, prepare};

/// The network to train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Architecture {
    /// One linear layer.
    LogisticRegression,
    /// Linear layers with ReLU between them.
    Mlp {
        /// Hidden layer sizes, e.g. [64, 32]: 1 to 8 layers of 1 to 4096 units.
        #[schema(min_items = 1, max_items = 8)]
        hidden: Vec<i64>,
    },
}

/// Bias mitigation applied while training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mitigation {
    /// Plain training.
    None,
    /// Kamiran–Calders reweighing: each row weighs P(g)·P(y) / P(g, y) in the loss.
    Reweighing {
        /// Columns whose intersection defines the groups g.
        sensitive_features: Vec<String>,
    },
}

/// Training hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrainingOptions {
    pub architecture: Architecture,
    pub epochs: u32,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub seed: u64,
    /// Share of rows held out for validation, in (0, 1).
    pub validation_fraction: f64,
}

impl TrainingOptions {
    /// Checks the ranges; the error names the field.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let bad = |field: &str, detail: &str| Err((field.to_string(), detail.to_string()));
        if !(1..=10_000).contains(&self.epochs) {
            return bad("epochs", "between 1 and 10000");
        }
        if !(1..=1_000_000).contains(&self.batch_size) {
            return bad("batch_size", "between 1 and 1000000");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 10.0) {
            return bad("learning_rate", "in (0, 10]");
        }
        if !(self.validation_fraction > 0.0 && self.validation_fraction < 1.0) {
            return bad("validation_fraction", "strictly between 0 and 1");
        }
        if let Architecture::Mlp { hidden } = &self.architecture
            && (hidden.is_empty()
                || hidden.len() > 8
                || hidden.iter().any(|h| !(1..=4096).contains(h)))
        {
            return bad("model.hidden", "1 to 8 layers of 1 to 4096 units");
        }
        Ok(())
    }
}

/// What training reads: features, 0/1 labels and (for reweighing) a group code per row.
pub struct TrainingSet {
    pub features: FeatureMatrix,
    pub labels: Vec<f32>,
    /// Group of each row (empty without reweighing).
    pub groups: Vec<u32>,
}

/// Progress after one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EpochStats {
    pub epoch: u32,
    /// Mean training loss over the epoch's batches.
    pub loss: f64,
    /// Accuracy on the validation rows at threshold 0.5.
    pub validation_accuracy: f64,
    /// ROC AUC on the validation rows (null when they hold one class).
    pub validation_auc: Option<f64>,
}

/// A trained model and what was measured on the way.
pub struct Trained {
    /// Traced TorchScript module: standardisation + network, returning one logit per row.
    pub module: tch::CModule,
    pub curve: Vec<EpochStats>,
    /// Indexes of the validation rows in the training set.
    pub validation_rows: Vec<usize>,
    /// Probabilities of the validation rows.
    pub validation_scores: Vec<f32>,
}

/// Why training stopped without a model.
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    #[error("{0}")]
    Invalid(String),
    #[error("libtorch: {0}")]
    Torch(String),
    #[error("stopped")]
    Stopped,
}

impl From<tch::TchError> for TrainingError {
    fn from(error: tch::TchError) -> Self {
        Self::Torch(
            error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    }
}

/// Kamiran–Calders weights for `rows`: w(g, y) = P(g)·P(y) / P(g, y).
pub fn reweighing_weights(groups: &[u32], labels: &[f32], rows: &[usize]) -> Vec<f32> {
    use std::collections::HashMap;
    let n = rows.len() as f64;
    let (mut by_group, mut by_label, mut joint) = (HashMap::new(), HashMap::new(), HashMap::new());
    for &i in rows {
        let (g, y) = (groups[i], labels[i] > 0.5);
        *by_group.entry(g).or_insert(0.0) += 1.0;
        *by_label.entry(y).or_insert(0.0) += 1.0;
        *joint.entry((g, y)).or_insert(0.0) += 1.0;
    }
    rows.iter()
        .map(|&i| {
            let (g, y) = (groups[i], labels[i] > 0.5);
            (by_group[&g] * by_label[&y] / (n * joint[&(g, y)])) as f32
        })
        .collect()
}

fn rows_tensor(matrix: &FeatureMatrix, rows: &[usize]) -> Tensor {
    let mut values = Vec::with_capacity(rows.len() * matrix.width);
    for &i in rows {
        values.extend_from_slice(&matrix.values[i * matrix.width..(i + 1) * matrix.width]);
    }
    Tensor::from_slice(&values).view([rows.len() as i64, matrix.width as i64])
}

fn network(vs: &nn::Path<'_>, width: i64, architecture: &Architecture) -> nn::Sequential {
    let mut net = nn::seq();
    let mut inputs = width;
    if let Architecture::Mlp { hidden } = architecture {
        for (i, &units) in hidden.iter().enumerate() {
            net = net
                .add(nn::linear(
                    vs / format!("hidden{i}"),
                    inputs,
                    units,
                    Default::default(),
                ))
                .add_fn(|x| x.relu());
            inputs = units;
        }
    }
    net.add(nn::linear(vs / "output", inputs, 1, Default::default()))
}

/// Trains on `set`. `after_batch` is called after every batch and `after_epoch`
/// after every epoch; either returning false stops training.
pub fn train(
    set: &TrainingSet,
    options: &TrainingOptions,
    mut after_batch: impl FnMut() -> bool,
    mut after_epoch: impl FnMut(&EpochStats) -> bool,
) -> Result<Trained, TrainingError> {
    let n = set.features.rows;
    let width = set.features.width as i64;
    let validation = ((n as f64) * options.validation_fraction).round() as usize;
    if validation == 0 || validation >= n {
        return Err(TrainingError::Invalid(format!(
            "{n} rows cannot be split into training and validation rows with validation_fraction {}",
            options.validation_fraction
        )));
    }
    tch::manual_seed(options.seed as i64);
    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    let (validation_rows, mut train_rows) =
        (order[..validation].to_vec(), order[validation..].to_vec());

    let train_x = rows_tensor(&set.features, &train_rows);
    let mean = train_x.mean_dim(0, true, Kind::Float);
    let std = train_x.std_dim(0, false, true);
    let std = std.where_self(&std.gt(1e-12), &Tensor::ones_like(&std));
    let standardise = |x: &Tensor| (x - &mean) / &std;

    let weights_all: Vec<f32> = if set.groups.is_empty() {
        vec![1.0; n]
    } else {
        let mut weights = vec![1.0; n];
        for (&row, w) in
            train_rows
                .iter()
                .zip(reweighing_weights(&set.groups, &set.labels, &train_rows))
        {
            weights[row] = w;
        }
        weights
    };

    let mut vs = nn::VarStore::new(Device::Cpu);
    let net = network(&vs.root(), width, &options.architecture);
    let mut optimizer = nn::Adam::default().build(&vs, options.learning_rate)?;
    let validation_x = standardise(&rows_tensor(&set.features, &validation_rows));
    let validation_y: Vec<f32> = validation_rows.iter().map(|&i| set.labels[i]).collect();
    let mut curve = Vec::new();
    let mut validation_scores = Vec::new();

    for epoch in 1..=options.epochs {
        train_rows.shuffle(&mut rng);
        let (mut loss_sum, mut batches) = (0.0, 0usize);
        for batch in train_rows.chunks(options.batch_size) {
            let x = standardise(&rows_tensor(&set.features, batch));
            let y = Tensor::from_slice(&batch.iter().map(|&i| set.labels[i]).collect::<Vec<_>>());
            let w = Tensor::from_slice(&batch.iter().map(|&i| weights_all[i]).collect::<Vec<_>>());
            let logits = net.forward(&x).squeeze_dim(-1);
            let loss = logits.binary_cross_entropy_with_logits::<&Tensor>(
                &y,
                Some(&w),
                None,
                tch::Reduction::Mean,
            );
            optimizer.backward_step(&loss);
            loss_sum += loss.double_value(&[]);
            batches += 1;
            if !after_batch() {
                return Err(TrainingError::Stopped);
            }
        }
        validation_scores = Vec::<f32>::try_from(tch::no_grad(|| {
            net.forward(&validation_x).sigmoid().flatten(0, -1)
        }))?;
        let correct = validation_scores
            .iter()
            .zip(&validation_y)
            .filter(|(s, y)| (**s >= 0.5) == (**y > 0.5))
            .count();
        let mut points: Vec<(f64, f64, f64)> = validation_scores
            .iter()
            .zip(&validation_y)
            .map(|(&s, &y)| (s as f64, y as f64, 1.0 - y as f64))
            .collect();
        points.sort_by(|a, b| b.0.total_cmp(&a.0));
        let stats = EpochStats {
            epoch,
            loss: loss_sum / batches.max(1) as f64,
            validation_accuracy: correct as f64 / validation_y.len() as f64,
            validation_auc: roc_auc(&points).value,
        };
        let go_on = after_epoch(&stats);
        curve.push(stats);
        if !go_on {
            return Err(TrainingError::Stopped);
        }
    }

    vs.freeze();
    let example = Tensor::zeros([2, width], (Kind::Float, Device::Cpu));
    let module = tch::no_grad(|| {
        tch::CModule::create_by_tracing("ProbityModel", "forward", &[example], &mut |inputs| {
            vec![net.forward(&standardise(&inputs[0]))]
        })
    })?;
    Ok(Trained {
        module,
        curve,
        validation_rows,
        validation_scores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reweighing_balances_group_and_label() {
        // Group 0: 3 positives, 1 negative; group 1: 1 positive, 3 negatives.
        let groups = [0, 0, 0, 0, 1, 1, 1, 1];
        let labels = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let rows: Vec<usize> = (0..8).collect();
        let w = reweighing_weights(&groups, &labels, &rows);
        // P(g)=1/2, P(y)=1/2 → w = (1/4) / P(g, y): P(0,1)=3/8 → 2/3; P(0,0)=1/8 → 2.
        assert!((w[0] - 2.0 / 3.0).abs() < 1e-6 && (w[3] - 2.0).abs() < 1e-6);
        let weighted_positive_share_g0 = (w[0] * 3.0) / (w[0] * 3.0 + w[3]);
        assert!((weighted_positive_share_g0 - 0.5).abs() < 1e-6);
    }
}
