//! The document blocks of the fairness tables auditors ask for beyond
//! Fairlearn's figures: Aequitas's disparity table with its significance,
//! AIF360's inequality indices, calibration per group, New York City Local Law 144's impact ratios,
//! the four-fifths rule and the slices nobody declared.

use probity_fairness::disparity::DisparityTable;
use probity_fairness::regulation::{FourFifths, ImpactTable};
use probity_fairness::subgroups::{Slice, SubgroupReport};
use probity_fairness::{FairnessReport, GroupingReport};

use super::document::{Block, group_name, grouping_title, heading, number};

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "—".into(),
    }
}

/// A p-value: scientific below 10⁻⁴.
fn p_value(p: f64) -> String {
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
    if let Some(table) = &grouping.impact_ratios {
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
    heading(
        blocks,
        3,
        format!(
            "NYC Local Law 144 impact ratios — by {}",
            table.features.join(" × ")
        ),
    );
    blocks.push(Block::Table {
        header: [
            "Category",
            "Applicants",
            "Selected",
            "Selection rate",
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
