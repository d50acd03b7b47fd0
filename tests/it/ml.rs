//! Inference and training jobs with the real libtorch.

use crate::common;

use std::time::Duration;

use common::{TestApp, expect_problem, traced_linear_model, wait_until};
use polars::prelude::*;
use serde_json::{Value, json};
use tch::nn::Module;

async fn upload_csv(app: &TestApp, body: String) -> Value {
    app.dataset(body.into_bytes(), "data.csv").await
}

async fn start(app: &TestApp, path: &str, body: Value) -> Value {
    let response = app.post(path).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn run(app: &TestApp, path: &str, body: Value) -> Value {
    let job = start(app, path, body).await;
    app.wait_for_job(job["id"].as_str().unwrap()).await
}

/// Deterministic pseudo-random numbers in [-1, 1) (no RNG crate needed in tests).
fn noise(i: usize, salt: u64) -> f64 {
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn feature_csv(rows: usize) -> (String, Vec<[f32; 3]>) {
    let mut csv = String::from("id,a,b,c\n");
    let mut values = Vec::new();
    for i in 0..rows {
        let row = [
            noise(i, 1) as f32 * 3.0,
            noise(i, 2) as f32,
            noise(i, 3) as f32 * 10.0,
        ];
        csv.push_str(&format!("{},{},{},{}\n", 1000 + i, row[0], row[1], row[2]));
        values.push(row);
    }
    (csv, values)
}

async fn download_parquet(app: &TestApp, dataset_id: &str) -> DataFrame {
    let bytes = app
        .get(&format!("/v1/datasets/{dataset_id}/download"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    ParquetReader::new(std::io::Cursor::new(bytes.to_vec()))
        .finish()
        .unwrap()
}

#[tokio::test]
async fn inference_reproduces_scores_computed_directly_with_tch() {
    let app = TestApp::spawn().await;
    let model_bytes = traced_linear_model(3, 1);
    let model: Value = app
        .upload_model(model_bytes.clone(), &json!({"name": "lin", "version": "1", "features": ["a", "b", "c"], "output": "logit", "threshold": 0.4}))
        .await
        .json()
        .await
        .unwrap();
    let (csv, values) = feature_csv(1000);
    let dataset = upload_csv(&app, csv).await;
    let job = run(&app, "/v1/inference-jobs", json!({
        "model_id": model["id"], "dataset_id": dataset["id"], "id_columns": ["id"], "batch_size": 128,
    }))
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["rows"], 1000);
    assert_eq!(job["result"]["device"], "cpu");
    let predictions_id = job["result"]["dataset_id"].as_str().unwrap();
    let predictions: Value = app
        .get(&format!("/v1/datasets/{predictions_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(predictions["format"], "parquet");
    assert_eq!(predictions["lineage"]["model"]["sha256"], model["sha256"]);
    assert_eq!(
        predictions["lineage"]["source_dataset"]["id"],
        dataset["id"]
    );
    assert_eq!(predictions["lineage"]["job_id"], job["id"]);

    // The same TorchScript file, called directly.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.pt");
    std::fs::write(&path, &model_bytes).unwrap();
    let module = tch::CModule::load(&path).unwrap();
    let flat: Vec<f32> = values.iter().flatten().copied().collect();
    let input = tch::Tensor::from_slice(&flat).view([1000, 3]);
    let expected = Vec::<f32>::try_from(
        tch::no_grad(|| module.forward(&input))
            .sigmoid()
            .flatten(0, -1),
    )
    .unwrap();

    let frame = download_parquet(&app, predictions_id).await;
    let ids: Vec<i64> = frame
        .column("id")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(ids, (1000..2000).collect::<Vec<i64>>());
    let scores: Vec<f64> = frame
        .column("score")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let labels: Vec<i32> = frame
        .column("prediction")
        .unwrap()
        .i32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    for (i, (score, expected)) in scores.iter().zip(&expected).enumerate() {
        assert!(
            (score - *expected as f64).abs() < 1e-6,
            "row {i}: {score} vs {expected}"
        );
        assert_eq!(labels[i], i32::from(*expected >= 0.4));
    }

    // Asking for CUDA runs on it where libtorch sees a GPU and on the CPU otherwise; the result says which.
    let on_cuda = run(
        &app,
        "/v1/inference-jobs",
        json!({"model_id": model["id"], "dataset_id": dataset["id"], "device": "cuda"}),
    )
    .await;
    assert_eq!(on_cuda["status"], "succeeded", "{on_cuda}");
    assert_eq!(
        on_cuda["result"]["device"],
        if tch::Cuda::is_available() {
            "cuda"
        } else {
            "cpu"
        }
    );
    app.stop().await;
}

/// A model that passes upload validation (batch of 2) but fails on any other batch size.
fn batch_of_two_model() -> Vec<u8> {
    let mut vs = tch::nn::VarStore::new(tch::Device::Cpu);
    let linear = tch::nn::linear(vs.root(), 3, 1, Default::default());
    vs.freeze();
    let example = tch::Tensor::zeros([2, 3], (tch::Kind::Float, tch::Device::Cpu));
    let module = tch::CModule::create_by_tracing("Fixed", "forward", &[example], &mut |inputs| {
        vec![linear.forward(&inputs[0].reshape([2, 3]))]
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixed.pt");
    module.save(&path).unwrap();
    std::fs::read(path).unwrap()
}

#[tokio::test]
async fn inference_failures_end_the_job_with_the_reason() {
    let app = TestApp::spawn().await;
    let meta = |name: &str| json!({"name": name, "version": "1", "features": ["a", "b", "c"], "output": "logit"});
    let fixed: Value = app
        .upload_model(batch_of_two_model(), &meta("fixed"))
        .await
        .json()
        .await
        .unwrap();
    let good: Value = app
        .upload_model(traced_linear_model(3, 1), &meta("good"))
        .await
        .json()
        .await
        .unwrap();
    let (csv, _) = feature_csv(50);
    let dataset = upload_csv(&app, csv).await;

    let failed = run(
        &app,
        "/v1/inference-jobs",
        json!({"model_id": fixed["id"], "dataset_id": dataset["id"], "batch_size": 16}),
    )
    .await;
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .starts_with("the model failed:"),
        "{failed}"
    );

    let nan = upload_csv(&app, "a,b,c\n1,2,3\n4,NaN,6\n".into()).await;
    let failed = run(
        &app,
        "/v1/inference-jobs",
        json!({"model_id": good["id"], "dataset_id": nan["id"]}),
    )
    .await;
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("feature column `b`, row 2: NaN"),
        "{failed}"
    );

    let missing = upload_csv(&app, "a,b\n1,2\n".into()).await;
    let problem = expect_problem(
        app.post("/v1/inference-jobs")
            .json(&json!({"model_id": good["id"], "dataset_id": missing["id"]}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["column"], "c");
    let text = upload_csv(&app, "a,b,c\n1,x,3\n".into()).await;
    let problem = expect_problem(
        app.post("/v1/inference-jobs")
            .json(&json!({"model_id": good["id"], "dataset_id": text["id"]}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("must be numeric"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_audit_with_a_model_runs_inference_in_the_same_job() {
    let app = TestApp::spawn().await;
    let model: Value = app
        .upload_model(traced_linear_model(3, 1), &json!({"name": "lin", "version": "2", "features": ["a", "b", "c"], "output": "logit", "threshold": 0.5}))
        .await
        .json()
        .await
        .unwrap();
    let mut csv = String::from("a,b,c,group,label\n");
    for i in 0..400 {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            noise(i, 1),
            noise(i, 2),
            noise(i, 3),
            ["x", "y"][i % 2],
            usize::from(noise(i, 4) > 0.0)
        ));
    }
    let dataset = upload_csv(&app, csv).await;
    let job = run(&app, "/v1/audits", json!({
        "dataset_id": dataset["id"], "model_id": model["id"], "label_column": "label", "positive_label": 1,
        "sensitive_features": ["group"], "checks": {"fairness": {"bootstrap": {"resamples": 50}}},
    }))
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
    assert_eq!(report["model_id"], model["id"]);
    let inputs = &report["body"]["inputs"];
    assert_eq!(inputs["model"]["sha256"], model["sha256"]);
    assert_eq!(inputs["model"]["threshold"], 0.5);
    assert!(
        report["body"]["timings"]["inference_seconds"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(report["body"]["fairness"]["rows"], 400);
    let both = expect_problem(app.post("/v1/audits").json(&json!({
        "dataset_id": dataset["id"], "model_id": model["id"], "prediction_column": "label", "label_column": "label",
        "positive_label": 1, "sensitive_features": ["group"],
    })).send().await.unwrap(), 422).await;
    assert_eq!(both["location"]["field"], "model_id");
    app.stop().await;
}

fn separable_csv(rows: usize) -> String {
    let mut csv = String::from("x1,x2,x3,label\n");
    for i in 0..rows {
        let (x1, x2, x3) = (noise(i, 11) * 5.0, noise(i, 12) * 2.0, noise(i, 13));
        csv.push_str(&format!(
            "{x1},{x2},{x3},{}\n",
            usize::from(2.0 * x1 - 3.0 * x2 + 1.0 > 0.0)
        ));
    }
    csv
}

#[tokio::test]
async fn training_is_accurate_deterministic_and_its_model_serves_inference() {
    let app = TestApp::spawn().await;
    let dataset = upload_csv(&app, separable_csv(2000)).await;
    let request = json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1, "feature_columns": ["x1", "x2", "x3"],
        "model": {"type": "logistic_regression"}, "epochs": 30, "batch_size": 64, "learning_rate": 0.05, "seed": 7,
    });
    let first = run(&app, "/v1/training-jobs", request.clone()).await;
    assert_eq!(first["status"], "succeeded", "{first}");
    let evaluation = &first["result"]["evaluation"][0];
    assert!(
        evaluation["validation_accuracy"].as_f64().unwrap() > 0.95,
        "{evaluation}"
    );
    assert_eq!(
        first["result"]["training_curve"].as_array().unwrap().len(),
        30
    );
    let second = run(&app, "/v1/training-jobs", request).await;
    assert_eq!(
        first["result"]["training_curve"], second["result"]["training_curve"],
        "same seed, same training"
    );

    let model: Value = app
        .get(first["result"]["model_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(model["features"], json!(["x1", "x2", "x3"]));
    assert_eq!(model["lineage"]["dataset"]["id"], dataset["id"]);
    assert!(model["lineage"]["training_curve"].is_array());
    let other: Value = app
        .get(second["result"]["model_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (a, b) = (
        download_model(&app, &model).await,
        download_model(&app, &other).await,
    );
    let probe = tch::Tensor::from_slice(&[1.0f32, -2.0, 0.5, 3.0, 0.1, -0.7]).view([2, 3]);
    assert_eq!(
        Vec::<f32>::try_from(a.forward(&probe).flatten(0, -1)).unwrap(),
        Vec::<f32>::try_from(b.forward(&probe).flatten(0, -1)).unwrap()
    );

    // The trained model is self-contained: raw (unstandardised) features in, one logit out.
    let inference = run(
        &app,
        "/v1/inference-jobs",
        json!({"model_id": model["id"], "dataset_id": dataset["id"]}),
    )
    .await;
    assert_eq!(inference["status"], "succeeded", "{inference}");
    let predictions =
        download_parquet(&app, inference["result"]["dataset_id"].as_str().unwrap()).await;
    let predicted: Vec<i32> = predictions
        .column("prediction")
        .unwrap()
        .i32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let truth: Vec<i32> = separable_csv(2000)
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    let agreement = predicted.iter().zip(&truth).filter(|(p, t)| p == t).count() as f64 / 2000.0;
    assert!(agreement > 0.95, "{agreement}");
    app.stop().await;
}

async fn download_model(app: &TestApp, model: &Value) -> tch::CModule {
    let bytes = app
        .get(&format!(
            "/v1/models/{}/download",
            model["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    tch::CModule::load_data(&mut std::io::Cursor::new(bytes.to_vec())).unwrap()
}

#[tokio::test]
async fn reweighing_lowers_the_demographic_parity_difference_of_a_biased_dataset() {
    let app = TestApp::spawn().await;
    let mut csv = String::from("group,proxy,skill,label\n");
    for i in 0..4000 {
        let group = usize::from(noise(i, 21) > 0.0);
        let proxy = group as f64 + 0.3 * noise(i, 22);
        let skill = noise(i, 23);
        // The label depends on the group far more than on skill.
        let label =
            usize::from(0.8 * (group as f64 - 0.5) + 0.4 * skill + 0.2 * noise(i, 24) > 0.0);
        csv.push_str(&format!("{},{proxy},{skill},{label}\n", ["a", "b"][group]));
    }
    let dataset = upload_csv(&app, csv).await;
    let job = run(&app, "/v1/training-jobs", json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1, "feature_columns": ["proxy", "skill"],
        "model": {"type": "mlp", "hidden": [8]}, "epochs": 15, "batch_size": 128, "learning_rate": 0.02, "seed": 3,
        "mitigation": {"type": "reweighing", "sensitive_features": ["group"]},
    }))
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let evaluation = job["result"]["evaluation"].as_array().unwrap();
    assert_eq!(evaluation.len(), 2);
    let (mitigated, baseline) = (&evaluation[0], &evaluation[1]);
    assert_eq!(mitigated["mitigation"], "reweighing");
    assert_eq!(baseline["mitigation"], "none");
    let dp = |e: &Value| e["demographic_parity_difference"].as_f64().unwrap();
    assert!(
        dp(mitigated) < dp(baseline),
        "reweighing {} vs none {}",
        dp(mitigated),
        dp(baseline)
    );

    // Auditing the trained model carries its training trade-off into the report and its rendering.
    let audit = run(&app, "/v1/audits", json!({
        "dataset_id": dataset["id"], "model_id": job["result"]["model_id"], "label_column": "label", "positive_label": 1,
        "sensitive_features": ["group"], "checks": {"fairness": {"bootstrap": {"resamples": 50}}},
    }))
    .await;
    assert_eq!(audit["status"], "succeeded", "{audit}");
    let report_id = audit["result"]["report_id"].as_str().unwrap();
    let report: Value = app
        .get(&format!("/v1/reports/{report_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        &report["body"]["inputs"]["model"]["training"]["evaluation"],
        &job["result"]["evaluation"]
    );
    let html = app
        .get(&format!("/v1/reports/{report_id}.html"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Training trade-off"), "no trade-off section");
    for evaluation in [mitigated, baseline] {
        assert!(html.contains(&format!(
            "<td>{}</td>",
            evaluation["mitigation"].as_str().unwrap()
        )));
        assert!(
            html.contains(&format!("{:.4}", dp(evaluation))),
            "{evaluation}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn cancel_stops_a_training_job_between_batches() {
    let app = TestApp::spawn().await;
    let dataset = upload_csv(&app, separable_csv(5000)).await;
    let job = start(&app, "/v1/training-jobs", json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1, "feature_columns": ["x1", "x2", "x3"],
        "model": {"type": "mlp", "hidden": [64, 64]}, "epochs": 5000, "batch_size": 8,
    }))
    .await;
    let id = job["id"].as_str().unwrap().to_string();
    wait_until(Duration::from_secs(60), || async {
        let job: Value = app
            .get(&format!("/v1/jobs/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (job["status"] == "running" && job["progress"].as_f64().unwrap() > 0.01).then_some(())
    })
    .await;
    assert_eq!(
        app.post(&format!("/v1/jobs/{id}/cancel"))
            .send()
            .await
            .unwrap()
            .status(),
        202
    );
    let done = app.wait_for_job(&id).await;
    assert_eq!(done["status"], "cancelled");
    assert_eq!(app.count("models").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn adult_income_with_and_without_reweighing() {
    let app = TestApp::spawn().await;
    let dataset: Value = app
        .upload_dataset(include_bytes!("../data/adult.csv").to_vec(), "adult.csv")
        .await
        .json()
        .await
        .unwrap();
    let job = run(&app, "/v1/training-jobs", json!({
        "dataset_id": dataset["id"], "label_column": "income", "positive_label": ">50K",
        "feature_columns": ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week", "is_male"],
        "model": {"type": "logistic_regression"}, "epochs": 8, "batch_size": 256, "learning_rate": 0.01, "seed": 1,
        "mitigation": {"type": "reweighing", "sensitive_features": ["sex"]},
    }))
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let evaluation = job["result"]["evaluation"].as_array().unwrap();
    eprintln!(
        "adult evaluation (validation split, by sex): {}",
        serde_json::to_string_pretty(evaluation).unwrap()
    );
    let (mitigated, baseline) = (&evaluation[0], &evaluation[1]);
    assert!(
        baseline["validation_accuracy"].as_f64().unwrap() > 0.78,
        "{baseline}"
    );
    assert!(
        mitigated["validation_accuracy"].as_f64().unwrap() > 0.72,
        "{mitigated}"
    );
    let dp = |e: &Value| e["demographic_parity_difference"].as_f64().unwrap();
    assert!(dp(mitigated) < dp(baseline), "{mitigated} vs {baseline}");
    app.stop().await;
}
