//! Proxy check: how much each non-sensitive column tells about each
//! sensitive feature (mutual information), since dropping the sensitive
//! column does not remove what its proxies carry. Numeric columns are cut
//! into deciles; text columns with more than 100 distinct values are skipped
//! as identifier-like. One streaming pass profiles the candidates with
//! bounded memory (a seeded sample of at most 1,000,000 values per numeric
//! column, at most 101 distinct texts), then one group-by per pair counts.

use std::collections::HashSet;

use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::query::{BATCH_ROWS, CollectStreaming, for_each_batch};

use super::spec::FairnessError;

const BIN: &str = "__probity_proxy_bin";
const SENSITIVE: &str = "__probity_proxy_s";
const COUNT: &str = "__probity_proxy_n";
const MAX_CATEGORIES: usize = 100;

/// What the check found for one (column, sensitive feature) pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProxyFinding {
    /// The candidate proxy column.
    pub column: String,
    /// The sensitive feature.
    pub sensitive_feature: String,
    /// Mutual information in bits.
    pub mutual_information_bits: f64,
    /// Share of the sensitive feature's entropy the column explains (0–1).
    pub share_of_entropy: f64,
    /// Whether the share reaches the configured threshold.
    pub flagged: bool,
}

/// Numeric columns whose decile cuts came from a sample, and how close those cuts are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DecileSample {
    /// Values sampled per column (seeded, uniform over the column's non-null values).
    pub size: u64,
    /// The columns with more values than that, cut at their sample's deciles.
    pub columns: Vec<String>,
    /// With 95 % confidence, each cut lies within this share of the column's values of its
    /// decile's rank.
    pub rank_error_95: f64,
}

/// A column the check could not use, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkippedColumn {
    pub column: String,
    pub reason: String,
}

/// Mutual information (bits) and the entropy of the second variable, from
/// joint counts in any order: they are summed in sorted order, so the same
/// counts give the same bits however a parallel group-by returned them.
pub fn mutual_information(joint: &[(String, String, f64)]) -> (f64, f64) {
    use std::collections::BTreeMap;
    let mut sorted: Vec<&(String, String, f64)> = joint.iter().collect();
    sorted.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let joint = sorted;
    let total: f64 = joint.iter().map(|(_, _, n)| n).sum();
    let mut px: BTreeMap<&str, f64> = BTreeMap::new();
    let mut py: BTreeMap<&str, f64> = BTreeMap::new();
    for &(x, y, n) in &joint {
        *px.entry(x).or_default() += n / total;
        *py.entry(y).or_default() += n / total;
    }
    let mi = joint
        .iter()
        .filter(|(_, _, n)| *n > 0.0)
        .map(|(x, y, n)| {
            let p = n / total;
            p * (p / (px[x.as_str()] * py[y.as_str()])).log2()
        })
        .sum::<f64>()
        .max(0.0);
    let hy = -py
        .values()
        .filter(|p| **p > 0.0)
        .map(|p| p * p.log2())
        .sum::<f64>();
    (mi, hy)
}

/// Values of a numeric column up to which its deciles are exact; beyond,
/// they come from a seeded uniform sample of this many values.
pub const DECILE_SAMPLE: usize = 1_000_000;

/// The 95 % bound on how far (as a share of the values) a cut from the
/// sample may lie from its decile's rank (Dvoretzky–Kiefer–Wolfowitz).
pub fn decile_rank_error_95(sample: usize) -> f64 {
    ((2.0f64 / 0.05).ln() / (2.0 * sample as f64)).sqrt()
}

/// What one pass over a candidate column keeps: a bounded sample of its
/// numbers, or up to `MAX_CATEGORIES + 1` of its distinct texts.
enum ColumnProfile {
    Numeric { sample: Vec<f64>, seen: u64 },
    Categories { distinct: HashSet<String> },
    Unsupported(String),
}

impl ColumnProfile {
    fn new(dtype: &DataType) -> Self {
        if dtype.is_primitive_numeric() {
            Self::Numeric {
                sample: Vec::new(),
                seen: 0,
            }
        } else if matches!(dtype, DataType::String | DataType::Boolean) {
            Self::Categories {
                distinct: HashSet::new(),
            }
        } else {
            Self::Unsupported(format!("type {dtype} is not used by the proxy check"))
        }
    }

    fn add(&mut self, column: &Column, rng: &mut StdRng) -> PolarsResult<()> {
        match self {
            Self::Numeric { sample, seen } => {
                let values = column.cast(&DataType::Float64)?;
                for value in values.f64()?.iter().flatten().filter(|v| !v.is_nan()) {
                    // Reservoir sampling (Algorithm R): every value is kept with equal chance.
                    if sample.len() < DECILE_SAMPLE {
                        sample.push(value);
                    } else {
                        let slot = rng.random_range(0..=*seen);
                        if let Some(kept) = sample.get_mut(slot as usize) {
                            *kept = value;
                        }
                    }
                    *seen += 1;
                }
            }
            Self::Categories { distinct } => {
                if distinct.len() > MAX_CATEGORIES {
                    return Ok(());
                }
                let text = column.cast(&DataType::String)?;
                for value in text.str()?.iter() {
                    distinct.insert(value.unwrap_or("\u{0}null").to_string());
                    if distinct.len() > MAX_CATEGORIES {
                        break;
                    }
                }
            }
            Self::Unsupported(_) => {}
        }
        Ok(())
    }
}

/// Linear-interpolated quantile of sorted values (polars' `QuantileMethod::Linear`).
fn quantile_of_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = q * last as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let (low, high) = (sorted[below], sorted[above.min(last)]);
    Some(low + (high - low) * (position - below as f64))
}

/// The expression giving a candidate's bin, whether its cuts come from a
/// sample, or why the column is skipped.
fn binned(column: &str, profile: ColumnProfile) -> Result<(Expr, bool), String> {
    match profile {
        ColumnProfile::Numeric { mut sample, seen } => {
            let value = col(column).cast(DataType::Float64);
            sample.sort_by(f64::total_cmp);
            let mut bin = lit(0u32);
            for i in 1..10 {
                if let Some(cut) = quantile_of_sorted(&sample, i as f64 / 10.0) {
                    bin = bin + value.clone().gt(lit(cut)).cast(DataType::UInt32);
                }
            }
            let expr = when(value.is_null())
                .then(lit("null"))
                .otherwise(bin.cast(DataType::String));
            Ok((expr, seen > DECILE_SAMPLE as u64))
        }
        ColumnProfile::Categories { distinct } => {
            if distinct.len() > MAX_CATEGORIES {
                return Err(format!(
                    "more than {MAX_CATEGORIES} distinct values (identifier-like)"
                ));
            }
            let expr = col(column).cast(DataType::String).fill_null(lit("null"));
            Ok((expr, false))
        }
        ColumnProfile::Unsupported(reason) => Err(reason),
    }
}

/// One streaming pass over the candidates: a sample of each numeric column
/// and the distinct values (up to the cap) of each text column.
fn profile_candidates(
    source: &LazyFrame,
    candidates: &[(String, DataType)],
) -> Result<Vec<ColumnProfile>, FairnessError> {
    let mut profiles: Vec<ColumnProfile> = candidates
        .iter()
        .map(|(_, dtype)| ColumnProfile::new(dtype))
        .collect();
    let read: Vec<Expr> = candidates
        .iter()
        .zip(&profiles)
        .filter(|(_, p)| !matches!(p, ColumnProfile::Unsupported(_)))
        .map(|((name, _), _)| col(name.as_str()))
        .collect();
    if read.is_empty() {
        return Ok(profiles);
    }
    let mut rng = StdRng::seed_from_u64(0);
    for_each_batch(source.clone().select(read), BATCH_ROWS, |batch| {
        for ((name, _), profile) in candidates.iter().zip(&mut profiles) {
            if let Ok(column) = batch.column(name) {
                profile.add(column, &mut rng)?;
            }
        }
        Ok::<(), PolarsError>(())
    })?;
    Ok(profiles)
}

/// The proxy check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProxyReport {
    pub threshold: f64,
    pub findings: Vec<ProxyFinding>,
    pub skipped: Vec<SkippedColumn>,
    /// Present when some numeric column had more values than the deciles are computed
    /// exactly from: which ones, and the bound on their cuts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decile_sample: Option<DecileSample>,
}

/// Mutual information between each candidate column and each sensitive feature.
pub fn proxy_check(
    source: &LazyFrame,
    candidates: &[(String, DataType)],
    sensitive_features: &[String],
    threshold: f64,
) -> Result<ProxyReport, FairnessError> {
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut sampled = Vec::new();
    let profiles = profile_candidates(source, candidates)?;
    for ((column, _), profile) in candidates.iter().zip(profiles) {
        let bin = match binned(column, profile) {
            Ok((bin, from_sample)) => {
                if from_sample {
                    sampled.push(column.clone());
                }
                bin
            }
            Err(reason) => {
                skipped.push(SkippedColumn {
                    column: column.clone(),
                    reason,
                });
                continue;
            }
        };
        for feature in sensitive_features {
            let counts = source
                .clone()
                .group_by([
                    bin.clone().alias(BIN),
                    col(feature.as_str())
                        .cast(DataType::String)
                        .alias(SENSITIVE),
                ])
                .agg([len().cast(DataType::Float64).alias(COUNT)])
                .collect_streaming()?;
            let x = counts.column(BIN)?.str()?.clone();
            let s = counts.column(SENSITIVE)?.str()?.clone();
            let n = counts.column(COUNT)?.f64()?.clone();
            let joint: Vec<(String, String, f64)> = (0..counts.height())
                .map(|i| {
                    (
                        x.get(i).unwrap_or("null").to_string(),
                        s.get(i).unwrap_or("null").to_string(),
                        n.get(i).unwrap_or(0.0),
                    )
                })
                .collect();
            let (mi, entropy) = mutual_information(&joint);
            let share = if entropy > 0.0 {
                (mi / entropy).min(1.0)
            } else {
                0.0
            };
            findings.push(ProxyFinding {
                column: column.clone(),
                sensitive_feature: feature.clone(),
                mutual_information_bits: mi,
                share_of_entropy: share,
                flagged: share >= threshold,
            });
        }
    }
    findings.sort_by(|a, b| b.share_of_entropy.total_cmp(&a.share_of_entropy));
    Ok(ProxyReport {
        threshold,
        findings,
        skipped,
        decile_sample: (!sampled.is_empty()).then(|| DecileSample {
            size: DECILE_SAMPLE as u64,
            columns: sampled,
            rank_error_95: decile_rank_error_95(DECILE_SAMPLE),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_proxy_explains_all_entropy_and_noise_none() {
        let perfect = vec![
            ("z1".into(), "a".into(), 50.0),
            ("z2".into(), "b".into(), 50.0),
        ];
        let (mi, h) = mutual_information(&perfect);
        assert!((mi - 1.0).abs() < 1e-12 && (h - 1.0).abs() < 1e-12);
        let independent = vec![
            ("x".into(), "a".into(), 25.0),
            ("x".into(), "b".into(), 25.0),
            ("y".into(), "a".into(), 25.0),
            ("y".into(), "b".into(), 25.0),
        ];
        assert!(mutual_information(&independent).0.abs() < 1e-12);
    }

    #[test]
    fn deciles_equal_polars_quantiles_until_the_sample_bound_then_say_so() {
        let values: Vec<f64> = (0..1_000)
            .map(|i| ((i * 7919) % 1_013) as f64 / 3.0)
            .collect();
        let frame = df!("x" => values.clone()).unwrap();
        let mut sorted = values;
        sorted.sort_by(f64::total_cmp);
        for i in 1..10 {
            let q = i as f64 / 10.0;
            let theirs = frame
                .column("x")
                .unwrap()
                .as_materialized_series()
                .quantile_reduce(q, QuantileMethod::Linear)
                .unwrap()
                .value()
                .extract::<f64>()
                .unwrap();
            assert_eq!(quantile_of_sorted(&sorted, q), Some(theirs));
        }

        let rows = DECILE_SAMPLE + 200_000;
        let big = df!(
            "x" => (0..rows).map(|i| i as f64).collect::<Vec<_>>(),
            "id" => (0..rows).map(|i| format!("id{i}")).collect::<Vec<_>>(),
            "s" => (0..rows).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect::<Vec<_>>(),
        )
        .unwrap();
        let candidates = [
            ("x".to_string(), DataType::Float64),
            ("id".to_string(), DataType::String),
        ];
        let report = proxy_check(&big.lazy(), &candidates, &["s".to_string()], 0.5).unwrap();
        let sample = report.decile_sample.unwrap();
        assert_eq!(sample.columns, vec!["x".to_string()]);
        assert!((sample.rank_error_95 - 0.001358).abs() < 1e-6);
        assert_eq!(report.skipped[0].column, "id");
        assert!(
            report.skipped[0]
                .reason
                .contains("more than 100 distinct values")
        );
        assert!(report.findings[0].share_of_entropy < 0.01);
    }
}
