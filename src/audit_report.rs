//! Audit reports: the immutable document an audit produces, its canonical
//! JSON and sha256, and the headline figures stored beside it. Pure: no I/O.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fairness::policy::{Outcome, worst};
use crate::pii_check::PiiReport;
use crate::fairness::{FairnessReport, LabelValue};

/// The dataset an audit read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetInput {
    /// Dataset id (absent for local `probity audit` runs).
    pub id: Option<Uuid>,
    /// Name or file name.
    pub name: String,
    /// sha256 of the file audited.
    pub sha256: String,
}

/// The model an audit ran, when it ran one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModelInput {
    pub id: Uuid,
    pub name: String,
    pub version: String,
    /// sha256 of the TorchScript file run.
    pub sha256: String,
    /// Threshold applied to its scores.
    pub threshold: f64,
    /// Feature columns fed to it.
    pub features: Vec<String>,
}

/// What the audit was asked to do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditInputs {
    pub dataset: DatasetInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelInput>,
    pub label_column: String,
    pub prediction_column: Option<String>,
    pub score_column: Option<String>,
    pub threshold: Option<f64>,
    pub positive_label: LabelValue,
    pub sensitive_features: Vec<String>,
    pub sample_weight_column: Option<String>,
    pub reference_groups: std::collections::BTreeMap<String, String>,
}

/// A model input that deserves a reviewer's look: a sensitive feature of the
/// audit, or a column where the PII check found personal data.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ModelInputFlag {
    /// The model's feature column.
    pub feature: String,
    /// Why it is flagged.
    pub reasons: Vec<String>,
}

/// Software that produced the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Software {
    pub name: String,
    pub version: String,
}

/// The immutable audit report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditReport {
    /// Version of this document's layout.
    pub schema_version: u32,
    /// Report id.
    pub id: Uuid,
    /// When the report was produced.
    pub created_at: DateTime<Utc>,
    pub software: Software,
    pub inputs: AuditInputs,
    /// Worst outcome over every check (fairness, and PII when scanned).
    pub verdict: Outcome,
    pub fairness: FairnessReport,
    /// The PII exposure scan, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pii: Option<PiiReport>,
    /// Inputs of the audited model that are sensitive features or hold PII (empty without a model).
    pub model_input_flags: Vec<ModelInputFlag>,
    /// Seconds spent per phase.
    pub timings: std::collections::BTreeMap<String, f64>,
}

/// Headline figures stored as columns (from the grouping over all sensitive features).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub verdict: Outcome,
    pub demographic_parity_difference: Option<f64>,
    pub equalized_odds_difference: Option<f64>,
}

impl AuditReport {
    /// Builds a report with a fresh id and the current time.
    pub fn new(
        inputs: AuditInputs,
        fairness: FairnessReport,
        pii: Option<PiiReport>,
        model_input_flags: Vec<ModelInputFlag>,
        timings: std::collections::BTreeMap<String, f64>,
    ) -> Self {
        Self {
            schema_version: 1,
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            software: Software { name: "probity".into(), version: env!("CARGO_PKG_VERSION").into() },
            inputs,
            verdict: worst([Some(fairness.verdict), pii.as_ref().map(|p| p.verdict)].into_iter().flatten()),
            fairness,
            pii,
            model_input_flags,
            timings,
        }
    }

    /// The figures stored beside the body.
    pub fn headline(&self) -> Headline {
        let aggregates = &self.fairness.headline_grouping().aggregates;
        Headline {
            verdict: self.verdict,
            demographic_parity_difference: aggregates.demographic_parity_difference.between_groups.value,
            equalized_odds_difference: aggregates.equalized_odds_difference.worst_case.between_groups.value,
        }
    }
}

/// JSON with object keys sorted at every level and no insignificant whitespace.
pub fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(value)).expect("JSON values serialise")
}

/// Lower-case hex sha256 of the canonical JSON of `value`.
pub fn canonical_sha256(value: &Value) -> String {
    hex::encode(Sha256::digest(canonical_json(value).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_ignores_key_order() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": null}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": {"x": null, "y": [1, {"c": 3, "d": 2}]}, "b": 1}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#);
        assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
    }
}
