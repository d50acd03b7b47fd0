//! Audit requests: what `POST /v1/audits` and `probity audit` accept, how a
//! request is checked against a dataset's columns, and running it into a
//! report (pure apart from reading the dataset file).

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use polars::prelude::{Expr, IdxSize, LazyFrame, PolarsError, col};

use crate::counterfactual;
use crate::dataset::{self, DatasetFormat, DatasetLocation};
use crate::inference::{InferenceError, ScoringModel, score_to_parquet};
use crate::ner::NerModel;
pub use crate::pii_check::RowRange;
use crate::pii_check::{self, PiiError, PiiOptionError, PiiOptions, PiiReport};
use crate::report::{
    AuditInputs, AuditReport, DatasetInput, ModelInput, ModelInputFlag, NerModelInput,
};
use crate::sandbox::ModelSandbox;
use probity_fairness::counterfactual::{
    CounterfactualMethod, CounterfactualOptions, CounterfactualTally,
};
use probity_fairness::polars_errors;
use probity_fairness::{
    self, FairnessError, FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource,
};

/// Which checks to run, each with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditChecks {
    /// Group fairness options; on by default (with the default options when absent), `null` turns
    /// it off (a PII-only audit, which needs no labels, predictions or sensitive features).
    #[serde(default = "fairness_on")]
    pub fairness: Option<FairnessOptions>,
    /// PII exposure scan; runs when present (`{}` scans every column of every row with the defaults).
    #[serde(default)]
    pub pii: Option<PiiOptions>,
    /// Counterfactual tests; run when present: the audited model re-run with each sensitive
    /// input (and proxy) changed, or a paired dataset of any system's outcomes (`pairs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterfactual: Option<CounterfactualOptions>,
}

fn fairness_on() -> Option<FairnessOptions> {
    Some(FairnessOptions::default())
}

impl Default for AuditChecks {
    fn default() -> Self {
        Self {
            fairness: fairness_on(),
            pii: None,
            counterfactual: None,
        }
    }
}

/// Body of `POST /v1/audits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditRequest {
    /// Dataset to audit.
    pub dataset_id: Uuid,
    /// Model to run over the dataset (its declared features); its scores and threshold give the predictions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<Uuid>,
    /// Column of predicted labels (same values as the label column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction_column: Option<String>,
    /// Column of probabilities in [0, 1]; positive when `>= threshold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_column: Option<String>,
    /// Threshold for `score_column` (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: Option<f64>,
    /// Column of true labels (needed by the fairness check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_column: Option<String>,
    /// The favourable label value (int, bool or string; needed by the fairness check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive_label: Option<LabelValue>,
    /// Sensitive feature columns; each is audited alone and all together (needed by the fairness check).
    #[serde(default)]
    pub sensitive_features: Vec<String>,
    /// Column of non-negative sample weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_weight_column: Option<String>,
    /// Privileged (reference) value per sensitive feature for disparate impact; default: the largest group.
    #[serde(default)]
    pub reference_groups: BTreeMap<String, String>,
    /// Checks and their options.
    #[serde(default)]
    pub checks: AuditChecks,
    /// Bounds for verdicts.
    #[serde(default)]
    pub policy: Policy,
    /// A report this audit re-runs (set by `POST /v1/reports/{id}/reproduce`):
    /// the job's result then says whether the new results digest matches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduces: Option<Uuid>,
}

/// Why a request cannot be run as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{detail}")]
pub struct RequestError {
    /// Request field at fault.
    pub field: String,
    /// Dataset column at fault, if any.
    pub column: Option<String>,
    /// What is wrong.
    pub detail: String,
}

impl From<PiiOptionError> for RequestError {
    fn from(error: PiiOptionError) -> Self {
        Self {
            field: error.field,
            column: error.column,
            detail: error.detail,
        }
    }
}

fn request_error(field: &str, column: Option<&str>, detail: impl Into<String>) -> RequestError {
    RequestError {
        field: field.into(),
        column: column.map(str::to_string),
        detail: detail.into(),
    }
}

impl AuditRequest {
    /// Checks the request's shape and returns the fairness engine's spec (`None`
    /// when the fairness check is off). `model_threshold` is the audited model's
    /// threshold when the request names a model.
    pub fn validate(
        &self,
        model_threshold: Option<f64>,
    ) -> Result<Option<FairnessSpec>, RequestError> {
        if let Some(pii) = &self.checks.pii {
            pii.validate()?;
        }
        let paired = self.check_counterfactual()?;
        let Some(options) = &self.checks.fairness else {
            if self.checks.pii.is_none() && !paired {
                return Err(request_error(
                    "checks",
                    None,
                    "every check is off: turn on fairness, pii or a counterfactual test of a paired dataset",
                ));
            }
            let fairness_only = [
                ("model_id", self.model_id.is_some()),
                ("prediction_column", self.prediction_column.is_some()),
                ("score_column", self.score_column.is_some()),
                ("threshold", self.threshold.is_some()),
                ("label_column", self.label_column.is_some()),
                ("positive_label", self.positive_label.is_some()),
                ("sensitive_features", !self.sensitive_features.is_empty()),
                ("sample_weight_column", self.sample_weight_column.is_some()),
                ("reference_groups", !self.reference_groups.is_empty()),
            ];
            if let Some((field, _)) = fairness_only.iter().find(|(_, given)| *given) {
                return Err(request_error(
                    field,
                    None,
                    format!("`{field}` is used by the fairness check, which this audit turns off"),
                ));
            }
            return Ok(None);
        };
        let label = self.label_column.clone().ok_or_else(|| {
            request_error(
                "label_column",
                None,
                "the fairness check needs label_column",
            )
        })?;
        let positive_label = self.positive_label.clone().ok_or_else(|| {
            request_error(
                "positive_label",
                None,
                "the fairness check needs positive_label",
            )
        })?;
        let prediction = match (&self.model_id, &self.prediction_column, &self.score_column) {
            (Some(_), None, None) => {
                if self.threshold.is_some() {
                    return Err(request_error(
                        "threshold",
                        None,
                        "a model audit uses the model's own threshold",
                    ));
                }
                PredictionSource::Score {
                    column: MODEL_SCORE_COLUMN.into(),
                    threshold: model_threshold.unwrap_or(0.5),
                }
            }
            (Some(_), _, _) => {
                return Err(request_error(
                    "model_id",
                    None,
                    "give model_id, or prediction_column / score_column, not both",
                ));
            }
            (None, Some(column), None) => {
                if self.threshold.is_some() {
                    return Err(request_error(
                        "threshold",
                        None,
                        "threshold applies to score_column only",
                    ));
                }
                PredictionSource::Column(column.clone())
            }
            (None, None, Some(column)) => PredictionSource::Score {
                column: column.clone(),
                threshold: self.threshold.unwrap_or(0.5),
            },
            _ => {
                return Err(request_error(
                    "prediction_column",
                    None,
                    "give exactly one of model_id, prediction_column and score_column",
                ));
            }
        };
        let spec = FairnessSpec {
            label,
            prediction,
            positive_label,
            sensitive_features: self.sensitive_features.clone(),
            sample_weight: self.sample_weight_column.clone(),
            reference_groups: self.reference_groups.clone(),
            options: options.clone(),
            policy: self.policy.clone(),
        };
        spec.validate().map_err(|e| match e {
            FairnessError::InvalidOption { field, detail } => request_error(&field, None, detail),
            other => request_error("body", None, other.to_string()),
        })?;
        Ok(Some(spec))
    }

    /// Checks the counterfactual options; returns whether they name a paired dataset.
    fn check_counterfactual(&self) -> Result<bool, RequestError> {
        let Some(options) = &self.checks.counterfactual else {
            return Ok(false);
        };
        options.validate().map_err(|e| match e {
            FairnessError::InvalidOption { field, detail } => request_error(&field, None, detail),
            other => request_error("checks.counterfactual", None, other.to_string()),
        })?;
        if options.pairs.is_some() {
            if !options.proxy_columns.is_empty() {
                return Err(request_error(
                    "checks.counterfactual.proxy_columns",
                    None,
                    "proxy columns are changed in a model re-run; a paired dataset already holds its variants",
                ));
            }
            return Ok(true);
        }
        if self.model_id.is_none() || self.checks.fairness.is_none() {
            return Err(request_error(
                "checks.counterfactual",
                None,
                "the counterfactual check re-runs the audited model on the sensitive features: give model_id and the fairness check's columns, or a paired dataset in checks.counterfactual.pairs",
            ));
        }
        Ok(false)
    }

    /// Checks that every named column exists among `columns`.
    pub fn check_columns(&self, columns: &[String]) -> Result<(), RequestError> {
        let mut named: Vec<(&str, &str)> = self
            .label_column
            .iter()
            .map(|c| ("label_column", c.as_str()))
            .collect();
        named.extend(
            self.prediction_column
                .as_deref()
                .map(|c| ("prediction_column", c)),
        );
        named.extend(self.score_column.as_deref().map(|c| ("score_column", c)));
        named.extend(
            self.sample_weight_column
                .as_deref()
                .map(|c| ("sample_weight_column", c)),
        );
        named.extend(
            self.sensitive_features
                .iter()
                .map(|c| ("sensitive_features", c.as_str())),
        );
        named.extend(self.checks.pii.iter().flat_map(PiiOptions::named_columns));
        if let Some(options) = &self.checks.counterfactual {
            named.extend(
                options
                    .proxy_columns
                    .iter()
                    .map(|c| ("checks.counterfactual.proxy_columns", c.as_str())),
            );
            if let Some(pairs) = &options.pairs {
                named.extend([
                    (
                        "checks.counterfactual.pairs.pair_column",
                        pairs.pair_column.as_str(),
                    ),
                    (
                        "checks.counterfactual.pairs.variant_column",
                        pairs.variant_column.as_str(),
                    ),
                    (
                        "checks.counterfactual.pairs.outcome_column",
                        pairs.outcome_column.as_str(),
                    ),
                ]);
                named.extend(
                    pairs
                        .score_column
                        .as_deref()
                        .map(|c| ("checks.counterfactual.pairs.score_column", c)),
                );
            }
        }
        for (field, column) in named {
            if !columns.iter().any(|c| c == column) {
                return Err(request_error(
                    field,
                    Some(column),
                    format!("column `{column}` does not exist in the dataset"),
                ));
            }
        }
        Ok(())
    }

    fn inputs(
        &self,
        dataset: DatasetInput,
        model: Option<ModelInput>,
        ner_model: Option<NerModelInput>,
        spec: Option<&FairnessSpec>,
    ) -> AuditInputs {
        AuditInputs {
            dataset,
            model,
            ner_model,
            label_column: self.label_column.clone(),
            prediction_column: self.prediction_column.clone(),
            score_column: self.score_column.clone(),
            threshold: match spec.map(|s| &s.prediction) {
                Some(PredictionSource::Score { threshold, .. }) => Some(*threshold),
                _ => None,
            },
            positive_label: self.positive_label.clone(),
            sensitive_features: self.sensitive_features.clone(),
            sample_weight_column: self.sample_weight_column.clone(),
            reference_groups: self.reference_groups.clone(),
        }
    }
}

/// Column holding the audited model's scores in the audited frame.
pub const MODEL_SCORE_COLUMN: &str = "__probity_model_score";

/// A model to run over the dataset before auditing.
pub struct ModelToRun {
    /// Recorded in the report.
    pub input: ModelInput,
    /// The TorchScript file.
    pub path: std::path::PathBuf,
    /// Declared feature columns, in input order.
    pub features: Vec<String>,
    /// What the model returns.
    pub output: crate::model::ModelOutput,
    /// Rows per forward pass.
    pub batch_size: usize,
    /// Where the model runs.
    pub sandbox: ModelSandbox,
    /// Folder for the scored copy of the dataset (deleted when the audit ends).
    pub scratch_dir: std::path::PathBuf,
}

/// Why running an audit failed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error(transparent)]
    Data(#[from] FairnessError),
    #[error(transparent)]
    Inference(#[from] InferenceError),
    #[error(transparent)]
    Pii(#[from] PiiError),
    #[error("reading the dataset failed: {0}")]
    Read(String),
}

/// The models an audit runs: the scorer of `model_id` and the token
/// classifier of `checks.pii.ner_model_id`, each when the request names one.
#[derive(Default)]
pub struct AuditModels {
    /// Scores the rows before the fairness check.
    pub scorer: Option<ModelToRun>,
    /// Reads the free-text columns for the PII check.
    pub ner: Option<NerModel>,
}

/// Runs the audit over a dataset (running the models first when given) and
/// builds the report. With a PII check, one redacted NDJSON line per
/// finding goes to `pii_findings`.
pub fn run(
    request: &AuditRequest,
    location: &DatasetLocation,
    dataset: DatasetInput,
    models: AuditModels,
    pii_findings: &mut dyn Write,
) -> Result<AuditReport, AuditError> {
    let part = run_part(request, location, None, &models, pii_findings)?;
    let inputs = (models.scorer.map(|m| m.input), models.ner.map(|m| m.input));
    finish(request, part, location, dataset, inputs)
}

/// Checks that the NER model given is the one the request's PII check names.
fn check_ner_model(request: &AuditRequest, given: Option<Uuid>) -> Result<(), RequestError> {
    let named = request.checks.pii.as_ref().and_then(|p| p.ner_model_id);
    if named == given {
        return Ok(());
    }
    Err(request_error(
        "checks.pii.ner_model_id",
        None,
        match named {
            Some(id) => format!("the NER model {id} was not loaded for this audit"),
            None => "a NER model was given, but the request names none".into(),
        },
    ))
}

/// What a part of a dataset's rows contributes to an audit: all of them, or
/// one shard of a sharded audit. Parts of consecutive row ranges merge, in
/// row order, into the part of all their rows (`merge`), and `finish` builds
/// the report from it: the report of one pass over every row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditPart {
    /// Rows read.
    pub rows: u64,
    fairness: Option<probity_fairness::FairnessPartial>,
    pii: Option<pii_check::PiiPartial>,
    /// Paired decisions of the model re-run (absent in parts made before it existed).
    #[serde(default)]
    counterfactual: Option<CounterfactualTally>,
    /// Seconds spent, per phase.
    timings: BTreeMap<String, f64>,
}

impl AuditPart {
    /// Findings the part wrote to its PII findings export.
    pub fn findings(&self) -> u64 {
        self.pii.as_ref().map_or(0, pii_check::PiiPartial::exported)
    }

    /// Adds the part of the rows right after this one's.
    pub fn merge(&mut self, next: Self) {
        self.rows += next.rows;
        self.fairness = match (self.fairness.take(), next.fairness) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        self.pii = match (self.pii.take(), next.pii) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        self.counterfactual = match (self.counterfactual.take(), next.counterfactual) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        for (phase, seconds) in next.timings {
            *self.timings.entry(phase).or_default() += seconds;
        }
    }
}

/// Runs the checks over the rows `range` names (every row when `None`),
/// running the model over them first when one is given. PII findings lines
/// (naming dataset rows) go to `pii_findings`; errors name dataset rows too.
pub fn run_part(
    request: &AuditRequest,
    location: &DatasetLocation,
    range: Option<RowRange>,
    models: &AuditModels,
    pii_findings: &mut dyn Write,
) -> Result<AuditPart, AuditError> {
    let model = models.scorer.as_ref();
    let spec = request.validate(model.map(|m| m.input.threshold))?;
    check_ner_model(request, models.ner.as_ref().map(|m| m.input.id))?;
    let mut timings = BTreeMap::new();
    let read = |e: PolarsError| AuditError::Read(polars_errors::describe(&e));
    let mut frame = location.scan().map_err(read)?;
    let offset = range.map_or(0, |r| r.offset);
    if let Some(range) = range {
        frame = frame.slice(offset as i64, range.rows as IdxSize);
    }
    let rows = match range {
        Some(range) => range.rows,
        None => probity_fairness::query::row_count(&frame).map_err(read)?,
    };
    let pii = match &request.checks.pii {
        None => None,
        Some(options) => {
            let started = Instant::now();
            let data = pii_columns(frame.clone(), options).map_err(read)?;
            let gathered =
                pii_check::scan_part(data, options, pii_findings, range, models.ner.as_ref())?;
            timings.insert("pii_seconds".to_string(), started.elapsed().as_secs_f64());
            Some(gathered)
        }
    };
    let _scored_copy;
    if let Some(model) = model {
        let started = Instant::now();
        let run = model.sandbox.start().map_err(InferenceError::Sandbox)?;
        let scratch = tempfile::Builder::new()
            .prefix("scored-")
            .suffix(".parquet")
            .tempfile_in(&model.scratch_dir)
            .map_err(|e| AuditError::Read(format!("creating a scratch file: {e}")))?
            .into_temp_path();
        let scoring = ScoringModel {
            path: &model.path,
            features: &model.features,
            output: model.output,
            batch_size: model.batch_size,
        };
        score_to_parquet(run, &scoring, frame, MODEL_SCORE_COLUMN, &scratch)
            .map_err(|e| e.shifted_by(offset))?;
        frame = dataset::scan(&scratch, DatasetFormat::Parquet).map_err(read)?;
        _scored_copy = scratch;
        timings.insert(
            "inference_seconds".to_string(),
            started.elapsed().as_secs_f64(),
        );
    }
    let counterfactual = match (&request.checks.counterfactual, model) {
        (Some(options), Some(model)) if options.pairs.is_none() => {
            let started = Instant::now();
            let all_rows = location.scan().map_err(read)?;
            let plan =
                counterfactual::plan(&all_rows, &request.sensitive_features, model, options)?;
            let tally = counterfactual::run_part(
                &plan,
                frame.clone(),
                offset,
                model,
                model.input.threshold,
            )?;
            timings.insert(
                "counterfactual_seconds".to_string(),
                started.elapsed().as_secs_f64(),
            );
            Some(tally)
        }
        _ => None,
    };
    let fairness = match &spec {
        None => None,
        Some(spec) => {
            let started = Instant::now();
            let mut counted = probity_fairness::partial(frame.clone(), spec, offset)?;
            if model.is_some() && spec.options.subgroups.enabled {
                // a model's decisions exist only here: the part counts the slices
                let plan = probity_fairness::slice_plan(&location.scan().map_err(read)?, spec)?;
                counted = counted.with_slices(probity_fairness::count_slices(frame, spec, plan)?);
            }
            timings.insert(
                "fairness_seconds".to_string(),
                started.elapsed().as_secs_f64(),
            );
            Some(counted)
        }
    };
    Ok(AuditPart {
        rows,
        fairness,
        pii,
        counterfactual,
        timings,
    })
}

/// Builds the report from the part (merged from every shard) covering every
/// row of the dataset at `location`, which the proxy check, when on, reads
/// once more. `models` are the scorer and the NER model the parts ran, as
/// the report cites them.
pub fn finish(
    request: &AuditRequest,
    part: AuditPart,
    location: &DatasetLocation,
    dataset: DatasetInput,
    (model, ner_model): (Option<ModelInput>, Option<NerModelInput>),
) -> Result<AuditReport, AuditError> {
    let spec = request.validate(model.as_ref().map(|m| m.threshold))?;
    check_ner_model(request, ner_model.as_ref().map(|m| m.id))?;
    let AuditPart {
        fairness,
        pii,
        counterfactual,
        mut timings,
        ..
    } = part;
    let read = |e: PolarsError| AuditError::Read(polars_errors::describe(&e));
    let counterfactual = match &request.checks.counterfactual {
        None => None,
        Some(options) => Some(match (&options.pairs, counterfactual) {
            (Some(pairs), _) => {
                let started = Instant::now();
                let source = location.scan().map_err(read)?;
                let (tally, unpaired) =
                    probity_fairness::counterfactual::paired_tally(&source, pairs, options)?;
                timings.insert(
                    "counterfactual_seconds".to_string(),
                    started.elapsed().as_secs_f64(),
                );
                probity_fairness::counterfactual::report(
                    tally,
                    CounterfactualMethod::Pairs,
                    Some(unpaired),
                    options,
                )
            }
            (None, tally) => probity_fairness::counterfactual::report(
                tally.unwrap_or_default(),
                CounterfactualMethod::Model,
                None,
                options,
            ),
        }),
    };
    let pii = match (pii, &request.checks.pii) {
        (Some(gathered), Some(options)) => Some(pii_check::finish(gathered, options)?),
        _ => None,
    };
    let fairness = match (fairness, &spec) {
        (Some(counted), Some(spec)) => {
            let started = Instant::now();
            let source = location.scan().map_err(read)?;
            let report = probity_fairness::finish(counted, spec, &source)?;
            *timings.entry("fairness_seconds".to_string()).or_default() +=
                started.elapsed().as_secs_f64();
            Some(report)
        }
        _ => None,
    };
    let flags = model
        .as_ref()
        .map(|m| model_input_flags(&m.features, &request.sensitive_features, pii.as_ref()));
    Ok(AuditReport::new(
        request.inputs(dataset, model, ner_model, spec.as_ref()),
        fairness,
        pii,
        counterfactual,
        flags.unwrap_or_default(),
        timings,
    ))
}

/// The columns the PII check reads, in dataset order: those it scans plus
/// the quasi-identifiers (every column when none are named).
fn pii_columns(mut frame: LazyFrame, options: &PiiOptions) -> Result<LazyFrame, PolarsError> {
    let Some(scanned) = &options.columns else {
        return Ok(frame);
    };
    let schema = frame.collect_schema()?;
    let wanted = |name: &str| {
        scanned
            .iter()
            .chain(&options.quasi_identifiers)
            .any(|c| c == name)
    };
    let names: Vec<Expr> = schema
        .iter_names()
        .filter(|n| wanted(n.as_str()))
        .map(|n| col(n.clone()))
        .collect();
    Ok(frame.select(names))
}

/// The model's inputs that are sensitive features of the audit or hold PII.
fn model_input_flags(
    features: &[String],
    sensitive: &[String],
    pii: Option<&PiiReport>,
) -> Vec<ModelInputFlag> {
    features
        .iter()
        .filter_map(|feature| {
            let mut reasons = Vec::new();
            if sensitive.contains(feature) {
                reasons.push("it is a sensitive feature of this audit".to_string());
            }
            if let Some(column) = pii.and_then(|p| {
                p.columns
                    .iter()
                    .find(|c| &c.column == feature && c.rows_affected > 0)
            }) {
                let entities: Vec<&str> =
                    column.entities.iter().map(|e| e.entity.as_str()).collect();
                reasons.push(format!(
                    "it holds PII ({}) in {:.2} % of scanned rows",
                    entities.join(", "),
                    column.share_affected * 100.0
                ));
            }
            (!reasons.is_empty()).then(|| ModelInputFlag {
                feature: feature.clone(),
                reasons,
            })
        })
        .collect()
}
