//! Column scans: per-cell findings (for export) and a per-column summary.

use crate::context::ColumnContext;
use crate::entity::EntityType;
use crate::scanner::{Finding, Scanner};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most redacted examples kept per entity and per column.
pub const MAX_EXAMPLES: usize = 5;

/// A finding located in a column: its row index and the finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellFinding {
    /// Zero-based row index in the scanned cells.
    pub row: usize,
    /// The finding (span, entity, confidence, redacted value).
    #[serde(flatten)]
    pub finding: Finding,
}

/// Summary of one entity type in one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitySummary {
    /// The entity type.
    pub entity: EntityType,
    /// Number of findings (a cell may hold several).
    pub findings: usize,
    /// Rows with at least one finding of this type.
    pub rows_affected: usize,
    /// `rows_affected / rows` (0 when the column is empty).
    pub share_rows: f64,
    /// Mean confidence of the findings.
    pub mean_confidence: f64,
    /// Up to [`MAX_EXAMPLES`] distinct redacted values.
    pub examples: Vec<String>,
}

/// The result of scanning one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnReport {
    /// Column name.
    pub column: String,
    /// Number of cells scanned (nulls included).
    pub rows: usize,
    /// Cells that were not null.
    pub non_null_rows: usize,
    /// Rows with at least one finding.
    pub rows_affected: usize,
    /// `rows_affected / rows` (0 when the column is empty).
    pub share_affected: f64,
    /// Mean confidence over all findings (0 when none).
    pub mean_confidence: f64,
    /// Entity types found, with their own counts.
    pub entities: Vec<EntitySummary>,
    /// Up to [`MAX_EXAMPLES`] distinct redacted values over all entities.
    pub examples: Vec<String>,
    /// Every finding with its row index, ordered by row (for export).
    pub findings: Vec<CellFinding>,
}

impl ColumnReport {
    /// The entity types found in the column.
    pub fn entity_types(&self) -> Vec<EntityType> {
        self.entities.iter().map(|e| e.entity).collect()
    }
}

impl Scanner {
    /// Scans every cell of a column in parallel (rayon) and summarizes it.
    /// The column name counts as context for every cell.
    pub fn scan_column(&self, name: &str, cells: &[Option<&str>]) -> ColumnReport {
        let ctx = ColumnContext::from_name(name);
        // Runs of cells per task; within a run the text of a cell a few rows
        // ahead is prefetched: cells are usually separate heap strings, and
        // the first touch of each would otherwise stall on memory.
        const RUN: usize = 256;
        const AHEAD: usize = 6;
        let findings: Vec<CellFinding> = cells
            .par_chunks(RUN)
            .enumerate()
            .flat_map_iter(|(k, run)| {
                let mut out = Vec::new();
                for (i, cell) in run.iter().enumerate() {
                    if let Some(Some(next)) = run.get(i + AHEAD) {
                        prefetch(next.as_bytes());
                    }
                    if let Some(text) = cell {
                        let row = k * RUN + i;
                        out.extend(
                            self.scan_cell_ctx(&ctx, name, text)
                                .into_iter()
                                .map(|finding| CellFinding { row, finding }),
                        );
                    }
                }
                out
            })
            .collect();
        let non_null = cells.iter().filter(|c| c.is_some()).count();
        summarize(name, cells.len(), non_null, findings)
    }
}

/// Hints the CPU to load the first cache line of `b` (no-op elsewhere than x86-64).
#[inline(always)]
fn prefetch(b: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    if !b.is_empty() {
        // SAFETY: a prefetch is only a hint; it never faults or reads into
        // the program state, and the pointer is that of a live slice.
        #[allow(unused_unsafe)]
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(b.as_ptr().cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = b;
}

fn push_example(list: &mut Vec<String>, v: &str) {
    if list.len() < MAX_EXAMPLES && !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

/// Builds a [`ColumnReport`] from findings (ordered by row).
pub fn summarize(
    name: &str,
    rows: usize,
    non_null_rows: usize,
    findings: Vec<CellFinding>,
) -> ColumnReport {
    struct Acc {
        findings: usize,
        rows: usize,
        last_row: Option<usize>,
        conf: f64,
        examples: Vec<String>,
    }
    let mut per: BTreeMap<EntityType, Acc> = BTreeMap::new();
    let mut rows_affected = 0;
    let mut last_row = None;
    let mut conf_sum = 0.0;
    let mut examples = Vec::new();
    for cf in &findings {
        if last_row != Some(cf.row) {
            rows_affected += 1;
            last_row = Some(cf.row);
        }
        conf_sum += cf.finding.confidence;
        push_example(&mut examples, &cf.finding.redacted);
        let a = per.entry(cf.finding.entity).or_insert(Acc {
            findings: 0,
            rows: 0,
            last_row: None,
            conf: 0.0,
            examples: Vec::new(),
        });
        a.findings += 1;
        a.conf += cf.finding.confidence;
        if a.last_row != Some(cf.row) {
            a.rows += 1;
            a.last_row = Some(cf.row);
        }
        push_example(&mut a.examples, &cf.finding.redacted);
    }
    let share = |n: usize| {
        if rows == 0 {
            0.0
        } else {
            n as f64 / rows as f64
        }
    };
    let entities = per
        .into_iter()
        .map(|(entity, a)| EntitySummary {
            entity,
            findings: a.findings,
            rows_affected: a.rows,
            share_rows: share(a.rows),
            mean_confidence: a.conf / a.findings as f64,
            examples: a.examples,
        })
        .collect();
    ColumnReport {
        column: name.to_string(),
        rows,
        non_null_rows,
        rows_affected,
        share_affected: share(rows_affected),
        mean_confidence: if findings.is_empty() {
            0.0
        } else {
            conf_sum / findings.len() as f64
        },
        entities,
        examples,
        findings,
    }
}
