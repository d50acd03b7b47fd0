//! Span-overlap evaluation against labeled data (used by the corpus test
//! and the benchmark binary).

use crate::entity::EntityType;
use crate::scanner::Finding;
use std::collections::BTreeMap;

/// A ground-truth span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    /// Entity type.
    pub entity: EntityType,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// Counts for one entity type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions overlapping a truth span of the same type.
    pub tp_pred: usize,
    /// Predictions overlapping no truth span of the same type.
    pub fp: usize,
    /// Truth spans overlapped by a prediction of the same type.
    pub tp_truth: usize,
    /// Truth spans no prediction of the same type overlaps.
    pub fn_: usize,
}

impl Counts {
    /// tp_pred / (tp_pred + fp); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        let d = self.tp_pred + self.fp;
        if d == 0 {
            1.0
        } else {
            self.tp_pred as f64 / d as f64
        }
    }
    /// tp_truth / (tp_truth + fn); 1 when there is no truth.
    pub fn recall(&self) -> f64 {
        let d = self.tp_truth + self.fn_;
        if d == 0 {
            1.0
        } else {
            self.tp_truth as f64 / d as f64
        }
    }
}

/// Per-entity counts, accumulated over cells.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Counts per entity type.
    pub per_entity: BTreeMap<EntityType, Counts>,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl Evaluation {
    /// Adds one cell: its truth spans and the predicted (entity, start, end).
    pub fn add(&mut self, truth: &[Truth], predicted: &[(EntityType, usize, usize)]) {
        for &(e, s, en) in predicted {
            let c = self.per_entity.entry(e).or_default();
            if truth
                .iter()
                .any(|t| t.entity == e && overlaps((s, en), (t.start, t.end)))
            {
                c.tp_pred += 1;
            } else {
                c.fp += 1;
            }
        }
        for t in truth {
            let c = self.per_entity.entry(t.entity).or_default();
            if predicted
                .iter()
                .any(|&(e, s, en)| e == t.entity && overlaps((s, en), (t.start, t.end)))
            {
                c.tp_truth += 1;
            } else {
                c.fn_ += 1;
            }
        }
    }

    /// Adds one cell scanned by a [`crate::Scanner`].
    pub fn add_findings(&mut self, truth: &[Truth], findings: &[Finding]) {
        let p: Vec<(EntityType, usize, usize)> = findings
            .iter()
            .map(|f| (f.entity, f.start, f.end))
            .collect();
        self.add(truth, &p);
    }

    /// A fixed-width text table: entity, truth, predicted, precision, recall.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<22} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7}\n",
            "entity", "truth", "pred", "fp", "fn", "precision", "recall"
        );
        for (e, c) in &self.per_entity {
            s += &format!(
                "{:<22} {:>6} {:>6} {:>6} {:>6} {:>9.3} {:>7.3}\n",
                e.as_str(),
                c.tp_truth + c.fn_,
                c.tp_pred + c.fp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall()
            );
        }
        s
    }
}
