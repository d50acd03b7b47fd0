//! The fairness engine against Fairlearn 0.15.0: every by-group metric and
//! aggregate in tests/golden/*.json (made by generate.py there)
//! must match to 1e-9, and be null exactly where Fairlearn gives NaN.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use probity_fairness::{self, FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn spec_from(reference: &Value) -> FairnessSpec {
    let spec = &reference["spec"];
    let positive_label: LabelValue =
        serde_json::from_value(spec["positive_label"].clone()).unwrap();
    FairnessSpec {
        label: spec["label"].as_str().unwrap().into(),
        prediction: PredictionSource::Column(spec["prediction"].as_str().unwrap().into()),
        positive_label,
        sensitive_features: spec["sensitive_features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect(),
        sample_weight: spec["sample_weight"].as_str().map(str::to_string),
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            bootstrap: Default::default(),
            ..FairnessOptions::default()
        },
        policy: Policy::default(),
    }
}

fn assert_close(case: &str, what: &str, expected: &Value, actual: Option<f64>) {
    match (expected.as_f64(), actual) {
        (None, None) => {}
        (Some(e), Some(a)) => assert!(
            (e - a).abs() <= TOLERANCE,
            "{case}: {what}: expected {e}, got {a}"
        ),
        (e, a) => panic!("{case}: {what}: expected {e:?}, got {a:?}"),
    }
}

fn nan_to_none(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

fn check_case(path: &Path) -> usize {
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let case = reference["case"].as_str().unwrap().to_string();
    let spec = spec_from(&reference);
    let csv = golden_dir().join(format!("{case}.csv"));
    let frame = LazyCsvReader::new(PlRefPath::try_from_path(&csv).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap();
    let report = probity_fairness::audit(frame, &spec).unwrap_or_else(|e| panic!("{case}: {e}"));
    let mut compared = 0;
    let expected_groupings = reference["groupings"].as_array().unwrap();
    assert_eq!(
        report.groupings.len(),
        expected_groupings.len(),
        "{case}: groupings"
    );
    for (expected, actual) in expected_groupings.iter().zip(&report.groupings) {
        let features: Vec<String> = expected["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().into())
            .collect();
        assert_eq!(actual.features, features, "{case}");
        let by_group = expected["by_group"].as_object().unwrap();
        for group in &actual.groups {
            let key = group.group.join("|");
            let Some(metrics) = by_group.get(&key) else {
                assert!(
                    group.dropped.is_some(),
                    "{case}: group {key} is not in Fairlearn's result and not dropped"
                );
                continue;
            };
            for (metric, value) in metrics.as_object().unwrap() {
                let rates = &group.rates;
                let actual = match metric.as_str() {
                    "selection_rate" => rates.selection_rate,
                    "true_positive_rate" => rates.true_positive_rate,
                    "false_positive_rate" => rates.false_positive_rate,
                    "true_negative_rate" => rates.true_negative_rate,
                    "false_negative_rate" => rates.false_negative_rate,
                    "precision" => rates.precision,
                    "accuracy" => rates.accuracy,
                    other => panic!("unknown metric {other}"),
                };
                assert_close(
                    &case,
                    &format!("{features:?} {key} {metric}"),
                    value,
                    nan_to_none(actual),
                );
                compared += 1;
            }
        }
        // Fairlearn lists unobserved intersections (empty cells) with every metric NaN; Probity lists observed groups only.
        let observed: Vec<&String> = by_group
            .iter()
            .filter(|(_, metrics)| metrics.as_object().unwrap().values().any(|v| !v.is_null()))
            .map(|(key, _)| key)
            .collect();
        for key in by_group.keys().filter(|k| !observed.contains(k)) {
            assert!(
                actual.groups.iter().all(|g| g.group.join("|") != *key),
                "{case}: empty cell {key} reported"
            );
        }
        assert_eq!(
            actual.groups.iter().filter(|g| g.dropped.is_none()).count(),
            observed.len(),
            "{case}: group count"
        );
        let aggregates = serde_json::to_value(&actual.aggregates).unwrap();
        for (name, expected) in expected["aggregates"].as_object().unwrap() {
            let actual = &aggregates[name];
            let mut pairs = Vec::new();
            if expected.get("worst_case").is_some() {
                for agg in ["worst_case", "mean"] {
                    for method in ["between_groups", "to_overall"] {
                        pairs.push((
                            format!("{name}.{agg}.{method}"),
                            &expected[agg][method],
                            &actual[agg][method],
                        ));
                    }
                }
            } else {
                for method in ["between_groups", "to_overall"] {
                    pairs.push((
                        format!("{name}.{method}"),
                        &expected[method],
                        &actual[method],
                    ));
                }
            }
            for (what, expected, actual) in pairs {
                let value = actual["value"].as_f64();
                if value.is_none() {
                    assert!(
                        actual["reason"].is_string(),
                        "{case}: {what} is null without a reason"
                    );
                }
                assert_close(&case, &format!("{features:?} {what}"), expected, value);
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn every_golden_case_matches_fairlearn() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "golden cases missing");
    let mut total = 0;
    for case in &cases {
        total += check_case(case);
    }
    assert!(total > 900, "only {total} figures compared");
}

#[test]
fn the_user_guide_example_gives_fairlearns_documented_figures() {
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("user_guide.json")).unwrap(),
    )
    .unwrap();
    let frame =
        LazyCsvReader::new(PlRefPath::try_from_path(&golden_dir().join("user_guide.csv")).unwrap())
            .finish()
            .unwrap();
    let report = probity_fairness::audit(frame, &spec_from(&reference)).unwrap();
    let aggregates = &report.headline_grouping().aggregates;
    assert_eq!(
        aggregates
            .demographic_parity_difference
            .between_groups
            .value,
        Some(0.25)
    );
    assert!(
        (aggregates
            .demographic_parity_ratio
            .between_groups
            .value
            .unwrap()
            - 2.0 / 3.0)
            .abs()
            < 1e-15
    );
    assert_eq!(
        aggregates
            .equalized_odds_difference
            .worst_case
            .between_groups
            .value,
        Some(1.0)
    );
    assert_eq!(
        aggregates
            .equalized_odds_ratio
            .worst_case
            .between_groups
            .value,
        Some(0.0)
    );
}
