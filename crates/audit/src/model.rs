//! Model artifacts: the metadata users declare with a TorchScript file and
//! how its validation can fail (the sandbox loads the file and runs one
//! forward pass on a zero batch of the declared shape). Two kinds: a
//! `scorer` (one score per row of feature columns; audits and inference run
//! it) and a `token_classifier` (a NER model over token ids, with a BIO label
//! map and a vocabulary; the PII check runs it, see [`crate::ner`]). No
//! database, no HTTP.

use std::collections::HashSet;

use crate::ner::{LabelMap, MAX_TOKENS_RANGE};

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

/// What kind of model a TorchScript file is: which input it takes and who runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Feature rows `[batch, len(features)]` (f32) in, one score per row out;
    /// audits (`model_id`) and inference jobs run it.
    #[default]
    Scorer,
    /// Token ids `[batch, max_tokens]` (i64) in, one value per token and
    /// label `[batch, max_tokens, len(labels)]` out; the PII check
    /// (`checks.pii.ner_model_id`) runs it over free-text columns.
    TokenClassifier,
}

impl ModelKind {
    /// The name stored in the database and used in the API (`scorer`, `token_classifier`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scorer => "scorer",
            Self::TokenClassifier => "token_classifier",
        }
    }
}

impl TryFrom<String> for ModelKind {
    type Error = String;

    /// Reads the stored name back (`as_str`).
    fn try_from(name: String) -> Result<Self, Self::Error> {
        [Self::Scorer, Self::TokenClassifier]
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| format!("unknown model kind `{name}`"))
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
    /// `scorer` (default) or `token_classifier`.
    #[serde(default)]
    pub kind: ModelKind,
    /// Dataset columns fed to a scorer, in input order (required for a
    /// scorer; a token classifier takes none).
    #[serde(default)]
    pub features: Vec<String>,
    /// Kind of value the model returns: per row for a scorer, per token and
    /// label for a token classifier (`logit`: Probity applies the sigmoid,
    /// or the softmax over labels; `probability`: used as is).
    pub output: ModelOutput,
    /// Probability at or above which a scorer's prediction is positive (not
    /// used by a token classifier).
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Token classifier only: the label of each output index, in BIO form
    /// (`O`, `B-PER`, `I-PER`, `B-LOC`, `I-LOC`, ...). PER/PERSON are person
    /// names, LOC/ADDR/ADDRESS street addresses; ORG and MISC are accepted
    /// and report nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Token classifier only: tokens per sequence (8 to 512); longer texts
    /// are cut into windows of this many tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 8, maximum = 512)]
    pub max_tokens: Option<u32>,
}

impl ModelMetadata {
    /// The metadata of a scorer (what training registers).
    pub fn scorer(
        name: String,
        version: String,
        features: Vec<String>,
        output: ModelOutput,
        threshold: f64,
    ) -> Self {
        Self {
            name,
            version,
            kind: ModelKind::Scorer,
            features,
            output,
            threshold,
            labels: None,
            max_tokens: None,
        }
    }

    /// A token classifier's label map (`None` for a scorer, or labels that do not parse).
    pub fn label_map(&self) -> Option<LabelMap> {
        LabelMap::parse(self.labels.as_deref()?).ok()
    }
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
    #[error("the token classifier failed on a zero batch of token ids [2, {max_tokens}]: {detail}")]
    TokenForwardFailed { max_tokens: usize, detail: String },
    #[error(
        "the token classifier's output for a batch of token ids [2, {max_tokens}] is not one value per token and label; expected shape [2, {max_tokens}, {labels}] ({labels} labels declared)"
    )]
    TokenOutputShape { max_tokens: usize, labels: usize },
    #[error("{detail}")]
    Vocabulary { detail: String },
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

    /// The upload part (or metadata field) at fault: `metadata.<field>`,
    /// `vocabulary` or `file`.
    pub fn field(&self) -> String {
        match self {
            Self::Metadata { field, .. } => field.clone(),
            Self::Vocabulary { .. } => "vocabulary".into(),
            _ => "file".into(),
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
    match metadata.kind {
        ModelKind::Scorer => check_scorer(&metadata)?,
        ModelKind::TokenClassifier => check_token_classifier(&metadata)?,
    }
    Ok(metadata)
}

fn check_scorer(metadata: &ModelMetadata) -> Result<(), ModelError> {
    for (field, given) in [
        ("labels", metadata.labels.is_some()),
        ("max_tokens", metadata.max_tokens.is_some()),
    ] {
        if given {
            return Err(ModelError::metadata(
                field,
                format!("`{field}` applies to `kind: token_classifier` models only"),
            ));
        }
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
    Ok(())
}

fn check_token_classifier(metadata: &ModelMetadata) -> Result<(), ModelError> {
    if !metadata.features.is_empty() {
        return Err(ModelError::metadata(
            "features",
            "a token classifier reads token ids of free text, not feature columns: leave `features` out",
        ));
    }
    let labels = metadata.labels.as_deref().ok_or_else(|| {
        ModelError::metadata(
            "labels",
            "a token classifier needs `labels`: the BIO label of each output index (`O`, `B-PER`, `I-PER`, ...)",
        )
    })?;
    LabelMap::parse(labels).map_err(|e| match e.index {
        Some(index) => ModelError::metadata(&format!("labels[{index}]"), e.detail),
        None => ModelError::metadata("labels", e.detail),
    })?;
    match metadata.max_tokens {
        None => Err(ModelError::metadata(
            "max_tokens",
            "a token classifier needs `max_tokens`, the tokens per sequence its input has",
        )),
        Some(n) if !MAX_TOKENS_RANGE.contains(&n) => Err(ModelError::metadata(
            "max_tokens",
            format!(
                "max_tokens must be within {}..={}",
                MAX_TOKENS_RANGE.start(),
                MAX_TOKENS_RANGE.end()
            ),
        )),
        Some(_) => Ok(()),
    }
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

    fn field_of(json: &str) -> String {
        parse_metadata(json.as_bytes()).unwrap_err().field()
    }

    #[test]
    fn a_token_classifier_declares_labels_and_max_tokens_and_no_features() {
        let parsed = parse_metadata(
            br#"{"name":"ner","version":"1","kind":"token_classifier","output":"logit",
                "labels":["O","B-PER","I-PER","B-LOC","I-LOC"],"max_tokens":32}"#,
        )
        .unwrap();
        assert_eq!(parsed.kind, ModelKind::TokenClassifier);
        assert_eq!(parsed.label_map().unwrap().len(), 5);
        let scorer =
            parse_metadata(br#"{"name":"m","version":"1","features":["a"],"output":"logit"}"#)
                .unwrap();
        assert_eq!(scorer.kind, ModelKind::Scorer);
        assert!(scorer.label_map().is_none());

        let base = r#""name":"ner","version":"1","kind":"token_classifier","output":"logit""#;
        assert_eq!(
            field_of(&format!(r#"{{{base},"labels":["O","B-PER"]}}"#)),
            "metadata.max_tokens"
        );
        assert_eq!(
            field_of(&format!(
                r#"{{{base},"labels":["O","B-PER"],"max_tokens":4096}}"#
            )),
            "metadata.max_tokens"
        );
        assert_eq!(
            field_of(&format!(r#"{{{base},"max_tokens":16}}"#)),
            "metadata.labels"
        );
        assert_eq!(
            field_of(&format!(
                r#"{{{base},"labels":["O","B-PER","B-DOG"],"max_tokens":16}}"#
            )),
            "metadata.labels[2]"
        );
        assert_eq!(
            field_of(&format!(
                r#"{{{base},"features":["a"],"labels":["O","B-PER"],"max_tokens":16}}"#
            )),
            "metadata.features"
        );
        assert_eq!(
            field_of(
                r#"{"name":"m","version":"1","features":["a"],"output":"logit","labels":["O"]}"#
            ),
            "metadata.labels"
        );
        assert_eq!(
            field_of(r#"{"name":"m","version":"1","kind":"ranker","output":"logit"}"#),
            "metadata"
        );
    }
}
