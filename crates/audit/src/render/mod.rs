//! Rendered audit reports. `document` turns a stored report into a neutral
//! document (headings, facts, tables, charts); `html` writes it as one
//! self-contained page with inline SVG, `markdown` as Markdown. Charts are
//! drawn by `charts` with plotters' SVG backend. Pure: no I/O.

pub mod audit_tables;
pub mod charts;
pub mod counterfactual;
pub mod document;
pub mod html;
pub mod markdown;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::report::AuditReport;
use crate::signing::ReportSignature;

/// What the store knows about a report besides its body.
#[derive(Debug, Clone)]
pub struct StoredFacts {
    pub id: Uuid,
    pub stored_at: DateTime<Utc>,
    /// sha256 of the body's canonical JSON, as stored.
    pub sha256: String,
    pub signature: Option<ReportSignature>,
}

/// The report as one self-contained HTML page.
pub fn to_html(report: &AuditReport, facts: &StoredFacts) -> String {
    html::render(&document::build(report, facts))
}

/// The report as Markdown (the same content; charts become their tables).
pub fn to_markdown(report: &AuditReport, facts: &StoredFacts) -> String {
    markdown::render(&document::build(report, facts))
}
