//! NYC Local Law 144's scoring-rate table against a hand-computed one: the
//! sample's median score, each category's share above it, impact ratios
//! against the highest, the unknown category counted but not compared.

use polars::prelude::*;
use probity_fairness::regulation::{ImpactBasis, Profile};
use probity_fairness::{FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource};

#[test]
fn ll144_scoring_rates_match_a_hand_computed_table() {
    // 12 applicants; sorted scores 0.1 ... 0.95, the middle two 0.55 and 0.6: median 0.575.
    // f: 0.6, 0.7 of 5 above (0.4); m: 0.8, 0.9, 0.95 of 6 (0.5); unknown: 1 of 1.
    let rows = [
        ("f", 0.1),
        ("f", 0.2),
        ("f", 0.3),
        ("f", 0.6),
        ("f", 0.7),
        ("m", 0.4),
        ("m", 0.5),
        ("m", 0.8),
        ("m", 0.9),
        ("m", 0.95),
        ("m", 0.55),
        ("unknown", 0.65),
    ];
    let frame = df!(
        "sex" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        "score" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "label" => (0..rows.len() as i64).map(|i| i % 2).collect::<Vec<_>>(),
    )
    .unwrap()
    .lazy();
    let spec = FairnessSpec {
        label: "label".into(),
        prediction: PredictionSource::Score {
            column: "score".into(),
            threshold: 0.5,
        },
        positive_label: LabelValue::Int(1),
        sensitive_features: vec!["sex".into()],
        sample_weight: None,
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            min_group_size: 1,
            profiles: vec![Profile::NycLl144],
            ..FairnessOptions::default()
        },
        policy: Policy::default(),
    };
    let report = probity_fairness::audit(frame, &spec).unwrap();
    let grouping = &report.groupings[0];
    let table = grouping.scoring_rate_impact_ratios.as_ref().unwrap();
    assert_eq!(table.basis, ImpactBasis::ScoringRate);
    assert_eq!(table.median_score, Some(0.575));
    let by_category: Vec<(&str, u64, u64, Option<f64>)> = table
        .rows
        .iter()
        .map(|r| {
            (
                r.category[0].as_str(),
                r.applicants,
                r.selected,
                r.impact_ratio,
            )
        })
        .collect();
    assert_eq!(
        by_category,
        [
            ("f", 5, 2, Some(0.4 / 0.5)),
            ("m", 6, 3, Some(1.0)),
            ("unknown", 1, 1, None),
        ]
    );
    assert_eq!(table.most_selected, Some(vec!["m".to_string()]));
    assert_eq!(table.unknown_applicants, 1);
    // the selection-rate table is still there, by the 0.5 threshold
    let selection = grouping.impact_ratios.as_ref().unwrap();
    assert_eq!(selection.basis, ImpactBasis::SelectionRate);
    assert_eq!(selection.rows[0].selected, 2);
    assert_eq!(selection.rows[1].selected, 5);
}
