//! Model artifacts: the metadata users declare with a TorchScript file and
//! how its validation can fail (the sandbox loads the file and runs one
//! forward pass on a zero batch of the declared width). No database, no HTTP.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a model's forward pass returns per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModelOutput {
    /// A real-valued logit; Probity applies the sigmoid.
    Logit,
    /// A probability in [0, 1].
    Probability,
}

impl ModelOutput {
    /// The name stored in the database and used in the API (`logit`, `probability`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logit => "logit",
            Self::Probability => "probability",
        }
    }
}

impl TryFrom<String> for ModelOutput {
    type Error = String;

    /// Reads the stored name back (`as_str`).
    fn try_from(name: String) -> Result<Self, Self::Error> {
        [Self::Logit, Self::Probability]
            .into_iter()
            .find(|output| output.as_str() == name)
            .ok_or_else(|| format!("unknown model output `{name}`"))
    }
}

fn default_threshold() -> f64 {
    0.5
}

/// Metadata sent as the `metadata` part of a model upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelMetadata {
    /// Human name of the model.
    pub name: String,
    /// Version label chosen by the owner.
    pub version: String,
    /// Dataset columns fed to the model, in input order.
    pub features: Vec<String>,
    /// Kind of value the model returns.
    pub output: ModelOutput,
    /// Probability at or above which the prediction is positive.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
}

/// Why a model upload was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{detail}")]
    Metadata { field: String, detail: String },
    #[error("the file is not a loadable TorchScript model: {0}")]
    NotTorchScript(String),
    #[error("the forward pass on a zero batch of shape [2, {width}] failed: {detail}")]
    ForwardFailed { width: usize, detail: String },
    #[error(
        "the model's output for a batch of 2 rows is not one value per row; expected shape [2] or [2, 1] (one {output:?} per row)"
    )]
    OutputShape { output: ModelOutput },
    #[error(
        "the model declares `probability` output but returned a value outside [0, 1] on a zero batch"
    )]
    NotAProbability,
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
}

impl ModelError {
    fn metadata(field: &str, detail: impl Into<String>) -> Self {
        Self::Metadata {
            field: format!("metadata.{field}"),
            detail: detail.into(),
        }
    }
}

/// Parses and checks the metadata JSON of an upload.
pub fn parse_metadata(json: &[u8]) -> Result<ModelMetadata, ModelError> {
    let metadata: ModelMetadata =
        serde_json::from_slice(json).map_err(|e| ModelError::Metadata {
            field: "metadata".into(),
            detail: format!("invalid metadata: {e}"),
        })?;
    if metadata.name.trim().is_empty() {
        return Err(ModelError::metadata("name", "name must not be empty"));
    }
    if metadata.version.trim().is_empty() {
        return Err(ModelError::metadata("version", "version must not be empty"));
    }
    if metadata.features.is_empty() {
        return Err(ModelError::metadata(
            "features",
            "features must list at least one column",
        ));
    }
    let mut seen = HashSet::new();
    for (index, feature) in metadata.features.iter().enumerate() {
        if feature.trim().is_empty() {
            return Err(ModelError::metadata(
                &format!("features[{index}]"),
                "feature names must not be empty",
            ));
        }
        if !seen.insert(feature) {
            return Err(ModelError::metadata(
                &format!("features[{index}]"),
                format!("feature `{feature}` is listed twice"),
            ));
        }
    }
    if !(metadata.threshold > 0.0 && metadata.threshold < 1.0) {
        return Err(ModelError::metadata(
            "threshold",
            "threshold must be a probability strictly between 0 and 1",
        ));
    }
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_defaults_threshold_and_rejects_unknown_fields() {
        let parsed =
            parse_metadata(br#"{"name":"m","version":"1","features":["a","b"],"output":"logit"}"#)
                .unwrap();
        assert_eq!(parsed.threshold, 0.5);
        let error = parse_metadata(
            br#"{"name":"m","version":"1","features":["a"],"output":"logit","extra":1}"#,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `extra`"),
            "{error}"
        );
    }

    #[test]
    fn metadata_rejects_duplicate_features_and_bad_threshold() {
        let dup =
            parse_metadata(br#"{"name":"m","version":"1","features":["a","a"],"output":"logit"}"#);
        assert!(
            matches!(dup, Err(ModelError::Metadata { ref field, .. }) if field == "metadata.features[1]")
        );
        let threshold = parse_metadata(
            br#"{"name":"m","version":"1","features":["a"],"output":"logit","threshold":1.5}"#,
        );
        assert!(
            matches!(threshold, Err(ModelError::Metadata { ref field, .. }) if field == "metadata.threshold")
        );
    }
}
