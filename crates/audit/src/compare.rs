//! Comparing two audit reports: every headline figure side by side with its
//! change, and which verdicts flipped. Pure: reports in, comparison out.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::report::AuditReport;
use probity_fairness::policy::Outcome;

/// What identifies one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ComparedReport {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub verdict: Outcome,
    /// sha256 of the dataset file audited.
    pub dataset_sha256: String,
    /// sha256 of the model run, when the audit ran one.
    pub model_sha256: Option<String>,
}

/// One figure in both reports.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FigureChange {
    /// Sensitive features joined by `+`, or `overall` / `pii`.
    pub grouping: String,
    pub figure: String,
    /// Value in the base report (null: undefined or absent).
    pub base: Option<f64>,
    /// Value in the head report.
    pub head: Option<f64>,
    /// `head − base`, when both are defined.
    pub change: Option<f64>,
    pub base_ci: Option<[f64; 2]>,
    pub head_ci: Option<[f64; 2]>,
}

/// One pass/fail check in both reports.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CheckChange {
    /// `<grouping>: <figure>` or `pii: <check>`.
    pub check: String,
    /// Outcome in the base report (null: not checked there).
    pub base: Option<Outcome>,
    pub head: Option<Outcome>,
    /// Checked in both and the outcome differs.
    pub flipped: bool,
}

/// Two reports compared.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReportComparison {
    pub base: ComparedReport,
    pub head: ComparedReport,
    /// The overall verdict changed.
    pub verdict_flipped: bool,
    /// Same dataset file in both.
    pub same_dataset: bool,
    /// Same model file in both (or neither ran a model).
    pub same_model: bool,
    /// Same fairness policy bounds in both.
    pub same_policy: bool,
    /// Every headline figure of either report, base order first.
    pub figures: Vec<FigureChange>,
    /// Every check of either report.
    pub checks: Vec<CheckChange>,
}

fn side(report: &AuditReport) -> ComparedReport {
    ComparedReport {
        id: report.id,
        created_at: report.created_at,
        verdict: report.verdict,
        dataset_sha256: report.inputs.dataset.sha256.clone(),
        model_sha256: report.inputs.model.as_ref().map(|m| m.sha256.clone()),
    }
}

/// Compares `head` against `base`.
pub fn compare(base: &AuditReport, head: &AuditReport) -> ReportComparison {
    let mut figures: Vec<FigureChange> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (is_head, entries) in [
        (false, base.headline_figures()),
        (true, head.headline_figures()),
    ] {
        for entry in entries {
            let slot = *index
                .entry((entry.grouping.clone(), entry.figure.clone()))
                .or_insert_with(|| {
                    figures.push(FigureChange {
                        grouping: entry.grouping.clone(),
                        figure: entry.figure.clone(),
                        base: None,
                        head: None,
                        change: None,
                        base_ci: None,
                        head_ci: None,
                    });
                    figures.len() - 1
                });
            let change = &mut figures[slot];
            if is_head {
                (change.head, change.head_ci) = (entry.value, entry.ci);
            } else {
                (change.base, change.base_ci) = (entry.value, entry.ci);
            }
        }
    }
    for change in &mut figures {
        change.change = change.base.zip(change.head).map(|(b, h)| h - b);
    }

    let mut checks: Vec<CheckChange> = Vec::new();
    for (is_head, entries) in [(false, base.checks()), (true, head.checks())] {
        for (check, outcome) in entries {
            let position = checks
                .iter()
                .position(|c| c.check == check)
                .unwrap_or_else(|| {
                    checks.push(CheckChange {
                        check,
                        base: None,
                        head: None,
                        flipped: false,
                    });
                    checks.len() - 1
                });
            let slot = &mut checks[position];
            if is_head {
                slot.head = Some(outcome)
            } else {
                slot.base = Some(outcome)
            }
        }
    }
    for check in &mut checks {
        check.flipped = matches!((check.base, check.head), (Some(b), Some(h)) if b != h);
    }

    let (base_side, head_side) = (side(base), side(head));
    ReportComparison {
        verdict_flipped: base.verdict != head.verdict,
        same_dataset: base_side.dataset_sha256 == head_side.dataset_sha256,
        same_model: base_side.model_sha256 == head_side.model_sha256,
        same_policy: base.fairness.as_ref().map(|f| &f.policy)
            == head.fairness.as_ref().map(|f| &f.policy),
        base: base_side,
        head: head_side,
        figures,
        checks,
    }
}
