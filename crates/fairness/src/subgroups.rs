//! The `subgroups` check: slices nobody declared. Intersections of up to
//! three low-cardinality columns (the sensitive features and any other
//! column with few distinct values) whose error rate or selection rate is
//! furthest from the rest of the rows, each gap tested (two-proportion z or
//! Fisher's exact test) and adjusted across every slice tested.
//!
//! One polars group-by counts the confusion cells of every observed
//! combination of the candidate columns; every slice is an exact roll-up of
//! those counts, so the data is read once whatever the number of slices.

use std::collections::{HashMap, HashSet};

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::counts::{FN, FP, TN, TP};
use crate::disparity::SignificanceSettings;
use crate::query::{BATCH_ROWS, CollectStreaming, for_each_batch};
use crate::significance::{self, ProportionTest};
use crate::spec::FairnessError;

/// Options of the subgroup search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SubgroupOptions {
    /// Run the search.
    pub enabled: bool,
    /// Most columns in a slice (1 to 3).
    #[schema(minimum = 1, maximum = 3)]
    pub max_depth: usize,
    /// Fewest rows a slice (and the rest) must have to be tested.
    #[schema(minimum = 1)]
    pub min_support: u64,
    /// Columns with more distinct values are not sliced on (2 to 100).
    #[schema(minimum = 2, maximum = 100)]
    pub max_cardinality: usize,
    /// How many slices the report lists per metric (1 to 100).
    #[schema(minimum = 1, maximum = 100)]
    pub top: usize,
}

impl Default for SubgroupOptions {
    fn default() -> Self {
        SubgroupOptions {
            enabled: false,
            max_depth: 3,
            min_support: 30,
            max_cardinality: 20,
            top: 10,
        }
    }
}

/// Most candidate columns (sensitive features first, then by fewest values).
pub const MAX_COLUMNS: usize = 12;
/// Most observed combinations of the candidate columns.
pub const MAX_COMBINATIONS: usize = 1_000_000;

/// The rate a slice is compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SliceMetric {
    /// Wrong decisions over rows.
    ErrorRate,
    /// Positive decisions over rows.
    SelectionRate,
}

/// One condition of a slice: a column equals a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct SliceCondition {
    /// The column.
    pub column: String,
    /// Its value, as text (`null` for a missing value).
    pub value: String,
}

/// One slice and its gap to the rest of the rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Slice {
    /// The slice's conditions, in column order.
    pub conditions: Vec<SliceCondition>,
    /// Rows in the slice.
    pub rows: u64,
    /// The slice's rate.
    pub rate: f64,
    /// The rate of every other row.
    pub rest_rate: f64,
    /// rate − rest rate.
    pub gap: f64,
    /// The test used.
    pub test: ProportionTest,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The p-value adjusted across every slice and metric tested.
    pub adjusted_p_value: f64,
    /// Whether the adjusted p-value is below the level.
    pub significant: bool,
}

/// The columns a search slices on, decided once from every row of the
/// dataset (so the parts of a sharded audit count the same combinations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlicePlan {
    /// The columns sliced on: the sensitive features, then the others kept.
    pub columns: Vec<String>,
    /// Columns left out, and why.
    pub skipped: Vec<SkippedSliceColumn>,
}

/// Confusion cells `[tp, fp, tn, fn]` of every observed combination of a
/// plan's columns in some rows; counts of disjoint rows merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceCounts {
    /// The plan counted.
    pub plan: SlicePlan,
    /// (values, cells) per combination, sorted; `None` past [`MAX_COMBINATIONS`].
    cells: Option<Vec<(Vec<String>, [u64; 4])>>,
}

impl SliceCounts {
    /// Adds the counts of other rows under the same plan.
    pub fn merge(&mut self, other: Self) {
        self.cells = match (self.cells.take(), other.cells) {
            (Some(mine), Some(theirs)) => {
                let mut merged: HashMap<Vec<String>, [u64; 4]> = mine.into_iter().collect();
                for (key, cells) in theirs {
                    let entry = merged.entry(key).or_default();
                    for k in 0..4 {
                        entry[k] += cells[k];
                    }
                }
                sorted_cells(merged)
            }
            _ => None,
        };
    }
}

/// The cells sorted by combination, or `None` past [`MAX_COMBINATIONS`].
fn sorted_cells(cells: CombinationCounts) -> Option<Vec<(Vec<String>, [u64; 4])>> {
    if cells.len() > MAX_COMBINATIONS {
        return None;
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort();
    Some(cells)
}

/// A column the search left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkippedSliceColumn {
    /// The column.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// What the search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubgroupReport {
    /// The options applied.
    pub options: SubgroupOptions,
    /// The columns sliced on.
    pub columns: Vec<String>,
    /// Columns left out.
    pub skipped: Vec<SkippedSliceColumn>,
    /// Slices with enough support, tested on both metrics.
    pub slices_tested: u64,
    /// The slices furthest from the rest on the error rate, largest gap first.
    pub error_rate: Vec<Slice>,
    /// The slices furthest from the rest on the selection rate, largest gap first.
    pub selection_rate: Vec<Slice>,
}

impl SubgroupReport {
    /// A search that could not run, and why (named on the column it lacked).
    pub fn not_run(options: SubgroupOptions, column: &str, reason: &str) -> Self {
        SubgroupReport {
            options,
            columns: Vec::new(),
            skipped: vec![SkippedSliceColumn {
                column: column.to_string(),
                reason: reason.to_string(),
            }],
            slices_tested: 0,
            error_rate: Vec::new(),
            selection_rate: Vec::new(),
        }
    }
}

/// Searches the slices of `source` given the label and decision indicators
/// (`y`, `p`: booleans), the sensitive features and the other candidate columns.
pub fn search(
    source: &LazyFrame,
    y: Expr,
    p: Expr,
    sensitive_features: &[String],
    others: &[String],
    options: SubgroupOptions,
    significance: SignificanceSettings,
) -> Result<SubgroupReport, FairnessError> {
    let plan = plan(source, sensitive_features, others, options)?;
    let counts = count(source, plan, y, p)?;
    Ok(report(counts, options, significance))
}

/// Decides the columns to slice on from every row of `source`.
pub fn plan(
    source: &LazyFrame,
    sensitive_features: &[String],
    others: &[String],
    options: SubgroupOptions,
) -> Result<SlicePlan, FairnessError> {
    let (columns, skipped) = candidate_columns(source, sensitive_features, others, options)?;
    Ok(SlicePlan { columns, skipped })
}

/// Counts the combinations of the plan's columns in `rows`, given the label
/// and decision indicators (`y`, `p`: booleans).
pub fn count(
    rows: &LazyFrame,
    plan: SlicePlan,
    y: Expr,
    p: Expr,
) -> Result<SliceCounts, FairnessError> {
    let cells = combination_counts(rows, &plan.columns, y, p)?.and_then(sorted_cells);
    Ok(SliceCounts { plan, cells })
}

/// Ranks the slices of the counted combinations (of every row).
pub fn report(
    counts: SliceCounts,
    options: SubgroupOptions,
    significance: SignificanceSettings,
) -> SubgroupReport {
    let SignificanceSettings { adjustment, level } = significance;
    let SliceCounts {
        plan: SlicePlan { columns, skipped },
        cells,
    } = counts;
    let mut report = SubgroupReport {
        options,
        columns: columns.clone(),
        skipped,
        slices_tested: 0,
        error_rate: Vec::new(),
        selection_rate: Vec::new(),
    };
    let Some(cells) = cells else {
        report.skipped.push(SkippedSliceColumn {
            column: columns.join(", "),
            reason: format!("more than {MAX_COMBINATIONS} combinations of values together"),
        });
        report.columns.clear();
        return report;
    };
    let total: [u64; 4] = cells.iter().map(|(_, c)| c).fold([0; 4], |mut acc, c| {
        for k in 0..4 {
            acc[k] += c[k];
        }
        acc
    });
    let mut candidates: Vec<(SliceMetric, Slice)> = Vec::new();
    for subset in subsets(columns.len(), options.max_depth) {
        let mut rolled: HashMap<Vec<&str>, [u64; 4]> = HashMap::new();
        for (key, counts) in &cells {
            let slice_key: Vec<&str> = subset.iter().map(|&i| key[i].as_str()).collect();
            let entry = rolled.entry(slice_key).or_default();
            for k in 0..4 {
                entry[k] += counts[k];
            }
        }
        let mut keys: Vec<_> = rolled.into_iter().collect();
        keys.sort();
        for (values, counts) in keys {
            let rows: u64 = counts.iter().sum();
            let rest_rows = total.iter().sum::<u64>() - rows;
            if rows < options.min_support || rest_rows < options.min_support {
                continue;
            }
            report.slices_tested += 1;
            let conditions: Vec<SliceCondition> = subset
                .iter()
                .zip(&values)
                .map(|(&i, v)| SliceCondition {
                    column: columns[i].clone(),
                    value: v.to_string(),
                })
                .collect();
            for metric in [SliceMetric::ErrorRate, SliceMetric::SelectionRate] {
                let hits = |c: &[u64; 4]| match metric {
                    SliceMetric::ErrorRate => c[FP] + c[FN],
                    SliceMetric::SelectionRate => c[TP] + c[FP],
                };
                let (x1, x_all) = (hits(&counts), hits(&total));
                let x2 = x_all - x1;
                let Some((test, p_value)) =
                    significance::compare_proportions(x1, rows, x2, rest_rows)
                else {
                    continue;
                };
                let rate = x1 as f64 / rows as f64;
                let rest_rate = x2 as f64 / rest_rows as f64;
                candidates.push((
                    metric,
                    Slice {
                        conditions: conditions.clone(),
                        rows,
                        rate,
                        rest_rate,
                        gap: rate - rest_rate,
                        test,
                        p_value,
                        adjusted_p_value: p_value,
                        significant: false,
                    },
                ));
            }
        }
    }
    let p_values: Vec<f64> = candidates.iter().map(|(_, s)| s.p_value).collect();
    for ((_, slice), adjusted) in candidates
        .iter_mut()
        .zip(significance::adjust(&p_values, adjustment))
    {
        slice.adjusted_p_value = adjusted;
        slice.significant = adjusted < level;
    }
    for metric in [SliceMetric::ErrorRate, SliceMetric::SelectionRate] {
        let mut slices: Vec<Slice> = candidates
            .iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, s)| s.clone())
            .collect();
        // largest gap first; ties: smaller p, then fewer conditions, then by name
        slices.sort_by(|a, b| {
            b.gap
                .abs()
                .total_cmp(&a.gap.abs())
                .then(a.p_value.total_cmp(&b.p_value))
                .then(a.conditions.len().cmp(&b.conditions.len()))
                .then(a.conditions.cmp(&b.conditions))
        });
        slices.truncate(options.top);
        match metric {
            SliceMetric::ErrorRate => report.error_rate = slices,
            SliceMetric::SelectionRate => report.selection_rate = slices,
        }
    }
    report
}

/// Every subset of `0..n` with 1 to `depth` members, smallest first.
fn subsets(n: usize, depth: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = (1u32..(1 << n))
        .map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect::<Vec<_>>())
        .filter(|s| s.len() <= depth)
        .collect();
    all.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    all
}

/// The columns to slice on: the sensitive features, then the other columns
/// of a discrete type with at most `max_cardinality` distinct values, fewest
/// first, while the product of their counts (a bound on the combinations the
/// group-by can meet) stays within [`MAX_COMBINATIONS`].
fn candidate_columns(
    source: &LazyFrame,
    sensitive_features: &[String],
    others: &[String],
    options: SubgroupOptions,
) -> Result<(Vec<String>, Vec<SkippedSliceColumn>), FairnessError> {
    let schema = source.clone().collect_schema()?;
    let mut skipped = Vec::new();
    let discrete: Vec<&String> = others
        .iter()
        .filter(|name| match schema.get(name.as_str()) {
            Some(dtype) if dtype.is_float() => {
                skipped.push(SkippedSliceColumn {
                    column: (*name).clone(),
                    reason: "floating-point values are not sliced on".into(),
                });
                false
            }
            Some(dtype)
                if dtype.is_integer()
                    || dtype.is_string()
                    || dtype.is_bool()
                    || dtype.is_categorical() =>
            {
                true
            }
            Some(dtype) => {
                skipped.push(SkippedSliceColumn {
                    column: (*name).clone(),
                    reason: format!("type {dtype} is not sliced on"),
                });
                false
            }
            None => false,
        })
        .collect();
    // distinct values, counted only up to just past what could be kept
    let counted: Vec<(&String, usize)> = sensitive_features
        .iter()
        .map(|name| (name, MAX_COMBINATIONS))
        .chain(discrete.iter().map(|name| (*name, options.max_cardinality)))
        .collect();
    let distinct = bounded_distinct_counts(source, &counted)?;
    let mut columns: Vec<String> = sensitive_features.to_vec();
    // every combination of the columns is at most the product of their counts
    let mut combinations: usize = distinct[..sensitive_features.len()]
        .iter()
        .fold(1usize, |product, &count| {
            product.saturating_mul(count.max(1))
        });
    let mut small: Vec<(usize, &String)> = Vec::new();
    for (&(name, _), &count) in counted.iter().zip(&distinct).skip(sensitive_features.len()) {
        if count > options.max_cardinality {
            skipped.push(SkippedSliceColumn {
                column: name.clone(),
                reason: format!("more than {} distinct values", options.max_cardinality),
            });
        } else {
            small.push((count, name));
        }
    }
    small.sort();
    for (count, name) in small {
        let product = combinations.saturating_mul(count.max(1));
        if columns.len() >= MAX_COLUMNS {
            skipped.push(SkippedSliceColumn {
                column: name.clone(),
                reason: format!("only the first {MAX_COLUMNS} candidate columns are sliced on"),
            });
        } else if product > MAX_COMBINATIONS {
            skipped.push(SkippedSliceColumn {
                column: name.clone(),
                reason: format!(
                    "with it the columns could hold more than {MAX_COMBINATIONS} combinations"
                ),
            });
        } else {
            combinations = product;
            columns.push(name.clone());
        }
    }
    Ok((columns, skipped))
}

/// How many distinct values (missing counted as one) each column holds, each
/// counted only up to its cap + 1: one streaming pass whose memory is bounded
/// by the caps, whatever the column holds.
fn bounded_distinct_counts(
    source: &LazyFrame,
    columns: &[(&String, usize)],
) -> Result<Vec<usize>, FairnessError> {
    let mut seen: Vec<HashSet<String>> = vec![HashSet::new(); columns.len()];
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let read: Vec<Expr> = columns
        .iter()
        .map(|(name, _)| col(name.as_str()).cast(DataType::String))
        .collect();
    for_each_batch(source.clone().select(read), BATCH_ROWS, |batch| {
        for ((name, cap), values) in columns.iter().zip(&mut seen) {
            if values.len() > *cap {
                continue;
            }
            for value in batch.column(name.as_str())?.str()?.iter() {
                values.insert(value.unwrap_or("\u{0}null").to_string());
                if values.len() > *cap {
                    break;
                }
            }
        }
        Ok::<(), PolarsError>(())
    })?;
    Ok(seen.iter().map(HashSet::len).collect())
}

/// Confusion cells `[tp, fp, tn, fn]` by the values of the candidate columns.
type CombinationCounts = HashMap<Vec<String>, [u64; 4]>;

/// Confusion cells `[tp, fp, tn, fn]` of every observed combination of `columns`
/// (`None` beyond [`MAX_COMBINATIONS`]).
fn combination_counts(
    source: &LazyFrame,
    columns: &[String],
    y: Expr,
    p: Expr,
) -> Result<Option<CombinationCounts>, FairnessError> {
    let keys: Vec<Expr> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            col(name.as_str())
                .cast(DataType::String)
                .fill_null(lit("null"))
                .alias(format!("__slice_{i}"))
        })
        .collect();
    let cell = |yes: bool, positive: bool| {
        let y = if yes { y.clone() } else { y.clone().not() };
        let p = if positive { p.clone() } else { p.clone().not() };
        y.and(p).cast(DataType::UInt64).sum()
    };
    let frame = source
        .clone()
        .group_by(keys)
        .agg([
            cell(true, true).alias("__tp"),
            cell(false, true).alias("__fp"),
            cell(false, false).alias("__tn"),
            cell(true, false).alias("__fn"),
        ])
        .limit(MAX_COMBINATIONS as u32 + 1)
        .collect_streaming()?;
    if frame.height() > MAX_COMBINATIONS {
        return Ok(None);
    }
    let key_columns: Vec<&StringChunked> = (0..columns.len())
        .map(|i| frame.column(&format!("__slice_{i}")).and_then(|c| c.str()))
        .collect::<PolarsResult<_>>()?;
    let cells: Vec<&UInt64Chunked> = ["__tp", "__fp", "__tn", "__fn"]
        .iter()
        .map(|name| frame.column(name).and_then(|c| c.u64()))
        .collect::<PolarsResult<_>>()?;
    let mut out = HashMap::with_capacity(frame.height());
    for row in 0..frame.height() {
        let key: Vec<String> = key_columns
            .iter()
            .map(|c| c.get(row).unwrap_or("null").to_string())
            .collect();
        let mut counts = [0u64; 4];
        for (k, column) in [TP, FP, TN, FN].into_iter().zip(&cells) {
            counts[k] = column.get(row).unwrap_or(0);
        }
        out.insert(key, counts);
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_go_up_to_the_depth_smallest_first() {
        let all = subsets(4, 3);
        assert_eq!(all.len(), 4 + 6 + 4);
        assert_eq!(all[0], [0]);
        assert_eq!(all.last().unwrap(), &[1, 2, 3]);
        assert_eq!(subsets(3, 1), [[0], [1], [2]]);
    }

    #[test]
    fn identifier_like_and_combinatorial_columns_are_left_out() {
        // 40,000 rows: an id (40,000 values), three columns of 100 values and
        // one more whose 100 values would take the bound on combinations to 10^8
        let n = 40_000usize;
        let values = |step: usize| {
            (0..n)
                .map(|i| format!("v{}", (i / step) % 100))
                .collect::<Vec<_>>()
        };
        let frame = df!(
            "id" => (0..n).map(|i| format!("row{i}")).collect::<Vec<_>>(),
            "a" => values(1), "b" => values(7), "c" => values(13), "d" => values(17),
            "sex" => (0..n).map(|i| if i % 2 == 0 { "f" } else { "m" }).collect::<Vec<_>>(),
            "label" => (0..n).map(|i| i % 3 == 0).collect::<Vec<_>>(),
            "prediction" => (0..n).map(|i| i % 5 == 0).collect::<Vec<_>>(),
        )
        .unwrap()
        .lazy();
        let others: Vec<String> = ["id", "a", "b", "c", "d"].map(String::from).to_vec();
        let report = search(
            &frame,
            col("label"),
            col("prediction"),
            &["sex".to_string()],
            &others,
            SubgroupOptions {
                enabled: true,
                max_depth: 2,
                max_cardinality: 100,
                min_support: 100,
                ..SubgroupOptions::default()
            },
            SignificanceSettings::default(),
        )
        .unwrap();
        // 2 × 100 × 100 = 20,000; a third 100 makes 2·10^6 > 10^6
        assert_eq!(report.columns, ["sex", "a", "b"]);
        let reason = |column: &str| {
            report
                .skipped
                .iter()
                .find(|s| s.column == column)
                .map(|s| s.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason("id").contains("more than 100 distinct values"));
        assert!(reason("c").contains("combinations") && reason("d").contains("combinations"));
    }

    #[test]
    fn a_planted_slice_is_found_first() {
        // 4,000 rows; errors everywhere 10 % except region=north & channel=web (40 %)
        let n = 4000;
        let regions = ["north", "south", "east", "west"];
        let channels = ["web", "phone"];
        let mut region = Vec::new();
        let mut channel = Vec::new();
        let mut label = Vec::new();
        let mut prediction = Vec::new();
        let mut sex = Vec::new();
        for i in 0..n {
            let r = regions[i % 4];
            let c = channels[(i / 4) % 2];
            let planted = r == "north" && c == "web";
            let wrong = if planted { i % 10 < 4 } else { i % 10 == 0 };
            let y = (i / 8) % 2 == 0;
            region.push(r);
            channel.push(c);
            sex.push(if (i / 16) % 2 == 0 { "f" } else { "m" });
            label.push(y);
            prediction.push(if wrong { !y } else { y });
        }
        let frame = df!(
            "region" => region, "channel" => channel, "sex" => sex,
            "label" => label, "prediction" => prediction,
        )
        .unwrap()
        .lazy();
        let report = search(
            &frame,
            col("label"),
            col("prediction"),
            &["sex".to_string()],
            &["region".to_string(), "channel".to_string()],
            SubgroupOptions {
                enabled: true,
                ..SubgroupOptions::default()
            },
            SignificanceSettings::default(),
        )
        .unwrap();
        assert_eq!(report.columns.len(), 3);
        let top = &report.error_rate[0];
        let mut conditions: Vec<(&str, &str)> = top
            .conditions
            .iter()
            .map(|c| (c.column.as_str(), c.value.as_str()))
            .collect();
        conditions.sort();
        assert_eq!(conditions, [("channel", "web"), ("region", "north")]);
        assert!(top.significant && top.gap > 0.25, "{top:?}");
        // 2 + 4 + 2 single values, 8 + 4 + 8 pairs, 16 triples
        assert_eq!(report.slices_tested, 44);
    }
}
