//! Regulation-shaped tables from the same counts: New York City Local Law
//! 144's impact-ratio table (6 RCNY § 5-301) and the EEOC's four-fifths rule
//! (29 CFR § 1607.4(D)). Selection here is the prediction being positive;
//! with scores, LL144's scoring-rate table rates the share of a category
//! scoring above the sample's median score.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The share of the data under which a category is left out of the impact
/// ratios (LL144 lets an auditor exclude categories under 2 %).
pub const LL144_SMALL_SHARE: f64 = 0.02;

/// A request's regulation profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// New York City Local Law 144 impact-ratio tables for every grouping.
    NycLl144,
    /// The EEOC four-fifths rule on every grouping.
    FourFifths,
}

/// One category (group) of an impact-ratio table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImpactRow {
    /// The category's values.
    pub category: Vec<String>,
    /// Applicants (rows) in the category.
    pub applicants: u64,
    /// Applicants selected (predicted positive).
    pub selected: u64,
    /// selected / applicants.
    pub selection_rate: f64,
    /// The category's share of all applicants.
    pub share: f64,
    /// selection rate / the highest selection rate among the categories in
    /// the ratios; absent for a category left out of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_ratio: Option<f64>,
    /// Why the category is left out of the ratios (unknown, or under 2 % of the data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// What an impact-ratio table rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpactBasis {
    /// Selection rates: the share of a category predicted positive.
    #[default]
    SelectionRate,
    /// Scoring rates: the share of a category scoring above the sample's median score
    /// (`selected` then counts those applicants).
    ScoringRate,
}

/// LL144's table for one grouping (sex, race/ethnicity, or their intersection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImpactTable {
    /// The grouping's features.
    pub features: Vec<String>,
    /// Selection rates or scoring rates.
    #[serde(default)]
    pub basis: ImpactBasis,
    /// The sample's median score, for a scoring-rate table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_score: Option<f64>,
    /// Every category, in grouping order.
    pub rows: Vec<ImpactRow>,
    /// The category with the highest selection rate among those in the ratios.
    pub most_selected: Option<Vec<String>>,
    /// Applicants whose category is unknown: counted in the totals, not in the ratios.
    pub unknown_applicants: u64,
    /// The rule's notes on what was left out.
    pub notes: Vec<String>,
}

/// The four-fifths rule on one grouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FourFifths {
    /// The grouping's features.
    pub features: Vec<String>,
    /// Categories whose selection rate is under four fifths of the highest (adverse impact).
    pub adverse_impact: Vec<Vec<String>>,
    /// The lowest impact ratio.
    pub lowest_impact_ratio: Option<f64>,
    /// Whether no category is under four fifths.
    pub passes: bool,
}

/// One category's counts: its values, applicants and selected applicants.
pub struct Category<'a> {
    /// The category's values.
    pub values: &'a [String],
    /// Rows.
    pub applicants: u64,
    /// Rows predicted positive.
    pub selected: u64,
}

/// Whether any of a category's values is one of `unknown` (case-insensitive, trimmed).
fn is_unknown(values: &[String], unknown: &[String]) -> bool {
    values
        .iter()
        .any(|v| unknown.iter().any(|u| u.eq_ignore_ascii_case(v.trim())))
}

/// Builds LL144's impact-ratio table: a category any of whose values is in
/// `unknown` (compared case-insensitively) is counted but not compared, as is
/// one under 2 % of the applicants; the others' impact ratios are their
/// selection rates over the highest one among them.
pub fn ll144(features: &[String], categories: &[Category<'_>], unknown: &[String]) -> ImpactTable {
    let total: u64 = categories.iter().map(|c| c.applicants).sum();
    let is_unknown = |values: &[String]| is_unknown(values, unknown);
    let mut rows: Vec<ImpactRow> = categories
        .iter()
        .map(|c| {
            let share = if total > 0 {
                c.applicants as f64 / total as f64
            } else {
                0.0
            };
            let excluded = if is_unknown(c.values) {
                Some("unknown category: counted, not compared".to_string())
            } else if share < LL144_SMALL_SHARE {
                Some(format!(
                    "under {} % of the data: left out of the impact ratios",
                    LL144_SMALL_SHARE * 100.0
                ))
            } else {
                None
            };
            ImpactRow {
                category: c.values.to_vec(),
                applicants: c.applicants,
                selected: c.selected,
                selection_rate: if c.applicants > 0 {
                    c.selected as f64 / c.applicants as f64
                } else {
                    f64::NAN
                },
                share,
                impact_ratio: None,
                excluded,
            }
        })
        .collect();
    // the first of the highest rates, in grouping order
    let most_selected = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.excluded.is_none() && !r.selection_rate.is_nan())
        .fold(None::<(usize, f64)>, |best, (index, row)| match best {
            Some((_, top)) if top >= row.selection_rate => best,
            _ => Some((index, row.selection_rate)),
        });
    if let Some((_, top)) = most_selected {
        for row in rows.iter_mut().filter(|r| r.excluded.is_none()) {
            row.impact_ratio = (top > 0.0).then(|| row.selection_rate / top);
        }
    }
    let unknown_applicants = rows
        .iter()
        .filter(|r| is_unknown(&r.category))
        .map(|r| r.applicants)
        .sum();
    let small: Vec<String> = rows
        .iter()
        .filter(|r| !is_unknown(&r.category) && r.excluded.is_some())
        .map(|r| r.category.join(" × "))
        .collect();
    let mut notes = Vec::new();
    if unknown_applicants > 0 {
        notes.push(format!(
            "{unknown_applicants} applicants of unknown category are counted in the totals and left out of the impact ratios"
        ));
    }
    if !small.is_empty() {
        notes.push(format!(
            "categories under 2 % of the data are left out of the impact ratios (6 RCNY § 5-301): {}",
            small.join(", ")
        ));
    }
    ImpactTable {
        features: features.to_vec(),
        basis: ImpactBasis::SelectionRate,
        median_score: None,
        most_selected: most_selected.map(|(index, _)| rows[index].category.clone()),
        rows,
        unknown_applicants,
        notes,
    }
}

/// LL144's scoring-rate table: `categories` count, as `selected`, their
/// applicants scoring above `median` (the sample's median score); the rest
/// is [`ll144`]. `approximate` notes that scores were counted in fine bins.
pub fn ll144_scoring_rates(
    features: &[String],
    categories: &[Category<'_>],
    unknown: &[String],
    median: f64,
    approximate: bool,
) -> ImpactTable {
    let mut table = ll144(features, categories, unknown);
    table.basis = ImpactBasis::ScoringRate;
    table.median_score = Some(median);
    if approximate {
        table.notes.push(
            "more than 10^6 distinct scores: the median and the counts above it come from bins 2^-16 wide or finer".into(),
        );
    }
    table
}

/// The median of the scores of every row as numpy's `median` gives it (the
/// mean of the two middle values for an even count), from (score, rows)
/// points sorted by score; `None` without rows.
pub fn median_score(points: &[(f64, u64)]) -> Option<f64> {
    let rows: u64 = points.iter().map(|p| p.1).sum();
    if rows == 0 {
        return None;
    }
    let at = |position: u64| {
        let mut seen = 0;
        for &(score, count) in points {
            seen += count;
            if seen > position {
                return score;
            }
        }
        points.last().map_or(f64::NAN, |p| p.0)
    };
    let (low, high) = (at((rows - 1) / 2), at(rows / 2));
    Some((low + high) / 2.0)
}

/// The four-fifths rule: every category's selection rate against the highest
/// (categories in `unknown` left out, none for being small).
pub fn four_fifths(
    features: &[String],
    categories: &[Category<'_>],
    unknown: &[String],
) -> FourFifths {
    let known: Vec<(&[String], f64)> = categories
        .iter()
        .filter(|c| c.applicants > 0)
        .filter(|c| !is_unknown(c.values, unknown))
        .map(|c| (c.values, c.selected as f64 / c.applicants as f64))
        .collect();
    let top = known.iter().map(|(_, rate)| *rate).fold(0.0f64, f64::max);
    let ratios: Vec<(&[String], f64)> = known
        .iter()
        .filter(|_| top > 0.0)
        .map(|(values, rate)| (*values, rate / top))
        .collect();
    let adverse_impact: Vec<Vec<String>> = ratios
        .iter()
        .filter(|(_, ratio)| *ratio < 0.8)
        .map(|(values, _)| values.to_vec())
        .collect();
    FourFifths {
        features: features.to_vec(),
        passes: adverse_impact.is_empty(),
        adverse_impact,
        lowest_impact_ratio: ratios.iter().map(|(_, r)| *r).reduce(f64::min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(v: &str) -> Vec<String> {
        v.split('|').map(str::to_string).collect()
    }

    #[test]
    fn ll144_table_matches_a_hand_computed_one() {
        // Sex categories of a made-up screening tool (1,000 applicants):
        // female 400 (120 selected, 0.30), male 560 (210, 0.375),
        // unknown 25 (5), nonbinary 15 (6, 1.5 % of the data).
        let names = [
            values("female"),
            values("male"),
            values("nonbinary"),
            values("unknown"),
        ];
        let counts = [(400, 120), (560, 210), (15, 6), (25, 5)];
        let categories: Vec<Category<'_>> = names
            .iter()
            .zip(counts)
            .map(|(values, (applicants, selected))| Category {
                values,
                applicants,
                selected,
            })
            .collect();
        let table = ll144(&values("sex"), &categories, &["Unknown".to_string()]);
        assert_eq!(table.most_selected, Some(values("male")));
        let female = &table.rows[0];
        assert_eq!(female.selection_rate, 0.3);
        assert_eq!(female.impact_ratio, Some(0.3 / 0.375));
        assert_eq!(female.share, 0.4);
        assert_eq!(table.rows[1].impact_ratio, Some(1.0));
        assert_eq!(table.rows[2].impact_ratio, None, "1.5 % of the data");
        assert!(table.rows[2].excluded.as_deref().unwrap().contains("2 %"));
        assert_eq!(table.rows[3].impact_ratio, None, "unknown");
        assert_eq!(table.unknown_applicants, 25);
        assert_eq!(table.notes.len(), 2);
        // four fifths keeps small categories: against nonbinary's 0.4, female's 0.75 is under 0.8
        let rule = four_fifths(&values("sex"), &categories, &["unknown".to_string()]);
        assert_eq!(rule.adverse_impact, vec![values("female")]);
        assert!(!rule.passes);
        assert_eq!(rule.lowest_impact_ratio, Some(0.3 / 0.4));
    }

    #[test]
    fn the_median_score_is_numpys() {
        assert_eq!(median_score(&[]), None);
        assert_eq!(median_score(&[(0.2, 1), (0.4, 1), (0.9, 1)]), Some(0.4));
        assert_eq!(
            median_score(&[(0.2, 2), (0.4, 1), (0.9, 1)]),
            Some(0.30000000000000004)
        );
        assert_eq!(median_score(&[(0.5, 4)]), Some(0.5));
    }
}
