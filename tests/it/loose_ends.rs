//! What an attacker with an `auditor` key, or plain bad luck, could do to
//! the records around uploads and jobs: files left behind by refused
//! uploads, raw data for viewer keys, a swapped blob, figures that are not
//! finite, and a retried job storing its output twice.

use crate::common;

use common::{TestApp, assert_failed_saying, expect_problem, traced_linear_model};
use probity::store::keys::Role;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

#[tokio::test]
async fn a_refused_upload_leaves_no_file_behind() {
    let app = TestApp::spawn().await;
    // A NUL in the name passes every check until Postgres refuses the row.
    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"a,b\n1,2\n".to_vec()).file_name("x.csv"),
        )
        .text("name", "loans\u{0}2026");
    let response = app
        .post("/v1/datasets")
        .multipart(form)
        .send()
        .await
        .unwrap();
    expect_problem(response, 422).await;
    assert_eq!(app.count("datasets").await, 0);
    assert_eq!(app.count("blobs").await, 0);
    assert!(app.blob_files().is_empty(), "{:?}", app.blob_files());
    assert!(app.staging_files().is_empty(), "{:?}", app.staging_files());
    app.stop().await;
}

#[tokio::test]
async fn a_viewer_reads_metadata_but_not_raw_data_or_models() {
    let app = TestApp::spawn().await;
    let dataset = app.dataset(b"a,b\n1,2\n".to_vec(), "x.csv").await;
    let model: Value = app
        .upload_model(
            traced_linear_model(2, 1),
            &json!({ "name": "m", "version": "1", "features": ["a", "b"], "output": "logit" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let viewer = app.key(Role::Viewer).await;
    let get = |path: String| {
        app.client
            .get(format!("{}{path}", app.url))
            .bearer_auth(&viewer)
    };
    let dataset_id = dataset["id"].as_str().unwrap();
    let model_id = model["id"].as_str().unwrap();
    assert_eq!(
        get(format!("/v1/datasets/{dataset_id}"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        get(format!("/v1/models/{model_id}"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for path in [
        format!("/v1/datasets/{dataset_id}/download"),
        format!("/v1/models/{model_id}/download"),
    ] {
        let problem = expect_problem(get(path).send().await.unwrap(), 403).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("auditor"),
            "{problem}"
        );
    }
    let auditor = app.key(Role::Auditor).await;
    let download = app
        .get_as(&auditor, &format!("/v1/datasets/{dataset_id}/download"))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_blob_changed_on_disk_fails_the_job_instead_of_being_cited() {
    let app = TestApp::spawn().await;
    let dataset = app
        .dataset(b"g,label,pred\na,1,1\nb,0,0\na,0,1\n".to_vec(), "x.csv")
        .await;
    for file in app.blob_files() {
        std::fs::write(file, b"g,label,pred\na,1,1\nb,1,1\na,1,1\n").unwrap();
    }
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "label_column": "label", "prediction_column": "pred",
                "positive_label": 1, "sensitive_features": ["g"],
            }),
        )
        .await;
    assert_failed_saying(&job, "no longer matches its sha256");
    assert_eq!(app.count("reports").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn weights_whose_sum_is_not_finite_fail_the_job_and_store_nothing() {
    let app = TestApp::spawn().await;
    let csv = "g,label,pred,w\na,1,1,1e308\na,0,1,1e308\nb,1,0,1e308\nb,0,0,1e308\n";
    let dataset = app.dataset(csv.as_bytes().to_vec(), "w.csv").await;
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "label_column": "label", "prediction_column": "pred",
                "positive_label": 1, "sensitive_features": ["g"], "sample_weight_column": "w",
            }),
        )
        .await;
    assert_failed_saying(&job, "not a finite number");
    assert_eq!(app.count("reports").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_retried_inference_or_training_job_stores_its_output_once() {
    let app = TestApp::spawn().await;
    let mut csv = String::from("id,a,b,label\n");
    for i in 0..200 {
        csv.push_str(&format!("{i},{},{},{}\n", i % 7, (i * 3) % 11, i % 2));
    }
    let dataset = app.dataset(csv.into_bytes(), "train.csv").await;
    let training = json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1,
        "feature_columns": ["a", "b"], "model": { "type": "logistic_regression" }, "epochs": 2,
    });
    let rerun = |path: &'static str, body: Value| {
        let app = &app;
        async move {
            let first = app.run_job(path, &body).await;
            assert_eq!(first["status"], "succeeded", "{first}");
            let id = first["id"].as_str().unwrap().to_string();
            // As after a worker died between storing the output and recording success.
            sqlx::query("UPDATE jobs SET status = 'queued', result = NULL, finished_at = NULL WHERE id = $1::uuid")
                .bind(&id)
                .execute(&app.pool)
                .await
                .unwrap();
            let second = app.wait_for_job(&id).await;
            assert_eq!(second["status"], "succeeded", "{second}");
            assert_eq!(second["result"], first["result"]);
            first["result"].clone()
        }
    };
    let trained = rerun("/v1/training-jobs", training).await;
    assert_eq!(app.count("models").await, 1);
    rerun(
        "/v1/inference-jobs",
        json!({ "model_id": trained["model_id"], "dataset_id": dataset["id"], "id_columns": ["id"] }),
    )
    .await;
    assert_eq!(
        app.count("datasets").await,
        2,
        "the source and one predictions dataset"
    );
    app.stop().await;
}

#[tokio::test]
async fn cursors_and_timestamps_out_of_the_databases_range_are_422() {
    let app = TestApp::spawn().await;
    // A well-formed cursor (8 bytes of microseconds, 16 of id) for the year -100000, which chrono
    // accepts and Postgres does not.
    let micros: i64 = -3_217_862_419_200_000_000;
    let mut bytes = micros.to_be_bytes().to_vec();
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    let cursor = hex::encode(bytes);
    for path in [
        format!("/v1/datasets?cursor={cursor}"),
        format!("/v1/jobs?cursor={cursor}"),
        "/v1/reports?created_after=-100000-01-01T00:00:00Z".to_string(),
    ] {
        let response = app.get(&path).send().await.unwrap();
        let problem = expect_problem(response, 422).await;
        assert_eq!(
            problem["type"], "urn:probity:problem:validation",
            "{path}: {problem}"
        );
    }
    app.stop().await;
}
