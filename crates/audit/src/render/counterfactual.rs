//! The counterfactual section of a rendered report: per changed column, a
//! table of its comparisons (flip share with its interval, the direction of
//! the flips, McNemar's test, score changes).

use probity_fairness::counterfactual::{CounterfactualMethod, CounterfactualReport};

use super::audit_tables::{p_value, yes_no};
use super::document::{Block, heading, number};

/// The blocks of the counterfactual section.
pub fn section(report: &CounterfactualReport, blocks: &mut Vec<Block>) {
    heading(blocks, 2, "Counterfactual tests");
    let options = &report.options;
    blocks.push(Block::Verdict {
        outcome: report.verdict,
        text: format!(
            "A comparison passes when the {:.0} % interval of its flip share lies at or below {}, and fails when it lies above.",
            options.confidence * 100.0,
            options.max_flip_share
        ),
    });
    blocks.push(Block::Text(match report.method {
        CounterfactualMethod::Model => format!(
            "The audited model was re-run on {} sampled rows with one input changed at a time to each other value it takes.",
            report.rows
        ),
        CounterfactualMethod::Pairs => format!(
            "{} rows of the paired dataset were compared with the reference variant of their case{}.",
            report.rows,
            match report.unpaired_rows {
                Some(0) | None => String::new(),
                Some(n) => format!("; {n} rows had no reference variant and were left out"),
            }
        ),
    }));
    for feature in &report.features {
        heading(
            blocks,
            3,
            format!(
                "{}: {} of {} decisions flipped ({})",
                feature.feature,
                feature.comparisons.iter().map(|c| c.flips).sum::<u64>(),
                feature.pairs,
                feature.verdict.as_str()
            ),
        );
        blocks.push(Block::Table {
            header: [
                "From",
                "To",
                "Pairs",
                "Flip share [interval]",
                "To favourable",
                "To unfavourable",
                "McNemar adjusted p",
                "Significant",
                "Mean score change",
                "Largest score change",
                "Outcome",
            ]
            .map(String::from)
            .to_vec(),
            rows: feature
                .comparisons
                .iter()
                .map(|c| {
                    vec![
                        c.from.clone(),
                        c.to.clone(),
                        c.pairs.to_string(),
                        format!(
                            "{} [{:.4}, {:.4}]",
                            number(Some(c.flip_share)),
                            c.flip_share_interval[0],
                            c.flip_share_interval[1]
                        ),
                        c.to_positive.to_string(),
                        c.to_negative.to_string(),
                        p_value(c.adjusted_p_value),
                        yes_no(Some(c.significant)),
                        number(c.mean_score_change),
                        number(c.largest_score_change),
                        c.outcome.as_str().to_string(),
                    ]
                })
                .collect(),
        });
    }
    if !report.skipped.is_empty() {
        blocks.push(Block::Table {
            header: vec!["Column not tested".into(), "Why".into()],
            rows: report
                .skipped
                .iter()
                .map(|s| vec![s.column.clone(), s.reason.clone()])
                .collect(),
        });
    }
}
