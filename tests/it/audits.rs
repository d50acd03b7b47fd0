//! Audits through the HTTP API: the COMPAS recidivism data against
//! ProPublica's published figures, bad requests and bad data, reports.

use crate::common;

use common::{Options, TestApp, assert_failed_saying, expect_problem};
use serde_json::{Value, json};

const COMPAS: &str = include_str!("../data/compas.csv");

async fn upload(app: &TestApp, bytes: &[u8], name: &str) -> String {
    let dataset = app.dataset(bytes.to_vec(), name).await;
    dataset["id"].as_str().unwrap().to_string()
}

async fn run_audit(app: &TestApp, body: Value) -> Value {
    let response = app.post("/v1/audits").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let job: Value = response.json().await.unwrap();
    assert_eq!(job["kind"], "audit");
    app.wait_for_job(job["id"].as_str().unwrap()).await
}

fn group<'a>(grouping: &'a Value, name: &str) -> &'a Value {
    grouping["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"][0] == name)
        .unwrap()
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap();
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

#[tokio::test]
async fn compas_through_the_api_reproduces_propublicas_error_rates() {
    let app = TestApp::spawn().await;
    let dataset = upload(&app, COMPAS.as_bytes(), "compas.csv").await;
    let job = run_audit(
        &app,
        json!({
            "dataset_id": dataset,
            "label_column": "two_year_recid",
            "prediction_column": "high_risk",
            "positive_label": 1,
            "sensitive_features": ["race", "sex"],
            "reference_groups": {"race": "Caucasian"},
            "checks": {"fairness": {"bootstrap": {"resamples": 200, "seed": 1}}},
        }),
    )
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["verdict"], "fail");
    let report: Value = app
        .get(job["result"]["report_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = &report["body"];
    assert_eq!(body["fairness"]["rows"], 7214);
    let race = &body["fairness"]["groupings"][0];
    assert_eq!(race["features"], json!(["race"]));
    // ProPublica: Black FPR 44.85 %, FNR 27.99 %; White FPR 23.45 %, FNR 47.72 %.
    let black = &group(race, "African-American")["rates"];
    let white = &group(race, "Caucasian")["rates"];
    close(&black["false_positive_rate"], 805.0 / 1795.0);
    close(&black["false_negative_rate"], 532.0 / 1901.0);
    close(&white["false_positive_rate"], 349.0 / 1488.0);
    close(&white["false_negative_rate"], 461.0 / 966.0);
    assert_eq!(
        format!(
            "{:.2}",
            black["false_positive_rate"].as_f64().unwrap() * 100.0
        ),
        "44.85"
    );
    assert_eq!(
        format!(
            "{:.2}",
            white["false_negative_rate"].as_f64().unwrap() * 100.0
        ),
        "47.72"
    );
    assert_eq!(group(race, "Native American")["small"], true);
    assert_eq!(race["reference"]["group"], json!(["Caucasian"]));
    assert_eq!(race["reference"]["chosen_by"], "reference_groups");
    let eo = &race["aggregates"]["equalized_odds_difference"]["worst_case"]["between_groups"];
    assert!(eo["ci"][0].as_f64().unwrap() <= eo["value"].as_f64().unwrap());
    assert_eq!(
        body["fairness"]["groupings"].as_array().unwrap().len(),
        3,
        "race, sex, race × sex"
    );

    // The stored hash is the sha256 of the body's canonical JSON; headline columns match the body.
    assert_eq!(
        report["sha256"],
        probity_audit::report::canonical_sha256(body)
    );
    let intersection = &body["fairness"]["groupings"][2]["aggregates"];
    assert_eq!(
        report["demographic_parity_difference"],
        intersection["demographic_parity_difference"]["between_groups"]["value"]
    );
    assert_eq!(
        report["dataset_sha256"],
        body["inputs"]["dataset"]["sha256"]
    );

    let listed: Value = app
        .get(&format!("/v1/reports?verdict=fail&dataset_id={dataset}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(listed["items"][0].get("body").is_none());
    let none: Value = app
        .get("/v1/reports?verdict=pass")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(none["items"].as_array().unwrap().is_empty());
    expect_problem(
        app.get("/v1/reports?verdict=maybe").send().await.unwrap(),
        422,
    )
    .await;

    let update = sqlx::query("UPDATE reports SET verdict = 'pass'")
        .execute(&app.pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("immutable"));
    app.stop().await;
}

#[tokio::test]
async fn scores_give_per_group_auc_and_a_threshold_sweep() {
    let app = TestApp::spawn().await;
    let dataset = upload(&app, COMPAS.as_bytes(), "compas.csv").await;
    let job = run_audit(
        &app,
        json!({
            "dataset_id": dataset,
            "label_column": "two_year_recid",
            "score_column": "risk_score",
            "threshold": 0.45,
            "positive_label": 1,
            "sensitive_features": ["race"],
            "checks": {"fairness": {"bootstrap": {"resamples": 0}, "proxies": false}},
        }),
    )
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let report: Value = app
        .get(job["result"]["report_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let race = &report["body"]["fairness"]["groupings"][0];
    // decile / 10 >= 0.45 is the same prediction as the Medium/High score text.
    close(
        &group(race, "African-American")["rates"]["false_positive_rate"],
        805.0 / 1795.0,
    );
    let auc = group(race, "Caucasian")["roc_auc"]["value"]
        .as_f64()
        .unwrap();
    assert!((0.6..0.8).contains(&auc), "{auc}");
    let sweep = &race["threshold_sweep"];
    assert_eq!(sweep["thresholds"].as_array().unwrap().len(), 21);
    let curve = sweep["curves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["group"][0] == "African-American")
        .unwrap();
    assert_eq!(
        curve["selection_rate"][0], 1.0,
        "everyone is selected at threshold 0"
    );
    close(&curve["false_positive_rate"][9], 805.0 / 1795.0);
    // calibration: the bins' weights add up to the group, ECE is a weighted mean gap
    let calibration = &group(race, "Caucasian")["calibration"];
    let bins = calibration["bins"].as_array().unwrap();
    let rows: f64 = bins.iter().map(|b| b["weight"].as_f64().unwrap()).sum();
    assert_eq!(rows, group(race, "Caucasian")["rows"].as_f64().unwrap());
    let ece: f64 = bins
        .iter()
        .map(|b| {
            b["weight"].as_f64().unwrap() / rows
                * (b["positive_rate"].as_f64().unwrap() - b["mean_score"].as_f64().unwrap()).abs()
        })
        .sum();
    close(&calibration["expected_calibration_error"], ece);
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_are_rejected_before_a_job_is_queued() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let dataset = upload(&app, COMPAS.as_bytes(), "compas.csv").await;
    let base = json!({
        "dataset_id": dataset, "label_column": "two_year_recid", "prediction_column": "high_risk",
        "positive_label": 1, "sensitive_features": ["race"],
    });
    let with = |patch: Value| {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (
            with(json!({"sensitive_features": ["ethnicity"]})),
            "sensitive_features",
            Some("ethnicity"),
        ),
        (
            with(json!({"label_column": "reoffended"})),
            "label_column",
            Some("reoffended"),
        ),
        (
            with(json!({"score_column": "risk_score"})),
            "prediction_column",
            None,
        ),
        (
            with(json!({"model_id": "4a1b0d36-3f9f-4a57-a8a6-2d6c1a2f0b77"})),
            "model_id",
            None,
        ),
        (
            with(json!({"checks": {"pii": {"quasi_identifiers": ["zipcode"]}}})),
            "checks.pii.quasi_identifiers",
            Some("zipcode"),
        ),
        (
            with(json!({"sensitive_features": []})),
            "sensitive_features",
            None,
        ),
        (
            with(json!({"dataset_id": "4a1b0d36-3f9f-4a57-a8a6-2d6c1a2f0b77"})),
            "dataset_id",
            None,
        ),
    ];
    for (body, field, column) in cases {
        let problem = expect_problem(
            app.post("/v1/audits").json(&body).send().await.unwrap(),
            422,
        )
        .await;
        assert_eq!(problem["location"]["field"], field, "{problem}");
        if let Some(column) = column {
            assert_eq!(problem["location"]["column"], column);
        }
    }
    let unknown = expect_problem(
        app.post("/v1/audits")
            .json(&with(json!({"colour": 1})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(unknown["detail"].as_str().unwrap().contains("colour"));
    assert_eq!(app.count("jobs").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn bad_data_fails_the_job_with_the_column_and_row() {
    let app = TestApp::spawn().await;
    let cases: [(&[u8], &str); 4] = [
        (
            b"g,label,pred\na,1,1\nb,0,0\na,2,1\n",
            "column `label`, row 3: a third label value",
        ),
        (
            b"g,label,pred\na,1,1\n,0,0\nb,1,1\n",
            "column `g`, row 2: missing value",
        ),
        (
            b"g,label,pred\na,1,1\nb,0,3\nb,1,0\n",
            "column `pred`, row 2: a third prediction value",
        ),
        (
            b"g,label,pred,w\na,1,1,1.5\nb,0,0,-2\n",
            "column `w`, row 2: a sample weight that is negative",
        ),
    ];
    for (data, expected) in cases {
        let dataset = upload(&app, data, "bad.csv").await;
        let mut body = json!({
            "dataset_id": dataset, "label_column": "label", "prediction_column": "pred",
            "positive_label": 1, "sensitive_features": ["g"],
        });
        if expected.contains("`w`") {
            body["sample_weight_column"] = json!("w");
        }
        let job = run_audit(&app, body).await;
        assert_failed_saying(&job, expected);
        assert_eq!(job["attempts"], 1, "bad data is not retried");
    }
    let scores = upload(&app, b"g,label,s\na,1,0.5\nb,0,1.7\n", "scores.csv").await;
    let job = run_audit(&app, json!({
        "dataset_id": scores, "label_column": "label", "score_column": "s", "positive_label": 1, "sensitive_features": ["g"],
    }))
    .await;
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("column `s`, row 2: a score outside [0, 1]"),
        "{job}"
    );
    assert_eq!(app.count("reports").await, 0);
    app.stop().await;
}

/// A logit model over `features`, threshold 0.5, to run in an audit.
fn linear_model_to_run(
    path: std::path::PathBuf,
    features: Vec<String>,
    sandbox: probity_audit::sandbox::ModelSandbox,
    scratch_dir: &std::path::Path,
) -> probity_audit::audit::ModelToRun {
    probity_audit::audit::ModelToRun {
        input: probity_audit::report::ModelInput {
            id: uuid::Uuid::nil(),
            name: "linear".into(),
            version: "1".into(),
            sha256: "0".repeat(64),
            threshold: 0.5,
            features: features.clone(),
            training: None,
        },
        path,
        features,
        output: probity_audit::model::ModelOutput::Logit,
        batch_size: 8192,
        sandbox,
        scratch_dir: scratch_dir.to_path_buf(),
    }
}

/// A model audit scores its dataset batch by batch (65,536 rows each) into a scratch
/// copy. Across several batches every row keeps its own score: the report equals the
/// audit of the same rows with the scores (from one whole-matrix run) as a column.
#[test]
fn a_model_audit_across_batches_equals_the_audit_of_its_scores() {
    use probity_audit::audit::{AuditModels, AuditRequest, run};
    use probity_audit::dataset::{DatasetFormat, DatasetLocation, scan};
    use probity_audit::inference::feature_matrix;
    use probity_audit::model::ModelOutput;
    use probity_audit::report::DatasetInput;
    use probity_audit::sandbox::SandboxLimits;
    use std::fmt::Write as _;

    let dir = tempfile::tempdir().unwrap();
    let rows = 150_000usize;
    let mut csv = String::from("x1,x2,group,label\n");
    for i in 0..rows {
        let x1 = (i * 7919 % 1000) as f64 / 250.0 - 2.0;
        let x2 = (i * 104_729 % 997) as f64 / 300.0 - 1.5;
        let group = ["a", "b", "c"][i % 3];
        writeln!(csv, "{x1},{x2},{group},{}", u8::from(i * 31 % 7 < 3)).unwrap();
    }
    let data = dir.path().join("data.csv");
    std::fs::write(&data, &csv).unwrap();
    let model_path = dir.path().join("model.pt");
    std::fs::write(&model_path, common::traced_linear_model(2, 1)).unwrap();
    let sandbox = common::model_sandbox(SandboxLimits::default());
    let features = vec!["x1".to_string(), "x2".to_string()];

    let frame = scan(&data, DatasetFormat::Csv).unwrap().collect().unwrap();
    let matrix = feature_matrix(&frame, &features).unwrap();
    let scored = sandbox
        .score_all(
            &model_path,
            ModelOutput::Logit,
            false,
            &matrix,
            8192,
            |_| true,
        )
        .unwrap();
    let mut with_scores = String::from("group,label,score\n");
    for (line, score) in csv.lines().skip(1).zip(&scored.scores) {
        let fields: Vec<&str> = line.split(',').collect();
        writeln!(
            with_scores,
            "{},{},{}",
            fields[2],
            fields[3],
            f64::from(*score)
        )
        .unwrap();
    }
    let scores_path = dir.path().join("scores.csv");
    std::fs::write(&scores_path, with_scores).unwrap();

    let input = |name: &str| DatasetInput {
        id: None,
        name: name.into(),
        sha256: "0".repeat(64),
    };
    let checks = json!({"fairness": {"bootstrap": {"resamples": 50}, "proxies": false}});
    let by_model: AuditRequest = serde_json::from_value(json!({
        "dataset_id": uuid::Uuid::nil(), "model_id": uuid::Uuid::nil(), "label_column": "label",
        "positive_label": 1, "sensitive_features": ["group"], "checks": checks,
    }))
    .unwrap();
    let model = linear_model_to_run(model_path.clone(), features, sandbox, dir.path());
    let streamed = run(
        &by_model,
        &DatasetLocation::file(&data, DatasetFormat::Csv),
        input("data.csv"),
        AuditModels {
            scorer: Some(model),
            ner: None,
        },
        &mut std::io::sink(),
    )
    .unwrap();
    let by_scores: AuditRequest = serde_json::from_value(json!({
        "dataset_id": uuid::Uuid::nil(), "score_column": "score", "threshold": 0.5, "label_column": "label",
        "positive_label": 1, "sensitive_features": ["group"], "checks": checks,
    }))
    .unwrap();
    let reference = run(
        &by_scores,
        &DatasetLocation::file(&scores_path, DatasetFormat::Csv),
        input("scores.csv"),
        AuditModels::default(),
        &mut std::io::sink(),
    )
    .unwrap();
    let (streamed, reference) = (streamed.fairness.unwrap(), reference.fairness.unwrap());
    assert_eq!(streamed.rows, rows as u64);
    assert_eq!(
        serde_json::to_value(&streamed.groupings).unwrap(),
        serde_json::to_value(&reference.groupings).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&streamed.overall).unwrap(),
        serde_json::to_value(&reference.overall).unwrap()
    );
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["data.csv", "model.pt", "scores.csv"],
        "the scored copy is deleted when the audit ends"
    );
}

/// A bad feature value past the first batch of a model audit is reported at its own
/// dataset row, and the run leaves no scratch file.
#[test]
fn a_bad_feature_value_in_a_later_batch_names_its_dataset_row() {
    use probity_audit::audit::{AuditError, AuditModels, AuditRequest, run};
    use probity_audit::dataset::{DatasetFormat, DatasetLocation};
    use probity_audit::inference::InferenceError;
    use probity_audit::report::DatasetInput;
    use probity_audit::sandbox::SandboxLimits;
    use std::fmt::Write as _;

    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("x1,x2,group,label\n");
    for i in 0..70_000 {
        let x1 = if i == 69_999 {
            String::new()
        } else {
            format!("{}", i % 5)
        };
        writeln!(csv, "{x1},1.5,{},{}", ["a", "b"][i % 2], i % 2).unwrap();
    }
    let data = dir.path().join("data.csv");
    std::fs::write(&data, csv).unwrap();
    let model_path = dir.path().join("model.pt");
    std::fs::write(&model_path, common::traced_linear_model(2, 1)).unwrap();
    let scratch = dir.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    let features = vec!["x1".to_string(), "x2".to_string()];
    let request: AuditRequest = serde_json::from_value(json!({
        "dataset_id": uuid::Uuid::nil(), "model_id": uuid::Uuid::nil(), "label_column": "label",
        "positive_label": 1, "sensitive_features": ["group"],
    }))
    .unwrap();
    let model = linear_model_to_run(
        model_path,
        features,
        common::model_sandbox(SandboxLimits::default()),
        &scratch,
    );
    let input = DatasetInput {
        id: None,
        name: "data.csv".into(),
        sha256: "0".repeat(64),
    };
    let error = run(
        &request,
        &DatasetLocation::file(&data, DatasetFormat::Csv),
        input,
        AuditModels {
            scorer: Some(model),
            ner: None,
        },
        &mut std::io::sink(),
    )
    .unwrap_err();
    match error {
        AuditError::Inference(InferenceError::MissingValue { column, row }) => {
            assert_eq!((column.as_str(), row), ("x1", 70_000));
        }
        other => panic!("expected a missing value, got {other:?}"),
    }
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0);
}

/// The tables auditors ask for beyond Fairlearn's figures, through the API on
/// COMPAS: Aequitas's disparities with tests, AIF360's inequality indices, the
/// LL144 and four-fifths tables, the slice search, and their renderings.
#[tokio::test]
async fn compas_audit_answers_with_disparities_tests_regulation_tables_and_slices() {
    let app = TestApp::spawn().await;
    let dataset = upload(&app, COMPAS.as_bytes(), "compas.csv").await;
    let job = run_audit(
        &app,
        json!({
            "dataset_id": dataset,
            "label_column": "two_year_recid",
            "prediction_column": "high_risk",
            "positive_label": 1,
            "sensitive_features": ["race", "sex"],
            "reference_groups": {"race": "Caucasian", "sex": "Male"},
            "checks": {"fairness": {
                "bootstrap": {"resamples": 0},
                "disparities": {"reference": "reference_groups"},
                "profiles": ["nyc_ll144", "four_fifths"],
                "subgroups": {"enabled": true, "min_support": 50},
            }},
        }),
    )
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let body = app.report_body(&job).await;
    let fairness = &body["fairness"];
    let race = &fairness["groupings"][0];
    let table = &race["disparities"];
    assert_eq!(
        table["reference_rule"],
        json!({"rule": "named", "group": ["Caucasian"]})
    );
    let fpr = table["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "false_positive_rate")
        .unwrap();
    let black = fpr["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"][0] == "African-American")
        .unwrap();
    close(&black["disparity"], (805.0 / 1795.0) / (349.0 / 1488.0));
    assert_eq!(black["parity"], false);
    assert_eq!(black["significance"]["test"], "two_proportion_z");
    assert_eq!(black["significance"]["significant"], true, "{black}");
    assert!(
        fairness["inequality"]["generalized_entropy_index"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(
        race["between_groups_inequality"]["theil_index"]
            .as_f64()
            .unwrap()
            > 0.0
    );

    // LL144 by sex: impact ratio = selection rate over the most selected category's
    let sex = &fairness["groupings"][1];
    let impact = &sex["impact_ratios"];
    let rows = impact["rows"].as_array().unwrap();
    let rate =
        |row: &Value| row["selected"].as_f64().unwrap() / row["applicants"].as_f64().unwrap();
    let top = rows.iter().map(rate).fold(0.0, f64::max);
    for row in rows {
        close(&row["impact_ratio"], rate(row) / top);
    }
    assert_eq!(
        rows.iter()
            .map(|r| r["applicants"].as_u64().unwrap())
            .sum::<u64>(),
        7214
    );
    assert!(sex["four_fifths"]["passes"].is_boolean());

    // the slice search looks past the declared features
    let search = &fairness["subgroups"];
    let columns: Vec<&str> = search["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        columns.contains(&"age_cat") && columns.contains(&"race"),
        "{columns:?}"
    );
    assert!(search["slices_tested"].as_u64().unwrap() > 50);
    let worst = &search["error_rate"][0];
    assert!(worst["rows"].as_u64().unwrap() >= 50 && worst["gap"].as_f64().unwrap() != 0.0);

    let id = job["result"]["report_id"].as_str().unwrap();
    for suffix in ["html", "md"] {
        let page = app
            .get(&format!("/v1/reports/{id}.{suffix}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for heading in [
            "Disparities",
            "NYC Local Law 144",
            "Slices nobody declared",
            "Theil index",
        ] {
            assert!(page.contains(heading), "{suffix} lacks {heading}");
        }
    }
}

/// Bad options of the disparity table, its tests and the slice search are 422
/// problems naming the option, and queue no job.
#[tokio::test]
async fn bad_disparity_and_slice_options_name_the_option() {
    let app = TestApp::spawn().await;
    let dataset = upload(&app, COMPAS.as_bytes(), "compas.csv").await;
    let cases = [
        (
            json!({"disparities": {"band": {"low": 0.0, "high": 1.25}}}),
            "checks.fairness.disparities.band",
        ),
        (
            json!({"disparities": {"significance": {"level": 1.5}}}),
            "checks.fairness.disparities.significance.level",
        ),
        (
            json!({"disparities": {"reference": "reference_groups"}}),
            "checks.fairness.disparities.reference",
        ),
        (
            json!({"subgroups": {"enabled": true, "max_depth": 4}}),
            "checks.fairness.subgroups.max_depth",
        ),
        (
            json!({"subgroups": {"max_cardinality": 1000}}),
            "checks.fairness.subgroups.max_cardinality",
        ),
    ];
    for (fairness, field) in cases {
        let problem = expect_problem(
            app.post("/v1/audits")
                .json(&json!({
                    "dataset_id": dataset,
                    "label_column": "two_year_recid",
                    "prediction_column": "high_risk",
                    "positive_label": 1,
                    "sensitive_features": ["race"],
                    "checks": {"fairness": fairness},
                }))
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(problem["location"]["field"], field, "{problem}");
    }
    assert_eq!(app.count("jobs").await, 0);
}
