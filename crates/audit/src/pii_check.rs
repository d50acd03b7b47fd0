//! The PII check of an audit: which cells to scan (columns, a seeded row
//! sample), scanning them with the `probity-pii` engine chunk by chunk,
//! quasi-identifier risk, the verdict, and the report section. Per-cell
//! findings (redacted) go to a caller-supplied NDJSON writer; the report
//! itself holds counts, types, columns and redacted examples only.
//!
//! With a token classifier (`ner_model_id`), the free-text columns' cells of
//! each chunk first go through the model in the sandbox, in batches
//! ([`crate::ner`]); its person-name and address spans join the rule-based
//! candidates through the scanner's classifier hook, and every finding
//! records which detector found it (`rules` or `model`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Arc;

use polars::prelude::{DataFrame, DataType, LazyFrame, PolarsError, StringChunked};
use probity_pii::{
    CellFinding, ClassifiedSpan, ColumnContext, ColumnReport, EntitySummary, EntityType,
    MAX_EXAMPLES, QuasiIdentifierCounter, QuasiIdentifierReport, ScanConfig, Scanner,
};
use rand::SeedableRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ner::{CellSpans, NerCounts, NerError, NerModel, NerPass};

use probity_fairness::policy::{Outcome, worst};
use probity_fairness::query::{BATCH_ROWS, for_each_batch, row_count};

/// Rows scanned per chunk, at most: with `CHUNK_BYTES`, bounds the memory
/// held by one chunk's findings (each finding is exported, then dropped).
const CHUNK_ROWS: usize = 65_536;

/// Text scanned per chunk, at most (a chunk holds at least one cell): cells
/// full of e-mails make one finding per few bytes, so the findings a chunk
/// holds in memory grow with its text, not its rows.
const CHUNK_BYTES: usize = 4 << 20;

/// The name of an entity type the PII check finds, listed as an enum in the
/// OpenAPI document (from `probity_pii::EntityType::ALL`, so a new type
/// appears there by itself).
pub struct EntityName;

impl utoipa::PartialSchema for EntityName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An entity type the PII check finds (crates/pii/BENCHMARK.md says how each is validated)",
            ))
            .enum_values(Some(EntityType::ALL.iter().map(|e| e.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for EntityName {}

/// Options of the PII check (`checks.pii` of an audit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PiiOptions {
    /// Columns to scan; absent means every column.
    pub columns: Option<Vec<String>>,
    /// Scan a seeded random sample of this many rows instead of every row.
    #[schema(minimum = 1)]
    pub sample_rows: Option<u64>,
    /// Seed of the row sample; the same seed scans the same rows.
    pub seed: u64,
    /// Findings below this confidence in [0, 1] are dropped.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_confidence: f64,
    /// Entity types to look for (e.g. `email`, `us_ssn`, `credit_card`); absent means all.
    #[schema(value_type = Option<Vec<EntityName>>)]
    pub entities: Option<Vec<String>>,
    /// Columns whose value combinations may re-identify a person (k-anonymity is computed over all rows).
    pub quasi_identifiers: Vec<String>,
    /// Largest acceptable share of scanned rows holding PII in any one column (0 fails on any finding).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub max_share_affected: f64,
    /// Smallest acceptable k (size of the smallest quasi-identifier class).
    pub min_k_anonymity: u64,
    /// A `token_classifier` model (NER) that also looks for person names and
    /// street addresses in free-text columns: text columns whose name points
    /// at no structured entity type (as `email` or `ssn` do), in cells of at
    /// least two words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ner_model_id: Option<Uuid>,
    /// Regions the data's phone numbers are written for (ISO 3166-1 alpha-2,
    /// e.g. `["ES", "PT"]`). A number without a country code must then be
    /// valid in one of them (libphonenumber's numbering plans) to be reported
    /// without a phone word or column. Empty: US, GB, DE, FR and IN numbers
    /// gain confidence, others keep their shape's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone_regions: Vec<String>,
}

impl Default for PiiOptions {
    fn default() -> Self {
        Self {
            columns: None,
            sample_rows: None,
            seed: 0,
            min_confidence: 0.5,
            entities: None,
            quasi_identifiers: Vec::new(),
            max_share_affected: 0.0,
            min_k_anonymity: 5,
            ner_model_id: None,
            phone_regions: Vec::new(),
        }
    }
}

/// Why PII options cannot be used: the option at fault and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{detail}")]
pub struct PiiOptionError {
    /// Option path, e.g. `checks.pii.entities`.
    pub field: String,
    /// Dataset column at fault, if any.
    pub column: Option<String>,
    /// What is wrong.
    pub detail: String,
}

fn option_error(field: &str, column: Option<&str>, detail: impl Into<String>) -> PiiOptionError {
    PiiOptionError {
        field: format!("checks.pii.{field}"),
        column: column.map(str::to_string),
        detail: detail.into(),
    }
}

impl PiiOptions {
    /// Checks the options' ranges and entity names.
    pub fn validate(&self) -> Result<(), PiiOptionError> {
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(option_error(
                "min_confidence",
                None,
                "min_confidence must be within [0, 1]",
            ));
        }
        if !(0.0..=1.0).contains(&self.max_share_affected) {
            return Err(option_error(
                "max_share_affected",
                None,
                "max_share_affected must be within [0, 1]",
            ));
        }
        if self.sample_rows == Some(0) {
            return Err(option_error(
                "sample_rows",
                None,
                "sample_rows must be at least 1",
            ));
        }
        if let Some(code) = self
            .phone_regions
            .iter()
            .find(|code| probity_pii::phone::PhoneRegion::from_code(code).is_none())
        {
            return Err(option_error(
                "phone_regions",
                None,
                format!(
                    "`{code}` is not a region libphonenumber knows (ISO 3166-1 alpha-2, e.g. ES)"
                ),
            ));
        }
        if matches!(&self.columns, Some(c) if c.is_empty()) {
            return Err(option_error(
                "columns",
                None,
                "columns, when given, must name at least one column",
            ));
        }
        self.entity_types().map(|_| ())
    }

    /// The entity types asked for (`None`: all).
    pub fn entity_types(&self) -> Result<Option<Vec<EntityType>>, PiiOptionError> {
        let Some(names) = &self.entities else {
            return Ok(None);
        };
        if names.is_empty() {
            return Err(option_error(
                "entities",
                None,
                "entities, when given, must name at least one entity type",
            ));
        }
        names
            .iter()
            .map(|name| {
                EntityType::from_name(name).ok_or_else(|| {
                    let known: Vec<&str> = EntityType::ALL.iter().map(|e| e.as_str()).collect();
                    option_error(
                        "entities",
                        None,
                        format!("unknown entity type `{name}`; known: {}", known.join(", ")),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Every dataset column the options name, with the option naming it.
    pub fn named_columns(&self) -> Vec<(&'static str, &str)> {
        let scanned = self
            .columns
            .iter()
            .flatten()
            .map(|c| ("checks.pii.columns", c.as_str()));
        scanned
            .chain(
                self.quasi_identifiers
                    .iter()
                    .map(|c| ("checks.pii.quasi_identifiers", c.as_str())),
            )
            .collect()
    }
}

/// Which detector found a finding: the rule-based scanner or the NER model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// The rule-based detectors of `probity-pii` (patterns, checksums, name lists, context).
    Rules,
    /// The token classifier named by `checks.pii.ner_model_id`.
    Model,
}

impl Detector {
    /// The name used in reports and the findings export.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::Model => "model",
        }
    }
}

/// Findings per detector.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DetectorCounts {
    /// Found by the rule-based detectors.
    pub rules: u64,
    /// Found by the NER model.
    pub model: u64,
}

impl DetectorCounts {
    fn count(&mut self, detector: Detector) {
        match detector {
            Detector::Rules => self.rules += 1,
            Detector::Model => self.model += 1,
        }
    }

    fn add(&mut self, other: DetectorCounts) {
        self.rules += other.rules;
        self.model += other.model;
    }
}

/// One entity type in one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiEntityCount {
    /// Entity type (`email`, `us_ssn`, ...).
    pub entity: String,
    /// Findings (a cell may hold several).
    pub findings: u64,
    /// Scanned rows holding at least one.
    pub rows_affected: u64,
    /// `rows_affected / rows_scanned`.
    pub share_rows: f64,
    /// Mean confidence of the findings.
    pub mean_confidence: f64,
    /// Up to five distinct redacted values.
    pub examples: Vec<String>,
    /// `findings` split by the detector that found them.
    #[serde(default)]
    pub by_detector: DetectorCounts,
}

/// What the scan found in one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiColumn {
    /// Column name.
    pub column: String,
    /// Cells scanned (nulls included).
    pub rows_scanned: u64,
    /// Scanned cells that were not null.
    pub non_null_rows: u64,
    /// Scanned rows with at least one finding.
    pub rows_affected: u64,
    /// `rows_affected / rows_scanned`.
    pub share_affected: f64,
    /// Mean confidence over the column's findings (0 when none).
    pub mean_confidence: f64,
    /// Entity types found, each with its own counts.
    pub entities: Vec<PiiEntityCount>,
    /// Up to five distinct redacted values over all entity types.
    pub examples: Vec<String>,
    /// The detectors that read the column: `rules` always, `model` too for
    /// a free-text column when a NER model ran.
    #[serde(default)]
    pub detectors: Vec<Detector>,
}

/// One entity type over the whole dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiEntityTotal {
    /// Findings in every column.
    pub findings: u64,
    /// Columns where it was found.
    pub columns: Vec<String>,
    /// `findings` split by the detector that found them.
    #[serde(default)]
    pub by_detector: DetectorCounts,
}

/// Dataset-level totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiTotals {
    /// Findings over every scanned cell.
    pub findings: u64,
    /// Scanned rows with at least one finding in any column.
    pub rows_affected: u64,
    /// `rows_affected / rows_scanned`.
    pub share_rows_affected: f64,
    /// Columns with at least one finding.
    pub columns_affected: Vec<String>,
    /// Per entity type.
    pub by_entity: BTreeMap<String, PiiEntityTotal>,
    /// `findings` split by the detector that found them.
    #[serde(default)]
    pub by_detector: DetectorCounts,
}

/// Re-identification risk of the quasi-identifier columns (over all rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuasiIdentifierRisk {
    /// The columns analysed together.
    pub columns: Vec<String>,
    /// Rows analysed.
    pub rows: u64,
    /// Distinct value combinations.
    pub equivalence_classes: u64,
    /// Size of the smallest class.
    pub k_anonymity: u64,
    /// Rows whose combination occurs once.
    pub unique_rows: u64,
    /// `unique_rows / rows`.
    pub unique_share: f64,
    /// Prosecutor risk of the most exposed row: 1 / k.
    pub prosecutor_risk_max: f64,
    /// Mean prosecutor risk over rows.
    pub prosecutor_risk_mean: f64,
}

/// How exposed the dataset is, in one word, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiRisk {
    /// `none`, `low` (network identifiers only), `medium` (contact or identity data, or k below the bound),
    /// `high` (secrets, government or financial identifiers, or rows unique on their quasi-identifiers).
    pub level: String,
    /// One line per reason for the level.
    pub reasons: Vec<String>,
}

/// One PII policy bound checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiVerdict {
    /// What was checked: `column:<name>` or `k_anonymity`.
    pub check: String,
    /// Pass or fail.
    pub outcome: Outcome,
    /// Why.
    pub reason: String,
}

/// Where the per-cell findings export is and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FindingsExport {
    /// NDJSON lines written (one per finding).
    pub findings: u64,
    /// sha256 of the NDJSON file (set once the file is stored).
    pub sha256: Option<String>,
}

/// What the NER model read (`checks.pii.ner_model_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NerScan {
    /// The token classifier (its name, version and vocabulary are in the report's inputs).
    pub model_id: Uuid,
    /// sha256 of its TorchScript file.
    pub sha256: String,
    /// The free-text columns it read, in dataset order.
    pub columns: Vec<String>,
    /// Scanned cells of those columns it tagged (non-null, at least two words).
    pub cells: u64,
    /// Sequences of `max_tokens` token ids it ran on.
    pub sequences: u64,
    /// Tokens it tagged (padding excluded).
    pub tokens: u64,
}

/// The PII section of an audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PiiReport {
    /// Rows in the dataset.
    pub rows_total: u64,
    /// Rows scanned (all, or the sample).
    pub rows_scanned: u64,
    /// Seed of the row sample, when one was drawn.
    pub sample_seed: Option<u64>,
    /// Minimum confidence applied.
    pub min_confidence: f64,
    /// Entity types looked for.
    pub entities_searched: Vec<String>,
    /// Every scanned column, clean ones included, in dataset order.
    pub columns: Vec<PiiColumn>,
    /// Columns that could not be read as text, with why.
    pub skipped_columns: BTreeMap<String, String>,
    pub totals: PiiTotals,
    /// Quasi-identifier analysis, when columns were given.
    pub quasi_identifiers: Option<QuasiIdentifierRisk>,
    pub risk: PiiRisk,
    /// Each bound of the options checked.
    pub verdicts: Vec<PiiVerdict>,
    /// Worst outcome of `verdicts`.
    pub verdict: Outcome,
    /// The per-cell findings export.
    pub findings_export: FindingsExport,
    /// What the NER model read, when one ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ner: Option<NerScan>,
}

/// Why the scan failed.
#[derive(Debug, thiserror::Error)]
pub enum PiiError {
    #[error(transparent)]
    Option(#[from] PiiOptionError),
    #[error("reading column `{column}` failed: {message}")]
    Read { column: String, message: String },
    #[error("writing the findings export failed: {0}")]
    Export(#[from] std::io::Error),
    #[error("reading the dataset failed: {0}")]
    Dataset(String),
    #[error(transparent)]
    Ner(#[from] NerError),
}

/// One line of the findings export (`GET /v1/reports/{id}/pii-findings`):
/// where a finding is and what it is, redacted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PiiFindingLine<'a> {
    /// Zero-based data row of the dataset.
    row: u64,
    /// Column of the cell.
    column: &'a str,
    /// Entity type found.
    #[schema(value_type = EntityName)]
    entity: &'a str,
    /// Byte offset in the cell where the finding starts.
    start: usize,
    /// Byte offset in the cell where the finding ends (exclusive).
    end: usize,
    /// Confidence in [0, 1].
    #[schema(minimum = 0.0, maximum = 1.0)]
    confidence: f64,
    /// The value as reports may show it, never the raw value.
    redacted: &'a str,
    /// Which detector found it.
    #[schema(value_type = Detector)]
    detector: &'static str,
}

/// Scans `frame` (which must hold every column the options name) and writes
/// one NDJSON line per finding to `export`. Row numbers are zero-based data
/// rows of the dataset (a sample keeps them). The file is read in batches of
/// 65,536 rows, so memory does not grow with its length; lines come batch by
/// batch, and within a batch column by column.
pub fn scan(
    frame: LazyFrame,
    options: &PiiOptions,
    export: &mut dyn Write,
    ner: Option<&NerModel>,
) -> Result<PiiReport, PiiError> {
    let part = scan_part(frame, options, export, None, ner)?;
    finish(part, options)
}

/// The rows a part of a scan covers: `rows` rows from dataset row `offset`
/// of a dataset of `total` rows (which a seeded sample is drawn from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRange {
    /// First dataset row (zero-based); a multiple of 65,536 except for the whole dataset.
    pub offset: u64,
    /// Rows in the part.
    pub rows: u64,
    /// Rows in the whole dataset.
    pub total: u64,
}

/// Sums of finding confidences in fixed point (units of 2^-32), exact and
/// independent of the order parts are added in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ConfidenceSums {
    column: u128,
    entities: BTreeMap<EntityType, u128>,
}

fn fixed_point(mean: f64, findings: usize) -> u128 {
    (mean * findings as f64 * 4_294_967_296.0).round() as u128
}

/// What the PII scan of consecutive rows gathered. Parts of consecutive row
/// ranges, merged in row order (`merge`), hold what one scan of all their
/// rows gathers, and `finish` turns them into the report section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PiiPartial {
    /// Scanned columns in dataset order, with their summary so far.
    columns: Vec<(String, Option<ColumnReport>)>,
    /// Per column.
    confidence: BTreeMap<String, ConfidenceSums>,
    /// Findings per column, entity type and detector.
    #[serde(default)]
    detectors: BTreeMap<String, BTreeMap<EntityType, DetectorCounts>>,
    /// What the NER model read, when one ran.
    #[serde(default)]
    ner: Option<NerPartial>,
    skipped_columns: BTreeMap<String, String>,
    quasi: Option<QuasiIdentifierCounter>,
    sampled: bool,
    /// One past the last dataset row covered.
    rows_end: u64,
    rows_scanned: u64,
    rows_affected: u64,
    exported: u64,
}

/// What the NER model read in a part of a scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct NerPartial {
    model_id: Uuid,
    sha256: String,
    /// Free-text columns, in dataset order (the same in every part: the rule reads the schema).
    columns: Vec<String>,
    counts: NerCounts,
}

impl PiiPartial {
    /// Findings written to the export.
    pub fn exported(&self) -> u64 {
        self.exported
    }

    /// Adds the part that covers the rows right after this one's.
    pub fn merge(&mut self, next: Self) {
        for (name, reason) in next.skipped_columns {
            self.skipped_columns.entry(name).or_insert(reason);
        }
        let mut next_columns: BTreeMap<String, Option<ColumnReport>> =
            next.columns.into_iter().collect();
        for (name, summary) in &mut self.columns {
            if self.skipped_columns.contains_key(name.as_str()) {
                *summary = None;
                continue;
            }
            if let Some(Some(later)) = next_columns.remove(name.as_str()) {
                *summary = Some(match summary.take() {
                    None => later,
                    Some(total) => merge(total, later),
                });
            }
        }
        for (name, sums) in next.confidence {
            let mine = self.confidence.entry(name).or_default();
            mine.column += sums.column;
            for (entity, sum) in sums.entities {
                *mine.entities.entry(entity).or_default() += sum;
            }
        }
        for (name, entities) in next.detectors {
            let mine = self.detectors.entry(name).or_default();
            for (entity, counts) in entities {
                mine.entry(entity).or_default().add(counts);
            }
        }
        self.ner = match (self.ner.take(), next.ner) {
            (Some(mut mine), Some(theirs)) => {
                mine.counts.add(theirs.counts);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        self.quasi = match (self.quasi.take(), next.quasi) {
            (Some(mut mine), Some(theirs)) => {
                mine.merge(theirs);
                Some(mine)
            }
            (mine, theirs) => mine.or(theirs),
        };
        self.rows_end = self.rows_end.max(next.rows_end);
        self.rows_scanned += next.rows_scanned;
        self.rows_affected += next.rows_affected;
        self.exported += next.exported;
    }
}

/// What a scan has gathered so far, batch after batch.
struct Progress<'a> {
    scanner: Scanner,
    /// The NER model's run, when one reads the free-text columns.
    ner: Option<NerPass<'a>>,
    /// The free-text columns it reads.
    ner_columns: BTreeSet<String>,
    max_bytes: usize,
    export: &'a mut dyn Write,
    quasi_columns: Vec<String>,
    /// Sorted dataset rows of the sample, when sampling.
    sample: Option<Vec<usize>>,
    rows_seen: usize,
    gathered: PiiPartial,
}

impl Progress<'_> {
    /// Scans one batch of rows (whose first row is dataset row `rows_seen`).
    fn batch(&mut self, batch: &DataFrame, max_rows: usize) -> Result<(), PiiError> {
        let first_row = self.rows_seen;
        let gathered = &mut self.gathered;
        let height = batch.height();
        let picked: Vec<usize> = match &self.sample {
            None => (0..height).collect(),
            Some(rows) => {
                let from = rows.partition_point(|&r| r < first_row);
                let to = rows.partition_point(|&r| r < first_row + height);
                rows[from..to].iter().map(|r| r - first_row).collect()
            }
        };
        let mut affected = vec![false; picked.len()];
        for (name, summary) in &mut gathered.columns {
            if gathered.skipped_columns.contains_key(name.as_str()) {
                continue;
            }
            let text = match text_column(batch, name) {
                Ok(text) => text,
                Err(message) => {
                    gathered.skipped_columns.insert(name.clone(), message);
                    *summary = None;
                    continue;
                }
            };
            let mut chunk_start = 0;
            while chunk_start < picked.len() {
                let mut cells: Vec<Option<&str>> = Vec::new();
                let mut bytes = 0;
                while chunk_start + cells.len() < picked.len()
                    && cells.len() < max_rows
                    && (cells.is_empty() || bytes < self.max_bytes)
                {
                    let cell = text.get(picked[chunk_start + cells.len()]);
                    bytes += cell.map_or(0, str::len);
                    cells.push(cell);
                }
                let (mut report, detectors) = match &mut self.ner {
                    Some(ner) if self.ner_columns.contains(name.as_str()) => {
                        let (spans, counts) = ner.spans(&cells)?;
                        if let Some(read) = &mut gathered.ner {
                            read.counts.add(counts);
                        }
                        scan_with_model(&self.scanner, name, &cells, &spans)
                    }
                    _ => {
                        let report = self.scanner.scan_column(name, &cells);
                        let detectors = vec![Detector::Rules; report.findings.len()];
                        (report, detectors)
                    }
                };
                let by_detector = gathered.detectors.entry(name.clone()).or_default();
                for (cell, detector) in report.findings.iter().zip(detectors) {
                    let position = chunk_start + cell.row;
                    affected[position] = true;
                    by_detector
                        .entry(cell.finding.entity)
                        .or_default()
                        .count(detector);
                    let line = PiiFindingLine {
                        row: (first_row + picked[position]) as u64,
                        column: name,
                        entity: cell.finding.entity.as_str(),
                        start: cell.finding.start,
                        end: cell.finding.end,
                        confidence: cell.finding.confidence,
                        redacted: &cell.finding.redacted,
                        detector: detector.as_str(),
                    };
                    serde_json::to_writer(&mut *self.export, &line)
                        .map_err(std::io::Error::from)?;
                    self.export.write_all(b"\n")?;
                    gathered.exported += 1;
                }
                report.findings.clear();
                let sums = gathered.confidence.entry(name.clone()).or_default();
                let findings: usize = report.entities.iter().map(|e| e.findings).sum();
                sums.column += fixed_point(report.mean_confidence, findings);
                for entity in &report.entities {
                    *sums.entities.entry(entity.entity).or_default() +=
                        fixed_point(entity.mean_confidence, entity.findings);
                }
                *summary = Some(match summary.take() {
                    None => report,
                    Some(total) => merge(total, report),
                });
                chunk_start += cells.len();
            }
        }
        if let Some(counter) = &mut gathered.quasi {
            count_quasi_identifiers(counter, batch, &self.quasi_columns)?;
        }
        self.rows_seen += height;
        gathered.rows_end = self.rows_seen as u64;
        gathered.rows_scanned += picked.len() as u64;
        gathered.rows_affected += affected.iter().filter(|a| **a).count() as u64;
        Ok(())
    }
}

/// Scans one chunk of a free-text column with the model's `spans` of each
/// cell joining the rules' candidates; each finding comes with its detector:
/// `rules` when the rules alone find it (same span, entity and confidence),
/// else `model`.
fn scan_with_model(
    scanner: &Scanner,
    name: &str,
    cells: &[Option<&str>],
    spans: &[Vec<ClassifiedSpan>],
) -> (ColumnReport, Vec<Detector>) {
    const RUN: usize = 256;
    let ctx = ColumnContext::from_name(name);
    let found: Vec<(CellFinding, Detector)> = cells
        .par_chunks(RUN)
        .zip(spans.par_chunks(RUN))
        .enumerate()
        .flat_map_iter(|(k, (run, spans))| {
            let mut out = Vec::new();
            for (i, (cell, spans)) in run.iter().zip(spans).enumerate() {
                let Some(text) = cell else { continue };
                let row = k * RUN + i;
                let rules = scanner.scan_cell_ctx(&ctx, name, text);
                if spans.is_empty() {
                    out.extend(
                        rules
                            .into_iter()
                            .map(|finding| (CellFinding { row, finding }, Detector::Rules)),
                    );
                    continue;
                }
                let with_model = scanner
                    .clone()
                    .with_classifier(Arc::new(CellSpans(spans.clone())))
                    .scan_cell_ctx(&ctx, name, text);
                out.extend(with_model.into_iter().map(|finding| {
                    let detector = if rules.contains(&finding) {
                        Detector::Rules
                    } else {
                        Detector::Model
                    };
                    (CellFinding { row, finding }, detector)
                }));
            }
            out
        })
        .collect();
    let non_null = cells.iter().filter(|c| c.is_some()).count();
    let (findings, detectors): (Vec<CellFinding>, Vec<Detector>) = found.into_iter().unzip();
    (
        probity_pii::summarize(name, cells.len(), non_null, findings),
        detectors,
    )
}

/// Whether the NER model reads a column: a text column whose name points at
/// no entity type but person names and addresses (`email`, `ssn` or `ip`
/// columns hold structured values the rules find).
fn is_free_text_column(name: &str, dtype: &DataType) -> bool {
    matches!(dtype, DataType::String)
        && ColumnContext::from_name(name)
            .entities()
            .iter()
            .all(|e| matches!(e, EntityType::PersonName | EntityType::StreetAddress))
}

/// Scans the rows of `frame`: all of a dataset, or (with `range`) the part
/// of it that `frame` holds, with the NER model over the free-text columns
/// when one is given (it must be the one `options.ner_model_id` names).
/// Findings lines name dataset rows.
pub fn scan_part(
    frame: LazyFrame,
    options: &PiiOptions,
    export: &mut dyn Write,
    range: Option<RowRange>,
    ner: Option<&NerModel>,
) -> Result<PiiPartial, PiiError> {
    scan_in_chunks(
        frame,
        options,
        export,
        (CHUNK_ROWS, CHUNK_BYTES),
        range,
        ner,
    )
}

/// `scan_part` with chunks of at most `limits.0` rows and (beyond their
/// first cell) `limits.1` bytes of text.
fn scan_in_chunks<'a>(
    mut frame: LazyFrame,
    options: &PiiOptions,
    export: &'a mut dyn Write,
    (max_rows, max_bytes): (usize, usize),
    range: Option<RowRange>,
    ner: Option<&'a NerModel>,
) -> Result<PiiPartial, PiiError> {
    options.validate()?;
    if options.ner_model_id != ner.map(|m| m.input.id) {
        return Err(option_error(
            "ner_model_id",
            None,
            "the NER model given to the scan is not the one ner_model_id names",
        )
        .into());
    }
    let entities = options.entity_types()?;
    let scanner = Scanner::new(ScanConfig {
        min_confidence: options.min_confidence,
        entities: entities.clone(),
        phone_regions: options.phone_regions.clone(),
    });
    let schema = frame.collect_schema().map_err(dataset_error)?;
    let scanned = |c: &str| {
        options
            .columns
            .as_ref()
            .is_none_or(|wanted| wanted.iter().any(|n| n == c))
    };
    let columns: Vec<(String, Option<ColumnReport>)> = schema
        .iter_names()
        .filter(|c| scanned(c.as_str()))
        .map(|c| (c.to_string(), None))
        .collect();
    let model_entities = [EntityType::PersonName, EntityType::StreetAddress];
    let ner = ner.filter(|_| {
        entities
            .as_ref()
            .is_none_or(|wanted| wanted.iter().any(|e| model_entities.contains(e)))
    });
    let ner_columns: Vec<String> = match ner {
        None => Vec::new(),
        Some(_) => schema
            .iter()
            .filter(|(name, dtype)| scanned(name.as_str()) && is_free_text_column(name, dtype))
            .map(|(name, _)| name.to_string())
            .collect(),
    };
    let sample = match options.sample_rows {
        None => None,
        Some(_) => {
            let height = match range {
                Some(range) => range.total,
                None => row_count(&frame)?,
            };
            sample_rows(height as usize, options.sample_rows, options.seed)
        }
    };
    let offset = range.map_or(0, |r| r.offset);
    let quasi_columns = options.quasi_identifiers.clone();
    let mut progress = Progress {
        scanner,
        ner: ner.filter(|_| !ner_columns.is_empty()).map(NerPass::new),
        ner_columns: ner_columns.iter().cloned().collect(),
        max_bytes,
        export,
        gathered: PiiPartial {
            columns,
            confidence: BTreeMap::new(),
            detectors: BTreeMap::new(),
            ner: ner.map(|model| NerPartial {
                model_id: model.input.id,
                sha256: model.input.sha256.clone(),
                columns: ner_columns,
                counts: NerCounts::default(),
            }),
            skipped_columns: BTreeMap::new(),
            quasi: (!quasi_columns.is_empty()).then(|| {
                let names: Vec<&str> = quasi_columns.iter().map(String::as_str).collect();
                QuasiIdentifierCounter::new(&names)
            }),
            sampled: sample.is_some(),
            rows_end: offset,
            rows_scanned: 0,
            rows_affected: 0,
            exported: 0,
        },
        quasi_columns,
        sample,
        rows_seen: offset as usize,
    };
    for_each_batch(frame, BATCH_ROWS, |batch| progress.batch(&batch, max_rows))?;
    progress.export.flush()?;
    if let Some(pass) = progress.ner.take() {
        pass.finish()?;
    }
    Ok(progress.gathered)
}

/// The report section from the merged parts of every row.
pub fn finish(gathered: PiiPartial, options: &PiiOptions) -> Result<PiiReport, PiiError> {
    let entities = options.entity_types()?;
    let scanned = gathered.rows_scanned as usize;
    let no_detectors = BTreeMap::new();
    let columns: Vec<PiiColumn> = gathered
        .columns
        .iter()
        .filter(|(name, _)| !gathered.skipped_columns.contains_key(name.as_str()))
        .map(|(name, summary)| {
            let by_detector = gathered.detectors.get(name).unwrap_or(&no_detectors);
            let mut detectors = vec![Detector::Rules];
            if gathered
                .ner
                .as_ref()
                .is_some_and(|n| n.columns.contains(name))
            {
                detectors.push(Detector::Model);
            }
            let summary = match summary {
                Some(summary) => {
                    let mut summary = summary.clone();
                    let none = ConfidenceSums::default();
                    let sums = gathered.confidence.get(name.as_str()).unwrap_or(&none);
                    exact_confidences(&mut summary, sums);
                    summary
                }
                None => probity_pii::summarize(name, 0, 0, Vec::new()),
            };
            column_section(&summary, scanned, by_detector, detectors)
        })
        .collect();
    let quasi = gathered
        .quasi
        .map(|counter| quasi_identifier_risk(counter.finish()));
    let scanned = scanned as u64;
    let totals = totals(&columns, gathered.rows_affected, scanned);
    let verdicts = verdicts(&columns, quasi.as_ref(), options, scanned);
    let verdict = if scanned == 0 {
        Outcome::Inconclusive
    } else {
        worst(verdicts.iter().map(|v| v.outcome))
    };
    Ok(PiiReport {
        rows_total: gathered.rows_end,
        rows_scanned: scanned,
        sample_seed: gathered.sampled.then_some(options.seed),
        min_confidence: options.min_confidence,
        entities_searched: entities
            .unwrap_or_else(|| EntityType::ALL.to_vec())
            .into_iter()
            .map(|e| e.as_str().to_string())
            .collect(),
        risk: risk(&totals, quasi.as_ref(), options.min_k_anonymity),
        columns,
        skipped_columns: gathered.skipped_columns,
        totals,
        quasi_identifiers: quasi,
        verdicts,
        verdict,
        findings_export: FindingsExport {
            findings: gathered.exported,
            sha256: None,
        },
        ner: gathered.ner.map(|read| NerScan {
            model_id: read.model_id,
            sha256: read.sha256,
            columns: read.columns,
            cells: read.counts.cells,
            sequences: read.counts.sequences,
            tokens: read.counts.tokens,
        }),
    })
}

/// Sets a merged summary's mean confidences from the exact sums (chunk
/// means are not merged: averaging them would depend on how the rows were split).
fn exact_confidences(summary: &mut ColumnReport, sums: &ConfidenceSums) {
    let mean = |sum: u128, findings: usize| {
        if findings == 0 {
            0.0
        } else {
            sum as f64 / 4_294_967_296.0 / findings as f64
        }
    };
    let findings: usize = summary.entities.iter().map(|e| e.findings).sum();
    summary.mean_confidence = mean(sums.column, findings);
    for entity in &mut summary.entities {
        let sum = sums.entities.get(&entity.entity).copied().unwrap_or(0);
        entity.mean_confidence = mean(sum, entity.findings);
    }
}

fn dataset_error(error: PolarsError) -> PiiError {
    PiiError::Dataset(probity_fairness::polars_errors::describe(&error))
}

impl From<PolarsError> for PiiError {
    fn from(error: PolarsError) -> Self {
        dataset_error(error)
    }
}

/// Sorted row indices of a seeded sample, or `None` to scan every row.
fn sample_rows(height: usize, sample: Option<u64>, seed: u64) -> Option<Vec<usize>> {
    let wanted = usize::try_from(sample?).unwrap_or(usize::MAX);
    if wanted >= height {
        return None;
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut rows = rand::seq::index::sample(&mut rng, height, wanted).into_vec();
    rows.sort_unstable();
    Some(rows)
}

/// The column as text (numbers and dates rendered as polars prints them), in one chunk.
fn text_column(frame: &DataFrame, name: &str) -> Result<StringChunked, String> {
    let column = frame.column(name).map_err(|e| e.to_string())?;
    let text = column
        .cast(&DataType::String)
        .map_err(|e| format!("cannot be read as text: {e}"))?;
    let text = text.str().map_err(|e| e.to_string())?;
    Ok(text.rechunk().into_owned())
}

/// Adds a later chunk's summary to the running one (chunks hold disjoint
/// rows). Mean confidences are left to `finish`, which takes them from the
/// exact sums (`ConfidenceSums`).
fn merge(total: ColumnReport, chunk: ColumnReport) -> ColumnReport {
    let rows = total.rows + chunk.rows;
    let rows_affected = total.rows_affected + chunk.rows_affected;
    let share = |n: usize| {
        if rows == 0 {
            0.0
        } else {
            n as f64 / rows as f64
        }
    };
    let mut entities: BTreeMap<EntityType, EntitySummary> =
        total.entities.into_iter().map(|e| (e.entity, e)).collect();
    for next in chunk.entities {
        match entities.get_mut(&next.entity) {
            None => {
                entities.insert(next.entity, next);
            }
            Some(entry) => {
                entry.findings += next.findings;
                entry.rows_affected += next.rows_affected;
                add_examples(&mut entry.examples, next.examples);
            }
        }
    }
    let entities: Vec<EntitySummary> = entities
        .into_values()
        .map(|mut e| {
            e.share_rows = share(e.rows_affected);
            e
        })
        .collect();
    let mut examples = total.examples;
    add_examples(&mut examples, chunk.examples);
    ColumnReport {
        column: total.column,
        rows,
        non_null_rows: total.non_null_rows + chunk.non_null_rows,
        rows_affected,
        share_affected: share(rows_affected),
        mean_confidence: total.mean_confidence,
        entities,
        examples,
        findings: Vec::new(),
    }
}

fn add_examples(list: &mut Vec<String>, more: Vec<String>) {
    for example in more {
        if list.len() >= MAX_EXAMPLES {
            break;
        }
        if !list.contains(&example) {
            list.push(example);
        }
    }
}

fn column_section(
    summary: &ColumnReport,
    scanned: usize,
    by_detector: &BTreeMap<EntityType, DetectorCounts>,
    detectors: Vec<Detector>,
) -> PiiColumn {
    let share = |n: usize| {
        if scanned == 0 {
            0.0
        } else {
            n as f64 / scanned as f64
        }
    };
    PiiColumn {
        column: summary.column.clone(),
        rows_scanned: scanned as u64,
        non_null_rows: summary.non_null_rows as u64,
        rows_affected: summary.rows_affected as u64,
        share_affected: share(summary.rows_affected),
        mean_confidence: summary.mean_confidence,
        entities: summary
            .entities
            .iter()
            .map(|e| PiiEntityCount {
                entity: e.entity.as_str().to_string(),
                findings: e.findings as u64,
                rows_affected: e.rows_affected as u64,
                share_rows: share(e.rows_affected),
                mean_confidence: e.mean_confidence,
                examples: e.examples.clone(),
                by_detector: by_detector.get(&e.entity).copied().unwrap_or_default(),
            })
            .collect(),
        examples: summary.examples.clone(),
        detectors,
    }
}

fn totals(columns: &[PiiColumn], rows_affected: u64, scanned: u64) -> PiiTotals {
    let mut by_entity: BTreeMap<String, PiiEntityTotal> = BTreeMap::new();
    for column in columns {
        for entity in &column.entities {
            let total = by_entity
                .entry(entity.entity.clone())
                .or_insert_with(|| PiiEntityTotal {
                    findings: 0,
                    columns: Vec::new(),
                    by_detector: DetectorCounts::default(),
                });
            total.findings += entity.findings;
            total.columns.push(column.column.clone());
            total.by_detector.add(entity.by_detector);
        }
    }
    let mut by_detector = DetectorCounts::default();
    by_entity
        .values()
        .for_each(|e| by_detector.add(e.by_detector));
    PiiTotals {
        by_detector,
        findings: by_entity.values().map(|e| e.findings).sum(),
        rows_affected,
        share_rows_affected: if scanned == 0 {
            0.0
        } else {
            rows_affected as f64 / scanned as f64
        },
        columns_affected: columns
            .iter()
            .filter(|c| c.rows_affected > 0)
            .map(|c| c.column.clone())
            .collect(),
        by_entity,
    }
}

/// Adds a batch's rows to the quasi-identifier counts.
fn count_quasi_identifiers(
    counter: &mut QuasiIdentifierCounter,
    batch: &DataFrame,
    columns: &[String],
) -> Result<(), PiiError> {
    let texts = columns
        .iter()
        .map(|name| {
            text_column(batch, name).map_err(|message| PiiError::Read {
                column: name.clone(),
                message,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    for row in 0..batch.height() {
        counter
            .add(texts.iter().map(|t| t.get(row)))
            .map_err(|e| PiiError::Read {
                column: columns.join(","),
                message: e.to_string(),
            })?;
    }
    Ok(())
}

fn quasi_identifier_risk(report: QuasiIdentifierReport) -> QuasiIdentifierRisk {
    QuasiIdentifierRisk {
        columns: report.columns,
        rows: report.rows as u64,
        equivalence_classes: report.equivalence_classes as u64,
        k_anonymity: report.k_anonymity as u64,
        unique_rows: report.unique_rows as u64,
        unique_share: report.unique_share,
        prosecutor_risk_max: report.prosecutor_risk_max,
        prosecutor_risk_mean: report.prosecutor_risk_mean,
    }
}

fn verdicts(
    columns: &[PiiColumn],
    quasi: Option<&QuasiIdentifierRisk>,
    options: &PiiOptions,
    scanned: u64,
) -> Vec<PiiVerdict> {
    let mut verdicts: Vec<PiiVerdict> = columns
        .iter()
        .map(|column| {
            let found: Vec<&str> = column.entities.iter().map(|e| e.entity.as_str()).collect();
            let within = column.share_affected <= options.max_share_affected;
            let reason = if column.rows_affected == 0 {
                format!("no PII found in {scanned} scanned rows")
            } else {
                format!(
                    "{} of {scanned} scanned rows ({:.2} %) hold {}; the bound is {:.2} %",
                    column.rows_affected,
                    column.share_affected * 100.0,
                    found.join(", "),
                    options.max_share_affected * 100.0
                )
            };
            PiiVerdict {
                check: format!("column:{}", column.column),
                outcome: if within { Outcome::Pass } else { Outcome::Fail },
                reason,
            }
        })
        .collect();
    if let Some(quasi) = quasi {
        let within = quasi.k_anonymity >= options.min_k_anonymity;
        verdicts.push(PiiVerdict {
            check: "k_anonymity".into(),
            outcome: if within { Outcome::Pass } else { Outcome::Fail },
            reason: format!(
                "the smallest class of ({}) has {} rows; the bound is k >= {}",
                quasi.columns.join(", "),
                quasi.k_anonymity,
                options.min_k_anonymity
            ),
        });
    }
    verdicts
}

/// Entity types whose exposure is severe on its own: secrets, government and financial identifiers.
fn is_high_risk(entity: EntityType) -> bool {
    entity.is_secret()
        || entity.is_national_id()
        || matches!(
            entity,
            EntityType::CreditCard
                | EntityType::Iban
                | EntityType::UsSsn
                | EntityType::Passport
                | EntityType::DriversLicence
        )
}

fn risk(totals: &PiiTotals, quasi: Option<&QuasiIdentifierRisk>, min_k: u64) -> PiiRisk {
    let found: BTreeSet<EntityType> = totals
        .by_entity
        .keys()
        .filter_map(|name| EntityType::from_name(name))
        .collect();
    let high: Vec<&str> = found
        .iter()
        .filter(|e| is_high_risk(**e))
        .map(|e| e.as_str())
        .collect();
    let network = [EntityType::Ipv4, EntityType::Ipv6, EntityType::MacAddress];
    let medium: Vec<&str> = found
        .iter()
        .filter(|e| !is_high_risk(**e) && !network.contains(e))
        .map(|e| e.as_str())
        .collect();
    let low: Vec<&str> = found
        .iter()
        .filter(|e| network.contains(e))
        .map(|e| e.as_str())
        .collect();
    let mut reasons = Vec::new();
    let mut level = "none";
    let mut raise = |to: &'static str, reason: String| {
        let rank = |l: &str| {
            ["none", "low", "medium", "high"]
                .iter()
                .position(|x| *x == l)
                .unwrap_or(0)
        };
        if rank(to) > rank(level) {
            level = to;
        }
        reasons.push(reason);
    };
    if !high.is_empty() {
        raise(
            "high",
            format!(
                "secrets, government or financial identifiers found: {}",
                high.join(", ")
            ),
        );
    }
    if !medium.is_empty() {
        raise(
            "medium",
            format!("contact or identity data found: {}", medium.join(", ")),
        );
    }
    if !low.is_empty() {
        raise(
            "low",
            format!("network identifiers found: {}", low.join(", ")),
        );
    }
    if let Some(quasi) = quasi {
        if quasi.rows > 0 && quasi.k_anonymity == 1 {
            raise(
                "high",
                format!(
                    "{} rows are unique on ({})",
                    quasi.unique_rows,
                    quasi.columns.join(", ")
                ),
            );
        } else if quasi.k_anonymity < min_k {
            raise(
                "medium",
                format!("k-anonymity {} is below {min_k}", quasi.k_anonymity),
            );
        }
    }
    if reasons.is_empty() {
        reasons.push("no PII found".into());
    }
    PiiRisk {
        level: level.into(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    fn frame() -> DataFrame {
        df!(
            "id" => [1i64, 2, 3, 4],
            "email" => [Some("jane.doe@example.com"), None, Some("bob@example.org"), Some("no mail here")],
            "zip" => ["10001", "10001", "94105", "94105"],
            "age" => [34i64, 34, 51, 51],
        )
        .unwrap()
    }

    #[test]
    fn counts_rows_columns_and_writes_one_redacted_line_per_finding() {
        let mut export = Vec::new();
        let options = PiiOptions {
            quasi_identifiers: vec!["zip".into(), "age".into()],
            ..PiiOptions::default()
        };
        let report = scan(frame().lazy(), &options, &mut export, None).unwrap();
        let email = report.columns.iter().find(|c| c.column == "email").unwrap();
        assert_eq!(
            (email.rows_scanned, email.non_null_rows, email.rows_affected),
            (4, 3, 2)
        );
        assert_eq!(email.entities[0].entity, "email");
        assert_eq!(report.totals.columns_affected, vec!["email".to_string()]);
        assert_eq!(report.totals.rows_affected, 2);
        assert_eq!(report.verdict, Outcome::Fail);
        assert_eq!(report.risk.level, "medium");
        let quasi = report.quasi_identifiers.unwrap();
        assert_eq!(
            (
                quasi.k_anonymity,
                quasi.equivalence_classes,
                quasi.unique_rows
            ),
            (2, 2, 0)
        );
        let text = String::from_utf8(export).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["row"], 0);
        assert_eq!(lines[1]["row"], 2);
        assert!(!text.contains("jane.doe@example.com") && !text.contains("bob@example.org"));
        assert_eq!(report.findings_export.findings, 2);
    }

    #[test]
    fn a_seeded_sample_is_reproducible_and_keeps_dataset_row_numbers() {
        let height = 10_000;
        let emails: Vec<String> = (0..height)
            .map(|i| format!("user{i}@example.com"))
            .collect();
        let frame = df!("contact" => emails).unwrap();
        let options = PiiOptions {
            sample_rows: Some(100),
            seed: 7,
            ..PiiOptions::default()
        };
        let (mut first, mut second) = (Vec::new(), Vec::new());
        let report = scan(frame.clone().lazy(), &options, &mut first, None).unwrap();
        scan(frame.clone().lazy(), &options, &mut second, None).unwrap();
        assert_eq!(first, second);
        assert_eq!(
            (report.rows_total, report.rows_scanned, report.sample_seed),
            (10_000, 100, Some(7))
        );
        assert_eq!(report.columns[0].rows_affected, 100);
        let rows: Vec<u64> = String::from_utf8(first)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["row"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert!(
            rows.iter().any(|r| *r >= 100),
            "rows are dataset rows, not sample positions"
        );
    }

    #[test]
    fn chunks_merge_into_the_same_summary_as_one_scan() {
        let height = CHUNK_ROWS + 500;
        let cells: Vec<Option<String>> = (0..height)
            .map(|i| {
                (i % 3 != 0)
                    .then(|| format!("call +1 415 555 {:04} or mail u{i}@example.com", i % 10_000))
            })
            .collect();
        let frame = df!("notes" => cells.clone()).unwrap();
        let report = scan(
            frame.clone().lazy(),
            &PiiOptions::default(),
            &mut std::io::sink(),
            None,
        )
        .unwrap();
        let borrowed: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
        let whole = Scanner::new(ScanConfig::default()).scan_column("notes", &borrowed);
        let column = &report.columns[0];
        assert_eq!(column.rows_affected as usize, whole.rows_affected);
        assert_eq!(column.non_null_rows as usize, whole.non_null_rows);
        assert!((column.mean_confidence - whole.mean_confidence).abs() < 1e-12);
        for (mine, theirs) in column.entities.iter().zip(&whole.entities) {
            assert_eq!(
                (
                    mine.entity.as_str(),
                    mine.findings as usize,
                    mine.rows_affected as usize
                ),
                (
                    theirs.entity.as_str(),
                    theirs.findings,
                    theirs.rows_affected
                )
            );
            assert!((mine.mean_confidence - theirs.mean_confidence).abs() < 1e-12);
        }
    }

    #[test]
    fn cells_full_of_emails_are_scanned_in_chunks_of_text_with_exact_counts() {
        // Cells of many e-mails, chunked by text (a few cells a chunk) instead of by rows: the
        // counts and the export are the same as with one chunk for the whole column.
        let cells: Vec<String> = (0..7)
            .map(|c| {
                (0..40)
                    .map(|i| format!("u{c}x{i:03}@example.com "))
                    .collect()
            })
            .collect();
        let frame = df!("notes" => cells).unwrap();
        let (mut by_text, mut whole) = (Vec::new(), Vec::new());
        let options = PiiOptions::default();
        let chunked = scan_in_chunks(
            frame.clone().lazy(),
            &options,
            &mut by_text,
            (100, 1_500),
            None,
            None,
        )
        .and_then(|part| finish(part, &options))
        .unwrap();
        let one = scan_in_chunks(
            frame.lazy(),
            &options,
            &mut whole,
            (100, usize::MAX),
            None,
            None,
        )
        .and_then(|part| finish(part, &options))
        .unwrap();
        assert_eq!(by_text, whole);
        assert_eq!(chunked.findings_export.findings, 7 * 40);
        let (mine, theirs) = (&chunked.columns[0], &one.columns[0]);
        assert_eq!(mine.rows_affected, theirs.rows_affected);
        assert_eq!(mine.examples, theirs.examples);
        assert_eq!(mine.entities[0].findings, 7 * 40);
        assert_eq!(mine.entities[0].findings, theirs.entities[0].findings);
        assert!((mine.mean_confidence - theirs.mean_confidence).abs() < 1e-12);
    }

    #[test]
    fn parts_of_a_scan_merge_into_the_scan_of_all_rows() {
        let height = 2 * BATCH_ROWS + 9_000;
        let notes: Vec<Option<String>> = (0..height)
            .map(|i| match i % 5 {
                0 => None,
                1 => Some(format!(
                    "mail u{i}@example.com or call +44 20 7946 {:04}",
                    i % 10_000
                )),
                2 => Some(format!("card 4111 1111 1111 1111 for order {i}")),
                _ => Some("nothing here".into()),
            })
            .collect();
        let frame = df!(
            "notes" => notes,
            "zip" => (0..height).map(|i| format!("{:05}", i % 97)).collect::<Vec<_>>(),
            "age" => (0..height).map(|i| (i % 60) as i64).collect::<Vec<_>>(),
        )
        .unwrap();
        for options in [
            PiiOptions {
                quasi_identifiers: vec!["zip".into(), "age".into()],
                ..PiiOptions::default()
            },
            PiiOptions {
                sample_rows: Some(50_000),
                seed: 11,
                ..PiiOptions::default()
            },
        ] {
            let mut whole_export = Vec::new();
            let whole = scan(frame.clone().lazy(), &options, &mut whole_export, None).unwrap();
            let (mut merged, mut export): (Option<PiiPartial>, Vec<u8>) = (None, Vec::new());
            let bounds = [0, BATCH_ROWS, 2 * BATCH_ROWS, height];
            for window in bounds.windows(2) {
                let range = RowRange {
                    offset: window[0] as u64,
                    rows: (window[1] - window[0]) as u64,
                    total: height as u64,
                };
                let rows = frame
                    .clone()
                    .lazy()
                    .slice(window[0] as i64, range.rows as IdxSize);
                let part = scan_part(rows, &options, &mut export, Some(range), None).unwrap();
                let part: PiiPartial =
                    serde_json::from_str(&serde_json::to_string(&part).unwrap()).unwrap();
                match &mut merged {
                    None => merged = Some(part),
                    Some(total) => total.merge(part),
                }
            }
            let merged = finish(merged.unwrap(), &options).unwrap();
            assert_eq!(export, whole_export, "the same lines in the same order");
            assert_eq!(
                serde_json::to_value(&merged).unwrap(),
                serde_json::to_value(&whole).unwrap()
            );
            assert!(whole.totals.findings > 0);
        }
    }

    #[test]
    fn bad_options_name_the_option() {
        let bad = PiiOptions {
            entities: Some(vec!["emails".into()]),
            ..PiiOptions::default()
        };
        let error = bad.validate().unwrap_err();
        assert_eq!(error.field, "checks.pii.entities");
        assert!(error.detail.contains("unknown entity type `emails`"));
        let bad = PiiOptions {
            min_confidence: 1.5,
            ..PiiOptions::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().field,
            "checks.pii.min_confidence"
        );
    }
}
