//! The counterfactual check's statistics against scipy 1.17.1 and
//! statsmodels 0.15.0 (tests/golden/counterfactual.scipy.json, made by
//! generate_counterfactual.py there): exact McNemar p-values to 1e-12
//! relative, Wilson intervals to 1e-12, and a paired dataset read by the
//! engine against the same comparisons computed with pandas.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use probity_fairness::LabelValue;
use probity_fairness::counterfactual::{
    CounterfactualMethod, CounterfactualOptions, PairedOutcomes, mcnemar_exact, paired_tally,
    report, wilson_interval,
};
use probity_fairness::policy::Outcome;
use serde_json::Value;

fn golden() -> Value {
    let path = golden_dir().join("counterfactual.scipy.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn assert_relative(what: &str, expected: f64, actual: f64) {
    assert!(
        (expected - actual).abs() <= 1e-12 * expected.abs().max(1e-300),
        "{what}: expected {expected:e}, got {actual:e}"
    );
}

fn assert_close(what: &str, expected: f64, actual: f64) {
    assert!(
        (expected - actual).abs() <= 1e-12,
        "{what}: expected {expected:e}, got {actual:e}"
    );
}

#[test]
fn mcnemar_p_values_match_statsmodels() {
    let golden = golden();
    let cases = golden["mcnemar"].as_array().unwrap();
    for case in cases {
        let (b, c) = (case["b"].as_u64().unwrap(), case["c"].as_u64().unwrap());
        let expected = case["p_value"].as_f64().unwrap();
        assert_relative(&format!("mcnemar({b}, {c})"), expected, mcnemar_exact(b, c));
    }
    assert!(cases.len() >= 15);
}

#[test]
fn wilson_intervals_match_scipy() {
    for case in golden()["wilson"].as_array().unwrap() {
        let (k, n) = (case["k"].as_u64().unwrap(), case["n"].as_u64().unwrap());
        let confidence = case["confidence"].as_f64().unwrap();
        let [low, high] = wilson_interval(k, n, confidence);
        let expected = &case["interval"];
        let what = format!("wilson({k}, {n}, {confidence})");
        assert_close(&what, expected[0].as_f64().unwrap().max(0.0), low);
        assert_close(&what, expected[1].as_f64().unwrap().min(1.0), high);
    }
}

#[test]
fn a_paired_dataset_gives_the_comparisons_pandas_computes() {
    let golden = golden();
    let csv = golden_dir().join("counterfactual_pairs.csv");
    let frame = LazyCsvReader::new(PlRefPath::try_from_path(&csv).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap();
    let options = CounterfactualOptions {
        pairs: Some(PairedOutcomes {
            pair_column: "case".into(),
            variant_column: "name".into(),
            outcome_column: "answer".into(),
            positive_outcome: LabelValue::Text("approve".into()),
            score_column: Some("score".into()),
            reference_variant: Some("a".into()),
        }),
        ..CounterfactualOptions::default()
    };
    let pairs = options.pairs.as_ref().unwrap();
    let (tally, unpaired) = paired_tally(&frame, pairs, &options).unwrap();
    let expected = &golden["paired"];
    assert_eq!(unpaired, expected["unpaired_rows"].as_u64().unwrap());
    let report = report(tally, CounterfactualMethod::Pairs, Some(unpaired), &options);
    let [feature] = report.features.as_slice() else {
        panic!("one variant column: {:?}", report.features)
    };
    assert_eq!(feature.feature, "name");
    let wanted = expected["comparisons"].as_array().unwrap();
    assert_eq!(feature.comparisons.len(), wanted.len());
    for (actual, expected) in feature.comparisons.iter().zip(wanted) {
        let what = format!("{} -> {}", actual.from, actual.to);
        assert_eq!(actual.from, expected["from"].as_str().unwrap(), "{what}");
        assert_eq!(actual.to, expected["to"].as_str().unwrap(), "{what}");
        assert_eq!(actual.pairs, expected["pairs"].as_u64().unwrap(), "{what}");
        assert_eq!(
            actual.to_negative,
            expected["to_negative"].as_u64().unwrap()
        );
        assert_eq!(
            actual.to_positive,
            expected["to_positive"].as_u64().unwrap()
        );
        assert_relative(
            &what,
            expected["mcnemar_p_value"].as_f64().unwrap(),
            actual.mcnemar_p_value,
        );
        let interval = &expected["flip_share_interval"];
        assert_close(
            &what,
            interval[0].as_f64().unwrap().max(0.0),
            actual.flip_share_interval[0],
        );
        assert_close(
            &what,
            interval[1].as_f64().unwrap(),
            actual.flip_share_interval[1],
        );
        // score changes are summed in units of 2^-32, so the mean is exact to that
        let mean = expected["mean_score_change"].as_f64().unwrap();
        assert!(
            (mean - actual.mean_score_change.unwrap()).abs() <= 1e-9,
            "{what}"
        );
        assert_eq!(
            actual.largest_score_change.unwrap(),
            expected["largest_score_change"].as_f64().unwrap(),
            "{what}"
        );
    }
    // the system favours variant b and ignores c
    assert_eq!(feature.comparisons[0].outcome, Outcome::Fail);
    assert!(feature.comparisons[0].significant);
    assert_eq!(feature.comparisons[1].outcome, Outcome::Pass);
    assert!(!feature.comparisons[1].significant);
}

#[test]
fn bad_paired_data_names_the_column_and_row() {
    let frame = df!(
        "case" => ["q1", "q1", "q2", "q1"],
        "name" => ["a", "b", "a", "b"],
        "answer" => [1, 0, 1, 1],
    )
    .unwrap()
    .lazy();
    let pairs = PairedOutcomes {
        pair_column: "case".into(),
        variant_column: "name".into(),
        outcome_column: "answer".into(),
        positive_outcome: LabelValue::Int(1),
        score_column: None,
        reference_variant: None,
    };
    let options = CounterfactualOptions::default();
    let error = paired_tally(&frame, &pairs, &options).unwrap_err();
    assert_eq!(
        (error.column(), error.row()),
        (Some("name"), Some(4)),
        "{error}"
    );
    assert!(!error.to_string().contains("q1"), "{error}");

    let many = df!(
        "case" => (0..30).map(|i| format!("q{}", i % 2)).collect::<Vec<_>>(),
        "name" => (0..30).map(|i| format!("v{i}")).collect::<Vec<_>>(),
        "answer" => vec![1; 30],
    )
    .unwrap()
    .lazy();
    let error = paired_tally(&many, &pairs, &options).unwrap_err();
    assert!(error.to_string().contains("max_values"), "{error}");

    let missing = df!(
        "case" => [Some("q1"), None],
        "name" => ["a", "b"],
        "answer" => [1, 0],
    )
    .unwrap()
    .lazy();
    let error = paired_tally(&missing, &pairs, &options).unwrap_err();
    assert_eq!(
        (error.column(), error.row()),
        (Some("case"), Some(2)),
        "{error}"
    );
}
