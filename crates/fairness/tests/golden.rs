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

/// The report of a golden case (CASE.json's spec over CASE.csv).
fn audit_case(case: &str) -> probity_fairness::FairnessReport {
    let spec_file = golden_dir().join(format!("{case}.json"));
    let spec =
        spec_from(&serde_json::from_str(&std::fs::read_to_string(spec_file).unwrap()).unwrap());
    let csv = golden_dir().join(format!("{case}.csv"));
    let frame = LazyCsvReader::new(PlRefPath::try_from_path(&csv).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap();
    probity_fairness::audit(frame, &spec).unwrap_or_else(|e| panic!("{case}: {e}"))
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
        // CASE.json only, not another tool's CASE.aequitas.json / CASE.aif360.json
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().matches('.').count() == 1)
        })
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

/// The disparity table against Aequitas 1.1 (tests/golden/*.aequitas.json,
/// made by generate_aequitas.py): every group's 12 rates, their disparities
/// to the reference under the three rules, the reference of each metric and
/// the parity verdicts, to 1e-12 and null exactly where Aequitas gives NaN.
#[test]
fn disparities_match_aequitas() {
    use probity_fairness::counts::Confusion;
    use probity_fairness::disparity::{
        self, DisparityReference, DisparityTable, ParityBand, SignificanceSettings,
    };
    use probity_fairness::significance::Adjustment;

    let mut checked = 0;
    let mut tested = 0;
    let mut cases = 0;
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(case) = name.strip_suffix(".aequitas.json") else {
            continue;
        };
        cases += 1;
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let report = audit_case(case);
        let groupings = expected["groupings"].as_array().unwrap();
        assert_eq!(groupings.len(), report.groupings.len(), "{case}");
        // Benjamini-Hochberg over the same gaps
        let mut bh: Vec<DisparityTable> = report
            .groupings
            .iter()
            .map(|g| g.disparities.clone().unwrap())
            .collect();
        let settings = SignificanceSettings {
            adjustment: Adjustment::BenjaminiHochberg,
            ..SignificanceSettings::default()
        };
        disparity::adjust_across(&mut bh.iter_mut().collect::<Vec<_>>(), settings);
        for (expected, table) in groupings.iter().zip(&bh) {
            for metric in &table.metrics {
                for row in &metric.groups {
                    if let Some(gap) = &row.significance {
                        let name = metric.metric.aequitas_name();
                        let key = row.group.join("|");
                        let test = &expected["rules"]["largest_group"][&key]["tests"][name];
                        assert_relative(
                            &format!("{case} {key} {name} BH"),
                            &test["benjamini_hochberg"],
                            gap.adjusted_p_value,
                        );
                        assert_eq!(gap.significant, gap.adjusted_p_value < 0.05);
                    }
                }
            }
        }
        for (expected, grouping) in groupings.iter().zip(&report.groupings) {
            let mut groups: Vec<(Vec<String>, Confusion)> = grouping
                .groups
                .iter()
                .map(|g| {
                    let c = &g.counts;
                    let rows = [
                        c.true_positives,
                        c.false_positives,
                        c.true_negatives,
                        c.false_negatives,
                    ];
                    (
                        g.group.clone(),
                        Confusion {
                            rows,
                            weight: rows.map(|r| r as f64),
                        },
                    )
                })
                .collect();
            groups.sort_by_cached_key(|(key, _)| key.join("|"));
            let named: Vec<String> = expected["named_reference"]
                .as_str()
                .unwrap()
                .split('|')
                .map(str::to_string)
                .collect();
            let band = ParityBand::symmetric(expected["tau"].as_f64().unwrap_or(0.8));
            let tables: [(&str, DisparityTable); 3] = [
                (
                    "largest_group",
                    grouping
                        .disparities
                        .clone()
                        .expect("the report has the table"),
                ),
                (
                    "min_metric",
                    disparity::disparities(
                        &groups,
                        &DisparityReference::LowestValue,
                        band,
                        SignificanceSettings::default(),
                    )
                    .unwrap(),
                ),
                (
                    "named",
                    disparity::disparities(
                        &groups,
                        &DisparityReference::Named { group: named },
                        band,
                        SignificanceSettings::default(),
                    )
                    .unwrap(),
                ),
            ];
            for (rule, table) in tables {
                let by_group = expected["rules"][rule].as_object().unwrap();
                for metric in &table.metrics {
                    let name = metric.metric.aequitas_name();
                    for row in &metric.groups {
                        let key = row.group.join("|");
                        let what = format!("{case} {:?} {rule} {key} {name}", grouping.features);
                        let reference = &by_group[&key];
                        let value = &expected["groups"][&key]["metrics"][name];
                        assert_exact(&what, value, row.value);
                        assert_exact(&what, &reference["disparity"][name], row.disparity);
                        assert_eq!(
                            reference["reference"][name].as_str().unwrap(),
                            metric.reference.join("|"),
                            "{what}: reference group"
                        );
                        if let Some(parity) = reference["parity"].get(name) {
                            assert_eq!(parity.as_bool(), row.parity, "{what}: parity");
                        }
                        if rule == "largest_group" {
                            let test = &reference["tests"][name];
                            match &row.significance {
                                None => assert!(test.is_null(), "{what}: scipy tested this gap"),
                                Some(gap) => {
                                    assert_eq!(
                                        serde_json::to_value(gap.test).unwrap(),
                                        test["test"],
                                        "{what}: test"
                                    );
                                    assert_relative(&what, &test["p_value"], gap.p_value);
                                    assert_relative(&what, &test["holm"], gap.adjusted_p_value);
                                    tested += 1;
                                }
                            }
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(cases >= 8, "only {cases} Aequitas cases");
    assert!(tested >= 400, "only {tested} p-values compared");
    assert!(checked > 1000, "only {checked} values compared");
}

/// p-values to 1e-12 relative (their adjustment sums and multiplies them).
fn assert_relative(what: &str, expected: &Value, actual: f64) {
    let e = expected
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no reference p-value"));
    assert!(
        (e - actual).abs() <= 1e-12 * e.abs(),
        "{what}: expected p {e:e}, got {actual:e}"
    );
}

fn assert_exact(what: &str, expected: &Value, actual: f64) {
    match expected.as_f64() {
        None => assert!(actual.is_nan(), "{what}: expected null, got {actual}"),
        Some(e) => assert!(
            (e - actual).abs() <= 1e-12 * e.abs().max(1.0),
            "{what}: expected {e}, got {actual}"
        ),
    }
}

/// The inequality indices against AIF360 0.6.1 (tests/golden/*.aif360.json,
/// made by generate_aif360.py), to 1e-12.
#[test]
fn inequality_indices_match_aif360() {
    let mut compared = 0;
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(case) = name.strip_suffix(".aif360.json") else {
            continue;
        };
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let report = audit_case(case);
        let overall = report.inequality;
        assert_close(
            case,
            "generalized entropy index",
            &expected["generalized_entropy_index"],
            overall.map(|i| i.generalized_entropy_index),
        );
        assert_close(
            case,
            "Theil index",
            &expected["theil_index"],
            overall.map(|i| i.theil_index),
        );
        let groupings = expected["groupings"].as_array().unwrap();
        assert_eq!(groupings.len(), report.groupings.len(), "{case}");
        for (expected, grouping) in groupings.iter().zip(&report.groupings) {
            let between = grouping.between_groups_inequality;
            let what = format!("{:?}", grouping.features);
            assert_close(
                case,
                &format!("{what} between-groups GE"),
                &expected["between_groups_generalized_entropy_index"],
                between.map(|i| i.generalized_entropy_index),
            );
            assert_close(
                case,
                &format!("{what} between-groups Theil"),
                &expected["between_groups_theil_index"],
                between.map(|i| i.theil_index),
            );
            compared += 2;
        }
        compared += 2;
    }
    assert!(compared >= 40, "only {compared} indices compared");
}

/// Calibration per group against scikit-learn's `calibration_curve`
/// (tests/golden/calibration.sklearn.json, made by generate_calibration.py),
/// scores on the bin edges included, to 1e-12.
#[test]
fn calibration_matches_scikit_learn() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("calibration.sklearn.json")).unwrap(),
    )
    .unwrap();
    let spec = FairnessSpec {
        label: "label".into(),
        prediction: PredictionSource::Score {
            column: "score".into(),
            threshold: 0.5,
        },
        positive_label: LabelValue::Int(1),
        sensitive_features: vec!["group".into()],
        sample_weight: None,
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            bootstrap: probity_fairness::spec::BootstrapOptions {
                resamples: 0,
                ..Default::default()
            },
            ..FairnessOptions::default()
        },
        policy: Policy::default(),
    };
    let csv = golden_dir().join("calibration.csv");
    let frame = LazyCsvReader::new(PlRefPath::try_from_path(&csv).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap();
    let report = probity_fairness::audit(frame, &spec).unwrap();
    let mut checked = 0;
    let mut check =
        |what: &str, expected: &Value, actual: &probity_fairness::scores::Calibration| {
            assert!(!actual.approximate, "{what}");
            let close = |name: &str, e: f64, a: f64| {
                assert!(
                    (e - a).abs() <= 1e-12,
                    "{what} {name}: expected {e}, got {a}"
                )
            };
            let bins = &actual.bins;
            let counts = expected["counts"].as_array().unwrap();
            assert_eq!(bins.len(), counts.len(), "{what}: non-empty bins");
            for (i, bin) in bins.iter().enumerate() {
                close("count", counts[i].as_f64().unwrap(), bin.weight);
                close(
                    "prob_true",
                    expected["prob_true"][i].as_f64().unwrap(),
                    bin.positive_rate,
                );
                close(
                    "prob_pred",
                    expected["prob_pred"][i].as_f64().unwrap(),
                    bin.mean_score,
                );
            }
            close(
                "ECE",
                expected["expected_calibration_error"].as_f64().unwrap(),
                actual.expected_calibration_error,
            );
            close(
                "calibration-in-the-large",
                expected["calibration_in_the_large"].as_f64().unwrap(),
                actual.calibration_in_the_large,
            );
            checked += 1;
        };
    check(
        "overall",
        &expected["overall"],
        report.overall.calibration.as_ref().unwrap(),
    );
    for group in &report.groupings[0].groups {
        let name = &group.group[0];
        check(
            name,
            &expected["groups"][name],
            group.calibration.as_ref().unwrap(),
        );
    }
    assert_eq!(checked, 4);
}
