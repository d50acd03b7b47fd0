//! Lineage: where a derived dataset or a trained model came from. Stored
//! with the dataset or model record and cited by reports of audits that use
//! it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::training::{EpochStats, Evaluation, TrainingRequest};

/// A stored dataset an artifact was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DatasetRef {
    /// Dataset id.
    pub id: Uuid,
    /// sha256 of its file.
    pub sha256: String,
}

/// The model that made a predictions dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelRef {
    /// Model id.
    pub id: Uuid,
    /// Name from its metadata.
    pub name: String,
    /// Version from its metadata.
    pub version: String,
    /// sha256 of its TorchScript file.
    pub sha256: String,
    /// Threshold applied to its scores.
    pub threshold: f64,
}

/// A predictions dataset written by an `inference` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InferenceLineage {
    /// The inference job.
    pub job_id: Uuid,
    /// The model run.
    pub model: ModelRef,
    /// The dataset it ran over.
    pub source_dataset: DatasetRef,
    /// Columns copied from the source to join the predictions back.
    pub id_columns: Vec<String>,
    /// Where the model ran: `cpu` or `cuda`.
    pub device: String,
}

/// A model trained by a `training` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrainingLineage {
    /// The training job.
    pub job_id: Uuid,
    /// The dataset trained on.
    pub dataset: DatasetRef,
    /// The request, with its defaults filled in.
    pub options: TrainingRequest,
    /// Loss and validation figures per epoch.
    pub training_curve: Vec<EpochStats>,
    /// Validation accuracy and fairness per mitigation (the trained model first, then the baseline).
    pub evaluation: Vec<Evaluation>,
}

/// Where a derived dataset or a trained model came from (`kind` says which).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Lineage {
    /// Predictions of a model over a dataset.
    Inference(InferenceLineage),
    /// A model trained on a dataset.
    Training(TrainingLineage),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Lineage stored before it was typed reads back, and writes the same JSON.
    #[test]
    fn stored_inference_lineage_round_trips() {
        let stored = json!({
            "kind": "inference",
            "job_id": "7f1c2a52-5d1e-4c55-9f0e-2b1f3c4d5e6f",
            "model": {
                "id": "0b6f7a1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b",
                "name": "credit",
                "version": "1",
                "sha256": "ab".repeat(32),
                "threshold": 0.5
            },
            "source_dataset": { "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "sha256": "cd".repeat(32) },
            "id_columns": ["id"],
            "device": "cpu"
        });
        let lineage: Lineage = serde_json::from_value(stored.clone()).unwrap();
        let Lineage::Inference(inference) = &lineage else {
            panic!("read as {lineage:?}");
        };
        assert_eq!(inference.model.name, "credit");
        assert_eq!(serde_json::to_value(&lineage).unwrap(), stored);
        assert!(serde_json::from_value::<Lineage>(json!({ "kind": "upload" })).is_err());
    }
}
