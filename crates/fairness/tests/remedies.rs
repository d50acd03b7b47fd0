//! The threshold remedies: Fairlearn 0.15's ThresholdOptimizer optimum
//! against tests/golden/threshold_optimizer.fairlearn.json (made by
//! generate_threshold_optimizer.py there) to 1e-9, directly and through an
//! audit; the deterministic per-group thresholds against a brute force over
//! every combination of thresholds, checked again from the raw rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;
use probity_fairness::remedies::{
    FairnessConstraint, GroupScores, RandomizedThresholds, RemedyGroup, ScorePoint,
    StrictThreshold, bounded_thresholds, threshold_optimizer,
};
use probity_fairness::spec::BootstrapOptions;
use probity_fairness::{FairnessOptions, FairnessSpec, LabelValue, Policy, PredictionSource};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;
const CONSTRAINTS: [FairnessConstraint; 2] = [
    FairnessConstraint::DemographicParity,
    FairnessConstraint::EqualizedOdds,
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn reference() -> Value {
    let path = golden_dir().join("threshold_optimizer.fairlearn.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A case's rows: (group, label, score).
fn rows(case: &str) -> Vec<(String, bool, f64)> {
    let path = golden_dir().join(format!("threshold_optimizer_{case}.csv"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("group,label,score"));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (
                fields[0].to_string(),
                fields[1] == "1",
                fields[2].parse().unwrap(),
            )
        })
        .collect()
}

/// Rows as each group's distinct scores with unit weights.
fn group_scores(rows: &[(String, bool, f64, f64)]) -> Vec<GroupScores> {
    let mut groups: BTreeMap<&str, BTreeMap<u64, (f64, f64)>> = BTreeMap::new();
    for (group, label, score, weight) in rows {
        let cell = groups
            .entry(group)
            .or_default()
            .entry(score.to_bits())
            .or_default();
        if *label {
            cell.0 += weight;
        } else {
            cell.1 += weight;
        }
    }
    groups
        .into_iter()
        .map(|(group, points)| GroupScores {
            group: vec![group.to_string()],
            points: points
                .into_iter()
                .map(|(bits, (positive, negative))| ScorePoint {
                    score: f64::from_bits(bits),
                    positive,
                    negative,
                })
                .collect(),
        })
        .collect()
}

fn close(what: &str, expected: f64, actual: f64) {
    assert!(
        (expected - actual).abs() <= TOLERANCE,
        "{what}: expected {expected}, got {actual}"
    );
}

fn threshold(what: &str, expected: &Value, actual: StrictThreshold) {
    match expected.as_str() {
        Some("inf") => assert_eq!(actual, StrictThreshold::SelectsNone, "{what}"),
        Some("-inf") => assert_eq!(actual, StrictThreshold::SelectsAll, "{what}"),
        _ => close(what, expected.as_f64().unwrap(), actual.value()),
    }
}

/// Every figure of one fitted optimum against Fairlearn's; returns the number compared.
fn check_optimum(case: &str, expected: &Value, actual: &RandomizedThresholds) -> usize {
    let what = format!("{case} {}", actual.constraint.as_str());
    assert_eq!(actual.grid_size, 1000);
    assert_eq!(actual.rule, "score > threshold");
    close(
        &format!("{what} x_best"),
        expected["x_best"].as_f64().unwrap(),
        actual.x_best,
    );
    close(
        &format!("{what} expected accuracy"),
        expected["expected_accuracy"].as_f64().unwrap(),
        actual.expected_accuracy,
    );
    let y_best = expected["y_best"].as_f64().unwrap();
    match actual.constraint {
        FairnessConstraint::DemographicParity => {
            close(&format!("{what} y_best"), y_best, actual.expected_accuracy)
        }
        FairnessConstraint::EqualizedOdds => close(
            &format!("{what} y_best"),
            y_best,
            actual.true_positive_rate.unwrap(),
        ),
    }
    let groups = expected["groups"].as_object().unwrap();
    assert_eq!(groups.len(), actual.groups.len(), "{what}: groups");
    let mut compared = 4;
    for (name, group) in actual
        .groups
        .iter()
        .map(|g| g.group.join(","))
        .zip(&actual.groups)
    {
        let e = &groups[&name];
        let what = format!("{what} {name}");
        assert_eq!(e["operator0"], ">");
        assert_eq!(e["operator1"], ">");
        close(&format!("{what} p0"), e["p0"].as_f64().unwrap(), group.p0);
        close(&format!("{what} p1"), e["p1"].as_f64().unwrap(), group.p1);
        threshold(
            &format!("{what} threshold0"),
            &e["threshold0"],
            group.threshold0,
        );
        threshold(
            &format!("{what} threshold1"),
            &e["threshold1"],
            group.threshold1,
        );
        compared += 4;
        match actual.constraint {
            FairnessConstraint::DemographicParity => {
                assert!(group.p_ignore.is_none() && e.get("p_ignore").is_none())
            }
            FairnessConstraint::EqualizedOdds => {
                close(
                    &format!("{what} p_ignore"),
                    e["p_ignore"].as_f64().unwrap(),
                    group.p_ignore.unwrap(),
                );
                close(
                    &format!("{what} prediction_constant"),
                    e["prediction_constant"].as_f64().unwrap(),
                    group.prediction_constant.unwrap(),
                );
                compared += 2;
            }
        }
    }
    compared
}

#[test]
fn the_randomized_optimum_is_fairlearns() {
    let reference = reference();
    assert_eq!(reference["fairlearn"], "0.15.0");
    assert_eq!(reference["grid_size"], 1000);
    let mut compared = 0;
    for (case, expected) in reference["cases"].as_object().unwrap() {
        let rows: Vec<(String, bool, f64, f64)> = rows(case)
            .into_iter()
            .map(|(g, y, s)| (g, y, s, 1.0))
            .collect();
        let groups = group_scores(&rows);
        for constraint in CONSTRAINTS {
            let optimum = threshold_optimizer(&groups, constraint, false).unwrap();
            compared += check_optimum(case, &expected[constraint.as_str()], &optimum);
        }
    }
    assert!(compared >= 140, "only {compared} figures compared");
}

fn score_spec(threshold: f64) -> FairnessSpec {
    FairnessSpec {
        label: "label".into(),
        prediction: PredictionSource::Score {
            column: "score".into(),
            threshold,
        },
        positive_label: LabelValue::Int(1),
        sensitive_features: vec!["group".into()],
        sample_weight: None,
        reference_groups: Default::default(),
        options: FairnessOptions {
            proxies: false,
            bootstrap: BootstrapOptions {
                resamples: 0,
                ..Default::default()
            },
            ..FairnessOptions::default()
        },
        policy: Policy::default(),
    }
}

fn audit_csv(path: &Path, spec: &FairnessSpec) -> probity_fairness::FairnessReport {
    let frame = LazyCsvReader::new(PlRefPath::try_from_path(path).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap();
    probity_fairness::audit(frame, spec).unwrap()
}

/// The report's remedies carry the same optimum, from the audit's score counts.
#[test]
fn an_audit_reports_fairlearns_optimum_and_thresholds_within_the_bound() {
    let reference = reference();
    for (case, expected) in reference["cases"].as_object().unwrap() {
        let path = golden_dir().join(format!("threshold_optimizer_{case}.csv"));
        let report = audit_csv(&path, &score_spec(0.5));
        let remedies = report.remedies.as_ref().expect("scores give remedies");
        assert!(!remedies.approximate && !remedies.weighted);
        assert_eq!(remedies.features, ["group"]);
        for remedy in [&remedies.demographic_parity, &remedies.equalized_odds] {
            let optimum = remedy.randomized.as_ref().unwrap();
            check_optimum(case, &expected[remedy.constraint.as_str()], optimum);
            let thresholds = &remedy.thresholds;
            // the figures before are the report's own
            let verdict = |figure: &str| {
                report
                    .headline_grouping()
                    .verdicts
                    .iter()
                    .find(|v| v.figure == figure)
                    .unwrap()
                    .value
            };
            assert_eq!(
                thresholds.before.demographic_parity_difference,
                verdict("demographic_parity_difference")
            );
            assert_eq!(
                thresholds.before.equalized_odds_difference,
                verdict("equalized_odds_difference")
            );
            assert_eq!(thresholds.before.accuracy, report.overall.rates.accuracy);
            if thresholds.found {
                let after = thresholds.after.as_ref().unwrap();
                assert!(after.within_bound, "{case}: {thresholds:?}");
            }
            // a verdict that fails asks for a sentence
            let fails = report.headline_grouping().verdicts.iter().any(|v| {
                v.outcome == probity_fairness::policy::Outcome::Fail
                    && v.figure.starts_with(match remedy.constraint {
                        FairnessConstraint::DemographicParity => "demographic_parity",
                        FairnessConstraint::EqualizedOdds => "equalized_odds",
                    })
            });
            assert_eq!(
                remedy.what_would_pass.is_some(),
                fails,
                "{case}: {remedy:?}"
            );
        }
    }
    // a plain prediction column has no remedies, and the option turns them off
    let path = golden_dir().join("two_groups.csv");
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("two_groups.json")).unwrap(),
    )
    .unwrap();
    let spec = FairnessSpec {
        prediction: PredictionSource::Column(
            reference["spec"]["prediction"].as_str().unwrap().into(),
        ),
        label: reference["spec"]["label"].as_str().unwrap().into(),
        sensitive_features: vec![
            reference["spec"]["sensitive_features"][0]
                .as_str()
                .unwrap()
                .into(),
        ],
        positive_label: serde_json::from_value(reference["spec"]["positive_label"].clone())
            .unwrap(),
        ..score_spec(0.5)
    };
    assert!(audit_csv(&path, &spec).remedies.is_none());
    let mut off = score_spec(0.5);
    off.options.remedies.enabled = false;
    let path = golden_dir().join("threshold_optimizer_two_groups.csv");
    assert!(audit_csv(&path, &off).remedies.is_none());
}

/// A failing audit says which thresholds would pass, and they do.
#[test]
fn a_failing_audit_says_what_would_pass() {
    let path = golden_dir().join("threshold_optimizer_four_groups_ties.csv");
    let mut spec = score_spec(0.5);
    spec.options.min_group_size = 20;
    let report = audit_csv(&path, &spec);
    let remedies = report.remedies.unwrap();
    let dp = &remedies.demographic_parity;
    let sentence = dp
        .what_would_pass
        .as_deref()
        .expect("the audit fails demographic parity");
    assert!(sentence.starts_with("Thresholds east: "), "{sentence}");
    assert!(
        sentence.contains("(bound 0.1)") && sentence.contains("(bound 0.8)"),
        "{sentence}"
    );
    let after = dp.thresholds.after.as_ref().unwrap();
    assert!(after.within_bound);
    assert!(after.demographic_parity_difference.unwrap() <= 0.1);
    assert!(after.demographic_parity_ratio.unwrap() >= 0.8);
    // the thresholds again, from the rows
    let rows: Vec<(String, bool, f64, f64)> = rows("four_groups_ties")
        .into_iter()
        .map(|(g, y, s)| (g, y, s, 1.0))
        .collect();
    let thresholds: Vec<f64> = dp
        .thresholds
        .groups
        .iter()
        .map(|g| g.after.as_ref().unwrap().threshold)
        .collect();
    let names: Vec<String> = dp
        .thresholds
        .groups
        .iter()
        .map(|g| g.group[0].clone())
        .collect();
    let raw = raw_figures(&rows, &names, &thresholds, &[true; 4]);
    assert!(raw.holds(FairnessConstraint::DemographicParity, &Policy::default()));
    assert!((raw.accuracy - after.accuracy).abs() <= 1e-12);
}

/// The figures of per-group thresholds recomputed from the raw rows.
struct RawFigures {
    accuracy: f64,
    selection: Vec<f64>,
    tpr: Vec<f64>,
    fpr: Vec<f64>,
}

impl RawFigures {
    fn holds(&self, constraint: FairnessConstraint, policy: &Policy) -> bool {
        let spread = |v: &[f64]| {
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            (max - min, min / max)
        };
        match constraint {
            FairnessConstraint::DemographicParity => {
                let (difference, ratio) = spread(&self.selection);
                difference <= policy.demographic_parity_difference_max
                    && ratio >= policy.demographic_parity_ratio_min
            }
            FairnessConstraint::EqualizedOdds => {
                spread(&self.tpr).0.max(spread(&self.fpr).0) <= policy.equalized_odds_difference_max
            }
        }
    }
}

/// `score >= thresholds[g]` per group from raw rows; rates of the groups `counted`.
fn raw_figures(
    rows: &[(String, bool, f64, f64)],
    groups: &[String],
    thresholds: &[f64],
    counted: &[bool],
) -> RawFigures {
    let mut cells = vec![[0.0f64; 4]; groups.len()];
    for (group, label, score, weight) in rows {
        let g = groups.iter().position(|name| name == group).unwrap();
        let selected = *score >= thresholds[g];
        let cell = match (*label, selected) {
            (true, true) => 0,
            (false, true) => 1,
            (false, false) => 2,
            (true, false) => 3,
        };
        cells[g][cell] += weight;
    }
    let ratio = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    let kept: Vec<&[f64; 4]> = cells
        .iter()
        .zip(counted)
        .filter(|(_, c)| **c)
        .map(|(cells, _)| cells)
        .collect();
    let correct: f64 = cells.iter().map(|c| c[0] + c[2]).sum();
    let total: f64 = cells.iter().map(|c| c.iter().sum::<f64>()).sum();
    RawFigures {
        accuracy: correct / total,
        selection: kept
            .iter()
            .map(|c| (c[0] + c[1]) / c.iter().sum::<f64>())
            .collect(),
        tpr: kept.iter().map(|c| ratio(c[0], c[0] + c[3])).collect(),
        fpr: kept.iter().map(|c| ratio(c[1], c[1] + c[2])).collect(),
    }
}

/// A seeded random case: groups of a few rows, scores on a coarse grid (ties), weights in halves.
fn random_case(rng: &mut StdRng, weighted: bool) -> Vec<(String, bool, f64, f64)> {
    let groups = rng.random_range(2..=3);
    let mut rows = Vec::new();
    for g in 0..groups {
        let size = rng.random_range(2..=7);
        let tilt: f64 = rng.random_range(-0.3..0.3);
        for _ in 0..size {
            let score = f64::from(rng.random_range(0..=10u32)) / 10.0;
            let label = rng.random::<f64>() < (score + tilt).clamp(0.05, 0.95);
            let weight = if weighted {
                [0.5, 1.0, 2.0][rng.random_range(0..3)]
            } else {
                1.0
            };
            rows.push((format!("g{g}"), label, score, weight));
        }
    }
    rows
}

/// The most accurate thresholds within the bound, trying every combination of
/// each group's distinct scores and a threshold above them all.
fn brute_force(
    rows: &[(String, bool, f64, f64)],
    names: &[String],
    counted: &[bool],
    audited: f64,
    constraint: FairnessConstraint,
    policy: &Policy,
) -> Option<f64> {
    let candidates: Vec<Vec<f64>> = names
        .iter()
        .zip(counted)
        .map(|(name, &counted)| {
            if !counted {
                return vec![audited];
            }
            let mut scores: Vec<f64> = rows.iter().filter(|r| &r.0 == name).map(|r| r.2).collect();
            scores.sort_by(f64::total_cmp);
            scores.dedup();
            scores.push(2.0);
            scores
        })
        .collect();
    let mut best: Option<f64> = None;
    let mut choice = vec![0usize; names.len()];
    loop {
        let thresholds: Vec<f64> = choice.iter().zip(&candidates).map(|(&k, c)| c[k]).collect();
        let figures = raw_figures(rows, names, &thresholds, counted);
        if figures.holds(constraint, policy) && best.is_none_or(|b| figures.accuracy > b) {
            best = Some(figures.accuracy);
        }
        // next combination
        let mut g = 0;
        loop {
            if g == names.len() {
                return best;
            }
            choice[g] += 1;
            if choice[g] < candidates[g].len() {
                break;
            }
            choice[g] = 0;
            g += 1;
        }
    }
}

#[test]
fn bounded_thresholds_are_the_brute_force_optimum_and_hold_on_the_rows() {
    let mut rng = StdRng::seed_from_u64(2024);
    let policies = [
        Policy::default(),
        Policy {
            demographic_parity_difference_max: 0.25,
            demographic_parity_ratio_min: 0.5,
            equalized_odds_difference_max: 0.3,
        },
        Policy {
            demographic_parity_difference_max: 0.5,
            demographic_parity_ratio_min: 0.0,
            equalized_odds_difference_max: 0.5,
        },
        // every group selecting all (or, for equalized odds, none) always
        // passes a sensible bound; a negative one none can pass
        Policy {
            demographic_parity_difference_max: -0.1,
            demographic_parity_ratio_min: 0.8,
            equalized_odds_difference_max: -0.1,
        },
    ];
    let (mut found, mut none) = (0, 0);
    for case in 0..600 {
        let rows = random_case(&mut rng, case % 2 == 1);
        let audited = f64::from(rng.random_range(1..10u32)) / 10.0;
        let mut names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        names.sort();
        names.dedup();
        // now and then a group outside the verdict, which keeps the audited threshold
        let counted: Vec<bool> = names
            .iter()
            .enumerate()
            .map(|(i, _)| !(case % 5 == 0 && i == names.len() - 1 && names.len() > 2))
            .collect();
        let scored = group_scores(&rows);
        let audited_cells: Vec<[f64; 4]> = names
            .iter()
            .map(|name| {
                let mut cells = [0.0; 4];
                for (_, label, score, weight) in rows.iter().filter(|r| &r.0 == name) {
                    let selected = *score >= audited;
                    cells[match (*label, selected) {
                        (true, true) => 0,
                        (false, true) => 1,
                        (false, false) => 2,
                        (true, false) => 3,
                    }] += weight;
                }
                cells
            })
            .collect();
        let groups: Vec<RemedyGroup> = scored
            .into_iter()
            .zip(&audited_cells)
            .zip(&counted)
            .map(|((scores, &cells), &in_verdict)| RemedyGroup {
                scores,
                audited_cells: cells,
                in_verdict,
            })
            .collect();
        for policy in &policies {
            for constraint in CONSTRAINTS {
                let remedy = bounded_thresholds(&groups, audited, constraint, policy, true);
                let expected = brute_force(&rows, &names, &counted, audited, constraint, policy);
                assert!(!remedy.approximate);
                let context = format!("case {case} {constraint:?} {policy:?}: {rows:?}");
                match expected {
                    None => {
                        assert!(!remedy.found, "{context}: {remedy:?}");
                        assert!(remedy.reason.is_some());
                        none += 1;
                    }
                    Some(accuracy) => {
                        assert!(remedy.found, "{context}: {remedy:?}");
                        let after = remedy.after.as_ref().unwrap();
                        assert!(after.within_bound, "{context}");
                        assert!(
                            (after.accuracy - accuracy).abs() <= 1e-12,
                            "{context}: {} vs brute force {accuracy}",
                            after.accuracy
                        );
                        // the reported thresholds, applied to the rows
                        let thresholds: Vec<f64> = remedy
                            .groups
                            .iter()
                            .map(|g| g.after.as_ref().unwrap().threshold)
                            .collect();
                        let raw = raw_figures(&rows, &names, &thresholds, &counted);
                        assert!(raw.holds(constraint, policy), "{context}: {thresholds:?}");
                        assert!((raw.accuracy - after.accuracy).abs() <= 1e-12, "{context}");
                        for (g, group) in remedy.groups.iter().enumerate() {
                            if !counted[g] {
                                assert_eq!(group.after.as_ref().unwrap().threshold, audited);
                            }
                        }
                        found += 1;
                    }
                }
            }
        }
    }
    assert_eq!((found, none), (3600, 1200));
}

/// A candidate's (selection rate, TPR, FPR, TP + TN).
type Rated = (f64, f64, f64, f64);

/// Each candidate of a group, rated as the report rates.
fn candidate_rates(points: &[ScorePoint]) -> Vec<Rated> {
    let mut points = points.to_vec();
    points.sort_by(|a, b| b.score.total_cmp(&a.score));
    let positives: f64 = points.iter().map(|p| p.positive).sum();
    let negatives: f64 = points.iter().map(|p| p.negative).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut out = Vec::new();
    for k in 0..=points.len() {
        if k > 0 {
            tp += points[k - 1].positive;
            fp += points[k - 1].negative;
        }
        let (tn, fn_) = (negatives - fp, positives - tp);
        out.push((
            (tp + fp) / (tp + fp + tn + fn_),
            ratio(tp, tp + fn_),
            ratio(fp, fp + tn),
            tp + tn,
        ));
    }
    out
}

/// The most gain with every group's rates in a box `[L, L + d]` (per rate
/// constrained), trying every achievable lower edge (pairs of them for equalized odds).
fn exhaustive_gain(
    groups: &[Vec<Rated>],
    constraint: FairnessConstraint,
    policy: &Policy,
) -> Option<f64> {
    let values = |pick: fn(&Rated) -> f64| {
        let mut v: Vec<f64> = groups.iter().flatten().map(pick).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let best_in = |admit: &dyn Fn(&Rated) -> bool| -> Option<f64> {
        groups
            .iter()
            .map(|g| g.iter().filter(|c| admit(c)).map(|c| c.3).reduce(f64::max))
            .sum()
    };
    let mut best: Option<f64> = None;
    let mut keep = |found: Option<f64>| {
        if let Some(f) = found
            && best.is_none_or(|b| f > b)
        {
            best = Some(f);
        }
    };
    match constraint {
        FairnessConstraint::DemographicParity => {
            let (d, r) = (
                policy.demographic_parity_difference_max,
                policy.demographic_parity_ratio_min,
            );
            for low in values(|c| c.0) {
                keep(best_in(&|c| {
                    c.0 >= low && c.0 - low <= d && c.0 > 0.0 && low / c.0 >= r
                }));
            }
        }
        FairnessConstraint::EqualizedOdds => {
            let e = policy.equalized_odds_difference_max;
            for t in values(|c| c.1) {
                for f in values(|c| c.2) {
                    keep(best_in(&|c| {
                        c.1 >= t && c.1 - t <= e && c.2 >= f && c.2 - f <= e
                    }));
                }
            }
        }
    }
    best
}

#[test]
fn larger_cases_match_an_exhaustive_band_search() {
    let mut rng = StdRng::seed_from_u64(99);
    for case in 0..40 {
        let groups: Vec<RemedyGroup> = (0..rng.random_range(3..=6))
            .map(|g| {
                let rows = rng.random_range(15..=60);
                let tilt: f64 = rng.random_range(-0.25..0.25);
                let mut points: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
                for _ in 0..rows {
                    let cents = rng.random_range(0..=100u32);
                    let label =
                        rng.random::<f64>() < (f64::from(cents) / 100.0 + tilt).clamp(0.02, 0.98);
                    let cell = points.entry(cents).or_default();
                    if label { cell.0 += 1.0 } else { cell.1 += 1.0 }
                }
                RemedyGroup {
                    scores: GroupScores {
                        group: vec![format!("g{g}")],
                        points: points
                            .into_iter()
                            .map(|(cents, (positive, negative))| ScorePoint {
                                score: f64::from(cents) / 100.0,
                                positive,
                                negative,
                            })
                            .collect(),
                    },
                    audited_cells: [0.0, 0.0, 1.0, 1.0],
                    in_verdict: true,
                }
            })
            .collect();
        let rates: Vec<Vec<Rated>> = groups
            .iter()
            .map(|g| candidate_rates(&g.scores.points))
            .collect();
        let weight: f64 = groups
            .iter()
            .flat_map(|g| &g.scores.points)
            .map(|p| p.positive + p.negative)
            .sum();
        for constraint in CONSTRAINTS {
            let policy = Policy::default();
            let remedy = bounded_thresholds(&groups, 0.5, constraint, &policy, true);
            let expected = exhaustive_gain(&rates, constraint, &policy).unwrap();
            assert!(
                !remedy.approximate && remedy.found,
                "case {case}: {remedy:?}"
            );
            let accuracy = remedy.after.unwrap().accuracy;
            assert!(
                (accuracy - expected / weight).abs() <= 1e-12,
                "case {case} {constraint:?}: {accuracy} vs {}",
                expected / weight
            );
        }
    }
}

/// 100 groups of 10,000 distinct scores each: both searches stay fast.
#[test]
fn a_hundred_groups_of_ten_thousand_scores_are_searched_quickly() {
    let mut rng = StdRng::seed_from_u64(7);
    let groups: Vec<RemedyGroup> = (0..100)
        .map(|g| {
            let shift = f64::from(g % 10) / 40.0;
            let points: Vec<ScorePoint> = (0..10_000)
                .map(|i| {
                    let score = (f64::from(i) + rng.random::<f64>()) / 10_000.0;
                    let positive =
                        f64::from(u8::from(rng.random::<f64>() < (score + shift).min(1.0)));
                    ScorePoint {
                        score,
                        positive,
                        negative: 1.0 - positive,
                    }
                })
                .collect();
            let mut cells = [0.0; 4];
            for p in &points {
                let selected = p.score >= 0.5;
                cells[if selected { 0 } else { 3 }] += p.positive;
                cells[if selected { 1 } else { 2 }] += p.negative;
            }
            RemedyGroup {
                scores: GroupScores {
                    group: vec![format!("g{g:03}")],
                    points,
                },
                audited_cells: cells,
                in_verdict: true,
            }
        })
        .collect();
    let limit = if cfg!(debug_assertions) { 30.0 } else { 1.0 };
    for constraint in CONSTRAINTS {
        let started = Instant::now();
        let remedy = bounded_thresholds(&groups, 0.5, constraint, &Policy::default(), true);
        let seconds = started.elapsed().as_secs_f64();
        println!("{constraint:?}: {seconds:.3} s, {}", remedy.search);
        assert!(remedy.found, "{remedy:?}");
        assert!(remedy.after.as_ref().unwrap().within_bound);
        assert!(seconds < limit, "{constraint:?} took {seconds} s");
        let started = Instant::now();
        let scores: Vec<GroupScores> = groups.iter().map(|g| g.scores.clone()).collect();
        threshold_optimizer(&scores, constraint, false).unwrap();
        let seconds = started.elapsed().as_secs_f64();
        println!("{constraint:?} Fairlearn's optimum: {seconds:.3} s");
        assert!(seconds < limit);
    }
}

/// Beyond 10^6 distinct (group, score) pairs the candidates are fine bins'
/// edges: flagged, and the thresholds still decide the rows as reported.
#[test]
fn binned_scores_give_bin_edges_that_hold_on_the_rows() {
    let n = 1_000_100usize;
    let scores: Vec<f64> = (0..n as u64)
        .map(|i| (i * 2_654_435_761 % 1_000_003) as f64 / 1_000_003.0)
        .collect();
    let groups: Vec<&str> = (0..n).map(|i| if i % 3 == 0 { "a" } else { "b" }).collect();
    let labels: Vec<bool> = (0..n)
        .map(|i| {
            let noise = (i as u64 * 40_503 % 1_000) as f64 / 1_000.0;
            noise < scores[i] + if groups[i] == "a" { -0.2 } else { 0.1 }
        })
        .collect();
    let frame = df!(
        "group" => &groups,
        "label" => labels.iter().map(|&y| i64::from(y)).collect::<Vec<_>>(),
        "score" => &scores,
    )
    .unwrap()
    .lazy();
    let report = probity_fairness::audit(frame, &score_spec(0.5)).unwrap();
    let remedies = report.remedies.unwrap();
    assert!(remedies.approximate);
    let rows: Vec<(String, bool, f64, f64)> = (0..n)
        .map(|i| (groups[i].to_string(), labels[i], scores[i], 1.0))
        .collect();
    for remedy in [&remedies.demographic_parity, &remedies.equalized_odds] {
        let found = &remedy.thresholds;
        assert!(found.approximate && found.found, "{found:?}");
        assert!(found.search.contains("fine score bins"), "{}", found.search);
        let after = found.after.as_ref().unwrap();
        assert!(after.within_bound);
        let names: Vec<String> = found.groups.iter().map(|g| g.group[0].clone()).collect();
        let thresholds: Vec<f64> = found
            .groups
            .iter()
            .map(|g| g.after.as_ref().unwrap().threshold)
            .collect();
        for t in &thresholds {
            assert_eq!((t * 65_536.0).fract(), 0.0, "{t} is a bin edge");
        }
        let raw = raw_figures(&rows, &names, &thresholds, &[true, true]);
        assert!(raw.holds(remedy.constraint, &Policy::default()));
        assert!((raw.accuracy - after.accuracy).abs() <= 1e-12);
        for (g, group) in found.groups.iter().enumerate() {
            let a = group.after.as_ref().unwrap();
            assert!((a.selection_rate - raw.selection[g]).abs() <= 1e-12);
            assert!((a.true_positive_rate - raw.tpr[g]).abs() <= 1e-12);
            assert!((a.false_positive_rate - raw.fpr[g]).abs() <= 1e-12);
        }
    }
}
