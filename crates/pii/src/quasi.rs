//! Quasi-identifier analysis: k-anonymity, unique rows, prosecutor risk.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Re-identification risk of a set of quasi-identifier columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuasiIdentifierReport {
    /// The quasi-identifier columns analysed.
    pub columns: Vec<String>,
    /// Rows analysed.
    pub rows: usize,
    /// Number of equivalence classes (distinct value combinations).
    pub equivalence_classes: usize,
    /// k: the size of the smallest equivalence class (0 when there are no rows).
    pub k_anonymity: usize,
    /// Rows whose combination occurs once.
    pub unique_rows: usize,
    /// `unique_rows / rows`.
    pub unique_share: f64,
    /// Prosecutor risk, worst row: `1 / k`.
    pub prosecutor_risk_max: f64,
    /// Prosecutor risk averaged over rows: mean of `1 / class size`
    /// (= classes / rows).
    pub prosecutor_risk_mean: f64,
}

/// Error of [`quasi_identifiers`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QuasiIdentifierError {
    /// A row does not have one value per column.
    #[error("row {row} has {got} values, expected {expected}")]
    RowWidth {
        /// Zero-based row index.
        row: usize,
        /// Values in the row.
        got: usize,
        /// Number of columns.
        expected: usize,
    },
}

/// Equivalence classes counted row by row, so a table can be fed in batches;
/// memory grows with the distinct combinations, not with the rows. A class
/// is kept as 128 bits of the sha256 of its values, never the values
/// themselves, so a counter (serialised to travel from a shard to its merge)
/// holds no cell value. Counters of disjoint rows merge exactly.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "CounterData", from = "CounterData")]
pub struct QuasiIdentifierCounter {
    columns: Vec<String>,
    classes: HashMap<u128, usize>,
    rows: usize,
}

/// `QuasiIdentifierCounter` as lists, for JSON (class digests in hex).
#[derive(Serialize, Deserialize)]
struct CounterData {
    columns: Vec<String>,
    classes: Vec<(String, usize)>,
    rows: usize,
}

impl From<QuasiIdentifierCounter> for CounterData {
    fn from(counter: QuasiIdentifierCounter) -> Self {
        let mut classes: Vec<(u128, usize)> = counter.classes.into_iter().collect();
        classes.sort_unstable();
        Self {
            columns: counter.columns,
            classes: classes
                .into_iter()
                .map(|(digest, n)| (format!("{digest:032x}"), n))
                .collect(),
            rows: counter.rows,
        }
    }
}

impl From<CounterData> for QuasiIdentifierCounter {
    fn from(data: CounterData) -> Self {
        Self {
            columns: data.columns,
            classes: data
                .classes
                .into_iter()
                .map(|(digest, n)| (u128::from_str_radix(&digest, 16).unwrap_or_default(), n))
                .collect(),
            rows: data.rows,
        }
    }
}

/// 128 bits of the sha256 of a row's values, each written unambiguously
/// (a null as one byte; a value as a marker, its length and its bytes).
fn class_digest<S: AsRef<str>>(values: impl IntoIterator<Item = Option<S>>) -> (u128, usize) {
    let mut hasher = Sha256::new();
    let mut width = 0;
    for value in values {
        width += 1;
        match value {
            None => hasher.update([0u8]),
            Some(text) => {
                let bytes = text.as_ref().as_bytes();
                hasher.update([1u8]);
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
        }
    }
    let digest = hasher.finalize();
    let mut high = [0u8; 16];
    high.copy_from_slice(&digest[..16]);
    (u128::from_le_bytes(high), width)
}

impl QuasiIdentifierCounter {
    /// Adds the classes of another counter of the same columns over other rows.
    pub fn merge(&mut self, other: Self) {
        for (digest, n) in other.classes {
            *self.classes.entry(digest).or_insert(0) += n;
        }
        self.rows += other.rows;
    }

    /// A counter for the quasi-identifier `columns`.
    pub fn new(columns: &[&str]) -> Self {
        Self {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            classes: HashMap::new(),
            rows: 0,
        }
    }

    /// Counts one row's values of the columns, in their order. A null
    /// (`None`) is a value of its own (it groups with other nulls).
    pub fn add<R, S>(&mut self, row: R) -> Result<(), QuasiIdentifierError>
    where
        R: IntoIterator<Item = Option<S>>,
        S: AsRef<str>,
    {
        let (digest, width) = class_digest(row);
        if width != self.columns.len() {
            return Err(QuasiIdentifierError::RowWidth {
                row: self.rows,
                got: width,
                expected: self.columns.len(),
            });
        }
        *self.classes.entry(digest).or_insert(0) += 1;
        self.rows += 1;
        Ok(())
    }

    /// The report over every row added.
    pub fn finish(self) -> QuasiIdentifierReport {
        let n = self.rows;
        let k = self.classes.values().copied().min().unwrap_or(0);
        let unique = self.classes.values().filter(|&&c| c == 1).count();
        let share = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
        QuasiIdentifierReport {
            columns: self.columns,
            rows: n,
            equivalence_classes: self.classes.len(),
            k_anonymity: k,
            unique_rows: unique,
            unique_share: share(unique as f64),
            prosecutor_risk_max: if k == 0 { 0.0 } else { 1.0 / k as f64 },
            prosecutor_risk_mean: share(self.classes.len() as f64),
        }
    }
}

/// Computes k-anonymity, the share of unique rows and the prosecutor
/// re-identification risk for the quasi-identifier `columns`, given each
/// row's values of those columns in the same order. A null (`None`) is a
/// value of its own (it groups with other nulls).
pub fn quasi_identifiers<I, R, S>(
    columns: &[&str],
    rows: I,
) -> Result<QuasiIdentifierReport, QuasiIdentifierError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = Option<S>>,
    S: AsRef<str>,
{
    let mut counter = QuasiIdentifierCounter::new(columns);
    for row in rows {
        counter.add(row)?;
    }
    Ok(counter.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(z: &str, y: &str, s: Option<&str>) -> Vec<Option<String>> {
        vec![
            Some(z.to_string()),
            Some(y.to_string()),
            s.map(String::from),
        ]
    }

    #[test]
    fn hand_computed_table() {
        // classes: (021,1980,F) x3, (021,1980,M) x2, (100,1975,F) x1, (100,1975,None) x2
        let rows = vec![
            row("021", "1980", Some("F")),
            row("021", "1980", Some("F")),
            row("021", "1980", Some("F")),
            row("021", "1980", Some("M")),
            row("021", "1980", Some("M")),
            row("100", "1975", Some("F")),
            row("100", "1975", None),
            row("100", "1975", None),
        ];
        let r = quasi_identifiers(&["zip", "birth_year", "sex"], rows).unwrap();
        assert_eq!(r.rows, 8);
        assert_eq!(r.equivalence_classes, 4);
        assert_eq!(r.k_anonymity, 1);
        assert_eq!(r.unique_rows, 1);
        assert!((r.unique_share - 0.125).abs() < 1e-12);
        assert!((r.prosecutor_risk_max - 1.0).abs() < 1e-12);
        // mean of 1/size over rows: (3*1/3 + 2*1/2 + 1 + 2*1/2) / 8 = 4/8
        assert!((r.prosecutor_risk_mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn tuples_and_k2() {
        let rows = [("a", "x"), ("a", "x"), ("b", "y"), ("b", "y"), ("b", "y")];
        let r = quasi_identifiers(
            &["c1", "c2"],
            rows.iter().map(|(a, b)| [Some(*a), Some(*b)]),
        )
        .unwrap();
        assert_eq!(r.k_anonymity, 2);
        assert_eq!(r.unique_rows, 0);
        assert!((r.prosecutor_risk_max - 0.5).abs() < 1e-12);
        assert!((r.prosecutor_risk_mean - 0.4).abs() < 1e-12);
    }

    #[test]
    fn errors_and_empty() {
        let e = quasi_identifiers(&["a", "b"], vec![vec![Some("x")]]).unwrap_err();
        assert_eq!(
            e,
            QuasiIdentifierError::RowWidth {
                row: 0,
                got: 1,
                expected: 2
            }
        );
        let r = quasi_identifiers(&["a"], Vec::<Vec<Option<&str>>>::new()).unwrap();
        assert_eq!((r.rows, r.k_anonymity, r.prosecutor_risk_max), (0, 0, 0.0));
    }

    #[test]
    fn a_serialised_counter_holds_no_value_and_merges_exactly() {
        let rows: Vec<[Option<&str>; 2]> = (0..500)
            .map(|i| {
                let zip = ["02139", "10001", "94105"][i % 3];
                [Some(zip), (i % 7 != 0).then_some(["31", "45"][i % 2])]
            })
            .collect();
        let mut whole = QuasiIdentifierCounter::new(&["zip", "age"]);
        let (mut first, mut second) = (whole.clone(), whole.clone());
        for (i, row) in rows.iter().enumerate() {
            whole.add(row.iter().copied()).unwrap();
            let part = if i < 200 { &mut first } else { &mut second };
            part.add(row.iter().copied()).unwrap();
        }
        let json = serde_json::to_string(&first).unwrap();
        for value in ["02139", "10001", "94105", "\"31\"", "\"45\""] {
            assert!(!json.contains(value), "{value} in {json}");
        }
        let mut merged: QuasiIdentifierCounter = serde_json::from_str(&json).unwrap();
        merged.merge(serde_json::from_str(&serde_json::to_string(&second).unwrap()).unwrap());
        assert_eq!(merged.finish(), whole.finish());
        // ("a", "bc") and ("ab", "c") are different classes.
        let mut counter = QuasiIdentifierCounter::new(&["x", "y"]);
        counter.add([Some("a"), Some("bc")]).unwrap();
        counter.add([Some("ab"), Some("c")]).unwrap();
        assert_eq!(counter.finish().equivalence_classes, 2);
    }
}
