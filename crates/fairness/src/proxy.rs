//! Proxy check: how much each non-sensitive column tells about each
//! sensitive feature (mutual information), since dropping the sensitive
//! column does not remove what its proxies carry. Numeric columns are cut
//! into deciles; text columns with more than 100 distinct values are skipped
//! as identifier-like.

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::query::CollectStreaming;

use super::spec::FairnessError;

const BIN: &str = "__probity_proxy_bin";
const SENSITIVE: &str = "__probity_proxy_s";
const COUNT: &str = "__probity_proxy_n";
const MAX_CATEGORIES: u32 = 100;

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

/// A column the check could not use, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkippedColumn {
    pub column: String,
    pub reason: String,
}

/// Mutual information (bits) and the entropy of the second variable, from joint counts.
pub fn mutual_information(joint: &[(String, String, f64)]) -> (f64, f64) {
    use std::collections::HashMap;
    let total: f64 = joint.iter().map(|(_, _, n)| n).sum();
    let mut px: HashMap<&str, f64> = HashMap::new();
    let mut py: HashMap<&str, f64> = HashMap::new();
    for (x, y, n) in joint {
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

fn binned(
    source: &LazyFrame,
    column: &str,
    dtype: &DataType,
) -> Result<Result<Expr, String>, FairnessError> {
    if dtype.is_primitive_numeric() {
        let value = col(column).cast(DataType::Float64);
        let cuts = source
            .clone()
            .select(
                (1..10)
                    .map(|i| {
                        value
                            .clone()
                            .quantile(lit(i as f64 / 10.0), QuantileMethod::Linear)
                            .alias(format!("q{i}"))
                    })
                    .collect::<Vec<_>>(),
            )
            .collect_streaming()?;
        let mut bin = lit(0u32);
        for i in 1..10 {
            if let Some(cut) = cuts.column(&format!("q{i}"))?.f64()?.get(0) {
                bin = bin + value.clone().gt(lit(cut)).cast(DataType::UInt32);
            }
        }
        return Ok(Ok(when(value.is_null())
            .then(lit("null"))
            .otherwise(bin.cast(DataType::String))));
    }
    if matches!(dtype, DataType::String | DataType::Boolean) {
        let distinct = source
            .clone()
            .select([col(column).n_unique().cast(DataType::UInt32)])
            .collect_streaming()?;
        let distinct = distinct.column(column)?.u32()?.get(0).unwrap_or(0);
        if distinct > MAX_CATEGORIES {
            return Ok(Err(format!(
                "{distinct} distinct values (identifier-like; more than {MAX_CATEGORIES})"
            )));
        }
        return Ok(Ok(col(column)
            .cast(DataType::String)
            .fill_null(lit("null"))));
    }
    Ok(Err(format!("type {dtype} is not used by the proxy check")))
}

/// Mutual information between each candidate column and each sensitive feature.
pub fn proxy_check(
    source: &LazyFrame,
    candidates: &[(String, DataType)],
    sensitive_features: &[String],
    threshold: f64,
) -> Result<(Vec<ProxyFinding>, Vec<SkippedColumn>), FairnessError> {
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    for (column, dtype) in candidates {
        let bin = match binned(source, column, dtype)? {
            Ok(bin) => bin,
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
    Ok((findings, skipped))
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
}
