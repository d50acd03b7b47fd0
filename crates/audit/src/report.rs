//! Audit reports: the immutable document an audit produces, its canonical
//! JSON and sha256, and the headline figures stored beside it. Pure: no I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::lineage::Lineage;
use crate::pii_check::PiiReport;
use crate::signing::{self, ReportSignature};
use crate::training::EpochStats;
use crate::training::Evaluation;
use probity_fairness::counterfactual::CounterfactualReport;
use probity_fairness::policy::{Outcome, worst};
use probity_fairness::{FairnessReport, LabelValue};

/// The dataset an audit read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DatasetInput {
    /// Dataset id (absent for local `probity audit` runs).
    pub id: Option<Uuid>,
    /// Name or file name.
    pub name: String,
    /// sha256 of the file audited.
    pub sha256: String,
}

/// The model an audit ran, when it ran one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    /// How Probity trained it, when it did (from the model's lineage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<ModelTraining>,
}

/// The token classifier (NER model) the PII check ran, when it ran one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NerModelInput {
    pub id: Uuid,
    pub name: String,
    pub version: String,
    /// sha256 of the TorchScript file run.
    pub sha256: String,
    /// sha256 of its vocabulary file.
    pub vocabulary_sha256: String,
    /// Its BIO labels, one per output index.
    pub labels: Vec<String>,
    /// Tokens per sequence.
    pub max_tokens: u32,
}

/// How a model trained by Probity came about: its curve and, with
/// reweighing, the trade-off against the unmitigated baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelTraining {
    /// The training job.
    pub job_id: Uuid,
    /// Loss and validation figures per epoch.
    pub training_curve: Vec<EpochStats>,
    /// Validation accuracy and fairness per mitigation (the trained model first, then the baseline).
    pub evaluation: Vec<Evaluation>,
}

impl ModelTraining {
    /// The training summary in a model's lineage; `None` for other lineage.
    pub fn from_lineage(lineage: &Lineage) -> Option<Self> {
        match lineage {
            Lineage::Training(training) => Some(Self {
                job_id: training.job_id,
                training_curve: training.training_curve.clone(),
                evaluation: training.evaluation.clone(),
            }),
            Lineage::Inference(_) => None,
        }
    }
}

/// What the audit was asked to do.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditInputs {
    pub dataset: DatasetInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelInput>,
    /// The NER model the PII check ran over free-text columns (`checks.pii.ner_model_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ner_model: Option<NerModelInput>,
    /// Absent when the fairness check was off.
    pub label_column: Option<String>,
    pub prediction_column: Option<String>,
    pub score_column: Option<String>,
    pub threshold: Option<f64>,
    pub positive_label: Option<LabelValue>,
    pub sensitive_features: Vec<String>,
    pub sample_weight_column: Option<String>,
    pub reference_groups: std::collections::BTreeMap<String, String>,
}

/// A model input that deserves a reviewer's look: a sensitive feature of the
/// audit, or a column where the PII check found personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelInputFlag {
    /// The model's feature column.
    pub feature: String,
    /// Why it is flagged.
    pub reasons: Vec<String>,
}

/// Software that produced the report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Software {
    pub name: String,
    pub version: String,
}

/// The immutable audit report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditReport {
    /// Version of this document's layout.
    pub schema_version: u32,
    /// Report id.
    pub id: Uuid,
    /// When the report was produced.
    pub created_at: DateTime<Utc>,
    pub software: Software,
    pub inputs: AuditInputs,
    /// Worst outcome over every check that ran (fairness, PII).
    pub verdict: Outcome,
    /// Group fairness, unless the audit turned it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fairness: Option<FairnessReport>,
    /// The PII exposure scan, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pii: Option<PiiReport>,
    /// Counterfactual tests of the model or of a paired dataset, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterfactual: Option<CounterfactualReport>,
    /// Inputs of the audited model that are sensitive features or hold PII (empty without a model).
    pub model_input_flags: Vec<ModelInputFlag>,
    /// Seconds spent per phase.
    pub timings: std::collections::BTreeMap<String, f64>,
    /// sha256 of the canonical JSON of the results alone ([`AuditReport::results_digest`]):
    /// the same audit of the same inputs gives the same digest (absent in reports made before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_sha256: Option<String>,
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
        fairness: Option<FairnessReport>,
        pii: Option<PiiReport>,
        counterfactual: Option<CounterfactualReport>,
        model_input_flags: Vec<ModelInputFlag>,
        timings: std::collections::BTreeMap<String, f64>,
    ) -> Self {
        Self {
            schema_version: 1,
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            software: Software {
                name: "probity".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            inputs,
            verdict: worst(
                [
                    fairness.as_ref().map(|f| f.verdict),
                    pii.as_ref().map(|p| p.verdict),
                    counterfactual.as_ref().map(|c| c.verdict),
                ]
                .into_iter()
                .flatten(),
            ),
            fairness,
            pii,
            counterfactual,
            model_input_flags,
            timings,
            results_sha256: None,
        }
    }

    /// sha256 of the canonical JSON of the report without what differs
    /// between two runs of the same audit: its id, creation time, software,
    /// timings, its own digest and the ids of the records it read (dataset,
    /// model, NER model, training job). Inputs by hash, options, seeds and
    /// every figure stay in.
    pub fn results_digest(&self) -> String {
        results_digest_of(&serde_json::to_value(self).expect("reports serialise"))
    }

    /// Records [`AuditReport::results_digest`] in the report (once its results are final).
    pub fn seal_results(&mut self) {
        self.results_sha256 = Some(self.results_digest());
    }

    /// The figures stored beside the body.
    pub fn headline(&self) -> Headline {
        let aggregates = self
            .fairness
            .as_ref()
            .map(|f| &f.headline_grouping().aggregates);
        Headline {
            verdict: self.verdict,
            demographic_parity_difference: aggregates
                .and_then(|a| a.demographic_parity_difference.between_groups.value),
            equalized_odds_difference: aggregates
                .and_then(|a| a.equalized_odds_difference.worst_case.between_groups.value),
        }
    }
}

/// One headline figure of one grouping: what comparisons and metrics show.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FigureEntry {
    /// The grouping's sensitive features joined by `+` (`overall` and `pii` for dataset-wide figures).
    pub grouping: String,
    /// Figure name, e.g. `demographic_parity_difference`.
    pub figure: String,
    /// The value; null when undefined.
    pub value: Option<f64>,
    /// Bootstrap interval, when computed.
    pub ci: Option<[f64; 2]>,
}

/// A grouping's name in comparisons and metric labels: its features joined by `+`.
pub fn grouping_key(features: &[String]) -> String {
    features.join("+")
}

/// A report that cannot be stored: it reads back differently from what was
/// computed, because a figure is not a finite number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the audit produced a figure that is not a finite number (sample weights whose sum exceeds \
     the range of a float, for example); nothing was stored"
)]
pub struct NotStorable;

impl AuditReport {
    /// Checks that the report survives the trip through JSON that storing and
    /// every later reading make (JSON has no infinity or NaN: serde writes
    /// them as null, which a required figure cannot read back).
    pub fn ensure_storable(&self) -> Result<(), NotStorable> {
        let value = serde_json::to_value(self).map_err(|_| NotStorable)?;
        serde_json::from_value::<AuditReport>(value)
            .map(|_| ())
            .map_err(|_| NotStorable)
    }
}

impl AuditReport {
    /// Every headline figure: the six between-groups fairness figures of each
    /// grouping (equalized odds as worst case), overall accuracy and selection
    /// rate, and the PII scan's share of affected rows and k-anonymity.
    pub fn headline_figures(&self) -> Vec<FigureEntry> {
        let entry =
            |grouping: &str, figure: &str, value: Option<f64>, ci: Option<[f64; 2]>| FigureEntry {
                grouping: grouping.to_string(),
                figure: figure.to_string(),
                value: value.filter(|v| v.is_finite()),
                ci,
            };
        let mut out = Vec::new();
        for grouping in self.fairness.iter().flat_map(|f| &f.groupings) {
            let key = grouping_key(&grouping.features);
            for (name, figure) in grouping.aggregates.headline_figures() {
                out.push(entry(&key, name, figure.value, figure.ci));
            }
        }
        if let Some(fairness) = &self.fairness {
            let overall = &fairness.overall.rates;
            out.push(entry("overall", "accuracy", Some(overall.accuracy), None));
            out.push(entry(
                "overall",
                "selection_rate",
                Some(overall.selection_rate),
                None,
            ));
            if let Some(auc) = &fairness.overall.roc_auc {
                out.push(entry("overall", "roc_auc", auc.value, auc.ci));
            }
        }
        if let Some(pii) = &self.pii {
            out.push(entry(
                "pii",
                "share_rows_affected",
                Some(pii.totals.share_rows_affected),
                None,
            ));
            if let Some(qi) = &pii.quasi_identifiers {
                out.push(entry(
                    "pii",
                    "k_anonymity",
                    Some(qi.k_anonymity as f64),
                    None,
                ));
            }
        }
        out
    }

    /// Every pass/fail check with its outcome: `<grouping>: <figure>` for fairness, `pii: <check>` for PII.
    pub fn checks(&self) -> Vec<(String, Outcome)> {
        let fairness = self
            .fairness
            .iter()
            .flat_map(|f| &f.groupings)
            .flat_map(|g| {
                let key = grouping_key(&g.features);
                g.verdicts
                    .iter()
                    .map(move |v| (format!("{key}: {}", v.figure), v.outcome))
            });
        let pii = self.pii.iter().flat_map(|p| {
            p.verdicts
                .iter()
                .map(|v| (format!("pii: {}", v.check), v.outcome))
        });
        let counterfactual = self.counterfactual.iter().flat_map(|c| {
            c.features
                .iter()
                .map(|f| (format!("counterfactual: {}", f.feature), f.verdict))
        });
        fairness.chain(pii).chain(counterfactual).collect()
    }
}

/// The outcome of checking a stored report against its hash and signature.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReportVerification {
    /// Report id.
    pub report_id: Uuid,
    /// True when the hash matches and any signature is valid.
    pub valid: bool,
    /// The sha256 stored with the report.
    pub stored_sha256: String,
    /// The sha256 of the stored body's canonical JSON, computed now.
    pub computed_sha256: String,
    /// `computed_sha256 == stored_sha256`.
    pub sha256_matches: bool,
    /// Whether the report carries a signature.
    pub signed: bool,
    /// The signature checked against `stored_sha256` with the public key it names (null when unsigned
    /// or malformed).
    pub signature_valid: Option<bool>,
    /// Key id of the signature.
    pub signature_key_id: Option<String>,
    /// Whether that key is the one this server signs with now.
    pub signed_with_current_key: Option<bool>,
    /// Whether the PII findings export still hashes to the sha256 the body records (null without one).
    pub findings_export_matches: Option<bool>,
    /// The results digest the body records (null for reports made before it existed).
    pub stored_results_sha256: Option<String>,
    /// The results digest recomputed from the body.
    pub computed_results_sha256: Option<String>,
    /// What was wrong, one line per problem.
    pub problems: Vec<String>,
}

/// Recomputes a stored report's hash and checks its signature; `findings_export_matches`
/// is whether the stored findings export was found to hash to its recorded sha256. Pure.
pub fn verify(
    report_id: Uuid,
    body: &Value,
    stored_sha256: &str,
    signature: Option<&ReportSignature>,
    current_key_id: Option<&str>,
    findings_export_matches: Option<bool>,
) -> ReportVerification {
    let computed_sha256 = canonical_sha256(body);
    let sha256_matches = computed_sha256 == stored_sha256;
    let mut problems = Vec::new();
    if !sha256_matches {
        problems.push("the body's canonical JSON no longer hashes to the stored sha256: the report was altered".to_string());
    }
    let signature_valid = signature.and_then(|s| match signing::verify(s, stored_sha256) {
        Ok(true) => Some(true),
        Ok(false) => {
            problems.push("the signature does not match the stored sha256".into());
            Some(false)
        }
        Err(why) => {
            problems.push(format!("the signature cannot be checked: {why}"));
            None
        }
    });
    if findings_export_matches == Some(false) {
        problems.push(
            "the PII findings export no longer hashes to the sha256 the report records".into(),
        );
    }
    let stored_results_sha256 = body
        .get("results_sha256")
        .and_then(Value::as_str)
        .map(str::to_string);
    let computed_results_sha256 = Some(results_digest_of(body));
    let results_match = match (&stored_results_sha256, &computed_results_sha256) {
        (Some(stored), Some(computed)) => stored == computed,
        (Some(_), None) => false,
        (None, _) => true,
    };
    if !results_match {
        problems.push("the results no longer hash to the results_sha256 the report records".into());
    }
    ReportVerification {
        report_id,
        valid: sha256_matches
            && results_match
            && signature.is_none_or(|_| signature_valid == Some(true))
            && findings_export_matches != Some(false),
        stored_sha256: stored_sha256.to_string(),
        computed_sha256,
        sha256_matches,
        signed: signature.is_some(),
        signature_valid,
        signature_key_id: signature.map(|s| s.key_id.clone()),
        signed_with_current_key: signature.map(|s| current_key_id == Some(s.key_id.as_str())),
        findings_export_matches,
        stored_results_sha256,
        computed_results_sha256,
        problems,
    }
}

/// [`AuditReport::results_digest`] of a report's JSON as stored: computed on
/// the JSON itself, so fields a later version adds with defaults do not
/// change the digest of a report made before them.
pub fn results_digest_of(report: &Value) -> String {
    let mut value = report.clone();
    if let Value::Object(fields) = &mut value {
        for key in ["id", "created_at", "software", "timings", "results_sha256"] {
            fields.remove(key);
        }
    }
    for pointer in [
        "/inputs/dataset/id",
        "/inputs/model/id",
        "/inputs/model/training/job_id",
        "/inputs/ner_model/id",
    ] {
        if let Some(id) = value.pointer_mut(pointer) {
            *id = Value::Null;
        }
    }
    canonical_sha256(&value)
}

/// JSON with object keys sorted at every level and no insignificant whitespace.
pub fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), sorted(v)))
                        .collect(),
                )
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
        let a: Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": null}}"#)
                .unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a": {"x": null, "y": [1, {"c": 3, "d": 2}]}, "b": 1}"#)
                .unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#
        );
        assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
    }
}
