//! Counterfactual tests through the service: a model whose decisions depend
//! on a sensitive input is told apart from one that ignores it; proxies are
//! tested, non-inputs skipped with the reason; a paired dataset of any
//! system's outcomes is audited the same way; bad options and bad paired
//! data are clear errors; the section is rendered and reproducible.

use serde_json::{Value, json};

use crate::common::{TestApp, expect_problem, traced_linear_model_with};

/// 1,500 rows: `x` spread over [-1, 1), `sex` 0/1 alternating, `postcode`
/// 0..3 (a model input standing in for it), `group` a string label of sex.
fn applicants_csv() -> String {
    let mut csv = String::from("x,sex,postcode,group,label\n");
    for i in 0..1500usize {
        let x = (i * 7919 % 1500) as f64 / 750.0 - 1.0;
        let sex = i % 2;
        csv.push_str(&format!(
            "{x},{sex},{},{},{}\n",
            i % 3,
            ["f", "m"][sex],
            u8::from(i * 31 % 7 < 3)
        ));
    }
    csv
}

async fn model(app: &TestApp, weights: &[f32], name: &str) -> Value {
    let response = app
        .upload_model(
            traced_linear_model_with(weights, -0.2),
            &json!({"name": name, "version": "1", "features": ["x", "sex", "postcode"], "output": "logit"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn audit(app: &TestApp, body: Value) -> Value {
    let job = app.run_job("/v1/audits", &body).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    app.report(&job).await
}

#[tokio::test]
async fn the_check_tells_a_model_that_uses_a_sensitive_input_from_one_that_ignores_it() {
    let app = TestApp::spawn().await;
    let dataset = app
        .dataset(applicants_csv().into_bytes(), "applicants.csv")
        .await;
    let biased = model(&app, &[2.0, 1.5, 0.0], "biased").await;
    let blind = model(&app, &[2.0, 0.0, 0.0], "blind").await;
    let request = |model: &Value| {
        json!({
            "dataset_id": dataset["id"], "model_id": model["id"], "label_column": "label",
            "positive_label": 1, "sensitive_features": ["sex", "group"],
            "checks": {"fairness": {"bootstrap": {"resamples": 0}}, "counterfactual": {"proxy_columns": ["postcode"]}},
        })
    };

    let report = audit(&app, request(&biased)).await;
    let section = &report["body"]["counterfactual"];
    assert_eq!(section["method"], "model");
    assert_eq!(section["rows"], 1500);
    assert_eq!(section["verdict"], "fail", "{section}");
    let features = section["features"].as_array().unwrap();
    let sex = features.iter().find(|f| f["feature"] == "sex").unwrap();
    assert_eq!(sex["verdict"], "fail");
    let to_male = sex["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"] == "0" && c["to"] == "1")
        .unwrap();
    assert_eq!(to_male["pairs"], 750);
    assert_eq!(to_male["to_negative"], 0, "a higher logit never refuses");
    assert!(to_male["to_positive"].as_u64().unwrap() > 100, "{to_male}");
    assert_eq!(to_male["significant"], true);
    assert!(to_male["mcnemar_p_value"].as_f64().unwrap() < 1e-20);
    assert!(to_male["mean_score_change"].as_f64().unwrap() > 0.1);
    // postcode is an input with weight 0: tested, and it never moves a score
    let postcode = features
        .iter()
        .find(|f| f["feature"] == "postcode")
        .unwrap();
    assert_eq!(postcode["flip_share"], 0.0);
    assert_eq!(postcode["largest_score_change"], 0.0);
    assert_eq!(postcode["comparisons"].as_array().unwrap().len(), 6);
    // a sensitive feature that is not an input is named with the reason
    let skipped = section["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["column"], "group");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("not an input")
    );
    assert_eq!(report["body"]["verdict"], "fail");

    let report = audit(&app, request(&blind)).await;
    let section = &report["body"]["counterfactual"];
    assert_eq!(section["verdict"], "pass", "{section}");
    for feature in section["features"].as_array().unwrap() {
        assert_eq!(feature["flip_share"], 0.0, "{feature}");
        assert_eq!(feature["largest_score_change"], 0.0, "{feature}");
        for comparison in feature["comparisons"].as_array().unwrap() {
            assert_eq!(comparison["mcnemar_p_value"], 1.0);
            assert_eq!(comparison["outcome"], "pass");
        }
    }

    // rendered, and the same results again on a re-run
    let id = report["id"].as_str().unwrap();
    let html = app
        .get(&format!("/v1/reports/{id}.html"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Counterfactual tests"), "no section");
    let job: Value = app
        .post(&format!("/v1/reports/{id}/reproduce"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let done = app.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(done["result"]["reproduction"]["matches"], true, "{done}");
    app.stop().await;
}

/// A paired dataset: each case asked with three names; the system answers
/// on a score that name `b` raises and name `c` leaves alone.
fn paired_csv(repeat_a_variant: bool) -> String {
    let mut csv = String::from("case,name,answer,score\n");
    for case in 0..400usize {
        let base = (case * 7919 % 1000) as f64 / 1000.0;
        for (name, shift) in [("a", 0.0), ("b", 0.15), ("c", 0.0)] {
            let score = (base + shift).min(1.0);
            let answer = if score >= 0.5 { "approve" } else { "decline" };
            csv.push_str(&format!("q{case},{name},{answer},{score}\n"));
        }
    }
    if repeat_a_variant {
        csv.push_str("q7,b,decline,0.1\n");
    }
    csv
}

#[tokio::test]
async fn a_paired_dataset_of_any_systems_outcomes_is_audited_the_same_way() {
    let app = TestApp::spawn().await;
    let dataset = app
        .dataset(paired_csv(false).into_bytes(), "answers.csv")
        .await;
    let pairs = json!({
        "pair_column": "case", "variant_column": "name", "outcome_column": "answer",
        "positive_outcome": "approve", "score_column": "score", "reference_variant": "a",
    });
    let report = audit(
        &app,
        json!({"dataset_id": dataset["id"], "checks": {"fairness": null, "counterfactual": {"pairs": pairs}}}),
    )
    .await;
    let section = &report["body"]["counterfactual"];
    assert_eq!(section["method"], "pairs");
    assert_eq!(section["rows"], 800);
    assert_eq!(section["unpaired_rows"], 0);
    let comparisons = section["features"][0]["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), 2);
    assert_eq!(comparisons[0]["to"], "b");
    assert_eq!(comparisons[0]["outcome"], "fail");
    assert_eq!(comparisons[0]["to_negative"], 0);
    assert_eq!(comparisons[0]["to_positive"], 60);
    assert!((comparisons[0]["mean_score_change"].as_f64().unwrap() - 0.138_895).abs() < 1e-6);
    assert_eq!(comparisons[1]["to"], "c");
    assert_eq!(comparisons[1]["flips"], 0);
    assert_eq!(
        comparisons[1]["outcome"], "pass",
        "no flip in 400 pairs rules out 1 %"
    );
    assert_eq!(report["body"]["verdict"], "fail");
    let markdown = app
        .get(&format!(
            "/v1/reports/{}.md",
            report["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(markdown.contains("## Counterfactual tests"), "{markdown}");
    assert!(markdown.contains("| a | b | 400 |"), "{markdown}");
    let job: Value = app
        .post(&format!(
            "/v1/reports/{}/reproduce",
            report["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let done = app.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(done["result"]["reproduction"]["matches"], true, "{done}");

    // a case with the same variant twice: the job fails naming column and row, not a value
    let repeated = app
        .dataset(paired_csv(true).into_bytes(), "repeated.csv")
        .await;
    let job = app
        .run_job(
            "/v1/audits",
            &json!({"dataset_id": repeated["id"], "checks": {"fairness": null, "counterfactual": {"pairs": pairs}}}),
        )
        .await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].to_string();
    assert!(
        error.contains("`name`") && error.contains("row 1201"),
        "{error}"
    );
    assert!(!error.contains("q7"), "{error}");
    app.stop().await;
}

#[tokio::test]
async fn bad_counterfactual_options_are_422_problems_naming_the_option() {
    let app = TestApp::spawn().await;
    let dataset = app
        .dataset(applicants_csv().into_bytes(), "applicants.csv")
        .await;
    let base = json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1,
        "sensitive_features": ["sex"], "prediction_column": "label",
    });
    let with = |checks: Value| {
        let mut body = base.clone();
        body["checks"] = checks;
        body
    };
    for (checks, field) in [
        (json!({"counterfactual": {}}), "checks.counterfactual"),
        (
            json!({"counterfactual": {"max_rows": 0}}),
            "checks.counterfactual.max_rows",
        ),
        (
            json!({"counterfactual": {"confidence": 1.0}}),
            "checks.counterfactual.confidence",
        ),
        (
            json!({"counterfactual": {"max_values": 1}}),
            "checks.counterfactual.max_values",
        ),
        (
            json!({"counterfactual": {"pairs": {"pair_column": "nope", "variant_column": "sex", "outcome_column": "label", "positive_outcome": 1}}}),
            "checks.counterfactual.pairs.pair_column",
        ),
        (
            json!({"counterfactual": {"proxy_columns": ["postcode"], "pairs": {"pair_column": "x", "variant_column": "sex", "outcome_column": "label", "positive_outcome": 1}}}),
            "checks.counterfactual.proxy_columns",
        ),
    ] {
        let problem = expect_problem(
            app.post("/v1/audits")
                .json(&with(checks.clone()))
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(problem["location"]["field"], field, "{checks}: {problem}");
    }
    assert_eq!(app.count("jobs").await, 0);
    app.stop().await;
}
