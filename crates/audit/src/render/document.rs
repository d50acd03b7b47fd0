//! The report as a neutral document: the sections an auditor reads, in
//! order, with every number formatted once for both HTML and Markdown.

use crate::pii_check::PiiReport;
use crate::report::{AuditReport, ModelTraining, grouping_key};
use probity_fairness::aggregate::{ByMethod, Figure};
use probity_fairness::counts::Metric;
use probity_fairness::policy::Outcome;
use probity_fairness::scores::ThresholdSweep;
use probity_fairness::{FairnessReport, GroupReport, GroupingReport};

use super::StoredFacts;
use super::audit_tables;
use super::charts;

/// A rendered report, format-neutral.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading (level 2 or 3).
    Heading { level: u8, text: String },
    /// The overall verdict with a one-line explanation.
    Verdict { outcome: Outcome, text: String },
    /// A paragraph of plain text.
    Text(String),
    /// Label–value pairs.
    Facts(Vec<(String, String)>),
    /// A table; cells are plain text.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// An SVG chart (HTML only; Markdown shows the tables that carry the same numbers).
    Chart { title: String, svg: String },
}

/// A figure with four decimals, `—` when undefined.
pub fn number(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.4}"),
        _ => "—".into(),
    }
}

/// `value [low, high]`, or just the value without an interval.
pub fn with_interval(value: Option<f64>, ci: Option<[f64; 2]>) -> String {
    match ci {
        Some([low, high]) if value.is_some() => format!("{} [{low:.4}, {high:.4}]", number(value)),
        _ => number(value),
    }
}

fn percent(share: f64) -> String {
    format!("{:.2} %", share * 100.0)
}

/// `equalized_odds_difference` → `Equalized odds difference`.
fn sentence_case(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A group's values, or `all rows` for none.
pub(super) fn group_name(group: &[String]) -> String {
    if group.is_empty() {
        "all rows".into()
    } else {
        group.join(", ")
    }
}

/// `By sex × race`.
pub(super) fn grouping_title(grouping: &GroupingReport) -> String {
    format!("By {}", grouping.features.join(" × "))
}

fn figure_cell(figure: &Figure) -> String {
    match (&figure.value, &figure.reason) {
        (None, Some(reason)) => format!("— ({reason})"),
        _ => with_interval(figure.value, figure.ci),
    }
}

/// Builds the document of a report.
pub fn build(report: &AuditReport, facts: &StoredFacts) -> Document {
    let mut blocks = Vec::new();
    summary(report, &mut blocks);
    inputs(report, facts, &mut blocks);
    if let Some(fairness) = &report.fairness {
        policy(fairness, &mut blocks);
        for grouping in &fairness.groupings {
            fairness_grouping(
                grouping,
                &fairness.options.bootstrap.confidence,
                &mut blocks,
            );
            audit_tables::grouping_tables(grouping, &mut blocks);
        }
        audit_tables::report_tables(fairness, &mut blocks);
        proxies(fairness, &mut blocks);
    }
    if let Some(counterfactual) = &report.counterfactual {
        super::counterfactual::section(counterfactual, &mut blocks);
    }
    if let Some(pii) = &report.pii {
        pii_section(pii, &mut blocks);
    }
    if let Some(training) = report
        .inputs
        .model
        .as_ref()
        .and_then(|m| m.training.as_ref())
    {
        training_section(training, &mut blocks);
    }
    integrity(report, facts, &mut blocks);
    Document {
        title: format!("Audit report {}", report.id),
        blocks,
    }
}

/// Adds a section heading.
pub(super) fn heading(blocks: &mut Vec<Block>, level: u8, text: impl Into<String>) {
    blocks.push(Block::Heading {
        level,
        text: text.into(),
    });
}

fn summary(report: &AuditReport, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Summary");
    let failing: Vec<String> = report
        .checks()
        .into_iter()
        .filter(|(_, o)| *o == Outcome::Fail)
        .map(|(c, _)| c)
        .collect();
    let unsure: Vec<String> = report
        .checks()
        .into_iter()
        .filter(|(_, o)| *o == Outcome::Inconclusive)
        .map(|(c, _)| c)
        .collect();
    let text = match report.verdict {
        Outcome::Pass => "Every check passed within the policy's bounds.".to_string(),
        Outcome::Fail => format!("Failed: {}.", failing.join("; ")),
        Outcome::Inconclusive => format!(
            "No check failed, but these could not be decided: {}.",
            unsure.join("; ")
        ),
    };
    blocks.push(Block::Verdict {
        outcome: report.verdict,
        text,
    });
    let mut rows = report
        .fairness
        .as_ref()
        .map(fairness_headline)
        .unwrap_or_default();
    if let Some(pii) = &report.pii {
        rows.push(vec![
            "PII risk".into(),
            format!("{} ({} findings)", pii.risk.level, pii.totals.findings),
        ]);
    }
    match &report.fairness {
        Some(fairness) => blocks.push(Block::Text(format!(
            "Headline figures over {} ({} rows; intervals are {:.0} % bootstrap intervals):",
            fairness.headline_grouping().features.join(" × "),
            fairness.rows,
            fairness.options.bootstrap.confidence * 100.0
        ))),
        None => blocks.push(Block::Text(
            "A PII-only audit: the fairness check was turned off.".into(),
        )),
    }
    blocks.push(Block::Table {
        header: vec!["Figure".into(), "Value".into()],
        rows,
    });
    let checks: Vec<Vec<String>> = report
        .fairness
        .iter()
        .flat_map(|f| &f.groupings)
        .flat_map(|g| {
            g.verdicts.iter().map(move |v| {
                vec![
                    grouping_key(&g.features),
                    v.figure.clone(),
                    with_interval(v.value, v.ci),
                    format!("{} {}", v.comparison, v.bound),
                    v.outcome.as_str().to_string(),
                    v.reason.clone(),
                ]
            })
        })
        .chain(report.pii.iter().flat_map(|p| {
            p.verdicts.iter().map(|v| {
                vec![
                    "pii".into(),
                    v.check.clone(),
                    String::new(),
                    String::new(),
                    v.outcome.as_str().into(),
                    v.reason.clone(),
                ]
            })
        }))
        .collect();
    heading(blocks, 3, "Checks");
    blocks.push(Block::Table {
        header: ["Grouping", "Check", "Value", "Bound", "Outcome", "Reason"]
            .map(String::from)
            .to_vec(),
        rows: checks,
    });
    if !report.model_input_flags.is_empty() {
        heading(blocks, 3, "Model inputs to review");
        blocks.push(Block::Table {
            header: vec!["Feature".into(), "Why".into()],
            rows: report
                .model_input_flags
                .iter()
                .map(|f| vec![f.feature.clone(), f.reasons.join("; ")])
                .collect(),
        });
    }
}

/// Rows of the summary table: the headline grouping's six figures and the overall rates.
fn fairness_headline(fairness: &FairnessReport) -> Vec<Vec<String>> {
    let mut rows = fairness
        .headline_grouping()
        .aggregates
        .headline_figures()
        .into_iter()
        .map(|(name, figure)| vec![sentence_case(name), figure_cell(figure)])
        .collect::<Vec<_>>();
    rows.push(vec![
        "Accuracy (all rows)".into(),
        number(Some(fairness.overall.rates.accuracy)),
    ]);
    rows.push(vec![
        "Selection rate (all rows)".into(),
        number(Some(fairness.overall.rates.selection_rate)),
    ]);
    if let Some(auc) = &fairness.overall.roc_auc {
        rows.push(vec!["ROC AUC (all rows)".into(), figure_cell(auc)]);
    }
    rows
}

fn inputs(report: &AuditReport, facts: &StoredFacts, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Inputs");
    let inputs = &report.inputs;
    let mut list = vec![
        ("Report".to_string(), facts.id.to_string()),
        ("Created".to_string(), report.created_at.to_rfc3339()),
        (
            "Software".to_string(),
            format!("{} {}", report.software.name, report.software.version),
        ),
        (
            "Dataset".to_string(),
            match inputs.dataset.id {
                Some(id) => format!("{} ({id})", inputs.dataset.name),
                None => inputs.dataset.name.clone(),
            },
        ),
        ("Dataset sha256".to_string(), inputs.dataset.sha256.clone()),
    ];
    if let Some(model) = &inputs.model {
        list.push((
            "Model".into(),
            format!("{} {} ({})", model.name, model.version, model.id),
        ));
        list.push(("Model sha256".into(), model.sha256.clone()));
        list.push(("Model threshold".into(), model.threshold.to_string()));
        list.push(("Model features".into(), model.features.join(", ")));
    }
    if let Some(ner) = &inputs.ner_model {
        list.push((
            "NER model".into(),
            format!("{} {} ({})", ner.name, ner.version, ner.id),
        ));
        list.push(("NER model sha256".into(), ner.sha256.clone()));
        list.push((
            "NER vocabulary sha256".into(),
            ner.vocabulary_sha256.clone(),
        ));
        list.push((
            "NER labels".into(),
            format!(
                "{} ({} tokens per sequence)",
                ner.labels.join(", "),
                ner.max_tokens
            ),
        ));
    }
    if let (Some(label), Some(fairness)) = (&inputs.label_column, &report.fairness) {
        list.push((
            "Label column".into(),
            format!("{label} (positive: {})", fairness.positive_label),
        ));
    }
    if let Some(column) = &inputs.prediction_column {
        list.push(("Prediction column".into(), column.clone()));
    }
    if let Some(column) = &inputs.score_column {
        list.push((
            "Score column".into(),
            format!("{column} (threshold {})", number(inputs.threshold)),
        ));
    }
    if !inputs.sensitive_features.is_empty() {
        list.push((
            "Sensitive features".into(),
            inputs.sensitive_features.join(", "),
        ));
    }
    if let Some(column) = &inputs.sample_weight_column {
        list.push(("Sample weights".into(), column.clone()));
    }
    for (feature, value) in &inputs.reference_groups {
        list.push((format!("Reference group of {feature}"), value.clone()));
    }
    blocks.push(Block::Facts(list));
}

fn policy(fairness: &FairnessReport, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Policy and options");
    let policy = &fairness.policy;
    let options = &fairness.options;
    blocks.push(Block::Facts(vec![
        (
            "Demographic parity difference at most".into(),
            policy.demographic_parity_difference_max.to_string(),
        ),
        (
            "Demographic parity ratio at least".into(),
            policy.demographic_parity_ratio_min.to_string(),
        ),
        (
            "Equalized odds difference at most".into(),
            policy.equalized_odds_difference_max.to_string(),
        ),
        (
            "Smallest group in verdicts".into(),
            format!(
                "{} rows{}",
                options.min_group_size,
                if options.include_small_groups_in_verdicts {
                    " (small groups included anyway)"
                } else {
                    ""
                }
            ),
        ),
        (
            "Bootstrap".into(),
            format!(
                "{} resamples, seed {}, {:.0} % intervals",
                options.bootstrap.resamples,
                options.bootstrap.seed,
                options.bootstrap.confidence * 100.0
            ),
        ),
    ]));
}

fn rate_cell(group: &GroupReport, metric: Metric) -> String {
    if group.rates.is_undefined(metric) {
        return "— (no rows to divide by)".into();
    }
    with_interval(
        Some(group.rates.get(metric)),
        group.rate_intervals.as_ref().and_then(|i| i.of(metric)),
    )
}

/// Groups charts show at most (the largest by rows); tables list every group.
const MAX_CHART_GROUPS: usize = 12;
/// Groups the threshold-sweep chart and table show at most (the largest by rows).
const MAX_SWEEP_GROUPS: usize = 8;

/// The `limit` largest groups left in the aggregates, in report order.
fn largest_groups(grouping: &GroupingReport, limit: usize) -> Vec<&GroupReport> {
    let mut kept: Vec<(usize, &GroupReport)> = grouping
        .groups
        .iter()
        .filter(|g| g.dropped.is_none())
        .enumerate()
        .collect();
    kept.sort_by(|a, b| b.1.rows.cmp(&a.1.rows).then(a.0.cmp(&b.0)));
    kept.truncate(limit);
    kept.sort_by_key(|(i, _)| *i);
    kept.into_iter().map(|(_, g)| g).collect()
}

fn shown_of(shown: usize, grouping: &GroupingReport) -> String {
    let total = grouping
        .groups
        .iter()
        .filter(|g| g.dropped.is_none())
        .count();
    if shown < total {
        format!(" — the {shown} largest of {total} groups")
    } else {
        String::new()
    }
}

fn fairness_grouping(grouping: &GroupingReport, confidence: &f64, blocks: &mut Vec<Block>) {
    heading(
        blocks,
        2,
        format!("Fairness — {}", grouping_title(grouping)),
    );
    let charted = largest_groups(grouping, MAX_CHART_GROUPS);
    blocks.push(Block::Chart {
        title: format!(
            "Selection rate, TPR and FPR per group ({:.0} % intervals){}",
            confidence * 100.0,
            shown_of(charted.len(), grouping)
        ),
        svg: charts::group_rates(&charted),
    });
    let with_auc = grouping.groups.iter().any(|g| g.roc_auc.is_some());
    let mut header = [
        "Group",
        "Rows",
        "Selection rate",
        "TPR",
        "FPR",
        "Accuracy",
        "Precision",
    ]
    .map(String::from)
    .to_vec();
    if with_auc {
        header.push("ROC AUC".into());
    }
    header.push("Notes".into());
    let rows = grouping
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![
                group_name(&g.group),
                g.rows.to_string(),
                rate_cell(g, Metric::SelectionRate),
                rate_cell(g, Metric::TruePositiveRate),
                rate_cell(g, Metric::FalsePositiveRate),
                number(Some(g.rates.accuracy)),
                number(Some(g.rates.precision)),
            ];
            if with_auc {
                row.push(
                    g.roc_auc
                        .as_ref()
                        .map(figure_cell)
                        .unwrap_or_else(|| "—".into()),
                );
            }
            let mut notes = Vec::new();
            if g.small {
                notes.push("small: kept out of verdicts".to_string());
            }
            if let Some(why) = &g.dropped {
                notes.push(why.clone());
            }
            row.push(notes.join("; "));
            row
        })
        .collect();
    blocks.push(Block::Table { header, rows });

    heading(blocks, 3, "Aggregates");
    let a = &grouping.aggregates;
    let by_method = |name: &str, m: &ByMethod| {
        vec![
            name.to_string(),
            figure_cell(&m.between_groups),
            figure_cell(&m.to_overall),
        ]
    };
    let rows = vec![
        by_method(
            "Demographic parity difference",
            &a.demographic_parity_difference,
        ),
        by_method("Demographic parity ratio", &a.demographic_parity_ratio),
        by_method(
            "Equalized odds difference (worst case)",
            &a.equalized_odds_difference.worst_case,
        ),
        by_method(
            "Equalized odds difference (mean)",
            &a.equalized_odds_difference.mean,
        ),
        by_method(
            "Equalized odds ratio (worst case)",
            &a.equalized_odds_ratio.worst_case,
        ),
        by_method("Equalized odds ratio (mean)", &a.equalized_odds_ratio.mean),
        by_method(
            "Equal opportunity difference",
            &a.equal_opportunity_difference,
        ),
        by_method("Equal opportunity ratio", &a.equal_opportunity_ratio),
        by_method(
            "False positive rate difference",
            &a.false_positive_rate_difference,
        ),
        by_method("False positive rate ratio", &a.false_positive_rate_ratio),
        by_method(
            "False negative rate difference",
            &a.false_negative_rate_difference,
        ),
        by_method("False negative rate ratio", &a.false_negative_rate_ratio),
        by_method("Accuracy difference", &a.accuracy_difference),
        by_method("Accuracy ratio", &a.accuracy_ratio),
        by_method("Precision difference", &a.precision_difference),
        by_method("Precision ratio", &a.precision_ratio),
    ];
    blocks.push(Block::Table {
        header: vec![
            "Figure".into(),
            "Between groups".into(),
            "To overall".into(),
        ],
        rows,
    });

    let reference = &grouping.reference;
    if !reference.comparisons.is_empty() {
        heading(
            blocks,
            3,
            format!(
                "Against the reference group {} ({})",
                group_name(&reference.group),
                reference.chosen_by.as_str().replace('_', " ")
            ),
        );
        blocks.push(Block::Table {
            header: vec![
                "Group".into(),
                "Disparate impact".into(),
                "Statistical parity difference".into(),
            ],
            rows: reference
                .comparisons
                .iter()
                .map(|c| {
                    vec![
                        group_name(&c.group),
                        figure_cell(&c.disparate_impact),
                        figure_cell(&c.statistical_parity_difference),
                    ]
                })
                .collect(),
        });
    }
    if let Some(sweep) = &grouping.threshold_sweep {
        heading(blocks, 3, "Threshold sweep");
        let shown: Vec<&GroupReport> = largest_groups(grouping, MAX_SWEEP_GROUPS);
        let sweep = &ThresholdSweep {
            thresholds: sweep.thresholds.clone(),
            curves: sweep
                .curves
                .iter()
                .filter(|c| shown.iter().any(|g| g.group == c.group))
                .cloned()
                .collect(),
        };
        blocks.push(Block::Chart {
            title: format!(
                "Rates per group across thresholds{}",
                shown_of(sweep.curves.len(), grouping)
            ),
            svg: charts::threshold_sweep(sweep),
        });
        let mut header = vec!["Threshold".to_string()];
        for curve in &sweep.curves {
            header.push(format!("{}: selection rate", group_name(&curve.group)));
        }
        let rows = sweep
            .thresholds
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut row = vec![format!("{t:.2}")];
                row.extend(
                    sweep
                        .curves
                        .iter()
                        .map(|c| number(c.selection_rate.get(i).copied().flatten())),
                );
                row
            })
            .collect();
        blocks.push(Block::Table { header, rows });
    }
}

fn proxies(fairness: &FairnessReport, blocks: &mut Vec<Block>) {
    let Some(proxies) = &fairness.proxies else {
        return;
    };
    heading(blocks, 2, "Proxy columns");
    blocks.push(Block::Text(format!(
        "Columns that explain at least {} of a sensitive feature's entropy are flagged as possible proxies.",
        percent(proxies.threshold)
    )));
    let mut findings = proxies.findings.clone();
    findings.sort_by(|a, b| b.share_of_entropy.total_cmp(&a.share_of_entropy));
    blocks.push(Block::Table {
        header: [
            "Column",
            "Sensitive feature",
            "Mutual information (bits)",
            "Share of entropy",
            "Flagged",
        ]
        .map(String::from)
        .to_vec(),
        rows: findings
            .iter()
            .map(|f| {
                vec![
                    f.column.clone(),
                    f.sensitive_feature.clone(),
                    number(Some(f.mutual_information_bits)),
                    percent(f.share_of_entropy),
                    if f.flagged { "yes".into() } else { "no".into() },
                ]
            })
            .collect(),
    });
}

fn pii_section(pii: &PiiReport, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Personal data (PII)");
    let mut facts = vec![
        (
            "Risk".to_string(),
            format!("{}: {}", pii.risk.level, pii.risk.reasons.join("; ")),
        ),
        (
            "Rows scanned".to_string(),
            match pii.sample_seed {
                Some(seed) => format!(
                    "{} of {} (sample, seed {seed})",
                    pii.rows_scanned, pii.rows_total
                ),
                None => format!("{} of {}", pii.rows_scanned, pii.rows_total),
            },
        ),
        (
            "Findings".to_string(),
            format!(
                "{} in {} rows ({}); columns: {}",
                pii.totals.findings,
                pii.totals.rows_affected,
                percent(pii.totals.share_rows_affected),
                if pii.totals.columns_affected.is_empty() {
                    "none".into()
                } else {
                    pii.totals.columns_affected.join(", ")
                }
            ),
        ),
        (
            "Minimum confidence".to_string(),
            pii.min_confidence.to_string(),
        ),
    ];
    if let Some(ner) = &pii.ner {
        facts.push((
            "Detectors".into(),
            format!(
                "rules: {} findings; NER model {}: {} findings, reading {} ({} cells, {} tokens)",
                pii.totals.by_detector.rules,
                ner.model_id,
                pii.totals.by_detector.model,
                if ner.columns.is_empty() {
                    "no free-text column".to_string()
                } else {
                    ner.columns.join(", ")
                },
                ner.cells,
                ner.tokens
            ),
        ));
    }
    if let Some(sha256) = &pii.findings_export.sha256 {
        facts.push((
            "Findings export".into(),
            format!(
                "{} lines, sha256 {sha256} (redacted NDJSON)",
                pii.findings_export.findings
            ),
        ));
    }
    blocks.push(Block::Facts(facts));
    let affected: Vec<_> = pii.columns.iter().filter(|c| c.rows_affected > 0).collect();
    if affected.is_empty() {
        blocks.push(Block::Text(
            "No personal data found in the scanned columns.".into(),
        ));
    } else {
        blocks.push(Block::Chart {
            title: "Share of rows with PII, per column".into(),
            svg: charts::pii_columns(pii),
        });
        blocks.push(Block::Table {
            header: [
                "Column",
                "Rows affected",
                "Share",
                "Entity types",
                "Mean confidence",
                "Redacted examples",
            ]
            .map(String::from)
            .to_vec(),
            rows: affected
                .iter()
                .map(|c| {
                    vec![
                        c.column.clone(),
                        c.rows_affected.to_string(),
                        percent(c.share_affected),
                        c.entities
                            .iter()
                            .map(|e| format!("{} ({})", e.entity, e.rows_affected))
                            .collect::<Vec<_>>()
                            .join(", "),
                        number(Some(c.mean_confidence)),
                        c.examples.join(", "),
                    ]
                })
                .collect(),
        });
    }
    if pii.ner.is_some() && !affected.is_empty() {
        blocks.push(Block::Table {
            header: [
                "Column",
                "Entity type",
                "Findings",
                "By rules",
                "By NER model",
            ]
            .map(String::from)
            .to_vec(),
            rows: affected
                .iter()
                .flat_map(|c| {
                    c.entities.iter().map(|e| {
                        vec![
                            c.column.clone(),
                            e.entity.clone(),
                            e.findings.to_string(),
                            e.by_detector.rules.to_string(),
                            e.by_detector.model.to_string(),
                        ]
                    })
                })
                .collect(),
        });
    }
    if let Some(qi) = &pii.quasi_identifiers {
        heading(blocks, 3, "Re-identification risk");
        blocks.push(Block::Facts(vec![
            ("Quasi-identifiers".into(), qi.columns.join(", ")),
            ("k-anonymity".into(), qi.k_anonymity.to_string()),
            (
                "Unique rows".into(),
                format!("{} ({})", qi.unique_rows, percent(qi.unique_share)),
            ),
            (
                "Prosecutor risk".into(),
                format!(
                    "max {}, mean {}",
                    number(Some(qi.prosecutor_risk_max)),
                    number(Some(qi.prosecutor_risk_mean))
                ),
            ),
        ]));
    }
    if !pii.skipped_columns.is_empty() {
        blocks.push(Block::Table {
            header: vec!["Column not scanned".into(), "Why".into()],
            rows: pii
                .skipped_columns
                .iter()
                .map(|(c, why)| vec![c.clone(), why.clone()])
                .collect(),
        });
    }
}

fn training_section(training: &ModelTraining, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Training trade-off");
    blocks.push(Block::Text(format!(
        "The audited model was trained by Probity (job {}). Validation figures of the trained model and, with reweighing, of the baseline trained without mitigation on the same split and seed:",
        training.job_id
    )));
    blocks.push(Block::Table {
        header: [
            "Mitigation",
            "Validation accuracy",
            "Validation AUC",
            "Demographic parity difference",
            "Equalized odds difference",
        ]
        .map(String::from)
        .to_vec(),
        rows: training
            .evaluation
            .iter()
            .map(|e| {
                vec![
                    e.mitigation.as_str().to_string(),
                    number(Some(e.validation_accuracy)),
                    number(e.validation_auc),
                    number(e.demographic_parity_difference),
                    number(e.equalized_odds_difference),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Table {
        header: ["Epoch", "Loss", "Validation accuracy", "Validation AUC"]
            .map(String::from)
            .to_vec(),
        rows: training
            .training_curve
            .iter()
            .map(|s| {
                vec![
                    s.epoch.to_string(),
                    number(Some(s.loss)),
                    number(Some(s.validation_accuracy)),
                    number(s.validation_auc),
                ]
            })
            .collect(),
    });
}

fn integrity(report: &AuditReport, facts: &StoredFacts, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Integrity");
    let mut list = vec![
        (
            "sha256 of the canonical JSON".to_string(),
            facts.sha256.clone(),
        ),
        ("Stored".to_string(), facts.stored_at.to_rfc3339()),
    ];
    match &facts.signature {
        Some(signature) => {
            list.push((
                "Signature".into(),
                format!("{} by key {}", signature.algorithm, signature.key_id),
            ));
            list.push(("Public key".into(), signature.public_key.clone()));
            list.push(("Signature value".into(), signature.signature.clone()));
        }
        None => list.push(("Signature".into(), "not signed".into())),
    }
    list.push((
        "Verify".into(),
        format!("GET /v1/reports/{}/verify", facts.id),
    ));
    blocks.push(Block::Facts(list));
    if !report.timings.is_empty() {
        blocks.push(Block::Table {
            header: vec!["Phase".into(), "Seconds".into()],
            rows: report
                .timings
                .iter()
                .map(|(phase, s)| vec![phase.clone(), format!("{s:.3}")])
                .collect(),
        });
    }
}
