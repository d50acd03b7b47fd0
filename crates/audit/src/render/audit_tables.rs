//! The document blocks of the fairness tables auditors ask for beyond
//! Fairlearn's figures: Aequitas's disparity table with its significance,
//! AIF360's inequality indices, calibration per group, New York City Local Law 144's impact ratios,
//! the four-fifths rule, the slices nobody declared and the threshold remedies.

use probity_fairness::disparity::DisparityTable;
use probity_fairness::regulation::{FourFifths, ImpactBasis, ImpactTable};
use probity_fairness::remedies::{
    ConstraintRemedy, FairnessConstraint, GroupDecision, Remedies, StrictThreshold,
};
use probity_fairness::subgroups::{Slice, SubgroupReport};
use probity_fairness::{FairnessReport, GroupingReport};

use super::document::{Block, group_name, grouping_title, heading, number};

pub(super) fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "—".into(),
    }
}

/// A p-value: scientific below 10⁻⁴.
pub(super) fn p_value(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

/// The blocks of one grouping's extra tables (after its Fairlearn figures).
pub fn grouping_tables(grouping: &GroupingReport, blocks: &mut Vec<Block>) {
    if let Some(table) = &grouping.disparities {
        disparity_table(grouping, table, blocks);
    }
    if grouping.groups.iter().any(|g| g.calibration.is_some()) {
        heading(
            blocks,
            3,
            format!("Calibration — {}", grouping_title(grouping)),
        );
        blocks.push(Block::Table {
            header: [
                "Group",
                "Expected calibration error",
                "Mean score − positive rate",
                "Bins",
            ]
            .map(String::from)
            .to_vec(),
            rows: grouping
                .groups
                .iter()
                .filter_map(|g| {
                    let c = g.calibration.as_ref()?;
                    Some(vec![
                        group_name(&g.group),
                        number(Some(c.expected_calibration_error)),
                        number(Some(c.calibration_in_the_large)),
                        c.bins
                            .iter()
                            .map(|b| {
                                format!(
                                    "{:.2}: {:.2} vs {:.2}",
                                    b.upper, b.mean_score, b.positive_rate
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ])
                })
                .collect(),
        });
    }
    if let Some(between) = &grouping.between_groups_inequality {
        blocks.push(Block::Facts(vec![
            (
                "Between-groups generalized entropy index (α = 2)".into(),
                number(Some(between.generalized_entropy_index)),
            ),
            (
                "Between-groups Theil index".into(),
                number(Some(between.theil_index)),
            ),
        ]));
    }
    for table in [
        &grouping.impact_ratios,
        &grouping.scoring_rate_impact_ratios,
    ]
    .into_iter()
    .flatten()
    {
        impact_table(table, blocks);
    }
    if let Some(rule) = &grouping.four_fifths {
        four_fifths(rule, blocks);
    }
}

fn disparity_table(grouping: &GroupingReport, table: &DisparityTable, blocks: &mut Vec<Block>) {
    heading(
        blocks,
        3,
        format!("Disparities — {}", grouping_title(grouping)),
    );
    let settings = table.significance;
    blocks.push(Block::Text(format!(
        "Every rate of every group over the reference group's (Aequitas's rules: {}), at parity within [{}, {}]; gaps tested on row counts (z-test, or Fisher's exact test for expected cells under 5), p-values adjusted by {} across the report, significant below {}.",
        serde_json::to_value(&table.reference_rule)
            .ok()
            .and_then(|v| v.get("rule").and_then(|r| r.as_str()).map(str::to_string))
            .unwrap_or_default()
            .replace('_', " "),
        table.band.low,
        number(Some(table.band.high)),
        match settings.adjustment {
            probity_fairness::significance::Adjustment::Holm => "Holm",
            probity_fairness::significance::Adjustment::BenjaminiHochberg => "Benjamini–Hochberg",
        },
        settings.level
    )));
    let mut rows = Vec::new();
    for metric in &table.metrics {
        for row in &metric.groups {
            rows.push(vec![
                metric.metric.aequitas_name().to_string(),
                group_name(&row.group),
                group_name(&metric.reference),
                number(Some(row.value)),
                number(Some(row.disparity)),
                yes_no(row.parity),
                row.significance
                    .as_ref()
                    .map(|g| p_value(g.adjusted_p_value))
                    .unwrap_or_else(|| "—".into()),
                yes_no(row.significance.as_ref().map(|g| g.significant)),
            ]);
        }
    }
    blocks.push(Block::Table {
        header: [
            "Metric",
            "Group",
            "Reference",
            "Value",
            "Disparity",
            "At parity",
            "Adjusted p",
            "Significant",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
}

fn impact_table(table: &ImpactTable, blocks: &mut Vec<Block>) {
    let (basis, selected, rate) = match (table.basis, table.median_score) {
        (ImpactBasis::ScoringRate, Some(median)) => (
            format!(" by scoring rate (above the median score {median:.4})"),
            "Above the median",
            "Scoring rate",
        ),
        _ => (String::new(), "Selected", "Selection rate"),
    };
    heading(
        blocks,
        3,
        format!(
            "NYC Local Law 144 impact ratios{basis} — by {}",
            table.features.join(" × ")
        ),
    );
    blocks.push(Block::Table {
        header: [
            "Category",
            "Applicants",
            selected,
            rate,
            "Impact ratio",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        rows: table
            .rows
            .iter()
            .map(|row| {
                vec![
                    group_name(&row.category),
                    row.applicants.to_string(),
                    row.selected.to_string(),
                    number(Some(row.selection_rate)),
                    number(row.impact_ratio),
                    row.excluded.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    });
    for note in &table.notes {
        blocks.push(Block::Text(note.clone()));
    }
}

fn four_fifths(rule: &FourFifths, blocks: &mut Vec<Block>) {
    let adverse: Vec<String> = rule.adverse_impact.iter().map(|g| group_name(g)).collect();
    blocks.push(Block::Facts(vec![
        (
            format!("Four-fifths rule (by {})", rule.features.join(" × ")),
            if rule.passes {
                "passes".into()
            } else {
                format!("adverse impact: {}", adverse.join("; "))
            },
        ),
        (
            "Lowest impact ratio".into(),
            number(rule.lowest_impact_ratio),
        ),
    ]));
}

/// The report-wide blocks: inequality of individual benefits and the slices found.
pub fn report_tables(fairness: &FairnessReport, blocks: &mut Vec<Block>) {
    if let Some(inequality) = &fairness.inequality {
        heading(blocks, 2, "Inequality of benefits");
        blocks.push(Block::Facts(vec![
            (
                "Generalized entropy index (α = 2)".into(),
                number(Some(inequality.generalized_entropy_index)),
            ),
            ("Theil index".into(), number(Some(inequality.theil_index))),
        ]));
    }
    if let Some(subgroups) = &fairness.subgroups {
        slices(subgroups, blocks);
    }
    if let Some(found) = &fairness.remedies {
        remedies(found, blocks);
    }
}

fn slices(report: &SubgroupReport, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Slices nobody declared");
    blocks.push(Block::Text(format!(
        "{} slices of up to {} of these columns, with at least {} rows, tested against the rest: {}.",
        report.slices_tested,
        report.options.max_depth,
        report.options.min_support,
        report.columns.join(", ")
    )));
    for (title, found) in [
        ("Error rate", &report.error_rate),
        ("Selection rate", &report.selection_rate),
    ] {
        heading(blocks, 3, format!("{title}: furthest from the rest"));
        blocks.push(Block::Table {
            header: [
                "Slice",
                "Rows",
                "Rate",
                "Rest",
                "Gap",
                "Adjusted p",
                "Significant",
            ]
            .map(String::from)
            .to_vec(),
            rows: found.iter().map(slice_row).collect(),
        });
    }
}

fn slice_row(slice: &Slice) -> Vec<String> {
    vec![
        slice
            .conditions
            .iter()
            .map(|c| format!("{} = {}", c.column, c.value))
            .collect::<Vec<_>>()
            .join(" & "),
        slice.rows.to_string(),
        number(Some(slice.rate)),
        number(Some(slice.rest_rate)),
        number(Some(slice.gap)),
        p_value(slice.adjusted_p_value),
        yes_no(Some(slice.significant)),
    ]
}

/// Fairlearn's threshold (`score > threshold`) in words.
fn strict_threshold(threshold: StrictThreshold) -> String {
    match threshold {
        StrictThreshold::SelectsNone => "none (> +∞)".into(),
        StrictThreshold::Above(t) => format!("> {t}"),
        StrictThreshold::SelectsAll => "all (> −∞)".into(),
    }
}

/// `before → after` of a figure, `—` where undefined.
fn before_after(before: Option<f64>, after: Option<Option<f64>>) -> String {
    match after {
        Some(after) => format!("{} → {}", number(before), number(after)),
        None => number(before),
    }
}

/// The remedies: per constraint, the thresholds per group that would satisfy
/// the policy with the figures before and after, and Fairlearn's randomized optimum.
fn remedies(found: &Remedies, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Remedies");
    blocks.push(Block::Text(format!(
        "One threshold per group of {} (a row is selected when its score is at or above it) that keeps the policy's bound over the groups in the verdict at the least loss of accuracy, against the audited threshold {}{}{}; and Fairlearn's ThresholdOptimizer, which randomizes between two thresholds per group (selecting when the score is above them) to equalize the constraint exactly.",
        found.features.join(" × "),
        found.audited_threshold,
        if found.weighted { "; rates and accuracy weighted" } else { "" },
        if found.approximate {
            "; scores were counted in fine bins, so thresholds are bin edges"
        } else {
            ""
        },
    )));
    for remedy in [&found.demographic_parity, &found.equalized_odds] {
        constraint_remedy(remedy, blocks);
    }
}

fn constraint_remedy(remedy: &ConstraintRemedy, blocks: &mut Vec<Block>) {
    let words = remedy.constraint.words();
    heading(blocks, 3, format!("Remedy for {words}"));
    if let Some(sentence) = &remedy.what_would_pass {
        blocks.push(Block::Text(sentence.clone()));
    }
    let thresholds = &remedy.thresholds;
    if let Some(reason) = &thresholds.reason {
        blocks.push(Block::Text(format!("No thresholds found: {reason}.")));
    }
    let (before, after) = (&thresholds.before, thresholds.after.as_ref());
    blocks.push(Block::Facts(vec![
        (
            "Accuracy (all rows)".into(),
            before_after(Some(before.accuracy), after.map(|a| Some(a.accuracy))),
        ),
        (
            "Demographic parity difference".into(),
            before_after(
                before.demographic_parity_difference,
                after.map(|a| a.demographic_parity_difference),
            ),
        ),
        (
            "Demographic parity ratio".into(),
            before_after(
                before.demographic_parity_ratio,
                after.map(|a| a.demographic_parity_ratio),
            ),
        ),
        (
            "Equalized odds difference".into(),
            before_after(
                before.equalized_odds_difference,
                after.map(|a| a.equalized_odds_difference),
            ),
        ),
        (
            "Within the bound".into(),
            before_after_bool(before.within_bound, after.map(|a| a.within_bound)),
        ),
        (
            "Search".into(),
            format!(
                "{}{}",
                thresholds.search,
                if thresholds.approximate {
                    " (approximate)"
                } else {
                    ""
                }
            ),
        ),
    ]));
    blocks.push(Block::Table {
        header: [
            "Group",
            "In verdict",
            "Threshold",
            "Selection rate",
            "True positive rate",
            "False positive rate",
        ]
        .map(String::from)
        .to_vec(),
        rows: thresholds
            .groups
            .iter()
            .map(|g| {
                let pair = |pick: fn(&GroupDecision) -> f64| {
                    before_after(
                        Some(pick(&g.before)),
                        g.after.as_ref().map(|a| Some(pick(a))),
                    )
                };
                vec![
                    group_name(&g.group),
                    yes_no(Some(g.in_verdict)),
                    match &g.after {
                        Some(a) => format!("{} → {}", g.before.threshold, a.threshold),
                        None => g.before.threshold.to_string(),
                    },
                    pair(|d| d.selection_rate),
                    pair(|d| d.true_positive_rate),
                    pair(|d| d.false_positive_rate),
                ]
            })
            .collect(),
    });
    match (&remedy.randomized, &remedy.randomized_not_run) {
        (Some(optimum), _) => {
            blocks.push(Block::Text(format!(
                "Fairlearn's optimum (ThresholdOptimizer, {} grid points{}): expected accuracy {} with every group at {} {}{}.",
                optimum.grid_size,
                if optimum.weighted {
                    "; Fairlearn itself ignores sample weights"
                } else {
                    ""
                },
                number(Some(optimum.expected_accuracy)),
                match remedy.constraint {
                    FairnessConstraint::DemographicParity => "selection rate",
                    FairnessConstraint::EqualizedOdds => "false positive rate",
                },
                number(Some(optimum.x_best)),
                optimum
                    .true_positive_rate
                    .map(|tpr| format!(" and true positive rate {}", number(Some(tpr))))
                    .unwrap_or_default(),
            )));
            let odds = remedy.constraint == FairnessConstraint::EqualizedOdds;
            let mut header: Vec<String> = ["Group", "p0", "Threshold 0", "p1", "Threshold 1"]
                .map(String::from)
                .to_vec();
            if odds {
                header.push("p ignore".into());
            }
            blocks.push(Block::Table {
                header,
                rows: optimum
                    .groups
                    .iter()
                    .map(|g| {
                        let mut row = vec![
                            group_name(&g.group),
                            number(Some(g.p0)),
                            strict_threshold(g.threshold0),
                            number(Some(g.p1)),
                            strict_threshold(g.threshold1),
                        ];
                        if odds {
                            row.push(number(g.p_ignore));
                        }
                        row
                    })
                    .collect(),
            });
        }
        (None, Some(reason)) => blocks.push(Block::Text(format!(
            "Fairlearn's optimum was not fitted: {reason}."
        ))),
        (None, None) => {}
    }
}

/// `yes → no` of a check before and after.
fn before_after_bool(before: bool, after: Option<bool>) -> String {
    match after {
        Some(after) => format!("{} → {}", yes_no(Some(before)), yes_no(Some(after))),
        None => yes_no(Some(before)),
    }
}
